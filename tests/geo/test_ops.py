from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

import docket
from docket.domain import Claim, PlaceMention, TargetRef
from docket.store.claims import get_claim, insert_claims
from docket.store.schema import audit_log
from docket.vocab import data_path

REPORT = (
    "Warplanes struck al-Shami hospital in Ariha, in southern Idlib, on Thursday, "
    "and shells fell near Saraqib."
)


def test_geocode_claims_stores_places_and_links_facilities(
    db: docket.Docket, tmp_path: Path
) -> None:
    db.import_facilities(data_path("places/facilities_nw_syria.csv"))
    doc = tmp_path / "report.json"
    doc.write_text(json.dumps({"text": REPORT, "source": "Monitor"}), encoding="utf-8")
    (doc_id,) = db.ingest([doc]).stored
    claims = [
        Claim(
            document_id=doc_id,
            places=[PlaceMention(text="Ariha"), PlaceMention(text="southern Idlib")],
            targets=[TargetRef(category="hospital", name="al-Shami hospital")],
        ),
        Claim(document_id=doc_id, places=[PlaceMention(text="near Saraqib")]),
        Claim(document_id=doc_id, places=[PlaceMention(text="Qqzxvillé Bzzt")]),
    ]
    with db.store.write() as conn:
        ids = insert_claims(conn, claims, "tester")
    report = db.geocode_claims()
    assert report.as_dict() == {
        "claims": 3,
        "placed": 2,
        "unresolved": 1,
        "facilities_linked": 1,
        "updated": ids[:2],
        "reasons": {
            ids[2]: "unresolved: no gazetteer entry is named 'Qqzxvillé Bzzt' or a close spelling"
        },
    }
    with db.store.read() as conn:
        first, second, third = (get_claim(conn, i) for i in ids)
        geocoded = conn.execute(
            sa.select(sa.func.count()).where(audit_log.c.action == "geocode")
        ).scalar_one()
    assert first.place is not None and second.place is not None and third.place is None
    assert (first.place.name, first.place.precision.value, first.place.admin1) == (
        "Arīḩā",
        "settlement",
        "Idlib",
    )
    assert first.targets[0].facility_id == db.facilities(facility_type="hospital")[0].id
    assert (second.place.name, second.place.precision.value) == ("Saraqib", "district")
    assert geocoded == 2
