"""Laying replies out within Discord's limits: embeds, fields, tables, files, buttons, forms."""

from __future__ import annotations

from adapters.discord.layout import (
    BRAND_COLOUR,
    ERROR_COLOUR,
    MAX_DESCRIPTION,
    MAX_EMBED_TOTAL,
    MAX_EMBEDS,
    MAX_FIELD_VALUE,
    MAX_FIELDS,
    Message,
    layout,
)
from bot.forms import retro_form
from bot.replies import Button, Buttons, Fields, File, Mention, Reply, Table, Text, Visibility, t


def ids(button: Button) -> str:
    return f"ob:run:{button.command}"


def within_limits(messages: list[Message]) -> None:
    for message in messages:
        embeds = message.embeds()
        assert len(embeds) <= MAX_EMBEDS
        assert sum(card.size() for card in message.cards) <= MAX_EMBED_TOTAL
        for embed in embeds:
            assert len(embed.get("description", "")) <= MAX_DESCRIPTION
            assert len(embed.get("fields", [])) <= MAX_FIELDS
            assert all(
                len(f["value"]) <= MAX_FIELD_VALUE and f["name"] for f in embed.get("fields", [])
            )
        assert len(message.buttons) <= 25


def test_a_short_reply_is_one_private_embed() -> None:
    [message] = layout(Reply.of("✅ Logged."), ids)
    assert message.ephemeral and message.colour == BRAND_COLOUR
    assert message.embeds() == [
        {"type": "rich", "color": BRAND_COLOUR, "description": "✅ Logged."}
    ]


def test_errors_are_red_and_channel_replies_public() -> None:
    assert layout(Reply.error("⚠️ no"), ids)[0].colour == ERROR_COLOUR
    assert not layout(Reply.of("hi", visibility=Visibility.CHANNEL), ids)[0].ephemeral


def test_long_text_is_split_across_embeds_and_messages() -> None:
    paragraph = "\n".join(f"line {i} " + "x" * 70 for i in range(400))  # ~32k characters
    messages = layout(Reply.of(paragraph), ids)
    within_limits(messages)
    assert len(messages) >= 6
    text = "\n".join(c.description for m in messages for c in m.cards)
    assert "line 0 " in text and "line 399 " in text


def test_many_fields_and_long_values_continue() -> None:
    fields = (*tuple((f"Field {i}", "v" * 10) for i in range(30)), ("Notes", "n" * 2500))
    messages = layout(Reply.of(Fields("Profile", fields)), ids)
    within_limits(messages)
    cards = [c for m in messages for c in m.cards]
    assert [c.title for c in cards] == ["Profile", "Profile (cont.)"]
    notes = [f for c in cards for f in c.fields if f[1].startswith("n")]
    assert len(notes) == 3 and notes[0][0] == "Notes" and not notes[0][2]
    assert cards[0].fields[0] == ("Field 0", "v" * 10, True)


def test_tables_are_aligned_code_blocks_split_with_balanced_fences() -> None:
    rows = tuple((f"A{i}", "Stripe", "Backend `Engineer`", "applied") for i in range(300))
    messages = layout(
        Reply.of(Table("Your applications", ("id", "company", "role", "stage"), rows)), ids
    )
    within_limits(messages)
    cards = [c for m in messages for c in m.cards]
    assert len(cards) > 1
    for card in cards:
        assert card.description.startswith("```") and card.description.endswith("```")
        assert card.description.count("```") % 2 == 0
    assert cards[0].description.splitlines()[1] == "id    company  role                stage"
    assert "`Engineer`" not in cards[0].description  # backticks cannot break the fence


def test_an_empty_table_says_so() -> None:
    [message] = layout(Reply.of(Table("Contacts", ("id",), (), empty="No contacts yet.")), ids)
    assert message.cards[0].description == "No contacts yet."


def test_long_cells_are_clipped_to_keep_rows_on_one_line() -> None:
    [message] = layout(Reply.of(Table("T", ("what",), (("word " * 40,),))), ids)
    assert max(len(line) for line in message.cards[0].description.splitlines()) <= 32


def test_images_are_attached_and_shown_in_their_embed() -> None:
    chart = File("week chart.png", b"\x89PNG", "image/png", "Your week")
    export = File("apps.csv", b"a,b", "text/csv")
    [message] = layout(Reply.of(chart, export), ids)
    assert message.files == [chart, export]
    assert message.embeds()[0]["image"] == {"url": "attachment://week_chart.png"}
    assert message.cards[1].description == "📎 apps.csv"


def test_buttons_go_on_the_last_message_with_their_ids() -> None:
    reply = Reply.of("x" * 5000, "y" * 5000, Buttons((Button("Done A1", "followup done A1"),)))
    messages = layout(reply, ids)
    assert len(messages) == 2 and not messages[0].buttons
    assert messages[-1].buttons == [
        (Button("Done A1", "followup done A1"), "ob:run:followup done A1")
    ]


def test_a_form_outside_an_interaction_is_a_card_with_an_open_button() -> None:
    [message] = layout(Reply.of(retro_form({}, "Your week: 3/10")), ids)
    card = message.cards[0]
    assert card.title == "Weekly retro"
    assert card.description.startswith("Your week: 3/10\n1. What worked")
    assert "(optional)" in card.description
    assert [(b.label, i) for b, i in message.buttons] == [("Open the form", "ob:run:retro")]


def test_strong_and_code_are_markdown_and_user_text_is_escaped() -> None:
    text = t("*Last week's leaderboard* by `{who}`: {said}", who="a`b", said="2*3*4 **already**")
    [message] = layout(Reply.of(text), ids)
    assert message.cards[0].description == (
        "**Last week's leaderboard** by `` a`b ``: 2\\*3\\*4 \\*\\*already\\*\\*"
    )


def test_a_masked_link_typed_by_a_member_shows_as_typed() -> None:
    [message] = layout(
        Reply.of(Fields("alice", (("Today", "[free nitro](https://evil.example)"),))), ids
    )
    value = message.cards[0].fields[0][1]
    assert value == "\\[free nitro\\]\\(https://evil.example\\)"  # no clickable label
    assert "](" not in value


def test_mentions_are_content_only_for_scheduled_posts() -> None:
    reply = Reply.of(
        Text(
            "Still to check in: ",
            Mention("200000000000000002", "bob", notify=True),
            " and <\u2060@200000000000000003> and ",
            Mention("200000000000000004", "dana"),
        )
    )
    assert layout(reply, ids)[0].content() is None
    notified = layout(reply, ids, notify=True)[0]
    assert notified.mentions == ["200000000000000002"]
    assert notified.content() == "<@200000000000000002>"
    assert "<@200000000000000002> and \\<\u2060\\@200000000000000003> and @dana" in (
        notified.cards[0].description
    )
