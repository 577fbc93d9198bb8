"""The gold-shaped JSON of a claim: what ``lat``/``lon`` mean beside Docket's own point."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docket.extract.output import claim_json
from docket.extract.run import extract_text


def only_claim(text: str) -> dict[str, Any]:
    (claim,) = extract_text(text, published=dt.date(2020, 5, 11), language="en").claims
    return claim_json(claim)


def point(claim: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("lat", "lon", "place_lat", "place_lon", "place_precision")
    return tuple(claim[k] for k in keys)


def test_a_geonames_town_fills_lat_and_lon() -> None:
    claim = only_claim("Russian warplanes struck a bakery in the town of Sarmin on Sunday.")
    assert point(claim) == (35.90403, 36.72501, 35.90403, 36.72501, "settlement")


def test_a_village_from_docket_extra_places_keeps_its_point_outside_lat_lon() -> None:
    claim = only_claim(
        "Russian warplanes struck a school in the village of Hass, Idlib, on Sunday."
    )
    assert point(claim) == (None, None, 35.5806, 36.5988, "settlement")


def test_a_province_alone_has_no_lat_lon() -> None:
    claim = only_claim("Shelling hit a market in southern Idlib countryside on Sunday.")
    assert (claim["lat"], claim["lon"], claim["admin1"]) == (None, None, "Idlib")


def test_coordinates_stated_in_the_text_fill_lat_and_lon() -> None:
    claim = only_claim(
        "An air strike hit the clinic in the village of Hass on Sunday "
        "(35.5812, 36.6011), killing two nurses."
    )
    assert point(claim)[:2] == (35.5812, 36.6011)


def test_a_number_pair_far_from_the_named_place_is_not_its_point() -> None:
    claim = only_claim(
        "Shelling hit Ariha in Idlib on 14 February 2020, killing 3 people. "
        "Aid groups counted 12.500, 18.250 displaced families."
    )
    assert (claim["lat"], claim["lon"]) == (35.81374, 36.60964)


def test_stated_coordinates_after_a_long_blank_run_are_still_read() -> None:
    claim = only_claim(
        "An air strike hit the clinic in the village of Hass on Sunday, killing two nurses. "
        "Position: 35.5812," + " " * 5000 + "36.6011."
    )
    assert point(claim)[:2] == (35.5812, 36.6011)
