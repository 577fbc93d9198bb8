"""What a text says around the names the geocoder resolves: the :class:`Context` a text builds
(the countries, first-level areas, towns and counties it names) and the cues of
``data/places/context.yaml`` read from its words: kinds of place it talks about ("airport"),
counties ("Clarke and Oconee counties"), party prefixes ("D-Charleston"), organisations and
abbreviations, country cues ("selectmen"), demonyms ("Sri Lankan"), how it uses a name shared by
a town and its area ("New York state", "the mayor of Quebec", a dateline "QUEBEC —"), the states
it names only in the background ("an Ohio church") and the town written after a name
("Balintawak, Quezon City").

Rules are data: a user extends ``context.yaml``, not this module.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from docket.vocab import data_path, load_yaml

# How the text uses a name shared by a town and its area (context.yaml ``area_usage``).
AREA_USE = "area"
TOWN_USE = "town"
# "UK", "UAE's": capitals only, no dots.
_ACRONYM = re.compile(r"[A-Z]{2,3}(?:['’]s)?$")
_POSSESSIVE_ENDS = ("'s", "’s")
_COUNTY_NAME = r"[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?"
WORD = re.compile(r"[^\s,;:()\[\]\"“”!?]+")
KM_PER_DEGREE = 111.2


@dataclass(slots=True)
class Context:
    """Which countries and first-level areas a text names (weights by how often / how surely)."""

    countries: dict[str, float] = field(default_factory=dict)
    admin1s: dict[tuple[str, str], float] = field(default_factory=dict)
    # 1-degree cells holding places the text names: cell -> {name key: weight}.
    cells: dict[tuple[int, int], dict[str, float]] = field(default_factory=dict)
    # Name keys that may name a town -> the points (lat, lon, lat, lon, ...) of the places they
    # may mean beside other names (see ``names_around``).
    lent: dict[str, tuple[float, ...]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    excluded: frozenset[str] = frozenset()
    # (country, admin1 code, county) -> the name keys in the text naming that county / a town in it.
    counties: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    town_counties: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    # Name keys that may name a town, in the order the text first names them.
    towns: list[str] = field(default_factory=list)
    # Names the text calls a county ("Clarke" in "Clarke and Oconee counties") -> the
    # gazetteer names of such counties ("Clarke County").
    county_names: dict[str, str] = field(default_factory=dict)
    # Name keys of areas the text writes only in the background ("an Ohio church"), which
    # voted with ``background_weight``.
    background: set[str] = field(default_factory=set)
    # Keys of the words of people's names the scan read ("vladimir", "putin"), which name no
    # town the text is about.
    people: set[str] = field(default_factory=set)
    # Keys of longer forms of the mention that the text writes ("dublin city" for "Dublin"):
    # the counties they name are the mention's own reading, not evidence apart from it.
    longer: frozenset[str] = frozenset()
    # The name keys that cast a vote in the text (``Scanner.votes_of``), each with the factor
    # its votes for first-level areas got (a name written in the background:
    # ``background_weight``): what the mention's own name gave, taken out when it is resolved.
    # (floats only: the garbage collector skips the dict)
    cast: dict[str, float] = field(default_factory=dict)
    # The key of the mention the context is read for (``Geocoder.context_of``), "" for none.
    mention: str = ""

    def names_county(self, county: tuple[str, str, str]) -> bool:
        """Whether the text (the mention aside) names this county."""
        return any(k not in self.excluded for k in self.counties.get(county, ()))

    def names_county_apart(self, county: tuple[str, str, str]) -> bool:
        """Whether the text names this county other than by a longer form of the mention."""
        return any(
            k not in self.excluded and k not in self.longer for k in self.counties.get(county, ())
        )

    def names_town_in(self, county: tuple[str, str, str]) -> bool:
        """Whether the text (the mention aside) names a town in this county."""
        return any(k not in self.excluded for k in self.town_counties.get(county, ()))

    def nearby(self, lat: float, lon: float) -> float:
        """How much the text's other places lie within about a degree of (lat, lon)."""
        if not self.cells:
            return 0.0
        y, x = math.floor(lat), math.floor(lon)
        cells, excluded = self.cells, self.excluded
        total = 0.0
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                bucket = cells.get((y + dy, x + dx))
                if bucket:  # (most cells around a place hold none of the text's places)
                    for key, weight in bucket.items():
                        if key not in excluded:
                            total += weight
        return min(total, 1.0)

    def lenders_besides(self) -> int:
        """How many of the text's other names may place a town (``names_around`` at most)."""
        excluded = self.excluded
        return sum(key not in excluded for key in self.lent)

    def names_around(self, lat: float, lon: float, km: float, *, enough: int) -> int:
        """How many of the text's other names have a place within about ``km`` (up to a
        degree) of (lat, lon), up to ``enough``: each name once, however many places share
        it."""
        if not self.lent:
            return 0
        y, x = math.floor(lat), math.floor(lon)
        cells, excluded, lent = self.cells, self.excluded, self.lent
        reach = (km / KM_PER_DEGREE) ** 2
        shrink = math.cos(math.radians(lat)) ** 2
        # (a list: it holds ``enough`` names at most)
        found: list[str] = []
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                bucket = cells.get((y + dy, x + dx))
                if not bucket:
                    continue
                for key in bucket:
                    points = lent.get(key)
                    if points is None or key in excluded or key in found:
                        continue
                    for i in range(0, len(points), 2):
                        if (points[i] - lat) ** 2 + (points[i + 1] - lon) ** 2 * shrink <= reach:
                            found.append(key)
                            if len(found) >= enough:
                                return enough
                            break
        return len(found)


@cache
def context_rules() -> Any:
    return load_yaml("places/context.yaml")


@cache
def cued_kinds() -> frozenset[str]:
    return frozenset(feature for feature, _ in feature_cues())


@cache
def feature_cues() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (feature, re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE))
        for feature, words in context_rules().get("feature_cues", {}).items()
    )


@cache
def county_words() -> tuple[dict[str, str], dict[str, str]]:
    rules = context_rules()
    return dict(rules["county_words"]), {
        k.lower(): v for k, v in rules["county_list_words"].items()
    }


@cache
def county_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``X County`` / ``X Co.``, and ``X, Y and Z counties``."""
    words, list_words = county_words()
    kinds = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    plurals = "|".join(re.escape(w) for w in list_words)
    single = re.compile(rf"\b(?P<name>{_COUNTY_NAME})\s+(?P<kind>{kinds})(?!\w)")
    listed = re.compile(
        rf"\b(?P<names>(?:{_COUNTY_NAME},\s+)*{_COUNTY_NAME},?\s+(?:and|or|&)\s+{_COUNTY_NAME})"
        rf"\s+(?P<kind>(?i:{plurals}))\b"
    )
    return single, listed


@cache
def _county_words_rare() -> tuple[tuple[str, str], ...]:
    return tuple((word, rare_characters(word)) for word in county_words()[0])


def may_name_counties(text: str) -> bool:
    """False when ``text`` holds none of the county words the patterns need (a kind word as
    written, "County"; a plural in any case, "counties", found in an ASCII text lower-cased):
    plain substring searches instead of a case-insensitive pattern over the whole text."""
    words, list_words = county_words()
    if len(text) <= SHORT_TEXT:
        if any(word in text for word in words):
            return True
    elif any(holds(text, word, rare) for word, rare in _county_words_rare()):
        return True
    if not text.isascii():
        return True  # case-insensitive matching beyond lower(): left to the patterns
    lower = text.lower()
    return any(plural in lower for plural in list_words)


@cache
def party_prefixes() -> frozenset[str]:
    return frozenset(context_rules()["party_prefixes"])


@cache
def _not_abbreviations() -> frozenset[str]:
    return frozenset(context_rules()["not_abbreviations"])


@cache
def _organisations() -> frozenset[str]:
    return frozenset(context_rules()["organisations"])


def is_organisation(word: str) -> bool:
    """An agency's or organisation's acronym spelled like a place ("SANA" is not Sanaa)."""
    return without_possessive(word) in _organisations()


def is_abbreviation(word: str) -> bool:
    """A country's abbreviation in capitals ("UK", "UAE's"), not a headline word ("TO")."""
    return bool(_ACRONYM.match(word)) and without_possessive(word) not in _not_abbreviations()


def without_possessive(word: str) -> str:
    """ "Georgia's", "Dublin’s" -> the name."""
    return word[:-2] if word.endswith(_POSSESSIVE_ENDS) else word


@dataclass(frozen=True)
class _Cue:
    """One of ``country_cues``: a pattern, the plain strings one of which it needs (each with
    its ``rare_characters``), its country, weight and the first-level areas (codes) among which
    it splits that weight."""

    pattern: re.Pattern[str]
    needs: tuple[tuple[str, str], ...]
    country: str
    weight: float
    admin1s: tuple[str, ...] = ()


@cache
def _country_cues() -> tuple[_Cue, ...]:
    cues = []
    for cue in context_rules()["country_cues"]:
        needs = tuple(cue["needs"]) if isinstance(cue["needs"], list) else (cue["needs"],)
        pairs = tuple((needed, rare_characters(needed)) for needed in needs)
        admin1s = tuple(str(code) for code in cue.get("admin1", ()))
        cues.append(
            _Cue(re.compile(cue["cue"]), pairs, cue["country"], float(cue["weight"]), admin1s)
        )
    return tuple(cues)


# A text this short is searched for a needed string at once (see ``holds``: looking for its
# rare characters first costs more than it saves).
SHORT_TEXT = 200
# Characters most texts hold: lower-case letters but the rarest, spaces, stops, commas.
_COMMON_CHARACTERS = frozenset("abcdefghilmnoprstuwy .,'")


def rare_characters(needed: str) -> str:
    """The characters of ``needed`` that many texts lack (capitals, digits, "$", "(")."""
    return "".join(sorted(set(needed) - _COMMON_CHARACTERS))


def holds(text: str, needed: str, rare: str) -> bool:
    """Whether ``text`` holds ``needed``, whose ``rare_characters`` are ``rare``: each of those
    looked for first, by a one-character search (~10x faster than one for a longer string;
    most texts lack a capital or two)."""
    for char in rare:
        if char not in text:
            return False
    return needed in text


def note_country_cues(ctx: Context, text: str) -> None:
    """Vote for the countries (and areas) whose cues ``text`` holds (each cue once)."""
    short = len(text) <= SHORT_TEXT
    for cue in _country_cues():
        for needed, rare in cue.needs:
            if needed in text if short else holds(text, needed, rare):
                if cue.pattern.search(text):
                    ctx.countries[cue.country] = ctx.countries.get(cue.country, 0.0) + cue.weight
                    for code in cue.admin1s:
                        key = (cue.country, code)
                        ctx.admin1s[key] = ctx.admin1s.get(key, 0.0) + cue.weight / len(cue.admin1s)
                break


@cache
def demonyms() -> dict[str, str]:
    """context.yaml ``demonyms``: "Sri Lankan" -> "LK"."""
    return {str(k): str(v) for k, v in context_rules()["demonyms"].items()}


@cache
def area_adjectives() -> dict[str, str]:
    """context.yaml ``area_adjectives``: "Basque" -> "Basque Country"."""
    return {str(k): str(v) for k, v in context_rules()["area_adjectives"].items()}


@cache
def abbreviations() -> dict[str, tuple[str, ...]]:
    """context.yaml ``abbreviations``: "SA" -> ("ZA", "AU.05", "SA")."""
    return {str(k): tuple(str(c) for c in v) for k, v in context_rules()["abbreviations"].items()}


@cache
def demonym_first_words() -> frozenset[str]:
    """The first words of the demonyms, as written alone or with a possessive ("Sri",
    "Canadian", "Canadian's")."""
    firsts = {demonym.split()[0] for demonym in demonyms()}
    return frozenset(firsts | {f"{w}{end}" for w in firsts for end in _POSSESSIVE_ENDS})


@cache
def demonym_weight() -> float:
    return float(context_rules()["demonym_weight"])


def demonym_at(run: str) -> str | None:
    """The demonym that the words of ``run`` start with ("Sri Lankan", "Canadian's"), or None."""
    words = [w.rstrip(".") for w in WORD.findall(run, 0, 40)[:2]]
    known = demonyms()
    if len(words) == 2:
        two = f"{words[0]} {without_possessive(words[1])}"
        if two in known:
            return two
    one = without_possessive(words[0]) if words else ""
    return one if one in known else None


@cache
def codes_after_comma() -> frozenset[str]:
    """context.yaml ``codes_after_comma``: countries whose areas' codes follow a town."""
    return frozenset(str(c) for c in context_rules()["codes_after_comma"])


@cache
def background_articles() -> frozenset[str]:
    """context.yaml ``background_articles``: the words before a name written as background."""
    return frozenset(context_rules()["background_articles"])


@cache
def background_weight() -> float:
    return float(context_rules()["background_weight"])


@cache
def usage_cues() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str], tuple[str, ...]], ...]:
    """(usage, a pattern of the words after the name, of the words before it, those words
    before) of context.yaml ``area_usage``: the text after matches when it starts with one of
    the words, the text before when it ends with one, in both as a whole word (no letter or
    digit next to it)."""
    rules = context_rules()["area_usage"]
    return tuple(
        (
            usage,
            _word_choice(rules[usage]["after"], r"{}(?![^\W_])"),
            _word_choice(rules[usage]["before"], r"(?<![^\W_]){}\Z"),
            tuple(str(w) for w in rules[usage]["before"]),
        )
        for usage in (AREA_USE, TOWN_USE)
    )


@cache
def _any_usage_cue() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """Whether the text after a name may start with a cue of any usage (a pattern), and the
    words before it of every usage: only where one of them is written are the usages tried."""
    rules = context_rules()["area_usage"]
    after = [w for usage in (AREA_USE, TOWN_USE) for w in rules[usage]["after"]]
    return _word_choice(after, r"{}(?![^\W_])"), tuple(w for *_, b in usage_cues() for w in b)


def _word_choice(words: list[str], form: str) -> re.Pattern[str]:
    return re.compile(form.format("(?:" + "|".join(re.escape(str(w)) for w in words) + ")"))


def written_usage(name: str, context: str) -> str | None:
    """``AREA_USE`` or ``TOWN_USE`` when the words written right after or before ``name`` in
    ``context`` say which it means, counted over the places the text writes it (a dateline
    naming it counts for the town); None when they do not or disagree."""
    votes = {AREA_USE: 0, TOWN_USE: 0}
    any_after, any_before = _any_usage_cue()
    for start, end in occurrences(name, context):
        after = context[end : end + 40]
        if after.startswith(_POSSESSIVE_ENDS):
            after = after[2:]
        after = after.lstrip(" ")
        before = context[max(0, start - 40) : start].rstrip(" ")
        if not any_after.match(after) and not before.endswith(any_before):
            continue
        for usage, after_cue, before_cue, before_words in usage_cues():
            # (the pattern before is searched only where the text ends with one of its words)
            if after_cue.match(after) or (
                before.endswith(before_words) and before_cue.search(before)
            ):
                votes[usage] += 1
    if names_dateline(name, context):
        votes[TOWN_USE] += 1  # a dateline names a town
    if votes[AREA_USE] == votes[TOWN_USE]:
        return None
    return AREA_USE if votes[AREA_USE] > votes[TOWN_USE] else TOWN_USE


# What follows the town of a dateline: its area, if written, and a dash ("CAIRO —", "SALEM,
# Ore. --").
_DATELINE_END = re.compile(r"(?:,\s+[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*(?:--|[-–—])\s")


def is_dateline(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, written in capitals where a line or sentence (or a date)
    ends, and followed by a dash, names the town of a dateline ("CAIRO —", "SALEM, Ore. --")."""
    if not text[start:end].isupper() or not _DATELINE_END.match(text, end):
        return False
    before = text[:start].rstrip(" ")
    return not before or before.endswith(("\n", ".", "!", "?")) or before[-1].isdigit()


def names_dateline(name: str, text: str) -> bool:
    """Whether ``text`` has a dateline naming ``name`` (written in capitals there)."""
    return any(is_dateline(text, start, end) for start, end in occurrences(name.upper(), text))


def occurrences(name: str, text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each place ``text`` writes ``name`` as whole words."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            yield start, end
        start = text.find(name, start + 1)


@cache
def town_after() -> re.Pattern[str]:
    """ ", Quezon City", ", in Matara", " area of Chiefland" (context.yaml ``part_of_town``)
    right after a name: the capitalised words (up to three) of the town."""
    parts = "|".join(map(re.escape, context_rules()["part_of_town"]))
    return re.compile(
        rf"(?:,\s+(?P<inside>in\s+)?|\s+(?P<part>{parts})\s+of\s+)"
        rf"(?P<town>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){{0,2}})"
    )


def names_after(mention: str, context: str) -> Iterator[tuple[str, bool]]:
    """The capitalised words (three to one) of the town written after each ``mention, ``
    (``mention, in``, ``mention area of``) in the text, and whether the words between say
    that the mention lies in the town (all but a bare comma). A town ending a list ("X, Raqqa
    and Palmyra") is the mention's neighbour, not its town: passed over."""
    pattern = town_after()
    for _, end in occurrences(mention, context):
        found = pattern.match(context, end)
        if found:
            inside = bool(found.group("inside") or found.group("part"))
            if not inside and context.startswith((" and ", " or "), found.end()):
                continue
            for words in _leading_words(found.group("town")):
                yield words, inside


def _leading_words(town: str) -> Iterator[str]:
    """The words of a town written after a name, from all of them to the first alone ("Quezon
    City": "Quezon City", "Quezon")."""
    words = town.split(" ")
    for n in range(len(words), 0, -1):
        yield " ".join(words[:n])


@cache
def _town_in() -> re.Pattern[str]:
    """ " in Charleston" / ", in Quezon City" right after a name: the town's capitalised words."""
    return re.compile(r",?\s+in\s+(?P<town>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2})")


def towns_written_in(mention: str, context: str) -> Iterator[str]:
    """The capitalised words (three to one) written after each ``mention in`` in the text
    ("Hampton Park in Charleston": "Charleston")."""
    pattern = _town_in()
    for _, end in occurrences(mention, context):
        found = pattern.match(context, end)
        if found:
            yield from _leading_words(found.group("town"))


@cache
def _area_around() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ " district, Y province" / " Rd. in Y County" / " area, in the Y governorate" right after a
    name (context.yaml ``place_kinds``, ``area_kinds``): the name's kind, if written there, and
    the area's capitalised words (up to three) and kind; and "the village of " right before
    a name."""
    rules = context_rules()
    kinds = "|".join(map(re.escape, sorted(rules["place_kinds"], key=len, reverse=True)))
    areas = "|".join(map(re.escape, rules["area_kinds"]))
    after = re.compile(
        rf"(?:\s+(?P<kind>(?i:{kinds}))(?!\w))?(?:,\s+(?:in\s+)?|\s+in\s+)(?:the\s+)?"
        rf"(?P<area>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){{0,2}}) (?P<area_kind>{areas})\b"
    )
    before = re.compile(rf"\b(?i:{kinds}) of $")
    return after, before


def areas_around(mention: str, context: str) -> Iterator[tuple[str, str]]:
    """The areas the text writes ``mention`` inside, the mention written with its kind
    ("farmers in the Wedza district, Mashonaland East province": ("Mashonaland East",
    "province")): (the area's words, its kind), nearest first."""
    after, before = _area_around()
    for start, end in occurrences(mention, context):
        found = after.match(context, end)
        if found and (found.group("kind") or before.search(context, max(0, start - 30), start)):
            yield found.group("area"), found.group("area_kind")


@cache
def _town_before() -> re.Pattern[str]:
    """ "Cairo's gated suburb of ", "the Baghdad suburb of " right before a name: the capitalised
    words (up to three) of the town."""
    parts = "|".join(map(re.escape, context_rules()["part_of_town"]))
    return re.compile(
        rf"(?P<town>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){{0,2}})(?:['’]s)?"
        rf"(?: [a-z][\w-]*){{0,2}} (?:{parts}) of $"
    )


@cache
def _town_owning() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ "Aleppo's eastern " / "the city's " right before a name, and " suburb" right after
    it: the town (or "the city", the town the text names), and the part word."""
    parts = "|".join(map(re.escape, context_rules()["part_of_town"]))
    return (
        re.compile(
            r"(?:(?P<town>[A-Z][\w.-]*(?: [A-Z][\w.-]*){0,2})|\b(?P<the>the (?:city|town|capital)))"
            r"['’]s (?:[a-z][\w-]* ){0,2}$"
        ),
        re.compile(rf" (?P<part>{parts})\b"),
    )


def towns_before(mention: str, context: str) -> Iterator[str]:
    """The capitalised words (three to one) of the town written before each ``mention`` as
    holding it ("Cairo's gated suburb of Madinaty", "the Baghdad suburb of Sadr City",
    "Aleppo's Sukkari neighbourhood"), or "the city" for "the city's Abbassiya district" (the
    town the text names)."""
    pattern = _town_before()
    owner, part = _town_owning()
    for start, end in occurrences(mention, context):
        found = pattern.search(context, max(0, start - 60), start)
        after = part.match(context, end) if found is None else None
        if after is not None:
            found = owner.search(context, max(0, start - 60), start)
            if found is not None and found.group("the"):
                yield "the city"
                continue
            if after.group("part") == "district":
                continue  # "Idlib's X district": a district of the province, or of the town
        if found:
            yield from _town_words(found.group("town"))


def owners_before(mention: str, context: str) -> Iterator[str]:
    """The capitalised words (three to one) of the town written as owning each ``mention``
    right before it ("Whittier's Penn Park", "Leeds's new Kirkgate Market"), or "the city"
    for "the city's Penn Park" (the town the text names)."""
    owner = _town_owning()[0]
    for start, _ in occurrences(mention, context):
        found = owner.search(context, max(0, start - 60), start)
        if found is None:
            continue
        if found.group("the"):
            yield "the city"
            continue
        yield from _town_words(found.group("town"))


def _town_words(town: str) -> Iterator[str]:
    """The words of a town written before a name, from all of them to the last alone ("the
    Baghdad suburb of": "Baghdad"; "Quezon City's": "Quezon City", "City")."""
    words = without_possessive(town).split(" ")
    for n in range(len(words), 0, -1):
        yield " ".join(words[-n:])


def written_apart(part: str, mention: str, context: str) -> bool:
    """Whether ``context`` writes ``part`` once at least without the rest of the ``mention``
    that holds it after it ("St. Marys" on its own, not in "St. Marys River")."""
    rest = mention[mention.find(part) :]
    return any(not context.startswith(rest, start) for start, _ in occurrences(part, context))


def names_before(mention: str, context: str) -> Iterator[str]:
    """The capitalised words (one to three) right before each ``Town, mention`` in the text."""
    for start, _ in occurrences(mention, context):
        before = context[max(0, start - 40) : start]
        if not before.endswith(", "):
            continue
        words = before[:-2].split(" ")[-3:]
        while words and not words[0][:1].isupper():
            words = words[1:]
        for n in range(len(words), 0, -1):
            if all(w[:1].isupper() for w in words[-n:]):
                yield " ".join(words[-n:])


@cache
def _words(source: str) -> frozenset[str]:
    """The lower-case words of a list in ``data/places``: a ``.txt`` file (one a line, ``#``
    comments) or a section of ``people.yaml``."""
    if source.endswith(".txt"):
        lines = data_path(f"places/{source}").read_text(encoding="utf-8").splitlines()
        return frozenset(
            line.strip() for line in lines if line.strip() and not line.startswith("#")
        )
    return frozenset(word.lower() for word in load_yaml("places/people.yaml")[source])


def _bare(word: str) -> str:
    """ "Sen." / "Joyce's" -> "sen" / "joyce"."""
    return without_possessive(word).rstrip(".").lower()


def is_common_word(word: str) -> bool:
    """A function word or number, capitalised at a sentence's start ("From", "Both")."""
    return _bare(word) in _words("common_words.txt")


def is_given_name(word: str) -> bool:
    """A common given name as written ("Joyce", "AUSTIN"), possessive or not."""
    return _bare(word) in _words("given_names.txt")


def is_common_surname(word: str) -> bool:
    """A common surname as written ("Smith", "SMITH's")."""
    return _bare(word) in _words("surnames.txt")


def is_personal_title(word: str) -> bool:
    """A title written before a person's name ("Sen.", "Mayor", "Dr")."""
    return _bare(word) in _words("personal_titles")


def is_role_word(word: str) -> bool:
    """A word in lower case written before a person's name ("leader", "coach")."""
    return word.islower() and word in _words("role_words")


@cache
def role_word_endings() -> frozenset[str]:
    """The last three letters of the role words (a word ending otherwise is none)."""
    return frozenset(word[-3:] for word in _words("role_words"))


def is_place_word(word: str) -> bool:
    """A word of place names that ends no person's name ("Township")."""
    return _bare(word) in _words("place_words")


def is_organisation_head(word: str) -> bool:
    """A head word of a newspaper's name ("Herald", "Daily", "Times")."""
    return _bare(word) in _words("organisation_heads")


def is_organisation_prefix(word: str) -> bool:
    """A word that, written right before a place's name, makes one organisation's name with it
    ("Air" in "Air Canada": an airline, not the country)."""
    return _bare(word) in _words("organisation_prefixes")


def is_place_preposition(word: str) -> bool:
    """A word after which a capitalised name is a place ("from", "in", "near")."""
    return _bare(word) in _words("place_prepositions")
