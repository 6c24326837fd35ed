"""Vessels: ships, aircraft and vehicles the text names ("the tanker Sounion", "the USS Carney").

NER calls a ship's name a person ("Galaxy Leader"), an organisation ("Sounion") or a product
("USS Carney"), and misses it as often. What tells a vessel is how news writes it: a vessel
noun right before the name ("the cargo ship Galaxy Leader"), a ship prefix ("MV Rubymar"), or a
standing call sign ("Air Force One"). The words come from ``newsdesk/data/vessels.txt``.

Once the article has named a vessel so, every other use of the same name is that vessel too
("The Galaxy Leader's crew"). A vessel can be hit or seized; it is never a person or a place.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newsdesk.data.lexicons import load_phrases

# NER labels a vessel's name never has: a date ("the ship Tuesday"), a number, a nationality.
_NOT_NAMES = frozenset(
    {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "NORP"}
)
# The longest vessel noun, in words ("amphibious assault ship").
_LONGEST_NOUN = 3


class VesselReader:
    """Finds the vessels a Doc names; reads its word lists once."""

    def __init__(self) -> None:
        self._nouns = load_phrases("vessels", "nouns")
        self._prefixes = load_phrases("vessels", "prefixes")
        self._craft = load_phrases("vessels", "craft")

    def find(self, doc: Doc) -> list[Span]:
        """Every mention of a vessel in ``doc``, in text order, none overlapping another."""
        named: list[Span] = []
        taken: set[int] = set()
        for token in doc:
            if token.i in taken:
                continue
            span = self._named_at(token)
            if span is not None:
                named.append(span)
                taken.update(range(span.start, span.end))
        names = {tuple(t.text for t in span) for span in named}
        found = list(named)
        # "The Galaxy Leader's crew": a name the article gave a vessel is that vessel elsewhere.
        for name in names:
            for start in range(len(doc) - len(name) + 1):
                stop = start + len(name)
                if taken.isdisjoint(range(start, stop)) and _same(doc[start:stop], name):
                    found.append(doc[start:stop])
                    taken.update(range(start, stop))
        return sorted(found, key=lambda span: span.start)

    def _named_at(self, token: Token) -> Span | None:
        """The vessel whose mention starts at ``token``, if one does."""
        doc = token.doc
        for size in range(_LONGEST_NOUN, 0, -1):
            words = doc[token.i : token.i + size]
            if len(words) == size and words.text.casefold() in self._craft:
                return words if all(w.text[:1].isupper() for w in words) else None
        # "USS Carney": a ship prefix, in capitals, then the name.
        if token.text.isupper() and token.text.casefold() in self._prefixes:
            name = _name_after(doc, token.i + 1)
            return doc[token.i : name.end] if name is not None else None
        return None if token.i == 0 else self._after_noun(token)

    def _after_noun(self, token: Token) -> Span | None:
        """ "the tanker Sounion", "a container ship, the MSC Aries": the name after a vessel
        noun, when the parse links the two (not "the vessel Britain seized")."""
        doc = token.doc
        noun_end = token.i
        # ", the" between the noun and a name in apposition to it.
        if doc[noun_end - 1].lower_ == "the" and noun_end >= 2 and doc[noun_end - 2].text == ",":
            noun_end -= 2
        noun = next(
            (
                doc[noun_end - size : noun_end]
                for size in range(_LONGEST_NOUN, 0, -1)
                if noun_end - size >= 0
                and doc[noun_end - size : noun_end].text.casefold() in self._nouns
            ),
            None,
        )
        if noun is None or not (noun[-1].text.islower() or noun[-1].is_sent_start):
            return None
        name = _name_after(doc, token.i)
        if name is None:
            return None
        head = noun[-1]
        linked = head.head.i in range(name.start, name.end) or name.root.head.i == head.i
        return name if linked else None


def _name_after(doc: Doc, start: int) -> Span | None:
    """The capitalised name that starts at ``start``: its words, and the rest of an NER span
    that begins there ("Air Force One"); None when none starts there."""
    if start >= len(doc) or not doc[start].text[:1].isupper() or doc[start].ent_type_ in _NOT_NAMES:
        return None
    end = start
    while end < len(doc) and (
        doc[end].text[:1].isupper() or (doc[end].ent_iob_ == "I" and doc[end].ent_type_)
    ):
        if doc[end].ent_type_ in _NOT_NAMES or doc[end].is_punct:
            break
        end += 1
    return doc[start:end] if end > start else None


def _same(span: Span, name: tuple[str, ...]) -> bool:
    return tuple(token.text for token in span) == name
