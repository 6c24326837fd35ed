"""The benchmark scorers' matching rules (issue 10), on small texts written here: strict quote
speakers, PLOVER actors by span only, and the article-extraction shingle scoring."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import events_plover  # noqa: E402
import extraction_articles  # noqa: E402
import geoparse_geovirus as gv  # noqa: E402
import quotes_wikinews as qw  # noqa: E402
from quotes_gold import GoldQuote  # noqa: E402

TEXT = (
    'The World Health Organization said the risk was low. "It is under control," said '
    "John Mulangu of the Food and Agriculture Organization. He added that tests continue. "
    "Health officials said more cases were likely. The government of Peru said it would act."
)


def span(words: str, start: int = 0) -> tuple[int, int]:
    at = TEXT.index(words, start)
    return at, at + len(words)


def gold(speaker: str | None, name: str | None, content: str = "the risk was low") -> GoldQuote:
    return GoldQuote(
        article=0,
        source="",
        content=span(content),
        cue=None,
        speaker=span(speaker) if speaker else None,
        speaker_name=name,
        kind="indirect",
    )


def predicted(
    words: str | None, entity: tuple[str, ...] = (), mentions: tuple[str, ...] = ()
) -> qw.Predicted:
    return qw.Predicted(
        content=(0, 1),
        speaker_names=frozenset(name.casefold() for name in entity),
        speaker_text=words,
        entity_names=entity,
        entity_mentions=tuple(span(m) for m in mentions),
        speaker_span=span(words) if words else None,
    )


WHO = gold("World Health Organization", "World Health Organization")
MULANGU = gold("John Mulangu", "John Mulangu", "It is under control")
HE = gold("He", "John Mulangu", "tests continue")


def test_a_shared_last_word_is_not_the_same_speaker() -> None:
    fao = predicted("Food and Agriculture Organization", ("Food and Agriculture Organization",))
    assert not qw.speaker_right(WHO, TEXT, fao, [WHO])
    assert qw.speaker_right_lenient(WHO, TEXT, fao)  # what the old rule counted


def test_a_name_matches_after_case_punctuation_and_determiners() -> None:
    who = predicted("The World Health Organization", ("the World Health Organization",))
    assert qw.speaker_right(WHO, TEXT, who, [WHO])


def test_a_pronoun_is_right_only_when_it_resolves_to_the_gold_speaker() -> None:
    golds = [MULANGU, HE]
    right = predicted("He", ("Mulangu",), mentions=("He", "John Mulangu"))
    wrong = predicted("He", ("Food and Agriculture Organization",), mentions=("He",))
    # "Mulangu" is not the gold name, but the entity stands where the gold names him.
    assert qw.speaker_right(HE, TEXT, right, golds)
    assert not qw.speaker_right(HE, TEXT, wrong, golds)
    assert not qw.speaker_right(HE, TEXT, predicted("He"), golds)  # unresolved


def test_a_country_is_not_its_government() -> None:
    government = gold("government of Peru", "Government of Peru", "it would act")
    peru = predicted("Peru", ("Peru",), mentions=("Peru",))
    assert not qw.speaker_right(government, TEXT, peru, [government])
    assert qw.speaker_right_lenient(government, TEXT, peru)


def test_a_described_speaker_must_not_resolve_to_a_named_one() -> None:
    officials = gold("Health officials", None, "more cases were likely")
    assert qw.speaker_right(officials, TEXT, predicted("Health officials"), [officials])
    generic = predicted("Health officials", ("officials",), mentions=("officials",))
    assert qw.speaker_right(officials, TEXT, generic, [officials])
    named = predicted("Health officials", ("World Health Organization",))
    assert not qw.speaker_right(officials, TEXT, named, [officials])


def test_quotes_without_a_gold_speaker_stay_out_of_the_speaker_figures() -> None:
    texts = {0: TEXT}
    nobody = gold(None, None)
    match = qw.Predicted(span("the risk was low"), frozenset(), None)
    scores = qw.score_predictions(texts, [nobody], {0: [match]})
    assert scores["speaker"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert scores["no_speaker"] == {"gold": 1, "matched": 1, "matched_predicted_none": 1}
    assert scores["lenient"]["speaker_accuracy_on_matched"] == 1.0


def test_plover_code_credit_is_lenient_only() -> None:
    sentence = events_plover.Sentence(
        id="1",
        text="Hungary protested.",
        raw_type="PROTEST",
        type="PROTEST",
        mode=None,
        sources=(events_plover.GoldActor("Hungary", "HUN", None, ((0, 7),)),),
        targets=(),
        reciprocal=False,
    )
    # An actor of the right country named nowhere near the gold span.
    elsewhere = events_plover.PredActor(((8, 17),), actor="HUN.GOV", country="HUN")
    event = events_plover.PredEvent(type="PROTEST", sources=(elsewhere,))
    scores = events_plover.score_system([sentence], [[event]])
    assert scores["source"]["accuracy_top1"] == 0.0
    assert scores["source"]["lenient_accuracy_top1"] == 1.0
    on_span = events_plover.PredEvent(type="PROTEST", sources=(events_plover.PredActor(((0, 7),)),))
    assert events_plover.score_system([sentence], [[on_span]])["source"]["accuracy_top1"] == 1.0


def test_extraction_shingles_follow_the_benchmark() -> None:
    assert extraction_articles.shingles("") == {}
    assert extraction_articles.shingles("one, two!") == {("one", "two"): 1}
    assert sum(extraction_articles.shingles("a b c d e").values()) == 2
    tp, fp, fn = extraction_articles.page_counts("a b c d e", "a b c d x y")
    assert (tp, fp, fn) == pytest.approx((1 / 4, 2 / 4, 1 / 4))
    # Pages with nothing predicted count for recall only; a perfect page scores 1.
    figures = extraction_articles.metrics([(0.0, 0.0, 1.0), (1.0, 0.0, 0.0)])
    assert figures == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}


class _Regions:
    """Every gold point lies in Kenya (no reverse geocoding in a unit test)."""

    def of(self, toponym: gv.Toponym) -> tuple[str, str]:
        return "KE", "Nairobi"


def test_geovirus_unmarked_in_name_and_demonym_mentions_are_not_judged() -> None:
    text = "Kenyan police and the Nairobi County Council said roads in Nairobi were shut."
    at = text.rindex("Nairobi")
    gold = gv.Toponym(0, "Nairobi", at, at + 7, -1.29, 36.82, "Nairobi")
    article = gv.Article(0, "test", text, (gold,))
    council = text.index("Nairobi")

    def place(name: str, spans: list[tuple[int, int]], roles: list[str | None]) -> gv.Predicted:
        return gv.Predicted(name, tuple(spans), -1.29, 36.82, "KE", None, "city", 1, tuple(roles))

    nairobi = place("Nairobi", [(council, council + 7), (at, at + 7)], ["in_name", None])
    kenya = place("Kenya", [(0, 6)], ["demonym"])
    scores = gv.score_system([article], [[nairobi, kenya]], _Regions())
    assert scores["area_aware_accuracy"] == 1.0
    assert scores["toponym_precision"] == 1.0  # the two the corpus does not mark are left out
    assert scores["mentions_not_judged"] == 2
    assert scores["toponym_precision_all_roles"] == round(1 / 3, 4)
    # A plain mention that misses the gold is wrong as before.
    plain = place("Kenya", [(0, 6)], [None])
    assert gv.score_system([article], [[nairobi, plain]], _Regions())["toponym_precision"] == 0.5
