"""The web pages (newsdesk/serve/pages.py) on the demo store, through a test client: every page
renders, unknown ids and bad filters answer coded errors, the filters change the events listed,
every export parses and says what the page lists, hostile text reaches the HTML only escaped,
and the ingest form writes only with its CSRF token and the write token."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from _browser import HOSTILE_URL, hostile_store, scan
from newsdesk import desk
from newsdesk.serve import ServeConfig, create_app
from newsdesk.serve.pages import csv_cell, web_link


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeConfig(db=str(demo_db)))) as client:
        yield client


@pytest.fixture(scope="module")
def known(demo_db: Path) -> dict[str, Any]:
    """Ids the pages link to, from the desk: a story, its first article, a placed merged
    event, and every merged event."""
    with desk.open_store(str(demo_db), must_exist=True) as store:
        story = desk.stories(store)[0]
        everything = desk.merged_event_list(store)[0]
        actors = desk.actor_list(store)
    placed = next(found for found in everything if found.event.lat is not None)
    return {
        "story": story.id,
        "article": story.articles[0],
        "event": placed.event.id,
        "events": everything,
        "actor": actors[0].key,
    }


def _pages(known: dict[str, Any]) -> list[str]:
    return [
        "/",
        "/map",
        "/events",
        f"/events/{known['event']}",
        "/timeline",
        "/stories",
        f"/stories/{known['story']}",
        "/articles",
        f"/articles/{known['article']}",
        "/search",
        "/search?q=soldiers",
        "/actors",
        "/places",
        "/rejected",
        "/events?country=CD&type=ASSAULT",
        f"/events?{desk_query(actor=known['actor'])}",
    ]


def desk_query(**values: str) -> str:
    from urllib.parse import urlencode

    return urlencode(values)


# -- every page ---------------------------------------------------------------------------------

pytestmark = pytest.mark.slow


def test_every_page_renders_with_no_inline_script_or_style(
    client: TestClient, known: dict[str, Any]
) -> None:
    for path in _pages(known):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        found = scan(response.text)
        assert found.inline_scripts == [], path
        assert found.handlers == [], (path, found.handlers[:3])
        assert all(src and src.startswith("/static/") for src in found.scripts), path
        for href, rel in found.links:
            if not href.startswith(("/", "#")):
                assert web_link(href), (path, href)
                assert {"noopener", "noreferrer", "nofollow"} <= set(rel.split()), (path, href)


@pytest.mark.parametrize(
    ("path", "code", "status"),
    [
        ("/articles/0000000000000000", "E485", 404),
        ("/events/event-none", "E491", 404),
        ("/stories/story-none", "E424", 404),
        ("/events?country=Afghanistan", "E422", 400),
        ("/?type=BOMBING", "E423", 400),
        ("/events?status=rumoured", "E487", 400),
        ("/timeline?since=last-week", "E406", 400),
        ("/search?q=%22%22", "E425", 400),
    ],
)
def test_unknown_ids_and_bad_filters_answer_a_coded_error_page(
    client: TestClient, path: str, code: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert f'data-code="{code}"' in response.text
    assert "Traceback" not in response.text


def test_an_export_with_a_bad_filter_answers_a_coded_json_error(client: TestClient) -> None:
    response = client.get("/events.csv?country=Narnia")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "E422"
    assert client.get("/events.xml").status_code == 422


# -- filters and exports ----------------------------------------------------------------------


def _jsonl(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text[:300]
    return [json.loads(line) for line in response.text.splitlines()]


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"country": "CD"}, lambda found: found.row.country == "CD"),
        ({"country": "ml"}, lambda found: found.row.country == "ML"),
        ({"type": "ASSAULT"}, lambda found: found.row.type == "ASSAULT"),
        ({"status": "claimed"}, lambda found: found.row.status == "claimed"),
        (
            {"type": "ASSAULT", "status": "occurred"},
            lambda found: found.row.type == "ASSAULT" and found.row.status == "occurred",
        ),
    ],
)
def test_the_filters_change_the_events_listed(
    client: TestClient, known: dict[str, Any], filters: dict[str, str], keep: Any
) -> None:
    everything = known["events"]
    expected = {found.event.id for found in everything if keep(found)}
    assert 0 < len(expected) < len(everything), "a filter that keeps some and drops some"
    query = desk_query(**filters)
    listed = {row["id"] for row in _jsonl(client.get(f"/events.jsonl?{query}"))}
    assert listed == expected
    page = client.get(f"/events?{query}").text
    assert set(re.findall(r'href="/events/(event-[0-9a-f]+)"', page)) == expected
    map_page = client.get(f"/?{query}").text
    assert f'data-count="{len(expected)}"' in map_page
    # The map's script fetches the same filtered list.
    assert f'data-events="/events.geojson?{query.replace("&", "&amp;")}"' in map_page


def test_the_date_filters_keep_the_events_in_range(client: TestClient, demo_db: Path) -> None:
    with desk.open_store(str(demo_db), must_exist=True) as store:
        expected = {found.event.id for found in desk.merged_event_list(store, since="2024-07")[0]}
        every = desk.merged_event_list(store)[0]
    assert 0 < len(expected) < len(every)
    listed = _jsonl(client.get("/events.jsonl?since=2024-07&until="))
    assert {row["id"] for row in listed} == expected


def test_the_exports_parse_and_agree(client: TestClient, known: dict[str, Any]) -> None:
    query = "type=ASSAULT"
    rows = _jsonl(client.get(f"/events.jsonl?{query}"))
    table = list(csv.DictReader(io.StringIO(client.get(f"/events.csv?{query}").text)))
    geo = client.get(f"/events.geojson?{query}")
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert 'filename="events.geojson"' in geo.headers["content-disposition"]
    collection = geo.json()
    assert collection["type"] == "FeatureCollection"
    assert [row["id"] for row in rows] == [row["id"] for row in table]
    assert [f["properties"]["id"] for f in collection["features"]] == [row["id"] for row in rows]
    placed = {f["properties"]["id"] for f in collection["features"] if f["geometry"]}
    assert placed == {row["id"] for row in rows if row["lat"] is not None}
    for feature in collection["features"]:
        if feature["geometry"]:
            lon, lat = feature["geometry"]["coordinates"]
            assert (lat, lon) == (feature["properties"]["lat"], feature["properties"]["lon"])
    for name in ("stories", "articles", "actors", "places", "rejected"):
        lines = _jsonl(client.get(f"/{name}.jsonl"))
        parsed = list(csv.reader(io.StringIO(client.get(f"/{name}.csv").text)))
        assert len(parsed) == len(lines) + 1, name  # the header row, even for no rows
        assert all(list(line) == parsed[0] for line in lines), name
    places = client.get("/places.geojson").json()
    assert len(places["features"]) == len(_jsonl(client.get("/places.jsonl")))


def test_the_outlines_are_served_from_the_package(client: TestClient) -> None:
    outlines = client.get("/outlines.geojson")
    assert outlines.status_code == 200
    countries = {f["properties"].get("country") for f in outlines.json()["features"]}
    assert {"AF", "CD", "ML", "UA"} <= countries


def test_csv_cells_cannot_start_a_formula() -> None:
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    for start in ("+", "-", "@", "\t", "\r"):
        assert csv_cell(start + "cmd") == "'" + start + "cmd"
    assert csv_cell(["=a", "b"]) == "'=a; b"
    assert csv_cell(-3) == -3
    assert csv_cell("Goma") == "Goma"


def test_only_web_links_are_links() -> None:
    assert web_link("https://example.org/a?b=1")
    assert web_link("HTTP://example.org")
    for url in (HOSTILE_URL, " javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"):
        assert not web_link(url)
    assert not web_link("https:///no-host")
    assert not web_link(None)


# -- hostile text -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory, analyzer: Any
) -> Iterator[tuple[TestClient, list[str]]]:
    path, ids = hostile_store(demo_db, tmp_path_factory.mktemp("hostile"), analyzer)
    with TestClient(create_app(ServeConfig(db=str(path)))) as client:
        yield client, ids


def test_hostile_text_reaches_the_html_only_escaped(
    hostile: tuple[TestClient, list[str]], demo_db: Path
) -> None:
    client, ids = hostile
    for article_id in ids:
        html = client.get(f"/articles/{article_id}").text
        found = scan(html, "text")
        assert found.images == [] and found.handlers == [] and found.inline_scripts == []
        assert all(src and src.startswith("/static/") for src in found.scripts)
        assert not any(href.lower().lstrip().startswith("javascript") for href, _ in found.links)
        # The text shows as the characters it is: exactly the record's.
        with desk.open_store(client.app.state.config.db, must_exist=True) as store:  # type: ignore[attr-defined]
            text = desk.article(store, article_id).text
        assert "".join(found.text) == text
    assert any("<script>" in desk_text for desk_text in _texts(client, ids))
    page = client.get(f"/articles/{ids[1]}").text
    assert "&lt;Img Src=X Onerror=Alert(8)&gt;" in page or "&lt;img" in page.lower()
    assert f'<span class="url">{HOSTILE_URL}</span>' in page
    for path in ("/articles", "/events", "/actors", "/stories", "/search?q=script"):
        listed = scan(client.get(path).text)
        assert listed.images == [] and listed.handlers == [] and listed.inline_scripts == []


def _texts(client: TestClient, ids: list[str]) -> list[str]:
    with desk.open_store(client.app.state.config.db, must_exist=True) as store:  # type: ignore[attr-defined]
        return [desk.article(store, article_id).text for article_id in ids]


# -- ingest -------------------------------------------------------------------------------------

TOKEN = "s3cret-token"


@pytest.fixture
def writable(demo_db: Path, tmp_path: Path, analyzer: Any) -> Iterator[TestClient]:
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(demo_db, path)
    app = create_app(ServeConfig(db=str(path), token=TOKEN))
    app.state.analyzer = analyzer
    with TestClient(app) as client:
        yield client


def _csrf(client: TestClient) -> str:
    form = client.get("/ingest")
    assert form.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert found is not None
    return found.group(1)


REPORT = (
    "Rebels shell Sake\n\nSAKE, Congo - M23 rebels shelled the town of Sake on Monday, killing "
    "at least five civilians, a local official said.\n"
)


def test_the_ingest_form_writes_with_its_tokens(writable: TestClient) -> None:
    csrf = _csrf(writable)
    response = writable.post(
        "/ingest",
        data={"csrf": csrf, "token": TOKEN, "text": REPORT, "url": "https://example.org/sake"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:400]
    article_page = writable.get(response.headers["location"])
    assert article_page.status_code == 200
    assert "M23 rebels shelled" in article_page.text
    listed = _jsonl(writable.get("/articles.jsonl"))
    assert "https://example.org/sake" in {row["url"] for row in listed}


def test_the_ingest_form_refuses_without_its_tokens(writable: TestClient) -> None:
    before = len(_jsonl(writable.get("/articles.jsonl")))
    csrf = _csrf(writable)
    refused = [
        ({"token": TOKEN, "text": REPORT}, 403, "E493"),
        ({"csrf": "forged.0000", "token": TOKEN, "text": REPORT}, 403, "E493"),
        ({"csrf": csrf, "token": "wrong", "text": REPORT}, 401, "E482"),
        ({"csrf": csrf, "token": TOKEN, "text": "   "}, 400, "E494"),
    ]
    for data, status, code in refused:
        response = writable.post("/ingest", data=data, follow_redirects=False)
        assert response.status_code == status, (data, response.text[:300])
        assert f'data-code="{code}"' in response.text
    # A form signed for this app but sent without its cookie (another site's page) is refused.
    writable.cookies.clear()
    response = writable.post("/ingest", data={"csrf": csrf, "token": TOKEN, "text": REPORT})
    assert response.status_code == 403
    assert len(_jsonl(writable.get("/articles.jsonl"))) == before


def test_a_read_only_desk_has_no_ingest_form(client: TestClient) -> None:
    assert 'href="/ingest"' not in client.get("/").text
    assert client.get("/ingest").status_code == 403
    response = client.post("/ingest", data={"text": REPORT})
    assert response.status_code == 403
    assert 'data-code="E481"' in response.text


# -- syndicated copies ------------------------------------------------------------------------


def test_the_story_page_folds_a_copy_under_the_article_it_copies(
    demo_db: Path, tmp_path: Path, analyzer: Any
) -> None:
    from importlib import resources

    origin_text = resources.files("newsdesk").joinpath("demo/drc-goma-sake.txt").read_text()
    paragraphs = origin_text.split("\n\n")
    # Another outlet runs four of the wire story's paragraphs under its own title and byline.
    copy_text = "\n\n".join(
        [
            "Rebels near Sake as peacekeepers dig in",
            "By Kivu Daily staff",
            *paragraphs[1:5],
            "Kivu Daily will follow the story.\n",
        ]
    )
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(demo_db, path)
    with desk.open_store(str(path), must_exist=True) as store:
        posted = desk.ingest_posted(store, copy_text.encode(), kind="text", analyzer=analyzer)
        copy = desk.article(store, posted.articles[0])
        copied = [c for c in desk.syndication(store, copy.id) if c.article == copy.id]
        story = next(s for s in desk.stories(store) if copy.id in s.articles)
    assert copied and {c.source_article for c in copied} <= set(story.articles)
    origin_id = copied[0].source_article
    with TestClient(create_app(ServeConfig(db=str(path)))) as client:
        html = client.get(f"/stories/{story.id}").text
    origin_at = html.index(f'<li class="origin" data-article="{origin_id}">')
    copy_at = html.index(f'<li class="copy" data-article="{copy.id}">')
    assert origin_at < copy_at
    assert f'<li class="origin" data-article="{copy.id}">' not in html
    following = html.find('<li class="origin"', origin_at + 1)
    assert following == -1 or copy_at < following, "the copy is listed inside its origin"
    for found in copied:
        assert f"block {found.block} (from block {found.source_block}" in html


def test_long_lists_are_paged(client: TestClient, known: dict[str, Any]) -> None:
    every = {found.event.id for found in known["events"]}
    assert len(every) > 100, "the demo store has more merged events than one page"
    first = client.get("/events").text
    second = client.get("/events?page=2").text
    links = r'href="/events/(event-[0-9a-f]+)"'
    on_first, on_second = set(re.findall(links, first)), set(re.findall(links, second))
    assert len(on_first) == 100 and not on_first & on_second
    assert on_first | on_second == every
    assert 'rel="next" href="/events?page=2"' in first
    assert set(re.findall(links, client.get("/events?page=99").text)) == on_second
    assert client.get("/events?page=0").status_code == 422


def test_the_timelines_draw_events_and_articles(client: TestClient, known: dict[str, Any]) -> None:
    overall = client.get("/timeline").text
    story = client.get(f"/stories/{known['story']}").text
    for page in (overall, story):
        assert '<rect class="ev"' in page and '<rect class="ar"' in page
    congo = client.get("/timeline?country=CD").text
    assert congo.count('<rect class="ev"') < overall.count('<rect class="ev"')
