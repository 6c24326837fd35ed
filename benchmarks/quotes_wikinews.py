"""Quote extraction on the project's Wikinews gold set: content spans and speakers.

Gold: ``benchmarks/gold/quotes-wikinews.jsonl`` (154 quotes in 45 fully annotated GeoVirus
Wikinews articles; offsets only, the texts are read from ``../shared``). See
``benchmarks/gold/README.md`` for what counts as a quote.

Scores, over the fully annotated articles only (so a quote newsdesk finds that the gold lacks is
a real false positive):

- content precision, recall and F1, **exact** (same span, ignoring surrounding quote marks,
  spaces and final punctuation) and **overlap** (the spans share at least one character; each
  gold quote matches at most one prediction);
- **speaker** precision, recall and F1 (headline), strict: a gold quote with a speaker counts
  as found when a prediction overlaps its content and names the right speaker (see
  ``speaker_right``: the resolved entity's name or an alias is the gold ``speaker_name``, or the
  words naming the speaker stand on the gold speaker span and their entity is the one the gold
  names; a pronoun or "officials" is right only when it resolves to the right one). Precision
  is over every predicted quote with a speaker, recall over every gold quote with one;
- quotes whose gold has no speaker at all (no span, no name) are outside both figures: they are
  counted apart (``no_speaker``: how many a prediction matched, and how many of those it also
  left without a speaker; a predicted speaker there is a false positive in speaker precision);
- **lenient** speaker figures with the rule this script used before (issue 10): surnames on
  both sides ("World Health Organization" = "Food and Agriculture Organization"), the words
  naming the speaker against the gold span whatever they resolve to, and both-empty quotes as
  right inside the numerator. Printed apart, for comparison with older figures only.

The published citron figures on PARC 3.0 (speaker F1 82.0, content exact F1 59.3) are printed
beside ours for orientation; they are measured on another corpus and scored strictly.

Run from the project root:  python benchmarks/quotes_wikinews.py
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import environment, format_table, overlap, write_json
from quotes_gold import GoldQuote, load_gold

CITRON = {"speaker_f1": 0.820, "content_exact_f1": 0.593}
_TRIM = " \t\n\"'“”‘’«».,;:!?"
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_DETERMINERS = frozenset({"the", "a", "an"})
# Words an acronym skips: "USDA" for United States Department of Agriculture.
_ACRONYM_SKIPS = frozenset({"of", "for", "and", "the", "on", "in", "to"})
Span = tuple[int, int]


@dataclass(frozen=True)
class Predicted:
    content: Span
    speaker_names: frozenset[str]
    """Lower-cased name and mention texts of the predicted speaker entity, or empty (lenient
    rule only)."""
    speaker_text: str | None
    entity_names: tuple[str, ...] = ()
    """The resolved speaker entity's canonical name and aliases; empty when none."""
    entity_mentions: tuple[Span, ...] = ()
    """Every mention of the resolved speaker entity in the text."""
    speaker_span: Span | None = None
    """Where ``speaker_text`` stands: its occurrence nearest the cue (the quote records the
    words, not their offsets)."""

    @property
    def resolved(self) -> bool:
        return bool(self.entity_names)

    @property
    def has_speaker(self) -> bool:
        return self.resolved or bool(self.speaker_text)


def trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def predict_doc(doc: Any) -> list[Predicted]:
    """The quotes of one analysed doc, with what the scoring rules need of their speakers."""
    from newsdesk import attributes

    text = doc.text
    entities = {entity.id: entity for entity in doc._.get(attributes.ENTITIES)}
    found = []
    for quote in doc._.get(attributes.QUOTES):
        names: set[str] = set()
        entity = entities.get(quote.speaker or "")
        entity_names: tuple[str, ...] = ()
        mentions: tuple[Span, ...] = ()
        if entity is not None:
            # Names only: "he" is no name of the speaker, whom coreference may have misread.
            named = [m for m in entity.mentions if m.role != "reference"]
            names = {entity.name.casefold(), *(m.text.casefold() for m in named)}
            names |= {alias.casefold() for alias in entity.aliases}
            entity_names = (entity.name, *entity.aliases)
            mentions = tuple((m.start, m.end) for m in named)
        content = (quote.content.start, quote.content.end)
        anchor = quote.cue.start if quote.cue is not None else content[0]
        found.append(
            Predicted(
                content=content,
                speaker_names=frozenset(names),
                speaker_text=quote.speaker_text,
                entity_names=entity_names,
                entity_mentions=mentions,
                speaker_span=locate_near(text, quote.speaker_text, anchor),
            )
        )
    return found


def locate_near(text: str, words: str | None, anchor: int) -> Span | None:
    """The occurrence of ``words`` in ``text`` nearest ``anchor`` (None when absent)."""
    if not words:
        return None
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(words), text)]
    if not spans:
        return None
    return min(spans, key=lambda span: (max(0, span[0] - anchor, anchor - span[1]), span[0]))


def norm_name(name: str) -> str:
    """A name as compared: case, accents, punctuation and determiners dropped ("The World
    Health Organisation's" -> "world health organisation s"). Punctuation splits words, so
    "U.S." is "u s", on both sides alike."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    words = re.sub(r"[^\w]+", " ", folded).split()
    return " ".join(word for word in words if word not in _DETERMINERS)


def acronym(name: str) -> str:
    """Initials of a normalised name's content words: "united states department of
    agriculture" -> "usda"."""
    words = [word for word in name.split() if word not in _ACRONYM_SKIPS]
    return "".join(word[0] for word in words) if len(words) > 1 else ""


def gold_names(gold: GoldQuote) -> list[str]:
    """The gold speaker names, normalised (several speakers are joined with "; ")."""
    if not gold.speaker_name:
        return []
    return [norm_name(name) for name in gold.speaker_name.split(";") if norm_name(name)]


def naming_spans(name: str, golds: list[GoldQuote], text: str) -> list[Span]:
    """Where the gold names one speaker in an article: the gold speaker spans (of any of the
    article's quotes with that speaker) whose words are the name, its acronym, or contain the
    name (then the name's own stretch of the span). A pronoun, a surname or a description
    ("officials", "the statement") identifies nobody on its own and is never one."""
    spans: list[Span] = []
    short = acronym(name)
    pattern = re.compile(r"\W+".join(re.escape(word) for word in name.split()), re.IGNORECASE)
    for gold in golds:
        if gold.speaker is None or name not in gold_names(gold):
            continue
        start, end = gold.speaker
        words = norm_name(text[start:end])
        if words == name or (short and words == short):
            spans.append((start, end))
            continue
        inside = pattern.search(text, start, end)
        if inside is not None:
            spans.append((inside.start(), inside.end()))
    return spans


def speaker_right(
    gold: GoldQuote, text: str, predicted: Predicted, article_golds: list[GoldQuote]
) -> bool:
    """The strict rule, the same for every system (issue 10).

    A gold quote with a named speaker (``speaker_name``): right when the predicted speaker
    resolves to an entity whose canonical name or an alias equals a gold name (case, accents,
    punctuation and determiners aside), or when the words naming the speaker overlap the gold
    speaker span and the entity is the gold's speaker: one of its mentions covers at least half
    of a place where the gold names that speaker in the article (``naming_spans``). So "he"
    is right only when it resolves to the right person, and a surname or a shared last word
    earns nothing alone.

    A gold quote whose speaker is described but not named ("Health officials", "The report";
    ``speaker_name`` null): right when the words naming the speaker overlap the gold span and
    they resolve to no other entity (none, or one named by the span's own head words, such as
    "officials"): a resolution to a named actor claims more than the text says.

    Quotes with no gold speaker at all are not judged here (see ``score``).
    """
    names = gold_names(gold)
    at_span = (
        gold.speaker is not None
        and predicted.speaker_span is not None
        and overlap(gold.speaker, predicted.speaker_span) > 0
    )
    if names:
        if not predicted.resolved:
            return False
        if {norm_name(name) for name in predicted.entity_names} & set(names):
            return True
        if not at_span:
            return False
        # The mention must cover most of where the gold names the speaker: "Peru" inside
        # "the government of Peru" is another actor.
        return any(
            2 * overlap(mention, span) >= span[1] - span[0]
            for name in names
            for span in naming_spans(name, article_golds, text)
            for mention in predicted.entity_mentions
        )
    if gold.speaker is None or not at_span:
        return False
    if not predicted.resolved:
        return True
    described = norm_name(text[gold.speaker[0] : gold.speaker[1]])
    entity = norm_name(predicted.entity_names[0])
    return bool(entity) and (described == entity or described.endswith(" " + entity))


def speaker_right_lenient(gold: GoldQuote, text: str, predicted: Predicted) -> bool:
    """The rule this script used before issue 10, kept to compare figures: last words of names
    on both sides, the speaker words against the gold span whoever they resolve to, and a quote
    with no speaker on either side right."""
    if gold.speaker_name is None and gold.speaker is None:
        return not predicted.speaker_names
    wanted: set[str] = set()
    if gold.speaker_name:
        for name in gold.speaker_name.split(";"):
            name = name.strip().casefold()
            wanted |= {name, name.split()[-1]} if name else set()
    if gold.speaker is not None:
        wanted.add(text[gold.speaker[0] : gold.speaker[1]].casefold())
    names = set(predicted.speaker_names)
    names |= {name.split()[-1] for name in predicted.speaker_names if name.split()}
    if predicted.speaker_text:
        names.add(_ARTICLE.sub("", predicted.speaker_text.casefold()).strip())
    wanted = {_ARTICLE.sub("", name).strip() for name in wanted}
    return bool(names & wanted)


def score(
    texts: dict[int, str], gold: list[GoldQuote], articles: set[int], nlp: Any
) -> dict[str, Any]:
    """Run ``nlp`` over the annotated articles and score its quotes."""
    ordered = sorted(articles)
    docs = nlp.pipe(texts[article] for article in ordered)
    return score_predictions(
        texts,
        gold,
        {article: predict_doc(doc) for article, doc in zip(ordered, docs, strict=True)},
    )


def score_predictions(
    texts: dict[int, str], gold: list[GoldQuote], predictions: dict[int, list[Predicted]]
) -> dict[str, Any]:
    """Score predicted quotes, by article index, against the gold quotes of those articles."""
    counts = {"gold": 0, "predicted": 0, "exact": 0, "overlap": 0}
    strict = {"right": 0, "matched_with_gold_speaker": 0}
    lenient_right = 0
    no_speaker = {"gold": 0, "matched": 0, "matched_predicted_none": 0}
    scored = [quote for quote in gold if quote.article in predictions]
    gold_with_speaker = sum(1 for quote in scored if quote.speaker_name or quote.speaker)
    predicted_with_speaker = 0
    lenient_predicted = 0
    for article in sorted(predictions):
        text = texts[article]
        wanted = [quote for quote in scored if quote.article == article]
        found = predictions[article]
        counts["gold"] += len(wanted)
        counts["predicted"] += len(found)
        predicted_with_speaker += sum(1 for q in found if q.has_speaker)
        lenient_predicted += sum(1 for q in found if q.speaker_names or q.speaker_text)
        exact_spans = {trimmed(text, p.content) for p in found}
        used: set[int] = set()
        for quote in wanted:
            has_speaker = bool(quote.speaker_name or quote.speaker)
            no_speaker["gold"] += not has_speaker
            if trimmed(text, quote.content) in exact_spans:
                counts["exact"] += 1
            best = max(
                (
                    (overlap(quote.content, p.content), index)
                    for index, p in enumerate(found)
                    if index not in used
                ),
                default=(0, -1),
            )
            if best[0] <= 0:
                continue
            used.add(best[1])
            counts["overlap"] += 1
            match = found[best[1]]
            lenient_right += speaker_right_lenient(quote, text, match)
            if not has_speaker:
                no_speaker["matched"] += 1
                no_speaker["matched_predicted_none"] += not match.has_speaker
                continue
            strict["matched_with_gold_speaker"] += 1
            strict["right"] += speaker_right(quote, text, match, wanted)
    matched = strict["matched_with_gold_speaker"]
    return {
        **counts,
        "content_exact": prf(counts["exact"], counts["predicted"], counts["gold"]),
        "content_overlap": prf(counts["overlap"], counts["predicted"], counts["gold"]),
        "speaker": prf(strict["right"], predicted_with_speaker, gold_with_speaker),
        "speaker_right": strict["right"],
        "gold_with_speaker": gold_with_speaker,
        "predicted_with_speaker": predicted_with_speaker,
        "speaker_accuracy_on_matched": round(strict["right"] / matched, 3) if matched else 0.0,
        "matched_with_gold_speaker": matched,
        "no_speaker": no_speaker,
        "lenient": {
            "speaker": prf(lenient_right, lenient_predicted, gold_with_speaker),
            "speaker_accuracy_on_matched": round(lenient_right / counts["overlap"], 3)
            if counts["overlap"]
            else 0.0,
        },
    }


def prf(right: int, predicted: int, gold: int) -> dict[str, float]:
    precision = right / predicted if predicted else 0.0
    recall = right / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="GeoVirus.xml (default ../shared)")
    args = parser.parse_args(argv)
    texts, gold, articles = load_gold(data=args.data)
    import newsdesk

    nlp = newsdesk.load_pipeline()
    if "newsdesk_quotes" not in nlp.pipe_names:
        sys.exit("newsdesk_quotes is not in newsdesk.load_pipeline(): nothing to score yet")
    started = time.perf_counter()
    scores = score(texts, gold, articles, nlp)
    seconds = time.perf_counter() - started
    rows = [
        ["content exact P / R / F1", *_triple(scores["content_exact"])],
        ["content overlap P / R / F1", *_triple(scores["content_overlap"])],
        ["speaker P / R / F1 (strict)", *_triple(scores["speaker"])],
        ["speaker P / R / F1, lenient (old rule)", *_triple(scores["lenient"]["speaker"])],
    ]
    print(
        f"{len(articles)} articles, {scores['gold']} gold quotes, {scores['predicted']} predicted; "
        f"{scores['gold_with_speaker']} gold quotes with a speaker"
    )
    print(format_table(["figure", "precision", "recall", "F1"], rows))
    print(
        f"speaker accuracy on matched quotes with a gold speaker (strict): "
        f"{scores['speaker_right']}/{scores['matched_with_gold_speaker']} = "
        f"{scores['speaker_accuracy_on_matched']}"
    )
    apart = scores["no_speaker"]
    print(
        f"quotes with no gold speaker (outside the speaker figures): {apart['gold']}, "
        f"{apart['matched']} matched, {apart['matched_predicted_none']} of those also without a "
        f"predicted speaker"
    )
    print(
        f"citron on PARC 3.0 (another corpus, strict): speaker F1 {CITRON['speaker_f1']}, "
        f"content exact F1 {CITRON['content_exact_f1']}"
    )
    write_json(
        "quotes_wikinews.json",
        {
            "benchmark": "quotes_wikinews",
            "environment": environment(),
            "seconds": round(seconds, 2),
            "scores": scores,
            "citron_parc3": CITRON,
        },
    )
    return 0


def _triple(figures: dict[str, float]) -> list[str]:
    return [f"{figures['precision']:.3f}", f"{figures['recall']:.3f}", f"{figures['f1']:.3f}"]


if __name__ == "__main__":
    raise SystemExit(main())
