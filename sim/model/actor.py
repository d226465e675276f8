"""The base of every actor: a historical actor or episode with its parameters, its state, its
SimPy process(es), the rates it owns and the outcomes it records.

An actor declares, as class attributes, the registry parameters it reads (``READS``), the
outcomes it fills (``OUTCOMES``), the facts on which its rates must be recomputed
(``RATE_FACTS``, for an actor that owns accounts' rates and so has a ``recompute`` method),
other facts it handles (``ON_FACT``: fact -> method name) and its dated actions (``CALENDAR``:
date -> method name taking the time).  :mod:`sim.model.assembly` checks the names when the
model is imported, so a misspelt one fails there, not inside a worker, and compiles the rest
into the world's :class:`~sim.model.world.Plan`.  The other actors of the
replication are reachable through ``self.cast`` (read their state; cross-actor facts travel as
signals, :mod:`sim.model.world`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any, ClassVar

from sim.model.world import World


class Actor:
    """One actor of the model (subclasses set ``name``, ``READS`` and ``OUTCOMES``)."""

    name: ClassVar[str]
    READS: ClassVar[tuple[str, ...]] = ()
    OUTCOMES: ClassVar[tuple[str, ...]] = ()
    RATE_FACTS: ClassVar[tuple[str, ...]] = ()
    ON_FACT: ClassVar[tuple[tuple[str, str], ...]] = ()
    CALENDAR: ClassVar[tuple[tuple[dt.date, str], ...]] = ()

    def __init__(self, world: World, cast: SimpleNamespace) -> None:
        self.w = world
        self.p = world.p
        self.env = world.env
        self.cast = cast
        self.setup()

    def setup(self) -> None:
        """Set the actor's initial state (and any initial values of the accounts it owns); the
        actors before it in the assembly are already built."""

    def recompute(self) -> None:
        """Set the rates of the accounts this actor owns (actors with ``RATE_FACTS``)."""
        raise NotImplementedError(f"actor {self.name} declares RATE_FACTS but no recompute")

    def start(self) -> None:
        """Start the actor's processes (called once, in assembly order, at time 0)."""

    def outcomes(self) -> dict[str, Any]:
        """The outcomes this actor owns, at the end of the replication (``OUTCOMES`` keys)."""
        return {}

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        """Dated events of a scenario this actor contributes to plot annotation."""
        return []
