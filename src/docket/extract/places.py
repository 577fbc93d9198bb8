"""Place mentions as the text writes them, with how the event relates to them.

Latin-script names are runs of capitalised words ("Maaret al-Numan", "Deir ez-Zor") after a
locative word ("in", "near", "the town of", "12 km south of"); Arabic names follow a settlement
word (مدينة, بلدة, قرية, مخيم). Provinces and countries come from ``data/extract/regions.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from docket.extract.fastre import ends_after, first_char_guard, from_the_end, holds_any
from docket.extract.phrases import normalize_phrase, trie_pattern
from docket.extract.resources import Resources

_WORD = r"(?:(?:[Aa]l|[Ee]l|[Aa][dnrstz]|[Aa]sh|[Ee][dnrsz]|[Dd]ar|[Bb]ani|[Bb]eit)[-‐](?=[A-Z]))?[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*"  # noqa: E501
# the articles between a name's words ("Deir ez Zor")
_NAME_ARTICLES = ("al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ez", "es", "de", "du",
                  "des", "bin", "ibn", "abu", "umm")  # fmt: skip
_NAME = re.compile(rf"{_WORD}(?:[ ](?:(?:{'|'.join(_NAME_ARTICLES)})[ ])?{_WORD}){{0,3}}")
_LOCATIVE = re.compile(
    r"(?:\b(?:in|near|at|outside|around|of|on|into|across|hit|struck|targeted|targeting|bombed|"
    r"shelled|pounded|besieged|à|dans|près de|de|d'|bei|nahe|im|aus|en)\s+(?:the\s+|la\s+|le\s+|der\s+|dem\s+|des\s+)?"  # noqa: E501
    r"(?:(?:nearby|neighbouring|neighboring|besieged|rebel-held|opposition-held)\s+)?"
    r"(?:(?:[\w-]+ern|central|rural|northwest|northeast|southwest|southeast)\s+)?"
    r"(?:(?:town|village|city|neighbourhood|neighborhood|district|suburb|area|camp|hamlet|quarter|"
    r"settlement|ville|village|quartier|stadt|dorf|ortschaft|gemeinde|provinz|region|province)\s+(?:of\s+|de\s+|d')?)?|"
    r"\b(?:town|village|city|neighbourhood|neighborhood|district|suburb|camp|ville|stadt|dorf)\s+(?:of\s+|de\s+)?)$",
    re.IGNORECASE,
)
_STRONG_BEFORE = re.compile(
    r"(?:town|village|city|neighbourhood|neighborhood|suburb|hamlet|settlement|ville|stadt|dorf|ortschaft)\s+(?:of\s+|de\s+|d')?$",
    re.IGNORECASE,
)
_ANCHOR_BEFORE = re.compile(
    r"(?:\b\d+(?:\.\d+)?\s*(?:km|kilomet(?:re|er)s|miles)\s*(?:\([^)]*\)\s*)?(?:[\w-]+\s+){0,3}of|"
    r"\b(?:to\s+the\s+)?(?:north|south|east|west|north-west|northwest|north-east|northeast|"
    r"south-west|southwest|south-east|southeast)\s+of)\s+$",
    re.IGNORECASE,
)
_NEAR_BEFORE = re.compile(
    r"\b(?:near|nearby|outside|close to|on the outskirts of|près de|nahe|bei)\s+(?:the\s+)?"
    r"(?:(?:town|village|city|camp|neighbourhood|neighborhood)\s+of\s+)?$",
    re.IGNORECASE,
)
_ADMIN_AFTER = re.compile(
    r"^(?:'s)?\s+(?:province|governorate|countryside|region|state|oblast|district|countryside|rural area|"  # noqa: E501
    r"provinz|gouvernorat)\b",
    re.IGNORECASE,
)
_PROVINCE_OF_BEFORE = re.compile(
    r"\b(?:province|governorate|region|state|oblast|countryside)\s+of\s+(?:the\s+)?$", re.I
)
_CITY_AFTER = re.compile(r"^\s+(?:city|town|village)\b", re.IGNORECASE)
_FACILITY = re.compile(
    r"\b(?:Hospital|Clinic|School|Schools|Market|Camp|Mosque|Bakery|Centre|Center|Station|University|"
    r"Airport|Street|Road|Square|Bridge|Hotel|Prison|Church|Stadium)\b"
)
_FACILITY_AFTER = re.compile(
    r"^\s+(?:(?:primary|secondary|main|central|surgical|maternity|field|girls['’]?|boys['’]?|"
    r"national|public|old|new|general|elementary|high|middle|basic)\s+)?(?:hospital|clinic|school|schools|market|mosque|bakery|centre|center|station|university|"
    r"health centre|health center|medical centre|medical center)\b",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"(?m)^([A-Z][A-Za-z'’\-]+(?:[ \-][A-Za-z'’\-]+){0,3}?)(?:,\s*[A-Z][a-z]+)?\s*"
    r"(?:\([^)\n]{1,40}\)\s*)?(?:[:—–]|-\s)"
)
_ARABIC_PLACE = re.compile(
    r"(?<![\u0621-\u064a])(?:[وب]?)(?:مدينة|بلدة|قرية|مخيم|مخيمي|حي|بلدتي|قريتي)\s+([\u0621-\u064a]+(?:\s+[\u0621-\u064a]+)?)"
)
_POSSESSIVE = re.compile(r"^(.+?)['’]s\s+(.+)$")


@dataclass(slots=True)
class PlaceHit:
    """One place mention.

    ``kind``: settlement, admin1, country or facility; ``strong`` when the text marks it as a
    settlement ("the town of X", "X city"); ``relation``: in, near, anchor ("12 km south of X"),
    countryside.
    """

    start: int
    end: int
    text: str
    name: str
    kind: str
    strong: bool = False
    relation: str = "in"
    admin1: str | None = None
    country: str | None = None
    city: bool = False  # a province name that may be its capital city ("in Aleppo")


# "the killing of the Hammoud family": a surname, not a settlement of the same name.
_FAMILY_NAME_AFTER = re.compile(r"^\s+(?:family|families|clan|household|brothers)\b", re.I)


def find_places(text: str, res: Resources) -> list[PlaceHit]:
    hits: list[PlaceHit] = []
    title_lines = _title_case_lines(text)
    for m in _candidate_names(text, res):
        if title_lines and any(s <= m.start() < e for s, e in title_lines):
            continue
        hit = _latin_place(text, m.start(), m.end(), res)
        if hit is not None and not _FAMILY_NAME_AFTER.match(text[hit.end : hit.end + 20]):
            hits.append(hit)
    for m in () if text.isascii() else _ARABIC_PLACE.finditer(text):
        hit = _arabic_place(m, res)
        if hit is not None:
            hits.append(hit)
    for m in _dateline_matches(text):
        name = m.group(1)
        words = [normalize_phrase(w) for w in name.split()]
        if any(w in res.not_place_words for w in words) or len(words) > 4:
            continue
        if any(h.start <= m.start(1) < h.end for h in hits):
            continue
        label = name.title() if name.isupper() else name
        hits.append(PlaceHit(m.start(1), m.end(1), name, label, "settlement", False, "dateline"))
    covered = [(h.start, h.end) for h in hits]
    for admin in res.admin1.finditer(text):
        if any(s <= admin.start < e for s, e in covered):
            continue
        name = admin.labels[0]
        relation = "countryside" if _ADMIN_AFTER.match(text[admin.end : admin.end + 20]) else "in"
        city = (
            relation == "in"
            and name in res.admin1_cities
            and not _PROVINCE_OF_BEFORE_CHECK.search(text[max(0, admin.start - 30) : admin.start])
        )
        hits.append(
            PlaceHit(
                admin.start,
                admin.end,
                admin.text,
                name,
                "admin1",
                False,
                relation,
                name,
                res.admin1_country.get(name),
                city=city,
            )
        )
        covered.append((admin.start, admin.end))
    for country in res.countries.finditer(text):
        if any(s <= country.start < e for s, e in covered):
            continue
        code = country.labels[0]
        hits.append(
            PlaceHit(
                country.start,
                country.end,
                country.text,
                res.country_names.get(code, code),
                "country",
                country=code,
            )
        )
    hits.sort(key=lambda h: h.start)
    return hits


_CAPITAL = re.compile(r"[A-Z]")
_HYPHEN_CAPITAL = re.compile(r"[-‐](?=[A-Z])")


def _name_matches(text: str, lo: int = 0, hi: int | None = None) -> list[re.Match[str]]:
    """``_NAME.finditer(text)``, tried only where a name can start: at a capital, or at an
    article of two to four letters before a hyphen and a capital ("al-Shami", "Bani-Hassan").
    With ``lo`` and ``hi``, the matches starting in ``text[lo:hi]`` when no match of the text
    before ``lo`` reaches it."""
    if hi is None:
        hi = len(text)
    starts = [m.start() for m in _CAPITAL.finditer(text, lo, hi)]
    for hyphen in _HYPHEN_CAPITAL.finditer(text, lo, hi + 5):
        starts.extend(p for p in range(hyphen.start() - 4, hyphen.start() - 1) if lo <= p < hi)
    starts.sort()
    found: list[re.Match[str]] = []
    end = 0
    match = _NAME.match
    for pos in starts:
        if pos < end:
            continue
        m = match(text, pos)
        if m is not None:
            found.append(m)
            end = m.end()
    return found


def _candidate_names(text: str, res: Resources) -> list[re.Match[str]]:
    """The matches of :func:`_name_matches` that may be places (the others
    :func:`_latin_place` turns away): those right after a word a locative can end with and
    blanks, or after an apostrophe, and those whose first word is a settlement word ("Stadt
    Aleppo"), and those that may start with an article ("al-Bab"). Each is matched where it
    stands when no earlier name can reach it (most are), else the name scan is replayed over
    the stretch of text around it that no name can cross (a name holds words, apostrophes,
    hyphens and single blanks)."""
    capitals = _capitals_reversed(res.settlement_words)
    if capitals is None:
        return _name_matches(text)
    size = len(text)
    backwards = text[::-1]
    starts = {size - 1 - m.start() for m in capitals.finditer(backwards)}
    for dash in "-‐":  # an article of two to four letters before "-" and a capital
        pos = text.find(dash)
        while pos >= 0:
            if "A" <= text[pos + 1 : pos + 2] <= "Z":
                starts.update(range(max(0, pos - 4), max(0, pos - 1)))
            pos = text.find(dash, pos + 1)
    found = []
    names: dict[int, re.Match[str]] = {}
    stretch_end = -1
    for start in sorted(starts):
        if _uncovered(text, backwards, start):  # no name before it can reach it
            name = _NAME.match(text, start)
            if name is not None:
                found.append(name)
            continue
        if start >= stretch_end:
            before = _NAME_BREAK.search(backwards, size - start)
            after = _NAME_BREAK.search(text, start)
            stretch_end = after.start() if after else size
            stretch_start = size - before.start() if before else 0
            names = {m.start(): m for m in _name_matches(text, stretch_start, stretch_end)}
        name = names.get(start)
        if name is not None:
            found.append(name)
    return found


def _uncovered(text: str, backwards: str, start: int) -> bool:
    """Whether no match of _NAME starting before ``start`` can reach it, told by the text just
    before it: not a character a name holds, or a blank after a word without a capital
    (where a name's word would end) that is no article of a name ("ez" in "Deir ez Zor")."""
    if start == 0:
        return True
    before = text[start - 1]
    if before != " ":
        return _NAME_BREAK.match(before) is not None
    word = _NAME_RUN.match(backwards, len(text) - start + 1)
    assert word is not None  # (it may match nothing)
    return _CAPITAL.search(word.group()) is None and word.group()[::-1] not in _NAME_ARTICLES


# The characters of a name's words (see _NAME).
_NAME_RUN = re.compile(r"[\w'’\-‐]*")
# What no name can hold (see _NAME: words, apostrophes, hyphens, single blanks).
_NAME_BREAK = re.compile(r"[^\w'’\-‐ ]")


@lru_cache(maxsize=4)
def _capitals_reversed(settlement_words: frozenset[str]) -> re.Pattern[str] | None:
    """In the reversed text, the capitals that may start a place name: after a locative's end
    (see _LOCATIVE_END_REVERSED), or the capital of a settlement word followed by a blank (the
    word's other letters in any case). Read backwards, the scan skips to the capitals; only the
    capital is taken, as the locative may end with the next one. None when a settlement word
    holds a blank (as "Al-Town" is normalised): no such pattern then."""
    if any(" " in word for word in settlement_words):
        return None
    by_width: dict[int, list[str]] = {}
    for word in sorted(settlement_words):
        if "a" <= word[:1] <= "z":  # a name's first letter is a capital A-Z
            rest = "".join("['’]" if ch == "'" else re.escape(ch) for ch in reversed(word[1:]))
            by_width.setdefault(len(word), []).append(f" (?i:{rest}){word[0].upper()}")
    settlement = "".join(f"|(?<={'|'.join(words)})" for words in by_width.values())
    return re.compile(f"[A-Z](?:(?={_LOCATIVE_END_REVERSED}){settlement})")


def _dateline_matches(text: str) -> list[re.Match[str]]:
    """``_DATELINE.finditer(text)``, tried only where a line starts (``^`` holds nowhere else)
    and ``_DATELINE`` may match (see _MAY_START_DATELINE)."""
    found: list[re.Match[str]] = []
    end = 0
    starts = [m.end() for m in _LINE_MAY_START_DATELINE.finditer(text)]
    if _MAY_START_DATELINE.match(text):
        starts.insert(0, 0)
    for pos in starts:
        if pos >= end:
            m = _DATELINE.match(text, pos)
            if m is not None:
                found.append(m)
                end = max(m.end(), pos + 1)
    return found


# False where _DATELINE cannot match, found with little backtracking: its name is one to four
# words of letters, apostrophes and hyphens with single blanks between (read whole: a hyphen
# that ends one is tried as "-" and a blank), then "," or, after any blanks, "(", ":", a dash
# or "-" and a blank.
_MAY_START_DATELINE_SOURCE = (
    r"[A-Z][A-Za-z'’\-]*+(?: [A-Za-z'’\-]++){0,3}(?:,|(?<=-)\s|\s*(?:[(:—–]|-\s))"
)
_MAY_START_DATELINE = re.compile(_MAY_START_DATELINE_SOURCE)
# a line break before such a start: the scan skips from one line break to the next
_LINE_MAY_START_DATELINE = re.compile(rf"\n(?={_MAY_START_DATELINE_SOURCE})")


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Lines written in Title Case (headlines), where capitals do not mark names."""
    if text.isascii():
        return _ascii_title_case_lines(text)
    out = []
    pos = 0
    for line in text.split("\n"):
        words = [w for w in line.split() if w[:1].isalpha() and w.isascii()]
        if _title_case(len(words), sum(w[0].isupper() for w in words)):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _ascii_title_case_lines(text: str) -> list[tuple[int, int]]:
    """:func:`_title_case_lines` of an ASCII text without a loop over its words: the text in
    bytes, each letter marked "A" or "a" and each blank but a line break made a space, so that
    " A" and " a" (or "A" and "a" first in a line) start the words counted."""
    out = []
    pos = 0
    for line in text.encode("ascii").translate(_WORD_CASES).split(b"\n"):
        capitals = line.count(b" A") + line.startswith(b"A")
        if capitals >= 3:  # (a Title Case line of four words or more has three capitals)
            counted = capitals + line.count(b" a") + line.startswith(b"a")
            if _title_case(counted, capitals):
                out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _title_case(counted: int, capitals: int) -> bool:
    return counted >= 4 and capitals / counted > 0.7


_ASCII_CAPITALS = bytes(range(ord("A"), ord("Z") + 1))
# the blanks ``str.split()`` splits an ASCII line on
_ASCII_BLANKS = bytes(c for c in range(128) if chr(c).isspace() and chr(c) != "\n")
_WORD_CASES = bytes.maketrans(
    _ASCII_CAPITALS + _ASCII_CAPITALS.lower() + _ASCII_BLANKS,
    b"A" * 26 + b"a" * 26 + b" " * len(_ASCII_BLANKS),
)


def _arabic_place(m: re.Match[str], res: Resources) -> PlaceHit | None:
    words = m.group(1).split()
    if not words or words[0] in res.not_place_words_ar or words[0].startswith("لل"):
        return None
    if len(words) > 1 and (
        words[1] in res.not_place_words_ar
        or words[1][:1] in "وفب"
        and words[1][1:3] != "ال"
        or res.admin1.labels.get(words[1])
        or res.kinds.labels.get(words[1])
    ):
        words = words[:1]
    name = " ".join(words)
    if len(name) < 3 or res.numbers.labels.get(name):
        return None
    start = m.start(1)
    return PlaceHit(start, start + len(name), name, name, "settlement", True)


def _latin_place(text: str, start: int, end: int, res: Resources) -> PlaceHit | None:
    space = text.find(" ", start, end)
    if space >= 0 and normalize_phrase(text[start:space]) in res.settlement_words:
        # German capitalises nouns: "Stadt Maarat al-Numan" is the town of Maarat al-Numan
        start = space + 1
        hit = _latin_place_after(text, start, end, res, locative=True)
        if hit is not None and hit.kind == "settlement":
            hit.strong = True
        return hit
    return _latin_place_after(text, start, end, res)


def _may_end_locative(text: str, start: int) -> bool:
    """Whether the 60 characters before ``start`` may end with ``_LOCATIVE``: its every match
    ends with a space after a word ending in a letter, or with "d'" (a sentence's first word,
    after "medics. ", is no place)."""
    if start == 0:
        return False
    pos = start - 1
    if text[pos] == "'":
        return True
    low = max(0, start - 60)
    while pos > low and text[pos].isspace():
        pos -= 1
    return pos < start - 1 and (text[pos].isalpha() or text[pos] == "'")


# The words _LOCATIVE's matches end with (before the blanks they need), in lower case: a
# locative, an article, an adjective ("rebel-held", "[\w-]+ern"...) or a settlement word.
_LOCATIVE_ENDS = ("in", "near", "at", "outside", "around", "of", "on", "into", "across", "hit",
                  "struck", "targeted", "targeting", "bombed", "shelled", "pounded", "besieged",
                  "dans", "de", "d'", "bei", "nahe", "im", "aus", "en", "the", "la", "le", "der",
                  "dem", "des", "nearby", "neighbouring", "neighboring", "held", "ern", "central",
                  "rural", "northwest", "northeast", "southwest", "southeast", "town", "village",
                  "city", "neighbourhood", "neighborhood", "district", "suburb", "area", "camp",
                  "hamlet", "quarter", "settlement", "ville", "quartier", "stadt", "dorf",
                  "ortschaft", "gemeinde", "provinz", "region", "province")  # fmt: skip


# Blanks and a word _LOCATIVE's matches can end with (_LOCATIVE_ENDS, and "à", which only a
# text that is not ASCII holds), or an apostrophe, reversed.
_LOCATIVE_END_REVERSED = (
    r"'|\s+(?i:" + trie_pattern(end[::-1] for end in (*_LOCATIVE_ENDS, "à")) + ")"
)


def _after_locative(before: str) -> bool:
    """``_LOCATIVE.search(before)``, most misses found by the word ``before`` ends with (a match
    ending in "d'" needs no blank after it)."""
    if before.endswith("'"):
        return _LOCATIVE_AT_END.search(before) is not None
    return ends_after(before, _LOCATIVE_AT_END, _LOCATIVE_ENDS)


_TRAILING_APOSTROPHE = re.compile(r"['’]s?$")
# "rebel-held", "Turkish-backed": a name that qualifies what follows, not a place
_HELD_BY = re.compile(r"-(?:run|held|controlled|backed|led|based|affiliated)\b")


def _latin_place_after(
    text: str, start: int, end: int, res: Resources, locative: bool = False
) -> PlaceHit | None:
    if not locative and not _may_end_locative(text, start):
        return None
    before = text[max(0, start - 60) : start]
    if not locative and not _after_locative(before):
        return None
    raw = text[start:end]
    trailing = _TRAILING_APOSTROPHE.search(raw)
    if trailing:
        end -= len(trailing.group())
        raw = raw[: len(raw) - len(trailing.group())]
    possessive = _POSSESSIVE.match(raw)
    if possessive:
        start += len(raw) - len(possessive.group(2))
        raw = possessive.group(2)
    facility = _FACILITY.search(raw)
    if facility:
        if facility.start() == 0:
            return None
        return PlaceHit(
            start, start + facility.end(), raw[: facility.end()], raw[: facility.end()], "facility"
        )
    if _HELD_BY.search(raw):
        return None
    parts = raw.split()
    if len(parts) > 1 and (
        res.admin1.labels.get(normalize_phrase(parts[-1]))
        or res.countries.labels.get(normalize_phrase(parts[-1]))
    ):
        raw = " ".join(parts[:-1])
        end = start + len(raw)
    words = [normalize_phrase(w) for w in raw.split()]
    if len(raw) < 3 or any(w in res.not_place_words for w in words):
        return None
    if normalize_phrase(raw) in res.not_place_words:
        return None
    if res.actors.labels.get(normalize_phrase(raw)):
        return None
    after = text[end : end + 30]
    if _FACILITY_AFTER.match(after):
        words_after = _FACILITY_AFTER.match(after)
        assert words_after is not None
        full = raw + after[: words_after.end()]
        return PlaceHit(start, start + len(full), full, full, "facility")
    key = normalize_phrase(raw)
    admin = res.admin1.labels.get(key)
    country = res.countries.labels.get(key)
    if country:
        return PlaceHit(
            start, end, raw, res.country_names.get(country[0], raw), "country", country=country[0]
        )
    relation = "in"
    if _ANCHOR_BEFORE_CHECK.search(before):
        relation = "anchor"
    elif _NEAR_BEFORE_CHECK.search(before):
        relation = "near"
    if admin:
        name = admin[0]
        if _ADMIN_AFTER.match(after):
            return PlaceHit(
                start,
                end,
                raw,
                name,
                "admin1",
                False,
                "countryside" if "countryside" in after.lower() else "in",
                name,
                res.admin1_country.get(name),
            )
        strong = bool(_CITY_AFTER.match(after) or _STRONG_BEFORE_CHECK.search(before))
        return PlaceHit(
            start,
            end,
            raw,
            raw,
            "settlement" if strong else "admin1",
            strong,
            relation,
            name,
            res.admin1_country.get(name),
            city=relation == "in"
            and name in res.admin1_cities
            and not _PROVINCE_OF_BEFORE_CHECK.search(before),
        )
    if _ADMIN_AFTER.match(after):
        if re.match(r"^\s+district", after, re.IGNORECASE):
            return PlaceHit(start, end, raw, raw, "district", False, "district")
        return None
    strong = bool(_STRONG_BEFORE_CHECK.search(before) or _CITY_AFTER.match(after))
    return PlaceHit(start, end, raw, raw, "settlement", strong, relation)


_VOWELS = re.compile(r"[aeiouyw]")
_ARTICLE = re.compile(r"\b(?:al|el|ad|ar|as|ash|at|az|an|ez|es|ed|the)[-\s]+")
_ARABIC_LATIN = str.maketrans(
    {
        "ا": "a",
        "أ": "a",
        "إ": "i",
        "آ": "a",
        "ب": "b",
        "ت": "t",
        "ث": "th",
        "ج": "j",
        "ح": "h",
        "خ": "kh",
        "د": "d",
        "ذ": "dh",
        "ر": "r",
        "ز": "z",
        "س": "s",
        "ش": "sh",
        "ص": "s",
        "ض": "d",
        "ط": "t",
        "ظ": "z",
        "ع": "",
        "غ": "gh",
        "ف": "f",
        "ق": "q",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ه": "h",
        "ة": "a",
        "و": "w",
        "ي": "y",
        "ى": "a",
        "ء": "",
        "ئ": "y",
        "ؤ": "w",
    }
)


@lru_cache(maxsize=50_000)
def skeleton(name: str) -> str:
    """A transliteration-insensitive key: "Maaret al-Numan", "Marat Numan" -> "mrtnmn"."""
    text = re.sub(r"(^|\s)ال", r"\1", name).translate(_ARABIC_LATIN)
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("'", "").replace("’", "")
    text = re.sub(r"^al", "", text) if re.match(r"^al[^aeiou]", text) and len(text) > 5 else text
    text = _ARTICLE.sub(" ", " " + text).strip()
    text = re.sub(r"\b(?:camp|city|town|village|district)\b", "", text)
    text = re.sub(r"[^a-z]", "", text)
    text = text.replace("q", "k").replace("ph", "f").replace("sh", "s").replace("kh", "k")
    text = _VOWELS.sub("", text)
    text = re.sub(r"(.)\1+", r"\1", text)
    return text[:-1] if len(text) > 3 and text.endswith("h") else text


# The same matches, failing faster where a match cannot start (see docket.extract.fastre).
_NAME, _LOCATIVE, _ANCHOR_BEFORE, _NEAR_BEFORE, _STRONG_BEFORE, _ARABIC_PLACE = map(
    first_char_guard,
    (_NAME, _LOCATIVE, _ANCHOR_BEFORE, _NEAR_BEFORE, _STRONG_BEFORE, _ARABIC_PLACE),
)


@dataclass(frozen=True)
class _BeforeName:
    """An end-anchored pattern searched in the text before a name, read from the end (see
    :func:`docket.extract.fastre.from_the_end`), with the exact pre-checks of an ASCII text:
    the words its matches end with (see :func:`docket.extract.fastre.ends_after`) and, when
    given, words one of which its every match holds."""

    pattern: re.Pattern[str]
    ends: tuple[str, ...]
    blank: bool = True
    words: tuple[str, ...] | None = None

    def search(self, before: str) -> bool:
        if self.words is not None and not holds_any(before, self.words):
            return False
        return ends_after(before, self.pattern, self.ends, self.blank)


_LOCATIVE_AT_END = from_the_end(_LOCATIVE)
_ANCHOR_BEFORE_CHECK = _BeforeName(
    from_the_end(_ANCHOR_BEFORE), ("of",), words=(*"0123456789", "north", "south", "east", "west")
)
_NEAR_BEFORE_CHECK = _BeforeName(
    from_the_end(_NEAR_BEFORE),
    ("near", "nearby", "outside", "to", "of", "de", "nahe", "bei", "the"),
    words=("near", "outside", "close", "outskirts", "nahe", "bei"),
)
# a match may end with "d'", no blank after it
_STRONG_BEFORE_CHECK = _BeforeName(
    from_the_end(_STRONG_BEFORE),
    ("town", "village", "city", "neighbourhood", "neighborhood", "suburb", "hamlet",
     "settlement", "ville", "stadt", "dorf", "ortschaft", "of", "de", "d'"),
    blank=False,
)  # fmt: skip
_PROVINCE_OF_BEFORE_CHECK = _BeforeName(
    from_the_end(_PROVINCE_OF_BEFORE),
    ("of", "the"),
    words=("province", "governorate", "region", "state", "oblast", "countryside"),
)
