"""New incidents reconciled and graded straight from their claims' stored JSON (a link run's hot
path: a million claims).

:func:`json_claim` reads a stored claim into the plain values the rules of
:mod:`~docket.link.reconcile` and :mod:`~docket.link.grading` read (the record path makes the same
from :class:`~docket.domain.Claim` records), and :func:`assess_json` writes what those rules find
as the incident's columns and canonical JSON, byte for byte what
:func:`docket.store.incidents.prepare_incident` gives for the record path's incident, without
building pydantic records. :func:`json_claim` raises :class:`Unusual` when a claim holds anything
but the plain JSON types its fields store (pydantic would coerce or reject it), and
:func:`assess_json` answers ``None`` when an observation may fall in the incident's window: the
caller then takes the record path (``tests/link/test_assess.py`` holds the two to the same output).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import msgspec

from docket.link.grading import grade_claims
from docket.link.reconcile import (
    NO_BOUNDS,
    Bounds,
    PlainClaim,
    SourceInfo,
    bounds_total,
    reconcile_claims,
)


class Unusual(Exception):
    """A value pydantic would coerce or reject: the record path handles this incident."""


# --- reading a claim --------------------------------------------------------------------------
# The stored claim's shape, checked as strictly as msgspec does: exact JSON types (a whole number
# is a float where a float is wanted, as pydantic makes it), no unknown fields. Anything pydantic
# would coerce (a numeric string, 12.0 for 12, another date format) or reject fails here.

Precision = Literal["site", "settlement", "district", "admin1", "country"]


class _Range(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    low: int | None = None
    high: int | None = None


# Most claims leave most ranges out: their defaults are these shared (frozen) values, not a new
# struct per claim, and are known as empty by identity.
_NO_RANGE = _Range()


class _Count(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    civilians: _Range = _NO_RANGE
    combatants: _Range = _NO_RANGE
    unknown: _Range = _NO_RANGE
    children: _Range | None = None
    women: _Range | None = None


_NO_COUNT = _Count()


class _Casualties(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    killed: _Count = _NO_COUNT
    injured: _Count = _NO_COUNT


class _Actor(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    actor_id: str
    name: str
    attribution: Literal["stated", "suspected"] = "stated"
    mention: str | None = None


class _Target(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    category: str
    name: str | None = None
    facility_id: int | None = None


class _Mention(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    text: str
    start: int | None = None
    end: int | None = None
    anchor: str | None = None
    relation: str | None = None


class _Place(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    # fields in sorted order: the incident's JSON holds the chosen claim's place as it is
    admin1: str | None = None
    centroid: bool = False
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    name: str
    place_id: int | None = None
    precision: Precision
    reason: str | None = None
    rejected: list[dict[str, Any]] = msgspec.field(default_factory=list)
    score: float = 1.0


class _Span(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    field: str
    start: int
    end: int
    text: str


class _Claim(msgspec.Struct, forbid_unknown_fields=True):
    id: int | None = None
    document_id: int | None = None
    event_type: str | None = None
    date: dt.date | None = None
    date_precision: Literal["day", "week", "month", "year"] | None = None
    places: list[_Mention] = msgspec.field(default_factory=list)
    place: _Place | None = None
    admin1: str | None = None
    country: str | None = None
    perpetrators: list[_Actor] = msgspec.field(default_factory=list)
    victims: list[_Actor] = msgspec.field(default_factory=list)
    named_victims: list[str] = msgspec.field(default_factory=list)
    weapons: list[str] = msgspec.field(default_factory=list)
    targets: list[_Target] = msgspec.field(default_factory=list)
    casualties: _Casualties = _Casualties()
    quote: str | None = None
    spans: list[_Span] = msgspec.field(default_factory=list)
    extractor: str = "manual"
    extractor_version: str = "0"
    review_status: Literal["unreviewed", "accepted", "rejected", "edited"] = "unreviewed"
    incident_id: int | None = None


_DECODE = msgspec.json.Decoder(_Claim).decode


def place_dict(p: _Place | None) -> dict[str, Any] | None:
    """The place as ResolvedPlace dumps it (built for the incident's place only)."""
    if p is None:
        return None
    return {
        "place_id": p.place_id,
        "name": p.name,
        "lat": p.lat,
        "lon": p.lon,
        "precision": p.precision,
        "admin1": p.admin1,
        "country": p.country,
        "score": p.score,
        "centroid": p.centroid,
        "rejected": p.rejected,
        "reason": p.reason,
    }


def _bounds(r: _Range) -> Bounds:
    return NO_BOUNDS if r is _NO_RANGE else (r.low, r.high)


def json_claim(row: tuple[int, int, int | None, str, str]) -> PlainClaim:
    """A stored claim row as plain values; raises :class:`Unusual` where pydantic would step in."""
    cid, doc, inc, _status, text = row
    try:
        c = _DECODE(text)
    except (msgspec.ValidationError, msgspec.DecodeError):
        raise Unusual from None
    killed, injured = c.casualties.killed, c.casualties.injured
    # tuple.__new__: the NamedTuple's own constructor is a Python function (a million claims)
    return tuple.__new__(
        PlainClaim,
        (
            cid,
            doc,
            inc,
            c.event_type,
            c.date,
            c.date_precision,
            c.place,
            [(a.actor_id, a.name, a.attribution) for a in c.perpetrators] if c.perpetrators else [],
            bool(c.named_victims),
            c.weapons,
            [(t.category, t.name, t.facility_id) for t in c.targets] if c.targets else [],
            _bounds(killed.civilians),
            _bounds(killed.combatants),
            _bounds(killed.unknown),
            NO_BOUNDS
            if injured is _NO_COUNT
            else bounds_total(
                _bounds(injured.civilians), _bounds(injured.combatants), _bounds(injured.unknown)
            ),
        ),
    )


# --- the incident -----------------------------------------------------------------------------


class ObservationWindow:
    """Whether any observation may match an incident's days (then the record path joins them)."""

    def __init__(self, times: Sequence[dt.datetime], window_minutes: int) -> None:
        self.times = sorted(times)
        self.margin = dt.timedelta(minutes=abs(window_minutes))

    def may_match(self, low: dt.date | None, high: dt.date | None) -> bool:
        if not self.times or low is None:
            return False
        start = dt.datetime.combine(low, dt.time()) - self.margin
        end = dt.datetime.combine(high or low, dt.time()) + dt.timedelta(days=1) + self.margin
        i = bisect.bisect_left(self.times, start)
        return i < len(self.times) and self.times[i] <= end


# --- the incident's JSON ------------------------------------------------------------------------
# Structs whose fields are declared in sorted order: msgspec writes them as the canonical JSON
# (``canonical_json``: sorted keys, compact) without building and sorting a dict per object.


class _Low(msgspec.Struct, gc=False):
    high: int | None
    low: int | None


class _Figure(msgspec.Struct, gc=False):
    civilians_killed: _Low
    claim_id: int | None
    document_id: int | None
    injured: _Low
    killed: _Low
    source: str


class _ActorOut(msgspec.Struct, gc=False):
    actor_id: str
    attribution: str
    mention: None
    name: str


class _TargetOut(msgspec.Struct, gc=False):
    category: str
    facility_id: int | None
    name: str | None


class _Details(msgspec.Struct, gc=False):
    combatants_killed: _Low | None
    log_attribution: list[Any]
    logs: list[Any]
    sources: list[str]


class _IncidentOut(msgspec.Struct, gc=False):
    civilians_killed: _Low
    claim_ids: list[int]
    date_high: dt.date | None
    date_low: dt.date | None
    details: _Details
    disagreements: list[str]
    event_type: str | None
    grade: str
    grade_reasons: list[str]
    injured: _Low
    injured_best: int | None
    killed: _Low
    killed_best: int | None
    legal_flags: list[Any]
    perpetrators: list[_ActorOut]
    place: _Place | None
    published: bool
    reviewed: bool
    source_figures: list[_Figure]
    targets: list[_TargetOut]
    weapons: list[str]


_ENCODE = msgspec.json.Encoder().encode
# a place's rejected candidates are plain dicts, whose keys only a sorting encoder puts in order
_ENCODE_SORTED = msgspec.json.Encoder(order="sorted").encode


def _low(r: Bounds) -> _Low:
    return _Low(r[1], r[0])


def assess_json(
    claims: Sequence[PlainClaim], infos: Mapping[int, SourceInfo], window: ObservationWindow
) -> tuple[dict[str, Any], str] | None:
    """A new incident of ``claims``: (columns, canonical JSON) as ``prepare_incident`` gives
    them after :func:`docket.link.ops.assess_records`; ``None`` when observations may match (the
    record path)."""
    r = reconcile_claims(claims, infos)
    if window.may_match(r.date_low, r.date_high):
        return None
    value, reasons = grade_claims(claims, r.sources, r.stated, {a for a, _, _ in r.perpetrators})
    place: _Place | None = r.place
    data = _IncidentOut(
        _low(r.civilians),
        r.claim_ids,
        r.date_high,
        r.date_low,
        _Details(
            _low(r.combatants) if r.combatants != NO_BOUNDS else None,
            [],
            [],
            sorted(set(r.labels)),
        ),
        r.disagreements,
        r.event_type,
        value,
        reasons,
        _low(r.injured),
        r.injured_best,
        _low(r.killed),
        r.killed_best,
        [],
        [_ActorOut(a, attribution, None, name) for a, name, attribution in r.perpetrators],
        place,
        False,
        False,
        [
            _Figure(_low(c.civilians), c.id, c.document_id, _low(c.injured), _low(killed), label)
            for c, label, killed in zip(claims, r.labels, r.killed_totals, strict=True)
        ],
        [_TargetOut(category, facility, name) for category, name, facility in r.targets],
        r.weapons,
    )
    text = (_ENCODE_SORTED if place is not None and place.rejected else _ENCODE)(data).decode()
    row = {
        "event_type": r.event_type,
        "date_low": r.date_low,
        "date_high": r.date_high,
        "place_name": place.name if place else None,
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "precision": place.precision if place else None,
        "killed_low": r.killed[0],
        "killed_best": r.killed_best,
        "killed_high": r.killed[1],
        "civilians_killed_low": r.civilians[0],
        "civilians_killed_high": r.civilians[1],
        "injured_low": r.injured[0],
        "injured_best": r.injured_best,
        "injured_high": r.injured[1],
        "grade": value,
        "reviewed": False,
        "published": False,
    }
    return row, text
