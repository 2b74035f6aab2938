"""One table of scopes (adapters/slack/scopes.py): every Web API method the adapter calls is in it,
the manifest asks for exactly its bot scopes, each row asks for at least what the strict fake
(from each method's documentation page) demands, and docs/slack.md names every scope."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from adapters.slack.scopes import BOT_SCOPES, USES, uses
from tests.fakes import slack_rules as rules
from tests.fakes.slack_api import MANIFEST

ADAPTER = Path(__file__).parents[2] / "adapters" / "slack"
DOCS = Path(__file__).parents[2] / "docs" / "slack.md"
# slack_sdk's helpers that call several Web API methods
COMPOSITE = {"files.upload.v2": ("files.getUploadURLExternal", "files.completeUploadExternal")}


def called_methods() -> set[str]:
    """Every ``client.family_method(...)`` call in the adapter, as Slack spells the method
    (slack_sdk's underscores are Slack's dots)."""
    found: set[str] = set()
    for source in ADAPTER.glob("*.py"):
        for family, name in re.findall(r"client\.([a-z]+)_(\w+)\(", source.read_text()):
            method = f"{family}.{name.replace('_', '.')}"  # usergroups_users_list
            found.update(COMPOSITE.get(method, (method,)))
    return found


def test_every_method_the_adapter_calls_has_a_row() -> None:
    called = called_methods()
    assert {"chat.postMessage", "conversations.history", "files.getUploadURLExternal"} <= called
    missing = [m for m in sorted(called) if m not in {u.what for u in USES}]
    assert missing == [], f"add these to adapters/slack/scopes.py: {missing}"


def test_the_file_download_has_its_row() -> None:
    assert "url_private_download" in (ADAPTER / "adapter.py").read_text()
    assert uses("url_private_download").scopes == ("files:read",)


def test_the_manifest_asks_for_the_tables_bot_scopes() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    assert {"files:read", "channels:history", "groups:history"} <= set(BOT_SCOPES)


def test_each_row_asks_for_what_slack_demands() -> None:
    for use in USES:
        if use.what not in rules.METHOD_SCOPES:
            continue
        demanded = set(rules.METHOD_SCOPES[use.what].scopes)
        assert demanded <= set(use.scopes), (use.what, demanded)
        assert use.source.startswith("https://docs.slack.dev/reference/")


def test_docs_name_every_scope() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for scope in BOT_SCOPES:
        assert f"`{scope}`" in text, f"docs/slack.md does not explain {scope}"
