"""The `offerbound` command line, run as a real process the way a newcomer runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.migrate import script_head

OFFERBOUND = [sys.executable, "-m", "offerbound"]


def run_cli(
    args: list[str], tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "OFFERBOUND_"))
    }
    environment.update({"OFFERBOUND_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", **env})
    return subprocess.run(
        [*OFFERBOUND, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=tmp_path,
    )


def test_piped_commands_are_answered_line_by_line(tmp_path: Path) -> None:
    result = run_cli(
        ["run", "--as", "alice"], tmp_path, '/apply Stripe "Backend Engineer"\n/stats\n'
    )
    assert result.returncode == 0, result.stderr
    assert "Logged application A1: Backend Engineer at Stripe" in result.stdout
    assert "Applications   1/10" in result.stdout


def test_switching_user_in_session_and_data_persisting(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                ":as coach",
                '/cohort create "Fall 2026"',
                ":as bob",
                '/cohort join "Fall 2026"',
                "/practice 30m",
                ":who",
            ]
        )
        + "\n"
    )
    first = run_cli(["run"], tmp_path, script)
    assert first.returncode == 0, first.stderr
    assert "Created cohort Fall 2026" in first.stdout
    assert "You are now bob." in first.stdout
    assert "You are bob." in first.stdout
    second = run_cli(["run", "--as", "coach"], tmp_path, "/cohort report\n")
    assert "bob" in second.stdout and "1/5" in second.stdout


def test_a_form_is_answered_on_the_following_lines(tmp_path: Path) -> None:
    result = run_cli(
        ["run", "--as", "alice"],
        tmp_path,
        "/standup\nsent two applications\nmock interview\n\n\n\n/history\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Standup saved" in result.stdout
    assert "mock interview" in result.stdout


def test_errors_are_friendly_and_the_console_goes_on(tmp_path: Path) -> None:
    result = run_cli(["run", "--as", "alice"], tmp_path, "/apply Stripe\n/bogus\n/streak\n")
    assert result.returncode == 0
    assert "needs ROLE" in result.stdout
    assert "I don't know the command `/bogus`" in result.stdout
    assert "Current streak" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_db_upgrade_reports_the_revision(tmp_path: Path) -> None:
    result = run_cli(["db", "upgrade"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Database is at revision {script_head()}" in result.stdout


def test_platform_without_an_adapter_exits_with_a_message(tmp_path: Path) -> None:
    result = run_cli(["run", "--platform", "discord"], tmp_path)
    assert result.returncode == 2
    assert "not available" in result.stderr


def test_bad_configuration_is_explained(tmp_path: Path) -> None:
    result = run_cli(["run"], tmp_path, OFFERBOUND_DEFAULT_TIMEZONE="Mars/Base")
    assert result.returncode == 2
    assert "Configuration error" in result.stderr
    assert "Traceback" not in result.stderr


def test_secrets_are_never_printed(tmp_path: Path) -> None:
    result = run_cli(
        ["run"],
        tmp_path,
        "/help\n",
        OFFERBOUND_LOG_LEVEL="DEBUG",
        DISCORD_TOKEN="super-secret-token",
    )
    assert "super-secret-token" not in result.stdout + result.stderr


@pytest.mark.parametrize("start", ["2026-11-16"])
def test_demo_plays_a_cohort_week(tmp_path: Path, start: str) -> None:
    result = run_cli(["demo", "--start", start], tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "== Monday Nov 16 ==" in out and "== Sunday Nov 22 ==" in out
    assert "Fall 2026 leaderboard" in out
    assert "Current streak           7 days" in out
    assert "⚠️" not in out


def test_demo_rejects_a_start_that_is_not_a_monday(tmp_path: Path) -> None:
    result = run_cli(["demo", "--start", "2026-11-17"], tmp_path)
    assert result.returncode == 2
    assert "not a Monday" in result.stderr


def test_secrets_new_key_prints_a_fernet_key(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    result = run_cli(["secrets", "new-key"], tmp_path)
    assert result.returncode == 0, result.stderr
    Fernet(result.stdout.strip())  # a usable key


def test_secrets_reencrypt_encrypts_legacy_rows_and_needs_the_key(tmp_path: Path) -> None:
    import sqlite3

    from storage.secrets import SecretBox, new_key

    assert run_cli(["db", "upgrade"], tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "cli.db") as db:  # a token stored before encryption
        db.execute(
            "INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, "
            "is_enterprise_install, installed_at) VALUES ('c', 'A', 'T', 'xoxb-plain-1234', 0, "
            "'2026-11-01 00:00:00')"
        )
    missing = run_cli(["secrets", "reencrypt"], tmp_path)
    assert missing.returncode == 2
    assert "OFFERBOUND_SECRET_KEY is not set" in missing.stderr
    malformed = run_cli(["secrets", "reencrypt"], tmp_path, OFFERBOUND_SECRET_KEY="hunter22")
    assert malformed.returncode == 2 and "Configuration error" in malformed.stderr
    assert "Traceback" not in malformed.stderr and "hunter22" not in malformed.stderr

    key = new_key()
    result = run_cli(["secrets", "reencrypt"], tmp_path, OFFERBOUND_SECRET_KEY=key)
    assert result.returncode == 0, result.stderr
    assert "Re-encrypted 1 row(s)" in result.stdout
    with sqlite3.connect(tmp_path / "cli.db") as db:
        [(stored,)] = db.execute("SELECT bot_token FROM slack_bots").fetchall()
    assert SecretBox.from_setting(key).decrypt(stored) == "xoxb-plain-1234" != stored

    unknown = run_cli(["secrets", "reencrypt"], tmp_path, OFFERBOUND_SECRET_KEY=new_key())
    assert unknown.returncode == 2
    assert "slack_bots.bot_token of row id=1" in unknown.stderr
    assert "not in OFFERBOUND_SECRET_KEY" in unknown.stderr
    assert "Traceback" not in unknown.stderr and "xoxb-plain" not in unknown.stderr


def test_slack_oauth_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = run_cli(
        ["run", "--platform", "slack", "--port", "0"],
        tmp_path,
        SLACK_CLIENT_ID="1234.5678",
        SLACK_CLIENT_SECRET="client-secret",
        SLACK_SIGNING_SECRET="signing-secret",
    )
    assert result.returncode == 2
    assert "Configuration error" in result.stderr
    assert "set OFFERBOUND_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr
