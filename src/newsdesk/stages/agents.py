"""Generic agents, read for the entities stage: people named by what they are, not by name.

"Gunmen", "a suicide bomber", "protesters", "Nigerian villagers", "security forces" are the
actors of many events, and no name gives them. Each kind named in an article becomes one entity
of type ``AGENT`` (a report's "gunmen" and "the gunmen" are taken to be the same people), with
the sector of its noun (``data/agents.txt``) and the country of a demonym before it ("Nigerian
villagers") or a state after it ("soldiers from Chad").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import get_args

from spacy.tokens import Doc, Token

from newsdesk.data.demonyms import load_demonym_states
from newsdesk.data.lexicons import load_sections
from newsdesk.errors import DataError, Errors
from newsdesk.records import Sector

_LEXICON = "newsdesk/data/agents.txt"
_NOUNS = frozenset({"NOUN", "PROPN"})
_MODIFIERS = frozenset({"compound", "amod", "nmod"})
# "soldiers from Chad", "authorities in Pakistan": the state gives the agents' country.
_ORIGIN_PREPS = frozenset({"from", "of", "in"})
# "officials of the Red Cross", "doctors at the Red Cross": the name stands for them.
_OWNER_PREPS = frozenset({"from", "of", "at"})
# A state's own institutions: "the government of the Central African Republic" and "the army of
# Chad" are that state's (CAMEO codes them as the state's actor), while "soldiers from Chad" or
# "the people of Sudan" are only people of its country.
_STATE_SECTORS = frozenset({"government", "military", "police"})
# "its military", "their government": the owner the pronoun points back to (newsdesk_coreference)
# is the state or organisation whose institution this is, and stands for it.
_OWNER_PRONOUNS = frozenset({"its", "their"})
# "Another court", "other gunmen": the words say these are not the ones named before.
_OTHERS = frozenset({"another", "other"})


@dataclass(frozen=True)
class AgentMention:
    """One mention of a generic agent: "gunmen", "Nigerian villagers"."""

    start: int
    end: int
    noun: str
    """The agent's kind, as the lexicon writes it ("gunman", "security force")."""
    sector: Sector
    country: str | None
    """ISO 3166 alpha-3 code of the state its demonym or "from" phrase names."""
    demonym: bool
    """True when the mention starts with a demonym or a state's possessive ("Nigerian
    villagers", "Syria's transitional authorities"): it keeps its capital."""
    definite: bool
    """True after "the": "the army" may point back to an army the article named."""
    other: bool = False
    """True after "another" or "other": not the agents of that kind named before it."""

    @property
    def key(self) -> tuple[str, str | None, int]:
        """One entity per kind and country; "another court" is one of its own."""
        return self.noun, self.country, self.start if self.other else -1


class AgentReader:
    """Finds the generic agents of a Doc."""

    def __init__(self) -> None:
        self._sectors = _sectors_of(load_sections("agents"))
        self._demonyms = load_demonym_states()

    def find(
        self, doc: Doc, taken: Iterable[tuple[int, int]], states: Mapping[int, str]
    ) -> list[AgentMention]:
        """Every generic agent of ``doc``, outside the ``taken`` character spans; ``states``
        gives, by token index, the alpha-3 code of the state a name stands for."""
        covered = _covered(doc, taken)
        found = []
        for token in doc:
            # "a guerrilla commander", "the police station": a modifier names no one.
            if token.pos_ not in _NOUNS or token.dep_ in _MODIFIERS or token.i in covered:
                continue
            match = self._match(token)
            if match is None:
                continue
            first, noun = match
            if _named(token, covered, states, self._sectors[noun]):
                continue
            demonym = _demonym_before(token, first, self._demonyms)
            owner = _state_owner(token, states, self._sectors[noun])
            opening = demonym if demonym is not None else first
            country = (
                self._demonyms[demonym.lower_] if demonym is not None else _origin(token, states)
            )
            if owner is not None:  # "Syria's transitional authorities"
                opening, country = owner.left_edge, states[owner.i]
            found.append(
                AgentMention(
                    start=opening.idx,
                    end=token.idx + len(token.text),
                    noun=noun,
                    sector=self._sectors[noun],
                    country=country,
                    demonym=demonym is not None or owner is not None,
                    definite=opening.i > 0 and doc[opening.i - 1].lower_ == "the",
                    other=any(
                        word.lower_ in _OTHERS for word in doc[max(opening.i - 2, 0) : opening.i]
                    ),
                )
            )
        return found

    def _match(self, token: Token) -> tuple[Token, str] | None:
        """The first word and lexicon entry of the agent ``token`` heads, if it is one.

        The singular entry comes first, so one kind has one entry however the word was tagged:
        a capitalised plural at the start of a headline or lead ("Gunmen kill ...") is often
        tagged a proper noun, which keeps its plural as its lemma."""
        words = dict.fromkeys(
            form
            for word in (token.lemma_.casefold(), token.lower_)
            for form in (*_singulars(word), word)
        )
        before = token.nbor(-1) if token.i > 0 else None
        if before is not None and before.head.i == token.i:
            for word in words:
                pair = f"{before.lower_} {word}"
                if pair in self._sectors:
                    return before, pair
        if (
            token.i + 1 < len(token.doc)
            and f"{token.lower_} {token.nbor().lower_}" in self._sectors
        ):
            return None  # "police officer": the next word heads the agent
        for word in words:
            if word in self._sectors and " " not in word:
                return token, word
        return None


def _singulars(word: str) -> tuple[str, ...]:
    """What a plural noun may be the plural of: "gunmen" -> "gunman", "militants" ->
    "militant", "children" -> "child"; the lexicon says which one is a kind."""
    forms: list[str] = []
    if word.endswith("men"):
        forms.append(word[:-3] + "man")
    if word.endswith("ren"):
        forms.append(word[:-3])
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    return tuple(forms)


def _sectors_of(sections: Mapping[str | None, frozenset[str]]) -> dict[str, Sector]:
    """``{phrase: sector}`` from the lexicon's sections, each of which must be a sector."""
    sectors: dict[str, Sector] = {}
    known: tuple[Sector, ...] = get_args(Sector)
    for section, phrases in sections.items():
        sector = next((item for item in known if item == section), None)
        if sector is None:
            if not phrases:
                continue  # the lines before the first section: comments only
            raise DataError(
                Errors.E306.format(path=_LEXICON, section=section, sectors=", ".join(known))
            )
        sectors.update(dict.fromkeys(phrases, sector))
    return sectors


def _named(
    token: Token, covered: frozenset[int], states: Mapping[int, str], sector: Sector
) -> bool:
    """True when a name says whose people these are or who this is, and stands for them:
    "DOH officials", "officials from the Department of Health", "another worker, David Darg",
    "US officials", "the government of Sudan". Otherwise a state after the noun only gives the
    country ("soldiers from Chad"). "Its military" is its owner's, whom coreference finds."""
    for child in token.children:
        if child.dep_ in {"compound", "nmod", "poss", "appos"} and child.i in covered:
            if child == _state_owner(token, states, sector):
                continue  # "Syria's authorities": of Syria, an agent of their own
            return True
        if child.dep_ == "poss" and child.lower_ in _OWNER_PRONOUNS and sector in _STATE_SECTORS:
            return True
        if child.dep_ == "prep" and child.lower_ in _OWNER_PREPS:
            for grand in child.children:
                if grand.dep_ != "pobj" or grand.i not in covered:
                    continue
                if grand.i not in states or (child.lower_ == "of" and sector in _STATE_SECTORS):
                    return True
    return token.dep_ == "appos" and token.head.i in covered


def _state_owner(token: Token, states: Mapping[int, str], sector: Sector) -> Token | None:
    """ "Syria's transitional authorities", "Myanmar's military": the state whose own
    institution this is, when the knowledge base has no name for it (the guide's "Pakistan's
    military" names the military, of Pakistan)."""
    if sector not in _STATE_SECTORS:
        return None
    return next((c for c in token.children if c.dep_ == "poss" and c.i in states), None)


def _covered(doc: Doc, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
    """The indices of the tokens that the character spans touch."""
    covered: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            covered.update(range(span.start, span.end))
    return frozenset(covered)


def _demonym_before(token: Token, first: Token, demonyms: Mapping[str, str]) -> Token | None:
    """ "Nigerian villagers", "Israeli intelligence officials": a demonym modifying the agent
    before its first word."""
    for child in token.lefts:
        if child.i < first.i and child.dep_ in _MODIFIERS and child.lower_ in demonyms:
            return child
    return None


def _origin(token: Token, states: Mapping[int, str]) -> str | None:
    """ "soldiers from Chad", "authorities in Mali": the state a phrase after the agent names."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in _ORIGIN_PREPS:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return states.get(grand.i)
    return None
