"""The three analyses on the real model, at small sizes (each test well under 30 s)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis.discovery import discover
from sim.analysis.sensitivity import analyse, dimensions_for
from sim.analysis.shapley import attribute, coalition_scenarios
from sim.analysis.factors import FACTORS, select_factors
from sim.engine import run_batch
from sim.distributions import is_distribution
from sim.errors import UserError
from sim.registry.judgement import judgement_parameters
from sim.scenario import load_scenario

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def historical():
    return load_scenario(REPO / "scenarios" / "historical.yaml")


def test_documented_factors_name_real_parameters(historical) -> None:
    """Every factor's overrides are valid parameters and values of the registry."""
    scenarios = coalition_scenarios(historical, select_factors())
    assert len(scenarios) == 2 ** len(FACTORS)
    everything = scenarios[-1]
    for factor in FACTORS.values():
        for key, value in factor.overrides.items():
            assert everything.values[key] == value
            assert historical.values[key] != value, f"{factor.name} does not change {key}"


def test_attribution_adds_up_and_is_reproducible(historical) -> None:
    kwargs = dict(factors=["embargo", "neutrality_pact", "barbarossa"], runs=60, seed=5,
                  bootstrap=100, workers=1)
    att = attribute(historical, "decision == 'north'", **kwargs)
    assert sum(att.contributions.values()) == pytest.approx(att.total, abs=1e-12)
    again = attribute(historical, "decision == 'north'", **{**kwargs, "workers": 2})
    assert again.contributions == att.contributions and again.ci == att.ci  # whatever the workers
    # the first combination is the scenario as written: the same numbers as a plain run
    plain = run_batch([historical], 60, 5, workers=1)[0]
    assert att.baseline_value == pytest.approx(np.mean(plain.outcomes["decision"] == "north"))
    for name, (lo, hi) in att.ci.items():
        assert lo <= att.contributions[name] + 1e-12 and att.contributions[name] <= hi + 1e-12


def test_attribution_of_a_numeric_outcome(historical) -> None:
    att = attribute(historical, "oil_stock_end_1941", ["embargo"], runs=30, seed=2, bootstrap=50,
                    workers=1)
    assert att.unit == "million bbl"
    # without the embargo Japan keeps importing oil: the stock at the end of 1941 is higher
    assert att.contributions["embargo"] > 0


def test_sensitivity_methods_on_the_model(historical) -> None:
    params = "soviet_fe.men_1941_06,decision.north_bias,embargo.enabled"
    oat = analyse(historical, "oat", params=params, replications=6, seed=1, workers=1)
    assert set(oat.names) == set(params.split(","))
    assert all(np.isfinite(oat.indices[n]["swing"]) for n in oat.names)
    morris = analyse(historical, "morris", params=params, samples=3, replications=3, seed=1, workers=1)
    assert morris.points == 3 * 4 and morris.replications == 3
    sobol = analyse(historical, "sobol", params=params, samples=8, replications=2, seed=1, workers=1)
    assert sobol.points == 8 * 5
    assert sobol.variance.total >= 0 and 0 <= sobol.noise_floor <= 1


def test_dimensions_default_to_the_uncertain_and_the_judgement_parameters(historical) -> None:
    dims = dimensions_for(historical)
    uncertain = {n for n, v in historical.values.items() if is_distribution(v)}
    judgement = set(judgement_parameters(historical.registry))
    assert {d.name for d in dims} == uncertain | judgement
    assert all(d.origin == ("distribution" if d.name in uncertain else "credible range")
               for d in dims)
    with pytest.raises(UserError, match="did you mean"):
        dimensions_for(historical, "soviet_fe.men_1941_6")


def test_discovery_on_the_model(historical) -> None:
    result = discover(historical, "decision == 'north'", samples=40, replications=2,
                      params="decision.north_bias,soviet_fe.men_1941_06", min_density=0.3,
                      seed=4, workers=1)
    assert result.points == 40 and len(result.hit_share) == 40
    assert 0.0 <= result.base_density <= 1.0
    for box in result.boxes:
        assert box.density >= 0.3 and 0 < box.coverage <= 1
