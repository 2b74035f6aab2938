"""FakeDeliverer: a platform that records every send and can be scripted to fail."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from bot.delivery import Delivered, Outcome, Target
from bot.platform import Capabilities
from bot.replies import Reply


@dataclass
class FakeDeliverer:
    """Records (target, reply, key) per send; ``script`` outcomes are used first, in order."""

    name: str = "console"
    capabilities: Capabilities = field(default_factory=Capabilities)
    script: deque[Outcome | Exception] = field(default_factory=deque)
    sent: list[tuple[Target, Reply, str]] = field(default_factory=list)
    attempts: int = 0
    arrived: set[str] = field(default_factory=set)

    async def send(self, target: Target, reply: Reply, key: str) -> Outcome:
        self.attempts += 1
        if self.script:
            outcome = self.script.popleft()
            if isinstance(outcome, Exception):
                raise outcome
            if not isinstance(outcome, Delivered):
                return outcome
        self.sent.append((target, reply, key))
        self.arrived.add(key)
        return Delivered(ref=f"msg-{len(self.sent)}")

    async def was_delivered(self, target: Target, key: str) -> bool | None:
        return key in self.arrived

    def keys(self, kind: str = "") -> list[str]:
        return [key for _, _, key in self.sent if key.startswith(kind)]
