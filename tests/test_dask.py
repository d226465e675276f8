"""The Dask executor gives exactly the results of local runs (small LocalCluster)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from sim import engine
from sim.errors import UserError
from test_engine import TESTS_DIR, toy_model, toy_scenario

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """Two single-threaded worker processes on this machine, torn down after the module."""
    mp = pytest.MonkeyPatch()
    # worker processes must import the toy model from the tests folder
    mp.setenv("PYTHONPATH", str(TESTS_DIR))
    local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None, silence_logs=40,
                                     death_timeout=30)
    try:
        yield local.scheduler_address
    finally:
        local.close(timeout=20)
        mp.undo()


def test_dask_results_are_bit_identical_to_local(cluster: str, tmp_path: Path) -> None:
    sc = toy_scenario()
    local1 = engine.run(sc, runs=600, seed=21, workers=1, model=toy_model)
    local2 = engine.run(sc, runs=600, seed=21, workers=2, chunk_size=100, model=toy_model)
    dask = engine.run(sc, runs=600, seed=21, scheduler=cluster, chunk_size=100,
                      model=toy_model, out=tmp_path / "dask", plots=False, progress=False)
    assert dask.manifest["executor"] == "dask"
    for other in (local2, dask):
        for name in local1.codes:
            assert np.array_equal(local1.codes[name], other.codes[name], equal_nan=True), name
        for q in ("p05", "p50", "p95", "mean"):
            assert np.array_equal(local1.series.quantiles["oil_stock"][q],
                                  other.series.quantiles["oil_stock"][q])
        assert other.summary() == local1.summary()
    mem = tmp_path / "mem"
    local1.write(mem, plots=False)
    assert (mem / "runs.csv").read_bytes() == (tmp_path / "dask" / "runs.csv").read_bytes()


def test_dask_batch_and_failures(cluster: str) -> None:
    scenarios = [toy_scenario("a"), toy_scenario("b", **{"toy.casualties": 9000.0})]
    on_dask = engine.run_batch(scenarios, runs=200, seed=2, scheduler=cluster, model=toy_model)
    local = engine.run_batch(scenarios, runs=200, seed=2, workers=1, model=toy_model)
    assert [r.summary() for r in on_dask] == [r.summary() for r in local]
    with pytest.raises(engine.ReplicationFailed, match="replication 42"):
        engine.run(toy_scenario(**{"toy.fail_at": 42}), runs=200, seed=1, scheduler=cluster,
                   model=toy_model)


def test_unreachable_scheduler_is_a_user_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.engine import executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 2.0)
    with pytest.raises(UserError, match="cannot connect"):
        engine.run(toy_scenario(), runs=10, seed=1, scheduler="tcp://127.0.0.1:9",
                   model=toy_model)
