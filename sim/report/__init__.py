"""One self-contained HTML report of any folder the program writes, to send to someone who
will not install anything.

``sim report DIR`` takes a run folder, the ``--out`` folder of ``sim compare`` or
``sim sweep``, or an analysis folder (``sim explain``, ``sim sensitivity``, ``sim discover``);
:mod:`.sources` says which, reading every file as untrusted data.  Each kind has its content
(:mod:`.run_report`, :mod:`.folders`, :mod:`.analysis_report`, with :mod:`.record` for the model against the record)
and a jinja2 template in ``sim/templates``; :mod:`.page` renders it with the figures as
base64 PNG, styles inline, no scripts and nothing fetched from anywhere.  The page holds no
clock, so the same folder gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim import __version__
from sim.errors import UserError
from sim.report.analysis_report import analysis_context
from sim.report.folders import comparison_context, sweep_context
from sim.report.page import EXTRA, render
from sim.report.record import RecordRow, record_rows
from sim.report.run_report import run_context
from sim.report.sources import Source, find_source
from sim.results import atomic_write_text, load_results

__all__ = ["EXTRA", "RecordRow", "Source", "build_report", "find_source", "record_rows",
           "write_report"]

_BUILDERS = {"comparison": comparison_context, "sweep": sweep_context,
             "analysis": analysis_context}


def build_report(source: Source | Any, title: str | None = None) -> str:
    """The report as one HTML string, from a :class:`Source` (a folder) or from
    :class:`~sim.results.Results` in memory."""
    if isinstance(source, Source) and source.kind == "run":
        source = load_results(source.folder)
    if isinstance(source, Source):
        kind, context = source.kind, _BUILDERS[source.kind](source, title)
    else:
        kind, context = "run", run_context(source, title)
    return render(f"{kind}.html.j2", {"version": __version__, **context})


def write_report(source: Source | Any, path: str | Path, title: str | None = None, *,
                 force: bool = False) -> Path:
    """Write the report of ``source`` to ``path``: refused if it exists, unless ``force``;
    written under a temporary name and moved into place, so it is never half-written."""
    path = Path(path)
    if path.exists() and not force:
        raise UserError(f"{path} exists; use --force to replace it")
    if path.is_dir():
        raise UserError(f"--out: {path} is a folder; expected the name of an HTML file")
    page = build_report(source, title)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, page)
    return path
