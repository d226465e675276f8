"""The checks a modeller reads a posterior with: tables (``checks.md``) and two figures.

* the posterior predictive check of every target: the share of posterior draws (fresh
  replications) whose statistic lands inside the documented band, and where the record sits
  in their predictive distribution (0.5: in the middle; near 0 or 1: at an edge);
* the prior draws' reach: a target that no prior draw meets is a structural problem of the
  model (no setting of the fitted parameters reproduces it), not one of tuning;
* ``prior_posterior.png``: each parameter's posterior over its (uniform) prior, so a reader
  sees which weights the record constrains and which it leaves where the prior put them;
* ``pairs.png``: the pairs plot of the most correlated parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sim.calibrate.posterior import CONSTRAINED, KS_CRITICAL_5
from sim.calibrate.targets import Target

PRIOR_POSTERIOR = "prior_posterior.png"
PAIRS = "pairs.png"
CHECKS = "checks.md"
#: Parameters shown in the pairs plot (the most correlated ones).
PAIRS_MAX = 5


def _rows(post: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    rows = np.array([p["values"] for p in post["particles"]], dtype=float)
    w = np.array([p["weight"] for p in post["particles"]], dtype=float)
    return rows, w / w.sum()


def prior_posterior_figure(post: Mapping[str, Any], path: Path) -> Path:
    rows, w = _rows(post)
    names = post["parameters"]
    cols = min(4, len(names))
    nrows = -(-len(names) // cols)
    fig = Figure(figsize=(3.2 * cols, 2.4 * nrows), layout="constrained")
    for i, (name, prior) in enumerate(zip(names, post["priors"])):
        ax = fig.add_subplot(nrows, cols, i + 1)
        lo, hi = prior["low"], prior["high"]
        ax.hist(rows[:, i], bins=20, range=(lo, hi), weights=w, density=True,
                color="#4c72b0", alpha=0.8, label="posterior")
        ax.hlines(1.0 / (hi - lo), lo, hi, colors="#dd8452", linewidth=2, label="prior")
        s = post["summary"][name]
        ax.set_title(f"{name}\nsd {s['sd_over_prior_sd']:.2f} x prior's, KS "
                     f"{s.get('ks_from_prior') or 0:.2f}{_how(s, ' (', ')')}", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
        if i == 0:
            ax.legend(fontsize=7)
    fig.suptitle("Prior (uniform on the credible range) and posterior of each parameter",
                 fontsize=10)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    return path


def pairs_parameters(post: Mapping[str, Any]) -> list[str]:
    """The parameters of the strongest correlations, at most :data:`PAIRS_MAX`."""
    chosen: list[str] = []
    for a, b, _r in post["correlations"]:
        for n in (a, b):
            if n not in chosen and len(chosen) < PAIRS_MAX:
                chosen.append(n)
    return chosen if len(chosen) >= 2 else list(post["parameters"][:PAIRS_MAX])


def pairs_figure(post: Mapping[str, Any], path: Path) -> Path:
    rows, w = _rows(post)
    names = pairs_parameters(post)
    idx = [post["parameters"].index(n) for n in names]
    k = len(names)
    fig = Figure(figsize=(2.2 * k, 2.2 * k), layout="constrained")
    # a marker's area is its weight over the mean's, at a scale that keeps a thousand equally
    # weighted particles readable dots (and a few heavy ones visible)
    size = np.clip(np.clip(2000.0 / len(w), 3.0, 20.0) * w / w.mean(), 1.0, 80.0)
    for a in range(k):
        for b in range(k):
            ax = fig.add_subplot(k, k, a * k + b + 1)
            ax.tick_params(labelsize=6)
            if a == b:
                ax.hist(rows[:, idx[a]], bins=15, weights=w, color="#4c72b0")
                ax.set_yticks([])
            else:
                ax.scatter(rows[:, idx[b]], rows[:, idx[a]], s=size, alpha=0.4,
                           color="#4c72b0", linewidths=0)
            if a == k - 1:
                ax.set_xlabel(names[b], fontsize=7)
            if b == 0:
                ax.set_ylabel(names[a], fontsize=7)
    fig.suptitle("Posterior pairs (point size: weight)", fontsize=10)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    return path


def shown(target: Target | Mapping[str, Any], x: float | None) -> str:
    """A statistic as a reader reads it: dates as dates, shares as percentages."""
    if x is None:
        return "-"
    value = target["value"] if isinstance(target, Mapping) else target.value
    statistic = target["statistic"] if isinstance(target, Mapping) else target.statistic
    if isinstance(value, str):
        return (dt.date(1970, 1, 1) + dt.timedelta(days=round(x))).isoformat()
    if statistic == "share":
        return f"{100 * x:.1f}%"
    return f"{x:.4g}"


def _band(t: Mapping[str, Any]) -> str:
    lo = "-inf" if t["low"] is None else str(t["low"])
    hi = "+inf" if t["high"] is None else str(t["high"])
    return f"{t['value']} [{lo}, {hi}]"


def checks_markdown(post: Mapping[str, Any]) -> str:
    """The checks as a page: predictive check per target, what the record constrains."""
    lines = [f"# Calibration of {post['scenario']['name']}", "",
             f"Model version {post['model_version']}; seed {post['seed']}; "
             f"{post['population']} particles x {post['runs_per_particle']} replications; "
             f"generation {post['generation']} at tolerance {post['tolerance']:.3g}; "
             f"effective sample size {post['ess']:.1f}.", "",
             "## Posterior predictive check", "",
             "| target | record [band] | posterior 5-50-95% | inside band | record's quantile "
             "| prior draws inside |", "|---|---|---|---|---|---|"]
    pred = post["fit"]["predictive"]
    prior = post["fit"]["prior_draws"]
    for t in post["targets"]:
        c = pred[t["id"]]
        spread = " / ".join(shown(t, c[k]) for k in ("p05", "p50", "p95"))
        inside = "-" if c["inside_band"] is None else f"{100 * c['inside_band']:.0f}%"
        q = "-" if c["record_quantile"] is None else f"{c['record_quantile']:.2f}"
        reach = prior[t["id"]]["inside"]
        reach_text = "-" if reach is None else f"{100 * reach:.0f}%"
        lines.append(f"| {t['id']} {t['description']} | {_band(t)} | {spread} | {inside} | {q} "
                     f"| {reach_text} |")
    if post["fit"]["unreachable"]:
        lines += ["", "**Warning**: no prior draw meets " + ", ".join(post["fit"]["unreachable"])
                  + ": the model cannot reproduce them with any setting of the fitted "
                  "parameters (a structural problem, not a tuning one)."]
    if not post["converged"]:
        lines += ["", f"**Warning**: the fit stopped at tolerance {post['tolerance']:.3g}, "
                  "short of every target inside its band (tolerance 1)."]
    lines += ["", "## Parameters", "", "| parameter | prior | posterior mean (5-95%) | "
              "sd / prior sd | KS gap from prior | the record |", "|---|---|---|---|---|---|"]
    for p in post["priors"]:
        s = post["summary"][p["name"]]
        lines.append(f"| {p['name']} | U({p['low']:g}, {p['high']:g}) ({p['origin']}) | "
                     f"{s['mean']:.4g} ({s['p05']:.4g}-{s['p95']:.4g}) | "
                     f"{s['sd_over_prior_sd']:.2f} | {s.get('ks_from_prior') or 0:.3f} | "
                     f"{_how(s) or 'leaves it at the prior'} |")
    lines += ["", f"*Narrows*: posterior sd below {CONSTRAINED:g} of the prior's.  *Moves*: "
              "the weighted distribution function further from the prior's than Kolmogorov's "
              f"5% critical value ({KS_CRITICAL_5} / sqrt(ESS) = "
              f"{KS_CRITICAL_5 / max(post['ess'], 1.0) ** 0.5:.3f})."]
    if post["correlations"]:
        lines += ["", "Strongest posterior correlations: " + "; ".join(
            f"{a} ~ {b}: {r:+.2f}" for a, b, r in post["correlations"][:8]) + "."]
    lines += ["", f"Refit with `{post['refit']}`.", ""]
    return "\n".join(lines)


def write_checks(post: Mapping[str, Any], folder: Path) -> list[Path]:
    """checks.md and the two figures, in ``folder``."""
    page = folder / CHECKS
    page.write_text(checks_markdown(post), encoding="utf-8")
    return [page, prior_posterior_figure(post, folder / PRIOR_POSTERIOR),
            pairs_figure(post, folder / PAIRS)]


def warnings_for(post: Mapping[str, Any], *, unreachable: bool = True) -> Sequence[str]:
    """One line per target no prior draw met, and one if the fit stopped short of the bands."""
    out = [f"warning: no prior draw meets target {tid}; the model cannot reproduce it with "
           "the fitted parameters (a structural problem, not a tuning one)"
           for tid in post["fit"]["unreachable"]] if unreachable else []
    if not post["converged"]:
        out.append(f"warning: the fit stopped at tolerance {post['tolerance']:.3g} after "
                   f"{post['generation'] + 1} generations, short of every target in its band "
                   "(tolerance 1): this posterior is wider than the record allows; raise "
                   "--generations and continue it with --resume")
    return out


def _how(summary: Mapping[str, Any], before: str = "", after: str = "") -> str:
    """'narrows it', 'moves it', 'narrows and moves it' or '' (older files: 'constrains it')."""
    narrowed = summary.get("narrowed", summary.get("constrained"))
    moved = summary.get("moved", False)
    words = " and ".join(w for w, on in (("narrows", narrowed), ("moves", moved)) if on)
    return f"{before}{words} it{after}" if words else ""
