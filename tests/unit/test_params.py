"""Tests for bot.params: converting typed text into validated parameter values."""

from datetime import date, time

import pytest

from adapters.discord.capabilities import MENTIONS as DISCORD_MENTIONS
from adapters.slack.capabilities import MENTIONS as SLACK_MENTIONS
from bot.domain.vocab import CATEGORIES, STAGES
from bot.mentions import WORD_JOINER, has_live_mention
from bot.params import Kind, MemberRef, Param, ParamError
from bot.timeparse import Direction

TODAY = date(2026, 3, 11)  # a Wednesday


def convert(param: Param, raw: str):
    return param.convert(raw, today=TODAY)


def test_text_is_stripped_and_kept() -> None:
    assert convert(Param("note", Kind.TEXT, "a note"), "  send thank-you  ") == "send thank-you"


def test_text_may_be_empty() -> None:
    assert convert(Param("note", Kind.TEXT, "a note"), "   ") == ""


def test_text_max_length() -> None:
    param = Param("name", Kind.TEXT, "cohort name", max_length=5)
    assert convert(param, "abcde") == "abcde"
    assert convert(param, "  abcde  ") == "abcde"
    with pytest.raises(ParamError, match="`name` is 6 characters long; the limit is 5"):
        convert(param, "abcdef")


def test_text_mentions_are_defused() -> None:
    value = convert(Param("note", Kind.TEXT, "a note"), "hey @here see <!channel> and <@U123>")
    assert not has_live_mention(value)
    assert value.replace(WORD_JOINER, "") == "hey @here see <!channel> and <@U123>"


@pytest.mark.parametrize(("raw", "n"), [("3", 3), (" 7 ", 7), ("-2", -2), ("0", 0), ("007", 7)])
def test_integer(raw: str, n: int) -> None:
    assert convert(Param("count", Kind.INTEGER, "how many"), raw) == n


@pytest.mark.parametrize("raw", ["three", "1.5", "1e3", "+4", "--1", "1 2", "1234567890"])
def test_integer_rejects_non_numbers(raw: str) -> None:
    param = Param("count", Kind.INTEGER, "how many", minimum=1)
    with pytest.raises(ParamError, match=r"`count` must be a whole number, e\.g\. count=1"):
        convert(param, raw)


def test_integer_bounds() -> None:
    param = Param("count", Kind.INTEGER, "how many", minimum=1, maximum=5)
    assert convert(param, "1") == 1
    assert convert(param, "5") == 5
    with pytest.raises(ParamError, match="`count` must be at least 1"):
        convert(param, "0")
    with pytest.raises(ParamError, match="`count` must be at most 5"):
        convert(param, "6")


def test_date_relative_to_today_and_direction() -> None:
    follow_up = Param("follow-up", Kind.DATE, "when")
    on = Param("on", Kind.DATE, "which day", direction=Direction.PAST)
    assert convert(follow_up, "fri") == date(2026, 3, 13)
    assert convert(on, "fri") == date(2026, 3, 6)
    assert convert(on, "2026-01-05") == date(2026, 1, 5)
    assert convert(follow_up, "in 3 days") == date(2026, 3, 14)


@pytest.mark.parametrize("raw", ["2026-02-30", "someday"])
def test_bad_date_names_param_and_forms(raw: str) -> None:
    with pytest.raises(ParamError) as info:
        convert(Param("follow-up", Kind.DATE, "when"), raw)
    message = str(info.value)
    assert message.startswith("`follow-up`: ")
    assert "YYYY-MM-DD" in message
    assert "in 3 days" in message


@pytest.mark.parametrize(("raw", "minutes"), [("45m", 45), ("1.5h", 90), ("90m", 90)])
def test_duration(raw: str, minutes: int) -> None:
    assert convert(Param("for", Kind.DURATION, "how long"), raw) == minutes


@pytest.mark.parametrize("raw", ["2", "90", "1.5"])
def test_a_bare_number_is_not_a_duration(raw: str) -> None:
    with pytest.raises(ParamError) as info:
        convert(Param("for", Kind.DURATION, "how long"), raw)
    assert str(info.value) == f"`for`: {raw} what? Say `{raw}h` or `{raw}m`"


@pytest.mark.parametrize("raw", ["forever", "0", "25h"])
def test_bad_duration_names_param_and_forms(raw: str) -> None:
    with pytest.raises(ParamError) as info:
        convert(Param("for", Kind.DURATION, "how long"), raw)
    assert str(info.value).startswith("`for`: ")
    assert "45m, 1.5h" in str(info.value)


CATEGORY = Param("category", Kind.CHOICE, "what kind of work", choices=CATEGORIES)


@pytest.mark.parametrize(
    ("raw", "choice"),
    [
        ("coding", "coding"),
        ("CODING", "coding"),
        ("interview prep", "interview-prep"),
        ("Interview_Prep", "interview-prep"),
        ("interview  prep", "interview-prep"),
        ("interview-prep", "interview-prep"),
        ("int", "interview-prep"),
        ("res", "research"),
        ("h", "housekeeping"),
    ],
)
def test_choice_normalises_and_accepts_unique_prefix(raw: str, choice: str) -> None:
    assert convert(CATEGORY, raw) == choice


@pytest.mark.parametrize("raw", ["o", "gardening", "codingx"])
def test_choice_rejects_ambiguous_or_unknown(raw: str) -> None:
    with pytest.raises(ParamError) as info:
        convert(CATEGORY, raw)
    message = str(info.value)
    assert message.startswith("`category` must be one of coding, outreach, research")
    assert f"(got `{raw}`)" in message


def test_exact_choice_wins_over_prefix() -> None:
    param = Param("stage", Kind.CHOICE, "stage", choices=("offer", "offered"))
    assert convert(param, "offer") == "offer"
    assert convert(param, "offere") == "offered"
    with pytest.raises(ParamError, match="must be one of offer, offered"):
        convert(param, "off")


def test_prefix_shared_by_two_choices_is_ambiguous() -> None:
    param = Param("stage", Kind.CHOICE, "stage", choices=STAGES)
    assert convert(param, "interv") == "interview"
    with pytest.raises(ParamError, match="must be one of"):
        convert(param, "in")  # interested / interview


@pytest.mark.parametrize(
    "raw", ["https://example.com/jobs/123", "http://x.io", "https://x.com/?a=1&b=2"]
)
def test_url(raw: str) -> None:
    assert convert(Param("url", Kind.URL, "posting"), raw) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "example.com/jobs",
        "ftp://example.com/x",
        "javascript:alert(1)",
        "https://",
        "https://exa mple.com",
        "https://x.com/" + "a" * 500,
    ],
)
def test_bad_url(raw: str) -> None:
    with pytest.raises(ParamError, match="`url` must be a web address starting with https://"):
        convert(Param("url", Kind.URL, "posting"), raw)


MEMBER = Param("who", Kind.MEMBER, "a cohort mate")


@pytest.mark.parametrize(
    ("raw", "platform_id", "name"),
    [
        ("<@U123|bob>", "U123", "bob"),
        ("<@U0ABC>", "U0ABC", None),
        ("<@W42|Bob Smith>", "W42", "Bob Smith"),
        ("<@123456789>", "123456789", None),
        ("<@!123456789>", "123456789", None),
        ("@bob", None, "bob"),
        ("bob", None, "bob"),
        ("@Bob Smith", None, "Bob Smith"),
    ],
)
def test_member(raw: str, platform_id: str | None, name: str | None) -> None:
    syntax = SLACK_MENTIONS if raw.startswith("<@U") or raw.startswith("<@W") else DISCORD_MENTIONS
    assert MEMBER.convert(raw, today=TODAY, mentions=syntax) == MemberRef(raw, platform_id, name)


def test_a_platform_mention_is_only_read_in_that_platforms_syntax() -> None:
    assert convert(MEMBER, "@bob") == MemberRef("@bob", None, "bob")
    with pytest.raises(ParamError):
        convert(MEMBER, "<@U123|bob>")  # the console has no mention syntax
    with pytest.raises(ParamError):
        MEMBER.convert("<@123456789>", today=TODAY, mentions=SLACK_MENTIONS)


@pytest.mark.parametrize("raw", ["@", "@@", "<bob>", "<@U123", "<#C123>", "x" * 81])
def test_bad_member(raw: str) -> None:
    with pytest.raises(ParamError, match=r"`who` must name a cohort mate, e\.g\. @bob"):
        MEMBER.convert(raw, today=TODAY, mentions=SLACK_MENTIONS)


@pytest.mark.parametrize(
    ("raw", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("AMERICA/NEW_YORK", "America/New_York"),
        ("utc", "UTC"),
    ],
)
def test_timezone_is_case_insensitive(raw: str, zone: str) -> None:
    assert convert(Param("tz", Kind.TIMEZONE, "time zone"), raw) == zone


@pytest.mark.parametrize("raw", ["Mars/Olympus", "Berlin", "../etc/passwd", "UTC+2"])
def test_bad_timezone(raw: str) -> None:
    with pytest.raises(ParamError, match="not a time zone I know") as info:
        convert(Param("tz", Kind.TIMEZONE, "time zone"), raw)
    assert "Europe/Berlin" in str(info.value)


def test_bad_timezone_names_the_param() -> None:
    with pytest.raises(ParamError) as info:
        convert(Param("tz", Kind.TIMEZONE, "time zone"), "Mars/Olympus")
    assert "`tz`" in str(info.value)


def test_time() -> None:
    param = Param("at", Kind.TIME, "when")
    assert convert(param, "09:00") == time(9, 0)
    assert convert(param, "4pm") == time(16, 0)
    with pytest.raises(ParamError) as info:
        convert(param, "25:00")
    assert str(info.value) == "`at`: `25:00` is not a time of day. Try e.g. at=09:00"


def test_weekdays() -> None:
    param = Param("days", Kind.WEEKDAYS, "which days")
    assert convert(param, "mon-fri") == (0, 1, 2, 3, 4)
    assert convert(param, "fri-mon") == (0, 4, 5, 6)
    with pytest.raises(ParamError, match=r"^`days`: .* Try e\.g\. days=mon-fri$"):
        convert(param, "someday")


@pytest.mark.parametrize(
    ("param", "sample"),
    [
        (Param("count", Kind.INTEGER, "n"), "3"),
        (Param("for", Kind.DURATION, "d"), "45m (or 1.5h)"),
        (Param("url", Kind.URL, "u"), "https://example.com/jobs/123"),
        (Param("who", Kind.MEMBER, "m"), "@bob"),
        (Param("tz", Kind.TIMEZONE, "z"), "Europe/Berlin"),
        (Param("at", Kind.TIME, "t"), "09:00"),
        (Param("days", Kind.WEEKDAYS, "w"), "mon-fri"),
        (Param("category", Kind.CHOICE, "c", choices=CATEGORIES), "coding"),
        (Param("when", Kind.DATE, "d", example="fri"), "fri"),
    ],
)
def test_empty_value_names_param_and_example(param: Param, sample: str) -> None:
    with pytest.raises(ParamError) as info:
        convert(param, "  ")
    assert str(info.value) == f"`{param.name}` needs a value, e.g. {param.name}={sample}"


def test_samples_are_valid_values() -> None:
    for kind in Kind:
        if kind is Kind.REF:  # resolved against the database: tests/console/test_references.py
            continue
        choices = CATEGORIES if kind is Kind.CHOICE else ()
        param = Param("x", kind, "h", choices=choices)
        raw = param.sample().split(" (or ")[0].strip('"')
        convert(param, raw)  # must not raise


def test_key_and_metavar() -> None:
    param = Param("follow-up", Kind.DATE, "when")
    assert param.key == "follow_up"
    assert param.metavar == "FOLLOW_UP"
    assert Param("size", Kind.CHOICE, "s", choices=("s", "m", "l")).metavar == "s|m|l"
    assert Param("stage", Kind.CHOICE, "s", choices=STAGES).metavar == "STAGE"


@pytest.mark.parametrize(
    ("param", "usage"),
    [
        (Param("company", Kind.TEXT, "c", required=True, positional=True), "COMPANY"),
        (Param("company", Kind.TEXT, "c", positional=True), "[COMPANY]"),
        (Param("role", Kind.TEXT, "r", positional=True, rest=True), "[ROLE...]"),
        (Param("role", Kind.TEXT, "r", required=True, positional=True, rest=True), "ROLE..."),
        (Param("url", Kind.URL, "u", required=True), "url=URL"),
        (Param("follow-up", Kind.DATE, "f"), "[follow-up=FOLLOW_UP]"),
        (Param("size", Kind.CHOICE, "s", choices=("s", "m")), "[size=s|m]"),
    ],
)
def test_usage(param: Param, usage: str) -> None:
    assert param.usage() == usage
