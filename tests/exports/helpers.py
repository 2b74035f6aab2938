"""Shared helpers for the export, chart and calendar tests: files from replies, row counts."""

from __future__ import annotations

from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.replies import File, Reply
from storage.models import Member
from storage.scope import system_session


def files(reply: Reply) -> list[File]:
    assert reply.ok, reply.plain_text()
    return [b for b in reply.blocks if isinstance(b, File)]


def one_file(reply: Reply) -> File:
    (found,) = files(reply)
    return found


async def count(console: ConsoleAdapter, model: type, user: str | None = None) -> int:
    async with system_session(console.app.sessions) as session:
        query = select(func.count()).select_from(model)
        if user is not None:
            member_id = await session.scalar(
                select(Member.id).where(Member.platform_user_id == user)
            )
            query = query.where(model.member_id == member_id)  # type: ignore[attr-defined]
        return await session.scalar(query) or 0


async def rows(console: ConsoleAdapter, model: type, user: str = "alice") -> list:
    async with system_session(console.app.sessions) as session:
        member_id = await session.scalar(select(Member.id).where(Member.platform_user_id == user))
        result = await session.scalars(
            select(model).where(model.member_id == member_id).order_by(model.id)  # type: ignore[attr-defined]
        )
        return list(result.all())
