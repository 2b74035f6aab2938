"""Drive the real Discord adapter through FakeDiscord the way members do, and read its answers.

``await discord.say("alice", '/apply Stripe "Backend Engineer"')`` turns the line into the slash
interaction Discord would send (options typed as the generated tree declares them), waits for
the bot to finish answering and returns everything it sent for that interaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from adapters.discord.adapter import DiscordAdapter
from adapters.discord.tree import INTEGER, SUB_COMMAND, USER, command_tree
from bot.app import App
from bot.commands import REGISTRY
from bot.grammar import split_options, tokenize
from bot.registry import bind
from tests.fakes.discord_server import API, FakeDiscord, FakeInteraction, Recorded

GUILD = "400000000000000001"
OTHER_GUILD = "400000000000000002"
USERS = {
    "alice": "200000000000000001",
    "bob": "200000000000000002",
    "coach": "200000000000000003",
    "dana": "200000000000000004",
    "erin": "200000000000000005",  # in both guilds
    "zed": "200000000000000009",  # in no guild
}
TREE = {c["name"]: c for c in command_tree(REGISTRY)}


def user_id(user: str) -> str:
    """A user's Discord id: one of ``USERS`` by name, or an id as it is."""
    return USERS.get(user, user)


EPHEMERAL = 64


_ESCAPED = re.compile(r"\\([^\w\s])")


def shown(markdown: str) -> str:
    """Markdown as Discord shows it: a backslash-escaped character is just that character."""
    return _ESCAPED.sub(r"\1", markdown)


def texts_of(body: dict[str, Any]) -> list[str]:
    """Every string a person would read in a message or modal body (escapes resolved)."""
    out = [body.get("content") or "", body.get("title") or ""]
    for embed in body.get("embeds") or []:
        out += [embed.get("title", ""), embed.get("description", "")]
        out += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    out += [c.get("label", "") or c.get("content", "") for c in components_of(body)]
    return [shown(t) for t in out if t]


def components_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Buttons, labels, text displays and inputs, flattened."""
    found: list[dict[str, Any]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            found.append(item)
            if isinstance(item.get("component"), dict):
                walk([item["component"]])
            walk(item.get("components") or [])

    walk(body.get("components") or [])
    return found


@dataclass
class Answer:
    """The bot's callback for one interaction, plus its follow-ups and edits."""

    interaction: FakeInteraction
    callback: Recorded
    followups: list[Recorded] = field(default_factory=list)

    @property
    def kind(self) -> int:
        """4 message, 5 deferred, 8 autocomplete, 9 modal."""
        return self.callback.json["type"]

    @property
    def data(self) -> dict[str, Any]:
        return self.callback.json.get("data") or {}

    @property
    def ephemeral(self) -> bool:
        return bool(self.data.get("flags", 0) & EPHEMERAL)

    def bodies(self) -> list[dict[str, Any]]:
        return [self.data, *(r.json for r in self.followups)]

    def text(self) -> str:
        return "\n".join(t for body in self.bodies() for t in texts_of(body))

    def custom_ids(self) -> list[str]:
        return [
            c["custom_id"]
            for body in self.bodies()
            for c in components_of(body)
            if c.get("type") == 2 and "custom_id" in c
        ]


class Harness:
    """A fake Discord, the real adapter connected to it, and the app behind it."""

    def __init__(self, fake: FakeDiscord, adapter: DiscordAdapter, app: App | None) -> None:
        self.fake = fake
        self.adapter = adapter
        self.app = app

    async def finish(self, interaction: FakeInteraction) -> Answer:
        callback = await self.fake.response(interaction)
        await self.adapter.idle(5)
        return Answer(interaction, callback, self.fake.followups(interaction))

    async def say(self, user: str, line: str, *, guild: str | None = GUILD) -> Answer:
        """Run a typed command line as the slash command it corresponds to."""
        name, options = slash_options(line)
        return await self.slash(user, name, options, guild=guild)

    async def slash(
        self, user: str, name: str, options: list[dict[str, Any]], *, guild: str | None = GUILD
    ) -> Answer:
        interaction = await self.fake.slash(user_id(user), name, options, guild_id=guild)
        return await self.finish(interaction)

    async def autocomplete(
        self, user: str, line: str, option: str, typed: str, *, guild: str | None = GUILD
    ) -> list[dict[str, Any]]:
        """The choices offered while ``user`` types ``typed`` into ``option`` of ``line``."""
        name, options = slash_options(line)
        leaf = options[0]["options"] if options and options[0]["type"] == SUB_COMMAND else options
        leaf.append({"name": option, "type": 3, "value": typed, "focused": True})
        interaction = await self.fake.slash(
            user_id(user), name, options, guild_id=guild, focused=True
        )
        answer = await self.finish(interaction)
        assert answer.kind == 8, answer.callback
        return answer.data["choices"]

    async def press(self, user: str, custom_id: str, *, guild: str | None = GUILD) -> Answer:
        return await self.finish(await self.fake.click(user_id(user), custom_id, guild_id=guild))

    async def submit(
        self, user: str, custom_id: str, answers: dict[str, str], *, guild: str | None = GUILD
    ) -> Answer:
        interaction = await self.fake.submit(user_id(user), custom_id, answers, guild_id=guild)
        return await self.finish(interaction)

    async def dm(
        self, user: str, text: str, files: dict[str, bytes] | None = None
    ) -> list[Recorded]:
        """Type ``text`` in the DM with the bot (attaching ``files``); return its answers."""
        channel = self.fake.dm_channel(user_id(user))
        path = f"{API}/channels/{channel}/messages"
        before = len([r for r in self.fake.requests if r.path == path])
        await self.fake.direct_message(user_id(user), text, files)
        await self.fake.wait_for(lambda r: r.path == path, count=before + 1)
        await self.adapter.idle(5)
        return [r for r in self.fake.requests if r.path == path][before:]


def slash_options(line: str) -> tuple[str, list[dict[str, Any]]]:
    """The top-level command name and option payload Discord would send for ``line``."""
    command, rest = REGISTRY.resolve(tokenize(line))
    words, named = split_options(rest)
    raw = bind(command, words, named)
    node = TREE[command.words[0]]
    if command.group:
        node = next(o for o in node["options"] if o["name"] == command.words[1])
    options = []
    for name, value in raw.items():
        declared = next(o for o in node["options"] if o["name"] == name)
        options.append({"name": name, "type": declared["type"], "value": _typed(declared, value)})
    if command.group:
        sub = {"type": SUB_COMMAND, "name": command.words[1], "options": options}
        return command.words[0], [sub]
    return command.words[0], options


def _typed(option: dict[str, Any], value: str) -> Any:
    if option["type"] == INTEGER:
        return int(value)
    if option["type"] == USER:
        mention = re.fullmatch(r"<@!?(\d+)>", value)
        return mention[1] if mention else USERS.get(value.lstrip("@"), "299999999999999999")
    return value
