"""What a sweep reports at each grid point: the share of a category or the mean of a number,
with a 95 % interval."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from sim import plots
from sim.analysis.expressions import outcome_named
from sim.errors import UserError
from sim.outcomes import Outcome
from sim.scenario.quoting import clip
from sim.stats import mean_interval, wilson_interval


@dataclass(frozen=True)
class Measure:
    """What a sweep reports: a share of a category or the mean of a numeric outcome."""

    outcome: Outcome
    category: str | None = None

    @property
    def label(self) -> str:
        if self.category is not None:
            return f"P({self.outcome.name} = {self.category})"
        return f"mean {self.outcome.name}" + (f" ({self.outcome.unit})" if self.outcome.unit else "")

    def compute(self, values: np.ndarray) -> tuple[float, float, float]:
        """(estimate, low, high) with a 95 % interval for one grid point."""
        if self.category is not None:
            arr = np.asarray(values).astype(str)
            return wilson_interval(int(np.count_nonzero(arr == self.category)), int(arr.size))
        return mean_interval(plots.as_float(self.outcome, values))


def parse_measures(specs: Iterable[str] | None) -> list[Measure]:
    """``decision`` (every category), ``decision=north`` (one share), ``oil_stock_end_1942``
    (its mean) -> measures.  Default: the decision shares."""
    out: list[Measure] = []
    for spec in list(specs or ()) or ["decision"]:
        name, sep, category = spec.partition("=")
        outcome = outcome_named(name)
        name = outcome.name
        if outcome.kind == "category":
            if sep:
                if category not in outcome.categories:
                    raise UserError(f"--outcome `{clip(spec)}`: {name} has no category "
                                    f"`{clip(category, 40)}`; expected one of "
                                    f"{', '.join(outcome.categories)}")
                out.append(Measure(outcome, category))
            else:
                out += [Measure(outcome, c) for c in outcome.categories]
        else:
            if sep:
                raise UserError(f"--outcome `{clip(spec)}`: {name} is a {outcome.kind}, not a category;"
                                f" write just `{name}` for its mean")
            out.append(Measure(outcome))
    return list(dict.fromkeys(out))
