"""Metadata from plain text: title, publisher, publication date, dateline, hashtags, links, handles.

Plain-text news (pasted posts, wire copy, newsletters) carries its metadata in the words
themselves: a headline line, a wire dateline ("KABUL, Aug 24 (Reuters) -"), a copyright or
signature line, hashtags. Every function here is pure and written for many publishers' habits,
not one site's. Dates are parsed by a small parser of our own, because dateparser costs seconds
to import; a date is returned only when day, month and year are all stated (never guessed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from newsdesk.data.lexicons import load_phrases

__all__ = [
    "Dateline",
    "TextMetadata",
    "extract_metadata",
    "find_dateline",
    "find_handles",
    "find_hashtags",
    "find_links",
    "find_published",
    "find_publisher",
    "find_title",
    "match_dateline",
    "normalise_punctuation",
    "parse_date",
]


@dataclass(frozen=True)
class Dateline:
    """The opening dateline of a report, such as "KABUL, Aug 24 (Reuters) -"."""

    text: str
    """The dateline exactly as it stands at the start of its paragraph."""
    place: str | None = None
    agency: str | None = None
    published: str | None = None
    """ISO date, only when the dateline states a year."""


@dataclass(frozen=True)
class TextMetadata:
    title: str | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    """ISO date (YYYY-MM-DD) of publication, or None when the text does not state one."""
    dateline: Dateline | None = None
    hashtags: tuple[str, ...] = ()
    """Without the leading '#', in order of first appearance, each once (case-insensitively)."""
    links: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    """``@user`` handles and social profile addresses such as ``t.me/name``."""


def extract_metadata(text: str) -> TextMetadata:
    """Everything :mod:`newsdesk.stages.metadata` can tell from ``text`` alone."""
    dateline = find_dateline(text)
    title = find_title(text)
    return TextMetadata(
        title=title,
        publisher=find_publisher(text, title=title, dateline=dateline),
        authors=find_authors(text),
        published=find_published(text, dateline=dateline),
        dateline=dateline,
        hashtags=find_hashtags(text),
        links=find_links(text),
        handles=find_handles(text),
    )


# --- punctuation ---------------------------------------------------------------------------

_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2026": "...",
    }
)
_DOT_RUN = re.compile(r"\.{2,}")
_SPACE_RUN = re.compile(r"[ \t]+")


def normalise_punctuation(text: str) -> str:
    """Typographic quotes, dashes and ellipses as ASCII, runs of dots as one space.

    For matching only: the article text itself is never rewritten, so offsets stay true.
    """
    text = _DOT_RUN.sub(" ", text.translate(_PUNCTUATION))
    return _SPACE_RUN.sub(" ", text)


# --- dates ---------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<{name}>(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))(?![A-Za-z])\.?"
)
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<{name}>(?:19|20)\d\d)(?!\d)"
# Any punctuation may stand between the parts: "Aug.24: 2021", "24-Aug-2021", "August 24, 2021".
_SEP = r"[\s.,:;/'-]*"
_DAY_MONTH_YEAR = re.compile(
    r"(?<![\w])"
    + _DAY.format(name="day")
    + _SEP
    + r"(?:of\s+)?"
    + _MONTH.format(name="month")
    + _SEP
    + _YEAR.format(name="year"),
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    r"(?<![\w])"
    + _MONTH.format(name="month")
    + _SEP
    + _DAY.format(name="day")
    + _SEP
    + _YEAR.format(name="year"),
    re.IGNORECASE,
)
_ISO = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)")
_NUMERIC = re.compile(
    r"(?<![\d/.])(?P<first>[0-3]?\d)[/.](?P<second>[0-3]?\d)[/.](?P<year>(?:19|20)\d\d)(?!\d)"
)


def parse_date(text: str) -> str | None:
    """The first full date (day, month and year) in ``text`` as ISO ``YYYY-MM-DD``, or None.

    Reads "Aug.24: 2021", "24 August 2021", "Tuesday, August 24th, 2021", "2021-08-24", and
    "24/08/2021" only when it cannot be read both day-first and month-first.
    """
    text = normalise_punctuation(text)
    found: list[tuple[int, str]] = []
    for pattern in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            iso = _iso(match.group("year"), _month_number(match.group("month")), match["day"])
            if iso is not None:
                found.append((match.start(), iso))
                break
    for match in _NUMERIC.finditer(text):
        iso = _numeric_date(match["first"], match["second"], match["year"])
        if iso is not None:
            found.append((match.start(), iso))
            break
    return min(found)[1] if found else None


def _month_number(month: str) -> int:
    return int(month) if month.isdigit() else _MONTHS[month[:3].lower()]


def _iso(year: str, month: int, day: str) -> str | None:
    try:
        return date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None


def _numeric_date(first: str, second: str, year: str) -> str | None:
    a, b = int(first), int(second)
    if a != b and a <= 12 and b <= 12:
        return None  # 03/04/2021 is March or April depending on the writer's country
    if a > 12:
        return _iso(year, b, first)
    # second > 12 means month-first (US style); a == b reads the same either way.
    return _iso(year, a, second)


# --- lines ---------------------------------------------------------------------------------

_HEAD_LINES = 6
_TAIL_LINES = 10


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _edges(lines: list[str]) -> list[str]:
    """The head and the tail of a text, where bylines, datelines and signatures stand."""
    if len(lines) <= _HEAD_LINES + _TAIL_LINES:
        return lines
    return lines[:_HEAD_LINES] + lines[-_TAIL_LINES:]


# --- authors -------------------------------------------------------------------------------

# "By Jane Doe", "By Jane Doe and John Roe", "By Jane Doe, Reuters": a byline line, whole.
_BYLINE = re.compile(
    r"^(?:by|BY|By)\s+(?P<names>[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3})*)\s*$"
)
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")


def find_authors(text: str) -> tuple[str, ...]:
    """The names of a byline line near the top or the end ("By Jane Doe and John Roe")."""
    for line in _edges(_lines(text)):
        match = _BYLINE.match(normalise_punctuation(line))
        if match:
            names = (name.strip() for name in _NAME_SPLIT.split(match["names"]))
            # "By Jane Doe, Reuters" ends with the agency, not a second author.
            return tuple(name for name in names if name and name[0].isupper() and " " in name)
    return ()


# --- published -----------------------------------------------------------------------------

_LABEL = re.compile(
    r"(?<![\w])(?P<label>first published|published|posted|last updated|updated|dated|date)"
    r"(?:\s+on)?\s*(?P<colon>:)?",
    re.IGNORECASE,
)
_LABEL_RANK = {"published": 0, "first published": 0, "posted": 0, "dated": 1, "date": 1}
_LABELLED_SPAN = 60


def find_published(text: str, *, dateline: Dateline | None = None) -> str | None:
    """The publication date the text states, as ISO, or None.

    In order: a labelled date ("Published: Aug.24: 2021", "Posted on August 24, 2021",
    "Updated: 2021-08-24") in the head or the signature at the end, or anywhere on a line that
    begins with the label; the dateline's date when it gives a year; a line that is only a
    date in the head or tail. A date in the body ("the 2001 attack on 9 September 2001") is
    never taken: it is about the story, not the publication.
    """
    lines = _lines(text)
    labelled = _labelled_dates(lines)
    if labelled:
        return min(labelled)[1]
    if dateline is not None and dateline.published is not None:
        return dateline.published
    for line in _edges(lines):
        if len(line) <= 40 and _DATE_ONLY.fullmatch(normalise_punctuation(line)):
            found = parse_date(line)
            if found is not None:
                return found
    return None


_DATE_ONLY = re.compile(r"[\w\s.,:;/'-]*\d{4}[\s.,:;-]*", re.IGNORECASE)


def _labelled_dates(lines: list[str]) -> list[tuple[int, str]]:
    edges = set(_edges(lines))
    found: list[tuple[int, str]] = []
    for line in lines:
        plain = normalise_punctuation(line)
        for match in _LABEL.finditer(plain):
            at_start = match.start() == 0
            if line not in edges and not (at_start and match["colon"]):
                continue
            iso = parse_date(plain[match.end() : match.end() + _LABELLED_SPAN])
            if iso is not None:
                found.append((_LABEL_RANK.get(match["label"].lower(), 2), iso))
    return found


# --- dateline ------------------------------------------------------------------------------

_DATELINE_PARAGRAPHS = 5
_SHORT_DATE = (
    r"(?:"
    + _MONTH.format(name="month")
    + _SEP
    + _DAY.format(name="day")
    + r"(?:"
    + _SEP
    + _YEAR.format(name="year")
    + r")?)"
)
_DASH = r"(?:-{1,2}|[\u2013\u2014\u2015])"
_PLACE = (
    r"(?P<place>[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+)*(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)*)?)"
)
_AGENCY = r"\((?P<agency>[A-Z][A-Za-z&.\-]*(?: [A-Z][A-Za-z&.\-]*){0,3})\)"
# "KABUL, Aug 24 (Reuters) -", "KYIV (AP) —", "WASHINGTON, Aug. 24, 2021 (Xinhua) --"
_WIRE = re.compile(
    r"\A" + _PLACE + r"(?:,?\s+" + _SHORT_DATE + r")?\s*" + _AGENCY + r"\s*" + _DASH + r"\s?"
)
# "KABUL, Aug 24 —", "KIGALI, Rwanda -" or "KABUL —": an all-caps place, perhaps its country or
# a date, and a dash, no agency.
_PLACE_DASH = re.compile(
    r"\A(?P<place>[A-Z]{3,}(?:[ '.\-][A-Z]+)*(?:, [A-Z][a-z]+(?: [A-Z][a-z]+){0,2})?)"
    r"(?:,\s+" + _SHORT_DATE + r")?\s+" + _DASH + r"\s?"
)
# "(CNN) —": an outlet's name in brackets and a dash, opening the lead, no place.
_AGENCY_DASH = re.compile(r"\A" + _AGENCY + r"\s*" + _DASH + r"\s?")
# "#AceNewsReport – Aug.24:" : a blog's signature hashtag and the day.
_HASHTAG_DATE = re.compile(
    r"\A#\w+\s*(?:" + _DASH + r"|:)\s*" + _SHORT_DATE + r"\s*[:\-\u2013\u2014]?\s?",
    re.IGNORECASE,
)


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of one of the first paragraphs, or None."""
    for line in _lines(text)[:_DATELINE_PARAGRAPHS]:
        dateline = match_dateline(line)
        if dateline is not None:
            return dateline
    return None


def _is_agency(name: str) -> bool:
    """An outlet's name as a dateline gives it alone: an acronym ("CNN", "AFP") or a known
    agency ("Reuters", "Xinhua")."""
    # load_phrases gives the phrases case-folded, and caches them.
    agencies = load_phrases("segment_cues", "agencies")
    return bool(re.fullmatch(r"[A-Z]{2,6}", name)) or name.casefold() in agencies


def match_dateline(line: str) -> Dateline | None:
    """The dateline opening ``line`` (a place, a date, an agency, a dash), or None."""
    for pattern in (_WIRE, _PLACE_DASH, _AGENCY_DASH, _HASHTAG_DATE):
        match = pattern.match(line)
        if match is None:
            continue
        groups = match.groupdict()
        if pattern is _AGENCY_DASH and not _is_agency(groups["agency"]):
            continue  # "(Updated) -": no outlet, no dateline
        published = None
        if groups.get("year") and groups.get("month") and groups.get("day"):
            published = _iso(groups["year"], _month_number(groups["month"]), groups["day"])
        return Dateline(
            text=match.group(0).rstrip(),
            place=groups.get("place"),
            agency=groups.get("agency"),
            published=published,
        )
    return None


# --- publisher -----------------------------------------------------------------------------

_NAME = r"(?P<name>[A-Z0-9][\w&'.\-]*(?: (?:&|of|and|the|[A-Z0-9][\w&'.\-]*)){0,6})"
_COPYRIGHT = re.compile(
    r"(?i:\u00a9|\(c\)|copyright)\s*(?:\u00a9\s*)?(?:(?:19|20)\d\d(?:\s*-\s*(?:19|20)\d\d)?\s*)?"
    r",?\s*" + _NAME
)
_PUBLISHED_BY = re.compile(r"\b(?i:published|produced|brought to you) (?i:by):?\s+" + _NAME)
_SOURCE = re.compile(r"(?:^|\b)(?i:source|via):\s+" + _NAME)
_NAME_END = re.compile(r"\.\s|\s*\|\s*|,\s")
_NAME_TRAILER = re.compile(r"[\s.,;:\-]+$|\s+(?i:ltd|limited|inc|llc|plc)\.?$")


def find_publisher(
    text: str, *, title: str | None = None, dateline: Dateline | None = None
) -> str | None:
    """Who published the text, as the text states it, or None.

    In order: "Published by X"; "© 2021 X" or "Copyright X"; a blog's signature hashtag
    (one that stands in the title and again at the start of a signature line that carries a
    date, as in "#AceNewsDesk report ... Published: Aug.24: 2021"); "Source: X"; the agency
    of a wire dateline.
    """
    lines = _lines(text)
    for pattern in (_PUBLISHED_BY, _COPYRIGHT):
        name = _first_name(pattern, _edges(lines))
        if name is not None:
            return name
    signature = _signature_hashtag(lines, title=title)
    if signature is not None:
        return signature
    name = _first_name(_SOURCE, _edges(lines))
    if name is not None:
        return name
    return dateline.agency if dateline is not None else None


def _first_name(pattern: re.Pattern[str], lines: list[str]) -> str | None:
    for line in lines:
        match = pattern.search(normalise_punctuation(line))
        if match is not None:
            name = _clean_name(match["name"])
            if name and not name.isdigit():
                return name
    return None


def _clean_name(name: str) -> str:
    name = _NAME_END.split(name, maxsplit=1)[0]
    while (trimmed := _NAME_TRAILER.sub("", name)) != name:
        name = trimmed
    return name.strip()


def _signature_hashtag(lines: list[str], *, title: str | None) -> str | None:
    if title is None or len(lines) < 2:
        return None
    in_title = {tag.lower(): tag for tag in find_hashtags(title)}
    for line in lines[1:][-_TAIL_LINES:]:
        match = _HASHTAG.match(line)
        if match is None or match["tag"].lower() not in in_title:
            continue
        if _labelled_dates([line]) or parse_date(line) is not None:
            return match["tag"]
    return None


# --- title ---------------------------------------------------------------------------------

_TITLE_MAX_CHARS = 300
_SENTENCE_END = re.compile(r"[.!?][\"')\u201d\u2019]?\s+[A-Z\"\u201c]")


def find_title(text: str) -> str | None:
    """The first non-empty line, when it is set apart as a headline; otherwise None.

    A headline stands alone (a blank line follows it) before more text, is short, ends without
    a full stop or a clause mark (a lead sentence ends with one; "?" and "!" headlines exist),
    does not state its source as a lead does (", police said"), and is not a dateline, a date,
    a label line or an address. Wire copy pasted without its headline opens with the lead
    paragraph, which is never the title.
    """
    lines = _lines(text)
    if len(lines) < 2:
        return None
    line = lines[0]
    plain = normalise_punctuation(line)
    core = plain.rstrip().rstrip("\"')]").rstrip()
    looks_like_body = (
        len(line) > _TITLE_MAX_CHARS
        or len(_SENTENCE_END.findall(plain)) > 1
        or not any(char.isalpha() for char in line)
        or core[-1:] in {".", ",", ";", ":", "\u2026"}
        or _ATTRIBUTION.search(plain) is not None
        or not _SET_APART.match(text.lstrip())
    )
    if looks_like_body or match_dateline(line) is not None or _URL.fullmatch(line):
        return None
    if _LABEL.match(plain) or (len(line) <= 40 and parse_date(line) is not None):
        return None
    return line


# A lead sentence names its source in the past ("..., police said"); a headline says "says".
_ATTRIBUTION = re.compile(
    r",\s+(?:[\w'.-]+\s+){0,5}(?:said|told|reported|according)\b", re.IGNORECASE
)
# The first line, then a blank line.
_SET_APART = re.compile(r"[^\n]*\n[ \t\r\f\v]*\n")


# --- hashtags, links, handles --------------------------------------------------------------

_HASHTAG = re.compile(r"(?<![\w&#/])#(?P<tag>[^\W\d](?:[\w-]*\w)?)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\u201c\u201d\u2018\u2019\[\]{}|\\^`]+", re.I)
_GENERIC_TLDS = (
    "com|org|net|info|gov|edu|int|mil|io|co|me|tv|ly|news|blog|online|site|app|biz|media|press"
)
_BARE_DOMAIN = re.compile(
    r"(?<![\w@/.\-])(?P<host>(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+"
    r"(?:(?i:" + _GENERIC_TLDS + r")|[a-z]{2}))(?![\w\-])(?P<path>/[^\s<>\"'\[\]{}|\\^`]*)?",
    re.IGNORECASE,
)
_GENERIC_TLD_SET = frozenset(_GENERIC_TLDS.split("|"))
_SECOND_LEVEL = frozenset({"co", "com", "gov", "org", "ac", "net", "edu", "gob", "nic"})
_TRAILING = ".,;:!?'\"\u2019\u201d\u2026>*"
# Posts often glue the next word to an address ("wordpress.com/and thanks"): a final path
# segment that is a bare function word is that next word, not part of the address.
_GLUED_WORDS = frozenset(
    {"and", "or", "but", "the", "all", "for", "to", "in", "on", "at", "with", "from", "via", "here"}
)
_SOCIAL_HOSTS = frozenset(
    {"t.me", "twitter.com", "x.com", "instagram.com", "facebook.com", "tiktok.com", "youtube.com"}
)
_NOT_PROFILES = frozenset(
    {"share", "sharer", "intent", "home", "i", "search", "hashtag", "watch", "status", "login"}
)
_HANDLE = re.compile(r"(?<![\w.@/])@(?P<name>[A-Za-z0-9_]{1,30})(?![\w@])(?!\.\w)")


def find_hashtags(text: str) -> tuple[str, ...]:
    """Hashtags without their '#': "#Taliban", "#islamic-emirate"; not "#1", not in addresses."""
    return _unique(match["tag"] for match in _HASHTAG.finditer(_without_links(text)))


def find_links(text: str) -> tuple[str, ...]:
    """Web addresses: full URLs and bare domains ("acetwitternews.wordpress.com"), host in
    lower case, trailing punctuation removed."""
    found: list[tuple[int, str]] = []
    for match in _URL.finditer(text):
        found.append((match.start(), _clean_url(match.group(0))))
    masked = _without_links(text)
    for match in _BARE_DOMAIN.finditer(masked):
        if _is_domain(match["host"], match["path"]):
            found.append((match.start(), _clean_url(match.group(0))))
    return _unique(link for _, link in sorted(found) if link)


def find_handles(text: str) -> tuple[str, ...]:
    """Social handles: "@user" (not e-mail addresses) and profile addresses like "t.me/name"."""
    found: list[tuple[int, str]] = [
        (match.start(), "@" + match["name"]) for match in _HANDLE.finditer(_without_links(text))
    ]
    for position, link in enumerate(find_links(text)):
        profile = _profile(link)
        if profile is not None:
            found.append((len(text) + position, profile))
    return _unique(handle for _, handle in sorted(found))


def _without_links(text: str) -> str:
    return _URL.sub(lambda match: " " * len(match.group(0)), text)


def _is_domain(host: str, path: str | None) -> bool:
    labels = host.split(".")
    tld = labels[-1]
    if tld.lower() in _GENERIC_TLD_SET:
        return True
    # A two-letter ending may be a country's domain ("bbc.co.uk") or two glued sentences
    # ("fighters.In the valley"): accept it only in lower case with more evidence.
    return tld.islower() and (labels[-2].lower() in _SECOND_LEVEL or path is not None)


def _clean_url(url: str) -> str:
    url = url.rstrip(_TRAILING)
    if url.endswith(")") and "(" not in url:
        url = url.rstrip(")").rstrip(_TRAILING)
    head, slash, last = url.rpartition("/")
    if slash and last.lower() in _GLUED_WORDS and head.count("/") in (0, 2):
        url = head + "/"
    return _lower_host(url)


def _lower_host(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        rest, scheme = url, ""
    host, slash, path = rest.partition("/")
    host = host.lower()
    return f"{scheme.lower()}{sep}{host}{slash}{path}"


def _profile(link: str) -> str | None:
    rest = link.split("://", 1)[-1]
    host, _, path = rest.partition("/")
    host = host.removeprefix("www.").removeprefix("mobile.")
    name = path.split("/", 1)[0].split("?", 1)[0]
    if host not in _SOCIAL_HOSTS or not name or name.lower() in _NOT_PROFILES:
        return None
    return f"{host}/{name}"


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return tuple(out)
