"""The desk's commands: ingest many reports into a store, then ask it questions.

``newsdesk ingest`` reads files, folders, JSON Lines, feeds and WARC files, analyses each input,
and writes every article (or the reason it was rejected) to the store, one transaction per
article: a crash loses nothing already written, and a rerun skips what is done. Then it runs the
corpus steps (syndication, stories, merged events) over the whole store.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from itertools import islice
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsdesk.corpus.desk import analyse_corpus
from newsdesk.corpus.store import Store
from newsdesk.errors import NewsdeskError, Reasons
from newsdesk.records import Input, Rejected, Story
from newsdesk.settings import Settings

DB_ENV = "NEWSDESK_DB"
DEFAULT_DB = "newsdesk.sqlite"
# Inputs handed to the analyser at a time: enough for batching, small enough that a crash
# loses at most this many analysed-but-unwritten articles (which a rerun analyses again).
_CHUNK = 16
_SQLITE_SIDECARS = ("-wal", "-shm", "-journal")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=DB_ENV,
        help=f"Store: a SQLite file or a sqlite:/// or postgresql:// URL (default {DEFAULT_DB}).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON, one record per line.")]

_out = Console()
_err = Console(stderr=True, soft_wrap=True)


def open_store(db: str | None) -> Store:
    return Store(db or os.environ.get(DB_ENV) or DEFAULT_DB)


def ingest_paths(
    paths: Sequence[Path], *, store: Store, settings: Settings, analyzer: Any
) -> Counter[str]:
    """Analyse every input under ``paths`` into the store; return what happened, counted."""
    from newsdesk.stages.readers import count_inputs, iter_inputs

    counts: Counter[str] = Counter()
    done = store.known_sources()
    # The store's own files may sit in a folder being ingested; they are not reports.
    own = _store_files(store)
    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[status]}"),
        console=_err,
    )
    with progress:
        task = progress.add_task("ingest", total=count_inputs(paths), status="")
        stream = iter_inputs(paths, settings=settings.input)
        while chunk := [item for item in islice(stream, _CHUNK) if _origin(item) not in own]:
            fresh = [item for item in chunk if _origin(item) not in done]
            counts["resumed"] += len(chunk) - len(fresh)
            for item, result in _analyse(fresh, analyzer):
                if isinstance(result, Rejected):
                    store.add_rejected(result)
                    counts["rejected"] += 1
                elif store.add_article(result, source=_origin(item)):
                    counts["ingested"] += 1
                else:
                    # Recorded with its reason, so a rerun knows this input is done.
                    store.add_rejected(Reasons.R115.reject(source=_origin(item), article=result.id))
                    counts["duplicate"] += 1
            progress.update(task, advance=len(chunk), status=_status(counts))
    return counts


def _store_files(store: Store) -> set[str]:
    database = store.database_file
    if database is None:
        return set()
    names = {database, *(database.with_name(database.name + end) for end in _SQLITE_SIDECARS)}
    return {str(name) for name in names} | {str(Path(os.path.relpath(name))) for name in names}


def _analyse(items: list[Input | Rejected], analyzer: Any) -> Iterator[tuple[Any, Any]]:
    inputs = [item for item in items if isinstance(item, Input)]
    results = iter(analyzer.analyze_many(inputs))
    for item in items:
        yield item, item if isinstance(item, Rejected) else next(results)


def _origin(item: Input | Rejected) -> str | None:
    return item.origin if isinstance(item, Input) else item.source


def _status(counts: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


def refresh_corpus(store: Store, *, settings: Settings) -> Counter[str]:
    """Rerun syndication, stories and event merging over every stored article."""
    with _err.status("Collapsing syndication, clustering stories, merging events…"):
        results = analyse_corpus(store.iter_articles(), settings=settings.corpus)
        store.replace_corpus_results(
            syndication=results.syndication, stories=results.stories, merged=results.merged
        )
    return Counter(
        {
            "stories": len(results.stories),
            "merged events": len(results.merged),
            "syndicated blocks": len(results.syndication),
            "near-duplicate articles": len(results.duplicates),
        }
    )


def print_counts(title: str, counts: Counter[str]) -> None:
    table = Table(title=title)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, count in counts.items():
        table.add_row(name, str(count))
    _out.print(table)


def print_rows(rows: Sequence[Any], columns: Sequence[str], *, json_lines: bool) -> None:
    """Query results as a table, or as JSON lines with every field."""
    if json_lines:
        for row in rows:
            record = row.model_dump(mode="json") if hasattr(row, "model_dump") else asdict(row)
            print(json.dumps(record, ensure_ascii=False))
        return
    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(getattr(row, column)) for column in columns))
    _out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return "; ".join(str(item) for item in value)
    return str(value)


def fail(message: str, code: int) -> typer.Exit:
    _err.print(f"newsdesk: {message}", style="bold red", highlight=False)
    return typer.Exit(code)


def store_or_exit(db: str | None, code: int) -> Store:
    try:
        return open_store(db)
    except NewsdeskError as exc:
        raise fail(str(exc), code) from exc


EVENT_COLUMNS = (
    "date",
    "type",
    "status",
    "source_names",
    "target_names",
    "place",
    "country",
    "trigger",
    "article_id",
)
CLAIM_COLUMNS = ("claimant_name", "stance", "verification", "hedged", "content", "publisher")
SEARCH_COLUMNS = ("article_id", "title", "snippet", "rank")


def print_stories(stories: Sequence[Story], *, json_lines: bool) -> None:
    if json_lines:
        for story in stories:
            print(story.model_dump_json())
        return
    table = Table(title="Stories")
    for column in ("id", "title", "first seen", "last seen", "articles", "countries"):
        table.add_column(column, overflow="fold")
    for story in sorted(stories, key=lambda s: s.last_seen or "", reverse=True):
        table.add_row(
            story.id,
            story.title,
            story.first_seen or "",
            story.last_seen or "",
            str(len(story.articles)),
            " ".join(story.countries),
        )
    _out.print(table)


def print_story(store: Store, story: Story, *, json_lines: bool) -> None:
    merged = store.merged_events(story=story.id)
    if json_lines:
        print(story.model_dump_json())
        for event in merged:
            print(event.model_dump_json())
        return
    articles = Table(title=story.title)
    for column in ("article", "publisher", "published", "title"):
        articles.add_column(column, overflow="fold")
    for article_id in story.articles:
        article = store.get_article(article_id)
        if article is not None:
            articles.add_row(
                article.id, article.publisher or "", article.published or "", article.title or ""
            )
    _out.print(articles)
    events = Table(title="Merged events")
    for column in ("type", "status", "source", "target", "place", "date", "reports", "sources"):
        events.add_column(column, overflow="fold")
    events.add_column("conflicting claims", overflow="fold")
    for event in merged:
        conflicts = "; ".join(
            f"{claim.claimant or '?'} {claim.stance}s: {claim.content.text}"
            for claim in event.conflicts
        )
        events.add_row(
            event.type,
            event.status,
            "; ".join(event.source),
            "; ".join(event.target),
            event.place or "",
            event.date or "",
            str(len(event.mentions)),
            str(event.sources),
            conflicts,
        )
    _out.print(events)


def recode_articles(store: Store, *, analyzer: Any) -> Counter[str]:
    """Analyse again every article an older pipeline coded, from its stored clean text.

    The raw input is not kept, so metadata the first reading found in the HTML (title,
    publisher, authors, URL) is carried over from the stored record.
    """
    counts: Counter[str] = Counter()
    for article_id in store.stale_articles(analyzer.extractor):
        old = store.get_article(article_id)
        if old is None:
            continue
        new = analyzer.analyze(old.text, url=old.url, published=old.published, origin=old.id)
        if isinstance(new, Rejected) or new.id != old.id:
            counts["kept (could not recode)"] += 1
            continue
        store.replace_article(
            new.model_copy(
                update={
                    "title": old.title or new.title,
                    "publisher": old.publisher or new.publisher,
                    "authors": old.authors or new.authors,
                }
            )
        )
        counts["recoded"] += 1
    return counts
