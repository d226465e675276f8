"""What the actors of one replication share: the clock, the accounts, the signals, the calendar.

* **Signals** are the facts of the history that cross actors (the Neutrality Pact, Barbarossa,
  the embargo, the southern move, the wars...), each a SimPy event: once it has happened it stays
  ``triggered``, and an actor that must react waits on it (``yield world.signals.embargo``).
  Signals are processed before anything else scheduled for the same instant, so a reaction
  lands on the spot, as a direct call would.
* **Bookkeeping in one place.**  :meth:`World.wait_until` is how an actor sleeps: waking up
  advances the accounts.  The accounts' rates are owned by the actors that own the accounts
  (the army, oil, the Soviet Far East); each declares the facts its rates depend on, and
  :meth:`World.changed` (or :meth:`World.fire`, for a signal) recomputes exactly those.
* **The calendar**: readings and reviews on fixed dates, registered by the actors and run by
  one process, once per date, in registration order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import simpy
from simpy.core import URGENT
from simpy.events import PENDING

from sim.model.accounts import Ledger, date_of, day_of
from sim.streams import Streams

#: Slots of each stream: a stochastic event always reads the same slot.
COMBAT_SLOTS = 4  # 0 KG summer, 1 KG August, 2 northern fortune, 3 southern fortune
#: ``decisions`` slots: 0-3 the conferences, 4 whether Stalin believes the Sorge reports,
#: 5-11 Moscow's transfer decisions phase by phase (one purpose stream costs a seed
#: derivation, so the Soviet leadership's decisions share Japan's stream, in fixed slots).
DECISION_SLOTS = 12


@dataclass
class TraceEvent:
    """A dated line of the narrative of one replication."""

    date: dt.date
    kind: str  # 'battle' | 'diplomacy' | 'conference' | 'decision' | 'campaign' | 'economy' ...
    text: str  # one readable sentence
    data: dict[str, Any] = field(default_factory=dict)  # the numbers behind it


class Signal(simpy.Event):
    """A fact that, once it happens, stays true; waiters wake before anything else at that instant."""

    def __init__(self, env: simpy.Environment, name: str) -> None:
        super().__init__(env)
        self.name = name

    def fire(self, value: Any = None) -> None:
        if self._value is not PENDING:
            raise RuntimeError("a signal fires once")
        self._ok = True
        self._value = value
        self.env.schedule(self, URGENT)


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
)


class Signals:
    """One :class:`Signal` per name of :data:`SIGNALS`, as attributes."""

    def __init__(self, env: simpy.Environment) -> None:
        for name in SIGNALS:
            setattr(self, name, Signal(env, name))

    def __getattr__(self, name: str) -> Signal:  # only reached for an unknown name
        raise AttributeError(f"no signal {name!r}; the signals are {', '.join(SIGNALS)}")


Handler = Callable[[], None]


class World:
    """The shared state of one replication; each actor keeps its own state on itself."""

    def __init__(self, p: Mapping[str, Any], streams: Streams, trace: bool) -> None:
        self.p = p
        horizon = p["simulation.horizon"]
        self.t_end = day_of(horizon) + 1.0
        self.env = simpy.Environment()
        self.ledger = Ledger(horizon)
        self.signals = Signals(self.env)
        self.tracing = trace
        self.events: list[TraceEvent] | None = [] if trace else None
        self.u_combat: list[float] = streams.block("combat", COMBAT_SLOTS).tolist()
        self.u_decisions: list[float] = streams.block("decisions", DECISION_SLOTS).tolist()
        self._handlers: dict[str, list[Handler]] = {}
        self._rate_functions: list[Handler] = []
        self._marks: dict[float, list[Callable[[float], None]]] = {}

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

    def wait_until(self, t: float) -> Generator[Any, Any, None]:
        """Sleep until ``t``, then bring the accounts up to date (``yield from``)."""
        yield self.sleep_until(t)
        self.ledger.advance(self.env.now)

    def wait_for(self, days: float) -> Generator[Any, Any, None]:
        """Sleep ``days``, then bring the accounts up to date (``yield from``)."""
        yield self.env.timeout(days)
        self.ledger.advance(self.env.now)

    # --- rates --------------------------------------------------------------------------------
    def owns_rates(self, recompute: Handler, depends_on: Iterable[str]) -> None:
        """Register an actor's rate function and the facts it depends on."""
        self._rate_functions.append(recompute)
        for fact in depends_on:
            self.on_change(fact, recompute)

    def on_change(self, fact: str, handler: Handler) -> None:
        """Call ``handler()`` whenever ``fact`` changes (at the time it changes)."""
        self._handlers.setdefault(fact, []).append(handler)

    def changed(self, fact: str) -> None:
        """``fact`` changed at the current time: recompute the rates that depend on it."""
        for handler in self._handlers.get(fact, ()):
            handler()

    def recompute_all(self) -> None:
        """Set every rate from the current state (at the start of a replication)."""
        for recompute in self._rate_functions:
            recompute()

    def fire(self, signal: Signal, value: Any = None) -> None:
        """A fact of the history happens now: fire its signal and recompute what depends on it."""
        signal.fire(value)
        self.changed(signal.name)

    # --- calendar -----------------------------------------------------------------------------
    def on_date(self, date: dt.date, action: Callable[[float], None]) -> None:
        """Run ``action(t)`` on ``date`` (after the accounts are brought up to date)."""
        self._marks.setdefault(day_of(date), []).append(action)

    def calendar(self) -> Generator[Any, Any, None]:
        """The process that runs the registered dated actions, one wake-up per date."""
        for t in sorted(self._marks):
            if t > self.t_end:
                return
            yield from self.wait_until(t)
            for action in self._marks[t]:
                action(t)
