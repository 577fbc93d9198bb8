from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

import docket
from docket.domain import Incident, LocationPrecision, Range, ResolvedPlace
from docket.store.incidents import (
    INCIDENT_MIRRORS,
    incident_to_row,
    insert_incidents_batched,
    prepare_incident,
)
from docket.store.schema import audit_log, incidents


def _at(data: dict, path: tuple[str, ...]) -> object:
    for key in path:
        data = data[key]
    return data


def test_every_incident_column_mirrors_its_json_path() -> None:
    incident = Incident(
        event_type="air_strike",
        date_low=dt.date(2020, 1, 29),
        date_high=dt.date(2020, 1, 29),
        place=ResolvedPlace(
            name="Ariha",
            admin1="Idlib",
            country="Syria",
            lat=35.81,
            lon=36.61,
            precision=LocationPrecision.settlement,
        ),
        killed=Range(low=10, high=12),
        killed_best=12,
        injured=Range(low=35, high=35),
        grade="confirmed",
    )
    row = incident_to_row(incident)
    data = row.pop("data")
    assert set(row) == set(INCIDENT_MIRRORS)
    stored_as_text = {"date_low", "date_high"}  # dates are ISO strings in the JSON
    for column, path in INCIDENT_MIRRORS.items():
        expected = str(row[column]) if column in stored_as_text else row[column]
        assert _at(data, path) == expected, column


def test_a_batched_insert_hands_the_new_ids_to_the_work_meanwhile(db: docket.Docket) -> None:
    prepared = [
        prepare_incident(
            Incident(
                event_type="shelling",
                place=ResolvedPlace(name=name, precision=LocationPrecision.settlement),
            )
        )
        for name in ("Kafr Tamra", "Tell Baydar", "Ain Sulaym")
    ]
    given: list[list[int]] = []
    with db.store.write() as conn:
        ids = insert_incidents_batched(conn, prepared, "test", "run 1", meanwhile=given.append)
        none = insert_incidents_batched(conn, [], "test", "run 2", meanwhile=given.append)
        stored = conn.execute(
            sa.select(incidents.c.id, incidents.c.place_name).order_by(incidents.c.id)
        ).all()
        batches = conn.execute(sa.select(audit_log.c.record_id, audit_log.c.reason)).all()
    assert given == [ids, []] and none == []
    assert stored == [
        (ids[0], "Kafr Tamra"),
        (ids[1], "Tell Baydar"),
        (ids[2], "Ain Sulaym"),
    ]
    assert batches == [(f"{ids[0]}..{ids[2]}", "run 1")]
