"""The worker side of a run: the payload every worker receives once, and the computation of
a chunk of replications from it.

Everything here runs in worker processes (and on Dask workers) as well as in the parent, so it
depends on nothing of the run's bookkeeping: the executors import it, it never imports them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import UserError
from sim.outcomes import month_ends
from sim.results import (
    SERIES_BLOCK, SERIES_NAMES, SERIES_QUANTILE_RUNS, ChunkData, InputRecorder,
    codes_from_rows, csv_rows, encode_outcomes,
)
from sim.streams import Streams, StreamSource

DEFAULT_MODEL = "sim.model:simulate"


@dataclass
class Payload:
    """Everything a worker needs: plain, picklable data (samplers, not scenarios)."""

    samplers: list[Any]
    months: list[int | None]
    model: str
    entropy: int
    seed: int | None
    keep_going: bool

    @classmethod
    def for_scenarios(cls, scenarios: Sequence[Any], model: str, entropy: int,
                      seed: int | None, keep_going: bool) -> "Payload":
        """The payload of a run of ``scenarios`` (one, or a batch sharing the pool)."""
        samplers = [s.sampler() for s in scenarios]
        months = []
        for s in scenarios:
            m = series_months(s)
            months.append(None if m is None else len(m))
        return cls(samplers, months, model, entropy, seed, keep_going)


_MODEL_CACHE: dict[str, Callable[..., Any]] = {}


def resolve_model(path: str) -> Callable[..., Any]:
    """The model function named ``module:function`` (imported once per process)."""
    fn = _MODEL_CACHE.get(path)
    if fn is None:
        module, _, qualname = path.partition(":")
        try:
            obj: Any = importlib.import_module(module)
            for part in qualname.split("."):
                obj = getattr(obj, part)
        except (ImportError, AttributeError) as exc:
            raise UserError(f"model `{path}` cannot be imported ({exc}); expected "
                            "MODULE:FUNCTION such as sim.model:simulate") from None
        fn = _MODEL_CACHE[path] = obj
    return fn


def model_path(model: Callable[..., Any] | str | None) -> str:
    """``module:qualname`` of a model function, checked to be importable by that name."""
    if model is None:
        return DEFAULT_MODEL
    if isinstance(model, str):
        if ":" not in model:
            raise UserError(f"model `{model}`: expected MODULE:FUNCTION such as "
                            "sim.model:simulate")
        return model
    module = getattr(model, "__module__", None)
    qualname = getattr(model, "__qualname__", None)
    if not module or not qualname or "<locals>" in qualname or "<lambda>" in qualname:
        raise UserError(f"model {model!r} must be a function defined at module level, so "
                        "that worker processes can import it by name")
    return f"{module}:{qualname}"


def model_for_folder(recorded: str, model: Callable[..., Any] | str | None,
                     folder: Path | str) -> str:
    """The model that re-runs replications of ``folder`` (a folder, or words naming results
    in memory): the one the caller names (or the built-in one), which must be the model the
    folder ``recorded``.

    A folder someone sent is data and never chooses the code that runs: its manifest's model
    is only ever compared with, never imported.
    """
    chosen = model_path(model)
    if chosen == recorded:
        return chosen
    if model is None:
        raise UserError(f"{folder} was run with the model `{recorded}`, and a results folder "
                        "never chooses the code that runs: if you trust that model, name it "
                        f"yourself with --model {recorded}")
    raise UserError(f"--model {chosen}: {folder} was run with the model `{recorded}`; "
                    "expected the same model")


def model_option(model: str) -> str:
    """The ``--model`` option a command needs to name ``model`` (nothing for the built-in one)."""
    return "" if model == DEFAULT_MODEL else f" --model {model}"


def series_months(scenario: Any) -> list[dt.date] | None:
    """The month ends the scenario's series cover (None when it names no horizon)."""
    horizon = scenario.values.get("simulation.horizon") if hasattr(scenario, "values") else None
    if horizon is None:
        return None
    if not isinstance(horizon, dt.date):
        raise UserError(f"scenario {scenario.name}: `simulation.horizon` must be a fixed date for "
                        f"a Monte Carlo run (monthly series need one length), got {horizon!r}")
    return month_ends(horizon)


def series_row(rep: Any, months: int | None) -> np.ndarray:
    """The replication's monthly series as one (series, months) array, checked."""
    series = rep.series
    rows = []
    for name in SERIES_NAMES:
        try:
            arr = series[name]
        except KeyError:
            raise ValueError(f"model returned no series {name}") from None
        if type(arr) is not np.ndarray or arr.dtype != np.float64:
            arr = np.asarray(arr, dtype=np.float64)
        if arr.ndim != 1 or (months is not None and arr.shape[0] != months):
            raise ValueError(f"series {name} has shape {arr.shape}; expected ({months},), "
                             "one value per month end up to the horizon")
        rows.append(arr)
    if months is None and len({r.shape[0] for r in rows}) > 1:
        raise ValueError("series have different lengths")
    return np.array(rows)


def _runqueue_wait() -> float:
    """Seconds this process has spent ready to run but waiting for a CPU (Linux; else 0).

    Recorded per chunk so that a slow run on a busy machine can be told apart from an
    engine that leaves its workers idle.
    """
    try:
        with open("/proc/self/schedstat", "rb") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


def compute_chunk(payload: Payload, si: int, start: int, stop: int) -> ChunkData:
    """Run replications ``start <= i < stop`` of scenario ``si``; the same in every executor."""
    sampler = payload.samplers[si]
    months = payload.months[si]
    model = resolve_model(payload.model)
    cpu_start = time.process_time()
    wait_start = _runqueue_wait()
    n = stop - start
    rows: list[list[int | float]] = []
    reps: list[int] = []
    n_blocks = -(-n // SERIES_BLOCK)
    block_sums: np.ndarray | None = None
    block_counts = np.zeros(n_blocks, dtype=np.int64)
    kept: list[np.ndarray] = []
    errors: list[dict[str, Any]] = []
    entropy = payload.entropy
    drawn = InputRecorder(sampler)
    source = StreamSource(entropy, start, stop)  # the same generators, derived in bulk
    for i in range(start, stop):
        try:
            streams = source.streams(i)
            params = sampler.draw_for(streams)
            rep = model(params, streams)
            row = series_row(rep, months)
            codes = encode_outcomes(rep.outcomes)
        except Exception as exc:  # noqa: BLE001 - recorded, then stop or go on
            errors.append({"replication": i, "seed": payload.seed, "entropy": entropy,
                           "error": f"{type(exc).__name__}: {exc}"})
            if not payload.keep_going:
                return _chunk(si, start, stop, [], [], block_sums, block_counts, kept, errors,
                              failed=True)
            continue
        if block_sums is None:
            block_sums = np.zeros((n_blocks, *row.shape), dtype=np.float64)
            if months is None:
                months = row.shape[1]
        b = (i - start) // SERIES_BLOCK
        block_sums[b] += row  # replication by replication, in index order: deterministic
        block_counts[b] += 1
        if i < SERIES_QUANTILE_RUNS:
            kept.append(row)
        rows.append(codes)
        reps.append(i)
        drawn.add(params)
    chunk = _chunk(si, start, stop, reps, rows, block_sums, block_counts, kept, errors)
    chunk.inputs = drawn.columns()
    chunk.cpu_seconds = time.process_time() - cpu_start
    chunk.wait_seconds = _runqueue_wait() - wait_start
    return chunk


def _chunk(si: int, start: int, stop: int, reps: list[int], rows: list[list[int | float]],
           block_sums: np.ndarray | None, block_counts: np.ndarray, kept: list[np.ndarray],
           errors: list[dict[str, Any]], failed: bool = False) -> ChunkData:
    codes = codes_from_rows(rows)
    replications = np.array(reps, dtype=np.int64)
    if block_sums is None:
        block_sums = np.zeros((block_counts.shape[0], len(SERIES_NAMES), 0))
    kept_arr = (np.stack(kept) if kept
                else np.empty((0, block_sums.shape[1], block_sums.shape[2])))
    text = "".join(csv_rows(replications, codes)) if not failed else ""
    return ChunkData(start, stop, replications, codes, block_sums, block_counts, kept_arr, text,
                     errors, failed, si)


def run_replication(scenario: Any, entropy: int, index: int, *, trace: bool = False,
                    model: Callable[..., Any] | str | None = None) -> Any:
    """Replication ``index`` of a run with root entropy ``entropy``, exactly as the engine ran
    it (same parameter draws, same streams); ``trace=True`` asks the model for its events."""
    fn = resolve_model(model_path(model))
    sampler = scenario.sampler()
    streams = Streams(int(entropy), int(index))
    params = sampler.draw_for(streams)
    return fn(params, streams, trace=trace) if trace else fn(params, streams)
