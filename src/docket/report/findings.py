"""Findings: figures over a selection of incidents, each keeping the incidents behind it.

Totals carry casualty ranges (sum of lows, sum of highs; a figure given only as a minimum counts
that minimum as its high), breakdowns go by month, perpetrator, target, weapon, area and grade,
facility impact counts distinct facilities closed or damaged, and two periods can be compared.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from docket import vocab
from docket.domain import Incident, Range
from docket.law.facts import facilities_of
from docket.law.patterns import Spread
from docket.report.scope import Scope

UNKNOWN_PERPETRATOR = "Unidentified"


@dataclass
class Figure:
    """A count of incidents under a label, with casualties and the incidents behind it."""

    key: str
    label: str
    incident_ids: list[int]
    killed: Range = field(default_factory=Range)
    injured: Range = field(default_factory=Range)

    @property
    def count(self) -> int:
        return len(self.incident_ids)

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "label": self.label,
            "count": self.count,
            "killed": self.killed.model_dump(),
            "injured": self.injured.model_dump(),
            "incident_ids": self.incident_ids,
        }


@dataclass
class FacilityImpact:
    """Distinct facilities closed or damaged, by type, with the incidents that hit them."""

    status: str  # closed / damaged
    type: str
    names: list[str]
    incident_ids: list[int]

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass
class Findings:
    scope: Scope
    incidents: list[Incident]
    total: Figure
    civilians_killed: Range
    by_month: list[Figure]
    by_perpetrator: list[Figure]
    by_target: list[Figure]
    by_weapon: list[Figure]
    by_area: list[Figure]
    by_grade: list[Figure]
    facilities: list[FacilityImpact]
    month_by_perpetrator: dict[str, dict[str, int]]
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    spread: Spread | None = None  # the totals behind the "widespread" pattern figures

    def as_dict(self) -> dict[str, object]:
        return {
            "scope": self.scope.describe(),
            "total": self.total.as_dict(),
            "civilians_killed": self.civilians_killed.model_dump(),
            "by_month": [f.as_dict() for f in self.by_month],
            "by_perpetrator": [f.as_dict() for f in self.by_perpetrator],
            "by_target": [f.as_dict() for f in self.by_target],
            "by_weapon": [f.as_dict() for f in self.by_weapon],
            "by_area": [f.as_dict() for f in self.by_area],
            "by_grade": [f.as_dict() for f in self.by_grade],
            "facilities": [vars(f) for f in self.facilities],
        }


class _Columns:
    """Casualty figures of every incident as arrays, so each breakdown sums by index."""

    def __init__(self, incidents: Sequence[Incident]) -> None:
        self.ids = np.array([i.id or 0 for i in incidents], dtype=np.int64)
        self.killed = self._ranges([i.killed for i in incidents])
        self.injured = self._ranges([i.injured for i in incidents])
        self.civilians = self._ranges([i.civilians_killed for i in incidents])

    def ids_where(self, columns: tuple[np.ndarray, np.ndarray, np.ndarray]) -> list[int]:
        return self.ids[columns[2]].tolist()

    @staticmethod
    def _ranges(ranges: Sequence[Range]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        low = np.array([r.low or 0 for r in ranges], dtype=np.int64)
        high = np.array(
            [r.high if r.high is not None else (r.low or 0) for r in ranges], dtype=np.int64
        )
        known = np.array([r.low is not None or r.high is not None for r in ranges], dtype=bool)
        return low, high, known

    @staticmethod
    def total(columns: tuple[np.ndarray, np.ndarray, np.ndarray], at: np.ndarray) -> Range:
        low, high, known = columns
        if not known[at].any():
            return Range()
        return Range(low=int(low[at].sum()), high=int(high[at].sum()))

    def figure(self, key: str, label: str, at: Sequence[int] | np.ndarray) -> Figure:
        at = np.asarray(at, dtype=np.int64)
        return Figure(
            key=key,
            label=label,
            incident_ids=self.ids[at].tolist(),
            killed=self.total(self.killed, at),
            injured=self.total(self.injured, at),
        )


def _figures(
    groups: dict[str, list[int]],
    columns: _Columns,
    names: dict[str, str],
    *,
    order: str = "count",
) -> list[Figure]:
    if order == "key":
        items = sorted(groups.items())
    else:
        items = sorted(groups.items(), key=lambda kv: (-len(kv[1]), names.get(kv[0], kv[0])))
    return [columns.figure(k, names.get(k, k), v) for k, v in items]


def _perpetrators(incident: Incident) -> list[str]:
    return [p.name for p in incident.perpetrators] or [UNKNOWN_PERPETRATOR]


def facility_impact(incidents: Sequence[Incident]) -> list[FacilityImpact]:
    """Distinct facilities whose latest recorded status is closed or damaged, by type."""
    latest: dict[str, tuple[str, str, str, list[int]]] = {}
    for incident in incidents:
        for facility in facilities_of(incident):
            key = facility.key
            if key is None:
                continue
            status = "closed" if facility.closed else "damaged" if facility.damaged else None
            previous = latest.get(key)
            ids = previous[3] if previous else []
            ids.append(incident.id or 0)
            if status is None and previous:
                status = previous[0]
            latest[key] = (status or "", facility.type or "other", facility.name or key, ids)
    grouped: dict[tuple[str, str], FacilityImpact] = {}
    for status, kind, name, ids in latest.values():
        if not status:
            continue
        impact = grouped.setdefault((status, kind), FacilityImpact(status, kind, [], []))
        impact.names.append(name)
        impact.incident_ids.extend(ids)
    for impact in grouped.values():
        impact.incident_ids = list(dict.fromkeys(impact.incident_ids))
    return sorted(grouped.values(), key=lambda f: (f.status != "closed", -f.count, f.type))


def compute_findings(incidents: Sequence[Incident], scope: Scope | None = None) -> Findings:
    """Every figure a report shows, over ``incidents`` (already selected by ``scope``).

    One pass groups incident positions by month, perpetrator, target, weapon, area and grade;
    casualty sums per group are then taken over arrays.
    """
    incidents = list(incidents)
    columns = _Columns(incidents)
    groups: dict[str, dict[str, list[int]]] = {
        name: defaultdict(list) for name in ("month", "perp", "target", "weapon", "area", "grade")
    }
    month_by_perp: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    places: set[str] = set()
    placed: list[int] = []
    first: dt.date | None = None
    last: dt.date | None = None
    for n, incident in enumerate(incidents):
        perps = _perpetrators(incident)
        for perp in set(perps):
            groups["perp"][perp].append(n)
        if incident.date_low:
            end = incident.date_high or incident.date_low
            if first is None or incident.date_low < first:
                first = incident.date_low
            if last is None or end > last:
                last = end
            month = incident.date_low.isoformat()[:7]
            groups["month"][month].append(n)
            for perp in set(perps):
                month_by_perp[month][perp] += 1
        for category in {t.category for t in incident.targets}:
            groups["target"][category].append(n)
        for weapon in set(incident.weapons):
            groups["weapon"][weapon].append(n)
        if incident.place is not None:
            places.add(incident.place.name)
            placed.append(n)
            if incident.place.admin1:
                groups["area"][incident.place.admin1].append(n)
        groups["grade"][incident.grade or "ungraded"].append(n)
    targets = {k: t.name for k, t in vocab.targets().items()}
    weapons = {k: t.name for k, t in vocab.weapons().items()}
    total = columns.figure("total", "Incidents", range(len(incidents)))
    ids = columns.ids
    dated = sorted(n for positions in groups["month"].values() for n in positions)
    spread = Spread(
        ids=total.incident_ids,
        areas={k: ids[v].tolist() for k, v in groups["area"].items()},
        place_count=len(places),
        placed_ids=ids[placed].tolist(),
        month_count=len(groups["month"]),
        dated_ids=ids[dated].tolist(),
        first=min((i.date_low for i in incidents if i.date_low), default=None),
        last=max((i.date_low for i in incidents if i.date_low), default=None),
        killed=total.killed,
        killed_ids=columns.ids_where(columns.killed),
        civilians=_Columns.total(columns.civilians, np.arange(len(incidents))),
        civilian_ids=columns.ids_where(columns.civilians),
        injured=total.injured,
        injured_ids=columns.ids_where(columns.injured),
    )
    return Findings(
        scope=scope or Scope(),
        incidents=incidents,
        total=total,
        civilians_killed=spread.civilians,
        by_month=_figures(groups["month"], columns, {}, order="key"),
        by_perpetrator=_figures(groups["perp"], columns, {}),
        by_target=_figures(groups["target"], columns, targets),
        by_weapon=_figures(groups["weapon"], columns, weapons),
        by_area=_figures(groups["area"], columns, {}),
        by_grade=_figures(groups["grade"], columns, {}),
        facilities=facility_impact(incidents),
        month_by_perpetrator={m: dict(v) for m, v in sorted(month_by_perp.items())},
        first_date=first,
        last_date=last,
        spread=spread,
    )


@dataclass
class Comparison:
    """Two periods split at ``pivot`` (e.g. a ceasefire): before is < pivot, after is >= pivot."""

    pivot: dt.date
    before: Findings
    after: Findings

    def as_dict(self) -> dict[str, object]:
        return {
            "pivot": self.pivot.isoformat(),
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
        }


def compare_periods(
    incidents: Sequence[Incident], pivot: dt.date, scope: Scope | None = None
) -> Comparison:
    before = [i for i in incidents if i.date_low and i.date_low < pivot]
    after = [i for i in incidents if i.date_low and i.date_low >= pivot]
    return Comparison(pivot, compute_findings(before, scope), compute_findings(after, scope))
