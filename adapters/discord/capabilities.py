"""What Discord can carry and how fast, as Discord documents it: the adapter's half of the contract.

Sources (discord-api-docs): ``resources/message.mdx`` (content 2,000 characters, 10 embeds,
``allowed_mentions.users`` at most 100), ``resources/message.mdx#embed-limits`` (title 256,
description 4,096, 25 fields, field name 256, value 1,024, 6,000 characters across a message's
embeds), ``components/reference.mdx`` (5 action rows of 5 buttons, a button label 80, 5 inputs
in a modal), ``topics/rate-limits.mdx`` (50 requests a second per bot, globally) and
``reference.mdx#message-formatting`` (``<@id>``, ``<@!id>``, ``<#id>``).
"""

from __future__ import annotations

import re

from bot.platform import Budgets, Capabilities, MentionSyntax, RateLimit

MAX_CONTENT = 2000
MAX_DESCRIPTION = 4096
MAX_EMBED_TOTAL = 6000
MAX_EMBEDS = 10
MAX_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_TITLE = 256
MAX_BUTTONS = 25
MAX_BUTTON_LABEL = 80
MAX_MODAL_ITEMS = 5
MAX_MENTIONED_USERS = 100

MENTIONS = MentionSyntax(
    user=re.compile(r"<@!?(?P<id>\d+)>"),
    channel=re.compile(r"<#(?P<id>\d+)>"),
    channel_id=re.compile(r"\d{15,25}"),
)

CAPABILITIES = Capabilities(
    modals=True,
    buttons=True,
    files=True,
    budgets=Budgets(
        text_chars=MAX_DESCRIPTION,
        field_chars=MAX_FIELD_VALUE,
        field_label_chars=MAX_FIELD_NAME,
        fields_per_block=MAX_FIELDS,
        blocks_per_message=MAX_EMBEDS,
        message_chars=MAX_EMBED_TOTAL,
        buttons_per_message=MAX_BUTTONS,
        button_label_chars=MAX_BUTTON_LABEL,
        title_chars=MAX_TITLE,
        form_questions=MAX_MODAL_ITEMS,
        mentions_per_message=MAX_MENTIONED_USERS,
    ),
    tenant_rate=RateLimit(rate=45.0, burst=10),  # under the global 50 a second, with a margin
    mentions=MENTIONS,
)
