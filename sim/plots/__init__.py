"""Figures of one Monte Carlo run: decision shares, outcome distributions and fan charts.

Every function returns a :class:`matplotlib.figure.Figure` built directly (no ``pyplot``
state, no global backend switch), so the same code serves the CLI, worker threads and
notebooks: a notebook displays the returned figure inline, the CLI saves it with
:func:`save_figure`.  Each figure carries the scenario name, the number of replications and
the seed, so a PNG that travels alone still says where it came from.

Names, units and category names and order come from :mod:`sim.labels`.  One module per
mechanism: :mod:`.axes` (colours, panels, titles), :mod:`.values` (outcomes as axis numbers),
:mod:`.documented` (the record's values marked), :mod:`.decisions`, :mod:`.histograms`,
:mod:`.events` (key dates), :mod:`.fan_charts` (split by decision), :mod:`.paths` (the path
through the conferences), :mod:`.convergence`, :mod:`.overview` (the one figure ``sim run``
draws), :mod:`.files` (the figures of a run, saved) and :mod:`.notebook`.
"""

from sim.formatting import format_number
from sim.formatting import format_thousands as thousands
from sim.plots.axes import (
    CONFERENCE_OUTCOMES,
    DECISION_COLOURS,
    SCENARIO_COLOURS,
    SCENARIO_LINESTYLES,
    SERIES_LABELS,
    axis_label,
    category_colour,
    date_axis,
    fit_text,
    new_figure,
    outcome_title,
    run_label,
    scenario_colour,
    scenario_linestyle,
    set_title,
    style_axes,
)
from sim.plots.convergence import plot_convergence
from sim.plots.decisions import draw_shares, plot_decisions, present_categories
from sim.plots.documented import documented_outcome, documented_series, mark_documented_value
from sim.plots.events import event_key, key_events, mark_events
from sim.plots.fan_charts import BY_CHOICES, draw_fan, plot_fan_charts
from sim.plots.files import FORMATS, parse_formats, run_figures, save_figure, write_run_plots
from sim.plots.histograms import draw_distribution, histogram_bins, plot_distributions
from sim.plots.overview import plot_overview
from sim.plots.paths import plot_conference_paths
from sim.plots.notebook import show_figures_in_notebooks
from sim.plots.values import (
    as_float,
    category_outcomes,
    category_shares,
    format_value,
    month_dates,
    numeric_outcomes,
)

__all__ = [
    "BY_CHOICES", "CONFERENCE_OUTCOMES", "DECISION_COLOURS", "FORMATS", "SCENARIO_COLOURS",
    "SCENARIO_LINESTYLES", "SERIES_LABELS",
    "as_float", "axis_label", "category_colour", "category_outcomes", "category_shares",
    "date_axis", "documented_outcome", "documented_series", "draw_distribution", "draw_fan",
    "draw_shares", "event_key", "fit_text", "format_number", "format_value",
    "histogram_bins", "key_events", "mark_documented_value", "mark_events", "month_dates",
    "new_figure", "numeric_outcomes", "outcome_title", "parse_formats",
    "plot_conference_paths", "plot_convergence", "plot_decisions", "plot_distributions",
    "plot_fan_charts", "plot_overview", "present_categories", "run_figures", "run_label",
    "save_figure", "scenario_colour", "scenario_linestyle", "set_title", "style_axes",
    "thousands", "write_run_plots",
]

show_figures_in_notebooks()
