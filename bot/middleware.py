"""The middleware chain every invocation passes through, the same on every platform.

friendly errors -> parse -> unit of work -> tenant and member -> role -> typed arguments -> handler

Each step is a function ``(call, next) -> Reply``, so a cross-cutting rule lives in one place
and is tested once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.context import Context
from bot.domain.calendar import local_today
from bot.errors import PermissionDenied, UsageError, UserError
from bot.grammar import PREFIXES, split_options, tokenize
from bot.hooks import Hook, Hooks, run_hooks
from bot.locks import KeyedLocks, Slots
from bot.mentions import clean_text, defuse_mentions
from bot.params import ParamError
from bot.platform import Platform
from bot.ratelimit import Throttle
from bot.registry import Command, Role, bind
from bot.replies import Code, Plain, Reply, Rich, Text, t

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.clock import Clock
    from bot.invocation import Invocation
    from bot.metrics import Metrics
    from bot.registry import Registry
    from bot.settings import Settings
    from storage.models import Cohort, Member, Tenant
    from storage.repository import TenantRepository
    from storage.uow import UnitOfWork

log = logging.getLogger("offerbound.core")


@dataclass
class Call:
    """The state of one invocation as it moves down the chain."""

    invocation: Invocation
    registry: Registry
    settings: Settings
    clock: Clock
    sessions: async_sessionmaker[AsyncSession]
    now: datetime
    command: Command | None = None
    raw: dict[str, str] = field(default_factory=dict)
    args: dict[str, Any] = field(default_factory=dict)
    notices: list[Rich] = field(default_factory=list)
    uow: UnitOfWork | None = None
    repo: TenantRepository | None = None
    tenant: Tenant | None = None
    member: Member | None = None
    cohort: Cohort | None = None
    hooks: Hooks = field(default_factory=Hooks)
    after_commit: list[Hook] = field(default_factory=list)
    metrics: Metrics | None = None
    locks: KeyedLocks = field(default_factory=KeyedLocks)
    slots: Slots | None = None  # how many commands may use the database at once
    throttle: Throttle | None = None
    platform: Platform | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


Next = Callable[[Call], Awaitable[Reply]]
Middleware = Callable[[Call, Next], Awaitable[Reply]]


async def friendly_errors(call: Call, call_next: Next) -> Reply:
    """Turn every failure into a helpful private reply; no traceback ever reaches a user."""
    try:
        return await call_next(call)
    except UserError as exc:
        return error_reply(exc, call.command)
    except Exception:
        log.exception(
            "command failed",
            extra={"command": call.command.name if call.command else None},
        )
        return Reply.error(
            "Sorry, something went wrong on our side and nothing was saved.",
            "Please try again in a moment; if it keeps happening, tell your coach.",
        )


async def measure(call: Call, call_next: Next) -> Reply:
    """Count every command by outcome and time it (for `/metrics`)."""
    started = time.perf_counter()
    outcome = "error"
    try:
        reply = await call_next(call)
        outcome = "ok" if reply.ok else "rejected"
        return reply
    except UserError:
        outcome = "rejected"
        raise
    finally:
        elapsed = time.perf_counter() - started
        name = call.command.name if call.command else "unknown"
        if call.metrics is not None:
            call.metrics.commands.labels(name, outcome).inc()
            call.metrics.latency.labels(name).observe(elapsed)
        # Who and what, never the text typed: message bodies stay out of info-level logs.
        log.info(
            "command %s: %s",
            name,
            outcome,
            extra={
                "request_id": call.request_id,
                "tenant": f"{call.invocation.platform}:{call.invocation.tenant_id}",
                "command": name,
                "outcome": outcome,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )


def error_reply(exc: UserError, command: Command | None) -> Reply:
    """The friendly error; it may quote what the user typed, so mentions are defused here too."""
    lines: list[Rich] = [Text("⚠️ ", _defused(exc.message))]
    if exc.hint:
        lines.append(_defused(exc.hint))
    if isinstance(exc, UsageError) and command is not None:
        lines.append(Text("Usage: ", Code(command.usage())))
        lines.append(Text("Example: ", Code(command.example_line())))
    return Reply.error(*lines, field=exc.param)


def _defused(value: Rich) -> Text:
    """``value`` with every plain or code span's mentions defused (quoted input stays inert)."""
    spans = value.spans if isinstance(value, Text) else (Plain(value),)
    return Text(
        *(
            replace(s, text=defuse_mentions(s.text)) if isinstance(s, Plain | Code) else s
            for s in spans
        )
    )


async def parse_command(call: Call, call_next: Next) -> Reply:
    """Find the command and split the text into raw parameter values (no database yet)."""
    inv = call.invocation
    if inv.command is not None:
        call.command, words = call.registry.resolve(inv.command.split())
        options = {k.replace("_", "-"): v for k, v in inv.options.items()}
    else:
        try:
            tokens = tokenize(inv.text or "")
        except UsageError:
            call.command = _guess_command(call.registry, inv.text or "")
            raise
        call.command, rest = call.registry.resolve(tokens)
        words, options = split_options(rest)
    call.raw = bind(call.command, words, options)
    return await call_next(call)


def _guess_command(registry: Registry, text: str) -> Command | None:
    """The command a line that failed to parse was meant for, so its error can show usage."""
    words = text.lstrip("/").split()
    if words and words[0].lower() in PREFIXES:
        words = words[1:]
    try:
        return registry.resolve(words)[0]
    except UsageError:
        return None


async def throttle(call: Call, call_next: Next) -> Reply:
    """Too many commands from one member are refused before any database work, with the time
    to wait; a workspace's commands past its pace wait their turn (refused only past a minute);
    expensive ones (charts, exports, outside calls) have lower limits."""
    assert call.command is not None
    if call.throttle is not None and call.invocation.capabilities.throttled:
        wait, scope, turn = call.throttle.wait(call.invocation, call.command.expensive)
        if turn > 0:  # a busy workspace: wait for its turn, holding no connection
            await asyncio.sleep(turn)
        if wait > 0:
            if call.metrics is not None:
                call.metrics.throttled.labels(call.command.name, scope).inc()
            seconds = max(1, math.ceil(wait))
            who = "you" if scope == "member" else "your workspace"
            raise UserError(
                f"That's a lot of commands from {who} in a short time; "
                f"try again in {seconds} second{'s' if seconds != 1 else ''}."
            )
    return await call_next(call)


async def unit_of_work(call: Call, call_next: Next) -> Reply:
    """One transaction per command: committed only when the reply is a success.

    A unique-key clash with a concurrent command (a new workspace's or member's first commands
    arriving at once) rolls everything back and runs the command once more, seeing the other's rows.
    Commands wait for one of the process's database slots first (``Slots``), so a burst queues
    instead of timing out on the connection pool; post-commit hooks run after the slot is freed.
    """
    async with call.slots.hold() if call.slots is not None else contextlib.nullcontext():
        reply = await _in_one_transaction(call, call_next)
    if reply.ok and call.after_commit:
        await run_hooks(call.after_commit)
    return reply


async def _in_one_transaction(call: Call, call_next: Next) -> Reply:
    from sqlalchemy.exc import IntegrityError

    from storage.uow import UnitOfWork

    for attempt in (1, 2):
        try:
            async with UnitOfWork(call.sessions) as uow:
                call.uow = uow
                reply = await call_next(call)
                if reply.ok:
                    await uow.commit()
                else:
                    call.after_commit.clear()
            break
        except IntegrityError:
            call.after_commit.clear()
            if attempt == 2:
                raise
            log.info("a concurrent command wrote the same row; running it again")
    return reply


async def resolve_member(call: Call, call_next: Next) -> Reply:
    """Find (or register on first use) the tenant and the member behind the invocation."""
    from storage.models import Cohort, Member

    assert call.uow is not None
    inv = call.invocation
    tenant = await call.uow.tenants.get_or_create(
        inv.platform, inv.tenant_id, inv.tenant_name, call.now
    )
    repo = call.uow.repository(tenant.id)
    member = await repo.member_by_platform_id(inv.user_id)
    name = clean_text(inv.user_name.strip() or inv.user_id)[:80]
    if member is None:
        member = await repo.add(
            Member(
                platform_user_id=inv.user_id,
                display_name=name,
                platform_name=name,
                role="member",
                timezone=call.settings.default_timezone,
                status="searching",
                leaderboard="shown",
                joined_at=call.now,
            )
        )
    elif inv.user_name.strip() and name != member.platform_name and not inv.is_direct_message:
        # Renamed on the platform: the new name shows everywhere, the old one still finds them.
        # (Not from a DM: Discord gives the account's name there, not the server's nickname.)
        member.platform_name = name
        member.rename(name)
    await repo.settle()  # registration is bookkeeping: the command's own writes start here
    call.tenant, call.repo, call.member = tenant, repo, member
    call.cohort = await repo.get(Cohort, member.cohort_id) if member.cohort_id else None
    return await call_next(call)


async def check_role(call: Call, call_next: Next) -> Reply:
    """Coach-only commands are refused, politely, to members."""
    assert call.command is not None and call.member is not None
    if call.command.role is Role.COACH and call.member.role != "coach":
        raise PermissionDenied(
            t("Only coaches can use `/{name}`.", name=call.command.name),
            hint="Ask your coach if something needs changing.",
        )
    return await call_next(call)


async def convert_arguments(call: Call, call_next: Next) -> Reply:
    """Validate and type every argument (dates in the member's own time zone)."""
    assert call.command is not None and call.member is not None
    today = local_today(call.now, call.member.timezone)
    values: dict[str, Any] = {}
    assert call.repo is not None
    for param in call.command.params:
        raw = call.raw.get(param.name)
        if raw is None:
            values[param.key] = param.default
            continue
        if param.ref is not None:  # one of the caller's rows: loaded here, or a friendly miss
            values[param.key], note = await param.ref.resolve(
                raw, param.name, call.repo, call.member.id, today
            )
            if note is not None:
                call.notices.append(note)
            continue
        try:
            values[param.key] = param.convert(
                raw, today=today, mentions=call.invocation.capabilities.mentions
            )
        except ParamError as exc:
            raise UsageError(exc.text, param=param.name) from exc
    call.args = values
    return await call_next(call)


async def run_handler(call: Call) -> Reply:
    assert call.command and call.repo and call.tenant and call.member
    context = Context(
        invocation=call.invocation,
        command=call.command,
        registry=call.registry,
        settings=call.settings,
        clock=call.clock,
        repo=call.repo,
        tenant=call.tenant,
        member=call.member,
        cohort=call.cohort,
        now=call.now,
        hooks=call.hooks,
        after_commit=call.after_commit,
        notices=call.notices,
        locks=call.locks,
        platform=call.platform,
        slots=call.slots,
    )
    reply = await call.command.handler(context, **call.args)
    if reply.ok and context.notices:
        notes = (n if isinstance(n, Text) else Text(n) for n in context.notices)
        reply = replace(reply, blocks=(*reply.blocks, *notes))
    return reply


DEFAULT_CHAIN: tuple[Middleware, ...] = (
    friendly_errors,
    measure,
    parse_command,
    throttle,
    unit_of_work,
    resolve_member,
    check_role,
    convert_arguments,
)


def compose(chain: Sequence[Middleware], final: Next = run_handler) -> Next:
    """Fold the middleware into one callable, first middleware outermost."""
    handler = final
    for middleware in reversed(chain):
        handler = _link(middleware, handler)
    return handler


def _link(middleware: Middleware, following: Next) -> Next:
    async def step(call: Call) -> Reply:
        return await middleware(call, following)

    return step
