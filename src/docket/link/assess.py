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
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

import orjson

from docket.domain import (
    ActorRef,
    Casualties,
    CasualtyCount,
    Claim,
    LocationPrecision,
    Range,
    ResolvedPlace,
    TargetRef,
)
from docket.link.core import date_bounds
from docket.link.grading import GradeFeatures, _facts, grade, grading_rules, origins
from docket.link.reconcile import SourceInfo, _fmt_bounds, source_ranks

Bounds = tuple[int | None, int | None]  # a Range as (low, high)
_NONE: Bounds = (None, None)
_PRECISIONS = {p.value: -i for i, p in enumerate(LocationPrecision)}  # site highest
_DATE_PRECISIONS = frozenset({"day", "week", "month", "year"})
_ATTRIBUTIONS = frozenset({"stated", "suspected"})
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLAIM_KEYS = frozenset(Claim.model_fields)  # extra="forbid": anything else goes to pydantic
_PLACE_KEYS = frozenset(ResolvedPlace.model_fields)
_ACTOR_KEYS = frozenset(ActorRef.model_fields)
_TARGET_KEYS = frozenset(TargetRef.model_fields)
_CASUALTY_KEYS = frozenset(Casualties.model_fields)
_COUNT_KEYS = frozenset(CasualtyCount.model_fields)
_RANGE_KEYS = frozenset(Range.model_fields)


class Unusual(Exception):
    """A value pydantic would coerce or reject: the record path handles this incident."""


class JsonClaim(NamedTuple):
    """What reconciliation and grading read of one claim, as plain values."""

    id: int
    document_id: int | None
    incident_id: int | None
    event_type: str | None
    date: dt.date | None
    date_text: str | None
    date_precision: str | None
    place: dict[str, Any] | None  # as ResolvedPlace dumps it
    perpetrators: list[tuple[str, str, str]]  # actor id, name, attribution
    has_victims: bool
    weapons: list[str]
    targets: list[tuple[str, str | None, int | None]]  # category, name, facility id
    civilians: Bounds
    combatants: Bounds
    unknown: Bounds
    injured: Bounds  # total


# --- reading a claim --------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    if value is None or type(value) is int:
        return value
    raise Unusual


def _str(value: Any) -> str | None:
    if value is None or type(value) is str:
        return value
    raise Unusual


def _float(value: Any) -> float | None:
    if value is None or type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise Unusual


def _dict(value: Any, keys: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict or not keys.issuperset(value):
        raise Unusual
    return value


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise Unusual
    return value


def _bounds(value: Any) -> Bounds:
    if type(value) is not dict or not _RANGE_KEYS.issuperset(value):
        raise Unusual
    low, high = value.get("low"), value.get("high")
    if (low is None or type(low) is int) and (high is None or type(high) is int):
        return low, high
    raise Unusual


_COUNT_SLOTS = {"civilians": 0, "combatants": 1, "unknown": 2, "children": -1, "women": -1}


def _counts(value: Any) -> list[Bounds]:
    """[civilians, combatants, unknown] of a stored casualty count."""
    if type(value) is not dict or not _COUNT_KEYS.issuperset(value):
        raise Unusual
    found = [_NONE, _NONE, _NONE]
    for key, r in value.items():
        slot = _COUNT_SLOTS[key]
        if r is None:
            if slot >= 0:  # only children and women may be null
                raise Unusual
            continue
        bounds = _bounds(r)
        if slot >= 0:
            found[slot] = bounds
    return found


_PLACE_DEFAULTS: dict[str, Any] = {
    name: None if field.is_required() else field.get_default(call_default_factory=True)
    for name, field in ResolvedPlace.model_fields.items()
}


def _place(value: Any) -> dict[str, Any] | None:
    """A stored place as ResolvedPlace dumps it (defaults filled, whole numbers as floats)."""
    if value is None:
        return None
    if type(value) is not dict or not _PLACE_KEYS.issuperset(value):
        raise Unusual
    p = {**_PLACE_DEFAULTS, **value}
    if type(p["name"]) is not str or p["precision"] not in _PRECISIONS:
        raise Unusual
    for key in ("lat", "lon", "score"):
        if type(p[key]) is not float:
            p[key] = _float(p[key])
    if p["score"] is None or type(p["centroid"]) is not bool:
        raise Unusual
    _int(p["place_id"])
    for key in ("admin1", "country", "reason"):
        _str(p[key])
    rejected = p["rejected"]
    if type(rejected) is not list or any(type(r) is not dict for r in rejected):
        raise Unusual
    return p


def _actor(value: Any) -> tuple[str, str, str]:
    a = _dict(value, _ACTOR_KEYS)
    actor_id, name = a.get("actor_id"), a.get("name")
    attribution = a.get("attribution", "stated")
    if type(actor_id) is not str or type(name) is not str or attribution not in _ATTRIBUTIONS:
        raise Unusual
    _str(a.get("mention"))
    return actor_id, name, attribution


def _target(value: Any) -> tuple[str, str | None, int | None]:
    t = _dict(value, _TARGET_KEYS)
    category = t.get("category")
    if type(category) is not str:
        raise Unusual
    return category, _str(t.get("name")), _int(t.get("facility_id"))


def _total(civilians: Bounds, combatants: Bounds, unknown: Bounds) -> Bounds:
    """:func:`docket.link.core.casualty_total` on bounds."""
    parts = [r for r in (civilians, combatants, unknown) if r != _NONE]
    if not parts:
        return _NONE
    if len(parts) == 1:
        return parts[0]
    lows = [r[0] for r in parts if r[0] is not None]
    highs = [r[1] for r in parts]
    high = None if None in highs else sum(highs)  # type: ignore[arg-type]
    return (sum(lows) if lows else None), high


_DAYS: dict[str, dt.date] = {}


def _day(text: str) -> dt.date:
    day = _DAYS.get(text)
    if day is None:
        if not _DAY.fullmatch(text):
            raise Unusual
        try:
            day = _DAYS[text] = dt.date.fromisoformat(text)
        except ValueError:
            raise Unusual from None
    return day


def json_claim(row: tuple[int, int, int | None, str, str]) -> JsonClaim:
    """A stored claim row as plain values; raises :class:`Unusual` where pydantic would step in."""
    cid, doc, inc, _status, text = row
    try:
        d = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise Unusual from None
    if type(d) is not dict or not _CLAIM_KEYS.issuperset(d):
        raise Unusual
    get = d.get
    day_text = get("date")
    day = None if day_text is None else _day(_str(day_text))  # type: ignore[arg-type]
    precision = get("date_precision")
    if precision is not None and precision not in _DATE_PRECISIONS:
        raise Unusual
    weapons = _list(get("weapons", []))
    if any(type(w) is not str for w in weapons):
        raise Unusual
    casualties = get("casualties", _NO_CASUALTIES)
    if type(casualties) is not dict or not _CASUALTY_KEYS.issuperset(casualties):
        raise Unusual
    civilians, combatants, unknown = _counts(casualties.get("killed", _NO_COUNT))
    injured = _total(*_counts(casualties.get("injured", _NO_COUNT)))
    victims = _list(get("victims", []))
    for victim in victims:
        _actor(victim)
    return JsonClaim(
        cid,
        doc,
        inc,
        _str(get("event_type")),
        day,
        day_text,
        precision,
        _place(get("place")),
        [_actor(a) for a in _list(get("perpetrators", []))],
        bool(victims),
        weapons,
        [_target(t) for t in _list(get("targets", []))],
        civilians,
        combatants,
        unknown,
        injured,
    )


_NO_CASUALTIES: dict[str, Any] = {}
_NO_COUNT: dict[str, Any] = {}


# --- reconciling ------------------------------------------------------------------------------


def _range_of(ranges: Sequence[Bounds], ranks: Sequence[int]) -> tuple[Bounds, int | None]:
    """:func:`docket.link.reconcile.reconcile_range` on bounds, in one pass."""
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


def _best_place(claims: Sequence[JsonClaim], ranks: Sequence[int]) -> dict[str, Any] | None:
    placed = [(c.place, rank) for c, rank in zip(claims, ranks, strict=True) if c.place]
    credible = [(p, rank) for p, rank in placed if p["score"] >= 0.5] or placed
    if not credible:
        return None
    if len(credible) == 1:
        return credible[0][0]
    counts: dict[str, int] = {}
    for p, _ in credible:
        counts[p["name"]] = counts.get(p["name"], 0) + 1
    best, best_key = credible[0][0], None
    for p, rank in credible:
        key = (_PRECISIONS[p["precision"]], int(p["lat"] is not None), counts[p["name"]], rank)
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


def _disagreements(
    claims: Sequence[JsonClaim], labels: Sequence[str], killed: Sequence[tuple[Bounds, str]]
) -> list[str]:
    found: list[str] = []
    if len(claims) == 1:  # one source cannot disagree with itself
        return found
    days = {c.date for c in claims if c.date and c.date_precision in (None, "day")}
    if len(days) > 1:
        found.append(
            "date: "
            + "; ".join(
                f"{c.date_text} ({label})"
                for c, label in zip(claims, labels, strict=True)
                if c.date in days
            )
        )
    figures = [(r, src) for r, src in killed if r != _NONE]
    if figures:
        lows = [min(p for p in r if p is not None) for r, _ in figures]
        highs = [max(p for p in r if p is not None) for r, _ in figures]
        if min(highs) < max(lows) and (
            max(lows) > 1.5 * max(min(highs), 1) or max(lows) - min(highs) > 3
        ):
            found.append(
                "killed: " + "; ".join(f"{_fmt_bounds(*r)} ({src or '?'})" for r, src in figures)
            )
    named = {c.id: _stated(c) for c in claims}
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


def _features(
    claims: Sequence[JsonClaim], infos: Mapping[int, SourceInfo], combatants_only: bool
) -> GradeFeatures:
    """:func:`docket.link.grading.grade_features` without log matches."""
    rules = grading_rules()
    docs = sorted({c.document_id for c in claims if c.document_id is not None})
    doc_infos = [infos.get(d) or SourceInfo(document_id=d) for d in docs]
    groups = origins(doc_infos, rules.syndication_similarity)
    f = GradeFeatures(sources=len(doc_infos), independent_sources=len(groups))
    f.kinds = sorted({i.kind for i in doc_infos})
    f.credible_sources = sum(1 for g in groups if any(i.kind in rules.credible_kinds for i in g))
    for g in groups:
        if len(g) > 1:
            f.copies.append(", ".join(i.source or f"document {i.document_id}" for i in g))
    stated = [s for s in map(_stated, claims) if s]
    f.perpetrator_conflict = len(stated) > 1 and not set.intersection(*stated)
    f.media_evidence = "media" in f.kinds
    f.named_victims = any(c.has_victims for c in claims)
    f.combatants_only = combatants_only
    f.facts = _facts(f, ())
    return f


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


@cache
def _rank_of() -> dict[str, int]:
    return source_ranks()


def assess_json(
    claims: Sequence[JsonClaim], infos: Mapping[int, SourceInfo], window: ObservationWindow
) -> tuple[dict[str, Any], str] | None:
    """A new incident of ``claims``: (columns, canonical JSON) as ``prepare_incident`` gives
    them after ``LinkOps._assess``; ``None`` when observations may match (the record path)."""
    date_low, date_high = _dates(claims)
    if window.may_match(date_low, date_high):
        return None
    ranks_of = _rank_of()
    doc_infos = [infos.get(c.document_id or -1) for c in claims]
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
    place = _best_place(claims, ranks)
    perpetrators = _perpetrators(claims)
    event_type = _event_type(claims, ranks)
    counted = [c for c, k in zip(claims, killed_totals, strict=True) if k != _NONE]
    combatants_only = bool(counted) and all(
        c.civilians == _NONE and c.unknown == _NONE and c.combatants != _NONE for c in counted
    )
    value, reasons = grade(_features(claims, infos, combatants_only))
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
                "killed": _dump(k),
                "civilians_killed": _dump(c.civilians),
                "injured": _dump(c.injured),
            }
            for c, label, k in zip(claims, labels, killed_totals, strict=True)
        ],
        "disagreements": _disagreements(
            claims, labels, list(zip(killed_totals, labels, strict=True))
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
        "place_name": place["name"] if place else None,
        "admin1": place["admin1"] if place else None,
        "country": place["country"] if place else None,
        "lat": place["lat"] if place else None,
        "lon": place["lon"] if place else None,
        "precision": place["precision"] if place else None,
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
