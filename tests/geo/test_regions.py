"""A region's own name the gazetteer lacks, read as part of an area ("West Midlands"): kept
when the area lies in a country the text may be about, else placed in the text's area."""

from __future__ import annotations

import pytest

from docket.geo.geocoder import default_geocoder


@pytest.mark.parametrize(
    ("mention", "text", "expected"),
    [
        # Midlands, Zimbabwe, is in no country of a text surely about England: England.
        (
            "East Midlands",
            "Flooding closed roads across the East Midlands in England; England faces more rain.",
            ("England", 52.53102, -1.26491, "admin1", "GB", True),
        ),
        # Plateau, Nigeria, in a text surely about Haiti (no area of it named surely): Haiti.
        (
            "South Plateau",
            "Farmers in South Plateau lost crops, officials in Haiti said; Haiti asked for aid.",
            ("Haiti", 19.0, -72.4167, "country", "HT", True),
        ),
        # A direction written in lower case relates to the place, whatever the text names.
        (
            "southern Homs",
            "Turkish troops shelled villages in southern Homs, Turkey said; Turkey denied it.",
            ("Homs", 34.47098, 38.15026, "admin1", "SY", True),
        ),
        # A text that names no country keeps the reading.
        (
            "East Midlands",
            "Flooding closed roads across the East Midlands.",
            ("Midlands", -19.2785, 29.87909, "admin1", "ZW", True),
        ),
    ],
)
def test_a_reading_around_a_place_in_a_country_the_text_rules_out_is_placed_in_the_texts_area(
    mention: str, text: str, expected: tuple[str, float, float, str, str, bool]
) -> None:
    place = default_geocoder().resolve(mention, context=text)
    assert (
        place.name,
        place.lat,
        place.lon,
        place.precision.value,
        place.country,
        place.centroid,
    ) == expected
