"""widen Slack's token columns to text, for tokens encrypted at rest

Fernet ciphertext is about 1.4 times the plaintext plus 73 characters, and rotating tokens
(``xoxe.xoxb-...``) are long already, so the 200-character columns slack_sdk declares would cut
them. Values are not touched: rows written in clear keep being read, and ``offerbound secrets
reencrypt`` encrypts them (the migration runs without the key). Downgrading narrows the columns
back and fails on PostgreSQL while any encrypted token is longer than 200 characters.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TOKENS = ("bot_token", "bot_refresh_token")
SECRETS = {
    "slack_bots": TOKENS,
    "slack_installations": (*TOKENS, "user_token", "user_refresh_token", "incoming_webhook_url"),
}


def _retype(old: sa.types.TypeEngine[str], new: sa.types.TypeEngine[str]) -> None:
    for table, columns in SECRETS.items():
        with op.batch_alter_table(table) as batch:
            for name in columns:
                batch.alter_column(name, existing_type=old, type_=new, existing_nullable=True)


def upgrade() -> None:
    _retype(sa.String(length=200), sa.Text())


def downgrade() -> None:
    _retype(sa.Text(), sa.String(length=200))
