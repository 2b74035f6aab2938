"""The README must match the code: the command table and every setting are documented."""

from __future__ import annotations

from pathlib import Path

from bot.commands import REGISTRY
from bot.docs import command_table, readme_section
from bot.settings import Settings
from offerbound.platforms import PLUGINS

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_command_table_matches_the_registry() -> None:
    assert readme_section(README) == command_table(), "run `make docs` to regenerate it"


def test_every_command_is_in_the_readme() -> None:
    for command in REGISTRY:
        assert f"`/{command.name}" in README


def test_every_setting_is_documented() -> None:
    """The core's settings and every platform's own."""
    models = [Settings] + [type(s) for p in PLUGINS if (s := p.load_settings()) is not None]
    assert len(models) >= 3
    for model in models:
        for name, field in model.model_fields.items():
            aliases = field.validation_alias.choices  # type: ignore[union-attr]
            assert any(f"`{alias}`" in README for alias in aliases), f"{name} is not in the README"


def test_readme_gives_the_two_commands() -> None:
    assert "`make run`" in README
    assert "`make test`" in README
