"""Where the men are: Japan's theatres (China, Manchuria, the south, home) and the Soviet
Far East facing them.

Japan (docs/model.md §Men): conscription feeds a home pool; every theatre's casualties are
replaced from it at once, so theatre strengths move only by deliberate transfers
(Kantokuen, the Southern Army) and the identity *initial + recruits = men in theatres +
casualties* holds exactly.  China pins a garrison floor (CHN-01) and drains men every month
(CHN-04) in proportion to ``china.drain_multiplier``.

The Soviet Far East (§Soviet Far East): a build-up to SFE-01 by June 1941, then transfers west
at a rate that follows German pressure, is held back by a mobilised Kwantung Army and by the
absence of the Neutrality Pact, and rises once intelligence (Sorge, SFE-12) says Japan will
not strike; mobilisation back-fills (SFE-10).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sim.model.logistics import trans_siberian_men_per_day
from sim.model.state import (CHINA, CHINA_CASUALTIES, FE_SENT_WEST, HOME, JP_CASUALTIES,
                             MANCHURIA, RECRUITS, SOVIET_FE, day_of)

if TYPE_CHECKING:
    from sim.model.core import World

DAYS_PER_MONTH = 30.4375
#: Divisions Japan keeps in Manchuria and Korea in peace (KT-11: 13 + 2) and for a
#: northern war (KT-04: 22).
MANCHURIA_DIVISIONS_PEACE = 15.0
MANCHURIA_DIVISIONS_WAR = 22.0
#: Date of the Far East strength of SFE-01: the pre-war build-up reaches it on this day.
SFE01_DATE = dt.date(1941, 6, 22)
#: End of the Soviet Far East's wartime back-fill mobilisation (SFE-11 shows a stable force).
FE_MOBILISATION_END = dt.date(1942, 12, 31)
#: Start of the German 1942 summer offensive: pressure returns after the winter lull.
CASE_BLUE = dt.date(1942, 6, 28)
LATE_WAR = dt.date(1943, 1, 1)


def china_floor_divisions(p: Mapping[str, Any]) -> float:
    """Divisions China pins: CHN-01's 22 at drain 1, the occupation floor if the war is settled."""
    drain = p["china.drain_multiplier"]
    settled = p["china.settled_divisions"]
    full = p["china.garrison_divisions"]
    share = drain if drain < 1.0 else 1.0
    return settled + (full - settled) * share


def china_men(p: Mapping[str, Any]) -> float:
    """Men in China proper: the garrison scaled to the divisions China pins."""
    return p["china.garrison_men"] * china_floor_divisions(p) / p["china.garrison_divisions"]


def divisions_free_for_south(p: Mapping[str, Any], north_war: bool) -> float:
    """Divisions left for the south once China, Manchuria and the home islands are held."""
    manchuria = MANCHURIA_DIVISIONS_WAR if north_war else MANCHURIA_DIVISIONS_PEACE
    free = (p["japan.divisions_1941"] - china_floor_divisions(p) - manchuria
            - p["japan.home_divisions"])
    return free if free > 2.0 else 2.0


def initial_men(w: World) -> None:
    """Japanese and Soviet strengths on 1 January 1939."""
    p = w.p
    v = w.ledger.values
    in_china = china_men(p)
    v[CHINA] = in_china
    v[MANCHURIA] = p["japan.men_manchuria_1939"]
    # men a settled China war frees return home
    v[HOME] = p["japan.men_home_1939"] + (p["china.garrison_men"] - in_china)
    v[SOVIET_FE] = p["soviet_fe.men_1939"]
    w.initial_japanese = v[CHINA] + v[MANCHURIA] + v[HOME]


def refresh_men(w: World) -> None:
    """Set the Japanese manpower rates from the current state."""
    p = w.p
    r = w.ledger.rates
    at_war = w.north_war or w.south_war
    conscripts = (p["japan.war_conscripts_per_month"] if at_war
                  else p["japan.conscripts_per_month"]) / DAYS_PER_MONTH
    china = ((p["china.dead_per_month"] + p["china.wounded_per_month"])
             * p["china.drain_multiplier"] / DAYS_PER_MONTH)
    north = p["north.static_casualties_per_month"] / DAYS_PER_MONTH if w.north_static else 0.0
    south = p["south.casualties_per_month"] / DAYS_PER_MONTH if w.south_static else 0.0
    mob = w.mobilisation_rate
    r[RECRUITS] = conscripts + mob
    r[MANCHURIA] = mob
    r[HOME] = conscripts - china - north - south
    r[JP_CASUALTIES] = china + north + south
    r[CHINA_CASUALTIES] = china


def casualties(w: World, men: float) -> None:
    """Men lost in a theatre, replaced at once from the home pool (the theatre keeps its
    strength: the replacements arrive with the losses)."""
    v = w.ledger.values
    v[JP_CASUALTIES] += men
    v[HOME] -= men


# --- Soviet Far East ------------------------------------------------------------------------------

def german_pressure(w: World, t: float) -> float:
    """German pressure on the USSR at ``t`` (1 = summer 1941), times ``barbarossa.pressure``."""
    p = w.p
    if not w.barbarossa_started:
        return 0.0
    if w.moscow_fallen:
        level = p["barbarossa.moscow_falls_pressure"]
        if t >= w.t_late_war:
            level *= p["soviet_fe.late_war_pressure"]
    elif t < w.t_typhoon:
        level = 1.0
    elif t < w.t_counteroffensive:
        level = 1.2
    elif t < w.t_case_blue:
        level = 0.6
    elif t < w.t_late_war:
        level = 1.0
    else:
        level = p["soviet_fe.late_war_pressure"]
    return level * p["barbarossa.pressure"]


def refresh_far_east(w: World) -> None:
    """Set the Soviet Far East rates: build-up, back-fill, transfers west."""
    p = w.p
    r = w.ledger.rates
    t = w.ledger.t
    if not w.barbarossa_started:
        if t < w.t_fe_june:
            r[SOVIET_FE] = (p["soviet_fe.men_1941_06"] - w.ledger.values[SOVIET_FE]) / (
                w.t_fe_june - t)
        else:
            r[SOVIET_FE] = 0.0
        r[FE_SENT_WEST] = 0.0
        w.transfer_rate = 0.0
        return
    backfill = (p["soviet_fe.mobilisation_men_per_month"] / DAYS_PER_MONTH
                if t < w.t_fe_mobilisation_end else 0.0)
    if w.north_war:
        # no transfers west; while Japan is on the offensive the railway brings men east
        east = (trans_siberian_men_per_day(p["north.rail_men_per_day"], german_pressure(w, t))
                if w.north_offensive else 0.0)
        r[SOVIET_FE] = backfill + east
        r[FE_SENT_WEST] = 0.0
        w.transfer_rate = 0.0
        return
    divisions = p["soviet_fe.transfer_divisions_per_month"] * german_pressure(w, t) * w.phase_luck
    if not w.pact_in_force:
        divisions *= p["neutrality_pact.transfer_factor_without"]
    if w.mobilised and not w.sorge_released:
        divisions *= 1.0 - p["kantokuen.deterrence"]
    if w.sorge_released and t < w.t_release_end:
        divisions += p["soviet_fe.sorge_release_divisions_per_month"]
    men = divisions * p["soviet_fe.men_per_division"] / DAYS_PER_MONTH
    if men > backfill and w.ledger.values[SOVIET_FE] <= far_east_floor(w) * (1.0 + 1e-9):
        men = backfill  # at the floor Moscow sends west only what mobilisation replaces
    w.transfer_rate = men
    r[FE_SENT_WEST] = men
    r[SOVIET_FE] = backfill - men


def far_east_floor(w: World) -> float:
    """The least the Far East is ever left with (share of its strength when war began)."""
    return w.p["soviet_fe.minimum_share"] * w.fe_at_war


def far_east_floor_time(w: World) -> float:
    """When the Far East reaches its floor at the current rates (infinity if it never does)."""
    L = w.ledger
    rate = L.rates[SOVIET_FE]
    gap = L.values[SOVIET_FE] - far_east_floor(w)
    if rate >= 0.0 or gap <= 0.0:
        return float("inf")
    return L.t + gap / -rate


def far_east_phases(w: World) -> list[float]:
    """Times at which Soviet transfer conditions change by the calendar."""
    return sorted({w.t_typhoon, w.t_counteroffensive, w.t_case_blue, w.t_late_war,
                   w.t_release_end, w.t_fe_mobilisation_end})


def fe_phase_start_days(p: Mapping[str, Any]) -> dict[str, float]:
    """Calendar of the Soviet Far East model (simulation days)."""
    return {
        "typhoon": day_of(p["barbarossa.typhoon_date"]),
        "counteroffensive": day_of(p["barbarossa.counteroffensive_date"]),
        "case_blue": day_of(CASE_BLUE),
        "late_war": day_of(LATE_WAR),
        "fe_mobilisation_end": day_of(FE_MOBILISATION_END),
    }
