"""What a sweep reports at each grid point: the share of a category or the mean of a number,
with a 95 % interval."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from sim import plots
from sim.errors import UserError, did_you_mean
from sim.outcomes import BY_NAME, Outcome
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
        name = name.strip()
        outcome = BY_NAME.get(name)
        if outcome is None:
            raise UserError(f"--outcome: unknown outcome `{name}`{did_you_mean(name, BY_NAME)}; "
                            f"expected one of {', '.join(BY_NAME)}")
        if outcome.kind == "category":
            if sep:
                if category not in outcome.categories:
                    raise UserError(f"--outcome `{spec}`: {name} has no category `{category}`; "
                                    f"expected one of {', '.join(outcome.categories)}")
                out.append(Measure(outcome, category))
            else:
                out += [Measure(outcome, c) for c in outcome.categories]
        else:
            if sep:
                raise UserError(f"--outcome `{spec}`: {name} is a {outcome.kind}, not a category;"
                                f" write just `{name}` for its mean")
            out.append(Measure(outcome))
    return list(dict.fromkeys(out))
