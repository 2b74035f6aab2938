"""What Discord refuses in a message, a modal or a new thread: the fake's half of strictness.

``tests/fakes/discord_server.py`` runs every body the bot sends through these checks and answers
a refusal exactly as Discord does: HTTP 400 with ``{"code": 50035, "message": "Invalid Form
Body", "errors": {...}}``, the nested ``errors`` naming the field path (``embeds`` → ``0`` →
``fields`` → ``3`` → ``value``) and ending in ``_errors: [{"code": ..., "message": ...}]``.

Every number is written here with its source next to it and is never imported from the product:
a renderer that drifts from Discord's limits then fails a test instead of passing against its own
numbers. Sources are discord-api-docs files (github.com/discord/discord-api-docs, ``developers/``),
the error shapes Discord's answers in public bug reports show.

Lengths are counted in code points, as Discord's API does ("Our API uses Python 3, so the API
calculates length based on the number of codepoints", discord/discord-api-docs#1315). Embed
lengths are counted untrimmed, slightly stricter than Discord, which trims leading and trailing
whitespace first (resources/message.mdx#embed-object-embed-limits); emptiness is judged trimmed,
as Discord does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Error envelopes. reference.mdx#error-messages: form errors are 50035 "Invalid Form Body" with
# the offending key's path; topics/opcodes-and-status-codes.mdx#json-json-error-codes for codes.
INVALID_FORM_BODY = 50035
EMPTY_MESSAGE = 50006  # "Cannot send an empty message"
ALREADY_ACKNOWLEDGED = 40060  # "Interaction has already been acknowledged"
UNKNOWN_INTERACTION = 10062  # "Unknown interaction"
UNKNOWN_MESSAGE = 10008  # "Unknown message"
WRONG_CHANNEL_TYPE = 50024  # "Cannot execute action on this channel type"
THREAD_EXISTS = 160004  # "A thread has already been created for this message"
UNKNOWN_CHANNEL = 10003  # "Unknown channel"
MISSING_ACCESS = 50001  # "Missing access" (a channel of a guild the bot is not in)

# topics/permissions.mdx, Bitwise Permission Flags: ADMINISTRATOR is 1 << 3, SEND_MESSAGES 1 << 11.
ADMINISTRATOR = 1 << 3
SEND_MESSAGES = 1 << 11

# resources/message.mdx, Create Message JSON params: "content: Message contents (up to 2000
# characters)"; bots get 2000 even where Nitro users get 4000 (discord-api-docs#3116).
MAX_CONTENT = 2000
# resources/message.mdx, Create Message: "embeds: Up to 10 rich embeds (up to 6000 characters)".
MAX_EMBEDS = 10
# resources/message.mdx#embed-object-embed-limits, the table, one row each:
MAX_EMBED_TITLE = 256  # title: 256 characters
MAX_EMBED_DESCRIPTION = 4096  # description: 4096 characters
MAX_EMBED_FIELDS = 25  # fields: up to 25 field objects
MAX_EMBED_FIELD_NAME = 256  # field.name: 256 characters
MAX_EMBED_FIELD_VALUE = 1024  # field.value: 1024 characters
MAX_EMBED_FOOTER = 2048  # footer.text: 2048 characters
MAX_EMBED_AUTHOR = 256  # author.name: 256 characters
# Same section: "the combined sum of characters in all title, description, field.name,
# field.value, footer.text, and author.name fields across all embeds attached to a message must
# not exceed 6000 characters". Discord's answer: {"embeds": {"_errors": [{"code":
# "MAX_EMBED_SIZE_EXCEEDED", "message": "Embed size exceeds maximum size of 6000"}]}}
# (quoted in NelsonDane/auto-rsa#451).
MAX_EMBEDS_TOTAL = 6000
# resources/message.mdx#allowed-mentions-object: "roles: Array of role ids to mention, max 100",
# "users: Array of user ids to mention, max 100".
MAX_ALLOWED_USERS = 100
MAX_ALLOWED_ROLES = 100
# resources/message.mdx, Create Message: "nonce: ... (up to 25 characters)".
MAX_NONCE = 25
# components/reference.mdx, Legacy Message Component Behavior: "Legacy messages allow up to 5
# action rows as top-level components".
MAX_ACTION_ROWS = 5
# components/reference.mdx#action-row: "Up to 5 interactive button components"; Discord answers
# "components[0].components[BASE_TYPE_BAD_LENGTH]: Must be between 1 and 5 in length."
# (TFNS/CTFNote#408).
MAX_ROW_BUTTONS = 5
# components/reference.mdx: "custom_id ... is a string of 1 to 100 characters", and "Multiple
# components on the same message must not share the same custom_id".
MAX_CUSTOM_ID = 100
# components/reference.mdx#button-button-structure: "label: ... max 80 characters".
MAX_BUTTON_LABEL = 80
# interactions/receiving-and-responding.mdx#interaction-response-object-modal: "title: Title of
# the popup modal, max 45 characters", "components: Between 1 and 5 (inclusive) components",
# "custom_id: ... 1-100 characters". Discord answers "data.components: Must be between 1 and 5
# in length." (Mateo-tem/discord-modals#53).
MAX_MODAL_TITLE = 45
MAX_MODAL_COMPONENTS = 5
# components/reference.mdx#label-label-structure: "label: max 45 characters", "description: max
# 100 characters"; the deprecated text input label in an action row has the same 45.
MAX_LABEL = 45
MAX_LABEL_DESCRIPTION = 100
# components/reference.mdx#text-input-text-input-structure: "min_length: min 0, max 4000",
# "max_length: min 1, max 4000", "value: max 4000 characters", "placeholder: max 100 characters".
MAX_INPUT_LENGTH = 4000
MAX_PLACEHOLDER = 100
# resources/channel.mdx#start-thread-from-message-json-params: "name: 1-100 character channel
# name"; Discord answers "name[BASE_TYPE_BAD_LENGTH]: Must be between 1 and 100 in length."
# (LandOfTheRair/LandOfTheRair#441).
MAX_THREAD_NAME = 100
# Same table: "auto_archive_duration: ... can be set to: 60, 1440, 4320, 10080".
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)

# Message types of interaction callbacks (interactions/receiving-and-responding.mdx).
CHANNEL_MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL = 4, 5, 6, 7, 9
# Component types (components/reference.mdx#component-object-component-types).
ACTION_ROW, BUTTON, TEXT_INPUT, TEXT_DISPLAY, LABEL = 1, 2, 4, 10, 18
LINK_STYLE, PREMIUM_STYLE = 5, 6

Path = tuple[str | int, ...]


class FormErrors:
    """Discord's nested ``errors`` object, built one refused field at a time."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def __bool__(self) -> bool:
        return bool(self.tree)

    def body(self) -> dict[str, Any]:
        return {"code": INVALID_FORM_BODY, "message": "Invalid Form Body", "errors": self.tree}

    # -- the checks Discord's messages use --------------------------------------------------

    def max_length(self, path: Path, value: Any, limit: int) -> int:
        """``value`` (a string or a list) at most ``limit`` long; its length for totals."""
        size = len(value) if isinstance(value, str | list) else 0
        if size > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
        return size

    def bad_length(self, path: Path, value: Any, low: int, high: int) -> None:
        """``value`` (a string or a list) between ``low`` and ``high`` long, present."""
        if value is None:
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
            return
        size = len(value) if isinstance(value, str | list) else -1
        if not low <= size <= high:
            message = f"Must be between {low} and {high} in length."
            self.add(path, "BASE_TYPE_BAD_LENGTH", message)

    def required_text(self, path: Path, value: Any, limit: int) -> int:
        """A string that must not be empty (after trimming) nor longer than ``limit``."""
        if not isinstance(value, str) or not value.strip():
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
            return 0
        return self.max_length(path, value, limit)

    def number(self, path: Path, value: Any, low: int, high: int) -> None:
        if value is None:
            return
        if not isinstance(value, int) or value < low:
            message = f"int value should be greater than or equal to {low}."
            self.add(path, "NUMBER_TYPE_MIN", message)
        elif value > high:
            self.add(path, "NUMBER_TYPE_MAX", f"int value should be less than or equal to {high}.")


def message_errors(body: Mapping[str, Any] | None, prefix: Path = ()) -> FormErrors:
    """Everything Discord refuses in a message create or edit body (``prefix``: ``data`` in an
    interaction callback)."""
    errors = FormErrors()
    check_message(errors, body or {}, prefix)
    return errors


def check_message(errors: FormErrors, body: Mapping[str, Any], prefix: Path = ()) -> None:
    if body.get("content") is not None:
        errors.max_length((*prefix, "content"), body["content"], MAX_CONTENT)
    if body.get("nonce") is not None:
        errors.max_length((*prefix, "nonce"), str(body["nonce"]), MAX_NONCE)
    embeds = body.get("embeds") or []
    errors.max_length((*prefix, "embeds"), embeds, MAX_EMBEDS)
    total = sum(_embed(errors, embed, (*prefix, "embeds", i)) for i, embed in enumerate(embeds))
    if total > MAX_EMBEDS_TOTAL:
        errors.add(
            (*prefix, "embeds"),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {MAX_EMBEDS_TOTAL}",
        )
    mentions = body.get("allowed_mentions") or {}
    for key, limit in (("users", MAX_ALLOWED_USERS), ("roles", MAX_ALLOWED_ROLES)):
        if mentions.get(key) is not None:
            errors.max_length((*prefix, "allowed_mentions", key), mentions[key], limit)
    _message_components(errors, body.get("components") or [], (*prefix, "components"))


def _embed(errors: FormErrors, embed: Mapping[str, Any], path: Path) -> int:
    """Check one embed; the characters it adds to the message's 6,000."""
    size = 0
    if embed.get("title") is not None:
        size += errors.max_length((*path, "title"), embed["title"], MAX_EMBED_TITLE)
    if embed.get("description") is not None:
        limit = MAX_EMBED_DESCRIPTION
        size += errors.max_length((*path, "description"), embed["description"], limit)
    fields = embed.get("fields") or []
    errors.max_length((*path, "fields"), fields, MAX_EMBED_FIELDS)
    for i, item in enumerate(fields):
        where = (*path, "fields", i)
        size += errors.required_text((*where, "name"), item.get("name"), MAX_EMBED_FIELD_NAME)
        size += errors.required_text((*where, "value"), item.get("value"), MAX_EMBED_FIELD_VALUE)
    footer = embed.get("footer") or {}
    if footer.get("text") is not None:
        size += errors.max_length((*path, "footer", "text"), footer["text"], MAX_EMBED_FOOTER)
    author = embed.get("author") or {}
    if author.get("name") is not None:
        size += errors.max_length((*path, "author", "name"), author["name"], MAX_EMBED_AUTHOR)
    return size


def _message_components(errors: FormErrors, rows: Sequence[Any], path: Path) -> None:
    errors.max_length(path, list(rows), MAX_ACTION_ROWS)
    seen: set[str] = set()
    for r, row in enumerate(rows):
        children = row.get("components")
        errors.bad_length((*path, r, "components"), children, 1, MAX_ROW_BUTTONS)
        for c, child in enumerate(children or []):
            where = (*path, r, "components", c)
            if child.get("type") != BUTTON:
                continue
            if child.get("label") is not None:
                errors.max_length((*where, "label"), child["label"], MAX_BUTTON_LABEL)
            if child.get("style") in (LINK_STYLE, PREMIUM_STYLE):
                continue
            custom_id = child.get("custom_id")
            errors.bad_length((*where, "custom_id"), custom_id, 1, MAX_CUSTOM_ID)
            if isinstance(custom_id, str) and custom_id in seen:
                message = "Component custom id cannot be duplicated"
                errors.add((*where, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", message)
            seen.add(str(custom_id))


def is_empty_message(body: Mapping[str, Any] | None, files: int) -> bool:
    """resources/message.mdx, Create Message: "At least one of content, embeds, sticker_ids,
    components, files[n], poll, or shared_client_theme is required" (else 50006)."""
    body = body or {}
    content = body.get("content")
    return not (
        (isinstance(content, str) and content.strip())
        or body.get("embeds")
        or body.get("components")
        or body.get("sticker_ids")
        or body.get("poll")
        or files
    )


def modal_errors(data: Mapping[str, Any] | None, prefix: Path = ("data",)) -> FormErrors:
    """Everything Discord refuses in a modal (an interaction callback of type 9)."""
    errors = FormErrors()
    data = data or {}
    errors.bad_length((*prefix, "custom_id"), data.get("custom_id"), 1, MAX_CUSTOM_ID)
    errors.bad_length((*prefix, "title"), data.get("title"), 1, MAX_MODAL_TITLE)
    components = data.get("components")
    errors.bad_length((*prefix, "components"), components, 1, MAX_MODAL_COMPONENTS)
    for i, item in enumerate(components or []):
        where = (*prefix, "components", i)
        if item.get("type") == LABEL:
            errors.bad_length((*where, "label"), item.get("label"), 1, MAX_LABEL)
            if item.get("description") is not None:
                limit = MAX_LABEL_DESCRIPTION
                errors.max_length((*where, "description"), item["description"], limit)
            child = item.get("component")
            if child is None:
                errors.add((*where, "component"), "BASE_TYPE_REQUIRED", "This field is required")
            elif child.get("type") == TEXT_INPUT:
                _text_input(errors, child, (*where, "component"), labelled=True)
        elif item.get("type") == ACTION_ROW:
            children = item.get("components")
            errors.bad_length((*where, "components"), children, 1, 1)
            for c, child in enumerate(children or []):
                if child.get("type") == TEXT_INPUT:
                    _text_input(errors, child, (*where, "components", c), labelled=False)
    return errors


def _text_input(errors: FormErrors, item: Mapping[str, Any], path: Path, *, labelled: bool) -> None:
    errors.bad_length((*path, "custom_id"), item.get("custom_id"), 1, MAX_CUSTOM_ID)
    if not labelled:  # the deprecated label of a text input in an action row
        errors.bad_length((*path, "label"), item.get("label"), 1, MAX_LABEL)
    errors.number((*path, "min_length"), item.get("min_length"), 0, MAX_INPUT_LENGTH)
    errors.number((*path, "max_length"), item.get("max_length"), 1, MAX_INPUT_LENGTH)
    if item.get("value") is not None:
        errors.max_length((*path, "value"), item["value"], MAX_INPUT_LENGTH)
    if item.get("placeholder") is not None:
        errors.max_length((*path, "placeholder"), item["placeholder"], MAX_PLACEHOLDER)


def callback_errors(body: Mapping[str, Any] | None) -> FormErrors:
    """An interaction callback: a message (4, 7) checked as one, a modal (9) as a modal."""
    body = body or {}
    kind = body.get("type")
    if kind == MODAL:
        return modal_errors(body.get("data"))
    if kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
        return message_errors(body.get("data"), ("data",))
    return FormErrors()


def thread_errors(body: Mapping[str, Any] | None) -> FormErrors:
    """Start Thread from Message: a name of 1-100 characters (blank counts as empty) and an
    archive duration Discord offers."""
    errors = FormErrors()
    duration = (body or {}).get("auto_archive_duration")
    if duration is not None and duration not in ARCHIVE_DURATIONS:
        choices = ", ".join(map(str, ARCHIVE_DURATIONS))
        message = f"Value must be one of ({choices})."
        errors.add(("auto_archive_duration",), "BASE_TYPE_CHOICES", message)
    name = (body or {}).get("name")
    if name is None:
        errors.add(("name",), "BASE_TYPE_REQUIRED", "This field is required")
    elif not isinstance(name, str) or not name.strip() or len(name) > MAX_THREAD_NAME:
        message = f"Must be between 1 and {MAX_THREAD_NAME} in length."
        errors.add(("name",), "BASE_TYPE_BAD_LENGTH", message)
    return errors
