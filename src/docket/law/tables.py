"""Tables of the law stage: right of reply (inquiries sent to parties and their answers)."""

from __future__ import annotations

import sqlalchemy as sa

from docket.store.schema import metadata

replies = sa.Table(
    "replies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id")),
    sa.Column("finding", sa.String(200)),
    sa.Column("party", sa.String(200), nullable=False),
    sa.Column("sent_on", sa.Date, nullable=False),
    sa.Column("channel", sa.String(200)),
    sa.Column("inquiry", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("response_on", sa.Date),
    sa.Column("response", sa.Text),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Index("ix_replies_incident_id", "incident_id"),
)
