"""The northern campaign (Siberia) and the southern operation (Malaya, the Philippines, the
Dutch East Indies).  docs/model.md §North and §South give the equations.

North: the Kwantung field force attacks the Soviet Far East sector by sector (Primorye and
Vladivostok, the Amur line, Transbaikal, as the 1940 plan and Kantokuen ordered them).  An
attack that is launched is fighting across the border (objective ``border``); each further
objective needs its sector's defence broken.  Each sector is a battle of the combat kernel
against the sector's share of the Far East force, reinforced between battles over the
Trans-Siberian; a sector falls when its defence breaks, and the advance stops when the
Japanese attack breaks or the campaigning season ends (mid-October, KT-08); a season that takes something is followed by
another the next spring.  A shipping shortfall (both wars at once) weakens the Japanese
attack.  Between seasons and afterwards the front is static and drains men.

South: the pace of the conquest scales the historical timetable (Singapore day 70, SOP-02;
the Dutch capitulation day 91, SOP-08; Corregidor day 150, SOP-06) by Western air strength
(SOP-05), the divisions Japan can spare (SOP-01, CHN-01, KT-04) and the shipping it has, times
a lognormal fortune from the ``combat`` stream.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from sim.model import combat, economy, logistics, theaters
from sim.model.khalkhin_gol import lognormal_factor
from sim.model.state import (HOME, JP_CASUALTIES, MANCHURIA, SOUTH, SOVIET_FE, date_of, day_of,
                             in_year)

if TYPE_CHECKING:
    from sim.model.core import World

#: Sectors of a northern offensive in the order of the Japanese plans: name, share of the
#: Soviet Far East force defending it, longest battle (days).  The shares follow the
#: Far Eastern Front / Transbaikal split of SFE-01 (modelling judgement, docs/model.md §North).
NORTH_SECTORS: tuple[tuple[str, float, float], ...] = (
    ("primorye", 0.35, 30.0),
    ("amur", 0.25, 30.0),
    ("transbaikal", 0.40, 45.0),
)
#: Days between two sector battles (regrouping, bringing the railheads forward).
NORTH_PAUSE_DAYS = 7.0
#: Days after the launch at which northern Sakhalin's oil fields are taken.
SAKHALIN_DAYS = 30.0
#: Shortest season a forced winter attack is given before the front freezes.
WINTER_SEASON_DAYS = 30.0
#: Even with no ships to spare above the civil minimum the services requisition some: the
#: southern campaign then runs at this fraction of its supplied pace.
MIN_SHIPPING_EFFECT = 0.1
#: Fastest conceivable conquest relative to the historical timetable (an undefended south
#: still has to be marched through: Singapore in about three weeks).
FASTEST_PACE = 0.3
#: Share of the first-phase southern casualties taken in Malaya, the DEI and the Philippines
#: (SOP-04: 9,657 in Malaya; SOP-07: ~11,000 in the Philippines).
SOUTH_CASUALTY_SPLIT = (0.4, 0.15, 0.45)


def season_end(w: World, t: float) -> float:
    """End of the campaigning season for an attack launched at ``t``."""
    d = date_of(t)
    end = day_of(in_year(w.p["north.window_end"], d.year))
    if end < t + WINTER_SEASON_DAYS:
        end = t + WINTER_SEASON_DAYS
    return end


def north_campaign(w: World) -> Generator[Any, Any, None]:
    """A northern offensive from the current time, season after season.

    Each campaigning season resumes at the next sector with the Kwantung Army replenished; the
    offensive ends for good when a season takes nothing, every sector has fallen, or the
    horizon comes.  During each season the Trans-Siberian brings Soviet reinforcements east
    (:func:`sim.model.theaters.refresh_far_east`).
    """
    p = w.p
    env = w.env
    L = w.ledger
    intensity = p["north.intensity"] * lognormal_factor(w.u_combat[2], 0.15)
    soviet_eff = p["north.soviet_effectiveness"]
    att_loss = p["combat.attacker_daily_loss"]
    def_loss = p["combat.defender_daily_loss"]
    exponent = p["combat.exponent"]
    objective = "border"
    w.out["north_objective"] = objective
    if w.t_sakhalin is None:
        w.t_sakhalin = env.now + SAKHALIN_DAYS
        env.process(_take_sakhalin(w))
    jp_total = 0.0
    su_total = 0.0
    sector = 0
    season = 1
    while True:
        end = season_end(w, env.now)
        share = logistics.shipping_share(p["shipping.merchant_fleet_mgrt"],
                                         p["shipping.civil_minimum_mgrt"],
                                         p["kantokuen.shipping_mgrt"],
                                         p["south.shipping_mgrt"] if w.south_war else 0.0)
        jp_eff = p["combat.japanese_effectiveness"] * logistics.shipping_effect(
            share, p["shipping.elasticity"])
        japanese = p["north.field_share"] * L.values[MANCHURIA]
        w.north_offensive = True
        w.north_static = False
        w.refresh_men()
        w.refresh_far_east()
        if w.tracing:
            w.note("campaign", f"Northern offensive, season {season}: {japanese:,.0f} Japanese "
                   f"against {L.values[SOVIET_FE]:,.0f} Soviet Far East troops (shipping "
                   f"supplied {share:.0%})", japanese=japanese, soviet=L.values[SOVIET_FE],
                   shipping_share=share, season=season)
        season_losses = 0.0
        gained = False
        while sector < len(NORTH_SECTORS):
            name, sector_share, max_days = NORTH_SECTORS[sector]
            days = min(max_days, end - env.now)
            if days < 5.0 or japanese <= 0.0:
                break
            defenders = sector_share * L.values[SOVIET_FE]
            su_lost, jp_lost, duration = combat.fight(
                defenders, japanese, days,
                red_rate=att_loss * soviet_eff * intensity,
                blue_rate=def_loss * jp_eff * intensity,
                exponent=exponent,
                red_break=p["north.soviet_break_fraction"],
                blue_break=p["north.japanese_break_fraction"],
            )
            yield env.timeout(duration)
            L.advance(env.now)
            L.values[SOVIET_FE] -= su_lost
            L.values[MANCHURIA] -= jp_lost
            L.values[JP_CASUALTIES] += jp_lost
            japanese -= jp_lost
            season_losses += jp_lost
            jp_total += jp_lost
            su_total += su_lost
            won = defenders - su_lost <= p["north.soviet_break_fraction"] * defenders * (1 + 1e-9)
            if not won:
                if w.tracing:
                    w.note("battle", f"The {name} battle stalls after {duration:.0f} days "
                           f"(Japanese {jp_lost:,.0f}, Soviet {su_lost:,.0f} casualties)",
                           sector=name, japanese_losses=jp_lost, soviet_losses=su_lost)
                break
            sector += 1
            gained = True
            objective = name
            w.out["north_objective"] = objective
            if w.tracing:
                w.note("battle", f"{name.capitalize()} taken in {duration:.0f} days "
                       f"(Japanese {jp_lost:,.0f}, Soviet {su_lost:,.0f} casualties)",
                       sector=name, japanese_losses=jp_lost, soviet_losses=su_lost)
            if env.now + NORTH_PAUSE_DAYS >= end:
                break
            yield env.timeout(NORTH_PAUSE_DAYS)
            L.advance(env.now)
        # the season's losses are replaced over the winter from the home pool
        L.move(HOME, MANCHURIA, season_losses)
        w.out["north_japanese_casualties"] = jp_total
        w.out["north_soviet_casualties"] = su_total
        w.north_static = True
        next_season = day_of(in_year(p["north.spring_start"], date_of(env.now).year + 1))
        go_on = gained and sector < len(NORTH_SECTORS) and next_season <= w.t_end
        w.north_offensive = False  # over the winter only mobilisation reinforces the east
        w.refresh_men()
        w.refresh_far_east()
        if w.tracing:
            w.note("campaign", f"Northern season {season} over: furthest objective {objective}; "
                   f"Japanese {jp_total:,.0f}, Soviet {su_total:,.0f} casualties so far"
                   + ("" if go_on else "; the front settles"), objective=objective)
        if not go_on:
            break
        yield w.sleep_until(next_season)
        L.advance(env.now)
        season += 1
    w.out["north_objective"] = objective
    w.out["north_japanese_casualties"] = jp_total
    w.out["north_soviet_casualties"] = su_total


def _take_sakhalin(w: World) -> Generator[Any, Any, None]:
    assert w.t_sakhalin is not None
    if w.t_sakhalin > w.t_end:
        return
    yield w.env.timeout(w.t_sakhalin - w.env.now)
    w.ledger.advance(w.env.now)
    w.sakhalin_oil = w.p["oil.sakhalin_mbbl_per_year"]
    w.refresh_oil()
    if w.tracing:
        w.note("economy", "Northern Sakhalin's oil fields taken", mbbl_per_year=w.sakhalin_oil)


def south_pace(w: World) -> tuple[float, float, float]:
    """(pace multiplier on the historical timetable, shipping share, divisions available)."""
    p = w.p
    share = logistics.shipping_share(p["shipping.merchant_fleet_mgrt"],
                                     p["shipping.civil_minimum_mgrt"],
                                     p["kantokuen.shipping_mgrt"] if w.north_war else 0.0,
                                     p["south.shipping_mgrt"])
    supply = logistics.shipping_effect(share, p["shipping.elasticity"])
    divisions = theaters.divisions_free_for_south(p, w.north_war)
    divisions = min(divisions, 1.5 * p["south.divisions"])
    air = p["south.western_aircraft"] / 158.0  # SOP-05: the historical British air strength
    if supply < MIN_SHIPPING_EFFECT:
        supply = MIN_SHIPPING_EFFECT
    pace = (air ** 0.3) * (p["south.divisions"] / divisions) ** 0.7 / supply
    if pace < FASTEST_PACE:
        pace = FASTEST_PACE
    pace *= lognormal_factor(w.u_combat[3], p["south.pace_sigma"])
    return pace, share, divisions


def south_campaign(w: World) -> Generator[Any, Any, None]:
    """The southern operation from the current time: Malaya, the DEI, the Philippines."""
    p = w.p
    env = w.env
    L = w.ledger
    t0 = env.now
    pace, share, divisions = south_pace(w)
    w.shipping_effect = logistics.shipping_effect(share, p["shipping.elasticity"])
    # the Southern Army sails: from home first, then from Manchuria
    need = p["south.army_men"]
    from_home = min(need, max(0.0, L.values[HOME]))
    L.move(HOME, SOUTH, from_home)
    L.move(MANCHURIA, SOUTH, need - from_home)
    casualties = p["south.conquest_casualties"] * pace
    w.out["south_japanese_casualties"] = casualties
    if w.tracing:
        w.note("campaign", f"Southern offensive: {divisions:.0f} divisions, shipping supplied "
               f"{share:.0%}, pace x{pace:.2f} of the historical", pace=pace, divisions=divisions,
               shipping_share=share)
    stages = sorted([
        (t0 + p["south.singapore_days"] * pace, 0, "singapore"),
        (t0 + p["south.dei_days"] * pace, 1, "dei"),
        (t0 + p["south.philippines_days"] * pace, 2, "philippines"),
    ])
    for t, index, name in stages:
        if t > w.t_end:
            break
        yield env.timeout(t - env.now)
        L.advance(env.now)
        lost = casualties * SOUTH_CASUALTY_SPLIT[index]
        theaters.casualties(w, lost)
        if name == "singapore":
            days = t - t0
            w.out["singapore_fall_days"] = days
            if w.tracing:
                w.note("battle", f"Singapore falls on day {days:.0f} of the southern offensive",
                       days=days)
        elif name == "dei":
            w.out["dei_captured_date"] = date_of(t)
            w.t_dei_captured = t
            economy.review_southern_oil(w, 0.0)
            w.refresh_oil()
            if w.tracing:
                w.note("battle", "The Dutch East Indies capitulate: their oil fields are Japan's",
                       damage=p["oil.dei_damage"])
        else:
            w.out["philippines_fall_date"] = date_of(t)
            if w.tracing:
                w.note("battle", "Corregidor falls: the Philippines are taken")
    w.south_static = True
    w.refresh_men()

