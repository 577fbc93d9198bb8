"""link: link scores, link reviews, observer and radio observations

Revision ID: 0004_link
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_link"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "link_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_a", sa.Integer(), nullable=False),
        sa.Column("claim_b", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("joined", sa.Boolean(), nullable=False),
        sa.Column("levels", JSON, nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_a"], ["claims.id"], name=op.f("fk_link_scores_claim_a_claims")
        ),
        sa.ForeignKeyConstraint(
            ["claim_b"], ["claims.id"], name=op.f("fk_link_scores_claim_b_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_scores")),
    )
    op.create_index("ix_link_scores_claim_a", "link_scores", ["claim_a"])
    op.create_index("ix_link_scores_claim_b", "link_scores", ["claim_b"])
    op.create_index("ix_link_scores_incident_id", "link_scores", ["incident_id"])

    op.create_table(
        "link_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("claim_a", sa.Integer(), nullable=True),
        sa.Column("claim_b", sa.Integer(), nullable=True),
        sa.Column("value", JSON, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_reviews")),
    )
    op.create_index("ix_link_reviews_incident_id", "link_reviews", ["incident_id"])

    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("observed_at", sa.DateTime(), nullable=False),
        sa.Column("aircraft", sa.String(length=60), nullable=True),
        sa.Column("callsign", sa.String(length=60), nullable=True),
        sa.Column("airbase", sa.String(length=100), nullable=True),
        sa.Column("heading", sa.String(length=60), nullable=True),
        sa.Column("area", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("observer", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_observations_fingerprint")),
    )
    op.create_index("ix_observations_observed_at", "observations", ["observed_at"])


def downgrade() -> None:
    op.drop_table("observations")
    op.drop_table("link_reviews")
    op.drop_table("link_scores")
