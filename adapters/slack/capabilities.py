"""What Slack can carry and how fast, as Slack documents it: the adapter's half of the contract.

Sources: Block Kit reference (api.slack.com/reference/block-kit/blocks: a section's text 3,000
characters, 10 fields of 2,000, 50 blocks a message, 100 a view, 25 elements in an actions
block, a button's text 75), views (a modal title 24 characters), rate limits
(api.slack.com/docs/rate-limits: about one message a second per channel, bursts tolerated) and
message formatting (api.slack.com/reference/surfaces/formatting: ``<@U123>``, ``<#C123|name>``).

All the text of one message together (``message_chars``) is undocumented: chat.postMessage
refuses a message whose blocks carry more than about 12,000 characters of text "with a buffer for
block containers" with ``msg_blocks_too_long`` (a Slack engineer in
https://github.com/slackapi/bolt-js/issues/2509, refused at ~13,200 counted characters;
https://github.com/slackapi/bolt-js/issues/2867 was refused at 11,341). Offerbound budgets 10,000,
counted as both reports counted (JavaScript's ``String.length``: UTF-16 code units, an emoji is 2)
over every text object of the blocks (``render.message_text_units``).
"""

from __future__ import annotations

import re

from bot.platform import Budgets, Capabilities, MentionSyntax, RateLimit

SECTION_CHARS = 3000
FIELD_CHARS = 2000
FIELDS_PER_SECTION = 10
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
BUTTONS_PER_ACTIONS = 25
BUTTON_LABEL_CHARS = 75
VIEW_TITLE_CHARS = 24
MESSAGE_TEXT_UNITS = 10_000  # see above: msg_blocks_too_long past ~12,000, budgeted 10,000

# Not a Slack limit but Offerbound's own: a table cell longer than this is cut with an ellipsis,
# so one long company name cannot pad every row of a table (and the message) to its width. The
# whole value is always a command away (`/app show A3`, `/contact show C2`).
TABLE_CELL_CHARS = 40

MENTIONS = MentionSyntax(
    user=re.compile(r"<@(?P<id>[UW][A-Z0-9]+)(?:\|(?P<name>[^>]*))?>"),
    channel=re.compile(r"<#(?P<id>[CGD][A-Z0-9]+)(?:\|[^>]*)?>"),
    channel_id=re.compile(r"[CGD][A-Z0-9]{2,}"),
)

CAPABILITIES = Capabilities(
    modals=True,
    buttons=True,
    files=True,
    budgets=Budgets(
        text_chars=SECTION_CHARS,
        field_chars=FIELD_CHARS,
        field_label_chars=FIELD_CHARS,
        fields_per_block=FIELDS_PER_SECTION,
        blocks_per_message=MESSAGE_BLOCKS,
        message_chars=MESSAGE_TEXT_UNITS,
        buttons_per_message=BUTTONS_PER_ACTIONS,
        button_label_chars=BUTTON_LABEL_CHARS,
        title_chars=VIEW_TITLE_CHARS,
        form_questions=VIEW_BLOCKS - 1,
    ),
    # Kept under with a margin: a workspace's chat.postMessage is rate-limited beyond this.
    tenant_rate=RateLimit(rate=10.0, burst=10),
    channel_rate=RateLimit(rate=1.0, burst=3),
    mentions=MENTIONS,
)
