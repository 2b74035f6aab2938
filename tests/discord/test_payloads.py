"""Reading interaction payloads, custom ids and the in-memory stash; building modals."""

from __future__ import annotations

import time

import pytest

from adapters.discord.ids import Action, CustomId, Stash, decode, fits
from adapters.discord.payloads import modal_answers, read_command
from adapters.discord.render import build_modal, form_parts
from bot.forms import standup_form
from bot.replies import Form, Question


def test_a_top_level_command_with_typed_options() -> None:
    call = read_command(
        {
            "name": "kudos",
            "options": [
                {"name": "member", "type": 6, "value": "200000000000000002"},
                {"name": "message", "type": 3, "value": "thanks!"},
            ],
        }
    )
    assert call.command == "kudos"
    assert call.options == {"member": "<@200000000000000002>", "message": "thanks!"}


def test_a_subcommand_with_an_integer_and_a_focused_option() -> None:
    call = read_command(
        {
            "name": "cohort",
            "options": [
                {
                    "type": 1,
                    "name": "settings",
                    "options": [
                        {"name": "practice", "type": 4, "value": 5},
                        {"name": "timezone", "type": 3, "value": "Europe/Be", "focused": True},
                    ],
                }
            ],
        }
    )
    assert (call.command, call.options) == ("cohort settings", {"practice": "5"})
    assert (call.focused, call.typed) == ("timezone", "Europe/Be")


def test_modal_answers_from_labels_and_from_action_rows() -> None:
    labels = {
        "components": [{"type": 18, "component": {"type": 4, "custom_id": "a", "value": "1"}}]
    }
    rows = {
        "components": [{"type": 1, "components": [{"type": 4, "custom_id": "b", "value": "2"}]}]
    }
    selects = {"components": [{"type": 18, "component": {"custom_id": "c", "values": ["x", "y"]}}]}
    assert modal_answers(labels) == {"a": "1"}
    assert modal_answers(rows) == {"b": "2"}
    assert modal_answers(selects) == {"c": "x,y"}


def test_custom_ids_round_trip_and_stay_within_100_characters() -> None:
    custom = CustomId(Action.RUN, "followup done A12")
    assert decode(custom.encode()) == custom
    assert decode("someone:else") is None and decode("ob:bogus:x") is None
    assert not fits(Action.RUN, "x" * 95)
    with pytest.raises(ValueError):
        CustomId(Action.RUN, "x" * 95).encode()


def test_the_stash_forgets_oldest_and_expired_items() -> None:
    stash: Stash[str] = Stash(size=2, ttl=60)
    a, b, c = stash.put("a"), stash.put("b"), stash.put("c")
    assert stash.get(a) is None and stash.get(b) == "b" and stash.get(c) == "c"
    assert stash.pop(b) == "b" and stash.get(b) is None
    short: Stash[str] = Stash(ttl=0.01)
    token = short.put("x")
    time.sleep(0.02)
    assert short.get(token) is None


async def test_the_standup_modal_fits_in_one_part_with_the_intro_as_a_description() -> None:
    form = standup_form({"yesterday": "y" * 1500}, "Check-in for Wed Nov 18.")
    [questions] = form_parts(form.questions)
    modal = build_modal(form, questions, "ob:form:standup").to_dict()
    assert modal["title"] == "Daily standup" and len(modal["components"]) == 5
    first = modal["components"][0]
    assert first["description"] == "Check-in for Wed Nov 18."
    assert first["component"]["value"] == "y" * 1000  # clipped to the question's limit
    assert modal["components"][3]["component"]["placeholder"] == "a number from 0 to 100"


async def test_long_labels_and_choices_fit_discords_limits() -> None:
    question = Question(
        "mood",
        "How are you feeling about the job search this week?",
        "choice",
        choices=("great", "ok", "rough"),
    )
    form = Form("f", "A form with a very long title that goes on and on", "f", (question,))
    modal = build_modal(form, (question,), "ob:part:t:0", part=(1, 3)).to_dict()
    assert len(modal["title"]) <= 45 and modal["title"].endswith("(1/3)")
    label = modal["components"][0]
    assert len(label["label"]) <= 45 and label["description"].startswith("How are you")
    assert label["component"]["placeholder"] == "one of: great, ok, rough"


def test_forms_split_into_groups_of_five() -> None:
    questions = tuple(Question(f"q{i}", f"Q{i}") for i in range(11))
    assert [len(p) for p in form_parts(questions)] == [5, 5, 1]
