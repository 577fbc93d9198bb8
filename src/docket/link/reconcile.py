"""Reconciling the claims of one incident: date range, best place, casualties low / best / high.

Casualties follow UCDP's idea: *low* is the lowest credible figure, *high* the highest credible one
(an open "at least N" contributes N), *best* is the figure of the most reliable, most specific
source (source kinds are ranked in ``data/grading.yaml``; a point figure is more specific than a
range). Every source's own figures stay on the incident (``source_figures``) and disagreements are
listed as data, never averaged away.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel

from docket.domain import (
    ActorRef,
    Attribution,
    Claim,
    Incident,
    LocationPrecision,
    Range,
    ResolvedPlace,
    SourceFigure,
    TargetRef,
)
from docket.link.core import casualty_total as total
from docket.link.core import date_bounds
from docket.vocab import load_yaml

_PRECISION_ORDER = [p.value for p in LocationPrecision]  # site first: most precise
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


def _rank(info: SourceInfo | None) -> int:
    return source_ranks().get(info.kind if info else "other", 0)


def _points(r: Range) -> list[int]:
    return [v for v in (r.low, r.high) if v is not None]


def reconcile_range(figures: Sequence[tuple[Range, int]]) -> tuple[Range, int | None]:
    """(low/high range, best figure) from (range, source rank) pairs; empty ranges are ignored."""
    known = [(r, rank) for r, rank in figures if r.low is not None or r.high is not None]
    if not known:
        return _record(Range, low=None, high=None), None
    points = [p for r, _ in known for p in _points(r)]
    low, high = min(points), max(points)

    def specificity(item: tuple[Range, int]) -> tuple[int, int]:
        r, rank = item
        return rank, 1 if r.low is not None and r.low == r.high else 0

    best_range, _ = max(known, key=specificity)
    best = best_range.low if best_range.low is not None else best_range.high
    return _record(Range, low=low, high=high), best


def _label(info: SourceInfo | None, claim: Claim) -> str:
    if info and info.source:
        return info.source
    return f"document {claim.document_id}"


def _place(claims: Sequence[Claim], infos: Mapping[int, SourceInfo]) -> ResolvedPlace | None:
    """The most precise credible place; among equals the most often named, then most reliable."""
    placed = [(c, c.place) for c in claims if c.place is not None]
    credible = [(c, p) for c, p in placed if p.score >= 0.5] or placed
    if not credible:
        return None
    counts = Counter(p.name for _, p in credible)

    def key(item: tuple[Claim, ResolvedPlace]) -> tuple[int, int, int, int]:
        claim, p = item
        return (
            -_PRECISION_ORDER.index(p.precision.value),
            int(p.lat is not None),
            counts[p.name],
            _rank(infos.get(claim.document_id or -1)),
        )

    return max(credible, key=key)[1]


def _perpetrators(claims: Sequence[Claim]) -> list[ActorRef]:
    """Every actor any source names; ``stated`` when one source states it, else ``suspected``."""
    found: dict[str, ActorRef] = {}
    for claim in claims:
        for actor in claim.perpetrators:
            known = found.get(actor.actor_id)
            if known is None or (
                actor.attribution == Attribution.stated and known.attribution != Attribution.stated
            ):
                found[actor.actor_id] = _record(
                    ActorRef,
                    actor_id=actor.actor_id,
                    name=actor.name,
                    attribution=actor.attribution,
                    mention=None,
                )
    return list(found.values())


def _event_type(claims: Sequence[Claim], infos: Mapping[int, SourceInfo]) -> str | None:
    votes: Counter[str] = Counter()
    for c in claims:
        if c.event_type:
            votes[c.event_type] += 1 + _rank(infos.get(c.document_id or -1))
    return votes.most_common(1)[0][0] if votes else None


def _dates(claims: Sequence[Claim]) -> tuple[dt.date | None, dt.date | None]:
    exact = [c.date for c in claims if c.date and c.date_precision in (None, "day")]
    if exact:
        return min(exact), max(exact)
    bounds = [
        date_bounds(c.date, c.date_precision.value if c.date_precision else None)
        for c in claims
        if c.date
    ]
    if not bounds:
        return None, None
    lo = max(b[1] for b in bounds)
    hi = min(b[2] for b in bounds)
    if lo > hi:  # vague dates that do not overlap: keep the whole span
        lo, hi = min(b[1] for b in bounds), max(b[2] for b in bounds)
    return dt.date.fromordinal(lo), dt.date.fromordinal(hi)


def _disagreements(
    claims: Sequence[Claim], infos: Mapping[int, SourceInfo], figures: list[SourceFigure]
) -> list[str]:
    found = []
    days = {c.date for c in claims if c.date and c.date_precision in (None, "day")}
    if len(days) > 1:
        found.append(
            "date: "
            + "; ".join(
                f"{c.date} ({_label(infos.get(c.document_id or -1), c)})"
                for c in claims
                if c.date in days
            )
        )
    killed = [(f.killed, f.source) for f in figures if not f.killed.is_empty]
    if killed:
        lows = [min(_points(r)) for r, _ in killed]
        highs = [max(_points(r)) for r, _ in killed]
        if min(highs) < max(lows) and (
            max(lows) > 1.5 * max(min(highs), 1) or max(lows) - min(highs) > 3
        ):
            found.append("killed: " + "; ".join(f"{_fmt(r)} ({src or '?'})" for r, src in killed))
    named = {
        c.id: {p.actor_id for p in c.perpetrators if p.attribution == Attribution.stated}
        for c in claims
    }
    stated = [s for s in named.values() if s]
    if len(stated) > 1 and not set.intersection(*stated):
        found.append(
            "perpetrator: "
            + "; ".join(
                f"{', '.join(p.name for p in c.perpetrators)} "
                f"({_label(infos.get(c.document_id or -1), c)})"
                for c in claims
                if named[c.id]
            )
        )
    return found


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


def reconcile(
    claims: Sequence[Claim], infos: Mapping[int, SourceInfo], base: Incident | None = None
) -> Incident:
    """An incident whose values reconcile ``claims`` (keeping ``base``'s id and review fields)."""
    figures = [
        _record(
            SourceFigure,
            claim_id=c.id or 0,
            document_id=c.document_id,
            source=_label(infos.get(c.document_id or -1), c),
            killed=total(c.casualties.killed),
            civilians_killed=c.casualties.killed.civilians,
            injured=total(c.casualties.injured),
        )
        for c in claims
    ]
    ranks = [_rank(infos.get(c.document_id or -1)) for c in claims]
    killed, killed_best = reconcile_range(
        [(f.killed, r) for f, r in zip(figures, ranks, strict=True)]
    )
    civilians, _ = reconcile_range(
        [(f.civilians_killed, r) for f, r in zip(figures, ranks, strict=True)]
    )
    injured, injured_best = reconcile_range(
        [(f.injured, r) for f, r in zip(figures, ranks, strict=True)]
    )
    combatants, _ = reconcile_range(
        [(c.casualties.killed.combatants, r) for c, r in zip(claims, ranks, strict=True)]
    )
    date_low, date_high = _dates(claims)
    targets: dict[tuple[str, str | None], TargetRef] = {}
    for c in claims:
        for t in c.targets:
            targets.setdefault((t.category, t.name), t)
    weapons = sorted({w for c in claims for w in c.weapons})
    sources = sorted({_label(infos.get(c.document_id or -1), c) for c in claims})
    details = dict(base.details) if base else {}
    details.update(
        {
            "sources": sources,
            "combatants_killed": combatants.model_dump() if not combatants.is_empty else None,
        }
    )
    fields: dict[str, Any] = {
        "claim_ids": sorted(c.id for c in claims if c.id is not None),
        "event_type": _event_type(claims, infos),
        "date_low": date_low,
        "date_high": date_high,
        "place": _place(claims, infos),
        "perpetrators": _perpetrators(claims),
        "weapons": weapons,
        "targets": list(targets.values()),
        "killed": killed,
        "killed_best": killed_best,
        "civilians_killed": civilians,
        "injured": injured,
        "injured_best": injured_best,
        "source_figures": figures,
        "disagreements": _disagreements(claims, infos, figures),
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
