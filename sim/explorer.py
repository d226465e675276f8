"""The interactive explorer of ``notebooks/explorer.ipynb``: switches and sliders for the main
factors, dates and figures of a scenario, a Run button, and figures and a summary that update
in place.

Everything but the widgets is plain Python so that it is tested without Jupyter:
:data:`CONTROLS` says which parameters the explorer offers and how, :func:`settings_for`
resolves them against one scenario (starting values, slider ranges from the registry's
credible ranges), :func:`overrides_for` turns control values into scenario overrides and
:func:`explore` runs them against the scenario as written, paired by replication (common
random numbers), so the summary's differences are the effect of the settings, not of luck.
:class:`Explorer` lays the widgets out (ipywidgets, from the ``[notebooks]`` extra).

A control left at its starting value leaves the scenario as written: a figure that the
scenario draws from a distribution stays uncertain until its slider is moved, and is then
fixed at the slider's value.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from matplotlib.figure import Figure

from sim.compare import (
    Comparison,
    pairing,
    plot_compared_decisions,
    plot_compared_distributions,
    plot_compared_fan_charts,
)
from sim.distributions import is_distribution
from sim.engine import run as run_engine
from sim.errors import UserError, did_you_mean
from sim.formatting import compact_number, format_difference, format_setting, format_statistic
from sim.params import Param
from sim.plots import show_figures_in_notebooks
from sim.results import Results
from sim.scenario import Scenario

Group = Literal["Factors", "Dates", "Figures"]
Kind = Literal["switch", "choice", "date", "number"]

#: The provenance recorded for a value set with the explorer (``sim show`` names it so).
EXPLORER_ORIGIN = "explorer"
#: What the run compared with the settings is called in the summary and the figures.
YOUR_SETTINGS = "your settings"


@dataclass(frozen=True)
class Control:
    """One parameter the explorer offers: a switch, a choice or a slider.

    ``span`` is a slider's range; ``None`` takes the registry's credible range (a range wide
    enough for the counterfactuals is given where the sources' range is narrow or missing).
    """

    key: str
    label: str
    group: Group
    span: tuple[Any, Any] | None = None
    step: float | None = None
    choices: Mapping[Any, str] | None = None


D = dt.date
#: The controls of the explorer, by tab: the documented factors (the switches
#: :mod:`sim.analysis.factors` flips, plus Kantokuen's forced attack), the key dates and the
#: figures the decision turns on.
CONTROLS: tuple[Control, ...] = (
    Control("khalkhin_gol.enabled", "Khalkhin Gol fought (1939)", "Factors"),
    Control("khalkhin_gol.outcome", "Khalkhin Gol result", "Factors", choices={
        "simulated": "simulated", "soviet_victory": "Soviet victory",
        "japanese_success": "Japanese success"}),
    Control("molotov_ribbentrop.enabled", "Molotov-Ribbentrop pact (Aug 1939)", "Factors"),
    Control("neutrality_pact.enabled", "Neutrality pact (Apr 1941)", "Factors"),
    Control("embargo.enabled", "US oil embargo after the freeze (1941)", "Factors"),
    Control("united_states.war_if_north", "Chance the US fights for the USSR", "Factors",
            step=0.05),
    Control("barbarossa.enabled", "Barbarossa (Jun 1941)", "Factors"),
    Control("barbarossa.moscow_falls", "Moscow falls (autumn 1941)", "Factors"),
    Control("decision.force", "Policy", "Factors", choices={
        "free": "chosen at the conferences", "north": "forced north (Kantokuen executed)",
        "south": "forced south", "hold": "forced to hold"}),
    Control("embargo.date", "US embargo from", "Dates", span=(D(1941, 6, 1), D(1942, 3, 1))),
    Control("barbarossa.date", "Barbarossa starts", "Dates",
            span=(D(1941, 3, 1), D(1941, 9, 1))),
    Control("barbarossa.moscow_fall_date", "Moscow falls on", "Dates"),
    Control("decision.force_date", "Forced policy from", "Dates",
            span=(D(1941, 7, 2), D(1942, 6, 30))),
    Control("china.drain_multiplier", "China war drain (x history)", "Figures", step=0.05),
    Control("soviet_fe.men_1941_06", "Soviet Far East, Jun 1941 (men)", "Figures",
            span=(500_000, 900_000), step=10_000),
    Control("kantokuen.peak_men", "Kantokuen peak (men)", "Figures",
            span=(500_000, 1_000_000), step=10_000),
    Control("kantokuen.persimmon_threshold", "Persimmon: share sent west", "Figures",
            span=(0.2, 0.8), step=0.01),
    Control("barbarossa.pressure", "German pressure on the USSR", "Figures", step=0.05),
    Control("oil.stock_1939", "Oil stock, Jan 1939 (M bbl)", "Figures", step=1),
    Control("south.western_aircraft", "Western aircraft in SE Asia", "Figures", step=2),
    Control("decision.north_bias", "Army's northern bias (utility)", "Figures", step=0.1),
    Control("decision.w_oil", "Weight of oil in the choice", "Figures", step=0.1),
)

#: The outcomes of the summary table, and of the distribution and fan-chart figures.
SUMMARY_OUTCOMES = ("decision", "soviet_fe_fraction_west_1941_12", "kantokuen_peak_men",
                    "oil_stock_end_1942", "moscow_falls_date", "us_war_date",
                    "japanese_casualties_total")
DISTRIBUTIONS = ("soviet_fe_fraction_west_1941_12", "oil_stock_end_1942")
FAN_SERIES = ("oil_stock", "soviet_fe_men")


@dataclass(frozen=True)
class Setting:
    """A control resolved against one scenario: its widget's kind, range and starting value."""

    key: str
    label: str
    group: Group
    kind: Kind
    start: Any
    low: Any = None
    high: Any = None
    step: float = 1.0
    options: tuple[tuple[str, Any], ...] = ()
    help: str = ""

    def span_text(self) -> str:
        """What the control can be set to, for a table of the controls."""
        if self.kind == "switch":
            return "on / off"
        if self.kind == "choice":
            return ", ".join(str(value) for _, value in self.options)
        low, high = (format_setting(v, "{:,.10g}".format) for v in (self.low, self.high))
        step = "a day" if self.kind == "date" else f"{self.step:,.10g}"
        return f"{low} to {high}, by {step}"


def _kind(param: Param) -> Kind:
    return {"bool": "switch", "choice": "choice", "date": "date"}.get(param.kind, "number")


def _on_grid(x: float, low: float, step: float) -> float:
    """``x`` moved to the slider's grid (low + k * step), without float noise."""
    k = round((x - low) / step)
    return round(low + k * step, 10)


def resolve(control: Control, param: Param, value: Any) -> Setting:
    """The :class:`Setting` of ``control`` for a scenario that gives its parameter ``value``.

    An uncertain value starts the widget at the distribution's median.
    """
    kind = _kind(param)
    help_text = f"{param.name}: {param.description}"
    if is_distribution(value):
        help_text += f" Uncertain here ({value.describe()}) until moved."
        value = value.ppf(0.5)
    if kind == "switch":
        return Setting(control.key, control.label, control.group, kind, bool(value),
                       help=help_text)
    if kind == "choice":
        labels = dict(control.choices or {})
        options = tuple((labels.get(c, str(c)), c) for c in param.choices or ())
        return Setting(control.key, control.label, control.group, kind, value,
                       options=options, help=help_text)
    span = control.span or param.credible
    if span is None:
        raise ValueError(f"control {control.key}: the registry gives no credible range; "
                         f"give the control a span")
    low, high = min(span[0], value), max(span[1], value)  # the scenario's own value fits
    if kind == "date":
        days = (high - low).days
        options = tuple((d.strftime("%d %b %Y"), d)
                        for d in (low + dt.timedelta(days=k) for k in range(days + 1)))
        return Setting(control.key, control.label, control.group, kind, value, low, high,
                       options=options, help=help_text)
    step = float(control.step or (float(high) - float(low)) / 20)
    start = _on_grid(float(value), float(low), step)
    return Setting(control.key, control.label, control.group, kind, start, float(low),
                   float(high), step, help=help_text)


def settings_for(scenario: Scenario, controls: Sequence[Control] = CONTROLS
                 ) -> tuple[Setting, ...]:
    """Every control resolved against ``scenario``, in the order given."""
    return tuple(resolve(c, scenario.registry[c.key], scenario.values[c.key]) for c in controls)


def overrides_for(settings: Sequence[Setting], values: Mapping[str, Any]) -> dict[str, Any]:
    """The overrides that control ``values`` (key -> widget value) ask for: those that moved
    from their starting value, in the order of the settings."""
    by_key = {s.key: s for s in settings}
    for key in values:
        if key not in by_key:
            raise UserError(f"explorer: unknown control `{key}`{did_you_mean(key, by_key)}; "
                            f"expected one of {', '.join(by_key)}")
    return {s.key: values[s.key] for s in settings
            if s.key in values and values[s.key] != s.start}


Runner = Callable[[Scenario, int, int], Results]


def run_in_process(scenario: Scenario, runs: int, seed: int) -> Results:
    """The explorer's default runner: in this process, without a progress bar (a few hundred
    replications take well under a second, less than a worker pool takes to start)."""
    return run_engine(scenario, runs, seed, workers=1, progress=False)


@dataclass(frozen=True)
class Exploration:
    """One run of the explorer: the settings' scenario and its comparison with the scenario as
    written (the baseline, first); a comparison of one when no control moved."""

    scenario: Scenario
    overrides: Mapping[str, Any]
    comparison: Comparison

    @property
    def results(self) -> Results:
        """The results of the settings (the baseline's when nothing moved)."""
        return self.comparison.results[-1]

    def rows(self) -> list[dict[str, str]]:
        """The summary table as text: the :data:`SUMMARY_OUTCOMES` statistics of each run and,
        with settings, their difference from the baseline with a paired 95% interval."""
        comp = self.comparison
        out = []
        for row in comp.table():
            never = row["kind"] == "share" and not any(row[n] for n in comp.names)
            if row["outcome"] not in SUMMARY_OUTCOMES or never:
                continue  # a decision no run took (usually "both") is left out
            cells = {"outcome": row["outcome"], "statistic": row["statistic"]}
            cells.update({n: format_statistic(row["kind"], row[n]) for n in comp.names})
            for name in comp.names[1:]:
                key = f"{name} - {comp.baseline}"
                d, lo, hi = (format_difference(row["kind"], row[key + end])
                             for end in ("", " low", " high"))
                cells["difference [95% CI]"] = f"{d} [{lo}, {hi}]"
            out.append(cells)
        return sorted(out, key=lambda cells: SUMMARY_OUTCOMES.index(cells["outcome"]))

    def figures(self) -> list[Figure]:
        """Decision shares, two distributions and the oil and Soviet fan charts, each
        with the baseline and the settings side by side."""
        comp = self.comparison
        return [plot_compared_decisions(comp), plot_compared_distributions(comp, DISTRIBUTIONS),
                plot_compared_fan_charts(comp, FAN_SERIES)]


def explore(base: Scenario, values: Mapping[str, Any], runs: int, seed: int, *,
            settings: Sequence[Setting] | None = None, runner: Runner = run_in_process,
            baseline: Results | None = None) -> Exploration:
    """Run the scenario that control ``values`` make of ``base`` and compare it with ``base``.

    ``baseline`` (``base`` already run with ``runs`` and ``seed``) saves running it again.
    """
    overrides = overrides_for(settings or settings_for(base), values)
    scenario = base.with_overrides(overrides, origin=EXPLORER_ORIGIN)
    if baseline is None or baseline.n != runs or (baseline.manifest or {}).get("seed") != seed:
        baseline = runner(base, runs, seed)
    results = [baseline] if not overrides else [baseline, runner(scenario, runs, seed)]
    names = [base.name] + ([YOUR_SETTINGS] if overrides else [])
    paired, note = pairing(results)
    return Exploration(scenario, overrides, Comparison(names, results, paired, note))


def describe(exploration: Exploration) -> str:
    """One line: what was run, and which settings differ from the scenario as written."""
    changed = ", ".join(f"{k}={format_setting(v, compact_number)}"
                        for k, v in exploration.overrides.items()) or \
        "none (the scenario as written)"
    r = exploration.results
    return (f"{exploration.scenario.name}: {r.n:,} replications, seed "
            f"{(r.manifest or {}).get('seed')}; settings changed: {changed}")


class Explorer:
    """The widgets: a tab per control group, replications and seed, Run and Reset, and one
    output (summary table and figures) that each run replaces.

    Drive it from code as a reader would with the mouse: set ``explorer.controls[key].value``
    and call ``explorer.run_button.click()`` (or :meth:`run`).  ``runner`` runs one scenario
    (``runner(scenario, runs, seed) -> Results``); pass a faster one, such as a warm worker
    pool, to speed up large run counts.
    """

    def __init__(self, scenario: Scenario, *, runs: int = 200, seed: int = 1,
                 controls: Sequence[Control] = CONTROLS, runner: Runner = run_in_process) -> None:
        # ipywidgets comes with the [notebooks] extra; the rest of this module works without.
        import ipywidgets as widgets

        show_figures_in_notebooks()  # the figures inline, whatever matplotlib's backend
        self.scenario = scenario
        self.runner = runner
        self.settings = settings_for(scenario, controls)
        self.controls = {s.key: _widget(widgets, s) for s in self.settings}
        style = {"description_width": "9em"}
        self.runs = widgets.BoundedIntText(value=runs, min=2, max=100_000, step=100,
                                           description="Replications", style=style)
        self.seed = widgets.BoundedIntText(value=seed, min=0, max=2**63 - 1,
                                           description="Seed", style=style)
        self.run_button = widgets.Button(description="Run", button_style="primary", icon="play")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.status = widgets.HTML()
        self.output = widgets.Output()
        self.output.add_class("sim-explorer-output")
        self.exploration: Exploration | None = None
        self._baseline: Results | None = None
        self.run_button.on_click(lambda _: self._run_shown())
        self.reset_button.on_click(lambda _: self.reset())
        groups = list(dict.fromkeys(s.group for s in self.settings))
        tabs = widgets.Tab(children=[widgets.VBox([self.controls[s.key] for s in self.settings
                                                   if s.group == g]) for g in groups],
                           titles=groups)
        buttons = widgets.HBox([self.runs, self.seed, self.run_button, self.reset_button])
        self.widget = widgets.VBox([tabs, buttons, self.status, self.output])

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def values(self) -> dict[str, Any]:
        """The controls' current values, by parameter."""
        return {key: w.value for key, w in self.controls.items()}

    def reset(self) -> None:
        """Every control back to its starting value (the scenario as written)."""
        for s in self.settings:
            self.controls[s.key].value = s.start

    def _run_shown(self) -> None:
        with self.output:  # a bug's traceback shows in the output, not in a hidden log
            self.run()

    def run(self) -> Exploration | None:
        """Run the current settings and replace the output with their summary and figures.

        A setting the model refuses is shown as one line, and the last output is kept.
        """
        from IPython.display import HTML, display  # IPython comes with ipywidgets
        # pandas comes with the [notebooks] extra: it renders the summary as a table.
        import pandas as pd

        self.status.value = "<i>running...</i>"
        try:
            exploration = explore(self.scenario, self.values(), self.runs.value,
                                  self.seed.value, settings=self.settings, runner=self.runner,
                                  baseline=self._baseline)
        except UserError as error:
            self.status.value = f"<b>Not run:</b> {html.escape(str(error))}"
            return None
        self.exploration, self._baseline = exploration, exploration.comparison.results[0]
        self.status.value = html.escape(describe(exploration))
        with self.output:
            self.output.clear_output(wait=True)
            display(HTML(html.escape(exploration.comparison.pairing_note)))
            display(pd.DataFrame(exploration.rows()).set_index(["outcome", "statistic"]))
            for fig in exploration.figures():
                display(fig)
        return exploration

    @property
    def results(self) -> Results | None:
        """The results of the last run's settings."""
        return None if self.exploration is None else self.exploration.results


def _widget(widgets: Any, s: Setting) -> Any:
    """The ipywidget for one setting, starting at its starting value."""
    common = {"description": s.label, "tooltip": s.help,
              "style": {"description_width": "17em"}, "layout": {"width": "40em"}}
    if s.kind == "switch":
        return widgets.Checkbox(value=s.start, indent=False, **common)
    if s.kind == "choice":
        return widgets.Dropdown(options=s.options, value=s.start, **common)
    if s.kind == "date":
        return widgets.SelectionSlider(options=s.options, value=s.start, **common)
    decimals = max(0, len(f"{s.step:g}".partition(".")[2]))
    if decimals == 0:
        return widgets.IntSlider(value=int(s.start), min=int(s.low), max=int(s.high),
                                 step=int(s.step), **common)
    return widgets.FloatSlider(value=s.start, min=s.low, max=s.high, step=s.step,
                               readout_format=f".{decimals}f", **common)
