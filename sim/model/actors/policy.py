"""Japan's strategic policy: the conferences, the launches they schedule, and the counterfactual
lever that forces a policy (docs/model.md §Decision).

At each policy conference (27 Jul 1940, 2 Jul, 6 Sep, 1 Dec 1941: POL-01, POL-03, POL-05,
POL-07) the leadership chooses hold, north or south by the multinomial logit of
:mod:`sim.model.kernels.decision`, drawing from the conference's own ``decisions`` slot.

* **South**: from 1941 the first step is the move into southern Indochina (POL-03, POL-04;
  signal ``southern_move``), ``south.indochina_lag_days`` on; the war itself
  (signal ``south_war``) comes ``south.min_preparation_days`` later, not before
  ``south.earliest_launch_date``.
* **North**: an attack decided before the summer's ``north.window_decide_by`` waits for the
  'ripe persimmon' (KT-06, KT-09): it is called off unless the Soviet Far East has been drawn
  down by ``kantokuen.persimmon_threshold``; otherwise it goes the next spring.
* The first conference after Barbarossa orders Kantokuen (signal ``mobilisation``).
* A policy change cancels whatever the previous policy had scheduled (the launch processes
  are interrupted).  ``decision.force`` imposes a policy from ``decision.force_date``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping
from typing import Any

import simpy

from sim.model.accounts import MANCHURIA, OIL, SOVIET_FE, date_of, day_of, in_year
from sim.model.actor import Actor
from sim.model.actors.kantokuen import AT_ONCE, ORDERED
from sim.model.kernels import decision

#: From this year a southern policy takes Japan into southern Indochina (POL-03, POL-04);
#: before it, into the north of the colony (DIP-07), which brought no oil embargo.
SOUTHERN_INDOCHINA_YEAR = 1941
#: Offensives launched within this many days of each other count as launched together.
BOTH_WINDOW_DAYS = 90.0
CONFERENCES = 4


class Policy(Actor):
    """The leadership's choices and the launches that carry them out."""

    name = "policy"
    READS = (*(f"decision.conference_{k}_date" for k in range(1, CONFERENCES + 1)),
             "decision.force", "decision.force_date", "decision.embargo_anticipation",
             "decision.oil_comfort_months", "decision.fe_reference_ratio", "decision.north_bias",
             "decision.south_bias", "decision.army_weight", "decision.navy_weight",
             "decision.w_soviet_power", "decision.w_german", "decision.w_persimmon",
             "decision.w_treaty", "decision.w_oil_north", "decision.w_china", "decision.w_oil",
             "decision.w_west", "decision.w_pact_security", "decision.inertia",
             "kantokuen.enabled", "kantokuen.peak_men", "kantokuen.persimmon_threshold",
             "oil.war_consumption", "south.western_aircraft",
             "south.western_aircraft_required", "south.min_preparation_days",
             "south.earliest_launch_date", "south.indochina_lag_days", "north.window_decide_by",
             "north.window_start", "north.spring_start", "china.drain_multiplier")
    OUTCOMES = ("decision", "kantokuen_cancelled_date",
                *(f"conference_{k}_choice" for k in range(1, CONFERENCES + 1)))

    def setup(self) -> None:
        self.current = "hold"  # the policy in force
        self.locked = False  # a forced policy: the conferences no longer decide
        self.t_south_planned: float | None = None
        self.indochina_pending = False
        self.choices: dict[int, str] = {}
        self.cancelled: dt.date | None = None
        self._plans: list[simpy.Process] = []  # launches scheduled by the policy in force

    def start(self) -> None:
        self.env.process(self.conferences())
        if self.p["decision.force"] != "free":
            self.env.process(self.forced_policy())

    # --- what the leadership sees -------------------------------------------------------------
    def situation(self) -> decision.Situation:
        """What the leadership believes and needs at the current time."""
        p = self.p
        w = self.w
        cast = self.cast
        signals = w.signals
        v = w.ledger.values
        if signals.embargo.happened:
            threat = 1.0
        elif signals.export_licensing.happened:
            threat = p["decision.embargo_anticipation"]
        else:
            threat = 0.0
        war_use = p["oil.war_consumption"] + cast.china.oil_per_year
        need = decision.oil_need(threat, v[OIL], war_use, p["decision.oil_comfort_months"])
        fieldable = max(v[MANCHURIA], p["kantokuen.peak_men"] if p["kantokuen.enabled"] else 0.0)
        return decision.Situation(
            soviet_power=cast.khalkhin_gol.soviet_power,
            fe_ratio=v[SOVIET_FE] / fieldable,
            german_progress=cast.eastern_front.pressure(self.env.now),
            trust=cast.diplomacy.trust,
            fe_reduction=cast.far_east.drawdown(),
            pact=signals.pact.happened,
            oil_need=need,
            western_weakness=decision.western_weakness(p["south.western_aircraft"],
                                                       p["south.western_aircraft_required"]),
            china_burden=p["china.drain_multiplier"],
            current=self.current,
            barbarossa=signals.barbarossa.happened,
        )

    # --- the conferences ----------------------------------------------------------------------
    def conferences(self) -> Generator[Any, Any, None]:
        """The policy conferences, each drawing its choice from its own ``decisions`` slot."""
        p = self.p
        w = self.w
        signals = w.signals
        dates = sorted((day_of(p[f"decision.conference_{k}_date"]), k - 1)
                       for k in range(1, CONFERENCES + 1))
        for t, slot in dates:
            if t > w.t_end:
                break
            yield w.wait_until(t)
            if (signals.barbarossa.happened and not signals.mobilisation.happened
                    and p["kantokuen.enabled"] and not self.locked):
                w.fire(signals.mobilisation, ORDERED)
            if self.locked or signals.north_war.happened or signals.south_war.happened:
                if w.tracing:
                    w.note("conference", f"Conference {slot + 1}: policy already settled "
                           f"({self.current})", policy=self.current)
                continue
            s = self.situation()
            probs = decision.probabilities(s, p)
            choice = decision.choose(probs, w.u_decisions[slot])
            self.choices[slot + 1] = choice
            if w.tracing:
                w.note("conference", f"Conference {slot + 1}: {choice} chosen (north "
                       f"{probs[0]:.2f}, hold {probs[1]:.2f}, south {probs[2]:.2f})",
                       p_north=probs[0], p_hold=probs[1], p_south=probs[2], oil_need=s.oil_need,
                       soviet_power=s.soviet_power, fe_reduction=s.fe_reduction, trust=s.trust)
            self.adopt(choice)
            if choice == "south":
                self.move_south()

    def adopt(self, choice: str) -> None:
        """Adopt a policy now: cancel the previous one's launches and schedule this one's."""
        if choice == self.current:
            return
        p = self.p
        now = self.env.now
        self.current = choice
        self._cancel_plans()
        if choice == "south":
            launch = max(now + p["south.min_preparation_days"],
                         day_of(p["south.earliest_launch_date"]))
            self.t_south_planned = launch
            self._plan(self._launch_south(launch))
        elif choice == "north":
            year = date_of(now).year
            decide_by = day_of(in_year(p["north.window_decide_by"], year))
            if now <= decide_by:
                gate = decide_by  # a summer attack waits for the persimmon (KT-06, KT-09)
                launch = day_of(in_year(p["north.window_start"], year))
            else:
                gate = None
                launch = day_of(in_year(p["north.spring_start"], year + 1))
            self._plan(self._launch_north(gate, launch))

    def move_south(self) -> None:
        """The first step of a southern policy: troops into Indochina ``indochina_lag_days`` on."""
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

    # --- launches (processes a change of policy interrupts) -----------------------------------
    def _plan(self, steps: Generator[Any, Any, None]) -> None:
        self._plans = [plan for plan in self._plans if plan.is_alive]
        self._plans.append(self.env.process(steps))

    def _cancel_plans(self) -> None:
        active = self.env.active_process
        for plan in self._plans:
            if plan.is_alive and plan is not active:
                plan.interrupt("policy changed")
        self._plans = []

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

    def _launch_south(self, t: float) -> Generator[Any, Any, None]:
        if t > self.w.t_end:
            return
        try:
            yield self.w.sleep_until(t)
        except simpy.Interrupt:
            return
        self.w.ledger.advance(self.env.now)
        self.start_south()

    def _launch_north(self, gate: float | None, t: float) -> Generator[Any, Any, None]:
        w = self.w
        try:
            if gate is not None:
                if gate > w.t_end:
                    return
                yield w.sleep_until(gate)
                w.ledger.advance(self.env.now)
                # before Barbarossa nothing has been drawn out of the Far East
                reduction = self.cast.far_east.drawdown()
                threshold = self.p["kantokuen.persimmon_threshold"]
                if reduction < threshold:
                    self.cancelled = date_of(self.env.now)
                    if w.tracing:
                        w.note("decision", f"Northern attack called off: the Soviet Far East is "
                               f"down {reduction:.0%}, not the {threshold:.0%} the persimmon "
                               f"rule requires", reduction=reduction, threshold=threshold)
                    self.current = "hold"
                    self._cancel_plans()
                    return
            if t > w.t_end:
                return
            yield w.sleep_until(t)
        except simpy.Interrupt:
            return
        w.ledger.advance(self.env.now)
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
        if not signals.mobilisation.happened and self.p["kantokuen.enabled"]:
            w.fire(signals.mobilisation, AT_ONCE)
        w.fire(signals.north_war)

    # --- the counterfactual lever -------------------------------------------------------------
    def forced_policy(self) -> Generator[Any, Any, None]:
        """A policy imposed from ``decision.force_date``."""
        p = self.p
        w = self.w
        signals = w.signals
        force = p["decision.force"]
        t = day_of(p["decision.force_date"])
        if t > w.t_end:
            return
        yield w.wait_until(t)
        self.locked = True
        self._cancel_plans()  # whatever the conferences had scheduled
        self.current = force
        if w.tracing:
            w.note("decision", f"Policy forced: {force}")
        if force == "north":
            self.start_north()
        elif force == "south":
            if not signals.southern_move.happened:
                w.fire(signals.southern_move, "Japan has moved south")
                yield signals.southern_move  # the embargo, if due, lands before the war
            self.start_south()

    # --- outcomes -----------------------------------------------------------------------------
    def outcomes(self) -> dict[str, Any]:
        north = self.cast.north.t_launch
        south = self.cast.south.t_launch
        if north is None and south is None:
            choice = "hold"
        elif north is None:
            choice = "south"
        elif south is None:
            choice = "north"
        elif abs(north - south) <= BOTH_WINDOW_DAYS:
            choice = "both"
        else:
            choice = "north" if north < south else "south"
        out: dict[str, Any] = {"decision": choice, "kantokuen_cancelled_date": self.cancelled}
        for k in range(1, CONFERENCES + 1):
            out[f"conference_{k}_choice"] = self.choices.get(k)
        return out

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        out = [(p[f"decision.conference_{k}_date"], f"Conference {k}")
               for k in range(1, CONFERENCES + 1)]
        if p["decision.force"] != "free":
            out.append((p["decision.force_date"], f"Forced: {p['decision.force']}"))
        return out
