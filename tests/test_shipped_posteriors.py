"""The posteriors the installed scenarios ship with (``scenarios/posteriors/``): fitted to
this model, converged, not degenerate, and what the historical scenario and the schools draw
their judgement parameters from.

A change that adds, renames or re-types an outcome or a parameter changes the model version;
these tests then fail with the command that refits the files (``python
docs/make_posteriors.py``, docs/calibration.md), rather than every scenario refusing to load
somewhere later.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.calibrate import DEFAULT_PARAMETERS, select_parameters
from sim.distributions import Triangular
from sim.ensemble import Ensemble, model_version
from sim.registry import REGISTRY
from sim.scenario import load_scenario

from conftest import SCENARIOS

POSTERIORS = SCENARIOS / "posteriors"
FITTED = {"historical", "school-nomonhan", "school-oil", "school-revisionist-far-east"}
VERSION = model_version((p.name, p.kind) for p in REGISTRY)
REFIT = "refit them with `python docs/make_posteriors.py` (docs/calibration.md)"


def _post(name: str) -> dict:
    return json.loads((POSTERIORS / f"{name}.json").read_text(encoding="utf-8"))


def test_every_fitted_scenario_has_a_posterior_and_nothing_else_is_there() -> None:
    assert {p.stem for p in POSTERIORS.glob("*.json")} == FITTED


@pytest.mark.parametrize("name", sorted(FITTED))
def test_the_posterior_is_fitted_to_this_model_and_converged(name: str) -> None:
    post = _post(name)
    assert post["model_version"] == VERSION, (
        f"{name}.json was fitted to model version {post['model_version']}, this model is "
        f"{VERSION}: {REFIT}")
    assert post["converged"] and post["tolerance"] <= 1.0
    assert post["scenario"]["name"] == name
    # every particle meets every target inside its band, and the ensemble is not a handful
    assert all(p["distance"] <= 1.0 for p in post["particles"])
    assert post["ess"] >= 100, f"{name}: effective sample size {post['ess']}"
    assert post["fit"]["unreachable"] == []
    # the default judgement set, so that every interval carries what the record leaves open
    assert set(post["parameters"]) >= set(
        select_parameters(list(DEFAULT_PARAMETERS), REGISTRY))


@pytest.mark.parametrize("name", sorted(FITTED))
def test_the_scenario_draws_its_judgement_parameters_from_its_own_posterior(name: str) -> None:
    sc = load_scenario(SCENARIOS / f"{name}.yaml")
    post = _post(name)
    for param in post["parameters"]:
        value = sc.values[param]
        assert isinstance(value, Ensemble), param
        assert Path(value.file).name == f"{name}.json", (param, value.file)
        assert "(posterior)" in sc.provenance[param]
    # a school's fit started from the priors its file states (its reading of the record),
    # and what its file draws otherwise (the revisionist school's structure) it still draws
    fitted = {p["name"]: (p["low"], p["high"]) for p in post["priors"]
              if p["origin"] == "scenario"}
    assert fitted == sc.stated_priors()
    if name == "school-revisionist-far-east":
        assert not fitted
        for param in ("eastern_front.fe_division_weight", "eastern_front.fe_share_at_moscow"):
            assert isinstance(sc.values[param], Triangular), param
    elif name.startswith("school-"):
        assert len(fitted) >= 3, fitted


def test_the_content_hash_does_not_depend_on_where_the_posterior_lies(tmp_path: Path) -> None:
    """The same scenario and posterior in a checkout, an installed wheel or a copy are the same
    assumptions (the ensemble is identified by its file's SHA-256, not its path)."""
    copy = tmp_path / "copy"
    (copy / "posteriors").mkdir(parents=True)
    (copy / "posteriors" / "historical.json").write_bytes(
        (POSTERIORS / "historical.json").read_bytes())
    (copy / "historical.yaml").write_bytes((SCENARIOS / "historical.yaml").read_bytes())
    here = load_scenario(SCENARIOS / "historical.yaml")
    there = load_scenario(copy / "historical.yaml")
    assert here.content_hash() == there.content_hash()
    other = json.loads((POSTERIORS / "historical.json").read_text(encoding="utf-8"))
    other["particles"][0]["weight"] *= 0.5
    (copy / "posteriors" / "historical.json").write_text(json.dumps(other), encoding="utf-8")
    changed = load_scenario(copy / "historical.yaml")
    assert changed.content_hash() != here.content_hash()
