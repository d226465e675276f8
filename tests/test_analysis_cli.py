"""`sim explain`, `sim sensitivity`, `sim discover` on the command line (small sizes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run


REPO = Path(__file__).resolve().parent.parent
HISTORICAL = str(REPO / "scenarios" / "historical.yaml")


def test_explain_prints_a_table_and_writes_a_waterfall(capsys, tmp_path) -> None:
    code, out, err = run(
        capsys, "explain", HISTORICAL, "--outcome", "decision == 'north'",
        "--factors", "embargo,neutrality_pact", "--factor", "no_kantokuen:kantokuen.enabled=false",
        "--runs", "30", "--seed", "3", "--bootstrap", "50", "--workers", "1", "--out", str(tmp_path),
    )
    assert code == 0, err
    assert "US oil embargo" in out and "Neutrality pact" in out and "no kantokuen" in out
    assert "8 scenarios x 30 runs" in out
    data = json.loads((tmp_path / "attribution.json").read_text())
    total = sum(f["contribution"] for f in data["factors"])
    assert total == pytest.approx(data["total"], abs=1e-12)
    assert (tmp_path / "waterfall.png").stat().st_size > 1000


def test_explain_lists_factors(capsys) -> None:
    code, out, _ = run(capsys, "explain", HISTORICAL, "--list-factors")
    assert code == 0
    assert "khalkhin_gol" in out and "embargo.enabled=false" in out and "KG-15" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["explain", HISTORICAL, "--outcome", "decison == 'north'"], "did you mean `decision`"),
        (["explain", HISTORICAL, "--outcome", "__import__('os')"], "not allowed"),
        (["explain", HISTORICAL, "--factors", "embargoo"], "did you mean `embargo`"),
        (["explain", HISTORICAL, "--factor", "broken"], "--factor"),
        (["explain", HISTORICAL, "--factor", "x:embargo.enabld=false", "--factors", "embargo"], "embargo.enabld"),
        (["sensitivity", HISTORICAL, "--params", "soviet_fe.men_1941"], "did you mean"),
        (["sensitivity", HISTORICAL, "--params", "barbarossa.date"], "no documented credible range"),
        (["sensitivity", HISTORICAL, "--samples", "100"], "power of 2"),
        (["discover", HISTORICAL, "--target", "kg_japanese_casualties"], "not a condition"),
        (["discover", HISTORICAL, "--target", "decision == 'none'"], "'none' is now 'hold'"),
        (["explain", HISTORICAL, "--outcome", "decision in ('north', 'none')"], "write 'hold'"),
        (["discover", "no/such/file.yaml"], "no/such/file.yaml"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, argv, fragment) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert fragment in err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_sensitivity_oat_writes_a_tornado(capsys, tmp_path) -> None:
    code, out, err = run(
        capsys, "sensitivity", HISTORICAL, "--method", "oat",
        "--params", "soviet_fe.men_1941_06,embargo.enabled,decision.w_oil",
        "--replications", "8", "--workers", "1", "--out", str(tmp_path),
    )
    assert code == 0, err
    assert "baseline (all central)" in out and "decision.w_oil" in out
    assert (tmp_path / "tornado.png").stat().st_size > 1000
    data = json.loads((tmp_path / "sensitivity_oat.json").read_text())
    assert set(data["indices"]) == {"soviet_fe.men_1941_06", "embargo.enabled", "decision.w_oil"}


def test_discover_prints_rules(capsys, tmp_path) -> None:
    code, out, err = run(
        capsys, "discover", HISTORICAL, "--target", "decision == 'north'", "--samples", "40",
        "--replications", "2", "--params", "decision.north_bias,soviet_fe.men_1941_06",
        "--min-density", "0.3", "--workers", "1", "--out", str(tmp_path),
    )
    assert code == 0, err
    assert "40 sample points x 2 replications over 2 parameters" in out
    assert (tmp_path / "discovery.json").exists()
