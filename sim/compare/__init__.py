"""Side-by-side comparison of scenarios, paired by replication (common random numbers).

Two scenarios run with the same seed share every random draw replication by replication
(see :mod:`sim.streams`), so the difference of an outcome *within* a replication isolates the
effect of the assumptions that differ.  Its mean has a far narrower interval than the
difference of two independent means; that is why :func:`compare` runs scenarios together
with :func:`sim.engine.run_batch` and, for saved results, checks that seed and run count match
before pairing.  When they do not, it says so and falls back to unpaired (Welch) intervals.

:mod:`.comparison` holds the table and its text, figures and files, :mod:`.pairing` decides
whether results pair, :mod:`.sources` loads and runs what is compared and :mod:`.figures`
draws the comparison.
"""

from sim.compare.comparison import Comparison
from sim.compare.figures import (
    plot_compared_decisions,
    plot_compared_distributions,
    plot_compared_fan_charts,
    plot_mean_differences,
    plot_share_differences,
)
from sim.compare.pairing import pairing, welch_difference
from sim.compare.sources import Source, compare, load_source, workers_kwargs

__all__ = [
    "Comparison", "Source", "compare", "load_source", "pairing", "plot_compared_decisions",
    "plot_compared_distributions", "plot_compared_fan_charts", "plot_mean_differences",
    "plot_share_differences",
    "welch_difference", "workers_kwargs",
]
