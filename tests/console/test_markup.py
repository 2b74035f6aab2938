"""The core writes markup only through spans: no reply to any example, and no refusal, carries
``*bold*`` or ```code``` inside plain text (which every platform would show literally, or in
Slack's case format by accident)."""

from __future__ import annotations

import re

import pytest

from adapters.console import ConsoleAdapter
from bot.commands import REGISTRY
from bot.replies import Fields, Plain, Reply, Text
from tests.console.test_examples import EXAMPLES, SEED
from tests.examples import preparation

_MARKUP = re.compile(r"`[^`\n]+`|(?<![\w*])\*[^\s*][^*\n]*\*(?![\w*])")


def stray_markup(reply: Reply) -> list[str]:
    """Plain text in ``reply`` that looks like markup the core meant as formatting."""
    texts: list[Text] = []
    for block in reply.blocks:
        if isinstance(block, Text):
            texts.append(block)
        elif isinstance(block, Fields):
            texts += [v if isinstance(v, Text) else Text(v) for _, v in block.fields]
    return [
        span.text
        for text in texts
        for span in text.spans
        if isinstance(span, Plain) and _MARKUP.search(span.text)
    ]


@pytest.mark.parametrize(("command", "example"), EXAMPLES)
async def test_examples_carry_no_markup_in_plain_text(
    cohort: ConsoleAdapter, command, example
) -> None:
    for user, line in SEED:
        await cohort.ask(user, line)
    for user, line in preparation(example):
        await cohort.ask(user, line)
    reply = await cohort.ask(example.as_user, example.text)
    assert stray_markup(reply) == []


@pytest.mark.parametrize("command", list(REGISTRY), ids=lambda c: c.name)
async def test_refusals_carry_no_markup_in_plain_text(cohort: ConsoleAdapter, command) -> None:
    """A command given nonsense answers with a usage error whose parts are all spans."""
    reply = await cohort.ask("alice", f"/{command.name} nonsense=1")
    assert not reply.ok
    assert stray_markup(reply) == []
