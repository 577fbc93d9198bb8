"""claim_incidents: a claim's incident in a narrow table of its own, not in the claim's row

Revision ID: 0010_claim_incidents
Revises: 0009_api_indexes

A link run assigned each new claim by updating ``claims.incident_id``, which rewrote every claim
row with its whole JSON (a million claims: about a gigabyte through the write-ahead log, a third
of the run's write phase). The assignment now lives in ``claim_incidents(claim_id, incident_id)``,
one row per assigned claim; unassigned claims have none. SQLite rebuilds ``claims`` to drop the
column (it cannot drop a column under a foreign key; ``store.engine.migrate`` checks every
reference once the migrations have run).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0010_claim_incidents"
down_revision = "0009_api_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_incidents",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_incidents_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_claim_incidents_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_incidents")),
    )
    op.execute(
        "INSERT INTO claim_incidents (claim_id, incident_id) "
        "SELECT id, incident_id FROM claims WHERE incident_id IS NOT NULL ORDER BY id"
    )
    op.create_index("ix_claim_incidents_incident_id", "claim_incidents", ["incident_id"])
    with _quiet_reflection(), op.batch_alter_table("claims") as batch_op:
        batch_op.drop_index("ix_claims_incident_id")
        batch_op.drop_column("incident_id")


def downgrade() -> None:
    with _quiet_reflection(), op.batch_alter_table("claims") as batch_op:
        batch_op.add_column(sa.Column("incident_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_claims_incident_id_incidents"), "incidents", ["incident_id"], ["id"]
        )
        batch_op.create_index("ix_claims_incident_id", ["incident_id"])
    op.execute(
        "UPDATE claims SET incident_id = (SELECT incident_id FROM claim_incidents "
        "WHERE claim_incidents.claim_id = claims.id)"
    )
    op.drop_index("ix_claim_incidents_incident_id", table_name="claim_incidents")
    op.drop_table("claim_incidents")


@contextmanager
def _quiet_reflection() -> Iterator[None]:
    # Rebuilding claims reflects the tables it references; SQLAlchemy warns that it skips the
    # expression indexes of incidents, which the rebuild leaves alone.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        yield
