"""A calibration: ABC-SMC (pyabc) over a scenario's judgement parameters, in a folder that
can be continued, reproducible from its seed.

The folder holds ``calibration.json`` (everything the fit depends on: the scenario as resolved,
the targets, the priors, the seed, the sizes, the model and its version), pyabc's history
(``abc.db``), ``prior_checks.json`` (how the prior draws met each target) and, when done,
``posterior.json`` (:mod:`sim.calibrate.posterior`) with its checks.

Reproducible: each generation runs in its own pyabc run, loaded from the history and seeded
from (seed, generation) alone, so a calibration stopped anywhere and continued gives the bytes
an uninterrupted one gives, and so does any number of workers (the engine's replications do
not depend on them; :mod:`sim.calibrate.abc` makes the batches not matter either).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyabc

from sim.calibrate.abc import FLOOR, START, BatchSampler, FloorEpsilon, Simulator, pyabc_prior
from sim.calibrate.priors import Prior
from sim.calibrate.targets import TargetSet, target_from_mapping
from sim.engine import WorkerPool, model_path
from sim.ensemble import model_version
from sim.errors import UserError
from sim.params import Registry
from sim.scenario import scenario_from_dict

SETTINGS = "calibration.json"
HISTORY = "abc.db"
PRIOR_CHECKS = "prior_checks.json"
POSTERIOR = "posterior.json"
#: The layout of calibration.json this version writes and continues.
SETTINGS_VERSION = 1

Say = Callable[[str], None]


@dataclass
class Calibration:
    """What a calibration fits and how: everything its result depends on."""

    scenario: Any
    priors: list[Prior]
    targets: TargetSet
    seed: int
    runs: int = 100
    population: int = 200
    generations: int = 10
    model: str | None = None
    max_simulations: int = 20000
    source: str | None = None  # the scenario as the command line named it
    targets_spec: str | None = None  # --targets as given
    sets: tuple[str, ...] = ()  # --set as given
    method: str = "smc"  # "smc" (generations, weighted) or "rejection" (one, from the prior)

    @property
    def version(self) -> str:
        return model_version((p.name, p.kind) for p in self.scenario.registry)

    def refit_command(self, folder: Path) -> str:
        """The command that fits this calibration again (into ``folder``)."""
        parts = ["sim calibrate", self.source or self.scenario.name,
                 f"-o {folder.as_posix()}", "--force", f"--seed {self.seed}",
                 f"--runs {self.runs}", f"--population {self.population}",
                 f"--generations {self.generations}"]
        if self.method != "smc":
            parts.append(f"--method {self.method}")
        if self.targets_spec:
            parts.append(f"--targets {self.targets_spec}")
        parts += [f"--set '{s}'" for s in self.sets]
        parts.append("--params " + ",".join(p.name for p in self.priors))
        parts += [f"--prior {p.name}={p.low:g}:{p.high:g}" for p in self.priors
                  if p.origin == "--prior"]
        if self.model and self.model != model_path(None):
            parts.append(f"--model {self.model}")
        return " ".join(parts)

    def to_json(self, folder: Path) -> dict[str, Any]:
        return {"settings_version": SETTINGS_VERSION, "seed": self.seed, "runs": self.runs,
                "population": self.population, "generations": self.generations,
                "max_simulations": self.max_simulations, "model": model_path(self.model),
                "model_version": self.version, "refit": self.refit_command(folder),
                "source": self.source, "targets_spec": self.targets_spec,
                "sets": list(self.sets), "method": self.method,
                "priors": [p.to_json() for p in self.priors],
                "targets": [t.to_json() for t in self.targets],
                "scenario": self.scenario.to_dict()}


def calibration_from_json(data: Mapping[str, Any], folder: Path,
                          registry: Registry | None = None) -> Calibration:
    """The calibration a folder's settings describe (to continue it)."""
    where = folder / SETTINGS
    if data.get("settings_version") != SETTINGS_VERSION:
        raise UserError(f"{where}: written by another version of `sim calibrate`; expected "
                        f"settings_version {SETTINGS_VERSION}")
    scenario = scenario_from_dict(data["scenario"], registry=registry, source=str(where))
    priors = [Prior(p["name"], float(p["low"]), float(p["high"]),
                    scenario.registry[p["name"]].kind, p["source"], p["origin"])
              for p in data["priors"]]
    targets = TargetSet([target_from_mapping(t, f"{where} targets")
                         for t in data["targets"]])
    return Calibration(scenario, priors, targets, int(data["seed"]), int(data["runs"]),
                       int(data["population"]), int(data["generations"]),
                       str(data["model"]), int(data["max_simulations"]),
                       data.get("source"), data.get("targets_spec"), tuple(data.get("sets", ())),
                       str(data.get("method", "smc")))


def write_json(path: Path, data: Any) -> None:
    """JSON written under a temporary name and moved into place (same data, same bytes)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_settings(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / SETTINGS).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{folder} holds no calibration ({SETTINGS} is missing); expected a "
                        "folder `sim calibrate -o` wrote") from None
    except (OSError, ValueError) as exc:
        raise UserError(f"{folder / SETTINGS} cannot be read ({exc})") from None


def _quiet_pyabc() -> None:
    for name in ("ABC", "ABC.Sampler", "ABC.History", "ABC.Epsilon", "ABC.Distance",
                 "ABC.Acceptor", "ABC.Population", "ABC.Transition", "ABC.Predictor",
                 "ABC.Adaptation"):
        logging.getLogger(name).setLevel(logging.WARNING)


def generation_seed(seed: int, t: int) -> np.ndarray:
    """NumPy's global state for generation ``t``: from the seed and the generation alone."""
    return np.random.SeedSequence([seed, t]).generate_state(8)


def _history(folder: Path) -> pyabc.History | None:
    db = folder / HISTORY
    if not db.exists():
        return None
    history = pyabc.History("sqlite:///" + str(db), _id=1)
    return history if history.max_t >= 0 else None


def generations_done(folder: Path, *, with_ess: bool = False) -> list[dict[str, Any]]:
    """Each finished generation: t, epsilon, simulations (and the effective sample size)."""
    history = _history(folder)
    if history is None:
        return []
    pops = history.get_all_populations()
    out = []
    for row in pops[pops.t >= 0].itertuples():
        entry = {"t": int(row.t), "epsilon": float(row.epsilon),
                 "simulations": int(row.samples)}
        if with_ess:
            _, w = history.get_distribution(m=0, t=int(row.t))
            entry["ess"] = round(ess(w), 3)
        out.append(entry)
    return out


def ess(weights: Sequence[float] | np.ndarray) -> float:
    """Kish's effective sample size of a weighted sample."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w * w).sum()) if len(w) else 0.0


def finished(cal: Calibration, done: Sequence[Mapping[str, Any]]) -> bool:
    return bool(done) and (done[-1]["epsilon"] <= FLOOR or len(done) >= cal.generations)


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[WorkerPool | None]:
    if workers <= 1:
        yield None
        return
    with WorkerPool(workers) as pool:
        yield pool


def fit(cal: Calibration, folder: Path, *, workers: int = 1, say: Say | None = None,
        quiet: bool | None = None) -> bool:
    """Run (or continue) the generations of ``cal`` in ``folder`` until every target is inside
    its band (tolerance 1) or the generation budget is spent; whether the first ran here.
    ``quiet``: no progress bar (None: a bar when stderr is a terminal)."""
    _quiet_pyabc()
    say = say or (lambda text: None)
    prior = pyabc_prior(cal.priors)
    observed = {t.id: t.band[1] for t in cal.targets}
    ran_first = False
    with _pool(workers) as pool:
        sim = Simulator(cal.scenario, cal.priors, cal.targets, runs=cal.runs, seed=cal.seed,
                        model=cal.model, pool=pool, workers=1 if pool is None else None)
        while not finished(cal, done := generations_done(folder)):
            t = len(done)
            start = time.monotonic()
            sim.simulations, sim.log = 0, []
            np.random.seed(generation_seed(cal.seed, t))
            db = "sqlite:///" + str(folder / HISTORY)
            abc = pyabc.ABCSMC(sim.particle, prior, sim.distance, population_size=cal.population,
                               sampler=BatchSampler(sim, cal.max_simulations,
                                                    None if quiet is None else not quiet),
                               eps=FloorEpsilon(db, initial=FLOOR if cal.method == "rejection"
                                                else START))
            history = abc.new(db, observed) if t == 0 else abc.load(db, 1)
            history.stores_sum_stats = False  # the checks rerun posterior draws afresh
            abc.run(max_nr_populations=1)
            if t == 0:
                checks = prior_checks(cal.targets, sim.log)
                write_json(folder / PRIOR_CHECKS, checks)
                ran_first = True
                for tid in unreachable(checks):
                    say(f"warning: no prior draw meets target {tid}; the model cannot "
                        "reproduce it with the fitted parameters (a structural problem, "
                        "not a tuning one)")
            row = generations_done(folder)[-1]
            _, w = history.get_distribution(m=0, t=t)
            seconds = time.monotonic() - start
            tolerance = (f"{row['epsilon']:.3g}" if t or cal.method == "rejection"
                         else "none (prior draws)")
            say(f"generation {t}: tolerance {tolerance}, {row['simulations']:,} "
                f"simulations ({sim.simulations * cal.runs / max(seconds, 1e-9):,.0f} "
                f"replications/s), ESS {ess(w):.1f}, {seconds:.1f} s")
    return ran_first


def prior_checks(targets: TargetSet, log: Sequence[tuple[Any, Mapping[str, float]]]
                 ) -> dict[str, Any]:
    """How the prior draws met each target: the share inside the band and the closest miss.
    A target no prior draw meets is a structural problem of the model, not one of tuning."""
    out: dict[str, Any] = {"draws": len(log), "targets": {}}
    for t in targets:
        d = np.array([t.distance(float(stats[t.id])) for _, stats in log])
        out["targets"][t.id] = {"inside": round(float(np.mean(d <= 1.0)), 6) if len(d) else 0.0,
                                "closest": _finite_or_none(float(d.min())) if len(d) else None}
    return out


def _finite_or_none(x: float) -> float | None:
    return round(x, 6) if np.isfinite(x) else None


def unreachable(checks: Mapping[str, Any]) -> list[str]:
    """The targets that no prior draw met."""
    return [tid for tid, c in checks["targets"].items() if c["inside"] == 0.0]


def final_population(folder: Path) -> tuple[int, list[Any]]:
    """The last generation's index and particles (in the history's order)."""
    history = _history(folder)
    if history is None:
        raise UserError(f"{folder}: no generation has finished yet")
    t = int(history.max_t)
    return t, list(history.get_population(t=t).particles)
