"""evidence: media files, location notes, witness testimonies

Revision ID: 0005_evidence
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_evidence"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("media_type", sa.String(length=80), nullable=False),
        sa.Column("filename", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("captured", sa.DateTime(), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("phash", sa.String(length=32), nullable=True),
        sa.Column("metadata", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_evidence_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_evidence_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("sha256", name=op.f("uq_evidence_sha256")),
    )
    op.create_index("ix_evidence_incident_id", "evidence", ["incident_id"])
    op.create_index("ix_evidence_phash", "evidence", ["phash"])

    op.create_table(
        "evidence_locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("observed_at", sa.DateTime(), nullable=True),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_locations_evidence_id_evidence"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_locations")),
    )
    op.create_index("ix_evidence_locations_evidence_id", "evidence_locations", ["evidence_id"])

    op.create_table(
        "testimonies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=20), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("interview_date", sa.Date(), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("consent", sa.String(length=20), nullable=False),
        sa.Column("share_with", JSON, nullable=False),
        sa.Column("interviewer", sa.String(length=200), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("identity", sa.LargeBinary(), nullable=True),
        sa.Column("identity_key_id", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_testimonies_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_testimonies_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_testimonies")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_testimonies_pseudonym")),
    )
    op.create_index("ix_testimonies_incident_id", "testimonies", ["incident_id"])
    op.create_index("ix_testimonies_document_id", "testimonies", ["document_id"])


def downgrade() -> None:
    op.drop_table("testimonies")
    op.drop_table("evidence_locations")
    op.drop_table("evidence")
