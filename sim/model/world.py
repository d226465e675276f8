"""What the actors of one replication share: the clock, the accounts, the signals, the calendar.

* **Signals** are the facts of the history that cross actors (the Neutrality Pact, Barbarossa,
  the embargo, the southern move, the wars...), each a SimPy event: once it has happened it stays
  ``happened``, and an actor that must react waits on it (``yield world.signals.embargo``)
  or starts a process when it fires (:meth:`World.when`).
  Signals are processed before anything else scheduled for the same instant, so a reaction
  lands on the spot, as a direct call would.
* **Bookkeeping in one place.**  :meth:`World.wait_until` is how an actor sleeps: waking up
  advances the accounts.  The accounts' rates are owned by the actors that own the accounts
  (the army, oil, the Soviet Far East); each declares the facts its rates depend on
  (``RATE_FACTS``), and :meth:`World.changed` (or :meth:`World.fire`, for a signal) reruns
  exactly those.
* **The calendar**: readings and reviews on fixed dates, declared by the actors (``CALENDAR``)
  and run by one process, once per date, in actor order.

What the actors declare is compiled once per assembly into a :class:`Plan`, so a replication
registers nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

import simpy
from simpy.core import NORMAL, URGENT
from simpy.events import PENDING, Timeout

from sim.model.accounts import Ledger, date_of, day_of
from sim.streams import Streams

#: Slots of each stream: a stochastic event always reads the same slot (a longer block keeps
#: the first values, so adding slots moves no earlier draw).
#: ``combat``: 0 KG summer, 1 KG August, 2 northern fortune, 3 southern fortune;
#: 4-5 the Eastern Front (4 the battle of Moscow, 5 the 1942 summer campaign);
#: 6-9 the northern campaign (6 Sakhalin, 7 the Soviet counteroffensive, 8-9 spare);
#: 10-11 spare; 12-13 Khasan 1938; 14-15 China (14 Ichi-Go); 16-17 shipping (sinkings);
#: 18-21 August 1945 in Manchuria; 22-23 spare.
COMBAT_SLOTS = 24
#: ``decisions``: 0-3 the first conferences, 4 whether Stalin believes the Sorge reports,
#: 5-11 Moscow's transfer decisions phase by phase (one purpose stream costs a seed
#: derivation, so the Soviet leadership's decisions share Japan's stream, in fixed slots);
#: 12-35 Japan's later conferences and reviews (policy); 36-39 the United States (36 its
#: answer to a northern strike); 40-43 the Eastern Front; 44-47 the Soviet Union in 1945
#: (denunciation, build-up, the invasion); 48-51 Japan's allocation of forces; 52-55 spare.
DECISION_SLOTS = 56
POLICY_SLOTS = range(12, 36)
US_SLOTS = range(36, 40)
EASTERN_FRONT_SLOTS = range(40, 44)
SOVIET_1945_SLOTS = range(44, 48)
ALLOCATION_SLOTS = range(48, 52)


@dataclass
class TraceEvent:
    """A dated line of the narrative of one replication."""

    date: dt.date
    kind: str  # 'battle' | 'diplomacy' | 'conference' | 'decision' | 'campaign' | 'economy' ...
    text: str  # one readable sentence
    data: dict[str, Any] = field(default_factory=dict)  # the numbers behind it


class Signal(simpy.Event):
    """A fact that, once it happens, stays true (``happened``); the processes waiting on it
    wake before anything else scheduled for that instant."""

    happened = False  # a plain attribute: actors test it often, SimPy's ``triggered`` is slower

    def __init__(self, env: simpy.Environment, name: str) -> None:
        # Event.__init__, inlined: a replication builds one signal per fact
        self.env = env
        self.callbacks = []
        self._value = PENDING
        self.name = name

    def fire(self, value: Any = None) -> None:
        if self._value is not PENDING:
            raise RuntimeError("a signal fires once")
        self._ok = True
        self._value = value
        self.happened = True
        if self.callbacks:
            self.env.schedule(self, URGENT)
        else:  # nobody waits: processed on the spot (a later waiter goes straight on)
            self.callbacks = None


#: The signals of the history, by name (the name is also the fact rates depend on).
SIGNALS: tuple[str, ...] = (
    "export_licensing",  # the US licenses exports (EMB-01): Japan fears an embargo
    "pact",  # the Soviet-Japanese Neutrality Pact is in force (NP-01)
    "barbarossa",  # Germany attacks the USSR (BAR-01)
    "mobilisation",  # Kantokuen is ordered (or a northern attack calls the men up at once)
    "southern_move",  # Japanese troops enter southern Indochina (or a forced southern war)
    "embargo",  # the US oil embargo and assets freeze (EMB-03, EMB-04)
    "south_war",  # war with the United States, Britain and the Netherlands
    "north_war",  # war with the USSR
    "freeze",  # the US freezes Japanese assets (US-01): trade needs licences from here
    "us_war",  # the United States is at war with Japan
    "moscow_falls",  # Moscow falls to the Germans (an outcome of the Eastern Front, or forced)
    "oil_exhausted",  # Japan's oil stock is down to its working floor
    "pact_denounced",  # the USSR denounces the Neutrality Pact (SFE-24: 5 Apr 1945)
    "soviet_invasion",  # the Soviet invasion of Manchuria begins (MAN-01: 9 Aug 1945)
)


class Signals:
    """One :class:`Signal` per name of :data:`SIGNALS`, as attributes."""

    def __init__(self, env: simpy.Environment) -> None:
        self.__dict__.update({name: Signal(env, name) for name in SIGNALS})

    def __getattr__(self, name: str) -> Signal:  # only reached for an unknown name
        raise AttributeError(f"no signal {name!r}; the signals are {', '.join(SIGNALS)}")


class Wake(Timeout):
    """A timeout to time ``at`` whose processing first runs ``on_wake`` (bookkeeping), then
    wakes its waiter.

    The initialisation is SimPy's own ``Timeout.__init__`` with the callback already in place
    (SimPy inlines it the same way, for the same reason: this is the model's hottest event).
    """

    def __init__(self, env: simpy.Environment, delay: float,
                 on_wake: Callable[["Wake"], None]) -> None:
        self.env = env
        self.callbacks = [on_wake]
        self._value = None
        self._delay = delay
        self._ok = True
        self.at = env.now + delay
        env.schedule(self, NORMAL, delay)


#: What to run for a fact or a date: (index of the actor in the assembly, its method).
Entry = tuple[int, Callable[..., None]]


@dataclass(frozen=True)
class Plan:
    """What the assembly's actors declare, compiled once: who reruns what on each fact, and the
    calendar of dated actions."""

    handlers: Mapping[str, tuple[Entry, ...]]
    calendar: tuple[tuple[float, tuple[Entry, ...]], ...]
    rate_owners: tuple[int, ...]


class World:
    """The shared state of one replication; each actor keeps its own state on itself."""

    def __init__(self, p: Mapping[str, Any], streams: Streams, trace: bool,
                 plan: Plan) -> None:
        self.p = p
        horizon = p["simulation.horizon"]
        self.t_end = day_of(horizon) + 1.0
        # the clock starts at ``simulation.start`` (July 1938: Khasan); the accounts open on
        # 1 January 1939 (time 0), the date of the first documented stocks
        start = day_of(p["simulation.start"])
        self.env = simpy.Environment(initial_time=start if start < 0.0 else 0.0)
        self.ledger = Ledger(horizon)
        self.signals = Signals(self.env)
        self.tracing = trace
        self.events: list[TraceEvent] | None = [] if trace else None
        self.u_combat: list[float] = streams.block("combat", COMBAT_SLOTS).tolist()
        self.u_decisions: list[float] = streams.block("decisions", DECISION_SLOTS).tolist()
        self.plan = plan
        self.actors: list[Any] = []  # in plan order, filled by the assembly

    # --- narrative ----------------------------------------------------------------------------
    def note(self, kind: str, text: str, **data: Any) -> None:
        """Add a line to the narrative (callers test ``tracing`` first: sentences cost time)."""
        if self.events is not None:
            self.events.append(TraceEvent(date_of(self.env.now), kind, text, data))

    # --- time ---------------------------------------------------------------------------------
    def sleep_until(self, t: float) -> simpy.Timeout:
        """A timeout to simulation time ``t`` (never negative), with no bookkeeping."""
        now = self.env.now
        return self.env.timeout(t - now if t > now else 0.0)

    def wait_until(self, t: float) -> Wake:
        """A timeout to ``t`` (never in the past) that brings the accounts up to date before
        its waiter wakes.

        A process that may be interrupted while it waits sleeps with :meth:`sleep_until`
        and advances the accounts itself once it is sure to go on: an abandoned wake-up must
        not touch the accounts.
        """
        now = self.env.now
        return Wake(self.env, t - now if t > now else 0.0, self._bring_accounts_up_to_date)

    def wait_for(self, days: float) -> Wake:
        """:meth:`wait_until` ``days`` from now."""
        if days < 0:
            raise ValueError(f"negative delay {days}")
        return Wake(self.env, days, self._bring_accounts_up_to_date)

    def _bring_accounts_up_to_date(self, wake: Wake) -> None:
        self.ledger.advance(wake.at)

    def when(self, signal: Signal,
             process: Callable[[Any], Generator[Any, Any, None]]) -> None:
        """Start ``process(value)`` when ``signal`` fires (at that instant, before anything
        else scheduled for it)."""
        signal.callbacks.append(lambda event: self.env.process(process(event.value)))

    # --- rates --------------------------------------------------------------------------------
    def changed(self, fact: str) -> None:
        """``fact`` changed at the current time: rerun what depends on it (rates first)."""
        actors = self.actors
        for index, method in self.plan.handlers.get(fact, ()):
            method(actors[index])

    def recompute_all(self) -> None:
        """Set every rate from the current state (at the start of a replication)."""
        actors = self.actors
        for index in self.plan.rate_owners:
            actors[index].recompute()

    def fire(self, signal: Signal, value: Any = None) -> None:
        """A fact of the history happens now: fire its signal and rerun what depends on it."""
        signal.fire(value)
        actors = self.actors
        for index, method in self.plan.handlers.get(signal.name, ()):
            method(actors[index])

    # --- calendar -----------------------------------------------------------------------------
    def calendar(self) -> Generator[Any, Any, None]:
        """The process that runs the actors' dated actions, one wake-up per date."""
        actors = self.actors
        for t, actions in self.plan.calendar:
            if t > self.t_end:
                return
            yield self.wait_until(t)
            for index, method in actions:
                method(actors[index], t)
