"""``newsdesk_verification``: what the text says of each claim's and event's checking.

newsdesk never settles whether a claim is true; it records what the article says about it, with
the words that say so. After the claims and events stages, each claim and event may get one of:

- ``unverified``: the text says it could not be checked ("could not be independently verified",
  "VOA could not confirm", "there was no independent confirmation", "both sides routinely
  inflate casualty figures");
- ``disputed``: another party denies or contradicts it ("the army denied ...", "rejected the
  claim", "the navy said the ship was not hit", "said the missile missed"); an event whose own
  status is ``denied`` ("the army denied shelling the village") is disputed by that denial;
- ``confirmed``: a source other than its claimant confirms it ("the police confirmed the
  attack", "independently confirmed").

Which claim a note is about: the nearest claim or event in the note's sentence or the one before
(for a denial or confirmation, one before it). When the note's verb names what it is about, the
nearest of that kind up to two sentences back, or none: "the toll" or "casualty figures" a claim
with figures, "the claim" or "the report" someone's claim, "the attack" an event of that type,
"the Houthis' claim" that party's claim however far back (a spokesman's claim is his group's),
the one sharing the most words with it first ("the claim of a direct hit"). A claim and the
events read from inside it are one statement: a note about either is a note about both.

A party's own words are never a note on its own claim: a denial or confirmation counts only
when whoever makes it is not the claimant. One that takes content of its own ("denies
targeting civilians", "confirmed the attack") is about that content: it reaches an earlier
claim only of the same type of act and, for a clause, sharing its words. Not notes: an
adjective ("the disputed region"), a negated or wished denial ("did not deny", "urged Kabul to
deny"), one in a relative clause ("a report which Moscow denied"). A negated statement
contradicts only when it says a past act or outcome did not happen and shares a noun with the
claim ("the ship was not hit"); an opinion ("does not believe") or forecast ("would not")
does not. The cue phrases are the project's own (``newsdesk/data/verification.txt``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsdesk import attributes
from newsdesk.attributes import text_of
from newsdesk.data.event_lexicon import EventLexicon, load_event_lexicon
from newsdesk.data.lexicons import load_phrases
from newsdesk.records import Claim, Entity, Event, Evidence, Quote, Verification
from newsdesk.stages.evidence import evidence_at, sentence_of

NAME = "newsdesk_verification"
REQUIRES = [
    "doc.sents",
    "token.dep",
    "token.lemma",
    f"doc._.{attributes.ENTITIES}",
    f"doc._.{attributes.QUOTES}",
    f"doc._.{attributes.CLAIMS}",
    f"doc._.{attributes.EVENTS}",
]
ASSIGNS = [f"doc._.{attributes.CLAIMS}", f"doc._.{attributes.EVENTS}"]

_KINDS: tuple[Verification, ...] = ("unverified", "disputed", "confirmed")
# A note names a claim up to this many sentences before its own when it says what it is about.
_NAMED_REACH = 2
# Edges by which a denial or confirmation takes content of its own ("denied shelling X",
# "confirmed that X", "confirmed the attack").
_CONTENT_EDGES = frozenset({"ccomp", "xcomp", "dobj", "pcomp", "pobj", "prep"})
_SUBJECT_EDGES = frozenset({"nsubj", "nsubjpass"})
# Edges by which a note's verb names what the note is about ("the toll could not be verified").
_ABOUT_EDGES = frozenset({"nsubj", "nsubjpass", "dobj"})
# Statuses under which an event is someone's report rather than the article's own account.
_REPORTED = frozenset({"claimed", "alleged", "denied"})
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB"})

ItemKind = Literal["claim", "event"]
_R = TypeVar("_R", Claim, Event)


@dataclass(frozen=True)
class _Item:
    """A claim or an event, as the notes are matched to it."""

    kind: ItemKind
    index: int
    start: int
    end: int
    """The claim's content, or the event's trigger."""
    sentence: int
    last_sentence: int
    party: frozenset[str]
    """Who states it: the claimant, or the event's claimant (else its source)."""
    types: frozenset[str]
    """PLOVER types it reports: the event's own, or those of the events inside the claim."""
    nouns: frozenset[str]
    """Lemmas of the nouns, names and verbs it holds."""
    counts: bool
    """True when it holds quantities (a toll, a number of fighters)."""
    reported: bool
    """True when it is someone's claim, not the article's own account."""
    quote: int | None = None


@dataclass(frozen=True)
class _Note:
    """Words in the text that say something of a claim's checking."""

    kind: Verification
    start: int
    end: int
    sentence: int
    party: frozenset[str]
    """Who says it, when the text names them; empty for the reporter or an unknown voice."""
    governed: tuple[_Item, ...] = ()
    """Claims and events the note takes as its own content ("denied shelling X")."""
    nouns: frozenset[str] = frozenset()
    """Nouns the note is about ("the ship", "the charges"): its target must name one of them;
    empty when the note may be about any claim ("denied it", "rejected the claim")."""
    about: frozenset[str] = frozenset()
    """Lemmas of the nouns the note's verb takes as subject or object, or that its relative
    clause hangs on ("the toll could not be verified", "casualty tolls, which are impossible
    to verify")."""
    owner: frozenset[str] = frozenset()
    """Whose claim the note names ("the army's account could not be verified")."""
    own_quote: int | None = None
    reporter: bool = False
    """True when an outlet says it ("Reuters has not independently verified ...")."""


@dataclass(frozen=True)
class _Verdict:
    kind: Verification
    evidence: Evidence


class VerificationReader:
    """The ``newsdesk_verification`` component: ``nlp.add_pipe("newsdesk_verification")``."""

    def __init__(
        self, nlp: Language, name: str = NAME, *, lexicon: EventLexicon | None = None
    ) -> None:
        self.name = name
        self._patterns = {kind: _pattern(load_phrases("verification", kind)) for kind in _KINDS}
        self._contradicting = load_phrases("verification", "contradicting_verbs")
        self._count_nouns = load_phrases("verification", "count_nouns")
        self._claim_nouns = load_phrases("verification", "claim_nouns")
        self._modals = load_phrases("verification", "modals")
        events = lexicon or load_event_lexicon()
        self._denials = events.section("denial_verbs")
        self._event_nouns: dict[str, frozenset[str]] = {}
        for (pos, head), rows in events.predicates.items():
            if pos == "noun":
                self._event_nouns[head] = frozenset(row.type for row in rows)
        # Verbs whose negation says a reported act did not happen: the event verbs, and the
        # outcomes an act's report claims ("the town did not fall").
        self._acts = frozenset(
            head for pos, head in events.predicates if pos == "verb"
        ) | load_phrases("verification", "negated_outcomes")

    def __call__(self, doc: Doc) -> Doc:
        claims, events = self.resolve(doc)
        self.set_annotations(doc, claims, events)
        return doc

    def resolve(self, doc: Doc) -> tuple[tuple[Claim, ...], tuple[Event, ...]]:
        """The Doc's claims and events with their verification (pure: writes nothing)."""
        claims: tuple[Claim, ...] = doc._.get(attributes.CLAIMS)
        events: tuple[Event, ...] = doc._.get(attributes.EVENTS)
        verdicts = self._verdicts(doc)
        return (
            tuple(_verified(claim, verdicts.get(("claim", i))) for i, claim in enumerate(claims)),
            tuple(_verified(event, verdicts.get(("event", i))) for i, event in enumerate(events)),
        )

    def set_annotations(
        self, doc: Doc, claims: tuple[Claim, ...], events: tuple[Event, ...]
    ) -> None:
        doc._.set(attributes.CLAIMS, claims)
        doc._.set(attributes.EVENTS, events)

    def _verdicts(self, doc: Doc) -> dict[tuple[ItemKind, int], _Verdict]:
        """Each claim's and event's verification, keyed by kind and index; the first note in
        the text about an item wins, and a denied event's own denial comes before any."""
        sentences = list(doc.sents)
        starts = [sent.start_char for sent in sentences]
        items = self._items(doc, sentences, starts)
        events: tuple[Event, ...] = doc._.get(attributes.EVENTS)
        found: dict[tuple[ItemKind, int], _Verdict] = {}
        for index, event in enumerate(events):
            denial = self._denial_of(doc, event, starts)
            if denial is not None:
                found[("event", index)] = _Verdict("disputed", denial)
        for note in self._notes(doc, items, starts):
            target = self._target(note, items, starts)
            if target is None:
                continue
            evidence = evidence_at(doc, note.start, note.end, starts)
            for item in _statement(target, items):
                found.setdefault((item.kind, item.index), _Verdict(note.kind, evidence))
        return found

    # -- the claims and events ----------------------------------------------------------------

    def _items(self, doc: Doc, sentences: Sequence[Span], starts: list[int]) -> list[_Item]:
        entities = {entity.id: entity for entity in doc._.get(attributes.ENTITIES)}
        claims: tuple[Claim, ...] = doc._.get(attributes.CLAIMS)
        events: tuple[Event, ...] = doc._.get(attributes.EVENTS)
        items: list[_Item] = []
        for index, claim in enumerate(claims):
            inside = [
                event
                for event in events
                if _within(event.trigger, claim.content.start, claim.content.end)
            ]
            span = doc.char_span(claim.content.start, claim.content.end, alignment_mode="expand")
            items.append(
                _Item(
                    kind="claim",
                    index=index,
                    start=claim.content.start,
                    end=claim.content.end,
                    sentence=sentence_of(starts, claim.content.start),
                    last_sentence=sentence_of(
                        starts, max(claim.content.start, claim.content.end - 1)
                    ),
                    party=_speaking_for(claim.claimant, entities),
                    types=frozenset(event.type for event in inside),
                    nouns=_words(span),
                    counts=bool(claim.quantities) or any(event.quantities for event in inside),
                    reported=True,
                    quote=claim.quote,
                )
            )
        for index, event in enumerate(events):
            if event.headline:
                continue  # a headline restates the body; its notes are the body's
            sentence = sentence_of(starts, event.trigger.start)
            # Who states it: its claimant, else the claimant of the claim it was read from
            # (the article's own account names no one but its actors).
            party = {event.claimed_by} if event.claimed_by else set()
            party |= {
                claim.claimant
                for claim in claims
                if claim.claimant and _within(event.trigger, claim.content.start, claim.content.end)
            }
            party = party or set(event.source)
            party = set().union(*(_speaking_for(member, entities) for member in party))
            items.append(
                _Item(
                    kind="event",
                    index=index,
                    start=event.trigger.start,
                    end=event.trigger.end,
                    sentence=sentence,
                    last_sentence=sentence,
                    party=frozenset(party),
                    types=frozenset({event.type}),
                    nouns=_words(sentences[sentence]) if sentence >= 0 else frozenset(),
                    counts=bool(event.quantities),
                    reported=event.status in _REPORTED,
                )
            )
        return items

    def _denial_of(self, doc: Doc, event: Event, starts: list[int]) -> Evidence | None:
        """The denial that makes an event ``denied`` ("denied" in "denied shelling X"), or the
        event's sentence when the parse does not show which word it is."""
        if event.status != "denied":
            return None
        trigger = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if trigger is not None:
            for token in trigger.root.ancestors:
                if token.lemma_.casefold() in self._denials:
                    return evidence_at(doc, token.idx, token.idx + len(token.text), starts)
        return event.evidence

    # -- the notes ----------------------------------------------------------------------------

    def _notes(self, doc: Doc, items: Sequence[_Item], starts: list[int]) -> Iterator[_Note]:
        text = text_of(doc)
        quotes: tuple[Quote, ...] = doc._.get(attributes.QUOTES)
        entities: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
        notes: list[_Note] = []
        for kind, start, end in _longest(
            (kind, match.start(), match.end())
            for kind, pattern in self._patterns.items()
            for match in pattern.finditer(text)
        ):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or not span.text.strip():
                continue
            head = _governing_verb(span)
            party = _party(head, entities, quotes)
            governed = _governed(head, items) if kind != "unverified" else ()
            if kind != "unverified" and not _is_statement(span, head):
                continue
            notes.append(
                _Note(
                    kind=kind,
                    start=start,
                    end=end,
                    sentence=sentence_of(starts, start),
                    party=party,
                    governed=governed,
                    nouns=self._topic(doc, head, governed) if kind != "unverified" else frozenset(),
                    about=_about(head),
                    owner=self._owner(head, entities),
                    reporter=kind == "unverified"
                    and any(entity.outlet for entity in entities if entity.id in party),
                )
            )
        for index, quote in enumerate(quotes):
            note = self._contradiction(doc, index, quote, starts)
            if note is not None:
                notes.append(note)
        return iter(sorted(notes, key=lambda note: note.start))

    def _contradiction(self, doc: Doc, index: int, quote: Quote, starts: list[int]) -> _Note | None:
        """A quote whose main verb is negated ("the ship was not hit") or says an act failed
        ("the missile missed"): a note that disputes what another party claimed."""
        content = doc.char_span(quote.content.start, quote.content.end, alignment_mode="contract")
        if content is None or not len(content):
            return None
        root = content.root
        lemma = root.lemma_.casefold()
        negation = [child for child in root.children if child.dep_ == "neg"]
        failed = lemma in self._contradicting
        if failed == bool(negation):
            return None  # nothing denied, or "did not miss": no contradiction
        if negation and (
            lemma not in self._acts
            or not _past(root)
            or any(child.lower_ in self._modals for child in root.children if child.dep_ == "aux")
        ):
            # "does not believe", "doesn't expect": an opinion; "wars do not end": a view;
            # "would not erase": a forecast. A contradiction says what did not happen.
            return None
        words = [root]
        if negation:
            words += [
                child
                for child in root.children
                if child.i < root.i
                and child.dep_ in {"aux", "auxpass", "neg", "advmod"}
                and child.i >= min(token.i for token in negation) - 1
            ]
        first = min(words, key=lambda token: token.i)
        start = first.idx
        end = root.idx + len(root.text)
        return _Note(
            kind="disputed",
            start=start,
            end=end,
            sentence=sentence_of(starts, start),
            party=frozenset({quote.speaker} if quote.speaker else ()),
            # A shared common noun ("the ship"), not just a name, ties it to what it denies.
            nouns=frozenset(
                _lemma(token) for token in content if token.pos_ == "NOUN" and token is not root
            ),
            own_quote=index,
        )

    def _topic(self, doc: Doc, verb: Token, governed: Sequence[_Item]) -> frozenset[str]:
        """What a denial or confirmation is about, when it says so in words of its own: the
        words of the content it takes ("denies targeting civilians", "confirmed al-Rufay'i's
        killing"), or the noun it names as object ("denied the charges"). Empty for a pronoun
        ("denied it"), a claim or a figure, which may be about any claim before."""
        if governed:
            # A clause ("denies targeting civilians") says what of the act is denied; an event
            # noun ("confirmed the attack") only which act, which its type tells.
            return frozenset().union(
                *(
                    _words(doc[child.left_edge.i : child.right_edge.i + 1], leave=child)
                    for child in verb.children
                    if child.dep_ in _CONTENT_EDGES and child.pos_ in {"VERB", "AUX"}
                )
            )
        nouns = {
            child.lemma_.casefold()
            for child in verb.children
            if child.dep_ == "dobj" and child.pos_ == "NOUN"
        }
        general = self._claim_nouns | self._count_nouns | self._event_nouns.keys()
        return frozenset(nouns - general)

    def _owner(self, verb: Token, entities: Sequence[Entity]) -> frozenset[str]:
        """Entity ids of whose claim or figures the note names ("the army's account"); not
        the possessor of an act ("al-Rufay'i's killing"), who is its target."""
        found: set[str] = set()
        for word in _named_nouns(verb):
            if _lemma(word) in self._claim_nouns | self._count_nouns:
                for child in word.children:
                    if child.dep_ == "poss":
                        found |= _entities_at(child, entities)
        return frozenset(found)

    # -- which claim a note is about ------------------------------------------------------------

    def _target(self, note: _Note, items: Sequence[_Item], starts: list[int]) -> _Item | None:
        candidates = [item for item in items if self._may_concern(note, item)]
        near = [
            item for item in candidates if item.sentence <= note.sentence <= item.last_sentence + 1
        ]
        if note.kind != "unverified":
            # A denial or confirmation sits after what it answers.
            near = [item for item in near if item.end <= note.start]
        named = self._named(note)
        if named:
            # The note says what it is about ("the toll", "the claim", "the attack"): the
            # nearest of that kind, a little further back, or any way back when it names whose
            # claim it is ("the Houthis' claim"); none when nothing is of that kind.
            reach = len(starts) if note.owner else _NAMED_REACH
            near = [
                item
                for item in candidates
                if item.sentence <= note.sentence <= item.last_sentence + reach
                and (note.kind == "unverified" or item.end <= note.start)
                and named(item)
            ]
        if not near:
            return None
        # The one that shares most words with what the note names ("the claim of a direct
        # hit"), then the nearest; a claim before the events read from it.
        return min(
            near,
            key=lambda item: (
                -len(note.about & item.nouns),
                abs(note.start - item.end),
                item.kind != "claim",
            ),
        )

    def _may_concern(self, note: _Note, item: _Item) -> bool:
        if item.start <= note.start < item.end and not note.reporter:
            # A note inside a claim is part of it, unless it is an outlet's aside that the
            # quote ran on into ("... - although Reuters has not verified this claim").
            return False
        if note.own_quote is not None and item.quote == note.own_quote:
            return False
        if any(item == governed for governed in note.governed):
            return False  # the denier's or confirmer's own content
        if note.kind == "unverified":
            return not note.owner or bool(note.owner & item.party)
        if note.party and note.party & item.party:
            return False  # a party's own words are no check of its claim
        if note.kind == "disputed" and item.types == {"REJECT"}:
            return False  # one rejection seconded by another is agreement, not a dispute
        if note.nouns and not note.nouns & item.nouns:
            return False  # "denied the charges" is about charges; "the ship was not hit", a ship
        if note.owner and not note.owner & item.party:
            return False  # "the Houthis' claim could not be verified": the Houthis' claim
        if note.governed:
            types = frozenset().union(*(governed.types for governed in note.governed))
            return bool(types & item.types)
        return True

    def _named(self, note: _Note) -> Callable[[_Item], bool] | None:
        """What the note says it is about, as a test of a claim or event."""
        lemmas = note.about
        if lemmas & self._count_nouns:
            return lambda item: item.counts
        types = frozenset().union(
            *(self._event_nouns[lemma] for lemma in lemmas if lemma in self._event_nouns)
        )
        if types and not note.governed:
            return lambda item: bool(item.types & types)
        if lemmas & self._claim_nouns:
            return lambda item: item.reported
        return None


def _statement(target: _Item, items: Sequence[_Item]) -> Iterator[_Item]:
    """The target with the claim it was read from, or the events read from inside it."""
    yield target
    for item in items:
        if item is target or item.kind == target.kind:
            continue
        claim, event = (target, item) if target.kind == "claim" else (item, target)
        if claim.start <= event.start < claim.end:
            yield item


def _longest(
    matches: Iterable[tuple[Verification, int, int]],
) -> Iterator[tuple[Verification, int, int]]:
    """The matches that no longer one overlaps: "could not be independently verified" is one
    note (unverified), not also "independently verified" (confirmed)."""
    kept_end = -1
    for kind, start, end in sorted(matches, key=lambda match: (match[1], -match[2])):
        if start >= kept_end:
            kept_end = end
            yield kind, start, end


def _named_nouns(verb: Token) -> list[Token]:
    """The nouns a note's verb takes as subject or object, or its relative clause hangs on."""
    words = [child for child in verb.children if child.dep_ in _ABOUT_EDGES]
    if verb.dep_ == "relcl":
        words.append(verb.head)
    return [word for word in words if word.pos_ == "NOUN"]


def _about(verb: Token) -> frozenset[str]:
    """Lemmas of what the note names: "casualty figures", "the claim of a direct hit"."""
    lemmas = set()
    for word in _named_nouns(verb):
        lemmas.add(_lemma(word))
        for child in word.children:
            if child.dep_ == "compound":
                lemmas.add(_lemma(child))
            elif child.dep_ == "prep" and child.lower_ == "of":
                lemmas |= {_lemma(grand) for grand in child.children if grand.dep_ == "pobj"}
    return frozenset(lemmas)


def _past(verb: Token) -> bool:
    """True for a verb in a past form: "hit" in "was not hit", "fall" in "did not fall"."""
    return verb.tag_ in {"VBD", "VBN"} or any(
        child.dep_ in {"aux", "auxpass"} and child.tag_ == "VBD" for child in verb.children
    )


def _is_statement(span: Span, verb: Token) -> bool:
    """True when a denial's or confirmation's words state it of something said before: not an
    adjective ("the disputed territory", "confirmed cases"), nor negated ("did not deny"), nor
    a wish ("expects Kabul to deny"), nor about the noun its relative clause hangs on
    ("a report ... which Moscow denied")."""
    if span[0].dep_ == "amod" or verb.dep_ in {"relcl", "xcomp"}:
        return False
    return not any(
        child.dep_ == "neg"
        or (child.dep_ == "aux" and child.lower_ == "to")
        or (child.dep_ in {"dobj", "nsubj", "nsubjpass"} and child.tag_ in {"WDT", "WP"})
        for child in verb.children
    )


def _governing_verb(span: Span) -> Token:
    """The verb a note's words hang on ("denied" itself, "confirm" in "could not confirm")."""
    token = span.root
    while token.pos_ not in {"VERB", "AUX"} and token.head is not token:
        token = token.head
    return token


def _party(verb: Token, entities: Sequence[Entity], quotes: Sequence[Quote]) -> frozenset[str]:
    """Entity ids of whoever makes the statement: the verb's subject, or the speaker of the
    quote the verb stands in."""
    found: set[str] = set()
    for child in verb.children:
        if child.dep_ in _SUBJECT_EDGES:
            found |= _entities_at(child, entities)
    if not found:
        for quote in quotes:
            if quote.speaker and _within_span(verb, quote.content.start, quote.content.end):
                found.add(quote.speaker)
    return frozenset(found)


def _entities_at(token: Token, entities: Sequence[Entity]) -> set[str]:
    words = list(token.subtree)
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    return {
        entity.id
        for entity in entities
        if any(start <= mention.start < end for mention in entity.mentions)
    }


def _governed(verb: Token, items: Sequence[_Item]) -> tuple[_Item, ...]:
    """Claims and events inside the content the verb takes ("denied [shelling X]")."""
    spans = [
        (words[0].idx, words[-1].idx + len(words[-1].text))
        for child in verb.children
        if child.dep_ in _CONTENT_EDGES
        for words in [list(child.subtree)]
    ]
    return tuple(item for item in items if any(start <= item.start < end for start, end in spans))


def _words(span: Span | None, *, leave: Token | None = None) -> frozenset[str]:
    """Lemmas of the nouns, names and verbs of ``span`` (but ``leave``): what it is about."""
    if span is None:
        return frozenset()
    return frozenset(
        _lemma(token) for token in span if token.pos_ in _CONTENT_POS and token is not leave
    )


def _lemma(token: Token) -> str:
    """The token's lemma, case-folded, without a possessive "'s" the tokenizer left on it."""
    lemma = token.lemma_.casefold().replace("’", "'")
    return lemma.removesuffix("'s") or lemma


def _speaking_for(entity_id: str | None, entities: Mapping[str, Entity]) -> frozenset[str]:
    """The entity and the organisations it holds a role in: a spokesman's claim is his
    group's claim too."""
    if entity_id is None:
        return frozenset()
    entity = entities.get(entity_id)
    roles = entity.roles if entity is not None else ()
    return frozenset({entity_id, *(role.of for role in roles if role.of)})


def _within(evidence: Evidence, start: int, end: int) -> bool:
    return start <= evidence.start < end


def _within_span(token: Token, start: int, end: int) -> bool:
    return start <= token.idx < end


def _verified(record: _R, verdict: _Verdict | None) -> _R:
    if verdict is None:
        return record
    return record.model_copy(
        update={"verification": verdict.kind, "verification_evidence": verdict.evidence}
    )


def _pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One pattern for the phrases: whole words, any spacing, and after "not" an optional adverb
    in -ly ("could not independently verify", "did not completely fall")."""
    alternatives = sorted(phrases, key=len, reverse=True)
    body = "|".join(
        re.escape(phrase).replace(r"\ ", r"\s+").replace(r"not\s+", r"not\s+(?:\w+ly\s+)?")
        for phrase in alternatives
    )
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def make_verification_reader(nlp: Language, name: str) -> VerificationReader:
    """spaCy factory for ``newsdesk_verification`` (registered by ``register_components()``)."""
    return VerificationReader(nlp, name)
