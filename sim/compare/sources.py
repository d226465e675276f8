"""What can be compared (scenarios, results, files or folders), and running the scenarios
among them together with one seed so that they pair."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.compare.comparison import Comparison
from sim.compare.pairing import pairing
from sim.engine import run_batch
from sim.errors import UserError
from sim.results import load_results
from sim.scenario import load_scenario
from sim.scenario.installed import is_bare_name, is_installed, names_hint

Source = Any  # a Scenario, a Results, or a path to a scenario file or a results folder


def workers_kwargs(workers: int | None) -> dict[str, int]:
    """``workers=`` for the engine, left to the engine's default when not given."""
    return {} if workers is None else {"workers": int(workers)}


def _unique_names(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        candidate, k = name, 2
        while candidate in out:
            candidate, k = f"{name} ({k})", k + 1
        out.append(candidate)
    return out


def load_source(source: Source) -> tuple[str, Any]:
    """('scenario', Scenario) or ('results', Results) for any accepted source."""
    if hasattr(source, "outcomes") and hasattr(source, "manifest"):
        return "results", source
    if hasattr(source, "values") and hasattr(source, "provenance"):
        return "scenario", source
    if isinstance(source, str) and is_installed(source):  # a name wins over a folder here
        return "scenario", load_scenario(source)
    path = Path(source)
    if path.is_dir():
        return "results", load_results(path)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        return "scenario", load_scenario(path)
    hint = names_hint(str(source)) if is_bare_name(str(source)) else ""
    raise UserError(f"{path}: no such scenario file, installed scenario or results folder{hint}; "
                    "expected a .yaml scenario, an installed scenario's name or a folder "
                    "written by `sim run`")


def compare(sources: Sequence[Source], runs: int = 1000, seed: int | None = 1, *,
            workers: int | None = 1, names: Sequence[str] | None = None) -> Comparison:
    """Compare scenarios (run together with common random numbers) or saved results.

    ``sources`` are :class:`~sim.scenario.Scenario` objects, :class:`~sim.results.Results`,
    scenario file paths or results folders; the first is the baseline.  Scenarios are run
    with ``runs`` and ``seed`` in one :func:`sim.engine.run_batch`, so they pair.
    """
    if len(sources) < 2:
        raise UserError("compare needs at least two scenarios or results folders, "
                        f"got {len(sources)}")
    loaded = [load_source(s) for s in sources]
    to_run = [obj for kind, obj in loaded if kind == "scenario"]
    ran: list[Any] = []
    if to_run:
        if runs < 2:
            raise UserError(f"--runs: expected at least 2 replications to compare, got {runs}")
        ran = list(run_batch(to_run, runs, seed, **workers_kwargs(workers)))
    it = iter(ran)
    results = [obj if kind == "results" else next(it) for kind, obj in loaded]
    given = list(names) if names is not None else [
        str(getattr(r.scenario, "name", f"scenario {i + 1}")) for i, r in enumerate(results)]
    if len(given) != len(results):
        raise UserError(f"--name: expected {len(results)} names, got {len(given)}")
    paired, note = pairing(results)
    return Comparison(_unique_names(given), results, paired, note)
