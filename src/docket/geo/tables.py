"""Tables of the geo stage: places a user imports, and the protected-facility registry.

The packaged gazetteer needs no tables (it is read from ``data/places``); these hold what a
project adds: GeoNames dumps and site lists (``docket gazetteer import``) and facilities with their
status history (``docket facilities import``). Created by migration ``0003_geo``.
"""

from __future__ import annotations

import sqlalchemy as sa

from docket.store.schema import JSON, metadata

gazetteer_places = sa.Table(
    "gazetteer_places",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("geonames_id", sa.BigInteger),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("feature", sa.String(20), nullable=False),
    sa.Column("feature_code", sa.String(10)),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("country", sa.String(2)),
    sa.Column("admin1_code", sa.String(20)),
    sa.Column("admin1", sa.String(200)),
    sa.Column("admin2", sa.String(200)),
    sa.Column("population", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("facility_type", sa.String(40)),
    sa.Column("aliases", JSON, nullable=False),
    sa.Column("external_ids", JSON, nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Index("ix_gazetteer_places_geonames_id", "geonames_id"),
    sa.Index("ix_gazetteer_places_country", "country"),
)

facilities = sa.Table(
    "facilities",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("facility_type", sa.String(40), nullable=False),
    sa.Column("settlement", sa.Text),
    sa.Column("admin1", sa.String(200)),
    sa.Column("country", sa.String(2)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("aliases", JSON, nullable=False),
    sa.Column("external_ids", JSON, nullable=False),
    sa.Column("status", sa.String(20)),
    sa.Column("deconflicted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("deconflicted_on", sa.Date),
    sa.Column("candidate", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("source", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Index("ix_facilities_facility_type", "facility_type"),
)

facility_status = sa.Table(
    "facility_status",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("facility_id", sa.Integer, sa.ForeignKey("facilities.id"), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("date", sa.Date),
    sa.Column("source", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Index("ix_facility_status_facility_id", "facility_id"),
)
