"""Shared helpers for the model tests: concrete parameters and streams for one replication."""

from __future__ import annotations

from typing import Any

from sim.model import Replication, simulate
from sim.params import Sampler
from sim.registry import REGISTRY
from sim.streams import Streams

ENTROPY = 20260522


def params_for(index: int, **overrides: Any) -> dict[str, Any]:
    """Concrete values for replication ``index`` (dotted names given with ``__`` for ``.``)."""
    values = REGISTRY.defaults()
    for key, value in overrides.items():
        values[key.replace("__", ".")] = value
    sampler = Sampler(REGISTRY, values)
    u = Streams(ENTROPY, index)["parameters"].random(len(REGISTRY))
    return sampler.draw(u)


def run(index: int, trace: bool = False, **overrides: Any) -> Replication:
    """Simulate replication ``index`` with fresh streams."""
    return simulate(params_for(index, **overrides), Streams(ENTROPY, index), trace=trace)


def central_params(**overrides: Any) -> dict[str, Any]:
    """Every uncertain parameter at its median: a readable 'typical' replication."""
    values = REGISTRY.defaults()
    for key, value in overrides.items():
        values[key.replace("__", ".")] = value
    return Sampler(REGISTRY, values).central()
