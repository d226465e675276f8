"""What every figure of a run shares: its colours, labels and titles, the grid of panels and
the styling of its axes (also used by :mod:`sim.compare` and :mod:`sim.sweep`)."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim import labels
from sim.outcomes import SERIES, Outcome

#: Colours that stay the same in every figure, so "south" is always the same blue.
DECISION_COLOURS: dict[str, str] = {
    "south": "#1f5f9f",
    "north": "#b8322a",
    "both": "#7b4fa0",
    "none": "#8a8a8a",
    "hold": "#8a8a8a",
}
#: Colours for scenarios in comparison figures (first = baseline).
SCENARIO_COLOURS: tuple[str, ...] = (
    "#1f5f9f", "#d0781c", "#2e8b57", "#b8322a", "#7b4fa0", "#8c564b", "#c2549d", "#555555",
)
#: Colours of other categories, by their place in the label table's order.
CATEGORY_COLOURS: tuple[str, ...] = (
    "#5b7f95", "#d0781c", "#2e8b57", "#8c564b", "#c2549d", "#555555", "#bcbd22",
)
#: Readable names of the monthly series (from :mod:`sim.labels`).
SERIES_LABELS: dict[str, str] = {name: labels.title(name) for name in SERIES}
#: Line styles for scenarios in comparison figures, so coinciding curves stay visible.
SCENARIO_LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":")
#: The most lines a figure's label (scenario, replications, seed) may take under its title.
_LABEL_LINES = 3


def scenario_colour(i: int) -> str:
    """The colour of the ``i``-th scenario (or line) of a figure, cycling through the palette."""
    return SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]


def scenario_linestyle(i: int) -> str:
    """The line style of the ``i``-th scenario, cycling, so coinciding curves stay visible."""
    return SCENARIO_LINESTYLES[i % len(SCENARIO_LINESTYLES)]


def run_label(results: Any) -> str:
    """'historical · 1,000 replications · seed 1': the line every figure carries."""
    name = getattr(getattr(results, "scenario", None), "name", None) or "scenario"
    n = int(getattr(results, "n", 0) or len(next(iter(results.outcomes.values()), [])))
    manifest = getattr(results, "manifest", None) or {}
    seed = manifest.get("seed")
    parts = [str(name), f"{n:,} replications"]
    if seed is not None:
        parts.append(f"seed {seed}")
    return " · ".join(parts)


def category_colour(outcome: str, code: str) -> str:
    """The colour of category ``code``: the decision's own colours for policies ("south" is
    the same blue in every figure), else a colour by the code's place in the outcome's order."""
    if code in DECISION_COLOURS and outcome in ("decision", *CONFERENCE_OUTCOMES):
        return DECISION_COLOURS[code]
    known = [c for c, _ in labels.label(outcome).categories]
    index = known.index(code) if code in known else len(known)
    return CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)]


#: The outcomes that hold the policy chosen at each conference, in date order.
CONFERENCE_OUTCOMES: tuple[str, ...] = tuple(f"conference_{k}_choice" for k in range(1, 5))


def outcome_title(outcome: Outcome, width: int = 44) -> str:
    """The outcome's title (:mod:`sim.labels`) wrapped for a panel title."""
    return "\n".join(textwrap.wrap(labels.title(outcome.name), width)) or outcome.name


def axis_label(outcome: Outcome | str) -> str:
    """Axis label: the outcome's (or series') title and its unit."""
    return labels.axis_label(outcome if isinstance(outcome, str) else outcome.name)


def unit_label(outcome: Outcome | str) -> str:
    """The axis label of a panel whose title names the quantity: its unit alone ('men',
    'million bbl'); empty for dates, whose axis shows that it is one."""
    name = outcome if isinstance(outcome, str) else outcome.name
    return labels.unit(name)


def date_axis(ax: Axes, axis: str = "x") -> None:
    """Readable dates on a time axis (concise: 1941, Jul, Aug...)."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(locator)
    target.set_major_formatter(mdates.ConciseDateFormatter(locator))


def new_figure(n_panels: int, ncols: int, panel_size: tuple[float, float] = (4.6, 3.0),
               *, fixed_margins: tuple[float, float, float, float] | None = None
               ) -> tuple[Figure, list[Axes]]:
    """A figure with ``n_panels`` axes in a grid; extra cells are removed.

    Small figures use matplotlib's constrained layout.  Big grids pass ``fixed_margins``
    (top, bottom, horizontal gap, vertical gap, in inches): constrained layout measures every
    tick label of every panel and would take most of the drawing time.
    """
    ncols = max(1, min(ncols, n_panels))
    nrows = max(1, math.ceil(n_panels / ncols))
    if fixed_margins is None:
        # at least 8 inches wide, so that the two-line title fits above a single panel
        fig = Figure(figsize=(max(8.0, panel_size[0] * ncols), panel_size[1] * nrows + 0.8),
                     layout="constrained", dpi=100)
        grid = fig.subplots(nrows, ncols, squeeze=False)
    else:
        top, bottom, gap_w, gap_h = fixed_margins
        left = right = 0.75
        width = panel_size[0] * ncols
        height = top + bottom + panel_size[1] * nrows
        fig = Figure(figsize=(width, height), dpi=100)
        axes_w = (width - left - right - (ncols - 1) * gap_w) / ncols
        axes_h = (height - top - bottom - (nrows - 1) * gap_h) / nrows
        grid = fig.subplots(nrows, ncols, squeeze=False, gridspec_kw={
            "left": left / width, "right": 1 - right / width,
            "top": 1 - top / height, "bottom": bottom / height,
            "wspace": gap_w / axes_w, "hspace": gap_h / axes_h})
    axes = [ax for row in grid for ax in row]
    for ax in axes[n_panels:]:
        fig.delaxes(ax)
    return fig, axes[:n_panels]


def fit_text(text: str, width: int, max_lines: int = 1) -> str:
    """``text`` unchanged if it fits on a line of ``width`` characters, else wrapped to at most
    ``max_lines`` lines, the last cut with an ellipsis.  Text a user wrote (a scenario's name,
    an outcome expression) goes through this before it reaches a figure, so that it can never
    stretch the figure (``bbox_inches="tight"`` grows the image to fit every text)."""
    if len(text) <= width and "\n" not in text:
        return text
    return "\n".join(wrapped_lines(text, width, max_lines))


def wrapped_lines(text: str, width: int, max_lines: int) -> list[str]:
    """``text`` wrapped at ``width``, at most ``max_lines`` lines, the last cut with " ..."."""
    # Only the first lines are kept: a prefix this long still wraps to more than max_lines
    # lines when the text is longer, so a huge text costs no more than a short one.
    lines = textwrap.wrap(text[: width * (max_lines + 1)], width, break_on_hyphens=False)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 4].rstrip() + " ..."
    return lines


def set_title(fig: Figure, title: str, results_or_label: Any) -> None:
    """The figure's title in bold, over the run's label (both bounded: they hold user text)."""
    label = results_or_label if isinstance(results_or_label, str) else run_label(results_or_label)
    # about 8.5 bold characters per inch, leaving room for a legend beside the title
    width = max(40, int((fig.get_figwidth() - 1.5) * 8.5))
    lines = wrapped_lines(label, width, _LABEL_LINES)
    text = "\n".join([fit_text(title, width, 2), *lines])
    if fig.get_layout_engine() is None:  # fixed margins: pin the title to the top edge
        fig.suptitle(text, fontsize=12, fontweight="bold", va="top",
                     y=1 - 0.12 / fig.get_figheight())
    else:
        fig.suptitle(text, fontsize=12, fontweight="bold")


def style_axes(ax: Axes) -> None:
    ax.grid(True, alpha=0.3, linewidth=0.6)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=8)
