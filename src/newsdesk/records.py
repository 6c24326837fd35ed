"""The output contract: typed, frozen records.

Every record here is a pydantic model that cannot be changed after it is made. Field names are
the contract that tests, exports and evaluation tools rely on (see DESIGN.md): add fields
freely, rename none without a migration note. This module imports nothing of the project.

Every extracted fact carries :class:`Evidence`: character offsets into ``Article.text`` and the
exact text found there, so ``article.text[ev.start:ev.end] == ev.text`` always holds.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, FiniteFloat


def escape_surrogates(value: str) -> str:
    """``value`` with each lone surrogate written as its escape (``\\udcff``).

    A file name with bytes that are not UTF-8 reaches Python as lone surrogates, and so can
    an id or URL in JSON ("\\ud800"); no UTF-8 writer (JSON, SQLite, PostgreSQL, a terminal)
    takes them. The escape keeps the name readable and tells such names apart.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


Name = Annotated[str, AfterValidator(escape_surrogates)]
"""A name from outside the text (file path, URL, id, message): any string, made writable."""

BlockKind = Literal[
    "title",
    "metadata",
    "heading",
    "body",
    "caption",
    "credit",
    "promo",
    "teaser",
    "boilerplate",
    "repeated",
    "dateline",
]
"""What a stretch of the text is. Only ``body``, ``title`` and ``heading`` blocks go through the
NLP stages (:data:`ANALYSED_KINDS`); the rest is furniture, kept with its offsets but not read.

A ``dateline`` ("KABUL, Aug 24 (Reuters) -", "(CNN) —") opens a body paragraph: its ``credit``
is the agency it names, and its place is a place of the article."""

ANALYSED_KINDS: frozenset[BlockKind] = frozenset({"body", "title", "heading"})
"""The kinds of block the NLP stages read: the body, the title, since a headline reports events
too ("Gunmen kill 12 in ..."), and a story's subheads ("Airstrikes kill 50 militants"), which
do as well. A section label with no news in it ("Related", "Advertisement") is a teaser, promo
or boilerplate block, not a heading."""

CLOSED_KINDS: frozenset[BlockKind] = frozenset({"title", "heading"})
"""Analysed kinds that stand on a line of their own, usually with no final full stop: each is
read as a sentence of its own, never run on into the text after it."""

EntityType = Literal[
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "PRODUCT",
    "LAW",
    "WORK_OF_ART",
    "AGENT",
    "VESSEL",
]
"""spaCy's entity labels, plus ``AGENT``: people named by what they are, not by name
("gunmen", "a suicide bomber", "protesters", "Nigerian villagers"), and ``VESSEL``: a ship,
aircraft or vehicle the text names ("the tanker Sounion", "the USS Carney"), never a person or
a place."""

Sector = Literal[
    "state",
    "government",
    "military",
    "police",
    "rebel",
    "insurgent",
    "militia",
    "terrorist",
    "party",
    "igo",
    "ngo",
    "media",
    "civilian",
    "business",
    "religious",
    "armed",
    "criminal",
    "other",
]
"""The PLOVER-style sector of an actor in the knowledge base, or of a generic agent: ``armed`` is
armed people of no named group (CAMEO's UAF: "gunmen", "attackers"), ``criminal`` suspects,
smugglers and gangs (CAMEO's CRM)."""

MentionRole = Literal["dateline", "reference", "in_name", "demonym"]
"""How a mention stands in the article when it is not a name in a sentence: ``dateline`` (see
``Evidence.role``), ``reference``, words that point back to the entity without naming it, and for
places ``in_name``, a place inside an organisation's name, and ``demonym``, a people's name that
points at its country."""

TimePrecision = Literal["day", "week", "month", "year", "decade"]
"""How exact a normalised time is; a week or decade value is an ISO interval ("a/b")."""
Verification = Literal["unverified", "disputed", "confirmed"]
"""What the text says of a claim's or event's checking: not checked, contested, or backed
independently."""


class Record(BaseModel):
    """Base of every record: frozen, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(Record):
    """Where a fact stands in ``Article.text``."""

    start: int
    end: int
    text: str
    sentence: int | None = None
    """Index of the sentence in the article's parsed body, when the fact is inside one."""
    role: MentionRole | None = None
    """What the mention is besides a name in a sentence: ``dateline`` for the place a wire
    dateline names ("KIGALI, Rwanda -"), where the report was filed (no sentence of its own);
    ``reference`` for a pronoun or description that stands for an entity named before it ("he",
    "the group", "we" in its spokesman's quote), linked by ``newsdesk_coreference``. A
    reference is evidence of the entity, not a name of it: whatever counts or matches names
    skips it. Two roles are a place's only: ``in_name`` for a place named inside an
    organisation's name ("Shreveport" in "the Shreveport Police Department", "Nairobi" in "the
    University of Nairobi"), whose entity keeps its organisation type and whole span; and
    ``demonym`` for a people's adjective or name that points at its country ("Russian" in
    "Russian forces", "Americans"). Both tell where the story's people come from, not where
    anything happens: neither is an event's place by itself."""


class Block(Record):
    """A stretch of ``Article.text`` with one kind (body, caption, credit ...)."""

    kind: BlockKind
    start: int
    end: int
    credit: str | None = None
    """For a caption: the credit that goes with it ("AFP: Ahmad Sahel Arman"); for a credit
    block: the agency or photographer it names; for a dateline and the body paragraph it
    opens: the agency the dateline names."""
    repeats: int | None = None
    """For a ``repeated`` block: the index of the earlier block it repeats."""
    place: str | None = None
    """For a ``dateline`` block: the place it names as written ("KIGALI, Rwanda"), which opens
    the block."""


class Role(Record):
    """A title an entity holds, as the article states it."""

    title: str
    of: str | None = None
    """Entity id of the organisation the title belongs to, when the article names one."""
    of_text: str | None = None
    evidence: Evidence


class Entity(Record):
    """A person, organisation or place, with every mention of it in the article."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    mentions: tuple[Evidence, ...] = ()
    roles: tuple[Role, ...] = ()
    actor: str | None = None
    """Knowledge-base id of the actor, or None when the entity is not in the knowledge base."""
    sector: Sector | None = None
    country: str | None = None
    """ISO 3166 alpha-3 code of the actor's country, from the knowledge base."""
    outlet: bool = False
    """True for news agencies and outlets: they report events, they are not party to them."""


class Actor(Record):
    """A knowledge-base actor: a state, government, armed force, group, organisation or outlet."""

    id: str
    """Stable id: ``AFG`` for a state, ``AFG.GOV`` / ``AFG.MIL`` for its government and armed
    forces, ``IGO.UN``, ``GRP.TALIBAN``, ``MED.REUTERS`` ... (see ``newsdesk/data/actors.tsv``)."""
    name: str
    type: EntityType
    sector: Sector
    country: str | None = None
    """ISO 3166 alpha-3 code, or None for international actors."""
    aliases: tuple[str, ...] = ()

    @property
    def outlet(self) -> bool:
        return self.sector == "media"


class RelativeLocation(Record):
    """Where a place lies relative to another: "125 kilometres north of Kabul", "near Goma"."""

    relation: str
    """The relation as a phrase: "north of", "north-east of", "near", "outside"."""
    anchor: int | None = None
    """Index into ``Article.places`` of the place it is relative to."""
    anchor_text: str
    distance: FiniteFloat | None = None
    unit: str | None = None
    evidence: Evidence


class PlaceReading(Record):
    """One gazetteer reading of a toponym as the geocoder weighed it: its score and the
    evidence behind the score, as short codes (see ``Place.reasons``)."""

    gazetteer_id: str
    name: str
    country: str | None = None
    admin1: str | None = None
    feature: str
    score: FiniteFloat
    reasons: tuple[str, ...] = ()


class Place(Record):
    """A place the article names, geocoded with the offline gazetteer.

    ``precision`` is its scale: 1 an exact place (town, city), 2 a district or valley, 3 a
    province or region, 4 a country or larger. A toponym the gazetteer does not know keeps its
    mentions with no coordinates rather than a guess, unless the text puts it at a distance and
    direction from a known place ("Dunya Pur, 100 km northeast of Multan": precision 2, no
    ``gazetteer_id``).
    """

    name: str
    mentions: tuple[Evidence, ...] = ()
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    """ISO 3166 alpha-2 code."""
    admin1: str | None = None
    feature: str | None = None
    precision: int | None = None
    gazetteer_id: str | None = None
    confidence: float | None = None
    reasons: tuple[str, ...] = ()
    """Why this reading won, strongest evidence first, as short codes: ``container:Texas``
    (the region written beside the name), ``article_region:US/Texas`` (a region the article
    names elsewhere or in its dateline holds it), ``holds_places`` (a region that holds the
    article's other places), ``focus_country:US``, ``focus_members`` (a region of several
    countries, in focus as much as its members), ``home_country:GB`` (the publisher's
    country), ``neighbours``, ``country_name``, ``population:N`` or ``kind:admin1`` (the prior),
    ``only_reading``, ``relative_to:Kabul`` (put there by a relative location)."""
    readings: tuple[PlaceReading, ...] = ()
    """The readings weighed, best first (the chosen one, then at most three others)."""
    relative: tuple[RelativeLocation, ...] = ()


class TimeExpression(Record):
    text: str
    evidence: Evidence
    value: str | None = None
    precision: TimePrecision | None = None
    week: str | None = None
    """The ISO week ("2013-W12") when the value is one Monday-Sunday week ("this week", "last
    week"), beside the interval of days the value gives; None otherwise."""


TOLL_UNITS = ("dead", "injured", "displaced", "arrested")
"""The units of a quantity that counts people an event struck (``newsdesk/data/quantities.txt``):
its tolls, which exports, reports and the claims board set side by side per source."""


class Quantity(Record):
    value: FiniteFloat | tuple[FiniteFloat, FiniteFloat]
    """Never infinite nor NaN: JSON has no such numbers, and a store would keep ``Infinity``."""
    approx: bool = False
    unit: str | None = None
    evidence: Evidence


class Quote(Record):
    """Words the article attributes to someone: "...," Mr Nazary said; X told the BBC that ..."""

    speaker: str | None = None
    """Entity id of the speaker, or None when the article does not say clearly who spoke."""
    speaker_text: str | None = None
    """The words that name the speaker where the quote stands ("the spokesman", "he")."""
    cue: Evidence | None = None
    """The speech verb or phrase ("said", "told", "according to", "tweeted")."""
    content: Evidence
    kind: Literal["direct", "indirect", "mixed"]
    channel: str | None = None
    """interview, statement, tweet, post, press conference, radio, tv, ... when the text says."""
    outlet: str | None = None
    """Entity id of the outlet that carried it ("told Reuters"), when the article names one."""
    outlet_text: str | None = None


class Claim(Record):
    """A proposition someone asserts or denies, never turned into a fact by newsdesk."""

    claimant: str | None = None
    """Entity id of who claims it, or None when the article does not say."""
    content: Evidence
    stance: Literal["assert", "deny"] = "assert"
    hedged: bool = False
    hedge: Evidence | None = None
    """The hedging words ("reportedly", "may", "optimistically"), when hedged."""
    verification: Verification | None = None
    verification_evidence: Evidence | None = None
    quantities: tuple[Quantity, ...] = ()
    quote: int | None = None
    """Index into ``Article.quotes`` of the quote the claim was read from, if any."""


class Event(Record):
    """One coded event.

    A headline reports events too. An event read from the title that restates a body event
    (same type, actors and place that do not contradict it: "Gunmen kill 12 in X" and the lead's
    "Gunmen killed at least 12 people in the village of Y in X's north") is merged into that
    body event, which keeps its own fields and gains ``headline_trigger``; the headline event is
    not listed again. A title event with no body counterpart stays, with ``headline`` true.
    """

    type: str
    mode: str | None = None
    cameo: str | None = None
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    place: int | None = None
    date: str | None = None
    date_precision: str | None = None
    """day, week, month, year or decade of the time that governs the event in its sentence, or
    ``published``: the publication day, taken because the sentence gives the event no date (a
    ``historical`` event never takes it: its date is None then)."""
    status: Literal[
        "occurred",
        "claimed",
        "alleged",
        "planned",
        "threatened",
        "conditional",
        "denied",
        "negated",
        "historical",
    ] = "occurred"
    """How the article reports the event:

    - ``occurred``: the article asserts it happened, in its own voice;
    - ``claimed``: only a party says it happened, of its own act or as a report ("the army said
      it killed 50 militants", a toll given by officials); ``claimed_by`` is that party;
    - ``alleged``: one party accuses another of it ("X accused Y of shelling Z": the shelling);
      ``claimed_by`` is the accuser;
    - ``planned``: an announced future act ("will meet next week");
    - ``threatened``: the act a threat holds out;
    - ``conditional``: an act under a condition ("if sanctions are imposed, Turkey will
      retaliate");
    - ``denied``: an act a party denies; ``claimed_by`` is its accuser when named;
    - ``negated``: the article says it did not happen ("did not attack");
    - ``historical``: background well before the news reported.
    """
    claimed_by: str | None = None
    """Entity id of the party that claims (``claimed``), accuses (``alleged``, ``denied``) or
    reports the event; None when the article asserts it or names nobody."""
    verification: Verification | None = None
    """What the text says of the event's checking, as for a claim: ``unverified`` ("could not
    be independently verified"), ``disputed`` (another party denies or contradicts it; always
    for a ``denied`` event), ``confirmed`` (a source other than its claimant confirms it);
    None when the text says nothing of it."""
    verification_evidence: Evidence | None = None
    """The words that say so ("could not be independently verified", "denied")."""
    quantities: tuple[Quantity, ...] = ()
    trigger: Evidence
    evidence: Evidence
    confidence: float = 0.0
    headline: bool = False
    """True for an event read from the article's title alone: its trigger and evidence are in
    the title, and no body event restates it."""
    headline_trigger: Evidence | None = None
    """The title's words that report this event: the trigger itself for a ``headline`` event,
    the headline's restating predicate for a body event merged with it ("kill" in "Gunmen kill
    12 in ..."); None when the title does not report it."""
    same_as: int | None = None
    """Index, in the article's ``events``, of the first mention of the same real event when
    this one tells it again: a killing in the clause of the attack ("gunmen attacked the
    village, killing 12"), or a restatement later in the story ("the attack", "the toll rose to
    31"); None for a first mention. Every mention stays an event, and linked mentions share
    what the story says of the real event anywhere (its date, place, status and parties)."""


class Article(Record):
    """One analysed report: clean text, its blocks and metadata, and everything found in it.

    ``places``, ``times``, ``quantities``, ``quotes``, ``claims`` and ``events`` are part of the
    contract; the stages that fill them are still being built and leave them empty for now.
    """

    id: str
    """Stable content hash of ``text`` (sha256, hex, first 16 characters)."""
    url: Name | None = None
    title: str | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    """ISO date of publication, or None when the source does not say (never guessed)."""
    language: str | None = None
    dateline: str | None = None
    text: str
    blocks: tuple[Block, ...] = ()
    hashtags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    places: tuple[Place, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    extractor: str
    """Name and version of the pipeline that made this record ("newsdesk 0.1.0 / en_core_...")."""


class Rejected(Record):
    """An input that could not be analysed, with the reason. Counted and stored, never dropped."""

    code: str
    """Stable reason code, such as ``R101`` (see ``newsdesk.errors.Reasons``)."""
    reason: Name
    source: Name | None = None
    """Where the input came from: a file path, a URL, or None for text passed in directly."""


class Input(Record):
    """One raw input: text, HTML or bytes, and what is known of it before reading it."""

    data: str | bytes
    url: Name | None = None
    published: Name | None = None
    origin: Name | None = None
    """Where it came from (file path, feed, WARC record), for rejections and provenance."""


class Source(Record):
    """An input after ingest: clean text and the metadata found around it, before analysis.

    ``text`` becomes ``Article.text`` unchanged, so every later offset points into it. ``hints``
    are blocks the input's own structure already told (an HTML ``<figcaption>``, the title),
    which segmentation keeps.
    """

    text: str
    url: Name | None = None
    title: str | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    language: str | None = None
    dateline: str | None = None
    hashtags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    hints: tuple[Block, ...] = ()
    origin: Name | None = None
    """Where the input came from (file path or URL), for rejections and provenance."""


# -- the corpus: many reports as one story ---------------------------------------------------


class Syndication(Record):
    """A block of one article that copies a block of an earlier one (wire copy, aggregators)."""

    article: str
    """Id of the article that holds the copy."""
    block: int
    """Index into that article's ``blocks``."""
    source_article: str | None = None
    """Id of the earlier article it copies, when the corpus holds it."""
    source_block: int | None = None
    agency: str | None = None
    """The agency the text credits for the copy ("AFP", "Reuters"), when it says."""
    similarity: float
    """Estimated Jaccard similarity of the two blocks' shingles (1.0 for an exact copy)."""


class Story(Record):
    """Articles about one developing story, clustered as they arrive; the id never changes."""

    id: str
    title: str
    articles: tuple[str, ...]
    first_seen: str | None = None
    """ISO date of the earliest article's publication."""
    last_seen: str | None = None
    countries: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    """Knowledge-base actor ids named across the story's articles."""


class EventMention(Record):
    """Where one article reports a merged event."""

    article: str
    event: int
    """Index into that article's ``events``."""
    evidence: Evidence
    publisher: str | None = None
    published: str | None = None


class MergedEvent(Record):
    """One real-world event reported by many articles, with every mention of it.

    ``sources`` counts independent reports: syndicated copies of one wire story count once.
    Claims about the event that conflict (one side claims, the other denies; different tolls)
    stay side by side in ``conflicts``, each with its claimant.
    """

    id: str
    type: str
    source: tuple[str, ...] = ()
    """Knowledge-base actor ids (or names, when an actor is not in the knowledge base)."""
    target: tuple[str, ...] = ()
    place: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    date: str | None = None
    status: str
    mentions: tuple[EventMention, ...]
    first_seen: str | None = None
    last_seen: str | None = None
    sources: int
    """Number of independent sources (publishers or agencies) that report it."""
    conflicts: tuple[Claim, ...] = ()
