"""Laying replies out within Discord's limits: embeds, fields, tables, files, buttons, forms."""

from __future__ import annotations

from hypothesis import given, settings

from adapters.discord.capabilities import (
    MAX_DESCRIPTION,
    MAX_EMBED_TOTAL,
    MAX_EMBEDS,
    MAX_FIELD_VALUE,
    MAX_FIELDS,
)
from adapters.discord.ids import Action, CustomId, decode
from adapters.discord.layout import (
    BRAND_COLOUR,
    ERROR_COLOUR,
    Message,
    layout,
    layout_post,
    mention_groups,
    thread_name,
)
from adapters.discord.render import build_modal, form_parts, message_kwargs
from bot.forms import retro_form
from bot.replies import (
    Button,
    Buttons,
    Fields,
    File,
    Form,
    Mention,
    Question,
    Reply,
    Table,
    Text,
    Visibility,
    t,
)
from tests.fakes import discord_rules as rules
from tests.reply_strategies import FORMS, replies
from tests.worst_case import HOSTILE, long_text

FORM_STANDUP = Form("standup", "Daily standup", "standup", (Question("today", "Today?"),))


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


# -- every budget, checked by the strict fake's own rules -----------------------------------------


def discord_payload(message: Message) -> dict:
    """The JSON discord.py sends for one laid-out message (through the real render path)."""
    kwargs = message_kwargs(message)
    body: dict = {
        "content": kwargs["content"],
        "embeds": [e.to_dict() for e in kwargs["embeds"]],
        "allowed_mentions": kwargs["allowed_mentions"].to_dict(),
    }
    if "view" in kwargs:
        body["components"] = kwargs["view"].to_components()
    return body


def accepted(messages: list[Message]) -> None:
    """Discord (as the strict fake judges it) takes every one of ``messages``."""
    for message in messages:
        body = discord_payload(message)
        errors = rules.message_errors(body)
        assert not errors, errors.body()
        assert not rules.is_empty_message(body, len(message.files))


LONG_LABEL = "Label " + HOSTILE * 20  # far over 256 once escaped
HOSTILE_2000 = long_text(2000, "notes")


def test_many_fields_with_long_labels_and_values_stay_under_6000_a_card() -> None:
    fields = tuple((f"{i} {LONG_LABEL}", HOSTILE_2000) for i in range(30))
    messages = layout(Reply.of(Fields("x" * 400, fields)), ids)
    accepted(messages)
    cards = [c for m in messages for c in m.cards]
    assert all(c.size() <= MAX_EMBED_TOTAL and len(c.title) <= 256 for c in cards)
    assert all(len(n) <= 256 for c in cards for n, _, _ in c.fields)
    shown_values = "".join(v for c in cards for _, v, _ in c.fields)
    assert shown_values.count("notes") >= 30, "every value is there, continued"


def test_blank_labels_and_values_are_never_empty_fields() -> None:
    reply = Reply.of(Fields("", (("", "x"), ("   ", ""), ("Notes", "\n \n"), ("a", "b"))))
    [message] = layout(reply, ids)
    accepted([message])
    assert [(n, v) for n, v, _ in message.cards[0].fields] == [
        ("\u200b", "x"),
        ("\u200b", "—"),
        ("Notes", "—"),
        ("a", "b"),
    ]


def test_long_table_titles_and_forms_are_clipped_or_continued() -> None:
    table = Table("T" * 600, ("id", "company"), tuple((f"A{i}", HOSTILE) for i in range(400)))
    questions = tuple(Question(f"q{i}", f"{i} " + "Why? " * 200, required=False) for i in range(12))
    form = Form("f", "F" * 300, "standup", questions, intro="I" * 5000)
    messages = layout(Reply.of(table, form, File("a.csv", b"x", "text/csv", "E" * 5000)), ids)
    accepted(messages)
    titles = [c.title for m in messages for c in m.cards if c.title]
    assert titles[0] == "T" * 255 + "…" and all(len(t) <= 256 for t in titles)


def test_two_buttons_for_one_command_get_distinct_ids_that_run_it() -> None:
    reply = Reply.of(Buttons((Button("A", "standup"), Button("B", "standup"))), FORM_STANDUP)
    [message] = layout(reply, ids)
    accepted([message])
    custom_ids = [custom_id for _, custom_id in message.buttons]
    assert custom_ids == ["ob:run:standup", "ob2:run:standup", "ob3:run:standup"]
    assert {decode(c) for c in custom_ids} == {CustomId(Action.RUN, "standup")}


def test_at_most_25_buttons_in_five_rows() -> None:
    reply = Reply.of(Buttons(tuple(Button(f"{i} " + "L" * 90, f"help {i}") for i in range(40))))
    [message] = layout(reply, ids)
    accepted([message])
    assert len(message.buttons) == 25


def test_mentions_are_grouped_within_2000_characters_and_100_users() -> None:
    long_ids = [str(1_150_000_000_000_000_000 + i) for i in range(250)]  # 19 digits
    groups = mention_groups(long_ids)
    assert [len(g) for g in groups] == [87, 87, 76]
    assert [u for g in groups for u in g] == long_ids
    short_ids = [str(10**6 + i) for i in range(250)]  # 7 digits: the 100-user cap binds first
    assert [len(g) for g in mention_groups(short_ids)] == [100, 100, 50]
    for group in [*groups, *mention_groups(short_ids)]:
        assert len(" ".join(f"<@{u}>" for u in group)) <= 2000


def test_a_post_notifies_everyone_it_names_across_messages() -> None:
    people = [Mention(str(1_150_000_000_000_000_000 + i), f"m{i}", notify=True) for i in range(200)]
    names: list = []
    for i, person in enumerate(people):
        names += [", ", person] if i else [person]
    reply = Reply.of(Text("Still to check in: ", *names), visibility=Visibility.CHANNEL)
    messages = layout(reply, ids, notify=True)
    accepted(messages)
    assert [u for m in messages for u in m.mentions] == [p.user_id for p in people]
    assert [len(m.mentions) for m in messages] == [87, 87, 26]
    assert not messages[-1].cards and messages[-1].content(), "a mention-only message"
    assert all(not m.ephemeral for m in messages)


def test_a_post_with_a_thread_keeps_its_detail_apart() -> None:
    cards = [Fields(f"member {i}", (("Today", HOSTILE_2000),)) for i in range(50)]
    reply = (
        Reply.of(
            t("☀️ *Standup summary, Thu Nov 19*: 50 of 60 checked in."),
            Text("Missing: ", Mention("200000000000000002", "bob", notify=True)),
            visibility=Visibility.CHANNEL,
        )
        .in_thread(*cards)
        .in_thread(Text("and ", Mention("200000000000000003", "carol", notify=True)))
    )
    post = layout_post(reply, ids)
    assert len(post.messages) == 1
    assert post.messages[0].mentions == ["200000000000000002", "200000000000000003"]
    assert post.thread_name == "☀️ Standup summary, Thu Nov 19: 50 of 60 checked in."
    accepted(post.messages + post.thread)
    assert all(not m.mentions for m in post.thread), "the thread pings nobody"
    thread_text = "\n".join(m.text() for m in post.thread)
    assert all(f"member {i}" in thread_text for i in range(50))
    assert layout_post(Reply.of("x"), ids).thread == []


def test_a_thread_name_is_one_line_of_at_most_100_characters() -> None:
    reply = Reply.of(Text("  \n "), Fields("Week\nof " + "x" * 200, ())).in_thread("detail")
    name = thread_name(reply)
    assert len(name) == 100 and "\n" not in name and name.startswith("Week of xx")
    assert thread_name(Reply.of(Buttons(())).in_thread("x")) == "Details"


@settings(derandomize=True, max_examples=150, deadline=None)
@given(replies())
def test_whatever_the_reply_discord_accepts_every_message(reply: Reply) -> None:
    accepted(layout(reply, ids))
    accepted(layout(reply, ids, notify=True))
    post = layout_post(reply, ids)
    accepted(post.messages + post.thread)
    assert 1 <= len(post.thread_name or "x") <= 100


@settings(derandomize=True, max_examples=100, deadline=None)
@given(FORMS)
def test_whatever_the_form_discord_accepts_every_modal_part(form: Form) -> None:
    parts = form_parts(form.questions)
    for index, questions in enumerate(parts, 1):
        modal = build_modal(form, questions, "ob:form:x", part=(index, len(parts))).to_dict()
        errors = rules.modal_errors(modal, prefix=())
        assert not errors, errors.body()
