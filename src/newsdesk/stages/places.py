"""``newsdesk_places``: the places an article names, on the map, with honest precision.

Geoparsing: toponyms are the place entities (GPE, LOC, FAC, including names the entities stage
retyped, such as "Panjshir" from "the Panjshir Valley"), plus names NER tagged as a person or
organisation, or not at all, that the gazetteer knows as a country, a region, a big city or one
of the project's own places ("Goma" tagged PERSON). A place that is the subject of a verb such as
"said" ("Kabul said") stands for a government and is not a place mention. Without place context
(a locative, a place noun, a container after a comma, a place beside it), a name that is also a
common surname, brand or agency ("Lincoln", "Toyota"), or an acronym in running text ("MINA"),
is no place; a name NER typed PERSON or ORG is a place by the place's own name only ("Naseri" is
not Ahvaz), and not at all when the article writes the person's full name ("Lewis Hamilton ...
Hamilton"); a small town found by another name ("Muja" for a Russian town) needs another place
of its country in the article. Abbreviations with their stop ("Charleston, W.Va."), "the
Kharkiv region" (the province, not the city) and "Scott and Jefferson counties" are read as
written. Demonyms ("Afghan")
are not places, but they tell the article's country focus.

Geocoding: each toponym's gazetteer candidates are scored by the gazetteer's prior (countries,
then big cities, the project's places, regions, towns), the article's country focus (countries
named, demonyms, known actors, toponyms with one reading), and the admin hierarchy the text
writes ("Pandi, Bulacan"). A country name always resolves to the country.

Relative locations ("approximately 125 kilometres north of Kabul", "near Goma") are kept as
relations from the place they describe to their anchor place.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

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
from newsdesk.records import Block, Entity, Evidence, Place, RelativeLocation
from newsdesk.stages.evidence import evidence_at, sentence_of

NAME = "newsdesk_places"
REQUIRES = ["doc.ents", "doc.sents", "token.dep", "token.pos", f"doc._.{attributes.ENTITIES}"]
ASSIGNS = [f"doc._.{attributes.PLACES}"]

_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# NER often calls a town a person or an organisation ("Goma", "Uttar Pradesh").
_MAYBE_PLACE_TYPES = frozenset({"PERSON", "ORG", "NORP"})
# Labels the entities stage does not keep, which the small models give to unfamiliar towns
# ("Taloqan" as a PRODUCT): such a name is weighed like one NER left unlabelled.
_STRAY_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})
# Names NER did not call a place count only when the gazetteer reading is a strong one.
_BIG_CITY = 100_000
# Place nouns that also end names of other things ("Islamic State", "Blackstone Capital").
_NAME_ENDINGS = frozenset({"state", "capital"})
# What stands between a place and the larger place that holds it.
_CONTAINED = re.compile(
    r"\s*(?:,|(?:in|of)(?:\s+(?:the\s+)?(?:north|south|east|west|central)[a-z]*)?)\s*"
)
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
# Arabic place names are written with and without their article ("Muthanna", "Al Muthanna").
_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|an|at|ash)[-\s]+", re.IGNORECASE)
_OWN_PLACE_PREFIX = "nd:"
# Nouns after a name that make it a region ("the Kharkiv region") or a county ("Scott and
# Jefferson counties").
_REGION_WORDS = frozenset({"region", "province", "oblast", "governorate", "prefecture"})
_COUNTY_WORDS = frozenset({"county", "counties", "parish", "parishes"})
# "Kharkiv" and "Kharkivska" share a stem of this many letters at least, and half the name.
_REGION_STEM = 4
# Weights of the geocoding score; the prior alone decides when nothing else is known.
_FOCUS_WEIGHT = 1.5
# Priors: a city of 1,000 scores 0.45, of 100,000 0.75, of 4 million 1.0.
_POPULATION_WEIGHT = 0.15
_OWN_PLACE_PRIOR = 0.8
_REGION_PRIOR = 0.7
_COUNTY_PRIOR = 0.6
_RANK_WEIGHT = 0.1
# A country's name yields to a region of the same name only in a plainly foreign article.
_FOCUS_MINIMUM = 3.0
_FOCUS_DOMINANT = 0.6
_FOCUS_ABSENT = 0.1
_AREAS = frozenset({"country", "continent"})
_HIERARCHY_WEIGHT = 2.0
_SIBLING_WEIGHT = 1.0
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


@dataclass(frozen=True)
class _Toponym:
    start: int
    end: int
    name: str
    candidates: tuple[GazetteerPlace, ...]

    @property
    def key(self) -> str:
        return normalise_name(self.name)


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
        self._metonymy_verbs = load_phrases("places", "metonymy_verbs")
        self._not_places = load_phrases("places", "not_places")
        self._place_nouns = load_phrases("places", "place_nouns")
        # A name before or after a site noun is a place too; only a place noun has "X of Y".
        self._sites = self._place_nouns | load_phrases("places", "site_nouns")
        self._place_verbs = load_phrases("places", "place_verbs")
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
        containers = _containers(doc, toponyms)
        first = [
            _choose(toponym, _Context(base, containers.get(index)))
            for index, toponym in enumerate(toponyms)
        ]
        # A second pass lets the other places read in the first tell the focus and the
        # hierarchy; a name's own first reading must not vote for itself. What all readings
        # tell is counted once, and each name's own readings taken out of it (linear in the
        # number of toponyms, where comparing every pair was quadratic).
        keys = [toponym.key for toponym in toponyms]
        everyone = _Readings.of(place for place, _ in first if place is not None)
        readings_of: dict[str, list[GazetteerPlace]] = defaultdict(list)
        for key, (place, _) in zip(keys, first, strict=True):
            if place is not None:
                readings_of[key].append(place)
        own = {key: _Readings.of(readings) for key, readings in readings_of.items()}
        countries = Counter(place.country for place, _ in first if place and place.country)
        chosen = []
        for index, (toponym, key) in enumerate(zip(toponyms, keys, strict=True)):
            mine = own.get(key, _Readings.of(()))
            focus = defaultdict(float, base)
            for country, count in countries.items():
                if count > mine.countries[country]:
                    focus[country] += count - mine.countries[country]
            neighbours = _Neighbours(everyone, mine)
            chosen.append(_choose(toponym, _Context(focus, containers.get(index), neighbours)))
        relations = self._find_relations(doc, toponyms, relatives)
        places = _build_places(doc, toponyms, chosen, relations)
        return self._with_datelines(doc, places, base)

    def set_annotations(self, doc: Doc, places: tuple[Place, ...]) -> None:
        doc._.set(attributes.PLACES, places)

    # -- datelines ----------------------------------------------------------------------------

    def _with_datelines(
        self, doc: Doc, places: tuple[Place, ...], focus: Mapping[str, float]
    ) -> tuple[Place, ...]:
        """The places with the place of each dateline block ("KIGALI, Rwanda -") as a mention
        of role ``dateline``: added to the same place named in the body, or a place of its own
        after the others (so that relative locations keep their anchors' indices)."""
        result = list(places)
        blocks: tuple[Block, ...] = doc._.get(attributes.BLOCKS)
        for block in blocks:
            if block.kind != "dateline" or not block.place:
                continue
            toponym, country = self._dateline_toponym(block)
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
            around = _Neighbours(_Readings.of(neighbours), _Readings.of(()))
            reading, confidence = _choose(toponym, _Context(weights, None, around))
            mention = Evidence(
                start=toponym.start,
                end=toponym.end,
                text=block.place[: toponym.end - toponym.start],
                role="dateline",
            )
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
                result.append(_place(toponym, reading, confidence, (mention,), ()))
            else:
                place = result[same]
                mentions = tuple(sorted((*place.mentions, mention), key=lambda m: m.start))
                result[same] = place.model_copy(update={"mentions": mentions})
        return tuple(result)

    def _dateline_toponym(self, block: Block) -> tuple[_Toponym, str | None]:
        """The dateline's town as a toponym, and the country its second part names, if any:
        "PORT SUDAN, Sudan" is Port Sudan in Sudan; "WASHINGTON" is left to the context."""
        place = block.place or ""
        town, _, region = place.partition(",")
        name = town.strip().title() if town.isupper() else town.strip()
        candidates = self._lookup(name)
        country = None
        if region.strip():
            country = next(
                (c.country for c in self._lookup(region.strip()) if c.feature in _AREAS), None
            )
            inside = tuple(c for c in candidates if c.country == country)
            candidates = inside or candidates
        start = block.start
        return _Toponym(
            start=start, end=start + len(town.rstrip()), name=name, candidates=candidates
        ), country

    # -- toponyms -----------------------------------------------------------------------------

    def _find_toponyms(self, doc: Doc, relatives: list[re.Match[str]]) -> list[_Toponym]:
        spans: dict[tuple[int, int], tuple[Span, bool]] = {}
        # Mentions of people and organisations are theirs, whatever NER said of one of them.
        claimed: dict[tuple[int, int], tuple[Span, bool]] = {}
        # The ranges of both, to ask whether a name overlaps one of them.
        taken = _Cover(len(text_of(doc)))
        # Names NER called a person or an organisation: without place context such a name is
        # a place by the place's own name only, never by another name GeoNames gives it.
        people: set[tuple[int, int]] = set()
        entities: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
        for entity in entities:
            is_place = entity.type in _PLACE_TYPES
            may_be_place = entity.actor is None and entity.type in _MAYBE_PLACE_TYPES
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
        for ent in doc.ents:
            key = (ent.start_char, ent.end_char)
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
        for span, _ in claimed.values():
            inner = self._country_inside(span)
            if inner is not None:
                spans[(inner.start_char, inner.end_char)] = (inner, True)
        described = _described_spans(text_of(doc), relatives)
        toponyms: list[_Toponym] = []
        # Read once: asked for each name, it made the loop quadratic in the names.
        place_tokens = frozenset(
            token.i for other, is_place in spans.values() if is_place for token in other
        )
        for (start, end), (span, is_place) in sorted(spans.items()):
            if self._is_metonymy(span) or span.text.casefold() in self._not_places:
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
                    written = normalise_name(span.text)
                    candidates = tuple(c for c in candidates if normalise_name(c.name) == written)
            if naming and not candidates:
                # "the village of Dara": a place the gazetteer lacks is still a place.
                toponyms.append(_Toponym(start=start, end=end, name=span.text, candidates=()))
                continue
            if not is_place and not candidates:
                # "the U.S. Centers for Disease Control": the name is not a place, the country
                # inside it is.
                inner = self._country_inside(span)
                if inner is not None:
                    toponyms.append(
                        _Toponym(
                            start=inner.start_char,
                            end=inner.end_char,
                            name=inner.text,
                            candidates=self._lookup(inner.text),
                        )
                    )
                continue
            toponyms.append(_Toponym(start=start, end=end, name=span.text, candidates=candidates))
        return sorted(toponyms, key=lambda toponym: toponym.start)

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

    def _is_metonymy(self, span: Span) -> bool:
        root = span.root
        return root.dep_ == "nsubj" and root.head.lemma_.casefold() in self._metonymy_verbs

    def _country_focus(self, doc: Doc, toponyms: list[_Toponym]) -> defaultdict[str, float]:
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
        self, doc: Doc, toponyms: list[_Toponym], relatives: list[re.Match[str]]
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
    toponyms: list[_Toponym],
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


@dataclass(frozen=True)
class _Context:
    """What the rest of the article tells about one toponym."""

    focus: Mapping[str, float]
    """Weight of each country in the article (ISO alpha-2)."""
    container: _Toponym | None = None
    """The region the text names right after it ("Pandi, Bulacan")."""
    neighbours: _Neighbours | None = None
    """The readings of the article's other toponyms."""


@dataclass(frozen=True)
class _Readings:
    """What a set of readings tells its neighbours, as counts: the provinces that hold them,
    the provinces among them, and the countries of those provinces (each with the country)."""

    holders: Counter[tuple[str | None, str]]
    provinces: Counter[tuple[str | None, str]]
    province_countries: Counter[str | None]
    countries: Counter[str]

    @classmethod
    def of(cls, places: Iterable[GazetteerPlace]) -> _Readings:
        holders: Counter[tuple[str | None, str]] = Counter()
        provinces: Counter[tuple[str | None, str]] = Counter()
        province_countries: Counter[str | None] = Counter()
        countries: Counter[str] = Counter()
        for place in places:
            if place.admin1 is not None:
                holders[(place.country, normalise_name(place.admin1))] += 1
            if place.feature == "admin1":
                provinces[(place.country, place.name)] += 1
                province_countries[place.country] += 1
            if place.country:
                countries[place.country] += 1
        return cls(holders, provinces, province_countries, countries)


@dataclass(frozen=True)
class _Neighbours:
    """The readings of every toponym but those of one name: all of them, less that name's."""

    every: _Readings
    but: _Readings

    def holds(self, country: str | None, name_key: str) -> bool:
        key = (country, name_key)
        return self.every.holders[key] > self.but.holders[key]

    def has_province(self, country: str | None, name: str) -> bool:
        key = (country, name)
        return self.every.provinces[key] > self.but.provinces[key]

    def has_province_in(self, country: str | None) -> bool:
        return self.every.province_countries[country] > self.but.province_countries[country]


def _choose(toponym: _Toponym, context: _Context) -> tuple[GazetteerPlace | None, float]:
    """The best reading of a toponym and a confidence between 0 and 1."""
    if not toponym.candidates:
        return None, 0.0
    # A country's name means the country, never a town that shares it; when two countries
    # share it ("Congo"), the article's focus decides.
    countries = tuple(c for c in toponym.candidates if c.feature in _AREAS)
    candidates = countries or toponym.candidates
    if len(countries) == 1:
        region = _region_in_focus(toponym, context.focus)
        return (region, 0.7) if region is not None else (countries[0], 0.95)
    total = sum(context.focus.values()) or 1.0
    scored = sorted(
        (
            (_score(rank, candidate, context, total), -rank, candidate)
            for rank, candidate in enumerate(candidates)
        ),
        reverse=True,
    )
    best_score, _, best = scored[0]
    if len(scored) == 1:
        return best, 0.9
    second = scored[1][0]
    return best, round(min(0.95, 0.5 + (best_score - second) / (2 * best_score)), 3)


def _region_in_focus(toponym: _Toponym, focus: Mapping[str, float]) -> GazetteerPlace | None:
    """A region that shares a country's name, when the article is plainly about the region's
    country and not the other: "Georgia" in a report about Atlanta and Savannah."""
    total = sum(focus.values())
    if total < _FOCUS_MINIMUM:
        return None
    country = next(c.country for c in toponym.candidates if c.feature in _AREAS)
    for candidate in toponym.candidates:
        if candidate.feature != "admin1" or candidate.country is None:
            continue
        theirs = focus.get(candidate.country, 0.0) / total
        ours = focus.get(country or "", 0.0) / total
        if theirs >= _FOCUS_DOMINANT and ours <= _FOCUS_ABSENT:
            return candidate
    return None


def _score(rank: int, candidate: GazetteerPlace, context: _Context, total: float) -> float:
    score = _prior(rank, candidate)
    if candidate.country:
        score += _FOCUS_WEIGHT * context.focus.get(candidate.country, 0.0) / total
    if context.container is not None and _contains(context.container, candidate):
        score += _HIERARCHY_WEIGHT
    return score + _neighbourhood(candidate, context.neighbours)


def _neighbourhood(candidate: GazetteerPlace, neighbours: _Neighbours | None) -> float:
    """Agreement with the article's other places: "Ontario" beside Toronto (which lies in
    Ontario) is the province; "Riverside" beside California is the Californian city; "New
    Brunswick" among Alberta and Manitoba is a province too."""
    if neighbours is None:
        return 0.0
    country = candidate.country
    if candidate.feature == "admin1" and neighbours.holds(country, normalise_name(candidate.name)):
        return _HIERARCHY_WEIGHT
    inside = candidate.admin1 is not None and neighbours.has_province(country, candidate.admin1)
    if inside or (_prominent(candidate) and neighbours.has_province_in(country)):
        return _SIBLING_WEIGHT
    return 0.0


def _prominent(candidate: GazetteerPlace) -> bool:
    """Provinces and big cities: what a report names beside other provinces ("Kabul" beside
    "Panjshir" is the city of millions, "New Brunswick" among Alberta and Manitoba the
    province)."""
    return candidate.feature == "admin1" or candidate.population >= _BIG_CITY


def _prior(rank: int, candidate: GazetteerPlace) -> float:
    """How likely a reading is before context: a city by its size ("Toronto" is the city of
    millions, not a village of that name), the project's places and regions by kind, and the
    gazetteer's own order to break ties."""
    if candidate.feature in {"city", "town"}:
        base = _POPULATION_WEIGHT * math.log10(candidate.population + 10)
    elif candidate.id.startswith(_OWN_PLACE_PREFIX):
        base = _OWN_PLACE_PRIOR
    elif candidate.feature == "county":
        base = _COUNTY_PRIOR
    else:
        base = _REGION_PRIOR
    return base + _RANK_WEIGHT / (1 + rank)


def _contains(container: _Toponym, candidate: GazetteerPlace) -> bool:
    """True when the text's container ("Pandi, Bulacan") can hold this reading."""
    for outer in container.candidates:
        if outer.precision == 4 and outer.country == candidate.country:
            return True
        same_admin = candidate.admin1 and normalise_name(candidate.admin1) in {
            normalise_name(name) for name in (outer.name, *outer.names)
        }
        if outer.precision == 3 and outer.country == candidate.country and same_admin:
            return True
    return False


def _containers(doc: Doc, toponyms: list[_Toponym]) -> dict[int, _Toponym]:
    """Toponyms written as "Place, Region", "the Western Province of Rwanda" or "Kano in
    northern Nigeria": the second is the container of the first."""
    found: dict[int, _Toponym] = {}
    for index in range(len(toponyms) - 1):
        between = text_of(doc)[toponyms[index].end : toponyms[index + 1].start]
        if _CONTAINED.fullmatch(between):
            found[index] = toponyms[index + 1]
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
    return (
        root.dep_ == "pobj"
        and head.lower_ == "of"
        and head.head.i != head.i
        and _is_noun_in(head.head, place_nouns)
    )


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


def _supported(toponyms: list[_Toponym], focus: Mapping[str, float]) -> list[_Toponym]:
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
                toponym = _Toponym(toponym.start, toponym.end, toponym.name, kept)
        result.append(toponym)
    return result


def _by_other_name(candidate: GazetteerPlace, key: str) -> bool:
    """True for a small town found by a name that is not its own ("Muja" for Mga)."""
    return (
        candidate.feature == "town"
        and candidate.population < _BIG_CITY
        and normalise_name(candidate.name) != key
    )


def _strong(candidate: GazetteerPlace) -> bool:
    return (
        candidate.precision >= 3
        or candidate.population >= _BIG_CITY
        or candidate.id.startswith(_OWN_PLACE_PREFIX)
    )


# -- building records ------------------------------------------------------------------------


def _build_places(
    doc: Doc,
    toponyms: list[_Toponym],
    chosen: list[tuple[GazetteerPlace | None, float]],
    relations: list[_Relation],
) -> tuple[Place, ...]:
    sentence_starts = [sent.start_char for sent in doc.sents]
    # One place per gazetteer reading; unresolved toponyms are grouped by their name.
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (toponym, (place, _)) in enumerate(zip(toponyms, chosen, strict=True)):
        groups[place.id if place is not None else f"name:{toponym.key}"].append(index)
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
        reading, _ = chosen[members[0]]
        confidence = max(chosen[index][1] for index in members)
        mentions = tuple(
            evidence_at(doc, toponyms[index].start, toponyms[index].end, sentence_starts)
            for index in members
        )
        places.append(_place(first, reading, confidence, mentions, relative_by_place[number]))
    places = [_placed_by_relation(place, places) for place in places]
    for relative, relation in unnamed:
        places.append(_unnamed_place(relative, relation, places[relative.anchor or 0]))
    return tuple(places)


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
            place = Place(name=name, mentions=place.mentions, relative=place.relative)
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
        relative=(relative,),
    )


def _place(
    toponym: _Toponym,
    reading: GazetteerPlace | None,
    confidence: float,
    mentions: tuple[Evidence, ...],
    relative: Iterable[RelativeLocation],
) -> Place:
    if reading is None:
        return Place(name=toponym.name, mentions=mentions, confidence=0.0, relative=tuple(relative))
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
        confidence=confidence,
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


def _alpha2(alpha3: str | None) -> str | None:
    if alpha3 is None:
        return None
    country = pycountry.countries.get(alpha_3=alpha3)
    return str(country.alpha_2) if country is not None else None


def make_place_resolver(nlp: Language, name: str) -> PlaceResolver:
    """spaCy factory for ``newsdesk_places`` (registered by ``register_components()``)."""
    return PlaceResolver(nlp, name)
