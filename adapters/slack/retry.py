"""Honour Slack's rate limits: retry a 429 after exactly the Retry-After it asked for.

slack_sdk's own handler adds up to a second of random jitter to every wait; this one scales the
jitter with the wait (none for ``Retry-After: 0``) and gives up beyond a cap, so a caller never
hangs on a long limit and tests stay deterministic.
"""

from __future__ import annotations

import asyncio
import random

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

MAX_WAIT_SECONDS = 30.0


def retry_after(response: HttpResponse | None) -> float | None:
    """The Retry-After a response carries, in seconds, or None."""
    if response is None:
        return None
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                return None
    return None


class RetryAfterHandler(AsyncRetryHandler):
    """Retries rate-limited calls after the wait Slack gave (plus up to 10% jitter)."""

    def __init__(self, max_retry_count: int = 2, max_wait: float = MAX_WAIT_SECONDS) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after(response)
        return wait is None or wait <= self.max_wait

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        wait = retry_after(response)
        wait = 1.0 if wait is None else wait
        state.next_attempt_requested = True
        await asyncio.sleep(wait + random.uniform(0, wait * 0.1))
        state.increment_current_attempt()


def interactive_handlers() -> list[AsyncRetryHandler]:
    """For replies a person is waiting for: retry dropped connections and short rate limits."""
    return [AsyncConnectionErrorRetryHandler(), RetryAfterHandler()]


def delivery_handlers() -> list[AsyncRetryHandler]:
    """For the outbox: no waiting here; a 429 goes back to the worker as "retry later"."""
    return [AsyncConnectionErrorRetryHandler()]
