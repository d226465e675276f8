"""The assembly: which actors take part in a replication, in which order, and what they yield.

The order of :data:`ACTORS` is the order in which they are built (an actor may read the state
of those before it when it is built) and in which their processes start; processes that wake
at the same instant run in the order they were scheduled, so the order is part of the model.
Adding a factor is one actor module and one line here.

On import the assembly checks that every parameter an actor reads is in the registry, that
every registry parameter is read by some actor, and that the actors' outcomes are exactly
:data:`sim.outcomes.OUTCOME_NAMES`, each owned by one actor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import numpy as np

from sim.model.accounts import SERIES_NAMES, day_of
from sim.model.actor import Actor
from sim.model.actors.army import Army
from sim.model.actors.china import China
from sim.model.actors.diplomacy import Diplomacy
from sim.model.actors.eastern_front import EasternFront
from sim.model.actors.far_east import FarEast
from sim.model.actors.kantokuen import Kantokuen
from sim.model.actors.khalkhin_gol import KhalkhinGol
from sim.model.actors.khasan import Khasan
from sim.model.actors.manchuria_1945 import Manchuria1945
from sim.model.actors.north import North
from sim.model.actors.oil import Oil
from sim.model.actors.policy import Policy
from sim.model.actors.shipping import Shipping
from sim.model.actors.south import South
from sim.model.actors.united_states import UnitedStates
from sim.model.world import Entry, Plan, TraceEvent, World
from sim.outcomes import OUTCOME_NAMES
from sim.params import Registry
from sim.registry import REGISTRY
from sim.streams import Streams

ACTORS: tuple[type[Actor], ...] = (
    China,
    Army,
    Shipping,
    Oil,
    Diplomacy,
    UnitedStates,
    Khasan,
    KhalkhinGol,
    EasternFront,
    FarEast,
    Policy,
    Kantokuen,
    North,
    Manchuria1945,
    South,
)

#: Parameters the assembly itself reads.
READS = ("simulation.horizon", "simulation.start")


class AssemblyError(RuntimeError):
    """The actors and the registry or the outcome table disagree (a bug, caught at import)."""


def check(actors: Sequence[type[Actor]] = ACTORS, registry: Registry = REGISTRY,
          outcome_names: Sequence[str] = OUTCOME_NAMES) -> None:
    """Every name an actor reads or records is declared, and every declared name is used."""
    known = set(registry.names())
    read = set(READS)
    for actor in actors:
        unknown = sorted(set(actor.READS) - known)
        if unknown:
            raise AssemblyError(f"actor {actor.name} reads parameters the registry does not "
                                f"declare: {', '.join(unknown)}")
        read.update(actor.READS)
    unread = sorted(known - read)
    if unread:
        raise AssemblyError(f"registry parameters no actor reads: {', '.join(unread)}")
    owners: dict[str, str] = {}
    for actor in actors:
        for name in actor.OUTCOMES:
            if name in owners:
                raise AssemblyError(f"outcome {name} recorded by both {owners[name]} and "
                                    f"{actor.name}")
            owners[name] = actor.name
    if set(owners) != set(outcome_names):
        missing = sorted(set(outcome_names) - set(owners))
        extra = sorted(set(owners) - set(outcome_names))
        raise AssemblyError(f"outcomes no actor records: {missing}; recorded but not declared "
                            f"in sim.outcomes: {extra}")


check()


@lru_cache(maxsize=8)
def plan_of(actors: tuple[type[Actor], ...]) -> Plan:
    """Compile what the actors declare (rates, handlers, calendar) into a :class:`Plan`."""
    handlers: dict[str, list[Entry]] = {}
    calendar: dict[float, list[Entry]] = {}
    for index, actor in enumerate(actors):
        for fact in actor.RATE_FACTS:
            handlers.setdefault(fact, []).append((index, actor.recompute))
        for fact, method in actor.ON_FACT:
            handlers.setdefault(fact, []).append((index, getattr(actor, method)))
        for date, method in actor.CALENDAR:
            calendar.setdefault(day_of(date), []).append((index, getattr(actor, method)))
    return Plan(handlers={fact: tuple(entries) for fact, entries in handlers.items()},
                calendar=tuple((t, tuple(calendar[t])) for t in sorted(calendar)),
                rate_owners=tuple(i for i, actor in enumerate(actors) if actor.RATE_FACTS))


def build(p: Mapping[str, Any], streams: Streams, trace: bool = False,
          actors: Sequence[type[Actor]] = ACTORS) -> tuple[World, SimpleNamespace]:
    """A replication's world and its cast of actors (by name), ready to :func:`play`."""
    actors = tuple(actors)
    world = World(p, streams, trace, plan_of(actors))
    cast = SimpleNamespace()
    by_name = cast.__dict__
    for actor_type in actors:
        by_name[actor_type.name] = actor_type(world, cast)
    world.actors = list(by_name.values())
    return world, cast


def play(world: World, cast: SimpleNamespace) -> None:
    """Run a built replication to the horizon."""
    world.recompute_all()
    for actor in world.actors:
        actor.start()
    env = world.env
    env.process(world.calendar())
    env.run(until=world.t_end)
    world.ledger.advance(world.t_end)
    world.ledger.finish()


def run(p: Mapping[str, Any], streams: Streams, trace: bool = False,
        actors: Sequence[type[Actor]] = ACTORS) -> tuple[World, SimpleNamespace]:
    """Run one replication to the horizon; returns its final world and cast."""
    world, cast = build(p, streams, trace, actors)
    play(world, cast)
    return world, cast


def outcomes_of(cast: SimpleNamespace,
                outcome_names: Sequence[str] = OUTCOME_NAMES) -> dict[str, Any]:
    """The outcome row of a finished replication, in ``outcome_names`` order.

    Each actor returns the outcomes it owns; a name that is not declared, or a declared one
    nobody recorded, is a bug and fails here."""
    recorded: dict[str, Any] = {}
    for actor in vars(cast).values():
        recorded.update(actor.outcomes())
    try:
        if len(recorded) == len(outcome_names):  # then every declared name is there, or none
            return {name: recorded[name] for name in outcome_names}
    except KeyError:
        pass
    declared = set(outcome_names)
    raise AssemblyError(f"outcomes recorded but not declared: {sorted(recorded.keys() - declared)};"
                        f" declared but not recorded: {sorted(declared - recorded.keys())}")


def series_of(world: World) -> dict[str, np.ndarray]:
    """The monthly series (month ends from Jan 1939 to the horizon)."""
    samples = world.ledger.sample_array()
    return {name: samples[i] for i, name in enumerate(SERIES_NAMES)}


def key_events(p: Mapping[str, Any],
               actors: Sequence[type[Actor]] = ACTORS) -> list[tuple[dt.date, str]]:
    """The dated events of a scenario, for plot annotation, in date order."""
    out = [event for actor in actors for event in actor.key_events(p)]
    horizon = p["simulation.horizon"]
    out = [(d, label) for d, label in out if d <= horizon]
    out.sort(key=lambda item: item[0])
    return out


__all__ = ["ACTORS", "AssemblyError", "TraceEvent", "build", "check", "key_events",
           "outcomes_of", "play", "run", "series_of"]
