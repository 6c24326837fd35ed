"""newsdesk_quotes: quote marks, direct/indirect/mixed quotes, speakers and channels."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from newsdesk import attributes
from newsdesk.components import register_components
from newsdesk.pipeline import load_pipeline
from newsdesk.records import Entity, Quote
from newsdesk.stages.quotes import (
    ASSIGNS,
    NAME,
    REQUIRES,
    QuoteFinder,
    find_quote_marks,
)

# -- quote marks (no spaCy) ------------------------------------------------------------------


def contents(text: str) -> list[str]:
    return [text[mark.start : mark.end] for mark in find_quote_marks(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will stay,” she said.", ["We will stay"]),
        ('"We will stay," she said.', ["We will stay"]),
        ("« Nous restons », a-t-il dit.", ["Nous restons"]),
        ("„Wir bleiben“, sagte er.", ["Wir bleiben"]),
        ("He called it ‘a disgrace’ on Monday.", ["a disgrace"]),
        ("“We stay,” she said, “and we fight.”", ["We stay", "and we fight."]),
    ],
)
def test_quotes_marks_pair(text: str, expected: list[str]) -> None:
    assert contents(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We’re sure Massoud’s men will stay.",
        "The fighters’ positions held, and the army's too.",
        "It's the commanders' view that we're safe.",
    ],
)
def test_quotes_apostrophes_are_not_quote_marks(text: str) -> None:
    assert find_quote_marks(text) == []


def test_quotes_marks_continue_into_a_reopened_paragraph() -> None:
    text = "“The road is closed.\n\n“We need help,” she said.\n\nNothing else."
    (mark,) = find_quote_marks(text)
    assert text[mark.start : mark.end] == "The road is closed.\n\n“We need help"
    assert mark.opened and mark.closed


def test_quotes_marks_end_with_an_unclosed_paragraph() -> None:
    text = "“The road is closed.\n\nThe council met on Monday."
    (mark,) = find_quote_marks(text)
    assert text[mark.start : mark.end] == "The road is closed."
    assert not mark.closed


def test_quotes_marks_read_a_glued_closing_mark_as_a_new_opening() -> None:
    text = "“We will stay.”And we will fight.”"
    assert contents(text) == ["We will stay.", "And we will fight."]


@given(st.text(alphabet="ab ,.’‘“”\"'«»„\n", max_size=80))
def test_quotes_marks_stay_inside_the_text(text: str) -> None:
    for mark in find_quote_marks(text):
        assert 0 <= mark.open <= mark.start < mark.end <= mark.close <= len(text)


# -- the component ------------------------------------------------------------------------------


def test_quotes_declares_what_it_reads_and_writes() -> None:
    assert NAME == "newsdesk_quotes"
    assert ASSIGNS[0].endswith(attributes.QUOTES)
    assert f"doc._.{attributes.ENTITIES}" in REQUIRES
    register_components()
    nlp = spacy.blank("en")
    assert isinstance(nlp.add_pipe(NAME), QuoteFinder)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="module")
def finder(nlp: Language) -> QuoteFinder:
    return QuoteFinder(nlp)


def analyse(nlp: Language, finder: QuoteFinder, text: str) -> tuple[Quote, ...]:
    doc = finder(nlp(text))
    found: tuple[Quote, ...] = doc._.get(attributes.QUOTES)
    for quote in found:
        for evidence in (quote.content, quote.cue):
            if evidence is not None:
                assert doc.text[evidence.start : evidence.end] == evidence.text
    return found


def entity_named(nlp: Language, text: str, name: str) -> Entity:
    found: tuple[Entity, ...] = nlp(text)._.get(attributes.ENTITIES)
    matches = [entity for entity in found if entity.name == name]
    assert len(matches) == 1, [entity.name for entity in found]
    return matches[0]


def only(quotes: tuple[Quote, ...]) -> Quote:
    assert len(quotes) == 1, quotes
    return quotes[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "speaker", "content", "cue"),
    [
        (
            "Karim Haidari spoke in Herat on Monday. "
            "“We will not leave the valley, whatever happens,” Mr Haidari said.",
            "Karim Haidari",
            "We will not leave the valley, whatever happens",
            "said",
        ),
        (
            "Amina Yusuf spoke in Herat on Monday. "
            "“We will not leave the valley, whatever happens,” said Ms Yusuf.",
            "Amina Yusuf",
            "We will not leave the valley, whatever happens",
            "said",
        ),
        (
            "Amina Yusuf told reporters, “The road to the city has been closed since Monday.”",
            "Amina Yusuf",
            "The road to the city has been closed since Monday.",
            "told",
        ),
    ],
)
def test_quotes_direct_with_postposed_and_preposed_cue(
    nlp: Language, finder: QuoteFinder, text: str, speaker: str, content: str, cue: str
) -> None:
    quote = only(analyse(nlp, finder, text))
    assert quote.kind == "direct"
    assert quote.content.text == content
    assert quote.cue is not None and quote.cue.text == cue
    assert quote.speaker == entity_named(nlp, text, speaker).id


@pytest.mark.slow
def test_quotes_direct_across_two_paragraphs(nlp: Language, finder: QuoteFinder) -> None:
    text = (
        "Fatima Noor Haidari, a spokeswoman for the provincial council, spoke on Monday.\n\n"
        "“The road is closed and food is running out in the city.\n\n"
        "“We need help within days, not weeks,” she said.\n\n"
        "The council meets again on Friday."
    )
    quote = only(analyse(nlp, finder, text))
    assert quote.kind == "direct"
    assert quote.content.text.startswith("The road is closed")
    assert quote.content.text.endswith("not weeks")
    assert quote.speaker == entity_named(nlp, text, "Fatima Noor Haidari").id


@pytest.mark.slow
def test_quotes_direct_without_cue_continues_the_speaker(
    nlp: Language, finder: QuoteFinder
) -> None:
    text = (
        "“The talks have failed and we will go home,” Omar Rahimi said on Monday.\n\n"
        "“Nobody in the city wants another war with the army.”"
    )
    first, second = analyse(nlp, finder, text)
    assert second.cue is None
    assert second.speaker == first.speaker == entity_named(nlp, text, "Omar Rahimi").id


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Amina Yusuf said that the army had taken the town overnight.",
        "Amina Yusuf said the army had taken the town overnight.",
        "The army had taken the town overnight, Amina Yusuf said.",
        "According to Amina Yusuf, the army had taken the town overnight.",
    ],
)
def test_quotes_indirect(nlp: Language, finder: QuoteFinder, text: str) -> None:
    quote = only(analyse(nlp, finder, text))
    assert quote.kind == "indirect"
    assert quote.content.text.removeprefix("the ").removeprefix("The ") == (
        "army had taken the town overnight"
    )
    assert quote.speaker == entity_named(nlp, text, "Amina Yusuf").id
    assert quote.cue is not None and quote.cue.text in {"said", "According to"}


@pytest.mark.slow
def test_quotes_mixed(nlp: Language, finder: QuoteFinder) -> None:
    text = "Amina Yusuf said the group had “thousands of fighters ready for the battle”."
    quote = only(analyse(nlp, finder, text))
    assert quote.kind == "mixed"
    assert quote.content.text == "the group had “thousands of fighters ready for the battle”"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "speaker", "speaker_text"),
    [
        (
            "Omar Rahimi arrived in Herat on Monday. He said the talks had failed.",
            "Omar Rahimi",
            "He",
        ),
        (
            "Omar Rahimi arrived in Herat on Monday. "
            "“The talks have failed and we will go home,” the spokesman added.",
            "Omar Rahimi",
            "the spokesman",
        ),
        (
            "“Our fighters are heading to the city,” the Taliban wrote on Tuesday.",
            "Taliban",
            "the Taliban",
        ),
    ],
)
def test_quotes_speaker_points_back(
    nlp: Language, finder: QuoteFinder, text: str, speaker: str, speaker_text: str
) -> None:
    quote = only(analyse(nlp, finder, text))
    assert quote.speaker == entity_named(nlp, text, speaker).id
    assert quote.speaker_text == speaker_text


@pytest.mark.slow
def test_quotes_speaker_named_by_what_they_are(nlp: Language, finder: QuoteFinder) -> None:
    text = "Residents said the army had taken the town overnight."
    quote = only(analyse(nlp, finder, text))
    residents = entity_named(nlp, text, "residents")
    assert (residents.type, residents.sector) == ("AGENT", "civilian")
    assert quote.speaker == residents.id
    assert quote.speaker_text == "Residents"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "channel", "outlet", "outlet_text"),
    [
        ("Omar Rahimi told Reuters that the talks had failed.", "interview", "Reuters", "Reuters"),
        (
            "Omar Rahimi told BBC Radio 4’s Today programme that the talks had failed.",
            "radio",
            "BBC",
            "BBC Radio 4’s Today programme",
        ),
        (
            "Omar Rahimi said in an interview with Reuters that the talks had failed.",
            "interview",
            "Reuters",
            "Reuters",
        ),
        ("Omar Rahimi said in a statement that the talks had failed.", "statement", None, None),
        (
            "Omar Rahimi said at a press conference that the talks had failed.",
            "press conference",
            None,
            None,
        ),
        ("Omar Rahimi posted on Facebook that the talks had failed.", "post", None, None),
        ("Omar Rahimi tweeted that the talks had failed.", "tweet", None, None),
        (
            "“The talks have failed,” the Taliban wrote on its Arabic Twitter account.",
            "tweet",
            None,
            None,
        ),
    ],
)
def test_quotes_channel_and_outlet(
    nlp: Language,
    finder: QuoteFinder,
    text: str,
    channel: str,
    outlet: str | None,
    outlet_text: str | None,
) -> None:
    quote = only(analyse(nlp, finder, text))
    assert quote.channel == channel
    expected = entity_named(nlp, text, outlet).id if outlet else None
    assert quote.outlet == expected
    assert quote.outlet_text == outlet_text


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Dozens of “volunteers” arrived in the valley on Monday.",
        "The militia moved the prisoners in the ‘humane’ manner it had promised.",
        "We’re sure Massoud’s men will stay in the valley until the spring.",
    ],
)
def test_quotes_scare_quotes_and_apostrophes_are_not_quotes(
    nlp: Language, finder: QuoteFinder, text: str
) -> None:
    assert analyse(nlp, finder, text) == ()


_WORDS = [
    "Omar",
    "Rahimi",
    "Mr",
    "he",
    "she",
    "they",
    "the",
    "spokesman",
    "Taliban",
    "said",
    "told",
    "Reuters",
    "that",
    "according",
    "to",
    "army",
    "had",
    "taken",
    "town",
    "tweeted",
    "in",
    "a",
    "statement",
    ",",
    ".",
    ":",
    "“",
    "”",
    "‘",
    "’",
    '"',
    "'",
    "we’re",
    "\n\n",
]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), max_size=40), st.booleans())
def test_quotes_evidence_is_always_exact(
    nlp: Language, finder: QuoteFinder, words: list[str], glued: bool
) -> None:
    text = ("" if glued else " ").join(words)
    analyse(nlp, finder, text)


# -- issue 13: speakers and what is not a quote ----------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "speaker_text"),
    [
        (
            "Senator Ruth Calloway filed the bill on Monday. "
            "Some state lobbyists said the bill would raise costs for farmers.",
            "Some state lobbyists",
        ),
        ("Ana Silva's husband said the doctors had not warned the family.", "Ana Silva's husband"),
        (
            "The storm hit Dayton on Monday. An official in Dayton said the pipes had burst.",
            "An official",
        ),
        (
            "Mayor Tom Reyes visited Dayton on Monday. "
            "A nurse from Dayton said the clinic had run out of beds.",
            "A nurse",
        ),
    ],
)
def test_quotes_description_is_the_speaker_text_only(
    nlp: Language, finder: QuoteFinder, text: str, speaker_text: str
) -> None:
    quote = only(analyse(nlp, finder, text))
    assert quote.speaker_text == speaker_text
    speaker = {entity.id: entity for entity in nlp(text)._.get(attributes.ENTITIES)}.get(
        quote.speaker or ""
    )
    assert speaker is None or speaker.type not in {"PERSON", "GPE", "LOC", "ORG"}


@pytest.mark.slow
def test_quotes_spokesman_for_an_organisation_speaks_for_it(
    nlp: Language, finder: QuoteFinder
) -> None:
    text = "A spokesman for the Red Cross said the camp in the valley was full."
    quote = only(analyse(nlp, finder, text))
    assert quote.speaker is not None
    assert quote.speaker_text == "A spokesman"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name", "speaker_text"),
    [
        (
            "The Riverside Post reported on Sunday that the mayor had resigned. "
            "The newspaper said the council would meet on Tuesday.",
            "Riverside Post",
            "The newspaper",
        ),
        (
            "Harlan Motors recalled 40,000 cars in March. "
            "The company said a faulty valve could cause fires.",
            "Harlan Motors",
            "The company",
        ),
    ],
)
def test_quotes_organisation_named_by_a_noun_speaks(
    nlp: Language, finder: QuoteFinder, text: str, name: str, speaker_text: str
) -> None:
    quote = analyse(nlp, finder, text)[-1]
    assert quote.speaker_text == speaker_text
    assert quote.speaker == entity_named(nlp, text, name).id


@pytest.mark.slow
def test_quotes_subheading_in_capitals_is_not_the_speaker(
    nlp: Language, finder: QuoteFinder
) -> None:
    text = "STORM DAMAGE\n\nThe mayor, Tom Reyes, said the bridge would stay closed until June."
    quote = only(analyse(nlp, finder, text))
    assert quote.speaker_text == "The mayor"
    assert quote.speaker == entity_named(nlp, text, "Tom Reyes").id


@pytest.mark.slow
def test_quotes_subheading_stays_out_of_the_content(nlp: Language, finder: QuoteFinder) -> None:
    text = 'FLOOD WARNING ISSUED\n\n"We expect the river to rise all night," said Tom Reyes.'
    quote = only(analyse(nlp, finder, text))
    assert quote.kind == "direct"
    assert quote.content.text == "We expect the river to rise all night"


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "At the rally, she dubbed him “Mister Promise Everything and Deliver Nothing” again.",
        "The stadium, nicknamed “the Concrete Cathedral of the North”, opened in 1998.",
        "Her memoir, “The Long Road Home From the Valley”, sold 20,000 copies.",
        "The film “Nights in the Old Harbour Town” opened in Dayton on Friday.",
        "Fans called the new stadium “a waste of money” within a week.",
    ],
)
def test_quotes_names_and_titles_in_quote_marks_are_not_quotes(
    nlp: Language, finder: QuoteFinder, text: str
) -> None:
    assert analyse(nlp, finder, text) == ()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Tom Reyes said the plan was “dead on arrival” and would fail in the council.",
            "the plan was “dead on arrival” and would fail in the council",
        ),
        (
            "The report said vaccines “will not be ready in time” and that hospitals would be "
            "“stretched to the limit”.",
            "vaccines “will not be ready in time” and that hospitals would be "
            "“stretched to the limit”",
        ),
        (
            "A spokesman for the water board said the pipes “are older than anyone thought”.",
            "the pipes “are older than anyone thought”",
        ),
    ],
)
def test_quotes_mixed_keeps_the_whole_reported_content(
    nlp: Language, finder: QuoteFinder, text: str, content: str
) -> None:
    quote = only(analyse(nlp, finder, text))
    assert quote.kind == "mixed"
    assert quote.content.text == content


@pytest.mark.slow
def test_quotes_report_of_a_report_is_the_inner_speakers(
    nlp: Language, finder: QuoteFinder
) -> None:
    text = (
        "Police said the liquor “may have held traces of methanol”, a local radio station reported."
    )
    quote = only(analyse(nlp, finder, text))
    assert quote.kind == "mixed"
    assert quote.speaker_text == "Police"
    assert quote.content.text == "the liquor “may have held traces of methanol”"


@pytest.mark.slow
def test_quotes_second_name_in_a_coordination_is_no_quote(
    nlp: Language, finder: QuoteFinder
) -> None:
    text = "Local papers have taken to calling the lake “the green soup” and “the lake of death”."
    assert analyse(nlp, finder, text) == ()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The Dayton Herald quoted Maria Lopez, a nurse at the county hospital, as saying, "
            "“The ward has been full since May.”",
            "Maria Lopez",
        ),
        (
            "Maria Lopez, a nurse at the county hospital, was quoted as saying that the ward "
            "had been full since May.",
            "Maria Lopez",
        ),
    ],
)
def test_quotes_speaker_the_parse_hides(
    nlp: Language, finder: QuoteFinder, text: str, speaker: str
) -> None:
    quote = only(analyse(nlp, finder, text))
    assert quote.speaker == entity_named(nlp, text, speaker).id


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("A statement from Harlan Motors said a faulty valve could cause fires.", "Harlan Motors"),
        (
            "Harlan Motors recalled 40,000 cars in March. "
            "The company's statement said a faulty valve could cause fires.",
            "Harlan Motors",
        ),
    ],
)
def test_quotes_document_speaks_for_its_author(
    nlp: Language, finder: QuoteFinder, text: str, author: str
) -> None:
    quote = analyse(nlp, finder, text)[-1]
    assert quote.speaker == entity_named(nlp, text, author).id


@pytest.mark.slow
def test_quotes_document_named_alone_has_no_author(nlp: Language, finder: QuoteFinder) -> None:
    text = (
        "The army reopened the road to Herat, according to the Ministry of Defence. "
        "A statement said 40 trucks had passed."
    )
    quote = analyse(nlp, finder, text)[-1]
    assert (quote.speaker, quote.speaker_text) == (None, "A statement")


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Help arrives “The trucks reached the camp before dawn and the families are being "
        "fed,” said Maria Lopez, the camp's coordinator.",
    ],
)
def test_quotes_run_in_subheading_before_a_quotation(
    nlp: Language, finder: QuoteFinder, text: str
) -> None:
    quote = only(analyse(nlp, finder, text))
    assert quote.kind == "direct"
    assert quote.content.text.startswith("The trucks reached")
    assert quote.speaker == entity_named(nlp, text, "Maria Lopez").id
