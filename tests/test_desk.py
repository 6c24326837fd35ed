"""The desk end to end, as a user drives it: ``newsdesk ingest`` over a realistic folder, then the
query commands, a rerun, a real PostgreSQL server, and a real process killed mid-ingest.

The corpus is built once per module in ``tmp_path`` from the project's demo articles and the
sample (when ../shared holds it), plus variants made here: an exact duplicate, republished
copies (new headline and byline; one adds an "(AFP) -" dateline; each changes a death toll), an
aggregator stitching paragraphs of two demo articles, and a second, shorter Panjshir report.
Folder names fix the order of arrival, so every original arrives before its copies.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk import desk as desk_api
from newsdesk.corpus.desk import analyse_corpus
from newsdesk.corpus.store import HIT_END, HIT_START, Store
from newsdesk.faces.cli import EXIT_USAGE, app
from newsdesk.records import Article, MergedEvent, Story
from newsdesk.settings import Settings

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "panjshir-2021-08-24.txt"

runner = CliRunner()

# Roles of the files the corpus is made of, by name.
KHARKIV = "ukraine-kharkiv-drones.txt"
SUDAN = "sudan-el-fasher.txt"
ANDARAB = "afghanistan-andarab.txt"


# -- the corpus -----------------------------------------------------------------------------------


def _paragraphs(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n\n")


def _changed(text: str, old: str, new: str) -> str:
    assert old in text, f"the demo article no longer says {old!r}: update this test"
    return text.replace(old, new)


def _build_corpus(root: Path, demo: dict[str, bytes], sample: str | None) -> dict[str, Path]:
    """Write the corpus under ``root``; return its files by role."""
    files: dict[str, Path] = {}

    def put(role: str, relative: str, data: bytes | str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        files[role] = path

    # Inputs that cannot be read come first: the run must go on after them.
    put("binary", "0-junk/scan.bin", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    put("empty", "0-junk/empty.txt", b"")
    for name, data in sorted(demo.items()):
        put(name, f"1-wire/{name}", data)
    put("duplicate", f"2-mirror/{SUDAN}", demo[SUDAN])

    # A republisher's copy: new headline and byline, the AFP body kept, one toll changed.
    kharkiv = _paragraphs(demo[KHARKIV])
    copy = [
        "Drone attack on Kharkiv apartment block and printing works leaves dead and wounded",
        "By Staff Reporter, Eastern Europe Wire",
        _changed(kharkiv[1], "killing at least four people", "killing at least seven people"),
        *kharkiv[2:],
    ]
    put("kharkiv-copy", "3-republished/kharkiv-drones.txt", "\n\n".join(copy))

    # A copy of a staff report that adds an "(AFP) -" dateline the original never had, and a
    # different toll.
    andarab = _paragraphs(demo[ANDARAB])
    assert andarab[1].startswith("By "), "the Andarab demo article lost its byline paragraph"
    copy = [
        "Resistance fighters say they overran Taliban posts in Andarab",
        "By Wire Staff\nPublished: 14 May 2024",
        "KABUL (AFP) - " + andarab[2],
        _changed(andarab[3], "killed at least 12 Taliban", "killed at least 20 Taliban"),
        *andarab[4:],
    ]
    put("andarab-copy", "3-republished/andarab-afp.txt", "\n\n".join(copy))

    # An aggregator stitching two Reuters paragraphs from Darfur and two AFP ones from Kharkiv.
    sudan = _paragraphs(demo[SUDAN])
    stitched = [
        "World briefing: Darfur and Kharkiv",
        "By Digest Desk",
        sudan[1],
        sudan[2],
        kharkiv[1],
        kharkiv[2],
    ]
    put("aggregator", "4-aggregator/briefing.txt", "\n\n".join(stitched))

    if sample is not None:
        put("panjshir", "5-panjshir/panjshir-a.txt", sample)
        # A second report made from the sample: another title, the hashtag paragraphs and the
        # AFP photo section dropped.
        kept = [
            p for i, p in enumerate(sample.split("\n\n"), 1) if i not in {1, 2, 3, *range(16, 23)}
        ]
        title = (
            "Panjshir resistance says it is ready to fight as Taliban fighters head to the valley"
        )
        put("panjshir-second", "5-panjshir/panjshir-b.txt", "\n\n".join([title, *kept]))
    return files


_ROW = re.compile(r"^\s*[│|┃]?\s*([a-z][a-z -]*?)\s*[│|┃]?\s+(\d+)\s*[│|┃]?\s*$")


def _summary(output: str) -> dict[str, int]:
    """The counts table ``newsdesk ingest`` prints, as a dict."""
    return {m[1]: int(m[2]) for line in output.splitlines() if (m := _ROW.match(line))}


def _ingest(folder: Path, db: str) -> dict[str, int]:
    result = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    counts = _summary(result.stdout)
    assert "ingested" in counts or "already done" in counts, result.stdout
    return counts


@dataclass
class Desk:
    folder: Path
    db: Path
    files: dict[str, Path]
    first: dict[str, int]
    """The summary of the first ingest."""
    ids: dict[str, str]
    """Stored article id by role (inputs that were stored under their own source)."""

    @property
    def inputs(self) -> int:
        return len(self.files)

    def store(self) -> Store:
        return Store(self.db)

    def article(self, role: str) -> Article:
        with self.store() as store:
            found = store.get_article(self.ids[role])
        assert found is not None
        return found


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, demo_articles: dict[str, bytes]) -> Desk:
    root = tmp_path_factory.mktemp("desk")
    folder = root / "reports"
    sample = SAMPLE.read_text(encoding="utf-8") if SAMPLE.is_file() else None
    files = _build_corpus(folder, demo_articles, sample)
    db = root / "desk.sqlite"
    first = _ingest(folder, str(db))
    with Store(db) as store:
        frame = store.articles_frame()
    by_source = dict(zip(frame["source"], frame["id"], strict=True))
    ids = {role: by_source[str(path)] for role, path in files.items() if str(path) in by_source}
    return Desk(folder=folder, db=db, files=files, first=first, ids=ids)


def _story_of(stories: list[Story], article_id: str) -> Story:
    found = [story for story in stories if article_id in story.articles]
    assert len(found) == 1, (article_id, found)
    return found[0]


def _reported_by(event: MergedEvent) -> set[str]:
    return {mention.article for mention in event.mentions}


def _copied_block(article: Article, copies: set[tuple[str, int]], event_index: int) -> bool:
    """Whether the event stands in a block of the article that the store says is a copy."""
    trigger = article.events[event_index].trigger
    return any(
        block.start <= trigger.start < block.end and (article.id, index) in copies
        for index, block in enumerate(article.blocks)
    )


def _sources_added_by_copy(desk: Desk, copy_role: str) -> list[tuple[str, int, int]]:
    """Merged events whose count of independent sources the copy raised.

    The corpus is analysed again without the copy (the stored records, no spaCy); each merged
    event that the copy reports only from copied blocks is compared with the event its other
    mentions make without it. Returns (type, sources with the copy, sources without).
    """
    copy_id = desk.ids[copy_role]
    with desk.store() as store:
        articles = list(store.iter_articles())
        merged = store.merged_events()
        copies = {(record.article, record.block) for record in store.syndication(copy_id)}
    by_id = {article.id: article for article in articles}
    without = analyse_corpus([a for a in articles if a.id != copy_id]).merged
    by_mentions = {
        frozenset((m.article, m.event) for m in event.mentions): event for event in without
    }
    raised = []
    compared = 0
    for event in merged:
        mine = [m for m in event.mentions if m.article == copy_id]
        others = frozenset((m.article, m.event) for m in event.mentions if m.article != copy_id)
        if not mine or not others:
            continue
        if not all(_copied_block(by_id[copy_id], copies, m.event) for m in mine):
            continue
        alone = by_mentions.get(others)
        if alone is None:
            continue
        compared += 1
        if event.sources != alone.sources:
            raised.append((event.type, event.sources, alone.sources))
    assert compared, f"no merged event of the {copy_role} to compare"
    return raised


# -- 1. the corpus ingested ------------------------------------------------------------------------


def test_ingest_summary_counts_every_input(desk: Desk) -> None:
    distinct = desk.inputs - 3  # the duplicate, the binary file and the empty file
    assert desk.first.get("already done", 0) == 0
    assert desk.first["ingested"] == distinct
    assert desk.first["duplicate"] == 1
    assert desk.first["rejected"] == 2
    assert desk.first["stories"] >= 1
    assert desk.first["merged events"] >= 1
    with desk.store() as store:
        counts = store.counts()
        frame = store.articles_frame()
    assert counts["articles"] == distinct
    # The two unreadable inputs; the duplicate is no rejection (the store records its source).
    assert counts["rejected"] == 2
    assert frame["id"].is_unique
    assert desk.first["stories"] == counts["stories"]
    assert desk.first["merged events"] == counts["merged_events"]
    assert desk.first["syndicated blocks"] == counts["syndication"]


def test_exact_duplicate_is_stored_once(desk: Desk) -> None:
    with desk.store() as store:
        frame = store.articles_frame()
    sources = set(frame["source"])
    assert str(desk.files[SUDAN]) in sources
    assert str(desk.files["duplicate"]) not in sources
    assert (frame["id"] == desk.ids[SUDAN]).sum() == 1
    assert (frame["title"] == frame.loc[frame["id"] == desk.ids[SUDAN], "title"].iloc[0]).sum() == 1


def test_syndicated_copy_links_its_blocks_to_the_original_with_the_agency(desk: Desk) -> None:
    original, copy = desk.article(KHARKIV), desk.article("kharkiv-copy")
    with desk.store() as store:
        records = [r for r in store.syndication(copy.id) if r.article == copy.id]
    assert {r.source_article for r in records} == {original.id}
    assert {r.agency for r in records} == {"AFP"}
    # Every long body paragraph of the copy is found, each at the block it came from.
    long_body = [i for i, b in enumerate(copy.blocks) if b.kind == "body" and b.end - b.start >= 80]
    assert {r.block for r in records} >= set(long_body[1:])  # [0]: the headline may be body
    for record in records:
        assert record.source_block is not None
        ours = copy.text[copy.blocks[record.block].start : copy.blocks[record.block].end]
        theirs = original.text[
            original.blocks[record.source_block].start : original.blocks[record.source_block].end
        ]
        if ours == theirs:
            assert record.similarity == 1.0
        else:  # the paragraph whose toll the copy changed
            assert "seven" in ours and "four" in theirs
            assert 0.5 <= record.similarity < 1.0


def test_copy_adding_a_dateline_records_the_credited_agency(desk: Desk) -> None:
    original, copy = desk.article(ANDARAB), desk.article("andarab-copy")
    with desk.store() as store:
        records = [r for r in store.syndication(copy.id) if r.article == copy.id]
    assert records
    assert {r.source_article for r in records} == {original.id}
    # The dateline is set apart as a dateline block; the paragraph it opened is the next one.
    dateline = next(
        i for i, b in enumerate(copy.blocks) if copy.text[b.start : b.end].startswith("KABUL (AFP)")
    )
    assert copy.blocks[dateline].kind == "dateline"
    lead = next(i for i in range(dateline + 1, len(copy.blocks)) if copy.blocks[i].kind == "body")
    assert next(r for r in records if r.block == lead).agency == "AFP"


def test_aggregator_blocks_point_to_the_articles_they_were_taken_from(
    desk: Desk, demo_articles: dict[str, bytes]
) -> None:
    aggregator = desk.article("aggregator")
    with desk.store() as store:
        records = {
            r.block: r for r in store.syndication(aggregator.id) if r.article == aggregator.id
        }
    expected = {
        KHARKIV: ("AFP", _paragraphs(demo_articles[KHARKIV])[1:3]),
        SUDAN: ("Reuters", _paragraphs(demo_articles[SUDAN])[1:3]),
    }
    checked = 0
    for index, block in enumerate(aggregator.blocks):
        text = aggregator.text[block.start : block.end]
        for role, (agency, paragraphs) in expected.items():
            # A paragraph opening with a dateline is stored without it (a metadata block).
            if block.kind == "body" and any(
                text.strip() and p.strip().endswith(text.strip()) for p in paragraphs
            ):
                assert index in records, f"block {index} ({text[:40]}...) not recorded"
                assert records[index].source_article == desk.ids[role]
                assert records[index].agency == agency
                checked += 1
    assert checked == 4


def test_copies_join_the_story_of_their_original(desk: Desk) -> None:
    with desk.store() as store:
        stories = store.stories()
    for original, copy in ((KHARKIV, "kharkiv-copy"), (ANDARAB, "andarab-copy")):
        assert desk.ids[copy] in _story_of(stories, desk.ids[original]).articles
    # Every stored article is in exactly one story; reports of different conflicts never share.
    with desk.store() as store:
        stored = set(store.articles_frame()["id"])
    assert Counter(a for story in stories for a in story.articles) == Counter(stored)
    originals = [desk.ids[name] for name in desk.files if name.endswith((".txt", ".html"))]
    assert len({_story_of(stories, article).id for article in originals}) == len(originals)


def test_merged_events_count_a_syndicated_copy_once(desk: Desk) -> None:
    pair = {desk.ids[KHARKIV], desk.ids["kharkiv-copy"]}
    with desk.store() as store:
        both = [e for e in store.merged_events() if _reported_by(e) == pair]
    assert both, "no event merged across the Kharkiv report and its copy"
    for event in both:
        # All AFP copy: one independent source, however many mentions.
        assert event.sources == 1 < len(event.mentions), event
        assert {m.publisher for m in event.mentions} == {"AFP"}
    assert _sources_added_by_copy(desk, "kharkiv-copy") == []


def test_conflicting_tolls_are_side_by_side_with_their_claimants(desk: Desk) -> None:
    with desk.store() as store:
        merged = store.merged_events()
    cases = (
        (KHARKIV, "kharkiv-copy", "at least four people", "at least seven people"),
        (ANDARAB, "andarab-copy", "at least 12 Taliban", "at least 20 Taliban"),
    )
    for original, copy, old, new in cases:
        pair = {desk.ids[original], desk.ids[copy]}
        found = [
            e
            for e in merged
            if pair <= _reported_by(e)
            and any(old in c.content.text for c in e.conflicts)
            and any(new in c.content.text for c in e.conflicts)
        ]
        assert found, f"the {copy}'s toll is not set against the original's"
        for claim in found[0].conflicts:
            assert claim.claimant, claim
        sides = {
            c.content.text
            for c in found[0].conflicts
            if old in c.content.text or new in c.content.text
        }
        assert len(sides) >= 2


def test_copy_that_adds_an_agency_credit_still_counts_once(desk: Desk) -> None:
    assert _sources_added_by_copy(desk, "andarab-copy") == []


def test_aggregator_event_merges_with_the_report_it_copies(desk: Desk) -> None:
    """The aggregator's Kharkiv paragraphs sit in another story (its Darfur paragraphs lead),
    and one of them starts with a dateline the report lacks: the copied events still merge."""
    with desk.store() as store:
        merged = store.merged_events()
    aggregator, kharkiv = desk.ids["aggregator"], desk.ids[KHARKIV]
    assert any({aggregator, kharkiv} <= _reported_by(e) for e in merged)


@pytest.mark.shared
def test_the_panjshir_reports_are_one_story_with_merged_events(
    desk: Desk, sample_text: str
) -> None:
    first, second = desk.ids["panjshir"], desk.ids["panjshir-second"]
    with desk.store() as store:
        story = _story_of(store.stories(), first)
        records = [r for r in store.syndication(second) if r.article == second]
        merged = store.merged_events(story=story.id)
    assert second in story.articles
    assert "AF" in story.countries
    assert records and {r.source_article for r in records} == {first}
    both = [e for e in merged if {first, second} <= _reported_by(e)]
    assert len(both) >= 5
    assert any(e.sources < len(e.mentions) for e in both)
    # Events the second report tells only in paragraphs copied from the first gain no source.
    assert _sources_added_by_copy(desk, "panjshir-second") == []


# -- 2. rejections ---------------------------------------------------------------------------------


def test_unreadable_inputs_are_rejected_with_reasons_and_the_run_goes_on(desk: Desk) -> None:
    with desk.store() as store:
        rejected = {r.source: r for r in store.rejected()}
        stored = set(store.articles_frame()["source"])
    assert set(rejected) == {str(desk.files["binary"]), str(desk.files["empty"])}
    assert rejected[str(desk.files["binary"])].code == "R103"
    assert rejected[str(desk.files["empty"])].code == "R101"
    assert all(r.reason for r in rejected.values())
    # The junk came first; everything after it was still read.
    assert str(desk.files[KHARKIV]) in stored
    assert desk.first["rejected"] == 2


# -- 3. idempotence --------------------------------------------------------------------------------


def test_ingesting_the_same_folder_again_adds_nothing(desk: Desk) -> None:
    with desk.store() as store:
        before = store.counts()
        stories = [s.id for s in store.stories()]
        merged = [e.id for e in store.merged_events()]
    again = _ingest(desk.folder, str(desk.db))
    assert again.get("ingested", 0) == 0
    assert again.get("rejected", 0) == 0
    # Every input already stored or rejected is skipped, the exact duplicate too: the store
    # recorded its source, so it is not analysed again.
    assert again["already done"] == desk.inputs
    assert again.get("duplicate", 0) == 0
    with desk.store() as store:
        assert store.counts() == before
        assert [s.id for s in store.stories()] == stories
        assert [e.id for e in store.merged_events()] == merged


def _results(store: Store) -> dict[str, list[str]]:
    return {
        "syndication": sorted(r.model_dump_json() for r in store.syndication()),
        "stories": sorted(s.model_dump_json() for s in store.stories()),
        "merged": sorted(m.model_dump_json() for m in store.merged_events()),
    }


def test_refreshes_in_chunks_equal_a_full_refresh_and_the_memory_engine(
    desk: Desk, tmp_path: Path, settings: Settings
) -> None:
    """The desk corpus's analysed articles stored again a few at a time, the corpus refreshed
    after each chunk in batches of two: the same syndication, stories and merged events as the
    ingest's own refresh, a full refresh and the in-memory engine on the same arrival order."""
    with desk.store() as store:
        articles = list(store.iter_articles())
        ingested = _results(store)
    small = replace(settings, corpus=replace(settings.corpus, batch_articles=2))
    with Store(tmp_path / "chunks.sqlite") as chunks:
        start = 0
        for size in (3, 1, 4, len(articles)):
            for article in articles[start : start + size]:
                chunks.add_article(article)
            start += size
            done = desk_api.refresh(chunks, settings=small)
        assert desk_api.refresh(chunks, settings=small).processed == 0
        chunked = _results(chunks)
        full = desk_api.refresh(chunks, settings=settings, full=True)
        assert full.processed == len(articles)
        replayed = _results(chunks)
    memory = analyse_corpus(articles)
    assert done.near_duplicates == len(memory.duplicates)
    assert chunked == replayed == ingested
    assert ingested == {
        "syndication": sorted(r.model_dump_json() for r in memory.syndication),
        "stories": sorted(s.model_dump_json() for s in memory.stories),
        "merged": sorted(m.model_dump_json() for m in memory.merged),
    }


# -- 5. queries ------------------------------------------------------------------------------------


def _json_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def _query(desk: Desk, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, [*args, "--db", str(desk.db), "--json"])
    assert result.exit_code == 0, result.output
    return _json_lines(result.stdout)


def test_events_filtered_by_country_and_type(desk: Desk) -> None:
    rows = _query(desk, "events", "--mentions", "--country", "ua", "--type", "assault")
    with desk.store() as store:
        expected = store.events(country="UA", type="ASSAULT")
        total = len(store.events())
    assert rows and len(rows) < total
    assert sorted((r["article_id"], r["index"]) for r in rows) == sorted(
        (e.article_id, e.index) for e in expected
    )
    # Newest first (an event without a date of its own is dated by its article).
    dates = [str(r["date"] or r["published"] or "") for r in rows]
    assert dates == sorted(dates, reverse=True)
    assert {r["country"] for r in rows} == {"UA"}
    assert {r["type"] for r in rows} == {"ASSAULT"}
    assert desk.ids[KHARKIV] in {r["article_id"] for r in rows}
    assert all(r["evidence"] and r["trigger"] in r["evidence"] for r in rows)


def test_claims_by_actor(desk: Desk) -> None:
    rows = _query(desk, "claims", "--actor", "GRP.RSF")
    with desk.store() as store:
        expected = store.claims(actor="grp.rsf")
    assert rows
    assert [(r["article_id"], r["index"]) for r in rows] == [
        (c.article_id, c.index) for c in expected
    ]
    assert {r["claimant_actor"] for r in rows} == {"GRP.RSF"}
    assert desk.ids[SUDAN] in {r["article_id"] for r in rows}
    assert {r["stance"] for r in rows} >= {"deny"}  # "The RSF denied that its attack had failed"


def test_search_finds_every_article_holding_the_phrase(desk: Desk) -> None:
    rows = _query(desk, "search", '"printing works"')
    with desk.store() as store:
        holding = {a.id for a in store.iter_articles() if "printing works" in a.text.lower()}
    assert {desk.ids[KHARKIV], desk.ids["kharkiv-copy"], desk.ids["aggregator"]} <= holding
    assert {r["article_id"] for r in rows} == holding
    assert all(f"{HIT_START}" in r["snippet"] and HIT_END in r["snippet"] for r in rows)
    # Shown as places 1, 2, 3..., best first (the store keeps the raw score apart).
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))


def test_stories_and_one_story(desk: Desk) -> None:
    listed = [Story.model_validate(row) for row in _query(desk, "stories")]
    with desk.store() as store:
        assert listed == store.stories()
        kharkiv = _story_of(listed, desk.ids[KHARKIV])
        expected = store.merged_events(story=kharkiv.id)
    lines = _query(desk, "story", kharkiv.id)
    assert Story.model_validate(lines[0]) == kharkiv
    events = [MergedEvent.model_validate(line) for line in lines[1:]]
    assert [e.id for e in events] == [e.id for e in expected]
    assert any(e.conflicts for e in events)
    assert all(set(kharkiv.articles) & _reported_by(e) for e in events)


def test_story_table_and_unknown_story(desk: Desk) -> None:
    with desk.store() as store:
        kharkiv = _story_of(store.stories(), desk.ids[KHARKIV])
    shown = runner.invoke(app, ["story", kharkiv.id, "--db", str(desk.db)])
    assert shown.exit_code == 0, shown.output
    assert "Merged events" in shown.stdout
    missing = runner.invoke(app, ["story", "story-0000000000000000", "--db", str(desk.db)])
    assert missing.exit_code == EXIT_USAGE
    assert missing.stdout == ""
    assert len(missing.stderr.strip().splitlines()) == 1
    assert "no story 'story-0000000000000000'" in missing.stderr


# -- the same corpus on PostgreSQL ---------------------------------------------------------------


def _partition(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(story.articles) for story in stories}


def test_the_same_ingest_on_postgresql_gives_the_same_store(desk: Desk, postgres_url: str) -> None:
    counts = _ingest(desk.folder, postgres_url)
    assert counts["ingested"] == desk.first["ingested"]
    assert counts["duplicate"] == 1
    assert counts["rejected"] == 2
    with Store(postgres_url) as pg, desk.store() as lite:
        assert pg.counts() == lite.counts()
        assert sorted(pg.articles_frame()["id"]) == sorted(lite.articles_frame()["id"])
        assert sorted(pg.rejected(), key=str) == sorted(lite.rejected(), key=str)
        assert pg.syndication() == lite.syndication()
        assert _partition(pg.stories()) == _partition(lite.stories())
        assert [e.id for e in pg.merged_events()] == [e.id for e in lite.merged_events()]
        assert [e.sources for e in pg.merged_events()] == [e.sources for e in lite.merged_events()]
        assert {h.article_id for h in pg.search('"printing works"')} == {
            h.article_id for h in lite.search('"printing works"')
        }
        assert [(e.article_id, e.index) for e in pg.events(country="UA", type="ASSAULT")] == [
            (e.article_id, e.index) for e in lite.events(country="UA", type="ASSAULT")
        ]
    rows = _query_url(postgres_url, "claims", "--actor", "GRP.RSF")
    assert {r["claimant_actor"] for r in rows} == {"GRP.RSF"}


def _query_url(url: str, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, [*args, "--db", url, "--json"])
    assert result.exit_code == 0, result.output
    return _json_lines(result.stdout)


# -- 4. a real process killed in the middle of an ingest -------------------------------------------

CRASH_ARTICLES = 40


def _crash_corpus(folder: Path, demo: dict[str, bytes]) -> list[Path]:
    """~40 distinct reports (the text demo articles, each lightly edited several ways) and two
    inputs that are rejected."""
    texts = sorted(
        (name, data.decode("utf-8")) for name, data in demo.items() if name.endswith(".txt")
    )
    paths = []
    for number in range(CRASH_ARTICLES):
        name, text = texts[number % len(texts)]
        headline, _, rest = text.partition("\n\n")
        edited = (
            f"{headline} (update {number})\n\n{rest.rstrip()}\n\n"
            f"This report was updated at {number % 24:02d}:{number:02d} GMT with details from "
            f"the regional desk, edition {number}."
        )
        path = folder / f"{number:02d}-{name}"
        path.write_text(edited, encoding="utf-8")
        paths.append(path)
    for name, data in (("zz-blob.bin", bytes(range(256)) * 8), ("zz-empty.txt", b"")):
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


def _newsdesk(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "newsdesk", "ingest", str(folder), "--db", str(db)]


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSDESK_DB", "NEWSDESK_CONFIG")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _articles_now(db: Path) -> int:
    if not db.exists():
        return 0
    with Store(db) as store:
        return store.counts()["articles"]


def test_a_killed_ingest_resumes_without_loss_or_duplicates(
    tmp_path: Path, demo_articles: dict[str, bytes]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    inputs = _crash_corpus(folder, demo_articles)
    db = tmp_path / "crash.sqlite"
    log = tmp_path / "first.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            _newsdesk(folder, db), stdout=out, stderr=subprocess.STDOUT, env=_child_env()
        )
        try:
            deadline = time.monotonic() + 240
            while _articles_now(db) < 3:
                assert process.poll() is None, "ingest ended before it could be killed:\n" + (
                    log.read_text(errors="replace")
                )
                assert time.monotonic() < deadline, "no article stored in 240 s"
                time.sleep(0.02)
            assert process.poll() is None, "ingest ended before it could be killed"
            os.kill(process.pid, signal.SIGKILL)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    with Store(db) as store:
        killed_at = store.counts()
        done_before = store.known_sources()
    assert 3 <= killed_at["articles"] < CRASH_ARTICLES

    rerun = subprocess.run(
        _newsdesk(folder, db),
        capture_output=True,
        text=True,
        env=_child_env(),
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    summary = _summary(rerun.stdout)
    assert summary["already done"] == len(done_before)
    assert summary.get("ingested", 0) == CRASH_ARTICLES - killed_at["articles"]
    assert summary.get("duplicate", 0) == 0

    with Store(db) as store:
        counts = store.counts()
        frame = store.articles_frame()
        rejected = store.rejected()
        articles = list(store.iter_articles())
        events = Counter(e.article_id for e in store.events())
        claims = Counter(c.article_id for c in store.claims())
        event_indexes: dict[str, set[int]] = {}
        for event in store.events():
            event_indexes.setdefault(event.article_id, set()).add(event.index)
        hits = store.search('"regional desk"', limit=100)
    # No loss: every input is an article or a rejection; no duplicates.
    assert counts["articles"] == CRASH_ARTICLES
    assert frame["id"].is_unique and frame["source"].is_unique
    assert len(rejected) == 2
    assert set(frame["source"]) | {r.source for r in rejected} == {str(p) for p in inputs}
    # No half-written article: each record's events, claims and entities are all in the rows.
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        entities = Counter(
            dict(conn.execute("SELECT article_id, count(*) FROM entities GROUP BY 1"))
        )
    for article in articles:
        assert events[article.id] == len(article.events), article.id
        assert event_indexes.get(article.id, set()) == set(range(len(article.events)))
        assert claims[article.id] == len(article.claims), article.id
        assert entities[article.id] == len(article.entities), article.id
    assert {h.article_id for h in hits} == {a.id for a in articles}
    assert counts["stories"] >= 1 and counts["merged_events"] >= 1


# -- 6. the desk's command line: merged events, checked filters, tables that fit ------------------


def test_events_are_merged_by_default_newest_first_with_toll_and_evidence(desk: Desk) -> None:
    rows = _query(desk, "events", "--country", "UA")
    mentions = _query(desk, "events", "--mentions", "--country", "UA")
    assert rows and len(rows) < len(mentions)  # the Kharkiv copy's events are merged, not doubled
    dates = [str(r["date"] or "") for r in rows]
    assert dates == sorted(dates, reverse=True)
    assert all(r["evidence"] and 0 <= float(str(r["confidence"])) <= 1 for r in rows)
    kharkiv = {desk.ids[KHARKIV], desk.ids["kharkiv-copy"]}
    with desk.store() as store:
        merged = {e.id: e for e in store.merged_events()}
    both = [r for r in rows if kharkiv <= _reported_by(merged[str(r["id"])])]
    assert both and all(int(str(r["reports"])) >= 2 for r in both)
    # The original says four dead and the copy seven: the killing is shown with a toll.
    assert any(r["fatalities"] is not None and float(str(r["fatalities"])) >= 4 for r in both)


def test_events_unknown_country_or_type_is_an_error_listing_valid_values(desk: Desk) -> None:
    mali = runner.invoke(app, ["events", "--country", "Mali", "--db", str(desk.db)])
    assert mali.exit_code == EXIT_USAGE
    assert "[E422]" in mali.stderr and "ML" in mali.stderr
    bombing = runner.invoke(app, ["events", "--type", "BOMBING", "--db", str(desk.db)])
    assert bombing.exit_code == EXIT_USAGE
    assert "[E423]" in bombing.stderr and "ASSAULT" in bombing.stderr


def test_events_date_filter_counts_the_undated(desk: Desk) -> None:
    with desk.store() as store:
        undated = sum(1 for e in store.events() if e.date is None and e.published is None)
    result = runner.invoke(app, ["events", "--mentions", "--since", "2000", "--db", str(desk.db)])
    assert result.exit_code == 0, result.output
    merged = runner.invoke(app, ["events", "--since", "2000", "--db", str(desk.db)])
    if undated:
        assert f"{undated} event(s) have no date" in result.stderr
        assert "have no date" in merged.stderr
    else:
        assert "no date" not in result.stderr + merged.stderr


@pytest.mark.parametrize(
    "command", [["events"], ["events", "--mentions"], ["claims"], ["stories"], ["rejected"]]
)
def test_tables_fit_80_columns_with_ellipses(desk: Desk, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--db", str(desk.db)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    assert "…" in result.stdout
    wide = runner.invoke(app, [*command, "--wide", "--db", str(desk.db)], env={"COLUMNS": "80"})
    assert wide.exit_code == 0
    assert len(wide.stdout.splitlines()) > len(lines)  # full text wraps instead


def test_rejected_lists_origin_code_and_reason(desk: Desk) -> None:
    rows = _query(desk, "rejected")
    by_source = {str(r["source"]): r for r in rows}
    assert by_source[str(desk.files["binary"])]["code"] == "R103"
    assert by_source[str(desk.files["empty"])]["code"] == "R101"
    assert all(r["reason"] for r in rows)
    table = runner.invoke(app, ["rejected", "--db", str(desk.db)])
    assert "R103" in table.stdout and "2 rejected input(s)" in table.stderr


def test_ingest_summary_names_the_store_as_given(desk: Desk) -> None:
    result = runner.invoke(app, ["ingest", str(desk.folder), "--db", str(desk.db)])
    assert result.exit_code == 0, result.output
    assert "sqlite+pysqlite" not in result.stdout
    assert desk.db.name in result.stdout
    # Nothing was redone: the summary says so, and does not claim to have resumed anything.
    assert "Nothing new" in result.stdout
    assert "resumed" not in result.stdout
