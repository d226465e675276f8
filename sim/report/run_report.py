"""The report of one run: headline figures (as ``sim run`` prints them), the model against
the record, figures, the assumptions that differ from history, every outcome by theme, and
the provenance needed to reproduce it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sim import plots
from sim.headline import HeadlineRow, headline_rows
from sim.labels import category_order, display, label
from sim.params import describe_value
from sim.reference import cited_ids, lookup
from sim.registry import REGISTRY
from sim.report.page import Section, shown_figure
from sim.report.record import record_rows

#: Themes of the outcome table, each by the prefixes of its outcomes' names (first match).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("The decision and the conferences", ("decision", "conference_", "war_", "southern_move")),
    ("Khasan 1938 and Khalkhin Gol 1939", ("khasan_", "kg_", "nomonhan_shock")),
    ("Diplomacy, the embargo and the United States", ("cabinet_fall_days", "embargo_date",
                                                      "us_", "lend_lease_")),
    ("The Eastern Front", ("moscow_", "fe_divisions_at_moscow", "case_blue_")),
    ("The Soviet Far East", ("soviet_fe_",)),
    ("Kantokuen and the north", ("kantokuen_", "north_", "sakhalin_")),
    ("The southern operation", ("south_", "singapore_", "dei_", "philippines_")),
    ("August 1945: the Soviet invasion of Manchuria", ("manchuria_",)),
    ("Oil and shipping", ("oil_", "merchant_fleet_")),
    ("Men, China and casualties", ("china_", "japanese_", "ichigo_", "kwantung_")),
)

CAPTIONS = {
    "decisions": ("Share of replications in which Japan chose each course, and the furthest "
                  "objective reached in the north; bars show 95% Wilson intervals."),
    "headline_distributions": ("Headline outcomes: histogram (share of replications) and "
                               "cumulative distribution, the median dashed; the documented "
                               "value and its range where the record has one."),
    "fan_charts": ("Monthly series, the runs of each decision apart: median and 50% band (the "
                   "90% band too for the commonest decision); documented values with their "
                   "ranges and the key dates of the scenario are marked."),
    "conference_paths": ("The path through the conferences: how the runs' choices at each "
                         "conference flow into the next and into the decision."),
    "convergence": ("Running estimates of the headline figures against the number of "
                    "replications, with their 95% intervals: whether the run is large enough."),
}


def group_of(name: str) -> str:
    for title, prefixes in GROUPS:
        if name.startswith(prefixes):
            return title
    return "Other outcomes"


def table_rows(rows: Iterable[HeadlineRow]) -> list[dict[str, Any]]:
    """Headline rows for a table: readable titles and category names, categories in their
    display order, the outcome's title on its first row with how many rows it spans."""
    by_outcome: dict[str, list[HeadlineRow]] = {}
    for row in rows:
        by_outcome.setdefault(row.outcome, []).append(row)
    out = []
    for name, group in by_outcome.items():
        if group[0].category is not None:
            order = category_order(name, [r.category or "" for r in group])
            group = sorted(group, key=lambda r: order.index(r.category or ""))
        lab = label(name)
        for i, row in enumerate(group):
            statistic = (f"share: {display(name, row.category)}" if row.category is not None
                         else row.statistic)
            out.append({"title": lab.axis, "span": len(group) if i == 0
                        else 0, "statistic": statistic, "value": row.value,
                        "detail": row.detail})
    return out


def _sources(source: str) -> list[str]:
    """Each reference a parameter's source cites, spelled out (quantity, publication,
    grade), so the reader need not look it up."""
    out = []
    for ref_id in dict.fromkeys(cited_ids(source)):
        try:
            ref = lookup(ref_id)
        except KeyError:
            continue
        what = getattr(ref, "quantity", None) or getattr(ref, "description", "")
        where = getattr(ref, "source", "")
        grade = getattr(ref, "grade", "")
        out.append(f"{ref_id}: {what}" + (f"; {where}" if where else "")
                   + (f" (grade {grade})" if grade else ""))
    return out


def _outside_credible(param: Any, value: Any) -> bool:
    credible = getattr(param, "credible", None)
    if credible is None or isinstance(value, bool):
        return False
    lo, hi = credible
    try:
        if hasattr(value, "bounds") and callable(value.bounds):
            vlo, vhi = value.bounds()
            return bool((lo is not None and vlo < lo) or (hi is not None and vhi > hi))
        return bool((lo is not None and value < lo) or (hi is not None and value > hi))
    except TypeError:
        return False


def assumptions(scenario: Any) -> list[dict[str, Any]]:
    """The parameters that differ from the registry defaults (history), with where they were
    set, the credible range and the source of the default."""
    provenance = getattr(scenario, "provenance", {}) or {}
    rows = []
    for name, (base, value) in scenario.differences().items():
        param = REGISTRY[name] if name in REGISTRY else None
        credible = ""
        if param is not None and param.credible is not None:
            credible = f"{describe_value(param.credible[0])} to {describe_value(param.credible[1])}"
        rows.append({"name": name, "title": label(name).title, "default": describe_value(base),
                     "value": describe_value(value), "unit": getattr(param, "unit", ""),
                     "credible": credible, "outside": _outside_credible(param, value),
                     "set_in": provenance.get(name, ""),
                     "source": getattr(param, "source", ""),
                     "references": _sources(getattr(param, "source", ""))})
    return rows


def provenance(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The few facts that reproduce a run; the full manifest is folded below them."""
    versions = manifest.get("versions") or {}
    git = manifest.get("git") or {}
    commit = git.get("commit")
    rows = [("scenario", str(manifest.get("scenario_name"))),
            ("scenario hash (SHA-256)", str(manifest.get("scenario_hash"))),
            ("seed", str(manifest.get("seed"))),
            ("replications", f"{manifest.get('runs_completed', 0):,}"),
            ("model", str(manifest.get("model"))),
            ("version", str(manifest.get("project_version"))
             + (f" (git {commit[:12]}{', modified' if git.get('modified') else ''})"
                if commit else "")),
            ("Python and libraries", ", ".join(f"{k} {v}" for k, v in versions.items())),
            ("run", f"{manifest.get('started')} to {manifest.get('finished')}")]
    return rows


def run_context(results: Any, title: str | None) -> dict[str, Any]:
    """Everything the run template shows."""
    scenario = results.scenario
    manifest = dict(results.manifest or {})
    summary = results.summary()
    name = getattr(scenario, "name", "scenario")
    # every outcome's distribution is a large, slow figure: `sim plot` draws it, the report's
    # outcome table holds its numbers
    figures = plots.run_figures(results, every_outcome=False, convergence=True)
    shown = {stem: shown_figure(fig, CAPTIONS.get(stem, stem.replace("_", " ")),
                                f"{stem.replace('_', ' ')} of {name}")
             for stem, fig in figures.items()}
    groups: dict[str, list[HeadlineRow]] = {g: [] for g, _ in GROUPS}
    for row in headline_rows(summary, every_outcome=True):
        groups.setdefault(group_of(row.outcome), []).append(row)
    sections = [Section("headline", "Headline results"),
                Section("record", "The model against the record"),
                Section("figures", "Figures"),
                Section("assumptions", "Assumptions that differ from history"),
                Section("outcomes", "All outcomes"),
                Section("limitations", "Limitations"),
                Section("provenance", "Provenance")]
    return {
        "title": title or f"Strike North or South: {name}",
        "subtitle": plots.run_label(results),
        "description": getattr(scenario, "description", "") or "",
        "sections": sections,
        "headline": table_rows(headline_rows(summary)),
        "record": record_rows(results.outcomes, scenario),
        "figures": list(shown.values()),
        "assumptions": assumptions(scenario),
        "groups": [(g, table_rows(rows)) for g, rows in groups.items() if rows],
        "command": manifest.get("command"),
        "provenance": provenance(manifest),
        "manifest": json.dumps(manifest, indent=2, default=str),
    }
