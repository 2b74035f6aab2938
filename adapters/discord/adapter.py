"""The Discord adapter: interactions and DMs in, embeds, buttons and modals out.

Every slash command, button press, modal submission and typed DM becomes one ``Invocation`` for
the core; its ``Reply`` is laid out within Discord's limits and sent. Answers go out within
Discord's three seconds, counted from the interaction's creation (its snowflake), not from when
the bot picked it up: when the core is slower, or the interaction arrived late, it is deferred
and followed up. An interaction delivered twice (a gateway replay) runs once.

A channel post the bot makes on its own with a thread (a standup summary and its answers) is one
post in the channel and a thread started from it holding the detail.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp
import discord
from aiohttp import web
from discord import app_commands

from adapters.base import PlatformSetupError, PlatformUnavailable
from adapters.discord.capabilities import (
    CAPABILITIES,
    INTERACTION_TOKEN_LIFETIME,
    INTERACTION_WINDOW,
    MAX_BUTTONS,
    THREAD_ARCHIVE_MINUTES,
    THREAD_EXISTS,
)
from adapters.discord.connection import endpoints, make_client
from adapters.discord.delivery import nonce_for, outcome_of
from adapters.discord.ids import Action, CustomId, RecentIds, Stash, decode, fits
from adapters.discord.layout import Message, Post, layout, layout_post
from adapters.discord.payloads import (
    PayloadError,
    interaction_problem,
    modal_answers,
    read_command,
)
from adapters.discord.render import build_modal, form_parts, message_kwargs
from adapters.discord.respond import deadline_for, in_time, notify, send_messages, sole_form
from adapters.discord.rights import ANOTHER_SERVER, GuildRights
from adapters.discord.settings import DiscordSettings
from adapters.discord.tenancy import MutualGuilds
from bot.delivery import Delivered, Outcome, RetryLater, Target, Unreachable
from bot.invocation import MAX_ATTACHMENT_BYTES, Attachment, Invocation
from bot.platform import Platform, Standing
from bot.registry import Registry
from bot.replies import Button, Form, Reply

log = logging.getLogger("offerbound.discord")

PLATFORM = "discord"
# Seconds after an interaction's creation by which it is answered or deferred: Discord's window
# less a margin for the deferral's own round trip.
DEFER_MARGIN = 1.0
DEFER_AFTER = INTERACTION_WINDOW - DEFER_MARGIN
UNREADABLE = "Discord sent this in a form Offerbound can't read"
CHANNEL_MESSAGE, EPHEMERAL = 4, 64  # an interaction callback's type and private message flag


class Core(Protocol):
    """What the adapter needs of the core (the ``App``): its registry and ``handle``."""

    registry: Registry

    async def handle(self, invocation: Invocation) -> Reply: ...

    def attach(self, platform: Platform) -> None: ...

    async def suggest(
        self, invocation: Invocation, command: str, param: str, typed: str
    ) -> list[tuple[str, str]]: ...


@dataclass(frozen=True)
class Where:
    """The tenant (guild) an event belongs to."""

    tenant_id: str
    tenant_name: str
    is_direct_message: bool


@dataclass
class PendingForm:
    """A form being filled in over several modals, or a rejected one to fill in again."""

    user_id: int
    submit_command: str
    answers: dict[str, str] = field(default_factory=dict)
    form: Form | None = None


class DiscordAdapter:
    """Serves the core on Discord through one discord.py client (sharded when configured)."""

    name = PLATFORM
    capabilities = CAPABILITIES

    def __init__(
        self,
        core: Core,
        settings: DiscordSettings,
        *,
        defer_after: float = DEFER_AFTER,
        client_options: dict[str, Any] | None = None,
    ) -> None:
        self.core = core
        self.settings = settings
        self.defer_after = defer_after
        self.client = make_client(settings, **(client_options or {}))
        self.client.event(self.on_interaction)
        self.client.event(self.on_message)
        self._guard_interactions()
        self.mutual = MutualGuilds(lambda: list(self.client.guilds))
        self.rights = GuildRights(self.client)
        self._lines: Stash[str] = Stash()
        self._pending: Stash[PendingForm] = Stash()
        self._seen = RecentIds(ttl=INTERACTION_TOKEN_LIFETIME)
        self.repeats = 0  # interactions delivered again and not run again
        self._task: asyncio.Task[None] | None = None
        self._exit = ExitStack()
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._refusing: set[asyncio.Task[None]] = set()
        core.attach(self)

    # -- the runtime's contract -----------------------------------------------------------

    async def start(self) -> None:
        """Log in, connect to the gateway and return once the guilds are known.

        A refused token or intent, or an unreachable Discord, raises ``PlatformUnavailable``
        with what to check.
        """
        token = self.settings.token_value()
        if not token:
            raise PlatformSetupError(
                "DISCORD_TOKEN is not set. See docs/discord.md, or run "
                "`offerbound run --platform console`."
            )
        self._exit.enter_context(endpoints(self.settings.api_url, self.settings.gateway_url))
        with _explained():
            await self.client.login(token)
            self._task = asyncio.create_task(self.client.connect(), name="discord-gateway")
            ready = asyncio.create_task(self.client.wait_until_ready())
            await asyncio.wait({ready, self._task}, return_when=asyncio.FIRST_COMPLETED)
            if self._task.done():
                ready.cancel()
                self._task.result()
                raise PlatformUnavailable("the Discord gateway closed before the bot was ready")

    async def wait_closed(self) -> None:
        """Return when the gateway connection ends for good (discord.py reconnects by itself)."""
        if self._task is not None:
            with _explained():
                await self._task

    def routes(self) -> list[web.RouteDef]:
        return []  # everything arrives over the gateway

    def connected(self) -> bool:
        return self.client.is_ready()

    def describe(self, port: int | None) -> str:
        shards = f", {self.client.shard_count} shards" if self.client.shard_count else ""
        return f"Offerbound on Discord: gateway connected{shards}; HTTP on port {port}"

    async def stop(self, *, grace: float = 5.0) -> None:
        """Let answers in progress finish (up to ``grace`` seconds), then disconnect."""
        with contextlib.suppress(TimeoutError):
            await self.idle(grace)
        await self.client.close()
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._task
        self._exit.close()

    async def idle(self, timeout: float | None = None) -> None:
        """Wait until no interaction or message is being answered."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    @contextlib.contextmanager
    def _working(self) -> Iterator[None]:
        self._busy += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._busy -= 1
            if not self._busy:
                self._idle.set()

    # -- the platform port: messages the bot sends on its own ------------------------------

    async def send(self, target: Target, reply: Reply, key: str) -> Outcome:
        """Send a message the bot writes on its own (a form becomes a message with a button
        that opens it) once: the outbox key becomes an enforced nonce, so Discord itself drops
        a repeat sent within a few minutes.

        A channel post with a thread goes out as the post, then a thread started from its first
        message holding the thread's blocks; a DM has no threads, so its detail follows inline.
        A channel of another server than the target's is refused.
        """
        if refused := await self._foreign(target):
            return Unreachable(refused)
        if target.channel_id:
            post = layout_post(reply, self._custom_id_for)
        else:
            post = Post(self._layout(reply, notify=True))
        try:
            channel = await self._channel_for(target)
            first, *rest = post.messages
            sent = await channel.send(**message_kwargs(first), nonce=nonce_for(key))
        except discord.RateLimited as exc:
            return RetryLater(after=exc.retry_after, reason="rate limited")
        except discord.HTTPException as exc:
            return outcome_of(exc, dm=not target.channel_id)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return RetryLater(after=30.0, reason=f"network: {exc.__class__.__name__}")
        try:  # the first message is out: the rest is best effort, never a duplicate
            for message in rest:
                await channel.send(**message_kwargs(message))
            if post.thread:
                await self._post_thread(target, channel, sent, post)
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError, OSError) as exc:
            log.warning("part of delivery %s was not sent: %s", key, exc)
        return Delivered(ref=str(sent.id))

    async def _post_thread(
        self,
        target: Target,
        channel: discord.abc.Messageable,
        parent: discord.Message,
        post: Post,
    ) -> None:
        """Start a public thread from ``parent`` and post the thread's messages in it.

        A thread already started from it means this post is a repeat whose thread went out
        before: nothing more is sent. If Discord refuses the thread or the posts in it (no Create
        Public Threads or no Send Messages in Threads permission), the detail follows the post
        in the channel instead of being lost.
        """
        where: discord.abc.Messageable = channel
        try:
            thread = await self.client.http.start_thread_with_message(
                parent.channel.id,
                parent.id,
                name=post.thread_name,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
            where = self.client.get_partial_messageable(
                int(thread["id"]),
                guild_id=_guild_id(target),
                type=discord.ChannelType.public_thread,
            )
        except discord.HTTPException as exc:
            if exc.code == THREAD_EXISTS:
                log.info("message %s already has its thread; not posting it again", parent.id)
                return
            log.warning("no thread for message %s (%s); its detail follows it", parent.id, exc)
        for message in post.thread:
            try:
                await where.send(**message_kwargs(message))
            except discord.Forbidden as exc:
                if where is channel:
                    raise
                log.warning(
                    "cannot post in the thread of %s (%s); its detail follows it", parent.id, exc
                )
                where = channel
                await where.send(**message_kwargs(message))

    async def was_delivered(self, target: Target, key: str) -> bool | None:
        """Discord cannot be asked which nonces it saw; the enforced nonce covers quick repeats."""
        return None

    async def _foreign(self, target: Target) -> str | None:
        """Refuse a post to a channel of another server than the target's tenant: channel ids
        are global, so a cohort's channel saved before it was checked, or a row tampered with,
        could otherwise make the bot post in a server the cohort does not belong to."""
        if not target.channel_id:
            return None
        guild = await self.rights.guild_of(int(target.channel_id))
        return ANOTHER_SERVER if guild is not None and str(guild) != target.tenant_id else None

    async def check_channel(self, tenant_id: str, channel_id: str) -> str | None:
        """Is ``channel_id`` a text channel of server ``tenant_id`` the bot may post in?"""
        return await self.rights.check_channel(tenant_id, channel_id)

    async def standing(self, tenant_id: str, user_id: str, groups: frozenset[str]) -> Standing:
        """The server's owner, Administrator or Manage Server, and which roles of ``groups``."""
        return await self.rights.standing(tenant_id, user_id, groups)

    async def _channel_for(self, target: Target) -> discord.abc.Messageable:
        if target.channel_id:
            return self.client.get_partial_messageable(
                int(target.channel_id), guild_id=_guild_id(target)
            )
        return await self.client.create_dm(discord.Object(int(target.user_id)))

    # -- events -----------------------------------------------------------------------------

    def _guard_interactions(self) -> None:
        """Check each INTERACTION_CREATE before discord.py parses it (``interaction_problem``).

        discord.py trusts the gateway: an interaction missing a field it reads raises in its
        gateway reader, which ends the connection (and the resumed session replays the event).
        A malformed one is refused here instead, with a warning, and its member told so when
        the payload at least says how to answer it.
        """
        parsers: dict[str, Any] = self.client._connection.parsers
        parse = parsers["INTERACTION_CREATE"]

        def guarded(data: Any) -> None:
            problem = interaction_problem(data)
            if problem is None:
                parse(data)
                return
            log.warning("refused a malformed interaction: %s", problem)
            task = asyncio.get_running_loop().create_task(self._refuse(data, problem))
            self._refusing.add(task)
            task.add_done_callback(self._refusing.discard)

        parsers["INTERACTION_CREATE"] = guarded

    async def _refuse(self, data: Any, problem: str) -> None:
        """Answer a malformed interaction (when its id and token are usable) with a notice."""
        ids = data if isinstance(data, dict) else {}
        interaction_id, token = ids.get("id"), ids.get("token")
        if not (isinstance(interaction_id, str) and interaction_id.isdigit()):
            return
        if not isinstance(token, str) or not token:
            return
        notice = self._notice(f"{UNREADABLE} ({problem}). Run the command again.")
        message: dict[str, Any] = {
            "content": notice.content(),
            "embeds": notice.embeds(),
            "allowed_mentions": {"parse": []},
            "flags": EPHEMERAL,
        }
        body = {"type": CHANNEL_MESSAGE, "data": message}
        route = discord.http.Route(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            interaction_id=interaction_id,
            interaction_token=token,
        )
        with contextlib.suppress(discord.HTTPException, aiohttp.ClientError, OSError):
            await self.client.http.request(route, json=body)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if not self._seen.first(interaction.id):
            self.repeats += 1  # a replayed delivery: the first one is (being) answered
            log.info("interaction %s delivered again; not run twice", interaction.id)
            return
        with self._working():
            await self._on_interaction(interaction)

    async def on_message(self, message: discord.Message) -> None:
        """A command typed in a DM with the bot (guild messages are not read at all)."""
        with self._working():
            try:
                await self._on_message(message)
            except Exception:
                log.exception("DM message %s failed", message.id)
                with contextlib.suppress(discord.HTTPException):
                    notice = self._notice("Sorry, something went wrong on our side.")
                    await message.channel.send(**message_kwargs(notice))

    async def _on_interaction(self, interaction: discord.Interaction) -> None:
        deadline = deadline_for(interaction.id, self.defer_after)
        try:
            match interaction.type:
                case discord.InteractionType.application_command:
                    await self._on_command(interaction, deadline)
                case discord.InteractionType.autocomplete:
                    await self._on_autocomplete(interaction)
                case discord.InteractionType.component:
                    await self._on_component(interaction, deadline)
                case discord.InteractionType.modal_submit:
                    await self._on_modal(interaction, deadline)
        except PayloadError as exc:  # not as Discord sends it: said plainly, nothing run
            log.warning("interaction %s could not be read: %s", interaction.id, exc)
            await self._notify(interaction, f"{UNREADABLE} ({exc}). Run the command again.")
        except Exception:
            log.exception("interaction %s failed", interaction.id)
            await self._notify(interaction, "Sorry, something went wrong on our side.")

    async def _on_message(self, message: discord.Message) -> None:
        if message.guild is not None or message.author.bot or not message.content.strip():
            return
        where = await self._where(message.author.id, None, "")
        if isinstance(where, str):
            await message.channel.send(**message_kwargs(self._notice(where)))
            return
        invocation = self._invocation(
            message.author,
            message.channel.id,
            where,
            text=message.content,
            attachments=await _downloads(message.attachments),
        )
        reply = await self.core.handle(invocation)
        for out in self._layout(reply):
            await message.channel.send(**message_kwargs(out))

    # -- interaction kinds ----------------------------------------------------------------

    async def _on_command(self, interaction: discord.Interaction, deadline: float) -> None:
        call = read_command(interaction.data or {})
        where = await self._where_of(interaction)
        if where is None:
            return
        invocation = self._invocation(
            interaction.user,
            interaction.channel_id,
            where,
            command=call.command,
            options=call.options,
        )
        await self._answer(interaction, invocation, deadline)

    async def _on_autocomplete(self, interaction: discord.Interaction) -> None:
        call = read_command(interaction.data or {})
        user = interaction.user
        where = await self._where(user.id, interaction.guild_id, _guild_name(interaction))
        pairs: list[tuple[str, str]] = []
        if call.focused and not isinstance(where, str):
            invocation = self._invocation(user, interaction.channel_id, where)
            pairs = await self.core.suggest(invocation, call.command, call.focused, call.typed)
        await interaction.response.autocomplete(
            [app_commands.Choice(name=label, value=value) for label, value in pairs]
        )

    async def _on_component(self, interaction: discord.Interaction, deadline: float) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        custom = decode(str(data.get("custom_id", "")))
        where = await self._where_of(interaction)
        if where is None:
            return
        if custom is None:
            await self._notify(interaction, "That button no longer works; run the command again.")
            return
        match custom.action:
            case Action.RUN | Action.REF:
                line = custom.arg if custom.action is Action.RUN else self._lines.get(custom.arg)
                if line is None:
                    await self._notify(interaction, "That button has expired; type the command.")
                    return
                invocation = self._invocation(
                    interaction.user, interaction.channel_id, where, text=line
                )
                await self._answer(interaction, invocation, deadline)
            case Action.NEXT:
                token, _, index = custom.arg.rpartition(":")
                await self._open_part(interaction, token, _index(index))
            case Action.RETRY:
                await self._retry(interaction, where, custom.arg, deadline)
            case _:  # a modal's id on a button: never one of ours
                await self._notify(
                    interaction, "That button no longer works; run the command again."
                )

    async def _on_modal(self, interaction: discord.Interaction, deadline: float) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        custom = decode(str(data.get("custom_id", "")))
        answers = modal_answers(data)
        where = await self._where_of(interaction)
        if where is None:
            return
        if custom is None:
            await self._notify(interaction, "That form no longer works; run the command again.")
            return
        if custom.action is Action.FORM:
            await self._submit(interaction, where, custom.arg, answers, deadline)
            return
        token, _, index_text = custom.arg.rpartition(":")
        pending = self._pending.get(token)
        if pending is None or pending.form is None or pending.user_id != interaction.user.id:
            await self._notify(interaction, "That form has expired; run the command again.")
            return
        pending.answers.update(answers)
        parts = form_parts(pending.form.questions)
        index = _index(index_text)
        if not 0 <= index < len(parts):
            await self._notify(interaction, "That form has expired; run the command again.")
            return
        if index + 1 >= len(parts):
            self._pending.pop(token)
            await self._submit(
                interaction, where, pending.submit_command, pending.answers, deadline
            )
            return
        nxt = CustomId(Action.NEXT, f"{token}:{index + 1}").encode()
        note = Reply.of(f"Part {index + 1} of {len(parts)} saved. Press Continue for the rest.")
        await self._respond(interaction, note, extra=[(Button("Continue", "", "primary"), nxt)])

    # -- answering --------------------------------------------------------------------------

    async def _answer(
        self, interaction: discord.Interaction, invocation: Invocation, deadline: float
    ) -> None:
        reply = await in_time(interaction, self.core.handle(invocation), deadline)
        await self._respond(interaction, reply, modal=True)

    async def _respond(
        self,
        interaction: discord.Interaction,
        reply: Reply,
        *,
        modal: bool = False,
        extra: list[tuple[Button, str]] | None = None,
    ) -> None:
        """A sole form opens as a modal when it still can; anything else is sent as messages."""
        form = sole_form(reply)
        if form is not None and modal and not interaction.response.is_done():
            await self._open_form_modal(interaction, form)
            return
        messages = self._layout(reply)
        if extra:
            keep = messages[-1].buttons[: MAX_BUTTONS - len(extra)]
            messages[-1].buttons = [*keep, *extra]
        await send_messages(interaction, messages)

    async def _submit(
        self,
        interaction: discord.Interaction,
        where: Where,
        submit_command: str,
        answers: dict[str, str],
        deadline: float,
    ) -> None:
        options = {k: v for k, v in answers.items() if v.strip()}
        invocation = self._invocation(
            interaction.user,
            interaction.channel_id,
            where,
            command=submit_command,
            options=options,
        )
        reply = await in_time(interaction, self.core.handle(invocation), deadline)
        extra = None
        if not reply.ok:
            token = self._pending.put(PendingForm(interaction.user.id, submit_command, answers))
            retry = CustomId(Action.RETRY, token).encode()
            extra = [(Button("Edit and resubmit", "", "primary"), retry)]
        await self._respond(interaction, reply, extra=extra)

    async def _retry(
        self, interaction: discord.Interaction, where: Where, token: str, deadline: float
    ) -> None:
        """Reopen a rejected form with what the member typed, by asking its command for it."""
        pending = self._pending.get(token)
        if pending is None or pending.user_id != interaction.user.id:
            await self._notify(interaction, "That form has expired; run the command again.")
            return
        invocation = self._invocation(
            interaction.user, interaction.channel_id, where, command=pending.submit_command
        )
        reply = await in_time(interaction, self.core.handle(invocation), deadline)
        form = sole_form(reply)
        if form is None or interaction.response.is_done():
            await self._respond(interaction, reply)
            return
        await self._open_form_modal(interaction, form, pending.answers)

    async def _open_form_modal(
        self, interaction: discord.Interaction, form: Form, answers: dict[str, str] | None = None
    ) -> None:
        parts = form_parts(form.questions)
        if len(parts) == 1 and fits(Action.FORM, form.submit_command):
            custom_id = CustomId(Action.FORM, form.submit_command).encode()
            await interaction.response.send_modal(
                build_modal(form, parts[0], custom_id, answers=answers)
            )
            return
        pending = PendingForm(interaction.user.id, form.submit_command, dict(answers or {}), form)
        await self._open_part(interaction, self._pending.put(pending), 0)

    async def _open_part(self, interaction: discord.Interaction, token: str, index: int) -> None:
        pending = self._pending.get(token)
        if pending is None or pending.form is None or pending.user_id != interaction.user.id:
            await self._notify(interaction, "That form has expired; run the command again.")
            return
        parts = form_parts(pending.form.questions)
        if not 0 <= index < len(parts):
            await self._notify(interaction, "That form has expired; run the command again.")
            return
        custom_id = CustomId(Action.PART, f"{token}:{index}").encode()
        modal = build_modal(
            pending.form,
            parts[index],
            custom_id,
            part=(index + 1, len(parts)),
            answers=pending.answers,
        )
        await interaction.response.send_modal(modal)

    # -- helpers ------------------------------------------------------------------------------

    def _layout(self, reply: Reply, *, notify: bool = False) -> list[Message]:
        return layout(reply, self._custom_id_for, notify=notify)

    def _custom_id_for(self, button: Button) -> str:
        """A button's custom id: the command itself, or a stash token when it is too long."""
        if fits(Action.RUN, button.command):
            return CustomId(Action.RUN, button.command).encode()
        return CustomId(Action.REF, self._lines.put(button.command)).encode()

    def _invocation(
        self,
        user: discord.abc.User,
        channel_id: int | None,
        where: Where,
        **what: Any,
    ) -> Invocation:
        return Invocation(
            platform=PLATFORM,
            tenant_id=where.tenant_id,
            tenant_name=where.tenant_name,
            user_id=str(user.id),
            user_name=user.display_name,
            channel_id=str(channel_id or ""),
            is_direct_message=where.is_direct_message,
            capabilities=self.capabilities,
            **what,
        )

    async def _where_of(self, interaction: discord.Interaction) -> Where | None:
        """The interaction's tenant; None (and the user told why) for an unplaceable DM."""
        where = await self._where(
            interaction.user.id, interaction.guild_id, _guild_name(interaction)
        )
        if isinstance(where, str):
            await self._notify(interaction, where)
            return None
        return where

    async def _where(self, user_id: int, guild_id: int | None, guild_name: str) -> Where | str:
        """The guild as tenant; in a DM the one guild the user shares with the bot, else why not."""
        if guild_id is not None:
            self.mutual.remember(user_id, guild_id)
            return Where(str(guild_id), guild_name, False)
        home = await self.mutual.home(user_id)
        if isinstance(home, str):
            return home
        return Where(str(home.id), home.name, True)

    def _notice(self, text: str) -> Message:
        return self._layout(Reply.error(f"⚠️ {text}"))[0]

    async def _notify(self, interaction: discord.Interaction, text: str) -> None:
        await notify(interaction, self._notice(text))


@contextlib.contextmanager
def _explained() -> Iterator[None]:
    """Discord's refusals at start-up as the runtime's errors, saying what to check."""
    try:
        yield
    except discord.LoginFailure:
        raise PlatformUnavailable("Discord refused the token: check DISCORD_TOKEN.") from None
    except discord.PrivilegedIntentsRequired:
        raise PlatformUnavailable("Discord refused an intent; see docs/discord.md.") from None
    except (aiohttp.ClientError, OSError) as exc:
        raise PlatformUnavailable(
            f"Could not reach Discord: {exc.__class__.__name__}: {exc}"
        ) from None


def _guild_id(target: Target) -> int | None:
    """The guild a target's channel is in (the tenant), when it is a Discord id."""
    return int(target.tenant_id) if target.tenant_id.isdigit() else None


def _index(text: str) -> int:
    """The part number at the end of a form's custom id; -1 (no such part) when it is not one,
    as in an id that was tampered with."""
    return int(text) if text.isdigit() and len(text) < 4 else (0 if not text else -1)


def _guild_name(interaction: discord.Interaction) -> str:
    guild = interaction.guild
    return (guild.name or "") if guild is not None else ""


async def _downloads(attachments: list[discord.Attachment]) -> tuple[Attachment, ...]:
    """The first file sent with a DM command (a tracker to import); a file over the cap is
    described by its size and never downloaded."""
    for attachment in attachments[:1]:
        if attachment.size > MAX_ATTACHMENT_BYTES:
            return (Attachment(attachment.filename, b"", attachment.size),)
        return (Attachment(attachment.filename, await attachment.read(), attachment.size),)
    return ()
