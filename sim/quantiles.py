"""The numerical pieces of the distributions' inverse CDFs, made total.

Validation proves a distribution finite and inside its parameter's bounds from the two ends of
its ``ppf`` (:meth:`sim.distributions._Dist.draw_range`), which holds only if every ``ppf`` is a
monotone function that never fails in between: no ``OverflowError`` from ``math.exp``, no NaN
from SciPy's beta quantile.  These helpers give that guarantee and name the uniforms a draw uses.
"""

from __future__ import annotations

import math

from scipy import special

#: The largest uniform a replication draws: numpy's ``Generator.random`` returns multiples of
#: 2**-53 below 1.  (The analyses move a design's 1 inward wherever ``ppf(1)`` is infinite.)
LARGEST_UNIFORM = 1.0 - 2.0**-53

#: The shape parameters a beta (and, through its ``shape``, a PERT) may take: inside these
#: SciPy's ``betaincinv`` gives a number for every uniform; outside (1e-4 with 1e-20, 2 with
#: 1e300) it gives NaN in the middle of the range while both ends look fine.
BETA_SHAPES = (1e-3, 1e6)


def safe_exp(x: float) -> float:
    """``math.exp``, infinite rather than an OverflowError beyond the largest float."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def beta_quantile(alpha: float, beta: float, u: float) -> float:
    """The beta distribution's quantile at ``u``.  SciPy's ``betaincinv`` gives NaN for ``u``
    below about 1e-200, where the quantile is 0 to double precision."""
    q = float(special.betaincinv(alpha, beta, u))
    if math.isnan(q) and 0.0 < u < 0.5:
        return 0.0
    return q
