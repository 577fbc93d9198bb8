"""Reading gazetteer names in words: the word lists of ``data/places/relations.yaml``
(generic words, site words, name titles), a name's key, and the longest gazetteer name a run of
words starts with (:class:`NameReader`, kept by run).

Shared by the context scan (:mod:`docket.geo.scan`), the people reader
(:mod:`docket.geo.people`), the site rules (:mod:`docket.geo.sites`) and the ranking
(:mod:`docket.geo.geocoder`).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from docket.geo.context import (
    WORD,
    is_abbreviation,
    is_common_word,
    is_organisation,
    is_organisation_head,
    without_possessive,
)
from docket.geo.gazetteer import Gazetteer
from docket.geo.normalize import normalize
from docket.memo import remember
from docket.vocab import load_yaml

# Article words dropped when joining word keys ("Jisr al Shughur" -> "jisr shughur").
ARTICLE_WORDS = frozenset({"al", "el", "as", "ad", "an", "ar", "at", "az", "ash", "es", "ed", "en"})


@cache
def relations_file() -> Any:
    return load_yaml("places/relations.yaml")


@cache
def generic_words() -> frozenset[str]:
    """Words that are parts of names but not places on their own ("North", "River", "City")."""
    return frozenset(normalize(w) for w in relations_file()["generic_words"])


@cache
def site_words() -> frozenset[str]:
    """Last words that make a name a street, building or site inside a town."""
    return frozenset(normalize(w) for w in relations_file()["site_words"])


@cache
def name_titles() -> frozenset[str]:
    """Words that make the word after them another name ("St Edmund" is not Edmund)."""
    return frozenset(normalize(w) for w in relations_file()["name_titles"])


@lru_cache(maxsize=100_000)
def name_key(text: str) -> str:
    return normalize(text)


def _joined_prefixes(keys: list[str]) -> list[str]:
    """For each n, the first n of ``keys`` joined by spaces, empty keys and articles left out
    ("al", "el": "Al Bab" is "bab")."""
    parts: list[str] = []
    joined = []
    for key in keys:
        if key and key not in ARTICLE_WORDS:
            parts.append(key)
        joined.append(" ".join(parts))
    return joined


@lru_cache(maxsize=100_000)
def _names_no_place(word: str) -> bool:
    """An agency's acronym, a newspaper's head word or a function word, which alone is no
    place ("SANA", "Herald", "From")."""
    return is_organisation(word) or is_organisation_head(word) or is_common_word(word)


class NameReader:
    """Finds the gazetteer names that runs of words start with, and whether a key names a
    country or first-level area."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._run_cache: dict[str, tuple[int, int, str | None, int]] = {}

    def name_in_run(self, run: str) -> tuple[int, int, str | None, int]:
        """The longest gazetteer name that the (up to four) words of ``run`` start with: the
        number of words in ``run``, of words in the name, the name's key and its length in
        characters (``None`` and 0 when none); kept for the next text that holds the same
        words."""
        found = self._run_cache.get(run)
        if found is None:
            found = self._read_run(run)
            remember(self._run_cache, run, found)
        return found

    def _read_run(self, run: str) -> tuple[int, int, str | None, int]:
        spans = list(WORD.finditer(run))
        words = [m.group() for m in spans]
        keys = [name_key(without_possessive(w)) for w in words]
        names = _joined_prefixes(keys)
        generic = generic_words()
        for n in (4, 3, 2, 1):
            if len(spans) < n:
                continue
            key = names[n - 1]
            if not key or key in generic:  # "Police", "Northeast": words first, rarely places
                continue
            if keys[0] == "the" and all(k in generic for k in keys[1:n]):
                continue  # "The City Council", "The State Department": no place named
            if n == 1 and _names_no_place(words[0]):
                continue
            if len(key) <= 3 and not words[n - 1].endswith("."):
                # A short name counts as an abbreviation of a country or a first-level area
                # ("UK's", "BC") or not at all.
                if n == 1 and is_abbreviation(words[0]) and self.names_area(key):
                    return len(spans), n, key, spans[0].end()
                continue
            if self.gazetteer.has_key(key):
                return len(spans), n, key, spans[n - 1].end()
        return len(spans), 0, None, 0

    def names_area(self, key: str) -> bool:
        """Whether ``key`` names a country or a first-level area ("uk", "bc")."""
        return any(p.feature in ("country", "admin1") for p in self.gazetteer.lookup_key(key))
