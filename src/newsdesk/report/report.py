"""Situation reports: a story or a country, as an analyst would send it, in Markdown or HTML.

:func:`build_report` gathers the report from the desk (``desk.report_scope``) and the claims board
(``newsdesk.board``) into a :class:`Report`: what happened (the merged events in time order),
who claims what (each party's word side by side, tolls by source, open questions), key quotes
with their speakers, a map and a timeline (``svg.py``). Every statement carries numbered
references (:class:`Ref`) to its words in its article: the quoted words, the article's id and
the character offsets, so a reader can check each one.

:func:`render_report` fills a Jinja2 template: ``templates/report.md.j2`` or ``report.html.j2``,
or the user's own with the same context (``report``, ``map_svg``, ``timeline_svg``, ``map_file``,
``timeline_file``; the README lists every field). Record text is never trusted: the HTML
environment escapes every value (autoescape), the Markdown one escapes every value for Markdown
(no link, image, HTML or heading can come from a record).

    >>> from newsdesk import desk
    >>> from newsdesk.report import build_report, render_report
    >>> with desk.open_store("newsdesk.sqlite", must_exist=True) as store:
    ...     report = build_report(store, country="ML")
    >>> html = render_report(report, format="html").text
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from newsdesk import board, desk
from newsdesk.errors import Errors, ExportError
from newsdesk.records import Article, Entity, EventMention, Evidence, MergedEvent, Quote
from newsdesk.report.svg import MapPoint, TimelineEvent, map_svg, timeline_svg

if TYPE_CHECKING:
    from newsdesk.corpus.store import Store

__all__ = [
    "ArticleItem",
    "ClaimItem",
    "EventClaims",
    "EventItem",
    "QuoteItem",
    "Ref",
    "Rendered",
    "Report",
    "TollItem",
    "build_report",
    "country_name",
    "markdown_escape",
    "render_report",
]

Format = Literal["md", "html"]
# Key quotes a report shows: enough to hear each party, few enough to read.
_MOST_QUOTES = 12
_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class Ref:
    """One statement's evidence: ``text`` is ``article``'s text from ``start`` to ``end``."""

    n: int
    """Its number in the report: ``[n]`` in the text, ``ref-n`` as the HTML anchor."""
    article: str
    start: int
    end: int
    text: str
    publisher: str | None
    published: str | None

    @property
    def anchor(self) -> str:
        return f"ref-{self.n}"


@dataclass(frozen=True, slots=True)
class ArticleItem:
    id: str
    title: str | None
    publisher: str | None
    published: str | None
    url: str | None
    """Only an http or https URL; anything else is left out, never linked."""
    refs: tuple[Ref, ...]

    @property
    def anchor(self) -> str:
        return f"article-{self.id}"


@dataclass(frozen=True, slots=True)
class EventItem:
    id: str
    date: str | None
    type: str
    status: str
    source: tuple[str, ...]
    """Who acted: actor names (a knowledge-base id when no report names it)."""
    target: tuple[str, ...]
    place: str | None
    country: str | None
    lat: float | None
    lon: float | None
    sources: int
    """Independent sources: syndicated copies of one wire story count once."""
    mentions: int
    """How many times the reports tell it (an article may tell it more than once)."""
    dead: str | None
    """The dead as the reports give them: one figure, or the lowest and highest ("9-24")."""
    refs: tuple[Ref, ...]
    """Where each report tells it."""


@dataclass(frozen=True, slots=True)
class ClaimItem:
    claimant: str | None
    """Who says it; None when the report says it in its own voice."""
    stance: Literal["assert", "deny"]
    text: str
    hedged: bool
    verification: str | None
    conflicting: bool
    open_question: bool
    publisher: str | None
    ref: Ref

    @property
    def why_open(self) -> str | None:
        """Why a reader should treat it as open, in words; None when nothing says so."""
        if self.verification in {"unverified", "disputed"}:
            return f"{self.verification} in the report"
        if self.conflicting:
            return "conflicts with another claim about the event"
        return None


@dataclass(frozen=True, slots=True)
class TollItem:
    unit: str
    figure: str
    claimant: str | None
    publisher: str | None
    ref: Ref


@dataclass(frozen=True, slots=True)
class EventClaims:
    event: EventItem
    lines: tuple[ClaimItem, ...]
    conflicts: tuple[ClaimItem, ...]
    tolls: tuple[tuple[str, tuple[TollItem, ...]], ...]
    """Each kind of toll (dead, injured, ...) with every source's figure, lowest first."""


@dataclass(frozen=True, slots=True)
class QuoteItem:
    speaker: str
    text: str
    kind: str
    channel: str | None
    publisher: str | None
    ref: Ref


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report template may show; the README documents each field."""

    title: str
    scope: Literal["story", "country"]
    story_id: str | None
    country: str | None
    country_name: str | None
    since: str | None
    until: str | None
    generated: str
    """When the report was made: ISO 8601, UTC, to the second."""
    store: str
    events: tuple[EventItem, ...]
    """The merged events in time order (undated ones last)."""
    claims: tuple[EventClaims, ...]
    """The events anyone makes a claim about or gives a toll for, the disputed first."""
    open_questions: tuple[ClaimItem, ...]
    quotes: tuple[QuoteItem, ...]
    articles: tuple[ArticleItem, ...]
    """The reports behind it, each with the references into it."""
    refs: tuple[Ref, ...]
    map_svg: str | None = field(repr=False)
    """The map as SVG markup (every record string in it escaped); None when no event has a
    place with coordinates."""
    timeline_svg: str | None = field(repr=False)

    @property
    def sources(self) -> int:
        return len({article.publisher or article.id for article in self.articles})


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    files: Mapping[str, str]
    """Files to write beside the report, by name: a Markdown report's map and timeline."""


# -- building -------------------------------------------------------------------------------------


def build_report(
    store: Store,
    *,
    story: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    now: datetime | None = None,
) -> Report:
    """The report of one story or one country's events (E515 unless exactly one is given),
    between ``since`` and ``until``. E424 for an unknown story, E422 for a bad country code,
    E406 for a bad date; E510/E511 when nothing is left to report."""
    if (story is None) == (country is None):
        given = "both" if story is not None else "neither"
        raise ExportError(Errors.E515.format(given=given))
    scope = desk.report_scope(store, story_id=story, country=country, since=since, until=until)
    period = _period(since, until)
    if not scope.merged:
        if scope.country is not None:
            raise ExportError(
                Errors.E510.format(
                    country=scope.country,
                    name=country_name(scope.country),
                    period=period,
                    store=desk.store_name(store),
                )
            )
        raise ExportError(Errors.E511.format(story=story, period=period))
    return _Builder(scope).report(
        store=desk.store_name(store), now=now or datetime.now(UTC), period=period
    )


class _Builder:
    """Numbers the references as the report's statements first cite them."""

    def __init__(self, scope: desk.ReportScope) -> None:
        self.scope = scope
        self.articles = {article.id: article for article in scope.articles}
        self.refs: dict[tuple[str, int, int], Ref] = {}
        self.names = _actor_names(scope.articles)

    def ref(self, article_id: str, evidence: Evidence, mention: EventMention | None = None) -> Ref:
        key = (article_id, evidence.start, evidence.end)
        if key not in self.refs:
            article = self.articles.get(article_id)
            # An article the store no longer holds: its mention still names its publisher.
            source = article if article is not None else mention
            self.refs[key] = Ref(
                n=len(self.refs) + 1,
                article=article_id,
                start=evidence.start,
                end=evidence.end,
                text=evidence.text,
                publisher=source.publisher if source is not None else None,
                published=source.published if source is not None else None,
            )
        return self.refs[key]

    def report(self, *, store: str, now: datetime, period: str) -> Report:
        scope = self.scope
        boards = {
            event_board.event.id: event_board
            for view in scope.views
            for event_board in board.claims_board(view).events
        }
        merged = sorted(scope.merged, key=lambda e: (_date(e) is None, _date(e) or "", e.id))
        items = {event.id: self.event(event, boards.get(event.id)) for event in merged}
        claims = [self.claims(items[b.event.id], b) for b in _board_order(boards.values())]
        quotes = self.quotes(merged)
        articles = [self.article(article) for article in scope.articles]
        # A mention of an article the store no longer holds is still cited: it gets a section
        # of its own, with what the mention says of it.
        for gone in dict.fromkeys(
            r.article for r in self.refs.values() if r.article not in self.articles
        ):
            refs = tuple(
                r for r in sorted(self.refs.values(), key=lambda r: r.n) if r.article == gone
            )
            articles.append(
                ArticleItem(
                    id=gone,
                    title=None,
                    publisher=refs[0].publisher,
                    published=refs[0].published,
                    url=None,
                    refs=refs,
                )
            )
        if scope.story is not None:
            title = scope.story.title
        else:
            title = f"{country_name(scope.country or '')}: situation report{period}"
        events = tuple(items.values())
        return Report(
            title=title,
            scope="story" if scope.story is not None else "country",
            story_id=scope.story.id if scope.story is not None else None,
            country=scope.country,
            country_name=country_name(scope.country) if scope.country else None,
            since=scope.since,
            until=scope.until,
            generated=now.astimezone(UTC).replace(microsecond=0).isoformat(),
            store=store,
            events=events,
            claims=tuple(claims),
            open_questions=tuple(
                line for claim in claims for line in claim.lines if line.open_question
            ),
            quotes=quotes,
            articles=tuple(a for a in articles if a.refs),
            refs=tuple(sorted(self.refs.values(), key=lambda r: r.n)),
            map_svg=map_svg(_map_points(events), title=f"Map: {title}"),
            timeline_svg=timeline_svg(
                [
                    TimelineEvent(date=item.date, label=f"{item.type} {item.place or ''}".strip())
                    for item in events
                    if item.date
                ],
                title=f"Timeline: {title}",
            ),
        )

    def event(self, event: MergedEvent, event_board: board.EventBoard | None) -> EventItem:
        dead = event_board.toll_range("dead") if event_board is not None else None
        return EventItem(
            id=event.id,
            date=_date(event),
            type=event.type,
            status=event.status,
            source=tuple(self.names.get(actor, actor) for actor in event.source),
            target=tuple(self.names.get(actor, actor) for actor in event.target),
            place=event.place,
            country=event.country,
            lat=event.lat,
            lon=event.lon,
            sources=event.sources,
            mentions=len(event.mentions),
            dead=None if dead is None else _figure(*dead),
            refs=tuple(dict.fromkeys(self.ref(m.article, m.evidence, m) for m in event.mentions)),
        )

    def claims(self, item: EventItem, event_board: board.EventBoard) -> EventClaims:
        lines = tuple(self.claim(line) for line in event_board.lines)
        tolls = tuple(
            (
                unit,
                tuple(
                    TollItem(
                        unit=unit,
                        figure=("about " if toll.approx else "") + _figure(toll.low, toll.high),
                        claimant=self._name(toll.claimant),
                        publisher=toll.publisher,
                        ref=self.ref(toll.article, toll.evidence),
                    )
                    for toll in figures
                ),
            )
            for unit, figures in sorted(event_board.tolls.items())
        )
        return EventClaims(
            event=item,
            lines=lines,
            conflicts=tuple(line for line in lines if line.conflicting),
            tolls=tolls,
        )

    def claim(self, line: board.BoardLine) -> ClaimItem:
        return ClaimItem(
            claimant=self._name(line.claimant),
            stance=line.stance,
            text=line.evidence.text,
            hedged=line.hedged,
            verification=line.verification,
            conflicting=line.conflicting,
            open_question=line.open_question,
            publisher=line.publisher,
            ref=self.ref(line.article, line.evidence),
        )

    def quotes(self, merged: Sequence[MergedEvent]) -> tuple[QuoteItem, ...]:
        """The quotes worth reading: with a known speaker, in a sentence that tells one of the
        report's events, direct words first; then in the order of the text."""
        told = {(m.article, m.evidence.sentence) for event in merged for m in event.mentions}
        found: list[tuple[tuple[bool, bool, str, int], Article, str, Quote]] = []
        for article in self.scope.articles:
            entities = {entity.id: entity for entity in article.entities}
            for quote in article.quotes:
                speaker = _speaker(entities, quote.speaker, quote.speaker_text)
                if not speaker:
                    continue
                rank = (
                    (article.id, quote.content.sentence) not in told,
                    quote.kind != "direct",
                    article.published or "",
                    quote.content.start,
                )
                found.append((rank, article, speaker, quote))
        found.sort(key=lambda item: item[0])
        kept = sorted(
            found[:_MOST_QUOTES],
            key=lambda item: (item[1].published or "", item[1].id, item[3].content.start),
        )
        return tuple(self._quote(article, speaker, quote) for _, article, speaker, quote in kept)

    def _quote(self, article: Article, speaker: str, quote: Quote) -> QuoteItem:
        return QuoteItem(
            speaker=speaker,
            text=quote.content.text,
            kind=quote.kind,
            channel=quote.channel,
            publisher=article.publisher,
            ref=self.ref(article.id, quote.content),
        )

    def article(self, article: Article) -> ArticleItem:
        refs = tuple(
            sorted((r for r in self.refs.values() if r.article == article.id), key=lambda r: r.n)
        )
        return ArticleItem(
            id=article.id,
            title=article.title,
            publisher=article.publisher,
            published=article.published,
            url=article.url if _web_url(article.url) else None,
            refs=refs,
        )

    def _name(self, actor: str | None) -> str | None:
        return None if actor is None else self.names.get(actor, actor)


def _board_order(boards: Iterable[board.EventBoard]) -> list[board.EventBoard]:
    """The board's own order across stories: conflicts first, then disputed, then the most
    reported."""
    return sorted(
        boards, key=lambda b: (not b.conflicts, b.event.status != "disputed", -b.event.sources)
    )


def _actor_names(articles: Iterable[Article]) -> dict[str, str]:
    """Knowledge-base actor id -> the name the reports use for it, for readers who do not
    know the ids."""
    names: dict[str, str] = {}
    for article in articles:
        for entity in article.entities:
            if entity.actor is not None:
                names.setdefault(entity.actor, entity.name)
    return names


def _speaker(entities: Mapping[str, Entity], speaker: str | None, text: str | None) -> str | None:
    entity = entities.get(speaker) if speaker is not None else None
    if entity is not None:
        return entity.name
    return text


def _date(event: MergedEvent) -> str | None:
    """The event's date, else the latest day a report of it was published (as ``events``)."""
    published = [m.published for m in event.mentions if m.published]
    return event.date or max(published, default=None)


def _figure(low: float, high: float) -> str:
    def number(value: float) -> str:
        return f"{value:,.0f}" if value == int(value) else f"{value:,}"

    return number(low) if low == high else f"{number(low)}-{number(high)}"


def _map_points(events: Sequence[EventItem]) -> list[MapPoint]:
    """One point per place: events at the same coordinates share it, their sources added."""
    grouped: dict[tuple[float, float], list[EventItem]] = {}
    for item in events:
        if item.lat is not None and item.lon is not None:
            grouped.setdefault((round(item.lat, 3), round(item.lon, 3)), []).append(item)
    points = []
    for (lat, lon), items in grouped.items():
        place = items[0].place or f"{lat}, {lon}"
        kinds = ", ".join(sorted({item.type for item in items}))
        sources = sum(item.sources for item in items)
        points.append(
            MapPoint(
                lat=lat,
                lon=lon,
                sources=sources,
                label=f"{place}: {len(items)} event(s) ({kinds}), {sources} source(s)",
                country=items[0].country,
            )
        )
    return points


def _period(since: str | None, until: str | None) -> str:
    if since and until:
        return f" from {since} to {until}"
    if since:
        return f" since {since}"
    if until:
        return f" until {until}"
    return ""


def country_name(code: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return str(found.name) if found is not None else code


def _web_url(url: str | None) -> bool:
    return url is not None and url.lower().startswith(("http://", "https://"))


# -- rendering ------------------------------------------------------------------------------------

# Markdown that a record's text could use to become a link, an image, HTML, code, emphasis, a
# heading, a list or a table cell: escaped with a backslash, which CommonMark allows before any
# ASCII punctuation. "://" and "www." are broken up so GitHub's autolinks find no URL either.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&$])")
_MD_LINE_START = re.compile(r"^(\s*)([-+#=])|^(\s*\d+)([.)])")
_SPACES = re.compile(r"\s+")
_MD_AUTOLINK = re.compile(r"(?i)(:)(?=//)|(?<=www)(\.)")


def markdown_escape(value: object) -> str:
    """``value`` as Markdown that shows its characters and nothing else: one line, every
    Markdown sign escaped."""
    text = _SPACES.sub(" ", str(value))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_AUTOLINK.sub(lambda m: "\\" + m.group(0), text)
    return _MD_LINE_START.sub(_escape_start, text)


def _escape_start(found: re.Match[str]) -> str:
    """A list marker or heading sign at the start of the value, escaped: "\\-", "12\\."."""
    if found.group(2) is not None:
        return f"{found.group(1)}\\{found.group(2)}"
    return f"{found.group(3)}\\{found.group(4)}"


def _md_finalize(value: object) -> object:
    """Every value a Markdown template prints is escaped, unless the report itself marked it
    safe (``Markup``): a user's template is as safe as the shipped one."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return markdown_escape(value)


def render_report(
    report: Report,
    *,
    format: Format,  # shadows the builtin: the option is --format
    template: Path | None = None,
    name: str | None = None,
) -> Rendered:
    """The report through the shipped template for ``format``, or through ``template``.

    ``name`` is the report file's stem: a Markdown report's map and timeline are files beside
    it (``NAME.map.svg``, ``NAME.timeline.svg``), which ``Rendered.files`` holds; without a
    name (a report to standard output) the Markdown has neither. E512 when
    the template cannot be read, E513 for a syntax error, E514 for an error while it runs,
    each with the template's file and line.
    """
    files: dict[str, str] = {}
    # A template may come from someone else: Jinja2's sandbox keeps it to the report's data
    # (no Python internals, no changing the records).
    if format == "md":
        env = ImmutableSandboxedEnvironment(
            autoescape=False,  # Markdown is escaped by _md_finalize, value by value
            finalize=_md_finalize,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["md"] = markdown_escape
        env.globals["cite"] = _md_cite
        map_file = timeline_file = None
        if report.map_svg is not None and name:
            map_file = f"{name}.map.svg"
            files[map_file] = _svg_file(report.map_svg)
        if report.timeline_svg is not None and name:
            timeline_file = f"{name}.timeline.svg"
            files[timeline_file] = _svg_file(report.timeline_svg)
        context: dict[str, Any] = {
            # File names the report chose: marked safe so that the link stays a link.
            "map_file": Markup(_url_path(map_file)) if map_file else None,
            "timeline_file": Markup(_url_path(timeline_file)) if timeline_file else None,
        }
    else:
        env = ImmutableSandboxedEnvironment(
            autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
        )
        env.globals["cite"] = _html_cite
        context = {"map_file": None, "timeline_file": None}
    # The SVG is built by svg.py, every record string in it escaped there.
    context["map_svg"] = Markup(report.map_svg) if report.map_svg else None
    context["timeline_svg"] = Markup(report.timeline_svg) if report.timeline_svg else None
    context["report"] = report
    path = template or _TEMPLATES / f"report.{format}.j2"
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(Errors.E512.format(path=path, detail=exc)) from exc
    try:
        compiled = env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise ExportError(
            Errors.E513.format(path=path, line=exc.lineno, detail=exc.message)
        ) from exc
    try:
        text = compiled.render(context)
    except jinja2.TemplateError as exc:
        raise ExportError(
            Errors.E514.format(path=path, line=_template_line(exc), detail=exc)
        ) from exc
    return Rendered(text=text, files=files)


def _cited(refs: Ref | Iterable[Ref]) -> list[Ref]:
    return [refs] if isinstance(refs, Ref) else list(refs)


def _md_cite(refs: Ref | Iterable[Ref]) -> Markup:
    """``cite(ref)`` or ``cite(refs)`` in a Markdown template: footnote marks, ``[^3][^4]``."""
    return Markup("".join(f"[^{ref.n}]" for ref in _cited(refs)))


def _html_cite(refs: Ref | Iterable[Ref]) -> Markup:
    """``cite(ref)`` or ``cite(refs)`` in an HTML template: links to the quoted words."""
    return Markup("").join(
        Markup('<a class="ref" href="#{}">[{}]</a>').format(ref.anchor, ref.n)
        for ref in _cited(refs)
    )


def _template_line(exc: Exception) -> int | str:
    """The template's line in the traceback of an error raised while it ran: Jinja2 marks the
    frames of template code with the file name '<template>'."""
    line: int | str = "?"
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _svg_file(markup: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + markup + "\n"


def _url_path(name: str) -> str:
    """A file name as a relative link target: only characters a link keeps as they are."""
    from urllib.parse import quote

    return quote(name)
