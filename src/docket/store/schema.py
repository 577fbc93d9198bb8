"""Tables of the Docket store (SQLAlchemy Core), shared by SQLite and PostgreSQL.

The schema is changed only through Alembic migrations in ``store/migrations/versions``; each
stage package may add its own tables in a module of its own and a migration beside these.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(300), nullable=False, unique=True),
    sa.Column("kind", sa.String(20), nullable=False, server_default="other"),
    sa.Column("reliability_note", sa.Text),
)

originals = sa.Table(
    "originals",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id")),
    sa.Column("source_kind", sa.String(20), nullable=False, server_default="other"),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("language", sa.String(16)),
    sa.Column("published", sa.Date),
    sa.Column("retrieved", sa.DateTime, nullable=False),
    sa.Column("raw_sha256", sa.String(64), sa.ForeignKey("originals.sha256"), nullable=False),
    sa.Column("text_sha256", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("filename", sa.Text),
    sa.Column("media_type", sa.String(40)),
    sa.Column("metadata", JSON, nullable=False),
    sa.Column("previous_version_id", sa.Integer, sa.ForeignKey("documents.id")),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.UniqueConstraint("raw_sha256"),
    sa.Index("ix_documents_url", "url"),
    sa.Index("ix_documents_published", "published"),
    sa.Index("ix_documents_text_sha256", "text_sha256"),
)

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("event_type", sa.String(60)),
    sa.Column("date_low", sa.Date),
    sa.Column("date_high", sa.Date),
    sa.Column("place_name", sa.Text),
    sa.Column("admin1", sa.String(200)),
    sa.Column("country", sa.String(2)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("precision", sa.String(20)),
    sa.Column("killed_low", sa.Integer),
    sa.Column("killed_best", sa.Integer),
    sa.Column("killed_high", sa.Integer),
    sa.Column("civilians_killed_low", sa.Integer),
    sa.Column("civilians_killed_high", sa.Integer),
    sa.Column("injured_low", sa.Integer),
    sa.Column("injured_best", sa.Integer),
    sa.Column("injured_high", sa.Integer),
    sa.Column("grade", sa.String(20)),
    sa.Column("reviewed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("published", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("data", JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Index("ix_incidents_date_low", "date_low"),
    sa.Index("ix_incidents_admin1", "admin1"),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
    sa.Column("event_type", sa.String(60)),
    sa.Column("date", sa.Date),
    sa.Column("date_precision", sa.String(10)),
    sa.Column("place_name", sa.Text),
    sa.Column("admin1", sa.String(200)),
    sa.Column("country", sa.String(2)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("precision", sa.String(20)),
    sa.Column("killed_low", sa.Integer),
    sa.Column("killed_high", sa.Integer),
    sa.Column("injured_low", sa.Integer),
    sa.Column("injured_high", sa.Integer),
    sa.Column("extractor", sa.String(60), nullable=False),
    sa.Column("extractor_version", sa.String(30), nullable=False),
    sa.Column("review_status", sa.String(20), nullable=False, server_default="unreviewed"),
    sa.Column("data", JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Index("ix_claims_document_id", "document_id"),
    sa.Index("ix_claims_date", "date"),
)

# Which incident a claim belongs to, apart from the claim's row: a link run assigning a million
# claims writes these narrow rows instead of rewriting every claim with its JSON (0010).
claim_incidents = sa.Table(
    "claim_incidents",
    metadata,
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), primary_key=True),
    sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id"), nullable=False),
    sa.Index("ix_claim_incidents_incident_id", "incident_id"),
)

aggregate_claims = sa.Table(
    "aggregate_claims",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
    sa.Column("counted", sa.String(60), nullable=False),
    sa.Column("count_low", sa.Integer),
    sa.Column("count_high", sa.Integer),
    sa.Column("period_start", sa.Date),
    sa.Column("period_end", sa.Date),
    sa.Column("extractor", sa.String(60), nullable=False),
    sa.Column("extractor_version", sa.String(30), nullable=False),
    sa.Column("data", JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Index("ix_aggregate_claims_document_id", "document_id"),
)

extraction_runs = sa.Table(
    "extraction_runs",
    metadata,
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), primary_key=True),
    sa.Column("extractor", sa.String(60), primary_key=True),
    sa.Column("extractor_version", sa.String(30), primary_key=True),
    sa.Column("claims", sa.Integer, nullable=False),
    sa.Column("ran_at", sa.DateTime, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(30), nullable=False),
    sa.Column("record_type", sa.String(40), nullable=False),
    sa.Column("record_id", sa.Text, nullable=False),
    sa.Column("before_digest", sa.String(64)),
    sa.Column("after_digest", sa.String(64)),
    sa.Column("reason", sa.Text),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
    sa.Index("ix_audit_log_record", "record_type", "record_id"),
)
