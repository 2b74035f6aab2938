"""Slash command names and the Slack set-up the settings describe."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from adapters.slack.config import SlackConfig, SlackSetupError
from adapters.slack.settings import SlackSettings
from adapters.slack.slash import SlashConfigError, slash_commands
from bot.commands import REGISTRY
from storage.secrets import new_key


def test_aliases_map_slash_names_to_commands() -> None:
    main, apply, job = slash_commands("/ob", "apply, /job=cohort report", REGISTRY)
    assert (main.name, main.prefix) == ("/ob", "")
    assert main.line("  apply Acme Dev ") == "apply Acme Dev"
    assert (apply.name, apply.line('Acme "Dev"')) == ("/apply", 'apply Acme "Dev"')
    assert (job.name, job.line("")) == ("/job", "cohort report")
    assert slash_commands("/ob", "", REGISTRY)[1:] == ()


@pytest.mark.parametrize(
    ("main", "aliases", "message"),
    [
        ("ob", "", "not a Slack slash command name"),
        ("/OB!", "", "not a Slack slash command name"),
        ("/ob", "nonsense", "no command 'nonsense'"),
        ("/ob", "/ob=apply", "configured twice"),
        ("/ob", "/" + "x" * 32 + "=apply", "up to 31"),
    ],
)
def test_bad_names_are_explained(main: str, aliases: str, message: str) -> None:
    with pytest.raises(SlashConfigError, match=message):
        slash_commands(main, aliases, REGISTRY)


def settings(**values: str) -> SlackSettings:
    """Slack's settings as read from exactly these environment variables."""
    return SlackSettings(_env_file=None, **values)


def test_single_workspace_http() -> None:
    config = SlackConfig.from_settings(
        settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s"), REGISTRY
    )
    assert (config.oauth, config.socket_mode) == (False, False)
    assert config.api_url == "https://slack.com/api/"
    assert config.authorization_url == "https://slack.com/oauth/v2/authorize"


def test_oauth_and_socket_mode_and_api_url() -> None:
    config = SlackConfig.from_settings(
        settings(
            SLACK_CLIENT_ID="1.2",
            SLACK_CLIENT_SECRET="c",
            SLACK_SIGNING_SECRET="s",
            SLACK_APP_TOKEN="xapp-1",
            OFFERBOUND_SLACK_API_URL="https://slack-gov.com/api",
        ),
        REGISTRY,
        new_key(),
    )
    assert (config.oauth, config.socket_mode) == (True, True)
    assert config.api_url == "https://slack-gov.com/api/"
    assert config.authorization_url == "https://slack-gov.com/oauth/v2/authorize"


def test_secrets_stay_secret_in_settings() -> None:
    configured = settings(SLACK_BOT_TOKEN="xoxb-very-secret")
    assert isinstance(configured.bot_token, SecretStr)
    assert "xoxb-very-secret" not in repr(configured)


def test_nothing_configured_is_explained() -> None:
    with pytest.raises(SlackSetupError, match="SLACK_BOT_TOKEN"):
        SlackConfig.from_settings(settings(), REGISTRY)


OAUTH = {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (None, "set OFFERBOUND_SECRET_KEY"),
        ("  ", "set OFFERBOUND_SECRET_KEY"),
        ("not-a-fernet-key", "OFFERBOUND_SECRET_KEY: key 1 of 1 is not a Fernet key"),
    ],
)
def test_oauth_needs_a_secret_key(key: str | None, message: str) -> None:
    with pytest.raises(SlackSetupError, match=message) as refused:
        SlackConfig.from_settings(settings(**OAUTH), REGISTRY, key)
    assert "new-key" in str(refused.value)


def test_a_single_workspace_token_needs_no_key() -> None:
    config = SlackConfig.from_settings(
        settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s"), REGISTRY, None
    )
    assert config.secret_key is None
