"""Suggestions while a parameter is being typed (Discord's autocomplete): the caller's own rows
for a reference, time zones, command names or a long list of choices.

Rows are read through the caller's tenant repository, like the command itself; an autocomplete
never registers anyone, so a stranger gets no suggestions rather than a new member row.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from bot.params import Kind, Param
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.invocation import Invocation
    from bot.registry import Registry

MAX_SUGGESTIONS = 25
MAX_LABEL = 100


async def complete(
    registry: Registry,
    sessions: async_sessionmaker[AsyncSession],
    invocation: Invocation,
    param: Param,
    typed: str,
) -> list[tuple[str, str]]:
    """Up to 25 ``(label, value)`` pairs for ``param`` matching what has been typed so far."""
    wanted = typed.strip().lower()
    pairs: list[tuple[str, str]] = []
    if param.kind is Kind.TIMEZONE:
        pairs = [(z, z) for z in _zones() if wanted in z.lower()]
    elif param.kind is Kind.COMMAND:
        pairs = [(f"{c.name} — {c.summary}", c.name) for c in registry if wanted in c.name]
    elif param.kind is Kind.CHOICE:
        pairs = [(c, c) for c in param.choices if wanted in c.lower()]
    elif param.ref is not None:
        async with UnitOfWork(sessions) as uow:
            tenant = await uow.tenants.find(invocation.platform, invocation.tenant_id)
            if tenant is None:
                return []
            repo = uow.repository(tenant.id)
            member = await repo.member_by_platform_id(invocation.user_id)
            if member is None:
                return []
            pairs = await param.ref.suggest(repo, member.id, typed)
    return [(_clip(label), value[:MAX_LABEL]) for label, value in pairs[:MAX_SUGGESTIONS]]


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))


def _clip(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"
