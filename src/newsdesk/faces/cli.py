"""The ``newsdesk`` command line.

Exit codes (also in the README):

    0  success
    2  usage error: unknown option, missing or unreadable file
    3  the input was rejected (empty, binary, too large, not English ...); the reason is printed
    4  setup error: bad settings file, spaCy pipeline not installed, bad data file
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer
from rich.table import Table
from typer._click import Context  # typer vendors click: its commands take this Context
from typer.core import TyperCommand

from newsdesk import __version__, desk
from newsdesk.corpus.syntax import SEARCH_SYNTAX
from newsdesk.data.gazetteer import build_gazetteer, default_cache_path, load_gazetteer
from newsdesk.errors import Errors, ExportError, NewsdeskError
from newsdesk.faces.desk import (
    DbOption,
    JsonOption,
    WideOption,
    counted_progress,
    print_claims,
    print_events,
    print_ingest,
    print_recode,
    print_refresh,
    print_rejected,
    print_search,
    print_stories,
    print_story,
    refresh_progress,
)
from newsdesk.faces.desk import err as _err
from newsdesk.faces.desk import out as _out
from newsdesk.faces.summary import (
    article_line,
    article_summary,
    corpus_table,
    places_explanation,
    rejected_summary,
)
from newsdesk.pipeline import Analyzer
from newsdesk.records import Article, Rejected
from newsdesk.settings import Settings, load_settings
from newsdesk.workers import default_workers

if TYPE_CHECKING:
    from newsdesk.corpus.store import Store

T = TypeVar("T")


class _Command(TyperCommand):
    """A command whose help and usage show the metavars alone: typer adds ``<str>``-style type
    labels and wraps required arguments in braces (``{FILE}``), which read as placeholders."""

    def get_usage(self, ctx: Context) -> str:
        return _plain(super().get_usage(ctx))

    def get_help(self, ctx: Context) -> str:
        return _plain(super().get_help(ctx))


_TYPE_LABEL = re.compile(r" <[A-Za-z][A-Za-z_|.\[\], ]*>")
_BRACED = re.compile(r"\{([A-Z][A-Z_.]*)\}")


def _plain(text: str) -> str:
    return _BRACED.sub(r"\1", _TYPE_LABEL.sub("", text))


EXIT_USAGE = 2
EXIT_REJECTED = 3
EXIT_SETUP = 4

app = typer.Typer(
    help="Auditable event data from news reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: typer's rich help shows <bool> and {FILE} placeholders.
    rich_markup_mode=None,
)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Settings file laid over the defaults (or set NEWSDESK_CONFIG).",
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model", metavar="NAME", help="An installed spaCy pipeline to use instead of the default."
    ),
]


def _version(value: bool) -> None:
    if value:
        print(f"newsdesk {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Auditable event data from news reports."""


LimitOption = Annotated[
    int | None, typer.Option(min=1, metavar="N", help="At most this many (1 or more).")
]


@app.command(cls=_Command)
def analyze(
    file: Annotated[
        str,
        typer.Argument(metavar="FILE", help="A text or HTML file, or - to read standard input."),
    ],
    json: Annotated[bool, typer.Option("--json", help="Print the Article record as JSON.")] = False,
    model: ModelOption = None,
    published: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM-DD", help="Publication date, when the source does not state it."
        ),
    ] = None,
    url: Annotated[
        str | None, typer.Option(metavar="URL", help="The article's URL (never fetched).")
    ] = None,
    wide: WideOption = False,
    explain_places: Annotated[
        bool,
        typer.Option(
            "--explain-places",
            help="Also print each place's gazetteer readings, their scores and the reasons.",
        ),
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Analyse one article: metadata, blocks, entities, places, times, quantities, quotes,
    claims and events, each with its evidence."""
    try:
        published = desk.check_published(published)
    except NewsdeskError as exc:
        _fail(str(exc), EXIT_USAGE)
    if file != "-":
        path = Path(file)
        if path.is_dir():
            _fail(
                f"{file} is a folder: 'newsdesk analyze' reads one article; use "
                f"'newsdesk ingest {file}' for the reports in a folder",
                EXIT_USAGE,
            )
        if not path.is_file():
            _fail(f"{file}: no such file", EXIT_USAGE)
    analyzer = _analyzer(config, model)
    if file == "-":
        limit = analyzer.settings.input.max_input_bytes
        data = sys.stdin.buffer.read(limit + 1)
        result = analyzer.analyze(data, url=url, published=published, origin="<stdin>")
    else:
        result = analyzer.analyze_file(Path(file), url=url, published=published)
    if json:
        print(result.model_dump_json(indent=2))
    elif isinstance(result, Article):
        _out.print(article_summary(result, wide=wide))
        if explain_places:
            _out.print(places_explanation(result))
    if isinstance(result, Rejected):
        _err.print(rejected_summary(result))
        raise typer.Exit(EXIT_REJECTED)


@app.command(cls=_Command)
def demo(
    json: Annotated[
        bool, typer.Option("--json", help="Print one Article record per line.")
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Print each article's whole summary (long).")
    ] = False,
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Analyse the demo articles that ship with newsdesk (written by the project): a few lines
    on each, then one table of them all."""
    analyzer = _analyzer(config, model)
    results: list[tuple[str, Article | Rejected]] = []
    for name, result in desk.analyse_demo(analyzer):
        results.append((name, result))
        if json:
            print(result.model_dump_json())
        elif isinstance(result, Article):
            _out.rule(name)
            _out.print(article_summary(result) if full else article_line(result))
    if not json:
        _out.print(corpus_table(results))


@app.command(cls=_Command)
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH", help="Files, folders, JSON Lines, RSS/Atom feeds, WARC files."
        ),
    ],
    db: DbOption = None,
    model: ModelOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            metavar="N",
            help="Analyse in N processes, each loading the pipeline once (default: every core).",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Analyse many reports into the store, then collapse syndication, cluster stories and
    merge events. Rerunning after a crash resumes where it stopped."""
    for path in paths:
        if not path.exists():
            _fail(f"{path}: no such file or folder", EXIT_USAGE)
    _list_skipped(desk.skipped_files(paths))
    count = default_workers() if workers is None else workers
    # One worker analyses here, with the pipeline loaded (and checked) now; more load their
    # own, and this process only reads inputs and writes the store.
    analyzer = _analyzer(config, model) if count == 1 else None
    settings = analyzer.settings if analyzer is not None else _settings(config, model)
    if analyzer is None and not default_cache_path().is_file():
        # Built once here, not once in every worker at the same time.
        with _err.status(_BUILDING_GAZETTEER):
            _ask(build_gazetteer)
    with _open(db, must_exist=False) as store:
        with counted_progress("ingest", desk.count_inputs(paths)) as advance:
            counts = _ask(
                lambda: desk.ingest(
                    paths,
                    store=store,
                    analyzer=analyzer,
                    settings=settings,
                    workers=count,
                    on_progress=advance,
                )
            )
        corpus = _refresh(store, settings, full=False)
        print_ingest(desk.store_name(store), counts, corpus)


_SKIPPED_SHOWN = 20
_BUILDING_GAZETTEER = "Building the gazetteer index (first run, about 15 s)…"


def _refresh(store: Store, settings: Settings, *, full: bool) -> desk.CorpusCounts:
    """The corpus steps over the store, with a progress bar; a coded error on one line."""
    with refresh_progress() as advance:
        return _ask(lambda: desk.refresh(store, settings=settings, full=full, on_progress=advance))


def _list_skipped(skipped: list[Path]) -> None:
    """Name the files of the folders that are not reports, so that none goes missing unseen."""
    if not skipped:
        return
    _err.print(
        f"Skipped {len(skipped)} file(s) that are not of an article type (text, HTML, JSON "
        "Lines, RSS/Atom, WARC, or gzip of those):"
    )
    for path in skipped[:_SKIPPED_SHOWN]:
        _err.print(f"  {path}")
    if len(skipped) > _SKIPPED_SHOWN:
        _err.print(f"  ... and {len(skipped) - _SKIPPED_SHOWN} more")


@app.command(cls=_Command)
def recode(db: DbOption = None, model: ModelOption = None, config: ConfigOption = None) -> None:
    """Analyse again the stored articles that an older pipeline coded, then refresh the corpus."""
    analyzer = _analyzer(config, model)
    with _open(db) as store:
        counts = desk.recode(store, analyzer=analyzer)
        corpus = None
        if counts.changed:
            # Recoded articles change what every corpus step read of them: all of it again.
            corpus = _refresh(store, analyzer.settings, full=True)
        print_recode(desk.store_name(store), analyzer.extractor, counts, corpus)


@app.command(name="run", cls=_Command)
def run_batch(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUTS", help="Files, folders, JSON Lines, RSS/Atom feeds, WARC files."
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", metavar="DIR", help="Folder for the shard files (*.parquet)."),
    ],
    executor: Annotated[
        str | None,
        typer.Option(
            metavar="local|dask",
            help="local: a process pool on this machine; dask: a Dask cluster (default local, "
            "dask when --scheduler is given).",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="An existing Dask scheduler (tcp://host:8786); implies --executor dask. "
            "Without it, dask starts a LocalCluster.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, metavar="N", help="Worker processes (default: every core)."),
    ] = None,
    shard_size: Annotated[
        int,
        typer.Option(
            min=1, metavar="N", help="Inputs per shard: files, JSON Lines lines or WARC records."
        ),
    ] = 200,
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Analyse a big batch on every core or on Dask, one Parquet file per shard of inputs.
    Rerunning the same command after a crash does only the shards not written yet."""
    # Imported here: pyarrow and the readers take a while, and only these commands need them.
    from newsdesk.batch import executors as batch
    from newsdesk.faces.batch import print_run, run_progress

    if executor not in (None, *batch.EXECUTORS):
        _fail(f"--executor must be local or dask, not {executor!r}", EXIT_USAGE)
    if scheduler is not None and executor == "local":
        _fail("--scheduler names a Dask scheduler: use it with --executor dask", EXIT_USAGE)
    if executor is None:
        executor = "dask" if scheduler is not None else "local"
    for path in paths:
        if not path.exists():
            _fail(f"{path}: no such file or folder", EXIT_USAGE)
    settings = _settings(config)
    _list_skipped(desk.skipped_files(paths))
    shards = _ask(lambda: batch.plan(paths, out, size=shard_size))
    if scheduler is None and not default_cache_path().is_file():
        # Built once here, not by every worker of this machine at the same time.
        with _err.status(_BUILDING_GAZETTEER):
            _ask(build_gazetteer)
    label = f"run ({executor}, {workers or default_workers()} workers)"
    if scheduler is not None:
        label = f"run (dask at {scheduler})"
    try:
        with run_progress(shards, label=label) as advance:
            summary = batch.run_shards(
                shards,
                out,
                executor="dask" if executor == "dask" else "local",
                workers=workers,
                scheduler=scheduler,
                settings=settings,
                model=model,
                on_progress=advance,
            )
    except NewsdeskError as exc:
        _fail(str(exc), _exit_code(exc))
    print_run(out, summary, shards=len(shards))


@app.command(cls=_Command)
def load(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="The --out folder of a 'newsdesk run' job.")
    ],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Load a batch job's Parquet files into the store, one transaction per shard, then
    collapse syndication, cluster stories and merge events. Loading again adds nothing."""
    from newsdesk.batch.load import load_shards, shard_files
    from newsdesk.faces.batch import print_load

    settings = _settings(config)
    files = _ask(lambda: shard_files(folder))
    with _open(db, must_exist=False) as store:
        try:
            with counted_progress("load", len(files)) as advance:
                counts = load_shards(folder, store, on_progress=advance)
            corpus = _refresh(store, settings, full=False)
        except NewsdeskError as exc:
            _fail(str(exc), _exit_code(exc))
        print_load(desk.store_name(store), counts, corpus)


@app.command(cls=_Command)
def refresh(
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Recompute syndication, stories and merged events from the first article "
            "(after the corpus settings changed).",
        ),
    ] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Take the articles stored since the last refresh into syndication, stories and merged
    events (ingest does this itself); --full recomputes them all."""
    settings = _settings(config)
    with _open(db) as store:
        corpus = _refresh(store, settings, full=full)
        print_refresh(desk.store_name(store), corpus, full=full)


@app.command(cls=_Command)
def stories(db: DbOption = None, json: JsonOption = False, wide: WideOption = False) -> None:
    """The stories in the store, the most recently active first."""
    with _open(db) as store:
        print_stories(desk.stories(store), json_lines=json, wide=wide)


@app.command(cls=_Command)
def story(
    story_id: Annotated[
        str, typer.Argument(metavar="ID", help="A story id from `newsdesk stories`.")
    ],
    db: DbOption = None,
    json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    """One story: its articles and its merged events, with sources and conflicting claims."""
    with _open(db) as store:
        print_story(_ask(lambda: desk.story(store, story_id)), json_lines=json, wide=wide)


_DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD (inclusive)."
# The filters `events`, `export` and `report` share.
SinceOption = Annotated[str | None, typer.Option(metavar="DATE", help=_DATE_HELP)]
UntilOption = Annotated[str | None, typer.Option(metavar="DATE", help=_DATE_HELP)]
CountryOption = Annotated[
    str | None, typer.Option(metavar="CC", help="ISO 3166 alpha-2 code, such as AF or UA.")
]
TypeOption = Annotated[
    str | None,
    typer.Option("--type", metavar="TYPE", help="PLOVER type, such as ASSAULT or PROTEST."),
]
ActorOption = Annotated[str | None, typer.Option(metavar="ACTOR", help="Actor id, name or alias.")]


@app.command(cls=_Command)
def events(
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    type: TypeOption = None,
    actor: ActorOption = None,
    mentions: Annotated[
        bool,
        typer.Option(
            "--mentions", help="One row per report of an event, not one per merged event."
        ),
    ] = False,
    limit: LimitOption = None,
    db: DbOption = None,
    json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    """Coded events in the store, newest first: each real-world event once, merged across the
    reports that tell it, with its death toll, confidence and the sentence it was read from."""
    with _open(db) as store:
        answer = _ask(
            lambda: desk.events(
                store,
                since=since,
                until=until,
                country=country,
                type=type,
                actor=actor,
                limit=limit,
                merged=not mentions,
            )
        )
        print_events(answer, mentions=mentions, json_lines=json, wide=wide)


# -- newsdesk export ------------------------------------------------------------------------


@app.command(cls=_Command)
def export(
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="acled, gdelt, geojson, parquet, jsonl or csv.",
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="FILE", help="Write here (default: standard output)."),
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    type: TypeOption = None,
    actor: ActorOption = None,
    merged: Annotated[
        bool, typer.Option("--merged", help="One row per merged event (the default).")
    ] = False,
    mentions: Annotated[
        bool,
        typer.Option(
            "--mentions",
            help="One row per report of an event; with gdelt, its mentions table.",
        ),
    ] = False,
    records: Annotated[
        str,
        typer.Option(
            metavar="KIND",
            help="jsonl, parquet, csv: rows (the event rows), or every record of one type: "
            "articles, events, merged, claims, quotes, stories.",
        ),
    ] = "rows",
    db: DbOption = None,
) -> None:
    """Export the store's events in the community's formats, streamed: ACLED-style CSV, GDELT
    2.0 event or mentions table, GeoJSON, or the event rows (or any record type) as Parquet,
    JSON Lines or CSV."""
    if merged and mentions:
        _fail(str(ExportError(Errors.E504.format())), EXIT_USAGE)
    from newsdesk.export import export as write

    with _open(db) as store:
        counts = _ask(
            lambda: write(
                store,
                format,
                out,
                records=records,
                mentions=mentions,
                since=since,
                until=until,
                country=country,
                type=type,
                actor=actor,
            )
        )
    where = str(out) if out is not None else "standard output"
    left = f"; left out {counts.left_out} ({counts.why})" if counts.left_out else ""
    _err.print(f"newsdesk: wrote {counts.written} rows to {where}{left}")


@app.command(cls=_Command)
def claims(
    actor: Annotated[
        str | None, typer.Option(metavar="ACTOR", help="Claimant id, name or alias.")
    ] = None,
    limit: LimitOption = None,
    db: DbOption = None,
    json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    """Claims in the store: who claims what, and whether anyone verified it."""
    with _open(db) as store:
        rows = _ask(lambda: desk.claims(store, actor=actor, limit=limit))
        print_claims(rows, json_lines=json, wide=wide)


@app.command(
    cls=_Command,
    help=(
        "Full-text search over the stored articles, best match first.\n\n"
        f"TEXT may hold {SEARCH_SYNTAX}. Punctuation and case are ignored. Hits are numbered "
        "by rank (1 is the best match)."
    ),
)
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help='Words, or "a phrase", to find.')],
    limit: Annotated[int, typer.Option(min=1, metavar="N", help="At most this many.")] = 20,
    db: DbOption = None,
    json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    # The store's syntax, length and limit checks raise coded errors (E407-E412), which _ask
    # prints as one line with exit 2.
    with _open(db) as store:
        hits = _ask(lambda: desk.search(store, text, limit=limit))
        print_search(hits, json_lines=json, wide=wide)


@app.command(cls=_Command)
def rejected(db: DbOption = None, json: JsonOption = False, wide: WideOption = False) -> None:
    """The inputs the store recorded as rejected: where each came from, its code and reason."""
    with _open(db) as store:
        print_rejected(desk.rejected(store), json_lines=json, wide=wide)


@app.command(cls=_Command)
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(metavar="HOST", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            metavar="TOKEN",
            envvar="NEWSDESK_TOKEN",
            help="Allow writes (POST /api/ingest, the ingest form) to requests that send it as "
            "'Authorization: Bearer TOKEN' (or set NEWSDESK_TOKEN). Without it the desk is "
            "read-only.",
        ),
    ] = None,
    tiles: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="A tile server for the map, as a template such as "
            "'https://tile.example.org/{z}/{x}/{y}.png'. Without it the map draws country "
            "outlines only and calls no server.",
        ),
    ] = None,
) -> None:
    """The desk in a browser and over HTTP: map, timeline, stories, articles, search, and a
    REST API (its OpenAPI document at /api/openapi.json)."""
    import uvicorn

    from newsdesk.serve import ServeConfig, create_app

    if host not in {"127.0.0.1", "localhost", "::1"}:
        _err.print(
            f"newsdesk: serving on {host}: anyone who can reach this address can read the store"
            + ("" if token is None else " and, with the token, write to it"),
            style="bold yellow",
        )
    if tiles is not None and not tiles.startswith(("https://", "http://")):
        _fail(Errors.E495.format(url=tiles), EXIT_USAGE)
    _open(db).close()  # a missing store is refused here, with its coded message
    app = create_app(ServeConfig(db=db, token=token, tiles_url=tiles))
    uvicorn.run(app, host=host, port=port, log_level="warning")


# -- reports and feeds (newsdesk/report/) ---------------------------------------------------------


@app.command(cls=_Command)
def report(
    story: Annotated[
        str | None, typer.Option(metavar="ID", help="A story id from `newsdesk stories`.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(metavar="CC", help="ISO 3166 alpha-2 code, such as ML or CD.")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    format: Annotated[  # shadows the builtin: the option is --format
        str | None,
        typer.Option(
            "--format",
            metavar="md|html",
            help="Markdown, or one HTML file (default: by the -o file's suffix, else html).",
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Your own Jinja2 template (the context is in the README, 'Reports and feeds').",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write here (a Markdown report's map and timeline go beside it as .svg); "
            "default: standard output.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """A situation report of one story or one country's events: what happened, who claims
    what, open questions, key quotes, a map and a timeline, every statement linked to its
    words in its article."""
    from newsdesk.errors import Errors
    from newsdesk.report import build_report, render_report

    if format is None:
        format = "md" if output is not None and output.suffix.lower() == ".md" else "html"
    if format not in {"md", "html"}:
        _fail(f"--format is md or html, not {format!r}.", EXIT_USAGE)
    with _open(db) as store:
        built = _ask(
            lambda: build_report(store, story=story, country=country, since=since, until=until)
        )
    rendered = _ask(
        lambda: render_report(
            built,
            format="md" if format == "md" else "html",
            template=template,
            name=output.stem if output is not None else None,
        )
    )
    if output is None:
        sys.stdout.write(rendered.text)
        return
    try:
        output.write_text(rendered.text, encoding="utf-8")
        for file_name, text in rendered.files.items():
            (output.parent / file_name).write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(Errors.E518.format(path=output, detail=exc), EXIT_USAGE)
    extra = "".join(f", {output.parent / file_name}" for file_name in rendered.files)
    _out.print(f"wrote {output}{extra}", highlight=False, soft_wrap=True)


@app.command(cls=_Command)
def feed(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="FILE",
            help="The Atom feed to write; a feed already there says what was published.",
        ),
    ],
    story: Annotated[
        str | None, typer.Option(metavar="ID", help="Only this story and its events.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(metavar="CC", help="Only the events in this country.")
    ] = None,
    db: DbOption = None,
) -> None:
    """An Atom feed of the stories and merged events that are new since the feed at --out was
    last written (the file is its own state: its entry ids are what was published)."""
    from newsdesk.report.feed import write_feed

    with _open(db) as store:
        counts = _ask(lambda: write_feed(store, out, story=story, country=country))
    if counts.new:
        _out.print(
            f"wrote {out}: {counts.new_stories} new stories, {counts.new_events} new events, "
            f"{counts.kept} entries already published",
            highlight=False,
            soft_wrap=True,
        )
    else:
        _out.print(f"nothing new for {out} ({counts.kept} entries)", highlight=False)


gazetteer_app = typer.Typer(help="The offline gazetteer index (built from installed packages).")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build", cls=_Command)
def gazetteer_build(
    path: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Where to write the index (default: the user cache)."),
    ] = None,
) -> None:
    """Build (or rebuild) the gazetteer index now, instead of at first use."""
    try:
        with _err.status("Building the gazetteer index (about 15 s)…"):
            written = build_gazetteer(path)
    except NewsdeskError as exc:
        _fail(str(exc), EXIT_SETUP)
    _out.print(f"wrote {written}")


@gazetteer_app.command("info", cls=_Command)
def gazetteer_info() -> None:
    """Where the gazetteer index is, what built it, and how many places of each kind it holds."""
    try:
        gazetteer = load_gazetteer()
    except NewsdeskError as exc:
        _fail(str(exc), EXIT_SETUP)
    _out.print(f"index: {gazetteer.path}", highlight=False, soft_wrap=True)
    table = Table()
    table.add_column("feature")
    table.add_column("places", justify="right")
    for feature, count in sorted(gazetteer.feature_counts().items(), key=lambda item: -item[1]):
        table.add_row(feature, f"{count:,}")
    _out.print(table)
    for key, value in gazetteer.meta.items():
        if key != "features":
            _out.print(f"{key}: {value}", highlight=False, soft_wrap=True)


def _analyzer(config: Path | None, model: str | None) -> Analyzer:
    settings = _settings(config, model)
    try:
        # The first run also builds the gazetteer index, which takes a while: say so.
        message = (
            "Loading the spaCy pipeline…" if default_cache_path().is_file() else _BUILDING_GAZETTEER
        )
        with _err.status(message):
            return Analyzer(settings=settings)
    except NewsdeskError as exc:
        _fail(str(exc), EXIT_SETUP)


def _settings(config: Path | None, model: str | None = None) -> Settings:
    try:
        settings = load_settings(config)
    except NewsdeskError as exc:
        _fail(str(exc), EXIT_SETUP)
    if model is not None:
        settings = replace(settings, model=replace(settings.model, name=model))
    return settings


# Errors that say the question was wrong (a date, a limit, a search, a code, a missing store):
# usage, not setup.
_USAGE_ERRORS = frozenset(
    {
        "E406",
        "E407",
        "E456",
        "E457",
        "E460",
        "E461",
        *(f"E{number}" for number in range(410, 440)),
        *(f"E{number}" for number in range(510, 520)),
        # newsdesk export: a format, record type or option that does not fit.
        *("E500", "E501", "E503", "E504", "E507", "E508"),
    }
)


def _open(db: str | None, *, must_exist: bool = True) -> Store:
    """The store ``--db`` names; a read command refuses one that does not exist (E420)."""
    try:
        return desk.open_store(db, must_exist=must_exist)
    except NewsdeskError as exc:
        _fail(str(exc), _exit_code(exc))


def _ask(question: Callable[[], T]) -> T:
    """The desk's answer, or its coded error on one line."""
    try:
        return question()
    except NewsdeskError as exc:
        _fail(str(exc), _exit_code(exc))


def _exit_code(exc: NewsdeskError) -> int:
    code = str(exc)[1:5]
    return EXIT_USAGE if code in _USAGE_ERRORS else EXIT_SETUP


def _fail(message: str, code: int) -> NoReturn:
    _err.print(f"newsdesk: {message}", style="bold red")
    raise typer.Exit(code)


def main() -> None:
    """Entry point of the ``newsdesk`` command."""
    app()
