"""Hypothesis strategies for ``Reply`` values: every block and span type, long and hostile text,
mass mentions and forms, so a property test can hold every renderer's output against the strict
fakes' validators (``tests/fakes/slack_rules.py``, ``tests/fakes/discord_rules.py``).
"""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from bot.replies import (
    Block,
    Button,
    Buttons,
    ChannelRef,
    Code,
    DateRef,
    Fields,
    File,
    Form,
    Link,
    Mention,
    Plain,
    Question,
    Reply,
    Span,
    Strong,
    Table,
    Text,
    Visibility,
)

#: Every character that means something in Slack mrkdwn or Discord markdown, plus an emoji
#: (two UTF-16 units in Slack's count) and newlines.
HOSTILE_TEXT = st.text(alphabet=st.sampled_from(list("ab *_`[]()<>@#&\\|~-:!\n🚀")), max_size=1500)
SHORT_TEXT = st.text(max_size=300)
SNOWFLAKE = st.integers(10**16, 10**19 - 1).map(str)

SPANS: st.SearchStrategy[Span] = st.one_of(
    HOSTILE_TEXT.map(Plain),
    SHORT_TEXT.map(Strong),
    SHORT_TEXT.map(Code),
    st.builds(Link, st.just("https://example.org/jobs/1?a=<b>&c=*d*"), SHORT_TEXT),
    st.builds(Mention, SNOWFLAKE, SHORT_TEXT, st.booleans()),
    st.builds(ChannelRef, SNOWFLAKE, SHORT_TEXT),
    st.builds(DateRef, st.dates(date(2020, 1, 1), date(2030, 12, 31))),
)
TEXTS = st.lists(SPANS, min_size=1, max_size=12).map(lambda spans: Text(*spans))

QUESTIONS = st.builds(
    Question,
    key=st.from_regex(r"[a-z]{1,12}", fullmatch=True),
    label=SHORT_TEXT.filter(str.strip),
    kind=st.sampled_from(["short", "long", "integer", "choice"]),
    required=st.booleans(),
    max_length=st.integers(1, 5000),
    placeholder=SHORT_TEXT,
    initial=SHORT_TEXT,
    choices=st.lists(SHORT_TEXT.filter(str.strip), max_size=30, unique=True).map(tuple),
)
FORMS = st.builds(
    Form,
    form_id=st.just("standup"),
    title=SHORT_TEXT.filter(str.strip),
    submit_command=st.just("standup"),
    questions=st.lists(QUESTIONS, min_size=1, max_size=12, unique_by=lambda q: q.key).map(tuple),
    intro=HOSTILE_TEXT,
)


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    """One block of any type, sized from empty to far past every platform's limits."""
    kind = draw(st.sampled_from("TFLBMXQ"))
    if kind == "T":
        return draw(TEXTS)
    if kind == "F":
        count = draw(st.integers(0, 40))
        label, value = draw(SHORT_TEXT), draw(st.one_of(HOSTILE_TEXT, TEXTS))
        pairs = tuple((f"{label}{i}" if i % 2 else label, value) for i in range(count))
        return Fields(draw(SHORT_TEXT), pairs)
    if kind == "L":
        rows = draw(st.integers(0, 200))
        cell = draw(HOSTILE_TEXT.map(lambda t: t[:120]))
        return Table(draw(SHORT_TEXT), ("id", "company"), (("A1", cell),) * rows)
    if kind == "B":
        count = draw(st.integers(0, 30))
        label = draw(SHORT_TEXT)
        return Buttons(tuple(Button(label or "b" * 90, f"help {i % 7}") for i in range(count)))
    if kind == "M":
        count = draw(st.integers(0, 260))
        width = draw(st.integers(17, 20))
        return Text(*(Mention(str(10 ** (width - 1) + i), "x", notify=True) for i in range(count)))
    if kind == "Q":
        return draw(FORMS)
    return File("c.png", b"x", "image/png", draw(SHORT_TEXT))


@st.composite
def replies(draw: st.DrawFn) -> Reply:
    """A channel reply of 1-8 blocks, some of them (maybe none) in its thread."""
    drawn = draw(st.lists(blocks(), min_size=1, max_size=8))
    split = draw(st.integers(0, len(drawn)))
    return Reply.of(*drawn[:split], visibility=Visibility.CHANNEL).in_thread(*drawn[split:])
