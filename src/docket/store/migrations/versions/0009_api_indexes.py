"""API latency: an index for every incident filter the API offers, in the order lists are sent

Revision ID: 0009_api_indexes
Revises: 0008

Incident lists go by ``(date_low, id)``. An equality filter (grade, event type, country,
lower-cased admin1) with that order in one index lets a page be read off the index, and the
rows skipped by ``offset`` are never fetched from the table. ``since`` compares ``date_high``,
so every index carries it: rows before ``since`` are skipped inside the index too. These two
replace ``0007``'s ``(date_low, id)`` and ``(published, date_low, id)``.

The places list counts incidents per place: an index holding every column it reads lets it
group in index order without touching the table (100k incidents: 104 -> 15 ms). Claims are
listed by review status in id order (the review queue, ``?review_status=``).
"""

from __future__ import annotations

from alembic import op

revision = "0009_api_indexes"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_incidents_span": "incidents (date_low, id, date_high)",
    "ix_incidents_published_span": "incidents (published, date_low, id, date_high)",
    "ix_incidents_grade_date": "incidents (grade, date_low, id, date_high)",
    "ix_incidents_event_type_date": "incidents (event_type, date_low, id, date_high)",
    "ix_incidents_country_date": "incidents (country, date_low, id, date_high)",
    "ix_incidents_admin1_lower_date": "incidents (lower(admin1), date_low, id, date_high)",
    "ix_incidents_place_totals": "incidents (place_name, admin1, country, published, lat, lon)",
    "ix_claims_review_status": "claims (review_status, id)",
}
REPLACED = {
    "ix_incidents_date_id": "incidents (date_low, id)",
    "ix_incidents_published_date": "incidents (published, date_low, id)",
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")
    for name in REPLACED:
        op.execute(f"DROP INDEX IF EXISTS {name}")


def downgrade() -> None:
    for name, columns in REPLACED.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
