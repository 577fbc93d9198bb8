"""Tables of the link stage (on the shared metadata; created by migration ``0004_link``).

- ``link_scores``: scored claim pairs that joined an incident, and near-misses, with their
  comparison levels and the sentence that explains them.
- ``link_reviews``: reviewers' decisions (accept / reject a link, split, merge, set grade or
  perpetrator) with who, when and why; re-linking honours them.
- ``observations``: aircraft-observer sightings and radio intercepts imported from CSV logs.
"""

from __future__ import annotations

import sqlalchemy as sa

from docket.store.schema import JSON, metadata

link_scores = sa.Table(
    "link_scores",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("claim_a", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
    sa.Column("claim_b", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
    sa.Column("incident_id", sa.Integer),
    sa.Column("weight", sa.Float, nullable=False),
    sa.Column("probability", sa.Float, nullable=False),
    sa.Column("joined", sa.Boolean, nullable=False),
    sa.Column("levels", JSON, nullable=False),
    sa.Column("explanation", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Index("ix_link_scores_claim_a", "claim_a"),
    sa.Index("ix_link_scores_claim_b", "claim_b"),
    sa.Index("ix_link_scores_incident_id", "incident_id"),
)

link_reviews = sa.Table(
    "link_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action", sa.String(30), nullable=False),
    sa.Column("incident_id", sa.Integer),
    sa.Column("claim_a", sa.Integer),
    sa.Column("claim_b", sa.Integer),
    sa.Column("value", JSON, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index("ix_link_reviews_incident_id", "incident_id"),
)

observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # observer | radio
    sa.Column("observed_at", sa.DateTime, nullable=False),
    sa.Column("aircraft", sa.String(60)),
    sa.Column("callsign", sa.String(60)),
    sa.Column("airbase", sa.String(100)),
    sa.Column("heading", sa.String(60)),
    sa.Column("area", sa.String(200)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("observer", sa.String(200)),
    sa.Column("summary", sa.Text),
    sa.Column("source_file", sa.Text, nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),  # re-import skips it
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Index("ix_observations_observed_at", "observed_at"),
)
