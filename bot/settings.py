"""The core's settings from the environment and an optional ``.env`` file; secrets never printed.

Each platform reads its own settings (``adapters/<platform>/settings.py``), so adding a platform
changes nothing here.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.engine import PoolSettings
from storage.secrets import SecretBox


def default_database_url() -> str:
    """SQLite in the user's data directory, e.g. ``~/.local/share/offerbound/offerbound.db``."""
    return f"sqlite:///{Path(user_data_dir('offerbound')) / 'offerbound.db'}"


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


def secret_values(values: list[SecretStr | None]) -> list[str]:
    """The configured secrets among ``values`` (long enough to be worth redacting)."""
    found = [v.get_secret_value() for v in values if v is not None]
    return [v for v in found if len(v) >= 6]


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
    ops_addr: str | None = Field(None, validation_alias=_env("OFFERBOUND_OPS_ADDR"))
    db_pool_size: int = Field(10, ge=1, le=200, validation_alias=_env("OFFERBOUND_DB_POOL_SIZE"))
    db_max_overflow: int = Field(
        10, ge=0, le=200, validation_alias=_env("OFFERBOUND_DB_MAX_OVERFLOW")
    )
    db_statement_timeout: float = Field(
        30.0, gt=0, le=3600, validation_alias=_env("OFFERBOUND_DB_STATEMENT_TIMEOUT")
    )

    cohort_creators: str = Field("admins", validation_alias=_env("OFFERBOUND_COHORT_CREATORS"))

    secret_key: SecretStr | None = Field(None, validation_alias=_env("OFFERBOUND_SECRET_KEY"))

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

    def pool(self) -> PoolSettings:
        return PoolSettings(
            size=self.db_pool_size,
            max_overflow=self.db_max_overflow,
            statement_timeout=self.db_statement_timeout,
        )

    def secrets(self) -> list[str]:
        """Every secret value configured, so logging can make sure none is ever printed."""
        keys = self.secret_key.get_secret_value().split(",") if self.secret_key else []
        return secret_values([self.github_token, *(SecretStr(k.strip()) for k in keys)])

    def secret_box(self) -> SecretBox:
        """The keys of OFFERBOUND_SECRET_KEY; ``SecretKeyError`` when it is unset or malformed
        (checked where keys are needed, so the error never echoes the value as pydantic's
        would)."""
        return SecretBox.from_setting(self.secret_key.get_secret_value() if self.secret_key else "")

    @field_validator("ops_addr")
    @classmethod
    def _host_and_port(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        host, _, port = value.strip().rpartition(":")
        if not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ValueError("OFFERBOUND_OPS_ADDR must be HOST:PORT, e.g. 127.0.0.1:9090")
        return f"{host or '0.0.0.0'}:{port}"

    @field_validator("cohort_creators")
    @classmethod
    def _creators(cls, value: str) -> str:
        terms = [t.strip() for t in value.split(",") if t.strip()]
        for term in terms:
            if term not in ("anyone", "admins") and not (
                term.startswith("group:") and term[6:].strip()
            ):
                raise ValueError(
                    "OFFERBOUND_COHORT_CREATORS is a list of anyone, admins and group:ID "
                    "(a Slack user group or Discord role id), e.g. admins,group:S0COACHES"
                )
        return ",".join(terms) or "admins"

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        ZoneInfo(value)
        return value
