"""`sim calibrate` on the real model: the shipped target tables read outcomes that exist, the
priors come from the registry's credible ranges, and a small calibration of the historical
scenario runs end to end from the command line, is continued from its folder and gives a
posterior a scenario can use."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("pyabc")

from sim import engine
from sim.calibrate import DEFAULT_PARAMETERS, build_priors, select_parameters, select_targets
from sim.calibrate.tables import BACKTESTS, DECISIONS, TABLES
from sim.calibrate.targets import Target, TargetSet
from sim.errors import UserError
from sim.reference import TARGET_BY_ID, cited_ids, lookup
from sim.registry import REGISTRY
from sim.scenario import load_scenario

from cli_run import run as run_cli
from conftest import SCENARIOS


def test_every_shipped_target_reads_outcomes_that_exist_and_cites_the_record() -> None:
    for table in TABLES.values():
        for t in TargetSet(table):
            for source in t.sources:
                lookup(source)  # KeyError if the record does not hold it
    ids = {t.id for t in BACKTESTS}
    assert {"T1", "T2", "T3", "T4", "T6", "T8", "T9", "T10", "T11", "T14"} <= ids
    assert {"POL-01", "POL-15", "POL-21", "POL-20", "POL-27"} <= {t.id for t in DECISIONS}
    t8 = next(t for t in BACKTESTS if t.id == "T8")
    assert (t8.value, t8.low, t8.high) == (TARGET_BY_ID["T8"].value, TARGET_BY_ID["T8"].low,
                                           TARGET_BY_ID["T8"].high)


def test_a_target_that_names_a_missing_outcome_is_a_one_line_error() -> None:
    bad = Target("POL-99", "renamed", "conference_9_choice == 'south'", "share", 1.0, 0.7, 1.0)
    with pytest.raises(UserError, match="target POL-99"):
        TargetSet([bad])
    with pytest.raises(UserError, match="unknown statistic"):
        TargetSet([Target("X", "x", "kg_offensive_days", "mode", 1.0)])
    with pytest.raises(UserError, match="needs an event"):
        TargetSet([Target("X", "x", "kg_offensive_days", "share", 1.0)])


def test_the_distance_is_zero_at_the_record_and_one_at_the_band() -> None:
    t = TargetSet([Target("T", "t", "kg_offensive_days", "median", 12, 8, 16)]).targets[0]
    assert t.distance(12) == 0 and t.distance(16) == 1.0 and t.distance(8) == 1.0
    assert t.distance(20) == 2.0 and t.distance(math.nan) == math.inf
    share = TargetSet([Target("S", "s", "decision == 'south'", "share", 1.0, 0.7, 1.0)]).targets[0]
    assert share.distance(0.85) == pytest.approx(0.5) and share.inside(0.7)
    assert not share.inside(0.69)


def test_the_targets_are_measured_on_real_outcomes() -> None:
    res = engine.run_batch([load_scenario(SCENARIOS / "historical.yaml")], runs=60, seed=1,
                           workers=1, progress=False)[0]
    stats = TargetSet(select_targets("all")).statistics(res.outcomes)
    decisions = np.asarray(res.outcomes["decision"])
    assert stats["T8"] == pytest.approx(float(np.mean(decisions == "south")))
    assert stats["T1"] == pytest.approx(float(np.median(
        np.asarray(res.outcomes["kg_japanese_casualties"], dtype=float))))
    assert all(np.isfinite(v) for v in stats.values()), stats


def test_the_default_parameters_are_the_judgement_ones_with_their_credible_ranges() -> None:
    names = select_parameters(list(DEFAULT_PARAMETERS), REGISTRY)
    assert "decision.w_oil" in names and "decision.w_persimmon" in names
    assert "belief.learning_rate" in names and "north.soviet_effectiveness" in names
    assert not any(REGISTRY[n].kind == "date" for n in names)
    priors = {p.name: p for p in build_priors(names, {"decision.w_oil": (1.5, 2.5)}, REGISTRY)}
    assert (priors["decision.w_oil"].low, priors["decision.w_oil"].origin) == (1.5, "--prior")
    w = priors["decision.w_soviet_power"]
    assert (w.low, w.high) == REGISTRY["decision.w_soviet_power"].credible
    assert w.source == REGISTRY["decision.w_soviet_power"].source
    with pytest.raises(UserError, match="not a value it may take"):
        build_priors(["decision.w_oil"], {"decision.w_oil": (-1.0, 2.0)}, REGISTRY)
    with pytest.raises(UserError, match="matches no parameter"):
        select_parameters(["decison.*"], REGISTRY)


def test_targets_from_a_file(tmp_path: Path) -> None:
    f = tmp_path / "t.yaml"
    f.write_text("targets:\n- {id: K1, outcome: kg_offensive_days, statistic: median, "
                 "value: 12, low: 8, high: 16, sources: [T4]}\n", encoding="utf-8")
    got = select_targets(f"T8,{f}")
    assert [t.id for t in got] == ["T8", "K1"]
    f.write_text("- {id: K1, outcome: kg_offensive_days, statistc: median, value: 12}\n")
    with pytest.raises(UserError, match="unknown field `statistc`"):
        select_targets(str(f))


SMALL = ["--params", "decision.w_oil,decision.w_soviet_power", "--targets", "T8,POL-15,T10",
         "--population", "8", "--runs", "16", "--draws", "8", "-w", "1", "--seed", "4"]


def test_a_small_calibration_of_the_historical_scenario_runs_end_to_end(
        tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "cal"
    code, stdout, err = run_cli(capsys, "calibrate", str(SCENARIOS / "historical.yaml"),
                                "-o", str(out), "--generations", "1", *SMALL)
    assert code == 0, err
    assert "generation 0" in err and (out / "posterior.json").exists()
    code, _, err = run_cli(capsys, "calibrate", str(SCENARIOS / "historical.yaml"),
                           "-o", str(out), *SMALL)
    assert code == 2 and "already holds a calibration" in err and "--resume" in err
    # continue it with a larger budget: one more generation, from the folder's own settings
    code, stdout, err = run_cli(capsys, "calibrate", "--resume", str(out), "--generations", "2")
    assert code == 0, err
    assert json.loads((out / "calibration.json").read_text())["generations"] == 2
    post = json.loads((out / "posterior.json").read_text())
    assert post["generation"] == 1 and post["parameters"] == ["decision.w_oil",
                                                             "decision.w_soviet_power"]
    assert post["model_version"].startswith("m-") and post["seed"] == 4
    assert set(post["fit"]["predictive"]) == {"T8", "POL-15", "T10"}
    assert (out / "prior_posterior.png").stat().st_size > 1000
    assert "Posterior predictive check" in (out / "checks.md").read_text()
    # the posterior is a distribution a scenario can use at once
    spec = {"dist": "ensemble", "file": str(out / "posterior.json")}
    sc = load_scenario(SCENARIOS / "historical.yaml",
                       overrides={"decision.w_oil": spec, "decision.w_soviet_power": spec})
    res = engine.run(sc, runs=20, seed=1, workers=1, progress=False)
    rows = {tuple(p["values"]) for p in post["particles"]}
    assert set(zip(res.inputs["decision.w_oil"], res.inputs["decision.w_soviet_power"])) <= rows


def test_the_command_line_refuses_what_it_cannot_fit(tmp_path: Path, capsys: Any) -> None:
    base = ["calibrate", str(SCENARIOS / "historical.yaml"), "-o", str(tmp_path / "c")]
    for extra, expected in [(["--targets", "T99"], "--targets T99"),
                            (["--params", "decision.force"], "not numbers"),
                            (["--prior", "decision.w_oil=2"], "NAME=LOW:HIGH")]:
        code, _, err = run_cli(capsys, *base, *extra)
        assert code == 2 and expected in err and err.count("\n") == 1, err
    code, _, err = run_cli(capsys, "calibrate", "--resume", str(tmp_path / "nothing"))
    assert code == 2 and "holds no calibration" in err
    # a resumed calibration keeps its settings: an option that would change them is refused
    # by name, not silently ignored
    code, _, err = run_cli(capsys, "calibrate", "--resume", str(tmp_path / "c"), "--runs", "7",
                           "--seed", "3")
    assert code == 2 and err.count("\n") == 1 and "--runs, --seed cannot change them" in err


def test_a_weight_pushed_to_one_end_is_moved_though_not_narrowed() -> None:
    """The sd alone misses a posterior shifted to one end of its prior: the Kolmogorov-Smirnov
    gap from the uniform catches it (and leaves a posterior that is the prior alone)."""
    from sim.calibrate.posterior import ks_from_prior, parameter_summary
    from sim.calibrate.priors import Prior

    prior = Prior("decision.w_oil", 0.0, 1.0, "float", "test", "credible")
    rng = np.random.default_rng(5)
    w = np.full(2000, 1.0 / 2000)
    flat = parameter_summary(prior, rng.uniform(0.0, 1.0, 2000), w)
    assert not flat["moved"] and not flat["narrowed"] and not flat["constrained"]
    shifted = rng.beta(2.0, 1.0, 2000)  # sd 0.82 of the prior's, F(x) = x^2
    s = parameter_summary(prior, shifted, w)
    assert not s["narrowed"] and s["moved"] and s["constrained"]
    assert ks_from_prior(prior, shifted, w) == pytest.approx(0.25, abs=0.04)
    # the weights count: the same values, weighted towards the low end, are the prior again
    back = 1.0 / shifted  # importance weights: uniform density over Beta(2, 1)'s 2x
    assert ks_from_prior(prior, shifted, back / back.sum()) < 0.06
