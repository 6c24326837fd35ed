"""newsdesk_places: toponyms, geocoding in context, relative locations, on texts written here."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Span

from newsdesk import attributes
from newsdesk.data.gazetteer import GazetteerPlace, normalise_name
from newsdesk.pipeline import Analyzer, load_pipeline
from newsdesk.records import Article, Place
from newsdesk.stages.geocoding import Neighbours, Readings, _neighbourhood, _prominent
from newsdesk.stages.places import (
    _ADMIN_SUFFIX,
    PlaceResolver,
    _Cover,
    home_country,
    offset_point,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def places(nlp: Language, text: str) -> tuple[Place, ...]:
    doc = nlp(text)
    found: tuple[Place, ...] = doc._.get(attributes.PLACES)
    for place in found:
        for mention in place.mentions:
            assert doc.text[mention.start : mention.end] == mention.text
    return found


def named(found: tuple[Place, ...], name: str) -> Place:
    matches = [place for place in found if place.name == name]
    assert len(matches) == 1, [place.name for place in found]
    return matches[0]


def test_places_country_name_is_the_country(nlp: Language) -> None:
    found = places(nlp, "Aid convoys crossed from Georgia into Armenia on Monday, officials said.")
    georgia = named(found, "Georgia")
    assert (georgia.country, georgia.feature, georgia.precision) == ("GE", "country", 4)


def test_places_focus_decides_between_countries_sharing_a_name(nlp: Language) -> None:
    east = places(nlp, "Fighting flared near Goma in eastern Congo as Kinshasa sent troops.")
    west = places(nlp, "Officials in Brazzaville said floods hit the capital of Congo on Sunday.")
    assert {place.country for place in east if place.feature == "country"} == {"CD"}
    assert {place.country for place in west if place.feature == "country"} == {"CG"}


def test_places_admin_hierarchy_in_the_text(nlp: Language) -> None:
    found = places(nlp, "The factory in Springfield, Illinois, closed after the storm.")
    springfield = named(found, "Springfield")
    assert springfield.country == "US"
    assert springfield.admin1 == "Illinois"


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Kabul said the talks had failed. Later, fighting broke out in Kabul.", "Kabul", "AF"),
        ("Kenya denied that its troops had crossed the border on Sunday.", "Kenya", "KE"),
        ("Ankara warned on Friday that the truce would not hold.", "Ankara", "TR"),
    ],
)
def test_places_a_place_whose_government_speaks_is_a_place_mention(
    nlp: Language, text: str, name: str, country: str
) -> None:
    # "Kenya said": a user mapping the article expects Kenya on the map, where its government
    # is; the events stage does not take it as where anything happened.
    place = named(places(nlp, text), name)
    assert place.country == country
    assert place.mentions[0].sentence == 0
    assert place.mentions[0].role is None


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # A country named once in an international story does not pull a world city to a
        # small town of that country.
        (
            "The United States sent its top diplomat to Paris on Monday for talks with "
            "European leaders on the war.",
            "Paris",
            "FR",
        ),
        (
            "American officials said Moscow had moved more troops toward the border.",
            "Moscow",
            "RU",
        ),
        (
            "The United States will send two more warships to the Middle East, officials "
            "said on Tuesday.",
            "Middle East",
            None,
        ),
        # A region named elsewhere does not make a small town of a world city's name when
        # the world city's own country is named too.
        (
            "Australian crews in Queensland and New South Wales were joined on Friday by a "
            "pilot from Edmonton, who fought wildfires across Canada last summer.",
            "Edmonton",
            "CA",
        ),
        # A region of several countries is in focus as much as its members together.
        (
            "Drought has spread across the Sahel, aid agencies working in Mali, Niger and "
            "Burkina Faso said.",
            "Sahel",
            None,
        ),
    ],
)
def test_places_a_world_name_beats_a_small_town_of_the_focus_country(
    nlp: Language, text: str, name: str, country: str | None
) -> None:
    place = named(places(nlp, text), name)
    assert place.country == country, place.reasons


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Health officials said flu cases rose across New York state this week.", "New York"),
        ("The sick cow came from a Washington state dairy farm, inspectors said.", "Washington"),
        ("The first case was found in the state of Washington last winter.", "Washington"),
    ],
)
def test_places_a_name_called_a_state_is_the_state(nlp: Language, text: str, name: str) -> None:
    place = named(places(nlp, text), name)
    assert (place.country, place.feature) == ("US", "admin1")


@pytest.mark.parametrize(
    "text",
    [
        "Floodwaters reached the courthouse in Paris, Texas, on Sunday night.",
        "Students at the University of Idaho returned to Moscow after the winter storm.",
    ],
)
def test_places_the_text_still_gives_a_small_towns_region(nlp: Language, text: str) -> None:
    name = "Paris" if "Paris" in text else "Moscow"
    assert named(places(nlp, text), name).country == "US"


def test_places_demonyms_are_their_countries_and_tell_the_focus(nlp: Language) -> None:
    found = places(nlp, "Afghan officials met Pakistani envoys in Herat to discuss the border.")
    assert all(place.name not in {"Afghan", "Pakistani"} for place in found)
    assert named(found, "Herat").country == "AF"
    afghanistan = named(found, "Afghanistan")
    assert [(m.text, m.role) for m in afghanistan.mentions] == [("Afghan", "demonym")]


def roles_of(found: tuple[Place, ...]) -> dict[str, tuple[str | None, str | None]]:
    """Each mention's text: the country of its place and its role."""
    return {
        mention.text: (place.country, mention.role) for place in found for mention in place.mentions
    }


@pytest.mark.parametrize(
    ("text", "organisation", "place", "country"),
    [
        (
            "Officers from the Shreveport Police Department searched the house on Friday.",
            "Shreveport Police Department",
            "Shreveport",
            "US",
        ),
        (
            "The Kentucky State Police said the road would reopen by noon.",
            "Kentucky State Police",
            "Kentucky",
            "US",
        ),
        (
            "She studied soil science at Texas A&M before she came home to farm.",
            "Texas A&M",
            "Texas",
            "US",
        ),
        (
            "The Kenya Defence Forces said they had pushed the gunmen back.",
            "Kenya Defence Forces",
            "Kenya",
            "KE",
        ),
        (
            # The longest place the name starts with, not the country inside it.
            "The Mexico City Health Secretary said the clinics would stay open all week.",
            "Mexico City Health",
            "Mexico City",
            "MX",
        ),
        (
            "A professor at the University of Nairobi said the figures were sound.",
            "University of Nairobi",
            "Nairobi",
            "KE",
        ),
    ],
)
def test_places_a_place_inside_an_organisations_name_is_an_in_name_mention(
    nlp: Language, text: str, organisation: str, place: str, country: str
) -> None:
    doc = nlp(text)
    body = [entity for entity in doc._.get(attributes.ENTITIES) if entity.name == organisation]
    assert [entity.type for entity in body] == ["ORG"]
    assert body[0].mentions[0].text.endswith(organisation)  # the whole name is still its span
    found: tuple[Place, ...] = doc._.get(attributes.PLACES)
    assert roles_of(found)[place] == (country, "in_name")


@pytest.mark.parametrize(
    "text",
    [
        # Named after a family, not a town: an institution needs a big place to be read as one.
        "Researchers at Duke University ran the trial for two years.",
        # A body named by its subject: "Health" is no place, and "of Agriculture" neither.
        "The Department of Agriculture said the Health Ministry had been told.",
    ],
)
def test_places_an_organisation_built_on_no_known_place_names_none(
    nlp: Language, text: str
) -> None:
    assert places(nlp, text) == ()


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        (
            "Russian forces shelled the port overnight, and an American citizen was wounded.",
            {"Russian": ("RU", "demonym"), "American": ("US", "demonym")},
        ),
        ("Kenyan police dispersed the crowd with tear gas.", {"Kenyan": ("KE", "demonym")}),
        (
            "Two Americans were freed in a swap, the Russian foreign ministry said.",
            {"Americans": ("US", "demonym"), "Russian": ("RU", "demonym")},
        ),
    ],
)
def test_places_a_demonym_is_a_mention_of_its_country(
    nlp: Language, text: str, mentions: dict[str, tuple[str, str]]
) -> None:
    assert roles_of(places(nlp, text)) == mentions


@pytest.mark.parametrize(
    "text",
    [
        "American Airlines cancelled its flights over the Indian Ocean.",
        # A language is no people.
        "She spoke French and Arabic at the hearing in Geneva.",
    ],
)
def test_places_a_demonym_inside_another_name_or_a_language_is_no_mention(
    nlp: Language, text: str
) -> None:
    found = places(nlp, text)
    assert not any(mention.role == "demonym" for place in found for mention in place.mentions)


def test_places_a_demonym_and_a_name_of_one_country_are_one_place(nlp: Language) -> None:
    found = places(nlp, "Kenyan officials said the talks in Kenya would resume on Monday.")
    kenya = named(found, "Kenya")
    assert [(m.text, m.role) for m in kenya.mentions] == [("Kenyan", "demonym"), ("Kenya", None)]


def test_places_relative_location_of_a_named_place(nlp: Language) -> None:
    found = places(nlp, "Fighters gathered in Bamiyan, about 130 km west of Kabul, last week.")
    bamiyan = next(p for p in found if any(m.text == "Bamiyan" for m in p.mentions))
    assert bamiyan.country == "AF"
    relation = bamiyan.relative[0]
    assert (relation.relation, relation.distance, relation.unit) == ("west of", 130.0, "km")
    assert found[relation.anchor].name == "Kabul"  # type: ignore[index]


def test_places_relative_location_alone_becomes_a_place(nlp: Language) -> None:
    found = places(nlp, "Clashes broke out 40 km south of Kabul on Tuesday.")
    kabul = named(found, "Kabul")
    relative = next(place for place in found if place.feature == "relative")
    assert relative.name == "40 km south of Kabul"
    assert relative.lat is not None and kabul.lat is not None
    assert relative.lat < kabul.lat
    assert relative.precision == 2


def test_places_unknown_toponym_keeps_its_mentions_without_coordinates(nlp: Language) -> None:
    found = places(nlp, "Villagers fled from Qarwanistanabad Valley after the raid.")
    unknown = [place for place in found if place.lat is None]
    assert all(place.confidence == 0.0 for place in unknown)


def test_places_offset_point_goes_the_right_way() -> None:
    lat, lon = offset_point(34.5, 69.2, 111.32, 0.0)
    assert lat == pytest.approx(35.5, abs=0.01) and lon == pytest.approx(69.2)
    lat, lon = offset_point(0.0, 10.0, 111.32, 90.0)
    assert lat == pytest.approx(0.0) and lon == pytest.approx(11.0, abs=0.01)


def test_places_near_a_demonym_border(nlp: Language) -> None:
    found = places(nlp, "Militants attacked a post in Kunar province near the Pakistani border.")
    kunar = next(place for place in found if place.admin1 == "Kunar")
    relation = kunar.relative[0]
    assert relation.relation == "near"
    assert found[relation.anchor].country == "PK"  # type: ignore[index]
    assert relation.evidence.text == "near the Pakistani border"


def test_places_name_of_a_place_noun_is_a_place_the_gazetteer_lacks(nlp: Language) -> None:
    found = places(nlp, "Fighting was reported in the village of Qarqeenabad on Sunday.")
    village = named(found, "Qarqeenabad")
    assert village.lat is None and village.confidence == 0.0


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # Each name of a coordination, and plural place nouns.
        (
            "Militias raided the towns of Qarqeenabad and Zorbelli overnight.",
            {"Qarqeenabad", "Zorbelli"},
        ),
        (
            "Shells fell on the Qarqeenabad and Zorbelli villages overnight.",
            {"Qarqeenabad", "Zorbelli"},
        ),
        # A site or building named with its noun.
        ("Gunmen stormed the Halvorsen Museum on Friday.", {"Halvorsen Museum"}),
    ],
)
def test_places_names_governed_by_place_nouns(nlp: Language, text: str, names: set[str]) -> None:
    found = {place.name for place in places(nlp, text)}
    assert names <= found, found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A name the words after its comma describe as a place, however the parse hangs them.
        (
            "Rebels retook their stronghold of Zorbelli’, a town that had changed hands twice.",
            "Zorbelli",
        ),
        ("Aid trucks reached Qarqeenabad, a small mountain village, on Friday.", "Qarqeenabad"),
    ],
)
def test_places_a_name_described_as_a_place_after_its_comma_is_a_place(
    nlp: Language, text: str, name: str
) -> None:
    assert name in {place.name for place in places(nlp, text)}


@pytest.mark.parametrize(
    "text",
    [
        "The bill was drafted by Zorbelli, a city councilman, last year.",
        "The bill was drafted by Zorbelli, the state's governor, last year.",
        "The bill was drafted by Zorbelli, a village elder, last year.",
    ],
)
def test_places_a_name_described_as_a_person_after_its_comma_is_no_place(
    nlp: Language, text: str
) -> None:
    assert "Zorbelli" not in {place.name for place in places(nlp, text)}


def test_places_acronym_before_a_site_noun_is_its_owner_not_a_place(nlp: Language) -> None:
    found = places(nlp, "A bomb went off near the KFOR base in Qarqeenabad on Monday.")
    assert "KFOR" not in {place.name for place in found}
    assert "Qarqeenabad" in {place.name for place in found}


def test_places_name_described_by_a_relative_location_is_a_place(nlp: Language) -> None:
    found = places(nlp, "Troops entered Qarqeenabad, 60 km (37 miles) north of Kabul, on Monday.")
    town = named(found, "Qarqeenabad")
    (relation,) = town.relative
    assert relation.relation == "north of" and relation.distance == 60
    kabul = found[relation.anchor]  # type: ignore[index]
    assert kabul.name == "Kabul"
    # The gazetteer lacks the town: it is drawn where the text puts it.
    assert town.lat is not None and town.lon is not None and kabul.lat is not None
    assert town.lat - kabul.lat == pytest.approx(60 / 111.32, abs=0.01)
    assert town.lon == pytest.approx(kabul.lon, abs=0.01)
    assert (town.country, town.precision, town.gazetteer_id) == ("AF", 2, None)


@pytest.mark.parametrize(
    ("text", "located"),
    [
        # A place noun or an apposition may stand between the place and its relation.
        ("Bombs went off in the Zorbelli refugee camp near Nablus.", "Zorbelli"),
        ("Troops entered Qarqeenabad, just north of Kabul, on Monday.", "Qarqeenabad"),
        # A name further back is not what the relation describes.
        (
            "According to a source at Kandahar airport, troops took two hills near Qarqeenabad.",
            "near Qarqeenabad",
        ),
    ],
)
def test_places_relation_describes_the_place_right_before_it(
    nlp: Language, text: str, located: str
) -> None:
    found = places(nlp, text)
    assert [place.name for place in found if place.relative] == [located]


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # A particle holds a name together.
        ("They captured Mazar-e-Sharif in May.", "Mazar-e-Sharif", "AF"),
        ("Fighting in Deir ez-Zor continued overnight.", "Deir ez-Zor", "SY"),
        # The object of a verb that takes places, though NER called it an organisation.
        ("Rebels captured Birao on Tuesday.", "Birao", "CF"),
        # An English name the packages lack, added by the project.
        ("Protesters marched in Corsica on Thursday.", "Corse", "FR"),
    ],
)
def test_places_names_the_packages_read_otherwise(
    nlp: Language, text: str, name: str, country: str
) -> None:
    assert named(places(nlp, text), name).country == country


def test_places_a_direction_is_no_place_unless_a_place_noun_follows(nlp: Language) -> None:
    assert places(nlp, "Northeastern rebels attacked the convoy.") == ()
    assert named(places(nlp, "Floods hit the Western Province of Rwanda."), "Western").country


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # "X of Y" and "X in northern Y" say which X, as "X, Y" does.
        ("Floods hit the Western Province of Rwanda.", "Western", "RW"),
        ("Gunmen attacked Kano in northern Nigeria.", "Kano", "NG"),
    ],
)
def test_places_the_place_that_holds_it_decides(
    nlp: Language, text: str, name: str, country: str
) -> None:
    assert named(places(nlp, text), name).country == country


def test_places_a_reading_far_from_where_the_text_puts_it_is_dropped(nlp: Language) -> None:
    # The gazetteer knows "Taji" only as "Taiji", a town in Japan.
    taji = named(places(nlp, "A man was killed in Taji, just north of Baghdad."), "Taji")
    assert (taji.lat, taji.gazetteer_id, taji.country) == (None, None, None)
    assert taji.relative[0].anchor_text == "Baghdad"


# -- linear time: the rewritten parts read as the straightforward ones did --------------------


def _country_inside_by_every_run(resolver: PlaceResolver, span: Span) -> Span | None:
    """The reading of "a country named inside a name" that looks up every run of words."""
    best: Span | None = None
    for start in range(span.start, span.end):
        for end in range(span.end, start, -1):
            inner = span.doc[start:end]
            if inner == span or not inner.text[:1].isupper():
                continue
            if best is not None and len(inner) <= len(best):
                break
            if any(c.feature == "country" for c in resolver.gazetteer.lookup(inner.text)):
                best = inner
                break
    return best


@pytest.mark.parametrize(
    "text",
    [
        "the Ministry of Health of the People's Republic of China said",
        "New Zealand authorities said",
        "the U.S. Centers for Disease Control",
        "Reporting by Ahmed Rasheed Kabul Maria China Xy \ufffd \ufffd\ufffd Lopez Iran . . Iraq",
        "The Democratic Republic of the Congo Army and the Republic of Congo said",
    ],
)
def test_places_country_inside_a_name_as_every_run_would_find(nlp: Language, text: str) -> None:
    resolver = nlp.get_pipe("newsdesk_places")
    assert isinstance(resolver, PlaceResolver)
    doc = nlp(text)
    for start in range(len(doc)):
        for end in range(start + 1, min(len(doc), start + 12) + 1):
            span = doc[start:end]
            found = resolver._country_inside(span)
            expected = _country_inside_by_every_run(resolver, span)
            assert (found is None) == (expected is None), span.text
            if found is not None and expected is not None:
                assert (found.start, found.end) == (expected.start, expected.end), span.text


_ADMIN_SUFFIX_BEFORE = re.compile(
    r"\s+(?:province|prefecture|region|governorate|oblast|department|district|division)$",
    re.IGNORECASE,
)


@given(
    st.lists(
        st.sampled_from(["Kabul", "Nyanza", " ", "  ", "\t", "\n", "\u2003", "province", "x"]),
        max_size=12,
    ).map("".join)
)
@settings(max_examples=300, deadline=None)
def test_places_admin_suffix_removed_as_before(name: str) -> None:
    assert _ADMIN_SUFFIX.sub("", name) == _ADMIN_SUFFIX_BEFORE.sub("", name)


def _neighbourhood_pair_by_pair(candidate: GazetteerPlace, others: list[GazetteerPlace]) -> float:
    """Agreement with the other places as read before: compared with each of them."""
    name = normalise_name(candidate.name)
    score = 0.0
    for other in others:
        if other.country != candidate.country:
            continue
        holds_other = other.admin1 is not None and normalise_name(other.admin1) == name
        inside_other = other.feature == "admin1" and candidate.admin1 == other.name
        if candidate.feature == "admin1" and holds_other:
            score = max(score, 2.5)
        elif inside_other:
            score = max(score, 2.0)
        elif _prominent(candidate) and other.feature == "admin1":
            score = max(score, 1.0)
    return score


def test_places_neighbourhood_counts_as_pairs_compared(nlp: Language) -> None:
    resolver = nlp.get_pipe("newsdesk_places")
    assert isinstance(resolver, PlaceResolver)
    names = ["Ontario", "Toronto", "Riverside", "California", "New Brunswick", "Alberta"]
    names += ["Manitoba", "Kabul", "Panjshir", "Georgia", "Atlanta", "Savannah", "Washington"]
    readings = {name: resolver.gazetteer.lookup(name) for name in names}
    everyone = Readings.of(place for found in readings.values() for place in found)
    for name, found in readings.items():
        others = [place for other, more in readings.items() if other != name for place in more]
        neighbours = Neighbours(everyone, Readings.of(found))
        for candidate in found:
            assert _neighbourhood(candidate, neighbours)[0] == _neighbourhood_pair_by_pair(
                candidate, others
            ), (name, candidate.id)


@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=12),
    st.tuples(st.integers(0, 40), st.integers(0, 40)),
)
@settings(max_examples=300, deadline=None)
def test_places_cover_overlaps_as_comparing_every_range(
    ranges: list[tuple[int, int]], query: tuple[int, int]
) -> None:
    cover = _Cover(40)
    for first, last in ranges:
        cover.add(first, min(max(first, last), 40))
    start, end = query
    kept = [(first, min(max(first, last), 40)) for first, last in ranges]
    expected = any(start < other_end and other_start < end for other_start, other_end in kept)
    assert cover.overlaps(start, end) == expected


def test_places_a_list_of_towns_ner_took_for_one_organisation(nlp: Language) -> None:
    found = places(nlp, "Air raid sirens sounded across Kyiv, Kharkiv and Sumy early on Wednesday.")
    assert {place.name for place in found} == {"Kyiv", "Kharkiv", "Sumy"}
    assert all(place.country == "UA" for place in found)


def test_places_a_list_of_names_that_are_no_places_stays_out(nlp: Language) -> None:
    assert places(nlp, "Shares of Procter, Gamble and Johnson fell on Monday.") == ()


# -- homonyms: the article's own hierarchy before size ----------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "country", "admin1"),
    [
        # A state named anywhere in the story holds its town, however big the other one is.
        (
            "Flooding closed schools across Texas on Monday. In Gainesville, crews cleared "
            "fallen trees from the roads near the courthouse.",
            "Gainesville",
            "US",
            "Texas",
        ),
        (
            "A grain elevator exploded in Paris on Tuesday, Texas fire officials said.",
            "Paris",
            "US",
            "Texas",
        ),
        (
            "Fans celebrated in Manhattan after the win. Officials in Topeka and Wichita "
            "praised the team, and Kansas lawmakers passed a resolution.",
            "Manhattan",
            "US",
            "Kansas",
        ),
        (
            "Maine officials said a storm knocked out power in Portland. Residents of Bangor "
            "and Augusta also lost power.",
            "Portland",
            "US",
            "Maine",
        ),
        (
            "Ontario's premier visited London after the floods. Toronto sent crews to help.",
            "Toronto",
            "CA",
            "Ontario",
        ),
        # The state written beside the town.
        ("Students in Moscow, Idaho, held a vigil on Sunday.", "Moscow", "US", "Idaho"),
        ("A water main broke in London, Ontario, on Friday.", "London", "CA", "Ontario"),
    ],
)
def test_places_a_region_the_article_names_holds_its_homonym(
    nlp: Language, text: str, name: str, country: str, admin1: str
) -> None:
    place = named(places(nlp, text), name)
    assert (place.country, place.admin1) == (country, admin1), place.reasons
    assert any(reason.startswith(("container:", "article_region:")) for reason in place.reasons)


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # With no region named, size decides: the big Gainesville, Paris, Moscow, Portland.
        ("Students at the university in Gainesville went back to class.", "Gainesville", "US"),
        # (No "the Kremlin" here: a seat of government names its country, which then decides.)
        ("Officials said talks in Moscow would resume next week.", "Moscow", "RU"),
        ("Tourists crowded the museums of Paris on Sunday.", "Paris", "FR"),
    ],
)
def test_places_without_a_region_named_size_decides(
    nlp: Language, text: str, name: str, country: str
) -> None:
    place = named(places(nlp, text), name)
    assert place.country == country
    assert place.reasons[-1].startswith("population:")


def test_places_georgia_among_us_places_is_the_state(nlp: Language) -> None:
    text = (
        "Voters in Georgia lined up early as Atlanta and Savannah reported long queues. "
        "Officials in Alabama and Florida watched closely."
    )
    georgia = named(places(nlp, text), "Georgia")
    assert (georgia.country, georgia.feature) == ("US", "admin1")
    assert georgia.reasons == ("holds_places",)


@pytest.mark.parametrize(
    "text",
    [
        "Russian troops massed near the border with Georgia, officials in Tbilisi said.",
        "Floods hit villages in Georgia, Armenia and Azerbaijan on Friday.",
        "Aid convoys crossed from Georgia into Armenia on Monday, officials said.",
    ],
)
def test_places_georgia_in_a_caucasus_story_stays_the_country(nlp: Language, text: str) -> None:
    georgia = named(places(nlp, text), "Georgia")
    assert (georgia.country, georgia.feature, georgia.reasons) == (
        "GE",
        "country",
        ("country_name",),
    )


def test_places_states_in_a_list_are_states_not_towns_of_one_another(nlp: Language) -> None:
    # "Washington, Pennsylvania" is a town, but not in a list of states.
    text = "Cases were confirmed in Utah, Washington, Pennsylvania and Ohio this week."
    found = places(nlp, text)
    for name in ("Utah", "Washington", "Pennsylvania", "Ohio"):
        assert named(found, name).feature == "admin1", name


def test_places_readings_and_reasons_are_recorded(nlp: Language) -> None:
    text = "Flooding closed schools across Texas. In Gainesville, crews cleared the roads."
    gainesville = named(places(nlp, text), "Gainesville")
    assert gainesville.readings[0].gazetteer_id == gainesville.gazetteer_id
    assert gainesville.readings[0].reasons == gainesville.reasons
    scores = [reading.score for reading in gainesville.readings]
    assert scores == sorted(scores, reverse=True) and len(scores) > 1
    assert {reading.admin1 for reading in gainesville.readings} >= {"Texas", "Florida"}


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://www.bbc.co.uk/news/uk-123", "GB"),
        ("https://www.abc.net.au/news/2024", "AU"),
        ("cbc.ca/news", "CA"),
        ("https://apnews.com/article/x", None),
        ("https://example.tv/a", None),
        ("https://example.zz/a", None),
        (None, None),
    ],
)
def test_places_home_country_from_the_site_domain(url: str | None, country: str | None) -> None:
    assert home_country(url) == country


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        # The dateline's region holds its town, as "Gainesville, Texas" in the body would.
        (
            "GAINESVILLE, Texas (AP) — A tornado tore through the town overnight, officials "
            "said. Schools stayed closed on Tuesday.",
            "Gainesville",
            "Texas",
        ),
        (
            "PARIS, Tennessee (AP) — A tornado tore through the town overnight, officials "
            "said. Schools stayed closed on Tuesday.",
            "Paris",
            "Tennessee",
        ),
    ],
)
def test_places_the_datelines_region_holds_its_town(
    analyzer: Analyzer, text: str, name: str, admin1: str
) -> None:
    result = analyzer.analyze(text)
    assert isinstance(result, Article)
    place = named(result.places, name)
    assert (place.country, place.admin1) == ("US", admin1)
    assert [mention.role for mention in place.mentions] == ["dateline"]


def test_places_the_publishers_home_country_breaks_a_near_tie(analyzer: Analyzer) -> None:
    text = "Police closed several roads in London on Saturday after a water main broke."
    at_home = analyzer.analyze(text, url="https://www.cbc.ca/news/canada/london/roads-1.123")
    anywhere = analyzer.analyze(text)
    assert isinstance(at_home, Article) and isinstance(anywhere, Article)
    assert named(at_home.places, "London").country == "CA"
    assert "home_country:CA" in named(at_home.places, "London").reasons
    assert named(anywhere.places, "London").country == "GB"


@pytest.mark.parametrize(
    "text",
    [
        "ATLANTA (AP) — Georgia lawmakers passed a bill on Tuesday that would change how "
        "elections are run.",
        "The storm knocked out power across Georgia and South Carolina on Monday.",
    ],
)
def test_places_georgia_beside_a_us_dateline_or_state_is_the_state(
    analyzer: Analyzer, text: str
) -> None:
    result = analyzer.analyze(text)
    assert isinstance(result, Article)
    georgia = named(result.places, "Georgia")
    assert (georgia.country, georgia.feature) == ("US", "admin1")


# -- aliases with a purpose: names that are no place here, names news abbreviates -------------


@pytest.mark.parametrize(
    "text",
    [
        "Lincoln spoke to the crowd about taxes on Tuesday.",  # a surname alone
        "Toyota recalled thousands of its vans last week.",  # a carmaker
        "The MINA agency reported that the talks would resume.",  # a news agency's acronym
        "Naseri told reporters the deal was close.",  # GeoNames gives Ahvaz this old name
        "Juan Flores, a farmer, said the river rose. Flores added that the crops were lost.",
        # The person's name, shortened: not the Canadian city.
        "Lewis Hamilton won the race in the rain. Hamilton thanked his team after the finish.",
    ],
)
def test_places_surnames_brands_and_agencies_are_no_places(nlp: Language, text: str) -> None:
    assert places(nlp, text) == ()


def test_places_a_small_town_by_another_name_needs_its_country_in_the_article(
    nlp: Language,
) -> None:
    # GeoNames gives "Muja" as a name of Mga, a Russian town; nothing here is in Russia.
    found = places(nlp, "Rebels raided Muja on Sunday, the army said in a statement.")
    assert [(place.name, place.gazetteer_id) for place in found] == [("Muja", None)]


def test_places_a_surname_in_place_context_is_a_place(nlp: Language) -> None:
    found = places(nlp, "The mayor of Lincoln, Nebraska, said the roads were closed.")
    lincoln = named(found, "Lincoln")
    assert (lincoln.country, lincoln.admin1) == ("US", "Nebraska")


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("Police in Charleston, W.Va., said the bridge fell.", "Charleston", "West Virginia"),
        ("The plant in Wichita, Kan. closed on Friday.", "Wichita", "Kansas"),
        ("Schools in Lexington, Ky., opened late after the storm.", "Lexington", "Kentucky"),
        ("A fire broke out in Kamloops, B.C., on Sunday.", "Kamloops", "British Columbia"),
    ],
)
def test_places_state_and_province_abbreviations(
    nlp: Language, text: str, name: str, admin1: str
) -> None:
    found = places(nlp, text)
    assert named(found, name).admin1 == admin1
    assert any(place.feature == "admin1" and place.name == admin1 for place in found)


def test_places_counties_named_without_county(nlp: Language) -> None:
    found = places(nlp, "Rain fell across Scott and Jefferson counties in Indiana.")
    counties = {place.name: place for place in found if place.feature == "county"}
    assert set(counties) == {"Scott County", "Jefferson County"}
    assert {place.admin1 for place in counties.values()} == {"Indiana"}


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("Shelling hit the Kharkiv region overnight, officials said.", "iso2:UA-63"),
        ("Drones struck targets in Kharkiv Oblast on Monday.", "iso2:UA-63"),
        ("The governor of Kabul province said the road was open.", "iso2:AF-KAB"),
    ],
)
def test_places_a_city_name_before_region_is_the_region(
    nlp: Language, text: str, place_id: str
) -> None:
    found = places(nlp, text)
    assert [place.gazetteer_id for place in found] == [place_id]
    assert found[0].precision == 3


def test_places_the_city_itself_stays_the_city(nlp: Language) -> None:
    found = places(nlp, "Shelling hit the centre of Kharkiv overnight, officials said.")
    assert named(found, "Kharkiv").feature == "city"


@pytest.mark.parametrize(
    ("text", "name", "place_id"),
    [
        ("Fighting resumed in el-Fasher, the capital of North Darfur.", "el-Fasher", "gn:379555"),
        (
            "Tensions rose on the Korean Peninsula after the test.",
            "Korean Peninsula",
            "nd:korean-peninsula",
        ),
        ("Troops left the Soviet Union in 1991.", "Soviet Union", "nd:soviet-union"),
        ("The DPRK fired a missile toward the sea on Friday.", "DPRK", "iso:KP"),
        ("America imposed new tariffs on steel this week.", "America", "iso:US"),
        ("Tankers waited in the Gulf before the strait reopened.", "Gulf", "nd:persian-gulf"),
        ("Migrants crossed from North Africa to Italy.", "North Africa", "nd:north-africa"),
        # "sub" before a hyphen is no Arabic article: the name is still Africa.
        ("Aid workers will travel to sub-Saharan Africa next year.", "Africa", "gn:6255146"),
    ],
)
def test_places_regions_historical_states_and_variants(
    nlp: Language, text: str, name: str, place_id: str
) -> None:
    found = places(nlp, text)
    mentioned = [p for p in found if any(m.text == name for m in p.mentions)]
    assert len(mentioned) == 1, [p.name for p in found]
    assert mentioned[0].gazetteer_id == place_id


# -- names news writes: class words, seats of government, unions of states --------------------


def mentioned(found: tuple[Place, ...]) -> dict[str, tuple[str | None, str, tuple[str, ...]]]:
    return {
        place.name: (place.country, place.feature, tuple(m.text for m in place.mentions))
        for place in found
    }


def test_places_a_region_written_with_its_class_word_is_the_region(nlp: Language) -> None:
    found = mentioned(
        places(
            nlp,
            "Gunmen raided a boarding school in Zamfara State on Friday, weeks after troops "
            "were sent to Lamu County.",
        )
    )
    assert found["Zamfara"] == ("NG", "admin1", ("Zamfara State",))
    assert found["Lamu"] == ("KE", "admin1", ("Lamu County",))


def test_places_a_class_word_after_no_region_names_none(nlp: Language) -> None:
    found = places(nlp, "Islamic State fighters claimed the raid in a statement on Sunday.")
    assert not any("Islamic" in m.text for place in found for m in place.mentions)


@pytest.mark.parametrize(
    ("text", "name", "country", "feature"),
    [
        ("The Kremlin said on Monday that the talks had stalled.", "Kremlin", "RU", "site"),
        (
            "The White House announced new sanctions late on Thursday.",
            "White House",
            "US",
            "site",
        ),
        (
            "The EU imposed duties on imported steel after months of talks.",
            "European Union",
            None,
            "region",
        ),
    ],
)
def test_places_a_seat_of_government_or_union_named_as_an_actor_is_a_place(
    nlp: Language, text: str, name: str, country: str | None, feature: str
) -> None:
    place = named(places(nlp, text), name)
    assert (place.country, place.feature) == (country, feature)


def test_places_a_country_abbreviated_and_read_as_an_organisation_is_the_country(
    nlp: Language,
) -> None:
    found = places(
        nlp, "Fighting between rebels and C.A.R. forces drove thousands from their homes."
    )
    assert named(found, "Central African Republic").country == "CF"
