"""The console adapter: type the same slash commands a Slack or Discord member would.

Interactive on a terminal; line by line (scriptable) when stdin is a pipe. ``:as NAME`` switches
who is typing, so one console can play a whole cohort.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TextIO

from adapters.base import Capabilities, Target
from adapters.console.render import render_form, render_reply
from bot.app import App
from bot.delivery import Delivered, Outcome
from bot.invocation import Invocation
from bot.replies import File, Form, Question, Reply

PLATFORM = "console"
TENANT = "local"

HELP = """Console commands: type any /command (try /help).
  :as NAME     continue as another person (e.g. :as coach)
  :who         show who is typing
  :quit        leave (Ctrl-D works too)"""


def user_id(name: str) -> str:
    """Console users are identified by their lower-cased name."""
    return re.sub(r"\s+", "-", name.strip().lower())


class ConsoleAdapter:
    """Feeds typed lines to the core as invocations and prints rendered replies."""

    capabilities = Capabilities(max_message_chars=100_000, modals=False, buttons=False, files=True)

    def __init__(
        self,
        app: App,
        *,
        user: str = "me",
        out: TextIO | None = None,
        files_dir: Path | None = None,
        tenant: str = TENANT,
    ) -> None:
        self.app = app
        self.user = user
        self.out = out or sys.stdout
        self.files_dir = files_dir or Path.cwd() / "offerbound-files"
        self.tenant = tenant
        self.delivered: list[tuple[Target, Reply]] = []
        self.sent_keys: set[str] = set()
        self._prompt_text = ""

    # -- the test harness API -------------------------------------------------------------

    async def say(self, user: str, text: str) -> str:
        """Run one command line as ``user``; return the rendered reply."""
        return self.render(await self.ask(user, text))

    async def ask(self, user: str, text: str) -> Reply:
        """Run one command line as ``user``; return the reply object."""
        return await self.app.handle(self.invocation(user, text=text))

    async def submit(self, user: str, form: Form, answers: dict[str, str]) -> str:
        """Submit ``form`` as ``user`` with ``answers`` (what a modal submission does)."""
        options = {k: v for k, v in answers.items() if v != ""}
        reply = await self.app.handle(
            self.invocation(user, command=form.submit_command, options=options)
        )
        return self.render(reply)

    def invocation(
        self,
        user: str,
        *,
        text: str | None = None,
        command: str | None = None,
        options: dict[str, str] | None = None,
    ) -> Invocation:
        return Invocation(
            platform=PLATFORM,
            tenant_id=self.tenant,
            tenant_name="Console",
            user_id=user_id(user),
            user_name=user.strip(),
            channel_id="console",
            text=text,
            command=command,
            options=options or {},
        )

    def render(self, reply: Reply) -> str:
        return render_reply(reply, self._save_file)

    def _save_file(self, file: File) -> Path:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / file.filename
        path.write_bytes(file.content)
        return path

    # -- Deliverer (scheduled prompts) -----------------------------------------------------

    platform = PLATFORM

    async def send(self, target: Target, reply: Reply, key: str) -> Outcome:
        """Print a scheduled prompt; remember its key so a recovery check can find it."""
        await self.deliver(target, reply)
        self.sent_keys.add(key)
        return Delivered(ref=key)

    async def was_delivered(self, target: Target, key: str) -> bool | None:
        """Only this process's memory knows; after a crash the console may print a repeat."""
        return key in self.sent_keys

    # -- Adapter protocol -------------------------------------------------------------------

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def deliver(self, target: Target, reply: Reply) -> None:
        """Print a message the bot sends on its own (scheduled prompts, summaries)."""
        self.delivered.append((target, reply))
        who = f"DM to {target.user_id}" if target.user_id else f"#{target.channel_id}"
        self._print(f"[{who}]\n{self.render(reply)}")

    async def open_form(self, target: Target, form: Form) -> None:
        self._print(render_form(form))

    # -- the interactive / scripted loop ----------------------------------------------------

    async def run(self, lines: AsyncIterator[str] | None = None, *, interactive: bool = False):
        """Read commands until end of input; forms are answered on the following lines."""
        self._prompt_text = f"{self.user}> " if interactive else ""
        source = lines or _stdin_lines(lambda: self._prompt_text)
        if interactive:
            self._print(f"Offerbound console — you are {self.user}. Type /help, or :quit.")
        async for line in source:
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            if text.startswith(":"):
                if not self._console_command(text):
                    break
                continue
            reply = await self.ask(self.user, text)
            self._print(self.render(reply))
            for form in reply.forms():
                answers = await self._fill(form, source, interactive)
                if answers is None:
                    self._print("Form cancelled; nothing was saved.")
                    continue
                self._print(await self.submit(self.user, form, answers))

    def _console_command(self, text: str) -> bool:
        word, _, rest = text[1:].partition(" ")
        if word in ("q", "quit", "exit"):
            return False
        if word == "as" and rest.strip():
            self.user = rest.strip().lstrip("@")
            if self._prompt_text:
                self._prompt_text = f"{self.user}> "
            self._print(f"You are now {self.user}.")
        elif word == "who":
            self._print(f"You are {self.user}.")
        else:
            self._print(HELP)
        return True

    async def _fill(
        self, form: Form, source: AsyncIterator[str], interactive: bool
    ) -> dict[str, str] | None:
        answers: dict[str, str] = {}
        for question in form.questions:
            if interactive:
                self._prompt_text = _question_prompt(question)
            try:
                answer = (await anext(source)).strip()
            except StopAsyncIteration:
                return None
            finally:
                if interactive:
                    self._prompt_text = f"{self.user}> "
            if answer in (":cancel", ":quit"):
                return None
            answers[question.key] = answer or question.initial
        return answers

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def _question_prompt(question: Question) -> str:
    hint = "" if question.required else " (optional, Enter to skip)"
    if question.initial:
        hint += f" [{question.initial}]"
    return f"{question.label}{hint}: "


async def _stdin_lines(prompt: Callable[[], str]) -> AsyncIterator[str]:
    while True:
        text = prompt()
        try:
            line = await asyncio.to_thread(input, text) if text else await _readline()
        except EOFError:
            return
        if line is None:
            return
        yield line


async def _readline() -> str | None:
    line = await asyncio.to_thread(sys.stdin.readline)
    return line if line else None
