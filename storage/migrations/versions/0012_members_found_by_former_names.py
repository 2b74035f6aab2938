"""members found by their former names

``members.platform_name``: the name the platform last gave (so a rename there renames the member,
while a name chosen with ``/me name=`` stays); ``members.former_names``: the names a member had
before, so ``@old-name`` still finds them. Existing members start with their display name as the
platform's and no former names.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("platform_name", sa.String(length=80), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("former_names", sa.Text(), nullable=False, server_default=""))
    op.execute("UPDATE members SET platform_name = display_name")


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("former_names")
        batch_op.drop_column("platform_name")
