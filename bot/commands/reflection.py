"""/reflect: the plan's reflection before the search, and the search's priority.

Where a member is in their career, what they valued in past work, their strengths, skills,
transferable skills and interests, and where those meet, is what the career plan's 1-, 2- and
3-5-year goals should grow from; the job search's priority (1-5) and the one other area they
chose to develop say how much of the week the plan can fairly ask for. ``/career show`` shows
the reflection above the goals.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.context import Context
from bot.errors import UserError
from bot.params import Kind, MemberRef, Param
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, t
from storage.models import Member, Reflection

commands = CommandSet()

# (option, column, label, help, example)
QUESTIONS = (
    (
        "stage",
        "stage",
        "Where I am",
        "where you are in your career",
        '"career changer from teaching"',
    ),
    ("valued", "valued", "What I valued", "what you valued in past work", '"explaining things"'),
    ("strengths", "strengths", "Strengths", "your strengths", '"patience, structure"'),
    ("skills", "skills", "Skills", "your skills", '"Python, SQL, React"'),
    (
        "transferable",
        "transferable",
        "Transferable skills",
        "skills you bring from before",
        '"presenting"',
    ),
    ("interests", "interests", "Interests", "what interests you", '"education, data"'),
    (
        "overlap",
        "overlap",
        "Where they meet",
        "where strengths, skills and interests meet",
        '"ed-tech backend"',
    ),
    (
        "other-area",
        "other_area",
        "The other area I develop",
        "the one other area you chose to develop",
        '"health"',
    ),
)
PRIORITY_WORDS = {1: "low", 2: "below others", 3: "one of several", 4: "high", 5: "the top"}


async def reflection_of(ctx: Context, member: Member) -> Reflection | None:
    return await ctx.repo.scalar(select(Reflection).where(Reflection.member_id == member.id))


def reflection_fields(ctx: Context, member: Member, saved: Reflection | None) -> Fields | None:
    """The reflection as a coach and the member read it (None when nothing is filled in)."""
    if saved is None:
        return None
    pairs = [(label, getattr(saved, column)) for _, column, label, _, _ in QUESTIONS]
    if saved.priority is not None:
        pairs.insert(
            0, ("Job search priority", f"{saved.priority}/5 ({PRIORITY_WORDS[saved.priority]})")
        )
    filled = tuple((label, value) for label, value in pairs if value)
    whose = "Your" if member.id == ctx.member.id else f"{member.display_name}'s"
    return Fields(f"{whose} reflection", filled) if filled else None


@commands.command(
    "reflect",
    "Your reflection: career stage, what you valued, strengths, skills, interests, priority",
    params=[
        *(
            Param(name, Kind.TEXT, help, max_length=1000, example=sample)
            for name, _, _, help, sample in QUESTIONS
        ),
        Param(
            "priority",
            Kind.INTEGER,
            "how high the job search ranks in your life now, 1-5",
            minimum=1,
            maximum=5,
            example="4",
        ),
        Param("member", Kind.MEMBER, "(coaches) whose reflection to show"),
    ],
    examples=[
        Example(
            '/reflect stage="career changer from teaching" strengths="patience" priority=4 '
            'overlap="ed-tech backend"',
            "Where they meet",
        ),
        Example("/reflect", "No reflection yet", as_user="dana"),
    ],
    details="With no options it shows your reflection; `/career show` shows it above your goals.",
)
async def reflect(
    ctx: Context,
    *,
    stage: str | None,
    valued: str | None,
    strengths: str | None,
    skills: str | None,
    transferable: str | None,
    interests: str | None,
    overlap: str | None,
    other_area: str | None,
    priority: int | None,
    member: MemberRef | None,
) -> Reply:
    given = {
        "stage": stage,
        "valued": valued,
        "strengths": strengths,
        "skills": skills,
        "transferable": transferable,
        "interests": interests,
        "overlap": overlap,
        "other_area": other_area,
    }
    changing = priority is not None or any(v is not None for v in given.values())
    owner = await ctx.member_or_self(member)
    if changing and owner.id != ctx.member.id:
        raise UserError(
            "Only the member can write their reflection.",
            hint=t("Leave out the changes to read it, or `member=` to change your own."),
            param="member",
        )
    saved = await reflection_of(ctx, owner)
    if changing:
        if saved is None:
            saved = await ctx.repo.add(Reflection(member_id=owner.id, updated_at=ctx.now))
        for column, value in given.items():
            if value is not None:
                setattr(saved, column, value.strip())
        if priority is not None:
            saved.priority = priority
        saved.updated_at = ctx.now
    fields = reflection_fields(ctx, owner, saved)
    if fields is None:
        return Reply.of(
            "No reflection yet. Start with where you are and what you valued: "
            '/reflect stage="..." valued="..." priority=4'
        )
    return Reply.of("✅ Reflection saved.", fields) if changing else Reply.of(fields)
