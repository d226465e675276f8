"""Run narratives: what happened, date by date, in one replication.

A replication is reproducible from the root entropy and its index alone (see
:mod:`sim.streams`), so a trace re-runs just that replication with the model's narrative
switched on and prints its events (the battle, the conferences and the probabilities behind
the choice, the campaign's phases) interleaved with the oil stock running down.

Which replication?  Give its index, or let :func:`pick_replication` choose a representative
one from a run: ``median`` (the typical run of the most common decision),
``closest-to-history`` (nearest the backtest targets of :mod:`sim.reference`),
``best:OUTCOME`` / ``worst:OUTCOME`` (the middle of the best or worst decile of an outcome,
best meaning better for Japan).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim import plots
from sim.compare import load_source, workers_kwargs
from sim.engine import DEFAULT_MODEL, model_for_folder, model_path, run, run_replication
from sim.errors import UserError, did_you_mean
from sim.formatting import format_setting, magnitude_number, plural
from sim.outcomes import BY_NAME, DEFAULT_HORIZON, OUTCOMES, month_ends
from sim.reference import OIL_STOCK_TARGETS, TARGET_BY_ID
from sim.streams import Streams, root_entropy

#: Outcomes where a *smaller* value is better for Japan (for best:/worst: picks).  Every other
#: numeric outcome counts larger as better; dates count earlier as better (sooner captured).
LOWER_IS_BETTER: frozenset[str] = frozenset({
    "kg_japanese_casualties", "north_japanese_casualties", "china_japanese_casualties",
    "singapore_fall_days", "soviet_fe_men_1941_06", "soviet_fe_men_1941_12",
    "dei_captured_date",
})
#: Event kinds whose data (probabilities, the drivers of the choice) the narrative prints.
DATA_KINDS: frozenset[str] = frozenset({"conference", "decision"})
PICKS = ("median", "closest-to-history", "best:OUTCOME", "worst:OUTCOME")


@dataclass
class Trace:
    """One replication's narrative and why it was chosen."""

    scenario_name: str
    index: int
    reason: str
    replication: Any
    lines: list[str]

    def __str__(self) -> str:
        return "\n".join(self.lines)


# ---------------------------------------------------------------------- picking
def _ranks(x: np.ndarray) -> np.ndarray:
    """Percentile rank in [0, 1] of each finite value (NaN stays NaN)."""
    out = np.full(x.shape, np.nan)
    ok = np.isfinite(x)
    if ok.sum() == 0:
        return out
    order = np.argsort(np.argsort(x[ok], kind="stable"), kind="stable")
    out[ok] = (order + 0.5) / ok.sum()
    return out


def _numeric(results: Any, name: str) -> np.ndarray:
    return plots.as_float(BY_NAME[name], results.outcomes[name])


def pick_median(results: Any) -> tuple[int, str]:
    """The replication of the most common decision whose headline numbers sit nearest the
    medians of that decision's replications (sum of squared distances of percentile ranks)."""
    decisions = np.asarray(results.outcomes["decision"]).astype(str)
    values, counts = np.unique(decisions, return_counts=True)
    modal = str(values[np.argmax(counts)])
    members = np.flatnonzero(decisions == modal)
    score = np.zeros(members.size)
    used = []
    for o in OUTCOMES:
        if o.kind == "category" or not o.headline or o.name not in results.outcomes:
            continue
        x = _numeric(results, o.name)[members]
        if np.isfinite(x).mean() < 0.5 or np.nanstd(x) == 0:
            continue
        r = _ranks(x)
        score += np.where(np.isfinite(r), (r - 0.5) ** 2, 0.25)
        used.append(o.name)
    best = members[int(np.argmin(score))]
    share = counts.max() / decisions.size
    return int(best), (f"median: the most typical of the {plural(members.size, 'replication')} "
                       f"({share:.0%}) where the decision was '{modal}', judged on "
                       f"{len(used)} headline outcomes")


#: The documented categorical record (target, outcome, value): Khalkhin Gol a Soviet victory
#: (KG-02), Japan went south (T8), no objective taken in the north (T10).
HISTORICAL_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("KG-02", "kg_outcome", "soviet_victory"),
    ("T8", "decision", "south"),
    ("T10", "north_objective", "none"),
)


def history_distance(results: Any) -> tuple[np.ndarray, list[str]]:
    """Per replication, the distance to the documented record: each documented category it
    gets wrong (Khalkhin Gol's result, the decision, a northern attack) costs more than any
    run's numeric distance, the squared distance to the numeric targets in half-ranges (two
    for a target that did not happen)."""
    n = int(results.n)
    numeric = np.zeros(n)
    mismatches = np.zeros(n)
    used: list[str] = []

    def add(target_id: str, outcome: str, value: float, low: float, high: float) -> None:
        if outcome not in results.outcomes:
            return
        x = _numeric(results, outcome)
        half = max((high - low) / 2, 1e-9)
        numeric[:] += np.where(np.isfinite(x), ((x - value) / half) ** 2, 4.0)
        used.append(f"{target_id} {outcome}")

    for tid, outcome in (("T1", "kg_japanese_casualties"), ("T2", "kg_soviet_casualties"),
                         ("T9", "kantokuen_peak_men"), ("T14", "singapore_fall_days")):
        t = TARGET_BY_ID.get(tid)
        if t is not None and isinstance(t.value, (int, float)):
            add(tid, outcome, float(t.value), float(t.low), float(t.high))  # type: ignore[arg-type]
    for year, stock in OIL_STOCK_TARGETS.items():
        name = f"oil_stock_end_{year}"
        if name in BY_NAME:  # T15: +-20 % each year
            add("T15", name, stock, stock * 0.8, stock * 1.2)
    for tid, outcome, value in HISTORICAL_CATEGORIES:
        if outcome in results.outcomes:
            got = np.asarray(results.outcomes[outcome]).astype(str)
            mismatches += got != value
            used.append(f"{tid} {outcome}={value}")
    if "north_attack_date" in results.outcomes:  # T10: no northern attack
        mismatches += np.isfinite(_numeric(results, "north_attack_date"))
        used.append("T10 no northern attack")
    penalty = 1.0 + float(numeric.max(initial=0.0))  # more than any numeric distance
    return numeric + penalty * mismatches, used


def category_mismatches(results: Any, k: int) -> list[str]:
    """The documented categorical outcomes replication position ``k`` gets wrong."""
    wrong = [f"{outcome}={results.outcomes[outcome][k]} (documented {value})"
             for _, outcome, value in HISTORICAL_CATEGORIES
             if outcome in results.outcomes and str(results.outcomes[outcome][k]) != value]
    if "north_attack_date" in results.outcomes and np.isfinite(_numeric(results, "north_attack_date")[k]):
        wrong.append("a northern attack (documented: none)")
    return wrong


def pick_closest_to_history(results: Any) -> tuple[int, str]:
    distance, used = history_distance(results)
    k = int(np.argmin(distance))
    wrong = category_mismatches(results, k)
    record = f"unlike the record: {', '.join(wrong)}" if wrong else "every category as recorded"
    return k, (f"closest to history: smallest distance to the backtest targets "
               f"({', '.join(used)}); {record}; distance {distance[k]:.2f}")


def pick_decile(results: Any, outcome_name: str, best: bool) -> tuple[int, str]:
    """The replication in the middle of the best (or worst) 10 % for Japan of an outcome."""
    outcome = BY_NAME.get(outcome_name)
    if outcome is None:
        raise UserError(f"--pick: unknown outcome `{outcome_name}`"
                        f"{did_you_mean(outcome_name, BY_NAME)}; expected e.g. "
                        "best:oil_stock_end_1942")
    if outcome.kind == "category":
        numeric = [o.name for o in OUTCOMES if o.kind != "category"]
        raise UserError(f"--pick: `{outcome_name}` is a category and has no best or worst; "
                        f"expected a numeric outcome such as {numeric[0]}")
    x = _numeric(results, outcome_name)
    idx = np.flatnonzero(np.isfinite(x))
    if idx.size == 0:
        raise UserError(f"--pick: `{outcome_name}` did not happen in any of the {results.n} "
                        "replications; choose another outcome or more --runs")
    lower_better = outcome_name in LOWER_IS_BETTER or outcome.kind == "date"
    # Sort from best to worst for Japan, then take the middle of the first or last decile.
    order = idx[np.argsort(x[idx] if lower_better else -x[idx], kind="stable")]
    decile = max(1, int(math.ceil(order.size / 10)))
    members = order[:decile] if best else order[-decile:]
    k = int(members[len(members) // 2])
    direction = "lowest" if lower_better == best else "highest"
    which = "best" if best else "worst"
    return k, (f"{which} decile of {outcome_name} for Japan ({direction} 10% of "
               f"{plural(order.size, 'replication')} where it happened): "
               f"{plots.format_value(outcome, x[k])} {outcome.unit}".rstrip())


def pick_replication(results: Any, pick: str) -> tuple[int, str]:
    """Position (in replication order) of a representative replication, and why."""
    pick = pick.strip()
    if pick == "median":
        k, why = pick_median(results)
    elif pick == "closest-to-history":
        k, why = pick_closest_to_history(results)
    elif pick.startswith(("best:", "worst:")):
        which, _, name = pick.partition(":")
        k, why = pick_decile(results, name.strip(), which == "best")
    else:
        raise UserError(f"--pick: unknown choice `{pick}`; expected one of {', '.join(PICKS)}")
    return k, why


# ---------------------------------------------------------------------- narrative
def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype("datetime64[D]").astype(dt.date)
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return None


def _data_text(data: Mapping[str, Any] | None) -> str:
    """The numbers behind an event (probabilities as percentages), compactly."""
    if not data:
        return ""
    parts = []
    for key, value in data.items():
        if isinstance(value, bool) or value is None:
            text = str(value).lower()
        elif isinstance(value, float):
            is_share = ("prob" in key or key.startswith("p_") or key.endswith(("_p", "share"))
                        or key in ("p", "u", "draw")) and 0 <= value <= 1
            text = f"{value:.0%}" if is_share else f"{value:,.4g}"
        elif isinstance(value, int):
            text = f"{value:,}"
        elif isinstance(value, dt.date):
            text = value.isoformat()
        elif isinstance(value, Mapping):
            text = "{" + _data_text(value) + "}"
        else:
            text = str(value)
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def oil_events(replication: Any, horizon: dt.date | None = None) -> list[tuple[dt.date, str]]:
    """The oil stock at each year end and when it falls below half, a quarter and a tenth of
    its level at the start of the war in the Pacific (or of the run)."""
    series = getattr(replication, "series", None) or {}
    oil = series.get("oil_stock") if isinstance(series, Mapping) else None
    if oil is None:
        return []
    oil = np.asarray(oil, dtype=float)
    months = month_ends(horizon or DEFAULT_HORIZON)
    if len(months) < oil.size:
        months = month_ends(dt.date(1939 + (oil.size - 1) // 12, (oil.size - 1) % 12 + 1, 1))
    months = months[: oil.size]
    out: list[tuple[dt.date, str]] = []
    for month, value in zip(months, oil):
        if month.month == 12 and np.isfinite(value):
            out.append((month, f"oil stock at year end: {value:,.1f} million bbl"))
    start = next((v for m, v in zip(months, oil) if m >= dt.date(1941, 11, 30)), oil[0])
    if np.isfinite(start) and start > 0:
        for share in (0.5, 0.25, 0.1):
            below = [(m, v) for m, v in zip(months, oil)
                     if m >= dt.date(1941, 12, 1) and v < share * start]
            if below:
                m, v = below[0]
                out.append((m, f"oil stock below {share:.0%} of its level of late 1941 "
                               f"({v:,.1f} of {start:,.1f} million bbl)"))
    return out


def drawn_parameters(scenario: Any, entropy: int, index: int) -> dict[str, Any]:
    """The values the uncertain parameters took in replication ``index``.

    The same draw as the engine's (:meth:`sim.params.Sampler.draw_for`).
    """
    sampler = scenario.sampler()
    uncertain = [name for _, name, _, _ in sampler.uncertain]
    if not uncertain:
        return {}
    drawn = sampler.draw_for(Streams(int(entropy), int(index)))
    return {name: drawn[name] for name in uncertain}


def narrative_lines(scenario_name: str, index: int, reason: str, replication: Any,
                    manifest: Mapping[str, Any], horizon: dt.date | None = None,
                    params: Mapping[str, Any] | None = None) -> list[str]:
    """The dated story of one replication, ready to print."""
    seed = manifest.get("seed")
    lines = [f"Replication {index} of '{scenario_name}' (seed {seed}, root entropy "
             f"{manifest.get('entropy')})",
             f"Chosen as: {reason}", ""]
    if params:
        lines.append("Drawn assumptions (uncertain parameters of this replication):")
        for key, value in params.items():
            lines.append(f"  {key} = {format_setting(value, magnitude_number)}")
        lines.append("")
    timeline: list[tuple[dt.date, int, str, str]] = []
    for order, event in enumerate(getattr(replication, "events", None) or []):
        date = _date(getattr(event, "date", None))
        kind = str(getattr(event, "kind", ""))
        text = str(getattr(event, "text", ""))
        # The numbers behind a choice are the point of a conference; elsewhere the model's
        # text already says what its data holds.
        extra = _data_text(getattr(event, "data", None)) if kind in DATA_KINDS else ""
        if extra:
            text = f"{text} ({extra})"
        timeline.append((date or dt.date.min, order, kind, text))
    for date, text in oil_events(replication, horizon):
        timeline.append((date, 10**9, "oil", text))
    timeline.sort(key=lambda t: (t[0], t[1]))
    width = max((len(t[2]) for t in timeline), default=4)
    for date, _, kind, text in timeline:
        when = "          " if date == dt.date.min else date.isoformat()
        lines.append(f"{when}  {kind.ljust(width)}  {text}")
    if not timeline:
        lines.append("(the model recorded no events for this replication)")
    outcomes = getattr(replication, "outcomes", None) or {}
    if outcomes:
        lines += ["", "Outcomes:"]
        for o in OUTCOMES:
            if o.name in outcomes:
                value = outcomes[o.name]
                shown = "did not happen" if value is None else format_setting(value, magnitude_number)
                if o.kind in ("count", "number") and isinstance(value, (int, float)):
                    shown = f"{value:,.0f}" if o.kind == "count" else f"{value:,.1f}"
                lines.append(f"  {o.name:<36} {shown} {o.unit if value is not None else ''}"
                             .rstrip())
    return lines


def _horizon(scenario: Any) -> dt.date | None:
    value = getattr(scenario, "values", {}).get("simulation.horizon")
    return value if isinstance(value, dt.date) else None


def trace(source: Any, replication: int | None = None, *, pick: str | None = None,
          runs: int = 200, seed: int | None = 1, workers: int | None = 1,
          model: Callable[..., Any] | str | None = None) -> Trace:
    """Narrative of one replication of a scenario (or of a saved run).

    ``source`` is a Scenario, Results, scenario file or results folder.  Give ``replication``
    (its index) or ``pick``; with a scenario, ``pick`` first runs ``runs`` replications with
    ``seed`` to choose among.  ``model`` (default the built-in one) is the model that runs;
    saved results must have been made with it (a folder never chooses the code that runs).
    """
    if (replication is None) == (pick is None):
        raise UserError("trace: give either --replication K or --pick "
                        f"({', '.join(PICKS)}), not both and not neither")
    kind, obj = load_source(source)
    results = obj if kind == "results" else None
    scenario = obj.scenario if kind == "results" else obj
    if results is not None:
        chosen = model_for_folder(str((results.manifest or {}).get("model", DEFAULT_MODEL)),
                                  model, results.path or "these results")
    else:
        chosen = model_path(model)
    if results is None and pick is not None:
        if runs < 10:
            raise UserError(f"--runs: choosing a representative replication needs at least 10 "
                            f"runs, got {runs}")
        results = run(scenario, runs, seed, model=chosen, **workers_kwargs(workers))
    if results is not None:
        manifest = dict(results.manifest or {})
        indices = np.asarray(getattr(results, "replications", np.arange(results.n)))
        if pick is not None:
            position, reason = pick_replication(results, pick)
            index = int(indices[position])
        else:
            assert replication is not None
            if replication not in set(indices.tolist()):
                raise UserError(f"--replication {replication}: this run holds replications "
                                f"0..{int(indices.max())}; expected one of them")
            index, reason = int(replication), "chosen by index"
        entropy = int(manifest["entropy"])
    else:
        assert replication is not None
        if replication < 0:
            raise UserError(f"--replication: expected a replication index >= 0, got {replication}")
        entropy = root_entropy(seed)
        manifest = {"seed": seed, "entropy": entropy}
        index, reason = int(replication), "chosen by index"
    rep = run_replication(scenario, entropy, index, trace=True, model=chosen)
    lines = narrative_lines(str(scenario.name), index, reason, rep, manifest, _horizon(scenario),
                            drawn_parameters(scenario, entropy, index))
    return Trace(str(scenario.name), index, reason, rep, lines)


def narrative(source: Any, replication: int | None = None, *, pick: str | None = None,
              runs: int = 200, seed: int | None = 1, workers: int | None = 1,
              model: Callable[..., Any] | str | None = None) -> list[str]:
    """The lines of :func:`trace` (what ``sim trace`` prints)."""
    return trace(source, replication, pick=pick, runs=runs, seed=seed, workers=workers,
                 model=model).lines
