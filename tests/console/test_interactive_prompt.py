"""Issue 14: the interactive console edits lines, keeps history, and redraws its prompt after a
scheduled DM printed while the user was typing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter
from adapters.console import adapter as console_module
from bot.delivery import Target
from bot.replies import Reply


async def test_a_dm_while_typing_redraws_the_prompt_and_the_half_typed_line(
    console: ConsoleAdapter,
) -> None:
    console.out = io.StringIO()
    console._prompt_text = "alice> "
    console.line_buffer = lambda: "/apply Str"
    console._waiting(True)
    await console.send(Target("local", user_id="alice"), Reply.of("Good morning!"), "k1")
    assert console.out.getvalue() == ("\r\x1b[K[DM to alice]\nGood morning!\nalice> /apply Str")


async def test_a_dm_when_nobody_is_typing_is_just_printed(console: ConsoleAdapter) -> None:
    console.out = io.StringIO()
    await console.send(Target("local", user_id="alice"), Reply.of("Good morning!"), "k1")
    assert console.out.getvalue() == "[DM to alice]\nGood morning!\n"


async def test_reading_a_line_marks_the_prompt_as_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = iter(["/stats"])

    def fake_input(prompt: str) -> str:
        assert seen == [True]
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    seen: list[bool] = []
    monkeypatch.setattr("builtins.input", fake_input)

    def waiting(flag: bool) -> None:
        seen.append(flag) if flag else seen.clear()

    lines = [line async for line in console_module._stdin_lines(lambda: "me> ", waiting)]
    assert lines == ["/stats"] and seen == []


def test_line_editing_uses_readline_with_history_kept_between_runs(tmp_path: Path) -> None:
    readline = pytest.importorskip("readline")
    history = tmp_path / "history"
    history.write_text("/stats\n/apply Stripe Developer\n")
    line_buffer = console_module.enable_line_editing(history)
    assert line_buffer is readline.get_line_buffer
    last = readline.get_history_item(readline.get_current_history_length())
    assert last == "/apply Stripe Developer"
