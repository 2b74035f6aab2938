"""Charts are drawn in worker threads, at most two at once per process (issue 13: chart
rendering is bounded), so a burst of /chart commands cannot take every core."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from bot.charts.figures import FunnelChart, funnel_figure
from bot.commands.charts import _png

FUNNEL = FunnelChart("Funnel", ("applied", "interview", "offer"), (12, 3, 1))


async def test_a_burst_of_charts_draws_two_at_a_time() -> None:
    lock = threading.Lock()
    drawing, most = 0, 0

    def build(data: FunnelChart) -> Any:
        nonlocal drawing, most
        with lock:
            drawing += 1
            most = max(most, drawing)
        time.sleep(0.05)  # a slow draw, so the burst overlaps
        with lock:
            drawing -= 1
        return funnel_figure(data)

    pngs = await asyncio.gather(*(_png(build, FUNNEL) for _ in range(8)))
    assert most == 2
    assert all(p.startswith(b"\x89PNG") for p in pngs)
