"""The pieces pyabc's ABC-SMC needs from us: a sampler that runs particles through the engine
in batches, the simulator behind it, and the tolerance schedule.

pyabc proposes and judges one particle at a time (``simulate_one``: draw a parameter vector,
simulate, measure the distance, accept or not).  Our simulations are cheap only in batches
(one engine call, one pool of workers, common random numbers for every particle), so
:class:`BatchSampler` runs ``simulate_one`` twice over: once *recording* the proposals (the
model returns a placeholder), then, after the engine has simulated all of them at once, again
from the same NumPy random state, *replaying* the results in order.  The proposals are drawn
by the same random numbers both times, so the accepted particles, and pyabc's random state
after them, are exactly those of a one-at-a-time run: the posterior depends on the seed only,
never on the batch sizes or the number of workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pyabc
from pyabc.epsilon import QuantileEpsilon
from pyabc.random_variables import RVBase

from sim.calibrate.priors import Prior
from sim.calibrate.targets import TargetSet
from sim.engine import WorkerPool, run_batch
from sim.errors import UserError
from sim.progress import Progress

#: The tolerance a calibration ends at: every target inside its documented band.
FLOOR = 1.0
#: The tolerance of the first generation (prior draws): every defined statistic is accepted.
START = 1e6


def key_of(i: int) -> str:
    """pyabc's name for the i-th fitted parameter (registry names have dots)."""
    return f"p{i:03d}"


class UniformRV(RVBase):
    """Uniform on [low, high], in plain arithmetic: pyabc asks a prior's density for every
    proposal, and SciPy's generic one costs more than the toy model it judges."""

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = float(low), float(high)
        self.density = 1.0 / (self.high - self.low)

    def copy(self) -> "UniformRV":
        return UniformRV(self.low, self.high)

    def rvs(self, *args: Any, **kwargs: Any) -> float:
        return float(np.random.uniform(self.low, self.high))

    def pmf(self, x: float, *args: Any, **kwargs: Any) -> float:
        return 0.0

    def pdf(self, x: float, *args: Any, **kwargs: Any) -> float:
        return self.density if self.low <= x <= self.high else 0.0

    def cdf(self, x: float, *args: Any, **kwargs: Any) -> float:
        return min(max((x - self.low) * self.density, 0.0), 1.0)


def pyabc_prior(priors: Sequence[Prior]) -> pyabc.Distribution:
    return pyabc.Distribution(**{key_of(i): UniformRV(p.low, p.high)
                                 for i, p in enumerate(priors)})


class FloorEpsilon(QuantileEpsilon):
    """The weighted median of the last generation's distances, never below :data:`FLOOR`.

    Initialised from the history for every generation after the first, so a calibration that
    runs one generation per call (as ours does, to resume exactly) gets the schedule an
    uninterrupted run would.  ``initial`` is the first generation's tolerance: :data:`START`
    (every prior draw is accepted; ABC-SMC tightens from there) or :data:`FLOOR` (rejection
    ABC: only prior draws inside every band are kept, with equal weights, and the fit ends)."""

    def __init__(self, db: str, alpha: float = 0.5, initial: float = START) -> None:
        super().__init__(initial_epsilon=initial, alpha=alpha, weighted=True)
        self.db = db

    def requires_calibration(self) -> bool:
        return False

    def initialize(self, t: int, get_weighted_distances: Callable[[], Any],  # type: ignore[override]
                   get_all_records: Callable[[], Any], max_nr_populations: int,
                   acceptor_config: dict[str, Any]) -> None:
        if t > 0:  # the distances the history holds (no summary statistics are kept)
            self._update(t, pyabc.History(self.db, _id=1).get_weighted_distances(t=t - 1))

    def _update(self, t: int, weighted_distances: Any) -> None:
        super()._update(t, weighted_distances)
        eps = float(self._look_up[t])
        distances = np.asarray(weighted_distances.distance.values, dtype=float)
        below = distances[distances < eps]
        if eps >= distances.max() and len(below):
            # shares of a few runs make distances discrete: when the median is tied with the
            # worst particle the schedule would stand still, so take the next level down
            eps = float(below.max())
        self._look_up[t] = max(eps, FLOOR)


class Simulator:
    """Runs parameter vectors through the engine, ``runs`` replications each, one seed for all
    (common random numbers); pyabc calls :meth:`particle` once per particle."""

    def __init__(self, scenario: Any, priors: Sequence[Prior], targets: TargetSet, *,
                 runs: int, seed: int, model: str | None, pool: WorkerPool | None,
                 workers: int) -> None:
        self.scenario = scenario
        self.priors = list(priors)
        self.targets = targets
        self.runs = runs
        self.seed = seed
        self.model = model
        self.pool = pool
        self.workers = workers
        self.recording: list[dict[str, float]] | None = None
        self.replay: list[dict[str, float]] = []
        self.simulations = 0
        self.log: list[tuple[dict[str, float], dict[str, float]]] = []

    def values(self, theta: Mapping[str, float]) -> dict[str, float | int]:
        """A particle's parameter values by registry name (whole numbers for integers)."""
        out: dict[str, float | int] = {}
        for i, p in enumerate(self.priors):
            x = float(theta[key_of(i)])
            out[p.name] = int(round(x)) if p.kind == "int" else x
        return out

    def simulate(self, thetas: Sequence[Mapping[str, float]]) -> list[dict[str, float]]:
        """The target statistics of each parameter vector (one engine batch)."""
        if not thetas:
            return []
        scenarios = [self.scenario.with_overrides(self.values(th), origin="calibration")
                     for th in thetas]
        results = run_batch(scenarios, self.runs, self.seed, workers=self.workers,
                            progress=False, model=self.model, pool=self.pool,
                            keep_series=False)  # the targets read the outcomes alone
        self.simulations += len(thetas)
        return [self.targets.statistics(r.outcomes) for r in results]

    def particle(self, theta: Mapping[str, float]) -> dict[str, float]:
        """What pyabc calls: a placeholder while recording, then the batch's results in order."""
        if self.recording is not None:
            self.recording.append(dict(theta))
            return {t.id: t.band[1] for t in self.targets}
        return self.replay.pop(0)

    def distance(self, x: Mapping[str, float], x0: Mapping[str, float]) -> float:
        return self.targets.distance(x)


class BatchSampler(pyabc.sampler.Sampler):
    """pyabc's sampler interface, each batch of proposals simulated in one engine call."""

    #: The largest batch (None: sized by the acceptance rate); 1 is pyabc's one-by-one.
    max_batch: int | None = None

    def __init__(self, simulator: Simulator, max_simulations: int,
                 progress: bool | None = None) -> None:
        super().__init__()
        self.simulator = simulator
        self.max_simulations = max_simulations
        self.rate = 0.5  # the acceptance rate the next batch is sized by
        self.progress = progress  # a bar of accepted particles (None: when stderr is a tty)

    def sample_until_n_accepted(self, n: int, simulate_one: Callable[[], Any], t: int, *,
                                max_eval: float = np.inf, all_accepted: bool = False,
                                ana_vars: Any = None) -> Any:
        sim = self.simulator
        sample = self._create_empty_sample()
        evaluations = accepted = 0
        bar = Progress(n, enabled=self.progress, label=f"particles of generation {max(t, 0)}")
        while accepted < n:
            if evaluations >= self.max_simulations:
                raise UserError(
                    f"generation {t}: {accepted} of {n} particles met the tolerance after "
                    f"{evaluations:,} simulations; the targets may be out of reach of the "
                    "priors (see prior_checks in the folder) or --max-simulations too small")
            size = min(max(math.ceil((n - accepted) / max(self.rate, 0.02) * 1.1), 4),
                       4 * n, self.max_simulations - evaluations, self.max_batch or n * 4)
            state = np.random.get_state()
            sim.recording = []
            for _ in range(size):
                simulate_one()
            thetas, sim.recording = sim.recording, None
            stats = sim.simulate(thetas)
            np.random.set_state(state)
            sim.replay = list(stats)
            used = got = 0
            while used < size and accepted < n:
                particle = simulate_one()
                used += 1
                sample.append(particle)
                if particle.accepted:
                    accepted += 1
                    got += 1
            sim.replay = []
            sim.log.extend(zip(thetas[:used], stats[:used]))  # what a one-by-one run judged
            evaluations += used
            self.rate = max(got / used, 0.01)
            bar.advance(got)
        bar.close()
        self.nr_evaluations_ = evaluations
        return sample
