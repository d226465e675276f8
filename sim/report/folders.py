"""The reports of a comparison, a sweep and an analysis folder, made of the files their
commands wrote (``comparison.json``, ``sweep.json``, ``attribution.json``,
``sensitivity_<method>.json``, ``discovery.json`` and the figures beside them), with the
figures formatted as the commands print them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sim.formatting import compact_number, format_difference
from sim.formatting import format_setting, format_statistic
from sim.labels import category_order, display, label, share_title
from sim.outcomes import BY_NAME, OUTCOMES
from sim.report.page import Section, command_line, Shown, png_uri
from sim.report.run_report import GROUPS, group_of
from sim.report.sources import COMPARISON, SWEEP, Source
from sim.sweep.measures import Measure
from sim.sweep.run import _fmt_measure as format_measure

END_MATTER = [Section("limitations", "Limitations"), Section("provenance", "Provenance")]


def folder_figures(source: Source, names: Iterable[tuple[str, str]]) -> list[Shown]:
    """The folder's PNG figures that exist, in the order given, with their captions."""
    out = []
    for name, caption in names:
        data = source.figure(name)
        if data is not None:
            out.append(Shown(caption, caption, png_uri(data)))
    return out


def _interval(kind: str, row: dict[str, Any], key: str, show: Any = format_statistic,
              mark: str = "") -> tuple[str, str]:
    """An estimate and its interval ``[low, high]``, as ``sim compare`` writes them."""
    return (show(kind, row.get(key)) + mark,
            f"[{show(kind, row.get(key + ' low'))}, {show(kind, row.get(key + ' high'))}]")


# --------------------------------------------------------------------------------------------
# comparison
# --------------------------------------------------------------------------------------------

_COMPARE_FIGURES = (
    ("compare_differences.png", "Change in the share of each decision from the baseline, "
                                "with 95% intervals."),
    ("compare_mean_differences.png", "Change in the mean of each headline number from the "
                                     "baseline, with 95% intervals."),
    ("compare_decisions.png", "Share of each decision and northern objective, scenario by "
                              "scenario, with 95% Wilson intervals."),
    ("compare_distributions.png", "Distributions of the headline outcomes, overlaid."),
    ("compare_fan_charts.png", "Monthly series compared: median and 50% band."),
)


def _comparison_rows(data: Any, names: Sequence[str], headline: bool) -> list[dict[str, Any]]:
    """Rows of comparison.json with readable labels, each scenario's value and each
    difference from the baseline with its interval (``*``: not paired for this row)."""
    base = names[0]
    by_outcome: dict[str, list[dict[str, Any]]] = {}
    for row in data.rows:
        name = str(row.get("outcome"))
        outcome = BY_NAME.get(name)
        if outcome is None or (headline and not outcome.headline):
            continue
        by_outcome.setdefault(name, []).append(row)
    out = []
    for name, rows in by_outcome.items():
        codes = [str(r["statistic"]).removeprefix("share ") for r in rows
                 if BY_NAME[name].kind == "category"]
        if codes:
            order = category_order(name, codes)
            rows.sort(key=lambda r: order.index(str(r["statistic"]).removeprefix("share ")))
        for i, row in enumerate(rows):
            kind, statistic = str(row.get("kind")), str(row.get("statistic"))
            if BY_NAME[name].kind == "category":
                statistic = f"share: {display(name, statistic.removeprefix('share '))}"
            elif row.get("unit") and kind not in ("share", "date"):  # a date's diff says "d"
                statistic += f" ({row['unit']})"
            diffs = []
            for other in names[1:]:
                key = f"{other} - {base}"
                mark = " *" if data.paired and row.get(f"{key} paired") is False else ""
                diffs.append(_interval(kind, row, key, format_difference, mark))
            out.append({"title": label(name).title, "span": len(rows) if i == 0 else 0,
                        "group": group_of(name), "statistic": statistic,
                        "values": [_interval(kind, row, n) for n in names], "diffs": diffs})
    return out


def comparison_context(source: Source, title: str | None) -> dict[str, Any]:
    data = source.files[COMPARISON]
    names = [s.name for s in data.scenarios]
    runs = sorted({s.runs for s in data.scenarios})
    seeds = sorted({str(s.seed) for s in data.scenarios})
    every = _comparison_rows(data, names, headline=False)
    groups: dict[str, list[dict[str, Any]]] = {g: [] for g, _ in GROUPS}
    for row in every:
        groups.setdefault(row["group"], []).append(row)
    command = None
    if len(runs) == 1 and len(seeds) == 1:
        command = command_line(["sim", "compare", *names, "--runs", str(runs[0]), "--seed",
                              seeds[0]])
    return {
        "title": title or f"Strike North or South: {' vs '.join(names)}",
        "subtitle": (f"{len(names)} scenarios · {'/'.join(f'{n:,}' for n in runs)} replications"
                     f" · seed {'/'.join(seeds)}"),
        "description": "",
        "pairing": data.pairing,
        "sections": [Section("scenarios", "Scenarios compared"),
                     Section("headline", "Headline figures, scenario by scenario"),
                     Section("differences", f"Differences from {data.baseline}"),
                     Section("figures", "Figures"),
                     Section("outcomes", "All outcomes"), *END_MATTER],
        "names": names, "baseline": data.baseline, "paired": data.paired,
        "scenarios": data.scenarios,
        "headline": _comparison_rows(data, names, headline=True),
        "groups": [(g, rows) for g, rows in groups.items() if rows],
        "unpaired_rows": any(d[0].endswith("*") for r in every for d in r["diffs"]),
        "figures": folder_figures(source, _COMPARE_FIGURES),
        "command": command,
        "provenance": [("scenarios", ", ".join(f"{s.name} ({s.runs:,} replications, seed "
                                               f"{s.seed})" for s in data.scenarios)),
                       ("pairing", data.pairing)],
        "manifest": None,
    }


# --------------------------------------------------------------------------------------------
# sweep
# --------------------------------------------------------------------------------------------

def _measures() -> dict[str, Measure]:
    """Every measure a sweep can report, by the label its files use."""
    out = []
    for o in OUTCOMES:
        out += [Measure(o, c) for c in o.categories] if o.kind == "category" else [Measure(o)]
    return {m.label: m for m in out}


def _measure_title(m: Measure | None, key: str) -> str:
    if m is None:
        return key
    if m.category is not None:
        return share_title(m.outcome.name, m.category)
    return f"Mean: {label(m.outcome.name).axis}"


def _vary_spec(key: str, values: Sequence[Any]) -> str:
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values) or \
            all(isinstance(v, str) and v[:4].isdigit() for v in values):
        return f"{key}={format_setting(values[0])}:{format_setting(values[-1])}:{len(values)}"
    return f"{key}={','.join(format_setting(v) for v in values)}"


def sweep_context(source: Source, title: str | None) -> dict[str, Any]:
    data = source.files[SWEEP]
    keys = [v.key for v in data.vary]
    known = _measures()
    labels = [k for k in data.rows[0] if k not in keys
              and not k.endswith((" low", " high"))] if data.rows else []
    rows = []
    for r in data.rows:
        cells = [format_setting(r.get(k), compact_number) for k in keys]
        for lab in labels:
            m = known.get(lab)
            e, lo, hi = r.get(lab), r.get(lab + " low"), r.get(lab + " high")
            cells.append(format_measure(m, e, lo, hi) if m is not None else f"{e} [{lo}, {hi}]")
        rows.append(cells)
    outcomes = []
    for lab in labels:
        m = known.get(lab)
        if m is not None:
            outcomes += ["--outcome", m.outcome.name + (f"={m.category}" if m.category else "")]
    command = ["sim", "sweep", data.scenario]
    for v in data.vary:
        command += ["--vary", _vary_spec(v.key, v.values)]
    command += [*outcomes, "--runs", str(data.runs_per_point), "--seed", str(data.seed)]
    swept = " and ".join(label(k).short for k in keys)
    return {
        "title": title or f"Strike North or South: {data.scenario}, sweep of {swept}",
        "subtitle": (f"{data.scenario} · {data.runs_per_point:,} replications per point · "
                     f"seed {data.seed} · common random numbers across points"),
        "description": "",
        "sections": [Section("figure", "Figure"), Section("table", "Table"), *END_MATTER],
        "figures": folder_figures(source, [("sweep.png", f"How the outcomes move with {swept}: "
                                      "estimates with 95% intervals.")]),
        "header": [label(k).axis for k in keys] + [_measure_title(known.get(lab), lab)
                                                   for lab in labels],
        "keys": len(keys),
        "rows": rows,
        "command": command_line(command),
        "provenance": [("scenario", data.scenario),
                       ("varied", "; ".join(f"{v.key}: {len(v.values)} values"
                                            for v in data.vary)),
                       ("replications per point", f"{data.runs_per_point:,}"),
                       ("seed", str(data.seed))],
        "manifest": None,
    }
