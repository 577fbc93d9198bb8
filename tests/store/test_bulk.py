from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from threading import current_thread

import pytest
import sqlalchemy as sa

import docket
from docket.store.bulk import (
    alongside,
    bulk_insert,
    chunks,
    driver_values,
    indexes_rebuilt,
    plain_rows,
)
from docket.store.schema import claim_incidents, claims, incidents

STAMP = dt.datetime(2026, 3, 14, 9, 30)
COLUMNS = ["id", "date_low", "place_name", "reviewed", "published", "data", "created_at"]


def _indexes(conn: sa.Connection, table: str) -> list[tuple[str, str]]:
    """Each index of ``table`` that is not behind a constraint, with its CREATE INDEX text."""
    if conn.dialect.name == "sqlite":
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
        query += " AND sql IS NOT NULL"
    else:
        query = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :t"
        query += " AND indexname NOT LIKE 'pk_%'"
    return sorted(tuple(row) for row in conn.execute(sa.text(query), {"t": table}))


def _incident_rows(first: int, count: int) -> list[tuple[object, ...]]:
    return [
        (i, dt.date(2019, 5, 1 + i % 28), f"Kafr Town {i % 7}", False, i % 2 == 0, "{}", STAMP)
        for i in range(first, first + count)
    ]


def _insert(
    conn: sa.Connection, rows: list[tuple[object, ...]], min_rows: int
) -> list[tuple[str, str]]:
    with indexes_rebuilt(conn, incidents, len(rows), min_rows=min_rows):
        during = _indexes(conn, "incidents")
        bulk_insert(conn, incidents, [*COLUMNS, "updated_at"], [(*r, STAMP) for r in rows])
    return during


def test_a_big_insert_rebuilds_the_indexes_as_they_were(db: docket.Docket) -> None:
    with db.store.write() as conn:
        before = _indexes(conn, "incidents")
        during = _insert(conn, _incident_rows(1, 40), min_rows=10)
        after = _indexes(conn, "incidents")
        stored = conn.execute(
            sa.select(incidents.c.id, incidents.c.date_low, incidents.c.published)
            .where(incidents.c.place_name == "Kafr Town 3")
            .order_by(incidents.c.id)
        ).all()
    assert after == before
    assert {"ix_incidents_date_low", "ix_incidents_place_lower"} <= {n for n, _ in before}
    assert during == ([] if conn.dialect.name == "sqlite" else before)
    assert stored == [
        (3, dt.date(2019, 5, 4), False),
        (10, dt.date(2019, 5, 11), True),
        (17, dt.date(2019, 5, 18), False),
        (24, dt.date(2019, 5, 25), True),
        (31, dt.date(2019, 5, 4), False),
        (38, dt.date(2019, 5, 11), True),
    ]


def test_a_write_smaller_than_the_table_or_the_minimum_keeps_the_indexes(
    db: docket.Docket,
) -> None:
    with db.store.write() as conn:
        before = _indexes(conn, "incidents")
        below_minimum = _insert(conn, _incident_rows(1, 40), min_rows=50)
        smaller_than_table = _insert(conn, _incident_rows(41, 20), min_rows=10)
    assert below_minimum == before
    assert smaller_than_table == before


def test_a_replacing_insert_sets_the_stored_rows_and_adds_the_others(
    db: docket.Docket, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"text": "Shelling hit the market of Kafr Town at noon."}))
    [document_id] = db.ingest([report]).stored
    with db.store.write() as conn:
        _insert(conn, _incident_rows(1, 3), min_rows=10)
        conn.execute(
            sa.insert(claims),
            [
                {
                    "id": i,
                    "document_id": document_id,
                    "extractor": "test",
                    "extractor_version": "1",
                    "data": {},
                    "created_at": STAMP,
                    "updated_at": STAMP,
                }
                for i in range(1, 7)
            ],
        )
        columns = ["claim_id", "incident_id"]
        bulk_insert(conn, claim_incidents, columns, [(i, 1) for i in range(1, 5)])
        moved = [(3, 2), (4, 2), (5, 3), (6, 3)]
        written = bulk_insert(conn, claim_incidents, columns, moved, replacing="claim_id")
        stored = conn.execute(sa.select(claim_incidents).order_by(claim_incidents.c.claim_id))
        assert written == 4
        assert stored.all() == [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3)]


def test_plain_rows_are_the_driver_tuples_of_the_query(db: docket.Docket) -> None:
    with db.store.write() as conn:
        _insert(conn, _incident_rows(1, 5), min_rows=10)
        query = (
            sa.select(incidents.c.id, incidents.c.place_name)
            .where(incidents.c.place_name != "Kafr Town 2")
            .order_by(incidents.c.id)
        )
        found = plain_rows(conn, query)
    assert found == [(1, "Kafr Town 1"), (3, "Kafr Town 3"), (4, "Kafr Town 4"), (5, "Kafr Town 5")]
    assert {type(row) for row in found} == {tuple}


def test_a_float_column_stores_integers_as_floats(db: docket.Docket) -> None:
    with db.store.write() as conn:
        _insert(conn, _incident_rows(1, 2), min_rows=10)
        bulk_insert(
            conn,
            incidents,
            ["id", "lat", "lon", "data", "created_at", "updated_at"],
            [(3, 36, 37.25, "{}", STAMP, STAMP)],
        )
        query = sa.select(incidents.c.lat, incidents.c.lon).where(incidents.c.id == 3)
        [stored] = plain_rows(conn, query)  # as the database holds them
    assert stored == (36.0, 37.25)
    assert [type(v) for v in stored] == [float, float]


def test_chunks_are_lists_in_order_the_last_one_shorter() -> None:
    assert list(chunks([4, 8, 15, 16, 23], 2)) == [[4, 8], [15, 16], [23]]
    assert list(chunks(range(3), 3)) == [[0, 1, 2]]
    assert list(chunks((), 5)) == []


def test_alongside_does_the_work_in_another_thread_before_it_returns() -> None:
    helper: list[str] = []
    statements: list[str] = []
    alongside(
        lambda: statements.append(current_thread().name),
        lambda: helper.append(current_thread().name),
    )
    assert statements == [current_thread().name]
    assert len(helper) == 1 and helper != statements

    def failing() -> None:
        raise ValueError("helper failed")

    with pytest.raises(ValueError, match="helper failed"):
        alongside(lambda: None, failing)


def test_the_work_meanwhile_is_done_once_whether_indexes_are_rebuilt_or_not(
    db: docket.Docket,
) -> None:
    done: list[str] = []
    with db.store.write() as conn:
        for first, min_rows in ((1, 10), (41, 100)):
            rows = _incident_rows(first, 40)
            with indexes_rebuilt(
                conn,
                incidents,
                len(rows),
                min_rows=min_rows,
                meanwhile=lambda: done.append(current_thread().name),
            ):
                bulk_insert(conn, incidents, [*COLUMNS, "updated_at"], [(*r, STAMP) for r in rows])
        after = _indexes(conn, "incidents")
        count = conn.execute(sa.select(sa.func.count()).select_from(incidents)).scalar()
    here = current_thread().name
    rebuilt = conn.dialect.name == "sqlite"  # the first write only, and only on SQLite
    assert [name == here for name in done] == [not rebuilt, True]
    assert count == 80
    assert {"ix_incidents_date_low", "ix_incidents_place_lower"} <= {n for n, _ in after}


def test_rows_converted_ahead_are_stored_as_bulk_insert_converts_them(db: docket.Docket) -> None:
    rows = [(*r, STAMP) for r in _incident_rows(1, 4)]
    columns = [*COLUMNS, "updated_at"]
    with db.store.write() as conn:
        ahead = driver_values(conn.dialect, incidents, columns, rows)
        bulk_insert(conn, incidents, columns, ahead, converted=True)
        first = conn.execute(sa.select(incidents).order_by(incidents.c.id)).all()
        conn.execute(sa.delete(incidents))
        bulk_insert(conn, incidents, columns, rows)
        second = conn.execute(sa.select(incidents).order_by(incidents.c.id)).all()
    assert first == second
    assert [(r.id, r.date_low, r.published, r.created_at) for r in first[:2]] == [
        (1, dt.date(2019, 5, 2), False, STAMP),
        (2, dt.date(2019, 5, 3), True, STAMP),
    ]
