"""corrections and an audit trail: numbered practice and hours logs, and the changes table

1. ``number`` and ``legacy_id`` on ``practice_logs`` and ``hour_logs``, as on applications and
   contacts (migration 0005), so members refer to them as P7 and H4. Existing rows are numbered
   per tenant in id order (1, 2, 3...); they were never shown with an id, so ``legacy_id`` stays
   empty. Their counters start at each tenant's highest number. ``number`` then becomes NOT
   NULL and unique per tenant.
2. ``changes``: every log a member added, edited or deleted (and every undo), with who, when,
   the row's table and number, its local day and the row before and after as JSON: ``/undo``
   reverts from it, and a coach's report names a past week changed after it closed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 22:43:13.581989
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
NUMBERED = ("practice_logs", "hour_logs")


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("id", ID, nullable=False),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("tenant_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "member_id"],
            ["members.tenant_id", "members.id"],
            name="fk_changes_member_id_members",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_changes_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index("ix_changes_day", ["tenant_id", "day"], unique=False)
        batch_op.create_index(
            "ix_changes_member_at", ["tenant_id", "member_id", "at"], unique=False
        )

    for table in NUMBERED:
        op.add_column(table, sa.Column("number", sa.Integer(), nullable=True))
        op.add_column(table, sa.Column("legacy_id", ID, nullable=True))
        op.execute(
            f"UPDATE {table} SET number = n.number "
            "FROM (SELECT id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS number "
            f"FROM {table}) AS n WHERE {table}.id = n.id"
        )
        op.execute(
            "INSERT INTO counters (tenant_id, kind, value) "
            f"SELECT tenant_id, '{table}', MAX(number) FROM {table} GROUP BY tenant_id"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
            batch_op.create_unique_constraint(
                batch_op.f(f"uq_{table}_tenant_id_number"), ["tenant_id", "number"]
            )


def downgrade() -> None:
    for table in reversed(NUMBERED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_tenant_id_number"), type_="unique")
            batch_op.drop_column("legacy_id")
            batch_op.drop_column("number")
        op.execute(f"DELETE FROM counters WHERE kind = '{table}'")

    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index("ix_changes_member_at")
        batch_op.drop_index("ix_changes_day")

    op.drop_table("changes")
