"""dashboard sign-in links

``dashboard_links``: one-time sign-in links to the web dashboard (``offerbound dashboard link``),
stored as the SHA-256 of the token, each with an expiry and the moment it was used.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:44:07.988049
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_links",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column(
            "tenant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "member_id"],
            ["members.tenant_id", "members.id"],
            name="fk_dashboard_links_member_id_members",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_dashboard_links_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_links")),
        sa.UniqueConstraint("token", name=op.f("uq_dashboard_links_token")),
    )
    with op.batch_alter_table("dashboard_links", schema=None) as batch_op:
        batch_op.create_index("ix_dashboard_links_member", ["tenant_id", "member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dashboard_links", schema=None) as batch_op:
        batch_op.drop_index("ix_dashboard_links_member")

    op.drop_table("dashboard_links")
