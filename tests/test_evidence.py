"""Evidence and sentence lookup shared by the spaCy stages."""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsdesk.attributes import declare_extensions
from newsdesk.stages.evidence import evidence_at, sentence_of


def test_evidence_sentence_of_numbers_by_first_character() -> None:
    starts = [0, 10, 25]
    assert [sentence_of(starts, at) for at in (0, 9, 10, 24, 25, 99)] == [0, 0, 1, 1, 2, 2]


def test_evidence_sentence_of_is_minus_one_before_the_first_sentence() -> None:
    assert sentence_of([5, 10], 2) == -1


def test_evidence_at_quotes_the_text_and_its_sentence() -> None:
    declare_extensions()
    doc = Doc(Vocab(), words=["Rebels", "attacked", ".", "Troops", "left", "."])
    starts = [0, doc[3].idx]
    found = evidence_at(doc, doc[3].idx, doc[4].idx + len("left"), starts)
    assert (found.text, found.sentence) == ("Troops left", 1)
