"""A scenario's ``posterior:`` key: every parameter a posterior file holds, drawn jointly from
it, while the file's own ``params`` stay the priors ``sim calibrate`` fits from.

This is how a calibrated scenario (the historical one, a school of thought) binds a dozen
weights to one fit without a line per weight; the priors it states are where a school puts
its reading of the record.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from sim.calibrate import build_priors, scenario_priors
from sim.distributions import Uniform
from sim.ensemble import Ensemble, StalePosterior
from sim.errors import ScenarioError
from sim.registry import REGISTRY
from sim.scenario import load_scenario

from cli_run import run as run_cli
from conftest import SCENARIOS
from test_ensemble import OIL, SOVIET, draws, posterior

SCHOOL = """\
name: a-school
extends: {base}
posterior: {post}
params:
  decision:
    w_oil: {{dist: uniform, low: 2.0, high: 5.0}}
    w_soviet_power: {{dist: uniform, low: 0.5, high: 2.0}}
    w_west: {{dist: uniform, low: 0.1, high: 1.0}}
"""


def school(tmp_path: Path, post: str = "post.json", **extra: str) -> Path:
    """A school over a base of registry defaults (the installed historical scenario carries
    its own posterior, tested in test_shipped_posteriors)."""
    base = tmp_path / "base.yaml"
    base.write_text("name: base\nparams: {}\n", encoding="utf-8")
    path = tmp_path / "school.yaml"
    text = SCHOOL.format(base=base, post=post)
    for key, value in extra.items():
        text += f"{key}: {value}\n"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_posterior_draws_its_parameters_jointly_and_keeps_the_priors(tmp_path: Path) -> None:
    posterior(tmp_path / "post.json")
    sc = load_scenario(school(tmp_path))
    assert isinstance(sc.values[OIL], Ensemble) and isinstance(sc.values[SOVIET], Ensemble)
    assert set(draws(sc, 400)) == {(1.1, 4.0), (4.0, 1.0)}, "whole rows, never a mix"
    assert "(posterior)" in sc.provenance[OIL] and "school.yaml:3" in sc.provenance[OIL]
    # a parameter the posterior does not hold keeps the file's own value
    assert isinstance(sc.values["decision.w_west"], Uniform)
    assert sc.priors[OIL] == Uniform(dist="uniform", low=2.0, high=5.0)
    assert set(sc.priors) == {OIL, SOVIET}
    # the priors travel with the scenario (to workers) but are not part of its assumptions
    again = pickle.loads(pickle.dumps(sc))
    assert again.priors == sc.priors and again.content_hash() == sc.content_hash()


def test_calibration_fits_the_stated_priors_not_the_posterior(tmp_path: Path) -> None:
    posterior(tmp_path / "post.json")
    sc = load_scenario(school(tmp_path))
    stated = scenario_priors(sc)
    assert stated == {OIL: (2.0, 5.0), SOVIET: (0.5, 2.0), "decision.w_west": (0.1, 1.0)}
    priors = {p.name: p for p in build_priors([OIL, "decision.w_german"], {}, REGISTRY, stated)}
    assert (priors[OIL].low, priors[OIL].high, priors[OIL].origin) == (2.0, 5.0, "scenario")
    assert priors["decision.w_west"].origin == "scenario", "a stated prior is fitted too"
    assert priors["decision.w_german"].origin == "credible"
    # --prior wins over the file
    over = {p.name: p for p in build_priors([OIL], {OIL: (1.0, 1.5)}, REGISTRY, stated)}
    assert (over[OIL].low, over[OIL].origin) == (1.0, "--prior")
    # the historical scenario states no prior of its own
    assert scenario_priors(load_scenario(SCENARIOS / "historical.yaml")) == {}


def test_a_child_file_that_sets_a_fitted_parameter_wins(tmp_path: Path) -> None:
    posterior(tmp_path / "post.json")
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {school(tmp_path)}\nparams:\n  decision:\n    w_oil: 3.0\n",
                     encoding="utf-8")
    sc = load_scenario(child)
    assert sc.values[OIL] == 3.0 and OIL not in sc.priors
    assert isinstance(sc.values[SOVIET], Ensemble)


@pytest.mark.parametrize("spec, expected", [
    ("nowhere.json", "does not exist"),
    ("[1, 2]", "expected the path of a posterior file"),
    ("{file: post.json, stale: true}", "expected the path of a posterior file"),
])
def test_a_bad_posterior_key_is_one_line_naming_the_file_and_key(tmp_path: Path, spec: str,
                                                                  expected: str) -> None:
    posterior(tmp_path / "post.json")
    with pytest.raises(ScenarioError) as info:
        load_scenario(school(tmp_path, post=spec))
    text = str(info.value)
    assert "\n" not in text and "school.yaml:3" in text and "`posterior`" in text, text
    assert expected in text, text


def test_a_posterior_of_another_model_is_refused_with_the_refit_command(tmp_path: Path) -> None:
    posterior(tmp_path / "post.json", parameters=[OIL, "decision.w_gone"])
    with pytest.raises(ScenarioError, match="does not have .*decision.w_gone.*sim calibrate"):
        load_scenario(school(tmp_path))
    posterior(tmp_path / "post.json", model_version="m-000000000000")
    with pytest.raises(ScenarioError, match="stale.*refit it with `sim calibrate"):
        load_scenario(school(tmp_path))
    with pytest.warns(StalePosterior, match="refit it with"):
        sc = load_scenario(school(tmp_path, post="{file: post.json, allow_stale: true}"))
    assert isinstance(sc.values[OIL], Ensemble)


def test_the_cli_runs_a_scenario_with_a_posterior(tmp_path: Path, capsys: Any) -> None:
    posterior(tmp_path / "post.json")
    code, _out, err = run_cli(capsys, "run", str(school(tmp_path)), "-n", "20", "-q", "-w", "1",
                              "--no-plots", "-o", str(tmp_path / "out"))
    assert code == 0, err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scenario"]["values"][OIL]["dist"] == "ensemble"
