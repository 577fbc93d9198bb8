"""The shipped offline boundaries: countries and approximate admin1 areas hold the right towns."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

from docket.report.charts import boundaries


def _area(collection: str, **properties: str):  # type: ignore[no-untyped-def]
    for feature in boundaries()[collection]["features"]:
        if all(feature["properties"].get(k) == v for k, v in properties.items()):
            return shape(feature["geometry"])
    raise AssertionError(f"no {collection} feature with {properties}")


@pytest.mark.parametrize(
    ("town", "lon", "lat", "admin1"),
    [
        ("Ariha", 36.6098, 35.8137, "Idlib"),
        ("Atarib", 36.8302, 36.1385, "Aleppo"),
        ("Kafr Zita", 36.6014, 35.3740, "Hama"),
        ("Douma", 36.4025, 33.5719, "Rif-dimashq"),
    ],
)
def test_boundaries_admin1_areas_hold_their_towns(
    town: str, lon: float, lat: float, admin1: str
) -> None:
    assert _area("admin1", country="SY", admin1=admin1).contains(Point(lon, lat)), town


def test_boundaries_countries() -> None:
    syria = _area("countries", country="SY")
    assert syria.contains(Point(36.29, 33.51))  # Damascus
    assert not syria.contains(Point(35.50, 33.89))  # Beirut
    assert len(boundaries()["countries"]["features"]) == 173
