"""The platform-neutral invocation: what an adapter hands the core for every command."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.platform import NEUTRAL, Capabilities

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024  # adapters refuse bigger uploads before downloading


@dataclass(frozen=True)
class Attachment:
    """A file the user sent along with the command (a tracker to import), already downloaded."""

    filename: str
    content: bytes
    size: int = -1  # as the platform reported it; a file over the cap is not downloaded at all


@dataclass(frozen=True)
class Invocation:
    """Who ran what, where. Either ``text`` (a typed command line) or ``command`` + ``options``.

    ``tenant_id`` is the Slack workspace (team) id, the Discord guild id, or ``local`` for the
    console; ``user_id`` is the platform's stable user id. ``capabilities`` is the platform's
    contract, so the core reads mentions and channel references in its syntax without naming it.
    """

    platform: str
    tenant_id: str
    user_id: str
    user_name: str
    channel_id: str = ""
    text: str | None = None
    command: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    tenant_name: str = ""
    is_direct_message: bool = False
    attachments: tuple[Attachment, ...] = ()
    capabilities: Capabilities = NEUTRAL
