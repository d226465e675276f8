"""The report of an analysis folder: the Shapley attribution, the sensitivity indices and the
scenario-discovery boxes it holds (any of them), each with its intervals and its chart."""

from __future__ import annotations

from typing import Any

from sim.analysis.sensitivity.result import VarianceSplit
from sim.formatting import format_analysis_number
from sim.labels import label
from sim.report.folders import END_MATTER, folder_figures
from sim.report.page import Section, command_line
from sim.report.sources import ATTRIBUTION, DISCOVERY, SENSITIVITY, Source

#: Each method's chart, its ranking key and its columns: (heading, index, format).
_METHODS: dict[str, tuple[str, str, tuple[tuple[str, str, str], ...]]] = {
    "sobol": ("sobol_indices.png", "ST", (("first-order S1", "S1", ".3f"), ("+/-", "S1_conf", ".3f"),
                                          ("total ST", "ST", ".3f"), ("+/-", "ST_conf", ".3f"))),
    "morris": ("morris.png", "mu_star", (("mu*", "mu_star", ".4g"), ("+/-", "mu_star_conf", ".4g"),
                                         ("sigma", "sigma", ".4g"), ("mu", "mu", ".4g"))),
    "oat": ("tornado.png", "swing", (("outcome at low", "low_value", ".4g"),
                                     ("outcome at high", "high_value", ".4g"),
                                     ("swing", "swing", ".4g"))),
}
_METHOD_NAMES = {"sobol": "Sobol indices", "morris": "Morris screening",
                 "oat": "One at a time"}


def _number(x: float | None, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def _attribution(source: Source, data: Any) -> dict[str, Any]:
    def show(x: float, signed: bool = False) -> str:
        return format_analysis_number(x, data.unit, signed)

    rows = [{"title": "As written (every factor as in history)", "question": "",
             "value": show(data.baseline_value), "interval": ""}]
    rows += [{"title": f"Switching: {f.label}", "question": f.question,
              "value": show(f.contribution, True),
              "interval": f"[{show(f.ci[0], True)}, {show(f.ci[1], True)}]"}
             for f in data.factors]
    rows += [{"title": "Every factor switched", "question": "",
              "value": show(data.counterfactual_value), "interval": ""},
             {"title": "Total change", "question": "", "value": show(data.total, True),
              "interval": f"[{show(data.total_ci[0], True)}, {show(data.total_ci[1], True)}]"}]
    command = ["sim", "explain", data.scenario or "SCENARIO", "--outcome", data.outcome,
               "--factors", ",".join(f.name for f in data.factors), "--runs", str(data.runs),
               "--seed", str(data.seed), "--bootstrap", str(data.bootstrap)]
    return {"section": Section("attribution", f"Why: {label(data.outcome).title}"),
            "kind": "attribution", "rows": rows, "outcome": label(data.outcome).title,
            "note": (f"Exact Shapley values over {1 << len(data.factors)} scenarios x "
                     f"{data.runs:,} replications (common random numbers, seed {data.seed}); "
                     f"{round(data.confidence * 100)}% bootstrap intervals "
                     f"({data.bootstrap:,} resamples)."),
            "figures": folder_figures(source, [("waterfall.png", "Shapley attribution: how "
                                                 "each factor moves the outcome.")]),
            "command": command_line(command)}


def _sensitivity(source: Source, data: Any) -> dict[str, Any]:
    chart, key, columns = _METHODS[data.method]
    names = sorted(data.indices, key=lambda n: -(data.indices[n].get(key) or 0.0))
    rows = [{"title": label(n).title, "name": n,
             "cells": [_number(data.indices[n].get(k), spec) for _, k, spec in columns]}
            for n in names]
    header = [c[0] for c in columns]
    if data.method == "oat":  # the settings each end of the tornado stands for
        header = ["low setting", header[0], "high setting", *header[1:]]
        for row in rows:
            ends = data.settings.get(row["name"]) or [["", None]]
            low, high = str(ends[0][0]), str(ends[-1][0])
            row["cells"] = [low, row["cells"][0], high, *row["cells"][1:]]
    variance = VarianceSplit(data.variance.assumptions, data.variance.chance, data.replications)
    split = variance.describe() if data.method != "oat" else (
        f"variance from chance ('fog of war') at the central point: {variance.chance:.4g}")
    command = ["sim", "sensitivity", data.scenario or "SCENARIO", "--method", data.method,
               "--outcome", data.outcome, "--params", ",".join(data.indices)]
    per_point = {"sobol": len(data.indices) + 2, "morris": len(data.indices) + 1}
    if data.method in per_point:
        command += ["--samples", str(data.points // per_point[data.method])]
    command += ["--replications", str(data.replications), "--seed", str(data.seed)]
    return {"section": Section(f"sensitivity-{data.method}",
                               f"{_METHOD_NAMES[data.method]}: {label(data.outcome).title}"),
            "kind": "sensitivity", "header": header, "rows": rows,
            "note": (f"{data.points:,} sample points x {data.replications:,} replications "
                     f"(common random numbers, seed {data.seed}); {split}."),
            "figures": folder_figures(source, [(chart, f"{_METHOD_NAMES[data.method]} of "
                                                f"{label(data.outcome).title}.")]),
            "command": command_line(command)}


def _restrictions(box: Any) -> list[dict[str, str]]:
    """Each parameter a box restricts, with its quasi-p value and how often the restriction
    recurs over resamples, when the analysis recorded them."""
    quasi_p = getattr(box, "quasi_p", None) or {}
    stability = getattr(box, "stability", None) or {}
    names = list(dict.fromkeys([*(getattr(box, "limits", None) or {}), *quasi_p]))
    return [{"title": label(n).title, "name": n,
             "quasi_p": _number(quasi_p.get(n), ".3g") if isinstance(quasi_p, dict) else "-",
             "stability": (format(stability[n], ".0%") if isinstance(stability, dict)
                           and isinstance(stability.get(n), (int, float)) else "-")}
            for n in names]


def _discovery(source: Source, data: Any) -> dict[str, Any]:
    boxes = [{"rule": b.rule, "density": f"{b.density:.0%}", "coverage": f"{b.coverage:.2f}",
              "se": "-" if b.density_se is None else f"{b.density_se:.2f}",
              "points": f"{b.points:,}", "restrictions": _restrictions(b),
              "significant": getattr(b, "significant", None),
              "tested": bool(getattr(b, "quasi_p", None))}
             for b in data.boxes]
    command = ["sim", "discover", data.scenario or "SCENARIO", "--target", data.target,
               "--samples", str(data.points), "--replications", str(data.replications),
               "--min-density", format(data.min_density, "g"), "--seed", str(data.seed)]
    return {"section": Section("discovery", f"Where: {label(data.target).title}"),
            "kind": "discovery", "boxes": boxes,
            "note": (f"{data.points:,} sample points x {data.replications:,} replications over "
                     f"{len(data.parameters)} parameters; the target occurs in "
                     f"{data.base_density:.1%} of all runs. Boxes of at least "
                     f"{data.min_density:.0%} density (PRIM)."),
            "figures": folder_figures(source, [("prim_tradeoff.png", "PRIM peeling trajectory: "
                                                "coverage against density.")]),
            "command": command_line(command)}


def analysis_context(source: Source, title: str | None) -> dict[str, Any]:
    blocks = []
    for name, data in source.files.items():
        if name == ATTRIBUTION:
            blocks.append(_attribution(source, data))
        elif name in SENSITIVITY:
            blocks.append(_sensitivity(source, data))
        elif name == DISCOVERY:
            blocks.append(_discovery(source, data))
    scenarios = sorted({d.scenario for d in source.files.values() if d.scenario})
    seeds = sorted({str(d.seed) for d in source.files.values()})
    return {
        "title": title or f"Strike North or South: analyses of {', '.join(scenarios) or 'a scenario'}",
        "subtitle": f"{', '.join(scenarios) or 'scenario'} · seed {'/'.join(seeds)}",
        "description": "",
        "sections": [b["section"] for b in blocks] + END_MATTER,
        "blocks": blocks,
        "command": None,
        "provenance": [(b["section"].title, b["command"]) for b in blocks],
        "manifest": None,
    }
