"""Charts for the analyses: waterfall (Shapley), tornado (OAT), index bars (Sobol), Morris
screening, and PRIM's coverage/density trade-off.

Outcomes and parameters are named by :mod:`sim.labels` (a user's expression is shown as
written); every estimate carries its interval.

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
from matplotlib.ticker import PercentFormatter

from sim import labels
from sim.analysis.factors import FACTORS
from sim.formatting import SHARE_OF_RUNS, format_analysis_number, format_setting, grouped_number
from sim.plots import fit_text
from sim.registry import REGISTRY


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
    """'Share of runs: Strike north', 'Japan's oil stock, end of 1942 (million bbl)', or a
    user's expression as written: at most two lines, since an expression is user text and a
    figure saved with a tight box grows to fit every label."""
    if labels.has_label(outcome) or labels.title(outcome) != outcome:
        label = labels.axis_label(outcome)
    elif unit == SHARE_OF_RUNS:
        label = f"Share of runs where {outcome}"
    else:
        label = f"{outcome} ({unit})" if unit else outcome
    return fit_text(label, _LABEL_WIDTH, 2)


def _param_label(name: str, width: int = _NAME_WIDTH) -> str:
    """A parameter's title from the label table (its dotted name if it has none)."""
    return fit_text(labels.title(name), width, 2)


def switched_label(name: str, label: str) -> str:
    """What switching a factor means, in words: 'without Khalkhin Gol' when its overrides
    turn the factor off, 'if Moscow falls in the autumn of 1941' when they turn on an event,
    '<label> switched' for a factor of one's own."""
    factor = FACTORS.get(name)
    if factor is None:
        return f"{label} switched"
    offs = [k for k, v in factor.overrides.items() if v is False or v == 0]
    if len(offs) == len(factor.overrides):
        return f"without {label}"
    ons = [k for k, v in factor.overrides.items() if v is True and k in REGISTRY
           and REGISTRY[k].description.startswith("Whether ")]
    if len(ons) == len(factor.overrides):
        return "if " + " and ".join(REGISTRY[k].description.removeprefix("Whether ")
                                    for k in ons)
    return f"{label} switched"


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
        top_of_whisker = level + hi if np.isfinite(hi) else level + c
        ax.annotate(fmt(0.0 if abs(c) < 1e-12 else c, True),
                    (i, max(level + max(c, 0), top_of_whisker)), ha="center", va="bottom",
                    fontsize=8, xytext=(0, 2), textcoords="offset points")
        level += c
    ax.bar(k + 1, att.counterfactual_value, color=_LEVEL, width=0.6)
    ax.annotate(fmt(att.baseline_value), (0, att.baseline_value), ha="center", va="bottom", fontsize=8)
    ax.annotate(fmt(att.counterfactual_value), (k + 1, att.counterfactual_value), ha="center",
                va="bottom", fontsize=8)
    ax.set_xticks(xs)
    ticks = ["scenario as written",
             *(fit_text(switched_label(name, label), _TICK_WIDTH, 2)
               for name, label in zip(att.factor_names, att.labels)),
             "all factors switched"]
    ax.set_xticklabels(ticks, rotation=30, ha="right")
    ax.axhline(0, color="black", linewidth=0.5)
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + (high - low) * 0.06)  # room for the labels above the whiskers
    ax.set_ylabel(_outcome_label(att.outcome, att.unit))
    title = "Shapley attribution"
    if att.scenario:
        title += f": {att.scenario}"
    ax.set_title(
        f"{fit_text(title, 90)}\n{1 << k} scenarios x {att.runs} runs (CRN); bars: change "
        f"from switching each factor (Shapley), whiskers {int(round(att.confidence * 100))}% "
        "bootstrap",
        fontsize=9,
    )
    fig.tight_layout()
    return _save(fig, path)


def _settings_text(settings: Sequence[tuple[Any, float]], width: int = 44) -> str:
    """'low 0.5 -> high 2' (or every value of a category), for the line under a parameter."""
    shown = [format_setting(v, grouped_number) for v, _ in settings]
    if len(shown) == 2:
        return fit_text(f"low {shown[0]}  ·  high {shown[1]}", width)
    return fit_text(" / ".join(shown), width)


def tornado(result: SensitivityChart, path: str | Path | None = None) -> Figure:
    """OAT tornado: for each parameter, the outcome's mean at the low and high end of its
    range (every value for a category) with 95 % intervals, widest swing on top; the settings
    are written under each parameter's name, so no label sits on a bar."""
    names = result.ranked()[::-1]
    fig = Figure(figsize=(8.5, 0.62 * len(names) + 1.8))
    ax = fig.subplots()
    base = result.baseline
    intervals = getattr(result, "intervals", {}) or {}
    b_lo, b_hi = getattr(result, "baseline_interval", (np.nan, np.nan))
    if np.isfinite(b_lo) and np.isfinite(b_hi):
        ax.axvspan(b_lo, b_hi, color=_LEVEL, alpha=0.18, linewidth=0,
                   label="all central: 95% interval")
    for row, name in enumerate(names):
        settings = result.settings.get(name, [])
        bounds = intervals.get(name, [(np.nan, np.nan)] * len(settings))
        k = len(settings)
        for idx, ((_, mean), (lo, hi)) in enumerate(zip(settings, bounds)):
            if not np.isfinite(mean):
                continue
            colour = _UP if (idx == k - 1 and k > 1) else _DOWN if idx == 0 else _LEVEL
            # one thin bar per setting, the low end on top: the high end never hides the low one
            ypos = row - (idx - (k - 1) / 2) * (0.64 / max(k, 1))
            ax.barh(ypos, mean - base, left=base, color=colour, alpha=0.8,
                    height=0.6 / max(k, 1))
            if np.isfinite(lo) and np.isfinite(hi):
                ax.errorbar(mean, ypos, xerr=[[mean - lo], [hi - mean]], fmt="none",
                            ecolor="black", capsize=2.5, linewidth=0.9)
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(
        [f"{_param_label(n)}\n{_settings_text(result.settings.get(n, []))}" for n in names],
        fontsize=7.5)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlabel(_outcome_label(result.outcome, result.unit))
    if result.unit == SHARE_OF_RUNS:
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(
        f"One at a time ({result.replications} replications per setting); blue: low end, "
        f"red: high end, whiskers: 95% interval\nline: every parameter central "
        f"({base:.3g})",
        fontsize=9,
    )
    if np.isfinite(b_lo) and np.isfinite(b_hi):
        ax.legend(fontsize=7, loc="lower right", framealpha=0.85)
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
    ax.set_xticklabels([fit_text(labels.short(n), _NAME_WIDTH) for n in names], rotation=35,
                       ha="right", fontsize=8)
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
    """Morris screening as a ranked chart: each parameter's mu* (overall influence) as a bar
    with its 95 % interval, and sigma (non-linearity or interactions) as a diamond on the same
    scale; names sit on their own rows, so none overlaps another."""
    names = result.ranked()[::-1]
    fig = Figure(figsize=(8.0, 0.42 * len(names) + 1.9))
    ax = fig.subplots()
    y = np.arange(len(names))
    mu = np.array([result.indices[n]["mu_star"] for n in names])
    conf = np.array([result.indices[n]["mu_star_conf"] for n in names])
    sigma = np.array([result.indices[n]["sigma"] for n in names])
    ax.barh(y, mu, color=_UP, alpha=0.75, height=0.6, label="mu*: mean |elementary effect|")
    ax.errorbar(mu, y, xerr=np.nan_to_num(conf), fmt="none", ecolor="black", capsize=2.5,
                linewidth=0.9, label="95% interval of mu*")
    ax.scatter(sigma, y, marker="D", s=22, color=_DOWN, zorder=3,
               label="sigma: spread of the effects")
    ax.set_yticks(y, [_param_label(n) for n in names], fontsize=7.5)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlim(left=0)
    ax.set_xlabel("change in the outcome per unit step of the parameter's quantile")
    ax.legend(fontsize=7, loc="lower right", framealpha=0.85)
    ax.set_title(
        f"Morris screening of {_outcome_label(result.outcome, result.unit)}\n"
        f"{result.points} points x {result.replications} replications; most influential on "
        "top; sigma beyond mu*: non-linear or interacting",
        fontsize=9,
    )
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
    ax.set_title(fit_text(f"PRIM trade-off for {labels.title(result.target)}", _LABEL_WIDTH + 20,
                          2), fontsize=9)
    fig.tight_layout()
    return _save(fig, path)
