"""The southern operation: Malaya, the Philippines, the Dutch East Indies (docs/model.md §South).

The pace of the conquest scales the historical timetable (Singapore day 70, SOP-02; the Dutch
capitulation day 91, SOP-08; Corregidor day 150, SOP-06) by Western air strength (SOP-05), the
divisions Japan can spare (SOP-01, CHN-01, KT-04) and the shipping it has, times a lognormal
fortune from the ``combat`` stream.  Once the Dutch East Indies capitulate their oil is
Japan's (:mod:`sim.model.actors.oil`); once the conquest is complete the garrisons drain men.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from typing import Any

from sim.model.accounts import CHINA, HOME, MANCHURIA, SOUTH, date_of
from sim.model.actor import Actor
from sim.model.kernels import logistics
from sim.model.kernels.fortune import lognormal_factor

#: Even with no ships to spare above the civil minimum the services requisition some: the
#: southern campaign then runs at this fraction of its supplied pace.
MIN_SHIPPING_EFFECT = 0.1
#: Fastest conceivable conquest relative to the historical timetable (an undefended south
#: still has to be marched through: Singapore in about three weeks).
FASTEST_PACE = 0.3
#: Share of the first-phase southern casualties taken in Malaya, the DEI and the Philippines
#: (SOP-04: 9,657 in Malaya; SOP-07: ~11,000 in the Philippines).
SOUTH_CASUALTY_SPLIT = (0.4, 0.15, 0.45)
#: SOP-05: the historical British air strength in Malaya.
HISTORICAL_WESTERN_AIRCRAFT = 158.0


class South(Actor):
    """The war with the Western powers, from the launch (signal ``south_war``) to the horizon."""

    name = "south"
    READS = ("shipping.civil_minimum_mgrt",
             "kantokuen.shipping_mgrt", "south.shipping_mgrt", "shipping.elasticity",
             "south.divisions", "south.western_aircraft", "south.pace_sigma",
             "south.army_men", "south.conquest_casualties", "south.singapore_days",
             "south.dei_days", "south.philippines_days", "oil.dei_damage",
             "allocation.china_to_south_divisions")
    OUTCOMES = ("south_attack_date", "singapore_fall_days", "dei_captured_date",
                "philippines_fall_date", "south_japanese_casualties")

    def setup(self) -> None:
        self.t_launch: float | None = None
        self.t_dei_captured: float | None = None
        self.shipping_effect = 1.0  # what the shipping supplied does to the southern lift
        self.static = False  # the conquest is over and the garrisons drain men
        self.casualties: float | None = None
        self.singapore_days: float | None = None
        self.philippines: dt.date | None = None

    def start(self) -> None:
        self.w.when(self.w.signals.south_war, self.war)

    def pace(self) -> tuple[float, float, float]:
        """(pace multiplier on the historical timetable, shipping share, divisions available).

        The shipping is the fleet Japan has at the launch (tankers included, as the
        requisition counted them: JPN-10): SH-01's 6.34 M GRT in December 1941, less after a
        war that sank ships first (a southern war after a northern one the United States
        joined)."""
        p = self.p
        north_war = self.w.signals.north_war.happened
        share = logistics.shipping_share(self.cast.shipping.fleet_grt / 1e6,
                                         p["shipping.civil_minimum_mgrt"],
                                         p["kantokuen.shipping_mgrt"] if north_war else 0.0,
                                         p["south.shipping_mgrt"])
        supply = logistics.shipping_effect(share, p["shipping.elasticity"])
        divisions = self.cast.army.divisions_for_south_campaign()
        divisions = min(divisions, 1.5 * p["south.divisions"])
        air = p["south.western_aircraft"] / HISTORICAL_WESTERN_AIRCRAFT
        if supply < MIN_SHIPPING_EFFECT:
            supply = MIN_SHIPPING_EFFECT
        pace = (air ** 0.3) * (p["south.divisions"] / divisions) ** 0.7 / supply
        if pace < FASTEST_PACE:
            pace = FASTEST_PACE
        pace *= lognormal_factor(self.w.u_combat[3], p["south.pace_sigma"])
        return pace, share, divisions

    def war(self, _: Any = None) -> Generator[Any, Any, None]:
        """The southern operation from the launch: Malaya, the DEI, the Philippines."""
        w = self.w
        p = self.p
        env = self.env
        L = w.ledger
        t0 = self.t_launch = env.now
        if w.tracing:
            w.note("campaign", "War with the United States, Britain and the Netherlands: Pearl "
                   "Harbor, Malaya, the Philippines")
        pace, share, divisions = self.pace()
        self.shipping_effect = logistics.shipping_effect(share, p["shipping.elasticity"])
        # the Southern Army sails: the divisions the allocation takes from China, then men
        # from home, then from Manchuria
        need = p["south.army_men"]
        lever = p["allocation.china_to_south_divisions"]
        if lever > 0.0:
            army = self.cast.army
            from_china = army.from_china(min(lever, need / army.per_division))
            L.move(CHINA, SOUTH, from_china)
            need -= from_china
            self.cast.china.held_changed()
        from_home = min(need, max(0.0, L.values[HOME]))
        L.move(HOME, SOUTH, from_home)
        L.move(MANCHURIA, SOUTH, need - from_home)
        casualties = p["south.conquest_casualties"] * pace
        self.casualties = casualties
        if w.tracing:
            w.note("campaign", f"Southern offensive: {divisions:.0f} divisions, shipping "
                   f"supplied {share:.0%}, pace x{pace:.2f} of the historical", pace=pace,
                   divisions=divisions, shipping_share=share)
        stages = sorted([
            (t0 + p["south.singapore_days"] * pace, 0, "singapore"),
            (t0 + p["south.dei_days"] * pace, 1, "dei"),
            (t0 + p["south.philippines_days"] * pace, 2, "philippines"),
        ])
        for t, index, name in stages:
            if t > w.t_end:
                break
            yield w.wait_for(t - env.now)
            self.cast.army.casualties(casualties * SOUTH_CASUALTY_SPLIT[index])
            if name == "singapore":
                days = t - t0
                self.singapore_days = days
                if w.tracing:
                    w.note("battle", f"Singapore falls on day {days:.0f} of the southern "
                           "offensive", days=days)
            elif name == "dei":
                self.t_dei_captured = t
                w.changed("dei_captured")
                if w.tracing:
                    w.note("battle", "The Dutch East Indies capitulate: their oil fields are "
                           "Japan's", damage=p["oil.dei_damage"])
            else:
                self.philippines = date_of(t)
                if w.tracing:
                    w.note("battle", "Corregidor falls: the Philippines are taken")
        self.static = True
        w.changed("south_front")

    def outcomes(self) -> dict[str, Any]:
        return {
            "south_attack_date": date_of(self.t_launch) if self.t_launch is not None else None,
            "singapore_fall_days": self.singapore_days,
            "dei_captured_date": (date_of(self.t_dei_captured)
                                  if self.t_dei_captured is not None else None),
            "philippines_fall_date": self.philippines,
            "south_japanese_casualties": self.casualties,
        }
