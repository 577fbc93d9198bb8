from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

import docket
from docket.domain import Claim, LocationPrecision, ResolvedPlace, TargetRef
from docket.errors import IntakeError
from docket.geo.facilities import StatusEvent
from docket.store.schema import audit_log
from docket.vocab import data_path

FACILITIES = """name,type,lat,lon,settlement,admin1,country,aliases,status,status_date,status_source,deconflicted,deconflicted_on,registry_id
Al-Nour Hospital,hospital,35.6201,36.5702,Kafr Nabl,Idlib,SY,Nour hospital|مشفى النور,operating,2019-11-01,registry,yes,2019-10-01,H-17
Al-Nour Hospital,hospital,35.6201,36.5702,Kafr Nabl,Idlib,SY,,damaged,2020-02-16,field report,,,
Orchard School,school,35.9,36.7,Sarmin,Idlib,SY,,ruined,2020-01-01,x,,,
Lost Market,bazaar-stall,35.9,36.7,Sarmin,Idlib,SY,,,,,,,
"""


def _load(db: docket.Docket, tmp_path: Path) -> tuple[int, list[IntakeError]]:
    path = tmp_path / "facilities.csv"
    path.write_text(FACILITIES, encoding="utf-8")
    errors: list[IntakeError] = []
    report = db.import_facilities(path, on_error=errors.append)
    assert (report.created, report.updated) == (1, 1)
    return report.created, errors


def test_facilities_import_builds_status_history(db: docket.Docket, tmp_path: Path) -> None:
    _, errors = _load(db, tmp_path)
    assert [(e.line, e.problem) for e in errors] == [
        (4, "unknown status 'ruined'; use one of operating, damaged, closed, destroyed"),
        (
            5,
            "unknown facility type 'bazaar-stall'; use one of hospital, clinic, school, "
            "market, camp, mosque, bakery, water, civil_defence",
        ),
    ]
    (hospital,) = db.facilities()
    full = db.facility(hospital.id or 0)
    assert (full.name, full.status, full.deconflicted, full.deconflicted_on) == (
        "Al-Nour Hospital",
        "damaged",
        True,
        dt.date(2019, 10, 1),
    )
    assert [(e.status, e.date, e.source) for e in full.history] == [
        ("operating", dt.date(2019, 11, 1), "registry"),
        ("damaged", dt.date(2020, 2, 16), "field report"),
    ]
    assert full.external_ids == {"registry_id": "H-17"}


def test_status_change_is_audited(db: docket.Docket, tmp_path: Path) -> None:
    _load(db, tmp_path)
    (hospital,) = db.facilities()
    db.add_facility_status(
        hospital.id or 0, StatusEvent(status="destroyed", date=dt.date(2020, 3, 1), source="ngo")
    )
    assert db.facility(hospital.id or 0).status == "destroyed"
    with db.store.read() as conn:
        actions = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.record_type).order_by(audit_log.c.id)
        ).all()
    assert [tuple(a) for a in actions] == [
        ("create", "facility"),
        ("status", "facility"),
        ("status", "facility"),
    ]


def test_claim_naming_a_known_facility_links_to_it(db: docket.Docket, tmp_path: Path) -> None:
    _load(db, tmp_path)
    claim = Claim(targets=[TargetRef(category="hospital", name="Nour hospital")])
    facility_id = db.link_facility(claim)
    assert facility_id == db.facilities()[0].id
    assert claim.targets[0].facility_id == facility_id
    assert db.geocode("al-Nour hospital in Kafr Nabl").precision == LocationPrecision.site


def test_unknown_named_facility_becomes_candidate(db: docket.Docket, tmp_path: Path) -> None:
    _load(db, tmp_path)
    place = ResolvedPlace(
        name="Sarmīn",
        lat=35.90403,
        lon=36.72501,
        precision=LocationPrecision.settlement,
        admin1="Idlib",
        country="SY",
    )
    claim = Claim(id=7, place=place, targets=[TargetRef(category="school", name="Al-Amal School")])
    new_id = db.link_facility(claim)
    candidates = db.facilities(candidates=True)
    assert [(f.id, f.name, f.facility_type, f.settlement, f.lat, f.source) for f in candidates] == [
        (new_id, "Al-Amal School", "school", "Sarmīn", 35.90403, "claim 7")
    ]
    # The same name again links to the candidate instead of making another.
    again = Claim(targets=[TargetRef(category="school", name="al-Amal school")])
    assert db.link_facility(again) == new_id


def test_claim_without_named_target_links_nothing(db: docket.Docket) -> None:
    assert db.link_facility(Claim(targets=[TargetRef(category="market")])) is None


def test_demo_facility_file_loads(db: docket.Docket) -> None:
    report = db.import_facilities(data_path("places/facilities_nw_syria.csv"))
    assert (report.created, report.updated, report.failed) == (11, 1, [])
    shami = db.geocode("al-Shami hospital in Ariha", context="Idlib")
    assert (shami.name, shami.lat, shami.lon, shami.precision.value) == (
        "Al-Shami Hospital",
        35.812,
        36.6115,
        "site",
    )


def test_facilities_import_names_bad_coordinates_and_short_rows(
    db: docket.Docket, tmp_path: Path
) -> None:
    path = tmp_path / "facilities.csv"
    path.write_text(
        "name,type,lat,lon\nHill Clinic,clinic,north,36.1\nRiver School\nOld Bakery,bakery,,\n",
        encoding="utf-8",
    )
    errors: list[IntakeError] = []
    report = db.import_facilities(path, on_error=errors.append)
    assert (report.created, [(e.line, e.problem) for e in errors]) == (
        1,
        [
            (2, "lat 'north' is not a number"),
            (3, "the row has 1 of the header's 4 fields (a quote left open?)"),
        ],
    )
