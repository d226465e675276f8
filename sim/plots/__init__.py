"""Figures of one Monte Carlo run: decision shares, outcome distributions and fan charts.

Every function returns a :class:`matplotlib.figure.Figure` built directly (no ``pyplot``
state, no global backend switch), so the same code serves the CLI, worker threads and
notebooks: a notebook displays the returned figure inline, the CLI saves it with
:func:`save_figure`.  Each figure carries the scenario name, the number of replications and
the seed, so a PNG that travels alone still says where it came from.

One module per mechanism: :mod:`.axes` (colours, labels, panels, titles), :mod:`.values`
(outcomes as axis numbers), :mod:`.decisions`, :mod:`.histograms`, :mod:`.events` (key dates),
:mod:`.fan_charts`, :mod:`.files` (the figures of a run, saved) and :mod:`.notebook`.
"""

from sim.formatting import format_number
from sim.formatting import format_thousands as thousands
from sim.plots.axes import (
    DECISION_COLOURS,
    SCENARIO_COLOURS,
    SCENARIO_LINESTYLES,
    SERIES_LABELS,
    axis_label,
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
from sim.plots.decisions import plot_decisions
from sim.plots.events import event_key, key_events, mark_events
from sim.plots.fan_charts import draw_fan, plot_fan_charts
from sim.plots.files import FORMATS, parse_formats, run_figures, save_figure, write_run_plots
from sim.plots.histograms import draw_distribution, histogram_bins, plot_distributions
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
    "DECISION_COLOURS", "FORMATS", "SCENARIO_COLOURS", "SCENARIO_LINESTYLES", "SERIES_LABELS",
    "as_float", "axis_label", "category_outcomes", "category_shares", "date_axis", "draw_fan",
    "draw_distribution", "event_key", "fit_text", "format_number", "format_value",
    "histogram_bins", "key_events", "mark_events", "month_dates", "new_figure", "numeric_outcomes",
    "outcome_title", "parse_formats", "plot_decisions", "plot_distributions", "plot_fan_charts",
    "run_figures", "run_label", "save_figure", "scenario_colour", "scenario_linestyle",
    "set_title", "style_axes", "thousands",
    "write_run_plots",
]

show_figures_in_notebooks()
