"""``newsdesk_entities``: who and what the article names, each entity once, with every mention.

Reads the NER spans and the parse; adds mentions of known actors that NER misses (from the
knowledge base, e.g. "Mujahideen of the Islamic Emirate"); groups mentions that name the same
thing in this article (same actor, acronym and expansion, "Ali Maisam Nazary" / "Ali Nazary" /
"Mr Nazary", "the group" where only one group fits); reads roles from appositions and relative
clauses ("Ali Nazary, head of foreign relations for the NRF"); links each entity to the
knowledge base; and adds the generic agents no name gives ("gunmen", "Nigerian villagers", see
:mod:`newsdesk.stages.agents`). Writes ``doc._.newsdesk_entities``.

The rules prefer leaving two mentions apart over joining them wrongly: a surname shared by two
people in the article stays its own entity, and two name variants in one sentence are two people.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from newsdesk import attributes
from newsdesk.attributes import text_of
from newsdesk.data.knowledge_base import KnowledgeBase, load_knowledge_base
from newsdesk.data.lexicons import load_phrases
from newsdesk.records import Actor, Entity, EntityType, Evidence, Role
from newsdesk.stages.agents import AgentMention, AgentReader
from newsdesk.stages.evidence import evidence_at, sentence_of
from newsdesk.stages.place_words import PlaceWordReader
from newsdesk.stages.roles import RoleFinding, RoleReader, is_person
from newsdesk.stages.vessels import VesselReader

NAME = "newsdesk_entities"
REQUIRES = ["doc.ents", "token.dep", "token.lemma", "doc.sents"]
ASSIGNS = [f"doc._.{attributes.ENTITIES}"]

_NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
# Modifiers that make a name an adjective ("Anti-Taliban resistance group"), not a mention.
_ADJECTIVAL_PREFIXES = ("anti-", "pro-", "non-", "post-", "pre-")
# The last word of a place name tells what kind of place it is, and so the bare name too
# ("the Panjshir Valley" makes "Panjshir" a place, however NER tagged it elsewhere).
_PLACE_SUFFIXES: dict[str, EntityType] = {
    "valley": "LOC",
    "river": "LOC",
    "mountains": "LOC",
    "mountain": "LOC",
    "desert": "LOC",
    "lake": "LOC",
    "pass": "LOC",
    "plain": "LOC",
    "province": "GPE",
    "district": "GPE",
    "region": "GPE",
    "governorate": "GPE",
    "oblast": "GPE",
    "county": "GPE",
    "city": "GPE",
}
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_SPACES = re.compile(r"\s+")


@dataclass
class _Mention:
    """One mention found in the Doc; mutable only while mentions are being grouped."""

    start: int
    end: int
    label: str
    name: str
    honorific: bool
    actor: Actor | None
    span: Span
    hashtag: bool = False
    group_noun: bool = False

    @property
    def text(self) -> str:
        return str(text_of(self.span.doc)[self.start : self.end])

    @property
    def key(self) -> str:
        return _name_key(self.name)

    @property
    def tokens(self) -> list[str]:
        return self.name.split()


@dataclass
class _Groups:
    """Union-find over mention indices."""

    parent: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, size: int) -> _Groups:
        return cls(parent=list(range(size)))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def members(self) -> list[list[int]]:
        groups: dict[int, list[int]] = {}
        for item in range(len(self.parent)):
            groups.setdefault(self.find(item), []).append(item)
        return sorted(groups.values(), key=lambda members: members[0])


class EntityResolver:
    """The ``newsdesk_entities`` component. Build it with ``nlp.add_pipe("newsdesk_entities")``."""

    def __init__(self, nlp: Language, name: str = NAME, *, knowledge_base: Sequence[str] = ()):
        self.name = name
        self.knowledge_base: KnowledgeBase = load_knowledge_base(tuple(knowledge_base))
        self._exact, self._folded = _build_matchers(nlp, self.knowledge_base)
        self._honorifics = load_phrases("people", "honorifics")
        self._roles = RoleReader(
            load_phrases("people", "roles") | load_phrases("people", "kinship")
        )
        self._group_nouns = load_phrases("people", "group_nouns")
        self._agents = AgentReader()
        self._vessels = VesselReader()
        self._place_words = PlaceWordReader()

    def __call__(self, doc: Doc) -> Doc:
        entities = self.resolve(doc)
        self.set_annotations(doc, entities)
        return doc

    def resolve(self, doc: Doc) -> tuple[Entity, ...]:
        """Find the article's entities (pure: reads the Doc, writes nothing)."""
        mentions = self._find_mentions(doc)
        bracketed = _bracketed_aliases(doc, mentions)
        groups = _Groups.of(len(mentions))
        _group_by_actor_and_name(mentions, groups)
        for long, short in bracketed:
            groups.union(long, short)
        _group_acronyms(doc, mentions, groups)
        _group_person_names(doc, mentions, groups)
        mentions += self._find_group_nouns(doc, mentions, groups)
        roles = self._roles.find(doc, mentions)
        named = self._place_words.retype(doc, _build_entities(doc, mentions, groups, roles))
        states = {
            token.i: mention.actor.country
            for mention in mentions
            if mention.actor is not None
            and mention.actor.sector == "state"
            and mention.actor.country is not None
            for token in mention.span
        }
        taken = [(mention.start, mention.end) for mention in mentions]
        agents = self._agents.find(doc, taken, states)
        named, agents = _point_back(doc, named, agents)
        return named + _agent_entities(doc, agents, first=len(named) + 1)

    def set_annotations(self, doc: Doc, entities: tuple[Entity, ...]) -> None:
        doc._.set(attributes.ENTITIES, entities)

    # -- finding mentions -------------------------------------------------------------------

    def _find_mentions(self, doc: Doc) -> list[_Mention]:
        # Vessels first: on equal length their reading beats NER's ("USS Carney" as a PRODUCT).
        candidates: list[tuple[Span, str, Actor | None]] = [
            (span, "VESSEL", None) for span in self._vessels.find(doc)
        ]
        for ent in doc.ents:
            if ent.label_ in _NER_LABELS:
                candidates.append((ent, ent.label_, None))
        for match_id, start, end in [*self._exact(doc), *self._folded(doc)]:
            span = doc[start:end]
            # A lower-case match of a capitalised name is a common word ("chad", "hamas" in a URL).
            if not (span.text[:1].isupper() or span.text[:1].isdigit()):
                continue
            actor = self.knowledge_base.get(doc.vocab.strings[match_id])
            if actor is not None:
                candidates.append((span, actor.type, actor))
        mentions: list[_Mention] = []
        for span, label, actor in _longest_first(candidates):
            mention = self._make_mention(doc, span, label, actor)
            if mention is not None:
                mentions.append(mention)
        mentions += self._defined_acronyms(doc, mentions)
        return sorted(mentions, key=lambda mention: mention.start)

    def _defined_acronyms(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """Every use of an acronym the article defines: "the Northern Farmers Union (NFU)".

        NER often misses a bare acronym; once the article has said what it stands for, each
        use of it is a mention of the same organisation.
        """
        taken = {token.i for mention in mentions for token in mention.span}
        defined: dict[str, str] = {}
        for mention in mentions:
            if is_person(mention) or len(mention.tokens) < 2:
                continue
            after = mention.span.end
            if after + 2 < len(doc) and doc[after].text == "(" and doc[after + 2].text == ")":
                acronym = doc[after + 1].text
                if _is_acronym(acronym) and acronym in _initials(mention.tokens):
                    defined[acronym] = mention.label
        found: list[_Mention] = []
        for token in doc:
            if token.text in defined and token.i not in taken:
                span = doc[token.i : token.i + 1]
                found.append(
                    _Mention(
                        start=token.idx,
                        end=token.idx + len(token.text),
                        label=defined[token.text],
                        name=token.text,
                        honorific=False,
                        actor=self.knowledge_base.lookup(token.text),
                        span=span,
                    )
                )
        return found

    def _make_mention(
        self, doc: Doc, span: Span, label: str, actor: Actor | None
    ) -> _Mention | None:
        if span.text.casefold().startswith(_ADJECTIVAL_PREFIXES):
            return None
        span = _trim(span)
        if not span.text.strip():
            return None
        # "Mr Okonkwo" is what the article calls him, even when NER tagged only "Okonkwo".
        if label == "PERSON" and span.start > 0 and doc[span.start - 1].lower_ in self._honorifics:
            span = doc[span.start - 1 : span.end]
        words = span.text.split()
        honorific = False
        # "Prince Edward Island" and "Queen Anne's County" are places, not titled people.
        while label in {"PERSON", "ORG"} and len(words) > 1 and self._is_honorific(words):
            words = words[2:] if " ".join(words[:2]).casefold() in self._honorifics else words[1:]
            honorific = True
        name = _strip_possessive(" ".join(words))
        if actor is None:
            actor = self.knowledge_base.lookup(span.text) or self.knowledge_base.lookup(name)
        return _Mention(
            start=span.start_char,
            end=span.start_char + len(_strip_possessive(span.text)),
            label=label,
            name=name,
            honorific=honorific,
            actor=actor,
            span=span,
            hashtag=span.start_char > 0 and text_of(doc)[span.start_char - 1] == "#",
        )

    def _is_honorific(self, words: list[str]) -> bool:
        return (
            words[0].casefold() in self._honorifics
            or " ".join(words[:2]).casefold() in self._honorifics
        )

    def _find_group_nouns(
        self, doc: Doc, mentions: list[_Mention], groups: _Groups
    ) -> list[_Mention]:
        """Mentions such as "the group", linked when exactly one organisation fits."""
        found: list[_Mention] = []
        sentence_starts = [sent.start_char for sent in doc.sents]
        # "Panjshir" tagged ORG is still a place when the article also writes "Panjshir Valley".
        place_names = _place_types(mentions)
        for token in doc:
            if token.lower_ not in self._group_nouns or token.ent_type_:
                continue
            if token.i == 0 or doc[token.i - 1].lower_ != "the":
                continue
            # "the group of ..." describes something new; it does not point back.
            if token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of":
                continue
            sentence = sentence_of(sentence_starts, token.idx)
            window_start = sentence_starts[max(sentence - 1, 0)]
            fitting = {
                groups.find(index)
                for index, mention in enumerate(mentions)
                if window_start <= mention.start < token.idx
                and mention.label == "ORG"
                and not is_person(mention)
                and mention.key not in place_names
                and not (mention.actor and mention.actor.outlet)
            }
            if len(fitting) != 1:
                continue
            span = doc[token.i - 1 : token.i + 1]
            index = len(mentions) + len(found)
            groups.parent.append(index)
            groups.union(fitting.pop(), index)
            found.append(
                _Mention(
                    start=span.start_char,
                    end=span.end_char,
                    label="ORG",
                    name=span.text,
                    honorific=False,
                    actor=None,
                    span=span,
                    group_noun=True,
                )
            )
        return found


# -- grouping ------------------------------------------------------------------------------


def _group_by_actor_and_name(mentions: list[_Mention], groups: _Groups) -> None:
    first_by_key: dict[str, int] = {}
    for index, mention in enumerate(mentions):
        keys = [mention.key]
        if mention.actor is not None:
            keys.append(f"actor:{mention.actor.id}")
        for key in keys:
            if key in first_by_key:
                groups.union(first_by_key[key], index)
            else:
                first_by_key[key] = index


def _group_acronyms(doc: Doc, mentions: list[_Mention], groups: _Groups) -> None:
    """Join "National Resistance Front of Afghanistan" and "NRF"."""
    for index, short in enumerate(mentions):
        if not _is_acronym(short.name) or is_person(short):
            continue
        for other_index, long in enumerate(mentions):
            if other_index == index or len(long.tokens) < 2 or is_person(long):
                continue
            if short.actor and long.actor and short.actor.id != long.actor.id:
                continue
            if short.name in _initials(long.tokens) or _explains(doc, long, short):
                groups.union(index, other_index)


def _bracketed_aliases(doc: Doc, mentions: list[_Mention]) -> list[tuple[int, int]]:
    """Pairs of a group's name and the alias bracketed after it: "Yemeni Armed Forces
    (Houthis)", "the Rapid Support Forces (RSF)". Each pair is one entity; when the alias is a
    known actor and the name reads as another, the alias says which group is meant (the
    Houthis, not Yemen's army), for every mention of that name in the article."""
    pairs: list[tuple[int, int]] = []
    text = text_of(doc)
    for index, long in enumerate(mentions[:-1]):
        short = mentions[index + 1]
        if not ({long.label, short.label} <= {"ORG", "NORP"}) or is_person(long):
            continue
        if text[long.end : short.start].strip() != "(" or text[short.end : short.end + 1] != ")":
            continue
        pairs.append((index, index + 1))
        known = short.actor
        if (
            known is not None
            and not known.outlet
            and (long.actor is None or long.actor.id != known.id)
        ):
            for mention in mentions:
                if mention.key == long.key:
                    mention.actor = known
    return pairs


def _is_acronym(name: str) -> bool:
    return 2 <= len(name) <= 8 and name.replace(".", "").isalpha() and name.isupper()


def _initials(words: list[str]) -> set[str]:
    """Initials of a name, also without a trailing "of Afghanistan" and without "the/and"."""
    significant = [word for word in words if word.casefold() not in {"the", "and", "&"}]
    variants = {"".join(word[0] for word in significant if word[0].isupper())}
    variants.add("".join(word[0].upper() for word in significant))
    if "of" in significant:
        head = significant[: significant.index("of")]
        variants.add("".join(word[0] for word in head))
    return variants


def _explains(doc: Doc, long: _Mention, short: _Mention) -> bool:
    """True when the text reads "Long Name (SHORT)"."""
    after = text_of(doc)[long.end : long.end + len(short.name) + 4]
    return after.lstrip().startswith(f"({short.name})")


def _group_person_names(doc: Doc, mentions: list[_Mention], groups: _Groups) -> None:
    people = [index for index, mention in enumerate(mentions) if is_person(mention)]
    apart = _named_apart(doc, mentions, people)
    full = [index for index in people if len(mentions[index].tokens) >= 2]
    # "Ali Nazary" is "Ali Maisam Nazary" when the article never shows them side by side.
    for index in full:
        for other in full:
            short, long = mentions[index].tokens, mentions[other].tokens
            if len(short) >= len(long) or short[0] != long[0] or short[-1] != long[-1]:
                continue
            if (mentions[index].key, mentions[other].key) in apart:
                continue
            groups.union(index, other)
    # "Mr Nazary" / "Nazary" is the one person of that surname, if only one fits.
    for index in people:
        mention = mentions[index]
        if len(mention.tokens) != 1:
            continue
        fitting = {
            groups.find(other)
            for other in full
            if mentions[other].tokens[-1].casefold() == mention.name.casefold()
        }
        if len(fitting) == 1:
            groups.union(fitting.pop(), index)


def _named_apart(doc: Doc, mentions: list[_Mention], people: list[int]) -> set[tuple[str, str]]:
    """Pairs of name keys that one sentence uses side by side: two people, not one."""
    apart: set[tuple[str, str]] = set()
    by_sentence: dict[int, set[str]] = {}
    for index in people:
        sentence = mentions[index].span.sent.start
        by_sentence.setdefault(sentence, set()).add(mentions[index].key)
    for keys in by_sentence.values():
        for first in keys:
            for second in keys:
                if first != second:
                    apart.add((first, second))
    return apart


# -- building records ------------------------------------------------------------------------


def _build_entities(
    doc: Doc, mentions: list[_Mention], groups: _Groups, roles: list[RoleFinding]
) -> tuple[Entity, ...]:
    sentence_starts = [sent.start_char for sent in doc.sents]
    place_types = _place_types(mentions)
    members_by_group = [
        sorted(members, key=lambda index: mentions[index].start)
        for members in groups.members()
        if _keep_group([mentions[index] for index in members])
    ]
    members_by_group.sort(key=lambda members: mentions[members[0]].start)
    entity_of: dict[int, str] = {}
    for number, members in enumerate(members_by_group, start=1):
        for index in members:
            entity_of[index] = f"E{number}"
    entities: list[Entity] = []
    for number, members in enumerate(members_by_group, start=1):
        group = [mentions[index] for index in members]
        actor = _most_common_actor(group)
        name = _canonical_name(group, actor)
        evidence = tuple(
            evidence_at(doc, mention.start, mention.end, sentence_starts) for mention in group
        )
        entity_roles = _roles_for(doc, members, roles, mentions, entity_of, sentence_starts)
        entities.append(
            Entity(
                id=f"E{number}",
                name=name,
                type=_entity_type(group, actor, place_types),
                aliases=_aliases(group, name),
                mentions=evidence,
                roles=entity_roles,
                actor=actor.id if actor else None,
                sector=actor.sector if actor else None,
                country=actor.country if actor else None,
                outlet=bool(actor and actor.outlet),
            )
        )
    return tuple(entities)


def _point_back(
    doc: Doc, named: tuple[Entity, ...], agents: list[AgentMention]
) -> tuple[tuple[Entity, ...], list[AgentMention]]:
    """ "The army" after "Sudan's army": a definite agent of no stated country is a mention of
    the one known actor of its sector the article named before it, as "the group" is of the one
    organisation. The agents left are returned with the entities."""
    sentence_starts = [sent.start_char for sent in doc.sents]
    added: dict[str, list[Evidence]] = {}
    left = []
    for agent in agents:
        fitting = [
            entity
            for entity in named
            if agent.definite
            and agent.country is None
            and entity.actor is not None
            and entity.sector == agent.sector
            and entity.mentions
            and entity.mentions[0].start < agent.start
        ]
        if len(fitting) == 1:
            evidence = evidence_at(doc, agent.start, agent.end, sentence_starts)
            added.setdefault(fitting[0].id, []).append(evidence)
        else:
            left.append(agent)
    entities = tuple(
        entity.model_copy(
            update={
                "mentions": tuple(
                    sorted((*entity.mentions, *added[entity.id]), key=lambda m: m.start)
                )
            }
        )
        if entity.id in added
        else entity
        for entity in named
    )
    return entities, left


def _agent_entities(doc: Doc, agents: list[AgentMention], *, first: int) -> tuple[Entity, ...]:
    """One entity per kind of agent and country, named as first written, in lower case unless
    a demonym starts it ("gunmen" for "Gunmen" opening a sentence, "Nigerian villagers")."""
    sentence_starts = [sent.start_char for sent in doc.sents]
    groups: dict[tuple[str, str | None, int], list[AgentMention]] = {}
    for agent in agents:
        groups.setdefault(agent.key, []).append(agent)
    entities = []
    for number, group in enumerate(groups.values(), start=first):
        evidence = tuple(evidence_at(doc, a.start, a.end, sentence_starts) for a in group)
        names = [
            item.text if agent.demonym else item.text[:1].lower() + item.text[1:]
            for agent, item in zip(group, evidence, strict=True)
        ]
        entities.append(
            Entity(
                id=f"E{number}",
                name=names[0],
                type="AGENT",
                aliases=tuple(dict.fromkeys(name for name in names if name != names[0])),
                mentions=evidence,
                sector=group[0].sector,
                country=group[0].country,
            )
        )
    return tuple(entities)


def _keep_group(group: list[_Mention]) -> bool:
    # A hashtag alone ("#AceDailyNews") is a label, not an entity, unless it names a known actor.
    real = [mention for mention in group if not mention.group_noun]
    if not real:
        return False
    return not all(mention.hashtag for mention in real) or any(m.actor for m in real)


def _roles_for(
    doc: Doc,
    members: list[int],
    roles: list[RoleFinding],
    mentions: list[_Mention],
    entity_of: dict[int, str],
    sentence_starts: list[int],
) -> tuple[Role, ...]:
    found: dict[tuple[str, str | None], Role] = {}
    member_set = set(members)
    for finding in roles:
        if finding.person not in member_set:
            continue
        of = entity_of.get(finding.of_mention) if finding.of_mention is not None else None
        of_text = None
        end = finding.title_end
        if finding.of_mention is not None:
            of_text = mentions[finding.of_mention].span.text
            end = max(end, mentions[finding.of_mention].end)
        key = (finding.title.casefold(), of)
        if key not in found:
            found[key] = Role(
                title=finding.title,
                of=of,
                of_text=of_text,
                evidence=evidence_at(doc, min(finding.title_start, end), end, sentence_starts),
            )
    return tuple(found.values())


def _place_types(mentions: list[_Mention]) -> dict[str, EntityType]:
    types: dict[str, EntityType] = {}
    for mention in mentions:
        words = mention.tokens
        if len(words) >= 2 and words[-1].casefold() in _PLACE_SUFFIXES:
            types[_name_key(" ".join(words[:-1]))] = _PLACE_SUFFIXES[words[-1].casefold()]
    return types


def _entity_type(
    group: list[_Mention], actor: Actor | None, place_types: dict[str, EntityType]
) -> EntityType:
    # "the tanker Sounion": however NER or the knowledge base read the name, it is a vessel.
    if any(mention.label == "VESSEL" for mention in group):
        return "VESSEL"
    if actor is not None:
        return actor.type
    if any(mention.honorific for mention in group):
        return "PERSON"
    for mention in group:
        if mention.key in place_types:
            return place_types[mention.key]
    labels = Counter(mention.label for mention in group if not mention.group_noun)
    best = max(labels.values())
    for mention in group:
        if labels[mention.label] == best:
            return _as_entity_type(mention.label)
    return "ORG"


def _as_entity_type(label: str) -> EntityType:
    known: dict[str, EntityType] = {
        "PERSON": "PERSON",
        "ORG": "ORG",
        "GPE": "GPE",
        "LOC": "LOC",
        "NORP": "NORP",
        "FAC": "FAC",
        "VESSEL": "VESSEL",
    }
    return known.get(label, "ORG")


def _most_common_actor(group: list[_Mention]) -> Actor | None:
    actors = Counter(mention.actor.id for mention in group if mention.actor is not None)
    if not actors:
        return None
    best = actors.most_common(1)[0][0]
    return next(m.actor for m in group if m.actor is not None and m.actor.id == best)


def _canonical_name(group: list[_Mention], actor: Actor | None) -> str:
    if actor is not None:
        return actor.name
    named = [mention for mention in group if not mention.group_noun]
    if any(is_person(mention) for mention in named):
        return max(named, key=lambda mention: (len(mention.tokens), -mention.start)).name
    # For organisations the expansion beats the acronym, and the common form beats a rare one.
    counts = Counter(mention.name for mention in named)
    return max(named, key=lambda m: (not _is_acronym(m.name), counts[m.name], len(m.name))).name


def _aliases(group: list[_Mention], name: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for mention in group:
        if mention.group_noun:
            continue
        for alias in (mention.text, mention.name):
            if alias != name:
                seen.setdefault(alias, None)
    return tuple(seen)


def _trim(span: Span) -> Span:
    """Drop a leading "the" and trailing possessives and punctuation: "the NRF’s" -> "NRF"."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end > start and (
        doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space
    ):
        end -= 1
    # An opening bracket left without its closing one belongs to the text around the name.
    opened = [token.i for token in doc[start:end] if token.text == "("]
    closed = [token.i for token in doc[start:end] if token.text == ")"]
    if len(opened) > len(closed):
        end = opened[-1]
        while end > start and doc[end - 1].is_space:
            end -= 1
    return doc[start:end]


def _strip_possessive(text: str) -> str:
    """ "BBC Radio 4’s" -> "BBC Radio 4", for possessives the tokenizer left attached."""
    for ending in ("’s", "'s", "’", "'"):
        if text.endswith(ending) and len(text) > len(ending) + 1:
            return text[: -len(ending)]
    return text


def _name_key(name: str) -> str:
    return _SPACES.sub(" ", name.translate(_QUOTES)).strip().casefold()


def _longest_first(
    candidates: list[tuple[Span, str, Actor | None]],
) -> list[tuple[Span, str, Actor | None]]:
    """Drop candidates that overlap a longer one; on equal length the NER span wins."""
    ordered = sorted(
        candidates, key=lambda item: (-(item[0].end - item[0].start), item[2] is not None)
    )
    taken: set[int] = set()
    kept: list[tuple[Span, str, Actor | None]] = []
    for item in ordered:
        tokens = set(range(item[0].start, item[0].end))
        if tokens & taken:
            continue
        taken |= tokens
        kept.append(item)
    return kept


def _build_matchers(nlp: Language, kb: KnowledgeBase) -> tuple[PhraseMatcher, PhraseMatcher]:
    """Matchers for every actor name: short and all-caps names match exactly, others in any case."""
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    folded = PhraseMatcher(nlp.vocab, attr="LOWER")
    for actor in kb.actors.values():
        names = {actor.name, *actor.aliases, *_possessive_forms(actor, kb)}
        short = [name for name in names if len(name) <= 4 or name.isupper()]
        long = [name for name in names if name not in short]
        if short:
            exact.add(actor.id, [nlp.make_doc(name) for name in short])
        if long:
            folded.add(actor.id, [nlp.make_doc(name) for name in long])
    return exact, folded


def _possessive_forms(actor: Actor, kb: KnowledgeBase) -> list[str]:
    """ "Sudan's army" for "Sudan army": news writes a state's institutions both ways."""
    state = kb.get(actor.country) if actor.country and actor.sector != "state" else None
    if state is None:
        return []
    return [
        f"{state.name}{mark} {name[len(state.name) + 1 :]}"
        for name in actor.aliases
        if name.startswith(state.name + " ")
        for mark in ("'s", "’s")
    ]


def make_entity_resolver(nlp: Language, name: str, knowledge_base: list[str]) -> EntityResolver:
    """spaCy factory for ``newsdesk_entities`` (registered by ``register_components()``)."""
    return EntityResolver(nlp, name, knowledge_base=knowledge_base)
