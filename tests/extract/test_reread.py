"""Pairing a document's stored claims with its new readings (``docket extract --all``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from docket.domain import Claim, ReviewStatus, Span
from docket.extract.reread import plan_rereading
from docket.store.claims import claim_to_row

DAY = dt.date(2021, 3, 7)


def claim(
    quote: tuple[int, int] | None,
    *,
    event: str = "air_drone_strike",
    date: dt.date | None = DAY,
    status: ReviewStatus = ReviewStatus.unreviewed,
    incident: int | None = None,
    id: int | None = None,
) -> Claim:
    spans = [Span(field="quote", start=quote[0], end=quote[1], text="x")] if quote else []
    return Claim(
        id=id,
        document_id=1,
        event_type=event,
        date=date,
        spans=spans,
        extractor="docket-rules",
        extractor_version="1",
        review_status=status,
        incident_id=incident,
    )


def reading(quote: tuple[int, int] | None, **fields: object) -> dict[str, object]:
    return claim_to_row(claim(quote, **fields))  # type: ignore[arg-type]


SHELLING: dict[str, Any] = {"event": "shelling_artillery_missile_attack"}


@pytest.mark.parametrize(
    ("stored", "readings", "expected"),
    [
        # the same reading: left as it is, whatever its status or link
        ([claim((0, 40), id=1, incident=5)], [reading((0, 40))], ([1], [], [], [], 0)),
        (
            [claim((0, 40), id=1, status=ReviewStatus.rejected)],
            [reading((0, 40))],
            ([1], [], [], [], 0),
        ),
        # a new reading of the same event (overlapping quotes): taken in place
        ([claim((0, 40), id=1, incident=5)], [reading((10, 60), **SHELLING)], ([], [1], [], [], 0)),
        ([claim((0, 40), id=1)], [reading((10, 60), **SHELLING)], ([], [1], [], [], 0)),
        # ... or, with no quote to compare, of the same date and place
        ([claim(None, id=1, incident=5)], [reading(None, **SHELLING)], ([], [1], [], [], 0)),
        # a reviewed claim, or one in a reviewed incident, is kept and its reading not added
        (
            [claim((0, 40), id=1, status=ReviewStatus.edited)],
            [reading((0, 40), **SHELLING)],
            ([], [], [], [1], 0),
        ),
        ([claim((0, 40), id=1, incident=9)], [reading((0, 40), **SHELLING)], ([], [], [], [1], 0)),
        # no reading of its event: removed when unlinked, kept when linked
        ([claim((0, 40), id=1)], [reading((50, 90), date=None)], ([], [], [1], [], 1)),
        ([claim((0, 40), id=1, incident=5)], [], ([], [], [], [1], 0)),
        # two events in one sentence: each stored claim pairs with one reading
        (
            [claim((0, 40), id=1, incident=5), claim((0, 40), id=2, incident=5, **SHELLING)],
            [reading((0, 40), date=None, **SHELLING), reading((0, 40))],
            ([1], [2], [], [], 0),
        ),
    ],
)
def test_plan_rereading(
    stored: list[Claim],
    readings: list[dict[str, object]],
    expected: tuple[list[int], list[int], list[int], list[int], int],
) -> None:
    plan = plan_rereading(stored, readings, reviewed_incidents={9})
    assert (
        [c.id for c in plan.unchanged],
        [c.id for c, _ in plan.replaced],
        [c.id for c in plan.removed],
        [c.id for c in plan.kept],
        len(plan.added),
    ) == expected
