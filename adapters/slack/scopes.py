"""Every Slack API the adapter uses, with the scopes each needs: the manifest's bot scopes come
from this one table, so a method added to the adapter without its scope fails a test instead of
failing on a real workspace with ``missing_scope``.

Each row names what is used (a Web API method, a file download, an event, the slash commands),
the scopes its documentation page lists for a bot token, why Offerbound uses it, and the page.
A method whose scope depends on the conversation lists every scope Offerbound needs for the
conversations it calls it on (``conversations.history`` reads the cohort channel, public or
private, and the bot's DMs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DOCS = "https://docs.slack.dev/reference"


@dataclass(frozen=True)
class Use:
    """One thing the adapter asks of Slack and the scopes it needs."""

    what: str
    scopes: tuple[str, ...]
    why: str
    source: str
    token: Literal["bot", "app"] = "bot"


USES: tuple[Use, ...] = (
    Use(
        "slash commands",
        ("commands",),
        "every command, under /ob and its aliases",
        f"{DOCS}/scopes/commands",
    ),
    Use(
        "chat.postMessage",
        ("chat:write",),
        "replies in a channel or the bot's DM, scheduled prompts, summaries and their threads",
        f"{DOCS}/methods/chat.postMessage",
    ),
    Use(
        "chat.postMessage to a public channel the bot is not in",
        ("chat:write.public",),
        "cohort summaries in a public channel nobody invited the bot to",
        f"{DOCS}/scopes/chat.write.public",
    ),
    Use(
        "chat.postEphemeral",
        ("chat:write",),
        "private replies in a channel when there is no response_url",
        f"{DOCS}/methods/chat.postEphemeral",
    ),
    Use(
        "conversations.open",
        ("im:write",),
        "open the bot's DM with a member for private replies, files and prompts",
        f"{DOCS}/methods/conversations.open",
    ),
    Use(
        "conversations.history",
        ("channels:history", "groups:history", "im:history"),
        "the delivery recovery check: is a message already in the cohort channel (public or "
        "private) or the member's DM",
        f"{DOCS}/methods/conversations.history",
    ),
    Use(
        "message.im events",
        ("im:history",),
        "commands typed in the bot's DM",
        f"{DOCS}/events/message.im",
    ),
    Use(
        "users.info",
        ("users:read",),
        "the name of a member who reaches the bot through an event (events carry only ids)",
        f"{DOCS}/methods/users.info",
    ),
    Use(
        "users.info for a member's role",
        ("users:read",),
        "whether whoever runs `/cohort create` is a workspace admin or owner",
        f"{DOCS}/methods/users.info",
    ),
    Use(
        "conversations.info",
        ("channels:read", "groups:read"),
        "check a cohort's channel (`channel=`) is this workspace's, public or private, and open",
        f"{DOCS}/methods/conversations.info",
    ),
    Use(
        "usergroups.users.list",
        ("usergroups:read",),
        "who is in the user group OFFERBOUND_COHORT_CREATORS names (`group:S...`)",
        f"{DOCS}/methods/usergroups.users.list",
    ),
    Use(
        "files.getUploadURLExternal",
        ("files:write",),
        "charts, calendars and exports (files_upload_v2, step 1)",
        f"{DOCS}/methods/files.getUploadURLExternal",
    ),
    Use(
        "files.completeUploadExternal",
        ("files:write",),
        "charts, calendars and exports (files_upload_v2, step 2)",
        f"{DOCS}/methods/files.completeUploadExternal",
    ),
    Use(
        "url_private_download",
        ("files:read",),
        "download a tracker a member uploads in the bot's DM (`import tracker`)",
        f"{DOCS}/scopes/files.read",
    ),
    Use("views.open", (), "modals (forms)", f"{DOCS}/methods/views.open"),
    Use("views.publish", (), "the App Home tab (the dashboard)", f"{DOCS}/methods/views.publish"),
    Use("auth.test", (), "whose token it is (Bolt, once per token)", f"{DOCS}/methods/auth.test"),
    Use(
        "oauth.v2.access",
        (),
        "finish a workspace's install (OAuth mode)",
        f"{DOCS}/methods/oauth.v2.access",
    ),
    Use(
        "apps.connections.open",
        ("connections:write",),
        "open the Socket Mode connection (with the app-level token)",
        f"{DOCS}/methods/apps.connections.open",
        token="app",
    ),
)


def uses(what: str) -> Use:
    """The row for ``what`` (a method name as Slack spells it)."""
    for use in USES:
        if use.what == what:
            return use
    raise KeyError(what)


def bot_scopes() -> tuple[str, ...]:
    """Every bot scope some row needs, sorted: what the manifest asks for."""
    return tuple(sorted({s for use in USES if use.token == "bot" for s in use.scopes}))


BOT_SCOPES = bot_scopes()

__all__ = ["BOT_SCOPES", "USES", "Use", "bot_scopes", "uses"]
