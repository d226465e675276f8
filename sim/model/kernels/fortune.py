"""Fortune: the median-1 random factors the model draws from fixed stream slots."""

from __future__ import annotations

from statistics import NormalDist

_NORMAL = NormalDist()


def lognormal_factor(u: float, sigma: float) -> float:
    """A median-1 lognormal factor from a uniform."""
    if u <= 1e-12:
        u = 1e-12
    elif u >= 1.0 - 1e-12:
        u = 1.0 - 1e-12
    return 2.718281828459045 ** (sigma * _NORMAL.inv_cdf(u))
