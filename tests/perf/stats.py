"""Small helpers for benchmarks: percentiles and Markdown tables."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(samples: Sequence[float], p: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary_ms(samples: Sequence[float]) -> tuple[str, str, str]:
    """p50, p99 and mean of ``samples`` (seconds) as millisecond strings."""
    return (
        f"{percentile(samples, 50) * 1000:.1f}",
        f"{percentile(samples, 99) * 1000:.1f}",
        f"{statistics.fmean(samples) * 1000:.1f}",
    )


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
