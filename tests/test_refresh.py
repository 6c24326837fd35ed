"""The corpus steps run incrementally over the store (``desk.refresh``, ``corpus/refresh.py``).

Articles are the corpus benchmark's generated records (stories of about ten reports, 20% of
them republishing paragraphs, 5% whole copies), made harder here: some arrive after reports
published later than them (so earlier articles' blocks turn out to copy them, and stories of
articles already taken in must be merged again), and some carry no date. Every comparison is
of the whole results: syndication records, near-duplicates, stories (ids, members in order,
dates, countries, actors) and merged events (ids, mentions, sources, status, conflicts).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from newsdesk import desk
from newsdesk.corpus import refresh as corpus_refresh
from newsdesk.corpus import schema
from newsdesk.corpus.desk import CorpusResults, analyse_corpus
from newsdesk.corpus.store import Store
from newsdesk.corpus.story_index import StoreStoryState
from newsdesk.errors import StoreError
from newsdesk.faces.cli import app
from newsdesk.records import Article
from newsdesk.settings import Settings, load_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _articles import generated_over_weeks
from corpus_scaling import generate

runner = CliRunner()


def _arrivals(n: int, *, seed: int = 3) -> list[Article]:
    """Generated articles in an arrival order that is not their publication order, one in
    nine undated."""
    rng = random.Random(seed)
    articles = generate(n, seed=seed)
    for i in range(0, n - 1, 5):
        # A report that arrives a few places late: later ones, published after it, came first.
        j = min(n - 1, i + rng.randint(1, 4))
        articles[i], articles[j] = articles[j], articles[i]
    return [
        article.model_copy(update={"published": None}) if k % 9 == 4 else article
        for k, article in enumerate(articles)
    ]


ARTICLES = _arrivals(240)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return url


def _settings(batch: int) -> Settings:
    settings = load_settings()
    return replace(settings, corpus=replace(settings.corpus, batch_articles=batch))


def _add(store: Store, articles: Sequence[Article]) -> None:
    for article in articles:
        store.add_article(article)


def _stored(store: Store) -> dict[str, Any]:
    """The store's corpus results, in a form that compares whole."""
    return {
        "syndication": sorted(r.model_dump_json() for r in store.syndication()),
        "stories": sorted(s.model_dump_json() for s in store.stories()),
        "merged": sorted(m.model_dump_json() for m in store.merged_events()),
    }


def _in_memory(results: CorpusResults) -> dict[str, Any]:
    return {
        "syndication": sorted(r.model_dump_json() for r in results.syndication),
        "stories": sorted(s.model_dump_json() for s in results.stories),
        "merged": sorted(m.model_dump_json() for m in results.merged),
    }


@pytest.fixture(scope="module")
def expected() -> CorpusResults:
    return analyse_corpus(ARTICLES)


def test_the_arrivals_exercise_late_copies_and_undated_reports(expected: CorpusResults) -> None:
    # The corpus the tests below run on holds what makes incremental work hard.
    order = {article.id: i for i, article in enumerate(ARTICLES)}
    late_sources = [
        r
        for r in expected.syndication
        if r.source_article and order[r.source_article] > order[r.article]
    ]
    assert late_sources, "no block turned out to copy an article that arrived after it"
    assert any(a.published is None for a in ARTICLES)
    assert len(expected.duplicates) >= 3
    assert any(len(story.articles) > 5 for story in expected.stories)
    assert any(event.sources > 1 for event in expected.merged)


def test_chunked_refreshes_equal_one_full_refresh_and_the_memory_engine(
    store_url: str, tmp_path: Path, expected: CorpusResults
) -> None:
    small = _settings(batch=16)
    counts = []
    with Store(store_url) as store:
        start = 0
        for size in (50, 1, 70, 119):
            _add(store, ARTICLES[start : start + size])
            start += size
            counts.append(desk.refresh(store, settings=small))
        chunked = _stored(store)
    assert [c.processed for c in counts] == [50, 1, 70, 119]
    assert counts[-1].near_duplicates == len(expected.duplicates)
    assert set(counts[-1].timings) == set(corpus_refresh.STEPS)
    assert all(seconds >= 0 for seconds in counts[-1].timings.values())

    with Store(tmp_path / "full.sqlite") as store:
        _add(store, ARTICLES)
        full = desk.refresh(store, settings=_settings(batch=200), full=True)
        replayed = _stored(store)
    assert full.processed == len(ARTICLES)

    assert chunked == replayed == _in_memory(expected)
    assert (counts[-1].stories, counts[-1].merged_events, counts[-1].syndicated_blocks) == (
        len(expected.stories),
        len(expected.merged),
        len(expected.syndication),
    )


def test_reports_arriving_in_order_are_merged_in_without_merging_their_stories_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight weeks of long stories, a few reports per refresh: each refresh merges the new
    reports into the merged events near them, and the results are a full refresh's."""
    articles = generated_over_weeks(160)
    read: list[int] = []
    reading = corpus_refresh._articles

    def counted(conn: sa.Connection, ids: Sequence[str]) -> list[Article]:
        read.append(len(ids))
        return reading(conn, ids)

    monkeypatch.setattr(corpus_refresh, "_articles", counted)
    with Store(tmp_path / "chunked.sqlite") as store:
        for start in range(0, len(articles), 8):
            _add(store, articles[start : start + 8])
            desk.refresh(store, settings=_settings(batch=8))
        chunked = _stored(store)
        longest = max(len(story.articles) for story in store.stories())
    late = read[len(read) // 2 :]
    with Store(tmp_path / "full.sqlite") as store:
        _add(store, articles)
        desk.refresh(store, settings=_settings(batch=200), full=True)
        assert chunked == _stored(store)
    # Late in the run, a story is read only around its new reports, never whole.
    assert longest >= 30
    assert max(late) <= longest // 2


def test_an_undated_report_is_merged_with_the_undated_ones_before_it(
    tmp_path: Path, expected: CorpusResults
) -> None:
    """Undated reports whose events carry no date are merged in one block of their own; an
    undated report arriving later must meet the ones already in it, as a full refresh has it."""
    by_id = {article.id: article for article in ARTICLES}
    story = next(s for s in expected.stories if len(s.articles) >= 4)
    undated = [
        by_id[article_id].model_copy(
            update={
                "published": None,
                "events": tuple(
                    event.model_copy(update={"date": None}) for event in by_id[article_id].events
                ),
            }
        )
        for article_id in story.articles[:4]
    ]
    with Store(tmp_path / "chunked.sqlite") as store:
        for article in undated:
            _add(store, [article])
            desk.refresh(store, settings=_settings(batch=1))
        chunked = _stored(store)
    with Store(tmp_path / "full.sqlite") as store:
        _add(store, undated)
        desk.refresh(store, settings=_settings(batch=200), full=True)
        assert chunked == _stored(store)
    assert any('"mentions":[{' in m and m.count('"article"') > 1 for m in chunked["merged"])


def test_a_refresh_with_nothing_new_changes_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite") as store:
        _add(store, ARTICLES[:80])
        first = desk.refresh(store, settings=_settings(batch=30))
        before = _stored(store)
        again = desk.refresh(store, settings=_settings(batch=30))
        assert again.processed == 0
        assert _stored(store) == before
        assert (again.stories, again.merged_events) == (first.stories, first.merged_events)


class _Failure(RuntimeError):
    pass


def test_a_refresh_that_fails_mid_batch_loses_and_doubles_nothing(
    store_url: str, monkeypatch: pytest.MonkeyPatch, expected: CorpusResults
) -> None:
    settings = _settings(batch=40)
    calls = 0
    write = corpus_refresh._replace_merged

    def failing(*args: Any, **kwargs: Any) -> Any:
        # Fails in the third batch, after its syndication, stories and some merged events
        # were written in its transaction.
        nonlocal calls
        calls += 1
        if calls == 60:
            raise _Failure("merging failed")
        return write(*args, **kwargs)

    with Store(store_url) as store:
        _add(store, ARTICLES)
        with monkeypatch.context() as patch:
            patch.setattr(corpus_refresh, "_replace_merged", failing)
            with pytest.raises(_Failure):
                desk.refresh(store, settings=settings)
        watermark = _watermark(store_url)
        assert 0 < watermark < len(ARTICLES)
        # What committed is whole batches: the watermark stands at one.
        assert watermark % 40 == 0
        rerun = desk.refresh(store, settings=settings)
        assert rerun.processed == len(ARTICLES) - watermark
        assert _stored(store) == _in_memory(expected)


def test_a_killed_refresh_resumes_without_loss_or_duplicates(
    tmp_path: Path, expected: CorpusResults
) -> None:
    """A real process refreshing in batches of ten, killed (SIGKILL) once some batches are in,
    then run again: the results equal the memory engine's."""
    db = tmp_path / "store.sqlite"
    with Store(db) as store:
        _add(store, ARTICLES)
    config = tmp_path / "batches.toml"
    config.write_text("[corpus]\nbatch_articles = 10\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "newsdesk",
        "refresh",
        "--db",
        str(db),
        "--config",
        str(config),
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSDESK_DB", "NEWSDESK_CONFIG")}
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while child.poll() is None and time.monotonic() < deadline:
            if _watermark_if_any(db) >= 30:
                break
            time.sleep(0.02)
        assert child.poll() is None, "the refresh ended before it could be killed"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    killed_at = _watermark(str(db))
    assert 30 <= killed_at < len(ARTICLES)
    assert killed_at % 10 == 0
    with Store(db) as store:
        rerun = desk.refresh(store, settings=_settings(batch=10))
        assert rerun.processed == len(ARTICLES) - killed_at
        assert _stored(store) == _in_memory(expected)


def _watermark_if_any(db: Path) -> int:
    """The watermark as a reader sees it, 0 before the refresh made one."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("SELECT watermark FROM corpus_state").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0]) if row else 0


def _watermark(url: str) -> int:
    engine = sa.create_engine(
        f"sqlite:///{url}"
        if "://" not in url
        else sa.make_url(url).set(drivername="postgresql+psycopg").render_as_string(False)
    )
    try:
        with engine.connect() as conn:
            return int(conn.scalar(sa.select(schema.corpus_state.c.watermark)) or 0)
    finally:
        engine.dispose()


def test_other_corpus_settings_are_refused_until_a_full_refresh(tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite") as store:
        _add(store, ARTICLES[:60])
        desk.refresh(store, settings=_settings(batch=200))
        # The batch size changes no result: not refused.
        _add(store, ARTICLES[60:70])
        assert desk.refresh(store, settings=_settings(batch=7)).processed == 10
        stricter = load_settings()
        stricter = replace(stricter, corpus=replace(stricter.corpus, story_similarity=0.35))
        _add(store, ARTICLES[70:90])
        with pytest.raises(StoreError, match=r"E445.*newsdesk refresh --full"):
            desk.refresh(store, settings=stricter)
        redone = desk.refresh(store, settings=stricter, full=True)
        assert redone.processed == 90
        assert _stored(store) == _in_memory(analyse_corpus(ARTICLES[:90], settings=stricter.corpus))
        assert desk.refresh(store, settings=stricter).processed == 0


def test_a_version_6_store_is_migrated_and_its_results_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Store(path) as store:
        _add(store, ARTICLES[:70])
        # Results as version 6 stored them: the whole corpus replaced at once.
        old = analyse_corpus(ARTICLES[:70])
        store.replace_corpus_results(
            syndication=old.syndication, stories=old.stories, merged=old.merged
        )
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        for index in sorted(schema.MERGED_PAGE_INDEXES):
            conn.execute(sa.text(f"DROP INDEX {index}"))
        for column in ("date_start", "date_end"):  # version 9
            conn.execute(sa.text(f"ALTER TABLE merged_events DROP COLUMN {column}"))
        conn.execute(sa.text("DROP INDEX ix_merged_events_story"))
        conn.execute(sa.text("ALTER TABLE merged_events DROP COLUMN story_id"))
        for column in (
            "feature_keys",
            "centroid",
            "first_day",
            "last_day",
            "countries",
            "actors",
            "incidents",
        ):
            conn.execute(sa.text(f"ALTER TABLE stories DROP COLUMN {column}"))
        for table in ("story_postings", "story_terms", "corpus_state"):
            conn.execute(sa.text(f"DROP TABLE {table}"))
        conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version > 6))
    engine.dispose()
    with Store(path) as store:
        # Opened: migrated, the old results still there to read.
        assert len(store.stories()) == len(old.stories)
        _add(store, ARTICLES[70:100])
        # No watermark yet: the first refresh takes in every article, from a clean slate.
        assert desk.refresh(store, settings=load_settings()).processed == 100
        assert _stored(store) == _in_memory(analyse_corpus(ARTICLES[:100]))


def test_story_index_state_in_the_store_answers_as_the_memory_one(tmp_path: Path) -> None:
    # Postings longer than the cap are counted in the database and never read out.
    with Store(tmp_path / "store.sqlite") as store:
        _add(store, ARTICLES[:10])
        desk.refresh(store, settings=load_settings())
        with store.transaction("looking") as conn:
            state = StoreStoryState(conn, articles=10, latest_bucket=None)
            keys = [
                row.key
                for row in conn.execute(sa.select(schema.story_postings.c.key).distinct().limit(5))
            ]
            buckets = sorted(
                {row.bucket for row in conn.execute(sa.select(schema.story_postings.c.bucket))}
            )
            wanted: list[int | None] = [b if b != schema.UNDATED_BUCKET else None for b in buckets]
            found = state.postings(keys, wanted, most=400)
            assert any(found)
            assert not any(state.postings(keys, wanted, most=0))


# -- the command line -------------------------------------------------------------------------


def _run(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def test_refresh_command_takes_in_new_articles_and_says_what_it_did(tmp_path: Path) -> None:
    db = str(tmp_path / "store.sqlite")
    with Store(db) as store:
        _add(store, ARTICLES[:40])
    done = _run("refresh", "--db", db)
    assert done.exit_code == 0, done.output
    assert "Took 40 new article(s)" in done.stdout
    assert "stories" in done.stdout
    again = _run("refresh", "--db", db)
    assert "Nothing new" in again.stdout
    config = tmp_path / "other.toml"
    config.write_text("[corpus]\nstory_window_days = 3\n", encoding="utf-8")
    refused = _run("refresh", "--db", db, "--config", str(config))
    assert refused.exit_code != 0
    assert "E445" in refused.output and "--full" in refused.output
    redone = _run("refresh", "--full", "--db", db, "--config", str(config))
    assert redone.exit_code == 0, redone.output
    assert "Recomputed the corpus results" in redone.stdout
