"""Write ``src/docket/data/places/csc_places.csv.gz``: towns and villages the gazetteer lacks.

``countrystatecity-countries`` (PyPI; data from the countries-states-cities database, ODbL 1.0)
lists some 152,000 populated places (name, state, point; no population). About one in eight has no
place of the same name within ``NEAR_KM`` in Docket's gazetteer: suburbs, small towns and villages
missing from GeoNames cities500. This copies those, once, into the project's data file, so that the
package is not a dependency; ``build_gazetteer.py`` adds them as feature ``locality`` (size
unknown), leaving out the rows whose names say they are areas (``area_words.yaml``).

Each row's first-level area is given as GeoNames' admin1 code, the build's key for areas: the code
most of the source's places of the same state carry in the gazetteer (places matched by name
within ``NEAR_KM``), else the code of the nearest gazetteer town.

    pip download --no-deps countrystatecity-countries==2.0.1 -d /tmp/csc
    unzip -q /tmp/csc/*.whl -d /tmp/csc
    PYTHONPATH=src python scripts/csc_places.py /tmp/csc/countrystatecity_countries/data

The gazetteer it compares with is the packaged one, less the rows an earlier run of this script
added (ids from ``CSC_PLACE_BASE``), so a rerun after a rebuild writes the same file.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from docket.geo.gazetteer import GazPlace, distance_km, packaged_gazetteer
from docket.geo.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "docket" / "data" / "places" / "csc_places.csv.gz"
# Gazetteer ids of these rows: CSC_PLACE_BASE + the source's own city id (stable across runs).
CSC_PLACE_BASE = 1_970_000_000
# A source place with a gazetteer place of the same name this close is that place.
NEAR_KM = 15.0
SETTLEMENTS = ("city", "capital", "locality")
HEADER = (
    "# Towns and villages missing from Docket's gazetteer, copied once by scripts/csc_places.py\n"
    "# from countrystatecity-countries 2.0.1 (PyPI): data of the countries-states-cities\n"
    "# database (github.com/dr5hn/countries-states-cities-database), ODbL 1.0. This file is a\n"
    "# derived database and stays under ODbL 1.0; credit countries-states-cities-database.\n"
    "# admin1_code is GeoNames' code of the first-level area (see the script's docstring).\n"
)


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit("usage: python scripts/csc_places.py PACKAGE_DATA_DIR")
    gaz = packaged_gazetteer()
    known = [p for p in gaz.places if not _copied(p)]
    cities = _source_cities(Path(argv[0]))
    codes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    lacking = []
    for city in cities:
        named = [p for p in gaz.lookup_key(normalize(city["name"])) if not _copied(p)]
        near = _same_named_near(city, named)
        if near is None:
            lacking.append(city)
        elif near.feature in SETTLEMENTS and near.country == city["country_code"]:
            codes[(city["country_code"], city["state_code"])][near.admin1_code] += 1
    towns = _town_grid(known)
    rows = []
    for city in lacking:
        voted = codes.get((city["country_code"], city["state_code"]))
        code = voted.most_common(1)[0][0] if voted else _nearest_code(towns, city)
        rows.append(
            (
                CSC_PLACE_BASE + int(city["id"]),
                city["name"],
                city["country_code"],
                code,
                f"{city['lat']:.5f}",
                f"{city['lon']:.5f}",
            )
        )
    rows.sort()
    text = io.StringIO()
    text.write(HEADER)
    out = csv.writer(text, lineterminator="\n")
    out.writerow(["id", "name", "country", "admin1_code", "lat", "lon"])
    out.writerows(rows)
    OUT.write_bytes(gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{OUT}: {len(rows)} of {len(cities)} places")


def _copied(place: GazPlace) -> bool:
    """Whether ``place`` is a row an earlier run of this script copied."""
    return CSC_PLACE_BASE <= place.id < CSC_PLACE_BASE + 10_000_000


def _source_cities(data: Path) -> list[dict]:
    cities = []
    for path in sorted(data.glob("by-country/*/states/*/cities.json")):
        for city in json.loads(path.read_text(encoding="utf-8")):
            if city.get("latitude") and city.get("longitude") and city["name"].strip():
                city["lat"], city["lon"] = float(city["latitude"]), float(city["longitude"])
                cities.append(city)
    return sorted(cities, key=lambda c: int(c["id"]))


def _same_named_near(city: dict, named: list[GazPlace]) -> GazPlace | None:
    return min(
        (p for p in named if distance_km(city["lat"], city["lon"], p.lat, p.lon) <= NEAR_KM),
        key=lambda p: distance_km(city["lat"], city["lon"], p.lat, p.lon),
        default=None,
    )


def _town_grid(places: list[GazPlace]) -> dict[tuple[str, int, int], list[GazPlace]]:
    grid: dict[tuple[str, int, int], list[GazPlace]] = defaultdict(list)
    for place in places:
        if place.feature in SETTLEMENTS and place.admin1_code:
            grid[(place.country, int(place.lat // 1), int(place.lon // 1))].append(place)
    return grid


def _nearest_code(grid: dict[tuple[str, int, int], list[GazPlace]], city: dict) -> str:
    """GeoNames admin1 code of the nearest town of the same country (within two degrees)."""
    lat, lon = int(city["lat"] // 1), int(city["lon"] // 1)
    around = [
        p
        for dlat in range(-2, 3)
        for dlon in range(-2, 3)
        for p in grid.get((city["country_code"], lat + dlat, lon + dlon), [])
    ]
    nearest = min(
        around,
        key=lambda p: distance_km(city["lat"], city["lon"], p.lat, p.lon),
        default=None,
    )
    return nearest.admin1_code if nearest else ""


if __name__ == "__main__":
    main(sys.argv[1:])
