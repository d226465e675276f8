"""Sweeps: parsing of --vary, one- and two-way grids, their figures, files and CLI errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from sim import sweep as sw
from sim.errors import UserError

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="module")
def historical():
    from sim.scenario import load_scenario

    return load_scenario(SCENARIOS / "historical.yaml")


def test_parse_float_range() -> None:
    v = sw.parse_vary("barbarossa.pressure=0.5:1.5:5")
    assert v.key == "barbarossa.pressure"
    assert v.values == (0.5, 0.75, 1.0, 1.25, 1.5)


def test_date_grids_fall_on_month_starts_or_the_documented_date() -> None:
    months = sw.parse_vary("embargo.date=1941-06-01:1941-12-01:7").values
    assert months == tuple(dt.date(1941, m, 1) for m in range(6, 13))  # not 1941-10-31
    odd = sw.parse_vary("embargo.date=1941-05-20:1942-02-10:4").values
    assert odd[0] == dt.date(1941, 5, 20) and odd[-1] == dt.date(1942, 2, 10)
    assert all(d.day == 1 for d in odd[1:-1])
    # Barbarossa's documented 22 June 1941 is nearer the grid point than any month start
    documented = sw.parse_vary("barbarossa.date=1941-04-01:1941-09-10:3").values
    assert dt.date(1941, 6, 22) in documented
    # finer than a month: whole days, evenly spaced
    days = sw.parse_vary("barbarossa.date=1941-06-01:1941-06-29:5").values
    assert [d.day for d in days] == [1, 8, 15, 22, 29]


def test_parse_date_range_gives_dates() -> None:
    v = sw.parse_vary("embargo.date=1941-06-01:1941-10-01:3")
    assert v.values == (dt.date(1941, 6, 1), dt.date(1941, 8, 1), dt.date(1941, 10, 1))
    assert v.kind == "date"


def test_parse_bool_list() -> None:
    assert sw.parse_vary("embargo.enabled=true,false").values == (True, False)


@pytest.mark.parametrize("spec, message", [
    ("embargo.enabeld=true,false", "unknown parameter `embargo.enabeld` (did you mean "
                                   "`embargo.enabled`?)"),
    ("barbarossa.pressure=1:2", "expected KEY=LOW:HIGH:STEPS (three parts"),
    ("barbarossa.pressure=2:1:3", "HIGH (1) must be greater than LOW (2)"),
    ("barbarossa.pressure=1:2:x", "STEPS must be a whole number"),
    ("barbarossa.pressure=1:2:1", "STEPS must be between 2 and"),
    ("barbarossa.pressure=a:2:3", "`a` is not a number"),
    ("embargo.date=1941-13-01:1941-12-01:3", "`1941-13-01` is not an ISO date"),
    ("embargo.date=1941-12-01:1941-06-01:3", "must be after LOW"),
    ("embargo.enabled=maybe,false", "is true/false"),
    ("barbarossa.pressure", "expected KEY=LOW:HIGH:STEPS such as"),
])
def test_bad_vary_is_a_one_line_user_error(spec: str, message: str) -> None:
    with pytest.raises(UserError) as err:
        sw.parse_vary(spec)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_out_of_bounds_value_is_refused() -> None:
    from sim.registry import REGISTRY

    lo, _ = REGISTRY["kantokuen.persimmon_threshold"].bounds
    with pytest.raises(UserError, match="expected a value in"):
        sw.parse_vary(f"kantokuen.persimmon_threshold={lo - 1}:{lo + 0.5}:3")


def test_parse_measures() -> None:
    assert [m.label for m in sw.parse_measures(None)] == [
        f"P(decision = {c})" for c in ("south", "north", "both", "hold")]
    assert [m.label for m in sw.parse_measures(["decision=north", "oil_stock_end_1942"])] == [
        "P(decision = north)", "mean oil_stock_end_1942 (million bbl)"]
    with pytest.raises(UserError, match="has no category `east`"):
        sw.parse_measures(["decision=east"])
    with pytest.raises(UserError, match="did you mean `oil_stock_end_1942`"):
        sw.parse_measures(["oil_stock_end_1492"])


def test_one_way_sweep_lines_and_bands(historical, tmp_path: Path) -> None:
    s = sw.sweep(historical, ["barbarossa.pressure=0.5:2:3"], runs=30, seed=2, workers=1,
                 outcomes=["decision", "oil_stock_end_1942"])
    assert [p["barbarossa.pressure"] for p in s.points] == [0.5, 1.25, 2.0]
    rows = s.table()
    assert len(rows) == 3
    for r, res in zip(rows, s.results):
        assert r["P(decision = south)"] == pytest.approx(np.mean(res.outcomes["decision"] == "south"))
        assert r["P(decision = south) low"] <= r["P(decision = south)"] <= \
            r["P(decision = south) high"]
    fig = s.figure()
    assert len(fig.axes) == 2  # decision shares, mean oil stock
    shares = fig.axes[0]
    assert [ln.get_label() for ln in shares.lines] == [
        "Strike south", "Strike north", "Both, within 270 days", "Hold (no offensive)"]
    assert len(shares.collections) == 4  # one 95% band per line
    np.testing.assert_allclose(shares.lines[0].get_xdata(), [0.5, 1.25, 2.0])
    assert shares.get_xlabel() == "Multiplier on German pressure on the USSR (ratio)"
    assert "30 replications per point" in " ".join(fig.get_suptitle().split())
    written = s.write(tmp_path / "sweep", ("png",))
    assert {p.name for p in written} == {"sweep.csv", "sweep.json", "sweep.png"}
    data = json.loads((tmp_path / "sweep" / "sweep.json").read_text())
    assert data["vary"][0]["values"] == [0.5, 1.25, 2.0]
    assert len(data["rows"]) == 3
    assert "P(decision = south)" in s.format_table().splitlines()[0]


def test_points_share_random_numbers(historical) -> None:
    """Two grid points with the same value give the same numbers: common random numbers."""
    s = sw.sweep(historical, ["embargo.enabled=true,false"], runs=20, seed=4, workers=1,
                 outcomes=["kg_japanese_casualties"])
    a, b = (r.outcomes["kg_japanese_casualties"] for r in s.results)
    np.testing.assert_array_equal(a, b)  # 1939 battle: nothing the embargo can change


def test_two_way_sweep_heatmap(historical) -> None:
    s = sw.sweep(historical, ["embargo.date=1941-06-01:1941-12-01:3",
                              "china.drain_multiplier=0:1:2"],
                 runs=20, seed=2, workers=1, outcomes=["decision=north"])
    assert len(s.points) == 6
    fig = s.figure()
    heat = [ax for ax in fig.axes if ax.images]
    assert len(heat) == 1
    image = heat[0].images[0].get_array()
    assert image.shape == (2, 3)  # rows: second key, columns: first key
    assert [t.get_text() for t in heat[0].get_xticklabels()] == [
        "1941-06-01", "1941-09-01", "1941-12-01"]
    assert heat[0].get_ylabel() == "China war drain in men and oil (ratio)"
    assert len(heat[0].texts) == 6  # every cell annotated
    # the colour scale runs from the smallest to the largest share swept, and says so
    finite = image[np.isfinite(image)]
    assert heat[0].images[0].get_clim() == pytest.approx((finite.min(), finite.max())) or \
        finite.min() == finite.max()
    assert "lowest to highest" in fig.axes[1].get_ylabel()
    assert len(fig.axes) == 2  # the heatmap and its colour bar


def test_too_many_or_repeated_keys(historical) -> None:
    with pytest.raises(UserError, match="one or two parameters"):
        sw.sweep(historical, ["barbarossa.pressure=1:2:2", "china.drain_multiplier=0:1:2",
                              "embargo.enabled=true,false"], runs=5)
    with pytest.raises(UserError, match="given twice"):
        sw.sweep(historical, ["barbarossa.pressure=1:2:2", "barbarossa.pressure=1:3:2"], runs=5)


def test_sim_sweep_cli_reports_bad_input_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli import main

    with pytest.raises(SystemExit) as done:
        main(["sweep", str(SCENARIOS / "historical.yaml"), "--vary", "barbarossa.presure=1:2:3"])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert err.strip().count("\n") == 0 and "did you mean `barbarossa.pressure`" in err


def test_sim_sweep_cli_prints_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli import main

    with pytest.raises(SystemExit) as done:
        main(["sweep", str(SCENARIOS / "historical.yaml"), "--vary",
              "china.drain_multiplier=0:1:2", "--runs", "15", "--workers", "1",
              "--outcome", "decision=south", "--out", str(tmp_path / "s")])
    out = capsys.readouterr().out
    assert done.value.code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["china.drain_multiplier", "P(decision", "=", "south)"]
    assert lines[2].startswith("0.0 ") and lines[3].startswith("1.0 ")
    assert (tmp_path / "s" / "sweep.png").stat().st_size > 5_000
