"""geo: imported gazetteer places, facilities and their status history

Revision ID: 0003_geo
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_geo"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "gazetteer_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("geonames_id", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("feature", sa.String(length=20), nullable=False),
        sa.Column("feature_code", sa.String(length=10), nullable=True),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("admin1_code", sa.String(length=20), nullable=True),
        sa.Column("admin1", sa.String(length=200), nullable=True),
        sa.Column("admin2", sa.String(length=200), nullable=True),
        sa.Column("population", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("facility_type", sa.String(length=40), nullable=True),
        sa.Column("aliases", JSON, nullable=False),
        sa.Column("external_ids", JSON, nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gazetteer_places")),
    )
    op.create_index("ix_gazetteer_places_geonames_id", "gazetteer_places", ["geonames_id"])
    op.create_index("ix_gazetteer_places_country", "gazetteer_places", ["country"])
    op.create_table(
        "facilities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("facility_type", sa.String(length=40), nullable=False),
        sa.Column("settlement", sa.Text(), nullable=True),
        sa.Column("admin1", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("aliases", JSON, nullable=False),
        sa.Column("external_ids", JSON, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("deconflicted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("deconflicted_on", sa.Date(), nullable=True),
        sa.Column("candidate", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilities")),
    )
    op.create_index("ix_facilities_facility_type", "facilities", ["facility_type"])
    op.create_table(
        "facility_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_facility_status_facility_id_facilities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility_status")),
    )
    op.create_index("ix_facility_status_facility_id", "facility_status", ["facility_id"])


def downgrade() -> None:
    op.drop_table("facility_status")
    op.drop_table("facilities")
    op.drop_index("ix_gazetteer_places_country", table_name="gazetteer_places")
    op.drop_index("ix_gazetteer_places_geonames_id", table_name="gazetteer_places")
    op.drop_table("gazetteer_places")
