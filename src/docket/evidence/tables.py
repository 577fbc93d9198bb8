"""Tables of the evidence stage: media files, their location notes, and witness testimonies.

Media originals live in the content-addressed evidence directory (see :mod:`docket.evidence.blobs`);
the ``evidence`` table holds their SHA-256, metadata and custody. A testimony keeps its account as
a document (source kind ``witness``) and its witness's identity only as AES-GCM ciphertext.
"""

from __future__ import annotations

import sqlalchemy as sa

from docket.store.schema import JSON, metadata

evidence = sa.Table(
    "evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("media_type", sa.String(80), nullable=False),
    sa.Column("filename", sa.Text),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id")),
    sa.Column("captured", sa.DateTime),
    sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id")),
    sa.Column("notes", sa.Text),
    sa.Column("phash", sa.String(32)),
    sa.Column("metadata", JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Index("ix_evidence_incident_id", "incident_id"),
    sa.Index("ix_evidence_phash", "phash"),
)

evidence_locations = sa.Table(
    "evidence_locations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("evidence_id", sa.Integer, sa.ForeignKey("evidence.id"), nullable=False),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("observed_at", sa.DateTime),
    sa.Column("method", sa.String(40), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Index("ix_evidence_locations_evidence_id", "evidence_id"),
)

testimonies = sa.Table(
    "testimonies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("pseudonym", sa.String(20), nullable=False, unique=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
    sa.Column("role", sa.String(40), nullable=False),
    sa.Column("interview_date", sa.Date),
    sa.Column("place", sa.Text),
    sa.Column("language", sa.String(16)),
    sa.Column("consent", sa.String(20), nullable=False),
    sa.Column("share_with", JSON, nullable=False),
    sa.Column("interviewer", sa.String(200)),
    sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id")),
    sa.Column("identity", sa.LargeBinary),
    sa.Column("identity_key_id", sa.String(16)),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Index("ix_testimonies_incident_id", "incident_id"),
    sa.Index("ix_testimonies_document_id", "document_id"),
)
