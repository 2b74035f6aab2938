"""GitHub tests run the real client against FakeGithubAPI; the app's settings point at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from tests.fakes.github_api import FakeGithubAPI


@pytest.fixture
async def github() -> AsyncIterator[FakeGithubAPI]:
    async with FakeGithubAPI() as fake:
        yield fake


@pytest.fixture
def settings(database_url: str, github: FakeGithubAPI) -> Settings:
    """The root fixture's settings, with the GitHub API base pointing at the fake."""
    return Settings(
        database_url=database_url,
        default_timezone="UTC",
        github_api_url=github.url,
        _env_file=None,
    )
