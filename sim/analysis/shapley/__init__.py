"""Shapley attribution: how much of the change in an outcome does each factor account for?

Switching a set of factors from history to their counterfactuals moves an outcome's mean from
``v(empty)`` (history) to ``v(all)``.  Because factors interact (no embargo matters more once
the neutrality pact is gone, say) "the effect of factor i" depends on what else is switched.
The Shapley value settles this the way cooperative game theory splits a payout: factor *i* gets
its marginal effect ``v(S + i) - v(S)`` averaged over every order in which the factors could be
switched on.  With ``k`` factors that needs all ``2**k`` combinations, which we run with common
random numbers (one seed), so the differences between combinations are not swamped by chance.
The contributions add up to ``v(all) - v(empty)`` exactly (the "efficiency" property), and an
effect that only appears when two factors act together is split equally between them.

Uncertainty: a bootstrap that resamples *replication indices* jointly across all ``2**k``
combinations (replication *i* of every combination shares its random streams), so the CRN
pairing that makes the differences precise is kept in every resample.

The core (:func:`shapley_values`, :func:`attribute_matrix`, :func:`attribute_function`, in
:mod:`.values`) works on plain arrays and callables; :func:`attribute` (:mod:`.adapters`) runs
the real model; :mod:`.result` holds the :class:`Attribution` they hand back.
"""

from sim.analysis.shapley.adapters import DEFAULT_RUNS, attribute, coalition_scenarios
from sim.analysis.shapley.result import Attribution
from sim.analysis.shapley.values import (
    DEFAULT_BOOTSTRAP,
    MAX_FACTORS,
    attribute_function,
    attribute_matrix,
    shapley_values,
    shapley_weights,
)

__all__ = [
    "DEFAULT_BOOTSTRAP", "DEFAULT_RUNS", "MAX_FACTORS", "Attribution", "attribute",
    "attribute_function", "attribute_matrix", "coalition_scenarios", "shapley_values",
    "shapley_weights",
]
