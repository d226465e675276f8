"""The northern campaign: the Kwantung field force against the Soviet Far East, sector by
sector (docs/model.md §North).

Primorye and Vladivostok, the Amur line, Transbaikal, as the 1940 plan and Kantokuen ordered
them.  An attack that is launched is fighting across the border (objective ``border``); each
further objective needs its sector's defence broken.  Each sector is a battle of the combat
kernel against the sector's share of the Far East force, reinforced between battles over the
Trans-Siberian; a sector falls when its defence breaks, and the advance stops when the Japanese
attack breaks or the campaigning season ends (mid-October, KT-08); a season that takes
something is followed by another the next spring.  A shipping shortfall (both wars at once)
weakens the Japanese attack.  Between seasons and afterwards the front is static and drains men.
Northern Sakhalin's oil fields fall a month into the war.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from sim.model.accounts import HOME, JP_CASUALTIES, MANCHURIA, SOVIET_FE, date_of, day_of, in_year
from sim.model.actor import Actor
from sim.model.kernels import combat, logistics
from sim.model.kernels.fortune import lognormal_factor

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


class North(Actor):
    """The war with the USSR, from the launch (signal ``north_war``) to the horizon."""

    name = "north"
    READS = ("north.window_end", "north.spring_start", "north.intensity",
             "north.soviet_effectiveness", "north.field_share", "north.soviet_break_fraction",
             "north.japanese_break_fraction", "combat.attacker_daily_loss",
             "combat.defender_daily_loss", "combat.exponent", "combat.japanese_effectiveness",
             "shipping.merchant_fleet_mgrt", "shipping.civil_minimum_mgrt",
             "kantokuen.shipping_mgrt", "south.shipping_mgrt", "shipping.elasticity",
             "oil.sakhalin_mbbl_per_year")
    OUTCOMES = ("north_attack_date", "north_objective", "north_japanese_casualties",
                "north_soviet_casualties")

    def setup(self) -> None:
        self.t_launch: float | None = None
        self.offensive = False  # a campaigning season is under way
        self.static = False  # the front is static and drains men
        self.sakhalin_oil = 0.0  # M bbl/yr from northern Sakhalin once taken
        self.objective = "none"
        self.japanese_casualties: float | None = None
        self.soviet_casualties: float | None = None

    def start(self) -> None:
        self.w.when(self.w.signals.north_war, self.war)

    def season_end(self, t: float) -> float:
        """End of the campaigning season for an attack launched at ``t``."""
        end = day_of(in_year(self.p["north.window_end"], date_of(t).year))
        if end < t + WINTER_SEASON_DAYS:
            end = t + WINTER_SEASON_DAYS
        return end

    def war(self, _: Any = None) -> Generator[Any, Any, None]:
        """A northern offensive from the launch, season after season.

        Each campaigning season resumes at the next sector with the Kwantung Army replenished;
        the offensive ends for good when a season takes nothing, every sector has fallen, or the
        horizon comes.  During each season the Trans-Siberian brings Soviet reinforcements east.
        """
        w = self.w
        p = self.p
        env = self.env
        L = w.ledger
        self.t_launch = env.now
        intensity = p["north.intensity"] * lognormal_factor(w.u_combat[2], 0.15)
        soviet_eff = p["north.soviet_effectiveness"]
        att_loss = p["combat.attacker_daily_loss"]
        def_loss = p["combat.defender_daily_loss"]
        exponent = p["combat.exponent"]
        objective = "border"
        self.objective = objective
        env.process(self._take_sakhalin(env.now + SAKHALIN_DAYS))
        jp_total = 0.0
        su_total = 0.0
        sector = 0
        season = 1
        while True:
            end = self.season_end(env.now)
            share = logistics.shipping_share(
                p["shipping.merchant_fleet_mgrt"], p["shipping.civil_minimum_mgrt"],
                p["kantokuen.shipping_mgrt"],
                p["south.shipping_mgrt"] if w.signals.south_war.happened else 0.0)
            jp_eff = p["combat.japanese_effectiveness"] * logistics.shipping_effect(
                share, p["shipping.elasticity"])
            japanese = p["north.field_share"] * L.values[MANCHURIA]
            self.offensive = True
            self.static = False
            w.changed("north_front")
            if w.tracing:
                w.note("campaign", f"Northern offensive, season {season}: {japanese:,.0f} "
                       f"Japanese against {L.values[SOVIET_FE]:,.0f} Soviet Far East troops "
                       f"(shipping supplied {share:.0%})", japanese=japanese,
                       soviet=L.values[SOVIET_FE], shipping_share=share, season=season)
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
                yield w.wait_for(duration)
                L.values[SOVIET_FE] -= su_lost
                L.values[MANCHURIA] -= jp_lost
                L.values[JP_CASUALTIES] += jp_lost
                japanese -= jp_lost
                season_losses += jp_lost
                jp_total += jp_lost
                su_total += su_lost
                won = (defenders - su_lost
                       <= p["north.soviet_break_fraction"] * defenders * (1 + 1e-9))
                if not won:
                    if w.tracing:
                        w.note("battle", f"The {name} battle stalls after {duration:.0f} days "
                               f"(Japanese {jp_lost:,.0f}, Soviet {su_lost:,.0f} casualties)",
                               sector=name, japanese_losses=jp_lost, soviet_losses=su_lost)
                    break
                sector += 1
                gained = True
                objective = name
                self.objective = objective
                if w.tracing:
                    w.note("battle", f"{name.capitalize()} taken in {duration:.0f} days "
                           f"(Japanese {jp_lost:,.0f}, Soviet {su_lost:,.0f} casualties)",
                           sector=name, japanese_losses=jp_lost, soviet_losses=su_lost)
                if env.now + NORTH_PAUSE_DAYS >= end:
                    break
                yield w.wait_for(NORTH_PAUSE_DAYS)
            # the season's losses are replaced over the winter from the home pool
            L.move(HOME, MANCHURIA, season_losses)
            self.japanese_casualties = jp_total
            self.soviet_casualties = su_total
            self.static = True
            next_season = day_of(in_year(p["north.spring_start"], date_of(env.now).year + 1))
            go_on = gained and sector < len(NORTH_SECTORS) and next_season <= w.t_end
            self.offensive = False  # over the winter only mobilisation reinforces the east
            w.changed("north_front")
            if w.tracing:
                w.note("campaign", f"Northern season {season} over: furthest objective "
                       f"{objective}; Japanese {jp_total:,.0f}, Soviet {su_total:,.0f} "
                       f"casualties so far" + ("" if go_on else "; the front settles"),
                       objective=objective)
            if not go_on:
                break
            yield w.wait_until(next_season)
            season += 1
        self.objective = objective
        self.japanese_casualties = jp_total
        self.soviet_casualties = su_total

    def _take_sakhalin(self, t: float) -> Generator[Any, Any, None]:
        w = self.w
        if t > w.t_end:
            return
        yield w.wait_for(t - self.env.now)
        self.sakhalin_oil = self.p["oil.sakhalin_mbbl_per_year"]
        w.changed("sakhalin")
        if w.tracing:
            w.note("economy", "Northern Sakhalin's oil fields taken",
                   mbbl_per_year=self.sakhalin_oil)

    def outcomes(self) -> dict[str, Any]:
        return {
            "north_attack_date": date_of(self.t_launch) if self.t_launch is not None else None,
            "north_objective": self.objective,
            "north_japanese_casualties": self.japanese_casualties,
            "north_soviet_casualties": self.soviet_casualties,
        }
