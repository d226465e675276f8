"""The campaign model: Japan's allocation of men, oil and shipping, 1939 to the horizon.

``simulate(params, streams)`` runs one replication of the SimPy model assembled in
:mod:`sim.model.core` and returns its outcomes (``sim.outcomes.OUTCOME_NAMES``), its monthly
series (``sim.outcomes.SERIES``) and, when ``trace=True``, the dated narrative.
``key_events(params)`` gives the scenario's dated events for plot annotation.
See ``docs/model.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.streams import Streams


@dataclass
class TraceEvent:
    """A dated line of the narrative of one replication."""

    date: dt.date
    kind: str  # 'battle' | 'diplomacy' | 'conference' | 'decision' | 'campaign' | 'economy' ...
    text: str  # one readable sentence
    data: dict[str, Any] = field(default_factory=dict)  # the numbers behind it


@dataclass
class Replication:
    """What one replication yields."""

    outcomes: dict[str, Any]
    series: dict[str, np.ndarray]
    events: list[TraceEvent] | None = None


def simulate(params: Mapping[str, Any], streams: Streams, trace: bool = False) -> Replication:
    """Run one replication with concrete parameter values (see :mod:`sim.registry`)."""
    from sim.model import core

    world = core.run(params, streams, trace)
    return Replication(core.outcomes_of(world), core.series_of(world), world.events)


def key_events(params: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
    """Dated events of a scenario for plot annotation (pacts, battles, conferences...)."""
    from sim.model.events import key_events as _key_events

    return _key_events(params)


__all__ = ["Replication", "TraceEvent", "key_events", "simulate"]
