"""The Monte Carlo engine: many replications, exactly reproducible, in parallel, safely on disk.

Seeds.  A run has one root seed (chosen at random and recorded when not given) and its root
entropy ``E = SeedSequence(seed).entropy``.  Replication *i* draws every random number from
``sim.streams.Streams(E, i)``: its parameters first (one uniform per registry parameter,
mapped by the scenario's sampler), then the model's own purposes.  Nothing depends on which
worker ran it or when, so the results are bit-identical for 1 worker, N workers or Dask, and
two scenarios run with the same seed share their random numbers replication by replication
(common random numbers).

Chunks.  Replications are computed in chunks of consecutive indices (multiples of
:data:`sim.results.SERIES_BLOCK`).  Workers send back compact arrays per chunk; the parent
writes each chunk to disk with a ledger entry (see :mod:`sim.results.ledger`) and assembles
the results in index order.  An interrupted run keeps every finished chunk and
``sim run --resume DIR`` completes it with byte-identical files.

Figures are drawn by a figure writer the caller passes (``figures=``), since they belong to a
layer above the engine; ``sim.run`` and ``sim run`` pass the standard one.

Modules: ``worker`` (the payload, one chunk or one replication: what workers run),
``executors`` (this process, local processes, Dask), ``options`` (checks and defaults),
``provenance`` (the manifest), ``precision`` (stopping at a precision), ``scenario_run`` (one
scenario's state while chunks arrive), ``driver`` (the executor and the one way a run stops),
``runner`` (:func:`run`, :func:`resume`), ``batch`` (:func:`run_batch`), ``reproduction``
(:func:`reproduce`), ``pool`` (:class:`WorkerPool`, worker processes kept up across runs).
"""

from sim.engine.batch import run_batch
from sim.engine.driver import ReplicationFailed, RunInterrupted
from sim.engine.executors import WorkerLost
from sim.engine.options import (
    DEFAULT_RUNS, check_chunk_size, default_chunk_size, default_workers, pick_seed,
)
from sim.engine.pool import WorkerPool
from sim.engine.precision import DEFAULT_MAX_RUNS
from sim.engine.provenance import MANIFEST_FORMAT, git_commit, package_versions
from sim.engine.reproduction import Reproduction, reproduce
from sim.engine.runner import resume, run
from sim.engine.worker import (
    DEFAULT_MODEL, Payload, compute_chunk, model_for_folder, model_path, resolve_model,
    run_replication,
)
from sim.results import Results
from sim.streams import root_entropy

__all__ = [
    "run", "run_batch", "run_replication", "WorkerPool", "resume", "reproduce", "Results", "Reproduction",
    "ReplicationFailed", "RunInterrupted", "WorkerLost", "compute_chunk", "default_chunk_size",
    "check_chunk_size", "default_workers", "pick_seed", "root_entropy", "Payload",
    "resolve_model", "model_path", "model_for_folder", "package_versions", "git_commit",
    "DEFAULT_MODEL", "DEFAULT_RUNS", "DEFAULT_MAX_RUNS", "MANIFEST_FORMAT",
]
