"""The store's pages for exports answer alike on SQLite and PostgreSQL: the demo store copied
into PostgreSQL exports the same rows, mentions and records."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from newsdesk import desk
from newsdesk.corpus.store import Store
from newsdesk.export import export

pytestmark = pytest.mark.slow


def _copy(demo_db: Path, url: str) -> None:
    with Store(str(demo_db)) as source, Store(url) as target:
        for article in source.iter_articles():
            target.add_article(article)
        target.replace_corpus_results(
            syndication=source.syndication(),
            stories=source.stories(),
            merged=source.merged_events(),
        )


def test_export_pages_agree_on_sqlite_and_postgresql(demo_db: Path, postgres_url: str) -> None:
    _copy(demo_db, postgres_url)
    with Store(str(demo_db)) as lite, Store(postgres_url) as pg:
        for filters in ({}, {"type": "ASSAULT"}, {"since": "2024-07", "actor": "Taliban"}):
            assert list(desk.event_rows(pg, page=5, **filters)) == list(
                desk.event_rows(lite, page=5, **filters)
            )
        assert list(desk.event_rows(pg, merged=False, page=9)) == list(
            desk.event_rows(lite, merged=False, page=9)
        )
        assert list(desk.mention_rows(pg, page=4)) == list(desk.mention_rows(lite, page=4))
        for fmt in ("acled", "gdelt", "geojson", "csv"):
            on_pg, on_lite = io.StringIO(), io.StringIO()
            export(pg, fmt, on_pg)
            export(lite, fmt, on_lite)
            assert on_pg.getvalue() == on_lite.getvalue(), fmt
