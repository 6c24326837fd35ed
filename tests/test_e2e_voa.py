"""The end-to-end scorer's matching rules, on small gold and prediction records written here.

No spaCy: the records are built by hand, and ``from_article`` is fed an ``Article`` record.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import e2e_voa as e2e  # noqa: E402  (benchmarks/ is not a package; its scripts import each other)
from newsdesk.records import Article, Entity, Event, Evidence, Place, Quote  # noqa: E402
from voa_gold import (  # noqa: E402
    Actor,
    GoldEvent,
    GoldPlace,
    GoldQuote,
    GoldStory,
    GoldTime,
    Story,
)

TITLE = "Rebels attack police post"


def at(word: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


SENTENCES = (
    "Rebels attacked a police post in Northtown on Monday.",
    "The governor condemned the attack and said: “We will find them.”",
    "Officials met in Southport to discuss aid.",
)
TEXT = " ".join(SENTENCES)


def sentence_of(word: str) -> tuple[int, int]:
    return sentence_at(TEXT.index(word))


def sentence_at(start: int) -> tuple[int, int]:
    for sentence in SENTENCES:
        begin = TEXT.index(sentence)
        if begin <= start < begin + len(sentence):
            return begin, begin + len(sentence)
    raise AssertionError(start)


REBELS = Actor("Rebels", (at("Rebels"),))
POST = Actor("police post", (at("police post"),))
GOVERNOR = Actor("governor", (at("governor"),))
NORTHTOWN = GoldPlace("Northtown", None, (at("Northtown"),))


def gold_event(
    event_id: str, kind: str, trigger: str, occurrence: int = 1, **fields: object
) -> GoldEvent:
    span = at(trigger, occurrence)
    values: dict[str, object] = {
        "id": event_id,
        "same_as": None,
        "type": kind,
        "trigger": span,
        "sentence": sentence_at(span[0]),
        "source": (),
        "target": (),
        "place": None,
        "date": None,
        "date_precision": None,
        "status": "occurred",
        "claimed_by": None,
    }
    values.update(fields)
    return GoldEvent(**values)  # type: ignore[arg-type]  # values of mixed types


ATTACK = gold_event(
    "e1",
    "ASSAULT",
    "attacked",
    source=(REBELS,),
    target=(POST,),
    place=NORTHTOWN,
    date="2024-05-06",
    date_precision="day",
)
CONDEMN = gold_event("e2", "ACCUSE", "condemned", source=(GOVERNOR,), target=(REBELS,))
STORY = Story("900", TITLE, TEXT, "2024-05-08 10:00:00Z", "Africa", "")
GOLD = GoldStory(
    story=STORY,
    path=Path("900.json"),
    annotation_pass=1,
    events=(ATTACK, CONDEMN),
    quotes=(GoldQuote(GOVERNOR, at("said"), at("We will find them"), "direct"),),
    times=(GoldTime(at("Monday"), "2024-05-06", "day"),),
)


def test_e2e_voa_normalise_name_drops_case_dots_possessives_and_determiners() -> None:
    assert e2e.normalise_name("the U.S.") == e2e.normalise_name("US") == "us"
    assert e2e.normalise_name("Pakistan's military") == "pakistan military"
    assert e2e.normalise_name("Al-Shabaab") == e2e.normalise_name("al Shabaab")
    assert e2e.normalise_name("The Hague") == "hague"
    assert e2e.normalise_name("A") == "a"


def test_e2e_voa_actor_matches_by_span_or_name_only() -> None:
    assert e2e.actor_matches(e2e.PredActor("the rebels", (at("Rebels"),)), REBELS)
    assert e2e.actor_matches(e2e.PredActor("the Rebels"), REBELS)
    assert not e2e.actor_matches(e2e.PredActor("insurgents", (at("Northtown"),)), REBELS)
    assert not e2e.actor_matches(e2e.PredActor(""), Actor("", ()))


def test_e2e_voa_actor_sets_strict_and_lenient() -> None:
    rebels, post = e2e.PredActor("Rebels"), e2e.PredActor("police post")
    other = e2e.PredActor("army")
    assert e2e.actors_right([], [])
    assert e2e.actors_right([rebels, post], [REBELS, POST])
    # a gold actor missed
    assert not e2e.actors_right([rebels], [REBELS, POST])
    assert e2e.actors_right([rebels], [REBELS, POST], lenient=True)
    # a predicted actor that is no gold actor
    assert not e2e.actors_right([rebels, other], [REBELS])
    assert e2e.actors_right([rebels, other], [REBELS], lenient=True)
    # something against nothing is wrong both ways
    assert not e2e.actors_right([other], [])
    assert not e2e.actors_right([other], [], lenient=True)
    assert not e2e.actors_right([], [REBELS], lenient=True)


def test_e2e_voa_null_fields_are_right_only_against_null() -> None:
    assert e2e.place_right(None, None)
    assert not e2e.place_right(e2e.PredPlace("Northtown"), None)
    assert not e2e.place_right(None, NORTHTOWN)
    assert e2e.place_right(e2e.PredPlace("Northtown"), NORTHTOWN)
    assert e2e.place_right(e2e.PredPlace("police post in Northtown", (at("Northtown"),)), NORTHTOWN)
    assert e2e.claimant_right(None, None)
    assert not e2e.claimant_right(e2e.PredActor("army"), None)


def test_e2e_voa_events_match_by_type_and_sentence_one_to_one() -> None:
    right = e2e.PredEvent("ASSAULT", at("attacked"))
    elsewhere_in_sentence = e2e.PredEvent("ASSAULT", at("police"))
    wrong_type = e2e.PredEvent("COERCE", at("attacked"))
    other_sentence = e2e.PredEvent("ASSAULT", at("attack", 2))
    predicted = [elsewhere_in_sentence, wrong_type, right, other_sentence]
    pairs = e2e.match_events([ATTACK], predicted)
    # the prediction on the gold trigger wins over the one elsewhere in the sentence
    assert pairs == [(0, 2)]
    # the nominal "attack" in the next sentence is not in e1's sentence
    assert e2e.match_events([ATTACK], [other_sentence]) == []
    assert e2e.match_events([ATTACK], [elsewhere_in_sentence]) == [(0, 0)]


def test_e2e_voa_invented_means_no_gold_event_in_the_sentence() -> None:
    gold = [ATTACK, CONDEMN]
    assert not e2e.invented(e2e.PredEvent("COERCE", at("police")), gold)
    assert e2e.invented(e2e.PredEvent("CONSULT", at("met")), gold)


def test_e2e_voa_score_counts_every_figure() -> None:
    prediction = e2e.Prediction(
        "900",
        events=(
            # found, every field right
            e2e.PredEvent(
                "ASSAULT",
                at("attacked"),
                source=(e2e.PredActor("Rebels", (at("Rebels"),)),),
                target=(e2e.PredActor("police post"),),
                place=e2e.PredPlace("Northtown", (at("Northtown"),)),
                date="2024-05-06",
            ),
            # found, the date is the publication day where the gold has none
            e2e.PredEvent(
                "ACCUSE",
                at("condemned"),
                source=(e2e.PredActor("governor", (at("governor"),)),),
                target=(e2e.PredActor("Rebels"),),
                date="2024-05-08",
            ),
            # invented: no gold event in that sentence
            e2e.PredEvent("CONSULT", at("met")),
            # wrong type in a gold sentence: not found, not invented
            e2e.PredEvent("ASSAULT", at("attack", 2)),
        ),
        quotes=(
            e2e.PredQuote(at("We will find them"), e2e.PredActor("governor")),
            e2e.PredQuote(at("discuss aid"), e2e.PredActor("Officials")),
        ),
        times=(e2e.PredTime(at("Monday"), "2024-05-06"),),
        title_events=("ASSAULT", "PROTEST"),
    )
    figures = e2e.score([GOLD], {"900": prediction}).as_dict()
    assert figures["event_recall"] == 1.0
    assert figures["event_precision"] == 0.5
    assert figures["event_f1"] == round(2 * 2 / 6, 4)
    assert figures["field_accuracy"]["source"] == 1.0
    assert figures["field_accuracy"]["date"] == 0.5
    assert figures["clean_event_share"] == 0.25
    assert figures["invented_share"] == 0.25
    assert figures["counts"]["title_events"] == 2
    assert figures["counts"]["title_events_restating"] == 1
    assert figures["quote_precision"] == 0.5
    assert figures["quote_recall"] == 1.0
    # two predicted speakers, one gold speaker, one right
    assert figures["speaker_precision"] == 0.5
    assert figures["speaker_recall"] == 1.0
    assert figures["time_f1"] == 1.0
    assert figures["time_value_accuracy"] == 1.0
    assert figures["by_type"]["ASSAULT"] == {
        "gold": 1,
        "predicted": 2,
        "found": 1,
        "recall": 1.0,
        "precision": 0.5,
    }


def test_e2e_voa_quotes_with_no_speaker_on_either_side_are_outside_speaker_figures() -> None:
    gold = GoldStory(
        STORY,
        Path("900.json"),
        1,
        (),
        (GoldQuote(None, None, at("We will find them"), "direct"),),
        (),
    )
    prediction = e2e.Prediction("900", quotes=(e2e.PredQuote(at("We will find them")),))
    counts = e2e.score([gold], {"900": prediction}).as_dict()["counts"]
    assert counts["found_quotes"] == 1
    assert counts["gold_speakers"] == counts["predicted_speakers"] == 0
    assert counts["right_speakers"] == 0


def test_e2e_voa_a_story_with_no_prediction_found_nothing() -> None:
    figures = e2e.score([GOLD], {}).as_dict()
    assert figures["event_recall"] == 0.0
    assert figures["counts"]["gold_events"] == 2
    assert figures["counts"]["predicted_events"] == 0


def test_e2e_voa_false_alarms_count_conflict_types_per_article() -> None:
    alarms = e2e.false_alarms(
        [
            [("ASSAULT", "killed"), ("AID", "donated")],
            [],
            [("PROTEST", "Protested"), ("COERCE", "quarantined"), ("ASSAULT", "killed")],
        ]
    )
    assert alarms["articles"] == 3
    assert alarms["all_events"] == 5
    assert alarms["conflict_events"] == 4
    assert alarms["conflict_events_per_article"] == round(4 / 3, 4)
    assert alarms["articles_with_conflict_event"] == 2
    assert alarms["by_type"] == {"ASSAULT": 2, "COERCE": 1, "PROTEST": 1}
    assert alarms["top_triggers"][0] == ["ASSAULT", "killed", 2]
    assert ["PROTEST", "protested", 1] in alarms["top_triggers"]


def _evidence(text: str, span: tuple[int, int]) -> Evidence:
    return Evidence(start=span[0], end=span[1], text=text[span[0] : span[1]])


def test_e2e_voa_from_article_moves_offsets_and_sets_title_events_apart() -> None:
    full = e2e.story_input(STORY)
    shift = len(TITLE) + 2

    def moved(span: tuple[int, int]) -> tuple[int, int]:
        return span[0] + shift, span[1] + shift

    title_trigger = (TITLE.index("attack"), TITLE.index("attack") + len("attack"))
    rebels = Entity(
        id="E1",
        name="Rebels",
        type="NORP",
        mentions=(_evidence(full, (0, 6)), _evidence(full, moved(at("Rebels")))),
    )
    place = Place(name="Northtown", mentions=(_evidence(full, moved(at("Northtown"))),))
    article = Article(
        id="x",
        extractor="test",
        text=full,
        entities=(rebels,),
        places=(place,),
        events=(
            Event(
                type="ASSAULT",
                trigger=_evidence(full, title_trigger),
                evidence=_evidence(full, (0, len(TITLE))),
            ),
            Event(
                type="ASSAULT",
                source=("E1",),
                place=0,
                date="2024-05-06",
                trigger=_evidence(full, moved(at("attacked"))),
                evidence=_evidence(full, moved(sentence_of("attacked"))),
            ),
        ),
        quotes=(
            Quote(
                speaker=None,
                speaker_text="The governor",
                content=_evidence(full, moved(at("We will find them"))),
                kind="direct",
            ),
        ),
    )
    prediction = e2e.from_article(article, STORY)
    assert prediction.title_events == ("ASSAULT",)
    [event] = prediction.events
    assert event.trigger == at("attacked")
    assert event.sentence == sentence_of("attacked")
    # the title mention of the entity is dropped, the body mention moved
    assert event.source == (e2e.PredActor("Rebels", (at("Rebels"),)),)
    assert event.place == e2e.PredPlace("Northtown", (at("Northtown"),))
    assert prediction.quotes == (
        e2e.PredQuote(at("We will find them"), e2e.PredActor("The governor")),
    )
    figures = e2e.score([GOLD], {"900": prediction}).as_dict()
    assert figures["counts"]["found_events"] == 1
    assert figures["field_accuracy"]["source"] == 1.0
    assert figures["field_accuracy"]["place"] == 1.0
    assert figures["speaker_recall"] == 1.0


def test_e2e_voa_from_article_refuses_a_text_that_is_not_the_story() -> None:
    article = Article(id="x", extractor="test", text=TITLE + "\n\nSomething else entirely.")
    with pytest.raises(e2e.ScorerError):
        e2e.from_article(article, STORY)


def test_e2e_voa_figures_of_stories_add_up() -> None:
    prediction = e2e.Prediction("900", events=(e2e.PredEvent("ASSAULT", at("attacked")),))
    once = e2e.score([GOLD], {"900": prediction})
    twice = e2e.score([GOLD, GOLD], {"900": prediction})
    assert twice == once + once
    assert twice.stories == 2
    assert twice.as_dict()["counts"]["found_events"] == 2
    assert twice.as_dict()["event_recall"] == once.as_dict()["event_recall"] == 0.5


def test_e2e_voa_real_events_follow_same_as_chains() -> None:
    later = gold_event("e3", "ASSAULT", "attack", 2, same_as="e1")
    last = gold_event("e4", "ASSAULT", "attack", 2, same_as="e3")
    assert e2e.real_events([ATTACK, CONDEMN, later, last]) == ["e1", "e2", "e1", "e1"]
    gold = GoldStory(STORY, Path("900.json"), 1, (ATTACK, CONDEMN, later), (), ())
    # only the repeated mention is found: its real event counts as found
    prediction = e2e.Prediction("900", events=(e2e.PredEvent("ASSAULT", at("attack", 2)),))
    figures = e2e.score([gold], {"900": prediction}).as_dict()
    assert figures["event_recall"] == round(1 / 3, 4)
    assert figures["real_event_recall"] == 0.5


def test_e2e_voa_time_values_compare_in_one_notation() -> None:
    assert e2e.same_time("2025-03-10/2025-03-16", "2025-W11")
    assert e2e.same_time("2010/2019", "2010s")
    assert e2e.same_time("2025-03-14", "2025-03-14")
    assert not e2e.same_time("2025-03-14", "2025-W11")
    assert e2e.same_time(None, None) and not e2e.same_time("2025", None)


def test_e2e_voa_an_assumed_publication_day_is_no_date() -> None:
    assumed = e2e.PredEvent(
        "ASSAULT", at("attacked"), date="2024-05-08", date_precision="published"
    )
    stated = e2e.PredEvent("ASSAULT", at("attacked"), date="2024-05-08", date_precision="day")
    no_date = gold_event("e1", "ASSAULT", "attacked")
    assert assumed.stated_date is None
    assert e2e.field_checks(assumed, no_date)["date"]
    assert not e2e.field_checks(stated, no_date)["date"]
    # against a gold date, the assumed day is a missing date, even when it is that day
    on_the_day = gold_event("e1", "ASSAULT", "attacked", date="2024-05-08", date_precision="day")
    assert not e2e.field_checks(assumed, on_the_day)["date"]
    assert e2e.date_error(assumed, on_the_day, STORY.published) == (
        "predicted publication day (assumed), gold day"
    )


@pytest.mark.parametrize(
    ("predicted", "gold", "kind"),
    [
        (None, "2024-05-06", "predicted null, gold day"),
        ("2024-05-08", None, "predicted publication day, gold null"),
        ("2024-05-07", None, "predicted day, gold null"),
        ("2024-05-08", "2024-05-06", "predicted publication day, gold day"),
        ("2024-05-07", "2024-05-06", "predicted day, gold other day"),
        ("2024-05-07", "2024-05", "predicted day, gold month"),
        ("2024", "2024-W19", "predicted year, gold interval"),
    ],
)
def test_e2e_voa_date_errors_say_what_went_wrong(
    predicted: str | None, gold: str | None, kind: str
) -> None:
    guess = e2e.PredEvent("ASSAULT", at("attacked"), date=predicted)
    event = gold_event("e1", "ASSAULT", "attacked", date=gold)
    assert e2e.date_error(guess, event, STORY.published) == kind


OFFICIALS = e2e.PredActor("Officials")


@pytest.mark.parametrize(
    ("predicted", "gold", "kind"),
    [
        ((), (REBELS,), "predicted none, gold some"),
        ((OFFICIALS,), (), "predicted some, gold none"),
        ((OFFICIALS,), (REBELS,), "wrong actor"),
        ((e2e.PredActor("Rebels"), OFFICIALS), (REBELS,), "extra actor"),
        ((e2e.PredActor("Rebels"),), (REBELS, GOVERNOR), "missing actor"),
        (
            (e2e.PredActor("Rebels"), OFFICIALS),
            (REBELS, GOVERNOR),
            "one actor right, another wrong",
        ),
    ],
)
def test_e2e_voa_actor_errors_say_what_went_wrong(
    predicted: tuple[e2e.PredActor, ...], gold: tuple[Actor, ...], kind: str
) -> None:
    assert not e2e.actors_right(predicted, gold)
    assert e2e.actors_error(predicted, gold) == kind


def test_e2e_voa_error_report_lists_every_failure_with_its_words() -> None:
    claimed = gold_event(
        "e3",
        "ASSAULT",
        "attack",
        2,
        status="alleged",
        source=(REBELS,),
        claimed_by=GOVERNOR,
    )
    gold = GoldStory(STORY, Path("900.json"), 1, (ATTACK, CONDEMN, claimed), (), ())
    prediction = e2e.Prediction(
        "900",
        events=(
            # found: no source, no place, the publication day as if the text gave it
            e2e.PredEvent(
                "ASSAULT", at("attacked"), target=(e2e.PredActor("police post"),), date="2024-05-08"
            ),
            # found: status and claimant wrong
            e2e.PredEvent("ASSAULT", at("attack", 2), source=(e2e.PredActor("Rebels"),)),
            # CONDEMN missed; another type in its sentence instead
            e2e.PredEvent("REQUEST", at("said")),
            # invented
            e2e.PredEvent("CONSULT", at("met"), sentence=sentence_of("met")),
        ),
    )
    report = e2e.error_report([gold], {"900": prediction})
    fields = report["fields"]
    assert fields["source"]["kinds"] == {"predicted none, gold some": 1}
    assert fields["target"]["wrong"] == 0
    assert fields["place"]["kinds"] == {"predicted none, gold some": 1}
    assert fields["date"]["kinds"] == {"predicted publication day, gold day": 1}
    assert fields["status"]["kinds"] == {"gold alleged, predicted occurred": 1}
    assert fields["claimed_by"]["kinds"] == {"predicted none, gold some": 1}
    [source] = fields["source"]["items"]
    assert source == {
        "story": "900",
        "field": "source",
        "kind": "predicted none, gold some",
        "type": "ASSAULT",
        "sentence": SENTENCES[0],
        "gold_trigger": "attacked",
        "predicted_trigger": "attacked",
        "gold": ["Rebels"],
        "predicted": [],
    }
    assert fields["date"]["items"][0]["predicted"] == "2024-05-08"
    assert report["missed"]["count"] == 1
    assert report["missed"]["kinds"] == {"predicted REQUEST instead": 1}
    assert report["missed"]["items"][0]["sentence"] == SENTENCES[1]
    assert report["invented"]["by_type"] == {"CONSULT": 1}
    assert report["invented"]["items"][0]["sentence"] == SENTENCES[2]
    assert report["extra"]["by_type"] == {"REQUEST": 1}
    table = e2e.format_errors(report)
    assert "gold alleged, predicted occurred" in table
    assert "gold events not found: 1; by type: ACCUSE 1" in table


def test_e2e_voa_error_report_of_a_perfect_system_is_empty() -> None:
    prediction = e2e.Prediction(
        "900",
        events=(
            e2e.PredEvent(
                "ASSAULT",
                at("attacked"),
                source=(e2e.PredActor("Rebels"),),
                target=(e2e.PredActor("police post"),),
                place=e2e.PredPlace("Northtown"),
                date="2024-05-06",
            ),
            e2e.PredEvent(
                "ACCUSE",
                at("condemned"),
                source=(e2e.PredActor("governor"),),
                target=(e2e.PredActor("Rebels"),),
            ),
        ),
    )
    report = e2e.error_report([GOLD], {"900": prediction})
    assert all(entry["wrong"] == 0 for entry in report["fields"].values())
    assert [report[s]["count"] for s in ("missed", "invented", "extra")] == [0, 0, 0]
