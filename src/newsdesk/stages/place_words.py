"""Known places NER typed as a person or an organisation ("Khartoum", "Goma" tagged PERSON).

The small NER models often call an African or Asian town a person. Such an entity must not
speak, accuse or be accused as a person: it is a place when the gazetteer knows the name as a
populated place, a country or an admin area, and the article uses it as one:

- a locative before a mention: "in Goma", "near Khartoum", "from Kherson";
- a country or region written after it: "Goma, Congo"; or a place NER found beside it
  ("Pandi and Talavera");
- the object of a verb whose object is a place: "M23 seized Goma", "troops entered Kherson";
- a place noun or a place's people that governs it: "the mayor of Douglas", "residents of
  Sumy", "the city of Kharkiv"; or a place noun it is said to be: "Douglas is a small town",
  "Sumy, a city near the border";
- NER itself calls another mention of it a place ("fighting in Khartoum" tagged GPE);
- or nothing in the article uses it as a person, and the gazetteer's reading is a strong one
  (a country, a region, a city of 100,000 or one of the project's places).

A person context keeps it a person whatever else holds: a title before it ("Mr. Goma"), a role
in apposition ("Goma, the spokesman"), or a full name that ends with it ("Joseph Goma"), which
the entities stage has joined to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from newsdesk.data.gazetteer import Gazetteer, GazetteerPlace, load_gazetteer
from newsdesk.data.lexicons import load_phrases
from newsdesk.records import Entity, EntityType

# What NER calls a town it does not know.
_RETYPED: frozenset[EntityType] = frozenset({"PERSON", "ORG"})
_NER_PLACES = frozenset({"GPE", "LOC", "FAC"})
# Gazetteer readings that are populated places, countries and admin areas (not a river or sea).
_SETTLED = frozenset({"country", "admin1", "county", "city", "town", "district", "region"})
_LOCATIVES = frozenset({"in", "at", "near", "outside", "from", "into", "across"})
# Verbs whose object is a place; "enter" only here, since "entered talks" has no name to read.
_MORE_PLACE_VERBS = frozenset({"enter"})
_BIG_CITY = 100_000
_OWN_PLACE_PREFIX = "nd:"


class PlaceWordReader:
    """Retypes the entities that are known places used as places; reads its lists once."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer
        self._place_verbs = load_phrases("places", "place_verbs") | _MORE_PLACE_VERBS
        self._place_nouns = load_phrases("places", "place_nouns")
        self._of_place = self._place_nouns | load_phrases("places", "place_people")
        # "Secretary Kerry": a role written as a title is one too.
        self._titles = load_phrases("people", "honorifics") | load_phrases("people", "roles")

    @property
    def gazetteer(self) -> Gazetteer:
        # Loaded on first need: most articles' people and organisations are never looked up.
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def retype(self, doc: Doc, entities: Iterable[Entity]) -> tuple[Entity, ...]:
        """``entities`` with each known place used as a place typed GPE."""
        return tuple(
            entity.model_copy(update={"type": "GPE"}) if self.is_place(doc, entity) else entity
            for entity in entities
        )

    def is_place(self, doc: Doc, entity: Entity) -> bool:
        """True when ``entity``, typed a person or organisation, is a known place used as one."""
        if entity.type not in _RETYPED or entity.actor is not None or entity.roles:
            return False
        if not entity.name[:1].isupper() or entity.name.isupper():
            return False  # "the bush", "AI": a common word or an acronym, not a town's name
        readings = [r for r in self.gazetteer.lookup(entity.name) if r.feature in _SETTLED]
        # "in Congress": an organisation's name is a place only when the place is a big one.
        if entity.type == "ORG":
            readings = [r for r in readings if _strong(r)]
        if not readings:
            return False
        spans = [
            span
            for mention in entity.mentions
            if (span := doc.char_span(mention.start, mention.end, alignment_mode="expand"))
            is not None
        ]
        if not spans or any(self._titled(span) for span in spans):
            return False
        if any(self._in_place_context(span) for span in spans):
            return True
        return any(_strong(r) for r in readings) and all(_as_place(span) for span in spans)

    def _titled(self, span: Span) -> bool:
        """ "Mr. Goma", "President Goma": a title before the name makes it a person's."""
        doc = span.doc
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        first = span[0].lower_
        return before in self._titles or (len(span) > 1 and first in self._titles)

    def _in_place_context(self, span: Span) -> bool:
        doc = span.doc
        if span.root.ent_type_ in _NER_PLACES:
            return True
        root = span.root
        # "in Goma", not "in the Obama administration": the name itself fills the preposition.
        if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVES:
            return True
        if root.dep_ == "dobj" and root.head.lemma_.casefold() in self._place_verbs:
            return True
        if self._governed_by_place_noun(root) or self._said_to_be_a_place(root):
            return True
        # "Pandi and Talavera": coordinated with a name NER called a place.
        linked = [root.head] if root.dep_ == "conj" else []
        linked += [child for child in root.children if child.dep_ == "conj"]
        if any(token.ent_type_ in _NER_PLACES for token in linked):
            return True
        return self._region_after(doc, span.end)

    def _governed_by_place_noun(self, root: Token) -> bool:
        """ "the mayor of Douglas", "residents of Sumy", "the city of Kharkiv"."""
        head = root.head
        return (
            root.dep_ == "pobj"
            and head.lower_ == "of"
            and head.head.i != head.i
            and head.head.pos_ == "NOUN"
            and head.head.lemma_.casefold() in self._of_place
        )

    def _said_to_be_a_place(self, root: Token) -> bool:
        """ "Douglas is a small town", "Sumy, a city near the border": the name is a place
        noun, by the verb "be" or by apposition."""
        if root.dep_ == "nsubj" and root.head.lemma_ == "be":
            described = [child for child in root.head.children if child.dep_ == "attr"]
        else:
            described = [child for child in root.children if child.dep_ == "appos"]
        return any(
            noun.pos_ == "NOUN" and noun.lemma_.casefold() in self._place_nouns
            for noun in described
        )

    def _region_after(self, doc: Doc, end: int) -> bool:
        """ "Goma, Congo": a comma and then a country or region the gazetteer knows."""
        if end + 1 >= len(doc) or doc[end].text != ",":
            return False
        region = doc[end + 1]
        if region.ent_type_ and region.ent_iob_ == "B":
            region_span = next(ent for ent in doc.ents if ent.start == region.i)
            name = region_span.text
        else:
            name = region.text
        if not name[:1].isupper():
            return False
        return any(r.precision >= 3 for r in self.gazetteer.lookup(name))


def _as_place(span: Span) -> bool:
    """False where a mention reads as someone or something's name: the subject of a verb ("Yao
    was advocating"), the agent of a passive ("suggested by Yao"), or a modifier of a noun
    ("Meta's model", "Media watchdog")."""
    root = span.root
    if root.dep_ in {"nsubj", "compound", "poss", "amod", "nmod"}:
        return False
    return not (root.dep_ == "pobj" and root.head.dep_ == "agent")


def _strong(reading: GazetteerPlace) -> bool:
    return (
        reading.precision >= 3
        or reading.population >= _BIG_CITY
        or reading.id.startswith(_OWN_PLACE_PREFIX)
    )
