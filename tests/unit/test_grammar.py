"""Tests for bot.grammar: shell-like tokenizing, key=value options and quoting."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UsageError
from bot.grammar import quote, split_options, tokenize

SMART_QUOTES = "“”„‘’"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("apply Stripe", ["apply", "Stripe"]),
        ("  apply   Stripe  ", ["apply", "Stripe"]),
        ('apply Stripe "Backend Engineer"', ["apply", "Stripe", "Backend Engineer"]),
        ("apply Stripe 'Backend Engineer'", ["apply", "Stripe", "'Backend", "Engineer'"]),
        ("kudos @bob you're the best", ["kudos", "@bob", "you're", "the", "best"]),
        ("note I don’t know", ["note", "I", "don't", "know"]),
        ("apply Stripe “Backend Engineer”", ["apply", "Stripe", "Backend Engineer"]),
        ("apply Stripe „Backend Engineer”", ["apply", "Stripe", "Backend Engineer"]),
        ('note "I don\'t know"', ["note", "I don't know"]),
        ('note "a#b" c\\d', ["note", "a#b", "c\\d"]),
        ('apply role="Backend Engineer"', ["apply", "role=Backend Engineer"]),
        ("note a\nb", ["note", "a", "b"]),
        ('note ""', ["note", ""]),
        ("", []),
    ],
)
def test_tokenize(text: str, words: list[str]) -> None:
    assert tokenize(text) == words


@pytest.mark.parametrize(
    "text",
    ["/apply Stripe", "apply Stripe", "/ob apply Stripe", "ob apply Stripe", "OB apply Stripe"],
)
def test_leading_slash_and_ob_prefix_are_dropped(text: str) -> None:
    assert tokenize(text) == ["apply", "Stripe"]


def test_only_the_first_ob_is_a_prefix() -> None:
    assert tokenize("/ob note ob") == ["note", "ob"]
    assert tokenize("/ob") == []


def test_slash_is_only_stripped_at_the_start() -> None:
    assert tokenize("apply https://x.com/a") == ["apply", "https://x.com/a"]


@pytest.mark.parametrize("text", ['apply "Backend', "apply “Backend", 'a "b" "'])
def test_unclosed_quote_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="quote is not closed") as info:
        tokenize(text)
    assert "Backend Engineer" in info.value.hint


def test_split_options_separates_key_value_words() -> None:
    positional, options = split_options(
        ["Stripe", "Backend Engineer", "url=https://x.com/jobs", "follow-up=fri"]
    )
    assert positional == ["Stripe", "Backend Engineer"]
    assert options == {"url": "https://x.com/jobs", "follow-up": "fri"}


def test_option_value_keeps_everything_after_the_first_equals() -> None:
    assert split_options(["url=https://x.com/?a=1&b=2"]) == ([], {"url": "https://x.com/?a=1&b=2"})
    assert split_options(["note=a=b"]) == ([], {"note": "a=b"})
    assert split_options(["note="]) == ([], {"note": ""})
    assert split_options(["note=two\nlines"]) == ([], {"note": "two\nlines"})


@pytest.mark.parametrize(
    "word",
    [
        "https://x.com/jobs?id=1",
        "http://x.com/?a=b",
        "=value",
        "1st=x",
        "a.b=c",
        "plain",
        "x" * 32 + "=long-key",
    ],
)
def test_words_that_are_not_options_stay_positional(word: str) -> None:
    assert split_options([word]) == ([word], {})


@pytest.mark.parametrize(
    ("word", "key"),
    [("follow_up=fri", "follow-up"), ("Follow-Up=fri", "follow-up"), ("URL=x", "url")],
)
def test_option_keys_are_normalised(word: str, key: str) -> None:
    assert split_options([word]) == ([], {key: word.split("=", 1)[1]})


@pytest.mark.parametrize(
    "words", [["tz=UTC", "tz=CET"], ["follow-up=fri", "follow_up=mon"], ["Url=a", "url=b"]]
)
def test_duplicate_option_is_a_usage_error(words: list[str]) -> None:
    with pytest.raises(UsageError, match="given twice"):
        split_options(words)


def test_tokenize_and_split_a_whole_command_line() -> None:
    words = tokenize('/ob apply Stripe "Backend Engineer" url=https://x.com/?id=1 follow_up=fri')
    assert split_options(words) == (
        ["apply", "Stripe", "Backend Engineer"],
        {"url": "https://x.com/?id=1", "follow-up": "fri"},
    )


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("Stripe", "Stripe"),
        ("https://x.com/a,b", "https://x.com/a,b"),
        ("@bob", "@bob"),
        ("Backend Engineer", '"Backend Engineer"'),
        ("", '""'),
        ("a=b", '"a=b"'),
        ('say "hi"', "\"say 'hi'\""),
    ],
)
def test_quote_only_adds_quotes_when_needed(value: str, quoted: str) -> None:
    assert quote(value) == quoted


def test_double_quotes_inside_a_value_read_back_as_apostrophes() -> None:
    assert tokenize("note " + quote('say "hi"')) == ["note", "say 'hi'"]


@given(st.text(alphabet=st.characters(blacklist_characters='\x00"' + SMART_QUOTES)))
def test_quote_round_trips_through_tokenize(value: str) -> None:
    assert tokenize("note " + quote(value)) == ["note", value]


@given(st.text(alphabet=st.characters(blacklist_characters="\x00")))
def test_quoted_value_is_always_one_word_without_smart_quotes(value: str) -> None:
    words = tokenize("note " + quote(value.translate({ord(c): None for c in SMART_QUOTES})))
    assert len(words) == 2


@pytest.mark.parametrize("value", ["„", "a“b", "“Backend Engineer"])
def test_quote_reads_smart_double_quotes_back_as_one_word(value: str) -> None:
    words = tokenize("note " + quote(value))
    assert len(words) == 2
