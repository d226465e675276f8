"""A one-file HTML report of a run, to send to someone who will not install anything.

Everything is inside the file: figures as base64 PNG, styles inline, no scripts, no fonts
or images fetched from anywhere.  It holds the headline table, the figures, the assumptions
that differ from the historical baseline (the registry defaults) with their sources, and the
provenance (seed, version, command) needed to reproduce the numbers.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from sim import plots
from sim.formatting import format_share, format_statistic
from sim.outcomes import OUTCOMES
from sim.params import describe_value
from sim.reference import cited_ids, lookup
from sim.registry import REGISTRY
from sim.results import atomic_write_text

_CSS = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0 auto;max-width:1180px;
padding:24px 32px;color:#1d1d1d;line-height:1.45;background:#fff}
h1{font-size:1.7em;margin-bottom:0.1em}h2{border-bottom:2px solid #1f5f9f;padding-bottom:3px;
margin-top:2em}.sub{color:#555;margin-top:0}table{border-collapse:collapse;margin:0.8em 0;
font-size:0.88em;width:100%}th,td{border:1px solid #d0d0d0;padding:4px 8px;text-align:left;
vertical-align:top}th{background:#eef3f8}td.num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}tr:nth-child(even) td{background:#fafafa}figure{margin:1.2em 0}
figure img{max-width:100%;border:1px solid #e3e3e3}figcaption{color:#444;font-size:0.9em}
.flag{color:#a33;font-weight:bold}.note{background:#f6f8fa;border-left:4px solid #1f5f9f;
padding:8px 12px;font-size:0.92em}code{background:#f2f2f2;padding:1px 4px;border-radius:3px}
details summary{cursor:pointer;color:#1f5f9f;margin:0.6em 0}
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def figure_html(fig: Figure, caption: str, alt: str, dpi: int = 110) -> str:
    """A <figure> with the PNG embedded as base64 (no external file)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<figure><img alt="{_esc(alt)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{_esc(caption)}</figcaption></figure>")


def outcome_rows(summary: Mapping[str, Any], headline_only: bool) -> list[list[str]]:
    """Table cells per outcome from ``Results.summary()``: estimate, 95 % CI, spread, and how
    many replications the estimate rests on."""
    rows = []
    entries = summary.get("outcomes", {})
    n = int(summary.get("runs") or 0)
    for o in OUTCOMES:
        if o.name not in entries or (headline_only and not o.headline):
            continue
        e = entries[o.name]
        if o.kind == "category":
            for cat, s in e.get("shares", {}).items():
                lo, hi = s.get("ci95", [None, None])
                rows.append([o.name, f"share {cat}", format_share(s.get("share")),
                             f"{format_share(lo)} – {format_share(hi)}", "", f"{s.get('count', 0):,} of {n:,}",
                             ""])
            continue
        unit = o.unit or ("date" if o.kind == "date" else "")
        happened = e.get("share_happened")
        based_on = "-" if happened is None else \
            f"{round(happened * n):,} of {n:,} ({happened:.0%})"
        if o.kind == "date":
            rows.append([o.name, "median date", str(e.get("p50") or "-"), "",
                         f"{e.get('p05') or '-'} – {e.get('p95') or '-'}", based_on, unit])
        else:
            lo, hi = e.get("ci95_mean", [None, None])
            rows.append([o.name, "mean", format_statistic(o.kind, e.get("mean")),
                         f"{format_statistic(o.kind, lo)} – {format_statistic(o.kind, hi)}",
                         f"{format_statistic(o.kind, e.get('p05'))} – {format_statistic(o.kind, e.get('p95'))}", based_on, unit])
    return rows


def _table(header: list[str], rows: list[list[str]], numeric_from: int = 2) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = []
    for r in rows:
        cells = "".join(
            f'<td class="num">{_esc(c)}</td>' if i >= numeric_from else f"<td>{_esc(c)}</td>"
            for i, c in enumerate(r))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


_OUTCOME_HEADER = ["outcome", "statistic", "estimate", "95% interval", "5th – 95th percentile",
                   "replications", "unit"]


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


def source_html(source: str) -> str:
    """A parameter's source with each cited reference ID spelled out (quantity, publication,
    reliability grade) from :mod:`sim.reference`, so the reader need not look it up."""
    parts = [_esc(source)]
    for ref_id in dict.fromkeys(cited_ids(source)):
        try:
            ref = lookup(ref_id)
        except KeyError:
            continue
        label = getattr(ref, "quantity", None) or getattr(ref, "description", "")
        where = getattr(ref, "source", "")
        grade = getattr(ref, "grade", "")
        detail = f"{ref_id}: {label}" + (f"; {where}" if where else "") + \
            (f" (grade {grade})" if grade else "")
        parts.append(f"<br><small>{_esc(detail)}</small>")
    return "".join(parts)


def assumptions_html(scenario: Any) -> str:
    """The parameters that differ from the registry defaults, with where they were set and
    the source of the default."""
    try:
        diffs = scenario.differences()
    except AttributeError:
        return "<p>The scenario of this run is not available.</p>"
    if not diffs:
        return ("<p>None: every parameter holds its historical default "
                "(see <code>sim show</code> for the full table).</p>")
    registry = getattr(scenario, "registry", None)
    if registry is None:
        registry = REGISTRY
    provenance = getattr(scenario, "provenance", {}) or {}
    rows = []
    flagged = False
    for name, (base, value) in diffs.items():
        param = registry[name] if name in registry else None
        outside = param is not None and _outside_credible(param, value)
        flagged |= outside
        credible = ""
        if param is not None and param.credible is not None:
            credible = f"{describe_value(param.credible[0])} – {describe_value(param.credible[1])}"
        flag_class = ' class="flag"'
        rows.append(
            f"<tr><td><code>{_esc(name)}</code><br><small>{_esc(getattr(param, 'description', ''))}"
            f"</small></td><td>{_esc(describe_value(base))}</td>"
            f"<td{flag_class if outside else ''}>{_esc(describe_value(value))}"
            f"{' (outside the credible range)' if outside else ''}</td>"
            f"<td>{_esc(getattr(param, 'unit', ''))}</td><td>{_esc(credible)}</td>"
            f"<td>{_esc(provenance.get(name, ''))}</td>"
            f"<td>{source_html(getattr(param, 'source', ''))}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in (
        "parameter", "historical default", "this scenario", "unit", "credible range",
        "set in", "source of the default"))
    note = ('<p class="note">Values marked in red lie outside the range the sources support.'
            "</p>") if flagged else ""
    return f"{note}<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def provenance_html(results: Any) -> str:
    manifest = dict(getattr(results, "manifest", {}) or {})
    rows = []
    for key, value in manifest.items():
        if key == "scenario":
            continue  # the full scenario is large; its differences are shown above
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        if len(text) > 400:
            text = text[:400] + " …"
        rows.append([key, text])
    scenario = getattr(results, "scenario", None)
    for label, attr in (("scenario file", "path"), ("content hash", None)):
        if scenario is None:
            break
        if attr:
            value = getattr(scenario, attr, None)
            if value is not None:
                rows.append([label, Path(value).as_posix()])
        elif hasattr(scenario, "content_hash"):
            rows.append(["scenario content hash", scenario.content_hash()])
    return _table(["field", "value"], rows, numeric_from=99)


def build_report(results: Any, title: str | None = None) -> str:
    """The report as one HTML string."""
    scenario = getattr(results, "scenario", None)
    name = getattr(scenario, "name", "scenario")
    description = getattr(scenario, "description", "") or ""
    manifest = dict(getattr(results, "manifest", {}) or {})
    summary = results.summary()
    title = title or f"Strike North or South: {name}"
    command = manifest.get("command")
    figures = plots.run_figures(results)
    captions = {
        "decisions": ("Share of replications in which Japan chose each course, and the "
                      "furthest objective reached in the north; bars show 95% Wilson intervals."),
        "headline_distributions": ("Headline outcomes: histogram (share of replications) and "
                                   "cumulative distribution; dashed line: median."),
        "fan_charts": ("Monthly series: median with the 50% and 90% bands across replications;"
                       " dotted lines mark the key dates of the scenario."),
        "distributions": "Every numeric and dated outcome: histogram and cumulative distribution.",
    }
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f'<p class="sub">{_esc(plots.run_label(results))}'
        f"{' · ' + _esc(description) if description else ''}</p>",
    ]
    if command:
        parts.append(f'<p class="note">Reproduce with <code>{_esc(command)}</code></p>')
    parts += ["<h2>Headline results</h2>",
              _table(_OUTCOME_HEADER, outcome_rows(summary, headline_only=True)),
              "<p><small>Means are over the replications in which the event happened; "
              "intervals are 95% (Wilson for shares, normal for means).</small></p>"]
    parts.append("<h2>Figures</h2>")
    for stem in ("decisions", "headline_distributions", "fan_charts"):
        if stem in figures:
            parts.append(figure_html(figures[stem], captions[stem], f"{stem} of {name}"))
    if "distributions" in figures:
        parts.append("<details><summary>All outcome distributions</summary>"
                     + figure_html(figures["distributions"], captions["distributions"],
                                   f"distributions of {name}") + "</details>")
    parts += ["<h2>All outcomes</h2>",
              _table(_OUTCOME_HEADER, outcome_rows(summary, headline_only=False)),
              "<h2>Assumptions that differ from the historical baseline</h2>",
              assumptions_html(scenario),
              "<h2>Provenance</h2>", provenance_html(results),
              f"<p><small>Report written {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC "
              "by Strike North or South.</small></p>",
              "</body></html>"]
    return "\n".join(parts)


def write_report(results: Any, path: str | Path, title: str | None = None) -> Path:
    """Write the self-contained HTML report of ``results`` to ``path``."""
    path = Path(path)
    page = build_report(results, title)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, page)  # never a half-written report, on a full disk say
    return path
