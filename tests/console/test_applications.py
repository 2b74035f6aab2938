"""/apply, /apps and /app through the console: logging, listing, stages, updates and bad input."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from storage.models import Application, Member, StageChange
from storage.scope import system_session

APPLY_USAGE = "Usage: `/apply COMPANY ROLE"
APPLY_EXAMPLE = 'Example: `/apply Stripe "Platform Engineer"`'


async def count(console: ConsoleAdapter, model: type) -> int:
    async with system_session(console.app.sessions) as session:
        return await session.scalar(select(func.count()).select_from(model))


def squash(text: str) -> str:
    """Collapse runs of spaces so field and table alignment does not matter."""
    return re.sub(r"[ \t]+", " ", text)


async def only_application(console: ConsoleAdapter) -> Application:
    async with system_session(console.app.sessions) as session:
        return (await session.scalars(select(Application))).one()


# -- /apply ------------------------------------------------------------------------------------


async def test_apply_happy_path(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", '/apply Stripe "Backend Engineer" follow-up=fri')
    assert "⚠️" not in reply
    assert "Logged application A1: Backend Engineer at Stripe (applied)." in reply
    assert "I'll remind you to follow up on Fri Nov 20." in reply
    assert "This week: 1/10 applications." in reply


async def test_apply_defaults_and_weekly_count_grows(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    reply = await cohort.say("alice", "/apply Acme Developer")
    assert "Logged application A2: Developer at Acme (applied)." in reply
    assert "This week: 2/10 applications." in reply
    assert "follow up" not in reply

    async with system_session(cohort.app.sessions) as session:
        rows = (await session.scalars(select(Application).order_by(Application.id))).all()
    assert [(a.company, a.stage, a.applied_on, a.follow_up) for a in rows] == [
        ("Stripe", "applied", date(2026, 11, 18), None),
        ("Acme", "applied", date(2026, 11, 18), None),
    ]
    assert await count(cohort, StageChange) == 2


async def test_apply_last_week_has_no_weekly_line(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/apply Stripe Dev date=2026-11-10 force=yes")
    assert "Logged application A1" in reply
    assert "This week" not in reply


async def test_apply_stores_every_option(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say(
        "alice",
        '/apply Acme "Junior Developer" url=https://acme.example/jobs/1 stage=screen '
        'contact="Jane Doe" notes="met at the meetup" next="send portfolio" '
        "follow-up=2026-11-25 date=2026-11-16 force=yes",
    )
    assert "Logged application A1: Junior Developer at Acme (screen)." in reply

    shown = squash(await cohort.say("alice", "/app show A1"))
    assert "Application A1" in shown
    for expected in (
        "Company Acme",
        "Role Junior Developer",
        "Stage screen",
        "Applied Mon Nov 16",
        "Link https://acme.example/jobs/1",
        "Contact Jane Doe",
        "Next step send portfolio",
        "Follow up Wed Nov 25",
        "Notes met at the meetup",
        "Mon Nov 16 screen",
    ):
        assert expected in shown, (expected, shown)


async def test_apply_stage_prefix_is_accepted(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/apply Stripe Dev stage=interv")
    assert "(interview)" in reply


async def test_apply_natural_dates_use_the_members_time_zone(
    cohort: ConsoleAdapter, time_machine
) -> None:
    # Friday 23:30 in UTC is already Saturday morning in Tokyo.
    time_machine.move_to(datetime(2026, 11, 20, 23, 30, tzinfo=UTC), tick=False)
    assert "Updated timezone" in await cohort.say("alice", "/me timezone=Asia/Tokyo")

    reply = await cohort.say("alice", "/apply Stripe Dev follow-up=fri date=yesterday force=yes")
    assert "follow up on Fri Nov 27" in reply
    shown = squash(await cohort.say("alice", "/app show A1"))
    assert "Applied Fri Nov 20" in shown
    assert "Follow up Fri Nov 27" in shown

    # bob is still in UTC: the same words mean other days for him.
    await cohort.say("bob", "/apply Stripe Dev follow-up=fri date=yesterday force=yes")
    shown = squash(await cohort.say("bob", "/app show A2"))
    assert "Applied Thu Nov 19" in shown
    assert "Follow up Fri Nov 20" in shown


async def test_apply_default_date_is_the_members_local_today(
    cohort: ConsoleAdapter, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 20, 23, 30, tzinfo=UTC), tick=False)
    await cohort.say("alice", "/me timezone=Asia/Tokyo")
    await cohort.say("alice", "/apply Stripe Dev")
    app = await only_application(cohort)
    assert app.applied_on == date(2026, 11, 21)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/apply Stripe", "`/apply` needs ROLE (the job title)."),
        ("/apply", "`/apply` needs COMPANY"),
        ('/apply "" Dev', "`/apply` needs COMPANY"),
        ("/apply Stripe Dev url=notaurl", "`url` must be a web address starting with https://"),
        ("/apply Stripe Dev url=ftp://x.example/a", "`url` must be a web address"),
        ("/apply Stripe Dev stage=bogus", "`stage` must be one of interested, applied"),
        ("/apply Stripe Dev date=tomorrow", "That date is in the future"),
        ("/apply Stripe Dev date=2026-11-19", "That date is in the future"),
        ("/apply Stripe Dev date=someday", "`date`:"),
        ("/apply Stripe Dev date=2026-02-30", "not a real calendar date"),
        ("/apply Stripe Dev follow-up=soon", "`follow-up`:"),
        ("/apply Stripe Dev color=red", "`/apply` has no option `color=`."),
        ("/apply Stripe Dev stage=screen stage=offer", "`stage=` is given twice."),
        ("/apply Stripe Backend Engineer", "I don't know what to do with `Engineer`."),
    ],
)
async def test_apply_bad_input_is_explained_and_writes_nothing(
    cohort: ConsoleAdapter, line: str, message: str
) -> None:
    reply = await cohort.say("alice", line)
    assert reply.startswith("⚠️"), reply
    assert message in reply, reply
    assert APPLY_USAGE in reply, reply
    assert APPLY_EXAMPLE in reply, reply
    assert await count(cohort, Application) == 0
    assert await count(cohort, StageChange) == 0


async def test_apply_overlong_text_is_refused(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", f"/apply {'x' * 121} Dev")
    assert reply.startswith("⚠️")
    assert "`company` is 121 characters long; the limit is 120" in reply
    assert await count(cohort, Application) == 0


async def test_apply_unclosed_quote_is_explained_and_writes_nothing(
    cohort: ConsoleAdapter,
) -> None:
    reply = await cohort.say("alice", '/apply Stripe "Backend Engineer')
    assert reply.startswith("⚠️ A quote is not closed.")
    assert 'e.g. "Backend Engineer"' in reply
    assert await count(cohort, Application) == 0


async def test_apply_unclosed_quote_shows_usage(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", '/apply Stripe "Backend Engineer')
    assert APPLY_USAGE in reply
    assert APPLY_EXAMPLE in reply


async def test_failed_apply_by_a_new_user_registers_nobody(console: ConsoleAdapter) -> None:
    reply = await console.say("newcomer", "/apply Stripe")
    assert reply.startswith("⚠️")
    assert await count(console, Member) == 0
    assert await count(console, Application) == 0


# -- /apps -------------------------------------------------------------------------------------


async def seed_three(console: ConsoleAdapter) -> None:
    await console.say("alice", '/apply Stripe "Backend Engineer" date=2026-11-02 force=yes')
    await console.say("alice", "/apply Acme Developer stage=screen date=2026-11-12 force=yes")
    await console.say("alice", '/apply "Stripe Press" Editor date=today')


async def test_apps_lists_newest_first(cohort: ConsoleAdapter) -> None:
    await seed_three(cohort)
    reply = await cohort.say("alice", "/apps")
    assert "Your applications (3)" in reply
    assert reply.index("Stripe Press") < reply.index("Acme") < reply.index("Backend Engineer")


async def test_apps_filter_by_stage(cohort: ConsoleAdapter) -> None:
    await seed_three(cohort)
    reply = await cohort.say("alice", "/apps stage=screen")
    assert "Your applications (1)" in reply
    assert "Acme" in reply
    assert "Stripe" not in reply


async def test_apps_filter_by_company_is_a_case_insensitive_substring(
    cohort: ConsoleAdapter,
) -> None:
    await seed_three(cohort)
    reply = await cohort.say("alice", "/apps company=stripe")
    assert "Your applications (2)" in reply
    assert "Backend Engineer" in reply
    assert "Editor" in reply
    assert "Acme" not in reply


async def test_apps_filter_since(cohort: ConsoleAdapter) -> None:
    await seed_three(cohort)
    reply = await cohort.say("alice", "/apps since=2026-11-12")
    assert "Your applications (2)" in reply
    assert "Acme" in reply
    assert "Backend Engineer" not in reply

    reply = await cohort.say("alice", '/apps since="3 days ago"')
    assert "Your applications (1)" in reply
    assert "Editor" in reply


async def test_apps_filters_combine(cohort: ConsoleAdapter) -> None:
    await seed_three(cohort)
    reply = await cohort.say("alice", "/apps company=stripe since=2026-11-10")
    assert "Your applications (1)" in reply
    assert "Editor" in reply


async def test_apps_empty_state(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/apps")
    assert "Your applications (0)" in reply
    assert 'No applications match. Log one with /apply Stripe "Backend Engineer".' in reply


async def test_apps_filter_with_no_match_shows_empty_state(cohort: ConsoleAdapter) -> None:
    await seed_three(cohort)
    reply = await cohort.say("alice", "/apps company=zzz")
    assert "No applications match." in reply


async def test_apps_bad_stage_filter(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/apps stage=nope")
    assert reply.startswith("⚠️")
    assert "`stage` must be one of" in reply
    assert "Usage: `/apps [stage=STAGE] [company=COMPANY] [since=SINCE]`" in reply


# -- /app show and /app stage ------------------------------------------------------------------


async def test_app_show_has_stage_history(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer" date="3 days ago" force=yes')
    await cohort.say("alice", "/app stage A1 screen date=yesterday")
    await cohort.say("alice", '/app stage A1 interview note="onsite Tuesday"')
    shown = squash(await cohort.say("alice", "/app show A1"))
    assert "Stage interview" in shown
    assert "Stage history" in shown
    history = shown[shown.index("Stage history") :]
    assert history.index("Sun Nov 15 applied") < history.index("Tue Nov 17 screen")
    assert history.index("Tue Nov 17 screen") < history.index("Wed Nov 18 interview")
    assert "onsite Tuesday" in history


async def test_app_stage_moves_and_records_dated_history(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer" date="3 days ago" force=yes')
    reply = await cohort.say("alice", '/app stage A1 interview date=yesterday note="onsite"')
    assert reply == "📌 A1 (Backend Engineer at Stripe) is now at interview. Good luck!"

    app = await only_application(cohort)
    assert app.stage == "interview"
    async with system_session(cohort.app.sessions) as session:
        changes = (await session.scalars(select(StageChange).order_by(StageChange.id))).all()
    assert [(c.stage, c.day, c.note) for c in changes] == [
        ("applied", date(2026, 11, 15), ""),
        ("interview", date(2026, 11, 17), "onsite"),
    ]


async def test_app_stage_can_set_follow_up(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    await cohort.say("alice", "/app stage A1 offer follow-up=fri")
    app = await only_application(cohort)
    assert app.stage == "offer"
    assert app.follow_up == date(2026, 11, 20)


async def test_app_stage_rejects_the_same_stage(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    reply = await cohort.say("alice", "/app stage A1 applied")
    assert reply.startswith("⚠️ A1 is already at applied.")
    assert await count(cohort, StageChange) == 1


async def test_app_stage_rejects_a_date_before_applying(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/apply Stripe Dev date=yesterday force=yes")
    reply = await cohort.say("alice", '/app stage A1 screen date="2 days ago"')
    assert reply.startswith("⚠️ That is before you applied (Tue Nov 17).")
    assert "Usage: `/app stage ID STAGE" in reply
    assert (await only_application(cohort)).stage == "applied"
    assert await count(cohort, StageChange) == 1


async def test_app_stage_rejects_a_future_date(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    reply = await cohort.say("alice", "/app stage A1 offer date=2026-11-19")
    assert reply.startswith("⚠️ That date is in the future")
    assert "Usage: `/app stage ID STAGE" in reply
    assert (await only_application(cohort)).stage == "applied"
    assert await count(cohort, StageChange) == 1


async def test_app_stage_rejects_an_unknown_stage(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    reply = await cohort.say("alice", "/app stage A1 hired")
    assert reply.startswith("⚠️")
    assert "`stage` must be one of" in reply
    assert await count(cohort, StageChange) == 1


async def test_app_stage_needs_a_stage(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    reply = await cohort.say("alice", "/app stage A1")
    assert reply.startswith("⚠️ `/app stage` needs STAGE")
    assert "Example: `/app stage A1 interview" in reply


# -- /app update -------------------------------------------------------------------------------


async def test_app_update_changes_fields(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer" follow-up=fri')
    reply = await cohort.say(
        "alice",
        '/app update A1 role="Platform Engineer" next="email the recruiter" '
        "url=https://stripe.example/jobs/9 follow-up=2026-11-30",
    )
    assert reply == "✏️ Updated A1: role, url, next, follow-up."
    shown = squash(await cohort.say("alice", "/app show A1"))
    assert "Role Platform Engineer" in shown
    assert "Next step email the recruiter" in shown
    assert "Link https://stripe.example/jobs/9" in shown
    assert "Follow up Mon Nov 30" in shown
    assert "Company Stripe" in shown


async def test_app_update_without_changes_is_refused(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    before = await only_application(cohort)
    reply = await cohort.say("alice", "/app update A1")
    assert reply.startswith("⚠️ Say what to change")
    assert "Usage: `/app update ID" in reply
    after = await only_application(cohort)
    assert after.updated_at == before.updated_at


async def test_app_update_bad_value_changes_nothing(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe Dev next="call"')
    reply = await cohort.say("alice", '/app update A1 next="email" url=nope')
    assert reply.startswith("⚠️")
    assert "`url` must be a web address" in reply
    assert (await only_application(cohort)).next_step == "call"


async def test_app_update_refuses_blank_company(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    reply = await cohort.say("alice", '/app update A1 company=""')
    assert reply.startswith("⚠️")
    assert (await only_application(cohort)).company == "Stripe"


# -- ids and ownership -------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["A1", "a1", "1", "#1", "A#1"])
async def test_app_ids_are_forgiving(cohort: ConsoleAdapter, raw: str) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    shown = await cohort.say("alice", f"/app show {raw}")
    assert shown.startswith("Application A1"), shown


@pytest.mark.parametrize("raw", ["x1", "A", "A1x", "C1"])
async def test_bad_app_ids_are_refused(cohort: ConsoleAdapter, raw: str) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    reply = await cohort.say("alice", f"/app show {raw}")
    assert reply.startswith(f"⚠️ `{raw}` is not an application id; ids look like A12.")
    assert "Usage: `/app show ID`" in reply


async def test_unknown_app_id(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/app show A42")
    assert reply.startswith("⚠️ You have no application A42.")
    assert "/apps" in reply


async def test_another_member_cannot_see_or_change_an_application(
    cohort: ConsoleAdapter,
) -> None:
    await cohort.say("alice", '/apply Stripe Dev next="call"')
    before = await only_application(cohort)

    for line in (
        "/app show A1",
        "/app stage A1 interview",
        '/app update A1 next="hijacked"',
    ):
        reply = await cohort.say("bob", line)
        assert reply.startswith("⚠️ You have no application A1."), (line, reply)

    assert "Your applications (0)" in await cohort.say("bob", "/apps")
    after = await only_application(cohort)
    assert (after.stage, after.next_step, after.updated_at) == (
        "applied",
        "call",
        before.updated_at,
    )
    assert await count(cohort, StageChange) == 1
