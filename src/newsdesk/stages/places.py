"""``newsdesk_places``: the places an article names, on the map, with honest precision.

Geoparsing: toponyms are the place entities (GPE, LOC, FAC, including names the entities stage
retyped, such as "Panjshir" from "the Panjshir Valley"), plus names NER tagged as a person or
organisation, or not at all, that the gazetteer knows as a country, a region, a big city or one
of the project's own places ("Goma" tagged PERSON). A place that is the subject of a verb such as
"said" ("Kabul said") is a mention of the place whose government speaks; the events stage does
not take it as where an event happened. Without place context
(a locative, a place noun, a container after a comma, a place beside it), a name that is also a
common surname, brand or agency ("Lincoln", "Toyota"), or an acronym in running text ("MINA"),
is no place; a name NER typed PERSON or ORG is a place by the place's own name only ("Naseri" is
not Ahvaz), and not at all when the article writes the person's full name ("Lewis Hamilton ...
Hamilton"); a small town found by another name ("Muja" for a Russian town) needs another place
of its country in the article. Abbreviations with their stop ("Charleston, W.Va."), "the
Kharkiv region" (the province, not the city) and "Scott and Jefferson counties" are read as
written.

A place named inside an organisation's name is a mention of that place with role ``in_name``
("Shreveport" in "the Shreveport Police Department", "Nairobi" in "the University of Nairobi"):
read from how such names are built, a known place at the start followed by words that name a
body, or "of" and a place at the end. A demonym ("Russian forces", "Americans") is a mention of
its country with role ``demonym``, and tells the article's country focus as before. Neither kind
is an event's place by itself.

Geocoding: each toponym's readings are weighed by the evidence the article gives, in
``stages/geocoding.py`` (the scored chooser and its reason codes); ``newsdesk analyze
--explain-places`` prints the readings, scores and reasons.

Relative locations ("approximately 125 kilometres north of Kabul", "near Goma") are kept as
relations from the place they describe to their anchor place.
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import pycountry
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsdesk import attributes, geo
from newsdesk.attributes import text_of
from newsdesk.data.demonyms import load_demonyms
from newsdesk.data.gazetteer import (
    Gazetteer,
    GazetteerPlace,
    key_weight,
    load_gazetteer,
    normalise_name,
)
from newsdesk.data.lexicons import load_phrases
from newsdesk.records import (
    Block,
    Entity,
    Evidence,
    MentionRole,
    Place,
    PlaceReading,
    RelativeLocation,
)
from newsdesk.stages.evidence import evidence_at, sentence_of
from newsdesk.stages.geocoding import (
    AREAS,
    BIG_CITY,
    OWN_PLACE_PREFIX,
    Choice,
    Context,
    Neighbours,
    Readings,
    Toponym,
    choose,
    in_region,
    reread,
    same_kind,
)

NAME = "newsdesk_places"
REQUIRES = ["doc.ents", "doc.sents", "token.dep", "token.pos", f"doc._.{attributes.ENTITIES}"]
ASSIGNS = [f"doc._.{attributes.PLACES}"]

_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# NER often calls a town a person or an organisation ("Goma", "Uttar Pradesh").
_MAYBE_PLACE_TYPES = frozenset({"PERSON", "ORG", "NORP"})
# Labels the entities stage does not keep, which the small models give to unfamiliar towns
# ("Taloqan" as a PRODUCT): such a name is weighed like one NER left unlabelled.
_STRAY_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})
# Place nouns that also end names of other things ("Islamic State", "Blackstone Capital").
_NAME_ENDINGS = frozenset({"state", "capital"})
# What stands between a place and the larger place that holds it.
_CONTAINED = re.compile(
    r"\s*(?:,|(?:in|of)(?:\s+(?:the\s+)?(?:north|south|east|west|central)[a-z]*)?)\s*"
)
# What stands between the names of a list: "Utah, Washington, Pennsylvania and Ohio".
_LISTED = re.compile(r"\s*(?:,|,?\s*(?:and|or))\s*")
# What may stand between a name and the relative location that describes it.
_DESCRIBED = re.compile(
    r",\s*(?:(?:a|an|the)(?:\s+[a-z-]+){1,3}\s+)?"  # ", a small town"
    r"(?:(?:just|only|further|about|some|around|nearly|roughly|approximately)\s+)?"
    r"(?:\d[\d,.]*\s*(?:km|kilometres|kilometers|miles)\s*)?"  # "60 km"
    r"(?:\([^)]*\)\s*)?$"  # "(40 miles)"
)
# After these words a name the gazetteer knows is a place even when NER said otherwise.
_LOCATIVES = frozenset({"in", "at", "near", "outside", "from", "to", "into", "across", "around"})
# A match starts only where a run of whitespace starts: tried from every space of a long run,
# the run would be read again from each (quadratic on a name split by a whitespace run).
_ADMIN_SUFFIX = re.compile(
    r"(?<!\s)\s+(?:province|prefecture|region|governorate|oblast|department|district|division)$",
    re.IGNORECASE,
)
_SAINT = re.compile(r"^St\.?\s+")
# A first-level region or county written with its capitalised class word ("Zamfara State",
# "Lamu County"), where the gazetteer knows it by its bare name.
_CLASS_WORD = re.compile(r"(?<!\s)\s+(?:State|County)$")
# Readings a name keeps when the class word is stripped: regions and counties, never a town.
_CLASS_FEATURES = frozenset({"admin1", "county", "region"})
# The project's own places that stay places when the entities stage reads them as an actor:
# a seat of government named for the government ("the Kremlin said") and a union of states
# ("the EU"), as a country named as an actor is still a place.
_SEAT_FEATURE = "site"
# Arabic place names are written with and without their article ("Muthanna", "Al Muthanna").
_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|an|at|ash)[-\s]+", re.IGNORECASE)
# Nouns after a name that make it a region ("the Kharkiv region") or a county ("Scott and
# Jefferson counties").
_REGION_WORDS = frozenset({"region", "province", "oblast", "governorate", "prefecture"})
_COUNTY_WORDS = frozenset({"county", "counties", "parish", "parishes"})
# "Kharkiv" and "Kharkivska" share a stem of this many letters at least, and half the name.
_REGION_STEM = 4
# Passes of reading each toponym again with the others' readings, at most (one used to do).
_PASSES = 3
_KM_PER_DEGREE = 111.32
# How far from its anchor a place said to be "near" or "north of" it may lie, at least.
_NEAR_KM = 300.0
_BEARINGS = {
    "north": 0.0,
    "northeast": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "west": 270.0,
    "northwest": 315.0,
}
_UNITS_KM = {"km": 1.0, "kilometres": 1.0, "kilometers": 1.0, "kilometre": 1.0, "miles": 1.609}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "twenty": 20}
# Diplomatic posts: bodies that are buildings too ("the U.S. Embassy").
_POSTS = frozenset({"embassy", "consulate"})
# A demonym names its country plainly; the chooser's doubts are for names.
_DEMONYM_CONFIDENCE = 0.9
# A demonym is one when NER calls it a people or nothing; inside another name it is that
# name's word ("American Airlines", "the Indian Ocean", "Chinese New Year").
_DEMONYM_LABELS = frozenset({"", "NORP"})


@dataclass(frozen=True)
class _Relation:
    located: int | None
    """Index of the toponym the phrase describes, or None when it describes no named place."""
    anchor: int
    relation: str
    distance_km: float | None
    distance: float | None
    unit: str | None
    start: int
    end: int


class PlaceResolver:
    """The ``newsdesk_places`` component. Build it with ``nlp.add_pipe("newsdesk_places")``."""

    def __init__(self, nlp: Language, name: str = NAME, *, gazetteer: Gazetteer | None = None):
        self.name = name
        self.gazetteer = gazetteer or load_gazetteer()
        self._demonyms = load_demonyms()
        self._not_places = load_phrases("places", "not_places")
        self._place_nouns = load_phrases("places", "place_nouns")
        # A name before or after a site noun is a place too; only a place noun has "X of Y".
        self._sites = self._place_nouns | load_phrases("places", "site_nouns")
        self._place_verbs = load_phrases("places", "place_verbs")
        self._civic = load_phrases("places", "civic_bodies")
        self._institutions = load_phrases("places", "institution_nouns")
        self._direction_adjectives = load_phrases("places", "direction_adjectives")
        directions = sorted(load_phrases("places", "directions"), key=len, reverse=True)
        proximity = sorted(load_phrases("places", "proximity"), key=len, reverse=True)
        self._relative = _relative_pattern(directions, proximity)
        self._countries: tuple[frozenset[str], int] | None = None
        # Names of places that are also surnames, brands or agencies ("Lincoln", "Toyota").
        self._also_names = load_phrases("places", "also_names")

    def __call__(self, doc: Doc) -> Doc:
        places = self.resolve(doc)
        self.set_annotations(doc, places)
        return doc

    def resolve(self, doc: Doc) -> tuple[Place, ...]:
        """Find, geocode and relate the article's places (pure: reads the Doc, writes nothing)."""
        relatives = list(self._relative.finditer(text_of(doc)))
        toponyms = self._find_toponyms(doc, relatives)
        base = self._country_focus(doc, toponyms)
        supported = _supported(toponyms, base)
        if supported != toponyms:
            toponyms = supported
            base = self._country_focus(doc, toponyms)
        home = home_country(doc._.get(attributes.SOURCE_URL))
        # The places the datelines name ("GAINESVILLE, Texas -", "ATLANTA (AP) -") are the
        # article's: they tell the focus and hold or neighbour the body's places.
        datelined = self._dateline_places(doc, base, home)
        for place in datelined:
            if place.country:
                base[place.country] += 1.0
        containers = _containers(doc, toponyms)
        lists = _lists(text_of(doc), toponyms)
        first = [
            choose(toponym, Context(base, containers.get(index), home=home))
            for index, toponym in enumerate(toponyms)
        ]
        # Further passes let the other places read in the one before tell the focus and the
        # hierarchy, until the readings settle ("Ontario" first read as the Californian city
        # is the province once Toronto is read; then London is the Ontario city).
        chosen = first
        for _ in range(_PASSES):
            again = reread(toponyms, chosen, base, containers, lists, datelined, home)
            settled = [c.reading for c in again] == [c.reading for c in chosen]
            chosen = again
            if settled:
                break
        relations = self._find_relations(doc, toponyms, relatives)
        # A demonym means its country, whatever the focus; appended after the names, so that
        # the relations keep their indices and the chooser reads the names alone.
        demonyms = self._find_demonyms(doc, toponyms)
        chosen += [
            Choice(toponym.candidates[0], _DEMONYM_CONFIDENCE, ("demonym",)) for toponym in demonyms
        ]
        places = _build_places(doc, [*toponyms, *demonyms], chosen, relations)
        return self._with_datelines(doc, places, base, datelined, home)

    def set_annotations(self, doc: Doc, places: tuple[Place, ...]) -> None:
        doc._.set(attributes.PLACES, places)

    # -- datelines ----------------------------------------------------------------------------

    def _with_datelines(
        self,
        doc: Doc,
        places: tuple[Place, ...],
        focus: Mapping[str, float],
        datelined: Sequence[GazetteerPlace],
        home: str | None,
    ) -> tuple[Place, ...]:
        """The places with the place of each dateline block ("KIGALI, Rwanda -") as a mention
        of role ``dateline``: added to the same place named in the body, or a place of its own
        after the others (so that relative locations keep their anchors' indices)."""
        result = list(places)
        blocks: tuple[Block, ...] = doc._.get(attributes.BLOCKS)
        for block in blocks:
            if block.kind != "dateline" or not block.place:
                continue
            toponym, country, region = self._dateline_toponym(block)
            weights = defaultdict(float, focus)
            for place in result:
                if place.country:
                    weights[place.country] += 1.0
            if country is not None:
                weights[country] += 10.0
            neighbours = tuple(
                reading
                for place in result
                if place.gazetteer_id and (reading := self.gazetteer.get(place.gazetteer_id))
            )
            around = Neighbours(Readings.of((*datelined, *neighbours)), Readings.of(()))
            choice = choose(toponym, Context(weights, region, around, home=home))
            mention = Evidence(
                start=toponym.start,
                end=toponym.end,
                text=block.place[: toponym.end - toponym.start],
                role="dateline",
            )
            reading = choice.reading
            same = next(
                (
                    index
                    for index, place in enumerate(result)
                    if (reading is not None and place.gazetteer_id == reading.id)
                    or (reading is None and normalise_name(place.name) == toponym.key)
                ),
                None,
            )
            if same is None:
                result.append(_place(toponym, choice, (mention,), ()))
            else:
                place = result[same]
                mentions = tuple(sorted((*place.mentions, mention), key=lambda m: m.start))
                result[same] = place.model_copy(update={"mentions": mentions})
        return tuple(result)

    def _dateline_places(
        self, doc: Doc, focus: Mapping[str, float], home: str | None
    ) -> tuple[GazetteerPlace, ...]:
        """The places the datelines name, read before the body: the first-level region after
        the town ("GAINESVILLE, Texas": those readings of the region that hold one of the
        town's readings), and the town itself as its region and the focus read it
        ("ATLANTA (AP)" is the city in Georgia, which a body's "Georgia" then means)."""
        found: list[GazetteerPlace] = []
        blocks: tuple[Block, ...] = doc._.get(attributes.BLOCKS)
        for block in blocks:
            if block.kind != "dateline" or not block.place:
                continue
            town, _, region = self._dateline_toponym(block)
            if region is not None:
                found.extend(
                    outer
                    for outer in region.candidates
                    if outer.precision == 3
                    and any(in_region(outer, inner) for inner in town.candidates)
                )
            reading = choose(town, Context(focus, region, home=home)).reading
            if reading is not None:
                found.append(reading)
        return tuple(found)

    def _dateline_toponym(self, block: Block) -> tuple[Toponym, str | None, Toponym | None]:
        """The dateline's town as a toponym, the country its second part names, if any, and
        that second part as a toponym: "PORT SUDAN, Sudan" is Port Sudan in Sudan,
        "GAINESVILLE, Texas" the Gainesville in Texas; "WASHINGTON" is left to the context."""
        place = block.place or ""
        town, _, rest = place.partition(",")
        name = town.strip().title() if town.isupper() else town.strip()
        candidates = self._lookup(name)
        country = None
        region = None
        if rest.strip():
            written = rest.strip()
            readings = self._lookup(written)
            country = next((c.country for c in readings if c.feature in AREAS), None)
            inside = tuple(c for c in candidates if c.country == country)
            held = tuple(
                c for c in candidates if any(r.precision == 3 and in_region(r, c) for r in readings)
            )
            candidates = held or inside or candidates
            at = block.start + place.index(written)
            region = Toponym(start=at, end=at + len(written), name=written, candidates=readings)
        start = block.start
        toponym = Toponym(
            start=start, end=start + len(town.rstrip()), name=name, candidates=candidates
        )
        return toponym, country, region

    # -- toponyms -----------------------------------------------------------------------------

    def _find_toponyms(self, doc: Doc, relatives: list[re.Match[str]]) -> list[Toponym]:
        spans: dict[tuple[int, int], tuple[Span, bool]] = {}
        # Mentions of people and organisations are theirs, whatever NER said of one of them.
        claimed: dict[tuple[int, int], tuple[Span, bool]] = {}
        # Where the organisations' names are: a place read inside one is an ``in_name`` mention.
        organisations: set[tuple[int, int]] = set()
        # The ranges of both, to ask whether a name overlaps one of them.
        taken = _Cover(len(text_of(doc)))
        # Names NER called a person or an organisation: without place context such a name is
        # a place by the place's own name only, never by another name GeoNames gives it.
        people: set[tuple[int, int]] = set()
        entities: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
        for entity in entities:
            is_place = entity.type in _PLACE_TYPES
            may_be_place = entity.type in _MAYBE_PLACE_TYPES and (
                entity.actor is None or self._is_seat_or_union(entity)
            )
            fullest = self._fullest_name(entity) if may_be_place else 0
            for mention in entity.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                # A reference ("it", "the government") names no place.
                if (
                    span is None
                    or not _written_as_name(mention.text)
                    or mention.role == "reference"
                ):
                    continue
                # "Flores" after "Juan Flores": the person's name, shortened, is no place.
                named_in_full = len(mention.text.split()) < fullest
                target = spans if is_place or (may_be_place and not named_in_full) else claimed
                if entity.type in {"PERSON", "ORG"}:
                    people.add((mention.start, mention.end))
                if entity.type == "VESSEL":
                    target = {}  # "HMS Gibraltar" is a ship: no place, not even inside it
                target[(mention.start, mention.end)] = (span, is_place)
                taken.add(mention.start, mention.end)
                if entity.type == "ORG":
                    organisations.add((mention.start, mention.end))
        for ent in doc.ents:
            key = (ent.start_char, ent.end_char)
            if ent.label_ == "ORG":
                organisations.add(key)
            if ent.label_ in _PLACE_TYPES and not taken.overlaps(*key):
                spans[key] = (ent, True)
                taken.add(*key)
        for span in self._borders(doc):
            spans[(span.start_char, span.end_char)] = (span, True)
            taken.add(span.start_char, span.end_char)
        for span in _unclaimed_proper_names(doc):
            key = (span.start_char, span.end_char)
            if not taken.overlaps(*key):
                spans[key] = (span, False)
                taken.add(*key)
        inside: dict[tuple[int, int], MentionRole] = {}
        for key, (span, _) in claimed.items():
            found = self._inside(span, organisation=key in organisations)
            if found is not None:
                inner = span.doc.char_span(found.start, found.end)
                if inner is not None:
                    spans[(found.start, found.end)] = (inner, True)
                if found.role is not None:
                    inside[(found.start, found.end)] = found.role
        described = _described_spans(text_of(doc), relatives)
        toponyms: list[Toponym] = []
        # Read once: asked for each name, it made the loop quadratic in the names.
        place_tokens = frozenset(
            token.i for other, is_place in spans.values() if is_place for token in other
        )
        for (start, end), (span, is_place) in sorted(spans.items()):
            organisation = not is_place and (start, end) in organisations
            if span.text.casefold() in self._not_places:
                # "The Kentucky State Police": the body is no place, its home is still named.
                held = self._inside(span, organisation=organisation) if organisation else None
                if held is not None:
                    toponyms.append(held)
                continue
            if span.text.casefold() in self._demonyms:
                continue
            if self._is_direction(span) and not _beside_place(span, place_tokens):
                continue  # "Nyanza, Rift Valley and Western" are provinces
            candidates = self._readings(span)
            naming = not is_place and (
                _names_a_place(span, self._place_nouns, self._sites) or span.end_char in described
            )
            in_place_context = (
                naming
                or _after_locative(span)
                or _beside_place(span, place_tokens)
                or _object_of_place_verb(span, self._place_verbs)
                or self._before_container(span)
            )
            if not in_place_context:
                candidates = self._without_context(span, candidates, is_place=is_place)
                if (start, end) in people:
                    # "Naseri told reporters": a person, not Ahvaz, which GeoNames also calls
                    # Naseri.
                    # A country, a union of states and a place of the project's own list keep
                    # their other names: "C.A.R. forces", "the EU levied", "Incirlik" (the air
                    # base), which NER calls organisations or people.
                    written = normalise_name(span.text)
                    candidates = tuple(
                        c
                        for c in candidates
                        if normalise_name(c.name) == written
                        or _country_sized(c)
                        or c.id.startswith(OWN_PLACE_PREFIX)
                    )
            if naming and not candidates:
                # "the village of Dara": a place the gazetteer lacks is still a place.
                toponyms.append(Toponym(start=start, end=end, name=span.text, candidates=()))
                continue
            if not is_place and not candidates:
                listed = self._listed_places(span)
                if listed:
                    # "across Kyiv, Kharkiv and Sumy" read by NER as one organisation.
                    toponyms.extend(listed)
                    continue
                # "the U.S. Centers for Disease Control", "the Shreveport Police Department":
                # the name is not a place, the place inside it is.
                held = self._inside(span, organisation=organisation)
                if held is not None:
                    toponyms.append(held)
                continue
            toponyms.append(
                Toponym(
                    start=start,
                    end=end,
                    name=span.text,
                    candidates=candidates,
                    role=inside.get((start, end)),
                )
            )
        return sorted(toponyms, key=lambda toponym: toponym.start)

    def _inside(self, span: Span, *, organisation: bool) -> Toponym | None:
        """The place named inside a name that is not a place: in an organisation's name, the
        place it is built on or a country (role ``in_name``); in another name, a country."""
        inner = self._place_inside(span) if organisation else None
        inner = inner or self._country_inside(span)
        if inner is None:
            return None
        # "the U.S. Embassy", "the Kabul Military Hospital": a body that is also a site, where
        # things happen; its place is read as a plain mention, as a site's name is.
        last = span[-1].lower_
        site = last in self._sites or last in _POSTS
        return Toponym(
            start=inner.start_char,
            end=inner.end_char,
            name=inner.text,
            candidates=self._lookup(inner.text),
            role="in_name" if organisation and not site else None,
        )

    def _place_inside(self, span: Span) -> Span | None:
        """The place an organisation's name is built on: a known place at its start followed
        by words that name a body ("the Shreveport Police Department", "Kentucky State
        Police", "Texas A&M"), or "of" and a known place at its end ("the University of
        Nairobi"). A body that serves a place (police, a council, a ministry) may be named after
        a place of any size; an institution often named after a person too (a university, a
        hospital) only after a country, a region or a big city."""
        words = [token for token in span if token.lower_ not in {"the", "'s", "’s"}]
        body = [self._is_body_word(token) for token in words]
        first = next((index for index in range(1, len(words)) if body[index]), None)
        if first is not None:
            last = first
            while last + 1 < len(words) and body[last + 1]:
                last += 1
            # The longest place first: "Mexico City Health" is Mexico City's, "Kentucky State
            # Police" Kentucky's.
            for cut in range(last, first - 1, -1):
                name = span.doc[words[0].i : words[cut - 1].i + 1]
                if not all(part.text[:1].isupper() or part.text in {"-", "."} for part in name):
                    continue
                # "Kentucky State Police": a class word that is the body's first word is the
                # body's, so such a name counts only when the gazetteer knows it whole.
                body_class = cut > first and _CLASS_WORD.search(name.text) is not None
                known = self.gazetteer.lookup(name.text) if body_class else self._lookup(name.text)
                readings = [c for c in known if c.feature != "continent"]
                if words[cut].lower_ not in self._civic:
                    readings = [c for c in readings if _strong(c)]
                if readings:
                    return name
            # "the Health Ministry of Uganda": the words before the body's are no place.
        for index in range(len(words) - 2, 0, -1):
            if words[index].lower_ != "of":
                continue
            name = span.doc[words[index + 1].i : span.end]
            if name and name[0].lower_ == "the":
                name = name[1:]
            if not name or not all(part.text[:1].isupper() for part in name):
                return None
            if any(_strong(c) for c in self._lookup(name.text)):
                return name
            return None
        return None

    def _listed_places(self, span: Span) -> list[Toponym]:
        """The names of a list NER took for one name ("Kyiv, Kharkiv and" as an organisation):
        each part between commas and "and" a place with a strong reading, or none of them."""
        parts: list[list[Token]] = [[]]
        for token in span:
            if token.text == "," or token.lower_ in {"and", "or"}:
                parts.append([])
            else:
                parts[-1].append(token)
        names = [span.doc[part[0].i : part[-1].i + 1] for part in parts if part]
        if len(names) < 2:
            return []
        found = []
        for name in names:
            candidates = tuple(c for c in self._lookup(name.text) if _strong(c))
            if not name.text[:1].isupper() or not candidates:
                return []
            found.append(
                Toponym(
                    start=name.start_char,
                    end=name.end_char,
                    name=name.text,
                    candidates=self._lookup(name.text),
                )
            )
        return found

    def _is_body_word(self, token: Token) -> bool:
        return token.lower_ in self._civic or token.lower_ in self._institutions

    def _find_demonyms(self, doc: Doc, toponyms: Sequence[Toponym]) -> list[Toponym]:
        """Demonyms as mentions of their country: "Russian forces", "an American citizen",
        "Kenyan police", "Afghans". Not one inside another kind of name ("American
        Airlines", "the Indian Ocean", "Chinese New Year"), nor one a toponym holds already
        ("the Pakistani border")."""
        taken = _Cover(len(text_of(doc)))
        for toponym in toponyms:
            taken.add(toponym.start, toponym.end)
        found: list[Toponym] = []
        index = 0
        while index < len(doc):
            size = next(
                (
                    size
                    for size in (2, 1)
                    if index + size <= len(doc)
                    and doc[index : index + size].text.casefold() in self._demonyms
                ),
                0,
            )
            if not size:
                index += 1
                continue
            span = doc[index : index + size]
            index += size
            if not span.text[:1].isupper() or taken.overlaps(span.start_char, span.end_char):
                continue
            if not _stands_alone(span):
                continue
            country = self.gazetteer.get(f"iso:{self._demonyms[span.text.casefold()]}")
            if country is None:
                continue
            found.append(
                Toponym(
                    start=span.start_char,
                    end=span.end_char,
                    name=span.text,
                    candidates=(country,),
                    role="demonym",
                )
            )
        return found

    def _fullest_name(self, entity: Entity) -> int:
        """How many words the longest mention of a person or an organisation has, when that
        mention is no place itself ("Juan Flores", "Toyota Motor"), else 0: shorter mentions of
        the entity are its name, shortened, not the place that shares it."""
        fullest = max(entity.mentions, key=lambda mention: len(mention.text.split()))
        words = len(fullest.text.split())
        if words < 2 or fullest.role == "reference" or self.gazetteer.lookup(fullest.text):
            return 0
        return words

    def _readings(self, span: Span) -> tuple[GazetteerPlace, ...]:
        """Gazetteer readings of a name as the text writes it: with the abbreviation's stop the
        tokenizer split off ("Charleston, W.Va."), as the region when "region", "province" or
        "oblast" follows ("the Kharkiv region"), as the county when "county" or "counties"
        follows ("Scott and Jefferson counties")."""
        doc = span.doc
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None and after.text == "." and not span[-1].whitespace_:
            abbreviated = self.gazetteer.lookup(f"{span.text}.")
            if abbreviated:
                return abbreviated
        noun = _noun_after(span)
        if noun in _REGION_WORDS:
            regions = self._regions_named(span.text)
            if regions:
                return regions
        if _state_written(span):
            # "New York state", "the state of Washington": the state, not its namesake city.
            states = tuple(p for p in self._lookup(span.text) if p.feature == "admin1")
            if states:
                return states
        if noun in _COUNTY_WORDS:
            for kind in ("County", "Parish"):
                counties = self.gazetteer.lookup(f"{span.text} {kind}")
                if counties:
                    return counties
        return self._lookup(span.text)

    def _regions_named(self, name: str) -> tuple[GazetteerPlace, ...]:
        """The provinces a name with "region" or "province" after it means: those of that name
        ("Kabul province"), else the province named after the city of that name, where it lies
        ("the Kharkiv region" is Kharkivska oblast, not the city of Kharkiv)."""
        readings = self.gazetteer.lookup(name)
        regions = tuple(place for place in readings if place.precision == 3)
        if regions:
            return regions
        key = normalise_name(name).replace(" ", "")
        found: dict[str, GazetteerPlace] = {}
        for city in readings:
            if city.feature not in {"city", "town"} or city.admin1 is None:
                continue
            holder = normalise_name(city.admin1).replace(" ", "")
            shared = _shared_prefix(key, holder)
            if shared < _REGION_STEM or 2 * shared < len(key):
                continue
            for place in self.gazetteer.lookup(city.admin1):
                if place.precision == 3 and place.country == city.country:
                    found.setdefault(place.id, place)
        return tuple(found.values())

    def _before_container(self, span: Span) -> bool:
        """True for "Lincoln, Nebraska", "Flores, Guatemala": a comma and a province or a
        country right after the name."""
        doc = span.doc
        if span.end + 1 >= len(doc) or doc[span.end].text != ",":
            return False
        after = doc[span.end + 1]
        if not after.text[:1].isupper():
            return False
        words = [after.text]
        if span.end + 2 < len(doc) and doc[span.end + 2].text[:1].isupper():
            words.append(f"{after.text} {doc[span.end + 2].text}")  # "New Mexico"
        return any(place.precision >= 3 for text in words for place in self.gazetteer.lookup(text))

    def _without_context(
        self, span: Span, candidates: tuple[GazetteerPlace, ...], *, is_place: bool
    ) -> tuple[GazetteerPlace, ...]:
        """The readings a name keeps where nothing around it says it is a place.

        A name NER did not call a place keeps its strong readings only (a country, a region,
        a big city). A name that is also a common surname, brand or agency ("Lincoln",
        "Toyota") keeps none, whatever NER called it; so does an acronym in running text
        ("MINA", a news agency) unless it names a country or a region ("UAE")."""
        text = span.text
        if text.casefold() in self._also_names:
            return ()
        if _acronym_in_running_text(span):
            return tuple(c for c in candidates if c.precision >= 3)
        if not is_place:
            return tuple(c for c in candidates if _strong(c))
        return candidates

    def _borders(self, doc: Doc) -> Iterable[Span]:
        """ "the Pakistani border": a demonym and "border" name a place, the country's edge."""
        for token in doc:
            if token.lower_ not in {"border", "frontier"} or token.i == 0:
                continue
            before = doc[token.i - 1]
            if before.text[:1].isupper() and before.text.casefold() in self._demonyms:
                yield doc[token.i - 1 : token.i + 1]

    def _is_seat_or_union(self, entity: Entity) -> bool:
        """True for an actor named by a seat of government or a union of states ("the
        Kremlin", "the EU"): its mentions are place mentions too."""
        return any(self._names_seat_or_union(mention.text) for mention in entity.mentions)

    def _names_seat_or_union(self, name: str) -> bool:
        readings = self.gazetteer.lookup(name)
        first = readings[0] if readings else None
        return (
            first is not None
            and first.id.startswith(OWN_PLACE_PREFIX)
            and (first.feature == _SEAT_FEATURE or len(first.members) > 1)
        )

    def _lookup(self, name: str) -> tuple[GazetteerPlace, ...]:
        """Gazetteer readings of a name, also as "Nyanza" for "Nyanza Province" and as
        "Saint Marc" for "St. Marc" when the name as written is unknown."""
        found = self.gazetteer.lookup(name)
        bare = _ADMIN_SUFFIX.sub("", name)
        if found and bare != name:
            # "Western Province" is one country's name for it; other countries' "Western"
            # provinces are readings too, for the context to choose from.
            more = tuple(p for p in self.gazetteer.lookup(bare) if p.precision == 3)
            return tuple({place.id: place for place in (*found, *more)}.values())
        if found:
            return found
        suffix = _ADMIN_SUFFIX.search(name)
        if suffix is not None and suffix.group().strip().casefold() in _REGION_WORDS:
            # "Kharkiv Oblast", "Kabul province": the province, not the city.
            regions = self._regions_named(bare)
            if regions:
                return regions
        named = _CLASS_WORD.search(name)
        if named is not None:
            # "Zamfara State", "Lamu County": the region or county, not a town of that name.
            kept = tuple(
                place
                for place in self.gazetteer.lookup(name[: named.start()])
                if place.feature in _CLASS_FEATURES
            )
            if kept:
                return kept
        words = name.split()
        if len(words) == 2 and words[1].casefold() in {"border", "frontier"}:
            country = self._demonyms.get(words[0].casefold())
            place = self.gazetteer.get(f"iso:{country}") if country else None
            return (place,) if place is not None else ()
        article = _ARTICLE.sub("", name) if _ARTICLE.match(name) else f"Al {name}"
        for variant in (_ADMIN_SUFFIX.sub("", name), _SAINT.sub("Saint ", name), article):
            if variant != name:
                found = self.gazetteer.lookup(variant)
                if found:
                    return found
        return ()

    def _country_inside(self, span: Span) -> Span | None:
        """A country named inside an organisation's name: "New Zealand authorities",
        "the Ministry of Health of the People's Republic of China". The longest such run of
        words, the first of those when several are as long."""
        keys, longest = self._country_keys()
        doc = span.doc
        whole = doc[span.start : span.end] == span
        # Prefix sums of the words' key weights: a run heavier than the longest country name
        # (plus a leading "the") names no country, so only runs within that weight are read,
        # which keeps a long name (a sign-off running into hundreds of words) linear.
        weights = [0]
        for token in span:
            weights.append(weights[-1] + key_weight(token.text))
        best: Span | None = None
        for start in range(span.start, span.end):
            if not doc[start].text[:1].isupper():
                continue
            offset = start - span.start
            # The heaviest run from here that may still be a country's name ends at ``last``.
            last = span.start + bisect_right(weights, weights[offset] + longest + 3) - 1
            shortest = start + (len(best) if best is not None else 0)
            for end in range(min(last, span.end), shortest, -1):
                if whole and end == span.end and start == span.start:
                    continue
                inner = doc[start:end]
                if normalise_name(inner.text) in keys:
                    best = inner
                    break
        return best

    def _country_keys(self) -> tuple[frozenset[str], int]:
        """The gazetteer's keys of country names, and the most letters one of them has."""
        if self._countries is None:
            keys = self.gazetteer.keys_of("country")
            longest = max((len(key.replace(" ", "")) for key in keys), default=0)
            self._countries = (keys, longest)
        return self._countries

    def _is_direction(self, span: Span) -> bool:
        """ "Northeastern rebels": a direction, unless a place noun follows ("Western
        Province")."""
        after = span.doc[span.end] if span.end < len(span.doc) else None
        return span.text.casefold() in self._direction_adjectives and not (
            after is not None and _is_noun_in(after, self._place_nouns)
        )

    def _country_focus(self, doc: Doc, toponyms: list[Toponym]) -> defaultdict[str, float]:
        focus: defaultdict[str, float] = defaultdict(float)
        for toponym in toponyms:
            # A country's name tells its country; so does a name all of whose readings agree.
            areas = [c.country for c in toponym.candidates if c.feature == "country"]
            countries = {candidate.country for candidate in toponym.candidates}
            country = areas[0] if len(areas) == 1 else None
            if country is None and len(countries) == 1:
                (country,) = countries
            if country is not None:
                focus[country] += 1.0
        for token in doc:
            country = self._demonyms.get(token.text.casefold())
            if country is not None and token.text[:1].isupper():
                focus[country] += 0.5
        # Known actors tell the focus ("the Congolese army"), but not the toponyms themselves:
        # the knowledge base's reading of "Congo" must not decide the gazetteer's.
        places = {(toponym.start, toponym.end) for toponym in toponyms}
        entities: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
        for entity in entities:
            country = _alpha2(entity.country)
            if country is None or entity.outlet:
                continue
            others = [
                m
                for m in entity.mentions
                if (m.start, m.end) not in places and m.role != "reference"
            ]
            focus[country] += 0.5 * len(others)
        return focus

    # -- relative locations -------------------------------------------------------------------

    def _find_relations(
        self, doc: Doc, toponyms: list[Toponym], relatives: list[re.Match[str]]
    ) -> list[_Relation]:
        starts = [toponym.start for toponym in toponyms]
        sentence_starts = [sent.start_char for sent in doc.sents]
        relations: list[_Relation] = []
        text = text_of(doc)
        for match in relatives:
            anchor_start = match.end()
            index = bisect_right(starts, anchor_start) - 1
            if index < 0 or toponyms[index].start != anchor_start:
                continue
            sentence = sentence_of(sentence_starts, match.start())
            located = _located_before(
                toponyms, index, match.start(), sentence_starts[sentence], text, self._sites
            )
            distance, unit = _distance(match["number"], match["unit"])
            relation = match["direction"] or match["proximity"]
            relation = _direction_key(relation) + " of" if match["direction"] else relation
            relations.append(
                _Relation(
                    located=located,
                    anchor=index,
                    relation=relation.casefold(),
                    distance_km=distance * _UNITS_KM.get(unit or "", 1.0) if distance else None,
                    distance=distance,
                    unit="km" if unit in _UNITS_KM and unit != "miles" else unit,
                    start=match.start("phrase"),
                    end=toponyms[index].end,
                )
            )
        return relations


def _relative_pattern(directions: Sequence[str], proximity: Sequence[str]) -> re.Pattern[str]:
    """ "approximately 125 kilometres north of ", "north-east of the capital ", "near "."""
    direction = "|".join(re.escape(word) for word in directions)
    near = "|".join(re.escape(word) for word in proximity)
    return re.compile(
        r"(?P<phrase>(?:(?:approximately|about|around|some|roughly|nearly|almost)\s+)?"
        r"(?:(?P<number>\d[\d,.]*|" + "|".join(_NUMBER_WORDS) + r")\s*"
        r"(?P<unit>km|kilometres|kilometers|kilometre|miles)\s+(?:\([^)]{1,30}\)\s+)?)?"
        r"(?:(?P<direction>" + direction + r")\s+of|(?P<proximity>" + near + r"))\s+"
        r"(?:the\s+(?:(?:capital|city|town|province|provincial capital|border town)\s+"
        r"(?:of\s+)?)?)?)",
        re.IGNORECASE,
    )


def _direction_key(word: str) -> str:
    return word.casefold().replace(" ", "").replace("-", "")


# Farther than any two points on Earth, in any unit news uses: the number is no distance.
_MAX_DISTANCE = 100_000.0


def _distance(number: str | None, unit: str | None) -> tuple[float | None, str | None]:
    if number is None:
        return None, None
    text = number.replace(",", "").casefold()
    value = float(_NUMBER_WORDS[text]) if text in _NUMBER_WORDS else float(text.rstrip("."))
    if not value <= _MAX_DISTANCE:  # also NaN and the infinity of a number too long for a float
        return None, None
    return value, (unit or "").casefold() or None


def _located_before(
    toponyms: list[Toponym],
    anchor: int,
    phrase_start: int,
    sentence_start: int,
    text: str,
    nouns: frozenset[str],
) -> int | None:
    """The toponym a relative phrase describes: the one right before it in its sentence, with
    at most a place noun or an apposition between ("Jalalabad, 150 km east of Kabul", "the
    Balata refugee camp near Nablus", "Dunya Pur, a small town 100 km from Multan"); not a name
    further back ("a source at the T-4 Airport said troops took hills near Tal Sha'rah")."""
    for index in range(anchor - 1, -1, -1):
        toponym = toponyms[index]
        if toponym.end <= phrase_start and toponym.start >= sentence_start:
            gap = text[toponym.end : phrase_start]
            words = gap.replace(",", " ").split()
            beside = all(word.islower() for word in words) and (
                not words or words[-1].removesuffix("s") in nouns
            )
            return index if (beside and len(words) <= 2) or _DESCRIBED.match(gap) else None
        if toponym.start < sentence_start:
            break
    return None


# -- geocoding -------------------------------------------------------------------------------


def speaks_for_its_state(span: Span) -> bool:
    """True for a place that is the subject of a verb such as "said" ("Kabul said", "Pakistan
    denied"): a mention of the place, whose government speaks or acts. The events stage takes
    such a place as a party, never as where an event happened."""
    root = span.root
    return root.dep_ == "nsubj" and root.head.lemma_.casefold() in load_phrases(
        "places", "metonymy_verbs"
    )


def _containers(doc: Doc, toponyms: list[Toponym]) -> dict[int, Toponym]:
    """Toponyms written as "Place, Region", "the Western Province of Rwanda" or "Kano in
    northern Nigeria": the second is the container of the first. Not in a list of names of
    one kind: "Utah, Washington, Pennsylvania" names three states, not the town of Washington
    in Pennsylvania."""
    text = text_of(doc)
    found: dict[int, Toponym] = {}
    for index in range(len(toponyms) - 1):
        place, container = toponyms[index], toponyms[index + 1]
        if not _CONTAINED.fullmatch(text[place.end : container.start]):
            continue
        before = text[toponyms[index - 1].end : place.start] if index > 0 else None
        after = (
            text[container.end : toponyms[index + 2].start] if index + 2 < len(toponyms) else None
        )
        listed = (before is not None and _LISTED.fullmatch(before) is not None) or (
            after is not None and _LISTED.fullmatch(after) is not None
        )
        if listed and same_kind(place, container):
            continue
        found[index] = container
    return found


def _lists(text: str, toponyms: Sequence[Toponym]) -> dict[int, tuple[int, ...]]:
    """The names listed together, each with the others of its list: three or more names
    joined by commas ("Utah, Washington, Ohio") or names joined by "and" or "or" ("New York
    and California"). Two names joined by a comma alone are a place and its container."""
    found: dict[int, tuple[int, ...]] = {}
    run = [0] if toponyms else []
    for index in range(1, len(toponyms) + 1):
        gap = (
            text[toponyms[index - 1].end : toponyms[index].start] if index < len(toponyms) else None
        )
        if gap is not None and _LISTED.fullmatch(gap):
            run.append(index)
            continue
        gaps = [text[toponyms[a].end : toponyms[b].start] for a, b in itertools.pairwise(run)]
        if len(run) >= 3 or any("," not in gap.strip() for gap in gaps):
            for member in run:
                found[member] = tuple(other for other in run if other != member)
        run = [index]
    return found


def _described_spans(text: str, relatives: list[re.Match[str]]) -> frozenset[int]:
    """Where a name may end that a relative location describes: "Kakata, 60 kilometers
    northeast of Monrovia", "Dunya Pur, a small town about 100 km from Multan"."""
    ends = set()
    for match in relatives:
        before = _DESCRIBED.search(text, max(0, match.start() - 60), match.start())
        if before is not None:
            ends.add(before.start())
    return frozenset(ends)


def _after_locative(span: Span) -> bool:
    """True for "in Dogubayazit", "at the Pirbright laboratory", "in the vicinity of Taloqan":
    a locative just before the name, or before the noun phrase whose "of" it fills."""
    doc = span.doc
    index = span.start - 1
    while index >= 0 and doc[index].lower_ in {"the", "a"}:
        index -= 1
    if index >= 0 and doc[index].lower_ in _LOCATIVES:
        return True
    root = span.root
    head = root.head
    if root.dep_ != "pobj" or head.lower_ != "of" or head.head.i == head.i:
        return False
    noun = head.head
    return noun.dep_ == "pobj" and noun.head.lower_ in _LOCATIVES


def _object_of_place_verb(span: Span, place_verbs: frozenset[str]) -> bool:
    """True for "captured Birao": the object of a verb whose object is a place, unless NER
    called the name a person. Not a passive's subject: "Montesinos was captured" is a man."""
    root = span.root
    return (
        root.ent_type_ != "PERSON"
        and root.dep_ == "dobj"
        and root.head.lemma_.casefold() in place_verbs
    )


# "X, a town ...": the articles that open a description after a name, and how many words may
# stand before its place noun ("a small, remote mountain village").
_ARTICLES = frozenset({"a", "an", "the"})
_DESCRIPTION_WORDS = 4
_JOINERS = frozenset({"-", "–", "'s", "’s"})


def _names_a_place(span: Span, place_nouns: frozenset[str], sites: frozenset[str]) -> bool:
    """True when the name names a place noun: "the area of Esperance", "the southern province
    of X", "the X district", "X town", each name of "the towns of X and Y" or "the X and Y
    villages"; or a site: "the Bardo Museum", "the Kissufim crossing". ``sites`` holds the
    place nouns and the site nouns."""
    doc = span.doc
    if len(span) == 1 and span.text.isupper():
        return False  # "the MFO base", "a UNHCR camp": an organisation and its site
    if span.root.pos_ == "ADJ":
        return False  # "European regions", "an Andean highway"
    last = span[-1].lower_
    if len(span) > 1 and last not in _NAME_ENDINGS and _is_noun_in(span[-1], sites):
        return True
    if span.end < len(doc) and _is_noun_in(doc[span.end], sites):
        return True
    root = span.root
    while root.dep_ == "conj" and any(child.dep_ == "cc" for child in root.head.children):
        root = root.head  # "the towns of X and Y": Y is named as X is
    head = root.head
    if root.dep_ in {"compound", "nmod"} and _is_noun_in(head, sites):
        return True
    index = min(span.start, root.i) - 1
    while index >= 0 and doc[index].lower_ in {"the", "a"}:
        index -= 1
    if index > 0 and doc[index].lower_ == "of" and _is_noun_in(doc[index - 1], place_nouns):
        return True
    if _described_after_comma(span, place_nouns):
        return True
    return (
        root.dep_ == "pobj"
        and head.lower_ == "of"
        and head.head.i != head.i
        and _is_noun_in(head.head, place_nouns)
    )


def _described_after_comma(span: Span, place_nouns: frozenset[str]) -> bool:
    """True for a name the words after its comma describe as a place: "Kafr Nabl, a town
    south of Idlib", "the stronghold of Mare', a city that ...", "Qaleh, the provincial
    capital". Read on the surface, since the parse often hangs the description elsewhere; the
    place noun must end its phrase ("Smith, a city councilman", "Jones, the state's governor"
    describe people)."""
    doc = span.doc
    index = span.end
    while index < len(doc) and doc[index].is_quote:
        index += 1  # "Mare’, a city": the closing mark of a transliteration
    if index + 2 >= len(doc) or doc[index].text != "," or doc[index + 1].lower_ not in _ARTICLES:
        return False
    index += 2
    for _ in range(_DESCRIPTION_WORDS):
        if index >= len(doc):
            return False
        token = doc[index]
        if _is_noun_in(token, place_nouns):
            after = doc[index + 1] if index + 1 < len(doc) else None
            # "a village elder", "the state's governor", "a city-dweller" describe a person.
            return after is None or (
                after.pos_ not in {"NOUN", "PROPN", "PART", "ADJ"} and after.text not in _JOINERS
            )
        if token.pos_ not in {"ADJ", "ADV"}:
            return False
        index += 1  # "a small town", "a strategically important city"
    return False


def _is_noun_in(token: Token, nouns: frozenset[str]) -> bool:
    """True for one of ``nouns`` or its plural ("villages"), not a verb ("stated")."""
    return token.pos_ in {"NOUN", "PROPN"} and (
        token.lower_ in nouns or token.lemma_.casefold() in nouns
    )


def _beside_place(span: Span, places: frozenset[int]) -> bool:
    """True for "Talavera" in "Pandi and Talavera farms": coordinated with a place NER found
    (``places``: the tokens of the names NER called places)."""
    root = span.root
    linked = [root.head] if root.dep_ == "conj" else []
    linked += [child for child in root.children if child.dep_ == "conj"]
    return any(token.i in places for token in linked)


def _shared_prefix(first: str, second: str) -> int:
    """How many leading letters two keys share."""
    return next(
        (i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b),
        min(len(first), len(second)),
    )


def _state_written(span: Span) -> bool:
    """True for a name the text calls a state in lower case: "New York state", "a Washington
    state farm", "the state of Washington" (a capitalised "State" belongs to a name, as in
    "Ohio State")."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.text == "state":
        return True
    return (
        span.start >= 2 and doc[span.start - 1].text == "of" and doc[span.start - 2].text == "state"
    )


def _noun_after(span: Span) -> str | None:
    """The lower-cased noun right after a name, past any names coordinated with it: "county"
    in "Scott County", "counties" in "Scott and Jefferson counties"."""
    doc = span.doc
    index = span.end
    while index < len(doc) and index < span.end + 8:
        token = doc[index]
        if token.lower_ in {",", "and", "or"} or (
            token.pos_ == "PROPN" and token.text[:1].isupper()
        ):
            if token.lower_ in _REGION_WORDS or token.lower_ in _COUNTY_WORDS:
                return token.lower_
            index += 1
            continue
        return token.lower_ if token.pos_ in {"NOUN", "PROPN"} else None
    return None


def _written_as_name(text: str) -> bool:
    """True for a capitalised name, and for an Arabic name whose article is written in lower
    case ("el-Fasher", "al-Bab")."""
    if text[:1].isupper():
        return True
    article = _ARTICLE.match(text)
    return (
        article is not None
        and "-" in article.group()
        and text[article.end() : article.end() + 1].isupper()
    )


def _acronym_in_running_text(span: Span) -> bool:
    """True for "MINA" in a sentence written in lower case: an organisation's acronym. Not a
    name in a headline or a dateline written in capitals."""
    text = span.text
    if not (text.isalpha() and text.isupper() and len(text) >= 2):
        return False  # "D.C." with its stops is an abbreviation, not an acronym
    return any(token.is_lower and token.is_alpha for token in span.sent)


def _supported(toponyms: list[Toponym], focus: Mapping[str, float]) -> list[Toponym]:
    """The toponyms, less the readings that only a small town's other name gives ("Muja", which
    GeoNames gives a Russian town) when nothing else in the article is in that town's country:
    news writes a small town by its own name, and a foreign name for it is far more often a
    person or another place the gazetteer lacks."""
    votes: Counter[tuple[str, str]] = Counter()
    for toponym in toponyms:
        countries = {c.country for c in toponym.candidates}
        if len(countries) == 1 and (country := next(iter(countries))) is not None:
            votes[(toponym.key, country)] += 1
    result = []
    for toponym in toponyms:
        key = toponym.key
        if toponym.candidates and all(_by_other_name(c, key) for c in toponym.candidates):
            kept = tuple(
                c
                for c in toponym.candidates
                if c.country and focus.get(c.country, 0.0) - votes[(key, c.country)] > 0
            )
            if kept != toponym.candidates:
                toponym = Toponym(toponym.start, toponym.end, toponym.name, kept)
        result.append(toponym)
    return result


def _by_other_name(candidate: GazetteerPlace, key: str) -> bool:
    """True for a small town found by a name that is not its own ("Muja" for Mga)."""
    return (
        candidate.feature == "town"
        and candidate.population < BIG_CITY
        and normalise_name(candidate.name) != key
    )


def _country_sized(candidate: GazetteerPlace) -> bool:
    """A country, or a union of countries the project lists with its members."""
    return candidate.feature == "country" or len(candidate.members) > 1


def _strong(candidate: GazetteerPlace) -> bool:
    return (
        candidate.precision >= 3
        or candidate.population >= BIG_CITY
        or candidate.id.startswith(OWN_PLACE_PREFIX)
    )


# -- building records ------------------------------------------------------------------------


def _build_places(
    doc: Doc,
    toponyms: list[Toponym],
    chosen: list[Choice],
    relations: list[_Relation],
) -> tuple[Place, ...]:
    sentence_starts = [sent.start_char for sent in doc.sents]
    # One place per gazetteer reading; unresolved toponyms are grouped by their name.
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (toponym, choice) in enumerate(zip(toponyms, chosen, strict=True)):
        place = choice.reading
        groups[place.id if place is not None else f"name:{toponym.key}"].append(index)
    # In the order of the text: the demonyms come after the names in ``toponyms``.
    for members in groups.values():
        members.sort(key=lambda index: toponyms[index].start)
    order = sorted(groups.values(), key=lambda members: toponyms[members[0]].start)
    place_of = {index: number for number, members in enumerate(order) for index in members}
    relative_by_place: dict[int, list[RelativeLocation]] = defaultdict(list)
    unnamed: list[tuple[RelativeLocation, _Relation]] = []
    for relation in relations:
        relative = RelativeLocation(
            relation=relation.relation,
            anchor=place_of[relation.anchor],
            anchor_text=toponyms[relation.anchor].name,
            distance=relation.distance,
            unit=relation.unit,
            evidence=evidence_at(doc, relation.start, relation.end, sentence_starts),
        )
        if relation.located is None:
            unnamed.append((relative, relation))
        else:
            relative_by_place[place_of[relation.located]].append(relative)
    places: list[Place] = []
    for number, members in enumerate(order):
        # Named as first written in running text: a headline's capitals ("(AFGHANISTAN) ...")
        # are the title's style, not the place's name.
        first = next(
            (toponyms[i] for i in members if not toponyms[i].name.isupper()), toponyms[members[0]]
        )
        # The mention read with the most confidence tells why the reading won.
        best = max((chosen[index] for index in members), key=lambda choice: choice.confidence)
        mentions = tuple(_mention(doc, toponyms[index], sentence_starts) for index in members)
        places.append(_place(first, best, mentions, relative_by_place[number]))
    places = [_placed_by_relation(place, places) for place in places]
    for relative, relation in unnamed:
        places.append(_unnamed_place(relative, relation, places[relative.anchor or 0]))
    return tuple(places)


def _mention(doc: Doc, toponym: Toponym, sentence_starts: Sequence[int]) -> Evidence:
    evidence = evidence_at(doc, toponym.start, toponym.end, sentence_starts)
    return evidence if toponym.role is None else evidence.model_copy(update={"role": toponym.role})


def _placed_by_relation(place: Place, places: Sequence[Place]) -> Place:
    """A place put where the text says it is from a known town or district: a place the
    gazetteer lacks gets that point ("Dunya Pur, a small town 100 km northeast of Multan"), and
    a reading far from it is dropped ("Taji, just north of Baghdad" is not a town in Japan)."""
    for relative in place.relative:
        anchor = places[relative.anchor] if relative.anchor is not None else None
        if anchor is None or anchor.lat is None or anchor.lon is None:
            continue
        if (anchor.precision or 1) > 2:
            continue  # "north of Afghanistan" says too little to check or draw
        distance_km = (
            relative.distance * _UNITS_KM.get(relative.unit or "", 1.0)
            if relative.distance is not None
            else None
        )
        if place.lat is not None and place.lon is not None:
            if (place.precision or 1) > 2:
                return place  # a province is not "35 miles south of" a town: the text slipped
            reach = max(3 * (distance_km or 0.0), _NEAR_KM)
            if geo.distance_km(place.lat, place.lon, anchor.lat, anchor.lon) <= reach:
                return place
            name = place.mentions[0].text if place.mentions else place.name  # as written
            place = Place(
                name=name,
                mentions=place.mentions,
                readings=place.readings,
                relative=place.relative,
            )
        bearing = _BEARINGS.get(relative.relation.removesuffix(" of"))
        if bearing is None or distance_km is None:
            return place  # "near X": no point to draw
        lat, lon = offset_point(anchor.lat, anchor.lon, distance_km, bearing)
        return place.model_copy(
            update={
                "lat": lat,
                "lon": lon,
                "country": anchor.country,
                "precision": 2,
                "confidence": round((anchor.confidence or 0.0) * 0.5, 3),
                "reasons": (f"relative_to:{relative.anchor_text}",),
            }
        )
    return place


def _unnamed_place(relative: RelativeLocation, relation: _Relation, anchor: Place) -> Place:
    """A place the text gives only by a relation: "40 km south of Kabul", "near Goma"."""
    lat, lon = anchor.lat, anchor.lon
    bearing = _BEARINGS.get(relation.relation.removesuffix(" of"))
    if lat is not None and lon is not None and relation.distance_km and bearing is not None:
        lat, lon = offset_point(lat, lon, relation.distance_km, bearing)
    return Place(
        name=relative.evidence.text,
        mentions=(relative.evidence,),
        lat=lat,
        lon=lon,
        country=anchor.country,
        admin1=anchor.admin1 if anchor.precision is not None and anchor.precision <= 3 else None,
        feature="relative",
        # Near a town is still a district-sized area; near a country is no closer than it.
        precision=max(2, anchor.precision or 2),
        confidence=round((anchor.confidence or 0.0) * 0.8, 3),
        reasons=(f"relative_to:{relative.anchor_text}",),
        relative=(relative,),
    )


def _place(
    toponym: Toponym,
    choice: Choice,
    mentions: tuple[Evidence, ...],
    relative: Iterable[RelativeLocation],
) -> Place:
    reading = choice.reading
    readings = tuple(
        PlaceReading(
            gazetteer_id=candidate.id,
            name=candidate.name,
            country=candidate.country,
            admin1=candidate.admin1,
            feature=candidate.feature,
            score=score,
            reasons=reasons,
        )
        for candidate, score, reasons in choice.readings
    )
    if reading is None:
        return Place(
            name=toponym.name,
            mentions=mentions,
            confidence=0.0,
            readings=readings,
            relative=tuple(relative),
        )
    # "Herat" as written beats the gazetteer's "Herāt": the same name, in the reader's letters.
    same_name = normalise_name(reading.name) == toponym.key
    return Place(
        name=toponym.name if same_name else reading.name,
        mentions=mentions,
        lat=reading.lat,
        lon=reading.lon,
        country=reading.country,
        # A province is its own first-level region.
        admin1=reading.name if reading.feature == "admin1" else reading.admin1,
        feature=reading.feature,
        precision=reading.precision,
        gazetteer_id=reading.id,
        confidence=choice.confidence,
        reasons=choice.reasons,
        readings=readings,
        relative=tuple(relative),
    )


def offset_point(lat: float, lon: float, distance_km: float, bearing: float) -> tuple[float, float]:
    """The point ``distance_km`` from (lat, lon) along ``bearing`` degrees (flat-earth, fine to
    a few hundred km), for drawing "125 km north of Kabul" when no place is named."""
    radians = math.radians(bearing)
    dlat = distance_km * math.cos(radians) / _KM_PER_DEGREE
    dlon = distance_km * math.sin(radians) / (_KM_PER_DEGREE * math.cos(math.radians(lat)))
    return round(lat + dlat, 4), round(lon + dlon, 4)


def _unclaimed_proper_names(doc: Doc) -> Iterable[Span]:
    """Runs of up to three capitalised proper nouns that NER left without a label, or with one
    that no stage keeps ("Taloqan" as a PRODUCT); a particle joins words into one name
    ("Mazar-e-Sharif")."""
    run: list[int] = []
    for token in [*doc, None]:
        if token is not None and (not token.ent_type_ or token.ent_type_ in _STRAY_LABELS):
            capitalised = token.pos_ == "PROPN" and token.text[:1].isupper()
            if capitalised or (run and _glued(doc[run[-1]], token)) or _leads_name(run, token):
                run.append(token.i)
                continue
        while run and not doc[run[-1]].text[:1].isupper():
            run.pop()  # "Mazar-e-": a name ends on a capitalised word
        if 0 < sum(doc[i].is_alpha for i in run) <= 3:
            yield doc[run[0] : run[-1] + 1]
        run = []


def _stands_alone(span: Span) -> bool:
    """True for a demonym NER calls a people, or leaves unlabelled, or calls a place on its
    own: "Russian" in "Russian forces"; not a word of a longer name ("American Airlines"), nor
    a language ("spoke French")."""
    label = span[0].ent_type_
    if label in _DEMONYM_LABELS:
        return True
    if label != "GPE":
        return False
    ents = [ent for ent in span.doc.ents if ent.start <= span.start < ent.end]
    return bool(ents) and (ents[0].start, ents[0].end) == (span.start, span.end)


def _leads_name(run: list[int], token: Token) -> bool:
    """True for "el" in "el-Fasher": a lower-case article glued by a hyphen to a capitalised
    name starts the name."""
    doc = token.doc
    if run or token.whitespace_ or token.i + 2 >= len(doc):
        return False
    if not _ARTICLE.fullmatch(f"{token.text}-"):
        return False  # "sub-Saharan Africa": "sub" is no article
    hyphen, name = doc[token.i + 1], doc[token.i + 2]
    return hyphen.text == "-" and not hyphen.whitespace_ and name.text[:1].isupper()


def _glued(before: Token, token: Token) -> bool:
    """True for the parts of a name a particle holds together: "Mazar-e-Sharif", "Deir
    ez-Zor". "Vest-Agder" stays two names, as the gazetteer has them."""
    doc = token.doc
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if _is_particle(token):
        return following is not None and following.text == "-" and not token.whitespace_
    if before.whitespace_:
        return False
    if token.text == "-":
        return _is_particle(before) or (following is not None and _is_particle(following))
    return before.text == "-" and before.i > 0 and _is_particle(doc[before.i - 1])


def _is_particle(token: Token) -> bool:
    return token.is_alpha and token.is_lower and len(token) <= 3


class _Cover:
    """Character ranges taken so far. Whether a range overlaps one of them is read from the
    characters it covers (time linear in its length), where comparing it with every range
    taken was quadratic in the number of names."""

    def __init__(self, size: int) -> None:
        self._taken = bytearray(size)
        # Empty ranges cover no character, yet overlap a range around them; kept apart.
        self._ranges: list[tuple[int, int]] = []
        self._empty: list[int] = []

    def add(self, start: int, end: int) -> None:
        self._ranges.append((start, end))
        if start < end:
            self._taken[start:end] = b"\x01" * (end - start)
        else:
            self._empty.append(start)

    def overlaps(self, start: int, end: int) -> bool:
        if start >= end:  # never a name, which has a character at least: read them all
            return any(start < last and first < end for first, last in self._ranges)
        return self._taken.find(1, start, end) >= 0 or any(start < at < end for at in self._empty)


# Country domains sold to anyone ("youtu.be" is no Belgian site): no home country.
_OPEN_DOMAINS = frozenset(
    {"ac", "ai", "am", "cc", "co", "fm", "gg", "io", "la", "ly", "me", "ms", "nu", "sh", "so"}
    | {"tk", "to", "tv", "vc", "ws"}
)


def home_country(url: str | None) -> str | None:
    """The publisher's home country (ISO alpha-2) from its site's country domain:
    "www.bbc.co.uk" is GB, "www.abc.net.au" AU, "www.cbc.ca" CA; None for a generic domain
    ("apnews.com") or one sold to anyone (".tv", ".io")."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    label = host.rstrip(".").rpartition(".")[2].casefold()
    if len(label) != 2 or label in _OPEN_DOMAINS:
        return None
    code = "GB" if label == "uk" else label.upper()
    return code if pycountry.countries.get(alpha_2=code) is not None else None


def _alpha2(alpha3: str | None) -> str | None:
    if alpha3 is None:
        return None
    country = pycountry.countries.get(alpha_3=alpha3)
    return str(country.alpha_2) if country is not None else None


def make_place_resolver(nlp: Language, name: str) -> PlaceResolver:
    """spaCy factory for ``newsdesk_places`` (registered by ``register_components()``)."""
    return PlaceResolver(nlp, name)
