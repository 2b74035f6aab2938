"""add plans, goals, career plan, barriers, calendar tokens and GitHub links

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 21:48:46.147406
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "barriers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("barrier", sa.String(length=300), nullable=False),
        sa.Column("overcome", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_barriers_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_barriers_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_barriers")),
    )
    with op.batch_alter_table("barriers", schema=None) as batch_op:
        batch_op.create_index("ix_barriers_member", ["tenant_id", "member_id"], unique=False)

    op.create_table(
        "calendar_tokens",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_calendar_tokens_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_calendar_tokens_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_calendar_tokens_token")),
    )
    with op.batch_alter_table("calendar_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_calendar_member", ["tenant_id", "member_id"], unique=False)

    op.create_table(
        "career_plan_rows",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("horizon", sa.String(length=8), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("resources", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("timeline", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_career_plan_rows_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_career_plan_rows_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_career_plan_rows")),
        sa.UniqueConstraint(
            "tenant_id",
            "member_id",
            "horizon",
            name=op.f("uq_career_plan_rows_tenant_id_member_id_horizon"),
        ),
    )
    op.create_table(
        "github_links",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("repo", sa.String(length=100), nullable=False),
        sa.Column("etag", sa.String(length=200), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.Column("retry_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_github_links_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_github_links_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_github_links")),
        sa.UniqueConstraint(
            "tenant_id", "member_id", name=op.f("uq_github_links_tenant_id_member_id")
        ),
    )
    op.create_table(
        "goals",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("specific", sa.Text(), nullable=False),
        sa.Column("measurable", sa.Text(), nullable=False),
        sa.Column("actionable", sa.Text(), nullable=False),
        sa.Column("resonant", sa.Text(), nullable=False),
        sa.Column("timely", sa.Date(), nullable=True),
        sa.Column("metric", sa.String(length=20), nullable=False),
        sa.Column("target", sa.Integer(), nullable=True),
        sa.Column("start_day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_goals_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_goals_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index("ix_goals_member", ["tenant_id", "member_id", "status"], unique=False)

    op.create_table(
        "search_plans",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("offer_by", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_search_plans_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_search_plans_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_plans")),
        sa.UniqueConstraint(
            "tenant_id", "member_id", name=op.f("uq_search_plans_tenant_id_member_id")
        ),
    )
    op.create_table(
        "week_plan_blocks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_week_plan_blocks_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_week_plan_blocks_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_week_plan_blocks")),
        sa.UniqueConstraint(
            "tenant_id",
            "member_id",
            "weekday",
            "category",
            name=op.f("uq_week_plan_blocks_tenant_id_member_id_weekday_category"),
        ),
    )
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("apps_per_interview", sa.Integer(), nullable=False, server_default="10")
        )
        batch_op.add_column(
            sa.Column("interviews_per_offer", sa.Integer(), nullable=False, server_default="4")
        )


def downgrade() -> None:
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("interviews_per_offer")
        batch_op.drop_column("apps_per_interview")

    op.drop_table("week_plan_blocks")
    op.drop_table("search_plans")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index("ix_goals_member")

    op.drop_table("goals")
    op.drop_table("github_links")
    op.drop_table("career_plan_rows")
    with op.batch_alter_table("calendar_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_calendar_member")

    op.drop_table("calendar_tokens")
    with op.batch_alter_table("barriers", schema=None) as batch_op:
        batch_op.drop_index("ix_barriers_member")

    op.drop_table("barriers")
