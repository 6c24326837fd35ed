"""Article streams for the desk-at-scale benchmark (``desk_scale.py``): generated and real.

Both are endless, deterministic streams of ``Article`` records in arrival order, so a store of
N articles is the stream's first N and the batch added to it is the next 1,000. Neither holds
the whole corpus: only the stories (incidents) of the last ``WINDOW_DAYS`` days are kept, so
memory stays flat however far the stream runs.

Generated (``generated_stream``), records built by code (no spaCy), from corpus_scaling.py's
generator, made more like a real feed:

- about ``ARTICLES_PER_DAY`` (300) articles a day, so 100,000 articles span about 11 months;
- stories of very different sizes: a story takes each next article with a weight that falls
  with its age, and a new story starts with probability 0.2, so most stories have 1-5 reports
  and a few run to dozens;
- 300 outlets and 6 wire agencies (Reuters, AP, AFP, Anadolu, Xinhua, DPA); 12% of original
  reports are the agency's own;
- 20% of the articles republish part of an earlier report of their story: 1-3 of its
  paragraphs, half of them lightly edited, plus new paragraphs; 5% are whole copies under a
  new headline. A copy of agency copy opens with a dateline crediting it ("CITY (Reuters) -")
  three times in four, as outlets print it;
- 2% of the articles are undated, and 5% arrive a day or two after their publication date;
- every article has a title, entities (two knowledge-base actors, a person), its story's place,
  two events and one or two claims.

Real (``real_stream``): the project's demo articles (``src/newsdesk/demo``) and the 89 VOA
reports of ``../shared/eval/voa/voa_stories.jsonl``, analysed once with the Analyzer (read at
run time; the Article JSON is cached in ``benchmarks/.cache/``, git-ignored, never committed).
VOA bodies come as one line; their paragraphs are restored as runs of three sentences before
analysis. Records are then made from them, record by record (the texts are never re-analysed):

- each story of the stream is an incident retold from one real report (the seeds are taken in
  turn, 97 of them): every original report of it is that report with its id, publisher and
  date new, its dates moved to the incident's day, and about half of its lower-case words (not
  names, places or event triggers) swapped for other words of the same length drawn from the
  real texts, so two reports of one incident share actors, places and events but not their
  sentences, as independent reports do;
- 20% are partial copies of an earlier report of the incident: trimmed copies (its first 2 to
  n-1 paragraphs, with whatever lies beyond the cut dropped) and copies under a new headline
  (half of them trimmed too); 5% are whole copies under a new id and outlet;
- mixed into the generated stream, one article in three: the real records bring real text
  lengths, entity and event density; the generated ones the long tail of other stories.

Every offset (blocks, evidence) is kept true to the new text, and every evidence text is
re-read from it.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _common import DEMO_DIR, PROJECT_ROOT, SHARED_EVAL
from newsdesk.records import (
    Article,
    Block,
    Claim,
    Entity,
    Event,
    Evidence,
    Place,
    Quantity,
)

CACHE_DIR = PROJECT_ROOT / "benchmarks" / ".cache"
VOA_PATH = SHARED_EVAL / "voa" / "voa_stories.jsonl"
REAL_CACHE = "real_articles.jsonl"

ARTICLES_PER_DAY = 300
NEW_STORY = 0.2
WINDOW_DAYS = 6
"""A story takes new reports for about this long after it starts."""
START = date(2023, 1, 2)
AGENCIES = ("Reuters", "AP", "AFP", "Anadolu", "Xinhua", "DPA")
OUTLETS = tuple(f"Outlet {i}" for i in range(300))
AGENCY_SHARE = 0.12
WHOLE_COPY = 0.05
PARTIAL_COPY = 0.20
UNDATED = 0.02
LATE = 0.05
REAL_SHARE = 1 / 3
TYPES = ("ASSAULT", "COERCE", "PROTEST", "CONSULT", "MOBILIZE", "THREATEN", "AID", "ACCUSE")
CITIES = ("KYIV", "NAIROBI", "BEIRUT", "KABUL", "LAGOS", "MANILA", "BOGOTA", "DHAKA")
_HEADLINES = ("{title}, officials say", "Update: {title}", "What we know: {title}", "{title}")


def _day(index: int, rate: int = ARTICLES_PER_DAY) -> date:
    return START + timedelta(days=index // rate)


def _published(rng: random.Random, day: date) -> str | None:
    """The date an article carries: 2% none, 5% a day or two before it arrived."""
    roll = rng.random()
    if roll < UNDATED:
        return None
    if roll < UNDATED + LATE:
        day -= timedelta(days=rng.randint(1, 2))
    return day.isoformat()


# -- generated records ------------------------------------------------------------------------


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(size)]


@dataclass
class _Story:
    number: int
    day: int
    words: list[str]
    actors: list[tuple[str, str]]
    person: str
    place: Place
    types: list[str]
    reports: list[tuple[list[str], str | None]] = field(default_factory=list)
    """Paragraphs of each report so far, and the agency that wrote it (None: an outlet)."""


def _new_story(rng: random.Random, number: int, day: int, common: list[str]) -> _Story:
    return _Story(
        number=number,
        day=day,
        words=rng.sample(common, 25),
        actors=[(f"GRP.S{number}A", f"Group{number}a"), (f"GRP.S{number}B", f"Group{number}b")],
        person=f"Person{number}",
        place=Place(
            name=f"Town{number % 5000}",
            country=f"C{number % 120:03d}",
            lat=rng.uniform(-50, 50),
            lon=rng.uniform(-150, 150),
            precision=1,
            gazetteer_id=f"gz{number % 5000}",
        ),
        types=rng.sample(TYPES, 2),
    )


def _paragraph(rng: random.Random, story: _Story, common: list[str]) -> str:
    words = [
        rng.choice(story.words) if rng.random() < 0.3 else rng.choice(common[:3000])
        for _ in range(rng.randint(30, 60))
    ]
    verb = rng.choice(["attacked", "met", "warned", "accused", "said"])
    return f"{story.actors[0][1]} {verb} " + " ".join(words) + "."


def _edited(rng: random.Random, paragraph: str) -> str:
    words = paragraph.split()
    for _ in range(2):
        words[rng.randrange(2, len(words))] = rng.choice(["edited", "revised", "also"])
    return " ".join(words)


class _Stories:
    """The stories still taking reports, each next one chosen with a weight falling with age."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.live: list[Any] = []
        self.started = 0

    def pick(self, day: int, start: Any) -> tuple[Any, bool]:
        self.live = [s for s in self.live if day - s.day <= WINDOW_DAYS]
        if not self.live or self.rng.random() < NEW_STORY:
            story = start(self.started, day)
            self.started += 1
            self.live.append(story)
            return story, True
        # Newer stories draw more reports; a story's first days are its busiest.
        weights = [1.0 / (1 + day - s.day) ** 1.5 for s in self.live]
        return self.rng.choices(self.live, weights=weights)[0], False


def generated_stream(
    *, seed: int = 7, prefix: str = "g", rate: int = ARTICLES_PER_DAY
) -> Iterator[Article]:
    """Generated Article records, endlessly, in arrival order (see the module docstring);
    ``rate`` articles a day."""
    rng = random.Random(seed)
    common = _vocabulary(rng, 8000)
    stories = _Stories(rng)
    index = 0
    while True:
        arrival = _day(index, rate)
        day_number = (arrival - START).days
        story, _ = stories.pick(
            day_number, lambda number, day: _new_story(rng, number, day, common)
        )
        yield _generated_article(rng, f"{prefix}{index}", story, arrival, common)
        index += 1


def _generated_article(
    rng: random.Random, key: str, story: _Story, arrival: date, common: list[str]
) -> Article:
    roll = rng.random()
    agency: str | None = None
    credited: str | None = None
    if story.reports and roll < WHOLE_COPY:
        paragraphs, credited = rng.choice(story.reports)
        paragraphs = list(paragraphs)
    elif story.reports and roll < WHOLE_COPY + PARTIAL_COPY:
        source, credited = rng.choice(story.reports)
        taken = rng.sample(source, min(len(source), rng.randint(1, 3)))
        paragraphs = [p if rng.random() < 0.5 else _edited(rng, p) for p in taken]
        paragraphs += [_paragraph(rng, story, common) for _ in range(rng.randint(1, 3))]
    else:
        paragraphs = [_paragraph(rng, story, common) for _ in range(rng.randint(3, 8))]
        if rng.random() < AGENCY_SHARE:
            agency = rng.choice(AGENCIES)
    story.reports.append((paragraphs, agency))
    if credited and rng.random() < 0.75:
        city = CITIES[story.number % len(CITIES)]
        paragraphs = [f"{city} ({credited}) - {paragraphs[0]}", *paragraphs[1:]]
    title = " ".join(paragraphs[0].split()[:9]).rstrip(".")
    publisher = agency or rng.choice(OUTLETS)
    return _build(rng, key, story, title, paragraphs, publisher, _published(rng, arrival))


def _build(
    rng: random.Random,
    key: str,
    story: _Story,
    title: str,
    paragraphs: list[str],
    publisher: str,
    published: str | None,
) -> Article:
    text = "\n\n".join([title, *paragraphs])
    blocks = [Block(kind="title", start=0, end=len(title))]
    offset = len(title) + 2
    for paragraph in paragraphs:
        blocks.append(Block(kind="body", start=offset, end=offset + len(paragraph)))
        offset += len(paragraph) + 2
    body = blocks[1:]

    def evidence(start: int, end: int) -> Evidence:
        return Evidence(start=start, end=end, text=text[start:end])

    entities = [
        Entity(id=f"e{j}", name=name, type="ORG", actor=actor)
        for j, (actor, name) in enumerate(story.actors)
    ] + [Entity(id="e2", name=story.person, type="PERSON")]
    day = date.fromisoformat(published) if published else START + timedelta(days=story.day)
    events = []
    for k in range(2):
        block = body[k % len(body)]
        trigger_end = block.start + text[block.start :].index(" ")
        quantities: tuple[Quantity, ...] = ()
        if k == 0 and rng.random() < 0.3:
            quantities = (
                Quantity(
                    value=float(rng.choice([10, 12])),
                    unit="dead",
                    evidence=evidence(block.start, trigger_end),
                ),
            )
        events.append(
            Event(
                type=story.types[k],
                source=("e0",),
                target=("e1",),
                place=0,
                date=(day - timedelta(days=rng.randint(0, 1))).isoformat(),
                date_precision="day",
                quantities=quantities,
                trigger=evidence(block.start, trigger_end),
                evidence=evidence(block.start, block.end),
            )
        )
    claims = [
        Claim(
            claimant="e2" if k == 0 else "e0",
            content=evidence(block.start, block.end),
            stance="deny" if rng.random() < 0.2 else "assert",
            hedged=rng.random() < 0.3,
        )
        for k, block in enumerate(body[: rng.randint(1, 2)])
    ]
    return Article(
        id=hashlib.sha256(key.encode()).hexdigest()[:16],
        title=title,
        publisher=publisher,
        published=published,
        text=text,
        blocks=tuple(blocks),
        entities=tuple(entities),
        places=(story.place,),
        events=tuple(events),
        claims=tuple(claims),
        extractor="benchmark",
    )


# -- real records -----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])")


def _paragraphs(text: str, *, sentences: int = 3) -> str:
    """A one-line VOA body as paragraphs of ``sentences`` sentences (the collector flattened
    them; wire paragraphs are one to three sentences)."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        parts.append(text[start : match.start() + len(match.group(0).rstrip())].strip())
        start = match.end()
    parts.append(text[start:].strip())
    parts = [part for part in parts if part]
    return "\n\n".join(" ".join(parts[i : i + sentences]) for i in range(0, len(parts), sentences))


def real_inputs(voa: Path = VOA_PATH) -> list[tuple[str, Any]]:
    """(origin, Input) for the demo articles and the VOA reports, in a fixed order."""
    from newsdesk.records import Input

    inputs = [
        (path.name, Input(data=path.read_bytes(), origin=path.name))
        for path in sorted(DEMO_DIR.iterdir())
        if path.suffix in {".txt", ".html"}
    ]
    if not voa.exists():
        raise SystemExit(f"{voa} is missing: the real corpus needs ../shared/eval/voa")
    for line in voa.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        text = story["title"] + "\n\n" + _paragraphs(story["text"])
        inputs.append((f"voa/{story['id']}", Input(data=text, published=story["published"][:10])))
    return inputs


def real_articles(*, cache_dir: Path = CACHE_DIR) -> list[Article]:
    """The demo and VOA articles as the Analyzer reads them, analysed once and cached."""
    path = cache_dir / REAL_CACHE
    if path.exists():
        return [Article.model_validate_json(line) for line in path.read_text("utf-8").splitlines()]
    import newsdesk
    from newsdesk.records import Rejected

    inputs = real_inputs()
    analyzer = newsdesk.Analyzer()
    articles = []
    for (origin, _), result in zip(
        inputs, analyzer.analyze_many(item for _, item in inputs), strict=True
    ):
        if isinstance(result, Rejected):
            print(f"real corpus: {origin} rejected ({result.code}: {result.reason})")
            continue
        articles.append(result)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(a.model_dump_json() + "\n" for a in articles), encoding="utf-8")
    tmp.replace(path)
    return articles


# -- record-level variants of real articles ---------------------------------------------------


def _remap(value: Any, evidence: Any, block: Any) -> Any:
    """``value`` with every Evidence passed through ``evidence`` and every Block through
    ``block`` (records are frozen: changed parents are copied, unchanged ones shared)."""
    if isinstance(value, Evidence):
        return evidence(value)
    if isinstance(value, Block):
        return block(value)
    if isinstance(value, tuple):
        items = tuple(_remap(item, evidence, block) for item in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if hasattr(type(value), "model_fields"):
        updates = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _remap(old, evidence, block)
            if new is not old:
                updates[name] = new
        return value.model_copy(update=updates) if updates else value
    return value


def _spans(value: Any) -> Iterator[Evidence]:
    if isinstance(value, Evidence):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _spans(item)
    elif hasattr(type(value), "model_fields") and not isinstance(value, Block):
        for name in type(value).model_fields:
            yield from _spans(getattr(value, name))


def _reread(article: Article, text: str) -> Article:
    """The article over ``text`` (same length, same offsets): every evidence text re-read."""

    def evidence(e: Evidence) -> Evidence:
        return e.model_copy(update={"text": text[e.start : e.end]})

    out = _remap(article.model_copy(update={"text": text}), evidence, lambda b: b)
    title = _title_block(out)
    return out.model_copy(update={"title": text[title.start : title.end]}) if title else out


def _title_block(article: Article) -> Block | None:
    return next((b for b in article.blocks if b.kind == "title"), None)


def _insert(article: Article, at: int, piece: str, *, grow: bool) -> Article:
    """``piece`` inserted into the text at ``at``; offsets after it move. ``grow``: the block
    that ends (title suffix) or starts (dateline) at ``at`` takes the piece in."""
    shift = len(piece)
    text = article.text[:at] + piece + article.text[at:]

    def moved(start: int, end: int, *, is_block: bool) -> tuple[int, int]:
        if is_block and grow and (end == at or start == at):
            return start, end + shift
        return (start + shift if start >= at else start), (end + shift if end > at else end)

    def evidence(e: Evidence) -> Evidence:
        start, end = moved(e.start, e.end, is_block=False)
        return e.model_copy(update={"start": start, "end": end, "text": text[start:end]})

    def block(b: Block) -> Block:
        start, end = moved(b.start, b.end, is_block=True)
        return b.model_copy(update={"start": start, "end": end})

    out = _remap(article.model_copy(update={"text": text}), evidence, block)
    title = _title_block(out)
    return out.model_copy(update={"title": text[title.start : title.end]}) if title else out


def _fits(value: Any, cut: int) -> bool:
    return all(e.end <= cut for e in _spans(value))


def _trim(article: Article, cut: int) -> Article:
    """The article's text up to ``cut`` (the end of a block), with whatever lies past it
    dropped: mentions, events, claims, quotes, quantities and times."""
    kept_quotes = [i for i, q in enumerate(article.quotes) if _fits(q, cut)]
    quote_index = {old: new for new, old in enumerate(kept_quotes)}

    def within(mentions: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        return tuple(m for m in mentions if m.end <= cut)

    entities = tuple(
        e.model_copy(
            update={
                "mentions": within(e.mentions),
                "roles": tuple(r for r in e.roles if _fits(r, cut)),
            }
        )
        for e in article.entities
    )
    places = tuple(
        p.model_copy(
            update={
                "mentions": within(p.mentions),
                "relative": tuple(r for r in p.relative if _fits(r, cut)),
            }
        )
        for p in article.places
    )
    claims = tuple(
        c.model_copy(update={"quote": quote_index.get(c.quote) if c.quote is not None else None})
        for c in article.claims
        if _fits(c, cut)
    )
    return article.model_copy(
        update={
            "text": article.text[:cut],
            "blocks": tuple(b for b in article.blocks if b.end <= cut),
            "entities": entities,
            "places": places,
            "times": tuple(t for t in article.times if _fits(t, cut)),
            "quantities": tuple(q for q in article.quantities if _fits(q, cut)),
            "quotes": tuple(article.quotes[i] for i in kept_quotes),
            "claims": claims,
            "events": tuple(e for e in article.events if _fits(e, cut)),
        }
    )


_WORD = re.compile(r"\b[A-Za-z][a-z]{3,}\b")


def word_pool(articles: Sequence[Article]) -> dict[int, list[str]]:
    """Lower-case words of the real texts by length: the replacements a retelling draws."""
    pool: dict[int, set[str]] = {}
    for article in articles:
        for word in _WORD.findall(article.text):
            if word.islower():
                pool.setdefault(len(word), set()).add(word)
    return {length: sorted(words) for length, words in pool.items()}


def _retold(
    rng: random.Random, article: Article, pool: dict[int, list[str]], *, share: float = 0.8
) -> Article:
    """The article with about ``share`` of its words of four letters or more swapped for
    lower-case words of the same length (capitalised where the word was); the mentions of
    names and places, event triggers, times and quantities are kept as they are."""
    kept: list[tuple[int, int]] = []
    for entity in article.entities:
        kept += [(m.start, m.end) for m in entity.mentions]
    for place in article.places:
        kept += [(m.start, m.end) for m in place.mentions]
    kept += [(e.trigger.start, e.trigger.end) for e in article.events]
    kept += [(t.evidence.start, t.evidence.end) for t in article.times]
    kept += [(q.evidence.start, q.evidence.end) for q in article.quantities]
    kept.sort()
    chars = list(article.text)
    position = 0
    for match in _WORD.finditer(article.text):
        start, end = match.span()
        while position < len(kept) and kept[position][1] <= start:
            position += 1
        if position < len(kept) and kept[position][0] < end:
            continue
        if rng.random() < share:
            word = rng.choice(pool[end - start])
            chars[start:end] = word.capitalize() if match.group(0)[0].isupper() else word
    return _reread(article, "".join(chars))


def _shift_date(value: str, shift: timedelta) -> str:
    """An event date ("2024-03-05", "2024-03", "2024", or a range "a/b" of them) moved by
    ``shift``; a value of another shape is kept."""
    parts = []
    for part in value.split("/"):
        try:
            if len(part) == 10:
                part = (date.fromisoformat(part) + shift).isoformat()
            elif len(part) == 7:
                part = (date.fromisoformat(part + "-15") + shift).isoformat()[:7]
            elif len(part) == 4:
                part = (date.fromisoformat(part + "-07-01") + shift).isoformat()[:4]
        except ValueError:
            pass
        parts.append(part)
    return "/".join(parts)


def _redated(article: Article, published: str | None, anchor: date) -> Article:
    """The article published on ``published`` (None: undated), its event dates moved by as many
    days as the report moved from ``anchor`` (the day the real report was published)."""
    shift = date.fromisoformat(published) - anchor if published else timedelta(0)
    events = tuple(
        e.model_copy(update={"date": _shift_date(e.date, shift)}) if e.date else e
        for e in article.events
    )
    return article.model_copy(update={"published": published, "events": events})


@dataclass
class _Incident:
    number: int
    day: int
    seed: Article
    anchor: date
    reports: list[tuple[Article, str | None]] = field(default_factory=list)
    """Reports of it so far (in the seed's time, before dating), with the agency that wrote
    each (None: an outlet); the first ``COPIED_REPORTS`` only: copies copy early reports."""


COPIED_REPORTS = 5


def real_variants(
    real: Sequence[Article], *, seed: int = 11, rate: int = 100, prefix: str = "r"
) -> Iterator[Article]:
    """Record-level variants of the real articles, endlessly, in arrival order, ``rate`` a
    day (see the module docstring)."""
    rng = random.Random(seed)
    pool = word_pool(real)
    order = list(range(len(real)))
    rng.shuffle(order)

    def start(number: int, day: int) -> _Incident:
        report = real[order[number % len(order)]]
        anchor = date.fromisoformat(report.published) if report.published else START
        return _Incident(number, day, report, anchor)

    incidents = _Stories(rng)
    index = 0
    while True:
        arrival = _day(index, rate)
        incident, _ = incidents.pick((arrival - START).days, start)
        yield _real_variant(rng, f"{prefix}{index}", incident, arrival, pool)
        index += 1


def _real_variant(
    rng: random.Random, key: str, incident: _Incident, arrival: date, pool: dict[int, list[str]]
) -> Article:
    roll = rng.random()
    agency: str | None = None
    credited: str | None = None
    if incident.reports and roll < WHOLE_COPY:
        article, credited = rng.choice(incident.reports)
    elif incident.reports and roll < WHOLE_COPY + PARTIAL_COPY:
        article, credited = rng.choice(incident.reports)
        body = [b for b in article.blocks if b.kind == "body"]
        how = rng.random()
        if how < 0.75 and len(body) >= 3:  # trimmed (half of these under a new headline too)
            article = _trim(article, body[rng.randint(1, len(body) - 2)].end)
        title = _title_block(article)
        if how >= 0.375 and title is not None:
            template = rng.choice(_HEADLINES[:3])
            if template.startswith("{title}"):
                article = _insert(article, title.end, template[len("{title}") :], grow=True)
            else:
                article = _insert(article, 0, template[: -len("{title}")], grow=True)
    else:
        article = _retold(rng, incident.seed, pool)
        if rng.random() < AGENCY_SHARE:
            agency = rng.choice(AGENCIES)
    if len(incident.reports) < COPIED_REPORTS:
        incident.reports.append((article, agency or credited))
    body = next((b for b in article.blocks if b.kind == "body"), None)
    if credited and body is not None and rng.random() < 0.75:
        city = CITIES[incident.number % len(CITIES)]
        article = _insert(article, body.start, f"{city} ({credited}) - ", grow=True)
    article = _redated(article, _published(rng, arrival), incident.anchor)
    return article.model_copy(
        update={
            "id": hashlib.sha256(key.encode()).hexdigest()[:16],
            "url": None,
            "publisher": agency or rng.choice(OUTLETS),
        }
    )


def real_stream(real: Sequence[Article], *, seed: int = 7) -> Iterator[Article]:
    """The real variant: record-level variants of the real articles, one article in three,
    mixed into the generated stream (at the same pace of days)."""
    rng = random.Random(seed + 1)
    generated = generated_stream(
        seed=seed, prefix="g", rate=round(ARTICLES_PER_DAY * (1 - REAL_SHARE))
    )
    variants = real_variants(real, seed=seed, rate=round(ARTICLES_PER_DAY * REAL_SHARE))
    while True:
        yield next(variants) if rng.random() < REAL_SHARE else next(generated)


def stream(kind: str, *, seed: int = 7) -> Iterator[Article]:
    """``generated`` or ``real`` (see the module docstring)."""
    if kind == "generated":
        return generated_stream(seed=seed)
    if kind == "real":
        return real_stream(real_articles(), seed=seed)
    raise ValueError(f"unknown corpus {kind!r}: generated or real")
