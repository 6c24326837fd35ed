"""newsdesk_verification: unverified, disputed and confirmed claims and events, each with the
words that say so, on sentences written for these tests."""

from __future__ import annotations

import pytest

from newsdesk.components import COMPONENTS
from newsdesk.data.lexicons import load_phrases
from newsdesk.pipeline import Analyzer
from newsdesk.records import Article, Claim, Event
from newsdesk.stages import verification

pytestmark = pytest.mark.slow

PUBLISHED = "2024-03-05"


def analyse(analyzer: Analyzer, text: str) -> Article:
    article = analyzer.analyze(text, published=PUBLISHED)
    assert isinstance(article, Article)
    for record in (*article.claims, *article.events):
        evidence = record.verification_evidence
        if evidence is not None:
            assert article.text[evidence.start : evidence.end] == evidence.text
        assert (evidence is None) == (record.verification is None)
    return article


def claim_with(article: Article, words: str) -> Claim:
    (claim,) = [claim for claim in article.claims if words in claim.content.text]
    return claim


def event_at(article: Article, trigger: str) -> Event:
    (event,) = [event for event in article.events if event.trigger.text == trigger]
    return event


def test_verification_runs_after_claims_and_events() -> None:
    assert COMPONENTS[-1] == verification.NAME
    assert COMPONENTS.index("newsdesk_events") < COMPONENTS.index(verification.NAME)


@pytest.mark.parametrize("section", ["unverified", "disputed", "confirmed", "count_nouns"])
def test_verification_cue_phrases_load(section: str) -> None:
    assert load_phrases("verification", section)


def test_verification_unverified_by_the_reporter(analyzer: Analyzer) -> None:
    article = analyse(
        analyzer,
        "The army said its jets had killed 25 militants in airstrikes near Gao. "
        "The outlet could not confirm the report.",
    )
    claim = claim_with(article, "killed 25 militants")
    assert claim.verification == "unverified"
    assert claim.verification_evidence is not None
    assert claim.verification_evidence.text == "could not confirm"
    # The event read from inside the claim is the same statement, so the same note.
    killed = event_at(article, "killed")
    assert killed.verification == "unverified"
    assert killed.verification_evidence == claim.verification_evidence


def test_verification_unverified_in_the_claims_own_sentence(analyzer: Analyzer) -> None:
    article = analyse(
        analyzer,
        "He said the group had 4,000 fighters ready for battle - although Reuters has not "
        "independently verified this claim.",
    )
    claim = claim_with(article, "4,000 fighters")
    assert claim.verification == "unverified"
    assert claim.verification_evidence is not None
    assert claim.verification_evidence.text == "has not independently verified"


def test_verification_disputed_by_a_denial_in_the_next_sentence(analyzer: Analyzer) -> None:
    article = analyse(
        analyzer,
        "The rebels say they have captured the airport. The army denied that, saying its "
        "troops still held the runway.",
    )
    claim = claim_with(article, "captured the airport")
    assert claim.verification == "disputed"
    assert claim.stance == "assert"


def test_verification_a_quoted_denial_is_a_stance_not_a_dispute(analyzer: Analyzer) -> None:
    article = analyse(analyzer, "The ministry denied that soldiers had fired on the crowd.")
    claim = claim_with(article, "fired on the crowd")
    assert claim.stance == "deny"
    assert claim.verification is None


def test_verification_note_goes_to_the_nearest_claim(analyzer: Analyzer) -> None:
    article = analyse(
        analyzer,
        "Rebel commander Adam Kolo said his fighters had shot down two army helicopters near "
        "Birao on Monday. Army spokesman Jean Mbeki said troops had killed 40 rebels in the "
        "clashes. The toll could not be independently verified.",
    )
    first = claim_with(article, "helicopters")
    second = claim_with(article, "40 rebels")
    assert first.verification is None
    assert second.verification == "unverified"
    assert second.verification_evidence is not None
    assert second.verification_evidence.text == "could not be independently verified"
    assert event_at(article, "shot down").verification is None
    assert event_at(article, "killed").verification == "unverified"


def test_verification_note_goes_to_the_claim_it_names(analyzer: Analyzer) -> None:
    # The figures are in the first claim; the nearer second claim gives none.
    article = analyse(
        analyzer,
        "A rebel spokesman said his fighters had killed 30 soldiers near Birao. "
        "The army said it still controlled the road to the airport. "
        "Both sides routinely inflate casualty figures.",
    )
    assert claim_with(article, "30 soldiers").verification == "unverified"
    assert claim_with(article, "controlled the road").verification is None


def test_verification_note_goes_to_the_claim_of_the_party_it_names(analyzer: Analyzer) -> None:
    article = analyse(
        analyzer,
        "A rebel spokesman, Adam Kolo, said his fighters had shot down an army helicopter. "
        "The army said its troops were advancing on the town of Ndele. "
        "Residents said the market had closed on Tuesday. "
        "Mr Kolo's claim could not be independently verified.",
    )
    assert claim_with(article, "shot down").verification == "unverified"
    assert claim_with(article, "market had closed").verification is None
    assert claim_with(article, "advancing").verification is None


def test_verification_disputed_by_another_partys_denial(analyzer: Analyzer) -> None:
    article = analyse(
        analyzer,
        "Rebel commander Adam Kolo said his fighters had captured the town of Birao. "
        "The army rejected the claim.",
    )
    claim = claim_with(article, "captured the town")
    assert claim.verification == "disputed"
    assert claim.verification_evidence is not None
    assert claim.verification_evidence.text == "rejected the claim"
    assert event_at(article, "captured").verification == "disputed"
    assert event_at(article, "rejected").verification is None


def test_verification_disputed_by_a_contradiction(analyzer: Analyzer) -> None:
    article = analyse(
        analyzer,
        "The Houthis said they had struck a British cargo ship in the Red Sea on Sunday. "
        "The British navy said the ship was not hit and sailed on.",
    )
    struck = event_at(article, "struck")
    assert struck.verification == "disputed"
    assert struck.verification_evidence is not None
    assert struck.verification_evidence.text == "was not hit"
    # The contradiction is a claim of its own, not disputed by itself.
    assert claim_with(article, "was not hit").verification is None


def test_verification_confirmed_by_an_independent_source(analyzer: Analyzer) -> None:
    article = analyse(
        analyzer,
        "Local officials said gunmen attacked a police station in Kano on Monday. "
        "The Nigerian police confirmed the attack.",
    )
    attacked = event_at(article, "attacked")
    assert attacked.verification == "confirmed"
    assert attacked.verification_evidence is not None
    assert attacked.verification_evidence.text == "confirmed"
    assert claim_with(article, "attacked a police station").verification == "confirmed"
    # The confirmer's own report of the attack is its claim, not a check of itself.
    assert event_at(article, "attack").verification is None


def test_verification_a_denied_event_is_disputed_by_its_denial(analyzer: Analyzer) -> None:
    article = analyse(analyzer, "The army denied shelling the village of Ndele on Tuesday.")
    shelling = event_at(article, "shelling")
    assert shelling.status == "denied"
    assert shelling.verification == "disputed"
    assert shelling.verification_evidence is not None
    assert shelling.verification_evidence.text == "denied"


@pytest.mark.parametrize(
    "text",
    [
        "Rebel commander Adam Kolo said his fighters had captured the town of Birao. "
        "Residents said the market reopened on Tuesday.",
        # A denial of something else: not the drone strike, but hitting civilians.
        "The defence ministry said its forces had struck a fuel depot with drones overnight. "
        "Moscow denies targeting civilians.",
        # An opinion or a forecast negated is no contradiction.
        "The rebels said they had captured the town of Birao. A local official said he does "
        "not believe the town will hold out for long.",
        # A relative clause's denial is about the noun it hangs on.
        "Experts said the weapons came from abroad, citing a report which the government denied.",
        # A party's own confirmation is no independent check.
        "The army said its troops had captured the town of Birao. The army later confirmed "
        "the capture.",
        # Words that only look like a note: an adjective, and a denial denied.
        "Rebels said they had attacked an army base in the disputed region of Kivu. "
        "Officials did not deny it.",
    ],
)
def test_verification_none_when_the_text_says_nothing_of_it(analyzer: Analyzer, text: str) -> None:
    article = analyse(analyzer, text)
    assert article.claims or article.events
    # A denied act is disputed by its own denial (tested above); nothing else is.
    found = [
        (record.verification, record.verification_evidence)
        for record in (*article.claims, *article.events)
        if record.verification is not None
        and not (isinstance(record, Event) and record.status == "denied")
    ]
    assert found == []
