"""The desk's commands as the terminal shows them: tables of what :mod:`newsdesk.desk` answers.

Printing only: ingest, recode, refresh and every query live in :mod:`newsdesk.desk`, which the
command line calls and which other faces (a web app, an API, exports) call the same way.

Tables fit the terminal: by default each cell is one line, cut with an ellipsis, and only the
columns that matter most are shown; ``--wide`` shows every column in full, ``--json`` every
field. Article and user text is never read as rich markup (the consoles have markup off).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Protocol

import typer
from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from newsdesk.corpus.syntax import HIT_END, HIT_START
from newsdesk.desk import (
    DB_ENV,
    DEFAULT_DB,
    CorpusCounts,
    EventsAnswer,
    IngestCounts,
    RecodeCounts,
    StoryView,
)
from newsdesk.records import Rejected, Story

if TYPE_CHECKING:
    from newsdesk.corpus.store import SearchHit, StoredClaim

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=DB_ENV,
        metavar="STORE",
        help=f"Store: a SQLite file or a sqlite:/// or postgresql:// URL (default {DEFAULT_DB}).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON, one record per line.")]
WideOption = Annotated[
    bool, typer.Option("--wide", help="Show every column in full (lines may wrap).")
]

# Markup, emoji codes and highlighting off: article and user text is printed as it is.
out = Console(markup=False, emoji=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)


# -- ingest and recode ----------------------------------------------------------------------------


class Counted(Protocol):
    """Counts a job reports as it goes (``IngestCounts``, ``LoadCounts``)."""

    def rows(self) -> list[tuple[str, int]]: ...


@contextmanager
def counted_progress(label: str, total: int | None) -> Iterator[Callable[[int, Counted], None]]:
    """A progress bar on stderr with the job's counts so far beside it; yields the callback
    the job reports to (how far it advanced, its counts)."""
    progress = Progress(
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[status]}", markup=False),
        console=err,
    )
    with progress:
        task = progress.add_task(label, total=total, status="")

        def advance(by: int, counts: Counted) -> None:
            status = ", ".join(f"{name} {count}" for name, count in counts.rows())
            progress.update(task, advance=by, status=status)

        yield advance


@contextmanager
def refresh_progress() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for :func:`newsdesk.desk.refresh`, cleared when it is done;
    yields the callback the refresh reports to (articles taken in, articles to take in)."""
    progress = Progress(
        TextColumn("corpus", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    with progress:
        task: TaskID | None = None

        def advance(done: int, total: int) -> None:
            nonlocal task
            if task is None:
                task = progress.add_task("corpus", total=total)
            progress.update(task, completed=done)

        yield advance


def print_refresh(store: str, corpus: CorpusCounts, *, full: bool) -> None:
    if corpus.processed == 0:
        title = f"Nothing new for the corpus results of {store}"
    elif full:
        title = f"Recomputed the corpus results of {store} from {corpus.processed} article(s)"
    else:
        title = f"Took {corpus.processed} new article(s) into the corpus results of {store}"
    print_counts(title, corpus.rows())


def print_ingest(store: str, counts: IngestCounts, corpus: CorpusCounts) -> None:
    if counts.new == 0 and counts.already_done:
        title = f"Nothing new for {store}: every input was done by an earlier run"
    elif counts.inputs == 0:
        title = f"No inputs found; {store} unchanged"
    else:
        title = f"Ingested into {store}"
    print_counts(title, [*counts.rows(), *corpus.rows()])


def print_recode(
    store: str, extractor: str, counts: RecodeCounts, corpus: CorpusCounts | None
) -> None:
    if not counts.changed and not counts.kept:
        out.print(
            f"Nothing to recode in {store}: all {counts.up_to_date} article(s) were coded by "
            f"{extractor}."
        )
        return
    print_counts(f"Recoded in {store}", [*counts.rows(), *(corpus.rows() if corpus else [])])


def print_counts(title: str, rows: Sequence[tuple[str, object]]) -> None:
    """The title, then a table of what was counted."""
    out.print(title)
    table = Table(box=box.SIMPLE)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, count in rows:
        table.add_row(Text(name), Text(str(count)))
    out.print(table)


# -- tables ---------------------------------------------------------------------------------------


# Widths of the short columns in the compact tables; the other columns share what is left.
_WIDTHS = {
    "date": 10,
    "last seen": 10,
    "published": 10,
    "type": 8,
    "status": 8,
    "who": 14,
    "dead": 4,
    "conf": 4,
    "code": 4,
    "stance": 6,
    "hedged": 6,
    "verification": 12,
    "claimant": 14,
    "articles": 8,
    "countries": 9,
    "id": 22,
    "#": 3,
    "origin": 24,
    "article": 16,
    "publisher": 12,
    "reports": 7,
    "sources": 7,
}


def _table(title: str | None, columns: Sequence[str], *, wide: bool) -> Table:
    """A table that fits the terminal: unless ``wide``, the short columns have fixed widths
    and the others share the rest, every cell one line cut with an ellipsis."""
    table = Table(
        title=Text(title) if title else None,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
    )
    for column in columns:
        if wide:
            table.add_column(column, overflow="fold")
        else:
            table.add_column(
                column, width=_WIDTHS.get(column), no_wrap=column in _WIDTHS, overflow="ellipsis"
            )
    return table


def _row(table: Table, cells: Sequence[object], *, wide: bool) -> None:
    texts = [_cell(cell) for cell in cells]
    if not wide:
        for text in texts:
            text.no_wrap, text.overflow = True, "ellipsis"
    table.add_row(*texts)


def _cell(value: object) -> Text:
    if isinstance(value, Text):
        return value
    if value is None:
        return Text("")
    if isinstance(value, tuple | list):
        return Text("; ".join(str(item) for item in value))
    if isinstance(value, float):
        return Text(f"{value:.2f}")
    return Text(" ".join(str(value).split()))


def _json_lines(rows: Sequence[object]) -> None:
    for row in rows:
        dump = getattr(row, "model_dump", None)
        record = dump(mode="json") if dump is not None else asdict(row)  # type: ignore[call-overload]
        print(json.dumps(record, ensure_ascii=False))


def _toll(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def print_events(answer: EventsAnswer, *, mentions: bool, json_lines: bool, wide: bool) -> None:
    """Events as rows (merged, or one per report with ``mentions``); JSON lines give the merged
    rows, or with ``mentions`` the store's per-report records."""
    if json_lines:
        _json_lines(answer.mentions if mentions else answer.rows)
        _print_undated(answer.undated)
        return
    compact = ("date", "type", "status", "who", "dead", "conf", "evidence")
    extra = ("place", "country", "reports", "sources", "id")
    table = _table(None, compact + extra if wide else compact, wide=wide)
    for row in answer.rows:
        who = "; ".join(row.source) + (" -> " + "; ".join(row.target) if row.target else "")
        cells: list[object] = [
            row.date,
            row.type,
            row.status,
            who,
            _toll(row.fatalities),
            row.confidence,
            row.evidence,
        ]
        if wide:
            cells += [row.place, row.country, str(row.reports), str(row.sources), row.id]
        _row(table, cells, wide=wide)
    out.print(table)
    _print_undated(answer.undated)


def _print_undated(undated: int) -> None:
    if undated:
        err.print(
            f"{undated} event(s) have no date (in the text or from publication) and are not "
            "shown under a date filter."
        )


def print_claims(rows: Sequence[StoredClaim], *, json_lines: bool, wide: bool) -> None:
    if json_lines:
        _json_lines(rows)
        return
    compact = ("claimant", "stance", "verification", "hedged", "claim")
    extra = ("publisher", "published", "article")
    table = _table(None, compact + extra if wide else compact, wide=wide)
    for claim in rows:
        cells: list[object] = [
            claim.claimant_name or claim.claimant_actor or "unknown",
            claim.stance,
            claim.verification,
            "yes" if claim.hedged else "",
            claim.content,
        ]
        if wide:
            cells += [claim.publisher, claim.published, claim.article_id]
        _row(table, cells, wide=wide)
    out.print(table)


def print_search(hits: Sequence[SearchHit], *, json_lines: bool, wide: bool) -> None:
    if json_lines:
        _json_lines(hits)
        return
    columns = ("#", "title", "snippet", "article") if wide else ("#", "title", "snippet")
    table = _table(None, columns, wide=wide)
    for place, hit in enumerate(hits, 1):
        cells: list[object] = [str(place), hit.title, _snippet(hit.snippet)]
        if wide:
            cells.append(hit.article_id)
        _row(table, cells, wide=wide)
    out.print(table)


def _snippet(snippet: str) -> Text:
    """The snippet with the matched words in bold, the marks around them dropped."""
    text = Text()
    rest = " ".join(snippet.split())
    while (start := rest.find(HIT_START)) >= 0 and (end := rest.find(HIT_END, start)) >= 0:
        text.append(rest[:start])
        text.append(rest[start + len(HIT_START) : end], style="bold")
        rest = rest[end + len(HIT_END) :]
    text.append(rest)
    return text


def print_stories(stories: Sequence[Story], *, json_lines: bool, wide: bool) -> None:
    if json_lines:
        _json_lines(stories)
        return
    table = _table("Stories", ("id", "title", "last seen", "articles", "countries"), wide=wide)
    for story in stories:
        cells = (story.id, story.title, story.last_seen, str(len(story.articles)))
        _row(table, (*cells, " ".join(story.countries)), wide=wide)
    out.print(table)


def print_story(view: StoryView, *, json_lines: bool, wide: bool) -> None:
    if json_lines:
        print(view.story.model_dump_json())
        for event in view.merged:
            print(event.model_dump_json())
        return
    articles = _table(view.story.title, ("article", "publisher", "published", "title"), wide=wide)
    for article in view.articles:
        cells = (article.id, article.publisher, article.published, article.title)
        _row(articles, cells, wide=wide)
    out.print(articles)
    columns = ("type", "status", "source", "target", "place", "date", "reports", "sources")
    events = _table("Merged events", (*columns, "conflicting claims"), wide=wide)
    for event in view.merged:
        conflicts = "; ".join(
            f"{claim.claimant or '?'} {claim.stance}s: {claim.content.text}"
            for claim in event.conflicts
        )
        _row(
            events,
            (
                event.type,
                event.status,
                event.source,
                event.target,
                event.place,
                event.date,
                str(len(event.mentions)),
                str(event.sources),
                conflicts,
            ),
            wide=wide,
        )
    out.print(events)


def print_rejected(rows: Sequence[Rejected], *, json_lines: bool, wide: bool) -> None:
    if json_lines:
        _json_lines(rows)
        return
    table = _table(None, ("origin", "code", "reason"), wide=wide)
    for row in rows:
        _row(table, (row.source or "(given directly)", row.code, row.reason), wide=wide)
    out.print(table)
    err.print(f"{len(rows)} rejected input(s).")
