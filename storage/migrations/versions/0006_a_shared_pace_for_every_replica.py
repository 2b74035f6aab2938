"""a shared pace for every replica

``pace_buckets``: the delivery pacer's token buckets in the database, so all replicas together
keep to one platform pace per workspace, channel and bot (PostgreSQL; SQLite runs one process).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 20:30:41.012890
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pace_buckets",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("stamp", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_pace_buckets")),
    )


def downgrade() -> None:
    op.drop_table("pace_buckets")
