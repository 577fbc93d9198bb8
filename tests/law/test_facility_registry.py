"""Facility facts from the geo stage's registry table, when it exists, joined by facility id."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from docket.domain import ActorRef, Incident, ResolvedPlace, TargetRef
from docket.store.incidents import get_incident, insert_incidents

# The columns of the geo stage's ``facilities`` table that the adapter reads or must fill.
_registry = sa.MetaData()
FACILITIES = sa.Table(
    "facilities",
    _registry,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("facility_type", sa.String(40), nullable=False),
    sa.Column("status", sa.String(20)),
    sa.Column("deconflicted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("aliases", sa.JSON, nullable=False),
    sa.Column("external_ids", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)


def test_registry_facts_drive_flags_and_facility_impact(db) -> None:
    stamp = dt.datetime(2020, 3, 1)
    with db.store.write() as conn:
        _registry.create_all(conn, checkfirst=True)
        conn.execute(
            sa.insert(FACILITIES),
            [
                {"id": 7, "name": "Al-Iman Hospital", "facility_type": "hospital",
                 "status": "closed", "deconflicted": True, "aliases": [], "external_ids": {},
                 "created_at": stamp, "updated_at": stamp},
                {"id": 8, "name": "Sarmin Girls' School", "facility_type": "school",
                 "status": "damaged", "deconflicted": False, "aliases": ["Banat School"],
                 "external_ids": {}, "created_at": stamp, "updated_at": stamp},
            ],
        )  # fmt: skip
        incident_id, by_name, by_alias = insert_incidents(
            conn,
            [
                Incident(
                    date_low=dt.date(2020, 2, 20),
                    place=ResolvedPlace(name="Ariha", precision="settlement", country="SY"),
                    perpetrators=[ActorRef(actor_id="ru", name="Russian forces")],
                    targets=[TargetRef(category="hospital", facility_id=7)],
                ),
                # Matched by name (spelling aside) or alias and type, without a registry id.
                Incident(
                    date_low=dt.date(2020, 2, 21),
                    place=ResolvedPlace(name="Sarmin", precision="settlement", country="SY"),
                    targets=[TargetRef(category="school", name="Sarmin girls school")],
                ),
                Incident(
                    date_low=dt.date(2020, 2, 22),
                    place=ResolvedPlace(name="Sarmin", precision="settlement", country="SY"),
                    targets=[TargetRef(category="school", name="banat school")],
                ),
            ],
            actor="tester",
        )
    report = db.assess_incidents()
    assert report.flags_by_rule["deconflicted_facility"] == [incident_id]
    with db.store.read() as conn:
        stored = get_incident(conn, incident_id)
    assert stored.details == {}  # registry facts are read, never written into the incident
    flag = next(f for f in stored.legal_flags if f["rule"] == "deconflicted_facility")
    assert flag["facts"] == ["coordinates shared through deconfliction: Al-Iman Hospital"]
    closed, damaged = db.findings().facilities
    assert (closed.status, closed.type, closed.names) == (
        "closed",
        "hospital",
        ["Al-Iman Hospital"],
    )
    assert (damaged.status, damaged.type, damaged.names) == (
        "damaged", "school", ["Sarmin Girls' School"],
    )  # fmt: skip
    assert damaged.incident_ids == [by_name, by_alias]
