"""The claims board of a story: who claims what about each real event, side by side.

newsdesk never turns a claim into a fact. For every merged event of a story the board lists what
each report's parties say of it (the claims whose words cover the event, else the event itself
as its article reports it), which of those conflict (one side asserts, another denies; tolls
that cannot both be right), the tolls by source, and the open questions: claims the text says
nobody verified, or that another party disputes. Every line points at its words in its article
(``article`` and ``evidence``), so a page or a report links each statement to its evidence.

The web app's story page and the situation reports draw this one board:

    >>> from newsdesk import board, desk
    >>> view = desk.story(store, story_id)
    >>> for line in board.claims_board(view).events[0].conflicts: ...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from newsdesk.records import (
    TOLL_UNITS,
    Article,
    Claim,
    Entity,
    Event,
    Evidence,
    MergedEvent,
    Quantity,
)

if TYPE_CHECKING:
    from newsdesk.desk import StoryView

__all__ = ["BoardLine", "ClaimsBoard", "EventBoard", "Toll", "claims_board"]


@dataclass(frozen=True, slots=True)
class BoardLine:
    """One party's word on an event, as one report gives it."""

    article: str
    publisher: str | None
    published: str | None
    claimant: str | None
    """Who claims it: an actor id or a name; None when the report asserts it in its own voice."""
    stance: Literal["assert", "deny"]
    evidence: Evidence
    """The claim's words in ``article``'s text."""
    hedged: bool
    verification: str | None
    """``unverified``, ``disputed`` or ``confirmed`` when the text says; None when silent."""
    conflicting: bool
    """True when the merged event lists this claim among its conflicts."""

    @property
    def open_question(self) -> bool:
        """Worth flagging to a reader: nobody verified it, another party disputes it, or it
        conflicts with another report."""
        return self.verification in {"unverified", "disputed"} or self.conflicting


@dataclass(frozen=True, slots=True)
class Toll:
    """One report's figure for one kind of toll (the dead, the injured, ...)."""

    unit: str
    low: float
    high: float
    approx: bool
    claimant: str | None
    article: str
    publisher: str | None
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class EventBoard:
    event: MergedEvent
    lines: tuple[BoardLine, ...]
    """Every party's word on the event, in the order the reports were published."""
    tolls: Mapping[str, tuple[Toll, ...]]
    """Each kind of toll's figures, one per report that gives one, lowest first."""

    @property
    def conflicts(self) -> tuple[BoardLine, ...]:
        return tuple(line for line in self.lines if line.conflicting)

    @property
    def open_questions(self) -> tuple[BoardLine, ...]:
        return tuple(line for line in self.lines if line.open_question)

    def toll_range(self, unit: str) -> tuple[float, float] | None:
        """The lowest and the highest figure any report gives, or None when none does."""
        figures = self.tolls.get(unit, ())
        if not figures:
            return None
        return min(t.low for t in figures), max(t.high for t in figures)


@dataclass(frozen=True, slots=True)
class ClaimsBoard:
    events: tuple[EventBoard, ...]
    """The story's merged events that anyone makes a claim about or gives a toll for, the
    disputed and most-reported first."""

    @property
    def open_questions(self) -> tuple[BoardLine, ...]:
        return tuple(line for event in self.events for line in event.open_questions)


def claims_board(view: StoryView) -> ClaimsBoard:
    """The board of ``view``'s story (``newsdesk.desk.story``)."""
    articles = {article.id: article for article in view.articles}
    boards = [_event_board(event, articles) for event in view.merged]
    kept = [board for board in boards if board.lines or board.tolls]
    kept.sort(key=lambda b: (not b.conflicts, b.event.status != "disputed", -b.event.sources))
    return ClaimsBoard(events=tuple(kept))


def _event_board(event: MergedEvent, articles: Mapping[str, Article]) -> EventBoard:
    conflicts = {_key(claim.content) for claim in event.conflicts}
    lines: dict[tuple[str, int, int, str], BoardLine] = {}
    tolls: dict[tuple[str, int, int], Toll] = {}
    for mention in sorted(event.mentions, key=lambda m: m.published or ""):
        article = articles.get(mention.article)
        if article is None or mention.event >= len(article.events):
            continue  # an article the store no longer holds: its mention says no more
        reported = article.events[mention.event]
        entities = {entity.id: entity for entity in article.entities}
        claims = _claims_about(reported, article.claims)
        found = [_line(article, claim, entities, conflicts) for claim in claims]
        if not claims and (reported.claimed_by is not None or reported.verification is not None):
            found.append(_event_line(article, reported, entities, conflicts))
        # An article may tell one event twice (the attack, then its toll): one line per claim.
        for line in found:
            lines.setdefault((article.id, *_key(line.evidence)[:2], line.claimant or ""), line)
        figures = [(q, claim.claimant) for claim in claims for q in claim.quantities]
        figures += [(q, reported.claimed_by) for q in reported.quantities]
        for quantity, claimant in figures:
            if quantity.unit in TOLL_UNITS:
                where = (article.id, quantity.evidence.start, quantity.evidence.end)
                tolls.setdefault(where, _toll(quantity, _name(entities, claimant), article))
    by_unit: dict[str, list[Toll]] = {}
    for toll in tolls.values():
        by_unit.setdefault(toll.unit, []).append(toll)
    return EventBoard(
        event=event,
        lines=tuple(lines.values()),
        tolls={unit: tuple(sorted(found, key=lambda t: t.low)) for unit, found in by_unit.items()},
    )


def _claims_about(event: Event, claims: Iterable[Claim]) -> list[Claim]:
    """The claims whose words overlap the event's: the merge step reads them the same way."""
    return [
        claim
        for claim in claims
        if claim.content.start < event.evidence.end and event.evidence.start < claim.content.end
    ]


def _line(
    article: Article,
    claim: Claim,
    entities: Mapping[str, Entity],
    conflicts: set[tuple[int, int, str]],
) -> BoardLine:
    return BoardLine(
        article=article.id,
        publisher=article.publisher,
        published=article.published,
        claimant=_name(entities, claim.claimant),
        stance=claim.stance,
        evidence=claim.content,
        hedged=claim.hedged,
        verification=claim.verification,
        conflicting=_key(claim.content) in conflicts,
    )


def _event_line(
    article: Article,
    event: Event,
    entities: Mapping[str, Entity],
    conflicts: set[tuple[int, int, str]],
) -> BoardLine:
    """The event as its report gives it, when no claim covers it but a party claims it or the
    text says how it was checked."""
    return BoardLine(
        article=article.id,
        publisher=article.publisher,
        published=article.published,
        claimant=_name(entities, event.claimed_by),
        stance="deny" if event.status in {"denied", "negated"} else "assert",
        evidence=event.evidence,
        hedged=False,
        verification=event.verification,
        conflicting=_key(event.evidence) in conflicts,
    )


def _toll(quantity: Quantity, claimant: str | None, article: Article) -> Toll:
    low, high = quantity.value if isinstance(quantity.value, tuple) else (quantity.value,) * 2
    return Toll(
        unit=str(quantity.unit),
        low=low,
        high=high,
        approx=quantity.approx,
        claimant=claimant,
        article=article.id,
        publisher=article.publisher,
        evidence=quantity.evidence,
    )


def _name(entities: Mapping[str, Entity], entity_id: str | None) -> str | None:
    """An entity as the merge step names a claimant: its actor id, else its name."""
    if entity_id is None:
        return None
    entity = entities.get(entity_id)
    if entity is None:
        return entity_id
    return entity.actor or entity.name


def _key(evidence: Evidence) -> tuple[int, int, str]:
    return evidence.start, evidence.end, evidence.text
