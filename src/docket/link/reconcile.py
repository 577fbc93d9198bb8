"""Reconciling the claims of one incident: date range, best place, casualties low / best / high.

Casualties follow UCDP's idea: *low* is the lowest credible figure, *high* the highest credible one
(an open "at least N" contributes N), *best* is the figure of the most reliable, most specific
source (source kinds are ranked in ``data/grading.yaml``; a point figure is more specific than a
range). Every source's own figures stay on the incident (``source_figures``) and disagreements are
listed as data, never averaged away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel

from docket.domain import (
    ActorRef,
    Claim,
    Incident,
    LocationPrecision,
    Range,
    SourceFigure,
    TargetRef,
)
from docket.link.core import date_bounds
from docket.vocab import load_yaml

Bounds = tuple[int | None, int | None]  # a Range as (low, high)
NO_BOUNDS: Bounds = (None, None)
_PRECISIONS = {p.value: -i for i, p in enumerate(LocationPrecision)}  # site highest
_R = TypeVar("_R", bound=BaseModel)


def _record(cls: type[_R], **values: Any) -> _R:
    """``cls.model_construct(**values)`` for trusted values naming every field, without pydantic's
    per-field alias and default lookups (hot path: a million claims, ~5x faster)."""
    record = cls.__new__(cls)
    fields = {name: values[name] for name in cls.__pydantic_fields__}  # declared order
    object.__setattr__(record, "__dict__", fields)
    object.__setattr__(record, "__pydantic_fields_set__", set(fields))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record


class SourceInfo(NamedTuple):
    """What reconciliation and grading need to know about a claim's document (a tuple: a link
    run makes a million)."""

    document_id: int
    source: str | None = None
    kind: str = "other"
    url: str | None = None
    text_sha256: str | None = None
    text_head: str = ""


@cache
def source_ranks() -> dict[str, int]:
    """Reliability rank per source kind (higher is more reliable), from ``data/grading.yaml``."""
    raw = load_yaml("grading.yaml")
    return {str(k): int(v) for k, v in (raw.get("source_kind_rank") or {}).items()}


class PlainClaim(NamedTuple):
    """What reconciliation and grading read of one claim, as plain values: the record path makes
    them from :class:`Claim` records (:func:`plain_claim`), a link run's hot path straight from the
    stored JSON (:func:`docket.link.assess.json_claim`); the rules below read only these."""

    id: int | None
    document_id: int | None
    incident_id: int | None
    event_type: str | None
    date: dt.date | None
    date_precision: str | None
    # a ResolvedPlace or its decoded JSON (name, precision, lat, score are read), kept as given:
    # the incident's place is the chosen claim's
    place: Any
    perpetrators: list[tuple[str, str, str]]  # actor id, name, attribution
    names_victims: bool  # its evidence names a victim (Claim.named_victims), not "civilians"
    weapons: list[str]
    targets: list[tuple[str, str | None, int | None]]  # category, name, facility id
    civilians: Bounds
    combatants: Bounds
    unknown: Bounds
    injured: Bounds  # total


def bounds_total(civilians: Bounds, combatants: Bounds, unknown: Bounds) -> Bounds:
    """:func:`docket.link.core.casualty_total` on bounds."""
    if combatants == NO_BOUNDS and unknown == NO_BOUNDS:
        return civilians
    parts = [r for r in (civilians, combatants, unknown) if r != NO_BOUNDS]
    if not parts:
        return NO_BOUNDS
    if len(parts) == 1:
        return parts[0]
    lows = [r[0] for r in parts if r[0] is not None]
    highs = [r[1] for r in parts]
    high = None if None in highs else sum(highs)  # type: ignore[arg-type]
    return (sum(lows) if lows else None), high


def _bounds(r: Range) -> Bounds:
    return r.low, r.high


def plain_claim(c: Claim) -> PlainClaim:
    """A claim record as the rules read it (enums stay: they are the strings they stand for)."""
    killed, injured = c.casualties.killed, c.casualties.injured
    return PlainClaim(
        c.id,
        c.document_id,
        c.incident_id,
        c.event_type,
        c.date,
        c.date_precision.value if c.date_precision else None,
        c.place,
        [(a.actor_id, a.name, a.attribution) for a in c.perpetrators],
        bool(c.named_victims),
        c.weapons,
        [(t.category, t.name, t.facility_id) for t in c.targets],
        _bounds(killed.civilians),
        _bounds(killed.combatants),
        _bounds(killed.unknown),
        bounds_total(
            _bounds(injured.civilians), _bounds(injured.combatants), _bounds(injured.unknown)
        ),
    )


# --- the rules ----------------------------------------------------------------------------------


def _extent(lo: int | None, hi: int | None) -> tuple[int, int] | None:
    """(lowest, highest) figure of a range; ``None`` when it has none."""
    if lo is None:
        return None if hi is None else (hi, hi)
    if hi is None:
        return lo, lo
    return (lo, hi) if lo <= hi else (hi, lo)


def range_of(ranges: Sequence[Bounds], ranks: Sequence[int]) -> tuple[Bounds, int | None]:
    """(low/high range, best figure) of (low, high) ranges and their sources' ranks, in one pass;
    empty ranges are ignored. The best is the most reliable source's, then a point figure's."""
    if len(ranges) == 1:  # a single claim's figures, the most common case
        lo, hi = ranges[0]
        if lo is None or hi is None:
            point = lo if hi is None else hi
            return (point, point), point
        return ((lo, hi) if lo <= hi else (hi, lo)), lo
    low = high = best = None
    best_key: tuple[int, bool] | None = None
    for (lo, hi), rank in zip(ranges, ranks, strict=True):
        extent = _extent(lo, hi)
        if extent is None:
            continue
        smallest, largest = extent
        if low is None or smallest < low:
            low = smallest
        if high is None or largest > high:
            high = largest
        key = (rank, lo is not None and lo == hi)  # more reliable, then a point figure
        if best_key is None or key > best_key:
            best_key, best = key, lo if lo is not None else hi
    return (low, high), best


def reconcile_range(figures: Sequence[tuple[Range, int]]) -> tuple[Range, int | None]:
    """:func:`range_of` on (range, source rank) pairs of records."""
    (low, high), best = range_of([_bounds(r) for r, _ in figures], [rank for _, rank in figures])
    return _record(Range, low=low, high=high), best


def _dates(claims: Sequence[PlainClaim]) -> tuple[dt.date | None, dt.date | None]:
    exact = [c.date for c in claims if c.date and c.date_precision in (None, "day")]
    if exact:
        return min(exact), max(exact)
    bounds = [date_bounds(c.date, c.date_precision) for c in claims if c.date]
    if not bounds:
        return None, None
    lo = max(b[1] for b in bounds)
    hi = min(b[2] for b in bounds)
    if lo > hi:  # vague dates that do not overlap: keep the whole span
        lo, hi = min(b[1] for b in bounds), max(b[2] for b in bounds)
    return dt.date.fromordinal(lo), dt.date.fromordinal(hi)


def _best_place(claims: Sequence[PlainClaim], ranks: Sequence[int]) -> Any:
    """The most precise credible place; among equals the most often named, then most reliable."""
    if len(claims) == 1:
        return claims[0].place or None
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
        key = (_PRECISIONS[p.precision], p.lat is not None, counts[p.name], rank)
        if best_key is None or key > best_key:
            best, best_key = p, key
    return best


def _perpetrators(claims: Sequence[PlainClaim]) -> list[tuple[str, str, str]]:
    """Every actor any source names; ``stated`` when one source states it, else ``suspected``."""
    found: dict[str, tuple[str, str, str]] = {}
    for c in claims:
        for actor in c.perpetrators:
            known = found.get(actor[0])
            if known is None or (actor[2] == "stated" and known[2] != "stated"):
                found[actor[0]] = actor
    return list(found.values())


def _event_type(claims: Sequence[PlainClaim], ranks: Sequence[int]) -> str | None:
    """The type most (and most reliable) sources give; ties to the first named."""
    if len(claims) == 1:
        return claims[0].event_type or None
    votes: dict[str, int] = {}
    for c, rank in zip(claims, ranks, strict=True):
        if c.event_type:
            votes[c.event_type] = votes.get(c.event_type, 0) + 1 + rank
    return max(votes, key=votes.__getitem__) if votes else None


def stated_actors(c: PlainClaim) -> set[str]:
    return {a for a, _, attribution in c.perpetrators if attribution == "stated"}


def attributions_conflict(stated: Sequence[set[str]]) -> bool:
    """Whether sources state perpetrators no two of them share."""
    named = [s for s in stated if s]
    return len(named) > 1 and not set.intersection(*named)


def _disagreements(
    claims: Sequence[PlainClaim],
    labels: Sequence[str],
    killed: Sequence[Bounds],
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
                [
                    f"{c.date} ({label})"
                    for c, label in zip(claims, labels, strict=True)
                    if c.date in days
                ]
            )
        )
    # the figures disagree when the highest of the lowest figures is well above the lowest of
    # the highest ones
    most_low = least_high = None
    for lo, hi in killed:
        extent = _extent(lo, hi)
        if extent is None:
            continue
        lowest, highest = extent
        if most_low is None or lowest > most_low:
            most_low = lowest
        if least_high is None or highest < least_high:
            least_high = highest
    if (
        most_low is not None
        and least_high is not None
        and least_high < most_low
        and (most_low > 1.5 * max(least_high, 1) or most_low - least_high > 3)
    ):
        found.append(
            "killed: "
            + "; ".join(
                [
                    f"{_fmt_bounds(*r)} ({src or '?'})"
                    for r, src in zip(killed, labels, strict=True)
                    if r != NO_BOUNDS
                ]
            )
        )
    if sum(1 for s in stated if s) < 2:  # no two sources state perpetrators: no conflict
        return found
    named = {c.id: s for c, s in zip(claims, stated, strict=True)}
    if attributions_conflict(list(named.values())):
        found.append(
            "perpetrator: "
            + "; ".join(
                f"{', '.join(name for _, name, _ in c.perpetrators)} ({label})"
                for c, label in zip(claims, labels, strict=True)
                if named[c.id]
            )
        )
    return found


class Reconciled(NamedTuple):
    """An incident's values reconciled from its claims (ranges as (low, high))."""

    claim_ids: list[int]
    event_type: str | None
    date_low: dt.date | None
    date_high: dt.date | None
    place: Any  # the chosen claim's place
    perpetrators: list[tuple[str, str, str]]
    weapons: list[str]
    targets: list[tuple[str, str | None, int | None]]
    killed: Bounds
    killed_best: int | None
    civilians: Bounds
    injured: Bounds
    injured_best: int | None
    combatants: Bounds
    labels: list[str]  # each claim's source label
    killed_totals: list[Bounds]  # each claim's
    disagreements: list[str]
    sources: dict[int, SourceInfo | None]  # every document of the claims
    stated: list[set[str]]  # each claim's stated perpetrators


def reconcile_claims(claims: Sequence[PlainClaim], infos: Mapping[int, SourceInfo]) -> Reconciled:
    """The rules: date range, best place, casualties low / best / high, disagreements."""
    ranks_of = source_ranks()
    sources: dict[int, SourceInfo | None] = {}
    ranks: list[int] = []
    labels: list[str] = []
    killed_totals: list[Bounds] = []
    stated: list[set[str]] = []
    targets: dict[tuple[str, str | None], tuple[str, str | None, int | None]] = {}
    weapons: set[str] = set()
    with_combatants = with_injured = False
    # one pass over the claims for what each contributes (a link run: a million claims)
    for c in claims:
        d = c.document_id
        info = None
        if d is not None:
            info = sources[d] = infos.get(d)
            if not d:
                info = None
        if info is None:
            ranks.append(ranks_of.get("other", 0))
            labels.append(f"document {d}")
        else:
            ranks.append(ranks_of.get(info.kind, 0))
            labels.append(info.source or f"document {d}")
        if c.combatants == NO_BOUNDS and c.unknown == NO_BOUNDS:
            killed_totals.append(c.civilians)
        else:
            killed_totals.append(bounds_total(c.civilians, c.combatants, c.unknown))
            with_combatants = with_combatants or c.combatants != NO_BOUNDS
        with_injured = with_injured or c.injured != NO_BOUNDS
        stated.append(stated_actors(c))
        for target in c.targets:
            targets.setdefault(target[:2], target)
        weapons.update(c.weapons)
    killed, killed_best = range_of(killed_totals, ranks)
    civilians, _ = range_of([c.civilians for c in claims], ranks)
    injured, injured_best = NO_BOUNDS, None
    if with_injured:
        injured, injured_best = range_of([c.injured for c in claims], ranks)
    combatants = (
        range_of([c.combatants for c in claims], ranks)[0] if with_combatants else NO_BOUNDS
    )
    date_low, date_high = _dates(claims)
    return Reconciled(
        sorted([c.id for c in claims if c.id is not None]),
        _event_type(claims, ranks),
        date_low,
        date_high,
        _best_place(claims, ranks),
        _perpetrators(claims),
        sorted(weapons),
        list(targets.values()),
        killed,
        killed_best,
        civilians,
        injured,
        injured_best,
        combatants,
        labels,
        killed_totals,
        _disagreements(claims, labels, killed_totals, stated),
        sources,
        stated,
    )


def _fmt(r: Range) -> str:
    return _fmt_bounds(r.low, r.high)


def _fmt_bounds(low: int | None, high: int | None) -> str:
    if low is not None and low == high:
        return str(low)
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"up to {high}"
    return f"{low}-{high}"


def format_range(r: Range, best: int | None = None) -> str:
    """``"7-25 (best 9)"``, ``"at least 12"``, ``"—"``."""
    if r.is_empty:
        return "—"
    text = _fmt(r)
    if best is not None and not (r.low == r.high == best):
        text += f" (best {best})"
    return text


def _range(r: Bounds) -> Range:
    return _record(Range, low=r[0], high=r[1])


def reconcile(
    claims: Sequence[Claim], infos: Mapping[int, SourceInfo], base: Incident | None = None
) -> Incident:
    """An incident whose values reconcile ``claims`` (keeping ``base``'s id and review fields)."""
    plain = [plain_claim(c) for c in claims]
    return incident_of(plain, reconcile_claims(plain, infos), base)


def incident_of(
    claims: Sequence[PlainClaim], r: Reconciled, base: Incident | None = None
) -> Incident:
    """The incident record of reconciled values (keeping ``base``'s id and review fields)."""
    figures = [
        _record(
            SourceFigure,
            claim_id=c.id or 0,
            document_id=c.document_id,
            source=label,
            killed=_range(killed),
            civilians_killed=_range(c.civilians),
            injured=_range(c.injured),
        )
        for c, label, killed in zip(claims, r.labels, r.killed_totals, strict=True)
    ]
    details = dict(base.details) if base else {}
    details.update(
        {
            "sources": sorted(set(r.labels)),
            "combatants_killed": dump_bounds(r.combatants) if r.combatants != NO_BOUNDS else None,
        }
    )
    fields: dict[str, Any] = {
        "claim_ids": r.claim_ids,
        "event_type": r.event_type,
        "date_low": r.date_low,
        "date_high": r.date_high,
        "place": r.place,
        "perpetrators": [
            _record(ActorRef, actor_id=a, name=name, attribution=attribution, mention=None)
            for a, name, attribution in r.perpetrators
        ],
        "weapons": r.weapons,
        "targets": [
            _record(TargetRef, category=category, name=name, facility_id=facility)
            for category, name, facility in r.targets
        ],
        "killed": _range(r.killed),
        "killed_best": r.killed_best,
        "civilians_killed": _range(r.civilians),
        "injured": _range(r.injured),
        "injured_best": r.injured_best,
        "source_figures": figures,
        "disagreements": r.disagreements,
        "details": details,
    }
    if base is not None:
        return base.model_copy(update=fields)
    # Every value above already has its field's type: no validation (hot path). The defaults are
    # spelled out, as pydantic's model_construct inspects default factories slowly.
    return _record(
        Incident,
        id=None,
        grade=None,
        grade_reasons=[],
        legal_flags=[],
        reviewed=False,
        published=False,
        **fields,
    )


def dump_bounds(r: Bounds) -> dict[str, int | None]:
    """A range as Range dumps it."""
    return {"low": r[0], "high": r[1]}
