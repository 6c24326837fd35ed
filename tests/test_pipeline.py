"""The single-article path end to end: ingest, segment, spaCy, entities, Article record."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import newsdesk
from newsdesk.pipeline import Analyzer, Input, analysed_doc, analysed_text
from newsdesk.records import (
    Article,
    Block,
    BlockKind,
    Entity,
    Event,
    Evidence,
    Place,
    Quote,
    Rejected,
)

pytestmark = pytest.mark.slow


def evidence_in(record: BaseModel) -> Iterator[Evidence]:
    """Every Evidence anywhere inside a record."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, Evidence):
                yield item
            elif isinstance(item, BaseModel):
                yield from evidence_in(item)


def assert_evidence_exact(article: Article) -> int:
    count = 0
    for evidence in evidence_in(article):
        assert article.text[evidence.start : evidence.end] == evidence.text
        count += 1
    for block in article.blocks:
        assert 0 <= block.start < block.end <= len(article.text)
    return count


def entity_named(article: Article, name: str) -> Entity:
    matches = [entity for entity in article.entities if entity.name == name]
    assert matches, f"no entity named {name!r} in {[e.name for e in article.entities]}"
    assert len(matches) == 1, f"{name!r} is split over {len(matches)} entities"
    return matches[0]


def test_pipeline_analysed_text_keeps_offsets() -> None:
    text = "Title line\n\nBody one.\n\nFooter here"
    blocks = (
        Block(kind="title", start=0, end=10),
        Block(kind="body", start=12, end=21),
        Block(kind="boilerplate", start=23, end=34),
    )
    masked = analysed_text(text, blocks)
    assert len(masked) == len(text)
    assert masked[12:21] == "Body one."
    assert masked.replace("\n", " ").strip() == "Title line  Body one."
    closed = analysed_text(text, blocks, close=blocks[:1])
    assert len(closed) == len(text)
    assert closed[:12] == "Title line.\n"
    assert closed[12:] == masked[12:]


@pytest.mark.parametrize(
    ("title", "gap"),
    [
        ("Is the truce over?", "\n\n"),
        ("Talks end.", "\n\n"),
        ("Minister says “enough.”", "\n\n"),
        ("Gunmen kill 12", " "),  # no room for a full stop apart from the next word
    ],
)
def test_pipeline_analysed_text_closes_only_open_titles(title: str, gap: str) -> None:
    text = f"{title}{gap}Body one."
    blocks = (Block(kind="title", start=0, end=len(title)),)
    assert analysed_text(text, blocks, close=blocks) == analysed_text(text, blocks)


@pytest.mark.parametrize("kind", ["title", "heading"])
def test_pipeline_analysed_text_closes_a_line_before_a_single_line_break(kind: BlockKind) -> None:
    line = "Aid convoys blocked at the border"
    text = f"{line}\nThe army stopped 40 lorries on Monday."
    blocks = (
        Block(kind=kind, start=0, end=len(line)),
        Block(kind="body", start=len(line) + 1, end=len(text)),
    )
    closed = analysed_text(text, blocks, close=blocks[:1])
    assert closed == f"{line}.{text[len(line) + 1 :]}"


@pytest.mark.parametrize(
    ("title", "closed"),
    [("Gunmen kill 12 in Nigeria", True), ("Deal signed with Acme Inc", False)],
)
@pytest.mark.parametrize("kind", ["title", "heading"])
def test_pipeline_title_is_a_sentence_of_its_own(
    analyzer: Analyzer, title: str, closed: bool, kind: BlockKind
) -> None:
    body = "Gunmen killed 12 people on Tuesday."
    text = f"{title}\n\n{body}"
    blocks = (
        Block(kind=kind, start=0, end=len(title)),
        Block(kind="body", start=len(title) + 2, end=len(text)),
    )
    doc = analysed_doc(analyzer.nlp, text, blocks)
    assert (doc.text[len(title)] == ".") is closed  # "Inc." would swallow the full stop
    assert all(token.idx >= len(title) or token.idx + len(token) <= len(title) for token in doc)
    lead = next(token for token in doc if token.idx == len(title) + 2)
    assert lead.is_sent_start


def test_pipeline_demo_articles_analyse(
    analyzer: Analyzer, demo_articles: dict[str, bytes]
) -> None:
    assert len(demo_articles) >= 6
    results = list(
        analyzer.analyze_many(Input(data=data, origin=name) for name, data in demo_articles.items())
    )
    for (name, _), result in zip(demo_articles.items(), results, strict=True):
        assert isinstance(result, Article), f"{name}: {result}"
        assert result.language == "en"
        assert any(block.kind == "body" for block in result.blocks)
        assert result.entities, name
        assert assert_evidence_exact(result) > 10


def test_pipeline_analyze_many_keeps_rejections_in_place(
    analyzer: Analyzer, demo_articles: dict[str, bytes]
) -> None:
    first = next(iter(demo_articles.values()))
    results = list(analyzer.analyze_many([b"", first, "   \n ", first]))
    assert [type(result) for result in results] == [Rejected, Article, Rejected, Article]
    assert results[0].code == "R101"  # type: ignore[union-attr]
    assert results[2].code == "R102"  # type: ignore[union-attr]


def test_pipeline_analyze_raises_input_rejected() -> None:
    with pytest.raises(newsdesk.InputRejected) as info:
        newsdesk.analyze("")
    assert info.value.rejected.code == "R101"


def test_pipeline_article_id_is_stable(analyzer: Analyzer, demo_articles: dict[str, bytes]) -> None:
    data = next(iter(demo_articles.values()))
    first, second = analyzer.analyze(data), analyzer.analyze(data)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == second.id
    assert first == second


_WORDS = st.sampled_from(
    [
        "Ali Nazary",
        "Mr Nazary",
        "the Taliban",
        "the NRF",
        "National Resistance Front",
        "Kabul",
        "Reuters",
        "said",
        "told",
        "the group",
        "forces",
        "attacked",
        "head of",
        "spokesman for",
        "the army",
        ",",
        ".",
        "\u201c",
        "\u201d",
        "\n\n",
        "#Taliban",
        "’s",
        "Ahmad Massoud",
        "son of",
        "Ahmad Shah Massoud",
        "in",
        "2021",
        "UN",
        "(AFP)",
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS | st.text(min_size=1, max_size=12), min_size=20, max_size=120))
def test_pipeline_evidence_is_exact_for_generated_texts(words: list[str]) -> None:
    text = "A report from the valley says the fighting goes on. " + " ".join(words)
    result = newsdesk.pipeline._default_analyzer().analyze(text)
    if isinstance(result, Article):
        assert_evidence_exact(result)


def test_pipeline_title_is_read_and_its_capitals_name_nothing(analyzer: Analyzer) -> None:
    text = (
        "(NIGERIA) Gunmen kill 12 in Kano\n\n"
        "Gunmen killed 12 people in Kano, Nigeria, on Tuesday, police said."
    )
    article = analyzer.analyze(text)
    assert isinstance(article, Article)
    title = next(block for block in article.blocks if block.kind == "title")
    nigeria = next(
        place for place in article.places if place.country == "NG" and place.precision == 4
    )
    assert nigeria.name == "Nigeria"
    assert [mention.start < title.end for mention in nigeria.mentions] == [True, False]
    kano = next(place for place in article.places if place.name == "Kano")
    assert len(kano.mentions) == 2


def test_pipeline_headline_and_lead_name_one_agent(analyzer: Analyzer) -> None:
    """A capitalised plural opening a headline or a lead is often tagged a proper noun; it is
    still the same kind of agent."""
    text = "Gunmen kill 12 in Kano\n\nGunmen killed 12 villagers in Kano on Tuesday."
    article = analyzer.analyze(text)
    assert isinstance(article, Article)
    gunmen = [entity for entity in article.entities if entity.name.casefold() == "gunmen"]
    assert len(gunmen) == 1
    assert [mention.start for mention in gunmen[0].mentions] == [0, text.index("\n\n") + 2]


# Words a headline and its lead are made of; hypothesis strings them together.
_HEADLINE_WORDS = st.sampled_from(
    [
        "Gunmen",
        "kill",
        "attack",
        "12",
        "in",
        "Nigeria",
        "Kano",
        "U.S",
        "Inc",
        "Mr",
        "police",
        "to",
        "visit",
        "talks",
        "Taliban",
        "protesters",
        "clash",
        "“Enough”",
        "says",
        "UN",
        "?",
        ":",
    ]
)
_BODY_WORDS = st.sampled_from(
    [
        "Gunmen killed",
        "at least 12 people",
        "in the village of Kwari",
        "on Tuesday",
        ",",
        "police said",
        ".",
        "The attackers fled.",
        "Protesters marched in Kano.",
        "\n\n",
    ]
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_HEADLINE_WORDS, min_size=2, max_size=9),
    st.lists(_BODY_WORDS, min_size=3, max_size=30),
)
def test_pipeline_evidence_is_exact_with_titles(headline: list[str], body: list[str]) -> None:
    """A title read with its body: every piece of evidence quotes the article's own words, the
    full stop that closes a title for the parser included."""
    text = " ".join(headline) + "\n\nA report from the region says. " + " ".join(body)
    result = newsdesk.pipeline._default_analyzer().analyze(text)
    assert isinstance(result, Article)
    assert_evidence_exact(result)


# -- the canonical sample (../shared/samples), skipped when absent ---------------------------


@pytest.fixture(scope="module")
def sample_article(analyzer: Analyzer, sample_text: str) -> Article:
    result = analyzer.analyze(sample_text)
    assert isinstance(result, Article), result
    return result


@pytest.mark.shared
def test_pipeline_sample_metadata(sample_article: Article) -> None:
    assert sample_article.publisher == "AceNewsDesk"
    assert sample_article.published == "2021-08-24"
    assert sample_article.language == "en"
    assert "Taliban" in sample_article.hashtags


@pytest.mark.shared
def test_pipeline_sample_evidence_is_exact(sample_article: Article) -> None:
    assert assert_evidence_exact(sample_article) > 50


@pytest.mark.shared
@pytest.mark.parametrize(
    "pattern",
    [
        r"is not responsible for the content of external",  # a publisher's footer
        r"Play Video\. Duration: \d+ minutes",  # a video promo
        r"\bhere are the\b",  # a teaser pointing to other stories
        r"[”\"]\.([A-Z][a-z]+ [^\n]{0,80}?[a-z]{3}[A-Z][a-z])",  # a teaser glued to a paragraph
    ],
)
def test_pipeline_sample_junk_is_not_body(sample_article: Article, pattern: str) -> None:
    # Found by the generic shapes of such page furniture; the sample's words stay in ../shared.
    found = re.search(pattern, sample_article.text)
    assert found is not None
    at = found.start(1 if found.re.groups else 0)
    block = next(b for b in sample_article.blocks if b.start <= at < b.end)
    assert block.kind != "body"


@pytest.mark.shared
def test_pipeline_sample_captions_and_credits(sample_article: Article) -> None:
    credits = {block.credit for block in sample_article.blocks if block.kind == "caption"}
    assert {"AFP: Ahmad Sahel Arman", "Reuters: Mohammad Ismail"} <= credits
    glued = [
        block
        for block in sample_article.blocks
        if block.kind == "credit" and sample_article.text[block.start : block.end] == "Reuters"
    ]
    assert glued, "the credit glued to a caption ('ReutersAhmad Massoud ...') was not split off"


@pytest.mark.shared
def test_pipeline_sample_nazary_is_one_entity_with_role(sample_article: Article) -> None:
    nazary = entity_named(sample_article, "Ali Maisam Nazary")
    assert nazary.type == "PERSON"
    assert {"Ali Nazary", "Mr Nazary"} <= set(nazary.aliases)
    nrf = entity_named(sample_article, "National Resistance Front of Afghanistan")
    titles = {(role.title, role.of) for role in nazary.roles}
    assert ("head of foreign relations", nrf.id) in titles


@pytest.mark.shared
def test_pipeline_sample_organisations_resolved(sample_article: Article) -> None:
    taliban = entity_named(sample_article, "Taliban")
    assert any("Islamic Emirate" in alias for alias in taliban.aliases)
    nrf = entity_named(sample_article, "National Resistance Front of Afghanistan")
    assert "NRF" in nrf.aliases
    assert nrf.actor is not None
    bbc = [entity for entity in sample_article.entities if entity.name.startswith("BBC")]
    assert bbc and all(entity.outlet for entity in bbc)


@pytest.mark.shared
def test_pipeline_sample_father_and_son_stay_apart(sample_article: Article) -> None:
    son = entity_named(sample_article, "Ahmad Massoud")
    father = entity_named(sample_article, "Ahmad Shah Massoud")
    assert son.id != father.id
    assert any(role.title == "son" and role.of == father.id for role in son.roles)


@pytest.mark.shared
@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("last week", "2021-08-16/2021-08-22", "week"),
        ("two days before the September 11, 2001", "2001-09-09", "day"),
        ("25 years ago", "1996", "year"),
        ("1979 to 1989", "1979/1989", "year"),
    ],
)
def test_pipeline_sample_times(
    sample_article: Article, text: str, value: str, precision: str
) -> None:
    found = {(time.text, time.value, time.precision) for time in sample_article.times}
    assert (text, value, precision) in found


@pytest.mark.shared
@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("around 9,000 people", 9000.0, "fighters"),
        ("hundreds of Mujahideen", (200.0, 999.0), "fighters"),
        ("more than 1,000 displaced people", 1000.0, "displaced"),
        ("approximately 125 kilometres", 125.0, "km"),
    ],
)
def test_pipeline_sample_quantities(
    sample_article: Article, text: str, value: float | tuple[float, float], unit: str
) -> None:
    found = {q.evidence.text: q for q in sample_article.quantities}
    assert text in found, sorted(found)
    assert found[text].value == value
    assert found[text].unit == unit
    assert found[text].approx


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def place_named(article: Article, name: str) -> Place:
    matches = [place for place in article.places if place.name == name]
    assert len(matches) == 1, [place.name for place in article.places]
    return matches[0]


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "lat", "lon", "within_km"),
    [("Panjshir", 35.35, 69.6, 60), ("Kabul", 34.53, 69.17, 20)],
)
def test_pipeline_sample_places_geocoded(
    sample_article: Article, name: str, lat: float, lon: float, within_km: float
) -> None:
    place = place_named(sample_article, name)
    assert place.country == "AF"
    assert place.lat is not None and place.lon is not None
    assert _km(place.lat, place.lon, lat, lon) <= within_km


@pytest.mark.shared
@pytest.mark.parametrize(("name", "country"), [("Pakistan", "PK"), ("Afghanistan", "AF")])
def test_pipeline_sample_countries_at_country_precision(
    sample_article: Article, name: str, country: str
) -> None:
    place = place_named(sample_article, name)
    assert (place.country, place.precision, place.feature) == (country, 4, "country")


@pytest.mark.shared
def test_pipeline_sample_relative_location(sample_article: Article) -> None:
    panjshir = place_named(sample_article, "Panjshir")
    kabul_index = sample_article.places.index(place_named(sample_article, "Kabul"))
    relation = next(r for r in panjshir.relative if r.anchor == kabul_index)
    assert (relation.relation, relation.distance, relation.unit) == ("north of", 125.0, "km")
    assert "125 kilometres north of Kabul" in relation.evidence.text


def _speaker_quotes(article: Article, name: str) -> list[Quote]:
    entity = entity_named(article, name)
    return [quote for quote in article.quotes if quote.speaker == entity.id]


@pytest.mark.shared
def test_pipeline_sample_quotes_by_speaker(sample_article: Article) -> None:
    nazary = _speaker_quotes(sample_article, "Ali Maisam Nazary")
    assert len(nazary) >= 10
    assert any(q.channel == "radio" and "Radio 4" in (q.outlet_text or "") for q in nazary)
    taliban = _speaker_quotes(sample_article, "Taliban")
    assert any(q.channel == "tweet" and q.kind == "direct" for q in taliban)
    saleh = _speaker_quotes(sample_article, "Amrullah Saleh")
    assert any(q.channel == "tweet" and "massed forces" in q.content.text for q in saleh)


@pytest.mark.shared
def test_pipeline_sample_claims(sample_article: Article) -> None:
    nazary = entity_named(sample_article, "Ali Maisam Nazary").id
    taliban = entity_named(sample_article, "Taliban").id
    forces = next(c for c in sample_article.claims if "thousands of forces" in c.content.text)
    assert forces.claimant == nazary
    assert forces.verification == "unverified"
    assert forces.verification_evidence is not None
    assert "not independently verified" in forces.verification_evidence.text
    assert any(q.evidence.text == "thousands of forces" for q in forces.quantities)
    surrounded = next(c for c in sample_article.claims if "surrounded" in c.content.text)
    assert (surrounded.claimant, surrounded.stance) == (taliban, "assert")


def _events(article: Article, trigger: str) -> list[Event]:
    found = [event for event in article.events if event.trigger.text == trigger]
    assert found, sorted(event.trigger.text for event in article.events)
    return found


@pytest.mark.shared
def test_pipeline_sample_events(sample_article: Article) -> None:
    names = {entity.id: entity.name for entity in sample_article.entities}
    heading = _events(sample_article, "heading")[0]
    assert heading.type == "MOBILIZE"
    assert [names[s] for s in heading.source] == ["Taliban"]
    assert (heading.status, names.get(heading.claimed_by or "")) == ("claimed", "Taliban")
    assert heading.place is not None
    assert sample_article.places[heading.place].name == "Panjshir"
    assert any("hundreds" in q.evidence.text for q in heading.quantities)

    massed = _events(sample_article, "massed")[0]
    assert massed.type == "MOBILIZE"
    assert names.get(massed.claimed_by or "") == "Amrullah Saleh"

    assert _events(sample_article, "refused")[0].type == "REJECT"
    threat = _events(sample_article, "accept")[0]
    assert (threat.type, threat.status) == ("THREATEN", "conditional")
    negotiate = _events(sample_article, "negotiations")[0]
    assert (negotiate.type, negotiate.status) == ("CONSULT", "planned")
    assert _events(sample_article, "Talks")[0].type == "CONSULT"
    assassination = _events(sample_article, "assassination")[0]
    assert (assassination.type, assassination.status) == ("ASSAULT", "historical")
    assert (assassination.date or "").startswith("2001")
    assert names[assassination.target[0]] == "Ahmad Shah Massoud"


def test_pipeline_dateline_place_agency_and_clean_lead(analyzer: Analyzer) -> None:
    text = (
        "KIGALI, Rwanda - Rwanda's army said on Monday it had repelled an attack by rebels "
        "near the border with Congo, killing four fighters.\n\n"
        "JOHANNESBURG, August 7 (Xinhua) -- South African police arrested 12 people after "
        "protests in Soweto, officials said."
    )
    article = analyzer.analyze(text)
    assert isinstance(article, Article)
    assert_evidence_exact(article)
    datelines = [b for b in article.blocks if b.kind == "dateline"]
    assert [(b.place, b.credit) for b in datelines] == [
        ("KIGALI, Rwanda", None),
        ("JOHANNESBURG", "Xinhua"),
    ]
    by_role = {place.name: place for place in article.places for m in place.mentions if m.role}
    assert (by_role["Kigali"].country, by_role["Johannesburg"].country) == ("RW", "ZA")
    # The dateline is no word of the lead: it is neither an entity nor a party to an event.
    assert not any(m.start < len("KIGALI, Rwanda -") for e in article.entities for m in e.mentions)
    soweto = next(i for i, place in enumerate(article.places) if place.name == "Soweto")
    arrests = [event for event in article.events if event.type == "COERCE"]
    assert arrests and all(event.place == soweto for event in arrests)


def test_pipeline_photo_credit_is_no_party_to_the_story(analyzer: Analyzer) -> None:
    text = (
        "Militants attacked an army base in the north of the country overnight.\n"
        "The attack was claimed by a local armed group on social media.\n"
        "(Jane Doe/iStock by Getty Images)"
    )
    article = analyzer.analyze(text)
    assert isinstance(article, Article)
    assert [b.kind for b in article.blocks] == ["body", "body", "credit"]
    credit_start = text.index("(Jane")
    for entity in article.entities:
        assert all(m.start < credit_start for m in entity.mentions), entity.name


def test_pipeline_headline_over_one_line_break_and_subheads_are_analysed(
    analyzer: Analyzer,
) -> None:
    text = (
        "Gunmen kill 12 in northern village\n"
        "Gunmen killed at least 12 people in a village in northern Nigeria on Tuesday, "
        "police said.\n\n"
        "Residents said the attackers arrived on motorcycles at night.\n\n"
        "Airstrikes kill 50 militants\n\n"
        "The air force said its jets had hit camps near the border on Wednesday.\n\n"
        "Related\n\n"
        "Aid groups said the fighting had kept food from reaching the town."
    )
    article = analyzer.analyze(text)
    assert isinstance(article, Article)
    assert_evidence_exact(article)
    kinds = [(b.kind, text[b.start : b.end]) for b in article.blocks]
    assert kinds[0] == ("title", "Gunmen kill 12 in northern village")
    assert ("heading", "Airstrikes kill 50 militants") in kinds
    assert ("teaser", "Related") in kinds
    # The headline's event is merged with the lead's; the subhead's is a body event of its own,
    # in a sentence of its own.
    lead = _events(article, "killed")[0]
    assert lead.headline_trigger is not None and lead.headline_trigger.text == "kill"
    heading_start = text.index("Airstrikes")
    in_heading = [e for e in article.events if e.trigger.start >= heading_start]
    subhead = next(e for e in in_heading if e.trigger.text == "kill")
    assert (subhead.type, subhead.headline) == ("ASSAULT", False)
    assert subhead.evidence.text == "Airstrikes kill 50 militants"
