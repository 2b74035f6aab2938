"""A tracker uploaded in the bot's DM with "import tracker" is downloaded and imported."""

from __future__ import annotations

from tests.fakes import slack_rules as rules
from tests.fakes.slack_api import MANIFEST
from tests.slack.harness import BOT_TOKEN, SlackHarness, as_slack_sends, user_id

TRACKER = (
    b"Company,Role,Link,Stage,Date applied,Contact,What I learned,Next step,Follow-up date,Notes\n"
    b"Acme,Backend Developer,,applied,2026-11-02,,,,,\n"
    b"Globex,Data Engineer,,interview,2026-11-03,,,,,\n"
)


async def share(slack: SlackHarness, text: str, file: dict) -> None:
    event = {
        "text": as_slack_sends(text),
        "user": user_id("alice"),
        "channel": "DALICE",
        "subtype": "file_share",
        "files": [file],
    }
    await slack.event("message_im", event)


async def test_an_uploaded_tracker_is_imported(cohort: SlackHarness) -> None:
    url = cohort.fake.host_file("F0TRACK", TRACKER, BOT_TOKEN)
    file = {
        "id": "F0TRACK",
        "name": "tracker.csv",
        "size": len(TRACKER),
        "url_private_download": url,
    }
    await share(cohort, "import tracker dry-run=yes", file)
    assert "Would import 2 applications" in cohort.reply_text()
    await share(cohort, "import tracker", file)
    assert "Imported 2 applications" in cohort.reply_text()
    assert len(cohort.fake.calls_to("download")) == 2
    assert "Globex" in await cohort.core("apps")


async def test_a_huge_upload_is_refused_without_downloading_it(cohort: SlackHarness) -> None:
    url = cohort.fake.host_file("F0HUGE", b"x", BOT_TOKEN)
    file = {
        "id": "F0HUGE",
        "name": "huge.csv",
        "size": 50 * 1024 * 1024,
        "url_private_download": url,
    }
    await share(cohort, "import tracker", file)
    assert "50" in cohort.reply_text() and "MB" in cohort.reply_text()
    assert cohort.fake.calls_to("download") == []


async def test_import_without_a_file_explains_how_to_upload(cohort: SlackHarness) -> None:
    await cohort.dm("import tracker")
    assert "Upload your CSV or XLSX tracker in a direct message" in cohort.reply_text()


async def test_without_files_read_the_member_is_told_why_and_nothing_is_imported(
    cohort: SlackHarness,
) -> None:
    """An app installed from an old manifest (no files:read) gets Slack's sign-in page instead
    of the file: that must not be read as a tracker."""
    url = cohort.fake.host_file("F0TRACK", TRACKER, BOT_TOKEN)
    cohort.fake.grant(BOT_TOKEN, rules.manifest_bot_scopes(MANIFEST) - {"files:read"})
    file = {
        "id": "F0TRACK",
        "name": "tracker.csv",
        "size": len(TRACKER),
        "url_private_download": url,
    }
    await share(cohort, "import tracker", file)
    shown = cohort.reply_text()
    assert "Slack didn't hand over tracker.csv" in shown and "files:read" in shown
    assert "DOCTYPE" not in shown
    assert "(0)" in await cohort.core("apps")
