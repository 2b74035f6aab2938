"""Prometheus metrics for one app: commands by name and outcome, latency, outbox and deliveries.

Each App owns its own registry (no process-global state), so tests can build many apps.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST as CONTENT_TYPE_LATEST
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The counters the core, the delivery worker and the adapters update."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.commands = Counter(
            "offerbound_commands",
            "Commands handled, by command and outcome "
            "(ok, rejected: the user's input or role, error: our fault)",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "offerbound_command_seconds",
            "Time to handle a command, parsing to reply",
            ["command"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.deliveries = Counter(
            "offerbound_deliveries",
            "Outbox rows finished, by platform and status",
            ["platform", "status"],
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "offerbound_rate_limited",
            "429 / Retry-After answers received, by platform",
            ["platform"],
            registry=self.registry,
        )
        self.throttled = Counter(
            "offerbound_throttled_commands",
            "Commands refused for coming too fast, by command and limit (member, workspace)",
            ["command", "scope"],
            registry=self.registry,
        )
        self.waiting = Gauge(
            "offerbound_commands_waiting",
            "Commands waiting for a database slot (more arrived at once than the pool serves)",
            registry=self.registry,
        )
        self.outbox_depth = Gauge(
            "offerbound_outbox_depth",
            "Prompts waiting to be sent (pending or being sent)",
            registry=self.registry,
        )
        self.outbox_age = Gauge(
            "offerbound_outbox_oldest_seconds",
            "Age of the oldest due prompt not yet sent",
            registry=self.registry,
        )

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)
