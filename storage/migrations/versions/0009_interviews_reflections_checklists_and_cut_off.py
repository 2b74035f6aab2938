"""interviews, reflections, checklists and the cut-off (the rest of the plan, issue 16)

``interviews``: each interview or mock interview a member logs (kind, who with, company or
application, questions, how it went, what to improve), numbered per tenant (I1, I2);
``reflections``: a member's reflection and the job search's priority (1-5);
``checklist_items``/``checklist_tasks``: a cohort's housekeeping template and members' copies;
``search_plans.cut_off``: the day a member ends or rethinks the search without an offer.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:55:39.965567
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checklist_items",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "cohort_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "cohort_id"],
            ["cohorts.tenant_id", "cohorts.id"],
            name="fk_checklist_items_cohort_id_cohorts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_checklist_items_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_items")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_checklist_items_tenant_id_id")),
    )
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.create_index("ix_checklist_items_cohort", ["tenant_id", "cohort_id"], unique=False)

    op.create_table(
        "checklist_tasks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "item_id"],
            ["checklist_items.tenant_id", "checklist_items.id"],
            name="fk_checklist_tasks_item_id_checklist_items",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "member_id"],
            ["members.tenant_id", "members.id"],
            name="fk_checklist_tasks_member_id_members",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_checklist_tasks_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_tasks")),
        sa.UniqueConstraint(
            "tenant_id",
            "member_id",
            "item_id",
            name=op.f("uq_checklist_tasks_tenant_id_member_id_item_id"),
        ),
    )
    op.create_table(
        "reflections",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("valued", sa.Text(), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("transferable", sa.Text(), nullable=False),
        sa.Column("interests", sa.Text(), nullable=False),
        sa.Column("overlap", sa.Text(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("other_area", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "member_id"],
            ["members.tenant_id", "members.id"],
            name="fk_reflections_member_id_members",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_reflections_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
        sa.UniqueConstraint(
            "tenant_id", "member_id", name=op.f("uq_reflections_tenant_id_member_id")
        ),
    )
    op.create_table(
        "interviews",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mock", sa.Boolean(), nullable=False),
        sa.Column("with_whom", sa.String(length=120), nullable=False),
        sa.Column(
            "given_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("company", sa.String(length=120), nullable=False),
        sa.Column(
            "application_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("went", sa.Text(), nullable=False),
        sa.Column("improve", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("legacy_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "application_id"],
            ["applications.tenant_id", "applications.id"],
            name="fk_interviews_application_id_applications",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "given_by_id"],
            ["members.tenant_id", "members.id"],
            name="fk_interviews_given_by_id_members",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "member_id"],
            ["members.tenant_id", "members.id"],
            name="fk_interviews_member_id_members",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_interviews_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviews")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_interviews_tenant_id_number")),
    )
    with op.batch_alter_table("interviews", schema=None) as batch_op:
        batch_op.create_index("ix_interviews_given_by", ["tenant_id", "given_by_id"], unique=False)
        batch_op.create_index(
            "ix_interviews_member_day", ["tenant_id", "member_id", "day"], unique=False
        )

    with op.batch_alter_table("search_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cut_off", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("search_plans", schema=None) as batch_op:
        batch_op.drop_column("cut_off")

    with op.batch_alter_table("interviews", schema=None) as batch_op:
        batch_op.drop_index("ix_interviews_member_day")
        batch_op.drop_index("ix_interviews_given_by")

    op.drop_table("interviews")
    op.drop_table("reflections")
    op.drop_table("checklist_tasks")
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.drop_index("ix_checklist_items_cohort")

    op.drop_table("checklist_items")
