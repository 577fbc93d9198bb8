"""Reading a mention as a relation and an anchor ("12 km north of Ariha": ``distance`` of
"Ariha"; "al-Shami hospital in Ariha": a site in "Ariha") by the patterns of
``data/places/relations.yaml``, and applying the relation to the anchor's resolved place
(shifted by an offset, never finer than the relation allows).

The :class:`~docket.geo.geocoder.Geocoder` resolves each reading's anchor, outermost first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from docket.domain import LocationPrecision, ResolvedPlace
from docket.geo.gazetteer import offset
from docket.geo.names import relations_file

# Coarse to fine: a relation can only make a resolution coarser.
PRECISION_RANK = {
    LocationPrecision.site: 0,
    LocationPrecision.settlement: 1,
    LocationPrecision.district: 2,
    LocationPrecision.admin1: 3,
    LocationPrecision.country: 4,
}


@dataclass(frozen=True)
class Relation:
    """One phrase pattern of ``relations.yaml``."""

    name: str
    regex: re.Pattern[str]
    precision: LocationPrecision | None
    prefer: tuple[str, ...]
    offset: bool


@dataclass(frozen=True)
class ParsedPhrase:
    relation: str | None
    anchor: str
    precision: LocationPrecision | None = None
    prefer: tuple[str, ...] = ()
    shift: tuple[float, float] | None = None  # km, bearing
    description: str = ""
    site: str | None = None  # "al-Shami hospital" in "al-Shami hospital in Ariha"
    within: str | None = None  # "Idlib" in "Khan Sheikhoun, Idlib"


@cache
def _trigger() -> re.Pattern[str]:
    words = sorted(relations_file()["keywords"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b|,", re.IGNORECASE)


@cache
def relations() -> tuple[tuple[Relation, ...], dict[str, float], dict[str, float]]:
    raw = relations_file()
    patterns = tuple(
        Relation(
            name=p["relation"],
            regex=re.compile(rf"^\s*(?:{p['regex']})\s*$", re.IGNORECASE),
            precision=LocationPrecision(p["precision"]) if p.get("precision") else None,
            prefer=tuple(p.get("prefer", [])),
            offset=bool(p.get("offset")),
        )
        for p in raw["patterns"]
    )
    return patterns, raw["bearings"], raw["units_km"]


@lru_cache(maxsize=20_000)
def readings_of(text: str) -> tuple[ParsedPhrase, ...]:
    """Ways to read ``text`` as relation + anchor, outermost first (the bare name is last); kept
    by text (a document's places are named again in others)."""
    if not _trigger().search(text):
        return ()
    patterns, bearings, units = relations()
    readings: list[ParsedPhrase] = []
    for rel in patterns:
        found = rel.regex.match(text)
        if not found or not found.group("anchor").strip():
            continue
        groups = found.groupdict()
        shift = None
        description = rel.name
        if rel.offset and groups.get("distance"):
            km = float(groups["distance"]) * units[groups["unit"].lower()]
            direction = groups["direction"].lower()
            shift = (km, float(bearings[direction]))
            description = f"{groups['distance']} {groups['unit']} {direction} of"
        elif groups.get("direction"):
            description = f"{groups['direction'].lower()} {rel.name}"
        readings.append(
            ParsedPhrase(
                rel.name,
                found.group("anchor").strip(),
                rel.precision,
                rel.prefer,
                shift,
                description,
                (groups.get("site") or "").strip() or None,
                (groups.get("within") or "").strip() or None,
            )
        )
    return tuple(readings)


def coarser(a: LocationPrecision, b: LocationPrecision | None) -> LocationPrecision:
    if b is None:
        return a
    return a if PRECISION_RANK[a] >= PRECISION_RANK[b] else b


def apply_relation(inner: ResolvedPlace, reading: ParsedPhrase) -> ResolvedPlace:
    if reading.relation == "in":
        return inner
    precision = coarser(inner.precision, reading.precision)
    lat, lon = inner.lat, inner.lon
    if reading.shift and lat is not None and lon is not None:
        lat, lon = offset(lat, lon, *reading.shift)
    why = f"{reading.description} {inner.name}: precision {precision.value}"
    return inner.model_copy(
        update={
            "lat": lat,
            "lon": lon,
            "precision": precision,
            "reason": f"{why}; {inner.reason}" if inner.reason else why,
        }
    )
