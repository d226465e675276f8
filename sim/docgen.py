"""The parameter reference (``docs/parameters.md``), generated from the registry.

The same text is printed by ``sim params --format markdown``; a test fails when the committed
file drifts from the registry, so the documentation can never disagree with the model.

    python -m sim.docgen            # rewrite docs/parameters.md
    python -m sim.docgen --check    # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .distributions import is_distribution
from .ensemble import Ensemble
from .formatting import format_param_value, format_range
from .params import Param, Registry
from .registry import REGISTRY
from .scenario import value_to_json

#: Where the generated reference lives in a source checkout.
DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "parameters.md"
REGENERATE = "python -m sim.docgen"


def show_value(value: Any) -> str:
    """A value as a user would write it in a scenario file: ``true``, ``1941-08-01``,
    ``north``, ``choice(values=[true, false], weights=[9, 1])``."""
    if isinstance(value, Ensemble):  # its file, not the file's path and hash
        return value.describe()
    if is_distribution(value):
        fields = ", ".join(f"{k}={show_value(v)}" for k, v in value.to_yaml().items()
                           if k != "dist")
        return f"{value.dist}({fields})"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    return value if isinstance(value, str) else format_param_value(value)


def show_range(pair: tuple[Any, Any] | None) -> str:
    """``[lo, hi]``, ``>= lo`` or ``<= hi``; empty when there is no range."""
    return "" if pair is None else format_range(*pair, show=show_value)


def show_allowed(param: Param) -> str:
    """What a value must be: hard bounds, the list of choices, or true/false."""
    if param.kind == "bool":
        return "true / false"
    if param.kind == "choice":
        return "one of " + ", ".join(show_value(c) for c in param.choices or ())
    text = show_range(param.bounds)
    if param.kind == "date":
        return f"date {text}".strip()
    if param.kind == "int":
        return f"whole number {text}".strip()
    return text or "any number"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(registry: Registry, group: str | None = None) -> str:
    """The parameter reference as Markdown: one table per group, in registry order."""
    groups = [group] if group is not None else registry.groups()
    count = sum(1 for p in registry if group is None or p.group == group)
    lines = [
        "# Model parameters",
        "",
        f"<!-- Generated from sim/registry/ by `{REGENERATE}`; do not edit by hand. -->",
        "",
        "Every number the model uses, with its unit, default, the credible range documented in "
        "the sources, the hard bounds any value must respect, and the source it traces to (IDs "
        "such as `KG-15` refer to the project's reference tables).  A scenario file overrides "
        "any of them under `params:` (see [scenarios.md](scenarios.md)); `sim params` prints "
        "the same table in the terminal.",
        "",
        "* **Default**: a fixed value, or a distribution written as in a scenario file "
        "(`triangular(low=50000, mode=57000, high=73961)` is "
        "`{dist: triangular, low: 50000, mode: 57000, high: 73961}`).",
        "* **Credible range**: values outside it are allowed but flagged by `sim show`.",
        "* **Allowed**: values outside the hard bounds are errors.",
        "",
        f"{count} parameters in {len(groups)} groups.",
    ]
    for name in groups:
        params = [p for p in registry if p.group == name]
        lines += [
            "",
            f"## `{name}`",
            "",
            "| Parameter | Default | Unit | Credible range | Allowed | Source | Meaning |",
            "|---|---|---|---|---|---|---|",
        ]
        for p in params:
            lines.append(
                "| " + " | ".join([
                    f"`{p.name}`",
                    _cell(show_value(p.default)),
                    _cell(p.unit),
                    _cell(show_range(p.credible)),
                    _cell(show_allowed(p)),
                    _cell(p.source),
                    _cell(p.description),
                ]) + " |"
            )
    return "\n".join(lines) + "\n"


def params_as_json(registry: Registry, group: str | None = None) -> list[dict[str, Any]]:
    """Machine-readable parameter table (what ``sim params --format json`` prints)."""
    def plain(pair: tuple[Any, Any] | None) -> list[Any] | None:
        return None if pair is None else [value_to_json(v) for v in pair]

    return [
        {
            "name": p.name,
            "group": p.group,
            "kind": p.kind,
            "unit": p.unit,
            "default": value_to_json(p.default),
            "credible": plain(p.credible),
            "bounds": plain(p.bounds),
            "choices": None if p.choices is None else [value_to_json(c) for c in p.choices],
            "source": p.source,
            "description": p.description,
        }
        for p in registry
        if group is None or p.group == group
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or ``--check``) the generated parameter reference."""
    parser = argparse.ArgumentParser(prog="python -m sim.docgen",
                                     description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    parser.add_argument("--output", type=Path, default=DOC_PATH, help="file to write")
    args = parser.parse_args(argv)
    text = render_markdown(REGISTRY)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run `{REGENERATE}`", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(REGISTRY)} parameters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
