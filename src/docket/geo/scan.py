"""Reading a text into a :class:`~docket.geo.context.Context`: the places it names and what
they vote for.

:class:`Scanner` reads a text word by word: a word that starts with a capital (or an Arabic
letter) and starts a gazetteer name is read with up to three words after it for the longest
name (:class:`~docket.geo.names.NameReader`); each name counts once, for its key, the 1-degree
cells and counties of its places and its vote for their countries and first-level areas
(:func:`place_votes`). Demonyms vote for their country; a person's name (:mod:`docket.geo.people`)
votes for nothing; a country or area written as background ("an Ohio man") votes less. Names
joined by hyphens, the counties a text names with their kind ("Clarke County") and country cues
are read apart (:meth:`Scanner._note_phrases`). A document scanned once is scanned on for each of
its claims' place names (:meth:`Scanner.scan_with_tail`).

The :class:`~docket.geo.geocoder.Geocoder` ranks a mention's candidates against the context
read here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import chain, pairwise

from docket.geo.context import (
    Context,
    background_articles,
    background_weight,
    codes_after_comma,
    county_patterns,
    county_words,
    demonym_at,
    demonym_first_words,
    demonym_weight,
    demonyms,
    is_organisation_prefix,
    may_name_counties,
    note_country_cues,
    party_prefixes,
)
from docket.geo.gazetteer import Gazetteer, GazPlace
from docket.geo.names import NameReader, generic_words, name_key
from docket.geo.people import (
    PeopleReader,
    after_role_word,
    may_start_person,
    names_organisation,
    note_person,
    placed_by_preposition,
)
from docket.memo import remember

# Votes beyond this many names count no more (a text naming a country ten times is no surer).
CONTEXT_CAP = 2.0
# A text voting this much for a country rules out a spelling variant in a country it never
# names ("Ituri" in a text about the Congo is not Turin).
SURE_COUNTRY_VOTES = 1.0
# A town inside the area of its name is the area's namesake town when it holds at least
# 1/NAMESAKE_SHARE of the area's people ("Quebec" the town is not: the name means the province).
NAMESAKE_SHARE = 5
# A town this big votes for its area when no namesake of a third its size shares its name
# (``place_votes``); the geocoder takes a town this big for a town the text is about.
CONTEXT_TOWN_POPULATION = 15_000
_TOWNS = ("city", "capital", "locality")
# A town this many times bigger than any namesake is what its name means on its own.
DOMINANT_SHARE = 3
# A name of one of these votes for it (or, a continent, for nothing), not for a town.
_NO_TOWN_VOTE = frozenset({"country", "admin1", "admin2", "continent"})
# A name whose first place is a capital or this big means that place on its own.
FAMOUS_POPULATION = 1_000_000
# A name of one of these names the area: it places no town beside it.
AREA_NAME_FEATURES = frozenset({"country", "admin1", "continent", "region"})
# The places of a name whose cells count, most populous first.
MAX_CONTEXT_POINTS = 25

# Capitalised names joined by hyphens: "Athens-Clarke", "D-Charleston", "Egypt-US" (the
# look-behind after the first capital, so that a search tries the pattern only at capitals).
_HYPHENATED = re.compile(r"[A-Z](?<![\w'’-].)[\w'’]*(?:-[A-Z][\w'’]*)+")
_SEPARATORS = ',;:()[]"“”!?'
# Every character between words: the separators and white space (``str.isspace``: none past
# U+3000), looked up in one set.
_SEPARATOR_CHARS = frozenset(_SEPARATORS) | {c for c in map(chr, range(0x3001)) if c.isspace()}
# A word that may start a name in an ASCII text: a capital where it starts a word (the
# look-behind after the capital, so that a search tries it only at capitals), and the rest of
# the word.
_CAPITAL_WORD = re.compile(r"[A-Z](?<![^\s,;:()\[\]\"“”!?].)[^\s,;:()\[\]\"“”!?]*")
# A word and up to three words after it.
_WORD_RUN = re.compile(r"([^\s,;:()\[\]\"“”!?]+)(?:[\s,;:()\[\]\"“”!?]+[^\s,;:()\[\]\"“”!?]+){0,3}")
# The same in any text: a word starting with a character that may be a capital.
_NAME_WORD = re.compile(
    r"[^\s,;:()\[\]\"“”!?a-z0-9'’.\-/&%*+=<>@_|\\](?<![^\s,;:()\[\]\"“”!?].)[^\s,;:()\[\]\"“”!?]*"
)
# What the scan does at a word as written (Scanner._word_kind): read a demonym starting with
# it, read a gazetteer name starting with it.
_DEMONYM_START = 1
_NAME_START = 2
# ... or read a person's name starting with it (a given name or a title: people.yaml).
_PERSON_START = 4
# A county's kind, looked for before the county patterns run.
_COUNTY_HINT = re.compile(
    r"\b(?:Count|Co\.|Parish|Borough)|\b(?:counties|parishes|boroughs)\b", re.I
)
# Between the names of a list ("Clarke, Madison and Oconee counties").
_LIST_SPLIT = re.compile(r",\s*(?:and\s+|or\s+|&\s+)?|\s+(?:and|or|&)\s+")


class Scanner:
    """Reads texts into contexts on a :class:`Gazetteer`, keeping what it learns of each word,
    run of words and name for the next text."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.names = NameReader(gazetteer)
        self.people = PeopleReader(self.names)
        # (bound once: the scan asks these at every word that may start a name)
        self._name_in_run = self.names.name_in_run
        self._names_area = self.names.names_area
        self._person_in_run = self.people.person_in_run
        self._person_after_role = self.people.person_after_role
        self._cells_cache: dict[str, tuple[_Cells, _Counties]] = {}
        self._votes_cache: dict[tuple[str, bool], _Votes] = {}
        self._dominant_cache: dict[str, tuple[GazPlace, float] | None] = {}
        self._head_cache: dict[str, Scan] = {}
        self._word_kinds: dict[str, int] = {}

    def _cells_of(self, key: str) -> tuple[_Cells, _Counties]:
        """The cells (:func:`_cells`) and the counties (:func:`_counties_of`) of the places
        named ``key`` (kept by key: one look-up for both)."""
        found = self._cells_cache.get(key)
        if found is None:
            places = self.gazetteer.lookup_key(key)
            found = (_cells(places), _counties_of(places))
            remember(self._cells_cache, key, found)
        return found

    def scan_context(self, text: str) -> Context:
        scan = Scan()
        self._scan_text(scan, text)
        self._note_phrases(scan, text)
        return scan.ctx

    def _note_phrases(self, scan: Scan, text: str) -> None:
        """What the word scan cannot read of ``text``: names joined by hyphens, the kinds of the
        counties it names and its country cues."""
        self._note_hyphenated_names(scan, text)
        self._note_county_phrases(scan.ctx, text)
        note_country_cues(scan.ctx, text)

    def _note_county_phrases(self, ctx: Context, text: str) -> None:
        """Record the counties ``text`` names with their kind ("Clarke County", "Cooke Co.",
        "Clarke, Madison and Oconee counties"); the first-level area holding most of the
        names votes (few states have all of them), when it holds two or more."""
        if not may_name_counties(text) or not _COUNTY_HINT.search(text):
            return
        single, listed = county_patterns()
        words, list_words = county_words()
        states: dict[tuple[str, str], set[str]] = {}
        for found in single.finditer(text):
            name = found.group("name")
            for county in self._note_county(ctx, name, words[found.group("kind")]):
                states.setdefault((county.country, county.admin1_code), set()).add(name)
        for found in listed.finditer(text):
            kind = list_words[found.group("kind").lower()]
            for name in _LIST_SPLIT.split(found.group("names")):
                for county in self._note_county(ctx, name, kind) if name else ():
                    states.setdefault((county.country, county.admin1_code), set()).add(name)
        most = max((len(held) for held in states.values()), default=0)
        if most < 2:
            return
        best = [state for state, held in states.items() if len(held) == most]
        for state in best:
            ctx.admin1s[state] = ctx.admin1s.get(state, 0.0) + 1 / len(best)
            ctx.countries[state[0]] = ctx.countries.get(state[0], 0.0) + 1 / len(best)

    def _note_county(self, ctx: Context, name: str, kind: str) -> list[GazPlace]:
        """Note that the text calls ``name`` a county (of kind ``kind``); its counties."""
        full = f"{name} {kind}"
        key = name_key(full)
        counties = [p for p in self.gazetteer.lookup_key(key) if p.feature == "admin2"]
        if not counties:
            return []
        ctx.county_names[name_key(name)] = full
        for county in counties:
            ctx.counties.setdefault((county.country, county.admin1_code, county.admin2), set()).add(
                key
            )
        return counties

    def scan_with_tail(self, text: str, tail: str) -> Context:
        """:meth:`scan_context` of ``text + "\\n" + tail``, the part of ``text`` that cannot
        reach into ``tail`` scanned once per ``text`` (a document whose claims each add their
        place names)."""
        head = self._head_cache.get(text)
        if head is None:
            head = Scan()
            self._scan_text(head, text, whole_ngrams_only=True)
            self._note_phrases(head, text)
            remember(self._head_cache, text, head, 200)
        scan = head.copy()
        self._scan_text(scan, f"{text}\n{tail}")
        # (hyphenated names, the kinds of counties and the country cues of the text were noted
        # with its head)
        self._note_phrases(scan, tail)
        return scan.ctx

    def _scan_text(self, scan: Scan, text: str, *, whole_ngrams_only: bool = False) -> None:
        """Scan ``text``'s words from ``scan.position`` on, for the names of places.

        Only a word that starts with a capital (or an Arabic letter) can start a name: those are
        found by one pattern, and the up to three words after each read only when its first
        word starts a gazetteer name. Word by word keys, joined for n-grams (cheaper than
        normalising every n-gram; close enough for counting which areas a text names). With
        ``whole_ngrams_only`` the scan stops at the first such word followed by fewer than three
        words: a longer text (``text`` plus more) is scanned on from there."""
        ctx, seen = scan.ctx, scan.seen
        generic, kinds, articles = generic_words(), self._word_kinds, background_articles()
        pos = scan.position
        # one search for every word that may start a name; those the names read pass over are
        # skipped
        for found in (_CAPITAL_WORD if text.isascii() else _NAME_WORD).finditer(text, pos):
            start = found.start()
            if start < pos:
                continue
            # the first word alone, and the words after it only where they are needed
            first = found.group()
            kind = kinds.get(first)
            if kind is None:
                kind = self._word_kind(first)
            if not kind:
                continue
            run = None
            if kind & _PERSON_START:
                run = _WORD_RUN.match(text, start)
                if whole_ngrams_only and self._name_in_run(run.group())[0] < 4:  # type: ignore[union-attr]
                    scan.position = max(scan.position, start)
                    return
                length = self._person_in_run(run.group())  # type: ignore[union-attr]
                if length and not placed_by_preposition(text, start, start + length):
                    pos = note_person(scan, text, start, length)
                    continue
            if kind & _NAME_START and after_role_word(text, start):
                length = self._person_after_role(_WORD_RUN.match(text, start).group())  # type: ignore[union-attr]
                if length:
                    pos = note_person(scan, text, start, length)
                    continue
            if kind & _DEMONYM_START:
                if run is None:
                    run = _WORD_RUN.match(text, start)
                demonym = demonym_at(run.group())  # type: ignore[union-attr]
                if demonym is not None and demonym not in seen:  # (keys are lower-case)
                    seen.update((demonym, *demonym.split()[1:]))  # ("Sudanese" in "South Sudanese")
                    country = demonyms()[demonym]
                    ctx.countries[country] = ctx.countries.get(country, 0.0) + demonym_weight()
            if not kind & _NAME_START:
                continue
            if run is None:
                run = _WORD_RUN.match(text, start)
            count, n, key, length = self._name_in_run(run.group())  # type: ignore[union-attr]
            if whole_ngrams_only and count < 4:
                scan.position = max(scan.position, start)
                return
            if key is None:
                continue
            pos = start + length
            if key in seen:  # each name votes once, however often it is repeated
                continue
            if text[pos + 1 : pos + 2].isupper() and names_organisation(text, pos):
                continue
            before = _word_before(text, start)
            if before is not None and before[1] == 1 and is_organisation_prefix(before[0]):
                continue
            if (ctx.background or (before is not None and before[0] in articles)) and (
                self._counted_in_background(scan, text, key, before, pos)
            ):
                continue
            if len(key) == 2 and self._code_written_alone(text, start, first, key):
                continue
            seen.add(key)
            starts = before is None or before[0].endswith((".", "!", "?"))
            in_longer = _ends_longer_name(before, start, generic)
            self._count_name(
                ctx,
                key,
                town=key not in generic and not in_longer,
                sentence_start=starts and n == 1,
                placed=not in_longer,
            )
        scan.position = max(scan.position, len(text))

    def _code_written_alone(self, text: str, start: int, word: str, key: str) -> bool:
        """Whether ``word`` at ``start``, a code in capitals, stands for first-level areas only
        in countries that write such codes only after a town and a comma (context.yaml
        ``codes_after_comma``: "Athens, GA") and is not written so ("GA two-day passes":
        general admission)."""
        if not word.isupper() or text.endswith(", ", 0, start):
            return False
        areas = [p for p in self.gazetteer.lookup_key(key) if p.feature in ("country", "admin1")]
        return bool(areas) and all(
            p.feature == "admin1" and p.country in codes_after_comma() for p in areas
        )

    def _counted_in_background(
        self, scan: Scan, text: str, key: str, before: tuple[str, int] | None, end: int
    ) -> bool:
        """Count a country or first-level area written as background ("an Ohio church", "a
        Texas man": context.yaml ``background_articles``), whose vote for its first-level area
        counts ``background_weight`` only: local news calls its own people by their town and
        others by their state. True when the name is so written (counted once so); a name
        counted so and written plainly later gets the rest of its vote."""
        if key in scan.ctx.background:
            if _written_in_background(text, before, end):
                return True
            scan.ctx.background.discard(key)
            add_votes(scan.ctx, ((), self.votes_of(key)[1]), 1.0 - background_weight())
            scan.ctx.cast[key] = 1.0  # (a name of an area: it cast a vote)
            scan.seen.add(key)
            return True
        if not _written_in_background(text, before, end) or not self._names_area(key):
            return False
        scan.ctx.background.add(key)
        town = key not in generic_words()
        self._count_name(
            scan.ctx, key, town=town, sentence_start=False, admin1_factor=background_weight()
        )
        return True

    def _count_name(
        self,
        ctx: Context,
        key: str,
        *,
        town: bool,
        sentence_start: bool,
        admin1_factor: float = 1.0,
        placed: bool = True,
    ) -> None:
        """Count a name the text holds: its key, whether it may name a town, the cells and
        counties of its places and its vote for their areas (for first-level areas, times
        ``admin1_factor``)."""
        ctx.keys.add(key)
        if town:
            ctx.towns.append(key)
        (cells, lent), (counties, town_counties) = self._cells_of(key)
        for cell, weight in cells if placed else ():
            bucket = ctx.cells.setdefault(cell, {})
            bucket[key] = bucket.get(key, 0.0) + weight
        if town and lent:  # (only a name that may name a town places the others)
            ctx.lent[key] = lent
        # the counties it names and the counties holding the towns it names
        for county in counties:
            ctx.counties.setdefault(county, set()).add(key)
        for county in town_counties:
            ctx.town_counties.setdefault(county, set()).add(key)
        votes = self.votes_of(key, sentence_start=sentence_start)
        add_votes(ctx, votes, admin1_factor)
        if votes != ((), ()):
            ctx.cast[key] = admin1_factor

    def _note_hyphenated_names(self, scan: Scan, text: str) -> None:
        """Read the names joined by hyphens, which the scan takes for one unknown word: a
        country or first-level area ("Egypt-US") and the home town of a legislator after a
        party after a comma or a bracket (", D-Charleston", "(R-Texas)": context.yaml
        ``party_prefixes``; not "D-Day") count as names of their own (a surname joined so,
        "Green-Karol", does not); a town joined to the county holding it ("Athens-Clarke", a
        city and county governed as one) names that county."""
        if "-" not in text:
            return
        parties = party_prefixes()
        for found in _HYPHENATED.finditer(text):
            whole = found.group()
            if self.gazetteer.has_key(name_key(whole)):
                continue  # "Winston-Salem": one name, read by the scan
            parts = whole.split("-")
            home = parts[0] in parties and text.endswith((", ", "("), 0, found.start())
            for i, part in enumerate(parts):
                key = self._name_in_run(part)[2]
                home_town = home and i == 1
                if (
                    key is not None
                    and key not in scan.seen
                    and (home_town or self._names_area(key))
                ):
                    scan.seen.add(key)
                    self._count_name(scan.ctx, key, town=home_town, sentence_start=False)
            for town, county in pairwise(parts):
                self._note_county_of_town(scan.ctx, town, county)
                self._note_county_of_town(scan.ctx, county, town)

    def _note_county_of_town(self, ctx: Context, town: str, county: str) -> None:
        """Note ``county`` as a county when a town called ``town`` lies in a county of that
        name ("Clarke" beside "Athens": Athens lies in Clarke County)."""
        kinds = set(county_words()[0].values())
        held = {p.admin2 for p in self.gazetteer.lookup(town) if p.feature in ("city", "capital")}
        for kind in kinds:
            if f"{county} {kind}" in held:
                self._note_county(ctx, county, kind)

    def _word_kind(self, word: str) -> int:
        """What the scan reads at ``word`` as written: ``_DEMONYM_START`` when it may start a
        demonym, ``_NAME_START`` when it starts a capital (or an Arabic letter) and some
        gazetteer name starts with its key; 0 for neither (kept by word)."""
        kind = 0
        if word[0].isupper() or _is_arabic(word[0]):
            if word.rstrip(".") in demonym_first_words():
                kind |= _DEMONYM_START
            head = name_key(word)
            if head and self.gazetteer.starts_a_key(head.split(" ", 1)[0]):
                kind |= _NAME_START
            if may_start_person(word):
                kind |= _PERSON_START
        remember(self._word_kinds, word, kind, 100_000)
        return kind

    def votes_of(self, key: str, *, sentence_start: bool = False) -> _Votes:
        """:func:`place_votes` of the places named ``key`` (kept by key)."""
        found = self._votes_cache.get((key, sentence_start))
        if found is None:
            matches = self.gazetteer.exact_matches(key)
            found = place_votes(
                [p for p, _ in matches],
                sentence_start=sentence_start,
                voting=_voting_towns(key, matches),
            )
            remember(self._votes_cache, (key, sentence_start), found)
        return found

    def dominant_town(self, key: str) -> tuple[GazPlace, float] | None:
        """:func:`dominant_town` of the places named ``key`` when the name names towns only
        (the town the name votes for: :meth:`votes_of`), with how many times its biggest
        namesake town it is (of 1 person at least); None when none (kept by key)."""
        if key in self._dominant_cache:
            return self._dominant_cache[key]
        matches = self.gazetteer.exact_matches(key)
        places = [p for p, _ in matches]
        found = None
        if not any(p.feature in _NO_TOWN_VOTE for p in places):
            town = dominant_town(places, _voting_towns(key, matches))
            if town is not None:
                found = (town, town.population / max(_runner_up(places, town), 1))
        remember(self._dominant_cache, key, found)
        return found


@dataclass(slots=True)
class Scan:
    """A context scan under way: the context found so far, the names already counted and where
    in the text the next word to look at starts."""

    ctx: Context = field(default_factory=Context)
    seen: set[str] = field(default_factory=set)
    position: int = 0

    def copy(self) -> Scan:
        """A copy of this scan, its context deep enough to be changed."""
        ctx = self.ctx
        copied = Context(
            countries=dict(ctx.countries),
            admin1s=dict(ctx.admin1s),
            cells={cell: dict(bucket) for cell, bucket in ctx.cells.items()},
            lent=dict(ctx.lent),
            keys=set(ctx.keys),
            counties={county: set(keys) for county, keys in ctx.counties.items()},
            town_counties={county: set(keys) for county, keys in ctx.town_counties.items()},
            towns=list(ctx.towns),
            county_names=dict(ctx.county_names),
            background=set(ctx.background),
            people=set(ctx.people),
            cast=dict(ctx.cast),
        )
        return Scan(copied, set(self.seen), self.position)


def _written_in_background(text: str, before: tuple[str, int] | None, end: int) -> bool:
    """Whether the name ending at ``end`` is written after an indefinite article and before a
    word in lower case ("an Ohio church")."""
    return (
        before is not None
        and before[1] == 1
        and before[0] in background_articles()
        and text.startswith(" ", end)
        and text[end + 1 : end + 2].islower()
    )


def _is_separator(char: str) -> bool:
    """A character between words (see ``WORD``)."""
    return char in _SEPARATOR_CHARS


def _word_before(text: str, start: int) -> tuple[str, int] | None:
    """The word before the one starting at ``start`` and the number of characters between
    them (None for the text's first word)."""
    end = start
    separators = _SEPARATOR_CHARS
    while end > 0 and text[end - 1] in separators:
        end -= 1
    if end == 0:
        return None
    begin = end
    while begin > 0 and text[begin - 1] not in separators:
        begin -= 1
    return text[begin:end], start - end


def _ends_longer_name(before: tuple[str, int] | None, start: int, generic: frozenset[str]) -> bool:
    """Whether the word at ``start`` ends a longer capitalised name ("Roger Moore", "Saint
    Helena's"): a capitalised word, not a generic one ("The", "Police"), right before it
    with only a space between. (A place name first, "Winnipeg Fire Service", still names
    the place.)"""
    if before is None:
        return False
    word, gap = before
    return (
        gap == 1
        and _names_on(word, generic)
        and not word.endswith((".", "!", "?", ":", "'s", "’s"))  # ("Cambridge's Chesterton")
    )


def _names_on(word: str, generic: frozenset[str]) -> bool:
    """A capitalised word that is not a generic one ("Police", "The")."""
    return word[:1].isupper() and name_key(word) not in generic


def _is_arabic(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff"


# The 1-degree cells of a name's places with its weight in each, and the points (lat, lon, ...)
# of the places it may mean beside other names.
_Cells = tuple[tuple[tuple[tuple[int, int], float], ...], tuple[float, ...]]


def _cells(places: list[GazPlace]) -> _Cells:
    """The 1-degree cells of the points among ``places`` (most populous first), with weights,
    and the points of those the name may mean beside other names (see
    ``Context.names_around``): none for a name of a country or first-level area
    (``names_an_area``: "Georgia", not the towns called so), the first alone for a name
    famous on its own ("London" beside "Dublin" does not place Dublin in Ohio), else all."""
    points = [p for p in places if p.feature in ("city", "capital", "admin2", "site")]
    if not points:
        return (), ()
    points = sorted(points, key=lambda p: -p.population)[:MAX_CONTEXT_POINTS]
    weight = 1.0 / len(points)
    # (tuples of numbers: kept by key, they are left out of the garbage collector's walks)
    cells = tuple(((math.floor(p.lat), math.floor(p.lon)), weight) for p in points)
    if names_an_area(places):
        return cells, ()
    lent = points[:1] if is_famous(points[0]) else points
    return cells, tuple(chain.from_iterable((p.lat, p.lon) for p in lent))


def names_an_area(places: list[GazPlace]) -> bool:
    """Whether a name of ``places`` names a country or first-level area ("Florida"), other
    than one named after its town ("Kingston", the parish of the capital: see
    ``_is_namesake_town_of``)."""
    areas = [p for p in places if p.feature in AREA_NAME_FEATURES]
    return bool(areas) and any(
        not any(
            town.feature in ("city", "capital")
            and (town.country, town.admin1_code) == (area.country, area.admin1_code)
            and town.population * NAMESAKE_SHARE >= area.population
            for town in places
        )
        for area in areas
    )


def is_famous(place: GazPlace) -> bool:
    """A capital or a city of ``FAMOUS_POPULATION``: what its name means on its own."""
    return place.feature == "capital" or place.population >= FAMOUS_POPULATION


# What a name votes for: (country, weight) and ((country, admin1 code), weight) pairs.
_Votes = tuple[tuple[tuple[str, float], ...], tuple[tuple[tuple[str, str], float], ...]]


def _voting_towns(key: str, matches: tuple[tuple[GazPlace, float], ...]) -> list[GazPlace] | None:
    """The towns named ``key`` that may speak for their areas, None for all: a town known by
    the name only as another name ("Ariha", Arabic for Jericho), not a short form of its own
    ("Enfield" for Enfield Town), may not when the name is some other town's own name (Ariha
    in Idlib), which a text using it more likely means; unless it is famous (:func:`is_famous`:
    "Bombay" is Mumbai's, not the village of 740 in New Zealand that is named so)."""
    if not any(score == 1.0 and p.feature in _TOWNS for p, score in matches):
        return None
    return [
        p
        for p, score in matches
        if p.feature in _TOWNS and (score == 1.0 or _short_form(key, p.name) or is_famous(p))
    ]


def _short_form(key: str, name: str) -> bool:
    """Whether ``key`` is the first words of ``name``, normalised ("enfield" of Enfield Town)."""
    return name_key(name).startswith(key + " ")


def place_votes(
    places: list[GazPlace],
    *,
    sentence_start: bool = False,
    voting: list[GazPlace] | None = None,
) -> _Votes:
    """The areas a name in the text points to; an ambiguous name splits its vote. Only a
    town of ``voting`` (when given) votes, its namesakes among ``places`` still making the
    name ambiguous."""
    if any(p.feature == "continent" for p in places):
        return (), ()  # "Africa", "Asia": says nothing about a country
    areas = [p for p in places if p.feature in ("country", "admin1", "admin2")]
    if areas:
        countries = {p.country for p in areas}
        keys = {(p.country, p.admin1_code) for p in areas if p.feature != "country"}
        return (
            tuple((cc, 1 / len(countries)) for cc in countries),
            tuple((key, 1 / len(keys)) for key in keys),
        )
    top = None if sentence_start else dominant_town(places, voting)
    if top is None:
        return (), ()
    return ((top.country, 0.5),), (((top.country, top.admin1_code), 0.5),)


def dominant_town(places: list[GazPlace], voting: list[GazPlace] | None = None) -> GazPlace | None:
    """The town a name of towns means on its own: the biggest (of ``voting`` when given), at
    least ``CONTEXT_TOWN_POPULATION`` people and ``DOMINANT_SHARE`` times any namesake; None
    when no town so dominates its name (too ambiguous to say where a text using it is)."""
    towns = [p for p in places if p.feature in ("city", "capital")]
    if not towns:
        return None
    top = max(towns if voting is None else voting, key=lambda p: p.population, default=None)
    if top is None or top.population < CONTEXT_TOWN_POPULATION:
        return None
    return None if _runner_up(towns, top) * DOMINANT_SHARE > top.population else top


def _runner_up(places: list[GazPlace], top: GazPlace) -> int:
    """The population of the biggest town of ``places`` other than ``top`` (0 for none)."""
    return max(
        (p.population for p in places if p is not top and p.feature in ("city", "capital")),
        default=0,
    )


def add_votes(ctx: Context, votes: _Votes, admin1_factor: float = 1.0) -> None:
    """Add ``votes`` to ``ctx``, those for first-level areas times ``admin1_factor``."""
    countries, admin1s = votes
    for cc, weight in countries:
        ctx.countries[cc] = ctx.countries.get(cc, 0) + weight
    for key, weight in admin1s:
        ctx.admin1s[key] = ctx.admin1s.get(key, 0) + weight * admin1_factor


def scaled_votes(ctx: Context, factor: float) -> Context:
    """``ctx`` with its votes for first-level areas times ``factor``."""
    return Context(
        countries=ctx.countries,
        admin1s={key: v * factor for key, v in ctx.admin1s.items()},
        keys=ctx.keys,
        excluded=ctx.excluded,
        cast=ctx.cast,
    )


County = tuple[str, str, str]  # country, admin1 code, county name


_Counties = tuple[tuple[County, ...], tuple[County, ...]]


def _counties_of(places: list[GazPlace]) -> _Counties:
    """The counties among ``places``, and the counties holding the towns among them."""
    counties = {
        (p.country, p.admin1_code, p.admin2) for p in places if p.feature == "admin2" and p.admin2
    }
    towns = {
        (p.country, p.admin1_code, p.admin2)
        for p in places
        if p.feature in ("city", "capital") and p.admin2
    }
    return tuple(counties), tuple(towns)
