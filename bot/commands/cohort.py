"""/cohort: create and join cohorts; coaches change settings, promote coaches and see reports."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.context import Context
from bot.domain.calendar import week_label, week_start
from bot.domain.invites import JOIN_MODES, describe_mode, how_to_join, set_join_mode
from bot.domain.scoring import progress_bar
from bot.errors import PermissionDenied, UsageError, UserError
from bot.format import plural
from bot.params import Kind, MemberRef, Param
from bot.progress import effective_status, streaks, week_totals
from bot.registry import CommandSet, Example, Role
from bot.replies import Fields, Reply, Table, t
from bot.services.changes import late_changes
from bot.timeparse import WEEKDAYS, Direction, format_minutes, format_weekdays
from storage.models import Cohort

commands = CommandSet()

SETTINGS = (
    Param("timezone", Kind.TIMEZONE, "the cohort's time zone", example="America/New_York"),
    Param("channel", Kind.CHANNEL, "the cohort channel", example="#job-search"),
    Param("standup", Kind.TIME, "daily standup time (member's local time)", example="09:00"),
    Param("days", Kind.WEEKDAYS, "standup weekdays", example="mon-fri"),
    Param("reminder", Kind.TIME, "standup reminder time", example="13:00"),
    Param("summary", Kind.TIME, "standup summary post time (cohort time)", example="17:00"),
    Param("retro-day", Kind.WEEKDAYS, "weekly retro day", example="fri"),
    Param("retro-time", Kind.TIME, "weekly retro time", example="16:00"),
    Param("applications", Kind.INTEGER, "weekly applications target", minimum=0, maximum=200),
    Param("outreach", Kind.INTEGER, "weekly outreach target", minimum=0, maximum=200),
    Param("practice", Kind.INTEGER, "practice days a week", minimum=0, maximum=7),
    Param("hours", Kind.INTEGER, "planned hours a week", minimum=0, maximum=100),
    Param("freezes", Kind.INTEGER, "streak freezes per month", minimum=0, maximum=10),
    Param(
        "apps-per-interview",
        Kind.INTEGER,
        "funnel default: applications per interview",
        minimum=1,
        maximum=200,
    ),
    Param(
        "interviews-per-offer",
        Kind.INTEGER,
        "funnel default: interviews per offer",
        minimum=1,
        maximum=50,
    ),
    Param(
        "join",
        Kind.CHOICE,
        "how members join: by name, by name and invite code, or with a coach's approval",
        choices=JOIN_MODES,
        example="code",
    ),
    Param(
        "mention-missing",
        Kind.CHOICE,
        "mention members who have not checked in, in the summary",
        choices=("on", "off"),
        example="off",
    ),
)
_COLUMNS = {
    "timezone": "timezone",
    "channel": "channel_id",
    "standup": "standup_time",
    "reminder": "reminder_time",
    "summary": "summary_time",
    "retro-time": "retro_time",
    "applications": "target_applications",
    "outreach": "target_outreach",
    "practice": "target_practice_days",
    "hours": "target_hours",
    "freezes": "streak_freezes",
    "apps-per-interview": "apps_per_interview",
    "interviews-per-offer": "interviews_per_offer",
}


def _apply_settings(cohort: Cohort, given: Mapping[str, object]) -> list[str]:
    """Set each setting given (by option name; None when left out); the options that changed."""
    changed = []
    for option, column in _COLUMNS.items():
        if given.get(option) is not None:
            setattr(cohort, column, given[option])
            changed.append(option)
    days = given.get("days")
    if isinstance(days, tuple):
        cohort.standup_days = ",".join(str(d) for d in days)
        changed.append("days")
    join = given.get("join")
    if isinstance(join, str):
        set_join_mode(cohort, join)
        changed.append("join")
    mention = given.get("mention-missing")
    if mention is not None:
        cohort.mention_missing = mention == "on"
        changed.append("mention-missing")
    retro_day = given.get("retro-day")
    if isinstance(retro_day, tuple):
        if len(retro_day) != 1:
            raise UsageError("The retro happens on one day, e.g. retro-day=fri.", param="retro-day")
        cohort.retro_day = retro_day[0]
        changed.append("retro-day")
    return changed


def _creators(policy: str) -> str:
    """``OFFERBOUND_COHORT_CREATORS`` in words, for the refusal."""
    words = []
    if "admins" in policy.split(","):
        words.append("admins")
    if any(term.startswith("group:") for term in policy.split(",")):
        words.append("the coaches' group")
    return " and ".join(words) or "admins"


def _hhmm(clock: time) -> str:
    return clock.strftime("%H:%M")


def settings_fields(cohort: Cohort) -> Fields:
    """The cohort's schedule, targets and funnel defaults, as a coach reads them."""
    days = tuple(int(d) for d in cohort.standup_days.split(",") if d)
    return Fields(
        f"{cohort.name} settings",
        (
            ("Time zone", cohort.timezone),
            ("Channel", cohort.channel_id or "(none)"),
            ("Standup", f"{_hhmm(cohort.standup_time)} on {format_weekdays(days)}"),
            ("Reminder", _hhmm(cohort.reminder_time)),
            ("Summary", _hhmm(cohort.summary_time)),
            ("Retro", f"{WEEKDAYS[cohort.retro_day]} {_hhmm(cohort.retro_time)}"),
            (
                "Weekly targets",
                f"{cohort.target_applications} applications, {cohort.target_outreach} outreach, "
                f"{cohort.target_practice_days} practice days, {cohort.target_hours}h",
            ),
            ("Streak freezes", f"{cohort.streak_freezes} a month"),
            ("Mentions", "on" if cohort.mention_missing else "off"),
            ("Joining", describe_mode(cohort)),
            (
                "Funnel",
                f"{cohort.apps_per_interview} applications per interview, "
                f"{cohort.interviews_per_offer} interviews per offer",
            ),
        ),
    )


@commands.command(
    "cohort create",
    "Create a cohort; you become its coach",
    params=[
        Param(
            "name",
            Kind.TEXT,
            "the cohort's name",
            required=True,
            positional=True,
            max_length=80,
            example='"Fall 2026"',
        ),
        *SETTINGS,
    ],
    examples=[
        Example(
            '/cohort create "Spring 2027" timezone=America/New_York',
            "Created cohort Spring",
            as_user="coach",
        ),
    ],
    details=(
        "Who may create cohorts is the deployment's choice (OFFERBOUND_COHORT_CREATORS: "
        "workspace or server admins by default); the creator is the cohort's first coach. "
        "The channel must be one of this workspace's or server's, where the bot can post."
    ),
)
async def create(
    ctx: Context,
    *,
    name: str,
    timezone: str | None,
    channel: str | None,
    standup: time | None,
    days: tuple[int, ...] | None,
    reminder: time | None,
    summary: time | None,
    retro_day: tuple[int, ...] | None,
    retro_time: time | None,
    applications: int | None,
    outreach: int | None,
    practice: int | None,
    hours: int | None,
    freezes: int | None,
    apps_per_interview: int | None,
    interviews_per_offer: int | None,
    mention_missing: str | None,
    join: str | None,
) -> Reply:
    name = name.strip()
    if not name:
        raise UsageError("A cohort needs a name.", param="name")
    if await ctx.repo.cohort_by_name(name) is not None:  # before asking the platform
        raise UserError(
            f"A cohort called {name} already exists.",
            hint=t('Join it with `/cohort join "{name}"` or pick another name.', name=name),
            param="name",
        )
    if not await ctx.may_create_cohorts():
        raise PermissionDenied(
            f"Only {_creators(ctx.settings.cohort_creators)} may create cohorts here.",
            hint=t(
                "Ask one of them to create it; they can make you a coach with `/cohort coach @you`."
            ),
        )
    if channel is not None:
        await ctx.check_channel(channel)
    cohort = Cohort(
        name=name,
        channel_id=ctx.invocation.channel_id,
        timezone=ctx.member.timezone,
        created_at=ctx.now,
    )
    _apply_settings(
        cohort,
        {
            "timezone": timezone,
            "channel": channel,
            "standup": standup,
            "days": days,
            "reminder": reminder,
            "summary": summary,
            "retro-day": retro_day,
            "retro-time": retro_time,
            "applications": applications,
            "outreach": outreach,
            "practice": practice,
            "hours": hours,
            "freezes": freezes,
            "apps-per-interview": apps_per_interview,
            "interviews-per-offer": interviews_per_offer,
            "mention-missing": mention_missing,
            "join": join,
        },
    )
    await ctx.repo.add(cohort)
    ctx.member.cohort_id = cohort.id
    ctx.member.role = "coach"
    ctx.schedule_changed()
    return Reply.of(
        f"🎓 Created cohort {name}. You are its coach.",
        settings_fields(cohort),
        t("Members join with `{line}`.", line=how_to_join(cohort)),
    )


@commands.command(
    "cohort leave",
    "Leave your cohort (your own logs stay yours)",
    examples=[Example("/cohort leave", "You left Fall 2026", as_user="dana")],
)
async def leave(ctx: Context) -> Reply:
    cohort = ctx.require_cohort()
    ctx.member.cohort_id = None
    ctx.member.role = "member"
    ctx.schedule_changed()
    return Reply.of(f"You left {cohort.name}. Your logs are kept; rejoin any time.")


@commands.command(
    "cohort settings",
    "Show or change the cohort's schedule and weekly targets",
    params=SETTINGS,
    role=Role.COACH,
    examples=[
        Example("/cohort settings", "Weekly targets", as_user="coach"),
        Example(
            "/cohort settings applications=12 standup=08:30",
            "Updated standup, applications",
            as_user="coach",
        ),
    ],
)
async def settings(
    ctx: Context,
    *,
    timezone: str | None,
    channel: str | None,
    standup: time | None,
    days: tuple[int, ...] | None,
    reminder: time | None,
    summary: time | None,
    retro_day: tuple[int, ...] | None,
    retro_time: time | None,
    applications: int | None,
    outreach: int | None,
    practice: int | None,
    hours: int | None,
    freezes: int | None,
    apps_per_interview: int | None,
    interviews_per_offer: int | None,
    mention_missing: str | None,
    join: str | None,
) -> Reply:
    cohort = ctx.require_cohort()
    if channel is not None and channel != cohort.channel_id:
        await ctx.check_channel(channel)
    changed = _apply_settings(
        cohort,
        {
            "timezone": timezone,
            "channel": channel,
            "standup": standup,
            "days": days,
            "reminder": reminder,
            "summary": summary,
            "retro-day": retro_day,
            "retro-time": retro_time,
            "applications": applications,
            "outreach": outreach,
            "practice": practice,
            "hours": hours,
            "freezes": freezes,
            "apps-per-interview": apps_per_interview,
            "interviews-per-offer": interviews_per_offer,
            "mention-missing": mention_missing,
            "join": join,
        },
    )
    if not changed:
        return Reply.of(settings_fields(cohort))
    ctx.schedule_changed()
    return Reply.of(f"✅ Updated {', '.join(changed)}.", settings_fields(cohort))


@commands.command(
    "cohort members",
    "List the cohort's members and coaches",
    examples=[Example("/cohort members", "coach")],
)
async def members(ctx: Context) -> Reply:
    cohort = ctx.require_cohort()
    people = await ctx.repo.cohort_members(cohort.id)
    rows = tuple((m.display_name, m.role, effective_status(m, ctx.today)) for m in people)
    count = f"{len(people)} {'person' if len(people) == 1 else 'people'}"
    return Reply.of(Table(f"{cohort.name}: {count}", ("name", "role", "status"), rows))


@commands.command(
    "cohort coach",
    "Make a cohort member a coach",
    params=[Param("member", Kind.MEMBER, "who becomes a coach", required=True, positional=True)],
    role=Role.COACH,
    examples=[Example("/cohort coach @bob", "bob is now a coach", as_user="coach")],
)
async def make_coach(ctx: Context, *, member: MemberRef) -> Reply:
    cohort = ctx.require_cohort()
    other = await ctx.find_member(member)
    if other.role == "coach":
        return Reply.of(f"{other.display_name} is already a coach.")
    other.role = "coach"
    return Reply.of(f"🎓 {other.display_name} is now a coach of {cohort.name}.")


@commands.command(
    "cohort report",
    "Every member's week against the targets",
    params=[
        Param(
            "week",
            Kind.DATE,
            "any day of the week to report",
            direction=Direction.PAST,
            example="last mon",
        )
    ],
    role=Role.COACH,
    examples=[Example("/cohort report", "alice", as_user="coach")],
)
async def report(ctx: Context, *, week: date | None) -> Reply:
    cohort = ctx.require_cohort()
    people = [m for m in await ctx.repo.cohort_members(cohort.id) if m.role == "member"]
    totals = await week_totals(ctx.repo, people, ctx.now, of_day=week)
    runs = await streaks(ctx.repo, people, ctx.now, cohort.streak_freezes)
    targets = ctx.targets()
    rows: list[tuple[str, ...]] = []
    searching = behind = 0
    for m in people:
        done = totals[m.id]
        status = effective_status(m, ctx.today)
        missed = targets.below(done) if status == "searching" else []
        searching += status == "searching"
        behind += bool(missed)
        if status != "searching":
            shown = status
        else:
            shown = "below: " + ", ".join(missed) if missed else "on track"
        rows.append(
            (
                m.display_name,
                f"{done.applications}/{targets.applications}",
                f"{done.outreach}/{targets.outreach}",
                f"{done.practice_days}/{targets.practice_days}",
                format_minutes(done.total_minutes) if done.total_minutes else "0h",
                str(runs[m.id].current),
                shown,
            )
        )
    which = "this week" if week is None else f"week of {week_label(week_start(week))}"
    title = f"{cohort.name} report, {which}"
    on_track = searching - behind
    summary = f"{on_track} of {searching} searching members on track. " + progress_bar(
        on_track, max(searching, 1)
    )
    blocks: list[str] = [summary]
    monday = week_start(week) if week is not None else None
    if monday is not None and monday + timedelta(days=7) <= ctx.today:
        closed = datetime.combine(monday + timedelta(days=7), time(0), ZoneInfo(cohort.timezone))
        late = await late_changes(ctx.repo, [m.id for m in people], monday, closed)
        if late:
            names = {m.id: m.display_name for m in people}
            blocks.append(
                "✏️ Edited after the week closed: "
                + ", ".join(f"{names[i]} ({plural(n, 'change')})" for i, n in sorted(late.items()))
            )
    return Reply.of(
        Table(
            title,
            ("member", "apps", "outreach", "practice", "hours", "streak", "status"),
            tuple(rows),
            empty="No members yet.",
        ),
        *blocks,
    )
