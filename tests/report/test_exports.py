"""Every export format, loaded back and checked value by value."""

from __future__ import annotations

import csv
import io
import json

import pytest

from docket.domain import Incident
from docket.errors import InputError
from docket.report.exports import ACLED_COLUMNS, UCDP_COLUMNS, read_json, writer_for
from findings_samples import sample_incidents, store_samples


@pytest.fixture
def incidents() -> list[Incident]:
    found = sample_incidents()
    for n, incident in enumerate(found, start=1):
        incident.id = n
    return found


def _export(fmt: str, incidents: list[Incident]) -> str:
    out = io.StringIO()
    assert writer_for(fmt)(incidents, out) == len(incidents)
    return out.getvalue()


def test_export_acled_columns_and_values(incidents: list[Incident]) -> None:
    rows = list(csv.DictReader(io.StringIO(_export("acled", incidents))))
    assert list(rows[0]) == ACLED_COLUMNS
    first = rows[0]
    assert first["event_id_cnty"] == "SY1"
    assert first["event_date"] == "2019-05-14"
    assert first["event_type"] == "Explosions/Remote violence"
    assert first["sub_event_type"] == "Air/drone strike"
    assert first["actor1"] == "Russian forces"
    assert (first["inter1"], first["inter2"], first["interaction"]) == ("1", "7", "17")
    assert first["civilian_targeting"] == "Civilian targeting"
    assert (first["country"], first["iso"], first["admin1"]) == (
        "Syrian Arab Republic",
        "760",
        "Idlib",
    )
    assert (first["latitude"], first["longitude"], first["geo_precision"]) == (
        "35.6133",
        "36.5611",
        "1",
    )
    assert first["fatalities"] == "2"
    assert first["source"] == "Monitor A; Wire B"
    unknown = rows[9]
    assert (unknown["actor1"], unknown["inter1"], unknown["geo_precision"]) == (
        "Unidentified Armed Group", "0", "3",
    )  # fmt: skip
    assert unknown["sub_event_type"] == "Shelling/artillery/missile attack"
    assert sum(int(r["fatalities"]) for r in rows) == 66


def test_export_ucdp_best_low_high_and_precision(incidents: list[Incident]) -> None:
    rows = list(csv.DictReader(io.StringIO(_export("ucdp", incidents))))
    assert list(rows[0]) == UCDP_COLUMNS
    market = rows[2]
    assert (market["best"], market["low"], market["high"]) == ("31", "31", "39")
    assert (market["where_prec"], market["date_prec"]) == ("2", "1")
    assert market["type_of_violence"] == "3"
    assert market["deaths_civilians"] == "31"
    open_ended = rows[8]  # "at least 12": high falls back to the low
    assert (open_ended["low"], open_ended["high"]) == ("12", "12")
    assert rows[0]["geom_wkt"] == "POINT (36.5611 35.6133)"
    assert rows[9]["where_prec"] == "4"
    assert [r["date_start"] for r in rows] == [i.date_low.isoformat() for i in incidents]


def test_export_geojson_features(incidents: list[Incident]) -> None:
    data = json.loads(_export("geojson", incidents))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 12
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [36.5611, 35.6133]}
    assert first["properties"]["targets"] == ["hospital"]
    assert (first["properties"]["killed_low"], first["properties"]["killed_high"]) == (2, 3)
    assert data["features"][9]["geometry"] is None  # known only to the governorate


def test_export_hxl_hashtag_row(incidents: list[Incident]) -> None:
    rows = list(csv.reader(io.StringIO(_export("hxl", incidents))))
    assert rows[1][:3] == ["#event+id", "#date+occurred", "#country+code"]
    assert all(tag.startswith("#") for tag in rows[1])
    assert len(rows) == 14
    by_tag = dict(zip(rows[1], rows[4], strict=True))  # incident 3, the market
    assert by_tag["#affected+killed+min"] == "31"
    assert by_tag["#affected+killed+max"] == "39"
    assert by_tag["#loc+type"] == "market"
    assert by_tag["#group+perpetrator"] == "Syrian government forces"


def test_export_json_round_trip(incidents: list[Incident]) -> None:
    back = read_json(io.StringIO(_export("json", incidents)))
    assert back == incidents


def test_export_unknown_format() -> None:
    with pytest.raises(InputError, match="unknown export format 'kml'; use one of acled, ucdp"):
        writer_for("kml")


def test_export_to_file_via_docket(db, tmp_path) -> None:
    store_samples(db)
    db.assess_incidents()
    path = tmp_path / "out.json"
    assert db.export("json", path) == 12
    with path.open(encoding="utf-8") as fh:
        back = read_json(fh)
    assert {i.id: len(i.legal_flags) for i in back} == {
        1: 3,
        2: 3,
        3: 1,
        4: 3,
        5: 2,
        6: 2,
        7: 1,
        8: 2,
        9: 1,
        10: 0,
        11: 1,
        12: 1,
    }
    assert db.export("acled", tmp_path / "a.csv") == 12


def test_export_and_findings_of_published_incidents_only(db, tmp_path, run_cli) -> None:
    from tests.web.server import seed

    seeded = seed(db, tmp_path / "in")
    url = str(db.store.engine.url.render_as_string(hide_password=False))
    out = tmp_path / "public.geojson"
    exported = run_cli(
        "export", "--format", "geojson", "--published", "--out", str(out), "--db", url
    )
    found = run_cli("findings", "--published", "--json", "--db", url)
    everything = run_cli("findings", "--json", "--db", url)
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert exported.code == 0 and "wrote 1 incident to" in exported.stderr
    assert [f["properties"]["id"] for f in features] == seeded["incidents"][:1]
    assert found.json()["total"]["incident_ids"] == seeded["incidents"][:1]
    assert found.json()["scope"] == "published incidents"
    assert sorted(everything.json()["total"]["incident_ids"]) == seeded["incidents"]
