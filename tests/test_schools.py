"""``sim schools``: the Shapley attribution across schools of thought and their draws.

A school's band must come from its draws (posterior rows by weight, else its stated priors)
and from each draw's Monte Carlo noise; the verdict must say "in every school" only when every
school's band is clear of zero on the same side; the same seed gives the same bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.analysis.factors import select_factors
from sim.analysis.schools import (DEFAULT_SCHOOLS, SchoolResult, SchoolsComparison,
                                  compare_schools, school_draws)
from sim.scenario import load_scenario

from cli_run import run as run_cli
from conftest import SCENARIOS
from test_ensemble import OIL, SOVIET, ensemble_scenario, posterior


def _result(name: str, samples: list[float], median: float = 0.0) -> SchoolResult:
    x = np.asarray(samples, dtype=float)[:, None]
    return SchoolResult(name, "prior", [{}], np.zeros(1), np.array([[median]]), x)


def _cmp(*schools: SchoolResult) -> SchoolsComparison:
    return SchoolsComparison("decision == 'north'", "share of runs",
                             select_factors("embargo"), list(schools), 10, 1)


@pytest.mark.parametrize("bands, verdict", [
    ([[0.1, 0.2, 0.3], [0.05, 0.1, 0.2]], "raises it in every school"),
    ([[-0.3, -0.2], [-0.1, -0.05]], "lowers it in every school"),
    ([[0.1, 0.2, 0.3], [-0.1, 0.1, 0.2]], "depends on the school"),
    ([[0.1, 0.2, 0.3], [-0.3, -0.2, -0.1]], "depends on the school"),
    ([[-0.1, 0.0, 0.1], [-0.05, 0.05]], "indistinguishable from zero in every school"),
])
def test_the_verdict_holds_only_when_every_band_is_clear_of_zero_on_one_side(
        bands: list[list[float]], verdict: str) -> None:
    cmp = _cmp(*(_result(f"s{i}", b, float(np.median(b))) for i, b in enumerate(bands)))
    assert cmp.verdict(0) == verdict
    assert verdict in cmp.table()


def test_posterior_draws_follow_the_weights_and_keep_rows_whole(tmp_path: Path) -> None:
    sc = ensemble_scenario(posterior(tmp_path / "p.json"))  # rows weighted 1:3
    basis, draws = school_draws(sc, 2000, seed=5)
    assert basis == "posterior" and len(draws) == 2000
    rows = Counter((d[OIL], d[SOVIET]) for d in draws)
    assert set(rows) == {(1.1, 4.0), (4.0, 1.0)}
    assert abs(rows[(4.0, 1.0)] / 2000 - 0.75) < 0.04
    assert school_draws(sc, 50, seed=5) == school_draws(sc, 50, seed=5)
    assert school_draws(sc, 50, seed=5) != school_draws(sc, 50, seed=6)


def test_an_uncalibrated_school_draws_its_stated_priors(tmp_path: Path) -> None:
    """A school without a posterior draws its stated uniforms; a scenario with neither is
    run as written; the installed schools draw their own posterior's rows."""
    base = tmp_path / "base.yaml"
    base.write_text("name: base\nparams: {}\n", encoding="utf-8")
    school = tmp_path / "school.yaml"
    school.write_text(f"name: uncalibrated\nextends: {base}\nparams:\n  decision:\n"
                      "    w_oil: {dist: uniform, low: 2.2, high: 3.5}\n"
                      "    w_war_oil: {dist: uniform, low: 3.6, high: 5.0}\n",
                      encoding="utf-8")
    basis, draws = school_draws(load_scenario(school), 200, seed=1)
    assert basis == "prior"
    oil = np.array([d["decision.w_oil"] for d in draws])
    assert 2.2 <= oil.min() and oil.max() <= 3.5 and oil.std() > 0.2
    assert set(draws[0]) == {"decision.w_oil", "decision.w_war_oil"}
    assert school_draws(load_scenario(base), 5, 1) == ("as written", [{}])
    installed = load_scenario(SCENARIOS / "school-oil.yaml")
    basis, draws = school_draws(installed, 50, seed=1)
    assert basis == "posterior" and "decision.w_oil" in draws[0]
    oil = np.array([d["decision.w_oil"] for d in draws])
    assert 2.2 <= oil.min() and oil.max() <= 3.5  # the fit stays inside the school's prior


def test_the_three_schools_are_installed_with_their_sources() -> None:
    for name in DEFAULT_SCHOOLS[1:]:
        text = (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")
        assert "extends: historical.yaml" in text
        sc = load_scenario(name)
        assert sc.name == name and sc.differences(), name
    nomonhan = (SCENARIOS / "school-nomonhan.yaml").read_text(encoding="utf-8")
    assert "Coox" in nomonhan and "Goldman" in nomonhan
    assert "POL-19" in (SCENARIOS / "school-oil.yaml").read_text(encoding="utf-8")
    assert "EF-14" in (SCENARIOS / "school-revisionist-far-east.yaml").read_text(
        encoding="utf-8")


def test_a_school_with_stronger_oil_weights_credits_the_embargo_more() -> None:
    """The attribution follows the school's weights: the embargo's share of P(north) is
    larger where the oil pressure weighs more (a direction, not a value)."""
    base = load_scenario(SCENARIOS / "historical.yaml")
    weak = base.with_overrides({"decision.w_oil": 1.0, "decision.w_war_oil": 2.0})
    strong = base.with_overrides({"decision.w_oil": 3.5, "decision.w_war_oil": 5.0})
    cmp = compare_schools([weak, strong], "decision != 'south'", "embargo", runs=300,
                          draws=1, seed=3, workers=1)
    weak_share, strong_share = (s.contributions[0, 0] for s in cmp.schools)
    assert strong_share > weak_share


def test_same_seed_same_bytes_and_the_cli_writes_three_files(tmp_path: Path,
                                                             capsys: Any) -> None:
    args = ["schools", "historical", "school-oil", "--factors", "embargo", "--runs", "12",
            "--draws", "2", "-w", "1", "-q"]
    code, _out, err = run_cli(capsys, *args, "-o", str(tmp_path / "a"))
    assert code == 0, err
    code, _out, err = run_cli(capsys, *args, "-o", str(tmp_path / "b"))
    assert code == 0, err
    for name in ("schools.json", "schools.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    data = json.loads((tmp_path / "a" / "schools.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in data["schools"]] == ["historical", "school-oil"]
    assert [s["basis"] for s in data["schools"]] == ["posterior", "posterior"]
    assert (tmp_path / "a" / "schools.png").stat().st_size > 5000
    # nothing replaced without --force
    code, _out, err = run_cli(capsys, *args, "-o", str(tmp_path / "a"))
    assert code == 2 and err.count("\n") == 1 and "--force" in err, err


def test_a_missing_school_is_one_line_and_exit_2(tmp_path: Path, capsys: Any) -> None:
    code, _out, err = run_cli(capsys, "schools", "historical", "no-such-school",
                              "-o", str(tmp_path / "x"))
    assert code == 2 and err.count("\n") == 1 and "no-such-school" in err, err
