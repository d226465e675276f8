"""Khalkhin Gol (Nomonhan), May-September 1939, and the 'Nomonhan shock' it left.

The battle itself is a pure kernel (:mod:`sim.model.kernels.khalkhin_gol_battle`): summer
skirmishing, then Zhukov's August offensive as far as the truck columns can sustain it.  This
actor puts it on the calendar, books the losses, and moves Japan's perceived Soviet power per
man from where Khasan left it (``khasan.belief_after``; a Soviet victory first overturns
Khasan's lesson, :func:`sim.model.kernels.belief.nomonhan_prior`) towards what the casualty
exchange showed (docs/model.md §2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping
from typing import Any

from sim.model.accounts import date_of, day_of
from sim.model.actor import Actor
from sim.model.kernels.belief import nomonhan_prior
from sim.model.kernels.decision import nomonhan_belief
from sim.model.kernels.khalkhin_gol_battle import fight_campaign


def _rate(casualties: float, men: float) -> float:
    """Casualties per man (0 for a side that fielded nobody)."""
    return casualties / men if men > 0.0 else 0.0


class KhalkhinGol(Actor):
    """The 1939 campaign and Japan's belief about Soviet power after it."""

    name = "khalkhin_gol"
    READS = ("khalkhin_gol.enabled", "khalkhin_gol.start_date", "khalkhin_gol.offensive_date",
             "khalkhin_gol.ceasefire_date", "khalkhin_gol.soviet_trucks",
             "khalkhin_gol.truck_haul_km", "khalkhin_gol.truck_payload_t",
             "khalkhin_gol.truck_km_per_day", "khalkhin_gol.truck_availability",
             "khalkhin_gol.japanese_trucks", "khalkhin_gol.japanese_haul_km",
             "khalkhin_gol.supply_kg_per_man_day", "khalkhin_gol.soviet_men",
             "khalkhin_gol.japanese_men", "khalkhin_gol.soviet_summer_share",
             "khalkhin_gol.soviet_effectiveness_summer", "khalkhin_gol.outcome",
             "khalkhin_gol.forced_success_soviet_factor", "khalkhin_gol.offensive_max_days",
             "khalkhin_gol.japanese_break_fraction", "combat.exponent",
             "combat.attacker_daily_loss", "combat.defender_daily_loss",
             "combat.japanese_effectiveness", "combat.khalkhin_gol_intensity",
             "combat.soviet_effectiveness_aug_1939", "belief.prior_soviet_power",
             "belief.learning_rate", "belief.defeat_shock", "khasan.overturned")
    OUTCOMES = ("kg_japanese_casualties", "kg_soviet_casualties", "kg_outcome",
                "kg_offensive_days", "kg_ceasefire_date", "nomonhan_shock")

    def setup(self) -> None:
        #: Japan's perceived Soviet power per man after the shock (None until then)
        self._after: float | None = None
        self.japanese_casualties = 0.0
        self.soviet_casualties = 0.0
        self.outcome: str | None = None
        self.offensive_days: float | None = None
        self.ceasefire: dt.date | None = None
        self.shock: float | None = None

    @property
    def soviet_power(self) -> float:
        """Japan's perceived Soviet combat power per man (IJA = 1): what Khasan left (the 1938
        prior without it) until the Nomonhan shock, the shock after it."""
        if self._after is not None:
            return self._after
        return self._before()

    def _before(self) -> float:
        khasan = getattr(self.cast, "khasan", None)
        return khasan.belief_after if khasan is not None else self.p["belief.prior_soviet_power"]

    def start(self) -> None:
        if self.p["khalkhin_gol.enabled"]:
            self.env.process(self.campaign())
        else:
            self.outcome = "none"

    def campaign(self) -> Generator[Any, Any, None]:
        """Summer fighting, the August offensive, the ceasefire, the shock."""
        p = self.p
        w = self.w
        army = self.cast.army
        t_start = day_of(p["khalkhin_gol.start_date"])
        t_off = day_of(p["khalkhin_gol.offensive_date"])
        result = fight_campaign(p, w.u_combat[0], w.u_combat[1])
        if t_start > w.t_end:
            return
        yield w.sleep_until(t_start)  # a mark in the narrative: nothing to book yet
        if w.tracing:
            w.note("battle", "Khalkhin Gol: first clash on the Khalkha river")
        if t_off > w.t_end:
            return
        yield w.wait_until(t_off)
        army.casualties(result.summer_japanese)
        if w.tracing:
            w.note("battle", f"Khalkhin Gol, May-August: Japanese {result.summer_japanese:,.0f}, "
                   f"Soviet-Mongol {result.summer_soviet:,.0f} casualties; Zhukov attacks with "
                   f"{result.soviet_fielded:,.0f} men (trucks sustain "
                   f"{result.soviet_supply_share:.0%} of the force)",
                   soviet_fielded=result.soviet_fielded, supply_share=result.soviet_supply_share)
        yield w.wait_for(result.offensive_days)
        army.casualties(result.japanese_casualties - result.summer_japanese)
        before = self._before()
        start = nomonhan_prior(p["belief.prior_soviet_power"], before, p["khasan.overturned"],
                               result.soviet_won)
        self._after = nomonhan_belief(
            start, p["belief.learning_rate"], p["belief.defeat_shock"],
            _rate(result.japanese_casualties, result.japanese_fielded),
            _rate(result.soviet_casualties, result.soviet_fielded), result.soviet_won)
        self.outcome = "soviet_victory" if result.soviet_won else "japanese_success"
        self.japanese_casualties = result.japanese_casualties
        self.soviet_casualties = result.soviet_casualties
        self.offensive_days = result.offensive_days
        self.shock = self._after
        if w.tracing:
            w.note("battle", f"Khalkhin Gol offensive ends after {result.offensive_days:.0f} "
                   f"days: {self.outcome.replace('_', ' ')}; campaign casualties Japanese "
                   f"{result.japanese_casualties:,.0f}, Soviet-Mongol "
                   f"{result.soviet_casualties:,.0f}. Perceived Soviet power now "
                   f"{self._after:.2f} (was {before:.2f}"
                   + (f"; the encirclement overturns Khasan's lesson, so the update starts "
                      f"from {start:.2f})" if start != before else ")"),
                   japanese=result.japanese_casualties, soviet=result.soviet_casualties,
                   belief=self._after)
        t_cease = max(day_of(p["khalkhin_gol.ceasefire_date"]), self.env.now)
        self.ceasefire = date_of(t_cease)
        if t_cease <= w.t_end:
            yield w.sleep_until(t_cease)
            if w.tracing:
                w.note("diplomacy", "Khalkhin Gol ceasefire agreed in Moscow")

    def outcomes(self) -> dict[str, Any]:
        return {
            "kg_japanese_casualties": self.japanese_casualties,
            "kg_soviet_casualties": self.soviet_casualties,
            "kg_outcome": self.outcome,
            "kg_offensive_days": self.offensive_days,
            "kg_ceasefire_date": self.ceasefire,
            "nomonhan_shock": self.shock if self.shock is not None else self.soviet_power,
        }

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        if not p["khalkhin_gol.enabled"]:
            return []
        return [(p["khalkhin_gol.offensive_date"], "Khalkhin Gol offensive"),
                (p["khalkhin_gol.ceasefire_date"], "Khalkhin Gol ceasefire")]
