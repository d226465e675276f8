"""The campaign model: Japan's allocation of men, oil and shipping, 1939 to the horizon.

``simulate(params, streams)`` runs one replication of the actors assembled in
:mod:`sim.model.assembly` and returns its outcomes (``sim.outcomes.OUTCOME_NAMES``), its monthly
series (``sim.outcomes.SERIES``) and, when ``trace=True``, the dated narrative.
``key_events(params)`` gives the scenario's dated events for plot annotation.
See ``docs/model.md`` and ``docs/architecture.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.model import assembly
from sim.model.assembly import key_events
from sim.model.world import TraceEvent
from sim.streams import Streams


@dataclass
class Replication:
    """What one replication yields."""

    outcomes: dict[str, Any]
    series: dict[str, np.ndarray]
    events: list[TraceEvent] | None = None


def simulate(params: Mapping[str, Any], streams: Streams, trace: bool = False) -> Replication:
    """Run one replication with concrete parameter values (see :mod:`sim.registry`)."""
    world, cast = assembly.run(params, streams, trace)
    return Replication(assembly.outcomes_of(cast), assembly.series_of(world), world.events)


__all__ = ["Replication", "TraceEvent", "key_events", "simulate"]
