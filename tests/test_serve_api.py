"""The REST API (newsdesk/serve/api.py) on the demo store: every endpoint answers from the desk,
every list is a page whose rows link by stable ids, every refusal is a coded 4xx (never a
traceback), writes need the token, and without one the store is read-only in the database."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsdesk import desk
from newsdesk.corpus.store import Store
from newsdesk.errors import StoreError
from newsdesk.pipeline import Analyzer
from newsdesk.serve import ServeConfig, create_app
from newsdesk.settings import load_settings

pytestmark = pytest.mark.slow

TOKEN = "s3cret-token"
LISTS = (
    "/api/articles",
    "/api/stories",
    "/api/events",
    "/api/mentions",
    "/api/claims",
    "/api/quotes",
    "/api/actors",
    "/api/places",
    "/api/search?q=killed",
)


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeConfig(db=str(demo_db)))) as client:
        yield client


@pytest.fixture
def writable(
    demo_db: Path, tmp_path: Path, analyzer: Analyzer
) -> Iterator[tuple[TestClient, Path]]:
    """An app with a token on a copy of the demo store, analysing with the session's
    Analyzer."""
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_db, path)
    app = create_app(ServeConfig(db=str(path), token=TOKEN), analyzer=analyzer)
    with TestClient(app) as client:
        yield client, path


def _ok(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def _refused(response: Any, status: int, code: str) -> str:
    """The coded error's message, after checking its status, shape and code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code, body
    assert "Traceback" not in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    message: str = body["error"]["message"]
    return message


def _all(client: TestClient, path: str, *, limit: int = 7) -> list[Any]:
    """Every row of a list, read a page at a time by following ``next_offset``."""
    rows: list[Any] = []
    offset: int | None = 0
    join = "&" if "?" in path else "?"
    while offset is not None:
        page = _ok(client, f"{path}{join}limit={limit}&offset={offset}")
        assert page["limit"] == limit and page["offset"] == offset
        assert len(page["items"]) <= limit
        rows += page["items"]
        offset = page["next_offset"]
    return rows


# -- lists are pages ------------------------------------------------------------------------


@pytest.mark.parametrize("path", LISTS)
def test_serve_api_every_list_is_a_page_and_pages_add_up(client: TestClient, path: str) -> None:
    join = "&" if "?" in path else "?"
    whole = _ok(client, f"{path}{join}limit=500")
    assert whole["next_offset"] is None
    assert whole["items"], f"{path} is empty on the demo store"
    assert _all(client, path, limit=3) == whole["items"]
    first = _ok(client, f"{path}{join}limit=1")
    assert first["items"] == whole["items"][:1]
    assert first["next_offset"] == (1 if len(whole["items"]) > 1 else None)


@pytest.mark.parametrize("path", LISTS)
def test_serve_api_pages_are_bounded(client: TestClient, path: str) -> None:
    join = "&" if "?" in path else "?"
    _refused(client.get(f"{path}{join}limit=501"), 400, "E486")
    _refused(client.get(f"{path}{join}limit=0"), 422, "E483")
    _refused(client.get(f"{path}{join}offset=-1"), 422, "E483")
    _refused(client.get(f"{path}{join}limit=ten"), 422, "E483")


def test_serve_api_articles_link_to_their_whole_records(client: TestClient, demo_db: Path) -> None:
    rows = _all(client, "/api/articles")
    with Store(demo_db, read_only=True) as store:
        assert [row["id"] for row in rows] == [a.id for a in store.iter_articles()]
        for row in rows:
            record = _ok(client, f"/api/articles/{row['id']}")
            stored = store.get_article(row["id"])
            assert stored is not None
            assert record == stored.model_dump(mode="json")
            assert row["events"] == len(stored.events)
            for event in record["events"]:
                evidence = event["evidence"]
                assert record["text"][evidence["start"] : evidence["end"]] == evidence["text"]
    _refused(client.get("/api/articles/no-such-article"), 404, "E485")


def test_serve_api_story_holds_its_articles_and_merged_events(client: TestClient) -> None:
    stories = _all(client, "/api/stories")
    assert len({story["id"] for story in stories}) == len(stories)
    for listed in stories:
        answer = _ok(client, f"/api/stories/{listed['id']}")
        assert answer["story"] == listed
        assert [item["id"] for item in answer["articles"]] == listed["articles"]
        for event in answer["events"]:
            assert {m["article"] for m in event["mentions"]} & set(listed["articles"])
            assert _ok(client, f"/api/events/{event['id']}") == event
    _refused(client.get("/api/stories/story-nope"), 404, "E424")


def test_serve_api_events_are_merged_newest_first_and_link(client: TestClient) -> None:
    rows = _all(client, "/api/events", limit=25)
    starts = [row["date"] or row["first_seen"] for row in rows]
    dated = [start for start in starts if start]
    assert dated and dated[0][:10] >= dated[-1][:10]
    stories = {story["id"] for story in _all(client, "/api/stories", limit=100)}
    for row in rows:
        event = _ok(client, f"/api/events/{row['id']}")
        assert row["reports"] == len(event["mentions"]) >= 1
        assert row["sources"] == event["sources"]
        assert row["story"] is None or row["story"] in stories
    assert any(row["reports"] > 1 for row in rows), "the demo store merges some reports"
    _refused(client.get("/api/events/event-nope"), 404, "E485")


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ("country=af", "country", "AF"),
        ("type=assault", "type", "ASSAULT"),
        ("status=claimed", "status", "claimed"),
    ],
)
def test_serve_api_event_filters_keep_only_what_they_name(
    client: TestClient, query: str, field: str, expected: str
) -> None:
    rows = _all(client, f"/api/events?{query}", limit=50)
    assert rows, query
    assert {row[field] for row in rows} == {expected}
    everything = _all(client, "/api/events", limit=500)
    assert len(rows) == sum(1 for row in everything if row[field] == expected)


def test_serve_api_event_dates_and_actor_filter(client: TestClient) -> None:
    everything = _all(client, "/api/events", limit=500)
    some = _all(client, "/api/events?since=2024-10&until=2024-10-31", limit=500)
    assert 0 < len(some) < len(everything)
    for row in some:
        assert row["date"] is None or row["date"][:7] <= "2024-10"
    with_actor = [row for row in everything if row["source"]]
    actor = with_actor[0]["source"][0]
    found = _all(client, f"/api/events?actor={actor}", limit=500)
    assert with_actor[0]["id"] in {row["id"] for row in found}
    assert _ok(client, "/api/events?actor=nobody-at-all")["items"] == []
    _refused(client.get("/api/events?since=yesterday"), 400, "E406")
    _refused(client.get("/api/events?country=Afghanistan"), 400, "E422")
    _refused(client.get("/api/events?type=PARTY"), 400, "E423")
    _refused(client.get("/api/events?status=maybe"), 400, "E487")


def test_serve_api_mentions_point_into_their_articles(client: TestClient) -> None:
    rows = _all(client, "/api/mentions?country=SD", limit=50)
    assert rows and {row["country"] for row in rows} == {"SD"}
    for row in rows[:10]:
        record = _ok(client, f"/api/articles/{row['article_id']}")
        event = record["events"][row["index"]]
        assert event["type"].upper() == row["type"]
        assert event["evidence"]["text"] == row["evidence"]


def test_serve_api_claims_quotes_actors_and_places(client: TestClient) -> None:
    claims = _all(client, "/api/claims", limit=50)
    named = next(claim for claim in claims if claim["claimant_name"])
    by_actor = _all(client, f"/api/claims?actor={named['claimant_name']}", limit=50)
    assert named in by_actor
    assert {c["claimant_name"].lower() for c in by_actor} == {named["claimant_name"].lower()}
    for quote in _all(client, "/api/quotes", limit=50)[:10]:
        record = _ok(client, f"/api/articles/{quote['article_id']}")
        assert record["quotes"][quote["index"]]["content"]["text"] == quote["content"]
    actors = _all(client, "/api/actors", limit=100)
    known = next(actor for actor in actors if actor["actor"])
    assert known["key"] == known["actor"]
    assert [a["articles"] for a in actors] == sorted((a["articles"] for a in actors), reverse=True)
    places = _all(client, "/api/places", limit=100)
    assert all(place["events"] >= place["articles"] >= 1 for place in places)
    assert "El Fasher" in {place["name"] for place in places}


def test_serve_api_search_takes_the_store_syntax(client: TestClient) -> None:
    hits = _ok(client, '/api/search?q="printing works" Kharkiv')["items"]
    assert hits and "Kharkiv" in (hits[0]["title"] or "")
    assert _ok(client, f"/api/articles/{hits[0]['article_id']}")["id"] == hits[0]["article_id"]
    ranks = [hit["rank"] for hit in _all(client, "/api/search?q=killed OR kill", limit=2)]
    assert ranks == list(range(1, len(ranks) + 1))
    _refused(client.get("/api/search?q=NOT drone"), 400, "E412")
    _refused(client.get('/api/search?q="'), 400, "E425")
    _refused(client.get("/api/search"), 422, "E483")
    _refused(client.get("/api/search?q=" + "word " * 300), 422, "E483")


# -- errors ---------------------------------------------------------------------------------


def test_serve_api_unknown_route_and_method_are_coded(client: TestClient) -> None:
    _refused(client.get("/api/nothing-here"), 404, "E484")
    _refused(client.delete("/api/articles"), 405, "E484")


def test_serve_api_a_failure_deep_in_the_desk_is_a_coded_500(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail /home/user/db.sqlite")

    monkeypatch.setattr(desk, "article_page", broken)
    app = create_app(ServeConfig(db=str(demo_db)))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/articles")
    message = _refused(response, 500, "E489")
    assert "RuntimeError" in message
    assert "secret detail" not in response.text


# -- writes and the read-only store ------------------------------------------------------------


def test_serve_api_read_only_desk_refuses_writes(client: TestClient, demo_db: Path) -> None:
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    _refused(client.post("/api/ingest", content=b"text", headers=_bearer()), 403, "E481")
    store = client.app.state.store  # type: ignore[attr-defined]
    assert store.read_only
    # A bug that reached the store would still be refused by the database.
    with pytest.raises(StoreError, match=r"^\[E409\]"), store.transaction("a bug") as conn:
        conn.exec_driver_sql("DELETE FROM articles")
    for path in LISTS:
        _ok(client, path)
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


def _bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_serve_api_ingest_needs_the_token(writable: tuple[TestClient, Path]) -> None:
    client, _ = writable
    body = b"Rebels shelled the town of Sake on Monday, killing three civilians."
    refused = client.post("/api/ingest", content=body, headers={"Content-Type": "text/plain"})
    _refused(refused, 401, "E482")
    assert refused.headers["www-authenticate"] == "Bearer"
    for header in ({"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        _refused(client.post("/api/ingest", content=body, headers=header), 401, "E482")
    assert _ok(client, "/api/articles?limit=500")["items"].__len__() == 8


def test_serve_api_ingest_with_the_token_stores_and_refreshes(
    writable: tuple[TestClient, Path],
) -> None:
    client, _ = writable
    text = (
        "Rebels shell Sake as fighting spreads\n\n"
        "GOMA, Congo - M23 rebels shelled the town of Sake on Monday, killing three civilians, "
        "local officials said. The army said it had pushed the rebels back from the town."
    )
    headers = {**_bearer(), "Content-Type": "text/plain; charset=utf-8"}
    response = client.post(
        "/api/ingest?published=2024-02-12&url=https://example.org/sake",
        content=text.encode(),
        headers=headers,
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["ingested"] == 1 and len(answer["articles"]) == 1
    article_id = answer["articles"][0]
    record = _ok(client, f"/api/articles/{article_id}")
    assert record["published"] == "2024-02-12"
    assert record["url"] == "https://example.org/sake"
    assert article_id in {row["id"] for row in _all(client, "/api/articles", limit=50)}
    assert any(article_id in story["articles"] for story in _all(client, "/api/stories"))
    assert _ok(client, "/api/search?q=Sake shelled")["items"]
    # The same body again: settled before, nothing stored twice.
    again = client.post("/api/ingest", content=text.encode(), headers=headers).json()
    assert (again["ingested"], again["already_done"]) == (0, 1)


def test_serve_api_ingest_reads_json_lines_and_records_rejections(
    writable: tuple[TestClient, Path],
) -> None:
    client, _ = writable
    lines = [
        {
            "id": "a1",
            "text": "Police arrested 12 protesters in Nairobi on Tuesday, witnesses said.",
        },
        {"id": "a2", "html": "<p>Floods displaced 4,000 people in Dhaka on Sunday.</p>"},
        {"id": "a3", "title": "no text here"},
    ]
    body = "\n".join(json.dumps(line) for line in lines).encode() + b"\nnot json\n"
    headers = {**_bearer(), "Content-Type": "application/x-ndjson"}
    answer = client.post("/api/ingest", content=body, headers=headers).json()
    assert (answer["ingested"], answer["rejected"]) == (2, 2)
    assert {item["code"] for item in answer["rejections"]} == {"R110", "R111"}
    rejected = _all(client, "/api/rejected")
    assert {item["code"] for item in rejected} >= {"R110", "R111"}
    assert all(item["source"].startswith("api:") for item in rejected)


@pytest.mark.parametrize(
    ("body", "content_type", "query", "status", "code"),
    [
        (b"some text", "application/pdf", "", 415, "E488"),
        (b"some text", "", "", 415, "E488"),
        (b"  \n ", "text/plain", "", 400, "E488"),
        (b"some text", "text/plain", "?published=yesterday", 400, "E421"),
    ],
)
def test_serve_api_ingest_refuses_bodies_it_cannot_read(
    writable: tuple[TestClient, Path],
    body: bytes,
    content_type: str,
    query: str,
    status: int,
    code: str,
) -> None:
    client, _ = writable
    headers = {**_bearer(), "Content-Type": content_type}
    _refused(client.post(f"/api/ingest{query}", content=body, headers=headers), status, code)


def test_serve_api_body_limit_holds_for_chunked_bodies(demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_db, path)
    app = create_app(ServeConfig(db=str(path), token=TOKEN, max_body_bytes=100))

    def chunks() -> Iterator[bytes]:
        for _ in range(5):
            yield b"x" * 64

    with TestClient(app) as client:
        headers = {**_bearer(), "Content-Type": "text/plain"}
        response = client.post("/api/ingest", content=chunks(), headers=headers)
        _refused(response, 413, "E480")
        big = client.post("/api/ingest", content=b"x" * 101, headers=headers)
        _refused(big, 413, "E480")


# -- the command and PostgreSQL --------------------------------------------------------------


@pytest.mark.parametrize(("host", "warned"), [("127.0.0.1", False), ("0.0.0.0", True)])
def test_serve_api_cli_warns_when_bound_beyond_loopback(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, host: str, warned: bool
) -> None:
    import uvicorn

    from newsdesk.faces.cli import app

    ran: list[tuple[str, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda _app, host, port, **_: ran.append((host, port)))
    monkeypatch.delenv("NEWSDESK_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(demo_db), "--host", host])
    assert result.exit_code == 0, result.output
    assert ran == [(host, 8000)]
    assert ("anyone who can reach this address can read the store" in result.output) is warned


def test_serve_api_on_postgresql_is_read_only_without_a_token(
    postgres_url: str, demo_db: Path
) -> None:
    with Store(demo_db, read_only=True) as demo, Store(postgres_url) as store:
        for article in demo.iter_articles():
            store.add_article(article)
        desk.refresh(store, settings=load_settings())
    with TestClient(create_app(ServeConfig(db=postgres_url))) as client:
        events = _all(client, "/api/events?country=AF", limit=50)
        assert events and {row["country"] for row in events} == {"AF"}
        assert _ok(client, '/api/search?q="printing works"')["items"]
        story = _ok(client, "/api/stories?limit=1")["items"][0]
        assert _ok(client, f"/api/stories/{story['id']}")["story"] == story
        assert len(_all(client, "/api/articles")) == 8
        store = client.app.state.store  # type: ignore[attr-defined]
        with pytest.raises(StoreError, match=r"^\[E409\]"), store.transaction("a bug") as conn:
            conn.exec_driver_sql("DELETE FROM articles")
    with Store(postgres_url) as store:
        assert store.counts()["articles"] == 8
