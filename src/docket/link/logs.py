"""Observer and radio logs: reading CSV files, joining sightings to incidents, suggesting operators.

Observer logs (aircraft sightings) have columns ``timestamp, aircraft, callsign`` (or ``tail``),
``airbase`` (origin), ``heading``, ``area`` and/or ``lat, lon`` (or ``coordinates``), ``observer``.
Radio logs have ``timestamp, station, summary, area`` (and optional ``lat, lon``). A bad row is
reported with its line and skipped; the rest of the file goes on.

An observation matches an incident when it was made within the time window of the attack (default
±30 minutes; when the incident has only a day, the same day, and the match says so) and near it
(within ``max_km`` when both have coordinates, or naming the incident's place in its area or
heading). ``data/aircraft_operators.yaml`` then suggests who flew the aircraft.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from docket.domain import Claim, Incident
from docket.errors import InputError, IntakeError
from docket.intake.readers import read_table_text
from docket.link.core import link_type
from docket.link.names import normalize_place
from docket.vocab import actors, load_yaml

KINDS = ("observer", "radio")
_ALIASES = {
    "timestamp": ("timestamp", "time", "datetime", "date_time", "observed_at"),
    "aircraft": ("aircraft", "aircraft_type", "type"),
    "callsign": ("callsign", "tail", "callsign_or_tail", "tail_number"),
    "airbase": ("airbase", "origin", "origin_airbase", "base"),
    "heading": ("heading", "direction"),
    "area": ("area", "location", "place"),
    "coordinates": ("coordinates", "coords", "latlon"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "longitude"),
    "observer": ("observer", "observer_source", "source", "station"),
    "summary": ("summary", "message", "text"),
}
_REQUIRED = {"observer": ("timestamp", "aircraft"), "radio": ("timestamp", "summary")}
_TIME = re.compile(r"\b([01]?\d|2[0-3])[:.h]([0-5]\d)\b")


@dataclass
class Observation:
    kind: str
    observed_at: dt.datetime
    aircraft: str | None = None
    callsign: str | None = None
    airbase: str | None = None
    heading: str | None = None
    area: str | None = None
    lat: float | None = None
    lon: float | None = None
    observer: str | None = None
    summary: str | None = None
    source_file: str = ""
    line: int = 0
    id: int | None = None

    @property
    def fingerprint(self) -> str:
        parts = [
            self.kind,
            self.observed_at.isoformat(),
            *(
                str(v or "")
                for v in (self.aircraft, self.callsign, self.area, self.observer, self.summary)
            ),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def describe(self) -> str:
        when = self.observed_at.strftime("%Y-%m-%d %H:%M")
        if self.kind == "radio":
            return f"radio intercept {when} ({self.observer or 'unknown station'}): {self.summary}"
        bits = [self.aircraft or "aircraft"]
        if self.callsign:
            bits.append(f"'{self.callsign}'")
        if self.airbase:
            bits.append(f"from {self.airbase}")
        if self.heading:
            bits.append(self._movement())
        if self.area:
            bits.append(f"over {self.area}")
        return f"observer sighting {when} ({self.observer or 'unknown observer'}): {' '.join(bits)}"

    def _movement(self) -> str:
        """The heading in words: a direction reads "heading east towards Ariha"; anything else
        ("circling", "orbiting low") is how the aircraft moved, told as written."""
        heading = self.heading or ""
        first = heading.split(maxsplit=1)[0].lower() if heading.strip() else ""
        return f"heading {heading}" if first.startswith(_DIRECTION_WORDS) else heading


# Words a heading starts with when it names a direction ("north-west", "northbound", "towards X").
_DIRECTION_WORDS = ("north", "south", "east", "west", "toward")


@dataclass
class LogProblem:
    line: int
    problem: str


@dataclass
class ParsedLog:
    observations: list[Observation] = field(default_factory=list)
    problems: list[IntakeError] = field(default_factory=list)


def _column(header: Sequence[str], name: str) -> str | None:
    lowered = {h.strip().lower(): h for h in header}
    for alias in _ALIASES[name]:
        if alias in lowered:
            return lowered[alias]
    return None


def _parse_time(value: str) -> dt.datetime:
    text = value.strip().replace("Z", "")
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"timestamp {value!r} is not ISO 8601 (YYYY-MM-DD HH:MM)") from None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp


def _parse_coord(value: str | None, low: float, high: float, name: str) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a number") from None
    if not low <= number <= high:
        raise ValueError(f"{name} {number} is outside {low}..{high}")
    return number


def read_log(path: Path, kind: str) -> ParsedLog:
    """Observations of one CSV log; each bad row becomes an :class:`IntakeError` with its line."""
    if kind not in KINDS:
        raise InputError(f"log kind {kind!r} is not one of {', '.join(KINDS)}")
    rows = _rows(read_table_text(path))
    header = next(rows, (1, None))[1]
    if not header:
        raise InputError(f"{path}: empty log, expected a header row")
    if isinstance(header, str):
        raise InputError(f"{path}:1: {header}")
    columns = {name: _column(header, name) for name in _ALIASES}
    missing = [n for n in _REQUIRED[kind] if columns[n] is None]
    if missing:
        raise InputError(
            f"{path}:1: missing column(s) {', '.join(missing)} for a {kind} log; "
            f"header is {', '.join(header)}"
        )
    result = ParsedLog()
    for line, values in rows:
        if isinstance(values, str):  # its quoting is broken
            result.problems.append(IntakeError(path, values, line))
            continue
        if not any(v.strip() for v in values):
            continue
        row = dict(zip(header, values, strict=False))
        try:
            result.observations.append(_observation(kind, row, columns, path, line))
        except ValueError as exc:
            result.problems.append(IntakeError(path, str(exc), line))
    return result


_QUOTING = {  # the csv module's words, said for the one who fixes the file
    "unexpected end of data": "a quote opened here is never closed",
    "',' expected after '\"'": "a quote opened here closes further on with text after it "
    "(a quote never closed, or one inside an unquoted value)",
}


def _rows(text: str) -> Iterator[tuple[int, list[str] | str]]:
    """Each CSV row of ``text`` with the line it starts on; a quoted note may hold line breaks.
    A row whose quoting is broken yields what is wrong with it instead, and reading starts
    again, as CSV, on the line after its first: a quote never closed does not swallow the rest
    of the log, nor split the quoted notes after it."""
    source: Iterable[str] = io.StringIO(text, newline="")
    lines: list[str] | None = None  # as the reader counts them; split only after a broken row
    first = 0  # the line (from 0) the reader starts on
    while True:
        reader = csv.reader(source, strict=True)
        ended = first
        try:
            for values in reader:
                yield ended + 1, values
                ended = first + reader.line_num
            return
        except csv.Error as exc:
            yield ended + 1, _QUOTING.get(str(exc), f"bad CSV: {exc}")
        first = ended + 1
        lines = lines or io.StringIO(text, newline="").readlines()
        source = lines[first:]


def _observation(
    kind: str, row: Mapping[str, str], columns: Mapping[str, str | None], path: Path, line: int
) -> Observation:
    def get(name: str) -> str | None:
        column = columns[name]
        value = row.get(column) if column else None
        return value.strip() if value and value.strip() else None

    for name in _REQUIRED[kind]:
        if get(name) is None:
            raise ValueError(f"empty {name}")
    lat = _parse_coord(get("lat"), -90, 90, "lat")
    lon = _parse_coord(get("lon"), -180, 180, "lon")
    coords = get("coordinates")
    if coords and lat is None:
        parts = [p for p in re.split(r"[,;\s]+", coords) if p]
        if len(parts) != 2:
            raise ValueError(f"coordinates {coords!r} are not 'lat, lon'")
        lat = _parse_coord(parts[0], -90, 90, "lat")
        lon = _parse_coord(parts[1], -180, 180, "lon")
    if (lat is None) != (lon is None):
        raise ValueError("give both lat and lon, or neither")
    if kind == "observer" and lat is None and get("area") is None and get("heading") is None:
        raise ValueError("no area, heading or coordinates: the sighting cannot be placed")
    return Observation(
        kind=kind,
        observed_at=_parse_time(get("timestamp") or ""),
        aircraft=get("aircraft"),
        callsign=get("callsign"),
        airbase=get("airbase"),
        heading=get("heading"),
        area=get("area"),
        lat=lat,
        lon=lon,
        observer=get("observer"),
        summary=get("summary"),
        source_file=str(path),
        line=line,
    )


# --- operators ----------------------------------------------------------------------------


def _squash(text: str | None) -> str:
    return re.sub(r"[\s\-_]+", "", (text or "").lower())


@cache
def operator_rules() -> list[dict[str, Any]]:
    raw = load_yaml("aircraft_operators.yaml") or {}
    rules = []
    for rule in raw.get("operators") or []:
        rules.append(
            {
                "aircraft": [_squash(a) for a in rule.get("aircraft") or []],
                "airbase": [_squash(a) for a in rule.get("airbase") or []],
                "actor_id": rule["actor_id"],
                "note": rule.get("note", ""),
            }
        )
    return rules


def suggest_operator(obs: Observation) -> dict[str, Any] | None:
    """The most specific operator rule matching the sighting's aircraft and airbase."""
    text = _squash(" ".join(v for v in (obs.summary, obs.observer) if v))
    aircraft = _squash(obs.aircraft)
    airbase = _squash(obs.airbase)

    def has(values: list[str], field_value: str) -> bool:
        return any(v == field_value or (text and v in text) for v in values)

    best: tuple[int, dict[str, Any]] | None = None
    for rule in operator_rules():
        score = 0
        if rule["aircraft"]:
            if not has(rule["aircraft"], aircraft):
                continue
            score += 2
        if rule["airbase"]:
            if not has(rule["airbase"], airbase):
                continue
            score += 1
        if score and (best is None or score > best[0]):
            best = (score, rule)
    if best is None:
        return None
    rule = best[1]
    actor = actors().get(rule["actor_id"])
    return {
        "actor_id": rule["actor_id"],
        "actor": actor.name if actor else rule["actor_id"],
        "rule": rule["note"],
    }


# --- joining to incidents -----------------------------------------------------------------


def incident_time(claims: Sequence[Claim]) -> dt.time | None:
    """A time of day the sources give for the attack (a ``time`` span, or HH:MM in a quote)."""
    for claim in claims:
        for span in claim.spans:
            if span.field == "time":
                found = _TIME.search(span.text)
                if found:
                    return dt.time(int(found.group(1)), int(found.group(2)))
    for claim in claims:
        found = _TIME.search(claim.quote or "")
        if found:
            return dt.time(int(found.group(1)), int(found.group(2)))
    return None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _names_place(obs: Observation, place_name: str) -> bool:
    wanted = normalize_place(place_name)
    if not wanted:
        return False
    for text in (obs.area, obs.heading, obs.summary):
        if text and f" {wanted} " in f" {normalize_place(text)} ":
            return True
    return False


@cache
def air_event_types() -> frozenset[str]:
    """Coarse linker types of attacks from the air (aircraft logs say nothing about the rest)."""
    raw = load_yaml("aircraft_operators.yaml") or {}
    return frozenset(raw.get("air_event_types") or ())


def match_observations(
    incident: Incident,
    observations: Sequence[Observation],
    *,
    at: dt.time | None = None,
    window_minutes: int = 30,
    max_km: float = 25.0,
    day_only_km: float = 10.0,
) -> list[dict[str, Any]]:
    """Observations that fit the incident's time and place, each with its chain of evidence.

    With a time of attack, observations within ``window_minutes`` and ``max_km`` match; with only
    a day, the observation must name the place or lie within ``day_only_km`` of it.
    """
    if incident.date_low is None or incident.place is None:
        return []
    kind = link_type(incident.event_type, incident.weapons)
    if kind is not None and kind not in air_event_types():
        return []
    place = incident.place
    first, last = incident.date_low, incident.date_high or incident.date_low
    matches = []
    for obs in observations:
        when = match_time(obs.observed_at, first, last, at, window_minutes)
        if when is None:
            continue
        km = None
        if obs.lat is not None and obs.lon is not None and place.lat is not None:
            km = _km(obs.lat, obs.lon, place.lat, place.lon or 0.0)
            if km > (day_only_km if when["day_only"] else max_km):
                continue
        elif not _names_place(obs, place.name):
            continue
        operator = suggest_operator(obs)
        where = f"{km:.1f} km away" if km is not None else f"names {place.name}"
        chain = f"{obs.describe()}; {when['text']}, {where}"
        if operator:
            chain += f" -> {operator['actor']} ({operator['rule']})"
        matches.append(
            {
                "observation_id": obs.id,
                "kind": obs.kind,
                "observed_at": obs.observed_at.isoformat(sep=" ", timespec="minutes"),
                "minutes_apart": when["minutes"],
                "day_only": when["day_only"],
                "km": None if km is None else round(km, 1),
                "actor_id": operator["actor_id"] if operator else None,
                "actor": operator["actor"] if operator else None,
                "rule": operator["rule"] if operator else None,
                "source_file": obs.source_file,
                "line": obs.line,
                "summary": chain,
            }
        )
    return matches


def match_time(
    observed: dt.datetime, first: dt.date, last: dt.date, at: dt.time | None, window: int
) -> dict[str, Any] | None:
    """How an observation time fits the attack: within the window, or only the same day."""
    if at is not None and first == last:
        attack = dt.datetime.combine(first, at)
        minutes = round((observed - attack).total_seconds() / 60)
        if abs(minutes) > window:
            return None
        side = "before" if minutes < 0 else "after"
        text = f"{abs(minutes)} min {side} the attack" if minutes else "at the time of the attack"
        return {"minutes": minutes, "day_only": False, "text": text}
    if first <= observed.date() <= last:
        return {
            "minutes": None,
            "day_only": True,
            "text": "same day (the attack's time is not known, so only the day is matched)",
        }
    return None


def iter_fields(obs: Observation) -> Iterator[tuple[str, Any]]:
    for name in (
        "kind",
        "observed_at",
        "aircraft",
        "callsign",
        "airbase",
        "heading",
        "area",
        "lat",
        "lon",
        "observer",
        "summary",
        "source_file",
        "line",
    ):
        yield name, getattr(obs, name)
