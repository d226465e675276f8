"""The posterior file a calibration writes, and the checks a modeller reads it with.

``posterior.json`` (format :data:`sim.ensemble.POSTERIOR_FORMAT`, version
:data:`sim.ensemble.POSTERIOR_VERSION`) holds the weighted particles of the last generation
(what ``{dist: ensemble, file: ...}`` draws from), the effective sample size, the seed, the
model version it was fitted to and the command that refits it, the priors, the targets, each
parameter's posterior summary (whether the record narrows or moves it), the generations, and the
fit to each target: the posterior predictive check, from fresh replications (another seed)
of posterior draws, and the prior draws' reach (a target no prior draw meets is flagged).

The same calibration gives the same bytes: no clock, no path of the machine, floats as Python
writes them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import sim
from sim.calibrate.abc import FLOOR, Simulator, key_of
from sim.calibrate.fit import (
    POSTERIOR, PRIOR_CHECKS, Calibration, ess, final_population, generations_done,
    read_settings, unreachable, write_json,
)
from sim.calibrate.priors import Prior
from sim.calibrate.targets import TargetSet
from sim.ensemble import POSTERIOR_FORMAT, POSTERIOR_VERSION
from sim.engine import model_path

#: A parameter is *narrowed* by the record when its posterior sd is below this share of its
#: prior's (uniform: (high - low) / sqrt(12)).
CONSTRAINED = 0.8
#: Kolmogorov's 5% critical value: a posterior whose weighted distribution function is further
#: than this / sqrt(ESS) from the prior's anywhere has been *moved* by the record.
KS_CRITICAL_5 = 1.358
#: Posterior draws the predictive check replays with fresh replications.
PREDICTIVE_DRAWS = 100


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    return float(x[order][min(np.searchsorted(cum, q * cum[-1]), len(x) - 1)])


def ks_from_prior(prior: Prior, x: np.ndarray, w: np.ndarray) -> float:
    """Largest gap between the posterior's weighted distribution function and the uniform
    prior's: a shift the sd alone misses (a weight pushed to one end of its range)."""
    order = np.argsort(x, kind="stable")
    xs, cum = x[order], np.cumsum(w[order]) / np.sum(w)
    u = np.clip((xs - prior.low) / (prior.high - prior.low), 0.0, 1.0)
    before = np.concatenate(([0.0], cum[:-1]))
    return float(max(np.max(np.abs(cum - u)), np.max(np.abs(before - u))))


def parameter_summary(prior: Prior, x: np.ndarray, w: np.ndarray) -> dict[str, Any]:
    """Mean, sd, 5/50/95%, the sd as a share of the prior's and the Kolmogorov-Smirnov gap
    from it: which weights the record narrows, which it moves, which it leaves alone."""
    mean = float(np.sum(w * x))
    sd = float(math.sqrt(max(np.sum(w * (x - mean) ** 2), 0.0)))
    prior_sd = (prior.high - prior.low) / math.sqrt(12.0)
    ratio = sd / prior_sd
    ks = ks_from_prior(prior, x, w)
    narrowed = bool(ratio < CONSTRAINED)
    moved = bool(ks > KS_CRITICAL_5 / math.sqrt(max(ess(w), 1.0)))
    return {"mean": _r(mean), "sd": _r(sd), "p05": _r(weighted_quantile(x, w, 0.05)),
            "p50": _r(weighted_quantile(x, w, 0.5)), "p95": _r(weighted_quantile(x, w, 0.95)),
            "sd_over_prior_sd": _r(ratio), "ks_from_prior": _r(ks), "narrowed": narrowed,
            "moved": moved, "constrained": narrowed or moved}


def _r(x: float) -> float | None:
    return None if not math.isfinite(x) else float(f"{x:.10g}")


def correlations(names: Sequence[str], rows: np.ndarray, w: np.ndarray) -> list[list[Any]]:
    """Weighted correlations between the fitted parameters, strongest first (|r| >= 0.1)."""
    mean = (w[:, None] * rows).sum(0)
    dev = rows - mean
    cov = (w[:, None] * dev).T @ dev
    sd = np.sqrt(np.diag(cov))
    out = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if sd[i] > 0 and sd[j] > 0:
                r = float(cov[i, j] / (sd[i] * sd[j]))
                if abs(r) >= 0.1:
                    out.append([names[i], names[j], _r(r)])
    return sorted(out, key=lambda e: -abs(e[2]))


def predictive_check(cal: Calibration, rows: np.ndarray, w: np.ndarray,
                     workers: int = 1, draws: int = PREDICTIVE_DRAWS) -> dict[str, Any]:
    """Posterior draws (rows picked by weight) run with fresh replications (seed + 1): per
    target, the share of draws whose statistic is inside the band and where the record sits
    in their predictive distribution (the share of draws below it)."""
    rng = np.random.default_rng([cal.seed, 1])
    picked = rng.choice(len(rows), size=draws, p=w / w.sum())
    simulator = Simulator(cal.scenario, cal.priors, cal.targets, runs=cal.runs,
                          seed=cal.seed + 1, model=cal.model, pool=None, workers=workers)
    thetas = [{key_of(i): float(v) for i, v in enumerate(rows[k])} for k in picked]
    stats = simulator.simulate(thetas)
    return _fit_table(cal.targets, stats)


def _fit_table(targets: TargetSet, stats: Sequence[Mapping[str, float]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for t in targets:
        s = np.array([float(st[t.id]) for st in stats])
        defined = s[np.isfinite(s)]
        record = t.band[1]
        out[t.id] = {
            "inside_band": _r(float(np.mean([t.inside(v) for v in s]))) if len(s) else None,
            "record_quantile": _r(float(np.mean(defined < record) + 0.5 * np.mean(
                defined == record))) if len(defined) else None,
            "p05": _r(float(np.percentile(defined, 5))) if len(defined) else None,
            "p50": _r(float(np.percentile(defined, 50))) if len(defined) else None,
            "p95": _r(float(np.percentile(defined, 95))) if len(defined) else None,
        }
    return out


def build_posterior(cal: Calibration, folder: Path, *, workers: int = 1,
                    draws: int = PREDICTIVE_DRAWS) -> dict[str, Any]:
    """The posterior file's content for the finished calibration in ``folder``."""
    t, particles = final_population(folder)
    names = [p.name for p in cal.priors]
    rows = np.array([[float(pa.parameter[key_of(i)]) for i in range(len(names))]
                     for pa in particles])
    w = np.array([float(pa.weight) for pa in particles])
    w = w / w.sum()
    settings = read_settings(folder)
    checks = _read_checks(folder, cal.targets)
    generations = generations_done(folder, with_ess=True)
    return {
        "format": POSTERIOR_FORMAT, "format_version": POSTERIOR_VERSION,
        "model": model_path(cal.model), "model_version": cal.version,
        "package_version": sim.__version__, "refit": settings["refit"],
        "scenario": {"name": cal.scenario.name, "hash": cal.scenario.content_hash()},
        "seed": cal.seed, "method": cal.method, "runs_per_particle": cal.runs,
        "population": cal.population,
        "generation": t, "tolerance": generations[-1]["epsilon"],
        "converged": generations[-1]["epsilon"] <= FLOOR,
        "ess": _r(ess(w)), "generations": generations,
        "priors": [p.to_json() for p in cal.priors],
        "targets": [tg.to_json() for tg in cal.targets],
        "summary": {n: parameter_summary(p, rows[:, i], w)
                    for i, (n, p) in enumerate(zip(names, cal.priors))},
        "correlations": correlations(names, rows, w),
        "fit": {"predictive": predictive_check(cal, rows, w, workers, draws),
                "prior_draws": checks["targets"], "unreachable": unreachable(checks)},
        "parameters": names,
        "particles": [{"weight": _r(float(wk)), "distance": _r(float(pa.distance)),
                       "values": [_r(float(v)) for v in row]}
                      for wk, pa, row in zip(w, particles, rows)],
    }


def _read_checks(folder: Path, targets: TargetSet) -> dict[str, Any]:
    """The prior draws' reach, or nothing known when the first generation ended without it
    being written (stopped in between)."""
    try:
        return json.loads((folder / PRIOR_CHECKS).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"draws": 0, "targets": {t.id: {"inside": None, "closest": None}
                                        for t in targets}}


def write_posterior(cal: Calibration, folder: Path, *, workers: int = 1,
                    draws: int = PREDICTIVE_DRAWS) -> dict[str, Any]:
    data = build_posterior(cal, folder, workers=workers, draws=draws)
    write_json(folder / POSTERIOR, data)
    return data
