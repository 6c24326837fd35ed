"""Readable summaries of Article records for the terminal (rich tables)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newsdesk.records import Article, Entity, Rejected


def article_summary(article: Article, *, wide: bool = False) -> Group:
    """The article's metadata, blocks, entities ... events, as rich renderables.

    Cells hold the article's text as ``Text`` (never markup). Unless ``wide``, every cell is
    one line cut with an ellipsis, so the tables fit the terminal.
    """
    tables = (
        _blocks(article),
        _entities(article),
        _places(article),
        _times(article),
        _quantities(article),
        _quotes(article),
        _claims(article),
        _events(article),
    )
    if not wide:
        for table in tables:
            _one_line_cells(table)
    return Group(_header(article), *tables)


def _one_line_cells(table: Table) -> None:
    """Cut every cell to one line with an ellipsis; the columns may still narrow (never below
    their header) to fit the terminal, so no column is squeezed out of sight."""
    for column in table.columns:
        column.overflow = "ellipsis"
        column.min_width = len(str(column.header))
        for cell in column.cells:
            if isinstance(cell, Text):
                cell.no_wrap, cell.overflow = True, "ellipsis"


_SHOWN_EVENTS = 3


def article_line(article: Article) -> Group:
    """A few lines on an article: title, source, what was found, and its first events."""
    names = _names(article)
    head = Text()
    head.append(article.title or "(no title)", style="bold")
    source = ", ".join(part for part in (article.publisher, article.published) if part)
    if source:
        head.append(f" ({source})")
    found = Text(
        f"{len(article.entities)} entities, {len(article.places)} places, "
        f"{len(article.quotes)} quotes, {len(article.claims)} claims, "
        f"{len(article.events)} events"
    )
    lines: list[Text] = [head, found]
    # The events newsdesk is surest of, in the order the article tells them.
    surest = sorted(range(len(article.events)), key=lambda i: -article.events[i].confidence)
    for event in (article.events[i] for i in sorted(surest[:_SHOWN_EVENTS])):
        who = "; ".join(names.get(entity, entity) for entity in event.source) or "(no source)"
        whom = "; ".join(names.get(entity, entity) for entity in event.target)
        line = f"  {event.type} {event.status}: {who}" + (f" -> {whom}" if whom else "")
        if event.place is not None:
            line += f", {article.places[event.place].name}"
        if event.date:
            line += f" ({event.date})"
        lines.append(Text(line, no_wrap=True, overflow="ellipsis"))
    if len(article.events) > _SHOWN_EVENTS:
        lines.append(Text(f"  ... and {len(article.events) - _SHOWN_EVENTS} more events"))
    return Group(*lines)


def rejected_summary(rejected: Rejected) -> Text:
    where = f"{rejected.source}: " if rejected.source else ""
    return Text(f"{where}rejected [{rejected.code}] {rejected.reason}", style="bold red")


def corpus_table(results: Sequence[tuple[str, Article | Rejected]]) -> Table:
    """One line per input: what it is, and how much was found in it."""
    table = Table(title="Articles", show_lines=False)
    for column in ("file", "title", "publisher", "published", "words", "events"):
        table.add_column(column, overflow="ellipsis", no_wrap=True)
    for name, result in results:
        if isinstance(result, Rejected):
            _add(table, name, Text(f"rejected [{result.code}] {result.reason}", style="red"))
            continue
        body_words = sum(
            len(result.text[block.start : block.end].split())
            for block in result.blocks
            if block.kind == "body"
        )
        _add(
            table,
            name,
            Text(result.title or ""),
            result.publisher or "",
            result.published or "unknown",
            str(body_words),
            str(len(result.events)),
        )
    return table


def _header(article: Article) -> Panel:
    lines = Table.grid(padding=(0, 2))
    lines.add_column(style="bold")
    lines.add_column()
    fields = {
        "title": article.title,
        "publisher": article.publisher,
        "published": article.published or "unknown (not stated in the source)",
        "authors": ", ".join(article.authors),
        "dateline": article.dateline,
        "language": article.language,
        "url": article.url,
        "hashtags": " ".join(f"#{tag}" for tag in article.hashtags),
        "links": " ".join(article.links),
        "id": article.id,
    }
    for name, value in fields.items():
        if value:
            _add(lines, name, value)
    return Panel(lines, title="Article", expand=False)


def _blocks(article: Article) -> Table:
    counts: Counter[str] = Counter(block.kind for block in article.blocks)
    table = Table(title="Blocks", caption=_count_line(counts))
    table.add_column("kind")
    table.add_column("text", overflow="fold")
    table.add_column("credit")
    for block in article.blocks:
        if block.kind == "body":
            continue
        text = article.text[block.start : block.end]
        _add(table, block.kind, _shorten(text, 90), block.credit or "")
    return table


def _entities(article: Article) -> Table:
    table = Table(title="Entities")
    for column in ("id", "name", "type", "actor", "aliases", "roles", "mentions"):
        table.add_column(column, overflow="fold")
    for entity in article.entities:
        _add(
            table,
            entity.id,
            entity.name,
            entity.type + (" (outlet)" if entity.outlet else ""),
            entity.actor or "",
            "; ".join(entity.aliases),
            _roles(entity, article),
            _mention_count(entity),
        )
    return table


def _mention_count(entity: Entity) -> str:
    """How often the article names the entity, and how often it points back to it ("he")."""
    references = sum(mention.role == "reference" for mention in entity.mentions)
    names = str(len(entity.mentions) - references)
    return f"{names} (+{references} references)" if references else names


def _places(article: Article) -> Table:
    table = Table(title="Places")
    for column in ("name", "country", "kind", "precision", "lat, lon", "confidence", "mentions"):
        table.add_column(column, overflow="fold")
    for place in article.places:
        known = place.lat is not None and place.lon is not None
        point = f"{place.lat:.2f}, {place.lon:.2f}" if known else "unknown"
        relations = "; ".join(
            f"{r.distance:g} {r.unit} {r.relation} {r.anchor_text}"
            if r.distance
            else f"{r.relation} {r.anchor_text}"
            for r in place.relative
        )
        _add(
            table,
            place.name + (f" ({relations})" if relations else ""),
            place.country or "",
            place.feature or "",
            str(place.precision or ""),
            point,
            f"{place.confidence:.2f}" if place.confidence is not None else "",
            str(len(place.mentions)),
        )
    return table


def places_explanation(article: Article) -> Table:
    """Each place with the readings the geocoder weighed, their scores and the evidence
    behind each score, the chosen reading first (``newsdesk analyze --explain-places``)."""
    table = Table(title="Places: readings weighed")
    for column in ("place", "reading", "country", "region", "kind", "score", "reasons"):
        # Folded, never cut, one reason a line: a code ("article_region:AF/Baghlan") is read
        # whole.
        table.add_column(column, overflow="fold")
    for place in article.places:
        written = place.mentions[0].text if place.mentions else place.name
        if not place.readings:
            why = "\n".join(place.reasons) or "no reading in the gazetteer"
            _add(table, written, place.name, place.country or "", "", "", "", why)
            continue
        for number, reading in enumerate(place.readings):
            chosen = reading.gazetteer_id == place.gazetteer_id
            _add(
                table,
                written if number == 0 else "",
                ("* " if chosen else "  ") + reading.name,
                reading.country or "",
                reading.admin1 or "",
                reading.feature,
                f"{reading.score:.2f}",
                "\n".join(reading.reasons),
            )
    return table


def _times(article: Article) -> Table:
    table = Table(title="Times")
    for column in ("text", "value", "precision", "sentence"):
        table.add_column(column, overflow="fold")
    for time in article.times:
        _add(
            table,
            time.text,
            time.value or "unknown",
            time.precision or "",
            str(time.evidence.sentence),
        )
    return table


def _quantities(article: Article) -> Table:
    table = Table(title="Quantities")
    for column in ("text", "value", "unit"):
        table.add_column(column, overflow="fold")
    for quantity in article.quantities:
        value = quantity.value
        shown = f"{value[0]:g}-{value[1]:g}" if isinstance(value, tuple) else f"{value:g}"
        _add(
            table,
            quantity.evidence.text,
            ("~" if quantity.approx else "") + shown,
            quantity.unit or "",
        )
    return table


def _quotes(article: Article) -> Table:
    names = _names(article)
    table = Table(title="Quotes")
    for column in ("speaker", "kind", "cue", "channel", "outlet", "content"):
        table.add_column(column, overflow="fold")
    for quote in article.quotes:
        _add(
            table,
            names.get(quote.speaker or "", quote.speaker_text or ""),
            quote.kind,
            quote.cue.text if quote.cue else "",
            quote.channel or "",
            quote.outlet_text or "",
            _shorten(quote.content.text, 80),
        )
    return table


def _claims(article: Article) -> Table:
    names = _names(article)
    table = Table(title="Claims")
    for column in ("claimant", "stance", "hedged", "verification", "claim"):
        table.add_column(column, overflow="fold")
    for claim in article.claims:
        verification: str = claim.verification or ""
        if claim.verification_evidence is not None:
            verification += f" ({claim.verification_evidence.text})"
        _add(
            table,
            names.get(claim.claimant or "", "unknown"),
            claim.stance,
            "yes" if claim.hedged else "",
            verification,
            _shorten(claim.content.text, 80),
        )
    return table


def _events(article: Article) -> Table:
    names = _names(article)
    table = Table(title="Events")
    columns = ("type", "status", "source", "target", "place", "date", "verification", "trigger")
    for column in columns:
        table.add_column(column, overflow="fold")
    for event in article.events:
        status: str = event.status
        if event.claimed_by:
            status += f" by {names.get(event.claimed_by, event.claimed_by)}"
        verification: str = event.verification or ""
        if event.verification_evidence is not None:
            verification += f" ({event.verification_evidence.text})"
        _add(
            table,
            event.type + (f" ({event.mode})" if event.mode else ""),
            status,
            "; ".join(names.get(entity, entity) for entity in event.source),
            "; ".join(names.get(entity, entity) for entity in event.target),
            article.places[event.place].name if event.place is not None else "",
            event.date or "",
            verification,
            event.trigger.text,
        )
    return table


def _add(table: Table, *cells: str | Text) -> None:
    """A row whose text cells are ``Text``: article text is never read as rich markup."""
    table.add_row(*(Text(cell) if isinstance(cell, str) else cell for cell in cells))


def _names(article: Article) -> dict[str, str]:
    return {entity.id: entity.name for entity in article.entities}


def _roles(entity: Entity, article: Article) -> str:
    names = {other.id: other.name for other in article.entities}
    parts = []
    for role in entity.roles:
        of = names.get(role.of or "", role.of_text)
        parts.append(f"{role.title} of {of}" if of else role.title)
    return "; ".join(parts)


def _count_line(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{kind}: {count}" for kind, count in sorted(counts.items()))


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
