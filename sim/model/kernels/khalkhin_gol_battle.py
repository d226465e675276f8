"""Khalkhin Gol (Nomonhan), May-September 1939, fought with the combat kernel.

Two phases (docs/model.md §Khalkhin Gol):

1. *May-July skirmishing* (from KG-01's first clash to the offensive): Japanese attacks into a
   Soviet-Mongol force at ``soviet_summer_share`` of its August size, for the whole period at
   the campaign intensity of the kernel's calibration;
2. *the 20-31 August Soviet offensive* (KG-25): the Soviet force the truck columns can sustain
   attacks the Japanese, who break when reduced to ``japanese_break_fraction`` of their
   strength (encirclement); if they have not broken after ``offensive_max_days`` the
   offensive has stalled: a Japanese success.

Logistics set what each side can field: the sustainable force is the daily truck lift over
the haul divided by the supply a mechanised soldier needs (KG-08, KG-13, KG-26, KG-28).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.model.kernels import combat
from sim.model.kernels.fortune import lognormal_factor
from sim.model.kernels.logistics import sustainable_men, truck_lift_t_per_day

#: Log-sd of the fortunes of each phase (the two ``combat`` stream slots).
SUMMER_SIGMA = 0.15
AUGUST_SIGMA = 0.1


@dataclass(frozen=True)
class KhalkhinGolResult:
    """Casualties and course of the campaign."""

    japanese_casualties: float
    soviet_casualties: float
    summer_japanese: float
    summer_soviet: float
    offensive_days: float
    soviet_won: bool
    soviet_fielded: float
    japanese_fielded: float
    soviet_supply_share: float


def fielded_forces(p: Mapping[str, Any]) -> tuple[float, float, float]:
    """(Soviet men fielded, Japanese men fielded, Soviet supply share) given the truck columns."""
    lift_su = truck_lift_t_per_day(p["khalkhin_gol.soviet_trucks"], p["khalkhin_gol.truck_haul_km"],
                                   p["khalkhin_gol.truck_payload_t"],
                                   p["khalkhin_gol.truck_km_per_day"],
                                   p["khalkhin_gol.truck_availability"])
    lift_jp = truck_lift_t_per_day(p["khalkhin_gol.japanese_trucks"],
                                   p["khalkhin_gol.japanese_haul_km"],
                                   p["khalkhin_gol.truck_payload_t"],
                                   p["khalkhin_gol.truck_km_per_day"],
                                   p["khalkhin_gol.truck_availability"])
    kg = p["khalkhin_gol.supply_kg_per_man_day"]
    soviet = float(p["khalkhin_gol.soviet_men"])
    japanese = float(p["khalkhin_gol.japanese_men"])
    soviet_cap = sustainable_men(lift_su, kg)
    japanese_cap = sustainable_men(lift_jp, kg)
    share = soviet_cap / soviet if soviet_cap < soviet else 1.0
    return (soviet if soviet < soviet_cap else soviet_cap,
            japanese if japanese < japanese_cap else japanese_cap, share)


def fight_campaign(p: Mapping[str, Any], u_summer: float, u_august: float) -> KhalkhinGolResult:
    """Fight both phases; ``u_summer`` and ``u_august`` are the ``combat`` stream slots."""
    soviet, japanese, share = fielded_forces(p)
    exponent = p["combat.exponent"]
    att_loss = p["combat.attacker_daily_loss"]  # what a defender inflicts on an attacker
    def_loss = p["combat.defender_daily_loss"]  # what an attacker inflicts on a defender
    jp_eff = p["combat.japanese_effectiveness"]

    # phase 1: Japanese attacks, May-July
    days = float((p["khalkhin_gol.offensive_date"] - p["khalkhin_gol.start_date"]).days)
    if days < 1.0:
        days = 1.0
    luck = lognormal_factor(u_summer, SUMMER_SIGMA)
    intensity = p["combat.khalkhin_gol_intensity"] * luck
    soviet_summer = soviet * p["khalkhin_gol.soviet_summer_share"]
    jp_lost_1, su_lost_1, _ = combat.fight(
        japanese, soviet_summer, days,
        red_rate=def_loss * jp_eff * intensity,
        blue_rate=att_loss * p["khalkhin_gol.soviet_effectiveness_summer"] * intensity,
        exponent=exponent,
    )

    # phase 2: the Soviet offensive; Japanese summer losses were replaced (7th Division)
    forced = p["khalkhin_gol.outcome"]
    su_eff = p["combat.soviet_effectiveness_aug_1939"] * lognormal_factor(u_august, AUGUST_SIGMA)
    if forced == "japanese_success":
        su_eff *= p["khalkhin_gol.forced_success_soviet_factor"]
    max_days = p["khalkhin_gol.offensive_max_days"]
    su_lost_2, jp_lost_2, duration = combat.fight(
        soviet, japanese, max_days,
        red_rate=def_loss * su_eff,
        blue_rate=att_loss * jp_eff,
        exponent=exponent,
        blue_break=p["khalkhin_gol.japanese_break_fraction"],
    )
    broke = duration < max_days
    if forced == "soviet_victory":
        broke = True
    elif forced == "japanese_success":
        broke = False
    return KhalkhinGolResult(
        japanese_casualties=jp_lost_1 + jp_lost_2,
        soviet_casualties=su_lost_1 + su_lost_2,
        summer_japanese=jp_lost_1,
        summer_soviet=su_lost_1,
        offensive_days=duration,
        soviet_won=broke,
        soviet_fielded=soviet,
        japanese_fielded=japanese,
        soviet_supply_share=share,
    )
