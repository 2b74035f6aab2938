"""SQLAlchemy models. Every row carries ``tenant_id`` so no query can wander into another tenant.

Local calendar days (when something happened in the member's own time zone) are stored as
dates; instants are stored as UTC timestamps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = BigInteger().with_variant(Integer, "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as naive UTC and always read back as an aware UTC datetime.

    SQLite has no time zone type; normalising here keeps both backends identical.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC instant")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TenantOwned:
    """A row that belongs to one tenant: its ``tenant_id`` scopes every statement on it.

    ``storage.scope`` adds ``tenant_id = :tenant`` to every SELECT, UPDATE and DELETE on a class
    with this mixin (and refuses one without a tenant), so a query that forgets the filter still
    sees only its own tenant's rows.
    """

    tenant_id: Mapped[int] = mapped_column(Id, ForeignKey("tenants.id", ondelete="CASCADE"))


class Numbered:
    """A row users refer to by a per-tenant number (A12, C7, G3, B2), never by its primary key.

    The repository hands numbers out from ``counters`` when the row is added; ``legacy_id`` keeps
    the global id a row was shown with before numbers were per tenant (migration 0005), so old
    ids keep working for a while.
    """

    number: Mapped[int] = mapped_column(Integer)
    legacy_id: Mapped[int | None] = mapped_column(Id, nullable=True)


def tenant_fk(
    table: str, column: str, parent: str, ondelete: str | None = "CASCADE"
) -> ForeignKeyConstraint:
    """``(tenant_id, column) -> parent(tenant_id, id)``: a row points only into its own tenant."""
    return ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{parent}.tenant_id", f"{parent}.id"],
        name=f"fk_{table}_{column}_{parent}",
        ondelete=ondelete,
    )


class Tenant(Base):
    """A Slack workspace, a Discord guild, or the local console."""

    __tablename__ = "tenants"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Cohort(TenantOwned, Base):
    """A class of graduates with its coaches, its channel, schedule and weekly targets."""

    __tablename__ = "cohorts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name"),
        UniqueConstraint("tenant_id", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    channel_id: Mapped[str] = mapped_column(String(64), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    standup_time: Mapped[time] = mapped_column(Time, default=time(9, 0))
    standup_days: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4")
    reminder_time: Mapped[time] = mapped_column(Time, default=time(13, 0))
    summary_time: Mapped[time] = mapped_column(Time, default=time(17, 0))
    retro_day: Mapped[int] = mapped_column(Integer, default=4)
    retro_time: Mapped[time] = mapped_column(Time, default=time(16, 0))
    target_applications: Mapped[int] = mapped_column(Integer, default=10)
    target_outreach: Mapped[int] = mapped_column(Integer, default=10)
    target_practice_days: Mapped[int] = mapped_column(Integer, default=5)
    target_hours: Mapped[int] = mapped_column(Integer, default=40)
    streak_freezes: Mapped[int] = mapped_column(Integer, default=2)
    mention_missing: Mapped[bool] = mapped_column(Boolean, default=False)
    apps_per_interview: Mapped[int] = mapped_column(Integer, default=10)
    interviews_per_offer: Mapped[int] = mapped_column(Integer, default=4)
    # Who may join: "open" (by name), "code" (by name and ``invite_code``) or "approval" (a
    # coach approves each request). The code is shown to coaches only and can be replaced.
    join_mode: Mapped[str] = mapped_column(String(10), default="open")
    invite_code: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Member(TenantOwned, Base):
    """A person in a tenant, known by their platform user id; optionally in one cohort."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("tenant_id", "platform_user_id"),
        UniqueConstraint("tenant_id", "id"),
        Index("ix_members_cohort", "tenant_id", "cohort_id"),
        tenant_fk("members", "cohort_id", "cohorts", ondelete=None),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    # No ON DELETE SET NULL: it would null tenant_id too. Nothing deletes a cohort; code that
    # ever does must clear its members' cohort_id first.
    cohort_id: Mapped[int | None] = mapped_column(Id, nullable=True)
    platform_user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(80))
    # The name the platform gave last: when it changes there, display_name follows (a name set
    # with /me name= stays until the platform's changes again).
    platform_name: Mapped[str] = mapped_column(String(80), default="")
    # Earlier display names, one per line, newest last (bounded): @old-name still finds them.
    former_names: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(10), default="member")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    status: Mapped[str] = mapped_column(String(12), default="searching")
    paused_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    leaderboard: Mapped[str] = mapped_column(String(12), default="shown")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    unreachable_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    unreachable_reason: Mapped[str] = mapped_column(String(200), default="")

    def rename(self, name: str) -> None:
        """Change the display name, keeping the old one findable (at most ``MAX_FORMER_NAMES``)."""
        old = self.display_name
        if not name or name == old:
            return
        kept = [n for n in (self.former_names or "").split("\n") if n and n.lower() != name.lower()]
        if old and old.lower() not in (n.lower() for n in kept):
            kept.append(old)
        self.former_names = "\n".join(kept[-MAX_FORMER_NAMES:])
        self.display_name = name

    def former(self) -> list[str]:
        """The names this member had before, oldest first."""
        return [n for n in (self.former_names or "").split("\n") if n]


MAX_FORMER_NAMES = 5


class JoinRequest(TenantOwned, Base):
    """A member asking to join a cohort whose coaches approve each member (``join=approval``)."""

    __tablename__ = "join_requests"
    __table_args__ = (
        UniqueConstraint("tenant_id", "cohort_id", "member_id"),
        tenant_fk("join_requests", "cohort_id", "cohorts"),
        tenant_fk("join_requests", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(Id)
    member_id: Mapped[int] = mapped_column(Id)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Pause(TenantOwned, Base):
    """A span of local days a member was paused: those days neither count nor break a streak."""

    __tablename__ = "pauses"
    __table_args__ = (
        Index("ix_pauses_member", "tenant_id", "member_id"),
        tenant_fk("pauses", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    start_day: Mapped[date] = mapped_column(Date)
    end_day: Mapped[date] = mapped_column(Date)


# Stages after which an application is over: it has no follow-up to chase anywhere (/followups,
# the morning DM, the dashboard, the calendar). The one definition; ``bot.domain.vocab`` names it.
CLOSED_STAGES = frozenset({"accepted", "rejected", "withdrawn"})


class Application(TenantOwned, Numbered, Base):
    """A job application and where it stands."""

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_member_day", "tenant_id", "member_id", "applied_on"),
        Index("ix_applications_follow_up", "tenant_id", "member_id", "follow_up"),
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "number"),
        tenant_fk("applications", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    company: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(500), default="")
    stage: Mapped[str] = mapped_column(String(16), default="applied")
    contact: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(String(300), default="")
    follow_up: Mapped[date | None] = mapped_column(Date, nullable=True)
    applied_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StageChange(TenantOwned, Base):
    """One step in an application's dated stage history."""

    __tablename__ = "stage_changes"
    __table_args__ = (
        Index("ix_stage_changes_application", "tenant_id", "application_id"),
        tenant_fk("stage_changes", "application_id", "applications"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    application_id: Mapped[int] = mapped_column(Id)
    stage: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Contact(TenantOwned, Numbered, Base):
    """A networking or outreach contact and what came of it."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_member_day", "tenant_id", "member_id", "contacted_on"),
        Index("ix_contacts_follow_up", "tenant_id", "member_id", "follow_up"),
        UniqueConstraint("tenant_id", "number"),
        tenant_fk("contacts", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    name: Mapped[str] = mapped_column(String(120))
    company: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(120), default="")
    channel: Mapped[str] = mapped_column(String(16), default="other")
    learned: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(String(300), default="")
    follow_up: Mapped[date | None] = mapped_column(Date, nullable=True)
    contacted_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PracticeLog(TenantOwned, Numbered, Base):
    """Coding practice on one local day (typed by the member, or later, found on GitHub)."""

    __tablename__ = "practice_logs"
    __table_args__ = (
        Index("ix_practice_member_day", "tenant_id", "member_id", "day"),
        UniqueConstraint("tenant_id", "number"),
        tenant_fk("practice_logs", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    day: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(12), default="manual")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HourLog(TenantOwned, Numbered, Base):
    """Time spent on one of the six job-search categories on one local day."""

    __tablename__ = "hour_logs"
    __table_args__ = (
        Index("ix_hours_member_day", "tenant_id", "member_id", "day"),
        UniqueConstraint("tenant_id", "number"),
        tenant_fk("hour_logs", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    day: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(16))
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StandupResponse(TenantOwned, Base):
    """A member's daily check-in, once per local day; answering again edits it."""

    __tablename__ = "standup_responses"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "day"),
        tenant_fk("standup_responses", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    day: Mapped[date] = mapped_column(Date)
    yesterday: Mapped[str] = mapped_column(Text, default="")
    today: Mapped[str] = mapped_column(Text, default="")
    blockers: Mapped[str] = mapped_column(Text, default="")
    applications: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outreach: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RetroResponse(TenantOwned, Base):
    """A member's weekly review, once per local week (keyed by its Monday)."""

    __tablename__ = "retro_responses"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "week_start"),
        tenant_fk("retro_responses", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    week_start: Mapped[date] = mapped_column(Date)
    worked: Mapped[str] = mapped_column(Text, default="")
    didnt: Mapped[str] = mapped_column(Text, default="")
    adjust: Mapped[str] = mapped_column(Text, default="")
    barriers: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Kudos(TenantOwned, Base):
    """A thank-you or cheer from one cohort mate to another."""

    __tablename__ = "kudos"
    __table_args__ = (
        Index("ix_kudos_cohort_day", "tenant_id", "cohort_id", "day"),
        tenant_fk("kudos", "cohort_id", "cohorts"),
        tenant_fk("kudos", "from_member_id", "members"),
        tenant_fk("kudos", "to_member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(Id)
    from_member_id: Mapped[int] = mapped_column(Id)
    to_member_id: Mapped[int] = mapped_column(Id)
    message: Mapped[str] = mapped_column(String(300))
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Holiday(TenantOwned, Base):
    """A day the coach has declared a cohort holiday: no prompts are sent."""

    __tablename__ = "holidays"
    __table_args__ = (
        UniqueConstraint("tenant_id", "cohort_id", "day"),
        tenant_fk("holidays", "cohort_id", "cohorts"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(Id)
    day: Mapped[date] = mapped_column(Date)


class Skip(TenantOwned, Base):
    """A member skipped one day's standup with one button: no reminder, not "missing"."""

    __tablename__ = "skips"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "day"),
        tenant_fk("skips", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    day: Mapped[date] = mapped_column(Date)


class OutboxMessage(TenantOwned, Base):
    """A scheduled prompt waiting to be delivered: the durable truth, not the scheduler.

    ``key`` (kind, recipient, local date or week) is unique per tenant, so writing the same prompt
    twice is a no-op. A worker claims a row with a lease; a lease that expires with the outcome
    unknown is recovered by asking the platform whether the message arrived before resending.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("tenant_id", "key"),
        Index("ix_outbox_ready", "status", "next_attempt_at"),
        Index("ix_outbox_cohort_kind", "tenant_id", "cohort_id", "kind", "local_day"),
        tenant_fk("outbox", "cohort_id", "cohorts"),
        tenant_fk("outbox", "member_id", "members"),
        tenant_fk("outbox", "subject_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(Id)
    member_id: Mapped[int | None] = mapped_column(Id, nullable=True)
    subject_id: Mapped[int | None] = mapped_column(Id, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))
    local_day: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    message_ref: Mapped[str] = mapped_column(String(120), default="")
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GithubLink(TenantOwned, Base):
    """A member's GitHub account (and optional repository) whose commits count as practice."""

    __tablename__ = "github_links"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id"),
        tenant_fk("github_links", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    username: Mapped[str] = mapped_column(String(40))
    repo: Mapped[str] = mapped_column(String(100), default="")
    etag: Mapped[str] = mapped_column(String(200), default="")
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SearchPlan(TenantOwned, Base):
    """A member's backwards plan: the day they want a signed offer by, and their own funnel."""

    __tablename__ = "search_plans"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id"),
        tenant_fk("search_plans", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    offer_by: Mapped[date] = mapped_column(Date)
    # The day the member decided to end or rethink the search if no offer has come by then.
    cut_off: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChecklistItem(TenantOwned, Base):
    """A housekeeping task of a cohort's checklist template, due a number of days after a
    member joins (``due_days``) or on a fixed day (``due_on``, e.g. the portfolio review)."""

    __tablename__ = "checklist_items"
    __table_args__ = (
        Index("ix_checklist_items_cohort", "tenant_id", "cohort_id"),
        UniqueConstraint("tenant_id", "id"),
        tenant_fk("checklist_items", "cohort_id", "cohorts"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(Id)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    due_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChecklistTask(TenantOwned, Base):
    """A member's copy of a checklist item: its status, due day, a note and a link."""

    __tablename__ = "checklist_tasks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "item_id"),
        tenant_fk("checklist_tasks", "member_id", "members"),
        tenant_fk("checklist_tasks", "item_id", "checklist_items"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    item_id: Mapped[int] = mapped_column(Id)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="todo")  # todo, doing, done, skipped
    note: Mapped[str] = mapped_column(String(1000), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class ExtensionPlan(TenantOwned, Base):
    """A member's plan for one of the optional extensions: a side project (the idea, how it was
    chosen, the MVP, the day of working software, its users) or open source (the projects, why,
    how to contribute). Columns are shared; each kind names them (``bot.commands.extensions``)."""

    __tablename__ = "extension_plans"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "kind"),
        tenant_fk("extension_plans", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    kind: Mapped[str] = mapped_column(String(16))  # side-project, open-source
    what: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")
    how: Mapped[str] = mapped_column(Text, default="")
    users: Mapped[str] = mapped_column(Text, default="")
    by_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CommunityItem(TenantOwned, Base):
    """Community involvement, counted: a conference, a meetup or a blog post, and how far it is
    (researched, joined or attended, written or published), with a link to show it."""

    __tablename__ = "community_items"
    __table_args__ = (
        Index("ix_community_items_member", "tenant_id", "member_id"),
        tenant_fk("community_items", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    kind: Mapped[str] = mapped_column(String(12))  # conference, meetup, post
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))  # researched, joined, done
    link: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Reflection(TenantOwned, Base):
    """A member's reflection before the search: where they are in their career, what they
    valued in past work, strengths, skills, transferable skills, interests and where those
    meet; how high the job search ranks (1-5) and the one other area they chose to develop."""

    __tablename__ = "reflections"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id"),
        tenant_fk("reflections", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    stage: Mapped[str] = mapped_column(Text, default="")
    valued: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    transferable: Mapped[str] = mapped_column(Text, default="")
    interests: Mapped[str] = mapped_column(Text, default="")
    overlap: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[int | None] = mapped_column(Integer, nullable=True)
    other_area: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WeekPlanBlock(TenantOwned, Base):
    """Planned minutes for one job-search category on one weekday (the 40-hour week)."""

    __tablename__ = "week_plan_blocks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "weekday", "category"),
        tenant_fk("week_plan_blocks", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    weekday: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(16))
    start: Mapped[time] = mapped_column(Time, default=time(9, 0))
    minutes: Mapped[int] = mapped_column(Integer)


class Goal(TenantOwned, Numbered, Base):
    """A SMART goal; a measurable one may be tied to a tracked metric to show progress."""

    __tablename__ = "goals"
    __table_args__ = (
        Index("ix_goals_member", "tenant_id", "member_id", "status"),
        UniqueConstraint("tenant_id", "number"),
        tenant_fk("goals", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    title: Mapped[str] = mapped_column(String(200))
    specific: Mapped[str] = mapped_column(Text, default="")
    measurable: Mapped[str] = mapped_column(Text, default="")
    actionable: Mapped[str] = mapped_column(Text, default="")
    resonant: Mapped[str] = mapped_column(Text, default="")
    timely: Mapped[date | None] = mapped_column(Date, nullable=True)
    metric: Mapped[str] = mapped_column(String(20), default="")
    target: Mapped[int | None] = mapped_column(Integer, nullable=True)
    start_day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CareerPlanRow(TenantOwned, Base):
    """One row of the career plan: 1 year, 2 years or 3-5 years out."""

    __tablename__ = "career_plan_rows"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "horizon"),
        tenant_fk("career_plan_rows", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    horizon: Mapped[str] = mapped_column(String(8))
    goal: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    resources: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    timeline: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Barrier(TenantOwned, Numbered, Base):
    """One of the one or two barriers a member names, and how they will overcome it."""

    __tablename__ = "barriers"
    __table_args__ = (
        Index("ix_barriers_member", "tenant_id", "member_id"),
        UniqueConstraint("tenant_id", "number"),
        tenant_fk("barriers", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    barrier: Mapped[str] = mapped_column(String(300))
    overcome: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Interview(TenantOwned, Numbered, Base):
    """An interview or a mock interview a member took part in: its kind, who with, the questions
    practised, how it went and what to improve; ``given_by_id`` is a cohort mate who ran a mock
    (it counts for both of them)."""

    __tablename__ = "interviews"
    __table_args__ = (
        Index("ix_interviews_member_day", "tenant_id", "member_id", "day"),
        Index("ix_interviews_given_by", "tenant_id", "given_by_id"),
        UniqueConstraint("tenant_id", "number"),
        tenant_fk("interviews", "member_id", "members"),
        tenant_fk("interviews", "given_by_id", "members", ondelete=None),
        tenant_fk("interviews", "application_id", "applications", ondelete=None),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # technical, behavioural, take-home, screen...
    mock: Mapped[bool] = mapped_column(Boolean, default=False)
    with_whom: Mapped[str] = mapped_column(String(120), default="")
    given_by_id: Mapped[int | None] = mapped_column(Id, nullable=True)
    company: Mapped[str] = mapped_column(String(120), default="")
    application_id: Mapped[int | None] = mapped_column(Id, nullable=True)
    questions: Mapped[str] = mapped_column(Text, default="")
    went: Mapped[str] = mapped_column(Text, default="")
    improve: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CalendarToken(TenantOwned, Base):
    """A member's private, revocable calendar subscription token (HTTP mode)."""

    __tablename__ = "calendar_tokens"
    __table_args__ = (
        UniqueConstraint("token"),
        Index("ix_calendar_member", "tenant_id", "member_id"),
        tenant_fk("calendar_tokens", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class DashboardLink(TenantOwned, Base):
    """A one-time sign-in link to the web dashboard: only the token's SHA-256 is stored; it
    works once (``used_at``) and only until ``expires_at``."""

    __tablename__ = "dashboard_links"
    __table_args__ = (
        UniqueConstraint("token"),
        Index("ix_dashboard_links_member", "tenant_id", "member_id"),
        tenant_fk("dashboard_links", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    token: Mapped[str] = mapped_column(String(64))  # SHA-256 of the token (as calendar_tokens)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Change(TenantOwned, Base):
    """One change a member made to their own log (added, edited, deleted, or an undo of one):
    who, when, which row (its table and per-tenant number), the log's local day, and the row
    before and after as JSON. ``/undo`` reverts from it; a coach's report shows a past week
    that was changed after it closed."""

    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_member_at", "tenant_id", "member_id", "at"),
        Index("ix_changes_day", "tenant_id", "day"),
        tenant_fk("changes", "member_id", "members"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    member_id: Mapped[int] = mapped_column(Id)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(10))  # added, edited, deleted, undo
    kind: Mapped[str] = mapped_column(String(20))  # the table: applications, practice_logs...
    number: Mapped[int] = mapped_column(Integer)  # the row's per-tenant number (A12 -> 12)
    day: Mapped[date] = mapped_column(Date)  # the log's local day (the earlier one of an edit)
    before: Mapped[str] = mapped_column(Text, default="")  # JSON, "" for an added row
    after: Mapped[str] = mapped_column(Text, default="")  # JSON, "" for a deleted row
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Counter(TenantOwned, Base):
    """The last per-tenant number handed out for one kind of numbered row (one row per kind)."""

    __tablename__ = "counters"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "kind"),)

    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[int] = mapped_column(Integer)


class PaceBucket(Base):
    """One shared token bucket of the delivery pacer (PostgreSQL): every replica spends from
    the same row, so together they keep to a platform's pace for a workspace, a channel or
    the whole bot, and a Retry-After pauses them all."""

    __tablename__ = "pace_buckets"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    stamp: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime)


TENANT_TABLES = [t for t in Base.metadata.sorted_tables if "tenant_id" in t.c]
# The mapped classes of TENANT_TABLES, parents before children.
TENANT_MODELS: list[type[TenantOwned]] = sorted(
    (m.class_ for m in Base.registry.mappers if issubclass(m.class_, TenantOwned)),
    key=lambda cls: TENANT_TABLES.index(cls.__table__),  # type: ignore[attr-defined]
)
NUMBERED_MODELS: tuple[type[Numbered], ...] = (
    Application,
    Contact,
    Goal,
    Barrier,
    Interview,
    PracticeLog,
    HourLog,
)
