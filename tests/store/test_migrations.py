from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from docket.store import Store
from docket.store.claims import list_claims
from docket.store.engine import alembic_config, create_engine, migrating, resolve_url

STAMP = "2026-03-15 08:05:12"


def _at_0009(url: str) -> sa.Engine:
    """The database (empty, or a fresh PostgreSQL copy of the migrated template) at 0009."""
    engine = create_engine(resolve_url(url))
    cfg = alembic_config()
    with migrating(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    _downgrade_to(engine, "0009_api_indexes")
    return engine


def _downgrade_to(engine: sa.Engine, revision: str) -> None:
    cfg = alembic_config()
    with migrating(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def _claims_linked_in_0009(conn: sa.Connection) -> None:
    """Two incidents, four claims (three linked) and a link row, as 0009 stored them."""
    run = conn.exec_driver_sql
    run("INSERT INTO originals (sha256, size, content) VALUES ('a1', 1, 'x')")
    run(
        "INSERT INTO documents (id, source_kind, retrieved, raw_sha256, text_sha256, text, "
        f"metadata, created_by) VALUES (1, 'news', '{STAMP}', 'a1', 'a1', 'report', '{{}}', 't')"
    )
    for incident in (7, 8):
        run(
            "INSERT INTO incidents (id, reviewed, published, data, created_at, updated_at) "
            f"VALUES ({incident}, false, false, '{{}}', '{STAMP}', '{STAMP}')"
        )
    for claim, incident in ((1, "7"), (2, "NULL"), (3, "8"), (4, "7")):
        run(
            "INSERT INTO claims (id, document_id, extractor, extractor_version, review_status, "
            f"incident_id, data, created_at, updated_at) VALUES ({claim}, 1, 'test', '1', "
            f"'unreviewed', {incident}, '{{}}', '{STAMP}', '{STAMP}')"
        )
    run(
        "INSERT INTO link_scores (claim_a, claim_b, incident_id, weight, probability, joined, "
        f"levels, explanation, created_at) VALUES (1, 4, 7, 9.5, 0.99, true, '{{}}', 'same', "
        f"'{STAMP}')"
    )


def test_0010_moves_each_claims_incident_to_claim_incidents_and_back(store_url: str) -> None:
    engine = _at_0009(store_url)
    with engine.begin() as conn:
        _claims_linked_in_0009(conn)
    engine.dispose()

    store = Store(store_url)
    with store.read() as conn:
        moved = conn.exec_driver_sql("SELECT claim_id, incident_id FROM claim_incidents").all()
        columns = {c["name"] for c in sa.inspect(conn).get_columns("claims")}
        listed = [(c.id, c.incident_id) for c in list_claims(conn)]
        of_seven = [c.id for c in list_claims(conn, incident_id=7)]
        unlinked = [c.id for c in list_claims(conn, unlinked=True)]
        links = conn.exec_driver_sql("SELECT claim_a, claim_b FROM link_scores").all()
    store.close()
    assert sorted(moved) == [(1, 7), (3, 8), (4, 7)]
    assert "incident_id" not in columns
    assert listed == [(1, 7), (2, None), (3, 8), (4, 7)]
    assert of_seven == [1, 4]
    assert unlinked == [2]
    assert links == [(1, 4)]

    engine = create_engine(resolve_url(store_url))
    _downgrade_to(engine, "0009_api_indexes")
    with engine.connect() as conn:
        back = conn.exec_driver_sql("SELECT id, incident_id FROM claims ORDER BY id").all()
        tables = sa.inspect(conn).get_table_names()
    engine.dispose()
    assert back == [(1, 7), (2, None), (3, 8), (4, 7)]
    assert "claim_incidents" not in tables
