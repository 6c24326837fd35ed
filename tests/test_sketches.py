"""Syndication's state in memory and in the store: one algorithm, the same answers."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from _articles import article_of, segmented_article_of
from newsdesk.corpus import migrations, schema
from newsdesk.corpus.sketches import (
    WHOLE,
    MemorySketches,
    NewSketch,
    StoredSketches,
    band_keys,
    lsh_bands,
)
from newsdesk.corpus.store import Store
from newsdesk.corpus.syndication import SyndicationIndex
from newsdesk.errors import StoreError
from newsdesk.records import Article, Syndication
from newsdesk.settings import load_settings
from test_syndication import AFP_1, AFP_2, KIGALI, OWN, REUTERS_1, REUTERS_2, REUTERS_3, UNRELATED


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return url


def _edit(paragraph: str) -> str:
    edited = paragraph.split(" - ", 1)[-1]
    return edited.replace("Tuesday", "Tuesday morning").replace("massed", "gathered")


def _corpus() -> list[Article]:
    """Copies, late originals, undated copies, stitched blogs and credited blocks, in the
    order they arrive (not the order they were published)."""
    return [
        article_of([REUTERS_2, REUTERS_3], publisher="Daily Star", published="2021-08-26"),
        article_of([REUTERS_1, REUTERS_2, REUTERS_3], publisher="Reuters", published="2021-08-24"),
        article_of([AFP_1, AFP_2], publisher="Agence France-Presse", published="2021-08-24"),
        article_of([REUTERS_2, OWN, AFP_2, AFP_1], publisher="AceNewsDesk", published=None),
        article_of(
            [_edit(REUTERS_1), REUTERS_2, REUTERS_3.replace("hundreds", "scores")],
            publisher="Kabul Times",
            published="2021-08-25",
        ),
        article_of([OWN, AFP_1], publisher="AceNewsDesk", published="2021-08-23"),
        article_of([UNRELATED, OWN], publisher="Dawn", published="2021-08-25"),
        segmented_article_of(
            [REUTERS_1, REUTERS_2, REUTERS_3], publisher="Kabul Times", published="2021-08-22"
        ),
        segmented_article_of([KIGALI, OWN], publisher="Blog", published=None),
        article_of([REUTERS_1, REUTERS_2, REUTERS_3], publisher="Reuters", published="2021-08-24"),
        article_of(
            [REUTERS_2, REUTERS_3],
            publisher="Wire Digest",
            published="2021-08-21",
            credits={0: "AP"},
        ),
    ]


@dataclass(frozen=True)
class _Run:
    changes: list[tuple[Syndication, ...]]
    records: tuple[Syndication, ...]
    duplicates: dict[str, str]
    duplicate_of: dict[str, str | None]


def _in_memory(articles: Sequence[Article]) -> _Run:
    index = SyndicationIndex()
    changes = [index.add(article) for article in articles]
    return _Run(
        changes=changes,
        records=index.syndications(),
        duplicates=index.duplicates(),
        duplicate_of={article.id: index.duplicate_of(article.id) for article in articles},
    )


def _in_store(store: Store, articles: Sequence[Article], *, batch: int = 3) -> _Run:
    """Store each batch of articles, then index it in one transaction, as a refresh does."""
    changes: list[tuple[Syndication, ...]] = []
    for start in range(0, len(articles), batch):
        chunk = articles[start : start + batch]
        for article in chunk:
            store.add_article(article)
        with store._write("indexing") as conn:
            index = SyndicationIndex(state=StoredSketches(conn))
            changes.extend(index.add(article) for article in chunk)
    with store._write("reading") as conn:
        index = SyndicationIndex(state=StoredSketches(conn))
        run = _Run(
            changes=changes,
            records=index.syndications(),
            duplicates=index.duplicates(),
            duplicate_of={article.id: index.duplicate_of(article.id) for article in articles},
        )
    # The records land in the store's own table, in the same order.
    assert tuple(store.syndication()) == run.records
    return run


def test_sketches_store_state_gives_the_memory_state_answers(store_url: str) -> None:
    articles = _corpus()
    expected = _in_memory(articles)
    # The corpus exercises what it is meant to: copies found late, duplicates, credits.
    assert len(expected.records) >= 10 and expected.duplicates
    assert any(r.source_article is None for r in expected.records)
    assert any(
        change and any(r.article != articles[i].id for r in change)
        for i, change in enumerate(expected.changes)
    )
    with Store(store_url) as store:
        assert _in_store(store, articles) == expected


def test_sketches_store_state_in_one_batch_and_one_by_one(tmp_path: Path) -> None:
    articles = _corpus()
    expected = _in_memory(articles)
    for batch in (1, len(articles)):
        with Store(tmp_path / f"{batch}.sqlite") as store:
            assert _in_store(store, articles, batch=batch) == expected


def test_sketches_clear_forgets_everything(store_url: str) -> None:
    articles = _corpus()
    with Store(store_url) as store:
        _in_store(store, articles)
        with store._write("clearing") as conn:
            StoredSketches.clear(conn)
            state = StoredSketches(conn)
            assert len(state) == 0 and articles[0].id not in state
            assert state.duplicates() == {}
        assert store.syndication() == []
        assert store.counts()["articles"] == len({a.id for a in articles})
        # A replay after clearing gives the same answers again.
        with store._write("replaying") as conn:
            index = SyndicationIndex(state=StoredSketches(conn))
            for article in articles:
                index.add(article)
            replayed = index.syndications()
    assert replayed == _in_memory(articles).records


def test_sketches_store_state_needs_the_article_stored(tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite") as store, store._write("indexing") as conn:
        index = SyndicationIndex(state=StoredSketches(conn))
        with pytest.raises(StoreError, match=r"^\[E440\]"):
            index.add(_corpus()[0])


def test_sketches_duplicate_of_an_article_not_indexed(tmp_path: Path) -> None:
    wire = _corpus()[1]
    later = article_of(
        [REUTERS_1, REUTERS_2, REUTERS_3], publisher="Other Paper", published="2021-08-30"
    )
    with Store(tmp_path / "store.sqlite") as store:
        store.add_article(wire)
        with store._write("indexing") as conn:
            index = SyndicationIndex(state=StoredSketches(conn))
            index.add(wire)
            assert index.duplicate_of(later) == wire.id
            assert index.duplicate_of(later.id) is None
            assert later.id not in index and len(index) == 1


def test_sketches_stored_state_is_one_sketch_per_matchable_block(tmp_path: Path) -> None:
    # A Reuters page relaying AFP copy: the opening dateline credits AFP for every paragraph.
    relay = article_of(
        [AFP_1, UNRELATED, "Reuters contributed."], publisher="Reuters", published=None
    )
    with Store(tmp_path / "store.sqlite") as store:
        store.add_article(relay)
        with store._write("indexing") as conn:
            SyndicationIndex(state=StoredSketches(conn)).add(relay)
            rows = conn.execute(
                sa.select(schema.corpus_sketches.c.block, schema.corpus_sketches.c.agency)
            ).all()
            bands = conn.scalar(sa.select(sa.func.count()).select_from(schema.corpus_bands))
    corpus = load_settings().corpus
    block_b, _ = lsh_bands(corpus.block_similarity, corpus.num_perm)
    whole_b, _ = lsh_bands(corpus.duplicate_similarity, corpus.num_perm)
    # Block -1 is the whole article, with the publisher's agency; each long paragraph a block
    # with the agency credited for it (the short sign-off is not matched on its own).
    assert sorted(rows) == [(WHOLE, "Reuters"), (0, "AFP"), (1, "AFP")]
    assert bands == whole_b + 2 * block_b


# -- banding: the same candidates as datasketch's own LSH -------------------------------------

_VOCABULARY = (
    "valley fighters talks province officials refused border convoy ceasefire city "
    "militia aid corridor minister spokesman attack village river bridge checkpoint"
)
_WORDS = st.sampled_from(_VOCABULARY.split())
_PARAGRAPH = st.lists(_WORDS, min_size=12, max_size=30).map(" ".join)


@settings(max_examples=30, deadline=None)
@given(texts=st.lists(_PARAGRAPH, min_size=2, max_size=8), threshold=st.sampled_from([0.5, 0.85]))
def test_sketches_banding_finds_what_datasketch_finds(texts: list[str], threshold: float) -> None:
    num_perm = 128
    bands = lsh_bands(threshold, num_perm)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    state = MemorySketches()
    sketches = []
    for position, text in enumerate(texts):
        sketch = MinHash(num_perm=num_perm, scheme="affine32")
        sketch.update_batch(word.encode() for word in text.split())
        sketches.append(sketch)
        lsh.insert(position, sketch)
    for position, sketch in enumerate(sketches):
        keys = band_keys(sketch.hashvalues, bands, whole=False)
        state.insert(
            str(position),
            ("2021-08-24", position),
            [NewSketch(0, sketch.hashvalues, keys, None, None)],
        )
    for sketch in sketches:
        keys = band_keys(sketch.hashvalues, bands, whole=False)
        found = {int(c.article) for c in state.candidates({0: keys})[0]}
        assert found == set(lsh.query(sketch))


def test_sketches_band_keys_are_stable_and_kind_apart() -> None:
    sketch = np.arange(128, dtype=np.uint32)
    keys = band_keys(sketch, (4, 32), whole=False)
    assert keys == band_keys(sketch.copy(), (4, 32), whole=False)
    assert len(set(keys)) == 4
    assert not set(keys) & set(band_keys(sketch, (4, 32), whole=True))
    assert all(-(2**63) <= key < 2**63 for key in keys)


# -- the property: memory and store agree on any arrival order ---------------------------------

_PUBLISHERS = st.sampled_from(["Reuters", "AFP", "Daily Star", "Blog", None])
_DATES = st.sampled_from(["2021-08-22", "2021-08-24", "2021-08-25", None])
_SOURCE = st.lists(_PARAGRAPH, min_size=4, max_size=6, unique=True)


@st.composite
def _articles(draw: st.DrawFn) -> list[Article]:
    """Articles stitched from a few shared paragraphs, some lightly edited, some credited."""
    pool = draw(_SOURCE)
    found = []
    for _ in range(draw(st.integers(2, 7))):
        picks = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4))
        paragraphs = [
            text.replace("valley", "valleys", 1) if draw(st.booleans()) else text for text in picks
        ]
        credits = {0: "AFP"} if draw(st.booleans()) else None
        found.append(
            article_of(
                paragraphs, publisher=draw(_PUBLISHERS), published=draw(_DATES), credits=credits
            )
        )
    return found


@settings(max_examples=20, deadline=None)
@given(articles=_articles(), batch=st.integers(1, 4))
def test_sketches_memory_and_store_agree(articles: list[Article], batch: int) -> None:
    expected = _in_memory(articles)
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "s.sqlite") as store:
        assert _in_store(store, articles, batch=batch) == expected


# -- the migration ----------------------------------------------------------------------------


def _make_version_6(url: str) -> None:
    """An empty store as version 6 left it, built by the migrations of the time."""
    engine = (
        sa.create_engine(f"sqlite:///{url}")
        if "://" not in url
        else sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"))
    )
    try:
        with engine.begin() as conn:
            schema.schema_version.create(conn)
            for migration in migrations.MIGRATIONS[:6]:
                migration.apply(conn)
                conn.execute(
                    schema.schema_version.insert().values(
                        version=migration.version, name=migration.name, applied_at="2026"
                    )
                )
            assert not sa.inspect(conn).has_table("corpus_sketches")
    finally:
        engine.dispose()


def test_sketches_version_6_store_gains_the_tables(store_url: str) -> None:
    _make_version_6(store_url)
    articles = _corpus()
    with Store(store_url) as store:
        with store._write("inspecting") as conn:
            inspector = sa.inspect(conn)
            assert inspector.has_table("corpus_sketches") and inspector.has_table("corpus_bands")
            unique = {
                index["name"]: index["unique"] for index in inspector.get_indexes("syndication")
            }
            assert unique.get("ux_syndication_block")
        assert _in_store(store, articles) == _in_memory(articles)
