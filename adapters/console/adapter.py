"""The console adapter: type the same slash commands a Slack or Discord member would.

Interactive on a terminal; line by line (scriptable) when stdin is a pipe. ``:as NAME`` switches
who is typing, so one console can play a whole cohort. It is also the main test harness
(``await console.say("alice", "/apply ...")``) and implements the same platform contract as Slack
and Discord, so the runtime runs it like any other platform.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import re
import sys
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from adapters.console.render import render_reply
from bot.app import App
from bot.delivery import Delivered, Outcome, Target
from bot.invocation import Invocation
from bot.platform import Capabilities, Standing
from bot.replies import File, Form, Question, Reply

if TYPE_CHECKING:
    from aiohttp import web

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

    name = PLATFORM
    capabilities = Capabilities(
        modals=False, buttons=False, files=True, local_files=True, throttled=False
    )

    def __init__(
        self,
        app: App,
        *,
        user: str = "me",
        out: TextIO | None = None,
        files_dir: Path | None = None,
        tenant: str = TENANT,
        interactive: bool = False,
    ) -> None:
        self.app = app
        self.user = user
        self.out = out or sys.stdout
        self.files_dir = files_dir or Path.cwd() / "offerbound-files"
        self.tenant = tenant
        self.interactive = interactive
        self.delivered: list[tuple[Target, Reply]] = []
        self.sent_keys: set[str] = set()
        self._prompt_text = ""
        self._reading = False  # an interactive prompt is on screen, waiting for a line
        self.line_buffer: Callable[[], str] = lambda: ""  # what is typed so far (readline)
        self._loop: asyncio.Task[None] | None = None
        app.attach(self)

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
            capabilities=self.capabilities,
        )

    def render(self, reply: Reply) -> str:
        return render_reply(reply, self._save_file)

    def _save_file(self, file: File) -> Path:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / file.filename
        path.write_bytes(file.content)
        return path

    # -- the platform port: messages the bot sends on its own ------------------------------

    async def send(self, target: Target, reply: Reply, key: str) -> Outcome:
        """Print a scheduled prompt; remember its key so a recovery check can find it."""
        self.delivered.append((target, reply))
        who = f"DM to {target.user_id}" if target.user_id else f"#{target.channel_id}"
        self._notice(f"[{who}]\n{self.render(reply)}")
        self.sent_keys.add(key)
        return Delivered(ref=key)

    async def was_delivered(self, target: Target, key: str) -> bool | None:
        """Only this process's memory knows; after a crash the console may print a repeat."""
        return key in self.sent_keys

    async def check_channel(self, tenant_id: str, channel_id: str) -> str | None:
        """The console prints every channel's messages; any name will do."""
        return None

    async def standing(self, tenant_id: str, user_id: str, groups: frozenset[str]) -> Standing:
        """Whoever sits at the console owns it: everyone may do what an admin may."""
        return Standing(admin=True)

    # -- the runtime's contract -------------------------------------------------------------

    def routes(self) -> Sequence[web.RouteDef]:
        return ()

    def connected(self) -> bool:
        return True

    def describe(self, port: int | None) -> str:
        where = f"; HTTP on port {port}" if port else ""
        return f"Offerbound console as {self.user}{where}"

    async def start(self) -> None:
        """Read commands from stdin (a terminal or a pipe) until it ends."""
        if self._loop is None:
            self._loop = asyncio.create_task(self.run(interactive=self.interactive), name="console")

    async def wait_closed(self) -> None:
        if self._loop is not None:
            await self._loop

    async def stop(self) -> None:
        if self._loop is not None and not self._loop.done():
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop

    # -- the interactive / scripted loop ----------------------------------------------------

    async def run(
        self, lines: AsyncIterator[str] | None = None, *, interactive: bool = False
    ) -> None:
        """Read commands until end of input; forms are answered on the following lines."""
        self._prompt_text = f"{self.user}> " if interactive else ""
        if interactive and lines is None:
            self.line_buffer = enable_line_editing() or self.line_buffer
        source = lines or _stdin_lines(lambda: self._prompt_text, self._waiting)
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

    def _waiting(self, reading: bool) -> None:
        self._reading = reading

    def _notice(self, text: str) -> None:
        """Print something the bot sent on its own (a scheduled DM). While the prompt waits for
        a line, the half-typed line is cleared first, then the prompt and what was typed so far
        are drawn again below the message, so typing carries on where it was."""
        if not (self._reading and self._prompt_text):
            self._print(text)
            return
        self.out.write(f"\r\x1b[K{text}\n{self._prompt_text}{self.line_buffer()}")
        self.out.flush()


def _question_prompt(question: Question) -> str:
    hint = "" if question.required else " (optional, Enter to skip)"
    if question.initial:
        hint += f" [{question.initial}]"
    return f"{question.label}{hint}: "


def enable_line_editing(history: Path | None = None) -> Callable[[], str] | None:
    """Line editing (arrows, Ctrl-A/E...) and history (up/down; kept in ``history`` between
    runs) for the interactive prompt, through the standard library's ``readline`` where it
    exists (not on Windows). Returns how to read the half-typed line, or None without it."""
    try:
        import readline
    except ImportError:  # pragma: no cover - platforms without readline
        return None
    path = history or Path.home() / ".offerbound_history"
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(1000)

    def save() -> None:
        with contextlib.suppress(OSError):
            readline.write_history_file(path)

    atexit.register(save)
    return readline.get_line_buffer


async def _stdin_lines(
    prompt: Callable[[], str], waiting: Callable[[bool], None] = lambda _: None
) -> AsyncIterator[str]:
    while True:
        text = prompt()
        waiting(bool(text))
        try:
            line = await _blocking(input, text) if text else await _readline()
        except EOFError:
            return
        finally:
            waiting(False)
        if line is None:
            return
        yield line


async def _readline() -> str | None:
    line = await _blocking(sys.stdin.readline)
    return line if line else None


async def _blocking(read: Callable[..., str], *args: str) -> str:
    """Run a blocking stdin read in a daemon thread: a stop never waits for a line to arrive."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def settle(line: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(line or "")

    def work() -> None:
        try:
            line, error = read(*args), None
        except BaseException as exc:
            line, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop closed while we waited for a line
            loop.call_soon_threadsafe(settle, line, error)

    threading.Thread(target=work, name="console-stdin", daemon=True).start()
    return await future
