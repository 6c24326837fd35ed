"""Stories a reader would draw: purity and completeness of story clustering on VOA reports and
variants of them made by code.

The corpus. The 89 VOA reports of ``../shared/eval/voa`` (read at run time, never copied), each
cut into paragraphs of three sentences (the collector folded paragraph breaks away; wire copy
is reused paragraph by paragraph), published by "Voice of America" on its day. Beside them,
variants made by code, chosen by each report's position ``i`` in date order (a rule that does
not look at the text):

- ``republished`` (even ``i``): the whole report under a new headline (made from its lede and
  keywords), with no date, by another outlet. Half arrive the same day as the original; half
  arrive after every other report, as a back-catalogue feed does;
- ``trimmed`` (``i`` divisible by 3): its first 60% of paragraphs, a new headline, a day later;
- ``inserted`` (``i`` = 1 mod 4): the next report in date order (the *host*) with two paragraphs
  of this report put in after its second paragraph, a new headline, a day after the host. It
  belongs to the host's story: most of it is the host's;
- ``redated`` (``i`` = 3 mod 4): a follow-up of the same incident two days later: every other
  sentence of the report, two to a paragraph, under a new headline. No paragraph of it is a
  copy, so it joins by what it shares, not by syndication;
- ``rewritten`` (``i`` = 1 mod 4): the other sentences (odd positions), two to a paragraph,
  under a new headline, with no date, arriving after every other report: an archive's undated
  rewrite. No paragraph is a copy and no date places it: only what its text states does.

Articles arrive in date order (an undated variant at the day it arrives), and every article is
analysed by ``newsdesk.Analyzer`` once: the Article JSON is cached under
``benchmarks/cache/stories_voa/`` (gitignored), keyed by the input and the model, so a rerun only
runs the corpus steps (``analyse_corpus``). The key holds a hash of the analysing code (the
package without its corpus steps), so a pipeline change analyses again; ``--fresh`` does too.

Gold. Each VOA report and its variants is one story, except the reports that really are about
the same event, grouped in ``benchmarks/gold/stories_voa.json`` with a reason each; an
``inserted`` variant is in its host's story.

Figures, over articles (each article counts once):

- B-cubed precision: for each article, the share of the articles in its predicted story that
  are in its gold story, averaged; B-cubed recall: the share of its gold story's articles that
  are in its predicted story, averaged; F1 their harmonic mean. Precision is purity as a reader
  sees it (one story, one event), recall completeness (a story is not split);
- purity: articles in the gold story most common in their predicted story, over all articles;
  inverse purity: articles in the predicted story most common in their gold story, over all;
- ``joined_<kind>``: the share of variants of each kind that are in the story of their original
  (their host, for ``inserted``);
- ``cross_story_events``: merged events whose mentions come from more than one gold story (a
  mention in an inserted paragraph belongs to the story of the report it was copied from), and
  ``cross_story_disputed``: those of them that are "disputed" (events of different incidents
  merged and set against each other).

Run from the project root:  python benchmarks/stories_voa.py [--limit N] [--fresh]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _common import DEFAULT_MODEL, PROJECT_ROOT, SHARED_EVAL, environment, format_table, write_json

DATA = SHARED_EVAL / "voa" / "voa_stories.jsonl"
GOLD = PROJECT_ROOT / "benchmarks" / "gold" / "stories_voa.json"
CACHE = PROJECT_ROOT / "benchmarks" / "cache" / "stories_voa"
VOA = "Voice of America"
OUTLETS = [f"Outlet {letter}" for letter in "ABCDEFG"]
SENTENCES_PER_PARAGRAPH = 3
KINDS = ("original", "republished", "trimmed", "inserted", "redated", "rewritten")

# A sentence ends at . ! or ? (maybe closed by a quote mark) before a space and a capital or an
# opening quote; "U.S. officials" stays whole since "officials" is lower-case.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘]?[A-Z0-9])")


@dataclass(frozen=True)
class Report:
    """One VOA report as the benchmark reads it."""

    id: str
    title: str
    published: str
    keywords: str
    sentences: tuple[str, ...]

    @property
    def paragraphs(self) -> list[str]:
        return _grouped(self.sentences, SENTENCES_PER_PARAGRAPH)


@dataclass(frozen=True)
class Made:
    """One article of the made corpus, before analysis."""

    name: str
    kind: str
    origin: str
    """The VOA report whose story it belongs to (the host, for an inserted copy)."""
    title: str
    paragraphs: tuple[str, ...]
    published: str | None
    publisher: str
    arrives: str
    order: int
    sources: tuple[str, ...] = ()
    """The VOA report each paragraph comes from, when not all from ``origin``."""

    def source_at(self, offset: int) -> str:
        """The VOA report the text at ``offset`` of ``text`` comes from."""
        end = len(self.title)
        for position, paragraph in enumerate(self.paragraphs):
            end += 2 + len(paragraph)
            if offset < end:
                return self.sources[position] if self.sources else self.origin
        return self.origin

    @property
    def text(self) -> str:
        return "\n\n".join((self.title, *self.paragraphs))


def load_reports(path: Path) -> list[Report]:
    if not path.is_file():
        raise SystemExit(f"VOA stories not found at {path} (see ../shared/eval/voa/README.md)")
    reports = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                sentences = tuple(s.strip() for s in _SENTENCE_END.split(row["text"]) if s.strip())
                reports.append(
                    Report(
                        id=row["id"],
                        title=row["title"],
                        published=row["published"][:10],
                        keywords=row.get("keywords") or "",
                        sentences=sentences,
                    )
                )
    reports.sort(key=lambda r: (r.published, r.id))
    return reports


def _grouped(items: Sequence[str], size: int) -> list[str]:
    return [" ".join(items[i : i + size]) for i in range(0, len(items), size)]


def _shifted(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _headline(report: Report) -> str:
    """A new headline, as another desk writes one: a keyword and the lede's opening words."""
    topic = report.keywords.split(",")[0].strip() or "World"
    words = report.sentences[0].split()[:9]
    return f"{topic}: " + " ".join(words).rstrip(",;:")


def made_corpus(reports: Sequence[Report]) -> list[Made]:
    """The VOA reports and their variants, in arrival order."""
    made: list[Made] = []
    latest = max(r.published for r in reports)
    end = _shifted(latest, 1)

    def add(**fields: Any) -> None:
        made.append(Made(order=len(made), **fields))

    for i, report in enumerate(reports):
        outlet = OUTLETS[i % len(OUTLETS)]
        paragraphs = tuple(report.paragraphs)
        add(
            name=report.id,
            kind="original",
            origin=report.id,
            title=report.title,
            paragraphs=paragraphs,
            published=report.published,
            publisher=VOA,
            arrives=report.published,
        )
        if i % 2 == 0:
            add(
                name=f"{report.id}-republished",
                kind="republished",
                origin=report.id,
                title=_headline(report),
                paragraphs=paragraphs,
                published=None,
                publisher=outlet,
                arrives=report.published if i % 4 == 0 else end,
            )
        if i % 3 == 0 and len(paragraphs) > 1:
            kept = max(1, round(len(paragraphs) * 0.6))
            day = _shifted(report.published, 1)
            add(
                name=f"{report.id}-trimmed",
                kind="trimmed",
                origin=report.id,
                title=_headline(report),
                paragraphs=paragraphs[:kept],
                published=day,
                publisher=outlet,
                arrives=day,
            )
        if i % 4 == 1 and i + 1 < len(reports):
            host = reports[i + 1]
            own = host.paragraphs
            day = _shifted(host.published, 1)
            add(
                name=f"{host.id}-inserted-{report.id}",
                kind="inserted",
                origin=host.id,
                title=_headline(host),
                paragraphs=(*own[:2], *paragraphs[:2], *own[2:]),
                sources=(*[host.id] * len(own[:2]), *[report.id] * 2, *[host.id] * len(own[2:])),
                published=day,
                publisher=outlet,
                arrives=day,
            )
        if i % 4 == 1 and len(report.sentences) > 3:
            add(
                name=f"{report.id}-rewritten",
                kind="rewritten",
                origin=report.id,
                title=_headline(report),
                paragraphs=tuple(_grouped(report.sentences[1::2], 2)),
                published=None,
                publisher=outlet,
                arrives=end,
            )
        if i % 4 == 3 and len(report.sentences) > 3:
            day = _shifted(report.published, 2)
            add(
                name=f"{report.id}-redated",
                kind="redated",
                origin=report.id,
                title=_headline(report),
                paragraphs=tuple(_grouped(report.sentences[0::2], 2)),
                published=day,
                publisher=outlet,
                arrives=day,
            )
    # Arrival: by the day each article reaches the desk; within a day, as made.
    return sorted(made, key=lambda m: (m.arrives, m.order))


# -- analysis, cached -------------------------------------------------------------------------


def pipeline_fingerprint() -> str:
    """A hash of the analysing code and data (every file of the newsdesk package but the
    corpus steps): the cache holds an Article only for the pipeline that made it."""
    import newsdesk

    root = Path(newsdesk.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or relative.parts[0] == "corpus" or "__pycache__" in relative.parts:
            continue
        digest.update(str(relative).encode("utf-8") + b"\x00" + path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_key(item: Made, model: str, fingerprint: str) -> str:
    payload = f"{model}\x00{fingerprint}\x00{item.published or ''}\x00{item.text}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def default_analyzer(model: str) -> Callable[[], Any]:
    """A function that builds the Analyzer the scripts use (user settings, ``model``)."""

    def build() -> Any:
        import newsdesk
        from newsdesk.settings import load_settings

        settings = load_settings()
        nlp = newsdesk.load_pipeline(model=model, knowledge_base=settings.entities.knowledge_base)
        return newsdesk.Analyzer(settings=settings, nlp=nlp)

    return build


def analyse(
    made: Sequence[Made], *, analyzer: Callable[[], Any], cache: str | None
) -> tuple[list[Any], float]:
    """Each made article's ``Article``, and the CPU seconds the analyser ran. With ``cache``
    (the model's name), Articles are read from and written to ``CACHE``; without, all are
    analysed. The publisher is set on the record: the input is text with no metadata."""
    from newsdesk.records import Article, Input, Rejected

    fingerprint = pipeline_fingerprint()
    found: dict[int, Article] = {}
    todo: list[int] = []
    paths: dict[int, Path] = {}
    for position, item in enumerate(made):
        if cache is not None:
            paths[position] = CACHE / f"{_cache_key(item, cache, fingerprint)}.json"
            if paths[position].is_file():
                text = paths[position].read_text(encoding="utf-8")
                found[position] = Article.model_validate_json(text)
                continue
        todo.append(position)
    seconds = 0.0
    if todo:
        CACHE.mkdir(parents=True, exist_ok=True)
        inputs = [Input(data=made[p].text, published=made[p].published) for p in todo]
        started = time.process_time()
        results = analyzer().analyze_many(inputs)
        for done, (position, result) in enumerate(zip(todo, results, strict=True), start=1):
            if isinstance(result, Rejected):
                raise SystemExit(f"{made[position].name} was rejected: {result.reason}")
            if position in paths:
                paths[position].write_text(result.model_dump_json(), encoding="utf-8")
            found[position] = result
            if sys.stderr.isatty():
                print(f"\ranalysed {done}/{len(todo)}", end="", file=sys.stderr, flush=True)
        seconds = time.process_time() - started
    articles = [
        found[p].model_copy(update={"publisher": item.publisher}) for p, item in enumerate(made)
    ]
    return articles, seconds


def measure(
    data: Path,
    gold_path: Path,
    *,
    analyzer: Callable[[], Any],
    cache: str | None,
    limit: int | None = None,
) -> tuple[dict[str, Any], list[Report], float, float]:
    """The figures, the reports, and the CPU seconds of analysis and of the corpus steps."""
    from newsdesk.corpus.desk import analyse_corpus

    reports = load_reports(data)
    gold = load_gold(gold_path, reports)
    if limit:
        reports = reports[:limit]
    made = made_corpus(reports)
    articles, analysis_s = analyse(made, analyzer=analyzer, cache=cache)
    started = time.process_time()
    results = analyse_corpus(articles)
    corpus_s = time.process_time() - started
    return score(made, articles, results, gold), reports, analysis_s, corpus_s


# -- gold and scores --------------------------------------------------------------------------


def load_gold(path: Path, reports: Iterable[Report]) -> dict[str, str]:
    """Gold story label by VOA report id: the first id of its group, or its own id."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {r.id for r in reports}
    label = {report_id: report_id for report_id in known}
    for group in data["groups"]:
        ids = group["stories"]
        if not group.get("reason") or len(ids) < 2:
            raise SystemExit(f"{path}: every group needs two stories or more and a reason")
        for report_id in ids:
            if report_id not in known:
                raise SystemExit(f"{path}: {report_id} is no VOA story")
            label[report_id] = ids[0]
    return label


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> tuple[float, float]:
    """B-cubed precision and recall over the articles of ``gold`` (label by article)."""
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_predicted: dict[str, set[str]] = defaultdict(set)
    for article, label in gold.items():
        by_gold[label].add(article)
        by_predicted[predicted[article]].add(article)
    precision = recall = 0.0
    for article, label in gold.items():
        same_gold = by_gold[label]
        same_predicted = by_predicted[predicted[article]]
        both = len(same_gold & same_predicted)
        precision += both / len(same_predicted)
        recall += both / len(same_gold)
    return precision / len(gold), recall / len(gold)


def purity(labels: Mapping[str, str], clusters: Mapping[str, str]) -> float:
    """Share of articles in the ``labels`` class most common in their ``clusters`` cluster."""
    members: dict[str, Counter[str]] = defaultdict(Counter)
    for article, cluster in clusters.items():
        members[cluster][labels[article]] += 1
    return sum(counts.most_common(1)[0][1] for counts in members.values()) / len(clusters)


def score(
    made: Sequence[Made], articles: Sequence[Any], results: Any, gold: Mapping[str, str]
) -> dict[str, Any]:
    by_name = {item.name: article.id for item, article in zip(made, articles, strict=True)}
    assigned = {article: story.id for story in results.stories for article in story.articles}
    gold_of = {by_name[item.name]: gold[item.origin] for item in made}
    predicted = {article: assigned[article] for article in gold_of}
    precision, recall = bcubed(gold_of, predicted)
    figures: dict[str, Any] = {
        "articles": len(made),
        "gold_stories": len(set(gold_of.values())),
        "stories": len(set(predicted.values())),
        "bcubed_precision": round(precision, 4),
        "bcubed_recall": round(recall, 4),
        "bcubed_f1": round(2 * precision * recall / (precision + recall), 4),
        "purity": round(purity(gold_of, predicted), 4),
        "inverse_purity": round(purity(predicted, gold_of), 4),
    }
    for kind in KINDS[1:]:
        items = [item for item in made if item.kind == kind]
        joined = sum(
            predicted[by_name[item.name]] == predicted[by_name[item.origin]] for item in items
        )
        figures[f"joined_{kind}"] = round(joined / len(items), 4) if items else None
        figures[f"{kind}_count"] = len(items)
    item_of = {article.id: item for item, article in zip(made, articles, strict=True)}
    cross = [
        event
        for event in results.merged
        if len({gold[item_of[m.article].source_at(m.evidence.start)] for m in event.mentions}) > 1
    ]
    mixed = []
    for story in results.stories:
        labels = {gold_of[article] for article in story.articles}
        if len(labels) > 1:
            mixed.append(sorted(labels))
    figures["mixed_stories"] = mixed
    figures["merged_events"] = len(results.merged)
    figures["cross_story_events"] = len(cross)
    figures["cross_story_disputed"] = sum(event.status == "disputed" for event in cross)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--limit", type=int, default=None, help="the first N reports by date")
    parser.add_argument("--fresh", action="store_true", help="analyse all, without the cache")
    parser.add_argument("--out", default="stories_voa.json", help="file name in results/")
    args = parser.parse_args()

    figures, reports, analysis_s, corpus_s = measure(
        args.data,
        args.gold,
        analyzer=default_analyzer(args.model),
        cache=None if args.fresh else args.model,
        limit=args.limit,
    )
    rows = [[name, str(value)] for name, value in figures.items() if name != "mixed_stories"]
    print(format_table(["figure", "value"], rows))
    titles = {report.id: report.title for report in reports}
    for labels in figures["mixed_stories"]:
        print("one story, several gold stories:", " | ".join(titles[label] for label in labels))
    print(f"analysis {analysis_s:.1f} s CPU (0 when cached), corpus steps {corpus_s:.1f} s CPU")
    path = write_json(
        args.out,
        {"figures": figures, "corpus_cpu_s": round(corpus_s, 2), "environment": environment()},
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
