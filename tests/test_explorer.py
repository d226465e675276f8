"""The explorer behind notebooks/explorer.ipynb, without Jupyter: controls resolved against a
scenario, control values turned into overrides, runs compared with the scenario as written,
and the widgets driven as a reader would drive them."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.figure import Figure

from sim import explorer as ex
from sim.analysis.factors import FACTORS
from sim.distributions import is_distribution
from sim.errors import ScenarioError, UserError
from sim.outcomes import DECISIONS
from sim.registry import REGISTRY
from sim.results import Results
from sim.scenario import Scenario, load_scenario

HISTORICAL = Path(__file__).resolve().parent.parent / "scenarios" / "historical.yaml"
RUNS, SEED = 60, 3


@pytest.fixture(scope="module")
def historical() -> Scenario:
    return load_scenario(HISTORICAL)


@pytest.fixture(scope="module")
def settings(historical: Scenario) -> dict[str, ex.Setting]:
    return {s.key: s for s in ex.settings_for(historical)}


class CountingRunner:
    """The default runner, counting the runs it is asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, scenario: Scenario, runs: int, seed: int) -> Results:
        self.calls.append((scenario.content_hash(), runs, seed))
        return ex.run_in_process(scenario, runs, seed)


def test_every_documented_factor_has_a_switch() -> None:
    keys = {c.key for c in ex.CONTROLS}
    for factor in FACTORS.values():
        assert set(factor.overrides) <= keys, factor.name
    assert {"decision.force", "decision.force_date", "embargo.date", "barbarossa.date"} <= keys
    assert len(keys) == len(ex.CONTROLS), "one control per parameter"


def test_settings_start_at_the_scenario_and_their_ranges_hold_it(
        historical: Scenario, settings: dict[str, ex.Setting]) -> None:
    kinds = {"bool": "switch", "choice": "choice", "date": "date"}
    for key, s in settings.items():
        param, value = REGISTRY[key], historical.values[key]
        assert s.kind == kinds.get(param.kind, "number"), key
        if s.kind in ("date", "number"):
            assert s.low <= s.start <= s.high, key
        if s.kind == "date":
            days = [d for _, d in s.options]
            assert days[0] == s.low and days[-1] == s.high and s.start in days
            assert all((b - a).days == 1 for a, b in zip(days, days[1:]))
        if s.kind == "choice":
            assert [v for _, v in s.options] == list(param.choices) and s.start in param.choices
        if s.kind == "number":
            steps = (s.start - s.low) / s.step
            assert steps == pytest.approx(round(steps)), f"{key} starts off its slider's grid"
            lo, hi = (param.bounds or (None, None))
            assert (lo is None or s.low >= lo) and (hi is None or s.high <= hi), key
        if not is_distribution(value) and s.kind != "number":
            assert s.start == value, key
        if not is_distribution(value) and s.kind == "number":
            assert s.start == pytest.approx(value), key
        assert key in s.help and param.description in s.help
    assert settings["embargo.enabled"].start is True
    assert settings["embargo.date"].start == dt.date(1941, 8, 1)
    assert settings["decision.force"].options[1] == ("forced north (Kantokuen executed)", "north")


def test_an_uncertain_figure_starts_at_its_median_and_stays_uncertain_until_moved(
        historical: Scenario, settings: dict[str, ex.Setting]) -> None:
    dist = historical.values["soviet_fe.men_1941_06"]
    s = settings["soviet_fe.men_1941_06"]
    assert is_distribution(dist) and "Uncertain here" in s.help
    assert abs(s.start - dist.ppf(0.5)) <= s.step / 2
    untouched = ex.overrides_for(ex.settings_for(historical), {s.key: s.start})
    assert untouched == {}
    moved = ex.overrides_for(ex.settings_for(historical), {s.key: s.start + s.step})
    scenario = historical.with_overrides(moved, origin=ex.EXPLORER_ORIGIN)
    assert scenario.values[s.key] == s.start + s.step
    assert scenario.provenance[s.key] == "explorer"


def test_overrides_are_the_controls_that_moved(historical: Scenario) -> None:
    settings = ex.settings_for(historical)
    starts = {s.key: s.start for s in settings}
    assert ex.overrides_for(settings, starts) == {}
    values = dict(starts, **{"embargo.enabled": False, "embargo.date": dt.date(1941, 11, 1)})
    assert ex.overrides_for(settings, values) == {"embargo.enabled": False,
                                                  "embargo.date": dt.date(1941, 11, 1)}
    with pytest.raises(UserError, match=r"unknown control `embargo\.enable`.*embargo\.enabled"):
        ex.overrides_for(settings, {"embargo.enable": False})


def test_a_slider_needs_a_range() -> None:
    control = ex.Control("barbarossa.date", "Barbarossa starts", "Dates")  # no credible range
    with pytest.raises(ValueError, match="barbarossa.date.*span"):
        ex.resolve(control, REGISTRY["barbarossa.date"], dt.date(1941, 6, 22))
    wide = ex.resolve(ex.Control("barbarossa.date", "Barbarossa", "Dates",
                                 span=(dt.date(1941, 7, 1), dt.date(1941, 8, 1))),
                      REGISTRY["barbarossa.date"], dt.date(1941, 6, 22))
    assert wide.low == dt.date(1941, 6, 22), "the scenario's own value stays in range"
    assert wide.span_text() == "1941-06-22 to 1941-08-01, by a day"
    number = ex.resolve(ex.Control("oil.stock_1939", "Oil", "Figures", step=1),
                        REGISTRY["oil.stock_1939"], 27.0)
    assert number.span_text() == "25 to 45, by 1"


def test_nothing_moved_runs_the_scenario_as_written_once(historical: Scenario) -> None:
    runner = CountingRunner()
    done = ex.explore(historical, {}, RUNS, SEED, runner=runner)
    assert done.overrides == {} and done.comparison.names == ["historical"]
    assert len(runner.calls) == 1 and done.results.n == RUNS
    rows = done.rows()
    # the decisions' shares come first, south leading, one per decision some run took
    taken = set(np.asarray(done.results.outcomes["decision"]).tolist())
    shares = [r["statistic"] for r in rows if r["outcome"] == "decision"]
    assert shares[0] == "share south"
    assert shares == [f"share {d}" for d in DECISIONS if d in taken]
    assert all("difference [95% CI]" not in r for r in rows)
    assert [r["outcome"] for r in rows] == sorted(
        (r["outcome"] for r in rows), key=ex.SUMMARY_OUTCOMES.index)
    assert "none (the scenario as written)" in ex.describe(done)


def test_no_embargo_strikes_south_less_paired_with_history(historical: Scenario) -> None:
    runner = CountingRunner()
    base = ex.explore(historical, {}, 200, 1, runner=runner)
    done = ex.explore(historical, {"embargo.enabled": False}, 200, 1, runner=runner,
                      baseline=base.results)
    assert len(runner.calls) == 2, "the baseline run is reused"
    assert done.comparison.paired and done.comparison.names == ["historical", "your settings"]
    assert done.scenario.values["embargo.enabled"] is False
    before = base.results.probability("decision", "south")[0]
    after = done.results.probability("decision", "south")[0]
    assert after < before
    south = next(r for r in done.rows() if r["statistic"] == "share south")
    assert south["difference [95% CI]"].startswith("-")
    oil = next(r for r in done.rows() if r["outcome"] == "oil_stock_end_1942")
    assert oil["difference [95% CI]"].startswith("+"), "no embargo: more oil at the end of 1942"
    assert "embargo.enabled=false" in ex.describe(done)
    figures = done.figures()
    assert len(figures) == 3 and all(isinstance(f, Figure) and f.axes for f in figures)


def test_a_baseline_of_another_size_or_seed_is_run_again(historical: Scenario) -> None:
    runner = CountingRunner()
    base = ex.explore(historical, {}, RUNS, SEED, runner=runner)
    ex.explore(historical, {}, RUNS, SEED + 1, runner=runner, baseline=base.results)
    ex.explore(historical, {}, RUNS + 2, SEED, runner=runner, baseline=base.results)
    assert [c[1:] for c in runner.calls] == [(RUNS, SEED), (RUNS, SEED + 1), (RUNS + 2, SEED)]


def test_same_settings_and_seed_give_the_same_summary(historical: Scenario) -> None:
    values = {"barbarossa.moscow_falls": True, "decision.north_bias": 3.0}
    one = ex.explore(historical, values, RUNS, SEED).rows()
    assert ex.explore(historical, values, RUNS, SEED).rows() == one


def test_a_value_the_model_refuses_names_the_parameter(historical: Scenario) -> None:
    with pytest.raises(ScenarioError, match=r"china\.drain_multiplier"):
        ex.explore(historical, {"china.drain_multiplier": 7.0}, RUNS, SEED)


# --------------------------------------------------------------------------- the widgets
needs_widgets = pytest.mark.skipif(importlib.util.find_spec("ipywidgets") is None,
                                   reason="ipywidgets comes with the [notebooks] extra")


@needs_widgets
def test_the_widgets_start_at_the_settings_and_follow_a_click(historical: Scenario) -> None:
    runner = CountingRunner()
    explorer = ex.Explorer(historical, runs=RUNS, seed=SEED, runner=runner)
    assert explorer.results is None
    assert explorer.values() == {s.key: s.start for s in explorer.settings}
    kinds = {key: type(w).__name__ for key, w in explorer.controls.items()}
    assert kinds["embargo.enabled"] == "Checkbox" and kinds["decision.force"] == "Dropdown"
    assert kinds["embargo.date"] == "SelectionSlider"
    assert kinds["soviet_fe.men_1941_06"] == "IntSlider"
    assert kinds["decision.north_bias"] == "FloatSlider"
    assert "application/vnd.jupyter.widget-view+json" in explorer._repr_mimebundle_()

    explorer.run_button.click()
    assert explorer.exploration is not None and explorer.exploration.overrides == {}
    south = explorer.results.probability("decision", "south")[0]
    explorer.controls["embargo.enabled"].value = False
    explorer.controls["embargo.date"].value = dt.date(1941, 9, 1)
    explorer.run_button.click()
    assert explorer.exploration.overrides == {"embargo.enabled": False,
                                              "embargo.date": dt.date(1941, 9, 1)}
    assert explorer.results.probability("decision", "south")[0] < south
    assert len(runner.calls) == 2, "the scenario as written is run once for a size and seed"
    assert "embargo.enabled=false" in explorer.status.value

    explorer.reset_button.click()
    assert explorer.values() == {s.key: s.start for s in explorer.settings}


@needs_widgets
def test_a_refused_run_says_why_in_one_line_and_keeps_the_last_output(
        historical: Scenario) -> None:
    def refusing(scenario: Scenario, runs: int, seed: int) -> Any:
        raise UserError("--runs: expected a whole number >= 1, got 0")

    explorer = ex.Explorer(historical, runs=RUNS, seed=SEED, runner=refusing)
    assert explorer.run() is None and explorer.exploration is None
    assert explorer.status.value.startswith("<b>Not run:</b> --runs: expected")
