"""What `sim sensitivity` and `sim discover` vary by default, and what they say first.

The judgement parameters (the decision weights, the belief rates...) are fixed numbers in a
scenario, so an analysis over "its uncertain parameters" alone reported the assumptions'
share of the variance as ~0.  By default they are varied too: at a posterior's range where the
scenario has one, else at their credible range.  And a result that is mostly chance says so
before its numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.analysis.discovery.result import DiscoveryResult
from sim.analysis.sensitivity.result import SensitivityResult, VarianceSplit
from sim.analysis.space import dimensions_for
from sim.registry import REGISTRY
from sim.registry.judgement import judgement_parameters
from sim.scenario import load_scenario

from conftest import SCENARIOS
from test_ensemble import OIL, SOVIET, ensemble_scenario, posterior


def test_the_default_dimensions_include_every_judgement_parameter(tmp_path: Path) -> None:
    dims = {d.name: d for d in dimensions_for(load_scenario(SCENARIOS / "historical.yaml"))}
    judgement = judgement_parameters(REGISTRY)
    assert {"decision.w_oil", "decision.w_soviet_power", "belief.defeat_shock"} <= set(judgement)
    assert set(judgement) <= set(dims)
    # the historical scenario carries its posterior: the range the record left
    w_oil = dims["decision.w_oil"]
    lo, hi = REGISTRY["decision.w_oil"].credible
    assert w_oil.origin == "distribution" and lo <= w_oil.low < w_oil.high <= hi
    # without a posterior, the credible range
    bare = tmp_path / "bare.yaml"
    bare.write_text("name: bare\nparams: {}\n", encoding="utf-8")
    w_oil = {d.name: d for d in dimensions_for(load_scenario(bare))}["decision.w_oil"]
    assert w_oil.origin == "credible range"
    assert (w_oil.low, w_oil.high) == REGISTRY["decision.w_oil"].credible
    # the scenario's own distributions are still there
    assert dims["khalkhin_gol.soviet_men"].origin == "distribution"
    # naming --params still means exactly those
    assert [d.name for d in dimensions_for(load_scenario(SCENARIOS / "historical.yaml"),
                                           "decision.w_oil")] == ["decision.w_oil"]


def test_a_posterior_gives_the_range_the_record_left(tmp_path: Path) -> None:
    sc = ensemble_scenario(posterior(tmp_path / "p.json",
                                     rows=[(1.5, 2.0, 1), (1.6, 2.2, 1), (1.7, 2.1, 1)]))
    dims = {d.name: d for d in dimensions_for(sc)}
    assert dims[OIL].origin == "distribution"
    assert 1.5 <= dims[OIL].low <= dims[OIL].high <= 1.7, (dims[OIL].low, dims[OIL].high)
    assert 2.0 <= dims[SOVIET].low <= dims[SOVIET].high <= 2.2
    assert {dims[OIL].from_unit(u) for u in np.linspace(0.01, 0.99, 30)} <= {1.5, 1.6, 1.7}


def _sens(method: str, **indices: dict[str, float]) -> SensitivityResult:
    return SensitivityResult(method, "decision == 'north'", "share of runs", list(indices),
                             dict(indices), VarianceSplit(0.01, 0.02, 10), 20, 10,
                             baseline_interval=(0.10, 0.20))


def test_mostly_noise_is_said_before_the_numbers() -> None:
    morris = _sens("morris", a={"mu_star": 0.01, "mu_star_conf": 0.02, "sigma": 0.0, "mu": 0.0},
                   b={"mu_star": 0.30, "mu_star_conf": 0.05, "sigma": 0.0, "mu": 0.0})
    text = morris.table()
    assert "WARNING: 1 of 2 parameters' mu* are within" in text
    assert text.index("WARNING") < text.index("mu*  ")
    clear = _sens("morris", a={"mu_star": 0.2, "mu_star_conf": 0.02, "sigma": 0, "mu": 0})
    assert "WARNING" not in clear.table()
    oat = _sens("oat", a={"swing": 0.05, "low_value": 0.1, "high_value": 0.15},
                b={"swing": 0.02, "low_value": 0.1, "high_value": 0.12})
    assert oat.noise_warning() is not None and "0.1 wide" in oat.noise_warning()
    sobol = _sens("sobol", a={"S1": 0.1, "S1_conf": 0.1, "ST": 0.2, "ST_conf": 0.1})
    sobol.noise_floor = 0.7
    assert sobol.table().index("WARNING: at this size chance dominates") < \
        sobol.table().index("S1")


def test_discovery_on_few_events_says_so_first() -> None:
    few = DiscoveryResult("decision == 'north'", "north", [], 0.002, 400, 8, 0.5, [])
    text = few.table()
    assert "WARNING: the target occurs in only 6 of 3,200 runs" in text
    many = DiscoveryResult("decision == 'north'", "north", [], 0.2, 400, 8, 0.5, [])
    assert "WARNING" not in many.table()


def test_the_default_outcome_is_not_all_but_constant_in_the_historical_scenario() -> None:
    """The analyses' default question must vary across runs, or every factor's share is zero
    by construction: the 2 July 1941 conference chooses the north in some historical runs,
    and in far fewer than it chooses otherwise; the first offensive, the old default, almost
    never goes north."""
    from sim import engine
    from sim.analysis.defaults import DEFAULT_OUTCOME
    from sim.analysis.discovery import DEFAULT_TARGET
    from sim.analysis.expressions import compile_outcome
    from sim.analysis.sensitivity import DEFAULT_OUTCOME as SENSITIVITY_DEFAULT

    assert DEFAULT_TARGET == SENSITIVITY_DEFAULT == DEFAULT_OUTCOME
    results = engine.run(load_scenario(SCENARIOS / "historical.yaml"), runs=1000, seed=1,
                         workers=1, progress=False)
    share = float(np.mean(compile_outcome(DEFAULT_OUTCOME).evaluate(results.outcomes)))
    first = float(np.mean(compile_outcome("decision == 'north'").evaluate(results.outcomes)))
    assert 0.005 <= share <= 0.5
    assert first < share
