"""The ``newsdesk`` command line.

Exit codes (also in the README):

    0  success
    2  usage error: unknown option, missing or unreadable file
    3  the input was rejected (empty, binary, too large, not English ...); the reason is printed
    4  setup error: bad settings file, spaCy pipeline not installed, bad data file
"""

from __future__ import annotations

import sys
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from newsdesk.data.gazetteer import build_gazetteer, default_cache_path, load_gazetteer
from newsdesk.errors import NewsdeskError
from newsdesk.faces.desk import (
    CLAIM_COLUMNS,
    EVENT_COLUMNS,
    SEARCH_COLUMNS,
    DbOption,
    JsonOption,
    ingest_paths,
    print_counts,
    print_rows,
    print_stories,
    print_story,
    recode_articles,
    refresh_corpus,
    store_or_exit,
)
from newsdesk.faces.summary import article_summary, corpus_table, rejected_summary
from newsdesk.pipeline import Analyzer
from newsdesk.records import Article, Rejected
from newsdesk.settings import Settings, load_settings
from newsdesk.stages.readers import skipped_files

EXIT_USAGE = 2
EXIT_REJECTED = 3
EXIT_SETUP = 4

app = typer.Typer(
    help="Auditable event data from news reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_out = Console()
_err = Console(stderr=True, soft_wrap=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Settings file laid over the defaults (or set NEWSDESK_CONFIG)."),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="An installed spaCy pipeline to use instead of the default."),
]


@app.command()
def analyze(
    file: Annotated[str, typer.Argument(help="A text or HTML file, or - to read standard input.")],
    json: Annotated[bool, typer.Option("--json", help="Print the Article record as JSON.")] = False,
    model: ModelOption = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date, when the source does not state it.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="The article's URL (never fetched).")] = None,
    config: ConfigOption = None,
) -> None:
    """Analyse one article: metadata, blocks, entities, places, times, quantities, quotes,
    claims and events, each with its evidence."""
    analyzer = _analyzer(config, model)
    if file == "-":
        limit = analyzer.settings.input.max_input_bytes
        data = sys.stdin.buffer.read(limit + 1)
        result = analyzer.analyze(data, url=url, published=published, origin="<stdin>")
    else:
        path = Path(file)
        if not path.is_file():
            _fail(f"{file}: no such file", EXIT_USAGE)
        result = analyzer.analyze_file(path, url=url, published=published)
    if json:
        _out.print_json(result.model_dump_json(), highlight=False)
    elif isinstance(result, Article):
        _out.print(article_summary(result))
    if isinstance(result, Rejected):
        _err.print(rejected_summary(result))
        raise typer.Exit(EXIT_REJECTED)


@app.command()
def demo(
    json: Annotated[
        bool, typer.Option("--json", help="Print one Article record per line.")
    ] = False,
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Analyse the demo articles that ship with newsdesk (written by the project)."""
    analyzer = _analyzer(config, model)
    folder = resources.files("newsdesk").joinpath("demo")
    files = sorted(
        (item for item in folder.iterdir() if item.name.endswith((".txt", ".html"))),
        key=lambda item: item.name,
    )
    results: list[tuple[str, Article | Rejected]] = []
    for item in files:
        result = analyzer.analyze(item.read_bytes(), origin=item.name)
        results.append((item.name, result))
        if json:
            print(result.model_dump_json())
        elif isinstance(result, Article):
            _out.rule(item.name)
            _out.print(article_summary(result))
    if not json:
        _out.print(corpus_table(results))


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files, folders, JSON Lines, RSS/Atom feeds, WARC files.")
    ],
    db: DbOption = None,
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Analyse many reports into the store, then collapse syndication, cluster stories and
    merge events. Rerunning after a crash resumes where it stopped."""
    for path in paths:
        if not path.exists():
            _fail(f"{path}: no such file or folder", EXIT_USAGE)
    _list_skipped(skipped_files(paths))
    analyzer = _analyzer(config, model)
    with store_or_exit(db, EXIT_SETUP) as store:
        counts = ingest_paths(paths, store=store, settings=analyzer.settings, analyzer=analyzer)
        counts.update(refresh_corpus(store, settings=analyzer.settings))
        print_counts(f"Ingested into {store.url}", counts)


_SKIPPED_SHOWN = 20


def _list_skipped(skipped: list[Path]) -> None:
    """Name the files of the folders that are not reports, so that none goes missing unseen."""
    if not skipped:
        return
    _err.print(
        f"Skipped {len(skipped)} file(s) that are not of an article type (text, HTML, JSON "
        "Lines, RSS/Atom, WARC, or gzip of those):",
        markup=False,
    )
    for path in skipped[:_SKIPPED_SHOWN]:
        _err.print(f"  {path}", markup=False, highlight=False)
    if len(skipped) > _SKIPPED_SHOWN:
        _err.print(f"  ... and {len(skipped) - _SKIPPED_SHOWN} more", markup=False)


@app.command()
def recode(db: DbOption = None, model: ModelOption = None, config: ConfigOption = None) -> None:
    """Analyse again the stored articles that an older pipeline coded, then refresh the corpus."""
    analyzer = _analyzer(config, model)
    with store_or_exit(db, EXIT_SETUP) as store:
        counts = recode_articles(store, analyzer=analyzer)
        counts.update(refresh_corpus(store, settings=analyzer.settings))
        print_counts("Recoded", counts)


@app.command()
def stories(db: DbOption = None, json: JsonOption = False) -> None:
    """The stories in the store, newest first."""
    with store_or_exit(db, EXIT_SETUP) as store:
        print_stories(store.stories(), json_lines=json)


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="A story id from `newsdesk stories`.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """One story: its articles and its merged events, with sources and conflicting claims."""
    with store_or_exit(db, EXIT_SETUP) as store:
        found = store.story(story_id)
        if found is None:
            _fail(f"no story {story_id!r} in {store.url}", EXIT_USAGE)
        print_story(store, found, json_lines=json)


@app.command()
def events(
    since: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 code.")] = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type.")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor id, name or alias.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Coded events in the store, filtered."""
    with store_or_exit(db, EXIT_SETUP) as store:
        try:
            rows = store.events(
                since=since, until=until, country=country, type=type, actor=actor, limit=limit
            )
        except NewsdeskError as exc:
            _fail(str(exc), EXIT_USAGE)
        print_rows(rows, EVENT_COLUMNS, json_lines=json)


@app.command()
def claims(
    actor: Annotated[str | None, typer.Option(help="Claimant id, name or alias.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Claims in the store: who claims what, and whether anyone verified it."""
    with store_or_exit(db, EXIT_SETUP) as store:
        print_rows(store.claims(actor=actor, limit=limit), CLAIM_COLUMNS, json_lines=json)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help='Words or "a phrase" to find.')],
    limit: Annotated[int, typer.Option(help="At most this many.")] = 20,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Full-text search over the stored articles."""
    with store_or_exit(db, EXIT_SETUP) as store:
        print_rows(store.search(text, limit=limit), SEARCH_COLUMNS, json_lines=json)


gazetteer_app = typer.Typer(help="The offline gazetteer index (built from installed packages).")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    path: Annotated[
        Path | None, typer.Option(help="Where to write the index (default: the user cache).")
    ] = None,
) -> None:
    """Build (or rebuild) the gazetteer index now, instead of at first use."""
    try:
        with _err.status("Building the gazetteer index (about 15 s)…"):
            written = build_gazetteer(path)
    except NewsdeskError as exc:
        _fail(str(exc), EXIT_SETUP)
    _out.print(f"wrote {written}")


@gazetteer_app.command("info")
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
    settings = _settings(config)
    if model is not None:
        settings = replace(settings, model=replace(settings.model, name=model))
    try:
        # The first run also builds the gazetteer index, which takes a while: say so.
        message = (
            "Loading the spaCy pipeline…"
            if default_cache_path().is_file()
            else "Building the gazetteer index (first run, about 15 s)…"
        )
        with _err.status(message):
            return Analyzer(settings=settings)
    except NewsdeskError as exc:
        _fail(str(exc), EXIT_SETUP)


def _settings(config: Path | None) -> Settings:
    try:
        return load_settings(config)
    except NewsdeskError as exc:
        _fail(str(exc), EXIT_SETUP)


def _fail(message: str, code: int) -> NoReturn:
    _err.print(f"newsdesk: {message}", style="bold red", highlight=False)
    raise typer.Exit(code)


def main() -> None:
    """Entry point of the ``newsdesk`` command."""
    app()
