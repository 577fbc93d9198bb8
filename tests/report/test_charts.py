"""The report's timeline chart, read back from its PNG pixels."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from docket.domain import ActorRef, Incident
from docket.report.charts import PALETTE, UNNAMED_COLOUR, timeline_chart
from docket.report.findings import compute_findings


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _columns_of(png: bytes, colour: str) -> set[int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    wanted = _rgb(colour)
    return {
        x
        for x in range(image.width)
        for y in range(0, image.height, 2)
        if image.getpixel((x, y)) == wanted
    }


def _attack(day: str, perpetrator: str | None = None) -> Incident:
    perps = [ActorRef(actor_id="x", name=perpetrator)] if perpetrator else []
    return Incident(
        event_type="shelling_artillery_missile_attack",
        date_low=dt.date.fromisoformat(day),
        date_high=dt.date.fromisoformat(day),
        perpetrators=perps,
    )


def test_timeline_of_one_month_without_perpetrators_is_one_grey_bar_of_normal_width() -> None:
    png = timeline_chart(compute_findings([_attack("2021-03-12"), _attack("2021-03-13")]))
    width = Image.open(io.BytesIO(png)).width
    grey = _columns_of(png, UNNAMED_COLOUR)
    assert _columns_of(png, PALETTE[0]) == set()  # no party's colour for the unidentified
    bar = [x for x in grey if x < width * 0.8]  # the legend's swatch sits right of the plot
    assert 0 < max(bar) - min(bar) < width / 6
    assert min(bar) > width / 3  # the one month in the middle, not stretched across


def test_timeline_named_party_keeps_the_first_colour_beside_unidentified_attacks() -> None:
    incidents = [_attack("2021-03-12"), _attack("2021-03-20"), _attack("2021-04-02", "Army X")]
    png = timeline_chart(compute_findings(incidents))
    assert (_columns_of(png, PALETTE[0]) != set(), _columns_of(png, UNNAMED_COLOUR) != set()) == (
        True,
        True,
    )
