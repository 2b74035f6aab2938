"""The four charts as pure functions of plain data, so tests can check what was drawn.

Only matplotlib's object API is used (``Figure`` + the Agg canvas, never ``pyplot``): no display,
no global state, safe to run in a worker thread. Colours are the Okabe-Ito palette, which stays
distinguishable with every common form of colour blindness; every chart has a title, axis labels
and a legend where more than one series is shown.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
TARGET_COLOUR = "#000000"
PLAN_COLOUR = "#999999"
WIDTH_PX, HEIGHT_PX, DPI = 1200, 700, 100
_LOCK = threading.Lock()  # matplotlib's font cache is shared; draw one chart at a time


@dataclass(frozen=True)
class WeekChart:
    """A member's week: counts against targets, and hours per category against the plan."""

    title: str
    counts: tuple[tuple[str, int, int], ...]  # (label, done, target)
    categories: tuple[str, ...]
    actual_hours: tuple[float, ...]
    planned_hours: tuple[float, ...]


@dataclass(frozen=True)
class TrendChart:
    """Eight weeks: hours per category stacked against the hours target; apps and outreach."""

    title: str
    weeks: tuple[str, ...]
    categories: tuple[str, ...]
    hours: tuple[tuple[float, ...], ...]  # per category, per week
    hours_target: float
    applications: tuple[int, ...]
    outreach: tuple[int, ...]
    applications_target: int
    outreach_target: int


@dataclass(frozen=True)
class CohortChart:
    """A cohort's weekly totals, each against the target times the number of members."""

    title: str
    weeks: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...], int], ...]  # (label, per week, cohort target)


@dataclass(frozen=True)
class FunnelChart:
    """Applications by stage."""

    title: str
    stages: tuple[str, ...]
    counts: tuple[int, ...]


def _whole_numbers(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _figure() -> Figure:
    import matplotlib
    from matplotlib.figure import Figure

    # Names and labels are people's text, never TeX: "$5k$ stipend" must not be parsed as math
    # (a stray "$" would otherwise break the whole chart).
    matplotlib.rcParams["text.parse_math"] = False
    return Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")


def to_png(figure: Figure) -> bytes:
    """Render with the Agg canvas (no display needed) to PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    with _LOCK:
        FigureCanvasAgg(figure).print_png(buffer)  # type: ignore[no-untyped-call]
    return buffer.getvalue()


def week_figure(data: WeekChart) -> Figure:
    figure = _figure()
    figure.suptitle(data.title, fontsize=16, fontweight="bold")
    left, right = figure.subplots(1, 2, width_ratios=(2, 3))
    labels = [label for label, _, _ in data.counts]
    done = [d for _, d, _ in data.counts]
    targets = [t for _, _, t in data.counts]
    xs = range(len(labels))
    bars = left.bar(xs, done, color=OKABE_ITO[4], label="Done")
    left.hlines(
        targets,
        [x - 0.45 for x in xs],
        [x + 0.45 for x in xs],
        colors=TARGET_COLOUR,
        linestyles="--",
        linewidths=2,
        label="Target",
        zorder=3,
    )
    left.bar_label(bars, padding=3)
    left.set_xticks(list(xs), labels)
    left.set_ylabel("Count this week")
    _whole_numbers(left.yaxis)
    left.set_title("Against the weekly targets")
    left.set_ylim(0, max([*done, *targets, 1]) * 1.2)
    left.legend(loc="upper right")
    ys = range(len(data.categories))
    height = 0.4
    right.barh(
        [y + height / 2 for y in ys], data.planned_hours, height, color=PLAN_COLOUR, label="Planned"
    )
    actual = right.barh(
        [y - height / 2 for y in ys], data.actual_hours, height, color=OKABE_ITO[0], label="Done"
    )
    right.bar_label(
        actual, labels=[f"{round(h, 1):g} h" if h else "" for h in data.actual_hours], padding=3
    )
    right.set_yticks(list(ys), data.categories)
    right.invert_yaxis()
    right.set_xlabel("Hours")
    right.set_title("Hours by category: done and planned")
    right.set_xlim(0, max([*data.actual_hours, *data.planned_hours, 1]) * 1.25)
    right.legend(loc="lower right")
    return figure


def trend_figure(data: TrendChart) -> Figure:
    figure = _figure()
    figure.suptitle(data.title, fontsize=16, fontweight="bold")
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    xs = list(range(len(data.weeks)))
    base = [0.0] * len(xs)
    for i, (category, values) in enumerate(zip(data.categories, data.hours, strict=True)):
        top.bar(xs, values, bottom=base, color=OKABE_ITO[i % len(OKABE_ITO)], label=category)
        base = [b + v for b, v in zip(base, values, strict=True)]
    top.axhline(
        data.hours_target,
        color=TARGET_COLOUR,
        linestyle="--",
        label=f"Target {data.hours_target:g} h",
    )
    top.set_ylabel("Hours")
    top.set_title("Hours per week by category")
    top.set_ylim(0, max([*base, data.hours_target, 1]) * 1.15)
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    bottom.plot(xs, data.applications, marker="o", color=OKABE_ITO[4], label="Applications")
    bottom.plot(xs, data.outreach, marker="s", color=OKABE_ITO[5], label="Outreach")
    same = data.outreach_target == data.applications_target
    bottom.axhline(
        data.applications_target,
        color=TARGET_COLOUR if same else OKABE_ITO[4],
        linestyle=":",
        label=f"Target {data.applications_target} each"
        if same
        else f"Applications target {data.applications_target}",
    )
    if not same:
        bottom.axhline(
            data.outreach_target,
            color=OKABE_ITO[5],
            linestyle=":",
            label=f"Outreach target {data.outreach_target}",
        )
    bottom.set_ylabel("Per week")
    _whole_numbers(bottom.yaxis)
    bottom.set_title("Applications and outreach")
    bottom.set_ylim(
        0,
        max([*data.applications, *data.outreach, data.applications_target, data.outreach_target, 1])
        * 1.2,
    )
    bottom.set_xticks(xs, data.weeks)
    bottom.set_xlabel("Week (Monday to Sunday)")
    bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return figure


def cohort_figure(data: CohortChart) -> Figure:
    figure = _figure()
    figure.suptitle(data.title, fontsize=16, fontweight="bold")
    axes = figure.subplots(1, len(data.series), sharex=True)
    xs = list(range(len(data.weeks)))
    colours = (OKABE_ITO[4], OKABE_ITO[5], OKABE_ITO[2])
    for i, (axis, (label, values, target)) in enumerate(zip(axes, data.series, strict=True)):
        bars = axis.bar(xs, values, color=colours[i % len(colours)], label=label)
        axis.bar_label(bars, padding=2, fontsize="small")
        axis.axhline(target, color=TARGET_COLOUR, linestyle="--", label=f"Cohort target {target}")
        axis.set_title(label)
        axis.set_xticks(xs, data.weeks, rotation=45, ha="right")
        axis.set_ylim(0, max([*values, target, 1]) * 1.2)
        axis.set_xlabel("Week")
        _whole_numbers(axis.yaxis)
        axis.legend(loc="upper left", fontsize="small")
    axes[0].set_ylabel("Cohort total per week")
    return figure


FUNNEL_GROUPS = {"In progress": OKABE_ITO[4], "Offer": OKABE_ITO[2], "Closed": PLAN_COLOUR}


def _stage_colour(stage: str) -> str:
    if stage in ("offer", "accepted"):
        return FUNNEL_GROUPS["Offer"]
    if stage in ("rejected", "withdrawn"):
        return FUNNEL_GROUPS["Closed"]
    return FUNNEL_GROUPS["In progress"]


def funnel_figure(data: FunnelChart) -> Figure:
    figure = _figure()
    axis = figure.subplots()
    ys = list(range(len(data.stages)))
    bars = axis.barh(ys, data.counts, color=[_stage_colour(s) for s in data.stages])
    for label, colour in FUNNEL_GROUPS.items():
        axis.barh([0], [0], color=colour, label=label)  # legend entries only
    axis.legend(loc="lower right")
    axis.bar_label(bars, padding=3)
    axis.set_yticks(ys, data.stages)
    axis.invert_yaxis()
    axis.set_xlabel("Applications")
    _whole_numbers(axis.xaxis)
    axis.set_ylabel("Stage")
    axis.set_title(data.title, fontsize=16, fontweight="bold")
    axis.set_xlim(0, max([*data.counts, 1]) * 1.15)
    return figure
