"""Discord's settings, read from the environment and ``.env`` by the Discord plugin alone.

Names are the environment variables the README documents; the token is never printed.
"""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.settings import secret_values


class DiscordSettings(BaseSettings):
    """The bot token, endpoint overrides (proxies, tests) and sharding."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    token: SecretStr | None = Field(None, validation_alias=AliasChoices("DISCORD_TOKEN"))
    api_url: str | None = Field(None, validation_alias=AliasChoices("OFFERBOUND_DISCORD_API_URL"))
    gateway_url: str | None = Field(
        None, validation_alias=AliasChoices("OFFERBOUND_DISCORD_GATEWAY_URL")
    )
    shards: int | None = Field(None, validation_alias=AliasChoices("OFFERBOUND_DISCORD_SHARDS"))

    def token_value(self) -> str:
        """The token as configured (blank when unset)."""
        return self.token.get_secret_value().strip() if self.token else ""

    def configured(self) -> bool:
        return bool(self.token_value())

    def secrets(self) -> list[str]:
        return secret_values([self.token])
