"""Checking what reaches ``/slack/events`` before Bolt and the listeners read it.

Bolt parses a request's body while building it and its built-in matchers index into payloads
(``body["actions"][0]["action_id"]``, ``body["view"]["callback_id"]``) without checking their
shape, so a body that is not JSON, or a payload missing what Slack always sends, would end in a
500 and a traceback in the log. Slack itself never sends such payloads: whoever does gets a clear
400 naming what is wrong (a 401 when the request is not signed by Slack either), except an Events
API event, which is acknowledged (Slack would only deliver the same broken event again) and
dropped with a warning. Pure functions, so they are unit-tested without Bolt.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

# Interactive payloads: each one is something a person did, so it names them (``user.id``).
INTERACTIVE = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
        "dialog_suggestion",
    }
)
# Top-level fields that, when present and not null, Slack always sends as objects.
_OBJECTS = ("user", "team", "enterprise", "channel", "container", "view", "message", "event")
# Slack caps private_metadata at 3,000 characters; anything longer was not made by this app.
MAX_METADATA = 3000


def obj(value: object) -> Mapping[str, Any]:
    """``value`` when it is a JSON object, else an empty one: a field of the wrong type reads as
    a missing one."""
    return value if isinstance(value, Mapping) else {}


def parse_problem(body: str, content_type: str | None) -> str | None:
    """Why Bolt could not read ``body`` (its own ``parse_body``, which raises), or None.

    The body must be JSON, a form, or a form whose ``payload`` is JSON, and decode to an object.
    """
    if not body:
        return None
    try:
        if content_type == "application/json" or body.startswith("{"):
            data: object = json.loads(body)
        elif "payload" in body:
            data = json.loads(dict(parse_qsl(body, keep_blank_values=True)).get("payload", "{}"))
        else:
            return None  # a plain form (a slash command): always readable
    except ValueError:
        return "the request body (or its payload) is not valid JSON"
    if not isinstance(data, dict):
        return f"the payload is a JSON {type(data).__name__}, not an object"
    return None


def shape_problem(body: Mapping[str, Any]) -> str | None:
    """What a payload lacks that Slack always sends and Bolt or the listeners rely on, or None."""
    for key in _OBJECTS:
        if body.get(key) is not None and not isinstance(body[key], Mapping):
            return f"`{key}` is not an object"
    kind = body.get("type")
    if kind == "event_callback":
        if not isinstance(obj(body.get("event")).get("type"), str):
            return "the event has no `type`"
        return None
    if kind in INTERACTIVE:
        if not _text(obj(body.get("user")).get("id")):
            return "the payload names no user (`user.id`)"
    elif "command" in body and not _text(body.get("user_id")):
        return "the slash command names no user (`user_id`)"
    if kind in ("view_submission", "view_closed"):
        if not isinstance(body.get("view"), Mapping):
            return "the view submission has no `view`"
        if not _text(body["view"].get("callback_id")):
            return "the view has no `callback_id`"
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "the block action has no `actions`"
        if not all(isinstance(a, Mapping) and _text(a.get("action_id")) for a in actions):
            return "an action has no `action_id`"
    return None


def is_event(body: Mapping[str, Any]) -> bool:
    """An Events API delivery, which Slack wants acknowledged whatever becomes of it."""
    return body.get("type") == "event_callback"


def is_event_body(body: str) -> bool:
    """``is_event`` for a raw JSON body (one Bolt could not read)."""
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and is_event(data)


def signed(secret: str | None, body: str, headers: Mapping[str, Any]) -> bool:
    """Whether Slack signed this request (its timestamp recent), as Bolt checks it; a garbled
    timestamp or signature header is unsigned, not an error."""
    if not secret:
        return False
    flat = {k: (v[0] if isinstance(v, list | tuple) and v else v) for k, v in headers.items()}
    try:
        return SignatureVerifier(secret).is_valid_request(body, flat)
    except (ValueError, TypeError):
        return False


def metadata(view: Mapping[str, Any]) -> dict[str, str]:
    """A modal's ``private_metadata`` as this adapter wrote it (string values only); empty when
    it is missing, not a string, too long to be Slack's, or not a JSON object."""
    raw = view.get("private_metadata")
    if not isinstance(raw, str) or len(raw) > MAX_METADATA:
        return {}
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def input_keys(view: Mapping[str, Any]) -> list[str]:
    """The block ids of a submitted view's input blocks (its fields), skipping malformed ones."""
    blocks = view.get("blocks")
    return [
        b["block_id"]
        for b in (blocks if isinstance(blocks, list) else [])
        if isinstance(b, Mapping) and b.get("type") == "input" and _text(b.get("block_id"))
    ]


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value)
