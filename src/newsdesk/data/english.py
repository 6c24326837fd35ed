"""The English pipeline's own vocabulary: is a word one the pipeline knows as English?

Language detection asks this of short texts that its letter statistics call another language: a
headline of names and clipped verbs ("Cyclone batters Malawi, Mozambique") reads as Tagalog to
trigrams, but every one of its words is an English word or a name the pipeline knows.

The words come from the installed spaCy pipeline itself, read from its files without loading
it: the lemmatizer's lookup tables (WordNet's English lemmas with their irregular forms and the
suffix rules that inflect them; they also hold many place names, "kenya", "mozambique") and the
strings of its vocabulary (the names it met in training, "Jude", "Ahmed"), plus spaCy's English
stop words. A pipeline without those files leaves the stop words alone: a smaller vocabulary
makes detection keep its own answer more often, never crash.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EnglishVocabulary", "english_vocabulary"]

_LOOKUPS = "lemmatizer/lookups/lookups.bin"
_STRINGS = "vocab/strings.json"
_POSSESSIVE = ("'s", "’s")


@dataclass(frozen=True)
class EnglishVocabulary:
    """English words (case-folded), lemmas with their inflection rules, and names as written."""

    words: frozenset[str]
    """Stop words, lemmas and irregular forms, case-folded."""
    lemmas: frozenset[str]
    rules: tuple[tuple[str, str], ...]
    """(suffix of an inflected form, suffix of its lemma): ("ies", "y"), ("ed", "")."""
    names: frozenset[str]
    """Capitalised strings of the pipeline's vocabulary, as written."""

    def knows(self, word: str) -> bool:
        """True when ``word`` is an English word, an inflection of one, or a known name."""
        for mark in _POSSESSIVE:
            if word.endswith(mark) and len(word) > len(mark):
                word = word[: -len(mark)]
        if word in self.names:
            return True
        folded = word.casefold()
        if folded in self.words:
            return True
        return any(
            folded.endswith(old) and folded[: len(folded) - len(old)] + new in self.lemmas
            for old, new in self.rules
            if len(folded) > len(old)
        )


def english_vocabulary(model: str) -> EnglishVocabulary:
    """The vocabulary of the spaCy pipeline ``model`` (a package name or a folder); cached."""
    return _vocabulary(model)


@functools.cache
def _vocabulary(model: str) -> EnglishVocabulary:
    from spacy.lang.en.stop_words import STOP_WORDS

    words = {word.casefold() for word in STOP_WORDS}
    lemmas: set[str] = set()
    rules: dict[tuple[str, str], None] = {}
    names: frozenset[str] = frozenset()
    folder = _model_folder(model)
    if folder is not None:
        lookups = _data_file(folder, _LOOKUPS)
        if lookups is not None:
            index, forms, suffixes = _lemma_tables(lookups)
            lemmas |= index
            words |= index | forms
            rules.update(dict.fromkeys(suffixes))
        strings = _data_file(folder, _STRINGS)
        if strings is not None:
            names = _names(json.loads(strings.read_text(encoding="utf-8")))
    return EnglishVocabulary(
        words=frozenset(words), lemmas=frozenset(lemmas), rules=tuple(rules), names=names
    )


def _model_folder(model: str) -> Path | None:
    from spacy import util

    if util.is_package(model):
        return Path(util.get_package_path(model))
    path = Path(model)
    return path if path.is_dir() else None


def _data_file(folder: Path, name: str) -> Path | None:
    """``name`` in the pipeline's folder: a package keeps its data one folder down
    (``en_core_web_sm/en_core_web_sm-3.8.0/``), a folder saved with ``nlp.to_disk`` does not."""
    if (folder / name).is_file():
        return folder / name
    return next(iter(sorted(folder.glob(f"*/{name}"))), None)


def _lemma_tables(path: Path) -> tuple[set[str], set[str], list[tuple[str, str]]]:
    from spacy.lookups import Lookups

    lookups = Lookups().from_disk(path.parent)
    index: set[str] = set()
    forms: set[str] = set()
    rules: list[tuple[str, str]] = []
    if lookups.has_table("lemma_index"):
        for entries in lookups.get_table("lemma_index").values():
            index.update(_words(entries))
    if lookups.has_table("lemma_exc"):
        for table in lookups.get_table("lemma_exc").values():
            if isinstance(table, Mapping):
                forms.update(_words(table))
    if lookups.has_table("lemma_rules"):
        for pairs in lookups.get_table("lemma_rules").values():
            rules.extend(
                (str(pair[0]), str(pair[1]))
                for pair in pairs
                if isinstance(pair, Sequence) and len(pair) == 2 and pair[0]
            )
    return index, forms, rules


def _words(entries: Iterable[object]) -> set[str]:
    # WordNet writes compounds with underscores ("street_child"); a word test never meets them.
    return {str(entry).casefold() for entry in entries if "_" not in str(entry)}


def _names(strings: object) -> frozenset[str]:
    if not isinstance(strings, list):
        return frozenset()
    return frozenset(
        item for item in strings if isinstance(item, str) and item[:1].isupper() and item.isalpha()
    )
