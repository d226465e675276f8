"""Charts for the analyses: waterfall (Shapley), tornado (OAT), index bars (Sobol), Morris
mu*/sigma, and PRIM's coverage/density trade-off.

Each function draws one figure and saves it as PNG when given a path, and returns the
:class:`matplotlib.figure.Figure` (built without ``pyplot`` state, like :mod:`sim.plots`) so a
notebook can show it.  The charts read their results through the small protocols below, so
that the results (which draw themselves in ``write``) and the charts do not import each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from matplotlib.figure import Figure

from sim.formatting import SHARE_OF_RUNS, format_analysis_number, format_setting, grouped_number
from sim.plots import fit_text


class AttributionChart(Protocol):
    """What the waterfall reads of a :class:`sim.analysis.shapley.Attribution`."""

    outcome: str
    unit: str
    factor_names: list[str]
    labels: list[str]
    contributions: dict[str, float]
    ci: dict[str, tuple[float, float]]
    runs: int
    confidence: float
    scenario: str

    @property
    def baseline_value(self) -> float: ...

    @property
    def counterfactual_value(self) -> float: ...


class VarianceShare(Protocol):
    """The share of the outcome's variance the assumptions explain."""

    @property
    def assumptions_share(self) -> float: ...


class SensitivityChart(Protocol):
    """What the sensitivity charts read of a :class:`sim.analysis.sensitivity.SensitivityResult`."""

    outcome: str
    unit: str
    names: list[str]
    indices: dict[str, dict[str, float]]
    points: int
    replications: int
    baseline: float
    settings: dict[str, list[tuple[Any, float]]]
    noise_floor: float

    @property
    def variance(self) -> VarianceShare: ...

    def ranked(self) -> list[str]: ...


class BoxPoint(Protocol):
    """Where a PRIM box sits on the coverage/density trade-off."""

    @property
    def coverage(self) -> float: ...

    @property
    def density(self) -> float: ...


class DiscoveryChart(Protocol):
    """What the trade-off chart reads of a :class:`sim.analysis.discovery.DiscoveryResult`."""

    target: str
    min_density: float
    trajectory: list[tuple[float, float, int]]

    @property
    def boxes(self) -> Sequence[BoxPoint]: ...


_UP = "#c0392b"  # raises the outcome
_DOWN = "#2e86c1"  # lowers it
_LEVEL = "#7f8c8d"
#: Characters per line of user text on a chart (outcome labels, titles, factor names).
_LABEL_WIDTH = 60
_TICK_WIDTH = 32
#: Parameter names are a registry's (at most 43 characters in the campaign model's).
_NAME_WIDTH = 48


def _save(fig: Figure, path: str | Path | None) -> Figure:
    if path is not None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120, bbox_inches="tight")
    return fig


def _outcome_label(outcome: str, unit: str) -> str:
    """``P(decision == 'north')``, ``oil_stock_end_1942 (million bbl)``: at most two lines, since
    an expression is user text and a figure saved with a tight box grows to fit every label."""
    if unit == SHARE_OF_RUNS:
        label = f"P({outcome})"
    else:
        label = f"{outcome} ({unit})" if unit else outcome
    return fit_text(label, _LABEL_WIDTH, 2)


def waterfall(att: AttributionChart, path: str | Path | None = None) -> Figure:
    """From the scenario as written to all factors switched, one bar per factor's contribution,
    with its bootstrap interval as an error bar."""
    def fmt(x: float, signed: bool = False) -> str:
        return format_analysis_number(x, att.unit, signed)

    k = len(att.factor_names)
    fig = Figure(figsize=(max(6.5, 1.25 * (k + 2)), 4.6))
    ax = fig.subplots()
    level = att.baseline_value
    xs = np.arange(k + 2)
    ax.bar(0, level, color=_LEVEL, width=0.6)
    for i, (name, label) in enumerate(zip(att.factor_names, att.labels), start=1):
        c = att.contributions[name]
        ax.bar(i, c, bottom=level, color=_UP if c >= 0 else _DOWN, width=0.6)
        lo, hi = att.ci[name]
        if np.isfinite(lo) and np.isfinite(hi):
            top = level + c
            ax.errorbar(i, top, yerr=[[max(c - lo, 0)], [max(hi - c, 0)]], color="black",
                        capsize=3, linewidth=1)
        ax.plot([i - 0.7, i + 0.3], [level, level], color="black", linewidth=0.6, linestyle=":")
        ax.annotate(fmt(0.0 if abs(c) < 1e-12 else c, True), (i, level + max(c, 0)), ha="center", va="bottom", fontsize=8,
                    xytext=(0, 2), textcoords="offset points")
        level += c
    ax.bar(k + 1, att.counterfactual_value, color=_LEVEL, width=0.6)
    ax.annotate(fmt(att.baseline_value), (0, att.baseline_value), ha="center", va="bottom", fontsize=8)
    ax.annotate(fmt(att.counterfactual_value), (k + 1, att.counterfactual_value), ha="center",
                va="bottom", fontsize=8)
    ax.set_xticks(xs)
    ticks = ["as written", *(fit_text(label, _TICK_WIDTH, 2) for label in att.labels), "all switched"]
    ax.set_xticklabels(ticks, rotation=30, ha="right")
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_ylabel(_outcome_label(att.outcome, att.unit))
    title = "Shapley attribution"
    if att.scenario:
        title += f": {att.scenario}"
    ax.set_title(
        f"{fit_text(title, 90)}\n{1 << k} scenarios x {att.runs} runs (CRN); bars: contribution of switching "
        f"each factor, whiskers {int(round(att.confidence * 100))}% bootstrap",
        fontsize=9,
    )
    fig.tight_layout()
    return _save(fig, path)


def tornado(result: SensitivityChart, path: str | Path | None = None) -> Figure:
    """OAT tornado: for each parameter, the outcome at the low and high end of its range
    (every value for a category), widest swing on top."""
    names = result.ranked()[::-1]
    fig = Figure(figsize=(7.5, 0.45 * len(names) + 1.6))
    ax = fig.subplots()
    base = result.baseline
    for row, name in enumerate(names):
        settings = result.settings.get(name, [])
        for idx, (value, mean) in enumerate(settings):
            if not np.isfinite(mean):
                continue
            is_high = idx == len(settings) - 1 and len(settings) > 1
            colour = _UP if is_high else _DOWN
            if 0 < idx < len(settings) - 1:
                colour = _LEVEL
            ax.barh(row, mean - base, left=base, color=colour, alpha=0.8, height=0.6)
            ax.annotate(format_setting(value, grouped_number), (mean, row), ha="left" if mean >= base else "right",
                        va="center", fontsize=7, xytext=(3 if mean >= base else -3, 0),
                        textcoords="offset points")
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels([fit_text(n, _NAME_WIDTH) for n in names], fontsize=8)
    ax.set_xlabel(_outcome_label(result.outcome, result.unit))
    ax.set_title(
        f"One at a time ({result.replications} replications per setting); "
        f"blue = low end, red = high end, line = all central ({base:.3g})",
        fontsize=9,
    )
    fig.tight_layout()
    return _save(fig, path)


def index_bars(result: SensitivityChart, path: str | Path | None = None) -> Figure:
    """Sobol first-order (S1) and total (ST) indices per parameter with confidence intervals."""
    names = result.ranked()
    x = np.arange(len(names))
    s1 = np.array([result.indices[n]["S1"] for n in names])
    st = np.array([result.indices[n]["ST"] for n in names])
    s1c = np.array([result.indices[n]["S1_conf"] for n in names])
    stc = np.array([result.indices[n]["ST_conf"] for n in names])
    fig = Figure(figsize=(max(6.0, 0.7 * len(names) + 2), 4.2))
    ax = fig.subplots()
    ax.bar(x - 0.2, s1, 0.4, yerr=s1c, label="first order S1", color=_DOWN, capsize=2)
    ax.bar(x + 0.2, st, 0.4, yerr=stc, label="total ST", color=_UP, capsize=2)
    if result.noise_floor > 0.005:
        ax.axhline(result.noise_floor, color=_LEVEL, linestyle="--", linewidth=0.8,
                   label="chance floor")
    ax.set_xticks(x)
    ax.set_xticklabels([fit_text(n, _NAME_WIDTH) for n in names], rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("share of variance")
    ax.set_ylim(bottom=min(0.0, float(np.nanmin(s1 - s1c)) if len(s1) else 0.0))
    ax.legend(fontsize=8)
    share = result.variance.assumptions_share
    ax.set_title(
        f"Sobol indices of {_outcome_label(result.outcome, result.unit)}\n"
        f"{result.points} points x {result.replications} replications; assumptions explain "
        f"{share:.0%} of the variance, chance the rest" if np.isfinite(share) else
        f"Sobol indices of {_outcome_label(result.outcome, result.unit)}",
        fontsize=9,
    )
    fig.tight_layout()
    return _save(fig, path)


def morris_plot(result: SensitivityChart, path: str | Path | None = None) -> Figure:
    """Morris screening: mu* (overall influence) against sigma (non-linearity/interactions)."""
    fig = Figure(figsize=(6.5, 5))
    ax = fig.subplots()
    for name in result.names:
        ix = result.indices[name]
        ax.errorbar(ix["mu_star"], ix["sigma"], xerr=ix["mu_star_conf"], fmt="o", color=_UP,
                    ecolor=_LEVEL, capsize=2, markersize=4)
        ax.annotate(fit_text(name, _NAME_WIDTH), (ix["mu_star"], ix["sigma"]), fontsize=7, xytext=(4, 2),
                    textcoords="offset points")
    top = max([max(result.indices[n]["mu_star"], result.indices[n]["sigma"]) for n in result.names] + [1e-12])
    ax.plot([0, top], [0, top], color=_LEVEL, linestyle=":", linewidth=0.8)
    ax.set_xlabel("mu* (mean |elementary effect|, per unit step in probability)")
    ax.set_ylabel("sigma (spread of the effects)")
    ax.set_title(
        f"Morris screening of {_outcome_label(result.outcome, result.unit)}\n"
        f"{result.points} points x {result.replications} replications; "
        "above the dotted line: non-linear or interacting",
        fontsize=9,
    )
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    return _save(fig, path)


def prim_tradeoff(result: DiscoveryChart, path: str | Path | None = None) -> Figure:
    """PRIM's peeling trajectory: coverage against density, coloured by the number of
    restricted parameters, with the chosen boxes marked."""
    fig = Figure(figsize=(6.2, 4.6))
    ax = fig.subplots()
    if result.trajectory:
        cov, den, dims = (np.array(v) for v in zip(*result.trajectory))
        sc = ax.scatter(cov, den, c=dims, cmap="viridis", s=14)
        fig.colorbar(sc, ax=ax, label="restricted parameters")
    for i, box in enumerate(result.boxes, 1):
        ax.scatter([box.coverage], [box.density], marker="*", s=160, color=_UP, zorder=3)
        ax.annotate(f"box {i}", (box.coverage, box.density), fontsize=8, xytext=(5, 5),
                    textcoords="offset points")
    ax.axhline(result.min_density, color=_LEVEL, linestyle="--", linewidth=0.8)
    ax.set_xlabel("coverage (share of all target runs inside the box)")
    ax.set_ylabel("density (share of runs in the box hitting the target)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title(fit_text(f"PRIM trade-off for {result.target}", _LABEL_WIDTH + 20, 2), fontsize=9)
    fig.tight_layout()
    return _save(fig, path)
