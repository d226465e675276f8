"""The posterior ensemble as a distribution: ``{dist: ensemble, file: ...}``.

One uniform of the parameter stream picks a whole row, so the parameters of one ensemble move
together (correlations survive), rows come up as often as their weights say, and two scenarios
with one seed pick the same row in the same replication (common random numbers).  Every
mistake in the file is a one-line error naming the file and the key, exit 2 from the CLI.
"""

from __future__ import annotations

import json
import pickle
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim import engine
from sim.ensemble import POSTERIOR_FORMAT, Ensemble, StalePosterior, model_version
from sim.errors import ScenarioError
from sim.registry import REGISTRY
from sim.scenario import load_scenario, scenario_from_dict
from sim.streams import Streams

from cli_run import run as run_cli
from conftest import SCENARIOS

OIL, SOVIET = "decision.w_oil", "decision.w_soviet_power"
ROWS = [(1.1, 4.0, 1), (4.0, 1.0, 3)]  # the two weight sets of issue 11, weights 1:3
VERSION = model_version((p.name, p.kind) for p in REGISTRY)


def posterior(path: Path, rows: list[tuple[Any, ...]] = ROWS, **changes: Any) -> Path:
    data: dict[str, Any] = {
        "format": POSTERIOR_FORMAT, "format_version": 1, "model_version": VERSION,
        "refit": "sim calibrate historical -o calibration/historical --force",
        "parameters": [OIL, SOVIET],
        "particles": [{"weight": w, "values": [a, b]} for a, b, w in rows],
    }
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def ensemble_scenario(file: Path, allow_stale: bool = False, **extra: Any) -> Any:
    spec = {"dist": "ensemble", "file": str(file)}
    if allow_stale:
        spec["allow_stale"] = True
    return load_scenario(SCENARIOS / "historical.yaml",
                         overrides={OIL: spec, SOVIET: spec,
                                    **{k.replace("__", "."): v for k, v in extra.items()}})


def draws(scenario: Any, n: int = 4000, entropy: int = 7) -> list[tuple[float, float]]:
    sampler = scenario.sampler()
    out = []
    for i in range(n):
        d = sampler.draw_for(Streams(entropy, i))
        out.append((d[OIL], d[SOVIET]))
    return out


def test_one_uniform_picks_a_whole_row_with_its_weight(tmp_path: Path) -> None:
    sc = ensemble_scenario(posterior(tmp_path / "p.json"))
    got = Counter(draws(sc))
    assert set(got) == {(1.1, 4.0), (4.0, 1.0)}, "never a mix of two rows"
    share = got[(4.0, 1.0)] / sum(got.values())
    assert abs(share - 0.75) < 0.03, share
    oil = np.array([a for a, _ in draws(sc)])
    soviet = np.array([b for _, b in draws(sc)])
    assert np.corrcoef(oil, soviet)[0, 1] < -0.99, "the correlation survives"


def test_common_random_numbers_hold(tmp_path: Path) -> None:
    file = posterior(tmp_path / "p.json")
    a = ensemble_scenario(file)
    b = ensemble_scenario(file, embargo__enabled=False, decision__w_west=2.0)
    assert draws(a, 500) == draws(b, 500), "the same row in the same replication"
    # and the engine records what the model got, replication by replication
    ra, rb = engine.run_batch([a, b], runs=40, seed=3, workers=1, progress=False)
    assert np.array_equal(ra.inputs[OIL], rb.inputs[OIL])
    assert set(zip(ra.inputs[OIL], ra.inputs[SOVIET])) <= {(1.1, 4.0), (4.0, 1.0)}
    # a parameter not in the ensemble keeps its own uniform: its draws do not move
    tri = {"dist": "triangular", "low": 0.5, "mode": 1.5, "high": 2.5}
    base = load_scenario(SCENARIOS / "historical.yaml", overrides={"decision.w_west": tri})
    with_ens = a.with_overrides({"decision.w_west": tri})
    west = [base.sampler().draw_for(Streams(7, i))["decision.w_west"] for i in range(200)]
    west_e = [with_ens.sampler().draw_for(Streams(7, i))["decision.w_west"] for i in range(200)]
    assert west == west_e


def test_the_ensemble_survives_a_manifest(tmp_path: Path) -> None:
    sc = ensemble_scenario(posterior(tmp_path / "p.json"))
    back = scenario_from_dict(json.loads(json.dumps(sc.to_dict())))
    assert back.content_hash() == sc.content_hash()
    assert draws(back, 300) == draws(sc, 300)
    d = sc.values[OIL]
    assert isinstance(d, Ensemble) and d.key == OIL and d.sha256
    assert d.bounds() == (1.1, 4.0) and abs(d.mean() - (1.1 * 0.25 + 4.0 * 0.75)) < 1e-12


def test_a_relative_file_is_read_beside_the_scenario(tmp_path: Path, monkeypatch: Any) -> None:
    posterior(tmp_path / "post.json")
    (tmp_path / "fitted.yaml").write_text(
        f"extends: {SCENARIOS / 'historical.yaml'}\nparams:\n  decision:\n"
        "    w_oil: {dist: ensemble, file: post.json}\n"
        "    w_soviet_power: {dist: ensemble, file: post.json}\n", encoding="utf-8")
    monkeypatch.chdir(SCENARIOS)
    sc = load_scenario(tmp_path / "fitted.yaml")
    assert sc.values[OIL].file == str(tmp_path / "post.json")
    assert set(draws(sc, 100)) <= {(1.1, 4.0), (4.0, 1.0)}


def _error(tmp_path: Path, file: Path, **kw: Any) -> str:
    with pytest.raises(ScenarioError) as info:
        ensemble_scenario(file, **kw)
    text = str(info.value)
    assert "\n" not in text and OIL in text and file.name in text, text
    return text


@pytest.mark.parametrize("case, expected", [
    ("missing", "does not exist"),
    ("not json", "cannot be read as JSON"),
    ("another format", "is not a posterior file"),
    ("format version", "posterior format version 99"),
    ("negative weight", "`weight` must be a finite number >= 0"),
    ("zero weights", "the weights add up to 0"),
    ("short row", "expected 2 values"),
    ("unknown parameter", "`decision.w_nonsense`, which is not a parameter of this model"),
    ("no such column", "holds no parameter `decision.w_oil`"),
    ("out of bounds", "can fall outside the allowed range"),
    ("another model version", "is stale: fitted to model version m-000000000000"),
])
def test_every_mistake_is_one_line_naming_the_file_and_key(tmp_path: Path, case: str,
                                                           expected: str) -> None:
    p = tmp_path / "post.json"
    if case == "missing":
        p = tmp_path / "nowhere.json"
    elif case == "not json":
        p.write_text("{not json", encoding="utf-8")
    elif case == "another format":
        posterior(p, format="something else")
    elif case == "format version":
        posterior(p, format_version=99)
    elif case == "negative weight":
        posterior(p, rows=[(1.1, 4.0, -1), (4.0, 1.0, 3)])
    elif case == "zero weights":
        posterior(p, rows=[(1.1, 4.0, 0), (4.0, 1.0, 0)])
    elif case == "short row":
        posterior(p, particles=[{"weight": 1, "values": [1.0]}])
    elif case == "unknown parameter":
        posterior(p, parameters=[OIL, SOVIET, "decision.w_nonsense"],
                  particles=[{"weight": 1, "values": [1.0, 2.0, 3.0]}])
    elif case == "no such column":
        posterior(p, parameters=[SOVIET, "decision.w_west"])
    elif case == "out of bounds":
        posterior(p, rows=[(-1.0, 4.0, 1)])
    else:
        posterior(p, model_version="m-000000000000")
    text = _error(tmp_path, p)
    assert expected in text, text
    if case == "another model version":
        assert "refit it with `sim calibrate historical" in text


def test_a_stale_posterior_is_only_flagged_when_the_scenario_allows_it(tmp_path: Path) -> None:
    p = posterior(tmp_path / "post.json", model_version="m-000000000000")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sc = ensemble_scenario(p, allow_stale=True)
    stale = [w for w in caught if issubclass(w.category, StalePosterior)]
    assert stale and "refit it with `sim calibrate" in str(stale[0].message)
    assert set(draws(sc, 50)) <= {(1.1, 4.0), (4.0, 1.0)}


def test_a_file_that_changed_after_it_was_chosen_is_refused(tmp_path: Path) -> None:
    p = posterior(tmp_path / "post.json")
    data = ensemble_scenario(p).to_dict()
    posterior(p, rows=[(2.0, 2.0, 1)])
    with pytest.raises(ScenarioError, match="has changed since it was chosen"):
        scenario_from_dict(data)


def test_the_cli_says_one_line_and_exits_2(tmp_path: Path, capsys: Any) -> None:
    p = posterior(tmp_path / "post.json", rows=[(1.1, 4.0, -2)])
    code, out, err = run_cli(capsys, "run", str(SCENARIOS / "historical.yaml"), "-n", "10",
                             "--set", f"{OIL}={{dist: ensemble, file: {p}}}", "-q",
                             "-o", str(tmp_path / "out"))
    assert code == 2 and err.count("\n") == 1 and "post.json" in err and OIL in err, err


def test_the_rows_travel_to_the_workers(tmp_path: Path) -> None:
    """Workers get the rows with the scenario, not the path: the same draws with 2 workers as
    with 1, and a sampler unpickled where the file is gone still draws."""
    file = posterior(tmp_path / "p.json")
    sc = ensemble_scenario(file)
    blob = pickle.dumps(sc.sampler())
    file.unlink()
    assert draws(sc, 100) == [(d[OIL], d[SOVIET]) for d in
                              (pickle.loads(blob).draw_for(Streams(7, i)) for i in range(100))]
    one = engine.run(sc, runs=40, seed=2, workers=1, progress=False)
    two = engine.run(sc, runs=40, seed=2, workers=2, progress=False)
    assert np.array_equal(one.inputs[OIL], two.inputs[OIL])
    assert np.array_equal(one.outcomes["decision"], two.outcomes["decision"])
