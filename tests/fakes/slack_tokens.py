"""The fake Slack's rotating tokens: access tokens that expire, refresh tokens that work once.

A test mints a pair with ``issue`` (what an install with token rotation on hands out); the fake
then refuses the access token with ``token_expired`` once its time is up (checked against
``time.time()``, so time_machine moves it) and answers oauth.v2.access with
grant_type=refresh_token the way Slack does (``slack_rules``, token rotation): a new pair, the
spent refresh token revoked. An access token replaced by a refresh stays valid until its own
expiry.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fakes import slack_rules as rules


@dataclass(frozen=True)
class Grant:
    """What a refresh token stands for: a bot or a user token of one workspace."""

    kind: str  # "bot" or "user"
    team_id: str
    user_id: str
    scope: str


@dataclass
class RotatingTokens:
    """Every rotating token the fake handed out, and the app credentials it expects."""

    client_id: str | None = None  # when set, a refresh must present these credentials
    client_secret: str | None = None
    seconds: int = rules.ROTATED_TOKEN_SECONDS
    delay: float = 0.0  # seconds a refresh takes to answer (after it took effect)
    expires: dict[str, float] = field(default_factory=dict)  # access token -> epoch seconds
    grants: dict[str, Grant] = field(default_factory=dict)  # live refresh token -> its grant
    refreshed: list[str] = field(default_factory=list)  # refresh tokens spent, in order

    def issue(
        self,
        kind: str = "bot",
        *,
        team_id: str = "T0COHORT",
        user_id: str = "UCOACH",
        scope: str = "chat:write,commands",
        expires_in: float | None = None,
    ) -> tuple[str, str]:
        """A new (access token, refresh token) pair, the access token valid for ``expires_in``
        seconds (12 hours by default)."""
        prefix = "xoxb" if kind == "bot" else "xoxp"
        access = f"xoxe.{prefix}-1-{uuid.uuid4().hex}"
        refresh = f"xoxe-1-{uuid.uuid4().hex}"
        self.expires[access] = time.time() + (self.seconds if expires_in is None else expires_in)
        self.grants[refresh] = Grant(kind, team_id, user_id, scope)
        return access, refresh

    def expired(self, token: str | None) -> bool:
        return token in self.expires and time.time() >= self.expires[token]

    def refresh(self, body: Mapping[str, Any], headers: Mapping[str, str]) -> dict[str, Any]:
        """Slack's answer to oauth.v2.access with grant_type=refresh_token."""
        client_id, client_secret = _credentials(body, headers)
        if self.client_id is not None and client_id != self.client_id:
            return dict(rules.BAD_CLIENT)
        if self.client_secret is not None and client_secret != self.client_secret:
            return dict(rules.BAD_CLIENT_SECRET)
        grant = self.grants.pop(str(body.get("refresh_token") or ""), None)
        if grant is None:
            return dict(rules.INVALID_REFRESH_TOKEN)
        self.refreshed.append(str(body["refresh_token"]))
        access, refresh = self.issue(
            grant.kind, team_id=grant.team_id, user_id=grant.user_id, scope=grant.scope
        )
        answer: dict[str, Any] = {
            "ok": True,
            "app_id": "A0OFFER",
            "scope": grant.scope,
            "token_type": grant.kind,
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": self.seconds,
            "team": {"id": grant.team_id, "name": "Spring Cohort"},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if grant.kind == "bot":
            answer["bot_user_id"] = "UBOT"
        else:
            answer["authed_user"] = {"id": grant.user_id}
        return answer


def _credentials(body: Mapping[str, Any], headers: Mapping[str, str]) -> tuple[str, str]:
    """The client id and secret of an oauth.v2.access call: Basic auth, else form fields."""
    auth = headers.get("Authorization", "")
    if auth.startswith("Basic "):
        client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        return client_id, secret
    return str(body.get("client_id") or ""), str(body.get("client_secret") or "")
