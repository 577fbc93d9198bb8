"""New incidents reconciled and graded straight from their claims' stored JSON (a link run's hot
path: a million claims).

:func:`assess_json` gives what :func:`docket.link.reconcile.reconcile`, log attribution, grading
and :func:`docket.store.incidents.prepare_incident` give for a new incident, computed on plain
values instead of pydantic records: the incident's columns and canonical JSON, byte for byte the
same. It answers ``None`` when a claim holds anything but the plain JSON types its fields store
(pydantic would coerce or reject it) or when an observation may fall in the incident's window;
the caller then takes the record path, so the rules of :mod:`~docket.link.reconcile` and
:mod:`~docket.link.grading` stay the only ones (``tests/link/test_assess.py`` holds the two paths
to the same output).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

import msgspec
import orjson

from docket.domain import LocationPrecision
from docket.link.core import date_bounds
from docket.link.grading import (
    GradeFeatures,
    GradingRules,
    _facts,
    grade,
    grading_rules,
    origins,
)
from docket.link.reconcile import SourceInfo, _fmt_bounds, source_ranks

Bounds = tuple[int | None, int | None]  # a Range as (low, high)
_NONE: Bounds = (None, None)
_PRECISIONS = {p.value: -i for i, p in enumerate(LocationPrecision)}  # site highest


class Unusual(Exception):
    """A value pydantic would coerce or reject: the record path handles this incident."""


class JsonClaim(NamedTuple):
    """What reconciliation and grading read of one claim, as plain values."""

    id: int
    document_id: int | None
    incident_id: int | None
    event_type: str | None
    date: dt.date | None
    date_precision: str | None
    place: _Place | None  # :func:`place_dict` gives it as ResolvedPlace dumps it
    perpetrators: list[tuple[str, str, str]]  # actor id, name, attribution
    has_victims: bool
    weapons: list[str]
    targets: list[tuple[str, str | None, int | None]]  # category, name, facility id
    civilians: Bounds
    combatants: Bounds
    unknown: Bounds
    injured: Bounds  # total


# --- reading a claim --------------------------------------------------------------------------
# The stored claim's shape, checked as strictly as msgspec does: exact JSON types (a whole number
# is a float where a float is wanted, as pydantic makes it), no unknown fields. Anything pydantic
# would coerce (a numeric string, 12.0 for 12, another date format) or reject fails here.

Precision = Literal["site", "settlement", "district", "admin1", "country"]


class _Range(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    low: int | None = None
    high: int | None = None


class _Count(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    civilians: _Range = msgspec.field(default_factory=_Range)
    combatants: _Range = msgspec.field(default_factory=_Range)
    unknown: _Range = msgspec.field(default_factory=_Range)
    children: _Range | None = None
    women: _Range | None = None


class _Casualties(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    killed: _Count = msgspec.field(default_factory=_Count)
    injured: _Count = msgspec.field(default_factory=_Count)


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


class _Place(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    precision: Precision
    place_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    country: str | None = None
    score: float = 1.0
    centroid: bool = False
    rejected: list[dict[str, Any]] = msgspec.field(default_factory=list)
    reason: str | None = None


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
    weapons: list[str] = msgspec.field(default_factory=list)
    targets: list[_Target] = msgspec.field(default_factory=list)
    casualties: _Casualties = msgspec.field(default_factory=_Casualties)
    quote: str | None = None
    spans: list[_Span] = msgspec.field(default_factory=list)
    extractor: str = "manual"
    extractor_version: str = "0"
    review_status: Literal["unreviewed", "accepted", "rejected", "edited"] = "unreviewed"
    incident_id: int | None = None


_DECODE = msgspec.json.Decoder(_Claim).decode


def _bounds(r: _Range) -> Bounds:
    return r.low, r.high


def _total(civilians: Bounds, combatants: Bounds, unknown: Bounds) -> Bounds:
    """:func:`docket.link.core.casualty_total` on bounds."""
    if combatants == _NONE and unknown == _NONE:
        return civilians
    parts = [r for r in (civilians, combatants, unknown) if r != _NONE]
    if not parts:
        return _NONE
    if len(parts) == 1:
        return parts[0]
    lows = [r[0] for r in parts if r[0] is not None]
    highs = [r[1] for r in parts]
    high = None if None in highs else sum(highs)  # type: ignore[arg-type]
    return (sum(lows) if lows else None), high


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


def json_claim(row: tuple[int, int, int | None, str, str]) -> JsonClaim:
    """A stored claim row as plain values; raises :class:`Unusual` where pydantic would step in."""
    cid, doc, inc, _status, text = row
    try:
        c = _DECODE(text)
    except (msgspec.ValidationError, msgspec.DecodeError):
        raise Unusual from None
    killed, injured = c.casualties.killed, c.casualties.injured
    return JsonClaim(
        cid,
        doc,
        inc,
        c.event_type,
        c.date,
        c.date_precision,
        c.place,
        [(a.actor_id, a.name, a.attribution) for a in c.perpetrators],
        bool(c.victims),
        c.weapons,
        [(t.category, t.name, t.facility_id) for t in c.targets],
        (killed.civilians.low, killed.civilians.high),
        (killed.combatants.low, killed.combatants.high),
        (killed.unknown.low, killed.unknown.high),
        _total(_bounds(injured.civilians), _bounds(injured.combatants), _bounds(injured.unknown)),
    )


# --- reconciling ------------------------------------------------------------------------------


def _range_of(ranges: Sequence[Bounds], ranks: Sequence[int]) -> tuple[Bounds, int | None]:
    """:func:`docket.link.reconcile.reconcile_range` on bounds, in one pass."""
    if len(ranges) == 1:  # a single claim's figures, the most common case
        lo, hi = ranges[0]
        if lo is None or hi is None:
            point = lo if hi is None else hi
            return (point, point), point
        return ((lo, hi) if lo <= hi else (hi, lo)), lo
    low = high = best = None
    best_key: tuple[int, bool] | None = None
    for r, rank in zip(ranges, ranks, strict=True):
        lo, hi = r
        if lo is None and hi is None:
            continue
        for point in r:
            if point is not None:
                if low is None or point < low:
                    low = point
                if high is None or point > high:
                    high = point
        key = (rank, lo is not None and lo == hi)  # more reliable, then a point figure
        if best_key is None or key > best_key:
            best_key, best = key, lo if lo is not None else hi
    return (low, high), best


def _dump(r: Bounds) -> dict[str, int | None]:
    return {"low": r[0], "high": r[1]}


def _dates(claims: Sequence[JsonClaim]) -> tuple[dt.date | None, dt.date | None]:
    exact = [c.date for c in claims if c.date and c.date_precision in (None, "day")]
    if exact:
        return min(exact), max(exact)
    bounds = [date_bounds(c.date, c.date_precision) for c in claims if c.date]
    if not bounds:
        return None, None
    lo = max(b[1] for b in bounds)
    hi = min(b[2] for b in bounds)
    if lo > hi:
        lo, hi = min(b[1] for b in bounds), max(b[2] for b in bounds)
    return dt.date.fromordinal(lo), dt.date.fromordinal(hi)


def _best_place(claims: Sequence[JsonClaim], ranks: Sequence[int]) -> _Place | None:
    placed = [(c.place, rank) for c, rank in zip(claims, ranks, strict=True) if c.place]
    credible = [(p, rank) for p, rank in placed if p.score >= 0.5] or placed
    if not credible:
        return None
    if len(credible) == 1:
        return credible[0][0]
    counts: dict[str, int] = {}
    for p, _ in credible:
        counts[p.name] = counts.get(p.name, 0) + 1
    best, best_key = credible[0][0], None
    for p, rank in credible:
        key = (_PRECISIONS[p.precision], int(p.lat is not None), counts[p.name], rank)
        if best_key is None or key > best_key:
            best, best_key = p, key
    return best


def _perpetrators(claims: Sequence[JsonClaim]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for c in claims:
        for actor_id, name, attribution in c.perpetrators:
            known = found.get(actor_id)
            if known is None or (attribution == "stated" and known["attribution"] != "stated"):
                found[actor_id] = {
                    "actor_id": actor_id,
                    "name": name,
                    "attribution": attribution,
                    "mention": None,
                }
    return list(found.values())


def _event_type(claims: Sequence[JsonClaim], ranks: Sequence[int]) -> str | None:
    """The type most (and most reliable) sources give; ties to the first named."""
    votes: dict[str, int] = {}
    for c, rank in zip(claims, ranks, strict=True):
        if c.event_type:
            votes[c.event_type] = votes.get(c.event_type, 0) + 1 + rank
    return max(votes, key=votes.__getitem__) if votes else None  # as Counter.most_common(1)


def _stated(c: JsonClaim) -> set[str]:
    return {a for a, _, attribution in c.perpetrators if attribution == "stated"}


def _lowest(r: Bounds) -> int:
    """The lowest figure of a range with at least one."""
    lo, hi = r
    if lo is None or hi is None:
        return lo if hi is None else hi  # type: ignore[return-value]
    return lo if lo <= hi else hi


def _highest(r: Bounds) -> int:
    """The highest figure of a range with at least one."""
    lo, hi = r
    if lo is None or hi is None:
        return lo if hi is None else hi  # type: ignore[return-value]
    return hi if hi >= lo else lo


def _disagreements(
    claims: Sequence[JsonClaim],
    labels: Sequence[str],
    killed: Sequence[tuple[Bounds, str]],
    stated: Sequence[set[str]],
) -> list[str]:
    found: list[str] = []
    if len(claims) == 1:  # one source cannot disagree with itself
        return found
    days = {c.date for c in claims if c.date and c.date_precision in (None, "day")}
    if len(days) > 1:
        found.append(
            "date: "
            + "; ".join(
                f"{c.date} ({label})"
                for c, label in zip(claims, labels, strict=True)
                if c.date in days
            )
        )
    figures = [(r, src) for r, src in killed if r != _NONE]
    if figures:
        lows = [_lowest(r) for r, _ in figures]
        highs = [_highest(r) for r, _ in figures]
        if min(highs) < max(lows) and (
            max(lows) > 1.5 * max(min(highs), 1) or max(lows) - min(highs) > 3
        ):
            found.append(
                "killed: " + "; ".join(f"{_fmt_bounds(*r)} ({src or '?'})" for r, src in figures)
            )
    named = {c.id: s for c, s in zip(claims, stated, strict=True)}
    stated = [s for s in named.values() if s]
    if len(stated) > 1 and not set.intersection(*stated):
        found.append(
            "perpetrator: "
            + "; ".join(
                f"{', '.join(name for _, name, _ in c.perpetrators)} ({label})"
                for c, label in zip(claims, labels, strict=True)
                if named[c.id]
            )
        )
    return found


# --- grading ----------------------------------------------------------------------------------


_Grade = tuple[str, list[str]]
# (rules, grades given under them by everything a grade and its facts depend on)
_GRADES: tuple[GradingRules | None, dict[tuple[Any, ...], _Grade]] = (None, {})


def _grade(
    claims: Sequence[JsonClaim],
    sources: Mapping[int, SourceInfo | None],
    combatants_only: bool,
    stated: Sequence[set[str]],
) -> _Grade:
    """:func:`docket.link.grading.grade` of :func:`~docket.link.grading.grade_features` without
    log matches (``sources``: of every document of the claims), once per distinct set of
    features."""
    global _GRADES
    rules = grading_rules()
    if _GRADES[0] is not rules:
        _GRADES = (rules, {})
    doc_infos = [sources[d] or SourceInfo(document_id=d) for d in sorted(sources)]
    if len(doc_infos) > 1:
        groups = origins(doc_infos, rules.syndication_similarity)
    else:
        groups = [doc_infos] if doc_infos else []
    credible = rules.credible_kinds
    copies = tuple(
        ", ".join(i.source or f"document {i.document_id}" for i in g) for g in groups if len(g) > 1
    )
    conflict = False
    if len(claims) > 1:
        named = [s for s in stated if s]
        conflict = len(named) > 1 and not set.intersection(*named)
    kinds = tuple(sorted({i.kind for i in doc_infos}))
    key = (
        len(doc_infos),
        len(groups),
        sum(1 for g in groups if any(i.kind in credible for i in g)),
        kinds,
        copies,
        conflict,
        combatants_only,
        any(c.has_victims for c in claims),
    )
    known = _GRADES[1].get(key)
    if known is None:
        f = GradeFeatures(sources=key[0], independent_sources=key[1], credible_sources=key[2])
        f.kinds, f.copies = list(kinds), list(copies)
        f.perpetrator_conflict = conflict
        f.media_evidence = "media" in kinds
        f.named_victims = key[7]
        f.combatants_only = combatants_only
        f.facts = _facts(f, ())
        known = grade(f)
        if not copies:  # copies name sources: too many distinct ones to keep
            _GRADES[1][key] = known
    return known


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


def assess_json(
    claims: Sequence[JsonClaim], infos: Mapping[int, SourceInfo], window: ObservationWindow
) -> tuple[dict[str, Any], str] | None:
    """A new incident of ``claims``: (columns, canonical JSON) as ``prepare_incident`` gives
    them after ``LinkOps._assess``; ``None`` when observations may match (the record path)."""
    date_low, date_high = _dates(claims)
    if window.may_match(date_low, date_high):
        return None
    ranks_of = source_ranks()
    sources = {c.document_id: infos.get(c.document_id) for c in claims if c.document_id is not None}
    doc_infos = [sources[c.document_id] if c.document_id else None for c in claims]
    ranks = [ranks_of.get(i.kind if i else "other", 0) for i in doc_infos]
    labels = [
        i.source if i and i.source else f"document {c.document_id}"
        for c, i in zip(claims, doc_infos, strict=True)
    ]
    killed_totals = [_total(c.civilians, c.combatants, c.unknown) for c in claims]
    killed, killed_best = _range_of(killed_totals, ranks)
    civilians, _ = _range_of([c.civilians for c in claims], ranks)
    injured, injured_best = _range_of([c.injured for c in claims], ranks)
    combatants, _ = _range_of([c.combatants for c in claims], ranks)
    targets: dict[tuple[str, str | None], dict[str, Any]] = {}
    for c in claims:
        for category, name, facility in c.targets:
            if (category, name) not in targets:
                targets[category, name] = {
                    "category": category,
                    "name": name,
                    "facility_id": facility,
                }
    best_place = _best_place(claims, ranks)
    place = place_dict(best_place)
    perpetrators = _perpetrators(claims)
    event_type = _event_type(claims, ranks)
    counted = [c for c, k in zip(claims, killed_totals, strict=True) if k != _NONE]
    combatants_only = bool(counted) and all(
        c.civilians == _NONE and c.unknown == _NONE and c.combatants != _NONE for c in counted
    )
    stated = [_stated(c) for c in claims]
    value, reasons = _grade(claims, sources, combatants_only, stated)
    data = {
        "claim_ids": sorted(c.id for c in claims),
        "event_type": event_type,
        "date_low": date_low.isoformat() if date_low else None,
        "date_high": date_high.isoformat() if date_high else None,
        "place": place,
        "perpetrators": perpetrators,
        "weapons": sorted({w for c in claims for w in c.weapons}),
        "targets": list(targets.values()),
        "killed": _dump(killed),
        "killed_best": killed_best,
        "civilians_killed": _dump(civilians),
        "injured": _dump(injured),
        "injured_best": injured_best,
        "grade": value,
        "grade_reasons": reasons,
        "legal_flags": [],
        "source_figures": [
            {
                "claim_id": c.id,
                "document_id": c.document_id,
                "source": label,
                "killed": {"low": k[0], "high": k[1]},
                "civilians_killed": {"low": c.civilians[0], "high": c.civilians[1]},
                "injured": {"low": c.injured[0], "high": c.injured[1]},
            }
            for c, label, k in zip(claims, labels, killed_totals, strict=True)
        ],
        "disagreements": _disagreements(
            claims, labels, list(zip(killed_totals, labels, strict=True)), stated
        ),
        "details": {
            "sources": sorted(set(labels)),
            "combatants_killed": _dump(combatants) if combatants != _NONE else None,
            "logs": [],
            "log_attribution": [],
        },
        "reviewed": False,
        "published": False,
    }
    row = {
        "event_type": event_type,
        "date_low": date_low,
        "date_high": date_high,
        "place_name": best_place.name if best_place else None,
        "admin1": best_place.admin1 if best_place else None,
        "country": best_place.country if best_place else None,
        "lat": best_place.lat if best_place else None,
        "lon": best_place.lon if best_place else None,
        "precision": best_place.precision if best_place else None,
        "killed_low": killed[0],
        "killed_best": killed_best,
        "killed_high": killed[1],
        "civilians_killed_low": civilians[0],
        "civilians_killed_high": civilians[1],
        "injured_low": injured[0],
        "injured_best": injured_best,
        "injured_high": injured[1],
        "grade": value,
        "reviewed": False,
        "published": False,
    }
    return row, orjson.dumps(data, option=orjson.OPT_SORT_KEYS, default=str).decode()
