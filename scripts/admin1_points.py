"""Write ``src/docket/data/places/admin1_points.csv``: a point for each first-level area.

The packaged GeoNames-derived data names admin1 areas but gives them no point; without one,
``build_gazetteer.py`` falls back to the middle of the box holding the area's places, which lands
far from the usual point of large or oddly shaped areas (Quebec, Alberta, England). This copies
the state/province points that ``countrystatecity-countries`` (PyPI; data from the
countries-states-cities database, ODbL 1.0) ships, once, into the project's data file, so that the
package is not a dependency. The build joins them to GeoNames admin1 areas by country and name.

    pip download --no-deps countrystatecity-countries==2.0.1 -d /tmp/csc
    unzip -q /tmp/csc/*.whl -d /tmp/csc
    PYTHONPATH=src python scripts/admin1_points.py /tmp/csc/countrystatecity_countries/data
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "docket" / "data" / "places" / "admin1_points.csv"


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit("usage: python scripts/admin1_points.py PACKAGE_DATA_DIR")
    data = Path(argv[0])
    rows = []
    for path in sorted(data.glob("by-country/*/states.json")):
        for state in json.loads(path.read_text(encoding="utf-8")):
            if not state.get("latitude") or not state.get("longitude"):
                continue
            rows.append(
                (
                    state["country_code"],
                    state["name"],
                    state.get("type") or "",
                    f"{float(state['latitude']):.5f}",
                    f"{float(state['longitude']):.5f}",
                )
            )
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["country", "name", "type", "lat", "lon"])
        out.writerows(rows)
    print(f"{OUT}: {len(rows)} admin area points")


if __name__ == "__main__":
    main(sys.argv[1:])
