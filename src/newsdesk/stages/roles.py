"""Roles people hold, read from the parse for the entities stage.

"Ali Nazary, head of foreign relations for the NRF" (apposition), "Amrullah Saleh, who was
vice-president" (relative clause), "the NRF, which was founded by Ahmad Massoud" (a verb of
leadership). Works on the entities stage's mentions through :class:`MentionView`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from spacy.tokens import Doc, Span, Token

from newsdesk.attributes import text_of

# Verbs whose passive agent or subject holds a role in the organisation ("founded by X").
_LEADERSHIP_VERBS = {
    "found": "founder",
    "establish": "founder",
    "lead": "leader",
    "head": "head",
    "command": "commander",
}
_TITLE_STOP_PREPOSITIONS = frozenset({"of", "for", "at", "with"})


class MentionView(Protocol):
    """What role finding needs to know of a mention."""

    span: Span
    label: str
    honorific: bool
    group_noun: bool


def is_person(mention: MentionView) -> bool:
    return mention.label == "PERSON" or mention.honorific


@dataclass(frozen=True)
class RoleFinding:
    """A title found for a person's mention, and the organisation it is of, if named."""

    person: int
    """Index of the person's mention."""
    title: str
    title_start: int
    title_end: int
    of_mention: int | None


class RoleReader:
    """Finds titles with the project's word list of role and kinship nouns."""

    def __init__(self, role_words: frozenset[str]) -> None:
        self._roles = role_words

    def find(self, doc: Doc, mentions: Sequence[MentionView]) -> list[RoleFinding]:
        """Every role the parse tells for the people among ``mentions`` (indices into it)."""
        by_token: dict[int, int] = {}
        for index, mention in enumerate(mentions):
            for token in mention.span:
                by_token.setdefault(token.i, index)
        findings: list[RoleFinding] = []
        for index, mention in enumerate(mentions):
            if not is_person(mention) or mention.group_noun:
                continue
            root = mention.span.root
            for child in root.children:
                if child.dep_ == "appos":
                    finding = self._title(child, index, by_token)
                elif child.dep_ == "relcl":
                    finding = self._relative_title(child, index, by_token)
                else:
                    finding = None
                if finding is not None:
                    findings.append(finding)
        findings += _leadership_roles(doc, mentions, by_token)
        return findings

    def _relative_title(
        self, verb: Token, person: int, by_token: dict[int, int]
    ) -> RoleFinding | None:
        # "X, who was vice-president in the government ..."
        if verb.lemma_ != "be":
            return None
        for child in verb.children:
            finding = self._title(child, person, by_token) if child.dep_ == "attr" else None
            if finding is not None:
                return finding
        return None

    def _title(self, head: Token, person: int, by_token: dict[int, int]) -> RoleFinding | None:
        if not self._is_role_word(head) or head.i in by_token:
            return None
        doc = head.doc
        # The title starts after its determiner or possessor: "the country’s vice-president".
        left = [token for token in head.subtree if token.i <= head.i]
        first = head
        for token in reversed(left[:-1]):
            if token.dep_ in {"det", "poss", "case", "advmod", "punct"} or token.i in by_token:
                break
            first = token
        if _hyphen_glued(first):
            first = doc[first.i - 2]
        last = head
        of_mention: int | None = None
        for token in _right_chain(head):
            if token.dep_ == "prep" and token.lower_ in _TITLE_STOP_PREPOSITIONS:
                target = next((c for c in token.children if c.dep_ == "pobj"), None)
                if target is None:
                    break
                entity_index = _mention_under(target, by_token)
                if entity_index is not None:
                    of_mention = entity_index
                    break
                # "head of foreign relations" is still the title; "nurse with a local group"
                # has said all of its title by "nurse".
                if token.lower_ != "of":
                    break
                last = target
                continue
            break
        title = text_of(doc)[first.idx : last.idx + len(last.text)]
        return RoleFinding(
            person=person,
            title=title,
            title_start=first.idx,
            title_end=last.idx + len(last.text),
            of_mention=of_mention,
        )

    def _is_role_word(self, token: Token) -> bool:
        words = {token.lower_, token.lemma_.casefold()}
        if _hyphen_glued(token):
            words.add(token.doc[token.i - 2 : token.i + 1].text.casefold())
        return bool(words & self._roles)


def _right_chain(head: Token) -> Iterable[Token]:
    """The prepositions hanging right of ``head``, each followed into its own object's chain."""
    for child in head.rights:
        if child.dep_ == "prep":
            yield child
            target = next((c for c in child.children if c.dep_ == "pobj"), None)
            if target is not None:
                yield from _right_chain(target)


def _mention_under(token: Token, by_token: dict[int, int]) -> int | None:
    """The mention a noun phrase names: its head's, else one among its modifiers.

    Prepositional phrases hanging off the head are left out: in "head of foreign relations for
    the NRF", "relations" does not name the NRF.
    """
    if token.i in by_token:
        return by_token[token.i]
    # "the son of Afghan resistance hero Ahmad Shah Massoud": the name in apposition beats
    # the demonym among the modifiers.
    named = [child for child in token.rights if child.dep_ in {"appos", "flat"}]
    for phrase in [*named, *token.lefts]:
        for item in phrase.subtree:
            if item.i in by_token and item.ent_type_ != "NORP":
                return by_token[item.i]
    return None


def _hyphen_glued(token: Token) -> bool:
    """True for "president" in "vice-president", which the tokenizer split in three."""
    doc = token.doc
    return (
        token.i >= 2
        and doc[token.i - 1].text == "-"
        and not doc[token.i - 1].whitespace_
        and not doc[token.i - 2].whitespace_
    )


def _leadership_roles(
    doc: Doc, mentions: Sequence[MentionView], by_token: dict[int, int]
) -> list[RoleFinding]:
    """Roles told by a verb: "the NRF, which was founded by Ahmad Massoud"."""
    findings: list[RoleFinding] = []
    for token in doc:
        title = _LEADERSHIP_VERBS.get(token.lemma_)
        if title is None or token.pos_ != "VERB":
            continue
        person = organisation = None
        for child in token.children:
            if child.dep_ == "agent":
                target = next((c for c in child.children if c.dep_ == "pobj"), None)
                person = _mention_under(target, by_token) if target is not None else None
            elif child.dep_ == "nsubj":
                person = _mention_under(child, by_token)
            elif child.dep_ in {"dobj", "nsubjpass"}:
                organisation = _mention_under(child, by_token)
        if organisation is None and token.dep_ == "relcl" and token.head.i in by_token:
            organisation = by_token[token.head.i]
        if (
            person is None
            or organisation is None
            or not is_person(mentions[person])
            or mentions[organisation].label != "ORG"
        ):
            continue
        findings.append(
            RoleFinding(
                person=person,
                title=title,
                title_start=token.idx,
                title_end=token.idx + len(token.text),
                of_mention=organisation,
            )
        )
    return findings
