"""The standup and retro as forms: questions with types and limits, shared by every platform."""

from __future__ import annotations

from bot.replies import Form, Question

STANDUP_TEXT_LIMIT = 1000

STANDUP_QUESTIONS = (
    Question(
        "yesterday",
        "What did you get done yesterday?",
        "long",
        max_length=STANDUP_TEXT_LIMIT,
        placeholder="2 applications, mock interview",
    ),
    Question(
        "today",
        "What will you do today?",
        "long",
        max_length=STANDUP_TEXT_LIMIT,
        placeholder="Apply to 3 fintechs, 1h of LeetCode",
    ),
    Question(
        "blockers",
        "Anything blocking you?",
        "long",
        required=False,
        max_length=STANDUP_TEXT_LIMIT,
        placeholder="none",
    ),
    Question(
        "applications",
        "Applications sent yesterday",
        "integer",
        required=False,
        minimum=0,
        maximum=100,
    ),
    Question(
        "outreach",
        "People reached out to yesterday",
        "integer",
        required=False,
        minimum=0,
        maximum=100,
    ),
)

RETRO_QUESTIONS = (
    Question("worked", "What worked with your schedule this week?", "long", max_length=1500),
    Question("didnt", "What didn't work?", "long", max_length=1500),
    Question("adjust", "What will you adjust next week?", "long", max_length=1500),
    Question(
        "barriers",
        "Your barriers, and how you'll overcome them",
        "long",
        required=False,
        max_length=1500,
    ),
)


def with_initial(questions: tuple[Question, ...], values: dict[str, str]) -> tuple[Question, ...]:
    """The same questions, pre-filled from ``values`` where there is one."""
    return tuple(
        Question(**{**q.__dict__, "initial": values.get(q.key, "") or q.initial}) for q in questions
    )


def standup_form(initial: dict[str, str], intro: str = "") -> Form:
    return Form(
        "standup", "Daily standup", "standup", with_initial(STANDUP_QUESTIONS, initial), intro
    )


def retro_form(initial: dict[str, str], intro: str = "") -> Form:
    return Form("retro", "Weekly retro", "retro", with_initial(RETRO_QUESTIONS, initial), intro)
