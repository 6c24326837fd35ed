"""``newsdesk_coreference``: the entity each pronoun and definite description stands for, read
once per Doc for every later stage.

News names a party once, then points back to it: "Ali Nazary ... he said", "the Taliban ...
the group", "the Ministry of Health ... the ministry said it ...". This stage reads those
references after the entities stage and adds each one it resolves to its entity's mentions,
as an ``Evidence`` with ``role="reference"``: quotes (the speaker), claims (the claimant, who is
the speaker) and events (the actors) read the entity at a token, and a user sees each link
with its evidence. Words already inside a mention (a name, "the group" the entities stage
joined, a generic agent such as "the army") are the entities stage's and are left alone.

The rules follow how news is written, and prefer no link to a wrong one:

- agreement: he/him/his/she/her is a person, never one of the other gender where an
  honorific ("Ms Yusuf") or an earlier resolved pronoun says it; it/its an organisation or a
  state; they/them/
  their an organisation, a group, a state or people named by what they are ("gunmen"). A
  description after "the" by its head word (``newsdesk/data/coreference.txt``): "the
  spokesman", "the president" a person, one whose stated title holds the word if there is
  one ("Joe Biden, the US president"); "the group" an organisation that is neither a state
  nor an arm of one; "the army", "the ministry", "the rebels" an entity whose own name holds
  the word ("the Ministry of Health", preferred) or an actor of the word's sector; "the
  newspaper" an outlet (known as one, or named as one: "The Riverside Post"), "the company" an
  organisation that is no state, arm of one, outlet or body named otherwise. A description with its
  own "of"/"for" ("the spokesman for the Taliban") names its referent and points back to
  nothing;
- nearness: the reference's own sentence (before it), then the sentences before it: "he"/
  "she" and an untitled person noun look back four sentences (a report's quotes run for
  paragraphs between "Nazary said" and "he added"), "it"/"they" two, words inside quote marks
  one; a description whose word the entity's title, name or sector carries looks back through
  the whole text. The nearest sentence holding a fitting entity decides. Of several fitting
  entities in an earlier sentence the subject of the main clause wins, then the subject of
  any clause; in the reference's own sentence, the subject of the verb whose clause holds it
  ("X told Y he ..."). When that leaves more than one, or none, the reference stays
  unresolved;
- a reference outside quoted words never points into them (what a speaker names is not what
  the report is about); inside them "he" is never the speaker, who says "I";
- number and nouns in between: "it" is never a plural common noun ("Afghan officials"); a
  common noun in between ("the soldiers ... they", "the attack ... it") may be what the
  pronoun means, so it stays unresolved unless it carries on, as its own subject, the main
  subject of an earlier sentence ("The BLA said it had blown up tracks. It also said ...");
- no link where the text gives none: an empty "it" ("it is unclear whether", "it has been
  reported that"), and "he" in what someone unnamed reports ("the judge said he ...");
- "we"/"our"/"us" inside quote marks is the speaker's organisation: the speaker is the one
  subject of a speech verb beside the quote (in its sentences, outside quoted words), and the
  organisation the one the speaker holds a title in, or the speaker when an organisation
  speaks;
- a resolved reference is itself an antecedent for the references after it ("Nazary ... the
  spokesman said ... he added"), and so is a known person's surname written as a subject
  where NER named no one ("Mr Nazary told the BBC ...").

Writes ``doc._.newsdesk_entities`` (the same entities, with their references added).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsdesk import attributes
from newsdesk.attributes import text_of
from newsdesk.data.lexicons import load_sections
from newsdesk.errors import DataError, Errors
from newsdesk.records import Entity, EntityType, Evidence, Sector
from newsdesk.stages.quotes import find_quote_marks, in_capitals_line

NAME = "newsdesk_coreference"
REQUIRES = ["doc.sents", "token.dep", "token.pos", f"doc._.{attributes.ENTITIES}"]
ASSIGNS = [f"doc._.{attributes.ENTITIES}"]

_LEXICON = "coreference"
_SPEECH_LEXICON = "speech"
_SECTOR_PREFIX = "sector_"
# "Security forces in Somalia", "soldiers from Chad": the prepositions of an agent's country.
_ORIGIN_PREPS = frozenset({"in", "from"})
# How many sentences before its own a pronoun, or a description no title, name or sector
# supports, may look for what it stands for: a person further back than a thing, since a
# report's quotes run for paragraphs between "Nazary said" and "he added".
_SENTENCES_BACK = 2
_PERSON_SENTENCES_BACK = 4
# In quoted words the speaker's own "he" or "they" is someone the quote or the sentence before
# it names; further back is the report's voice, not the speaker's.
_QUOTED_SENTENCES_BACK = 1
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_PERSON_TYPES: frozenset[EntityType] = frozenset({"PERSON"})
_SINGULAR_TYPES: frozenset[EntityType] = frozenset({"ORG", "NORP", "GPE"})
_PLURAL_TYPES: frozenset[EntityType] = frozenset({"ORG", "NORP", "GPE", "AGENT"})
_GROUP_TYPES: frozenset[EntityType] = frozenset({"ORG", "NORP"})
# A place is "it" or "they" only as a state ("Nigeria said it ..."), never as a town.
_PLACE_TYPES: frozenset[EntityType] = frozenset({"GPE", "LOC"})
# Sectors that are a state, an arm of one, an outlet or an intergovernmental body: a
# government is not "the group".
_NOT_GROUP_SECTORS: frozenset[Sector] = frozenset(
    {"state", "government", "military", "police", "media", "igo"}
)
# "It is unclear whether ...", "it seems that ...", "it took days to ...": an empty "it".
_EXPLETIVE_HEADS = frozenset({"be", "seem", "appear", "remain", "become", "take"})
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "csubj", "advcl"})
# A description with its own complement names its referent: "the spokesman for the Taliban".
_OWN_PREPS = frozenset({"of", "for"})
# What a noun in between must be to be what a pronoun may mean instead.
_NOUN_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj"})
# What may stand between "the" and a description's noun: "the top U.S. diplomat".
_MODIFIER_DEPS = frozenset(
    {"amod", "compound", "nmod", "nummod", "advmod", "npadvmod", "punct", "cc", "conj", "quantmod"}
)

Kind = Literal[
    "person",
    "singular",
    "plural",
    "person_noun",
    "group_noun",
    "sector_noun",
    "company_noun",
    "outlet_noun",
]
# The pronouns that say a person's gender; a person known to be of the other one never fits.
_MASCULINE = frozenset({"he", "him", "his", "himself"})
_FEMININE = frozenset({"she", "her", "hers", "herself"})
# Honorifics before a name that say the person's gender ("Ms Yusuf", "Mr. Haidari").
_MASCULINE_TITLES = frozenset({"mr", "mr.", "sir", "lord"})
_FEMININE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "madam", "dame", "lady"})


@dataclass(frozen=True)
class Words:
    """The word lists of ``newsdesk/data/coreference.txt``, and the speech verbs."""

    person_pronouns: frozenset[str]
    singular_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    first_plural: frozenset[str]
    person_nouns: frozenset[str]
    group_nouns: frozenset[str]
    company_nouns: frozenset[str]
    outlet_nouns: frozenset[str]
    outlet_name_words: frozenset[str]
    """Last words of a name that make it an outlet's: "The Riverside Post"."""
    sectors: Mapping[str, Sector]
    """A description's head word -> the sector of the actors it may name."""
    speech_verbs: frozenset[str]


def load_words() -> Words:
    """Read and check the coreference word lists (a section ``[sector_X]`` must name a sector)."""
    sections = load_sections(_LEXICON)
    known: tuple[Sector, ...] = get_args(Sector)
    sectors: dict[str, Sector] = {}
    for key, phrases in sections.items():
        if key is None or not key.startswith(_SECTOR_PREFIX):
            continue
        name = key.removeprefix(_SECTOR_PREFIX)
        sector = next((item for item in known if item == name), None)
        if sector is None:
            raise DataError(
                Errors.E306.format(
                    path=f"newsdesk/data/{_LEXICON}.txt", section=key, sectors=", ".join(known)
                )
            )
        sectors.update(dict.fromkeys(phrases, sector))

    def section(name: str) -> frozenset[str]:
        if name not in sections:
            raise DataError(Errors.E303.format(path=f"newsdesk/data/{_LEXICON}.txt", section=name))
        return sections[name]

    return Words(
        person_pronouns=section("person_pronouns"),
        singular_pronouns=section("singular_pronouns"),
        plural_pronouns=section("plural_pronouns"),
        first_plural=section("first_plural"),
        person_nouns=section("person_nouns"),
        group_nouns=section("group_nouns"),
        company_nouns=section("company_nouns"),
        outlet_nouns=section("outlet_nouns"),
        outlet_name_words=section("outlet_name_words"),
        sectors=sectors,
        speech_verbs=load_sections(_SPEECH_LEXICON)["verbs"],
    )


@dataclass(frozen=True)
class _Antecedent:
    """A mention a later reference may point back to."""

    start: int
    entity: Entity
    subject: int
    """``_subject_rank`` of the mention's head."""
    quoted: bool
    plural: bool
    """The mention ends in a plural common noun ("Afghan officials"): never "it"."""
    governs: int
    """The verb the mention is the subject of (token index), or -1."""
    modifier: bool
    coordinated: bool
    """The mention is one of "X and Y": a "they" after it means them both, no one entity."""
    """The mention only modifies another noun ("French President X", "Iraqi troops"): the
    noun, not it, is what an "it" or "they" after it stands for."""


@dataclass(frozen=True)
class Reference:
    """A reference resolved: its words (characters of the Doc's text) and its entity's id."""

    start: int
    end: int
    entity: str


class CoreferenceResolver:
    """The ``newsdesk_coreference`` component: ``nlp.add_pipe("newsdesk_coreference")``, after
    ``newsdesk_entities``."""

    def __init__(self, nlp: Language, name: str = NAME):
        self.name = name
        self.words = load_words()

    def __call__(self, doc: Doc) -> Doc:
        references = self.resolve(doc)
        self.set_annotations(doc, references)
        return doc

    def resolve(self, doc: Doc) -> tuple[Reference, ...]:
        """Every reference the rules resolve, in text order (pure: reads the Doc only)."""
        entities: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
        return _Reader(doc, entities, self.words).references()

    def set_annotations(self, doc: Doc, references: tuple[Reference, ...]) -> None:
        entities: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
        doc._.set(attributes.ENTITIES, with_references(doc, entities, references))


def with_references(
    doc: Doc, entities: tuple[Entity, ...], references: Iterable[Reference]
) -> tuple[Entity, ...]:
    """The entities with each reference among its entity's mentions (``role="reference"``)."""
    text = text_of(doc)
    starts = [sent.start_char for sent in doc.sents]
    added: dict[str, list[Evidence]] = {}
    for reference in references:
        added.setdefault(reference.entity, []).append(
            Evidence(
                start=reference.start,
                end=reference.end,
                text=text[reference.start : reference.end],
                sentence=max(bisect_right(starts, reference.start) - 1, 0),
                role="reference",
            )
        )
    return tuple(
        entity.model_copy(
            update={
                "mentions": tuple(
                    sorted((*entity.mentions, *added[entity.id]), key=lambda m: m.start)
                )
            }
        )
        if entity.id in added
        else entity
        for entity in entities
    )


def is_name(mention: Evidence) -> bool:
    """True for a mention that names its entity; False for a reference ("he", "the group")."""
    return mention.role != "reference"


class _Reader:
    """Reads one Doc's references in text order, each resolved one an antecedent of the next."""

    def __init__(self, doc: Doc, entities: tuple[Entity, ...], words: Words) -> None:
        self.doc = doc
        self.words = words
        self.by_id = {entity.id: entity for entity in entities}
        self.sentence_starts = [sent.start_char for sent in doc.sents]
        self.quoted = [(mark.start, mark.end) for mark in find_quote_marks(text_of(doc))]
        self.entity_at: dict[int, str] = {}
        self.by_sentence: dict[int, list[_Antecedent]] = {}
        self.gender: dict[str, str] = {}
        """A person's gender where the text says it: an honorific, or a gendered pronoun
        already resolved to them."""
        self.covered = frozenset(
            token.i
            for entity in entities
            for mention in entity.mentions
            for token in doc.char_span(mention.start, mention.end, alignment_mode="expand") or ()
        )
        text = text_of(doc)
        for entity in entities:
            for mention in entity.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is None or mention.role == "dateline":
                    continue
                if in_capitals_line(text, mention.start):
                    continue  # a subheading in capitals names no one a pronoun goes on about
                if entity.type in _PERSON_TYPES:
                    # the honorific inside the mention ("Ms Amina Yusuf") or just before it
                    for word in doc[max(span.start - 1, 0) : span.start + 1]:
                        if word.lower_ in _MASCULINE_TITLES | _FEMININE_TITLES:
                            masculine = word.lower_ in _MASCULINE_TITLES
                            self.gender[entity.id] = "m" if masculine else "f"
                # An outlet reports; only "the newspaper" points back to it, and it is no
                # speaker whose "we" a quote means.
                if not entity.outlet:
                    for token in span:
                        self.entity_at.setdefault(token.i, entity.id)
                self._add(mention.start, entity, span.root)
        self._add_surnames(entities)

    def _add_surnames(self, entities: tuple[Entity, ...]) -> None:
        """A person's surname written as a subject where NER named no one ("Mr Nazary told
        the BBC ... He said") is who the next "he" means, and who speaks the quote beside it:
        an antecedent, not a mention (naming is the entities stage's job), and only when one
        person of the article has that surname."""
        surnames: dict[str, set[str]] = {}
        for entity in entities:
            if entity.type in _PERSON_TYPES and len(entity.name.split()) > 1:
                surnames.setdefault(entity.name.split()[-1].casefold(), set()).add(entity.id)
        for token in self.doc:
            owners = surnames.get(token.lower_, set())
            if (
                len(owners) == 1
                and token.pos_ == "PROPN"
                and token.dep_ in _SUBJECTS
                and token.i not in self.covered
            ):
                owner = next(iter(owners))
                self.entity_at[token.i] = owner  # who speaks in '“...,” Nazary said'
                self._add(token.idx, self.by_id[owner], token)

    def references(self) -> tuple[Reference, ...]:
        found: list[Reference] = []
        firsts: list[Token] = []
        for token in self.doc:
            if token.i in self.covered or (len(token.text) > 1 and token.text.isupper()):
                continue  # "US" and "IT" are names, not pronouns
            word = token.lower_
            if word in self.words.first_plural:
                firsts.append(token)
                continue
            kind = self._kind(token)
            if kind is None:
                continue
            entity = self._antecedent(token, kind)
            if entity is None:
                continue
            article = _article(token)
            start = token.idx if article is None else article.idx
            found.append(Reference(start, token.idx + len(token), entity.id))
            gender = _gender_of(word)
            if gender is not None:
                self.gender.setdefault(entity.id, gender)
            self.entity_at[token.i] = entity.id
            self._add(token.idx, entity, token)
        for token in firsts:
            group = self._speaker_group(token)
            if group is not None:
                found.append(Reference(token.idx, token.idx + len(token), group.id))
        return tuple(sorted(found, key=lambda reference: reference.start))

    # -- what a word is -----------------------------------------------------------------------

    def _kind(self, token: Token) -> Kind | None:
        word = token.lower_
        if word in self.words.person_pronouns:
            return "person"
        if word in self.words.singular_pronouns:
            return None if _expletive(token) else "singular"
        if word in self.words.plural_pronouns:
            return "plural"
        if token.pos_ not in {"NOUN", "PROPN"} or token.dep_ == "compound":
            return None
        article = _article(token)
        if article is None or article.i in self.covered:
            return None
        if any(c.dep_ == "prep" and c.lower_ in _OWN_PREPS for c in token.children):
            return None
        if word in self.words.person_nouns:
            return "person_noun"
        if any(word.i in self.covered for word in self.doc[article.i + 1 : token.i]):
            return None  # "the Russian government" names whose it is: the entities stage's
        if word in self.words.group_nouns:
            return "group_noun"
        if word in self.words.company_nouns:
            return "company_noun"
        if word in self.words.outlet_nouns:
            return "outlet_noun"
        if word in self.words.sectors:
            return "sector_noun"
        return None

    def _fits(self, token: Token, entity: Entity, kind: Kind) -> bool:
        """Whether the entity agrees with the reference, and how strongly: see ``_supported``."""
        if kind == "outlet_noun":
            return self._is_outlet(entity)
        if entity.outlet:
            return False  # an outlet reports: no "it", "they" or "the group" is it
        if kind == "company_noun":
            return self._is_company(entity)
        if kind == "person":
            gender = _gender_of(token.lower_)
            known = self.gender.get(entity.id)
            mismatch = gender is not None and known is not None and known != gender
            return entity.type in _PERSON_TYPES and not mismatch
        if kind == "person_noun":
            return entity.type in _PERSON_TYPES
        state = entity.type not in _PLACE_TYPES or entity.sector == "state"
        if kind == "singular":
            return entity.type in _SINGULAR_TYPES and state
        if kind == "plural":
            return entity.type in _PLURAL_TYPES and state
        if kind == "group_noun":
            return entity.type in _GROUP_TYPES and entity.sector not in _NOT_GROUP_SECTORS
        return self._supported(token, entity, kind)

    def _supported(
        self, token: Token, entity: Entity, kind: Kind, *, by_name: bool = False
    ) -> bool:
        """Whether the entity's title, name or sector carries the description's word (with
        ``by_name``, a sector description only by the entity's own name)."""
        word = token.lower_
        if kind in {"outlet_noun", "company_noun"}:
            return self._fits(token, entity, kind)
        if kind == "person_noun":
            return entity.type in _PERSON_TYPES and any(
                word in role.title.casefold().split() for role in entity.roles
            )
        if kind != "sector_noun" or entity.type in _PERSON_TYPES:
            return False
        names = {
            part for name in (entity.name, *entity.aliases) for part in name.casefold().split()
        }
        return word in names or (not by_name and entity.sector == self.words.sectors.get(word))

    def _is_outlet(self, entity: Entity) -> bool:
        """A news outlet: the knowledge base says so, or its name ends as an outlet's does."""
        if entity.outlet or entity.sector == "media":
            return True
        return entity.type == "ORG" and any(
            name.split()[-1].casefold() in self.words.outlet_name_words
            for name in (entity.name, *entity.aliases)
            if name.split()
        )

    def _is_company(self, entity: Entity) -> bool:
        """An organisation "the company" may mean: no state, arm of one, outlet or body whose
        own name says it is something else ("the Ministry of Health", "Hamas movement")."""
        if entity.type != "ORG" or entity.sector not in {None, "business"}:
            return False
        words = {
            part for name in (entity.name, *entity.aliases) for part in name.casefold().split()
        }
        other = self.words.group_nouns | self.words.sectors.keys() | self.words.person_nouns
        return not (words & other) and not self._is_outlet(entity)

    # -- looking back -------------------------------------------------------------------------

    def _antecedent(self, token: Token, kind: Kind) -> Entity | None:
        """The one entity the reference stands for, or None when none or several fit."""
        sentence = self._sentence(token.idx)
        inside = self._in_quote(token.idx)
        # In quoted words "he" is never the speaker, who says "I".
        speaker = self._quote_speaker(token.idx) if inside else None
        if kind in {"person", "plural"} and self._unnamed_reporter(token):
            return None
        if kind in {"person_noun", "sector_noun"}:
            # "the president" is the one titled so, if any is, otherwise the nearest person;
            # "the department" the one whose own name says so, if any, otherwise the nearest
            # government actor.
            found = self._look_back(
                token, kind, sentence, speaker, inside, supported=True, by_name=True
            )
            if found is not None:
                return found[0]
        # A description by what the entity is looks back through the whole text: "the
        # newspaper" is the outlet named however far before it.
        supported = kind in {"sector_noun", "outlet_noun", "company_noun"}
        found = self._look_back(token, kind, sentence, speaker, inside, supported=supported)
        if found is None:
            return None
        entity, nearest = found
        if kind == "plural" and nearest.coordinated:
            return None  # "the government and aid agencies ... they": both, not one
        if kind not in {"singular", "plural"} or not self._noun_between(token, nearest, kind):
            return entity
        # A noun in between could be what "it" means, unless the pronoun carries on the
        # subject of an earlier sentence's main clause as its own subject ("The BLA said it
        # had blown up tracks and taken hostages. It also said ...").
        carried = nearest.subject == 2 and self._sentence(nearest.start) < sentence
        return entity if carried and _is_subject(token) else None

    def _look_back(
        self,
        token: Token,
        kind: Kind,
        sentence: int,
        speaker: str | None,
        inside: bool,
        *,
        supported: bool,
        by_name: bool = False,
    ) -> tuple[Entity, _Antecedent] | None:
        """The entity the nearest sentence with a fitting one gives, with its strongest mention
        there (the highest subject rank, then the nearest)."""
        back = _PERSON_SENTENCES_BACK if kind in {"person", "person_noun"} else _SENTENCES_BACK
        if inside:
            back = _QUOTED_SENTENCES_BACK
        floor = 0 if supported else max(sentence - back, 0)
        for number in range(sentence, floor - 1, -1):
            fitting = [
                antecedent
                for antecedent in self.by_sentence.get(number, ())
                if antecedent.start < token.idx
                and antecedent.entity.id != speaker
                and not (kind == "singular" and antecedent.plural)
                and not (antecedent.modifier and kind in {"singular", "plural"})
                and (inside or not antecedent.quoted)
                and (
                    self._supported(token, antecedent.entity, kind, by_name=by_name)
                    if supported
                    else self._fits(token, antecedent.entity, kind)
                )
            ]
            if not fitting:
                continue
            ids = {antecedent.entity.id for antecedent in fitting}
            # The subject is the one a later sentence goes on about; in the reference's own
            # sentence only a subject continues a subject ("X met Y and he said").
            if len(ids) > 1 and number < sentence:
                # the main clause's subject first, then any clause's
                rank = max(antecedent.subject for antecedent in fitting)
                ids = {a.entity.id for a in fitting if rank > 0 and a.subject == rank}
            elif len(ids) > 1 and kind in {"singular", "plural"}:
                # in its own sentence "it"/"they" is the nearest fitting one: "help defend
                # Saudi Arabia if it is attacked"
                ids = {max(fitting, key=lambda a: a.start).entity.id}
            elif len(ids) > 1:
                # a person in its own sentence: the subject of the verb whose clause holds the
                # pronoun ("X told Y he ...", "X met Y and said he ...")
                above = {ancestor.i for ancestor in token.ancestors}
                ids = {a.entity.id for a in fitting if a.governs in above}
            if len(ids) != 1:
                return None  # two fit equally near: no guess
            (chosen,) = ids
            nearest = max(
                (a for a in fitting if a.entity.id == chosen), key=lambda a: (a.subject, a.start)
            )
            return self.by_id[chosen], nearest
        return None

    def _noun_between(self, pronoun: Token, antecedent: _Antecedent, kind: Kind) -> bool:
        """True when a common noun of the pronoun's number that could be what it means stands
        between the antecedent and the pronoun ("the soldiers ... they")."""
        span = self.doc.char_span(antecedent.start, pronoun.idx, alignment_mode="contract") or ()
        plural = kind == "plural"
        for token in span:
            if token.pos_ != "NOUN" or token.i in self.entity_at or (token.tag_ == "NNS") != plural:
                continue
            if token.dep_ in _NOUN_DEPS:
                return True
        return False

    def _unnamed_reporter(self, pronoun: Token) -> bool:
        """True when the pronoun stands in what someone the text does not name reports: "the
        judge said he had been threatened" is the judge, whom no entity holds."""
        clause = pronoun.head
        while clause.dep_ not in {"ccomp", "ROOT"} and clause.head is not clause:
            clause = clause.head
        verb = clause.head
        if clause.dep_ != "ccomp" or verb.lemma_.casefold() not in self.words.speech_verbs:
            return False
        return any(
            child.dep_ in _SUBJECTS
            and child.pos_ == "NOUN"
            # "the ambassador, Jean-Marc Simon, told RFI he ...": named in apposition
            and not any(word.i in self.entity_at for word in (child, *child.children))
            for child in verb.children
        )

    # -- "we" in a quote ----------------------------------------------------------------------

    def _speaker_group(self, token: Token) -> Entity | None:
        """The organisation a "we" inside quote marks stands for: the speaker's."""
        found = self._quote_speaker(token.idx)
        if found is None:
            return None
        speaker = self.by_id[found]
        if speaker.type not in _PERSON_TYPES:
            return speaker if speaker.type in _GROUP_TYPES else None
        groups = {
            role.of for role in speaker.roles if role.of is not None and role.of in self.by_id
        }
        group = self.by_id[groups.pop()] if len(groups) == 1 else None
        return group if group is not None and group.type in _SINGULAR_TYPES else None

    def _quote_speaker(self, offset: int) -> str | None:
        """The entity that speaks the quoted words holding ``offset``: the one subject of a
        speech verb beside them (in their sentences, outside quoted words), or None."""
        mark = next(((s, e) for s, e in self.quoted if s <= offset < e), None)
        if mark is None:
            return None
        first, last = self._sentence(mark[0]), self._sentence(max(mark[1] - 1, mark[0]))
        text = text_of(self.doc)
        if text[: mark[0]].rstrip(" \t“\"'‘«").endswith(":"):
            first = max(first - 1, 0)  # 'Nazary said: “We ...”' split at the colon
        sentences = list(self.doc.sents)[first : last + 1]
        speakers = {
            self.entity_at[subject.i]
            for sent in sentences
            for verb in sent
            if verb.pos_ == "VERB"
            and verb.lemma_.casefold() in self.words.speech_verbs
            and not self._in_quote(verb.idx)
            for subject in verb.children
            if subject.dep_ in _SUBJECTS and subject.i in self.entity_at
        }
        return speakers.pop() if len(speakers) == 1 else None

    # -- helpers ------------------------------------------------------------------------------

    def _origin_of(self, head: Token) -> bool:
        """ "Security forces in Somalia", "soldiers from Chad": the state only says whose the
        people another mention names are; a "they" after it means them."""
        preposition = head.head
        if head.dep_ != "pobj" or preposition.dep_ != "prep":
            return False
        owner = preposition.head
        return (
            preposition.lower_ in _ORIGIN_PREPS and owner.pos_ == "NOUN" and owner.i in self.covered
        )

    def _add(self, start: int, entity: Entity, head: Token) -> None:
        self.by_sentence.setdefault(self._sentence(start), []).append(
            _Antecedent(
                start,
                entity,
                _subject_rank(head),
                self._in_quote(start),
                plural=head.tag_ == "NNS" and head.text.islower(),  # not "Reporters Without"
                governs=_governed_verb(head),
                modifier=head.dep_ in {"amod", "compound"} or self._origin_of(head),
                coordinated=head.dep_ == "conj" or any(c.dep_ == "conj" for c in head.children),
            )
        )

    def _sentence(self, offset: int) -> int:
        return max(bisect_right(self.sentence_starts, offset) - 1, 0)

    def _in_quote(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.quoted)


def _gender_of(pronoun: str) -> str | None:
    if pronoun in _MASCULINE:
        return "m"
    return "f" if pronoun in _FEMININE else None


def _subject_rank(token: Token) -> int:
    """2 for the subject of its sentence's main clause, 1 for the subject of another clause, 0
    otherwise; a name in apposition to a subject counts as it ("his spokesman, X, said")."""
    while token.dep_ in {"appos", "conj"} and token.head is not token:
        token = token.head  # "X and Y met": Y is as much the subject as X
    if token.dep_ not in _SUBJECTS:
        return 0
    verb = token.head
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head  # "X arrived and said": both verbs are the main clause's
    return 2 if verb.dep_ == "ROOT" else 1


def _governed_verb(token: Token) -> int:
    """The verb ``token`` is the subject of (climbing apposition and coordination), or -1."""
    while token.dep_ in {"appos", "conj"} and token.head is not token:
        token = token.head
    return token.head.i if token.dep_ in _SUBJECTS else -1


def _is_subject(token: Token) -> bool:
    return _subject_rank(token) > 0


def _article(noun: Token) -> Token | None:
    """The "the" of a definite description, with only modifiers between it and the noun ("the
    Israeli leader", "the top U.S. diplomat"); None for any other noun."""
    article = next((c for c in noun.children if c.dep_ == "det" and c.lower_ == "the"), None)
    if article is None or article.i > noun.i:
        return None
    between = noun.doc[article.i + 1 : noun.i]
    if any(word.head.i not in range(article.i, noun.i + 1) for word in between):
        return None
    if any(word.dep_ not in _MODIFIER_DEPS for word in between):
        return None
    return article


def _expletive(token: Token) -> bool:
    """An "it" that stands for nothing: the subject of "is unclear whether", "seems that", or
    of a passive with a clause ("it has been reported that ...", "it is believed that ...")."""
    head = token.head
    clause = any(child.dep_ in _CLAUSE_DEPS for child in head.children)
    if token.dep_ == "nsubjpass":
        return clause
    return token.dep_ in {"nsubj", "expl"} and head.lemma_ in _EXPLETIVE_HEADS and clause


def make_coreference_resolver(nlp: Language, name: str) -> CoreferenceResolver:
    """spaCy factory for ``newsdesk_coreference`` (registered by ``register_components()``)."""
    return CoreferenceResolver(nlp, name)
