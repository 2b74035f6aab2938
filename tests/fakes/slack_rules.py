"""What real Slack refuses, as rules the FakeSlackAPI applies to every request it answers.

Every number is written here next to where Slack states (or was seen to enforce) it, and none is
imported from the product: the fake must refuse what Slack refuses even when the product's own
budgets are wrong. Block Kit itself is checked with Slack's own SDK models
(``slack_sdk.models.blocks.Block.parse``, ``slack_sdk.models.views.View`` and their validation,
which raises ``SlackObjectFormationError``), plus the few limits those models do not check.

How the combined text of a message is counted (``blocks_text_length``): every text object in the
blocks, at any depth (a section's text and each of its fields, context elements, button labels,
headers, option texts, rich-text runs: any object whose ``type`` is ``plain_text``, ``mrkdwn``,
``markdown`` or ``text`` and that has a string ``text``), summed in UTF-16 code units. UTF-16
units, because both reports of the limit measured with JavaScript's ``String.length`` (an emoji
counts 2); block types, ids, URLs and button values are not counted. The text is counted as sent,
so Slack's escapes (``&amp;``) count in full.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

# -- messages ---------------------------------------------------------------------------------

# "You can include up to 50 blocks in each message, and 100 blocks in modals or Home tabs."
# https://docs.slack.dev/reference/block-kit/blocks
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100

# Section fields: "Maximum length for the text in each item is 2000 characters."
# https://docs.slack.dev/reference/block-kit/blocks/section-block (the SDK model checks only
# the number of fields, 10, and the section's own text, 3000).
SECTION_FIELD_CHARS = 2000

# chat.postMessage `text`: messages over 40,000 characters are refused with `msg_too_long`.
# https://docs.slack.dev/reference/methods/chat.postMessage (errors: msg_too_long) and
# https://api.slack.com/changelog/2018-04-truncating-really-long-messages
TEXT_CHARS = 40_000

# All the text of one message's blocks together: Slack answers `msg_blocks_too_long` past about
# 12,000 characters "with a buffer for block containers" (a Slack engineer in
# https://github.com/slackapi/bolt-js/issues/2509: refused at ~13,200 counted characters);
# https://github.com/slackapi/bolt-js/issues/2867 was refused at 11,341 counted characters.
# Undocumented and measured differently by each reporter, so budgeted conservatively.
BLOCKS_TEXT_BUDGET = 10_000

TEXT_OBJECT_TYPES = frozenset({"plain_text", "mrkdwn", "markdown", "text"})


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (JavaScript's ``String.length``): an emoji counts 2."""
    return len(text.encode("utf-16-le")) // 2


def blocks_text_length(value: Any) -> int:
    """The combined text of ``value`` (blocks, a block, a view), counted as the module says."""
    if isinstance(value, Mapping):
        own = value.get("text")
        total = (
            utf16_length(own)
            if value.get("type") in TEXT_OBJECT_TYPES and isinstance(own, str)
            else 0
        )
        return total + sum(blocks_text_length(v) for v in value.values() if not isinstance(v, str))
    if isinstance(value, list):
        return sum(blocks_text_length(v) for v in value)
    return 0


def block_errors(blocks: Any, *, pointer: str, max_blocks: int) -> list[str]:
    """Slack's ``errors`` for a ``blocks`` array: empty when every block is valid.

    Each error reads like Slack's: ``<what> [json-pointer:/blocks/3/text]``.
    """
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{pointer}]"]
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"no more than {max_blocks} items allowed [json-pointer:{pointer}]")
    for i, block in enumerate(blocks):
        here = f"{pointer}/{i}"
        if not isinstance(block, Mapping):
            errors.append(f"must be an object [json-pointer:{here}]")
            continue
        try:
            parsed = Block.parse(dict(block))
            if parsed is None:
                errors.append(f"unsupported type: {block.get('type')} [json-pointer:{here}/type]")
                continue
            parsed.validate_json()
            parsed.to_dict()  # validates every nested element and text object too
        except SlackObjectFormationError as exc:
            errors.append(f"{exc} [json-pointer:{here}]")
            continue
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            errors.append(f"invalid block ({exc}) [json-pointer:{here}]")
            continue
        errors += [
            f"must be more than 0 characters [json-pointer:{p}]" for p in _empty(block, here)
        ]
        for j, item in enumerate(block.get("fields") or ()):
            text = item.get("text") if isinstance(item, Mapping) else None
            if isinstance(text, str) and len(text) > SECTION_FIELD_CHARS:
                errors.append(
                    f"must be less than {SECTION_FIELD_CHARS + 1} characters "
                    f"[json-pointer:{here}/fields/{j}/text]"
                )
    return errors


def _empty(value: Any, pointer: str) -> list[str]:
    """Where a text object has no text: Slack refuses `"text": ""` in a section or a button
    (https://github.com/slackapi/bolt-js/issues/793); the SDK models check only plain_text."""
    found: list[str] = []
    if isinstance(value, Mapping):
        if value.get("type") in TEXT_OBJECT_TYPES and value.get("text") == "":
            found.append(f"{pointer}/text")
        for key, item in value.items():
            if not isinstance(item, str):
                found += _empty(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _empty(item, f"{pointer}/{i}")
    return found


def view_errors(view: Any) -> list[str]:
    """Slack's ``response_metadata.messages`` for a view (without the ``[ERROR]`` prefix)."""
    if not isinstance(view, Mapping):
        return ["must be an object [json-pointer:/view]"]
    errors = block_errors(view.get("blocks") or [], pointer="/view/blocks", max_blocks=VIEW_BLOCKS)
    try:
        View(**dict(view)).validate_json()
    except SlackObjectFormationError as exc:
        errors.append(f"{exc} [json-pointer:/view]")
    except (TypeError, AttributeError, ValueError, KeyError) as exc:
        errors.append(f"invalid view ({exc}) [json-pointer:/view]")
    return errors


def invalid_blocks(errors: Sequence[str]) -> dict[str, Any]:
    """chat.postMessage's answer to bad blocks (HTTP 200), e.g. from
    https://github.com/slackapi/java-slack-sdk/issues/1017:
    ``{"ok": false, "error": "invalid_blocks", "errors": [...], "response_metadata": ...}``."""
    return {
        "ok": False,
        "error": "invalid_blocks",
        "errors": list(errors),
        "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]},
    }


def invalid_view(errors: Sequence[str]) -> dict[str, Any]:
    """views.open/update/publish's answer to a bad view: ``invalid_arguments`` with the reasons
    in ``response_metadata.messages`` (``[ERROR] must be less than 24 characters
    [json-pointer:/view/title/text]``: https://github.com/jeremeamia/slack-block-kit/issues/3,
    https://github.com/slackapi/bolt-js/issues/407)."""
    return {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]},
    }


# -- scopes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Needs:
    """The bot-token scopes a Web API method needs, per its documentation page ``source``."""

    scopes: tuple[str, ...]
    source: str


# Every method the fake answers, with the bot scope its documentation page lists. A method that
# accepts several scopes depending on the conversation (conversations.history, .open) is listed
# with the one for the common case and refined by ``needed_scopes``.
METHOD_SCOPES: dict[str, Needs] = {
    "auth.test": Needs((), "https://docs.slack.dev/reference/methods/auth.test"),
    "oauth.v2.access": Needs((), "https://docs.slack.dev/reference/methods/oauth.v2.access"),
    "apps.connections.open": Needs(
        ("connections:write",), "https://docs.slack.dev/reference/methods/apps.connections.open"
    ),
    "chat.postMessage": Needs(
        ("chat:write",), "https://docs.slack.dev/reference/methods/chat.postMessage"
    ),
    "chat.postEphemeral": Needs(
        ("chat:write",), "https://docs.slack.dev/reference/methods/chat.postEphemeral"
    ),
    "chat.update": Needs(("chat:write",), "https://docs.slack.dev/reference/methods/chat.update"),
    "conversations.open": Needs(
        ("im:write",), "https://docs.slack.dev/reference/methods/conversations.open"
    ),
    "conversations.history": Needs(
        ("channels:history",), "https://docs.slack.dev/reference/methods/conversations.history"
    ),
    "users.info": Needs(("users:read",), "https://docs.slack.dev/reference/methods/users.info"),
    "conversations.info": Needs(
        ("channels:read",), "https://docs.slack.dev/reference/methods/conversations.info"
    ),
    "usergroups.users.list": Needs(
        ("usergroups:read",), "https://docs.slack.dev/reference/methods/usergroups.users.list"
    ),
    "files.getUploadURLExternal": Needs(
        ("files:write",), "https://docs.slack.dev/reference/methods/files.getUploadURLExternal"
    ),
    "files.completeUploadExternal": Needs(
        ("files:write",), "https://docs.slack.dev/reference/methods/files.completeUploadExternal"
    ),
    "views.open": Needs((), "https://docs.slack.dev/reference/methods/views.open"),
    "views.update": Needs((), "https://docs.slack.dev/reference/methods/views.update"),
    "views.publish": Needs((), "https://docs.slack.dev/reference/methods/views.publish"),
}

# Downloading a file's url_private(_download) with a bot token needs files:read
# (https://docs.slack.dev/reference/scopes/files.read); without it Slack answers HTTP 200 with
# its HTML sign-in page instead of the file (https://github.com/vercel/eve/pull/1567).
DOWNLOAD_SCOPE = "files:read"

# An app-level token (xapp-...) carries connections:write, the scope it is generated with
# (https://docs.slack.dev/authentication/tokens#app-level).
APP_TOKEN_SCOPES = frozenset({"connections:write"})

# chat.postMessage to a public channel the bot is not in needs chat:write.public; to a private
# one it is not in, Slack answers channel_not_found
# (https://docs.slack.dev/reference/scopes/chat.write.public,
# https://docs.slack.dev/reference/methods/chat.postMessage errors).
PUBLIC_POST_SCOPE = "chat:write.public"


def needed_scopes(
    method: str, body: Mapping[str, Any], *, private: Iterable[str], outside: Iterable[str]
) -> tuple[str, ...]:
    """The scopes ``method`` needs for this request (all of them, in order)."""
    needs = METHOD_SCOPES[method].scopes
    channel = str(body.get("channel") or "")
    match method:
        case "conversations.history":  # the *:history scope of the conversation's kind
            if channel.startswith("D"):
                return ("im:history",)
            if channel.startswith("G") or channel in set(private):
                return ("groups:history",)
            return ("channels:history",)
        case "conversations.info":  # the *:read scope of the conversation's kind
            if channel.startswith("D"):
                return ("im:read",)
            if channel.startswith("G") or channel in set(private):
                return ("groups:read",)
            return ("channels:read",)
        case "conversations.open":  # several users: a group DM
            users = [u for u in str(body.get("users") or "").split(",") if u]
            return ("mpim:write",) if len(users) > 1 else ("im:write",)
        case "chat.postMessage" if channel in set(outside) and channel not in set(private):
            return (*needs, PUBLIC_POST_SCOPE)
    return needs


def missing_scope(needed: str, provided: Iterable[str]) -> dict[str, Any]:
    """Slack's answer when the token lacks a scope the method needs (HTTP 200), with the
    ``needed`` and ``provided`` fields Slack adds (typed in the Node SDK's responses, e.g.
    https://docs.slack.dev/tools/node-slack-sdk/reference/web-api/type-aliases/ConversationsHistoryResponse)."""
    return {
        "ok": False,
        "error": "missing_scope",
        "needed": needed,
        "provided": ",".join(sorted(provided)),
    }


def manifest_bot_scopes(manifest: Path) -> frozenset[str]:
    """The bot scopes an app created from ``manifest`` is granted, read the way Slack reads
    the file (YAML: ``oauth_config.scopes.bot``)."""
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    return frozenset(str(s) for s in data["oauth_config"]["scopes"]["bot"])


SIGN_IN_PAGE = (
    "<!DOCTYPE html><html><head><title>Slack</title></head>"
    "<body><h1>Sign in to your workspace</h1></body></html>"
)


# -- token rotation -----------------------------------------------------------------------------

# With token rotation on, "the access token ... expires every 12 hours", and exchanging a refresh
# token for a new access token revokes that refresh token: "a new refresh token is used to
# exchange the new expiring access token when it expires"
# (https://docs.slack.dev/authentication/using-token-rotation). The exchange is oauth.v2.access
# with grant_type=refresh_token, client_id and client_secret (HTTP Basic auth or form fields), and
# answers token_type, access_token, refresh_token, expires_in (seconds), scope, team; a refresh
# token that is unknown or already spent is refused with invalid_refresh_token
# (https://docs.slack.dev/reference/methods/oauth.v2.access, errors). An API call with an access
# token past its expiry is refused with token_expired (same guide: "token_expired" once it
# expires).
ROTATED_TOKEN_SECONDS = 43_200
REFRESH_GRANT = "refresh_token"
EXPIRED_TOKEN = {"ok": False, "error": "token_expired"}
INVALID_REFRESH_TOKEN = {"ok": False, "error": "invalid_refresh_token"}
BAD_CLIENT = {"ok": False, "error": "invalid_client_id"}
BAD_CLIENT_SECRET = {"ok": False, "error": "bad_client_secret"}
