"""Linking claims into incidents: blocking, Fellegi-Sunter scoring, guarded clustering.

The core is pure and in memory: :func:`link_claims` takes claims and returns clusters; the store
side (``docket link``) lives in :mod:`docket.link.ops`. Claims are first turned into a
:class:`ClaimFrame` of numpy columns so that a million claims link in seconds:

1. **Blocking** proposes candidate pairs: dated claims in the same or a neighbouring map cell within
   a day or two; claims naming the same place within a few days; claims with a vague or no date
   against every claim naming the same place; claims without place or coordinates by province
   and day.
2. **Scoring** compares each pair on date, location, event type, targets, named facility,
   perpetrators and killed, each comparison giving a level whose log2(m/u) weight comes from
   ``data/link_weights.yaml``; the sum plus a prior gives the match probability.
3. **Clustering** joins pairs from the strongest down, but only when the pair reaches the link
   threshold *and* the mean probability over all pairs across the two clusters (unscored pairs
   count as 0) stays above ``average_min``, so a chain of weak links cannot join unrelated attacks.
   Claims of one document that do not match each other are never put together (a report's
   distinct attacks).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import operator
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import msgspec
import numpy as np
import orjson
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from docket.domain import CasualtyCount, Claim, DatePrecision, LocationPrecision, Range
from docket.link.names import name_similarity, normalize_place, place_key
from docket.vocab import coarse_event_type, load_yaml

COMPARISONS = ("date", "location", "event_type", "targets", "facility", "perpetrators", "killed")
# weapons that make a coarse type more specific, in order of precedence
_WEAPON_TYPES = {
    "chemical": "chemical",
    "cluster munition": "cluster_munition",
    "barrel bomb": "barrel_bomb",
    "missile": "missile",  # reported now as an air strike, now as shelling
}
_PRECISION_CODE = {DatePrecision.day: 0, DatePrecision.week: 1, DatePrecision.month: 2}
_EARTH_KM = 6371.0
_VAGUE_PLACES = {LocationPrecision.admin1, LocationPrecision.country}


# --- settings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    name: str
    weight: float


@dataclass(frozen=True)
class LinkSettings:
    """Weights, blocking and clustering parameters (read from ``data/link_weights.yaml``)."""

    prior: float
    levels: Mapping[str, tuple[Level, ...]]
    type_same_m: float
    type_same_u_min: float
    compatible_types: frozenset[frozenset[str]]
    day_window: int = 1
    place_day_window: int = 2
    cell_degrees: float = 0.1
    link_threshold: float = 0.9
    average_min: float = 0.5
    keep_scores_above: float = 0.2
    undated_block_max: int = 2000
    undated_reports_per_event: float = 4.0
    undated_min_penalty: float = 1.0

    def level_names(self, comparison: str) -> list[str]:
        return [lv.name for lv in self.levels[comparison]]

    def weight_table(self, comparison: str) -> np.ndarray:
        return np.array([lv.weight for lv in self.levels[comparison]], dtype=np.float64)


def _weight(spec: Mapping[str, Any] | None) -> float:
    if not spec or "m" not in spec or "u" not in spec:
        return 0.0
    return math.log2(float(spec["m"]) / float(spec["u"]))


@cache
def default_settings() -> LinkSettings:
    return settings_from(load_yaml("link_weights.yaml"))


def settings_from(raw: Mapping[str, Any]) -> LinkSettings:
    """Build settings from the parsed weights file (see ``data/link_weights.yaml``)."""
    comparisons = raw["comparisons"]
    levels = {
        name: tuple(Level(level, _weight(spec)) for level, spec in comparisons[name].items())
        for name in COMPARISONS
    }
    same = comparisons["event_type"]["same"]
    blocking = raw.get("blocking", {})
    clustering = raw.get("clustering", {})
    return LinkSettings(
        prior=float(raw.get("prior_log2_odds", 0.0)),
        levels=levels,
        type_same_m=float(same["m"]),
        type_same_u_min=float(same.get("u_min", 0.02)),
        compatible_types=frozenset(frozenset(p) for p in raw.get("compatible_types", [])),
        day_window=int(blocking.get("day_window", 1)),
        place_day_window=int(blocking.get("place_day_window", 2)),
        cell_degrees=float(blocking.get("cell_degrees", 0.1)),
        undated_block_max=int(blocking.get("undated_block_max", 2000)),
        undated_reports_per_event=float(raw.get("undated_reports_per_event", 4.0)),
        undated_min_penalty=float(raw.get("undated_min_penalty", 1.0)),
        link_threshold=float(clustering.get("link_threshold", 0.9)),
        average_min=float(clustering.get("average_min", 0.5)),
        keep_scores_above=float(clustering.get("keep_scores_above", 0.2)),
    )


# --- claims as columns --------------------------------------------------------------------


class _Codes:
    """Strings to small integer codes (-1 for none)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.values: list[str] = []

    def code(self, value: str | None) -> int:
        if not value:
            return -1
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found


class _Bits:
    """Set members to bits of an int64 mask (63 distinct values; more wrap around)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def mask(self, values: Iterable[str]) -> int:
        mask = 0
        for v in values:
            bit = self.index.setdefault(v, len(self.index) % 63)
            mask |= 1 << bit
        return mask


@dataclass
class ClaimFrame:
    """Claims as numpy columns, the form blocking and scoring work on."""

    ids: np.ndarray  # claim ids (or positions when claims have no ids)
    doc: np.ndarray  # document id, -1 unknown
    day: np.ndarray  # date ordinal, -1 unknown
    day_lo: np.ndarray  # earliest day the date allows
    day_hi: np.ndarray  # latest day the date allows
    exact: np.ndarray  # bool: day precision
    lat: np.ndarray
    lon: np.ndarray
    place: np.ndarray  # code of the normalised place name
    key: np.ndarray  # code of the place's consonant skeleton (blocking)
    alt: np.ndarray  # skeleton code of another place the text names, when the place is unresolved
    admin1: np.ndarray
    etype: np.ndarray  # code of the coarse type refined by weapons
    targets: np.ndarray  # bit mask
    facility: np.ndarray  # code of the normalised facility name
    perps: np.ndarray  # bit mask
    killed_lo: np.ndarray  # float, nan unknown
    killed_hi: np.ndarray  # float, inf open, nan unknown
    place_names: list[str] = field(default_factory=list)
    type_names: list[str] = field(default_factory=list)
    facility_names: list[str] = field(default_factory=list)
    target_bits: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_claims(cls, claims: Sequence[Claim]) -> ClaimFrame:
        builder = FrameBuilder()
        for i, claim in enumerate(claims):
            builder.add_claim(claim, i)
        return builder.build()


def casualty_total(count: CasualtyCount) -> Range:
    """``count.total`` without building intermediate records (hot path: a million claims)."""
    parts = [r for r in (count.civilians, count.combatants, count.unknown) if not r.is_empty]
    if not parts:
        return _NO_COUNT
    if len(parts) == 1:
        return parts[0]
    lows = [r.low for r in parts if r.low is not None]
    highs = [r.high for r in parts]
    high = None if any(h is None for h in highs) else sum(h for h in highs if h is not None)
    return Range.model_construct(low=sum(lows) if lows else None, high=high)


_NO_COUNT = Range()


def _json_total(count: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """(low, high) of a stored casualty count, as :func:`casualty_total` computes it."""
    parts = [
        r
        for r in (count.get(k) or {} for k in ("civilians", "combatants", "unknown"))
        if r.get("low") is not None or r.get("high") is not None
    ]
    if not parts:
        return None, None
    lows = [r["low"] for r in parts if r.get("low") is not None]
    highs = [r.get("high") for r in parts]
    high = None if any(h is None for h in highs) else sum(highs)  # type: ignore[arg-type]
    return (sum(lows) if lows else None), high


def link_type(event_type: str | None, weapons: Iterable[str]) -> str | None:
    """The coarse type the linker compares: ACLED's coarse class, refined by telling weapons."""
    for weapon, refined in _WEAPON_TYPES.items():
        if weapon in weapons:
            return refined
    coarse = coarse_event_type(event_type)
    return None if coarse in (None, "other") else coarse


def date_bounds(day: dt.date | None, precision: str | None) -> tuple[int, int, int, bool]:
    """(ordinal, earliest, latest, exact) of a claim date; -1s when there is none."""
    if day is None:
        return -1, -1, -1, False
    o = day.toordinal()
    if precision in (None, "day"):
        return o, o, o, True
    if precision == "week":
        return o, o - 4, o + 4, False
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return (
            o,
            dt.date(day.year, day.month, 1).toordinal(),
            day.replace(day=last).toordinal(),
            False,
        )
    return o, dt.date(day.year, 1, 1).toordinal(), dt.date(day.year, 12, 31).toordinal(), False


class FrameBuilder:
    """Collects claims (as :class:`Claim` or as plain values) into a :class:`ClaimFrame`."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.keys = _Codes()
        self.places, self.admins, self.types, self.facilities = (
            _Codes(),
            _Codes(),
            _Codes(),
            _Codes(),
        )
        self.target_bits, self.perp_bits = _Bits(), _Bits()
        self._cached = _Converted(self)

    def add_claim(self, claim: Claim, position: int) -> None:
        place = claim.place
        name = place.name if place else (claim.places[0].text if claim.places else None)
        if place is not None and (
            place.centroid or (place.precision in _VAGUE_PLACES and place.lat is not None)
        ):
            # a resolved province or country (a centroid) says nothing about where in it; an
            # unresolved name (no coordinates) is still compared as a name
            place, name = None, None
        alternative = None
        if (place is None or place.lat is None) and name:
            # an unresolved name ("al-Nour", a school) may sit in a town the text also names
            others = [m.text for m in claim.places if m.relation in (None, "in") and m.text != name]
            alternative = others[0] if others else None
        killed = casualty_total(claim.casualties.killed)
        facility = next((t.name for t in claim.targets if t.name), None)
        self.add(
            claim_id=claim.id if claim.id is not None else position,
            document_id=claim.document_id,
            date=claim.date,
            precision=claim.date_precision.value if claim.date_precision else None,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            place_name=name,
            admin1=claim.admin1 or (place.admin1 if place else None),
            kind=link_type(claim.event_type, claim.weapons),
            targets=[t.category for t in claim.targets],
            facility=facility,
            perpetrators=[p.actor_id for p in claim.perpetrators],
            killed=(killed.low, killed.high),
            alternative=alternative,
        )

    def add_json(self, data: Mapping[str, Any], claim_id: int, document_id: int | None) -> None:
        """:meth:`add_claim` for a claim's stored JSON, parsed, without building the record."""
        place = data.get("place") or None
        mentions = data.get("places") or ()
        name = place["name"] if place else (mentions[0]["text"] if mentions else None)
        if place is not None and (
            place.get("centroid")
            or (place.get("precision") in ("admin1", "country") and place.get("lat") is not None)
        ):
            place, name = None, None
        lat = lon = None
        admin1 = data.get("admin1")
        if place is not None:
            lat, lon = place.get("lat"), place.get("lon")
            admin1 = admin1 or place.get("admin1")
        alternative = None
        if lat is None and name:
            others = [
                m["text"]
                for m in mentions
                if m.get("relation") in (None, "in") and m["text"] != name
            ]
            alternative = others[0] if others else None
        weapons = data.get("weapons")
        targets = data.get("targets") or ()
        killed = (data.get("casualties") or {}).get("killed")
        self._append(
            claim_id,
            document_id,
            data.get("date"),
            data.get("date_precision"),
            lat,
            lon,
            name,
            alternative,
            admin1,
            data.get("event_type"),
            tuple(weapons) if weapons else (),
            tuple([t["category"] for t in targets]),
            next((t["name"] for t in targets if t.get("name")), None),
            tuple([p["actor_id"] for p in data.get("perpetrators") or ()]),
            _json_killed(killed) if killed else _NO_KILLED,
        )

    def add_text(self, text: str | bytes, claim_id: int, document_id: int | None) -> None:
        """:meth:`add_json` for a claim's stored JSON text, read straight into the fields the
        linker uses (the rest is skipped unparsed); text of another shape goes through
        :meth:`add_json`."""
        try:
            data = _STORED_CLAIM.decode(text)
        except msgspec.ValidationError:
            self.add_json(orjson.loads(text), claim_id, document_id)
            return
        # the body of :meth:`_append`, inlined (a million calls of fifteen arguments saved)
        c = self._cached
        place = data.place
        if place is None:
            mentions = data.places
            name = mentions[0].text if mentions else None
            lat = lon = None
            admin1 = data.admin1
        elif place.centroid or (place.lat is not None and place.precision in ("admin1", "country")):
            mentions = data.places
            name = lat = lon = None
            admin1 = data.admin1
        else:
            mentions = data.places
            name, lat, lon = place.name, place.lat, place.lon
            admin1 = data.admin1 or place.admin1
        alternative = None
        if lat is None and name:
            for m in mentions:
                if m.relation in (None, "in") and m.text != name:
                    alternative = m.text
                    break
        key = (data.date, data.date_precision)
        dates = c.dates.get(key)
        if dates is None:
            dates = c.date(*key)
        named = c.names.get(name)
        if named is None:
            named = c.name(name)
        alt = c.alts.get(alternative)
        if alt is None:
            alt = c.alt(alternative)
        admin = c.admins.get(admin1)
        if admin is None:
            admin = c.admin(admin1)
        targets = data.targets
        facility = None
        for t in targets:
            if t.name:
                facility = t.name
                break
        fcode = c.facilities.get(facility)
        if fcode is None:
            fcode = c.facility(facility)
        described = (
            data.event_type,
            tuple(data.weapons),
            tuple([t.category for t in targets]),
            tuple([p.actor_id for p in data.perpetrators]),
        )
        coded = c.described.get(described)
        if coded is None:
            coded = c.describe(described)
        killed = data.casualties.killed if data.casualties is not None else None
        lo_hi = _struct_killed(killed) if killed is not None else _NO_KILLED
        self.rows.append(
            (
                claim_id,
                -1 if document_id is None else document_id,
                dates[0],
                dates[1],
                dates[2],
                dates[3],
                math.nan if lat is None else lat,
                math.nan if lon is None else lon,
                named[0],
                named[1],
                alt,
                admin,
                coded[0],
                coded[1],
                fcode,
                coded[2],
                lo_hi[0],
                lo_hi[1],
            )  # a plain tuple display (unpacking would build a list first)
        )

    def _append(
        self,
        claim_id: int,
        document_id: int | None,
        day: str | None,
        precision: str | None,
        lat: float | None,
        lon: float | None,
        name: str | None,
        alternative: str | None,
        admin1: str | None,
        event_type: str | None,
        weapons: tuple[str, ...],
        categories: tuple[str, ...],
        facility: str | None,
        perpetrators: tuple[str, ...],
        killed: tuple[float, float],
    ) -> None:
        """One row from a stored claim's values (dates as ISO text), as :meth:`add` makes it.

        A million claims share a few thousand dates, names, types and target lists: each distinct
        value is converted once (codes are still given in order of first appearance, as
        :meth:`add` gives them) and the row is assembled from the cached pieces.
        """
        c = self._cached
        dates = c.dates.get((day, precision))
        if dates is None:
            dates = c.date(day, precision)
        named = c.names.get(name)
        if named is None:
            named = c.name(name)
        alt = c.alts.get(alternative)
        if alt is None:
            alt = c.alt(alternative)
        admin = c.admins.get(admin1)
        if admin is None:
            admin = c.admin(admin1)
        fcode = c.facilities.get(facility)
        if fcode is None:
            fcode = c.facility(facility)
        described = (event_type, weapons, categories, perpetrators)
        coded = c.described.get(described)
        if coded is None:
            coded = c.describe(described)
        kind, tmask, pmask = coded
        self.rows.append(
            (
                claim_id,
                -1 if document_id is None else document_id,
                *dates,
                math.nan if lat is None else lat,
                math.nan if lon is None else lon,
                *named,
                alt,
                admin,
                kind,
                tmask,
                fcode,
                pmask,
                *killed,
            )
        )

    def add(
        self,
        *,
        claim_id: int,
        document_id: int | None,
        date: dt.date | None,
        precision: str | None,
        lat: float | None,
        lon: float | None,
        place_name: str | None,
        admin1: str | None,
        kind: str | None,
        targets: Iterable[str],
        facility: str | None,
        perpetrators: Iterable[str],
        killed: tuple[int | None, int | None],
        alternative: str | None = None,
    ) -> None:
        day, lo, hi, exact = date_bounds(date, precision)
        k_lo, k_hi = killed
        if k_lo is None and k_hi is None:
            kl, kh = math.nan, math.nan
        else:
            kl = float(k_lo if k_lo is not None else 0)
            kh = float(k_hi) if k_hi is not None else math.inf
        self.rows.append(
            (
                claim_id,
                -1 if document_id is None else document_id,
                day,
                lo,
                hi,
                exact,
                math.nan if lat is None else lat,
                math.nan if lon is None else lon,
                self.places.code(normalize_place(place_name)),
                self.keys.code(place_key(place_name)),
                self.keys.code(place_key(alternative)),
                self.admins.code((admin1 or "").strip().lower()),
                self.types.code(kind),
                self.target_bits.mask(t for t in targets if t != "other"),
                self.facilities.code(normalize_place(facility)),
                self.perp_bits.mask(perpetrators),
                kl,
                kh,
            )
        )

    def build(self) -> ClaimFrame:
        # the rows as one record array (numpy reads the tuples in one pass), then its columns
        table = np.array(self.rows, dtype=_FRAME_DTYPE)
        return ClaimFrame(
            **{name: np.ascontiguousarray(table[name]) for name in _FRAME_COLUMNS},
            place_names=self.places.values,
            type_names=self.types.values,
            facility_names=self.facilities.values,
            target_bits=dict(self.target_bits.index),
        )

    def part(self) -> FramePart:
        """The built frame with this builder's code tables, to merge with other builders'."""
        tables = {
            "place": self.places.values,
            "key": self.keys.values,
            "admin1": self.admins.values,
            "etype": self.types.values,
            "facility": self.facilities.values,
        }
        bits = {"targets": dict(self.target_bits.index), "perps": dict(self.perp_bits.index)}
        return FramePart(self.build(), tables, bits)


_NO_KILLED = (math.nan, math.nan)


def _json_killed(count: Mapping[str, Any]) -> tuple[float, float]:
    """(low, high) of a stored casualty count as frame columns: nan unknown, inf open high."""
    low = high = 0
    known = open_high = False
    for key in ("civilians", "combatants", "unknown"):
        r = count.get(key)
        if not r:
            continue
        lo, hi = r.get("low"), r.get("high")
        if lo is None and hi is None:
            continue
        known = True
        if lo is not None:
            low += lo
        if hi is None:
            open_high = True
        else:
            high += hi
    if not known:
        return _NO_KILLED
    return float(low), math.inf if open_high else float(high)


def _struct_killed(count: _StoredCount) -> tuple[float, float]:
    """:func:`_json_killed` of a count read by :data:`_STORED_CLAIM`."""
    low = high = 0
    known = open_high = False
    for r in (count.civilians, count.combatants, count.unknown):
        if r is None or (r.low is None and r.high is None):
            continue
        known = True
        if r.low is not None:
            low += r.low
        if r.high is None:
            open_high = True
        else:
            high += r.high
    if not known:
        return _NO_KILLED
    return float(low), math.inf if open_high else float(high)


# A stored claim as the linker reads it (the fields of :class:`Claim` it uses, all else skipped)


class _StoredRange(msgspec.Struct, gc=False):
    low: int | None = None
    high: int | None = None


class _StoredCount(msgspec.Struct, gc=False):
    civilians: _StoredRange | None = None
    combatants: _StoredRange | None = None
    unknown: _StoredRange | None = None


class _StoredCasualties(msgspec.Struct, gc=False):
    killed: _StoredCount | None = None


class _StoredPlace(msgspec.Struct, gc=False):
    name: str
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    admin1: str | None = None
    centroid: bool | None = None


class _StoredMention(msgspec.Struct, gc=False):
    text: str
    relation: str | None = None


class _StoredTarget(msgspec.Struct, gc=False):
    category: str
    name: str | None = None


class _StoredActor(msgspec.Struct, gc=False):
    actor_id: str


class _StoredClaim(msgspec.Struct, gc=False):
    event_type: str | None = None
    date: str | None = None
    date_precision: str | None = None
    places: list[_StoredMention] = []
    place: _StoredPlace | None = None
    admin1: str | None = None
    perpetrators: list[_StoredActor] = []
    weapons: list[str] = []
    targets: list[_StoredTarget] = []
    casualties: _StoredCasualties | None = None


_STORED_CLAIM = msgspec.json.Decoder(_StoredClaim)


class _Converted:
    """Values of stored claims already converted for a :class:`FrameBuilder` (its codes)."""

    def __init__(self, builder: FrameBuilder) -> None:
        self.builder = builder
        self.dates: dict[tuple[str | None, str | None], tuple[int, int, int, bool]] = {}
        self.names: dict[str | None, tuple[int, int]] = {}
        self.alts: dict[str | None, int] = {}
        self.admins: dict[str | None, int] = {}
        self.kinds: dict[tuple[str | None, tuple[str, ...]], int] = {}
        self.targets: dict[tuple[str, ...], int] = {}
        self.facilities: dict[str | None, int] = {}
        self.perps: dict[tuple[str, ...], int] = {}
        # (event type, weapons, target categories, perpetrators) -> (kind, targets, perps)
        self.described: dict[tuple[Any, ...], tuple[int, int, int]] = {}

    def date(self, day: str | None, precision: str | None) -> tuple[int, int, int, bool]:
        value = date_bounds(dt.date.fromisoformat(day) if day else None, precision)
        self.dates[(day, precision)] = value
        return value

    def name(self, name: str | None) -> tuple[int, int]:
        b = self.builder
        value = self.names[name] = (
            b.places.code(normalize_place(name)),
            b.keys.code(place_key(name)),
        )
        return value

    def alt(self, name: str | None) -> int:
        value = self.alts[name] = self.builder.keys.code(place_key(name))
        return value

    def admin(self, admin1: str | None) -> int:
        value = self.admins[admin1] = self.builder.admins.code((admin1 or "").strip().lower())
        return value

    def kind(self, key: tuple[str | None, tuple[str, ...]]) -> int:
        value = self.kinds[key] = self.builder.types.code(link_type(key[0], key[1]))
        return value

    def target_mask(self, categories: tuple[str, ...]) -> int:
        mask = self.builder.target_bits.mask(t for t in categories if t != "other")
        self.targets[categories] = mask
        return mask

    def facility(self, name: str | None) -> int:
        value = self.facilities[name] = self.builder.facilities.code(normalize_place(name))
        return value

    def perp_mask(self, actors: tuple[str, ...]) -> int:
        mask = self.perps[actors] = self.builder.perp_bits.mask(actors)
        return mask

    def describe(self, described: tuple[Any, ...]) -> tuple[int, int, int]:
        """Kind, target mask and perpetrator mask of a claim's (event type, weapons, target
        categories, perpetrators), each converted once (codes in order of first appearance)."""
        event_type, weapons, categories, actors = described
        kind = self.kinds.get((event_type, weapons))
        if kind is None:
            kind = self.kind((event_type, weapons))
        tmask = self.targets.get(categories)
        if tmask is None:
            tmask = self.target_mask(categories)
        pmask = self.perps.get(actors)
        if pmask is None:
            pmask = self.perp_mask(actors)
        value = self.described[described] = (kind, tmask, pmask)
        return value


@dataclass
class FramePart:
    """A frame built from some of the claims, with the code tables its columns refer to."""

    frame: ClaimFrame
    tables: dict[str, list[str]]  # code column -> values ("key" also codes "alt")
    bits: dict[str, dict[str, int]]  # mask column -> value: bit


def merge_frames(parts: Sequence[FramePart]) -> ClaimFrame:
    """One frame from parts built in order (by separate workers); codes as one builder gives."""
    merged = FrameBuilder()
    tables = {
        "place": merged.places,
        "key": merged.keys,
        "admin1": merged.admins,
        "etype": merged.types,
        "facility": merged.facilities,
    }
    bits = {"targets": merged.target_bits, "perps": merged.perp_bits}
    columns: dict[str, list[np.ndarray]] = {}
    for part in parts:
        f = part.frame
        recoded = {}
        for column, codes in tables.items():
            mapping = np.array([codes.code(v) for v in part.tables[column]] + [-1], np.int64)
            for name in ("key", "alt") if column == "key" else (column,):
                recoded[name] = mapping[getattr(f, name)]  # -1 indexes the trailing -1
        for column, global_bits in bits.items():
            old = getattr(f, column)
            new = np.zeros(len(old), dtype=np.int64)
            for value, bit in part.bits[column].items():
                target = global_bits.index.setdefault(value, len(global_bits.index) % 63)
                new |= ((old >> bit) & 1) << target
            recoded[column] = new
        for name in _FRAME_COLUMNS:
            columns.setdefault(name, []).append(recoded.get(name, getattr(f, name)))
    if not parts:
        return merged.build()
    return ClaimFrame(
        **{name: np.concatenate(arrays) for name, arrays in columns.items()},
        place_names=merged.places.values,
        type_names=merged.types.values,
        facility_names=merged.facilities.values,
        target_bits=dict(merged.target_bits.index),
    )


_FRAME_COLUMNS = ("ids", "doc", "day", "day_lo", "day_hi", "exact", "lat", "lon", "place", "key",
                  "alt", "admin1", "etype", "targets", "facility", "perps", "killed_lo",
                  "killed_hi")  # fmt: skip
_FRAME_DTYPE = np.dtype(
    [
        (
            name,
            np.float64
            if name in ("lat", "lon", "killed_lo", "killed_hi")
            else np.bool_
            if name == "exact"
            else np.int64,
        )
        for name in _FRAME_COLUMNS
    ]
)


# --- blocking -----------------------------------------------------------------------------


def _join(
    q_idx: np.ndarray,
    q_key: np.ndarray,
    r_idx: np.ndarray,
    r_key: np.ndarray,
    offsets: Iterable[int | tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (q, r) with ``r_key == q_key + offset`` for any offset (q == r included).

    An offset may be a range ``(low, high)``: every offset from low to high, found with one
    search (neighbouring map cells are consecutive keys).
    """
    order = np.argsort(r_key, kind="stable")
    keys, refs = r_key[order], r_idx[order]
    if q_idx is r_idx and q_key is r_key:
        q_idx, q_key = refs, keys  # a self-join: sorted queries search faster
    out_a, out_b = [], []
    for off in offsets:
        low, high = off if isinstance(off, tuple) else (off, off)
        lo = np.searchsorted(keys, q_key + low, "left")
        hi = np.searchsorted(keys, q_key + high, "right")
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            continue
        a = np.repeat(q_idx, counts)
        starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        b = refs[starts + np.arange(total)]
        out_a.append(a)
        out_b.append(b)
    if not out_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(out_a), np.concatenate(out_b)


def _month_index(ordinals: np.ndarray) -> np.ndarray:
    """Months since year 1 for date ordinals (vectorised)."""
    epoch = 719163  # date(1970, 1, 1).toordinal()
    return (ordinals - epoch).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def candidate_pairs(f: ClaimFrame, s: LinkSettings) -> tuple[np.ndarray, np.ndarray]:
    """Unique candidate pairs (a < b, positions in the frame) from the blocking rules."""
    n = len(f)
    idx = np.arange(n, dtype=np.int64)
    found: list[tuple[np.ndarray, np.ndarray]] = []
    dated = f.exact & (f.day >= 0)
    has_xy = ~np.isnan(f.lat) & ~np.isnan(f.lon)
    has_place = f.place >= 0

    # 1. dated claims with coordinates: same or neighbouring cell, within day_window (on a
    # thread of its own while the other rules run: NumPy's sorts and searches release the GIL)
    pool = ThreadPoolExecutor(1)
    by_cell = pool.submit(_cell_pairs, f, s, idx, dated & has_xy)

    # 2. dated claims naming the same place (consonant skeleton), within place_day_window
    has_key = f.key >= 0
    nkey = max(int(max(f.key.max(), f.alt.max())) + 1 if len(f) else 1, 1)
    sel = dated & has_key
    if sel.any():
        key = f.day[sel] * nkey + f.key[sel]
        w = s.place_day_window
        members = idx[sel]
        found.append(_join(members, key, members, key, [d * nkey for d in range(w + 1)]))
        alt = dated & (f.alt >= 0)
        if alt.any():
            q = f.day[alt] * nkey + f.alt[alt]
            found.append(_join(idx[alt], q, idx[sel], key, [d * nkey for d in range(-w, w + 1)]))

    # 3. vague dates (week, month, year): same place, claims dated in the same or next month
    vague = ~f.exact & (f.day >= 0) & has_key
    ref = (f.day >= 0) & has_key
    if vague.any():
        q_month = _month_index(f.day_lo[vague]) * nkey + f.key[vague]
        r_month = _month_index(f.day[ref]) * nkey + f.key[ref]
        spans = int((_month_index(f.day_hi[vague]) - _month_index(f.day_lo[vague])).max())
        offsets = [m * nkey for m in range(-1, spans + 2)]
        found.append(_join(idx[vague], q_month, idx[ref], r_month, offsets))

    # 3b. no date at all: same place, unless the place has too many claims to tell them apart;
    # only pairs that may be one attack (see _may_be_one_attack), as for rule 4
    undated = (f.day < 0) & has_key
    if undated.any():
        counts = np.bincount(f.key[has_key], minlength=nkey)
        small = undated & (counts[np.maximum(f.key, 0)] <= s.undated_block_max)
        a, b = _join(idx[small], f.key[small], idx[has_key], f.key[has_key], [0])
        found.append(_may_be_one_attack(f, s, a, b))

    # 4. dated claims with neither place nor coordinates: by province and day, if they may be
    # one attack
    bare = dated & ~has_place & ~has_xy & (f.admin1 >= 0)
    ref = dated & (f.admin1 >= 0)
    if bare.any():
        nadmin = max(int(f.admin1.max()) + 1, 1)
        qk = f.day[bare] * nadmin + f.admin1[bare]
        rk = f.day[ref] * nadmin + f.admin1[ref]
        w = s.day_window
        a, b = _join(idx[bare], qk, idx[ref], rk, [d * nadmin for d in range(-w, w + 1)])
        found.append(_may_be_one_attack(f, s, a, b))

    found.append(by_cell.result())
    pool.shutdown()
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    a = np.concatenate([p[0] for p in found])
    b = np.concatenate([p[1] for p in found])
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    packed = sorted_unique(lo[keep] * n + hi[keep])
    return packed // n, packed % n


def _cell_pairs(
    f: ClaimFrame, s: LinkSettings, idx: np.ndarray, sel: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Blocking rule 1: the ``sel`` claims in the same or a neighbouring map cell, within
    ``day_window`` days."""
    empty = np.zeros(0, dtype=np.int64)
    if sel.any():
        cx = np.floor((f.lon[sel] + 180.0) / s.cell_degrees).astype(np.int64)
        cy = np.floor((f.lat[sel] + 90.0) / s.cell_degrees).astype(np.int64)
        ny = int(math.ceil(180.0 / s.cell_degrees)) + 2
        nxy = (int(math.ceil(360.0 / s.cell_degrees)) + 2) * ny
        key = f.day[sel] * nxy + cx * ny + cy
        w = s.day_window
        # a self-join finds each pair from both ends: the non-negative offsets are enough; the
        # three cells of a column are consecutive keys, searched as one range
        offsets = [
            (max(base - 1, 0), base + 1)
            for d in range(-w, w + 1)
            for x in (-1, 0, 1)
            if (base := d * nxy + x * ny) + 1 >= 0
        ]
        members = idx[sel]
        return _join(members, key, members, key, offsets)
    return empty, empty


def _may_be_one_attack(
    f: ClaimFrame, s: LinkSettings, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs whose kinds of attack and targets may be the same, or that name one facility.

    For the loose blocks (no date; no place): there a differing type or target leaves too little
    weight to link, and a busy town or province-day holds hundreds of claims.
    """
    ma, mb = f.targets[a], f.targets[b]
    targets_may_agree = (ma == 0) | (mb == 0) | ((ma & mb) != 0)
    same_facility = (f.facility[a] >= 0) & (f.facility[a] == f.facility[b])
    keep = (_types_may_agree(f, s, a, b) & targets_may_agree) | same_facility
    return a[keep], b[keep]


def _compatible_types(f: ClaimFrame, s: LinkSettings) -> np.ndarray:
    """``[i, j]``: the frame's event types i and j are a compatible pair (``compatible_types``)."""
    pair_ok = np.zeros((len(f.type_names), len(f.type_names)), dtype=bool)
    for i, x in enumerate(f.type_names):
        for j, y in enumerate(f.type_names):
            pair_ok[i, j] = frozenset((x, y)) in s.compatible_types
    return pair_ok


def _types_may_agree(f: ClaimFrame, s: LinkSettings, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairs whose event types are the same, compatible or unknown (not ``differ``)."""
    ta, tb = f.etype[a], f.etype[b]
    agree = (ta < 0) | (tb < 0) | (ta == tb)
    known = ~agree
    if known.any() and s.compatible_types:
        agree[known] = _compatible_types(f, s)[ta[known], tb[known]]
    return agree


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by sorting: NumPy 2.4's ``unique`` takes 100x longer on 10M ints."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` by sorting (see :func:`sorted_unique`)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.ones(len(ordered), dtype=bool)
    if len(ordered) > 1:
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


# --- scoring ------------------------------------------------------------------------------


@dataclass
class PairScores:
    """Scored candidate pairs: positions, per-comparison level indices, weight and probability."""

    a: np.ndarray
    b: np.ndarray
    levels: dict[str, np.ndarray]
    weight: np.ndarray
    probability: np.ndarray
    distance_km: np.ndarray


def _haversine(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _select(conditions: list[np.ndarray], names: list[str], order: list[str]) -> np.ndarray:
    """Index into ``order`` of the first true condition (conditions named by ``names``).

    The conditions are packed into one small code per pair (bit i: condition i), which a table
    of every combination turns into the level: one pass per condition over bytes.
    """
    if not conditions:
        return np.zeros(0, dtype=np.int64)
    code = conditions[0].astype(np.uint8)
    bit = np.empty_like(code)
    for i, cond in enumerate(conditions[1:], start=1):
        np.left_shift(cond.view(np.uint8), i, out=bit)
        np.bitwise_or(code, bit, out=code)
    levels = [order.index(name) for name in names]
    unknown = order.index("unknown")
    table = np.array(
        [
            next((levels[i] for i in range(len(levels)) if c >> i & 1), unknown)
            for c in range(1 << len(conditions))
        ],
        dtype=np.int64,
    )
    return table[code]


def _name_sims(
    f: ClaimFrame, pa: np.ndarray, pb: np.ndarray, wanted: np.ndarray | None = None
) -> np.ndarray:
    """Similarity (0-100) of the place names of each pair, computed once per distinct name pair
    (only for the ``wanted`` pairs when given, 0 for the others)."""
    sims = np.zeros(len(pa), dtype=np.float64)
    both = (pa >= 0) & (pb >= 0)
    if wanted is not None:
        both &= wanted
    if not both.any():
        return sims
    n = max(len(f.place_names), 1)
    packed = np.minimum(pa[both], pb[both]) * n + np.maximum(pa[both], pb[both])
    uniq, inverse = unique_inverse(packed)
    names = f.place_names
    values = np.array(
        [name_similarity(names[int(k // n)], names[int(k % n)]) for k in uniq], dtype=np.float64
    )
    sims[both] = values[inverse]
    return sims


@dataclass
class FrameStats:
    """What scoring needs of the whole frame (counted once, not per chunk of pairs)."""

    compatible: np.ndarray  # [i, j]: event types i and j are compatible
    type_weights: np.ndarray  # agreement weight of each event type
    key_counts: np.ndarray  # claims per place key
    total_days: float  # days the dated claims span

    @classmethod
    def of(cls, f: ClaimFrame, s: LinkSettings) -> FrameStats:
        known = f.etype[f.etype >= 0]
        counts = np.bincount(known, minlength=len(f.type_names)).astype(np.float64)
        freq = np.maximum(counts / max(len(known), 1), s.type_same_u_min)
        has_key = f.key >= 0
        dated = f.day >= 0
        return cls(
            compatible=_compatible_types(f, s),
            type_weights=np.log2(s.type_same_m / freq),
            key_counts=np.bincount(
                f.key[has_key], minlength=max(int(f.key.max()) + 1 if len(f) else 1, 1)
            ),
            total_days=float(f.day[dated].max() - f.day[dated].min() + 1) if dated.any() else 1.0,
        )


def score_pairs(
    f: ClaimFrame,
    a: np.ndarray,
    b: np.ndarray,
    s: LinkSettings,
    stats: FrameStats | None = None,
) -> PairScores:
    """Compare every pair on every comparison and sum the Fellegi-Sunter weights."""
    stats = stats or FrameStats.of(f, s)
    levels: dict[str, np.ndarray] = {}

    # date
    day_a, day_b = f.day[a], f.day[b]
    both_exact = f.exact[a] & f.exact[b]
    known = (day_a >= 0) & (day_b >= 0)
    gap = np.abs(day_a - day_b)
    overlap = (f.day_lo[a] <= f.day_hi[b] + 1) & (f.day_lo[b] <= f.day_hi[a] + 1)
    exact_known = known & both_exact
    levels["date"] = _select(
        [
            exact_known & (gap == 0),
            exact_known & (gap == 1),
            exact_known & (gap == 2),
            known & ~both_exact & overlap,
            known,
        ],
        ["same_day", "one_day", "two_days", "coarse_overlap", "disagree"],
        s.level_names("date"),
    )

    # location
    dist = _haversine(f.lat[a], f.lon[a], f.lat[b], f.lon[b])
    has_dist = ~np.isnan(dist)
    place_a, place_b = f.place[a], f.place[b]
    key_a, key_b, alt_a, alt_b = f.key[a], f.key[b], f.alt[a], f.alt[b]
    names_both = (place_a >= 0) & (place_b >= 0)
    same_key = (key_a == key_b) | ((alt_a >= 0) & (alt_a == key_b))
    same_key |= (alt_b >= 0) & (alt_b == key_a)
    # names are compared by spelling only where their skeletons differ
    sims = _name_sims(f, place_a, place_b, ~same_key)
    alike = names_both & ((sims >= 85) | same_key)
    levels["location"] = _select(
        [
            alike & (~has_dist | (dist < 5)),
            has_dist & (dist < 2),
            names_both,
            has_dist & (dist < 10),
            has_dist,
        ],
        ["same_place", "same_spot", "names_differ", "near", "far"],
        s.level_names("location"),
    )

    # event type (frequency-adjusted weight for agreement)
    ta, tb = f.etype[a], f.etype[b]
    known_t = (ta >= 0) & (tb >= 0)
    compatible = np.zeros(len(a), dtype=bool)
    if known_t.any() and s.compatible_types:
        compatible[known_t] = stats.compatible[ta[known_t], tb[known_t]]
    levels["event_type"] = _select(
        [known_t & (ta == tb), known_t & compatible, known_t],
        ["same", "compatible", "differ"],
        s.level_names("event_type"),
    )

    # targets, facility, perpetrators
    ma, mb = f.targets[a], f.targets[b]
    levels["targets"] = _select(
        [(ma != 0) & (mb != 0) & ((ma & mb) != 0), (ma != 0) & (mb != 0)],
        ["overlap", "disjoint"],
        s.level_names("targets"),
    )
    fa, fb = f.facility[a], f.facility[b]
    levels["facility"] = _select(
        [(fa >= 0) & (fa == fb), (fa >= 0) & (fb >= 0)],
        ["same", "differ"],
        s.level_names("facility"),
    )
    pa, pb = f.perps[a], f.perps[b]
    levels["perpetrators"] = _select(
        [(pa != 0) & (pb != 0) & ((pa & pb) != 0), (pa != 0) & (pb != 0)],
        ["overlap", "disjoint"],
        s.level_names("perpetrators"),
    )

    levels["killed"] = _killed_levels(f, a, b, s)

    weight = np.full(len(a), s.prior, dtype=np.float64)
    for name in COMPARISONS:
        weight += s.weight_table(name)[levels[name]]
    same_type = levels["event_type"] == s.level_names("event_type").index("same")
    bonus = np.zeros(len(a), dtype=np.float64)
    bonus[same_type] = stats.type_weights[ta[same_type]]
    weight += bonus  # agreement on a rare type (chemical) weighs more than on a common one
    weight += _vague_date_penalty(f, a, b, levels["date"], s, stats)
    probability = 1.0 / (1.0 + np.exp2(-weight))
    return PairScores(a, b, levels, weight, probability, dist)


def _killed_levels(f: ClaimFrame, a: np.ndarray, b: np.ndarray, s: LinkSettings) -> np.ndarray:
    """The killed comparison's level of each pair (worked out only where both give a toll)."""
    order = s.level_names("killed")
    found = np.full(len(a), order.index("unknown"), dtype=np.int64)
    known_k = ~np.isnan(f.killed_lo[a]) & ~np.isnan(f.killed_lo[b])
    if not known_k.any():
        return found
    ka, kb = a[known_k], b[known_k]
    la, ha, lb, hb = f.killed_lo[ka], f.killed_hi[ka], f.killed_lo[kb], f.killed_hi[kb]
    with np.errstate(invalid="ignore", divide="ignore"):
        open_meet = (la <= hb) & (lb <= ha)
        # "at least N" is read as N to 1.5 N (or N + 3) for agreement; beyond that it only allows
        ha = np.where(np.isinf(ha), np.maximum(la * 1.5, la + 3), ha)
        hb = np.where(np.isinf(hb), np.maximum(lb * 1.5, lb + 3), hb)
        ranges_meet = (la <= hb) & (lb <= ha)
        # for ranges that do not meet: the high end of the lower one and the low end of the other
        a_lower = ha < lb
        small = np.where(a_lower, ha, hb)
        big = np.where(a_lower, lb, la)
        ratio = np.where(small > 0, big / np.where(small > 0, small, 1.0), np.inf)
        diff = big - small
    found[known_k] = _select(
        [
            ranges_meet | (ratio <= 1.25),
            (ratio <= 2) | (diff <= 3),
            open_meet,
            ratio <= 5,
            np.ones(len(ka), dtype=bool),
        ],
        ["agree", "close", "open_compatible", "far", "very_different"],
        order,
    )
    return found


_SCORE_CHUNK = 1_000_000


def score_pairs_threaded(
    f: ClaimFrame, a: np.ndarray, b: np.ndarray, s: LinkSettings, threads: int | None = None
) -> PairScores:
    """:func:`score_pairs` over chunks of pairs in threads (NumPy releases the GIL in its loops).

    Chunks also bound the temporary arrays a million claims' ten million pairs would need.
    """
    stats = FrameStats.of(f, s)
    if len(a) <= _SCORE_CHUNK:
        return score_pairs(f, a, b, s, stats)
    threads = threads or min(4, os.cpu_count() or 1)
    bounds = range(0, len(a), _SCORE_CHUNK)
    with ThreadPoolExecutor(threads) as pool:
        parts = list(
            pool.map(
                lambda i: score_pairs(
                    f, a[i : i + _SCORE_CHUNK], b[i : i + _SCORE_CHUNK], s, stats
                ),
                bounds,
            )
        )
    return PairScores(
        a,
        b,
        {c: np.concatenate([p.levels[c] for p in parts]) for c in COMPARISONS},
        np.concatenate([p.weight for p in parts]),
        np.concatenate([p.probability for p in parts]),
        np.concatenate([p.distance_km for p in parts]),
    )


def _vague_date_penalty(
    f: ClaimFrame,
    a: np.ndarray,
    b: np.ndarray,
    date_levels: np.ndarray,
    s: LinkSettings,
    stats: FrameStats,
) -> np.ndarray:
    """Without an exact date, "same place" says less the more attacks that place saw meanwhile.

    For a pair where one claim has no date (or only a week, month or year), the penalty is log2 of
    the claims expected at that place within the vague claim's span, per expected report of one
    attack: an undated claim about a village with four claims keeps its weight; one about a city
    with hundreds cannot be tied to one of them.
    """
    penalty = np.zeros(len(a), dtype=np.float64)
    names = s.level_names("date")
    vague = (date_levels == names.index("unknown")) | (date_levels == names.index("coarse_overlap"))
    if not vague.any() or not stats.key_counts.any():
        return penalty
    counts, total_days = stats.key_counts, stats.total_days
    va, vb = a[vague], b[vague]
    # the vaguer claim of each pair: undated first, then the wider span
    span_a = np.where(f.day[va] < 0, np.inf, f.day_hi[va] - f.day_lo[va] + 1)
    span_b = np.where(f.day[vb] < 0, np.inf, f.day_hi[vb] - f.day_lo[vb] + 1)
    pick_a = span_a >= span_b
    key = np.where(pick_a, f.key[va], f.key[vb])
    span = np.minimum(np.where(pick_a, span_a, span_b), total_days)
    n_place = np.where(key >= 0, counts[np.maximum(key, 0)], 1).astype(np.float64)
    expected = n_place * span / total_days
    penalty[vague] = -np.log2(np.maximum(1.0, expected / s.undated_reports_per_event))
    undated = (f.day[a] < 0) | (f.day[b] < 0)
    penalty[undated] = np.minimum(penalty[undated], -s.undated_min_penalty)
    return penalty


# --- clustering ---------------------------------------------------------------------------


@dataclass
class Link:
    """One scored pair of claims (by claim id), kept to explain an incident."""

    claim_a: int
    claim_b: int
    weight: float
    probability: float
    levels: dict[str, str]
    distance_km: float | None = None
    joined: bool = False
    details: dict[str, str] = field(default_factory=dict)

    def explain(self) -> str:
        """``"same day, same place (0.0 km), same target (hospital), 12 vs 14 killed -> 0.97"``."""
        return explain_levels(self.levels, self.distance_km, self.probability, self.details)


@dataclass
class Cluster:
    """Claims found to report one attack, with the links that joined them."""

    claim_ids: list[int]
    links: list[Link] = field(default_factory=list)
    existing_incident: int | None = None
    pairs: list[int] = field(default_factory=list)  # indices of the joining pairs in the scores


_PHRASES = {
    ("date", "same_day"): "same day",
    ("date", "one_day"): "a day apart",
    ("date", "two_days"): "two days apart",
    ("date", "coarse_overlap"): "dates compatible",
    ("date", "disagree"): "dates disagree",
    ("location", "same_place"): "same place",
    ("location", "same_spot"): "{km} apart",
    ("location", "names_differ"): "different places",
    ("location", "near"): "{km} apart",
    ("location", "far"): "{km} apart",
    ("event_type", "same"): "same kind of attack",
    ("event_type", "compatible"): "compatible kinds of attack",
    ("event_type", "differ"): "different kinds of attack",
    ("targets", "overlap"): "same target",
    ("targets", "disjoint"): "different targets",
    ("facility", "same"): "same named facility",
    ("facility", "differ"): "different facilities",
    ("perpetrators", "overlap"): "same perpetrator",
    ("perpetrators", "disjoint"): "different perpetrators",
    ("killed", "agree"): "death tolls agree",
    ("killed", "close"): "death tolls close",
    ("killed", "far"): "death tolls far apart",
    ("killed", "very_different"): "death tolls very different",
}


def explain_levels(
    levels: Mapping[str, str],
    distance_km: float | None,
    probability: float,
    details: Mapping[str, Any] | None = None,
) -> str:
    """``"same day, same place (2.1 km), same target, 12 vs 14 killed -> match 0.97"``."""
    details = details or {}
    targets, killed = details.get("targets", ""), details.get("killed", "")
    template, fields = _explain_template(
        levels, distance_km is not None, bool(targets), bool(killed)
    )
    km = f"{distance_km:.1f} km" if distance_km is not None else "?"
    values = (km, targets, killed, probability)
    return template % tuple(values[i] for i in fields)


def cluster_pairs(
    f: ClaimFrame,
    scores: PairScores,
    s: LinkSettings,
    *,
    groups: Mapping[int, int] | None = None,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    frozen: Iterable[int] = (),
) -> list[tuple[list[int], list[int]]]:
    """Guarded agglomerative clustering; returns (member positions, joining pair indices).

    ``groups`` puts positions in pre-formed clusters (existing incidents, by incident id); two
    pre-formed clusters are never merged, and clusters holding a ``frozen`` incident take no new
    claims. ``must_link``/``cannot_link`` are position pairs from reviews.
    """
    n = len(f)
    # root[x] is x's cluster (relabelled on union, the smaller cluster's members moving);
    # members[r] the cluster's positions while r is a root, None after
    root = list(range(n))
    members: list[list[int] | None] = [[i] for i in range(n)]
    incident_of: dict[int, int] = {}
    frozen_set = set(frozen)

    def union(x: int, y: int) -> int:
        mx, my = members[x], members[y]
        assert mx is not None and my is not None
        if len(mx) < len(my):
            x, y, mx, my = y, x, my, mx
        for m in my:
            root[m] = x
        mx.extend(my)
        members[y] = None
        if y in incident_of:
            incident_of[x] = incident_of.pop(y)
        return x

    root_of: dict[int, int] = {}
    for pos, inc in (groups or {}).items():
        r = root[pos]
        other = root_of.get(inc)
        if other is not None and root[other] != r:
            r = union(root[other], r)
        incident_of[r] = inc
        root_of[inc] = r

    probs = scores.probability
    threshold, average_min = s.link_threshold, s.average_min
    forbidden = {min(x, y) * n + max(x, y) for x, y in cannot_link}
    must = [(x, y) for x, y in must_link]
    guarded = bool(incident_of) or bool(forbidden)
    strong = np.flatnonzero(probs >= threshold)
    order = strong[np.argsort(-scores.weight[strong], kind="stable")]
    a_order, b_order = scores.a[order], scores.b[order]
    component = _strong_components(n, a_order, b_order, must, groups)
    size = np.bincount(component)
    # Components whose every pair is strong join whole, whatever the order: no pair or average
    # there can fall short. Unguarded, a component of two is one strong pair joining two single
    # claims (the first the root), and the guard looks pairs up only in the other components.
    complete = np.bincount(component[a_order], minlength=len(size)) == size * (size - 1) // 2
    free = not guarded and not must and average_min <= threshold
    looked_up = (size >= 3) & ~complete if free else size >= 2
    pair_prob = _pair_probabilities(
        n, scores, component, looked_up, min(average_min, s.keep_scores_above)
    )
    for x, y in must:
        pair_prob[min(x, y) * n + max(x, y)] = 1.0
    docs = f.doc.tolist()

    def allowed(rx: int, ry: int, mx: list[int], my: list[int]) -> bool:
        if incident_of:
            if rx in incident_of and ry in incident_of:
                return False
            if incident_of.get(rx) in frozen_set or incident_of.get(ry) in frozen_set:
                return False
        total = 0.0
        for i in mx:
            for j in my:
                key = i * n + j if i < j else j * n + i
                if forbidden and key in forbidden:
                    return False
                p = pair_prob.get(key, 0.0)
                if p < threshold and docs[i] >= 0 and docs[i] == docs[j]:
                    return False  # one report's distinct attacks stay distinct
                total += p
        return total / (len(mx) * len(my)) >= average_min

    joined: list[tuple[int, int]] = []  # (pair, its first claim)
    for x, y in must:
        rx, ry = root[x], root[y]
        if rx != ry and not (rx in incident_of and ry in incident_of):
            union(rx, ry)
    sure = np.zeros(len(order), dtype=bool)
    if free:
        pair_size = size[component[a_order]]
        two = pair_size == 2
        pairs = zip(order[two].tolist(), a_order[two].tolist(), b_order[two].tolist(), strict=True)
        for k, x, y in pairs:
            root[y] = x
            members[x] = [x, y]
            members[y] = None
            joined.append((k, x))
        keep = ~two
        order, a_order, b_order = order[keep], a_order[keep], b_order[keep]
        sure = complete[component[a_order]]
    for k, x, y, certain in zip(
        order.tolist(), a_order.tolist(), b_order.tolist(), sure.tolist(), strict=True
    ):
        rx, ry = root[x], root[y]
        if rx == ry:
            continue
        mx, my = members[rx], members[ry]
        assert mx is not None and my is not None
        if (
            certain
            or (not guarded and len(mx) == 1 and len(my) == 1)  # two single claims, a strong pair
            or allowed(rx, ry, mx, my)
        ):
            union(rx, ry)
            joined.append((k, x))
    by_root: dict[int, list[int]] = {}
    for k, x in joined:
        by_root.setdefault(root[x], []).append(k)
    return [(sorted(m), by_root.get(r, [])) for r, m in enumerate(members) if m is not None]


def _strong_components(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    must: Sequence[tuple[int, int]],
    groups: Mapping[int, int] | None,
) -> np.ndarray:
    """Connected component of each position over the strong pairs ``a``-``b``, reviews'
    must-links and existing incidents (the clusters joined by one strong pair lie in one)."""
    edges_a, edges_b = [a], [b]
    if must:
        edges_a.append(np.array([x for x, _ in must], dtype=np.int64))
        edges_b.append(np.array([y for _, y in must], dtype=np.int64))
    if groups:
        pos = np.fromiter(groups.keys(), dtype=np.int64, count=len(groups))
        inc = np.fromiter(groups.values(), dtype=np.int64, count=len(groups))
        order = np.argsort(inc, kind="stable")
        pos, inc = pos[order], inc[order]
        same = inc[1:] == inc[:-1]
        edges_a.append(pos[:-1][same])
        edges_b.append(pos[1:][same])
    ea, eb = np.concatenate(edges_a), np.concatenate(edges_b)
    graph = coo_matrix((np.ones(len(ea), dtype=np.int8), (ea, eb)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _pair_probabilities(
    n: int, scores: PairScores, component: np.ndarray, looked_up: np.ndarray, floor: float
) -> dict[int, float]:
    """Probabilities (>= ``floor``) by packed pair, of the pairs inside the components the
    clustering guard looks up (``looked_up``, by component)."""
    a, b, probs = scores.a, scores.b, scores.probability
    ca = component[a]
    keep = (probs >= floor) & (ca == component[b])
    keep &= looked_up[ca]
    packed = (a[keep] * n + b[keep]).tolist()
    return dict(zip(packed, probs[keep].tolist(), strict=True))


def link_frame(
    f: ClaimFrame,
    settings: LinkSettings | None = None,
    *,
    groups: Mapping[int, int] | None = None,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    frozen: Iterable[int] = (),
    with_links: bool = True,
) -> tuple[list[Cluster], PairScores]:
    """Block, score and cluster a frame; clusters carry claim ids and their joining links.

    ``with_links=False`` leaves ``Cluster.links`` empty (``Cluster.pairs`` still index the joining
    pairs in the scores): a million claims' links are built only for what gets stored.
    """
    s = settings or default_settings()
    a, b = candidate_pairs(f, s)
    scores = score_pairs_threaded(f, a, b, s)
    found = cluster_pairs(
        f, scores, s, groups=groups, must_link=must_link, cannot_link=cannot_link, frozen=frozen
    )
    ids = f.ids.tolist()
    clusters = []
    for positions, pair_idx in found:
        existing = None
        if groups:
            existing = next((groups[p] for p in positions if p in groups), None)
        clusters.append(
            Cluster(
                claim_ids=[ids[p] for p in positions],
                links=make_links(f, scores, pair_idx, s, joined=True) if with_links else [],
                existing_incident=existing,
                pairs=pair_idx,
            )
        )
    return clusters, scores


def make_link(f: ClaimFrame, scores: PairScores, k: int, s: LinkSettings, joined: bool) -> Link:
    """The scored pair ``k`` as a :class:`Link` with its levels and the facts it compared."""
    return make_links(f, scores, [k], s, joined)[0]


def make_links(
    f: ClaimFrame, scores: PairScores, ks: Sequence[int], s: LinkSettings, joined: bool
) -> list[Link]:
    """Scored pairs ``ks`` as :class:`Link` records (batched: a million take seconds)."""
    if not len(ks):
        return []
    sel = np.asarray(ks, dtype=np.int64)
    names = {c: s.level_names(c) for c in COMPARISONS}
    level_cols = {c: scores.levels[c][sel].tolist() for c in COMPARISONS}
    a_pos, b_pos = scores.a[sel].tolist(), scores.b[sel].tolist()
    weights = np.round(scores.weight[sel], 3).tolist()
    probs = np.round(scores.probability[sel], 4).tolist()
    dists = np.round(scores.distance_km[sel], 2).tolist()
    ids = f.ids
    links = []
    for i in range(len(sel)):
        levels = {c: names[c][level_cols[c][i]] for c in COMPARISONS}
        a, b = a_pos[i], b_pos[i]
        dist = dists[i]
        links.append(
            Link(
                claim_a=int(ids[a]),
                claim_b=int(ids[b]),
                weight=weights[i],
                probability=probs[i],
                levels=levels,
                distance_km=None if math.isnan(dist) else dist,
                joined=joined,
                details=_pair_details(f, a, b, levels),
            )
        )
    return links


def link_rows(
    f: ClaimFrame, scores: PairScores, ks: Sequence[int], s: LinkSettings
) -> list[tuple[int, int, float, float, str, str]]:
    """(claim a, claim b, weight, probability, levels as JSON, explanation) of scored pairs ``ks``.

    What :func:`make_links` gives, as plain tuples ready to store (no record per pair); the
    explanation is :func:`explain_levels`'s sentence, filled into a template per combination of
    levels so a million pairs take seconds.
    """
    if not len(ks):
        return []
    sel = np.asarray(ks, dtype=np.int64)
    names = [s.level_names(c) for c in COMPARISONS]
    codes = np.stack([scores.levels[c][sel] for c in COMPARISONS], axis=1).tolist()
    a_sel, b_sel = scores.a[sel], scores.b[sel]
    a_pos, b_pos = a_sel.tolist(), b_sel.tolist()
    weights = np.round(scores.weight[sel], 3).tolist()
    probs = np.round(scores.probability[sel], 4).tolist()
    dists = np.round(scores.distance_km[sel], 2).tolist()
    # the frame's values of these pairs only (a run's tasks each take a slice of its pairs)
    ids_a, ids_b = f.ids[a_sel].tolist(), f.ids[b_sel].tolist()
    shared_masks = (f.targets[a_sel] & f.targets[b_sel]).tolist()
    lows_a, highs_a = f.killed_lo[a_sel].tolist(), f.killed_hi[a_sel].tolist()
    lows_b, highs_b = f.killed_lo[b_sel].tolist(), f.killed_hi[b_sel].tolist()
    bits = list(f.target_bits.items())
    overlap = names[COMPARISONS.index("targets")].index("overlap")
    unknown_killed = names[COMPARISONS.index("killed")].index("unknown")
    t_col, k_col = COMPARISONS.index("targets"), COMPARISONS.index("killed")
    by_codes: dict[tuple[int, ...], tuple[dict[str, str], str]] = {}
    # per combination: the %-template, what picks its values, whether it names the distance
    templates: dict[tuple[tuple[int, ...], bool, bool], tuple[str, Any, bool]] = {}
    shared_of: dict[int, str] = {}  # shared target names by target mask
    figure_of: dict[int, str] = {}  # killed figure by claim position
    rows = []
    for i, code in enumerate(codes):
        key = tuple(code)
        known = by_codes.get(key)
        if known is None:
            levels = {c: names[j][k] for j, (c, k) in enumerate(zip(COMPARISONS, key, strict=True))}
            known = by_codes[key] = (levels, json.dumps(levels))
        levels, levels_json = known
        a, b, dist = a_pos[i], b_pos[i], dists[i]
        has_dist = not math.isnan(dist)
        shared = ""
        if key[t_col] == overlap:
            both = shared_masks[i]
            shared = shared_of.get(both)  # type: ignore[assignment]
            if shared is None:
                shared = shared_of[both] = ", ".join(n for n, bit in bits if both >> bit & 1)
        killed = ""
        if key[k_col] != unknown_killed:
            fa, fb = figure_of.get(a), figure_of.get(b)
            if fa is None:
                fa = figure_of[a] = _figure(lows_a[i], highs_a[i])
            if fb is None:
                fb = figure_of[b] = _figure(lows_b[i], highs_b[i])
            killed = f"{fa} vs {fb}"
        template_key = (key, has_dist, bool(shared))
        known_template = templates.get(template_key)
        if known_template is None:
            template, fields = _explain_template(levels, has_dist, bool(shared))
            known_template = (template, operator.itemgetter(*fields), _KM in fields)
            templates[template_key] = known_template
        template, pick, with_km = known_template
        km = (f"{dist:.1f} km" if has_dist else "?") if with_km else ""
        # one value (the probability alone) is picked as itself: % takes it so
        explanation = template % pick((km, shared, killed, probs[i]))
        rows.append((ids_a[i], ids_b[i], weights[i], probs[i], levels_json, explanation))
    return rows


_KM, _TARGETS, _KILLED, _P = range(4)  # the values an explanation's template takes


def _explain_template(
    levels: Mapping[str, str], has_dist: bool, has_targets: bool, has_killed: bool = True
) -> tuple[str, tuple[int, ...]]:
    """:func:`explain_levels` as a %-template and the values it takes, in order (``_KM``,
    ``_TARGETS``, ``_KILLED``, ``_P``): %-formatting fills a sentence 2-3x faster than
    ``str.format`` with names (a million link rows)."""
    parts = []
    fields: list[int] = []
    for comparison in COMPARISONS:
        level = levels.get(comparison, "unknown")
        phrase = _PHRASES.get((comparison, level))
        if phrase is None:
            continue
        taken = [_KM] * phrase.count("{km}")  # the values this phrase takes, in order
        phrase = phrase.replace("%", "%%").replace("{km}", "%s")
        if comparison == "location" and level == "same_place" and has_dist:
            phrase += " (%s)"
            taken.append(_KM)
        if comparison == "targets" and level == "overlap" and has_targets:
            phrase += " (%s)"
            taken.append(_TARGETS)
        if comparison == "killed" and level != "unknown" and has_killed:
            phrase = f"%s killed ({phrase})"
            taken.insert(0, _KILLED)
        parts.append(phrase)
        fields += taken
    fields.append(_P)
    return f"{', '.join(parts) or 'nothing to compare'} -> match %.2f", tuple(fields)


def _figure(lo: float, hi: float) -> str:
    if math.isinf(hi):
        return f"{lo:.0f}+"
    return f"{lo:.0f}" if lo == hi else f"{lo:.0f}-{hi:.0f}"


def _pair_details(f: ClaimFrame, a: int, b: int, levels: Mapping[str, str]) -> dict[str, str]:
    details = {}
    if levels["targets"] == "overlap":
        shared = int(f.targets[a] & f.targets[b])
        details["targets"] = ", ".join(n for n, bit in f.target_bits.items() if shared >> bit & 1)
    if levels["killed"] != "unknown":
        first = _figure(f.killed_lo[a], f.killed_hi[a])
        details["killed"] = f"{first} vs {_figure(f.killed_lo[b], f.killed_hi[b])}"
    return details


def link_claims(
    claims: Sequence[Claim],
    settings: LinkSettings | None = None,
    *,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
) -> list[Cluster]:
    """Group claims that report the same attack.

    Claim ids identify claims in the result (positions when claims have no id). ``must_link`` and
    ``cannot_link`` take pairs of those identifiers (review decisions).

    >>> from docket.domain import Claim
    >>> [c.claim_ids for c in link_claims([Claim(id=1), Claim(id=2)])]
    [[1], [2]]
    """
    f = ClaimFrame.from_claims(claims)
    pos = {int(cid): i for i, cid in enumerate(f.ids.tolist())}

    def positions(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(pos[x], pos[y]) for x, y in pairs if x in pos and y in pos]

    clusters, _ = link_frame(
        f, settings, must_link=positions(must_link), cannot_link=positions(cannot_link)
    )
    return clusters
