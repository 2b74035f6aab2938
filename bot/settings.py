"""Settings from the environment and an optional ``.env`` file; secrets are never printed."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """SQLite in the user's data directory, e.g. ``~/.local/share/offerbound/offerbound.db``."""
    return f"sqlite:///{Path(user_data_dir('offerbound')) / 'offerbound.db'}"


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """Everything configurable. Names are the environment variables the README documents."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default_factory=default_database_url, validation_alias=_env("OFFERBOUND_DATABASE_URL")
    )
    default_timezone: str = Field("UTC", validation_alias=_env("OFFERBOUND_DEFAULT_TIMEZONE"))
    public_url: str | None = Field(None, validation_alias=_env("OFFERBOUND_PUBLIC_URL"))
    auto_migrate: bool = Field(True, validation_alias=_env("OFFERBOUND_AUTO_MIGRATE"))
    log_level: str = Field("WARNING", validation_alias=_env("OFFERBOUND_LOG_LEVEL"))
    log_format: str = Field("text", validation_alias=_env("OFFERBOUND_LOG_FORMAT"))
    scheduler: bool = Field(True, validation_alias=_env("OFFERBOUND_SCHEDULER"))
    delivery_pacer: bool = Field(True, validation_alias=_env("OFFERBOUND_DELIVERY_PACER"))
    delivery_lease_seconds: int = Field(
        60, ge=5, le=3600, validation_alias=_env("OFFERBOUND_DELIVERY_LEASE_SECONDS")
    )

    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_client_id: str | None = Field(None, validation_alias=_env("SLACK_CLIENT_ID"))
    slack_client_secret: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_CLIENT_SECRET")
    )
    slack_api_url: str | None = Field(None, validation_alias=_env("OFFERBOUND_SLACK_API_URL"))
    slack_command: str = Field("/ob", validation_alias=_env("OFFERBOUND_SLACK_COMMAND"))
    slack_aliases: str = Field(
        "apply,outreach,practice,standup", validation_alias=_env("OFFERBOUND_SLACK_ALIASES")
    )

    discord_token: SecretStr | None = Field(None, validation_alias=_env("DISCORD_TOKEN"))
    discord_api_url: str | None = Field(None, validation_alias=_env("OFFERBOUND_DISCORD_API_URL"))
    discord_gateway_url: str | None = Field(
        None, validation_alias=_env("OFFERBOUND_DISCORD_GATEWAY_URL")
    )
    discord_shards: int | None = Field(None, validation_alias=_env("OFFERBOUND_DISCORD_SHARDS"))

    github_token: SecretStr | None = Field(None, validation_alias=_env("OFFERBOUND_GITHUB_TOKEN"))
    github_api_url: str = Field(
        "https://api.github.com", validation_alias=_env("OFFERBOUND_GITHUB_API_URL")
    )

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in ("text", "json"):
            raise ValueError("OFFERBOUND_LOG_FORMAT must be text or json")
        return value

    def secrets(self) -> list[str]:
        """Every secret value configured, so logging can make sure none is ever printed."""
        values = [
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.slack_client_secret,
            self.discord_token,
            self.github_token,
        ]
        found = [v.get_secret_value() for v in values if v is not None]
        return [v for v in found if len(v) >= 6]

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        ZoneInfo(value)
        return value

    def configured_platform(self) -> str:
        """The platform ``offerbound run`` picks when none is given: the one with a token."""
        if self.slack_bot_token or self.slack_app_token or self.slack_client_id:
            return "slack"
        if self.discord_token:
            return "discord"
        return "console"
