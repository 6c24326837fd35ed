"""The evidence invariant on pages whose captions, credits and datelines sit inside what would
otherwise be one name, quote or sentence: the NLP reads those blocks blanked out, and no
evidence may quote the blank instead of the article's own words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.pipeline import Analyzer
from newsdesk.records import Article
from test_pipeline import evidence_in

pytestmark = pytest.mark.slow

_NAMES = (
    "Ahmad Shah Massoud",
    "Ali Maisam Nazary",
    "the National Resistance Front of Afghanistan",
    "Kabul Province",
    "the United Nations Security Council",
    "New York",
    "Port Sudan",
    "3 March 2021",
    "12,000 fighters",
)
_CAPTIONS = (
    "Photo: Reuters",
    "AFP via Getty Images",
    "Ahmad Sahel Arman/AFP",
    "REUTERS/Stringer",
    "Image source, EPA",
    "Supporters gather in Kabul. Photo: AP",
    "Play Video. Duration: 8 minutes 3 seconds",
    "KABUL, Aug 24 (Reuters) -",
    "Read more: Taliban surround the valley",
)
_TITLES = (
    "Fighters mass near the valley",
    "\u201cWe will fight the Taliban in the valley",
    "Talks in New",
    "Taliban fighters head to Panjshir, Ahmad",
)
_SEPARATORS = ("", " ", "\n", "\n\n", "\n\n\n")
_QUOTES = ("", "\u201c", "\u201d", '"')


@st.composite
def _pages(draw: st.DrawFn) -> str:
    """A page of paragraphs where a caption or credit cuts a name (or a quote) in two."""
    html = draw(st.booleans())
    # A title may open a quote (or a name) that the lead goes on with: the NLP reads a full
    # stop put after the title, which is not the article's.
    title = draw(st.sampled_from(_TITLES))
    parts = [f"{title}\n\n", "Officials said on Monday that fighting went on."]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        words = draw(st.sampled_from(_NAMES)).split()
        cut = draw(st.integers(min_value=1, max_value=max(len(words) - 1, 1)))
        caption = draw(st.sampled_from(_CAPTIONS))
        before, after = draw(st.sampled_from(_SEPARATORS)), draw(st.sampled_from(_SEPARATORS))
        quote = draw(st.sampled_from(_QUOTES))
        if html:
            caption = f"</p><figure><figcaption>{caption}</figcaption></figure><p>"
        parts.append(
            f"\n\n{quote}They met {' '.join(words[:cut])}{before}{caption}{after}"
            f"{' '.join(words[cut:])} and said 12 people were killed in Kabul.{quote}"
        )
    text = "".join(parts)
    if html:
        body = text.replace("\n\n", "</p><p>")
        head = f"<html><head><title>{title}</title></head>"
        return f"{head}<body><article><p>{body}</p></article></body></html>"
    return text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pages())
def test_pipeline_evidence_is_exact_around_blanked_blocks(analyzer: Analyzer, page: str) -> None:
    result = analyzer.analyze(page)
    if isinstance(result, Article):
        for evidence in evidence_in(result):
            assert result.text[evidence.start : evidence.end] == evidence.text, evidence


def test_pipeline_quote_opened_in_the_title_quotes_only_the_article(analyzer: Analyzer) -> None:
    text = (
        "\u201cWe will fight the Taliban in the valley\n\nuntil the end of the war,\u201d Ali "
        "Nazary said on Monday in Kabul.\n\nThe talks went on, officials said."
    )
    result = analyzer.analyze(text)
    assert isinstance(result, Article)
    assert result.blocks[0].kind == "title"
    for evidence in evidence_in(result):
        assert result.text[evidence.start : evidence.end] == evidence.text, evidence
