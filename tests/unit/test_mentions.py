"""Tests for bot.mentions: mass and user mentions are defused so the bot never pings for a user."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.mentions import WORD_JOINER, defuse_mentions, has_live_mention

LIVE = [
    "@here",
    "@channel",
    "@everyone",
    "@all",
    "@HERE",
    "@Everyone",
    "<!channel>",
    "<!here>",
    "<!subteam^S123>",
    "<@U123>",
    "<@U123|bob>",
    "<#C1>",
    "<#C1|general>",
    "<@123>",
    "<@!123>",
    "<@&123>",
    "<#123>",
]


@pytest.mark.parametrize("token", LIVE)
def test_each_mention_is_live_before_and_dead_after(token: str) -> None:
    text = f"hi {token}!"
    assert has_live_mention(text)
    defused = defuse_mentions(text)
    assert defused != text
    assert not has_live_mention(defused)
    assert defused.replace(WORD_JOINER, "") == text


@pytest.mark.parametrize(
    ("text", "defused"),
    [
        ("@here", "@\u2060here"),
        ("ping @channel.", "ping @\u2060channel."),
        ("<!channel>", "<\u2060!channel>"),
        ("<@U123>", "<\u2060@U123>"),
        ("<@&123>", "<\u2060@&123>"),
        ("<#123>", "<\u2060#123>"),
        ("@@all", "@@\u2060all"),
    ],
)
def test_word_joiner_goes_right_after_the_trigger(text: str, defused: str) -> None:
    assert defuse_mentions(text) == defused


@pytest.mark.parametrize(
    "text",
    [
        "a@b.com",
        "mail alice@example.org",
        "here and there, everyone, all channels",
        "@heretic @allison @channels @everyones",
        "@bob",
        "1 < 2 and 3 > 2",
        "<https://x.com>",
        "",
    ],
)
def test_ordinary_text_is_untouched(text: str) -> None:
    assert defuse_mentions(text) == text
    assert not has_live_mention(text)


def test_defusing_is_idempotent_on_examples() -> None:
    once = defuse_mentions("@here <!channel> <@123> <#C1> @all")
    assert defuse_mentions(once) == once


mixed_text = st.lists(st.one_of(st.sampled_from(LIVE), st.text(max_size=8)), max_size=12).map(
    "".join
)


@given(mixed_text)
def test_defused_text_has_no_live_mention(text: str) -> None:
    assert not has_live_mention(defuse_mentions(text))


@given(mixed_text)
def test_defusing_is_idempotent(text: str) -> None:
    once = defuse_mentions(text)
    assert defuse_mentions(once) == once


@given(mixed_text)
def test_defusing_only_inserts_word_joiners(text: str) -> None:
    defused = defuse_mentions(text)
    assert defused.replace(WORD_JOINER, "") == text.replace(WORD_JOINER, "")
    assert (defused == text) == (not has_live_mention(text))
