"""An article's text as HTML with every extracted field marked at its evidence.

Fields overlap and nest (a person's name inside a quote inside a claim inside an event's
sentence), and HTML elements cannot cross, so the text is cut at every field's and every
block's start and end into segments: each segment is covered by the same fields from end to
end, and carries their ids (``data-f``). A field is then exactly the segments whose ``data-f``
holds its id, in order, and their text is ``text[start:end]``. Blocks (caption, credit, promo,
boilerplate ...) wrap their segments, and the text between blocks stays as it is, so the
page's text content is the article's text, character for character.

Every character of the text is escaped here (markupsafe): the text is untrusted, and markup in
it (``<script>``, ``&lt;script&gt;``) must show as the characters it is.

    >>> from newsdesk.serve.highlight import highlight
    >>> marked = highlight(article)
    >>> marked.html       # Markup, safe to put in a template as it is
    >>> marked.fields     # what each data-f id stands for
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from newsdesk.records import Article, Block, Evidence

__all__ = ["Field", "Highlighted", "article_fields", "highlight", "render"]


@dataclass(frozen=True, slots=True)
class Field:
    """One extracted field at its evidence, as the page lists it."""

    id: str
    """``f`` and a number: unique within one article's page, what ``data-f`` holds."""
    kind: str
    """entity, place, time, quantity, quote, cue, claim, hedge, event, trigger, verification,
    role."""
    label: str
    start: int
    end: int
    text: str
    details: tuple[tuple[str, str], ...] = ()
    """What else the record says of it, as (name, value) pairs: untrusted, escaped by the
    template."""
    link: str | None = None
    """A page of the desk about it (a merged event's card), a path on this site."""


@dataclass(frozen=True, slots=True)
class Highlighted:
    html: Markup
    fields: tuple[Field, ...]


def highlight(article: Article, *, event_links: Mapping[int, str] | None = None) -> Highlighted:
    """The article's text marked with its fields (``event_links``: a path per event index,
    such as its merged event's card)."""
    fields = article_fields(article, event_links=event_links or {})
    return Highlighted(html=render(article.text, fields, article.blocks), fields=tuple(fields))


def render(text: str, fields: Sequence[Field], blocks: Sequence[Block] = ()) -> Markup:
    """``text`` as escaped HTML: each stretch covered by fields in a ``<span class="hl">``
    naming them, each block in a ``<span class="block">`` naming its kind. Fields or blocks
    whose offsets fall outside the text or are empty are left out (a record promises they do
    not occur)."""
    size = len(text)
    kept = [field for field in fields if 0 <= field.start < field.end <= size]
    # Blocks as the segmenter makes them do not overlap; should two, the later one is dropped
    # rather than the HTML nested wrongly.
    placed: list[tuple[int, Block]] = []
    for index, block in sorted(enumerate(blocks), key=lambda item: item[1].start):
        if 0 <= block.start < block.end <= size and (
            not placed or placed[-1][1].end <= block.start
        ):
            placed.append((index, block))
    cuts = {0, size}
    for field in kept:
        cuts.update((field.start, field.end))
    for _, block in placed:
        cuts.update((block.start, block.end))
    starts: dict[int, list[Field]] = {}
    for field in kept:
        starts.setdefault(field.start, []).append(field)
    opening = {block.start: (index, block) for index, block in placed}
    closing = {block.end for _, block in placed}
    active: dict[str, Field] = {}
    parts: list[str] = []
    inside = False
    points = sorted(cuts)
    for left, right in pairwise(points):
        if inside and left in closing:
            parts.append("</span>")
            inside = False
        if left in opening:
            index, block = opening[left]
            parts.append(
                f'<span class="block b-{escape(block.kind)}" data-block="{index}" '
                f'data-kind="{escape(block.kind)}">'
            )
            inside = True
        for field in starts.get(left, ()):
            active[field.id] = field
        for field_id in [key for key, field in active.items() if field.end <= left]:
            del active[field_id]
        # A carriage return as a character reference: HTML parsers turn a raw one into a line
        # feed, and the page's text must be the article's.
        piece = Markup(str(escape(text[left:right])).replace("\r", "&#13;"))
        if active:
            ids = escape(" ".join(active))
            kinds = escape(" ".join(sorted({f"k-{field.kind}" for field in active.values()})))
            first = any(field.start == left for field in active.values())
            focus = ' tabindex="0"' if first else ""
            parts.append(f'<span class="hl {kinds}" data-f="{ids}"{focus}>{piece}</span>')
        elif not inside and not text[left:right].strip():
            # The blank between two blocks: kept for the text, hidden for the layout.
            parts.append(f'<span class="gap">{piece}</span>')
        else:
            parts.append(str(piece))
    if inside:
        parts.append("</span>")
    return Markup("".join(parts))


def article_fields(article: Article, *, event_links: Mapping[int, str]) -> list[Field]:
    """Every field of ``article`` at each of its evidence spans, in the record's order."""
    names = {entity.id: entity.name for entity in article.entities}
    made: list[Field] = []
    about: tuple[tuple[str, str | None], ...]

    def add(
        kind: str,
        label: str,
        evidence: Evidence | None,
        details: Iterable[tuple[str, str | None]] = (),
        link: str | None = None,
    ) -> None:
        if evidence is None:
            return
        made.append(
            Field(
                id=f"f{len(made)}",
                kind=kind,
                label=label,
                start=evidence.start,
                end=evidence.end,
                text=evidence.text,
                details=tuple((name, value) for name, value in details if value),
                link=link,
            )
        )

    for entity in article.entities:
        about = (
            ("type", entity.type),
            ("actor", entity.actor),
            ("sector", entity.sector),
            ("country", entity.country),
        )
        for mention in entity.mentions:
            add("entity", f"{entity.type}: {entity.name}", mention, (*about, ("as", mention.role)))
        for role in entity.roles:
            add(
                "role",
                f"role of {entity.name}: {role.title}",
                role.evidence,
                (("of", role.of_text),),
            )
    for place in article.places:
        where = (
            None if place.lat is None or place.lon is None else f"{place.lat:.4f}, {place.lon:.4f}"
        )
        about = (
            ("country", place.country),
            ("region", place.admin1),
            ("coordinates", where),
            ("precision", _text(place.precision)),
            ("why", ", ".join(place.reasons)),
        )
        for mention in place.mentions:
            add("place", f"place: {place.name}", mention, (*about, ("as", mention.role)))
    for time in article.times:
        add(
            "time",
            f"time: {time.value or time.text}",
            time.evidence,
            (("precision", time.precision),),
        )
    for quantity in article.quantities:
        add(
            "quantity",
            f"quantity: {_amount(quantity.value)} {quantity.unit or ''}".rstrip(),
            quantity.evidence,
            (("approximate", "yes" if quantity.approx else None),),
        )
    for quote in article.quotes:
        speaker = names.get(quote.speaker or "", quote.speaker_text)
        about = (
            ("speaker", speaker),
            ("said as", quote.speaker_text),
            ("channel", quote.channel),
            ("outlet", quote.outlet_text),
        )
        add(
            "quote",
            f"{quote.kind} quote of {speaker or 'an unnamed speaker'}",
            quote.content,
            about,
        )
        add("cue", f"speech cue for {speaker or 'an unnamed speaker'}", quote.cue)
    for claim in article.claims:
        claimant = names.get(claim.claimant or "", claim.claimant)
        about = (
            ("claimant", claimant),
            ("stance", claim.stance),
            ("hedged", "yes" if claim.hedged else None),
            ("verification", claim.verification),
        )
        add(
            "claim",
            f"claim by {claimant or 'an unnamed party'} ({claim.stance})",
            claim.content,
            about,
        )
        add("hedge", "hedge", claim.hedge)
        add("verification", f"verification: {claim.verification}", claim.verification_evidence)
    for index, event in enumerate(article.events):
        parties = (
            ("source", ", ".join(names.get(x, x) for x in event.source)),
            ("target", ", ".join(names.get(x, x) for x in event.target)),
            ("status", event.status),
            ("claimed by", names.get(event.claimed_by or "", event.claimed_by)),
            ("date", event.date),
            (
                "place",
                article.places[event.place].name
                if event.place is not None and event.place < len(article.places)
                else None,
            ),
            ("verification", event.verification),
            ("CAMEO", event.cameo),
        )
        link = event_links.get(index)
        label = f"event {index}: {event.type} ({event.status})"
        add("event", label, event.evidence, parties, link)
        add("trigger", f"trigger of {label}", event.trigger, (), link)
        add("verification", f"verification: {event.verification}", event.verification_evidence)
    return made


def _amount(value: float | tuple[float, float]) -> str:
    if isinstance(value, tuple):
        return f"{_number(value[0])}-{_number(value[1])}"
    return _number(value)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _text(value: object) -> str | None:
    return None if value is None else str(value)
