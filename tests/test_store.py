"""The corpus store, on SQLite and on a real PostgreSQL server.

Every test that takes ``store`` or ``store_url`` runs twice: on a SQLite file in ``tmp_path``
and on a fresh database of a PostgreSQL server. The server is the one in
``NEWSDESK_TEST_POSTGRES_URL`` (its user needs CREATEDB), or a throwaway cluster that
tests/conftest.py starts on loopback with the Debian binaries (``initdb``, ``pg_ctl``) and
stops at the end. With no PostgreSQL binaries the PostgreSQL half is skipped, unless
``NEWSDESK_REQUIRE_POSTGRES`` is set (``scripts/check.sh`` sets it), which turns the skip into
a failure.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import free_port
from newsdesk.corpus import migrations, schema
from newsdesk.corpus.store import (
    HIT_END,
    HIT_START,
    MAX_LIMIT,
    MAX_SEARCH_WORDS,
    Added,
    Store,
    StoredEvent,
)
from newsdesk.errors import StoreError
from newsdesk.records import (
    Article,
    Claim,
    Entity,
    Event,
    EventMention,
    Evidence,
    MergedEvent,
    Place,
    Rejected,
    Story,
    Syndication,
    TimeExpression,
)


def _engine(url: str) -> sa.Engine:
    """A plain engine on a store's database, for looking under the store."""
    if "://" not in url:
        return sa.create_engine(f"sqlite:///{url}")
    return sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened


# -- articles made by hand (no spaCy) -----------------------------------------------------------


def _evidence(text: str, words: str) -> Evidence:
    start = text.index(words)
    return Evidence(start=start, end=start + len(words), text=words, sentence=0)


def _sentence(text: str, words: str) -> Evidence:
    start = text.rfind(". ", 0, text.index(words))
    start = 0 if start < 0 else start + 2
    end = text.find(".", text.index(words)) + 1 or len(text)
    return Evidence(start=start, end=end, text=text[start:end], sentence=0)


def _event(text: str, trigger: str, **fields: object) -> Event:
    return Event(trigger=_evidence(text, trigger), evidence=_sentence(text, trigger), **fields)


def _article(text: str, *, extractor: str = "newsdesk test 1", **fields: object) -> Article:
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return Article(id=digest, text=text, extractor=extractor, **fields)


TALIBAN = Entity(
    id="e1",
    name="Taliban",
    type="ORG",
    actor="GRP.TALIBAN",
    aliases=("Islamic Emirate",),
)
NRF = Entity(id="e2", name="National Resistance Front", type="ORG", actor="GRP.NRF")
NAZARY = Entity(id="e3", name="Ali Nazary", type="PERSON")

PANJSHIR_TEXT = (
    "Taliban fighters advanced on the Panjshir valley, north of Kabul, on Monday. "
    "Ali Nazary said the resistance had thousands of fighters ready to defend the valley."
)
PANJSHIR = _article(
    PANJSHIR_TEXT,
    title="Taliban advance on Panjshir",
    publisher="Desk One",
    published="2021-08-24",
    url="https://example.org/panjshir",
    entities=(TALIBAN, NRF, NAZARY),
    places=(
        Place(name="Panjshir", country="AF", lat=35.3, lon=69.6),
        Place(name="Kabul", country="AF", lat=34.5, lon=69.2),
    ),
    events=(
        _event(
            PANJSHIR_TEXT,
            "advanced",
            type="MOBILIZE",
            source=("e1",),
            target=("e2",),
            place=0,
            date="2021-08-23",
            date_precision="day",
            status="claimed",
            claimed_by="e1",
            confidence=0.8,
        ),
    ),
    claims=(
        Claim(
            claimant="e3",
            content=_evidence(PANJSHIR_TEXT, "the resistance had thousands of fighters ready"),
            verification="unverified",
        ),
    ),
)

GOMA_TEXT = (
    "Rebels shelled the town of Goma in eastern Congo on 3 March 2023, local officials said. "
    "Aid groups met the governor to discuss the displaced families."
)
M23 = Entity(id="e1", name="M23", type="ORG", actor="GRP.M23", aliases=("March 23 Movement",))
GOMA = _article(
    GOMA_TEXT,
    title="Shelling in Goma",
    publisher="Desk Two",
    published="2023-03-04",
    entities=(M23,),
    places=(Place(name="Goma", country="CD", lat=-1.68, lon=29.22),),
    events=(
        _event(GOMA_TEXT, "shelled", type="ASSAULT", source=("e1",), place=0, date="2023-03-03"),
        # No date in the text: dated by the article's publication (2023-03-04).
        _event(GOMA_TEXT, "met", type="CONSULT", source=("aid groups",)),
    ),
)

HISTORY_TEXT = "Ahmad Shah Massoud was assassinated by Al Qaeda in 2001, his son recalled."
HISTORY = _article(
    HISTORY_TEXT,
    title="A son remembers",
    published="2021-08-25",
    entities=(
        Entity(id="e1", name="Ahmad Shah Massoud", type="PERSON"),
        Entity(id="e2", name="Al Qaeda", type="ORG", actor="GRP.AQ"),
    ),
    events=(
        _event(
            HISTORY_TEXT,
            "assassinated",
            type="assault",
            source=("e2",),
            target=("e1",),
            date="2001",
            date_precision="year",
            status="historical",
        ),
    ),
)


DISPUTED_TEXT = (
    "Rebels said they had shelled the army camp at Rutshuru on 2 May 2024. "
    "The army denied that any shell had hit the camp. Aid workers met the governor."
)
DISPUTED = _article(
    DISPUTED_TEXT,
    title="Rutshuru camp",
    published="2024-05-03",
    entities=(M23,),
    events=(
        _event(
            DISPUTED_TEXT,
            "shelled",
            type="ASSAULT",
            source=("e1",),
            status="claimed",
            claimed_by="e1",
            date="2024-05-02",
            verification="disputed",
            verification_evidence=_evidence(DISPUTED_TEXT, "denied"),
        ),
        _event(DISPUTED_TEXT, "met", type="CONSULT", source=("aid workers",)),
    ),
)


# -- articles --------------------------------------------------------------------------------


def test_store_add_article_is_idempotent(store: Store) -> None:
    assert store.add_article(PANJSHIR, source="feeds/one.xml") is Added.NEW
    before = store.counts()
    assert store.add_article(PANJSHIR, source="feeds/one.xml") is Added.ALREADY_STORED
    assert store.add_article(PANJSHIR, source="feeds/other.xml") is Added.DUPLICATE
    assert store.add_article(PANJSHIR) is Added.ALREADY_STORED
    assert not Added.DUPLICATE and not Added.ALREADY_STORED and Added.NEW
    assert store.counts() == before
    assert before["articles"] == 1
    assert before["events"] == 1
    assert before["claims"] == 1
    assert before["entities"] == 3
    assert store.has_article(PANJSHIR.id)
    assert not store.has_article("0" * 16)
    assert store.get_article(PANJSHIR.id) == PANJSHIR
    assert store.get_article("0" * 16) is None
    # The duplicate's source is done (a rerun skips it), and it is no rejection.
    assert store.known_sources() == {"feeds/one.xml", "feeds/other.xml"}
    assert store.rejected() == []


def test_store_place_mention_roles_round_trip(store: Store) -> None:
    text = "Kenyan police and the Nairobi County Council said roads in Nairobi were shut."
    nairobi = Place(
        name="Nairobi",
        country="KE",
        mentions=(
            _evidence(text, "Nairobi").model_copy(update={"role": "in_name"}),
            Evidence(
                start=text.rindex("Nairobi"),
                end=text.rindex("Nairobi") + len("Nairobi"),
                text="Nairobi",
                sentence=0,
            ),
        ),
    )
    kenya = Place(
        name="Kenya",
        country="KE",
        mentions=(_evidence(text, "Kenyan").model_copy(update={"role": "demonym"}),),
    )
    article = _article(text, places=(nairobi, kenya))
    store.add_article(article)
    stored = store.get_article(article.id)
    assert stored == article
    assert stored is not None
    roles = [m.role for place in stored.places for m in place.mentions]
    assert roles == ["in_name", None, "demonym"]


def test_store_rejected_is_stored_with_reason(store: Store) -> None:
    empty = Rejected(code="R101", reason="The input is empty.", source="in/empty.txt")
    store.add_rejected(empty)
    store.add_rejected(empty)  # a rerun rejecting the same file again
    store.add_rejected(Rejected(code="R101", reason="The input is empty."))
    store.add_article(GOMA, source="in/goma.txt")
    assert store.counts()["rejected"] == 2
    assert store.rejected()[0] == empty
    assert store.known_sources() == {"in/empty.txt", "in/goma.txt"}


def test_store_add_article_is_atomic(store: Store) -> None:
    # A record that breaks part way through: its article, entities and events are written
    # before its claim fails. None of it may remain.
    broken_claim = Claim.model_construct(claimant="e3", content=None, stance="assert")  # type: ignore[arg-type]
    broken = PANJSHIR.model_copy(update={"claims": (broken_claim,)})
    with pytest.raises(AttributeError):
        store.add_article(broken, source="in/broken.txt")
    assert set(store.counts().values()) == {0}
    assert not store.has_article(PANJSHIR.id)
    assert store.known_sources() == set()
    assert store.search("Panjshir") == []
    assert store.add_article(PANJSHIR) is Added.NEW
    assert store.counts()["claims"] == 1


def test_store_iter_articles_in_batches(store: Store) -> None:
    for article in (PANJSHIR, GOMA, HISTORY):
        store.add_article(article)
    assert [a.id for a in store.iter_articles(batch_size=2)] == [PANJSHIR.id, GOMA.id, HISTORY.id]


# -- queries ---------------------------------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    for article in (PANJSHIR, GOMA, HISTORY):
        store.add_article(article)
    return store


def _keys(events: Sequence[StoredEvent]) -> list[tuple[str, int]]:
    return [(event.article_id, event.index) for event in events]


def test_store_event_verification_round_trips(store: Store) -> None:
    store.add_article(DISPUTED)
    assert store.get_article(DISPUTED.id) == DISPUTED
    stored = store.events()
    assert [(event.trigger, event.verification) for event in stored] == [
        ("shelled", "disputed"),
        ("met", None),
    ]
    frame = store.events_frame()
    assert frame["verification"].iloc[0] == "disputed"
    assert frame["verification"].isna().iloc[1]


def test_store_events_answer_with_names_and_places(filled: Store) -> None:
    (event,) = filled.events(type="MOBILIZE")
    assert event.article_id == PANJSHIR.id
    assert event.source == ("GRP.TALIBAN",)
    assert event.source_names == ("Taliban",)
    assert event.target_names == ("National Resistance Front",)
    assert (event.claimed_by, event.claimed_by_name) == ("GRP.TALIBAN", "Taliban")
    assert (event.place, event.country, event.lat) == ("Panjshir", "AF", 35.3)
    assert event.trigger == "advanced"
    assert event.evidence.startswith("Taliban fighters advanced")
    assert (event.publisher, event.published) == ("Desk One", "2021-08-24")
    # Oldest first: the 2001 event, then 2021, then 2023.
    assert _keys(filled.events()) == [
        (HISTORY.id, 0),
        (PANJSHIR.id, 0),
        (GOMA.id, 0),
        (GOMA.id, 1),
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"since": "2021-08-01", "until": "2021-08-31"}, [("panjshir", 0)]),
        ({"since": "2021-08", "until": "2021-08"}, [("panjshir", 0)]),
        ({"until": "2001"}, [("history", 0)]),
        ({"since": "2023-03-04"}, [("goma", 1)]),  # undated: its article's publication date
        ({"country": "cd"}, [("goma", 0)]),
        ({"type": "assault"}, [("history", 0), ("goma", 0)]),
        ({"actor": "grp.taliban"}, [("panjshir", 0)]),
        ({"actor": "National Resistance Front"}, [("panjshir", 0)]),
        ({"actor": "islamic emirate"}, [("panjshir", 0)]),
        ({"actor": "Ahmad Shah Massoud"}, [("history", 0)]),
        ({"actor": "AID GROUPS"}, [("goma", 1)]),
        ({"actor": "Nobody"}, []),
        ({"type": "ASSAULT", "country": "CD", "since": "2023"}, [("goma", 0)]),
        ({"limit": 1}, [("history", 0)]),
    ],
)
def test_store_events_filters(
    filled: Store, filters: dict[str, object], expected: list[tuple[str, int]]
) -> None:
    ids = {"panjshir": PANJSHIR.id, "goma": GOMA.id, "history": HISTORY.id}
    found = filled.events(**filters)  # type: ignore[arg-type]
    assert _keys(found) == [(ids[name], index) for name, index in expected]


def test_store_keeps_an_alleged_event_and_its_accuser(store: Store) -> None:
    text = "The National Resistance Front accused the Taliban of shelling Panjshir on Monday."
    article = _article(
        text,
        published="2021-08-24",
        entities=(TALIBAN, NRF),
        events=(
            _event(
                text,
                "shelling",
                type="ASSAULT",
                source=("e1",),
                status="alleged",
                claimed_by="e2",
            ),
        ),
    )
    store.add_article(article)
    (event,) = store.events(type="ASSAULT")
    assert event.status == "alleged"
    assert (event.claimed_by, event.claimed_by_name) == ("GRP.NRF", "National Resistance Front")
    stored = store.get_article(article.id)
    assert stored is not None and stored.events[0].status == "alleged"


def test_store_events_keep_the_link_to_the_first_mention(store: Store) -> None:
    text = "Rebels shelled Goma on 3 March 2023. The shelling killed four people."
    article = _article(
        text,
        published="2023-03-04",
        entities=(M23,),
        events=(
            _event(text, "shelled", type="ASSAULT", source=("e1",), date="2023-03-03"),
            _event(text, "shelling", type="ASSAULT", date="2023-03-03", same_as=0),
        ),
    )
    store.add_article(article)
    events = sorted(store.events(type="ASSAULT"), key=lambda event: event.index)
    assert [event.same_as for event in events] == [None, 0]
    stored = store.get_article(article.id)
    assert stored is not None and stored.events[1].same_as == 0


def test_store_events_refuse_a_bad_date(filled: Store) -> None:
    with pytest.raises(StoreError, match=r"\[E406\].*'last week'"):
        filled.events(since="last week")


def test_store_claims_by_actor(filled: Store) -> None:
    (claim,) = filled.claims(actor="ali nazary")
    assert claim.article_id == PANJSHIR.id
    assert claim.claimant_name == "Ali Nazary"
    assert claim.content == "the resistance had thousands of fighters ready"
    assert (claim.verification, claim.hedged, claim.stance) == ("unverified", False, "assert")
    assert filled.claims(actor="Taliban") == []
    assert len(filled.claims()) == 1


def test_store_search_full_text(filled: Store) -> None:
    hits = filled.search("advancing Panjshir")  # stems: "advancing" finds "advanced"
    assert [hit.article_id for hit in hits] == [PANJSHIR.id]
    assert hits[0].title == "Taliban advance on Panjshir"
    assert f"{HIT_START}Panjshir{HIT_END}" in hits[0].snippet
    assert [hit.article_id for hit in filled.search('"displaced families"')] == [GOMA.id]
    assert filled.search('"families displaced"') == []
    assert filled.search("Panjshir Goma") == []  # every word must appear
    assert [hit.article_id for hit in filled.search("Congo")] == [GOMA.id]
    # Punctuation and stray quotes are no syntax: read as the words they hold.
    assert [hit.article_id for hit in filled.search('Kabul" (valley ^ AND')] == [PANJSHIR.id]


def test_store_search_ranks_best_first(store: Store) -> None:
    many = _article(
        "Panjshir, Panjshir, Panjshir: the valley of Panjshir.",
        title="Panjshir again",
    )
    store.add_article(PANJSHIR)
    store.add_article(many)
    hits = store.search("Panjshir")
    assert [hit.article_id for hit in hits] == [many.id, PANJSHIR.id]
    assert [hit.rank for hit in hits] == [1, 2]
    assert hits[0].score > hits[1].score
    assert len(store.search("Panjshir", limit=1)) == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Panj*", ["panjshir"]),
        ("advan* valley", ["panjshir"]),  # a prefix of a stem
        ("Panjshir OR Goma", ["panjshir", "goma"]),
        ("hospital OR Congo", ["goma"]),
        ('"displaced families" OR Nazary', ["panjshir", "goma"]),
        ("Taliban Kabul OR Congo governor", ["panjshir", "goma"]),
        ("Taliban Congo OR Kabul governor", []),  # each side of OR needs all its words
        ("al-Kabul", []),  # a hyphenated token is a phrase: "al kabul" is in no text
        ("north-of-Kabul", ["panjshir"]),
        ("Kabul AND valley", ["panjshir"]),
    ],
)
def test_store_search_syntax(filled: Store, query: str, expected: list[str]) -> None:
    names = {PANJSHIR.id: "panjshir", GOMA.id: "goma", HISTORY.id: "history"}
    hits = filled.search(query)
    assert sorted(names[hit.article_id] for hit in hits) == sorted(expected)
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))


def test_store_search_prefix_marks_the_matched_word(filled: Store) -> None:
    (hit,) = filled.search("Panj*")
    assert f"{HIT_START}Panjshir{HIT_END}" in hit.snippet


@pytest.mark.parametrize(
    ("query", "code", "words"),
    [
        ("", "E411", "Nothing to search for"),
        ("  ...  ", "E411", "Nothing to search for"),
        ("OR Goma", "E412", "OR needs words on both sides"),
        ("Goma OR", "E412", "OR needs words on both sides"),
        ("Goma OR OR Kabul", "E412", "OR needs words on both sides"),
        ("Goma -Kabul", "E412", "excluding words"),
        ("Goma NOT Kabul", "E412", "excluding words"),
        ("*shir", "E412", "only ends a word"),
        ("Goma *", "E412", "only ends a word"),
        ("P*", "E412", "2 letters or more"),
        ("(Goma OR Kabul) valley", "E412", "parentheses"),
        (" ".join(["valley"] * (MAX_SEARCH_WORDS + 1)), "E410", "the most is 32 words"),
        ("valley " * 20_000, "E410", "the most is 32 words"),
        ("x" * 1_001, "E410", "1000 characters"),
    ],
)
def test_store_search_explains_what_it_cannot_read(
    filled: Store, query: str, code: str, words: str
) -> None:
    with pytest.raises(StoreError, match=rf"^\[{code}\]") as caught:
        filled.search(query)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "query",
    [
        "h2o",
        "x² ١٢٣ 𝔸𝔹",
        "e\u0301te café",
        "don't it's",
        "the OR a",  # only stop words on PostgreSQL
        "'; DROP TABLE articles; --",
        "a: & b | !c <-> d:A",  # tsquery syntax is read as words
        'NEAR(a b) "x" ^y {col}: z',  # FTS5 syntax too
        "\x00\x1b[31m \ud800",
        "ǅemal İstanbul ﬁre",
        "ab* OR cd*",
    ],
)
def test_store_search_reads_any_words_without_a_database_error(filled: Store, query: str) -> None:
    assert isinstance(filled.search(query), list)
    assert filled.counts()["articles"] == 3


@pytest.mark.parametrize("limit", [0, -1, 2**63, MAX_LIMIT + 1, True, 2.5, "10"])
def test_store_limit_is_checked(filled: Store, limit: object) -> None:
    for query in (filled.events, filled.claims):
        with pytest.raises(StoreError, match=r"^\[E407\].*from 1 to 1,000,000"):
            query(limit=limit)  # type: ignore[operator]
    with pytest.raises(StoreError, match=r"^\[E407\]"):
        filled.search("Goma", limit=limit)  # type: ignore[arg-type]
    with pytest.raises(StoreError, match=r"^\[E407\]"):
        list(filled.iter_articles(batch_size=limit))  # type: ignore[arg-type]


def test_store_limit_bounds_are_allowed(filled: Store) -> None:
    assert len(filled.events(limit=MAX_LIMIT)) == 4
    assert len(filled.events(limit=1)) == 1
    assert len(filled.search("Goma", limit=MAX_LIMIT)) == 1


def test_store_frames(filled: Store) -> None:
    events = filled.events_frame(country="AF")
    assert list(events["article_id"]) == [PANJSHIR.id]
    assert {"type", "source_names", "evidence", "published"} <= set(events.columns)
    articles = filled.articles_frame()
    assert list(articles["id"]) == [PANJSHIR.id, GOMA.id, HISTORY.id]
    assert "text" not in articles.columns
    assert filled.events_frame(actor="Nobody").empty


# -- corpus results --------------------------------------------------------------------------


def _corpus_results() -> tuple[list[Syndication], list[Story], list[MergedEvent]]:
    copy = Syndication(
        article=HISTORY.id,
        block=0,
        source_article=PANJSHIR.id,
        source_block=1,
        agency="AFP",
        similarity=0.92,
    )
    story = Story(
        id="story-panjshir",
        title="Taliban advance on Panjshir",
        articles=(PANJSHIR.id, HISTORY.id),
        first_seen="2021-08-24",
        last_seen="2021-08-25",
        countries=("AF",),
        actors=("GRP.TALIBAN", "GRP.NRF"),
    )
    goma_story = Story(id="story-goma", title="Goma", articles=(GOMA.id,), last_seen="2023-03-04")
    merged = MergedEvent(
        id="m1",
        type="MOBILIZE",
        source=("GRP.TALIBAN",),
        target=("GRP.NRF",),
        place="Panjshir",
        country="AF",
        date="2021-08-23",
        status="claimed",
        mentions=(
            EventMention(
                article=PANJSHIR.id,
                event=0,
                evidence=PANJSHIR.events[0].evidence,
                publisher="Desk One",
                published="2021-08-24",
            ),
        ),
        first_seen="2021-08-24",
        last_seen="2021-08-24",
        sources=1,
        conflicts=PANJSHIR.claims,
    )
    goma_event = MergedEvent(
        id="m2",
        type="ASSAULT",
        status="occurred",
        mentions=(EventMention(article=GOMA.id, event=0, evidence=GOMA.events[0].evidence),),
        first_seen="2023-03-04",
        sources=1,
    )
    return [copy], [story, goma_story], [merged, goma_event]


def test_store_corpus_results_round_trip(filled: Store) -> None:
    copies, stories, merged = _corpus_results()
    filled.replace_corpus_results(syndication=copies, stories=stories, merged=merged)
    assert filled.stories() == [stories[1], stories[0]]  # most recently active first
    assert filled.story("story-panjshir") == stories[0]
    assert filled.story("story-none") is None
    assert filled.merged_events() == merged
    assert filled.merged_events(story="story-panjshir") == [merged[0]]
    assert filled.merged_events(story="story-goma") == [merged[1]]
    assert filled.syndication() == copies
    assert filled.syndication(PANJSHIR.id) == copies  # the source of a copy
    assert filled.syndication(GOMA.id) == []
    # Replacing replaces, all of it.
    filled.replace_corpus_results(syndication=[], stories=stories[:1], merged=[])
    counts = filled.counts()
    assert (counts["syndication"], counts["stories"], counts["merged_events"]) == (0, 1, 0)
    assert filled.merged_events(story="story-panjshir") == []


def test_store_corpus_results_are_all_or_nothing(filled: Store) -> None:
    copies, stories, merged = _corpus_results()
    filled.replace_corpus_results(syndication=copies, stories=stories, merged=merged)
    unknown = Story(id="s-bad", title="Bad", articles=("no-such-article",))
    with pytest.raises(StoreError, match=r"^\[E408\].*while storing the corpus") as caught:
        filled.replace_corpus_results(syndication=[], stories=[unknown], merged=[])
    # The database's own error is no message for a user: no SQL, no parameters.
    assert "INSERT" not in str(caught.value)
    assert "no-such-article" not in str(caught.value)
    # Kept for a developer's traceback, with the parameters hidden.
    assert "parameters hidden" in str(caught.value.__cause__)
    assert filled.stories() == [stories[1], stories[0]]
    assert filled.syndication() == copies


# -- recode ----------------------------------------------------------------------------------


def test_store_recode_helpers(filled: Store) -> None:
    assert filled.stale_articles("newsdesk test 1") == []
    assert filled.stale_articles("newsdesk test 2") == [PANJSHIR.id, GOMA.id, HISTORY.id]
    first = filled.articles_frame().set_index("id").loc[PANJSHIR.id]
    recoded = PANJSHIR.model_copy(
        update={
            "extractor": "newsdesk test 2",
            "title": "Taliban mass near Panjshir",
            "events": (
                _event(PANJSHIR_TEXT, "defend", type="THREATEN", source=("e2",), target=("e1",)),
            ),
            "claims": (),
        }
    )
    filled.replace_article(recoded)
    assert filled.get_article(PANJSHIR.id) == recoded
    assert filled.stale_articles("newsdesk test 2") == [GOMA.id, HISTORY.id]
    assert [event.type for event in filled.events(actor="GRP.TALIBAN")] == ["THREATEN"]
    assert filled.events(type="MOBILIZE") == []
    assert filled.claims() == []
    assert filled.counts()["articles"] == 3
    # Where and when it was first ingested stays; the full-text index follows the new title.
    now = filled.articles_frame().set_index("id").loc[PANJSHIR.id]
    assert now["ingested_at"] == first["ingested_at"]
    assert now["recoded_at"] is not None
    (hit,) = filled.search("mass")
    assert (hit.article_id, hit.title) == (PANJSHIR.id, "Taliban mass near Panjshir")


# -- schema and migrations -------------------------------------------------------------------


def test_store_migrations_applied_once(store_url: str) -> None:
    Store(store_url).close()
    with Store(store_url) as store:
        store.add_article(GOMA)
    with Store(store_url) as store:
        assert store.has_article(GOMA.id)
    engine = _engine(store_url)
    try:
        with engine.begin() as conn:
            versions = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
            assert sorted(versions) == [migration.version for migration in migrations.MIGRATIONS]
            assert migrations.migrate(conn, url=store_url) == []
    finally:
        engine.dispose()


def test_store_schema_matches_declared_tables(store: Store, store_url: str) -> None:
    engine = _engine(store_url)
    try:
        inspector = sa.inspect(engine)
        for table in schema.metadata.sorted_tables:
            found = {column["name"] for column in inspector.get_columns(table.name)}
            assert set(table.columns.keys()) <= found, table.name
    finally:
        engine.dispose()


def test_store_refuses_a_newer_schema(store_url: str) -> None:
    Store(store_url).close()
    engine = _engine(store_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                schema.schema_version.insert().values(
                    version=migrations.LATEST + 1, name="from the future", applied_at="2099"
                )
            )
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match=r"\[E403\].*Upgrade newsdesk"):
        Store(store_url)


# -- opening ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("mysql://user@localhost/news", "E402"),
        ("sqlite://", "E402"),
        ("sqlite:///:memory:", "E402"),
        ("not a url://at all", "E402"),
    ],
)
def test_store_refuses_urls_it_cannot_open(url: str, code: str) -> None:
    with pytest.raises(StoreError, match=rf"\[{code}\]"):
        Store(url)


def test_store_says_when_it_cannot_open(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"\[E401\].*folder exists"):
        Store(tmp_path / "no" / "such" / "folder" / "store.sqlite")
    with pytest.raises(StoreError, match=r"\[E401\].*server runs"):
        Store(f"postgresql://nobody@127.0.0.1:{free_port()}/news")


def test_store_sqlite_by_url_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "by-url.sqlite"
    with Store(f"sqlite:///{path}") as store:
        store.add_article(GOMA)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(path) as store:
        assert store.has_article(GOMA.id)


# -- one writer, many readers (SQLite) ------------------------------------------------------


def test_store_sqlite_reader_reads_while_writer_writes(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with Store(path) as reader:
        reader.add_article(GOMA)
        writer = sqlite3.connect(path, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute(
                "INSERT INTO rejected (source, code, reason, at) "
                "VALUES ('x.txt', 'R101', 'The input is empty.', '2024')"
            )
            # The reader neither waits nor sees the uncommitted row.
            assert reader.counts()["rejected"] == 0
            assert [hit.article_id for hit in reader.search("Goma")] == [GOMA.id]
            # A second writer waits for the lock, then says what is going on.
            with (
                Store(path, busy_timeout=0.2) as second,
                pytest.raises(StoreError, match=r"\[E405\].*one writer at a time"),
            ):
                second.add_article(PANJSHIR)
            writer.execute("COMMIT")
        finally:
            writer.close()
        assert reader.counts()["rejected"] == 1
        assert not reader.has_article(PANJSHIR.id)


def test_store_sqlite_concurrent_reader_during_ingest(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    Store(path).close()
    articles = [_article(f"Report number {n} on the valley and its people.") for n in range(60)]

    def ingest() -> None:
        with Store(path) as writer:
            for article in articles:
                writer.add_article(article, source=f"in/{article.id}.txt")

    seen = []
    with Store(path, busy_timeout=1) as reader, ThreadPoolExecutor(1) as pool:
        ingesting = pool.submit(ingest)
        while not ingesting.done():
            seen.append(reader.counts()["articles"])
            reader.search("valley", limit=5)
        ingesting.result()  # the writer's own error, if it had one
        seen.append(reader.counts()["articles"])
    assert seen == sorted(seen)
    assert seen[-1] == len(articles)


def test_store_concurrent_ingests_of_one_folder_reject_nothing(store_url: str) -> None:
    # Two ingests of the same folder at once: whichever stores an article first adds it; the
    # other finds it already stored, which is no rejection of its input.
    Store(store_url).close()
    articles = [_article(f"Report number {n} on the valley and its people.") for n in range(30)]

    def ingest() -> list[Added]:
        with Store(store_url) as writer:
            return [writer.add_article(a, source=f"in/{a.id}.txt") for a in articles]

    with ThreadPoolExecutor(2) as pool:
        first, second = (run.result() for run in [pool.submit(ingest), pool.submit(ingest)])
    for one, other in zip(first, second, strict=True):
        assert {one, other} == {Added.NEW, Added.ALREADY_STORED}
    with Store(store_url) as store:
        assert store.rejected() == []
        assert store.counts()["articles"] == len(articles)
        assert store.known_sources() == {f"in/{a.id}.txt" for a in articles}


def test_store_concurrent_ingests_record_a_rejection_once(store_url: str) -> None:
    Store(store_url).close()
    empties = [
        Rejected(code="R101", reason="The input is empty.", source=f"in/{n}.txt") for n in range(40)
    ]

    def ingest() -> None:
        with Store(store_url) as writer:
            for rejected in empties:
                writer.add_rejected(rejected)

    with ThreadPoolExecutor(4) as pool:
        for run in [pool.submit(ingest) for _ in range(4)]:
            run.result()
    with Store(store_url) as store:
        # Each once: on PostgreSQL two writers run at once and both used to find none yet.
        assert sorted(store.rejected(), key=str) == sorted(empties, key=str)


def test_store_read_only_is_a_coded_error(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_article(GOMA, source="in/goma.txt")
    if "://" not in store_url:
        read_only = f"sqlite:///file:{store_url}?mode=ro&uri=true"
    else:
        engine = _engine(store_url)
        try:
            with engine.begin() as conn:
                name = sa.make_url(store_url).database
                conn.exec_driver_sql(
                    f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'
                )
        finally:
            engine.dispose()
        read_only = store_url
    with Store(read_only) as store:
        assert store.has_article(GOMA.id)  # reading a read-only store is fine
        assert [hit.article_id for hit in store.search("Goma")] == [GOMA.id]
        with pytest.raises(StoreError, match=r"^\[E409\].*read-only.*storing an article"):
            store.add_article(PANJSHIR, source="in/panjshir.txt")
        with pytest.raises(StoreError, match=r"^\[E409\].*storing a rejection"):
            store.add_rejected(Rejected(code="R101", reason="The input is empty.", source="x"))


def test_store_sqlite_read_only_file_not_in_wal_mode(tmp_path: Path) -> None:
    # Opening switches a store to WAL mode, which writes: on a read-only file that is E409 too.
    path = tmp_path / "old.sqlite"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    with pytest.raises(StoreError, match=r"^\[E409\].*read-only.*opening it"):
        Store(f"sqlite:///file:{path}?mode=ro&uri=true")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write a read-only file"
)
def test_store_sqlite_file_without_write_permission(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with Store(path) as store:
        store.add_article(GOMA)
    path.chmod(0o444)
    try:
        with Store(path) as store, pytest.raises(StoreError, match=r"^\[E409\]"):
            store.add_article(PANJSHIR)
    finally:
        path.chmod(0o644)


def _undo_version_9(conn: sa.Connection) -> None:
    """Make a fresh store look as it did before version 9 (the merged events' days)."""
    for index in sorted(schema.MERGED_PAGE_INDEXES):
        conn.execute(sa.text(f"DROP INDEX {index}"))
    for column in ("date_start", "date_end"):
        conn.execute(sa.text(f"ALTER TABLE merged_events DROP COLUMN {column}"))


def _undo_version_8(conn: sa.Connection) -> None:
    """Make a fresh store look as it did before version 8 (the story index and watermark)."""
    _undo_version_9(conn)
    conn.execute(sa.text("DROP INDEX ix_merged_events_story"))
    conn.execute(sa.text("ALTER TABLE merged_events DROP COLUMN story_id"))
    for column in (
        "feature_keys",
        "centroid",
        "first_day",
        "last_day",
        "countries",
        "actors",
        "incidents",
    ):
        conn.execute(sa.text(f"ALTER TABLE stories DROP COLUMN {column}"))
    for table in ("story_postings", "story_terms", "corpus_state"):
        conn.execute(sa.text(f"DROP TABLE {table}"))


def test_store_version_1_is_migrated(store_url: str) -> None:
    # A store written before article_sources existed gets it on open, its articles kept.
    with Store(store_url) as store:
        store.add_article(GOMA, source="in/goma.txt")
    engine = _engine(store_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE article_sources"))
            conn.execute(sa.text("ALTER TABLE events DROP COLUMN verification"))  # version 3
            conn.execute(sa.text("ALTER TABLE events DROP COLUMN same_as"))  # version 4
            for column in ("place_confidence", "place_reasons"):  # version 6
                conn.execute(sa.text(f"ALTER TABLE events DROP COLUMN {column}"))
            _undo_version_8(conn)
            conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version > 1))
    finally:
        engine.dispose()
    with Store(store_url) as store:
        assert store.add_article(GOMA, source="in/copy.txt") is Added.DUPLICATE
        assert store.known_sources() == {"in/goma.txt", "in/copy.txt"}


def test_store_version_2_is_migrated(store_url: str) -> None:
    # A store written before events had a verification column gets it on open, and then
    # stores and answers each event's verification.
    engine = _engine(store_url)
    try:
        with engine.begin() as conn:
            schema.schema_version.create(conn)
            for migration in migrations.MIGRATIONS[:2]:
                migration.apply(conn)
                conn.execute(
                    schema.schema_version.insert().values(
                        version=migration.version, name=migration.name, applied_at="2026"
                    )
                )
            columns = {column["name"] for column in sa.inspect(conn).get_columns("events")}
            assert "verification" not in columns
    finally:
        engine.dispose()
    with Store(store_url) as store:
        store.add_article(DISPUTED)
        assert [event.verification for event in store.events()] == ["disputed", None]


def test_store_version_3_gains_the_event_links(store_url: str) -> None:
    # A store written before events had ``same_as`` gets the column on open.
    with Store(store_url) as store:
        store.add_article(GOMA)
    engine = _engine(store_url)
    try:
        with engine.begin() as conn:
            for column in ("same_as", "place_confidence", "place_reasons"):  # versions 4, 6
                conn.execute(sa.text(f"ALTER TABLE events DROP COLUMN {column}"))
            _undo_version_8(conn)
            conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version > 3))
    finally:
        engine.dispose()
    with Store(store_url) as store:
        assert {event.same_as for event in store.events()} == {None}
        store.add_article(HISTORY)
        assert len(store.events()) == len(GOMA.events) + len(HISTORY.events)


WEEK_TEXT = "Talks resumed last week in Goma, and again on 3 March 2023."
WEEK = _article(
    WEEK_TEXT,
    published="2023-03-15",
    times=(
        TimeExpression(
            text="last week",
            evidence=_evidence(WEEK_TEXT, "last week"),
            value="2023-03-06/2023-03-12",
            precision="week",
            week="2023-W10",
        ),
        TimeExpression(
            text="3 March 2023",
            evidence=_evidence(WEEK_TEXT, "3 March 2023"),
            value="2023-03-03",
            precision="day",
        ),
    ),
)


def test_store_version_4_gains_iso_weeks(store_url: str) -> None:
    # A record stored before times carried their ISO week gets it on open; other times stay.
    with Store(store_url) as store:
        store.add_article(WEEK)
        store.add_article(GOMA)
    engine = _engine(store_url)
    try:
        with engine.begin() as conn:
            record = conn.scalar(
                sa.select(schema.articles.c.record).where(schema.articles.c.id == WEEK.id)
            )
            old = {**record, "times": [{**t, "week": None} for t in record["times"]]}
            conn.execute(
                schema.articles.update().where(schema.articles.c.id == WEEK.id).values(record=old)
            )
            # A version-4 store had neither weeks nor the place columns of version 6.
            for column in ("place_confidence", "place_reasons"):
                conn.execute(sa.text(f"ALTER TABLE events DROP COLUMN {column}"))
            _undo_version_8(conn)
            conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version > 4))
    finally:
        engine.dispose()
    with Store(store_url) as store:
        stored = store.get_article(WEEK.id)
        assert stored is not None
        assert [time.week for time in stored.times] == ["2023-W10", None]
        assert store.get_article(GOMA.id) == GOMA


def test_store_version_5_gains_the_place_reasons(store_url: str) -> None:
    # A store written before events kept their place's confidence and reasons gets the
    # columns on open; an article recoded fills them.
    with Store(store_url) as store:
        store.add_article(GOMA)
    engine = _engine(store_url)
    try:
        with engine.begin() as conn:
            for column in ("place_confidence", "place_reasons"):
                conn.execute(sa.text(f"ALTER TABLE events DROP COLUMN {column}"))
            _undo_version_8(conn)
            conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version > 5))
    finally:
        engine.dispose()
    goma = Place(
        name="Goma",
        country="CD",
        lat=-1.68,
        lon=29.22,
        confidence=0.9,
        reasons=("container:Congo", "population:670000"),
    )
    with Store(store_url) as store:
        assert {event.place_reasons for event in store.events()} == {()}
        store.replace_article(GOMA.model_copy(update={"places": (goma,)}))
        shelled = next(event for event in store.events() if event.place == "Goma")
        assert shelled.place_confidence == 0.9
        assert shelled.place_reasons == ("container:Congo", "population:670000")


# -- layers ----------------------------------------------------------------------------------


def test_store_imports_no_spacy() -> None:
    # newsdesk/__init__.py imports the pipeline, so stand in an empty package for it: what is
    # checked is the corpus store's own imports.
    code = (
        "import importlib.util, sys, types\n"
        "spec = importlib.util.find_spec('newsdesk')\n"
        "package = types.ModuleType('newsdesk')\n"
        "package.__path__ = list(spec.submodule_search_locations)\n"
        "sys.modules['newsdesk'] = package\n"
        "import newsdesk.corpus.store\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'spacy', 'thinc'}"
        " or m.startswith(('newsdesk.pipeline', 'newsdesk.stages', 'newsdesk.faces')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- pages and the read-only store (newsdesk serve) -------------------------------------------


def test_store_merged_page_filters_and_pages_in_the_database(filled: Store) -> None:
    copies, stories, merged = _corpus_results()
    filled.replace_corpus_results(syndication=copies, stories=stories, merged=merged)
    page = filled.merged_page(limit=10)
    # Newest first: Goma (dated by its first report, 2023-03-04), then Panjshir (2021-08-23).
    assert [row.id for row in page] == ["m2", "m1"]
    assert (page[1].place, page[1].country, page[1].source) == ("Panjshir", "AF", ("GRP.TALIBAN",))
    assert (page[1].reports, page[1].sources, page[1].date) == (1, 1, "2021-08-23")
    assert [row.id for row in filled.merged_page(limit=1, offset=1)] == ["m1"]
    assert filled.merged_page(limit=10, offset=2) == []
    assert [r.id for r in filled.merged_page(since="2022", limit=10)] == ["m2"]
    assert [r.id for r in filled.merged_page(until="2021-08-23", limit=10)] == ["m1"]
    assert [r.id for r in filled.merged_page(country="af", limit=10)] == ["m1"]
    assert [r.id for r in filled.merged_page(type="assault", limit=10)] == ["m2"]
    assert [r.id for r in filled.merged_page(status="claimed", limit=10)] == ["m1"]
    assert [r.id for r in filled.merged_page(actor="Taliban", limit=10)] == ["m1"]
    assert filled.merged_event("m1") == merged[0]
    assert filled.merged_event("nope") is None
    with pytest.raises(StoreError, match=r"^\[E414\]"):
        filled.merged_page(offset=-1)
    with pytest.raises(StoreError, match=r"^\[E407\]"):
        filled.merged_page(limit=0)
    with pytest.raises(StoreError, match=r"^\[E406\]"):
        filled.merged_page(since="last week")


def test_store_pages_of_articles_actors_places_claims_and_rejections(filled: Store) -> None:
    articles = filled.article_page(limit=2)
    assert [row.id for row in articles] == [PANJSHIR.id, GOMA.id]
    assert articles[0].events == len(PANJSHIR.events)
    assert [row.id for row in filled.article_page(limit=5, offset=2)] == [HISTORY.id]
    actors = filled.actor_page(limit=100)
    assert "GRP.TALIBAN" in {row.key for row in actors}
    counts = [row.articles for row in actors]
    assert counts == sorted(counts, reverse=True)
    places = filled.place_page(limit=100)
    assert {row.name for row in places} >= {"Panjshir"}
    every = filled.claims()
    assert filled.claims(limit=1, offset=1) == every[1:2]
    filled.add_rejected(Rejected(code="R101", reason="empty", source="a"))
    filled.add_rejected(Rejected(code="R101", reason="empty", source="b"))
    assert [r.source for r in filled.rejected(limit=1, offset=1)] == ["b"]


def test_store_version_8_gains_the_days_of_merged_events(store_url: str) -> None:
    with Store(store_url) as store:
        for article in (PANJSHIR, GOMA, HISTORY):
            store.add_article(article)
        copies, stories, merged = _corpus_results()
        store.replace_corpus_results(syndication=copies, stories=stories, merged=merged)
    engine = _engine(store_url)
    try:
        with engine.begin() as conn:
            _undo_version_9(conn)
            conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version > 8))
    finally:
        engine.dispose()
    with Store(store_url) as store:
        assert [r.id for r in store.merged_page(since="2022", limit=10)] == ["m2"]
        assert [r.id for r in store.merged_page(limit=10)] == ["m2", "m1"]


def test_store_read_only_refuses_every_write_in_the_database(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_article(PANJSHIR)
    with Store(store_url, read_only=True) as reader:
        assert reader.read_only
        assert reader.get_article(PANJSHIR.id) == PANJSHIR
        with pytest.raises(StoreError, match=r"^\[E409\]"):
            reader.add_article(GOMA)
        with pytest.raises(StoreError, match=r"^\[E409\]"):
            reader.add_rejected(Rejected(code="R101", reason="empty", source="x"))
        # Not even SQL that bypasses the store's methods can write.
        with pytest.raises(StoreError, match=r"^\[E409\]"), reader.transaction("a bug") as conn:
            conn.execute(schema.articles.delete())
    with Store(store_url) as store:
        assert store.has_article(PANJSHIR.id)
        assert not store.has_article(GOMA.id)


def test_store_read_only_refuses_a_store_it_would_have_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    with pytest.raises(StoreError, match=r"^\[E413\]"):
        Store(path, read_only=True)
    assert path.stat().st_size == 0
