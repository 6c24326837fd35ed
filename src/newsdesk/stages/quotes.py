"""``newsdesk_quotes``: who says what in the article, in which words, and through which channel.

Three kinds of quote, each with its cue and content as evidence:

- **direct**: words between quote marks (“ ” " ‘ ’ « » „), across sentences, and across
  paragraphs the news way (a paragraph left open, the next one reopened with a new mark);
- **indirect**: a speech verb from ``newsdesk/data/speech.txt`` governing a reported clause
  (``ccomp`` in the parse: "X said (that) ...", "..., X said", "X told the BBC ..."), or
  "according to X" with the clause it modifies;
- **mixed**: an indirect report that holds a quoted fragment ("He said the group had “thousands
  of forces ready”").

Quote marks are read from the characters, not the tokenizer: an apostrophe between letters
("we’re", "Massoud’s") is no mark, and a closing mark glued to the next word ("country.”The")
is read as closing one quote and opening the next, as aggregators write it after losing a line
break. A quoted fragment of one to three words that no cue attributes is a scare quote
(“hundreds”, the ‘humane’ way), not a quote; nor are, unattributed, a name a naming verb gives
("dubbed him “...”", ``naming_verbs``), a title a title noun announces ("the film “...”",
``title_nouns``) or one written as a title. A reported clause quoted only in part is a mixed
quote of the whole clause; a report of a report ("police said ..., the radio reported") is
the inner speaker's; a subheading (in capitals, or run into the text before a quotation) is no
part of a quote or of its speaker.

The speaker is the cue's subject, linked to the entity whose mention covers it: a name, or a
reference ("he", "the spokesman", "the group") that ``newsdesk_coreference`` resolved; a
description speaks for a body only through "for"/"of"/"from"/"at"/"with" or a compounded
organisation ("a spokesman for the Red Cross", "DOH officials"), never for a place or a
possessor ("officials in Dayton", "Ana Silva's husband": the words alone); a direct quote with
no cue of its own takes the speaker of a quote just before it, in its paragraph or the one
before. Otherwise the speaker is None: an honest blank beats a guess.
Writes ``doc._.newsdesk_quotes``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsdesk import attributes
from newsdesk.attributes import text_of
from newsdesk.data.lexicons import load_phrases, load_sections
from newsdesk.records import Entity, Evidence, Quote
from newsdesk.stages.evidence import sentence_of

NAME = "newsdesk_quotes"
REQUIRES = ["doc.sents", "token.dep", f"doc._.{attributes.ENTITIES}"]
ASSIGNS = [f"doc._.{attributes.QUOTES}"]

_LEXICON = "speech"
_CHANNEL_PREFIX = "channel_"

QuoteKind = Literal["direct", "indirect", "mixed"]

# Marks that only open or only close, by level; '"' and "'" are read from their neighbours.
_OPENING = {"“": "double", "„": "double", "«": "double", "‘": "single", "‹": "single"}
_CLOSING = {"”": "double", "»": "double", "’": "single", "›": "single"}
_STRAIGHT = {'"': "double", "'": "single"}
# Characters after which a mark opens, and before which it closes.
_OPENS_AFTER = frozenset("([{–—-/")
_CLOSES_BEFORE = frozenset(".,;:!?)]}…–—-")
_SENTENCE_END = frozenset(".,!?…;:")
_STATEMENT_ENDS = frozenset({".", ":", ";", "!", "?"})
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")

# A quoted stretch of at most this many words is a scare quote unless a cue attributes it.
_SCARE_WORDS = 3
# "called it “a monument to waste”": what "call" gives is a name up to this many words; longer,
# it may be someone's words.
_CALLED_WORDS = 4
# A title in quote marks is at most this long ("The Long Road Home From the Valley").
_TITLE_WORDS = 12
# Short words a title leaves in lower case.
_TITLE_SMALL_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "into",
        "nor",
        "per",
        "via",
        "vs",
        "vs.",
    }
)
# How many tokens after a closing mark a postposed cue may stand ("...," the spokesman added).
_POSTPOSED_REACH = 12
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
# The cue's dependents that say to whom and how: "told Reuters", "in a statement".
_CHANNEL_DEPS = frozenset({"dative", "dobj", "iobj", "prep", "agent"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
# A clause opened by one of these is a question ("so who are the leaders?"), not a report.
_QUESTION_WORDS = frozenset({"who", "what", "which", "why", "how", "where", "when", "whether"})
_DEFINITE = frozenset({"the", "this", "that"})
_PERSON_TYPES = frozenset({"PERSON"})
# A place is where a speaker is, not who speaks for it ("an official in Dayton").
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# The prepositions of "a spokesman for X", "an official of X", "a doctor from X", "a source at X".
_FOR_PREPS = frozenset({"for", "of", "from", "at", "with"})
# What a name before a speaker's noun must be to be the body they speak for ("DOH officials").
_BODY_TYPES = frozenset({"ORG", "NORP"})
_EDGE_PUNCT = " \t\n\r\xa0,;:–—-"


@dataclass(frozen=True)
class Marked:
    """A stretch of text between quote marks; offsets are characters of ``doc.text``."""

    open: int
    """Offset of the opening mark, or of the content start when no mark opened it."""
    start: int
    end: int
    close: int
    """Offset just after the closing mark, or the content end when no mark closed it."""
    opened: bool = True
    closed: bool = True


@dataclass(frozen=True)
class _Cue:
    token: Token
    start: int
    end: int
    speaker: Span | None
    """The noun phrase naming the speaker, when the parse shows one."""


@dataclass(frozen=True)
class _Finding:
    """A quote before its speaker is resolved."""

    kind: QuoteKind
    start: int
    end: int
    cue: _Cue | None
    marks: tuple[Marked, ...] = ()


@dataclass(frozen=True)
class _Channel:
    channel: str | None = None
    outlet: str | None = None
    outlet_text: str | None = None


class QuoteFinder:
    """The ``newsdesk_quotes`` component: ``nlp.add_pipe("newsdesk_quotes")``."""

    def __init__(self, nlp: Language, name: str = NAME):
        self.name = name
        sections = load_sections(_LEXICON)
        self._verbs = sections["verbs"]
        self._according = sections["according"]
        self._naming_verbs = sections["naming_verbs"]
        self._title_nouns = sections["title_nouns"]
        self.documents = sections["document_nouns"]
        self.honorifics = load_phrases("people", "honorifics")
        self._channels: dict[str, str] = {
            phrase: section.removeprefix(_CHANNEL_PREFIX).replace("_", " ")
            for section, phrases in sections.items()
            if section is not None and section.startswith(_CHANNEL_PREFIX)
            for phrase in phrases
        }

    def __call__(self, doc: Doc) -> Doc:
        quotes = self.resolve(doc)
        self.set_annotations(doc, quotes)
        return doc

    def resolve(self, doc: Doc) -> tuple[Quote, ...]:
        """Find the Doc's quotes (pure: reads the Doc, writes nothing)."""
        entities: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
        marks = find_quote_marks(text_of(doc))
        findings = self._find(doc, marks)
        return _Resolver(self, doc, entities, findings).quotes()

    def set_annotations(self, doc: Doc, quotes: tuple[Quote, ...]) -> None:
        doc._.set(attributes.QUOTES, quotes)

    # -- finding quotes ----------------------------------------------------------------------

    def _find(self, doc: Doc, marks: list[Marked]) -> list[_Finding]:
        inside = _inside_marks(doc, marks)
        paragraphs = _paragraph_starts(text_of(doc))
        findings: list[_Finding] = []
        cue_of: dict[int, _Cue] = {}
        consumed: set[int] = set()
        for token in doc:
            if token.i in inside or not self._is_cue_verb(token):
                continue
            cue = self._cue(token)
            clauses = [
                child
                for child in token.children
                if child.dep_ == "ccomp" and child.left_edge.lower_ not in _QUESTION_WORDS
            ]
            # A clause after the verb is what was said; one before it is the "..., X said" form.
            clause = max(clauses, key=lambda child: child.i > token.i, default=None)
            closing = _closing_quotation(clause, token, marks) if clause is not None else None
            if closing is not None:
                # 'Floods return “...,” the engineer said': the quotation is what was said; the
                # words before it are a subheading run into the text.
                after = doc.char_span(marks[closing].close, token.idx, alignment_mode="expand")
                if after is not None:
                    cue = self._postposed_cue(token, after)
                cue_of.setdefault(closing, cue)
                continue
            if clause is not None and self._reports_speech(clause):
                # "Police said X, the BBC reported": the words are the police's; the outer
                # verb only says where the report came from.
                continue
            if clause is not None and _quoted_from_start(clause, inside):
                # The reported clause is quoted: a direct quote, and this verb is its cue.
                cue_of.setdefault(inside[clause.i], cue)
                continue
            bounds = (
                self._clause_bounds(doc, token, clause)
                if clause is not None
                else self._complement(doc, token)
            )
            if bounds is None:
                continue
            start, end = _clip_to_paragraph(paragraphs, token.idx, *bounds)
            finding = _report(doc, cue, start, end, marks, consumed, cue_of)
            if finding is not None:
                findings.append(finding)
        findings += self._according_to(doc, marks, inside, consumed, cue_of)
        for index, mark in enumerate(marks):
            if index in consumed:
                continue
            attributed = cue_of.get(index) or self._adjacent_cue(doc, mark, marks, inside)
            if (
                attributed is None
                and _word_count(text_of(doc)[mark.start : mark.end]) <= _SCARE_WORDS
            ):
                continue
            if attributed is None and not mark.opened:
                continue
            if attributed is None and self._names_something(doc, mark):
                continue
            findings.append(_Finding("direct", mark.start, mark.end, attributed, (mark,)))
        return sorted(findings, key=lambda finding: (finding.start, finding.end))

    def _reports_speech(self, clause: Token) -> bool:
        """Whether a reported clause is itself a report of speech with its own speaker and
        words: "police said the liquor was poisoned" in "..., the radio reported"."""
        return (
            self._is_cue_verb(clause)
            and any(child.dep_ in _SUBJECTS for child in clause.children)
            and any(child.dep_ == "ccomp" for child in clause.children)
        )

    def _clause_bounds(self, doc: Doc, cue: Token, clause: Token) -> tuple[int, int] | None:
        tokens = list(clause.subtree)
        # "that" opens the reported clause but is not part of what was said.
        while tokens and tokens[0].dep_ == "mark" and tokens[0].lower_ == "that":
            tokens = tokens[1:]
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if clause.i < cue.i:
            # "..., X said": a colon or semicolon before it closes an earlier statement.
            stop = max(
                text_of(doc).rfind(":", start, cue.idx), text_of(doc).rfind(";", start, cue.idx)
            )
            start = max(start, stop + 1)
            end = min(end, cue.idx)
        return start, end

    def _complement(self, doc: Doc, cue: Token) -> tuple[int, int] | None:
        """What a speech verb reports when the parse missed its clause: "told X that ..."."""
        if not any(child.dep_ in _SUBJECTS and child.i < cue.i for child in cue.children):
            return None
        sentence = cue.sent
        rest = [token for token in doc[cue.i + 1 : sentence.end] if not token.is_space]
        if cue.lemma_ == "tell":
            that = next((t for t in rest[:_POSTPOSED_REACH] if t.lower_ == "that"), None)
            if that is None:
                return None
            rest = [token for token in rest if token.i > that.i]
        elif rest and rest[0].lower_ == "that":
            rest = rest[1:]
        if not rest or rest[0].is_punct or rest[0].is_quote or rest[0].pos_ in {"ADP", "PART"}:
            return None
        # Only a clause is reported: it needs a subject and a verb of its own.
        if not any(t.dep_ in _SUBJECTS for t in rest) or not any(
            t.pos_ in {"VERB", "AUX"} for t in rest
        ):
            return None
        return rest[0].idx, rest[-1].idx + len(rest[-1])

    def _according_to(
        self,
        doc: Doc,
        marks: list[Marked],
        inside: dict[int, int],
        consumed: set[int],
        cue_of: dict[int, _Cue],
    ) -> list[_Finding]:
        findings: list[_Finding] = []
        paragraphs = _paragraph_starts(text_of(doc))
        for token in doc[:-1]:
            to = doc[token.i + 1]
            if token.i in inside or f"{token.lower_} {to.lower_}" not in self._according:
                continue
            source = next((child for child in to.children if child.dep_ == "pobj"), None)
            phrase = doc[token.i : max(t.i for t in to.subtree) + 1]
            speaker = _noun_phrase(source) if source is not None else None
            cue = _Cue(token, token.idx, to.idx + len(to), speaker)
            sent = token.sent
            clause = token.head if token.head.i != token.i else sent.root
            # The content is the clause's longer stretch on either side of "according to X".
            edges = [t.i for t in clause.subtree]
            left = (max(min(edges), sent.start), phrase.start)
            right = (phrase.end, min(max(edges) + 1, sent.end))
            first, last = max((left, right), key=lambda side: side[1] - side[0])
            if last <= first:
                continue
            start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1])
            start, end = _clip_to_paragraph(paragraphs, token.idx, start, end)
            finding = _report(doc, cue, start, end, marks, consumed, cue_of)
            if finding is not None:
                findings.append(finding)
        return findings

    def _adjacent_cue(
        self, doc: Doc, mark: Marked, marks: list[Marked], inside: dict[int, int]
    ) -> _Cue | None:
        """A cue beside a quotation: '"...," the spokesman added' or 'he added, "..."'."""
        paragraphs = _paragraph_starts(text_of(doc))
        number = bisect_right(paragraphs, max(mark.close - 1, 0)) - 1
        paragraph_end = (
            paragraphs[number + 1] if number + 1 < len(paragraphs) else len(text_of(doc))
        )
        if mark.closed:
            later = [other.open for other in marks if other.open >= mark.close]
            after = doc.char_span(
                mark.close, min([paragraph_end, *later]), alignment_mode="contract"
            )
            first = after.start if after is not None else 0
            for token in after[:_POSTPOSED_REACH] if after is not None else ():
                if token.i not in inside and self._is_cue_verb(token):
                    if self._only_attribution(doc[first : token.i], token):
                        return self._postposed_cue(token, doc[first : token.i])
                    break
        if mark.opened:
            opening = doc.char_span(mark.open, mark.open + 1, alignment_mode="expand")
            if opening is None:
                return None
            earlier = [other.close for other in marks if other.close <= mark.open]
            paragraph = paragraphs[bisect_right(paragraphs, mark.open) - 1]
            floor = max([opening.sent.start_char, paragraph, *earlier])
            for token in reversed(doc[opening.sent.start : opening.start]):
                if token.idx < floor:
                    break
                if token.i not in inside and self._is_cue_verb(token):
                    if self._only_attribution(doc[token.i + 1 : opening.start], token):
                        return self._cue(token)
                    break
        return None

    def _names_something(self, doc: Doc, mark: Marked) -> bool:
        """Whether quoted words no cue attributes are a name or a title, not speech: what a
        naming verb gives ("dubbed him “Mister No”"), what a title noun announces ("the film
        “Harbour Nights”"), or a title written as one ("“The Long Road Home”, her memoir")."""
        span = doc.char_span(mark.start, mark.end, alignment_mode="expand")
        if span is None:
            return False
        words = text_of(doc)[mark.start : mark.end].split()
        root = span.root
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head  # 'calling the pond “the death pool” and “the pond of death”'
        naming = root.head.lemma_.casefold()
        if naming in self._naming_verbs:
            limit = _CALLED_WORDS if naming == "call" else len(words)
            if len(words) <= limit:
                return True
        before = [t for t in doc[max(span.start - 3, 0) : span.start] if not t.is_punct]
        if before and before[-1].lemma_.casefold() in self._title_nouns:
            return True
        if before and before[-1].lemma_.casefold() in self._naming_verbs:
            return True
        return _title_cased(words) and not _ends_statement(text_of(doc), mark)

    def _only_attribution(self, between: Span, cue: Token) -> bool:
        """Whether the words between a quotation and a cue only say who spoke, and how.

        '"...," the spokesman added' and 'he added, "..."' pass; '"...": Meanwhile, the
        Taliban say' does not, since "Meanwhile" starts a statement of its own.
        """
        subtree = {token.i for token in cue.subtree}
        for token in between:
            if token.is_space or (token.is_punct and token.text not in _STATEMENT_ENDS):
                continue
            if token.text in _STATEMENT_ENDS or token.i not in subtree:
                return False
            if token.pos_ in {"VERB", "AUX"} or token.dep_ in {"advmod", "cc", "mark"}:
                return False
        return True

    def _postposed_cue(self, token: Token, between: Span) -> _Cue:
        """'“...,” X said': the speaker is X, between the quotation and the verb, even when the
        parse made a word before the quotation the subject ("Resistance continues “...,” the
        coordinator said", a subheading run into the text)."""
        cue = self._cue(token)
        if cue.speaker is not None and cue.speaker.start >= between.start:
            return cue
        words = [t for t in between if not (t.is_punct or t.is_space or t.is_quote)]
        if not words:
            return cue
        phrase = between.doc[words[0].i : words[-1].i + 1]
        if phrase.root.pos_ not in {"NOUN", "PROPN", "PRON"}:
            return cue
        return _Cue(token, cue.start, cue.end, phrase)

    def _cue(self, token: Token) -> _Cue:
        return _Cue(token, token.idx, token.idx + len(token), self._speaker_of(token))

    def _is_cue_verb(self, token: Token) -> bool:
        return token.pos_ in {"VERB", "AUX"} and token.lemma_.casefold() in self._verbs

    def _speaker_of(self, verb: Token) -> Span | None:
        """The subject of a speech verb, or of the verb it hangs from ("..., noting that"); the
        one quoted in "AP quoted X as saying" and "X was quoted as saying"."""
        quoted = _quoted_as_saying(verb)
        if quoted is not None:
            return _noun_phrase(quoted)
        current = verb
        for _ in range(3):
            subject = next((c for c in current.children if c.dep_ in _SUBJECTS), None)
            if subject is not None and _line_break_between(subject, current):
                # "STORM DAMAGE\n\nThe mayor, Tom Reyes, said": the parser made the subheading
                # the subject; the speaker is what stands after the break.
                subject = next(
                    (c for c in subject.children if c.dep_ == "appos" and c.i > subject.i), None
                )
                if subject is None or _line_break_between(subject, current):
                    return None
            if subject is not None:
                if subject.lower_ in _RELATIVE_PRONOUNS and current.dep_ == "relcl":
                    return _noun_phrase(current.head)
                return _noun_phrase(subject)
            if current.dep_ not in {"advcl", "conj", "xcomp"} or current.head.i == current.i:
                return None
            current = current.head
        return None

    # -- channels ---------------------------------------------------------------------------

    def channel(self, cue: Token, content: tuple[int, int], entities: Sequence[Entity]) -> _Channel:
        """How the words came out: the cue verb, whom it was told to, and its phrases."""
        doc = cue.doc
        channel = self._channels.get(cue.lemma_.casefold())
        phrases = [_subtree(child) for child in cue.children if child.dep_ in _CHANNEL_DEPS]
        # "told BBC Radio 4's Today programme that ...": the listener is everything between
        # the verb and what was said, however the parser split it.
        listener = doc.char_span(cue.idx + len(cue), content[0], alignment_mode="contract")
        if listener is not None and cue.lemma_ == "tell" and content[0] > cue.idx:
            phrases.insert(0, listener)
        outlet: str | None = None
        outlet_text: str | None = None
        for phrase in phrases:
            tokens = [t for t in phrase if not content[0] <= t.idx < content[1]]
            if not tokens:
                continue
            named = self._named_channel(tokens)
            found = _outlet_in(tokens, entities)
            if found is not None and outlet is None:
                outlet, outlet_text = found, _outlet_phrase(tokens)
            if named is not None and (channel is None or channel == "interview"):
                channel = named
        if channel is None and outlet is not None:
            channel = "interview"
        return _Channel(channel, outlet, outlet_text)

    def _named_channel(self, tokens: list[Token]) -> str | None:
        words = {token.lower_ for token in tokens} | {token.lemma_.casefold() for token in tokens}
        text = f" {' '.join(token.lower_ for token in tokens)} "
        for phrase, channel in self._channels.items():
            if (" " in phrase and f" {phrase} " in text) or phrase in words:
                return channel
        return None


class _Resolver:
    """Turns findings into quotes, in text order, linking each speaker to an entity."""

    def __init__(
        self,
        finder: QuoteFinder,
        doc: Doc,
        entities: tuple[Entity, ...],
        findings: list[_Finding],
    ) -> None:
        self.finder = finder
        self.doc = doc
        self.entities = entities
        self.findings = findings
        self.by_id = {entity.id: entity for entity in entities}
        self.sentence_starts = [sent.start_char for sent in doc.sents]
        self.paragraphs = _paragraph_starts(text_of(doc))

    def quotes(self) -> tuple[Quote, ...]:
        quotes: list[Quote] = []
        last: tuple[_Finding, str | None] | None = None
        for finding in self.findings:
            speaker, speaker_text = self._speaker(finding, last)
            channel = (
                self.finder.channel(finding.cue.token, (finding.start, finding.end), self.entities)
                if finding.cue is not None
                else _Channel()
            )
            quotes.append(
                Quote(
                    speaker=speaker,
                    speaker_text=speaker_text,
                    cue=self._evidence(finding.cue.start, finding.cue.end)
                    if finding.cue is not None
                    else None,
                    content=self._evidence(finding.start, finding.end),
                    kind=finding.kind,
                    channel=channel.channel,
                    outlet=channel.outlet,
                    outlet_text=channel.outlet_text,
                )
            )
            last = (finding, speaker)
        return tuple(quotes)

    def _speaker(
        self, finding: _Finding, last: tuple[_Finding, str | None] | None
    ) -> tuple[str | None, str | None]:
        cue = finding.cue
        if cue is None:
            if last is not None and last[1] is not None and self._continues(last[0], finding):
                return last[1], None
            return None, None
        if cue.speaker is None:
            return None, None
        if cue.speaker.root.lemma_.casefold() in self.finder.documents:
            return self._document_author(cue.speaker)
        return self._named(cue.speaker)

    def _document_author(self, phrase: Span) -> tuple[str | None, str]:
        """Who speaks through a document: its owner when the phrase names one ("the NISA
        statement", "the ministry's statement", "a statement from the army"). A document named
        alone ("a statement said") is left without an author: the party quoted just before is
        often, but not always, the one that issued it."""
        head = phrase.root
        owners = [
            token
            for child in head.children
            if child.dep_ in {"compound", "poss"}
            or (child.dep_ == "prep" and child.lower_ in {"from", "of", "by"})
            for token in _without_clauses(child)
        ]
        for token in owners:
            covering = self._covering(token.idx)
            if covering is not None and not self.by_id[covering[0]].outlet:
                return covering[0], phrase.text
        return None, phrase.text

    def _named(self, phrase: Span) -> tuple[str | None, str]:
        """The entity a noun phrase names, and the words that name the speaker."""
        head = phrase.root
        covering = self._covering(head.idx)
        if covering is not None and not in_capitals_line(text_of(self.doc), covering[1]):
            return covering[0], phrase.text
        for child in head.children:
            if child.dep_ == "appos":
                covering = self._covering(child.idx)
                if covering is not None and self.by_id[covering[0]].type in _PERSON_TYPES:
                    return covering[0], phrase.text
        named = self._by_name(phrase.text)
        if named is not None:
            return named, phrase.text
        # "a spokesman for the Taliban", "Home Office officials": the organisation speaks
        # through its people. A description that only says where its people are or whose they
        # are ("officials in Dayton", "US health officials", "Ana Silva's husband") names no
        # one: the words are the speaker.
        definite = any(t.lower_ in _DEFINITE and t.dep_ == "det" for t in head.children)
        if not definite:
            for token in _speaking_for(head):
                covering = self._covering(token.idx)
                if covering is None:
                    continue
                entity = self.by_id[covering[0]]
                if entity.outlet or entity.type in _PLACE_TYPES:
                    continue
                if token.dep_ == "compound" and entity.type not in _BODY_TYPES:
                    continue  # "Silva family members": a person's, not a body's
                return covering[0], phrase.text
        return None, phrase.text

    def _by_name(self, text: str) -> str | None:
        """The one entity a name fits, when NER missed this mention: "Mr Nazary", "Nazary"."""
        words = text.replace("’s", "").replace("'s", "").split()
        while len(words) > 1 and words[0].casefold() in self.finder.honorifics:
            words = words[1:]
        if words and words[0].casefold() == "the":
            words = words[1:]
        if not words or not words[0][:1].isupper():
            return None
        name = " ".join(words).casefold()
        fitting = {
            entity.id
            for entity in self.entities
            if name in {alias.casefold() for alias in (entity.name, *entity.aliases)}
            or (
                entity.type in _PERSON_TYPES
                and len(words) == 1
                and entity.name.split()[-1].casefold() == name
            )
        }
        return fitting.pop() if len(fitting) == 1 else None

    def _continues(self, previous: _Finding, finding: _Finding) -> bool:
        """Whether a quote without a cue carries on from ``previous`` (same or next paragraph)."""
        here = bisect_right(self.paragraphs, finding.start) - 1
        there = bisect_right(self.paragraphs, previous.end - 1) - 1
        # Masked blocks are blank, so they fall inside the break between two paragraphs.
        return here - there in {0, 1}

    def _covering(self, offset: int) -> tuple[str, int, int] | None:
        for entity in self.entities:
            for mention in entity.mentions:
                if mention.start <= offset < mention.end:
                    return entity.id, mention.start, mention.end
        return None

    def _sentence(self, offset: int) -> int:
        return max(sentence_of(self.sentence_starts, offset), 0)

    def _evidence(self, start: int, end: int) -> Evidence:
        # Not the shared evidence_at(): a quote's is never numbered before the first sentence.
        return Evidence(
            start=start, end=end, text=text_of(self.doc)[start:end], sentence=self._sentence(start)
        )


# -- quote marks -----------------------------------------------------------------------------


def find_quote_marks(text: str) -> list[Marked]:
    """Every stretch of ``text`` between quote marks, outermost only, in order.

    A double quote left open at a paragraph's end goes on when the next paragraph opens with a
    mark, and ends with the paragraph otherwise. A closing double mark with no opening one
    covers its paragraph up to the mark (``opened=False``). Single quotes count only outside
    double ones, and one left open at a paragraph's end was an apostrophe after all.
    """
    found: list[Marked] = []
    starts = _paragraph_starts(text)
    ends = [*starts[1:], len(text)]
    double: int | None = None
    for number, (first, last) in enumerate(zip(starts, ends, strict=True)):
        single: int | None = None
        floor = first
        position = first
        while position < last:
            char = text[position]
            role = _mark_role(text, position)
            level = _OPENING.get(char) or _CLOSING.get(char) or _STRAIGHT.get(char)
            if role is None or level is None:
                position += 1
                continue
            if level == "double":
                if role in {"close", "both"} and double is not None:
                    found.append(_marked(text, double, position, position + 1, opened=True))
                    double, floor = None, position + 1
                    if role == "both":
                        double = position
                elif role in {"open", "both"} and double is None:
                    double, single = position, None
                elif role == "close" and double is None:
                    found.append(_marked(text, floor, position, position + 1, opened=False))
                    floor = position + 1
            elif double is None:
                if role == "open" and single is None:
                    single = position
                elif role in {"close", "both"} and single is not None:
                    found.append(_marked(text, single, position, position + 1, opened=True))
                    single, floor = None, position + 1
            position += 1
        if double is not None and not _reopens(text, last, number + 1 < len(starts)):
            end = len(text[first:last].rstrip()) + first
            found.append(_marked(text, double, end, end, opened=True, closed=False))
            double = None
    if double is not None:
        found.append(_marked(text, double, len(text), len(text), opened=True, closed=False))
    return [mark for mark in found if mark.start < mark.end]


def _marked(
    text: str, open_at: int, end: int, close: int, *, opened: bool, closed: bool = True
) -> Marked:
    start = open_at + 1 if opened and text[open_at : open_at + 1] in _ALL_MARKS else open_at
    start, end = _trim(text, start, end, keep_marks=False)
    return Marked(open=open_at, start=start, end=end, close=close, opened=opened, closed=closed)


_ALL_MARKS = frozenset([*_OPENING, *_CLOSING, *_STRAIGHT])


def _reopens(text: str, paragraph_end: int, more: bool) -> bool:
    """Whether the paragraph starting at ``paragraph_end`` opens with a double quote mark."""
    if not more:
        return False
    first = text[paragraph_end : paragraph_end + 1]
    return _OPENING.get(first) == "double" or first == '"'


def _mark_role(text: str, position: int) -> str | None:
    """``open``, ``close``, ``both`` (a closing mark glued to the next word) or None."""
    char = text[position]
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    spaced_before = before.isspace() or before in _OPENS_AFTER or before in _ALL_MARKS
    spaced_after = after.isspace() or after in _CLOSES_BEFORE or after in _ALL_MARKS
    if char in _OPENING:
        if _OPENING[char] == "single" and before.isalnum() and after.isalnum():
            return None
        # German „...“ and a misplaced “ after a word close a quote.
        return "close" if not spaced_before and spaced_after else "open"
    if char in {"’", "'"} and before.isalnum() and after.isalnum():
        return None  # an apostrophe: we’re, Massoud’s
    if char in _CLOSING or char in _STRAIGHT:
        if spaced_before and not spaced_after:
            return "open"
        if spaced_after:
            return "close"
        if after.isalnum() and (before in _SENTENCE_END or before.isalnum()):
            return "both" if _CLOSING.get(char) == "double" or char == '"' else None
        return "close"
    return None


def _inside_marks(doc: Doc, marks: list[Marked]) -> dict[int, int]:
    """Token index -> index of the quotation it stands in."""
    inside: dict[int, int] = {}
    for index, mark in enumerate(marks):
        span = doc.char_span(mark.start, mark.end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            inside.setdefault(token.i, index)
    return inside


# -- small helpers ---------------------------------------------------------------------------


def _report(
    doc: Doc,
    cue: _Cue,
    start: int,
    end: int,
    marks: list[Marked],
    consumed: set[int],
    cue_of: dict[int, _Cue],
) -> _Finding | None:
    """An indirect report of ``doc.text[start:end]``, or a mixed one when it holds quotation."""
    held: list[int] = []
    for index, mark in enumerate(marks):
        if not (mark.open < end and mark.close > start) or index in consumed:
            continue
        if mark.opened:
            held.append(index)
        elif mark.close <= cue.start:
            # '..., X wrote' after a quotation whose opening mark is lost: X's direct words.
            cue_of.setdefault(index, cue)
            return None
        else:
            end = min(end, mark.start)
    for index in held:
        start, end = min(start, marks[index].open), max(end, marks[index].close)
    start, end = _trim(text_of(doc), start, end, keep_marks=bool(held))
    # The full stop ends the reporting sentence, not what was said.
    if end > start and text_of(doc)[end - 1] == "." and not text_of(doc)[start:end].endswith(".."):
        end = _trim(text_of(doc), start, end - 1, keep_marks=bool(held))[1]
    if start >= end:
        return None
    consumed.update(held)
    kind: QuoteKind = "mixed" if held else "indirect"
    return _Finding(kind, start, end, cue, tuple(marks[index] for index in held))


def _clip_to_paragraph(paragraphs: list[int], anchor: int, start: int, end: int) -> tuple[int, int]:
    """Keep ``start:end`` inside the paragraph that holds ``anchor`` (the cue)."""
    number = bisect_right(paragraphs, anchor) - 1
    first = paragraphs[number]
    last = paragraphs[number + 1] if number + 1 < len(paragraphs) else end
    return max(start, first), min(end, last)


def _paragraph_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _PARAGRAPH_BREAK.finditer(text))]


def _trim(text: str, start: int, end: int, *, keep_marks: bool) -> tuple[int, int]:
    """Drop spaces and edge punctuation (and quote marks, unless kept) from a stretch."""
    strip = _EDGE_PUNCT if keep_marks else _EDGE_PUNCT + "".join(_ALL_MARKS)
    while start < end and text[start] in strip:
        start += 1
    while end > start and (text[end - 1] in strip or text[end - 1].isspace()):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def in_capitals_line(text: str, offset: int) -> bool:
    """Whether ``offset`` stands in a line written in capitals: a subheading ("STORM DAMAGE"),
    which names no speaker."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start : end if end >= 0 else len(text)]
    letters = [char for char in line if char.isalpha()]
    return len(letters) >= 4 and all(char.isupper() for char in letters)


def _quoted_as_saying(verb: Token) -> Token | None:
    """Who "quote ... as saying" quotes: the object ("AP quoted Nyoman Kandun as saying"), or
    the passive subject ("Hugh Pennington was quoted as saying")."""
    preposition = verb.head
    if verb.dep_ not in {"pcomp", "advcl"} or preposition.lower_ != "as":
        return None
    quote = preposition.head
    if quote.lemma_.casefold() not in {"quote", "cite"}:
        return None
    wanted = ("dobj", "nsubjpass")
    return next((child for dep in wanted for child in quote.children if child.dep_ == dep), None)


def _closing_quotation(clause: Token, cue: Token, marks: list[Marked]) -> int | None:
    """The quotation that ends a reported clause before its cue, opened after the clause's
    first word as a sentence of its own ("Help arrives “The trucks came,” X said"), by index;
    None when there is none. A fragment quoted inside the clause ('The plan was “dead on
    arrival,” X said') is a mixed quote, not this."""
    if clause.i > cue.i:
        return None
    doc = clause.doc
    first = clause.left_edge.idx
    last = clause.right_edge.idx + len(clause.right_edge)
    for index, mark in enumerate(marks):
        if not (
            first < mark.open and mark.close <= cue.idx and mark.end >= _last_word(clause, last)
        ):
            continue
        span = doc.char_span(mark.start, mark.end, alignment_mode="expand")
        if span is None or not text_of(doc)[mark.start : mark.start + 1].isupper():
            continue
        if any(t.dep_ in _SUBJECTS for t in span) and any(t.pos_ in {"VERB", "AUX"} for t in span):
            return index
    return None


def _last_word(clause: Token, end: int) -> int:
    """Where the clause's last word (not a mark or a comma) ends."""
    words = [t for t in clause.subtree if not (t.is_punct or t.is_space or t.is_quote)]
    return words[-1].idx + len(words[-1]) if words else end


def _line_break_between(first: Token, second: Token) -> bool:
    low, high = sorted((first.i, second.i))
    return any("\n" in token.text for token in first.doc[low:high])


def _quoted_from_start(clause: Token, inside: dict[int, int]) -> bool:
    """Whether a reported clause is quoted from its first word ("said “we will stay”"), not
    only in part ("said the plan was “dead on arrival”", a mixed quote)."""
    if clause.i not in inside:
        return False
    words = [
        token
        for token in clause.subtree
        if not (token.is_punct or token.is_space or token.is_quote)
        and not _line_break_between(token, clause)  # a subheading the parse joined to it
        and not (token.dep_ == "mark" and token.lower_ == "that")
    ]
    return bool(words) and inside.get(words[0].i) == inside[clause.i]


def _title_cased(words: list[str]) -> bool:
    """A title as titles are written: every word but the small ones capitalised, not too long."""
    if not 2 <= len(words) <= _TITLE_WORDS:
        return False
    return (
        all(
            word[:1].isupper() or not word[:1].isalpha() or word.casefold() in _TITLE_SMALL_WORDS
            for word in words
        )
        and words[0][:1].isupper()
    )


def _ends_statement(text: str, mark: Marked) -> bool:
    """Whether the quoted words end as a sentence does ("We Will Win!"): a slogan said, not a
    title."""
    return text[max(mark.end - 1, mark.start) : mark.end] in {".", "!", "?"}


def _word_count(text: str) -> int:
    return len(text.split())


def _subtree(token: Token) -> Span:
    tokens = list(token.subtree)
    return token.doc[tokens[0].i : tokens[-1].i + 1]


def _noun_phrase(token: Token) -> Span:
    """The words naming a subject, up to its head: "the spokesman", "Mr Nazary", "he"."""
    left = token.left_edge.i
    # A line break ends what came before: "STORM DAMAGE\n\nThe mayor" is "The mayor".
    breaks = [t.i for t in token.doc[left : token.i] if "\n" in t.text]
    if breaks:
        left = breaks[-1] + 1
    while left < token.i and (token.doc[left].is_punct or token.doc[left].is_space):
        left += 1
    right = token.i + 1
    # Keep flat names and compounds after the head ("Ali Nazary"), not relative clauses.
    while right < len(token.doc) and token.doc[right].dep_ in {"flat", "compound"}:
        right += 1
    return token.doc[left:right]


def _speaking_for(head: Token) -> list[Token]:
    """The words that may name the body a speaker speaks for: a name compounded with the noun
    ("Home Office spokesman") and the complement of "for", "of" ... ("a spokesman for the
    Taliban"); no clauses, no possessives ("Ana Silva's husband")."""
    compounds = [child for child in head.children if child.dep_ == "compound"]
    return [
        *compounds,
        *(
            token
            for child in head.children
            if child.dep_ == "prep" and child.lower_ in _FOR_PREPS
            for token in _without_clauses(child)
            if token.i != child.i
        ),
    ]


def _without_clauses(head: Token) -> list[Token]:
    """The words of a noun phrase, without the clauses that hang from it."""
    clauses = {
        token.i
        for child in head.children
        if child.dep_ in {"relcl", "acl", "advcl"}
        for token in child.subtree
    }
    return [token for token in head.subtree if token.i not in clauses]


def _outlet_in(tokens: list[Token], entities: Iterable[Entity]) -> str | None:
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    for entity in entities:
        if entity.outlet and any(start <= m.start < end for m in entity.mentions):
            return entity.id
    return None


def _outlet_phrase(tokens: list[Token]) -> str:
    """The words naming the outlet: "BBC Radio 4’s Today programme", "Reuters"."""
    # "in an interview with the BBC": the outlet is the object of "with".
    for token in tokens:
        if token.lower_ == "with":
            tokens = [t for t in tokens if t.i > token.i]
            break
    while tokens and (
        tokens[0].dep_ in {"det", "prep", "case"} or tokens[0].is_punct or tokens[0].is_space
    ):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].lower_ == "that"):
        tokens = tokens[:-1]
    if not tokens:
        return ""
    return str(text_of(tokens[0].doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1])])


def make_quote_finder(nlp: Language, name: str) -> QuoteFinder:
    """spaCy factory for ``newsdesk_quotes`` (registered by ``register_components()``)."""
    return QuoteFinder(nlp, name)
