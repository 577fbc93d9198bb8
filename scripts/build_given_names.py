"""Write ``src/docket/data/places/given_names.txt`` and ``surnames.txt``: common given names
and surnames, one lower-case name a line.

The geocoder's context scan reads a capitalised given name followed by another capitalised word
("Joyce Shelby", "Austin Fesmire") as a person's name, not as places the text names; a given name
that is also a country's or first-level area's name ("Victoria", "Georgia") only when a surname
follows ("Victoria Smith", not "Georgia Bureau of Investigation"). The names are the US Census
Bureau's 1990 lists (public domain), which the PyPI package ``names`` 0.3.0 ships
(``dist.male.first``, ``dist.female.first``, ``dist.all.last``: name, share of people, cumulative
share, rank). Kept: the names of each list up to a cumulative share of people (``GIVEN_COVERAGE``,
``SURNAME_COVERAGE`` percent), so that rare names (more often words or places than people) stay
out. The package is read once here and is not a dependency.

    pip download --no-deps names==0.3.0 -d /tmp/names
    tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python scripts/build_given_names.py /tmp/names/names-0.3.0/names
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "src" / "docket" / "data" / "places"
# output file, Census lists, share of people kept (percent)
OUTPUTS = (
    ("given_names.txt", ("dist.male.first", "dist.female.first"), 90.0),
    ("surnames.txt", ("dist.all.last",), 70.0),
)
HEADER = (
    "# Common {what} (lower case), for telling people's names from places in a text.\n"
    "# From the US Census Bureau's 1990 name lists (public domain), as shipped by the PyPI\n"
    "# package names 0.3.0 ({lists}); each list kept up to {coverage:g}% of people. Built by\n"
    "# scripts/build_given_names.py: rebuild rather than edit.\n"
)


def common_names(path: Path, coverage: float) -> list[str]:
    """The names of one Census list (``NAME share cumulative rank`` lines) up to ``coverage``."""
    kept = []
    for line in path.read_text(encoding="ascii").splitlines():
        fields = line.split()
        if len(fields) == 4 and float(fields[2]) <= coverage:
            kept.append(fields[0].lower())
    return kept


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit("usage: python scripts/build_given_names.py NAMES_PACKAGE_DIR")
    folder = Path(argv[0])
    for out, lists, coverage in OUTPUTS:
        names = sorted({name for file in lists for name in common_names(folder / file, coverage)})
        what = out.removesuffix(".txt").replace("_", " ")
        header = HEADER.format(what=what, lists=", ".join(lists), coverage=coverage)
        (PLACES / out).write_text(header + "".join(f"{n}\n" for n in names), encoding="utf-8")
        print(f"{PLACES / out}: {len(names)} {what}")


if __name__ == "__main__":
    main(sys.argv[1:])
