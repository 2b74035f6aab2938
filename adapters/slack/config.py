"""Which Slack set-up the settings describe (single workspace, OAuth, HTTP or Socket Mode), checked.

Mistakes are reported at start-up with the variable to set, not as a failure on the first request.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.slack.settings import SlackSettings
from adapters.slack.slash import SlashCommand, SlashConfigError, slash_commands
from bot.registry import Registry
from storage.secrets import NEW_KEY_HINT, SecretBox, SecretKeyError

DEFAULT_API_URL = "https://slack.com/api/"


class SlackSetupError(ValueError):
    """The Slack settings are incomplete or inconsistent; the message names what to set."""


@dataclass(frozen=True)
class SlackConfig:
    """The Slack settings the adapter runs with (secrets as plain strings, never logged)."""

    signing_secret: str
    commands: tuple[SlashCommand, ...]
    bot_token: str | None = None
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    api_url: str = DEFAULT_API_URL
    secret_key: str | None = None  # OFFERBOUND_SECRET_KEY: encrypts the tokens OAuth stores

    @property
    def oauth(self) -> bool:
        """Multi-workspace: installations come from the OAuth flow and live in the database."""
        return bool(self.client_id and self.client_secret)

    @property
    def socket_mode(self) -> bool:
        """Events arrive over a WebSocket Slack opens for us; no public URL needed."""
        return bool(self.app_token)

    @property
    def authorization_url(self) -> str:
        """Slack's install page on the same host as the Web API (slack.com, slack-gov.com...)."""
        base = self.api_url.rstrip("/")
        base = base.removesuffix("/api")
        return f"{base}/oauth/v2/authorize"

    @classmethod
    def from_settings(
        cls, settings: SlackSettings, registry: Registry, secret_key: str | None = None
    ) -> SlackConfig:
        """The checked configuration; ``secret_key`` is the core's OFFERBOUND_SECRET_KEY."""

        def secret(value: object) -> str | None:
            raw = value.get_secret_value() if value is not None else None  # type: ignore[attr-defined]
            return raw or None

        bot_token = secret(settings.bot_token)
        app_token = secret(settings.app_token)
        signing_secret = secret(settings.signing_secret) or ""
        client_secret = secret(settings.client_secret)
        client_id = settings.client_id or None
        if bool(client_id) != bool(client_secret):
            raise SlackSetupError(
                "OAuth needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
                "(or neither, with SLACK_BOT_TOKEN for a single workspace)"
            )
        if not client_id and not bot_token:
            raise SlackSetupError(
                "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
                "(installable in many workspaces)"
            )
        if not app_token and not signing_secret:
            raise SlackSetupError(
                "HTTP mode needs SLACK_SIGNING_SECRET to verify Slack's requests "
                "(or set SLACK_APP_TOKEN to use Socket Mode)"
            )
        if client_id and not signing_secret:
            raise SlackSetupError("OAuth installs arrive over HTTP: set SLACK_SIGNING_SECRET too")
        if client_id:
            _check_key(secret_key)
        if app_token and not app_token.startswith("xapp-"):
            raise SlackSetupError("SLACK_APP_TOKEN must be an app-level token (xapp-...)")
        try:
            commands = slash_commands(settings.command, settings.aliases, registry)
        except SlashConfigError as exc:
            raise SlackSetupError(str(exc)) from exc
        api_url = settings.api_url or DEFAULT_API_URL
        return cls(
            signing_secret=signing_secret,
            commands=commands,
            bot_token=bot_token,
            app_token=app_token,
            client_id=client_id,
            client_secret=client_secret,
            api_url=api_url if api_url.endswith("/") else api_url + "/",
            secret_key=secret_key if client_id else None,
        )


def _check_key(secret_key: str | None) -> None:
    """OAuth stores every workspace's tokens, and never in clear: it needs the key."""
    if not (secret_key or "").strip():
        raise SlackSetupError(
            "OAuth keeps each workspace's tokens in the database, encrypted: set "
            f"OFFERBOUND_SECRET_KEY ({NEW_KEY_HINT})"
        )
    try:
        SecretBox.from_setting(secret_key)
    except SecretKeyError as exc:
        raise SlackSetupError(str(exc)) from None
