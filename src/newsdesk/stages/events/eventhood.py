"""Eventhood: whether a matched predicate reports an event at all.

Nothing is coded for a sentence without a predicate. A noun that only says where a report comes
from ("according to a press release") is no event, nor is an event noun inside another noun's
phrase ("the conditions for a peace deal") unless it has its own date. A nominal event needs a
participant, a light verb or its own date; a weak predicate (weight < 0.5) a named participant;
and a demand ("X said Y must ...") is dropped when it only exhorts ("we must do more").

:class:`Eventhood` holds the gates read from the lexicon's word sections. A predicate reports no
event when its sense is set by a word beside it: a verb of handing over whose object is a piece
of information ("released a video", "provided a toll", "contributed to this report") or a refusal
to give one ("declined to comment"); an idiom ("swore in a new prime minister"); a clause left
open by "if" or "whether" under a word of doubt ("it was not clear if police tried to protect");
the purpose a participle describes ("a mission aimed at protecting shipping lanes"); a word inside
a time expression ("in March" is no march); harm to animals ("slaughtered 20,000 chickens").

Deaths, injuries and damage from a hazard (an earthquake, flood, fire, storm, crash, accident or
disease) are no political event: an event is dropped when a hazard is its subject ("the virus
killed 30", "the quake struck"), when harm has no agent and a hazard is its cause ("were injured
in the crash", "were killed when the quake struck", "the storm hit the coast, killing three"),
when the event is fighting a hazard ("battled to contain wildfires"), when forces are mobilised
to help against one, and when harm has no agent in an article whose title or lead is about a
hazard ("14 people were killed" in a report of a quake). The tolls are not lost: the quantities
stage keeps them in ``doc._.quantities``; no incident record is made for such a happening.

Diseases are open-class: besides the hazard list, a word ending in "-virus" ("ebolavirus") and a
strain code ("H5N1", "H7N9") name one, a noun whose "of" phrase names a hazard stands for it ("a
type of bird flu that has killed 150", "an outbreak of cholera killed 60"), and "it" in an
article about a hazard is the hazard ("a vaccine to fight it").

Health measures are no coercion. PLOVER codes a government's restriction as COERCE (restrict);
that is a political act when it is aimed at a political actor (a party, a group, a people, the
press, protesters). A ban, a restriction or a blockage whose target names no actor ("banned
imports of poultry", "restricted the movement of livestock", "a ban on horse movements",
"blocked off an area") in a sentence that names a hazard or in an article about one is aimed at
the disease, not at anyone: a health measure, no political event. Real coercion in such news
stays: an arrest, a detention, a sentence, a crackdown on protesters ("police blocked
protesters", "70 people were detained"), a restriction laid on a named party ("Israel has a
blockade on Gaza").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from spacy.tokens import Doc, Token

from newsdesk.data.event_lexicon import EventLexicon, Pos, Predicate
from newsdesk.data.lexicons import load_sections
from newsdesk.stages.events.actors import entity_ids, people_words
from newsdesk.stages.events.context import EventContext, Found

# Words that modify a noun: an event word there describes it ("a fighting force").
MODIFIER_EDGES = frozenset({"compound", "amod", "acomp", "oprd", "nmod"})
# A predicate under this weight reports its event only weakly: it needs a named participant,
# and it governs the events below it by half a level.
WEAK_WEIGHT = 0.5


def is_attribution(noun: Token) -> bool:
    """ "according to a press release": where a report comes from, not an event."""
    head = noun.head
    return noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


def describes_a_noun(noun: Token) -> bool:
    """True for an event noun inside another noun's phrase ("conditions for a deal")."""
    return noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "NOUN"


def has_time(noun: Token, context: EventContext) -> bool:
    """True when a time expression lies in the noun's phrase ("the 2019 attack")."""
    return any(token.i in context.times_at for token in noun.subtree)


def lacks_a_participant(
    found: Found,
    source_tokens: Sequence[Token],
    target_tokens: Sequence[Token],
    *,
    light: bool,
    context: EventContext,
) -> bool:
    """True for a nominal event with no participant, no light verb and no date of its own
    ("the fighting"): a topic, not a report of an event."""
    return not (source_tokens or target_tokens or light or has_time(found.head, context))


def weak_without_party(
    predicate: Predicate, source: tuple[str, ...], target: tuple[str, ...]
) -> bool:
    """True for a weak predicate whose parties name no entity."""
    return predicate.weight < WEAK_WEIGHT and not (source or target)


def exhorts(
    found: Found,
    target_tokens: Sequence[Token],
    source: tuple[str, ...],
    target: tuple[str, ...],
    context: EventContext,
) -> bool:
    """True for a demand that exhorts rather than demands ("we must do more"): it is laid on
    the speaker's own side, or on a party that is not a named entity of its own."""
    return found.speaker is not None and bool(
        any(token.lower_ in {"we", "i"} for token in target_tokens)
        or (source and not target and entity_ids(target_tokens, context))
    )


# Types whose verbs hand something over: with a piece of information as object they report a
# communication ("released a statement", "offered no evidence"), not aid, a concession, a
# release or an offer.
_TRANSFER_TYPES = frozenset({"AID", "RETREAT", "CONCEDE", "AGREE"})
# Harm that a hazard can do as well as an armed party: without an agent, in a hazard's clause
# or article, it is no political event.
_HARM_TYPES = frozenset({"ASSAULT"})
# Where an open question begins: "not clear if ...", "asked whether ...".
_OPEN_MARKS = frozenset({"if", "whether"})
# Prepositions that name a cause or circumstance of harm: "killed in the crash", "injured by the
# blast of the storm", "died from the virus", "damaged after the flood".
_CAUSE_PREPS = frozenset({"in", "by", "from", "after", "during", "because", "due"})
# Edges by which a clause hangs on another of the same happening ("the storm hit the coast,
# killing three", "died and were injured", "killed when the quake struck").
_LINKED_CLAUSES = frozenset({"advcl", "conj", "xcomp"})
# Edges by which a predicate sits inside the clause above it.
_UP_EDGES = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp", "csubj", "prep"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
# The one hazard word that also names a weapon's fire: with a modifier of its own ("artillery
# fire", "cross fire") it is a weapon's unless the hazard list names the pair ("forest fire").
_GUNFIRE = "fire"
# An article that names hazards this often, and more often than sure words of violence, is
# about a hazard.
_HAZARD_ARTICLE = 3
_SURE = 0.9
# Sections of the generic agents' lexicon whose people are forces (PLOVER MOBILIZE moves them).
_FORCE_SECTIONS = ("armed", "insurgent", "rebel", "militia", "military", "police")
# How news names troops of any kind ("security forces", "government forces").
_FORCE = "force"
# Modes of a restriction (COERCE restrict, PROTEST obstruct): aimed at no actor, in hazard news,
# a health measure.
_RESTRICTIONS = frozenset({"restrict", "obstruct"})
# Gatherings and the press, which a restriction aimed at is political ("dispersed the crowd",
# "a media ban"); people of every other kind are the agents lexicon's.
_GATHERED = frozenset({"crowd", "mob", "gathering", "press", "media", "newspaper"})
# Modes of harm only people do: never a hazard's, even with no agent named in a hazard's report
# ("he was tortured", "my father was murdered", "the shooting of a journalist").
_HUMAN_MODES = frozenset({"torture", "targeted", "firearms", "unconventional"})
# Pronouns that name people, who can be a restriction's target ("banned them from travelling").
_PERSONAL = frozenset({"he", "she", "they", "him", "her", "them", "we", "us", "i", "me", "you"})
# How news names a strain of a virus: "H5N1", "H1N1", "H7N9".
_STRAIN = re.compile(r"h\d{1,2}n\d{1,2}")
# The suffix of a virus's name: "ebolavirus", "coronavirus", "enterovirus".
_VIRUS = "virus"
# The pronoun that stands for the hazard in an article about one ("a vaccine to fight it").
_IT = "it"
# Relative pronouns, which stand for the noun their clause describes ("the disease, which has
# killed 30").
_RELATIVES = frozenset({"which", "that", "who"})


@cache
def _forces() -> frozenset[str]:
    """The armed and police kinds of people of the generic agents' lexicon."""
    sections = load_sections("agents")
    return frozenset(word for name in _FORCE_SECTIONS for word in sections.get(name, ()))


class Eventhood:
    """Whether a predicate found in the parse reports a political event, by the words the
    lexicon's sections give (information words, idioms, doubt, purpose, hazards)."""

    def __init__(self, lexicon: EventLexicon):
        self.lexicon = lexicon
        words = lexicon.section
        self._information = words("information_words")
        self._idioms = words("non_event_phrases")
        self._doubt = words("uncertainty_words")
        self._purpose = words("purpose_verbs")
        self._hazards = words("hazards")
        self._civilians = words("civilian_personnel")
        self._conflict = words("conflict_words")
        self._animals = words("animal_nouns")

    # -- the whole article --------------------------------------------------------------------

    def about_a_hazard(self, doc: Doc, context: EventContext) -> int | None:
        """True when the article is about a hazard: its title (or its lead sentence when it has
        none) names one and no word of armed conflict, or the article names hazards at least
        three times and more often than words of armed conflict ("war", "rebels", "attack",
        "shelling"). Its agentless harm is the hazard's ("14 people were killed" after "A quake
        struck Turkey"). Returns where in the text agentless harm starts to be the hazard's
        (after the lead when the lead tells of it: the lead's own clauses judge it), or None."""
        start = 0
        if context.titles:
            spans = [
                doc.char_span(begin, end, alignment_mode="expand") for begin, end in context.titles
            ]
            tokens = [token for span in spans if span is not None for token in span]
        else:
            lead = next((sent for sent in doc.sents if sent.text.strip()), None)
            tokens = list(lead) if lead is not None else []
            start = lead.end_char if lead is not None else 0  # the lead is read clause by clause
        if any(self._of_conflict(token) for token in tokens):
            return None  # "Children brutalized in Sudan's civil war": its diseases are the war's
        if any(self.is_hazard(token) for token in tokens):
            return start
        hazards = sum(self.is_hazard(token) for token in doc)
        conflict = sum(self._of_conflict(token) for token in doc)
        return 0 if hazards >= _HAZARD_ARTICLE and hazards > conflict else None

    # -- one predicate ------------------------------------------------------------------------

    def reports_no_event(
        self,
        found: Found,
        source_tokens: Sequence[Token],
        context: EventContext,
        *,
        hazard_from: int | None,
        target_tokens: Sequence[Token] = (),
    ) -> bool:
        """True when the predicate, read with the words beside it, reports no political event;
        ``hazard_from`` is where the article's agentless harm is a hazard's (see
        :meth:`about_a_hazard`)."""
        return (
            in_a_time(found, context)
            or self.tells_information(found)
            or self.is_idiom(found)
            or self.asks_a_question(found)
            or self.left_open(found)
            or self.describes_a_purpose(found)
            or self.by_a_hazard(found, source_tokens, hazard_from=hazard_from)
            or self.harms_animals(found)
            or self.health_measure(found, target_tokens, context, hazard_from=hazard_from)
        )

    def health_measure(
        self,
        found: Found,
        target_tokens: Sequence[Token],
        context: EventContext,
        *,
        hazard_from: int | None,
    ) -> bool:
        """ "banned imports of poultry", "restricted the movement of livestock", "a ban on horse
        movements", "officials blocked off an area": a restriction aimed at no actor, in a
        sentence naming a hazard or in an article about one, is a health measure."""
        if found.predicate.mode not in _RESTRICTIONS:
            return False
        head = found.head
        aimed = [*target_tokens, *(c for c in head.children if c.dep_ in MODIFIER_EDGES)]
        if head.dep_ in {"relcl", "acl"}:
            aimed.append(head.head)  # "a protest that ... has been broken up by police"
        if entity_ids(target_tokens, context) or any(self._aims_at_people(t) for t in aimed):
            return False  # "police blocked protesters", "Israel has a blockade on Gaza"
        in_article = hazard_from is not None and head.idx >= hazard_from
        return in_article or any(self.is_hazard(token) for token in head.sent)

    def harms_animals(self, found: Found) -> bool:
        """ "slaughtered 20,000 chickens", "birds were culled": harm to animals, no political
        event."""
        head = found.head
        if found.predicate.type not in _HARM_TYPES | {"COERCE"} or head.pos_ not in {
            "VERB",
            "AUX",
        }:
            return False  # "rounding up chickens" is no arrest
        victims = [c for c in head.children if c.dep_ in {"dobj", "nsubjpass"}]
        if head.dep_ == "acl" and head.head.pos_ in {"NOUN", "PROPN"}:
            victims.append(head.head)
        if not victims:  # "slaughtering, burning and burying 6,500 hogs": the last verb's object
            victims = [c for verb in head.conjuncts for c in verb.children if c.dep_ in {"dobj"}]
        counted = [
            word
            for noun in victims
            for word in (noun, *(g for c in noun.children if c.lower_ == "of" for g in c.children))
        ]
        return bool(victims) and any(self._word_in(word, self._animals) for word in counted)

    def tells_information(self, found: Found) -> bool:
        """ "released a video", "provided a toll", "gave his name", "contributed to this
        report", "the release of a statement": a communication; "declined to comment": no
        refusal of anything."""
        head = found.head
        kind = found.predicate.type
        if kind == "REJECT":
            return any(
                child.dep_ == "xcomp" and self._is_information(child) for child in head.children
            )
        if kind not in _TRANSFER_TYPES:
            return False
        objects = [child for child in head.children if child.dep_ in {"dobj", "nsubjpass"}]
        if head.dep_ == "acl" and head.head.pos_ in {"NOUN", "PROPN"}:
            objects.append(head.head)  # "videos released by the group"
        if head.dep_ == "nsubjpass" or not objects:
            objects += [
                grand
                for child in head.children
                if child.dep_ == "prep" and child.lower_ in {"to", "of"}
                for grand in child.children
                if grand.dep_ == "pobj"
            ]
        objects += [conj for word in objects for conj in word.conjuncts]
        # "provided aerial photographs and other military intelligence": aid all the same
        return bool(objects) and all(self._is_information(word) for word in objects)

    def is_idiom(self, found: Found) -> bool:
        """A phrase of the non-event list: "swore in a new prime minister" (a verb and its
        particle, preposition or object), "a news conference", "a great deal of" (a noun and
        its modifiers)."""
        head = found.head
        lemma = head.lemma_.casefold()
        verb = head.pos_ in {"VERB", "AUX"}
        beside = {
            word
            for child in head.children
            if verb or child.dep_ in MODIFIER_EDGES
            for word in (child.lemma_.casefold(), child.lower_)
        }
        for phrase in self._idioms:
            words = phrase.split()
            own, rest = (words[0], words[1:]) if verb else (words[-1], words[:-1])
            if own in {lemma, head.lower_} and rest and set(rest) <= beside:
                return True
        return False

    def asks_a_question(self, found: Found) -> bool:
        """ "What has she done, she asked", "asked by VOA if the U.S. was considering ...": a
        verb of asking with no act asked for (no "to ..." and no "for ...") asks a question."""
        head = found.head
        if found.predicate.type != "REQUEST" or head.pos_ != "VERB":
            return False
        if found.predicate.head not in self._doubt:
            return False  # "ask", "question"; not a demand's verb ("they should know")
        return not any(
            child.dep_ == "xcomp" or (child.dep_ == "prep" and child.lower_ == "for")
            for child in head.children
        )

    def left_open(self, found: Found) -> bool:
        """True inside a clause that a word of doubt leaves open with "if" or "whether" ("it
        was not clear if police tried to protect them", "asked whether troops had fired")."""
        token = found.anchor
        while token.dep_ in _UP_EDGES and token.head.i != token.i:
            if any(c.dep_ == "mark" and c.lower_ in _OPEN_MARKS for c in token.children):
                head = token.head
                words = [head, *(c for c in head.children if c.dep_ in {"acomp", "attr", "oprd"})]
                if any(self._word_in(word, self._doubt) for word in words):
                    return True
            token = token.head
        return False

    def describes_a_purpose(self, found: Found) -> bool:
        """True for the complement of a purpose participle ("aimed at protecting", "a law
        designed to curb protests"): what something is for, not an act."""
        token = found.anchor
        if token.dep_ == "pcomp" and token.head.dep_ == "prep":
            token = token.head
        elif token.dep_ != "xcomp":
            return False
        owner = token.head
        if owner.pos_ != "VERB" or not self._word_in(owner, self._purpose):
            return False
        passive = any(child.dep_ == "auxpass" for child in owner.children)
        return passive or owner.tag_ == "VBN" or owner.dep_ in {"acl", "amod"}

    def by_a_hazard(
        self, found: Found, source_tokens: Sequence[Token], *, hazard_from: int | None
    ) -> bool:
        """True for a happening of nature, accident or disease: a hazard as its subject or
        actor, fighting a hazard, forces sent to help against one, or harm with no agent
        whose cause (its clause, or the article) is a hazard."""
        head = found.head
        kind = found.predicate.type
        subjects = [
            head.head if child.lower_ in _RELATIVES and head.dep_ == "relcl" else child
            for child in head.children
            if child.dep_ in _SUBJECTS
        ]
        if head.pos_ in {"NOUN", "PROPN"}:  # "the threat of the cyclone"
            subjects += [g for c in head.children if c.lower_ == "of" for g in c.children]
        if head.dep_ == "acl" and any(c.dep_ == "dobj" for c in head.children):
            subjects.append(head.head)  # "after an outbreak of cholera killed 60 people"
        # The head of a coordination decides: "explosions or fires, often deliberately set"
        actors = [word for word in source_tokens if word.dep_ != "conj"]
        in_article = hazard_from is not None and head.idx >= hazard_from
        it_is_hazard = in_article and kind in _HARM_TYPES  # "it has killed 30"; not "it banned"
        if any(self._stands_for_hazard(word, it_is_hazard) for word in (*subjects, *actors)):
            return True  # "the virus killed 30", "the quake struck", "homes destroyed by floods"
        if self._fights_a_hazard(head, in_article=in_article):
            return True  # "battled to contain wildfires", "fight the virus"
        if kind == "MOBILIZE" and self._helps(head) and self._hazard_near(head):
            return True  # "soldiers were mobilized to help after the flood"
        if kind == "MOBILIZE" and self._sends_civilians(head):
            return True  # "the government sent doctors to the region"
        if kind == "MOBILIZE" and (in_article or self._hazard_near(head)):
            # "issued a health alert", "deployed investigators", "the mobilization of doses of
            # Tamiflu", "the disease is heading towards Colombia": no force is moved
            return not any(self._is_force(token) for token in head.sent)
        if kind not in _HARM_TYPES or source_tokens:
            return False
        if self._caused_by_hazard(head):
            return True  # "injured in the crash", "killed when the quake struck"
        predicate = found.predicate
        if predicate.mode in _HUMAN_MODES or predicate.weight >= _SURE:
            return False  # "they suffered torture", "attacking police officers": people's harm
        return in_article and not self._armed_above(head)

    def _is_force(self, token: Token) -> bool:
        """True for a word of armed forces or police ("troops", "the army", "police",
        "militia"): PLOVER's MOBILIZE moves them."""
        return (
            token.lemma_.casefold() == _FORCE
            or self._word_in(token, self._conflict)
            or self._word_in(token, _forces())
        )

    def _aims_at_people(self, token: Token) -> bool:
        """True for a restriction's target that is people, a party, a protest or the press:
        "protesters", "them", "the crowd", "a protest", "a media ban"."""
        lemma = token.lemma_.casefold()
        return (
            token.lower_ in _PERSONAL
            or token.ent_type_ in {"PERSON", "NORP", "ORG", "GPE"}
            or lemma in people_words()
            or lemma in _GATHERED
            or any(
                row.type == "PROTEST" for row in self.lexicon.predicates.get(("noun", lemma), ())
            )
        )

    def _stands_for_hazard(self, word: Token, it_is_hazard: bool) -> bool:
        """True for a hazard's word, a noun whose "of" phrase names one ("a type of bird flu",
        "an outbreak of cholera", "areas of the quake"), or "it" in an article about a hazard."""
        if self.is_hazard(word) or (it_is_hazard and word.lower_ == _IT):
            return True
        return word.pos_ in {"NOUN", "PROPN"} and any(
            self.is_hazard(grand)
            for child in word.children
            if child.dep_ == "prep" and child.lower_ == "of"
            for grand in child.children
            if grand.dep_ == "pobj"
        )

    # -- words --------------------------------------------------------------------------------

    def is_hazard(self, token: Token) -> bool:
        """True for a word naming a hazard: "quake", "the floods", "a forest fire"; not a
        weapon's fire ("artillery fire", "came under fire", "opened fire")."""
        lemma = token.lemma_.casefold()
        if token.pos_ in {"NOUN", "PROPN"} and (
            _STRAIN.fullmatch(token.lower_)
            or (token.lower_.endswith(_VIRUS) and len(token.lower_) > len(_VIRUS))
        ):
            return True  # "H5N1", "ebolavirus": diseases are named in open class
        compounds = [c for c in token.children if c.dep_ == "compound"]
        if any(f"{c.lemma_.casefold()} {lemma}" in self._hazards for c in compounds):
            return True
        if token.pos_ == "PROPN" and any(self._word_in(c, self._hazards) for c in compounds):
            return True  # "Cyclone Jude", "Hurricane Katrina": a named hazard
        if token.pos_ == "NOUN" and any(
            c.dep_ in {"amod", "acl"} and c.pos_ == "VERB" and self.is_hazard(c)
            for c in token.children
        ):
            return True  # "collapsing buildings injured 15 people"
        if lemma not in self._hazards and token.lower_ not in self._hazards:
            return False
        if lemma == _GUNFIRE and any(c.dep_ in MODIFIER_EDGES for c in token.children):
            return False  # "artillery fire", "cross fire": a weapon's
        if token.pos_ in {"VERB", "AUX"} and (
            lemma == _GUNFIRE or any(c.dep_ == "dobj" for c in token.children)
        ):
            return False  # "rebels sank a boat", "troops fired": deeds; "the boat sank" is not
        measured = [
            grand
            for child in token.children
            if child.dep_ == "prep" and child.lower_ == "of"
            for grand in child.children
            if grand.dep_ == "pobj"
        ]
        if measured and not any(self.is_hazard(word) for word in measured):
            return False  # "a flood of refugees", "a storm of criticism", "the heat of battle"
        head = token.head
        if token.dep_ == "pobj" and head.lower_ == "under":
            return False  # "came under fire"
        return not (
            token.dep_ == "dobj"
            and self.lexicon.predicates.get(("verb", head.lemma_.casefold())) is not None
            and any(
                row.extras == (lemma,)
                for row in self.lexicon.predicates[("verb", head.lemma_.casefold())]
            )
        )  # "opened fire", "set fire": the phrase is a deed

    def _of_conflict(self, token: Token) -> bool:
        """True for a word of armed conflict: one of the conflict words ("war", "rebels") or an
        ASSAULT predicate the lexicon holds sure (weight >= 0.9: "attack", "clash", "shelling"),
        not "kill" or "hit", which a hazard does too."""
        if self._word_in(token, self._conflict):
            return True
        pos: Pos = "verb" if token.pos_ == "VERB" else "noun"
        rows = self.lexicon.predicates.get((pos, token.lemma_.casefold()), ())
        return any(
            row.type in _HARM_TYPES and row.weight >= _SURE and not row.extras for row in rows
        )

    def _is_information(self, token: Token) -> bool:
        return self._word_in(token, self._information)

    @staticmethod
    def _word_in(token: Token, words: frozenset[str]) -> bool:
        return token.lemma_.casefold() in words or token.lower_ in words

    def _fights_a_hazard(self, verb: Token, *, in_article: bool = False) -> bool:
        """ "battled to contain wildfires", "fought the blaze", "the fight against the virus",
        "blocked the spread of the disease", "a battle with cholera"."""
        near = [verb, *(c for c in verb.children if c.dep_ in {"xcomp", "advcl"})]
        objects = [
            word
            for token in near
            for child in token.children
            for word in (child, *(g for g in child.children if g.dep_ == "pobj"))
            if (word is child and word.dep_ == "dobj")
            or (
                child.dep_ == "prep" and child.lower_ in {"against", "with"} and word.dep_ == "pobj"
            )
        ]
        # "blocked the spread of the disease": what is fought is the hazard's
        objects += [
            g for word in objects for c in word.children if c.lower_ == "of" for g in c.children
        ]
        return any(self.is_hazard(word) or (in_article and word.lower_ == _IT) for word in objects)

    def _armed_above(self, verb: Token) -> bool:
        """True when the clause the harm hangs on is an act of violence by someone: "soldiers
        opened fire, killing three" has its agent in the clause above."""
        if verb.dep_ not in _LINKED_CLAUSES or verb.head.i == verb.i:
            return False
        above = verb.head
        violent = any(
            row.type in _HARM_TYPES
            for row in self.lexicon.predicates.get(("verb", above.lemma_.casefold()), ())
        )
        return violent and any(
            child.dep_ == "nsubj" and not self.is_hazard(child) for child in above.children
        )

    def _sends_civilians(self, verb: Token) -> bool:
        """True when what is sent or deployed is civilian help, not a force: "sent doctors",
        "deployed a team of experts", "health workers were deployed"; not "troops and aid
        workers"."""
        objects = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
        if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
            objects.append(verb.head)
        sent: list[Token] = []
        for noun in objects:
            for word in (noun, *(c for c in noun.children if c.dep_ == "conj")):
                counted = [g for c in word.children if c.lower_ == "of" for g in c.children]
                sent += counted or [word]  # "a team of experts": the experts are sent
        return bool(sent) and all(
            self._word_in(word, self._civilians)
            or self._is_information(word)  # "gathered data", "sent a report"
            or any(
                c.dep_ in {"amod", "compound"} and self._word_in(c, self._civilians)
                for c in word.children
            )
            for word in sent
        )

    def _helps(self, verb: Token) -> bool:
        """ "mobilized to help", "deployed to rescue residents": forces sent to give aid."""
        return any(
            child.dep_ in {"xcomp", "advcl"}
            and any(
                row.type == "AID"
                for row in self.lexicon.predicates.get(("verb", child.lemma_.casefold()), ())
            )
            for child in verb.children
        )

    def _hazard_near(self, verb: Token) -> bool:
        """True when the predicate's sentence names a hazard."""
        return any(self.is_hazard(token) for token in verb.sent)

    def _caused_by_hazard(self, verb: Token) -> bool:
        """True when a hazard is the cause the clause gives: a "by/in/from/after" phrase
        ("injured in the crash"), or a linked clause whose verb or subject is a hazard ("killed
        when the quake struck", "the storm hit the coast, killing three", "after a bus
        collided with a truck")."""
        # "nine people were killed and sixty remain in critical condition after an outbreak"
        for child in (c for clause in (verb, *verb.conjuncts) for c in clause.children):
            if child.dep_ in {"prep", "agent"} and child.lower_ in _CAUSE_PREPS | {"by"}:
                objects = [g for g in child.children if g.dep_ == "pobj"]
                objects += [  # "because of the storm", "due to the floods"
                    g
                    for p in child.children
                    if p.dep_ == "prep"
                    for g in p.children
                    if g.dep_ == "pobj"
                ]
                if any(self.is_hazard(word) for word in objects):
                    return True
        clauses = [c for c in verb.children if c.dep_ == "advcl"]
        if verb.dep_ in _LINKED_CLAUSES and verb.head.i != verb.i:
            above = verb.head
            clauses += [above, *(c for c in above.children if c.dep_ == "advcl" and c is not verb)]
        for clause in clauses:
            if self.is_hazard(clause) or any(
                child.dep_ in _SUBJECTS and self.is_hazard(child) for child in clause.children
            ):
                return True
        return False


def in_a_time(found: Found, context: EventContext) -> bool:
    """True when the predicate's word is part of a time expression ("in March")."""
    return found.head.i in context.times_at
