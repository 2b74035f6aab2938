"""per-tenant numbers for applications, contacts, goals and barriers; composite tenant foreign keys

Ids users see (A12, C7, G3, B2) become per-tenant numbers, so they no longer reveal how many rows
other workspaces have, and every reference between tenant-owned rows becomes
``(tenant_id, x_id) -> parent(tenant_id, id)``, so the database itself refuses a row that points
into another tenant.

1. ``counters``: one row per tenant and kind; the repository hands numbers out from it.
2. ``number`` and ``legacy_id`` on applications, contacts, goals and barriers. Existing rows are
   numbered per tenant in id order, as ``id`` minus the rows of other tenants before it:
   ``id - row_number() over (order by id) + row_number() over (partition by tenant_id order by
   id)``. In a database with one tenant (or tenants whose rows never interleaved) every number
   equals the old id; elsewhere the gaps other tenants left are closed and a tenant's own gaps
   (deleted rows) kept. ``legacy_id`` keeps the old id so it still finds the row for a while.
   The counters start at each tenant's highest number.
3. ``number`` becomes NOT NULL and unique per tenant.
4. ``UNIQUE (tenant_id, id)`` on cohorts, members and applications (the parents), then every
   single-column foreign key between tenant-owned rows is replaced by a composite one with the
   same name and ON DELETE rule, except ``members.cohort_id``: SET NULL would null ``tenant_id``
   too, so it has no ON DELETE action (nothing deletes cohorts).

SQLite rebuilds each table (batch mode, ``recreate="always"``) with foreign keys off, and
``storage.migrate.upgrade`` runs ``PRAGMA foreign_key_check`` before committing; PostgreSQL
alters the tables in place and validates each new constraint as it is added.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 18:30:00.000000
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
NUMBERED = ("applications", "contacts", "goals", "barriers")
PARENTS = ("cohorts", "members", "applications")
# (table, column, parent, ON DELETE before, ON DELETE after); parents come before their children.
REFERENCES = (
    ("members", "cohort_id", "cohorts", "SET NULL", None),
    ("applications", "member_id", "members", "CASCADE", "CASCADE"),
    ("stage_changes", "application_id", "applications", "CASCADE", "CASCADE"),
    ("pauses", "member_id", "members", "CASCADE", "CASCADE"),
    ("contacts", "member_id", "members", "CASCADE", "CASCADE"),
    ("practice_logs", "member_id", "members", "CASCADE", "CASCADE"),
    ("hour_logs", "member_id", "members", "CASCADE", "CASCADE"),
    ("standup_responses", "member_id", "members", "CASCADE", "CASCADE"),
    ("retro_responses", "member_id", "members", "CASCADE", "CASCADE"),
    ("kudos", "cohort_id", "cohorts", "CASCADE", "CASCADE"),
    ("kudos", "from_member_id", "members", "CASCADE", "CASCADE"),
    ("kudos", "to_member_id", "members", "CASCADE", "CASCADE"),
    ("holidays", "cohort_id", "cohorts", "CASCADE", "CASCADE"),
    ("skips", "member_id", "members", "CASCADE", "CASCADE"),
    ("outbox", "cohort_id", "cohorts", "CASCADE", "CASCADE"),
    ("outbox", "member_id", "members", "CASCADE", "CASCADE"),
    ("outbox", "subject_id", "members", "CASCADE", "CASCADE"),
    ("github_links", "member_id", "members", "CASCADE", "CASCADE"),
    ("search_plans", "member_id", "members", "CASCADE", "CASCADE"),
    ("week_plan_blocks", "member_id", "members", "CASCADE", "CASCADE"),
    ("goals", "member_id", "members", "CASCADE", "CASCADE"),
    ("career_plan_rows", "member_id", "members", "CASCADE", "CASCADE"),
    ("barriers", "member_id", "members", "CASCADE", "CASCADE"),
    ("calendar_tokens", "member_id", "members", "CASCADE", "CASCADE"),
)


def _tables() -> list[str]:
    """Every table this migration rebuilds, parents first."""
    names = list(PARENTS)
    for table, *_ in REFERENCES:
        if table not in names:
            names.append(table)
    return names


def _batch(table: str) -> AbstractContextManager[BatchOperations]:
    sqlite = op.get_bind().dialect.name == "sqlite"
    return op.batch_alter_table(table, recreate="always" if sqlite else "auto")


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_counters_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "kind", name=op.f("pk_counters")),
    )
    for table in NUMBERED:
        op.add_column(table, sa.Column("number", sa.Integer(), nullable=True))
        op.add_column(table, sa.Column("legacy_id", ID, nullable=True))
        op.execute(
            f"UPDATE {table} SET number = n.number, legacy_id = {table}.id "
            "FROM (SELECT id, id - row_number() OVER (ORDER BY id) "
            "+ row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS number "
            f"FROM {table}) AS n WHERE {table}.id = n.id"
        )
        op.execute(
            "INSERT INTO counters (tenant_id, kind, value) "
            f"SELECT tenant_id, '{table}', MAX(number) FROM {table} GROUP BY tenant_id"
        )
    for table in _tables():
        with _batch(table) as batch:
            if table in NUMBERED:
                batch.alter_column("number", existing_type=sa.Integer(), nullable=False)
                batch.create_unique_constraint(
                    op.f(f"uq_{table}_tenant_id_number"), ["tenant_id", "number"]
                )
            if table in PARENTS:
                uq_id = op.f(f"uq_{table}_tenant_id_id")
                batch.create_unique_constraint(uq_id, ["tenant_id", "id"])
            for child, column, parent, _, ondelete in REFERENCES:
                if child != table:
                    continue
                name = op.f(f"fk_{table}_{column}_{parent}")
                batch.drop_constraint(name, type_="foreignkey")
                batch.create_foreign_key(
                    name, parent, ["tenant_id", column], ["tenant_id", "id"], ondelete=ondelete
                )


def downgrade() -> None:
    for table in reversed(_tables()):
        with _batch(table) as batch:
            for child, column, parent, ondelete, _ in REFERENCES:
                if child != table:
                    continue
                name = op.f(f"fk_{table}_{column}_{parent}")
                batch.drop_constraint(name, type_="foreignkey")
                batch.create_foreign_key(name, parent, [column], ["id"], ondelete=ondelete)
            if table in PARENTS:
                batch.drop_constraint(op.f(f"uq_{table}_tenant_id_id"), type_="unique")
            if table in NUMBERED:
                batch.drop_constraint(op.f(f"uq_{table}_tenant_id_number"), type_="unique")
                batch.drop_column("legacy_id")
                batch.drop_column("number")
    op.drop_table("counters")
