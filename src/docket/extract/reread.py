"""A document read again: which stored claims its new readings leave, replace, add or drop.

Each stored claim of the extractor's version is paired with at most one new reading of the same
document: first a reading equal to it, then one of the same event (the quotes overlap most, else
the same date and place). Then:

- a claim equal to its reading stays as it is (no twin is added);
- an unreviewed claim takes its different reading in place, keeping its id and its incident
  (unless a person has reviewed that incident: then it is kept as it is);
- a reviewed claim, or one in a reviewed incident, is kept, and its event's reading is not added;
- an unreviewed, unlinked claim no reading is paired with is removed; a linked one is kept (its
  incident is the link stage's to change);
- readings paired with no claim are added.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from docket.domain import Claim, ReviewStatus
from docket.store.claims import claim_to_row

Row = dict[str, Any]  # a reading as its claim_to_row row


@dataclass
class Rereading:
    """What reading one document again does to its stored claims."""

    unchanged: list[Claim] = field(default_factory=list)
    replaced: list[tuple[Claim, Row]] = field(default_factory=list)  # (stored, its new reading)
    removed: list[Claim] = field(default_factory=list)
    kept: list[Claim] = field(default_factory=list)  # reviewed, or linked with no reading
    added: list[Row] = field(default_factory=list)


def plan_rereading(
    stored: Sequence[Claim], readings: Sequence[Row], reviewed_incidents: Collection[int]
) -> Rereading:
    """Pair the ``stored`` claims of a document with its new ``readings`` (see the module)."""
    plan = Rereading()
    left = list(readings)
    differing = []
    for claim in stored:
        content = claim_to_row(claim)["data"]
        same = next((r for r in left if r["data"] == content), None)
        if same is None:
            differing.append(claim)
        else:
            left.remove(same)
            plan.unchanged.append(claim)
    for claim in differing:
        reading = _same_event(claim, left)
        if reading is not None:
            left.remove(reading)
        replaceable = claim.review_status == ReviewStatus.unreviewed and (
            claim.incident_id not in reviewed_incidents
        )
        if reading is not None and replaceable:
            plan.replaced.append((claim, reading))
        elif reading is None and replaceable and claim.incident_id is None:
            plan.removed.append(claim)
        else:
            plan.kept.append(claim)
    plan.added = left
    return plan


def _same_event(claim: Claim, readings: Sequence[Row]) -> Row | None:
    """The reading whose quote overlaps ``claim``'s most, else the first of its date and place."""
    quote = _quote_span([s.model_dump() for s in claim.spans])
    overlaps = [(_overlap(quote, _quote_span(r["data"].get("spans", []))), r) for r in readings]
    best = max(overlaps, key=lambda pair: pair[0], default=(0, None))
    if best[0] > 0:
        return best[1]
    place = claim_to_row(claim)["place_name"]
    return next(
        (r for r in readings if claim.date and (r["date"], r["place_name"]) == (claim.date, place)),
        None,
    )


def _quote_span(spans: Sequence[dict[str, Any]]) -> tuple[int, int] | None:
    return next(((s["start"], s["end"]) for s in spans if s["field"] == "quote"), None)


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))
