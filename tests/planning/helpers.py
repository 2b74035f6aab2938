"""Helpers the planning console tests share: counting rows and reading reply blocks."""

from __future__ import annotations

from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.replies import Fields, File, Reply, Table
from storage.scope import system_session


async def count(console: ConsoleAdapter, model: type) -> int:
    async with system_session(console.app.sessions) as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def rows(console: ConsoleAdapter, model: type) -> list:
    async with system_session(console.app.sessions) as session:
        return list((await session.scalars(select(model).order_by(model.id))).all())


def tables(reply: Reply) -> dict[str, Table]:
    return {b.title: b for b in reply.blocks if isinstance(b, Table)}


def fields(reply: Reply) -> dict[str, str]:
    out: dict[str, str] = {}
    for block in reply.blocks:
        if isinstance(block, Fields):
            out.update(dict(block.fields))
    return out


def files(reply: Reply) -> dict[str, File]:
    return {b.filename: b for b in reply.blocks if isinstance(b, File)}


async def ok(console: ConsoleAdapter, user: str, line: str) -> Reply:
    reply = await console.ask(user, line)
    assert reply.ok, reply.plain_text()
    return reply


async def refused(console: ConsoleAdapter, user: str, line: str) -> str:
    reply = await console.ask(user, line)
    assert not reply.ok, reply.plain_text()
    return reply.plain_text()
