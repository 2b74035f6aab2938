"""/interview: interview prep beyond counting hours (the plan's "practise interviewing").

Each interview or mock interview is logged with its kind, who it was with, the company or the
application it prepares, the questions practised, how it went and what to improve, so the
member (and their coach) can see progress between mocks and before the real thing. A mock run
by a cohort mate (``by=@bob``) counts for both: it shows in the giver's list as help given.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from bot.context import Context
from bot.entities import APPLICATION, INTERVIEW, ref
from bot.errors import UserError
from bot.format import day
from bot.params import Kind, MemberRef, Param
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, Table, Text, t
from bot.timeparse import Direction
from storage.models import Application, Interview, Member

commands = CommandSet()

KINDS = ("technical", "behavioural", "take-home", "system-design", "screen", "other")
TEXT_LIMIT = 2000


def _text(name: str, help: str, sample: str) -> Param:
    return Param(name, Kind.TEXT, help, max_length=TEXT_LIMIT, example=sample)


@commands.command(
    "interview log",
    "Log an interview or a mock interview: who with, the questions, how it went, what to improve",
    params=[
        Param(
            "kind",
            Kind.CHOICE,
            "what sort of interview",
            required=True,
            positional=True,
            choices=KINDS,
            example="technical",
        ),
        Param("mock", Kind.CHOICE, "a practice interview (default: no)", choices=("yes", "no")),
        Param("by", Kind.MEMBER, "a cohort mate who ran the mock (it counts for both of you)"),
        Param("with", Kind.TEXT, "who interviewed you", max_length=120, example='"Jane, EM"'),
        Param("company", Kind.TEXT, "the company", max_length=120, example="Stripe"),
        ref(
            APPLICATION,
            name="app",
            help="the application it was for",
            required=False,
            positional=False,
        ),
        Param("date", Kind.DATE, "when (default today)", direction=Direction.PAST),
        _text("questions", "the questions asked or practised", '"two-sum, a design question"'),
        _text("went", "how it went", '"solved it, slow on edge cases"'),
        _text("improve", "what to improve next time", '"talk through the plan first"'),
    ],
    examples=[
        Example(
            '/interview log technical mock=yes with="Sam (alumnus)" '
            'questions="two-sum, LRU cache" went="solved both" improve="explain first"',
            "Logged mock technical interview I",
        ),
        Example("/interview log behavioural app=A1", "Stripe"),
    ],
    details=(
        "Kinds: technical, behavioural, take-home, system-design, screen, other. `by=@name` "
        "names a cohort mate who ran a mock for you; it shows in their list too."
    ),
)
async def interview_log(
    ctx: Context,
    *,
    kind: str,
    mock: str | None,
    by: MemberRef | None,
    with_: str | None,
    company: str | None,
    app: Application | None,
    date: date | None,
    questions: str | None,
    went: str | None,
    improve: str | None,
) -> Reply:
    giver: Member | None = None
    if by is not None:
        giver = await ctx.find_member(by)
        if giver.id == ctx.member.id:
            raise UserError(
                "A mock you ran for yourself isn't one to count twice.",
                hint=t("Leave out `by=`, or name the cohort mate who ran it."),
                param="by",
            )
    row = Interview(
        member_id=ctx.member.id,
        day=date or ctx.today,
        kind=kind,
        mock=mock == "yes" or giver is not None,
        with_whom=(with_ or (giver.display_name if giver else "")).strip(),
        given_by_id=giver.id if giver else None,
        company=(company or (app.company if app else "")).strip(),
        application_id=app.id if app else None,
        questions=(questions or "").strip(),
        went=(went or "").strip(),
        improve=(improve or "").strip(),
        created_at=ctx.now,
    )
    await ctx.repo.add(row)
    what = f"{'mock ' if row.mock else ''}{kind} interview"
    where = f" for {row.company}" if row.company else ""
    lines: list[str | Text] = [f"🎤 Logged {what} {INTERVIEW.label(row)}{where} on {day(row.day)}."]
    if giver is not None:
        lines.append(f"It counts for {giver.display_name} too, as a mock they ran.")
    if not row.improve:
        lines.append(
            t('Next time add what to improve (`improve="..."`): the next mock starts there.')
        )
    return Reply.of(*lines)


def _row(ctx: Context, interview: Interview, names: dict[int, str]) -> tuple[str, ...]:
    if interview.member_id == ctx.member.id:
        who = interview.with_whom
    else:
        who = f"you ran it for {names.get(interview.member_id, 'a cohort mate')}"
    kind = f"{interview.kind} (mock)" if interview.mock else interview.kind
    return (
        INTERVIEW.label(interview) if interview.member_id == ctx.member.id else "—",
        day(interview.day),
        kind,
        interview.company,
        who,
        interview.went,
    )


@commands.command(
    "interview list",
    "Your interviews and mock interviews, newest first (and mocks you ran for others)",
    params=[Param("kind", Kind.CHOICE, "only this kind", choices=KINDS)],
    examples=[Example("/interview list", "Your interviews")],
)
async def interview_list(ctx: Context, *, kind: str | None) -> Reply:
    query = select(Interview).where(
        or_(Interview.member_id == ctx.member.id, Interview.given_by_id == ctx.member.id)
    )
    if kind is not None:
        query = query.where(Interview.kind == kind)
    rows = await ctx.repo.scalars(
        query.order_by(Interview.day.desc(), Interview.id.desc()).limit(50)
    )
    others = {r.member_id for r in rows if r.member_id != ctx.member.id}
    names: dict[int, str] = {}
    if others:
        people = await ctx.repo.scalars(select(Member).where(Member.id.in_(others)))
        names = {m.id: m.display_name for m in people}
    mine = [r for r in rows if r.member_id == ctx.member.id]
    given = len(rows) - len(mine)
    mocks = sum(1 for r in mine if r.mock)
    summary = (
        f"{len(mine)} logged ({mocks} mock{'s' if mocks != 1 else ''})"
        + (f", {given} mock{'s' if given != 1 else ''} you ran for others" if given else "")
        + "."
    )
    return Reply.of(
        Table(
            "Your interviews",
            ("id", "date", "kind", "company", "with", "how it went"),
            tuple(_row(ctx, r, names) for r in rows),
            empty='No interviews yet. Log one with /interview log technical mock=yes went="...".',
        ),
        summary,
    )


@commands.command(
    "interview show",
    "One interview in full: questions, how it went, what to improve",
    params=[ref(INTERVIEW)],
    examples=[
        Example(
            "/interview show I1",
            "How it went",
            before=(("alice", '/interview log screen company=Stripe went="friendly, 20 minutes"'),),
        )
    ],
)
async def interview_show(ctx: Context, *, id: Interview) -> Reply:
    app = await ctx.repo.get(Application, id.application_id) if id.application_id else None
    return Reply.of(
        Fields(
            f"{INTERVIEW.label(id)}: {id.kind}{' mock' if id.mock else ''} interview",
            (
                ("Date", day(id.day)),
                ("With", id.with_whom or "—"),
                ("Company", id.company or "—"),
                ("Application", APPLICATION.label(app) if app else "—"),
                ("Questions", id.questions or "—"),
                ("How it went", id.went or "—"),
                ("To improve", id.improve or "—"),
            ),
        )
    )
