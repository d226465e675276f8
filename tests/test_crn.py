"""Common random numbers with the real model: a counterfactual that changes things from date D
on has exactly the baseline's history before D, replication by replication, and paired
differences between scenarios are far less noisy than differences of independent runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from sim import engine
from sim.results import Results
from sim.scenario import load_scenario
from sim.streams import Streams, root_entropy

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
RUNS = 200
SEED = 1941


@pytest.fixture(scope="module")
def scenarios() -> tuple[object, object]:
    base = load_scenario(SCENARIOS / "historical.yaml")
    later = load_scenario(SCENARIOS / "late-embargo.yaml")
    assert later.values["embargo.date"] > base.values["embargo.date"]
    return base, later


@pytest.fixture(scope="module")
def paired(scenarios: tuple[object, object]) -> tuple[Results, Results]:
    base, later = scenarios
    a, b = engine.run_batch([base, later], runs=RUNS, seed=SEED, workers=1)
    return a, b


def change_date(scenarios: tuple[object, object]) -> dt.date:
    base, _ = scenarios
    return base.values["embargo.date"]  # type: ignore[attr-defined]


def test_monthly_series_identical_before_the_change(paired: tuple[Results, Results],
                                                    scenarios: tuple[object, object]) -> None:
    a, b = paired
    d = change_date(scenarios)
    before = [i for i, m in enumerate(a.series.months) if m < d]
    after = [i for i, m in enumerate(a.series.months) if m >= dt.date(1942, 1, 1)]
    assert len(before) > 24
    for name in a.series.sample:
        assert np.array_equal(a.series.sample[name][:, before], b.series.sample[name][:, before]), name
    # ... and the change does change the later history
    assert not np.array_equal(a.series.sample["oil_stock"][:, after],
                              b.series.sample["oil_stock"][:, after])


def test_khalkhin_gol_outcomes_identical(paired: tuple[Results, Results]) -> None:
    a, b = paired
    for name in a.codes:
        if name.startswith("kg_"):
            assert np.array_equal(a.codes[name], b.codes[name], equal_nan=True), name


def test_traced_events_identical_before_the_change(scenarios: tuple[object, object]) -> None:
    base, later = scenarios
    d = change_date(scenarios)
    entropy = root_entropy(SEED)
    for index in (0, 7, 123):
        ev_a = engine.run_replication(base, entropy, index, trace=True).events
        ev_b = engine.run_replication(later, entropy, index, trace=True).events
        early_a = [e for e in ev_a if e.date < d]
        early_b = [e for e in ev_b if e.date < d]
        assert len(early_a) > 5
        assert early_a == early_b, index
        assert [e for e in ev_a if e.date >= d] != [e for e in ev_b if e.date >= d]


def test_replication_parameters_are_shared(scenarios: tuple[object, object]) -> None:
    base, later = scenarios
    sa, sb = base.sampler(), later.sampler()  # type: ignore[attr-defined]
    for index in (0, 99):
        u = Streams(root_entropy(SEED), index)["parameters"].random(sa.n)
        pa, pb = sa.draw(u), sb.draw(u)
        assert {k: v for k, v in pa.items() if k != "embargo.date"} == \
            {k: v for k, v in pb.items() if k != "embargo.date"}


def test_paired_differences_have_far_smaller_variance(paired: tuple[Results, Results],
                                                      scenarios: tuple[object, object]) -> None:
    a, b = paired
    _, later = scenarios
    independent = engine.run(later, runs=RUNS, seed=SEED + 1, workers=1)
    for name, factor in (("oil_stock_end_1942", 2.0), ("soviet_fe_men_1941_12", 5.0)):
        x, y, z = a.outcomes[name], b.outcomes[name], independent.outcomes[name]
        paired_var = float(np.nanvar(x - y))
        independent_var = float(np.nanvar(x - z))
        assert paired_var * factor < independent_var, (name, paired_var, independent_var)
