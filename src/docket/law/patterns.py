"""Pattern findings across incidents: the figures that bear on "widespread" and "systematic".

These are figures, not conclusions: how many attacks, how far apart, how many victims (scale,
"widespread"), and how often the same kind of target, weapon and perpetrator recur, the same site is
hit again, and sites whose coordinates were shared are hit ("systematic"). Every figure keeps the
incidents behind it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from docket import vocab
from docket.domain import Incident, Range
from docket.law.facts import facilities_of


@dataclass
class PatternFigure:
    key: str
    label: str
    value: str
    incident_ids: list[int] = field(default_factory=list)


@dataclass
class Patterns:
    widespread: list[PatternFigure]
    systematic: list[PatternFigure]

    def as_dict(self) -> dict[str, list[dict[str, object]]]:
        return {
            "widespread": [vars(f) for f in self.widespread],
            "systematic": [vars(f) for f in self.systematic],
        }


def _ids(incidents: Sequence[Incident]) -> list[int]:
    return [i.id for i in incidents if i.id is not None]


def sum_ranges(ranges: Sequence[Range]) -> Range:
    """Sum of lows and sum of highs; a range with only a minimum counts that minimum as its high."""
    low = high = 0
    known = False
    for r in ranges:
        a, b = r.low, r.high
        if a is None and b is None:
            continue
        known = True
        low += a or 0
        high += b if b is not None else (a or 0)
    return Range(low=low, high=high) if known else Range()


def range_text(r: Range) -> str:
    """``"66–82"``, ``"5"`` or ``"unknown"``."""
    if r.is_empty:
        return "unknown"
    if r.high is None:
        return f"at least {r.low or 0}"
    if r.low == r.high:
        return str(r.low)
    return f"{r.low or 0}–{r.high}"


def _span(first: dt.date, last: dt.date) -> str:
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%B %Y}"
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


@dataclass
class Spread:
    """What the "widespread" figures are made of (computed here, or taken from findings)."""

    ids: list[int]
    areas: dict[str, list[int]]
    place_count: int
    placed_ids: list[int]
    month_count: int
    dated_ids: list[int]
    first: dt.date | None
    last: dt.date | None
    killed: Range
    killed_ids: list[int]
    civilians: Range
    civilian_ids: list[int]
    injured: Range
    injured_ids: list[int]


def spread_of(incidents: Sequence[Incident]) -> Spread:
    areas: dict[str, list[int]] = defaultdict(list)
    places: set[str] = set()
    placed: list[int] = []
    months: set[str] = set()
    dated: list[int] = []
    with_killed, with_civilians, with_injured = [], [], []
    for i in incidents:
        iid = i.id or 0
        place = i.place
        if place is not None:
            places.add(place.name)
            placed.append(iid)
            if place.admin1:
                areas[place.admin1].append(iid)
        if i.date_low:
            months.add(i.date_low.isoformat()[:7])
            dated.append(iid)
        if i.killed.low is not None or i.killed.high is not None:
            with_killed.append(i)
        if i.civilians_killed.low is not None or i.civilians_killed.high is not None:
            with_civilians.append(i)
        if i.injured.low is not None or i.injured.high is not None:
            with_injured.append(i)
    days = [i.date_low for i in incidents if i.date_low]
    return Spread(
        ids=_ids(incidents),
        areas=dict(areas),
        place_count=len(places),
        placed_ids=placed,
        month_count=len(months),
        dated_ids=dated,
        first=min(days) if days else None,
        last=max(days) if days else None,
        killed=sum_ranges([i.killed for i in with_killed]),
        killed_ids=_ids(with_killed),
        civilians=sum_ranges([i.civilians_killed for i in with_civilians]),
        civilian_ids=_ids(with_civilians),
        injured=sum_ranges([i.injured for i in with_injured]),
        injured_ids=_ids(with_injured),
    )


def widespread(incidents: Sequence[Incident], spread: Spread | None = None) -> list[PatternFigure]:
    s = spread or spread_of(incidents)
    span = _span(s.first, s.last) if s.first and s.last else "no dates"
    areas = s.areas
    return [
        PatternFigure("incidents", "Incidents", f"{len(s.ids):,}", s.ids),
        PatternFigure(
            "areas",
            "First-level administrative areas affected",
            f"{len(areas)} ({', '.join(sorted(areas))})" if areas else "0",
            sorted({x for v in areas.values() for x in v}),
        ),
        PatternFigure("places", "Distinct places struck", f"{s.place_count:,}", s.placed_ids),
        PatternFigure("months", "Months with attacks", f"{s.month_count} ({span})", s.dated_ids),
        PatternFigure(
            "killed", "People killed (sum of lows–sum of highs)", range_text(s.killed), s.killed_ids
        ),
        PatternFigure(
            "civilians_killed", "Civilians killed", range_text(s.civilians), s.civilian_ids
        ),
        PatternFigure("injured", "People injured", range_text(s.injured), s.injured_ids),
    ]


def _top(
    counter: dict[str, list[int]], total: int, label: str, key: str, names: dict[str, str]
) -> list[PatternFigure]:
    figures = []
    for value, ids in sorted(counter.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(ids) < 2:
            continue
        share = round(100 * len(ids) / total) if total else 0
        figures.append(
            PatternFigure(
                f"{key}:{value}",
                f"{label}: {names.get(value, value)}",
                f"{len(ids)} of {total} ({share}%)",
                ids,
            )
        )
    return figures


def systematic(incidents: Sequence[Incident]) -> list[PatternFigure]:
    total = len(incidents)
    by_target: dict[str, list[int]] = defaultdict(list)
    by_weapon: dict[str, list[int]] = defaultdict(list)
    by_perp: dict[str, list[int]] = defaultdict(list)
    by_combo: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    target_names = {k: t.name for k, t in vocab.targets().items()}
    weapon_names = {k: t.name for k, t in vocab.weapons().items()}
    perp_names: dict[str, str] = {}
    for i in incidents:
        iid = i.id or 0
        categories = {t.category for t in i.targets}
        weapons = set(i.weapons)
        for c in categories:
            by_target[c].append(iid)
        for w in weapons:
            by_weapon[w].append(iid)
        for p in i.perpetrators:
            by_perp[p.actor_id].append(iid)
            perp_names[p.actor_id] = p.name
            for w in weapons:
                for c in categories:
                    by_combo[(p.actor_id, w, c)].append(iid)
    combos = {
        f"{perp_names[a]} / {weapon_names.get(w, w)} / {target_names.get(c, c)}": ids
        for (a, w, c), ids in by_combo.items()
        if len(ids) > 1
    }
    figures = _top(by_target, total, "Same type of target", "target", target_names)
    figures += _top(by_weapon, total, "Same weapon", "weapon", weapon_names)
    figures += _top(by_perp, total, "Same alleged perpetrator", "perpetrator", perp_names)
    figures += _top(combos, total, "Same perpetrator, weapon and target", "combination", {})
    figures += repeated_sites(incidents)
    deconflicted = [i for i in incidents if any(f.deconflicted for f in facilities_of(i))]
    figures.append(
        PatternFigure(
            "deconflicted",
            "Sites hit whose coordinates had been shared (deconfliction)",
            str(len(deconflicted)),
            _ids(deconflicted),
        )
    )
    return figures


def site_groups(incidents: Sequence[Incident]) -> dict[str, list[Incident]]:
    """Incidents grouped by the site they hit (facility, else a ~500 m cell for exact points)."""
    groups: dict[str, list[Incident]] = defaultdict(list)
    for i in incidents:
        keys = {f.key for f in facilities_of(i) if f.key}
        if not keys and i.place and i.place.precision.value == "site" and i.place.lat is not None:
            keys = {f"cell:{round(i.place.lat / 0.005)}:{round((i.place.lon or 0) / 0.005)}"}
        for key in keys:
            groups[key].append(i)
    return groups


def repeated_sites(incidents: Sequence[Incident], most: int = 25) -> list[PatternFigure]:
    """The sites struck more than once (the ``most`` most struck in detail), then their total."""
    repeated = [(k, v) for k, v in site_groups(incidents).items() if len(v) > 1]
    repeated.sort(key=lambda kv: (-len(kv[1]), kv[0]))
    figures = []
    for key, hits in repeated[:most]:
        name = next((f.name for i in hits for f in facilities_of(i) if f.name), None)
        where = name or (hits[0].place.name if hits[0].place else key)
        dates = sorted({f"{i.date_low:%-d %b %Y}" for i in hits if i.date_low})
        figures.append(
            PatternFigure(
                f"site:{key}",
                f"Same site struck repeatedly: {where}",
                f"{len(hits)} strikes ({', '.join(dates)})",
                _ids(hits),
            )
        )
    return figures


def find_patterns(incidents: Sequence[Incident], spread: Spread | None = None) -> Patterns:
    """Both sets of figures; ``spread`` saves a pass when the caller has those totals already."""
    return Patterns(widespread(incidents, spread), systematic(incidents))
