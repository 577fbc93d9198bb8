from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

import docket
from docket.errors import InputError, IntakeError
from docket.geo.tables import gazetteer_places

# Two good GeoNames rows (an invented village and a hospital site), then three bad ones.
GEONAMES = (
    "\n".join(
        [
            "\t".join(
                [
                    "99000001",
                    "Tell Zaytun",
                    "Tell Zaytun",
                    "Tal Zaitoun,Tell Zeitoun,تل زيتون",
                    "35.70100",
                    "36.61200",
                    "P",
                    "PPL",
                    "SY",
                    "",
                    "12",
                    "",
                    "",
                    "",
                    "850",
                    "",
                    "300",
                    "Asia/Damascus",
                    "2020-01-01",
                ]
            ),
            "\t".join(
                [
                    "99000002",
                    "Zaytun Field Hospital",
                    "Zaytun Field Hospital",
                    "",
                    "35.70300",
                    "36.61500",
                    "S",
                    "HSP",
                    "SY",
                    "",
                    "12",
                    "",
                    "",
                    "",
                    "0",
                    "",
                    "300",
                    "Asia/Damascus",
                    "2020-01-01",
                ]
            ),
            "99000003\tToo Few Columns\t35.1\t36.2",
            "\t".join(
                [
                    "99000004",
                    "Bad Latitude",
                    "Bad Latitude",
                    "",
                    "north",
                    "36.6",
                    "P",
                    "PPL",
                    "SY",
                    "",
                    "12",
                    "",
                    "",
                    "",
                    "0",
                    "",
                    "",
                    "",
                    "",
                ]
            ),
            "\t".join(
                [
                    "99000005",
                    "Off The Map",
                    "Off The Map",
                    "",
                    "135.0",
                    "36.6",
                    "P",
                    "PPL",
                    "SY",
                    "",
                    "12",
                    "",
                    "",
                    "",
                    "0",
                    "",
                    "",
                    "",
                    "",
                ]
            ),
        ]
    )
    + "\n"
)

SITES = """name,type,lat,lon,admin1,country,pcode,aliases
Zaytun Primary School,school,35.7051,36.6102,Idlib,SY,SY-ED-0001,Zaytoun school
Nowhere Clinic,clinic,not-a-number,36.1,Idlib,SY,SY-HC-0002,
,clinic,35.1,36.1,Idlib,SY,,
"""


def test_gazetteer_import_geonames_dump_skips_bad_rows(db: docket.Docket, tmp_path: Path) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(GEONAMES, encoding="utf-8")
    errors: list[IntakeError] = []
    report = db.import_gazetteer(dump, on_error=errors.append)
    assert (report.format, report.imported) == ("geonames", 2)
    assert [(e.line, e.problem) for e in errors] == [
        (3, "expected 19 tab-separated columns, got 4"),
        (4, "not a number (could not convert string to float: 'north')"),
        (5, "missing name or coordinates out of range"),
    ]
    with db.store.read() as conn:
        rows = conn.execute(
            sa.select(
                gazetteer_places.c.name, gazetteer_places.c.feature, gazetteer_places.c.admin1
            ).order_by(gazetteer_places.c.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("Tell Zaytun", "city", "Idlib"),
        ("Zaytun Field Hospital", "site", "Idlib"),
    ]


def test_imported_places_resolve_by_alias(db: docket.Docket, tmp_path: Path) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(GEONAMES, encoding="utf-8")
    db.import_gazetteer(dump)
    place = db.geocode("Tal Zaitoun")
    assert (place.place_id, place.name, place.lat, place.lon, place.precision.value) == (
        99000001,
        "Tell Zaytun",
        35.701,
        36.612,
        "settlement",
    )
    site = db.geocode("Zaytun Field Hospital")
    assert (site.name, site.precision.value) == ("Zaytun Field Hospital", "site")


def test_gazetteer_import_csv_of_sites(db: docket.Docket, tmp_path: Path) -> None:
    csv_file = tmp_path / "schools.csv"
    csv_file.write_text(SITES, encoding="utf-8")
    errors: list[IntakeError] = []
    report = db.import_gazetteer(csv_file, on_error=errors.append)
    assert (report.format, report.imported) == ("sites", 1)
    assert [(e.line, e.problem) for e in errors] == [
        (3, "lat/lon 'not-a-number', '36.1' are not numbers"),
        (4, "name and type are required"),
    ]
    with db.store.read() as conn:
        row = conn.execute(sa.select(gazetteer_places)).one()
    assert (row.name, row.facility_type, row.external_ids, row.aliases) == (
        "Zaytun Primary School",
        "school",
        {"pcode": "SY-ED-0001"},
        ["Zaytoun school"],
    )
    assert db.geocode("Zaytoun school").place_id == 2_000_000_000 + row.id


def test_gazetteer_import_names_a_row_cut_short_and_a_non_utf8_table(
    db: docket.Docket, tmp_path: Path
) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "name,type,lat,lon,admin1,country\n"
        "Zaytun Well,water,35.7,36.6,Idlib,SY\n"
        '"Orchard Clinic,clinic,35.8,36.5\n'
        "Hill School,school,35.9,36.4,Idlib,SY\n",
        encoding="utf-8",
    )
    errors: list[IntakeError] = []
    assert db.import_gazetteer(sites, on_error=errors.append).imported == 1
    assert [(e.line, e.problem) for e in errors] == [
        (4, "the row has 1 of the header's 6 fields (a quote left open?)")
    ]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,type,lat,lon\nH\u00f4pital Est,hospital,35.7,36.6\n".encode("latin-1"))
    with pytest.raises(IntakeError) as info:
        db.import_gazetteer(latin)
    assert str(info.value) == (
        f"{latin}: not valid utf-8 (byte 0xf4 at offset 19); save the table as UTF-8"
    )


def test_gazetteer_import_unknown_format(db: docket.Docket, tmp_path: Path) -> None:
    other = tmp_path / "notes.csv"
    other.write_text("title,body\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        db.import_gazetteer(other)
    assert str(info.value) == (
        f"{other}: neither a GeoNames dump (19 tab-separated columns) nor a CSV of sites "
        "(header with name, type, lat, lon)"
    )
