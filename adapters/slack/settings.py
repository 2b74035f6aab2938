"""Slack's settings, read from the environment and ``.env`` by the Slack plugin alone.

Names are the environment variables the README documents; secrets are never printed.
"""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.settings import secret_values


class SlackSettings(BaseSettings):
    """Tokens, the slash command names and where Slack's Web API is."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    bot_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    signing_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    app_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    client_id: str | None = Field(None, validation_alias=AliasChoices("SLACK_CLIENT_ID"))
    client_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_CLIENT_SECRET")
    )
    api_url: str | None = Field(None, validation_alias=AliasChoices("OFFERBOUND_SLACK_API_URL"))
    command: str = Field("/ob", validation_alias=AliasChoices("OFFERBOUND_SLACK_COMMAND"))
    aliases: str = Field(
        "apply,outreach,practice,standup",
        validation_alias=AliasChoices("OFFERBOUND_SLACK_ALIASES"),
    )

    def configured(self) -> bool:
        """Any Slack credential makes ``offerbound run`` serve Slack."""
        return bool(self.bot_token or self.app_token or self.client_id)

    def secrets(self) -> list[str]:
        return secret_values(
            [self.bot_token, self.signing_secret, self.app_token, self.client_secret]
        )
