"""The build rule that tells a state's published point from its namesake town's point."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_gazetteer.py"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _town(name: str, lat: float, lon: float, *aliases: str) -> dict:
    return {"name": name, "lat": lat, "lon": lon, "aliases": list(aliases)}


# An invented state four degrees across whose namesake city lies at its south-west corner.
CORNER_STATE = [
    _town("Port Alder City", 40.0, -80.0, "Port Alder"),
    _town("Millbrook", 41.0, -79.0),
    _town("Hessel", 42.0, -78.5),
    _town("Ridgeway", 43.0, -77.0),
    _town("Stonefield", 44.0, -76.0),
    _town("Cawley", 42.5, -76.5),
    _town("Brennan", 43.5, -78.0),
]


def test_a_state_point_on_its_namesake_city_at_one_corner_is_the_city_s(
    build: ModuleType,
) -> None:
    assert build._namesake_town_point((40.01, -80.01), {"Port Alder"}, CORNER_STATE) is True


def test_a_state_point_away_from_any_namesake_town_is_kept(build: ModuleType) -> None:
    assert build._namesake_town_point((42.0, -78.0), {"Port Alder"}, CORNER_STATE) is False


def test_a_city_state_keeps_its_point(build: ModuleType) -> None:
    city_state = [
        _town("Kellport", 50.0, 10.0),
        _town("Kellport North", 50.1, 10.0),
        _town("Ashby", 49.9, 10.1),
        _town("Lowmere", 50.05, 9.85),
        _town("Far Isle", 47.0, 14.0),
    ]
    assert build._namesake_town_point((50.0, 10.0), {"Kellport"}, city_state) is False


def test_a_large_area_whose_namesake_capital_lies_near_its_middle_keeps_its_point(
    build: ModuleType,
) -> None:
    around = [_town("Centra", 30.0, 20.0)] + [
        _town(f"Town {n}", 30.0 + dlat, 20.0 + dlon)
        for n, (dlat, dlon) in enumerate([(2, 2), (-2, -2), (2, -2), (-2, 2), (1.5, 0), (0, -1.5)])
    ]
    assert build._namesake_town_point((30.0, 20.0), {"Centra"}, around) is False


AREA_WORDS = {
    "leading": ["Obshtina", "City of"],
    "trailing": ["Rayon", "District"],
    "suffixes": ["-gun"],
}


@pytest.mark.parametrize(
    ("name", "area"),
    [
        ("Velikoye Rayon", True),
        ("Obshtina Kestenovo", True),
        ("City of Marrowby", True),
        ("Harumi-gun", True),
        ("Marrowby District", True),
        ("Port Kestrel", False),
        ("Rayonville", False),
        ("Cityside", False),
        ("Old District Road Halt", False),
    ],
)
def test_names_that_say_they_are_areas(build: ModuleType, name: str, area: bool) -> None:
    assert build._area_name(name, AREA_WORDS) is area


def _row(source_id: int, name: str, country: str, lat: float, lon: float) -> dict[str, str]:
    return {
        "id": str(1_970_000_000 + source_id),
        "name": name,
        "country": country,
        "admin1_code": "07",
        "lat": str(lat),
        "lon": str(lon),
    }


def test_source_rows_the_gazetteer_lacks_become_localities(build: ModuleType) -> None:
    held = [
        {**_town("Kestrel", 50.0, 10.0), "feature": "city", "cc": "XA"},
        {**_town("Marrow Vale", 48.0, 12.0, "Marrow"), "feature": "admin2", "cc": "XA"},
    ]
    rows = [
        _row(1, "Kestrel", "XA", 50.1, 10.0),  # 11 km from the town: the town
        _row(2, "Kestrel", "XA", 50.4, 10.0),  # 44 km, same country: the town again
        _row(3, "Kestrel", "XB", 50.27, 10.0),  # 30 km, across a border: another place
        _row(4, "Marrow", "XA", 45.0, 15.0),  # named like an area of its country
        _row(5, "German", "XA", 46.0, 11.0),  # a people's name
        _row(6, "Lesno Rayon", "XA", 46.5, 11.0),  # an area by its name
        _row(7, "Brindlemoor", "XA", 47.0, 11.0),
        _row(8, "Brindlemoor", "XA", 47.02, 11.0),  # the same village listed twice
        _row(9, "Orvay/Orbai", "XA", 46.0, 13.0),  # one village's names in two languages
        _row(10, "Kestrel/Kestrelle", "XA", 50.05, 10.0),  # the town under two names
    ]
    found = build._new_localities(rows, held, AREA_WORDS, ["German", "# a comment"])
    assert [(p["id"], p["name"], p["aliases"], p["cc"], p["feature"]) for p in found] == [
        (1_970_000_003, "Kestrel", [], "XB", "locality"),
        (1_970_000_007, "Brindlemoor", [], "XA", "locality"),
        (1_970_000_009, "Orvay", ["Orbai"], "XA", "locality"),
    ]
    assert {p["population"] for p in found} == {0}
    assert (found[1]["lat"], found[1]["lon"], found[1]["a1code"]) == (47.0, 11.0, "07")
