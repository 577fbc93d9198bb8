"""Join the stages' migration branches; audit record ids may be long (file paths, batch names).

Revision ID: 0008
Revises: 0003_geo, 0004_link, 0005_evidence, 0006_findings, 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = ("0003_geo", "0004_link", "0005_evidence", "0006_findings", "0007")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("record_id", type_=sa.Text(), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("record_id", type_=sa.String(80), existing_nullable=False)
