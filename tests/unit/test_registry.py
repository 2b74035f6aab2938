"""Tests for bot.registry: declaring commands, resolving typed words and binding arguments."""

import pytest

from bot.errors import UsageError
from bot.params import Kind, Param
from bot.registry import Command, CommandSet, DuplicateCommand, Example, Registry, bind


async def handler(ctx, **values):
    return None


def cmd(name: str, *params: Param, **kwargs) -> Command:
    return Command(name=name, summary=f"{name} summary", handler=handler, params=params, **kwargs)


COMPANY = Param("company", Kind.TEXT, "the company", required=True, positional=True)
ROLE = Param("role", Kind.TEXT, "the role", positional=True, rest=True)
URL = Param("url", Kind.URL, "the posting")
FOLLOW_UP = Param("follow-up", Kind.DATE, "when to follow up")
APPLY = cmd("apply", COMPANY, ROLE, URL, FOLLOW_UP, examples=(Example("/apply Stripe", "Logged"),))
COHORT_CREATE = cmd(
    "cohort create", Param("name", Kind.TEXT, "cohort name", positional=True, rest=True)
)
COHORT_JOIN = cmd("cohort join", Param("name", Kind.TEXT, "cohort name", positional=True))
HELP = cmd("help")


@pytest.fixture
def registry() -> Registry:
    return Registry([APPLY, COHORT_CREATE, COHORT_JOIN, HELP])


def test_same_name_twice_is_rejected() -> None:
    with pytest.raises(DuplicateCommand, match="/apply is declared twice"):
        Registry([APPLY, cmd("apply")])


@pytest.mark.parametrize(
    "commands",
    [
        [cmd("cohort create"), cmd("cohort")],  # leaf after its group
        [cmd("cohort"), cmd("cohort create")],  # group after a leaf
    ],
)
def test_leaf_clashing_with_group_is_rejected(commands: list[Command]) -> None:
    with pytest.raises(DuplicateCommand, match="clashes with a command group"):
        Registry(commands)


def test_same_param_twice_is_rejected() -> None:
    with pytest.raises(DuplicateCommand, match="parameter twice"):
        Registry([cmd("apply", URL, URL)])


def test_rest_param_must_be_last_positional() -> None:
    with pytest.raises(DuplicateCommand, match="only the last positional"):
        Registry([cmd("apply", ROLE, COMPANY)])


def test_registry_lists_commands_sorted_and_grouped(registry: Registry) -> None:
    assert len(registry) == 4
    assert [c.name for c in registry] == ["apply", "cohort create", "cohort join", "help"]
    groups = registry.groups()
    assert [c.name for c in groups[None]] == ["apply", "help"]
    assert [c.name for c in groups["cohort"]] == ["cohort create", "cohort join"]


def test_get_is_case_and_space_insensitive(registry: Registry) -> None:
    assert registry.get("Cohort  Create") is COHORT_CREATE
    assert registry.get("cohort") is None


@pytest.mark.parametrize(
    ("words", "command", "rest"),
    [
        (["apply", "Stripe", "Backend Engineer"], APPLY, ["Stripe", "Backend Engineer"]),
        (["APPLY", "Stripe"], APPLY, ["Stripe"]),
        (["help"], HELP, []),
        (["cohort", "create", "Fall", "2026"], COHORT_CREATE, ["Fall", "2026"]),
        (["Cohort", "JOIN", "Fall"], COHORT_JOIN, ["Fall"]),
        (["apply", "create"], APPLY, ["create"]),
    ],
)
def test_resolve(registry: Registry, words: list[str], command: Command, rest: list[str]) -> None:
    assert registry.resolve(words) == (command, rest)


def test_resolve_nothing(registry: Registry) -> None:
    with pytest.raises(UsageError, match="Type a command"):
        registry.resolve([])


def test_unknown_command_suggests_a_close_name(registry: Registry) -> None:
    with pytest.raises(UsageError) as info:
        registry.resolve(["aply", "Stripe"])
    assert str(info.value) == "I don't know the command `/aply`. Did you mean `/apply`?"
    assert "/help" in info.value.hint


def test_unknown_two_word_command_suggests_the_pair(registry: Registry) -> None:
    with pytest.raises(UsageError, match=r"Did you mean `/cohort create`\?"):
        Registry([COHORT_CREATE, HELP]).resolve(["cohortt", "create"])


def test_unknown_command_without_a_close_name(registry: Registry) -> None:
    with pytest.raises(UsageError) as info:
        registry.resolve(["xyzzy"])
    assert str(info.value) == "I don't know the command `/xyzzy`."


@pytest.mark.parametrize("words", [["cohort"], ["Cohort"], ["cohort", "destroy", "x"]])
def test_group_word_lists_its_subcommands(registry: Registry, words: list[str]) -> None:
    with pytest.raises(UsageError) as info:
        registry.resolve(words)
    assert str(info.value) == "`/cohort` needs one of: create, join."


def test_bind_positional_rest_and_options() -> None:
    raw = bind(
        APPLY,
        ["Stripe", "Backend", "Engineer"],
        {"url": "https://x.com/1", "follow-up": "fri"},
    )
    assert raw == {
        "company": "Stripe",
        "role": "Backend Engineer",
        "url": "https://x.com/1",
        "follow-up": "fri",
    }


def test_bind_leaves_missing_optionals_out() -> None:
    assert bind(APPLY, ["Stripe"], {}) == {"company": "Stripe"}


def test_bind_accepts_positional_params_as_options() -> None:
    assert bind(APPLY, [], {"company": "Stripe", "follow_up": "fri"}) == {
        "company": "Stripe",
        "follow-up": "fri",
    }


def test_bind_too_many_words() -> None:
    with pytest.raises(UsageError, match="I don't know what to do with `Fall 2026`") as info:
        bind(COHORT_JOIN, ["Spring", "Fall", "2026"], {})
    assert "quotes" in info.value.hint


def test_bind_words_for_a_command_without_params() -> None:
    with pytest.raises(UsageError, match="what to do with `me`"):
        bind(HELP, ["me"], {})


def test_bind_unknown_option_lists_the_options() -> None:
    with pytest.raises(UsageError) as info:
        bind(APPLY, ["Stripe"], {"salary": "lots"})
    assert str(info.value) == (
        "`/apply` has no option `salary=`. Its options: company=, role=, url=, follow-up=."
    )


def test_bind_unknown_option_on_command_without_params() -> None:
    with pytest.raises(UsageError, match="Its options: none"):
        bind(HELP, [], {"x": "1"})


def test_bind_same_param_positionally_and_as_option() -> None:
    with pytest.raises(UsageError, match="`company` is given twice"):
        bind(APPLY, ["Stripe"], {"company": "Plaid"})


@pytest.mark.parametrize(
    ("words", "options"), [([], {}), ([], {"company": "  "}), ([], {"url": "x"})]
)
def test_bind_missing_required(words: list[str], options: dict[str, str]) -> None:
    with pytest.raises(UsageError) as info:
        bind(APPLY, words, options)
    assert str(info.value) == "`/apply` needs COMPANY (the company)."


def test_command_usage_and_helpers() -> None:
    assert APPLY.usage() == "/apply COMPANY [ROLE...] [url=URL] [follow-up=FOLLOW_UP]"
    assert COHORT_CREATE.words == ("cohort", "create")
    assert COHORT_CREATE.group == "cohort"
    assert APPLY.group is None
    assert APPLY.param("follow_up") is FOLLOW_UP
    assert APPLY.param("salary") is None
    assert APPLY.example_line() == "/apply Stripe"
    assert HELP.example_line() == "/help"


async def test_command_set_collects_declarations() -> None:
    commands = CommandSet()

    @commands.command("streak", "Show your streak", params=[FOLLOW_UP])
    async def streak(ctx, **values):
        return "done"

    assert await streak(None) == "done"  # the decorator returns the handler unchanged
    [declared] = commands.commands
    assert declared.name == "streak"
    assert declared.handler is streak
    assert declared.params == (FOLLOW_UP,)
    assert Registry(commands.commands).get("streak") is declared


# -- typed handlers: the signature must match the declaration --------------------------------


def typed(handler) -> Command:
    return Command(name="apply", summary="s", handler=handler, params=(COMPANY, FOLLOW_UP))


def test_a_typed_handler_matching_its_parameters_is_accepted() -> None:
    from datetime import date

    async def apply(ctx, *, company: str, follow_up: date | None):
        return None

    assert len(Registry([typed(apply)])) == 1


@pytest.mark.parametrize(
    ("source", "complaint"),
    [
        ("async def h(ctx, *, company: str, folow_up: date | None): ...", "missing arguments"),
        ("async def h(ctx, *, company: str): ...", "missing arguments .'follow_up'."),
        ("async def h(ctx, company: str, follow_up: date | None): ...", "keyword-only"),
        ("async def h(ctx, *, company: str | None, follow_up: date | None): ...", "`company`"),
        ("async def h(ctx, *, company: str, follow_up: date): ...", "`follow_up`"),
    ],
)
def test_a_handler_that_differs_from_its_declaration_fails_at_import(
    source: str, complaint: str
) -> None:
    from datetime import date

    from bot.registry import HandlerMismatch

    namespace: dict = {"date": date}
    exec(source, namespace)
    with pytest.raises(HandlerMismatch, match=complaint):
        Registry([typed(namespace["h"])])
