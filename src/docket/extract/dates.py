"""Date phrases: found with patterns, resolved against the document's published date.

Candidates come from month, weekday and relative-expression phrase sets
(``data/extract/dates.yaml``)
plus ISO dates; full dates with a year go through ``dateparser.parse`` (cached), the rest are
resolved here: "on Sunday" -> the last Sunday on or before the published day, "January 29" -> the
year that puts it on or before the published day, "last week" -> week precision, "in late
February" -> month precision. Without a published date and a stated year, a date stays unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from docket.extract.fastre import first_char_guard
from docket.extract.phrases import normalize_phrase
from docket.extract.resources import Resources

_DAY_BEFORE = re.compile(r"(\d{1,2})(?:st|nd|rd|th|er|\.)?\s*(?:of\s+|de\s+)?$")
_DAY_AFTER = re.compile(r"^\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s*(\d{4})(?!\d))?")
_YEAR_AFTER = re.compile(r"^\.?,?\s*(\d{4})(?!\d)")
_DMY = re.compile(r"(?<![\d-])(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d\d)(?![\d-])")
_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_AGO = re.compile(
    r"\b(a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(day|days|week|weeks)\s+"
    r"(earlier|before|ago|later|after)\b",
    re.IGNORECASE,
)
_CHAIN = re.compile(
    r"\b(?:(the previous day|the day before|the night before)|(the following day|the next day))\b",
    re.IGNORECASE,
)
# What every match of the pattern above holds, found fast (literal-led or literal searches):
# a text without it is not scanned with the pattern. (An ASCII text is searched in lower case:
# there IGNORECASE is plain lower-casing.)
_ISO_HINT = re.compile(r"-\d\d-\d\d")
_DMY_HINT = re.compile(r"[-/.]\d{1,2}[-/.](?:19|20)\d\d")
# What follows "day" or "week" in every match of _AGO (in lower case).
_AGO_TAIL = re.compile(r"s?\s+(?:earlier|before|ago|later|after)\b")


def _may_hold_dmy(text: str) -> bool:
    """False where ``_DMY`` cannot match: its year (19.. or 20..) comes after "-", "/" or ".".
    The year's second digit is looked for by one-character searches (~8x faster than
    searching for "19" and "20"), then what stands before it."""
    for digit in "90":
        pos = text.find(digit, 2)
        while pos >= 0:
            if text[pos - 2] in "-/." and text[pos - 1 : pos + 1] in ("19", "20"):
                return _DMY_HINT.search(text) is not None
            pos = text.find(digit, pos + 1)
    return False


def _may_count_days(text: str, lower: str) -> bool:
    """False where ``_AGO`` cannot match (``lower``: ``text`` in lower case): in an ASCII text,
    no "day" or "week" is followed by its tail. Both words are rare enough that looking at
    each costs less than a search for the tail."""
    if not text.isascii():
        return True
    for unit in ("day", "week"):
        pos = lower.find(unit)
        while pos >= 0:
            if _AGO_TAIL.match(lower, pos + len(unit)):
                return True
            pos = lower.find(unit, pos + 1)
    return False


def _may_chain(text: str, lower: str) -> bool:
    """False where ``_CHAIN`` cannot match: in an ASCII text, none of its phrases (whose blanks
    are single spaces) is in ``lower``; every one but "night before" holds "day"."""
    if not text.isascii():
        return True
    pos = lower.find("day")
    while pos >= 0:
        if lower.startswith(" before", pos + 3) or lower.endswith(_BEFORE_DAY, 0, pos):
            return True
        pos = lower.find("day", pos + 1)
    return "night before" in lower


_BEFORE_DAY = ("previous ", "following ", "next ")


_CAME = re.compile(r"\b(?:came|comes|occurred|happened|followed|was|were)\s+$", re.IGNORECASE)
_SMALL = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_ARABIC_DAY_CUES = ("يوم", "ليلة", "فجر", "صباح", "مساء", "ظهر")


@dataclass(slots=True)
class DateHit:
    """A date phrase and what it resolves to.

    ``kind`` is ``absolute`` (resolved here), or ``chain`` (``offset`` days from the date of the
    event before it, e.g. "a day earlier"). ``skip`` marks period bounds ("since May").
    """

    start: int
    end: int
    text: str
    date: dt.date | None
    precision: str
    kind: str = "absolute"
    offset: int = 0
    skip: bool = False
    month: int | None = None  # a month (and day) whose year the text leaves to context
    day: int | None = None


def find_dates(
    text: str, published: dt.date | None, language: str | None, res: Resources
) -> list[DateHit]:
    """All date phrases in ``text``, in order, resolved where possible."""
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for hit in res.months.finditer(text):
        found = _month_date(text, hit.start, hit.end, int(hit.labels[0]), published, language, res)
        if found is not None:
            hits.append(found)
            taken.append((found.start, found.end))
    for m in _ISO.finditer(text) if _ISO_HINT.search(text) else ():
        iso = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso is None:
            continue
        hits.append(DateHit(m.start(), m.end(), m.group(), iso, "day"))
        taken.append((m.start(), m.end()))
    for m in _DMY.finditer(text) if _may_hold_dmy(text) else ():
        dmy = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if dmy is None or any(a <= m.start() < b for a, b in taken):
            continue
        hits.append(DateHit(m.start(), m.end(), m.group(), dmy, "day"))
        taken.append((m.start(), m.end()))
    for hit in res.weekdays.finditer(text):
        if any(s - 25 <= hit.start <= e for s, e in taken):
            continue  # "Tuesday, 23 October": the full date already says it
        if not _weekday_ok(text, hit.start, hit.text, language):
            continue
        hits.append(_weekday(hit.start, hit.end, hit.text, int(hit.labels[0]), published))
    for hit in res.relative.finditer(text):
        days, precision = res.relative_table[normalize_phrase(hit.text)]
        back: dt.date | None = published - dt.timedelta(days=days) if published else None
        if back and precision == "month":
            back = back.replace(day=1)
        hits.append(DateHit(hit.start, hit.end, hit.text, back, precision))
    lower = text.lower()
    for m in _AGO.finditer(text) if _may_count_days(text, lower) else ():
        word = m.group(1).lower()
        count = _SMALL.get(word, 1) if word.isalpha() else int(word)
        days = count * (7 if m.group(2).lower().startswith("week") else 1)
        precision = "week" if m.group(2).lower().startswith("week") else "day"
        direction = m.group(3).lower()
        if direction == "ago":
            ago = published - dt.timedelta(days=days) if published else None
            hits.append(DateHit(m.start(), m.end(), m.group(), ago, precision))
        else:
            sign = 1 if direction in ("later", "after") else -1
            if direction == "after" and _CAME.search(text[max(0, m.start() - 20) : m.start()]):
                sign = -1  # "the deaths came a day after 13 were killed": the other was before
            hits.append(
                DateHit(m.start(), m.end(), m.group(), None, precision, "chain", sign * days)
            )
    for m in _CHAIN.finditer(text) if _may_chain(text, lower) else ():
        sign = -1 if m.group(1) else 1
        hits.append(DateHit(m.start(), m.end(), m.group(), None, "day", "chain", sign))
    for h in hits:
        # "the toll from Thursday's strike": a day naming the attack, not a period's start
        h.skip = _skipped(text, h.start, res) and text[h.end : h.end + 2] not in ("'s", "’s")
    hits.sort(key=lambda h: h.start)
    if published is None:
        _years_from_context(hits)
    return hits


def _years_from_context(hits: list[DateHit]) -> None:
    """Without a published date, "March 25" takes the latest year the text states elsewhere."""
    years = [h.date.year for h in hits if h.date is not None and h.kind == "absolute"]
    if not years:
        return
    year = max(years)
    for h in hits:
        if h.date is None and h.month is not None:
            h.date = _safe_date(year, h.month, h.day or 1)


def _skipped(text: str, start: int, res: Resources) -> bool:
    before = text[max(0, start - 24) : start]
    for hit in res.date_skip.finditer(before) if _may_skip(before, res) else ():
        if _SKIP_TAIL.fullmatch(before[hit.end :]):
            return True
    if before.isascii() and not (
        before[-1:].isspace() and before.rstrip().lower().endswith(_HAPPENING_ENDS)
    ):
        return False  # (a happening's tail ends the text before the date: see below)
    for hit in res.other_happenings.finditer(before):
        if _HAPPENING_TAIL.fullmatch(before[hit.end :]):
            return True  # "the ceasefire on 12 January": another happening's day
    return False


def _may_skip(before: str, res: Resources) -> bool:
    """False where no skip phrase of ``res.date_skip`` followed by ``_SKIP_TAIL`` ends an ASCII
    ``before``: without the tail's blanks, colons and commas it ends neither with a phrase's
    last word nor with a word of the tail's optional part."""
    last_words = _last_words(tuple(res.date_skip.labels))
    if last_words is None or not before.isascii():
        return True
    return before.lower().rstrip(_TAIL_CHARS).endswith(last_words)


@lru_cache(maxsize=8)
def _last_words(phrases: tuple[str, ...]) -> tuple[str, ...] | None:
    """The last word of each ASCII phrase and of the tail's optional part (None when a phrase
    is neither ASCII nor Arabic: its letters might match ASCII ones in another case)."""
    if any(not p.isascii() and _NOT_ARABIC.search(p) for p in phrases):
        return None
    return tuple(p.split()[-1] for p in phrases if p.isascii()) + _SKIP_TAIL_WORDS


_NOT_ARABIC = re.compile(r"[^\u0600-\u06ff\s]")
# What _SKIP_TAIL may end with: blanks, colons and commas (ASCII), after these words.
_TAIL_CHARS = "".join(c for c in map(chr, range(128)) if c.isspace()) + ":,"
_SKIP_TAIL_WORDS = ("early", "mid", "late", "of")
_SKIP_TAIL = re.compile(r"[\s:,]*(?:(?:the\s+)?(?:early|mid|late|end of|beginning of)\s*)?")
_HAPPENING_TAIL = re.compile(
    r"\s*(?:(?:was\s+)?(?:signed|reached|announced|agreed|held|took\s+effect|began|started)\s+)?"
    r"(?:on|of|from|في|am|du)\s+(?:the\s+)?",
    re.IGNORECASE,
)
# The words _HAPPENING_TAIL ends with (then blanks) in an ASCII text, in lower case.
_HAPPENING_ENDS = ("on", "of", "from", "am", "du", "the")


def _weekday_ok(text: str, start: int, word: str, language: str | None) -> bool:
    if re.match(r"[\u0600-\u06ff]", word):
        before = text[max(0, start - 8) : start]
        return any(cue in before for cue in _ARABIC_DAY_CUES)
    return word[0].isupper() or (language or "") == "fr"


def _weekday(start: int, end: int, text: str, weekday: int, published: dt.date | None) -> DateHit:
    if published is None:
        return DateHit(start, end, text, None, "day")
    back = (published.weekday() - weekday) % 7
    return DateHit(start, end, text, published - dt.timedelta(days=back), "day")


def _month_date(
    text: str,
    start: int,
    end: int,
    month: int,
    published: dt.date | None,
    language: str | None,
    res: Resources,
) -> DateHit | None:
    word = text[start:end]
    day: int | None = None
    year: int | None = None
    lo, hi = start, end
    before = _DAY_BEFORE.search(text[max(0, start - 8) : start])
    if before:
        day = int(before.group(1))
        lo = start - (len(text[max(0, start - 8) : start]) - before.start())
        year_m = _YEAR_AFTER.match(text[end : end + 8])
        if year_m:
            year = int(year_m.group(1))
            hi = end + year_m.end()
    else:
        after = _DAY_AFTER.match(text[end : end + 12])
        if after:
            day = int(after.group(1))
            year = int(after.group(2)) if after.group(2) else None
            hi = end + after.end()
        else:
            year_m = _YEAR_AFTER.match(text[end : end + 8])
            if year_m:
                year = int(year_m.group(1))
                hi = end + year_m.end()
    if day is None and year is None and not _month_alone_ok(text, start, word, res):
        return None
    if word.isascii() and word[0].islower() and day is None and (language or "en") == "en":
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if year is None:
        if published is None:
            return DateHit(
                lo, hi, text[lo:hi], None, "day" if day else "month", month=month, day=day
            )
        year = _infer_year(published, month, day or 1)
    precision = "day" if day else "month"
    resolved = _safe_date(year, month, day or 1)
    if resolved is None:
        return None
    if day is not None:
        resolved = _dateparser_check(text[lo:hi], language, published) or resolved
    return DateHit(lo, hi, text[lo:hi], resolved, precision)


def _month_alone_ok(text: str, start: int, word: str, res: Resources) -> bool:
    """A month name with no day or year counts only after "in", "late", "early", "of"..."""
    before = text[max(0, start - 20) : start].lower()
    if re.search(
        r"\b(?:in|of|during|late|early|mid|end of|beginning of|since|until|fin|début|im|ende|anfang|mitte)[\s-]*$",  # noqa: E501
        before,
    ):
        return word[0].isupper() or not word.isascii()
    return False


def _infer_year(published: dt.date, month: int, day: int) -> int:
    candidate = _safe_date(published.year, month, min(day, 28))
    if candidate and candidate > published + dt.timedelta(days=2):
        return published.year - 1
    return published.year


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dateparser_check(
    phrase: str, language: str | None, published: dt.date | None
) -> dt.date | None:
    """``dateparser``'s reading of a full date phrase, when it has one (cached per phrase)."""
    return _parse_cached(phrase, language or "en", published)


@lru_cache(maxsize=4096)
def _parse_cached(phrase: str, language: str, published: dt.date | None) -> dt.date | None:
    import dateparser

    base = dt.datetime.combine(published, dt.time(12)) if published else None
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    languages = [language] if language in {"en", "fr", "de", "ar", "es", "ru", "uk", "tr"} else None
    try:
        parsed = dateparser.parse(phrase, languages=languages, settings=settings)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - dateparser raises many kinds of errors on junk
        return None
    if parsed is None:
        return None
    day = parsed.date()
    if published is not None and day > published + dt.timedelta(days=2):
        return None
    return day


_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
)


def date_in_url(url: str | None) -> dt.date | None:
    """The publication day a news address carries ("/2020/02/14/", "/2019-08-17-"), else None."""
    if not isinstance(url, str) or not url:
        return None
    m = _URL_DATE.search(url)
    return _safe_date(int(m["y"]), int(m["m"]), int(m["d"])) if m else None


# The same matches, failing faster where a match cannot start (see docket.extract.fastre).
_ISO, _DMY, _AGO, _CHAIN = map(first_char_guard, (_ISO, _DMY, _AGO, _CHAIN))
