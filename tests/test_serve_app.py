"""The web app's frame (newsdesk/serve/app.py): every response carries the security headers,
every error has one JSON shape with a code, bodies and writes are refused as documented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.serve import ServeConfig, create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeConfig(db=str(demo_db)))) as client:
        yield client


def test_every_response_forbids_inline_scripts(client: TestClient) -> None:
    for path in ("/", "/api/stories", "/no-such-page"):
        policy = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_unknown_route_answers_a_coded_json_error(client: TestClient) -> None:
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "E484"
    assert "/api/no-such-thing" in error["message"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(demo_db: Path) -> None:
    app = create_app(ServeConfig(db=str(demo_db), max_body_bytes=10))
    with TestClient(app) as small:
        response = small.post("/api/stories", content=b"x" * 11)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "E480"


def test_a_missing_store_is_refused_when_the_app_starts(tmp_path: Path) -> None:
    app = create_app(ServeConfig(db=str(tmp_path / "absent.sqlite")))
    with pytest.raises(Exception, match="E420"), TestClient(app):
        pass
    assert not (tmp_path / "absent.sqlite").exists()


def test_stories_come_from_the_store(client: TestClient) -> None:
    stories = client.get("/api/stories").json()["items"]
    assert stories, "the demo store has stories"
    assert {"id", "title", "articles"} <= set(stories[0])
    page = client.get("/").text
    assert stories[0]["title"].replace("'", "&#39;").replace('"', "&#34;") in page


def test_a_configured_tile_server_is_the_only_other_origin_images_may_come_from(
    demo_db: Path,
) -> None:
    config = ServeConfig(db=str(demo_db), tiles_url="https://tiles.example.org/{z}/{x}/{y}.png")
    with TestClient(create_app(config)) as client:
        page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "img-src 'self' data: https://tiles.example.org;" in policy
    assert "script-src 'self';" in policy
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in page.text
