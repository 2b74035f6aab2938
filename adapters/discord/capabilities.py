"""What Discord can carry and how fast, as Discord documents it: the adapter's half of the contract.

Every limit the Discord renderers keep to is here, next to its source in discord-api-docs
(github.com/discord/discord-api-docs, ``developers/``); ``layout``, ``render``, ``ids`` and the
adapter import them from here and nowhere else. Lengths are code points, as Discord counts them
(discord/discord-api-docs#1315: "the API calculates length based on the number of codepoints").
"""

from __future__ import annotations

import re
from typing import Final

from bot.platform import Budgets, Capabilities, MentionSyntax, RateLimit

# -- a message (resources/message.mdx, Create Message JSON params) ------------------------------
MAX_CONTENT = 2000  # "content: Message contents (up to 2000 characters)"
MAX_EMBEDS = 10  # "embeds: Up to 10 rich embeds (up to 6000 characters)"
MAX_NONCE = 25  # "nonce: ... (up to 25 characters)"
# resources/message.mdx#allowed-mentions-object: "users: Array of user ids to mention, max 100".
MAX_MENTIONED_USERS = 100
# discord.py refuses more than 10 files in one send ("files parameter must be a list of up to 10
# elements", abc.Messageable.send); Discord documents no lower number.
MAX_FILES = 10

# -- an embed (resources/message.mdx#embed-object-embed-limits) ---------------------------------
MAX_TITLE = 256  # title: 256 characters
MAX_DESCRIPTION = 4096  # description: 4096 characters
MAX_FIELDS = 25  # fields: up to 25 field objects
MAX_FIELD_NAME = 256  # field.name: 256 characters (and not empty)
MAX_FIELD_VALUE = 1024  # field.value: 1024 characters (and not empty)
# "the combined sum of characters in all title, description, field.name, field.value,
# footer.text, and author.name fields across all embeds attached to a message must not exceed
# 6000 characters" (Offerbound sets no footer and no author).
MAX_EMBED_TOTAL = 6000

# -- components (components/reference.mdx) ------------------------------------------------------
MAX_ACTION_ROWS = 5  # "Legacy messages allow up to 5 action rows as top-level components"
MAX_ROW_BUTTONS = 5  # Action Row: "Up to 5 interactive button components"
MAX_BUTTONS = MAX_ACTION_ROWS * MAX_ROW_BUTTONS
MAX_BUTTON_LABEL = 80  # Button: "label: ... max 80 characters"
MAX_CUSTOM_ID = 100  # "custom_id ... is a string of 1 to 100 characters", unique per message
MAX_LABEL = 45  # Label: "label: The label text; max 45 characters"
MAX_LABEL_DESCRIPTION = 100  # Label: "description: ... max 100 characters"
MAX_PLACEHOLDER = 100  # Text Input: "placeholder: ... max 100 characters"
MAX_INPUT = 4000  # Text Input: "max_length: min 1, max 4000"; "value: max 4000 characters"

# -- a modal (interactions/receiving-and-responding.mdx#interaction-response-object-modal) -----
MAX_MODAL_TITLE = 45  # "title: Title of the popup modal, max 45 characters"
MAX_MODAL_ITEMS = 5  # "components: Between 1 and 5 (inclusive) components"

# -- threads (resources/channel.mdx#start-thread-from-message) ----------------------------------
MAX_THREAD_NAME = 100  # "name: 1-100 character channel name"
# "auto_archive_duration: ... can be set to: 60, 1440, 4320, 10080": a day suits a daily post.
THREAD_ARCHIVE_MINUTES: Final = 1440
# topics/opcodes-and-status-codes.mdx: "160004 A thread has already been created for this message".
THREAD_EXISTS = 160004

# -- interactions (interactions/receiving-and-responding.mdx#responding-to-an-interaction) -------
# "you must send an initial response within 3 seconds of receiving the event"; Discord's clock
# starts at the interaction's creation, which its snowflake id records (reference.mdx#snowflakes).
INTERACTION_WINDOW = 3.0
# "Interaction tokens are valid for 15 minutes": a repeat delivered later cannot be answered.
INTERACTION_TOKEN_LIFETIME = 15 * 60.0

MENTIONS = MentionSyntax(
    user=re.compile(r"<@!?(?P<id>\d+)>"),  # reference.mdx#message-formatting: <@id>, <@!id>
    channel=re.compile(r"<#(?P<id>\d+)>"),  # <#id>
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
    # topics/rate-limits.mdx#global-rate-limit: 50 requests a second per bot; kept under it.
    tenant_rate=RateLimit(rate=45.0, burst=10),
    mentions=MENTIONS,
)
