"""Germany's war on the USSR as the Far East feels it: Barbarossa (BAR-01), the pressure of
its phases, and (as a counterfactual) the fall of Moscow.

German pressure (1 = summer 1941, times ``barbarossa.pressure``) rises in Operation Typhoon,
falls in the winter counteroffensive, returns with the 1942 summer offensive and settles at
``soviet_fe.late_war_pressure`` from 1943; if Moscow falls it jumps to
``barbarossa.moscow_falls_pressure``.  The Soviet Far East's transfers west follow it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping
from typing import Any

from sim.model.accounts import day_of
from sim.model.actor import Actor

#: Start of the German 1942 summer offensive: pressure returns after the winter lull.
CASE_BLUE = dt.date(1942, 6, 28)
LATE_WAR = dt.date(1943, 1, 1)


class EasternFront(Actor):
    """Barbarossa, its phases and the fall of Moscow."""

    t_case_blue = day_of(CASE_BLUE)
    t_late_war = day_of(LATE_WAR)

    name = "eastern_front"
    READS = ("barbarossa.enabled", "barbarossa.date", "barbarossa.typhoon_date",
             "barbarossa.counteroffensive_date", "barbarossa.pressure",
             "barbarossa.moscow_falls", "barbarossa.moscow_fall_date",
             "barbarossa.moscow_falls_pressure", "soviet_fe.late_war_pressure")

    def setup(self) -> None:
        p = self.p
        self.t_barbarossa = day_of(p["barbarossa.date"]) if p["barbarossa.enabled"] else float(
            "inf")
        self.t_typhoon = day_of(p["barbarossa.typhoon_date"])
        self.t_counteroffensive = day_of(p["barbarossa.counteroffensive_date"])
        self.moscow_fallen = False

    def start(self) -> None:
        if self.t_barbarossa <= self.w.t_end:
            self.env.process(self.war())

    def war(self) -> Generator[Any, Any, None]:
        """Barbarossa on its date; Moscow falls on its date if the scenario says so."""
        p = self.p
        w = self.w
        yield w.wait_until(self.t_barbarossa)
        w.fire(w.signals.barbarossa)
        if not p["barbarossa.moscow_falls"]:
            return
        t_fall = day_of(p["barbarossa.moscow_fall_date"])
        if t_fall < self.env.now or t_fall > w.t_end:
            return
        yield w.wait_until(t_fall)
        self.moscow_fallen = True
        if w.tracing:
            w.note("campaign", "Moscow falls: German pressure on the USSR rises")

    def pressure(self, t: float) -> float:
        """German pressure on the USSR at ``t`` (1 = summer 1941), times ``barbarossa.pressure``."""
        p = self.p
        if not self.w.signals.barbarossa.happened:
            return 0.0
        if self.moscow_fallen:
            level = p["barbarossa.moscow_falls_pressure"]
            if t >= self.t_late_war:
                level *= p["soviet_fe.late_war_pressure"]
        elif t < self.t_typhoon:
            level = 1.0
        elif t < self.t_counteroffensive:
            level = 1.2
        elif t < self.t_case_blue:
            level = 0.6
        elif t < self.t_late_war:
            level = 1.0
        else:
            level = p["soviet_fe.late_war_pressure"]
        return level * p["barbarossa.pressure"]

    def phase_changes(self) -> tuple[float, ...]:
        """Times at which the pressure changes by the calendar."""
        return (self.t_typhoon, self.t_counteroffensive, self.t_case_blue, self.t_late_war)

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        if not p["barbarossa.enabled"]:
            return []
        out = [(p["barbarossa.date"], "Barbarossa")]
        if p["barbarossa.moscow_falls"]:
            out.append((p["barbarossa.moscow_fall_date"], "Moscow falls"))
        return out
