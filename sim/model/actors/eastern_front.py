"""Germany's war on the USSR, 1941-43 (docs/model.md §6): Barbarossa (BAR-01), German
pressure, the Soviet strategic reserve, the battle of Moscow and the 1942 summer campaign.

German pressure (1 = summer 1941, times ``barbarossa.pressure``) is 1.2 in Operation Typhoon,
falls over the winter by as much as the December counteroffensive pushes the Germans back,
returns with the 1942 summer offensive and settles at ``soviet_fe.late_war_pressure`` from
1943.  The Soviet reserve on the main axis is fed by mobilisation (EF-11) and by Far East
divisions that arrive a rail transit after they leave (SFE-06, SFE-13).  The fate of Moscow
is an outcome: the defence at its mid-November crisis, then the counteroffensive of
5 December, each a force balance against history with one luck draw (``combat`` slot 4);
``barbarossa.moscow_falls`` forces the fall instead.  After a fall pressure jumps to
``barbarossa.moscow_falls_pressure``.  The 1942 campaign's reach is drawn from slot 5; a
collapse keeps that pressure on for good.  Every change of pressure is announced
(``moscow_falls`` or the fact ``german_pressure``) so that the Far East's transfers follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping
from math import log
from typing import Any

from sim.model.accounts import GERMAN_PRESSURE, SOVIET_RESERVE, date_of, day_of
from sim.model.actor import Actor
from sim.model.kernels import eastern_front as ef

#: Start of the German 1942 summer offensive: pressure returns after the winter lull.
CASE_BLUE = dt.date(1942, 6, 28)
LATE_WAR = dt.date(1943, 1, 1)
#: End of the winter campaign (the spring thaw): the 1942 reserve is built from here.
SPRING_1942 = dt.date(1942, 4, 1)
#: The height of a victorious Case Blue (the Volga crossed, the Caucasus passes and oil
#: taken): a Soviet collapse is dated here.
COLLAPSE = dt.date(1942, 10, 1)
#: ``combat`` slots of the Moscow battle and the 1942 campaign.
MOSCOW_SLOT = 4
CASE_BLUE_SLOT = 5


class EasternFront(Actor):
    """Barbarossa, German pressure, the Soviet reserve, Moscow and the 1942 campaign."""

    t_case_blue = day_of(CASE_BLUE)
    t_late_war = day_of(LATE_WAR)
    t_spring = day_of(SPRING_1942)
    t_collapse = day_of(COLLAPSE)

    name = "eastern_front"
    READS = ("barbarossa.enabled", "barbarossa.date", "barbarossa.typhoon_date",
             "barbarossa.counteroffensive_date", "barbarossa.pressure",
             "barbarossa.moscow_falls", "barbarossa.moscow_fall_date",
             "barbarossa.moscow_falls_pressure", "soviet_fe.late_war_pressure",
             "eastern_front.mobilisation_divisions_per_month", "eastern_front.fe_transit_days",
             "eastern_front.fe_share_at_moscow", "eastern_front.fe_division_weight",
             "eastern_front.moscow_hold_chance", "eastern_front.battle_sigma",
             "eastern_front.case_blue_sigma", "eastern_front.collapse_chance_1942",
             "soviet_fe.men_per_division")
    OUTCOMES = ("moscow_falls_date", "fe_divisions_at_moscow", "case_blue_reach")

    def setup(self) -> None:
        p = self.p
        self.t_barbarossa = day_of(p["barbarossa.date"]) if p["barbarossa.enabled"] else float(
            "inf")
        self.t_typhoon = day_of(p["barbarossa.typhoon_date"])
        self.t_counteroffensive = day_of(p["barbarossa.counteroffensive_date"])
        self.t_crisis = day_of(p["barbarossa.moscow_fall_date"])
        self.forced = bool(p["barbarossa.moscow_falls"])
        self.multiplier: float = p["barbarossa.pressure"]
        self.mobilisation: float = p["eastern_front.mobilisation_divisions_per_month"]
        self.transit: float = p["eastern_front.fe_transit_days"]
        sigma = p["eastern_front.battle_sigma"]
        self.sigma: float = sigma
        self.base = ef.margin_for(p["eastern_front.moscow_hold_chance"], sigma)
        self.moscow_fallen = False
        self.soviet_collapse = False
        self.counteroffensive_failed = False
        self.winter = ef.WINTER_LEVEL
        self.counteroffensive = 1.0  # strength relative to history (1 if never fought)
        self.t_fall: float | None = None
        self.fe_at_moscow: float | None = None
        self.reach: str | None = None
        self.committed = 0.0  # Far East men already added to the reserve account

    def start(self) -> None:
        if self.t_barbarossa <= self.w.t_end:
            self.env.process(self.war())

    # --- German pressure ----------------------------------------------------------------------
    def pressure(self, t: float) -> float:
        """German pressure on the USSR at ``t`` (1 = summer 1941), times ``barbarossa.pressure``."""
        if not self.w.signals.barbarossa.happened:
            return 0.0
        if self.moscow_fallen or self.soviet_collapse:
            level = self.p["barbarossa.moscow_falls_pressure"]
            if t >= self.t_late_war and not self.soviet_collapse:
                level *= self.p["soviet_fe.late_war_pressure"]
        elif t < self.t_typhoon:
            level = 1.0
        elif t < self.t_counteroffensive or self.counteroffensive_failed:
            level = ef.TYPHOON_LEVEL
        elif t < self.t_case_blue:
            level = self.winter
        elif t < self.t_late_war:
            level = 1.0
        else:
            level = self.p["soviet_fe.late_war_pressure"]
        return level * self.multiplier

    def phase_changes(self) -> tuple[float, ...]:
        """The calendar's pressure phases (the Far East redraws its transfer rate at each)."""
        return (self.t_typhoon, self.t_counteroffensive, self.t_case_blue, self.t_late_war)

    def _pressure_changed(self) -> None:
        w = self.w
        w.ledger.values[GERMAN_PRESSURE] = self.pressure(self.env.now)
        w.changed("german_pressure")

    # --- the process --------------------------------------------------------------------------
    def war(self) -> Generator[Any, Any, None]:
        """Barbarossa, then the dated steps of the war in the east, each on its date."""
        w = self.w
        yield w.wait_until(self.t_barbarossa)
        w.fire(w.signals.barbarossa)
        self._pressure_changed()
        self._feed_reserve(True)
        steps = [(self.t_typhoon, self._typhoon), (self.t_counteroffensive, self._december),
                 (self.t_spring, self._spring), (self.t_case_blue, self._case_blue),
                 (self.t_late_war, self._pressure_changed)]
        if self.forced or self.t_crisis < self.t_counteroffensive:
            steps.append((self.t_crisis, self._crisis))
        steps.sort(key=lambda step: step[0])
        for t, step in steps:
            if t > w.t_end:
                return
            if t < self.env.now:
                continue
            yield w.wait_until(t)
            step()
            if self.t_fall is not None and self.env.now < self.t_fall <= w.t_end:
                yield w.wait_until(self.t_fall)  # a failed counteroffensive: the city falls
                self._fall()

    def _feed_reserve(self, on: bool) -> None:
        """New formations flow into the main axis' reserve (or stop: committed as raised)."""
        rate = ef.MOSCOW_AXIS_SHARE * self.mobilisation * ef.MEN_PER_NEW_DIVISION
        self.w.ledger.rates[SOVIET_RESERVE] = rate / ef.DAYS_PER_MONTH if on else 0.0

    def _commit_reserve(self) -> None:
        self.w.ledger.values[SOVIET_RESERVE] = 0.0
        self.committed = 0.0

    def _typhoon(self) -> None:
        """The summer's reserve is spent; the one that will fight at Moscow starts to gather."""
        self._commit_reserve()
        self._pressure_changed()

    def _fe_arrived(self, t0: float, t1: float) -> float:
        """Far East divisions arriving in the west in [t0, t1): sent a rail transit earlier."""
        return self.cast.far_east.divisions_sent_between(t0 - self.transit, t1 - self.transit)

    def _fe_at_moscow(self) -> float:
        """Far East divisions at Moscow now: a share of those arriving since a fortnight before
        Typhoon began; the reserve account counts their men once, as they arrive."""
        p = self.p
        arrived = self._fe_arrived(self.t_typhoon - ef.GATHERING_DAYS, self.env.now)
        fe = p["eastern_front.fe_share_at_moscow"] * arrived
        men = fe * p["soviet_fe.men_per_division"]
        self.w.ledger.values[SOVIET_RESERVE] += men - self.committed
        self.committed = men
        return fe

    def _luck(self, slot: int) -> float:
        return ef.normal_deviate(self.w.u_combat[slot])

    def _crisis(self) -> None:
        """The crisis of the defence (mid-November): Moscow falls if the balance breaks, or
        because the scenario says so."""
        if self.forced:
            self._fall()
            return
        fe = self._fe_at_moscow()
        reserve = ef.new_divisions(self.mobilisation, self.env.now - self.t_typhoon)
        margin = ef.defence_margin(self.base, self.multiplier, reserve, fe)
        if margin + self.sigma * self._luck(MOSCOW_SLOT) < 0.0:
            self._fall()
        elif self.w.tracing:
            self.w.note("campaign", f"The defence of Moscow holds at its crisis ({reserve:.0f} "
                        f"new and {fe:.1f} Far East divisions on the axis)", fe_divisions=fe)

    def _december(self) -> None:
        """The counteroffensive: it throws the Germans back, or Moscow falls two weeks later."""
        w = self.w
        if self.moscow_fallen:
            return
        if self.forced:  # the scenario's fall is still to come: no counteroffensive before it
            self.counteroffensive_failed = True
            self._pressure_changed()
            return
        fe = self.fe_at_moscow = self._fe_at_moscow()
        reserve = ef.new_divisions(self.mobilisation, self.env.now - self.t_typhoon)
        ratio = ef.counteroffensive_ratio(reserve, fe, self.p["eastern_front.fe_division_weight"])
        margin = ef.counteroffensive_margin(self.base, self.multiplier, ratio)
        if margin + self.sigma * self._luck(MOSCOW_SLOT) < 0.0:
            self.counteroffensive_failed = True
            self.t_fall = self.env.now + ef.FALL_AFTER_FAILED_COUNTEROFFENSIVE_DAYS
            if w.tracing:
                w.note("campaign", f"The Moscow counteroffensive fails ({ratio:.0%} of its "
                       f"historical strength, {fe:.1f} Far East divisions)", fe_divisions=fe)
        else:
            self.counteroffensive = ratio
            self.winter = ef.winter_level(ratio)
            self._commit_reserve()
            self._feed_reserve(False)
            if w.tracing:
                w.note("campaign", f"The Moscow counteroffensive throws the Germans back "
                       f"({ratio:.0%} of its historical strength, {fe:.1f} Far East "
                       f"divisions)", fe_divisions=fe)
        self._pressure_changed()

    def _fall(self) -> None:
        """Moscow falls now: the signal, German pressure up, the reserve spent."""
        w = self.w
        if self.fe_at_moscow is None:
            self.fe_at_moscow = self._fe_at_moscow()
        self.moscow_fallen = True
        self.t_fall = self.env.now
        self._commit_reserve()
        self._feed_reserve(False)
        w.ledger.values[GERMAN_PRESSURE] = self.pressure(self.env.now)
        if w.tracing:
            w.note("campaign", "Moscow falls: German pressure on the USSR rises")
        w.fire(w.signals.moscow_falls)
        w.changed("german_pressure")

    def _spring(self) -> None:
        """The winter campaign ends: the reserve for the summer gathers."""
        self._feed_reserve(True)

    def _case_blue(self) -> None:
        """The 1942 summer campaign: how far it goes (``combat`` slot 5)."""
        p = self.p
        w = self.w
        fe = self._fe_arrived(self.t_spring, self.env.now)
        reserve = ef.reserve_ratio_1942(self.mobilisation, self.env.now - self.t_spring, fe)
        german = self.multiplier * (p["barbarossa.moscow_falls_pressure"] if self.moscow_fallen
                                    else self.counteroffensive ** -ef.COUNTEROFFENSIVE_CARRYOVER)
        self.reach = ef.case_blue_reach(log(german / reserve), self._luck(CASE_BLUE_SLOT),
                                        p["eastern_front.case_blue_sigma"],
                                        p["eastern_front.collapse_chance_1942"])
        if w.tracing:
            w.note("campaign", f"Case Blue: the German summer offensive ({self.reach})",
                   reach=self.reach)
        self._commit_reserve()
        self._feed_reserve(False)  # the model follows the reserve no further
        self._pressure_changed()
        if self.reach == "collapse" and self.t_collapse <= w.t_end:
            self.env.process(self._collapse())

    def _collapse(self) -> Generator[Any, Any, None]:
        """A victorious Case Blue breaks the USSR in the south: pressure stays high for good."""
        w = self.w
        yield w.wait_until(self.t_collapse)
        self.soviet_collapse = True
        if w.tracing:
            w.note("campaign", "The Soviet southern front collapses: the Volga and the "
                   "Caucasus oil are lost")
        self._pressure_changed()
        w.changed("soviet_collapse")

    # --- outcomes -----------------------------------------------------------------------------
    def outcomes(self) -> dict[str, Any]:
        return {
            "moscow_falls_date": date_of(self.t_fall) if self.moscow_fallen else None,
            "fe_divisions_at_moscow": self.fe_at_moscow,
            "case_blue_reach": self.reach,
        }

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        if not p["barbarossa.enabled"]:
            return []
        out = [(p["barbarossa.date"], "Barbarossa")]
        if p["barbarossa.moscow_falls"]:
            out.append((p["barbarossa.moscow_fall_date"], "Moscow falls"))
        return out
