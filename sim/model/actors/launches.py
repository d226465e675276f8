"""What Japan's decisions set in motion (docs/model.md §7): the move into southern Indochina,
war preparation and the decision for war with the West as separate steps, the northern attack
and its persimmon check, and the counterfactual lever that forces a policy.

Each launch is a process that a later decision may interrupt (a change of policy cancels what
the previous one had scheduled).  :class:`Launches` is the base of the Policy actor; the
meetings that decide live in :mod:`sim.model.actors.policy`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from typing import Any

import simpy

from sim.model.accounts import date_of, day_of, in_year
from sim.model.actor import Actor
from sim.model.actors.kantokuen import AT_ONCE
from sim.model.kernels import decision

#: From this year a southern policy takes Japan into southern Indochina (POL-03, POL-18);
#: before it, into the north of the colony (POL-11), which brought no oil embargo.
SOUTHERN_INDOCHINA_YEAR = 1941
#: ``decisions`` slots of the persimmon judgement: one per summer window 1940-44, one shared
#: by every spring attack (the General Staff judges the Far East before each launch).
WINDOW_JUDGEMENT_SLOTS = {1940: 17, 1941: 18, 1942: 19, 1943: 20, 1944: 21}
SPRING_JUDGEMENT_SLOT = 33


class Launches(Actor):
    """The launches a policy schedules, and the steps towards war with the West."""

    def setup(self) -> None:
        self.current = "hold"  # the policy in force: 'hold' | 'north' | 'south'
        self.locked = False  # a forced policy: the meetings no longer decide
        self.preparing_war = False  # war preparation against the West is under way (POL-21)
        self.t_prepared: float | None = None  # since when
        self.war_preparation_date: dt.date | None = None  # first decision to prepare
        self.war_decided_date: dt.date | None = None  # the decision for war (POL-27)
        self.t_south_planned: float | None = None
        self.indochina_pending = False
        self.north_planned = False  # a northern attack is scheduled and not yet judged/launched
        self.cancelled: dt.date | None = None
        #: what the Army's northern review of August 1941 left in force (POL-20)
        self.north_review_1941: str | None = None
        self._plans: list[simpy.Process] = []  # launches scheduled by the policy in force

    # --- the southern steps ---------------------------------------------------------------
    def move_south(self) -> None:
        """The first step of a southern policy: troops into Indochina ``indochina_lag_days`` on
        (POL-18).  The move is not the war: that takes a preparation and a decision."""
        if self.w.signals.southern_move.happened or self.indochina_pending:
            return
        now = self.env.now
        if date_of(now).year < SOUTHERN_INDOCHINA_YEAR:
            if self.w.tracing:
                self.w.note("diplomacy", "Southern advance 'by taking advantage of "
                            "opportunities': Japanese troops will enter northern Indochina")
            return
        self.indochina_pending = True
        self._plan(self._indochina(now + self.p["south.indochina_lag_days"]))

    def prepare_war(self) -> None:
        """Japan decides to prepare for war with the US, Britain and the Netherlands (POL-21):
        the Navy goes to readiness (``changed("war_preparation")``)."""
        if self.preparing_war:
            return
        self.preparing_war = True
        self.t_prepared = self.env.now
        if self.war_preparation_date is None:
            self.war_preparation_date = date_of(self.env.now)
        self.w.changed("war_preparation")
        if self.w.tracing:
            self.w.note("decision", "War preparations against the US, Britain and the "
                        "Netherlands begin")

    def stand_down(self) -> None:
        """Preparations for war are called off: the talks take over (Konoe's line, POL-22)."""
        if not self.preparing_war:
            return
        self.preparing_war = False
        self.t_prepared = None
        self.w.changed("war_preparation")
        if self.w.tracing:
            self.w.note("decision", "War preparations called off: the talks go on")

    def decide_war(self) -> None:
        """The decision for war with the West (POL-27): launched once the preparations have
        run ``south.min_preparation_days`` and not before ``south.earliest_launch_date``."""
        p = self.p
        now = self.env.now
        self.prepare_war()
        self.war_decided_date = date_of(now)
        prepared = self.t_prepared if self.t_prepared is not None else now
        launch = max(now, prepared + p["south.min_preparation_days"],
                     day_of(p["south.earliest_launch_date"]))
        self.t_south_planned = launch
        self.current = "south"
        self._plan(self._launch_south(launch))
        if self.w.tracing:
            self.w.note("decision", f"War with the US, Britain and the Netherlands decided, to "
                        f"begin on {date_of(launch)}")

    # --- the northern attack --------------------------------------------------------------
    def plan_north(self) -> None:
        """Schedule a northern attack: this summer's window if its decide-by date is still
        ahead (KT-07, KT-08), otherwise the next spring; the General Staff judges the
        persimmon on the decide-by date (or on the spring launch day) and calls it off if the
        Far East does not look ripe (KT-06, KT-09, POL-Q1)."""
        if self.w.signals.north_war.happened or self.north_planned:
            return
        p = self.p
        now = self.env.now
        year = date_of(now).year
        decide_by = day_of(in_year(p["north.window_decide_by"], year))
        if now <= decide_by:
            gate = decide_by
            launch = day_of(in_year(p["north.window_start"], year))
            slot = WINDOW_JUDGEMENT_SLOTS.get(year, SPRING_JUDGEMENT_SLOT)
        else:
            gate = launch = day_of(in_year(p["north.spring_start"], year + 1))
            slot = SPRING_JUDGEMENT_SLOT
        self.north_planned = True
        self.current = "north"
        self._plan(self._launch_north(gate, launch, slot))

    def persimmon_ripe(self, slot: int) -> bool:
        """The General Staff's judgement of the persimmon rule now (POL-Q1, POL-Q2)."""
        p = self.p
        reduction = self.cast.far_east.drawdown()
        if self.w.signals.barbarossa.happened:
            prob = decision.persimmon_probability(reduction, p["kantokuen.persimmon_threshold"],
                                                  p["decision.persimmon_error_sd"])
        else:  # the northern plan presumes a German war on the USSR (POL-10, POL-15)
            prob = 0.0
        ripe = self.w.u_decisions[slot] < prob
        if not ripe:
            self.cancelled = date_of(self.env.now)
        if slot == WINDOW_JUDGEMENT_SLOTS[1941]:
            moved = self.w.signals.southern_move.happened
            self.north_review_1941 = "north" if ripe else ("south" if moved else "hold")
        if self.w.tracing:
            self.w.note("decision", f"The General Staff judges the Soviet Far East down "
                        f"{reduction:.0%} against the {p['kantokuen.persimmon_threshold']:.0%} "
                        f"of its rule (chance it looks ripe {prob:.1%}): the northern attack "
                        + ("goes ahead" if ripe else "is called off"),
                        reduction=reduction, p_ripe=prob)
        return ripe

    # --- launches (processes a change of policy interrupts) -------------------------------
    def _plan(self, steps: Generator[Any, Any, None]) -> None:
        self._plans = [plan for plan in self._plans if plan.is_alive]
        self._plans.append(self.env.process(steps))

    def _cancel_plans(self) -> None:
        active = self.env.active_process
        for plan in self._plans:
            if plan.is_alive and plan is not active:
                plan.interrupt("policy changed")
        self._plans = []
        self.north_planned = False

    def _indochina(self, t: float) -> Generator[Any, Any, None]:
        w = self.w
        if t > w.t_end or (self.t_south_planned is not None and t >= self.t_south_planned):
            self.indochina_pending = False
            return
        try:
            yield w.sleep_until(t)
        except simpy.Interrupt:
            self.indochina_pending = False
            return
        self.indochina_pending = False
        if w.signals.southern_move.happened:
            return
        w.ledger.advance(self.env.now)
        if w.tracing:
            w.note("diplomacy", "Japanese troops move into southern Indochina")
        w.fire(w.signals.southern_move, "Japan has moved into southern Indochina")
        self.after_southern_move()

    def after_southern_move(self) -> None:
        """What the meetings do once the troops are in southern Indochina (policy)."""

    def _launch_south(self, t: float) -> Generator[Any, Any, None]:
        w = self.w
        if t > w.t_end:
            return
        try:
            yield w.sleep_until(t)
        except simpy.Interrupt:
            return
        w.ledger.advance(self.env.now)
        if not w.signals.southern_move.happened:
            w.fire(w.signals.southern_move, "Japan has moved south")
            yield w.signals.southern_move  # the embargo, if due, lands before the war
        self.start_south()

    def _launch_north(self, gate: float, t: float, slot: int) -> Generator[Any, Any, None]:
        w = self.w
        try:
            if gate > w.t_end:
                return
            yield w.sleep_until(gate)
            w.ledger.advance(self.env.now)
            if not self.persimmon_ripe(slot):
                self.north_planned = False
                self.current = "south" if self.w.signals.southern_move.happened else "hold"
                return
            if t > w.t_end:
                return
            yield w.sleep_until(t)
        except simpy.Interrupt:
            return
        w.ledger.advance(self.env.now)
        self.north_planned = False
        self.start_north()

    def start_south(self) -> None:
        """Launch the southern offensive now (once)."""
        if not self.w.signals.south_war.happened:
            self.w.fire(self.w.signals.south_war)

    def start_north(self) -> None:
        """Launch the northern offensive now (once), calling the men up at once if need be."""
        w = self.w
        signals = w.signals
        if signals.north_war.happened:
            return
        self.current = "north"
        if not signals.mobilisation.happened and self.p["kantokuen.enabled"]:
            w.fire(signals.mobilisation, AT_ONCE)
        w.fire(signals.north_war)

    # --- the counterfactual lever ---------------------------------------------------------
    def forced_policy(self) -> Generator[Any, Any, None]:
        """A policy imposed from ``decision.force_date``: a forced offensive is launched that
        day (a forced south is also the decision for war with the West)."""
        p = self.p
        w = self.w
        signals = w.signals
        force = p["decision.force"]
        t = day_of(p["decision.force_date"])
        if t > w.t_end:
            return
        yield w.wait_until(t)
        self.locked = True
        self._cancel_plans()  # whatever the meetings had scheduled
        self.current = force
        if w.tracing:
            w.note("decision", f"Policy forced: {force}")
        if force == "north":
            self.start_north()
        elif force == "south":
            if self.war_decided_date is None:
                self.war_decided_date = date_of(self.env.now)
            if not signals.southern_move.happened:
                w.fire(signals.southern_move, "Japan has moved south")
                yield signals.southern_move  # the embargo, if due, lands before the war
            self.start_south()
        elif not signals.south_war.happened:
            self.stand_down()
