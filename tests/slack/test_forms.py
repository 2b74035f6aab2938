"""Modals from command declarations, modal answers as options, and errors placed on fields."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from adapters.slack.forms import command_form, field_errors, submitted_options, wants_form
from bot.commands import REGISTRY
from bot.replies import Reply, t
from tests.slack.harness import TEAM, SlackHarness, user_id


def test_a_command_needing_arguments_typed_bare_wants_a_form() -> None:
    apply = REGISTRY.get("apply")
    assert wants_form(apply, []) and not wants_form(apply, ["Stripe"])
    assert not wants_form(REGISTRY.get("stats"), [])


def test_every_parameter_becomes_a_question_of_the_right_kind() -> None:
    form = command_form(REGISTRY.get("apply"))
    assert (form.title, form.submit_command, form.intro) == (
        "/apply",
        "apply",
        "Log a job application",
    )
    kinds = {q.key: (q.kind, q.required) for q in form.questions}
    assert kinds["company"] == ("short", True)
    assert kinds["notes"] == ("long", False)
    assert kinds["stage"][0] == "choice" and kinds["follow-up"][0] == "date"
    assert kinds["url"][0] == "url"
    member = command_form(REGISTRY.get("kudos")).questions[0]
    assert (member.key, member.kind) == ("member", "user")


def test_every_command_with_required_parameters_has_a_form_slack_accepts() -> None:
    for command in REGISTRY:
        form = command_form(command)
        assert len(form.questions) <= 99
        assert all(len(q.placeholder) <= 150 for q in form.questions)


def test_submitted_values_become_options() -> None:
    values = {
        "company": {"value": {"type": "plain_text_input", "value": "Acme"}},
        "notes": {"value": {"type": "plain_text_input", "value": "  "}},
        "stage": {"value": {"type": "static_select", "selected_option": {"value": "offer"}}},
        "date": {"value": {"type": "datepicker", "selected_date": "2026-11-17"}},
        "time": {"value": {"type": "timepicker", "selected_time": "08:30"}},
        "member": {"value": {"type": "users_select", "selected_user": "U0BOB"}},
        "n": {"value": {"type": "number_input", "value": "3"}},
        "unset": {"value": {"type": "static_select", "selected_option": None}},
    }
    assert submitted_options(values) == {
        "company": "Acme",
        "stage": "offer",
        "date": "2026-11-17",
        "time": "08:30",
        "member": "<@U0BOB>",
        "n": "3",
    }


def test_errors_go_on_the_field_they_name() -> None:
    keys = ["company", "role", "follow-up"]
    error = Reply.error(
        t("⚠️ `follow-up`: not a date."), t("Usage: `/apply ...`"), field="follow-up"
    )
    assert field_errors(error, keys) == {"follow-up": "`follow-up`: not a date."}
    needs = Reply.error(t("⚠️ `/apply` needs ROLE (the job title)."), field="role")
    assert list(field_errors(needs, keys)) == ["role"]
    vague = Reply.error("⚠️ Something else.", "Try again later.")
    assert field_errors(vague, keys) == {"company": "Something else. Try again later."}
    assert field_errors(vague, []) == {}


async def test_an_id_field_is_a_picker_of_the_callers_own_rows(cohort: SlackHarness) -> None:
    await cohort.command('apply Stripe "Backend Engineer"')
    await cohort.command('apply Globex "Data Engineer"', user="bob")
    await cohort.command("app show")
    view = cohort.opened_view()
    [block] = [b for b in view["blocks"] if b.get("block_id") == "id"]
    assert block["element"]["type"] == "external_select"
    suggestion = {
        "type": "block_suggestion",
        "user": {"id": user_id("alice"), "username": "alice", "name": "alice", "team_id": TEAM},
        "team": {"id": TEAM, "domain": "fall-cohort"},
        "api_app_id": "A0OFFER",
        "token": "legacy-verification-token",
        "container": {"type": "view", "view_id": "V0MODAL"},
        "view": {**view, "id": "V0MODAL", "team_id": TEAM, "state": {"values": {}}},
        "action_id": "value",
        "block_id": "id",
        "value": "",
    }
    status, body = await cohort.post(urlencode({"payload": json.dumps(suggestion)}))
    assert status == 200
    options = json.loads(body)["options"]
    assert options == [
        {
            "text": {"type": "plain_text", "text": "A1 · Backend Engineer at Stripe (applied)"},
            "value": "A1",
        }
    ]  # bob's Globex application (A2) is not offered
    status, _ = await cohort.submit(view, {"id": "A1"})
    assert status == 200
    assert "Application A1" in cohort.reply_text()
