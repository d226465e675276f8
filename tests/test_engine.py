"""The engine: seeds, chunking, workers, batches, precision, failures.

Most tests use a small, fast stand-in model (:func:`toy_model`) with its own tiny parameter
registry, so that they test the engine's machinery rather than the campaign model; the other
test files import these helpers (``from test_engine import ...``).
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import os
import signal
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim import engine
from sim.distributions import parse_distribution
from sim.errors import UserError
from sim.outcomes import DECISIONS, OUTCOMES, SERIES, month_ends
from sim.params import Param, Registry
from sim.results import SERIES_BLOCK, Results
from sim.scenario import Scenario
from sim.streams import Streams, root_entropy

HORIZON = dt.date(1942, 12, 31)
TESTS_DIR = Path(__file__).resolve().parent

TOY_REGISTRY = Registry([
    Param("simulation.horizon", HORIZON, "date", "test", "Last simulated day", kind="date"),
    Param("toy.south_bias", parse_distribution({"dist": "uniform", "low": 0.3, "high": 0.7}),
          "share", "test", "Chance of going south", bounds=(0.0, 1.0)),
    Param("toy.casualties", 8000.0, "men", "test", "Typical casualties", bounds=(0.0, None)),
    Param("toy.fail_at", -1, "replication", "test", "Replication that raises (-1: none)",
          kind="int"),
    Param("toy.sleep", 0.0, "s", "test", "Seconds each replication sleeps", bounds=(0.0, 10.0)),
    Param("toy.embargo_month", 30, "month", "test", "Month index after which oil falls",
          kind="int", bounds=(0, 200)),
])

class ToyReplication:
    """What the model contract asks for: outcomes, series, events."""

    def __init__(self, outcomes: dict[str, Any], series: dict[str, np.ndarray],
                 events: list[Any]) -> None:
        self.outcomes = outcomes
        self.series = series
        self.events = events


def toy_model(params: dict[str, Any], streams: Streams, trace: bool = False) -> ToyReplication:
    """A cheap model with every outcome kind, missing values, series and a change date."""
    if params.get("toy.fail_at", -1) == streams.replication:
        raise RuntimeError(f"toy failure at {streams.replication}")
    if params.get("toy.sleep"):
        time.sleep(params["toy.sleep"])
    u = streams.block("decisions", 8)
    c = streams.block("combat", 8)
    decision = DECISIONS[0] if u[0] < params.get("toy.south_bias", 0.5) \
        else DECISIONS[1 + int(u[1] * 3)]
    south = dt.date(1941, 12, 8) + dt.timedelta(days=int(u[2] * 30)) \
        if decision in ("south", "both") else None
    north = dt.date(1941, 8, 1) + dt.timedelta(days=int(u[3] * 60)) \
        if decision in ("north", "both") else None
    out: dict[str, Any] = {}
    for o in OUTCOMES:
        if o.kind == "category":
            out[o.name] = decision if o.name == "decision" \
                else o.categories[int(c[0] * len(o.categories))]
        elif o.kind == "date":
            out[o.name] = None
        elif o.kind == "count":
            out[o.name] = int(params.get("toy.casualties", 8000.0) * (0.5 + c[1]))
        else:
            out[o.name] = round(40.0 + 30.0 * c[2], 3)
    out["south_attack_date"] = south
    out["north_attack_date"] = north
    out["singapore_fall_days"] = 50.0 + 40.0 * c[3] if south else None
    count = len(month_ends(params["simulation.horizon"]))
    months = np.arange(count)
    noise = streams["economy"].random(count)
    oil = 50.0 - 0.3 * months + noise
    cut = params.get("toy.embargo_month", 30)
    oil[cut:] -= 2.0 * (months[cut:] - cut)
    series = {name: (oil if name == "oil_stock" else 1e5 + 1e3 * noise * (i + 1))
              for i, name in enumerate(SERIES)}
    events = [(dt.date(1939, 1, 1) + dt.timedelta(days=30 * k), f"month {k}", float(oil[k]))
              for k in range(count)] if trace else []
    return ToyReplication(out, series, events)


def slow_toy_model(params: dict[str, Any], streams: Streams,
                   trace: bool = False) -> ToyReplication:
    """The toy model at about 2 ms a replication, so a run can be killed half-way."""
    time.sleep(0.002)
    return toy_model(params, streams, trace)


class _PressesCtrlCInDel:
    """Presses Ctrl-C from ``__del__``, where CPython can only print the KeyboardInterrupt
    and drop it, as it does inside the import system's weakref callbacks."""

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(3):  # a backward jump: the handler runs here, inside __del__
            pass


def ctrl_c_dropped_toy_model(params: dict[str, Any], streams: Streams,
                             trace: bool = False) -> ToyReplication:
    """The toy model, with a Ctrl-C that CPython drops at replication 150."""
    if streams.replication == 150:
        _PressesCtrlCInDel()
    return toy_model(params, streams, trace)


def failing_toy_model(params: dict[str, Any], streams: Streams,
                      trace: bool = False) -> ToyReplication:
    """The toy model, raising at replication 42."""
    if streams.replication == 42:
        raise RuntimeError("toy failure at 42")
    return toy_model(params, streams, trace)


def dying_toy_model(params: dict[str, Any], streams: Streams,
                    trace: bool = False) -> ToyReplication:
    """The slow toy model whose worker processes die abruptly (as if killed) from
    replication 150 on.

    Only workers die: while the pool starts, the parent computes early chunks itself, and a
    parent that exits is not a lost worker (it would also take the test runner down).  At
    ~2 ms a replication the parent cannot finish the run alone before the workers are up.
    """
    if streams.replication >= 150 and multiprocessing.parent_process() is not None:
        os._exit(1)
    return slow_toy_model(params, streams, trace)


_CHEAP_MONTHS = len(month_ends(HORIZON))
_CHEAP_SERIES = {name: np.linspace(1.0, 2.0, _CHEAP_MONTHS) for name in SERIES}


def cheap_model(params: dict[str, Any], streams: Streams, trace: bool = False) -> ToyReplication:
    """Almost no work per replication: measures the engine's own cost and memory."""
    i = streams.replication
    out: dict[str, Any] = {}
    for o in OUTCOMES:
        if o.kind == "category":
            out[o.name] = o.categories[i % len(o.categories)]
        elif o.kind == "date":
            out[o.name] = HORIZON if i % 3 == 0 else None
        else:
            out[o.name] = float(i % 1000)
    return ToyReplication(out, _CHEAP_SERIES, [])


def toy_scenario(name: str = "toy", **values: Any) -> Scenario:
    """A resolved scenario on the toy registry (values override the defaults)."""
    resolved = TOY_REGISTRY.defaults()
    resolved.update(values)
    for key, value in values.items():
        resolved[key] = TOY_REGISTRY[key].check(value)
    return Scenario(name, "toy scenario", None, (), resolved,
                    {k: "test" for k in values}, TOY_REGISTRY)


def toy_scenario_on_registry(name: str = "toy", **values: Any) -> Scenario:
    """A scenario on the model's real registry (so that results folders can be reloaded and
    resumed); the toy model reads only ``simulation.horizon`` from it."""
    from sim.scenario import scenario_from_dict

    sc = scenario_from_dict({"name": name, "values": {}})
    return sc.with_overrides(values) if values else sc


MODEL = f"{__name__}:toy_model"


# --------------------------------------------------------------------------------------


def test_results_shape_and_types() -> None:
    res = engine.run(toy_scenario(), runs=250, seed=3, workers=1, model=toy_model)
    assert isinstance(res, Results)
    assert res.n == 250
    assert res.replications.tolist() == list(range(250))
    assert res.outcomes["decision"].dtype.kind == "U"
    assert set(res.outcomes["decision"]) <= set(DECISIONS)
    assert res.outcomes["south_attack_date"].dtype == np.dtype("datetime64[D]")
    assert np.isnat(res.outcomes["dei_captured_date"]).all()
    assert res.outcomes["kg_japanese_casualties"].dtype == np.float64
    # missing numbers are NaN exactly where the event did not happen
    no_south = np.isnat(res.outcomes["south_attack_date"])
    assert np.array_equal(np.isnan(res.outcomes["singapore_fall_days"]), no_south)
    rows = res.rows()
    assert len(rows) == 250 and rows[7]["replication"] == 7
    assert rows[7]["decision"] == res.outcomes["decision"][7]
    assert all(isinstance(r["south_attack_date"], (dt.date, type(None))) for r in rows)
    assert res.series.months == month_ends(HORIZON)
    q = res.series.quantiles["oil_stock"]
    assert set(q) == {"p05", "p25", "p50", "p75", "p95", "mean"}
    assert np.all(q["p05"] <= q["p50"]) and np.all(q["p50"] <= q["p95"])
    assert res.series.sample["oil_stock"].shape == (250, len(res.series.months))
    assert res.manifest["seed"] == 3 and res.manifest["entropy"] == root_entropy(3)


def test_replication_matches_run_replication() -> None:
    sc = toy_scenario()
    res = engine.run(sc, runs=120, seed=9, workers=1, model=toy_model)
    entropy = res.manifest["entropy"]
    for k in (0, 57, 119):
        rep = engine.run_replication(sc, entropy, k, model=toy_model)
        assert rep.outcomes["decision"] == res.outcomes["decision"][k]
        assert np.array_equal(rep.series["oil_stock"], res.series.sample["oil_stock"][k])


def test_same_seed_same_numbers_different_seed_different() -> None:
    sc = toy_scenario()
    a = engine.run(sc, runs=200, seed=1, workers=1, model=toy_model)
    b = engine.run(sc, runs=200, seed=1, workers=1, model=toy_model)
    c = engine.run(sc, runs=200, seed=2, workers=1, model=toy_model)
    assert a.summary() == b.summary()
    assert not np.array_equal(a.outcomes["kg_soviet_casualties"], c.outcomes["kg_soviet_casualties"])


def test_chunk_size_and_workers_do_not_change_results() -> None:
    sc = toy_scenario()
    ref = engine.run(sc, runs=450, seed=5, workers=1, chunk_size=1000, model=toy_model)
    other = engine.run(sc, runs=450, seed=5, workers=2, chunk_size=100, model=toy_model)
    assert other.manifest["executor"] == "processes"
    for name in ref.codes:
        assert np.array_equal(ref.codes[name], other.codes[name], equal_nan=True), name
    for name in SERIES:
        for q in ("p05", "p50", "mean"):
            assert np.array_equal(ref.series.quantiles[name][q], other.series.quantiles[name][q])
    assert ref.summary() == other.summary()


def test_unaligned_chunk_size_is_rounded_to_series_blocks() -> None:
    res = engine.run(toy_scenario(), runs=150, seed=1, workers=1, chunk_size=37,
                     model=toy_model)
    assert res.manifest["chunk_size"] % SERIES_BLOCK == 0


def test_default_chunk_size_is_bounded_and_aligned() -> None:
    for runs, workers in [(1, 1), (1000, 2), (10_000, 2), (1_000_000, 2), (50, 64)]:
        size = engine.default_chunk_size(runs, workers)
        assert size % SERIES_BLOCK == 0 and SERIES_BLOCK <= size <= 2000


def test_run_batch_uses_common_random_numbers() -> None:
    base = toy_scenario("base")
    harsher = toy_scenario("harsher", **{"toy.casualties": 12000.0})
    a, b = engine.run_batch([base, harsher], runs=300, seed=11, workers=1, model=toy_model)
    alone = engine.run(harsher, runs=300, seed=11, workers=1, model=toy_model)
    assert np.array_equal(b.codes["kg_soviet_casualties"], alone.codes["kg_soviet_casualties"])
    # same draws, only the casualty scale differs: the decision is identical run by run
    assert np.array_equal(a.codes["decision"], b.codes["decision"])
    ratio = b.outcomes["kg_soviet_casualties"] / a.outcomes["kg_soviet_casualties"]
    assert np.allclose(ratio, 1.5, rtol=2e-3)


def test_run_batch_many_small_scenarios_in_one_pool() -> None:
    scenarios = [toy_scenario(f"s{i}", **{"toy.casualties": 1000.0 + i}) for i in range(12)]
    start = time.perf_counter()
    results = engine.run_batch(scenarios, runs=200, seed=4, workers=2, model=toy_model)
    elapsed = time.perf_counter() - start
    assert [r.scenario.name for r in results] == [s.name for s in scenarios]
    assert all(r.n == 200 for r in results)
    serial = engine.run_batch(scenarios, runs=200, seed=4, workers=1, model=toy_model)
    for r, s in zip(results, serial):
        assert r.summary() == s.summary()
    assert elapsed < 30


def test_failing_replication_stops_with_a_reproducible_message() -> None:
    sc = toy_scenario(**{"toy.fail_at": 42})
    with pytest.raises(engine.ReplicationFailed, match=r"replication 42 failed.*toy failure"):
        engine.run(sc, runs=200, seed=1, workers=1, model=toy_model)


def test_keep_going_records_failures_and_goes_on() -> None:
    sc = toy_scenario(**{"toy.fail_at": 42})
    res = engine.run(sc, runs=200, seed=1, workers=1, keep_going=True, model=toy_model)
    assert res.n == 199 and 42 not in res.replications
    assert res.errors == [{"replication": 42, "seed": 1, "entropy": root_entropy(1),
                           "error": "RuntimeError: toy failure at 42"}]
    assert res.summary()["failed"] == 1


def test_precision_adds_runs_until_shares_are_precise() -> None:
    sc = toy_scenario()
    res = engine.run(sc, runs=200, seed=8, workers=1, precision=0.03, max_runs=5000,
                     model=toy_model)
    prec = res.manifest["precision"]
    assert prec["reached"] is True and prec["achieved_half_width"] <= 0.03
    assert res.n == prec["runs_needed"] > 200
    fixed = engine.run(sc, runs=res.n, seed=8, workers=1, model=toy_model)
    for name in fixed.codes:
        assert np.array_equal(fixed.codes[name], res.codes[name], equal_nan=True)
    assert np.array_equal(fixed.series.quantiles["oil_stock"]["mean"],
                          res.series.quantiles["oil_stock"]["mean"])
    for o in ("decision", "north_objective"):
        for cat, share in res.summary()["outcomes"][o]["shares"].items():
            assert (share["ci95"][1] - share["ci95"][0]) / 2 <= 0.03 + 1e-12, (o, cat)


def test_precision_stops_at_max_runs() -> None:
    res = engine.run(toy_scenario(), runs=100, seed=8, workers=1, precision=0.001,
                     max_runs=300, model=toy_model)
    assert res.n == 300 and res.manifest["precision"]["reached"] is False


@pytest.mark.parametrize("kwargs, message", [
    ({"runs": 0}, "--runs"),
    ({"runs": 10, "seed": -1}, "--seed"),
    ({"runs": 10, "workers": 0}, "--workers"),
    ({"runs": 10, "precision": 0.7}, "--precision"),
    ({"runs": 10, "max_runs": 50}, "--max-runs only applies"),
    ({"runs": 100, "precision": 0.01, "max_runs": 50}, "below --runs"),
])
def test_bad_arguments_are_user_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UserError, match=message):
        engine.run(toy_scenario(), model=toy_model, **kwargs)


def test_model_defined_in_a_function_is_refused() -> None:
    def local_model(params: Any, streams: Any) -> Any:  # pragma: no cover - never called
        raise AssertionError

    with pytest.raises(UserError, match="module level"):
        engine.run(toy_scenario(), runs=10, seed=1, model=local_model)


def test_model_returning_a_bad_value_is_a_recorded_failure() -> None:
    with pytest.raises(engine.ReplicationFailed, match="not one of"):
        engine.run(toy_scenario(), runs=10, seed=1, workers=1, model=f"{__name__}:bad_model")


def bad_model(params: dict[str, Any], streams: Streams, trace: bool = False) -> ToyReplication:
    rep = toy_model(params, streams, trace)
    rep.outcomes["decision"] = "sideways"
    return rep


def test_horizon_must_be_fixed() -> None:
    sc = toy_scenario(**{"simulation.horizon": parse_distribution(
        {"dist": "uniform", "low": dt.date(1942, 1, 1), "high": dt.date(1943, 1, 1)})})
    with pytest.raises(UserError, match="simulation.horizon"):
        engine.run(sc, runs=10, seed=1, workers=1, model=toy_model)


def test_probability_and_summary_intervals() -> None:
    res = engine.run(toy_scenario(), runs=400, seed=2, workers=1, model=toy_model)
    p, lo, hi = res.probability("decision", "south")
    share = float(np.mean(res.outcomes["decision"] == "south"))
    assert math.isclose(p, share) and lo < p < hi
    entry = res.summary()["outcomes"]["decision"]["shares"]["south"]
    assert entry["share"] == p and entry["ci95"] == [lo, hi]
    cas = res.summary()["outcomes"]["kg_japanese_casualties"]
    x = res.outcomes["kg_japanese_casualties"]
    assert math.isclose(cas["mean"], float(np.mean(x)))
    assert cas["ci95_mean"][0] < cas["mean"] < cas["ci95_mean"][1]
    assert math.isclose(cas["p50"], float(np.median(x)))
    date = res.summary()["outcomes"]["south_attack_date"]
    went_south = float(np.mean(np.isin(res.outcomes["decision"], ["south", "both"])))
    assert math.isclose(date["share_happened"], went_south)
    assert dt.date.fromisoformat(date["p05"]) <= dt.date.fromisoformat(date["p95"])
    with pytest.raises(UserError, match="no category"):
        res.probability("decision", "west")
    with pytest.raises(UserError, match="not a categorical"):
        res.probability("oil_stock_end_1941", "x")


def test_real_model_is_bit_identical_across_workers(tmp_path: Path) -> None:
    """The campaign model itself: 1 worker in process vs 2 worker processes, files compared."""
    from sim.scenario import load_scenario

    sc = load_scenario(TESTS_DIR.parent / "scenarios" / "historical.yaml")
    one = engine.run(sc, runs=300, seed=77, workers=1, out=tmp_path / "one", plots=False)
    two = engine.run(sc, runs=300, seed=77, workers=2, chunk_size=100, out=tmp_path / "two",
                     plots=False)
    assert one.n == two.n == 300
    for name in ("runs.csv", "summary.json", "outcomes.npz", "series.npz"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_progress_bar_draws_only_on_a_terminal() -> None:
    import io

    from sim.progress import Progress

    quiet = io.StringIO()
    bar = Progress(100, stream=quiet)  # a StringIO is not a terminal: silent by default
    bar.advance(50)
    bar.close()
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    bar = Progress(200, enabled=True, stream=shown, interval=0.0)
    bar.start_from(50)
    bar.advance(50)
    bar.close()
    text = shown.getvalue()
    assert "100/200 runs" in text and "/s" in text and "left" in text and text.endswith("\n")


# --- streams derived for a chunk at once ---------------------------------------------------

@pytest.mark.parametrize("entropy", [0, 1, 12345, 2**127 + 2**64 + 9, 2**200 + 7])
def test_stream_source_gives_numpys_own_generators(entropy: int) -> None:
    """Bit for bit what SeedSequence(entropy, spawn_key=(i, purpose)) and PCG64 give, for
    small and very large root entropies, replication after replication (recycled)."""
    from sim.streams import PURPOSES, Streams, StreamSource

    source = StreamSource(entropy, 95, 260)
    for i in (95, 96, 180, 259):
        fast = source.streams(i)
        for purpose in PURPOSES:
            expected = np.random.Generator(np.random.PCG64(
                np.random.SeedSequence(entropy, spawn_key=(i, PURPOSES[purpose])))).random(9)
            np.testing.assert_array_equal(fast[purpose].random(9), expected)
        np.testing.assert_array_equal(source.streams(i).block("combat", 4),
                                      Streams(entropy, i).block("combat", 4))


def test_stream_source_beyond_two_to_the_32_falls_back_to_numpy() -> None:
    from sim.streams import Streams, StreamSource

    i = 2**32 + 5
    source = StreamSource(1, i, i + 2)
    np.testing.assert_array_equal(source.streams(i)["decisions"].random(5),
                                  Streams(1, i)["decisions"].random(5))
