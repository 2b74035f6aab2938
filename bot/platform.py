"""The platform port: what the core may ask of a chat platform without ever naming one.

A platform declares its ``Capabilities`` (how much one message may carry, the rate limits the
delivery pacer keeps under, how a mention and a channel reference are written and parsed) and
sends the messages the bot writes on its own. Slack, Discord and the console implement it in
``adapters/``; the core reads only this contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from bot.delivery import Outcome, Target
from bot.replies import Reply


@dataclass(frozen=True)
class RateLimit:
    """``rate`` messages a second with bursts of up to ``burst``."""

    rate: float
    burst: int


@dataclass(frozen=True)
class Budgets:
    """How much one message may carry, as the platform documents it (renderers keep within).

    ``text_chars`` is one block of text (a Slack section, a Discord embed description);
    ``message_chars`` all the text of one message together.
    """

    text_chars: int = 100_000
    field_chars: int = 100_000
    field_label_chars: int = 100_000
    fields_per_block: int = 1_000
    blocks_per_message: int = 1_000
    message_chars: int = 1_000_000
    buttons_per_message: int = 1_000
    button_label_chars: int = 1_000
    title_chars: int = 1_000
    form_questions: int | None = None
    mentions_per_message: int | None = None


@dataclass(frozen=True)
class MentionSyntax:
    """How a platform writes a person or a channel inside message text, parsed both ways.

    ``user`` must match a whole mention with a group ``id`` and optionally ``name``; ``channel``
    a whole channel reference with a group ``id``. ``None`` means the platform has no syntax.
    """

    user: re.Pattern[str] | None = None
    channel: re.Pattern[str] | None = None
    user_id: re.Pattern[str] | None = None
    channel_id: re.Pattern[str] | None = None

    def parse_user(self, text: str) -> tuple[str, str | None] | None:
        """``(platform user id, name or None)`` when ``text`` is one mention, else None."""
        if self.user is not None and (m := self.user.fullmatch(text.strip())):
            name = m.groupdict().get("name")
            return m["id"], name or None
        return None

    def parse_channel(self, text: str) -> str | None:
        """The channel id ``text`` refers to: a channel reference, or a bare id the platform
        would accept; None when it is neither."""
        text = text.strip()
        if self.channel is not None and (m := self.channel.fullmatch(text)):
            return m["id"]
        if self.channel_id is not None and self.channel_id.fullmatch(text):
            return text
        return None


@dataclass(frozen=True)
class Capabilities:
    """What a platform can show and how fast it may be written to."""

    modals: bool = False
    buttons: bool = False
    files: bool = True
    local_files: bool = False  # a command may name a file on this machine (the console only)
    throttled: bool = True  # members' commands are rate-limited (not the operator's console)
    budgets: Budgets = field(default_factory=Budgets)
    tenant_rate: RateLimit | None = None
    channel_rate: RateLimit | None = None
    bot_rate: RateLimit | None = None  # the bot's own limit, across every workspace it serves
    mentions: MentionSyntax = field(default_factory=MentionSyntax)

    @property
    def max_form_questions(self) -> int | None:
        return self.budgets.form_questions


NEUTRAL = Capabilities()
"""A platform with no limits and no mention syntax: invocations that name none get this."""


@dataclass(frozen=True)
class Standing:
    """Who someone is in their workspace or server: an admin, and the groups (Slack user
    groups, Discord roles) they belong to, by id."""

    admin: bool = False
    groups: frozenset[str] = frozenset()


class Outbound(Protocol):
    """What the delivery worker needs of a platform: the one outbound port.

    Scheduled prompts, summaries and forms to open all go through ``send``, each carrying its
    outbox ``key`` so a platform can make a repeat harmless.
    """

    name: str
    capabilities: Capabilities

    async def send(self, target: Target, reply: Reply, key: str) -> Outcome:
        """Send ``reply`` to ``target`` once and say what happened (never raises for a refusal)."""
        ...

    async def was_delivered(self, target: Target, key: str) -> bool | None:
        """After a crash: did a message with ``key`` arrive? None when the platform can't tell."""
        ...


class Platform(Outbound, Protocol):
    """What the core may ask of any running platform: its outbound port, and the facts only the
    platform knows (whose channel this is, who is an admin) that commands' rules depend on."""

    async def check_channel(self, tenant_id: str, channel_id: str) -> str | None:
        """Why the bot could not post in ``channel_id`` for this workspace or server (it is
        another's, it does not exist, the bot may not post there); None when it can."""
        ...

    async def standing(self, tenant_id: str, user_id: str, groups: frozenset[str]) -> Standing:
        """``user_id``'s standing in the workspace or server: whether they are an admin, and
        which of ``groups`` they belong to (asked only when a rule needs it, e.g. who may create
        cohorts; only the groups asked about, since on Slack each costs a call)."""
        ...
