"""Malformed Slack payloads through the real Bolt app and /slack/events: view submissions, block
actions, slash commands, events and bodies that are not JSON. Each gets what Slack expects (an
acknowledgement, a modal error on a field it names, or a clear 400), never a traceback in the log,
and nothing is written."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.payload_checks import crashes, row_counts
from tests.slack.conftest import cohort, fake_slack, slack, slack_settings  # noqa: F401
from tests.slack.harness import SlackHarness, new_event_id, payload, unescape

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@dataclass(frozen=True)
class Case:
    name: str
    body: Callable[[dict[str, Any]], str]  # the apply modal as opened -> the request body
    status: int
    says: str = ""  # in the HTTP answer or in what reached Slack (unescaped)
    field: str | None = None  # a view submission's error is on this field
    form: bool = True  # a form-encoded body (else JSON)


def submission(view: dict[str, Any], **top: Any) -> str:
    body = payload("view_submission")
    body["view"] = view
    body.update(top)
    return urlencode({"payload": json.dumps(body)})


def with_view(**fields: Any) -> Callable[[dict[str, Any]], str]:
    """A submission of the apply modal with ``fields`` of its view replaced (None: removed)."""

    def build(opened: dict[str, Any]) -> str:
        view = copy.deepcopy(opened)
        view.update(id="V0MODAL", state={"values": {}})
        for key, value in fields.items():
            if value is None:
                view.pop(key, None)
            else:
                view[key] = value
        return submission(view)

    return build


def with_body(**fields: Any) -> Callable[[dict[str, Any]], str]:
    """A submission of the apply modal with top-level ``fields`` replaced (None: removed)."""

    def build(opened: dict[str, Any]) -> str:
        body = payload("view_submission")
        body["view"] = {**opened, "id": "V0MODAL", "state": {"values": {}}}
        for key, value in fields.items():
            body.pop(key) if value is None else body.__setitem__(key, value)
        return urlencode({"payload": json.dumps(body)})

    return build


def answers(values: Any) -> Callable[[dict[str, Any]], str]:
    return with_view(state={"values": values})


def text(value: str) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": value}}


def action(**fields: Any) -> Callable[[dict[str, Any]], str]:
    def build(_: dict[str, Any]) -> str:
        body = payload("block_actions")
        for key, value in fields.items():
            body.pop(key) if value is None else body.__setitem__(key, value)
        return urlencode({"payload": json.dumps(body)})

    return build


def command(**fields: Any) -> Callable[[dict[str, Any]], str]:
    def build(_: dict[str, Any]) -> str:
        body = payload("slash_command")
        for key, value in fields.items():
            body.pop(key) if value is None else body.__setitem__(key, value)
        return urlencode(body)

    return build


def raw(body: str) -> Callable[[dict[str, Any]], str]:
    return lambda _: body


def event(name: str, **fields: Any) -> Callable[[dict[str, Any]], str]:
    def build(_: dict[str, Any]) -> str:
        body = payload(name)
        body["event_id"] = new_event_id()
        for key, value in fields.items():
            body["event"].pop(key) if value is None else body["event"].__setitem__(key, value)
        return json.dumps(body)

    return build


def event_body(**fields: Any) -> Callable[[dict[str, Any]], str]:
    def build(_: dict[str, Any]) -> str:
        body = payload("app_home_opened")
        body.update(event_id=new_event_id(), **fields)
        return json.dumps(body)

    return build


UNKNOWN_FORM = "doesn't know what this form is for"
UNREADABLE = "couldn't read this"
GOOD = {"company": text("Acme"), "role": text("Dev")}
CASES = [
    # view submissions
    Case("no view", with_body(view=None), 400, "has no `view`"),
    Case("view is a string", with_body(view="V1"), 400, "`view` is not an object"),
    Case("view is a list", with_body(view=[1]), 400, "`view` is not an object"),
    Case("no callback_id", with_view(callback_id=None), 400, "no `callback_id`"),
    Case("callback_id a number", with_view(callback_id=5), 400, "no `callback_id`"),
    Case("unknown callback_id", with_view(callback_id="other_app"), 200, UNKNOWN_FORM),
    Case("no state", with_view(state=None), 200, UNREADABLE, field="company"),
    Case("state a string", with_view(state="x"), 200, UNREADABLE, field="company"),
    Case("values a list", answers([1, 2]), 200, UNREADABLE, field="company"),
    Case("values null", answers(None), 200, UNREADABLE, field="company"),
    Case("an answer a string", answers({**GOOD, "role": "Dev"}), 200, UNREADABLE, field="role"),
    Case(
        "an answer a number",
        answers({**GOOD, "role": {"value": {"type": "plain_text_input", "value": 5}}}),
        200,
        UNREADABLE,
        field="role",
    ),
    Case(
        "an option a string",
        answers({**GOOD, "stage": {"value": {"type": "static_select", "selected_option": "x"}}}),
        200,
        UNREADABLE,
        field="stage",
    ),
    Case(
        "an option's value an object",
        answers(
            {
                **GOOD,
                "stage": {
                    "value": {"type": "static_select", "selected_option": {"value": {"a": 1}}}
                },
            }
        ),
        200,
        UNREADABLE,
        field="stage",
    ),
    Case("an unknown field", answers({**GOOD, "nope": text("x")}), 200, "no option", "company"),
    Case("a field too long", answers({**GOOD, "company": text("x" * 10_000)}), 200, "", "company"),
    Case("no private_metadata", with_view(private_metadata=None), 200, UNKNOWN_FORM, "company"),
    Case("private_metadata a number", with_view(private_metadata=5), 200, UNKNOWN_FORM, "company"),
    Case("private_metadata junk", with_view(private_metadata="{x"), 200, UNKNOWN_FORM, "company"),
    Case(
        "private_metadata a list", with_view(private_metadata="[1]"), 200, UNKNOWN_FORM, "company"
    ),
    Case(
        "private_metadata 100 KB",
        with_view(private_metadata=json.dumps({"c": "apply", "x": "y" * 100_000})),
        200,
        UNKNOWN_FORM,
        "company",
    ),
    Case(
        "an unknown command in private_metadata",
        with_view(private_metadata='{"c":"nope"}', state={"values": GOOD}),
        200,
        "don't know the command",
        "company",
    ),
    Case("blocks a string", with_view(blocks="x"), 200, "needs COMPANY"),
    Case("blocks junk", with_view(blocks=["x", 1, {"type": "input"}]), 200, "needs COMPANY"),
    Case("no user", with_body(user=None), 400, "names no user"),
    Case("user a string", with_body(user="UALICE"), 400, "`user` is not an object"),
    Case("team a string", with_body(team="T0COHORT"), 400, "`team` is not an object"),
    # block actions
    Case("no actions", action(actions=None), 400, "has no `actions`"),
    Case("empty actions", action(actions=[]), 400, "has no `actions`"),
    Case("actions a string", action(actions="x"), 400, "has no `actions`"),
    Case("an action a string", action(actions=["x"]), 400, "no `action_id`"),
    Case("an action without id", action(actions=[{"value": "stats"}]), 400, "no `action_id`"),
    Case("an unknown action_id", action(actions=[{"action_id": "zz", "value": "x"}]), 200),
    Case(
        "a value that is not a command",
        action(actions=[{"action_id": "ob_run_0", "value": "frobnicate the widgets"}]),
        200,
        "don't know the command",
    ),
    Case(
        "a value that is a number",
        action(actions=[{"action_id": "ob_run_0", "value": 5}]),
        200,
        "don't know the command",
    ),
    Case("a button without user", action(user=None), 400, "names no user"),
    Case("channel a string", action(channel="C0COHORT"), 400, "`channel` is not an object"),
    Case("container a string", action(container="x"), 400, "`container` is not an object"),
    # slash commands
    Case("no user_id", command(user_id=None, text="apply Acme Dev"), 400, "names no user"),
    Case("no team_id", command(team_id=None, text="frobnicate"), 200, "know the command"),
    Case("no text", command(text=None), 200, "Type a command"),
    Case("an unknown slash command", command(command="/nope"), 200, "doesn't answer `/nope`"),
    Case("10 KB of text", command(text="apply " + "x" * 10_000), 200, "needs ROLE"),
    Case("NULs in text", command(text="frobnicate\x00 \x00"), 200, "don't know the command"),
    # bodies that are not JSON
    Case("payload not JSON", raw("payload=%7Bjunk"), 400, "not valid JSON"),
    Case("payload a list", raw("payload=%5B1%5D"), 400, "a JSON list"),
    Case("payload a number", raw("payload=5"), 400, "a JSON int"),
    Case("a JSON body that is not JSON", raw("{junk"), 400, "not valid JSON", form=False),
    Case("a JSON body that is a list", raw("[1, 2]"), 400, "a JSON list", form=False),
    # events: always acknowledged, or Slack delivers them again
    Case("app_home_opened without user", event("app_home_opened", user=None), 200),
    Case("app_home_opened without tab", event("app_home_opened", tab=None), 200),
    Case("app_home_opened, user a number", event("app_home_opened", user=5), 200),
    Case("message.im without user", event("message_im", text="stats", user=None), 200),
    Case("message.im, text a number", event("message_im", text=5), 200),
    Case(
        "message.im with files a string",
        event("message_im", text="frobnicate", files="x", subtype="file_share"),
        200,
        "don't know the command",
    ),
    Case(
        "message.im with a junk file",
        event("message_im", text="frobnicate", files=["x", {"size": "big"}], subtype="file_share"),
        200,
        "don't know the command",
    ),
    Case("file_shared (not subscribed)", event("app_home_opened", type="file_shared"), 200),
    Case("an event that is not an object", event_body(event="x"), 200),
    Case("an event without type", event("app_home_opened", type=None), 200),
]


def said(harness: SlackHarness, answer: str) -> str:
    return unescape(answer + "\n" + "\n".join(c.text() for c in harness.replies()))


async def test_malformed_slack_payloads_get_clear_answers_and_change_nothing(
    cohort: SlackHarness,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    await cohort.command("apply")
    opened = cohort.opened_view()
    app = cohort.adapter.core
    for case in CASES:
        cohort.fake.clear()
        caplog.clear()
        before = await row_counts(app)
        with caplog.at_level(logging.WARNING):
            kind = "application/x-www-form-urlencoded" if case.form else "application/json"
            status, answer = await cohort.post(case.body(opened), content_type=kind)
        where = f"{case.name}: {status} {answer[:300]}"
        assert status == case.status, where
        assert case.says in said(cohort, answer), f"{where} / {said(cohort, answer)[:500]}"
        if case.field is not None:
            data = json.loads(answer)
            assert data["response_action"] == "errors", where
            assert list(data["errors"]) == [case.field], where
        assert crashes(caplog) == [], where
        assert cohort.adapter.errors == [], where
        assert not cohort.fake.refused, where
        assert await row_counts(app) == before, f"{case.name} wrote something"


async def test_a_malformed_payload_not_signed_by_slack_gets_401(
    cohort: SlackHarness,  # noqa: F811
) -> None:
    for body in ("payload=%7Bjunk", urlencode({"payload": json.dumps({"type": "block_actions"})})):
        status, _ = await cohort.post(body, secret="not-the-signing-secret")
        assert status == 401


async def test_a_garbled_timestamp_header_is_unsigned_not_a_crash(
    cohort: SlackHarness,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    headers = {"X-Slack-Request-Timestamp": "soon"}
    with caplog.at_level(logging.WARNING):
        status, _ = await cohort.post("payload=%7Bjunk", headers=headers)
    assert status == 401
    assert crashes(caplog) == []


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    where=st.sampled_from(["view", "state", "values", "private_metadata", "blocks", "top"]),
    key=st.sampled_from(["view", "user", "team", "type", "callback_id", "company", "role"]),
    junk=JSON,
)
async def test_any_junk_in_a_view_submission_is_answered_cleanly(
    cohort: SlackHarness,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    where: str,
    key: str,
    junk: Any,
) -> None:
    if not cohort.fake.calls_to("views.open"):
        await cohort.command("apply")
    opened = copy.deepcopy(cohort.opened_view())
    body = payload("view_submission")
    view = {**opened, "id": "V0MODAL", "state": {"values": copy.deepcopy(GOOD)}}
    view["private_metadata"] = json.dumps({"c": "apply", "ch": "C0COHORT"})
    body["view"] = view
    match where:
        case "top":
            body[key] = junk
        case "view":
            view[key] = junk
        case "state":
            view["state"] = {"values": junk}
        case "values":
            view["state"]["values"][key] = junk
        case _:
            view[where] = junk
    app = cohort.adapter.core
    before = await row_counts(app)
    cohort.fake.clear()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        status, answer = await cohort.post(urlencode({"payload": json.dumps(body)}))
    assert status in (200, 400, 404), answer
    assert crashes(caplog) == []
    assert cohort.adapter.errors == []
    assert not cohort.fake.refused
    if "Logged application" not in said(cohort, answer):
        assert await row_counts(app) == before
    else:  # the junk left the answers readable: it ran, once
        await cohort.core("app delete A1 confirm=yes")
