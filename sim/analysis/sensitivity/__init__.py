"""Global sensitivity analysis: which assumptions move the outcome, and how much is chance?

Three methods over the uncertain parameters (those with a distribution in the scenario, or a
chosen subset; a fixed parameter named explicitly is varied over its documented credible range):

* ``sobol``: variance-based first-order (S1) and total (ST) indices with SALib's Saltelli
  design and bootstrap confidence intervals.  S1 is the share of the outcome's variance a
  parameter explains alone, ST includes all its interactions; ST >> S1 means the parameter
  matters through interactions.
* ``morris``: elementary effects (mu*, sigma) on a few trajectories, a cheap screening that ranks
  parameters; sigma large relative to mu* flags non-linearity or interactions.
* ``oat``: one at a time, each parameter at the low and high end of its credible range with the
  others at their central values, drawn as a tornado chart.

Replications are nested: every sample point of the assumptions runs ``R`` replications with the
same seed (common random numbers), so the report separates the variance from the assumptions
("historians disagree": variance of the per-point means, corrected for the within-point noise)
from the variance of chance ("fog of war": the mean within-point variance).  The indices are
computed on the per-point means.

SALib is an optional dependency (``pip install "strike-north-or-south[analysis]"``), imported
only when a Sobol or Morris analysis runs.  The methods (:mod:`.methods`) take a batch evaluator
``evaluate(points) -> (n_points, R) array`` so they run on any model; :func:`analyse` is the
adapter that runs the real one (:mod:`.adapters`); :mod:`.result` holds what they hand back.
The dimensions they vary are defined in :mod:`sim.analysis.space`.
"""

from sim.analysis.evaluation import Evaluate, pointwise, scenario_evaluator
from sim.analysis.sensitivity.adapters import (
    DEFAULT_OUTCOME,
    DEFAULT_REPLICATIONS,
    analyse,
    analyse_function,
)
from sim.analysis.sensitivity.methods import (
    DEFAULT_SAMPLES,
    METHODS,
    SALIB_MISSING,
    morris,
    oat,
    sobol,
)
from sim.analysis.sensitivity.result import SensitivityResult, VarianceSplit, variance_split
from sim.analysis.space import Dimension, categorical_dimension, dimensions_for, uniform_dimension

__all__ = [
    "DEFAULT_OUTCOME", "DEFAULT_REPLICATIONS", "DEFAULT_SAMPLES", "METHODS", "SALIB_MISSING",
    "Dimension", "Evaluate", "SensitivityResult", "VarianceSplit", "analyse", "analyse_function",
    "categorical_dimension", "dimensions_for", "morris", "oat", "pointwise", "scenario_evaluator",
    "sobol", "uniform_dimension", "variance_split",
]
