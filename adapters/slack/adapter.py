"""The Slack adapter: Bolt listeners that turn Slack requests into invocations and answer them.

Every listener acknowledges Slack at once and runs the command in a background task that answers
through the response_url, the channel or a DM, so nothing waits on Slack's 3-second limit except a
modal submission, whose errors must go back in the acknowledgement itself.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.cache import LRU
from adapters.slack.capabilities import CAPABILITIES
from adapters.slack.config import SlackConfig
from adapters.slack.forms import Answers, command_form, field_errors, read_answers, wants_form
from adapters.slack.manifest import EVENTS_PATH
from adapters.slack.mrkdwn import from_slack
from adapters.slack.outbound import Destination, Sender
from adapters.slack.payloads import (
    input_keys,
    is_event,
    is_event_body,
    metadata,
    obj,
    parse_problem,
    shape_problem,
    signed,
)
from adapters.slack.push import Pusher
from adapters.slack.render import (
    FORM_CALLBACK,
    RUN_ACTION,
    notice_modal,
    render_home,
    render_modal,
)
from adapters.slack.retry import delivery_handlers, interactive_handlers
from adapters.slack.scopes import BOT_SCOPES
from adapters.slack.slash import SlashCommand
from adapters.slack.store import Claim, EventLog
from adapters.slack.workspace import Workspaces
from bot.app import App
from bot.delivery import Outcome, Target
from bot.errors import UserError
from bot.grammar import tokenize
from bot.invocation import MAX_ATTACHMENT_BYTES, Attachment, Invocation
from bot.platform import Standing
from bot.replies import Form, Reply, t

log = logging.getLogger("offerbound.slack")

PLATFORM = "slack"
SUBMIT_BUDGET_SECONDS = 2.5  # a modal submission answers within Slack's 3 s, or closes and DMs
UNKNOWN_FORM = (
    "Offerbound doesn't know what this form is for (it may be from an older version). "
    "Close it and run the command again."
)
NOT_INSTALLED_MESSAGE = (
    "⚠️ Offerbound is not installed in this workspace (or was removed). "
    "Ask a workspace admin to install it again."
)
_BOT_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+>\s*")

# slack_sdk logs request parameters and response bodies whenever its logger's own level is DEBUG
# or unset, and oauth.v2.access carries client secrets, refresh tokens and new access tokens both
# ways: our clients log to this logger, held at INFO whatever OFFERBOUND_LOG_LEVEL says.
API_LOG = logging.getLogger("offerbound.slack.api")
API_LOG.setLevel(logging.INFO)


class DownloadRefused(Exception):
    """Slack would not hand over a file a member shared; the message says what to do."""


EVENT_WORK = "offerbound_event"  # the Bolt context key of the event being handled


@dataclass
class _EventWork:
    """An Events API event being handled: the background work it started, and whether its claim
    was settled (done or released)."""

    event_id: str
    pending: int = 0
    settled: bool = False


class _Bolt(AsyncApp):
    """Bolt's app, telling the adapter when it has answered a request (in HTTP and Socket Mode
    alike), so an event whose listener started no background work can be marked handled."""

    def __init__(
        self,
        dispatched: Callable[[Mapping[str, Any], BoltResponse], Awaitable[None]],
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self._after_dispatch = dispatched
        self._secret: str | None = options.get("signing_secret")

    async def async_dispatch(self, req: AsyncBoltRequest) -> BoltResponse:
        problem = shape_problem(req.body)
        if problem is not None:  # Bolt's own matchers would crash on it: answered here
            return self._refuse(req, problem)
        response = await super().async_dispatch(req)
        await self._after_dispatch(req.context, response)
        return response

    def _refuse(self, req: AsyncBoltRequest, problem: str) -> BoltResponse:
        """A payload Slack would never send: 401 unless Slack signed it (as Bolt answers any
        unsigned request), else acknowledged when it is an event (Slack would only deliver it
        again) or a 400 saying what is wrong."""
        if req.mode == "http" and not signed(self._secret, req.raw_body, req.headers):
            return BoltResponse(status=401, body="")
        log.warning("malformed Slack payload: %s", problem)
        if is_event(req.body):
            return BoltResponse(status=200, body="")
        return BoltResponse(status=400, body=f"Offerbound can't handle this request: {problem}.")


@dataclass(frozen=True)
class Actor:
    """Who did something on Slack, where: everything an invocation needs."""

    tenant_id: str
    user_id: str
    user_name: str = ""
    channel_id: str = ""
    tenant_name: str = ""

    @property
    def is_dm(self) -> bool:
        """A direct message (with the bot, or between people: Slack ids both ``D...``)."""
        return self.channel_id.startswith("D")

    @property
    def key(self) -> tuple[str, str]:
        return (self.tenant_id, self.user_id)


class SlackAdapter:
    """Offerbound on Slack: one Bolt app in front of the core ``App``.

    Create it inside a running event loop (it opens an HTTP session). The runtime mounts
    ``routes()`` (events in HTTP mode, the OAuth pages) on its HTTP server and calls ``start()``,
    which opens Socket Mode's connection when an app token is configured.
    """

    name = PLATFORM
    capabilities = CAPABILITIES

    def __init__(
        self,
        core: App,
        config: SlackConfig,
        *,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.core = core
        self.config = config
        self._own_session = session is None
        self.session = session or aiohttp.ClientSession()
        self.client = self._client(config.bot_token if not config.oauth else None)
        self.events = EventLog(core.engine, core.clock)
        self.installations: Any = None
        self.errors: list[BaseException] = []
        self._slash = {c.name: c for c in config.commands}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._names: LRU = LRU()
        self._dm_channels: LRU = LRU()
        self._home_viewers: LRU = LRU()
        self._socket: Any = None
        self.bolt = self._build_bolt()
        self.push = Pusher(
            self.config, self._client, self.installations, self.session, self._dm_channels
        )
        self.workspaces = Workspaces(self.push)
        self._register()
        core.attach(self)

    # -- wiring ---------------------------------------------------------------------------

    def _client(self, token: str | None, *, for_delivery: bool = False) -> AsyncWebClient:
        return AsyncWebClient(
            token=token,
            base_url=self.config.api_url,
            session=self.session,
            retry_handlers=delivery_handlers() if for_delivery else interactive_handlers(),
            logger=API_LOG,
        )

    def _build_bolt(self) -> AsyncApp:
        common: dict[str, Any] = {
            "name": "offerbound",
            "logger": logging.getLogger("offerbound.slack.bolt"),
            "signing_secret": self.config.signing_secret,
            "client": self.client,
            "process_before_response": True,  # we ack first ourselves, then work in the background
            "before_authorize": self._once_per_event,
            "user_facing_authorize_error_message": NOT_INSTALLED_MESSAGE,
        }
        if not self.config.oauth:
            return _Bolt(self._dispatched, **common)
        from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
        from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
        from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

        from adapters.slack.installations import REFRESH_MINUTES, Installations
        from storage.secrets import SecretBox

        assert self.config.client_id and self.config.client_secret
        self.installations = Installations(
            client_id=self.config.client_id,
            client_secret=self.config.client_secret,
            engine=self.core.engine,
            box=SecretBox.from_setting(self.config.secret_key),
            client=self.client,
        )
        oauth = AsyncOAuthSettings(
            client_id=self.config.client_id,
            client_secret=self.config.client_secret,
            scopes=list(BOT_SCOPES),
            installation_store=self.installations,
            state_store=AsyncSQLAlchemyOAuthStateStore(
                expiration_seconds=600, engine=self.core.engine
            ),
            authorization_url=self.config.authorization_url,
        )
        # The cache keeps auth.test to once per token instead of once per request. The store
        # hands out refreshed tokens already; bolt's rotator (same window) only stands by.
        authorize = AsyncInstallationStoreAuthorize(
            logger=common["logger"],
            installation_store=self.installations,
            client_id=self.config.client_id,
            client_secret=self.config.client_secret,
            token_rotation_expiration_minutes=REFRESH_MINUTES,
            cache_enabled=True,
            client=self.client,
        )
        return _Bolt(self._dispatched, **common, oauth_settings=oauth, authorize=authorize)

    def _register(self) -> None:
        for slash in self.config.commands:
            self.bolt.command(slash.name)(self._on_command)
        self.bolt.action(re.compile(rf"^{RUN_ACTION}_\d+$"))(self._on_button)
        self.bolt.view_submission(FORM_CALLBACK)(self._on_submit)
        self.bolt.block_suggestion("value")(self._on_suggestion)
        self.bolt.event("app_home_opened")(self._on_home_opened)
        self.bolt.event("message")(self._on_message)
        if self.config.oauth:
            self.bolt.enable_token_revocation_listeners()
        else:
            self.bolt.event("app_uninstalled")(self._ignore)
            self.bolt.event("tokens_revoked")(self._ignore)
        # Last, so they only take what nothing above did: Slack wants every event and action
        # acknowledged (an unanswered event is delivered again, an unanswered button shows a
        # warning), and a form that is not ours gets a clear answer instead of a 404.
        self.bolt.command(re.compile(".*"))(self._on_unknown_command)
        self.bolt.view_submission(re.compile(".*"))(self._on_unknown_view)
        self.bolt.action(re.compile(".*"))(self._ignore)
        self.bolt.event(re.compile(".*"))(self._ignore)

    # -- lifecycle ------------------------------------------------------------------------

    def routes(self) -> list[web.RouteDef]:
        """Slack's requests (HTTP mode) and the OAuth install and redirect pages."""

        async def events(request: web.Request) -> web.StreamResponse:
            body = await request.text()
            problem = parse_problem(body, request.content_type)
            if problem is None:
                try:
                    bolt_request = await to_bolt_request(request)
                except (AttributeError, TypeError, KeyError, ValueError):
                    problem = "a field has a type Slack never sends"
            if problem is not None:  # Bolt would raise while reading it: answered here
                if not signed(self.config.signing_secret, body, request.headers):
                    return web.Response(status=401)
                log.warning("malformed Slack request: %s", problem)
                if is_event_body(body):  # acknowledged, or Slack delivers it again
                    return web.Response(status=200)
                return web.Response(status=400, text=f"Offerbound can't read this: {problem}.")
            response = await self.bolt.async_dispatch(bolt_request)
            return await to_aiohttp_response(response)

        found = [] if self.config.socket_mode else [web.post(EVENTS_PATH, events)]
        flow = self.bolt.oauth_flow
        if flow is not None:

            async def install(request: web.Request) -> web.StreamResponse:
                return await to_aiohttp_response(
                    await flow.handle_installation(await to_bolt_request(request))
                )

            async def redirect(request: web.Request) -> web.StreamResponse:
                return await to_aiohttp_response(
                    await flow.handle_callback(await to_bolt_request(request))
                )

            found += [
                web.get(flow.install_path, install),
                web.get(flow.redirect_uri_path, redirect),
            ]
        return found

    def describe(self, port: int | None) -> str:
        mode = "Socket Mode" if self.config.socket_mode else f"HTTP on {EVENTS_PATH}"
        install = " · install at /slack/install" if self.config.oauth else ""
        return f"Offerbound on Slack: {mode}, port {port} (GET /healthz){install}"

    async def wait_closed(self) -> None:
        """Slack never ends the conversation by itself: this waits until the runtime stops."""
        await asyncio.Event().wait()

    def connected(self) -> bool:
        """Ready for Slack: HTTP mode always (Slack calls us); Socket Mode once the socket is up."""
        if not self.config.socket_mode:
            return True
        client = getattr(self._socket, "client", None)
        return bool(client is not None and not getattr(client, "closed", False))

    async def start(self) -> None:
        """Open the Socket Mode connection when an app token is configured (HTTP needs nothing)."""
        if self.config.socket_mode and self._socket is None:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(
                self.bolt, self.config.app_token, web_client=self.client
            )
            await self._socket.connect_async()

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop taking requests, let replies in flight finish, then close connections."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        await self.drain(timeout)
        for task in list(self._tasks):
            task.cancel()
        if self._own_session and not self.session.closed:
            await self.session.close()

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until every background reply has been sent (tests use this to stay exact)."""
        while self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
            if pending:
                return

    def _spawn(self, work: Coroutine[Any, Any, Any], event: _EventWork | None = None) -> None:
        """Run ``work`` in the background; for an Events API event, the event counts as
        handled once ``work`` finished (``_once_per_event``)."""
        if event is not None:
            event.pending += 1
            work = self._tracked(work, event)
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.errors.append(task.exception())  # type: ignore[arg-type]
            log.error("Slack reply failed", exc_info=task.exception())

    # -- Bolt listeners -------------------------------------------------------------------

    async def _once_per_event(
        self, body: Mapping[str, Any], context: Any, next: Any
    ) -> BoltResponse | None:
        """Handle each Events API event once, however often Slack delivers it, and only count it
        handled once its handler finished: a crash or an error in between leaves it for Slack's
        next retry. A retry that arrives while the event is still being handled is answered
        503, so Slack tries again later (when it is done, or failed and released)."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id:
            await next()
            return None
        match await self.events.claim(str(event_id)):
            case Claim.DONE:
                log.info("event %s was already handled; ignoring the retry", event_id)
                return BoltResponse(status=200, body="")
            case Claim.IN_FLIGHT:
                log.info("event %s is still being handled; Slack will retry later", event_id)
                return BoltResponse(status=503, body="still being handled")
        context[EVENT_WORK] = _EventWork(str(event_id))
        await next()
        return None

    async def _dispatched(self, context: Mapping[str, Any], response: BoltResponse) -> None:
        """After Bolt answered a request: an event whose listener spawned no work is done now
        (or released, when Bolt could not handle it)."""
        event = context.get(EVENT_WORK)
        if isinstance(event, _EventWork) and not event.pending:
            await self._settle(event, handled=200 <= response.status < 300)

    async def _tracked(self, work: Coroutine[Any, Any, Any], event: _EventWork) -> Any:
        try:
            result = await work
        except BaseException:
            await self._settle(event, handled=False)
            raise
        event.pending -= 1
        if not event.pending:
            await self._settle(event, handled=True)
        return result

    async def _settle(self, event: _EventWork, *, handled: bool) -> None:
        """Mark the event done, or release it for Slack's next retry (once per event)."""
        if event.settled:
            return
        event.settled = True
        try:
            if handled:
                await self.events.done(event.event_id)
            else:
                await self.events.release(event.event_id)
        except Exception:  # a retry then waits for the claim's lease to run out
            log.exception("could not record event %s as %s", event.event_id, handled)

    async def _ignore(self, ack: Any) -> None:
        await ack()

    async def _on_unknown_command(self, ack: Any, command: Mapping[str, Any]) -> None:
        """A slash command Slack sends but this app was not configured with (the manifest and
        OFFERBOUND_SLACK_COMMAND or _ALIASES disagree): the member is told which ones work."""
        name = re.sub(r"[^\w/-]", "", str(command.get("command")))[:40]
        log.warning("slash command %r is not configured", name)
        known = ", ".join(f"`{c}`" for c in self._slash)
        await ack(text=f"⚠️ Offerbound doesn't answer `{name}` here. Try {known}.")

    async def _on_unknown_view(self, ack: Any, view: Mapping[str, Any]) -> None:
        """A form submitted with a callback id this app never gives its modals."""
        log.warning("submission of an unknown form %r", str(view.get("callback_id"))[:100])
        await ack(response_action="update", view=notice_modal(UNKNOWN_FORM))

    async def _on_command(
        self, ack: Any, body: Mapping[str, Any], context: Any, client: AsyncWebClient
    ) -> None:
        await ack()
        slash: SlashCommand = self._slash[body["command"]]
        actor = Actor(
            tenant_id=self._tenant(context, body),
            tenant_name=str(body.get("team_domain") or ""),
            user_id=body["user_id"],
            user_name=str(body.get("user_name") or ""),
            channel_id=str(body.get("channel_id") or ""),
        )
        dest = Destination(actor.user_id, actor.channel_id, response_url=body.get("response_url"))
        line = slash.line(from_slack(str(body.get("text") or "")))
        self._spawn(self._run_line(client, actor, line, dest, body.get("trigger_id")))

    async def _on_button(
        self,
        ack: Any,
        body: Mapping[str, Any],
        action: Mapping[str, Any],
        context: Any,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id", ""
        )
        actor = self._interaction_actor(context, body, channel)
        dest = Destination(actor.user_id, actor.channel_id, response_url=body.get("response_url"))
        line = str(action.get("value") or "")
        self._spawn(self._run_line(client, actor, line, dest, body.get("trigger_id")))

    async def _on_submit(
        self,
        ack: Any,
        body: Mapping[str, Any],
        view: Mapping[str, Any],
        context: Any,
        client: AsyncWebClient,
    ) -> None:
        meta = metadata(view)
        keys = input_keys(view)
        answers = read_answers(obj(view.get("state")).get("values"))
        problem = _unreadable_submission(meta, answers)
        if problem is not None:
            log.warning("unreadable modal submission: %s", problem)
            if keys:  # on the fields it concerns, or the first one
                named = [k for k in answers.unreadable if k in keys] or keys[:1]
                await ack(response_action="errors", errors=dict.fromkeys(named, problem))
            else:
                await ack(response_action="update", view=notice_modal(problem))
            return
        actor = self._interaction_actor(context, body, meta.get("ch", ""))
        invocation = self._invocation(actor, command=meta["c"], options=answers.options)
        work = asyncio.ensure_future(self.core.handle(invocation))
        done, _ = await asyncio.wait({work}, timeout=SUBMIT_BUDGET_SECONDS)
        dest = Destination(actor.user_id, actor.channel_id)
        if not done:  # slow: close the modal now, answer with a message when the core is done
            await ack()
            self._spawn(self._answer_later(client, actor, work, dest))
            return
        reply = work.result()
        forms = reply.forms()
        if forms:
            next_form = render_modal(forms[0], {**meta, "c": forms[0].submit_command})
            await ack(response_action="update", view=next_form)
            return
        if not reply.ok:
            if not keys:  # nowhere to put the error: the modal itself says it
                await ack(response_action="update", view=notice_modal(reply.plain_text()))
                return
            await ack(response_action="errors", errors=field_errors(reply, keys))
            return
        await ack()
        self._spawn(self._answer(client, actor, reply, dest))

    async def _on_suggestion(
        self, ack: Any, body: Mapping[str, Any], payload: Mapping[str, Any], context: Any
    ) -> None:
        """Options for a picker in one of our modals: the core's suggestions for that field."""
        meta = metadata(obj(body.get("view")))
        block_id, typed = payload.get("block_id"), payload.get("value")
        if not meta.get("c") or not isinstance(block_id, str) or not isinstance(typed, str | None):
            log.warning("unreadable options request for %r", block_id)
            await ack(options=[])
            return
        actor = self._interaction_actor(context, body, meta.get("ch", ""))
        pairs = await self.core.suggest(self._invocation(actor), meta["c"], block_id, typed or "")
        await ack(options=[_option(label, value) for label, value in pairs[:MAX_OPTIONS]])

    async def _on_home_opened(
        self,
        ack: Any,
        event: Mapping[str, Any],
        body: Mapping[str, Any],
        context: Any,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        if event.get("tab") != "home" or not event.get("user"):
            return
        tenant = self._tenant(context, body)
        self._home_viewers[(tenant, event["user"])] = True
        if str(event.get("channel") or "").startswith("D"):  # the bot's DM: no need to open it
            self._dm_channels[(tenant, event["user"])] = event["channel"]
        self._spawn(self._publish_home(client, tenant, event["user"]), context.get(EVENT_WORK))

    async def _on_message(
        self,
        ack: Any,
        event: Mapping[str, Any],
        body: Mapping[str, Any],
        context: Any,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        subtype = event.get("subtype")
        if event.get("channel_type") != "im" or subtype not in (None, "file_share"):
            return
        if event.get("bot_id"):
            return
        line = self._dm_line(from_slack(str(event.get("text") or "")))
        if not line or not event.get("user"):
            return
        self._spawn(
            self._on_dm(client, self._tenant(context, body), event, line), context.get(EVENT_WORK)
        )

    # -- the work behind the acknowledgements ---------------------------------------------

    async def _run_line(
        self,
        client: AsyncWebClient,
        actor: Actor,
        line: str,
        dest: Destination,
        trigger_id: str | None,
    ) -> None:
        """Run a typed command line; a command typed bare that needs arguments opens its form."""
        if actor.user_name:
            self._names[actor.key] = actor.user_name
        form = self._bare_command_form(line)
        if form is not None:
            if trigger_id and await self._open_modal(client, trigger_id, form, actor):
                return
            reply = Reply.of(form)
        else:
            reply = await self.core.handle(self._invocation(actor, text=line))
        forms = reply.forms()
        if forms and trigger_id and await self._open_modal(client, trigger_id, forms[0], actor):
            reply = replace(reply, blocks=tuple(b for b in reply.blocks if b is not forms[0]))
        await self._answer(client, actor, reply, dest)

    async def _answer(
        self, client: AsyncWebClient, actor: Actor, reply: Reply, dest: Destination
    ) -> None:
        await self._sender(client, actor.tenant_id).send(reply, dest)
        if reply.ok and actor.key in self._home_viewers:
            await self._publish_home(client, actor.tenant_id, actor.user_id)

    async def _answer_later(
        self,
        client: AsyncWebClient,
        actor: Actor,
        work: asyncio.Future[Reply],
        dest: Destination,
    ) -> None:
        await self._answer(client, actor, await work, dest)

    async def _on_dm(
        self, client: AsyncWebClient, tenant: str, event: Mapping[str, Any], line: str
    ) -> None:
        user = str(event["user"])
        name = await self._user_name(client, tenant, user)
        actor = Actor(tenant, user, name, str(event.get("channel") or ""))
        self._dm_channels[actor.key] = actor.channel_id
        dest = Destination(user, actor.channel_id, own_dm=True)
        try:
            files = await self._downloads(client, event.get("files") or [])
        except DownloadRefused as exc:
            refused = t(
                "⚠️ Slack didn't hand over {name}: Offerbound needs the `files:read` permission "
                "to read an upload. Ask a workspace admin to reinstall the app from the current "
                "manifest (`offerbound slack manifest`), then upload the file again.",
                name=str(exc),
            )
            await self._answer(client, actor, Reply.error(refused), dest)
            return
        if files:  # a tracker uploaded with "import tracker": no form, run it with the file
            reply = await self.core.handle(self._invocation(actor, text=line, attachments=files))
            await self._answer(client, actor, reply, dest)
            return
        await self._run_line(client, actor, line, dest, None)

    async def _downloads(self, client: AsyncWebClient, files: object) -> tuple[Attachment, ...]:
        """The first file shared with a DM command, downloaded with the bot token (capped).

        ``files`` is read as Slack sends it (a list of file objects); anything else is no file,
        and a size that is not a number counts as over the cap, so it is never downloaded.
        """
        shared = [f for f in files if isinstance(f, Mapping)] if isinstance(files, list) else []
        for meta in shared[:1]:
            name = str(meta.get("name") or "upload")
            size = meta.get("size") or 0
            if not isinstance(size, int) or isinstance(size, bool):
                size = MAX_ATTACHMENT_BYTES + 1
            url = str(meta.get("url_private_download") or meta.get("url_private") or "")
            if size > MAX_ATTACHMENT_BYTES or not url:
                return (Attachment(name, b"", size),)
            headers = {"Authorization": f"Bearer {client.token}"}
            async with self.session.get(url, headers=headers) as response:
                # Without files:read Slack answers 200 with its HTML sign-in page, not the file.
                if response.status != 200 or response.content_type == "text/html":
                    log.warning(
                        "Slack refused the download of %s (HTTP %s, %s)",
                        name,
                        response.status,
                        response.content_type,
                    )
                    raise DownloadRefused(name)
                content = await response.content.read(MAX_ATTACHMENT_BYTES + 1)
            return (Attachment(name, content, size),)
        return ()

    async def _publish_home(self, client: AsyncWebClient, tenant: str, user: str) -> None:
        """Show the member's dashboard on the App Home tab."""
        actor = Actor(tenant, user, await self._user_name(client, tenant, user))
        reply = await self.core.handle(self._invocation(actor, command="dashboard"))
        await client.views_publish(user_id=user, view=render_home(reply))

    async def _open_modal(
        self, client: AsyncWebClient, trigger_id: str, form: Form, actor: Actor
    ) -> bool:
        view = render_modal(form, {"c": form.submit_command, "ch": actor.channel_id})
        try:
            await client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as exc:
            log.warning("could not open the %s modal: %s", form.form_id, exc.response.get("error"))
            return False
        return True

    def _bare_command_form(self, line: str) -> Form | None:
        try:
            command, rest = self.core.registry.resolve(tokenize(line))
        except UserError:
            return None
        return command_form(command) if wants_form(command, rest) else None

    # -- helpers --------------------------------------------------------------------------

    def _invocation(
        self,
        actor: Actor,
        *,
        text: str | None = None,
        command: str | None = None,
        options: Mapping[str, str] | None = None,
        attachments: tuple[Attachment, ...] = (),
    ) -> Invocation:
        return Invocation(
            platform=PLATFORM,
            tenant_id=actor.tenant_id,
            user_id=actor.user_id,
            user_name=actor.user_name,
            channel_id=actor.channel_id,
            text=text,
            command=command,
            options=dict(options or {}),
            tenant_name=actor.tenant_name,
            is_direct_message=actor.is_dm,
            attachments=attachments,
            capabilities=self.capabilities,
        )

    @staticmethod
    def _tenant(context: Any, body: Mapping[str, Any]) -> str:
        """The workspace, as ``T123``, or ``E123:T123`` on Enterprise Grid."""
        team = (
            context.team_id
            or (body.get("user") or {}).get("team_id")
            or body.get("team_id")
            or (body.get("team") or {}).get("id")
            or ""
        )
        return f"{context.enterprise_id}:{team}" if context.enterprise_id else str(team)

    def _interaction_actor(self, context: Any, body: Mapping[str, Any], channel: str) -> Actor:
        user = body.get("user") or {}
        return Actor(
            tenant_id=self._tenant(context, body),
            tenant_name=str((body.get("team") or {}).get("domain") or ""),
            user_id=str(user.get("id") or ""),
            user_name=str(user.get("username") or user.get("name") or ""),
            channel_id=str(channel or ""),
        )

    def _dm_line(self, text: str) -> str:
        """A DM typed without the slash: ``apply Acme Dev``, ``ob apply ...`` or ``/apply ...``."""
        text = _BOT_MENTION.sub("", text).strip()
        first, _, rest = text.partition(" ")
        slash = self._slash.get("/" + first.lstrip("/").lower())
        return slash.line(rest) if slash is not None else text

    async def _user_name(self, client: AsyncWebClient, tenant: str, user: str) -> str:
        """The Slack handle of ``user`` (events carry only ids); empty when Slack won't say."""
        if (tenant, user) not in self._names:
            try:
                response = await client.users_info(user=user)
                self._names[(tenant, user)] = str(response["user"].get("name") or "")
            except (SlackApiError, KeyError) as exc:
                log.info("users.info failed for %s: %s", user, exc)
                return ""
        return str(self._names[(tenant, user)])

    def _sender(self, client: AsyncWebClient, tenant: str) -> Sender:
        return Sender(client, self.session, self._dm_channels, tenant)

    # -- messages outside any request: the platform port --------------------------------------

    async def send(self, target: Target, reply: Reply, key: str) -> Outcome:
        """Send a message the bot writes on its own once (a form becomes a button that opens
        it: Slack opens modals only from a click), and say what happened."""
        return await self.push.send(target, reply, key)

    async def was_delivered(self, target: Target, key: str) -> bool | None:
        """Did a message carrying ``key`` arrive (looked up in the conversation's history)?"""
        return await self.push.was_delivered(target, key)

    async def check_channel(self, tenant_id: str, channel_id: str) -> str | None:
        """Can the bot post in ``channel_id`` of this workspace? (``conversations.info``)"""
        return await self.workspaces.check_channel(tenant_id, channel_id)

    async def standing(self, tenant_id: str, user_id: str, groups: frozenset[str]) -> Standing:
        """Admin or owner of the workspace, and which of the user groups ``groups``."""
        return await self.workspaces.standing(tenant_id, user_id, groups)


MAX_OPTIONS = 100  # an external select shows at most 100 options


def _option(label: str, value: str) -> dict[str, Any]:
    """A select option: Slack caps the text at 75 characters and the value at 150."""
    text = label if len(label) <= 75 else label[:74] + "…"
    return {"text": {"type": "plain_text", "text": text}, "value": value[:150]}


def _unreadable_submission(meta: Mapping[str, str], answers: Answers) -> str | None:
    """Why a submitted modal cannot be run (Slack never sends such a submission; a stale or
    tampered one can arrive), or None: the form's command is lost, or answers are unreadable."""
    if not meta.get("c"):
        return UNKNOWN_FORM
    if answers.garbled:
        return "Offerbound couldn't read this form's answers. Close it and run the command again."
    if answers.unreadable:
        return "Offerbound couldn't read this answer. Type or pick it again."
    return None


__all__ = ["Actor", "SlackAdapter"]
