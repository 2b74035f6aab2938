"""Every block and every span type, through every platform's renderer: nothing is dropped, user
text stays inert text, and a mention notifies only when the core asks for it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import get_args

import pytest

from adapters.console.render import render_reply
from adapters.discord.layout import layout
from adapters.slack.render import render_messages, render_modal
from bot.replies import (
    Block,
    Button,
    Buttons,
    ChannelRef,
    Code,
    DateRef,
    Fields,
    File,
    Form,
    Link,
    Mention,
    Plain,
    Question,
    Reply,
    Span,
    Strong,
    Table,
    Text,
)
from tests.discord.harness import shown

HOSTILE = "[free nitro](https://evil.example) <!here> *bold* `tick` @everyone"
SPANS: tuple[Span, ...] = (
    Plain(HOSTILE),
    Strong("Standup summary"),
    Code("/followup done A12"),
    Link("https://example.org/jobs/1", "the posting"),
    Mention("U0BOB", "bob", notify=True),
    Mention("U0DANA", "dana"),
    ChannelRef("C0COHORT", "fall-2026"),
    DateRef(date(2026, 11, 27)),
)
FORM = Form("standup", "Daily standup", "standup", (Question("today", "Today?"),), intro="Hi")
BLOCKS: tuple[Block, ...] = (
    Text(*SPANS),
    Fields("alice", (("Today", HOSTILE), ("Next", Text("see ", Code("/apps"))))),
    Table("Apps", ("id", "company"), (("A1", HOSTILE),)),
    File("week.png", b"\x89PNG", "image/png", "Your week"),
    Buttons((Button("Open standup", "standup", "primary"),)),
    FORM,
)
REPLY = Reply(BLOCKS)


def test_the_sample_covers_every_block_and_span_type() -> None:
    assert {type(b) for b in BLOCKS} == set(get_args(Block))
    assert {type(s) for s in SPANS} == set(get_args(Span))


def test_console(tmp_path: Path) -> None:
    text = render_reply(REPLY, lambda f: tmp_path / f.filename)
    for expected in (
        HOSTILE,
        "*Standup summary*",
        "`/followup done A12`",
        "the posting (https://example.org/jobs/1)",
        "@bob",
        "@dana",
        "#fall-2026",
        "Fri Nov 27",
        "Today",
        "see `/apps`",
        "A1",
        "Your week: saved to",
        "[Open standup]",
        "Daily standup",
    ):
        assert expected in text, expected


def test_slack() -> None:
    messages = render_messages(REPLY)
    body = json.dumps([m.blocks for m in messages])
    for expected in (
        "*Standup summary*",
        "`/followup done A12`",
        "<https://example.org/jobs/1|the posting>",
        "<@U0BOB>",  # notify: a live mention
        "@dana",  # shown by name, no ping
        "<#C0COHORT>",
        "Fri Nov 27",
        "see `/apps`",
        "Your week",
        "Open standup",
        "Daily standup",
    ):
        assert expected in body, expected
    assert "&lt;!here&gt;" in body and "<!here>" not in body
    assert "<@U0DANA>" not in body
    modal = render_modal(FORM, {"c": "standup"})
    assert modal["blocks"][-1]["block_id"] == "today"


def test_discord() -> None:
    messages = layout(REPLY, lambda b: f"ob:run:{b.command}", notify=True)
    texts = []
    for message in messages:
        for card in message.cards:
            texts += [card.title, card.description, *(f"{n} {v}" for n, v, _ in card.fields)]
    raw = "\n".join(texts)
    for expected in (
        "**Standup summary**",
        "`/followup done A12`",
        "[the posting](https://example.org/jobs/1)",
        "<@U0BOB>",
        "@dana",
        "<#C0COHORT>",
        "Fri Nov 27",
        "see `/apps`",
        "Daily standup",
    ):
        assert expected in raw, expected
    assert "[free nitro](https://evil.example)" not in raw  # never a clickable masked link
    assert HOSTILE in shown(raw)  # but reads exactly as typed
    assert messages[0].mentions == ["U0BOB"]  # only the mention the core marked
    assert [b.label for m in messages for b, _ in m.buttons] == ["Open standup", "Open the form"]
    assert any(m.files for m in messages)


@pytest.mark.parametrize("span", SPANS)
def test_each_span_alone_renders_somewhere_everywhere(span: Span) -> None:
    reply = Reply.of(Text(span))
    assert render_reply(reply).strip()
    assert render_messages(reply)
    assert layout(reply, lambda b: "x")[0].cards[0].description.strip()
