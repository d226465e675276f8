"""The northern campaign: the Kwantung field force against the Soviet Far East, sector by
sector (docs/model.md §8).

Primorye and Vladivostok, the Amur line, Transbaikal, as the 1940 plan and Kantokuen ordered
them.  An attack that is launched is fighting across the border (objective ``border``); each
further objective needs its sector's defence broken.  Each sector is a battle of the combat
kernel against the sector's share of the Far East force, with the Soviet effectiveness and the
battle intensity the kernel's calibration gives (docs/combat.md: Khasan, Khalkhin Gol, the
1941 Far East's armour and air) and the Far East's supply over the Trans-Siberian, whose
capacity the war in the west competes for.  A sector falls when its defence breaks; the
advance stops when the Japanese attack breaks, the campaigning season ends (mid-October,
KT-08) or the oil runs dry.  A season that takes something is followed by another the next
spring, unless the Soviets, once the balance has turned, counter-attack first and take ground
back.  Northern Sakhalin is an amphibious operation that needs men and shipping and can fail.
The Soviet offensive of August 1945 (:mod:`sim.model.actors.manchuria_1945`) takes the front
over: :meth:`North.hand_over` ends the northern seasons and says how much ground Japan holds.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from sim.model.accounts import HOME, JP_CASUALTIES, MANCHURIA, SOVIET_FE, date_of, day_of, in_year
from sim.model.actor import Actor
from sim.model.kernels import combat, logistics
from sim.model.kernels.theatre_1941 import intensity_at
from sim.model.kernels.fortune import lognormal_factor
from sim.registry.combat import (INTENSITY_AT_12_DAYS, INTENSITY_DECAY, SOVIET_EFFECTIVENESS_1939,
                                 SOVIET_EFFECTIVENESS_1941)

#: Sectors of a northern offensive in the order of the Japanese plans: name, share of the
#: Soviet Far East force defending it, longest battle (days).  The shares follow the
#: Far Eastern Front / Transbaikal split of SFE-01 (modelling judgement, docs/model.md §8).
NORTH_SECTORS: tuple[tuple[str, float, float], ...] = (
    ("primorye", 0.35, 30.0),
    ("amur", 0.25, 30.0),
    ("transbaikal", 0.40, 45.0),
)
#: What the objective falls back to when a Soviet counteroffensive retakes it.
FALLBACK = {"transbaikal": "amur", "amur": "primorye", "primorye": "border"}
#: Days between two sector battles (regrouping, bringing the railheads forward).
NORTH_PAUSE_DAYS = 7.0
#: Days after the launch at which the landing on northern Sakhalin goes in.
SAKHALIN_DAYS = 30.0
#: Longest the Sakhalin battle may last, and the days of its three landing waves.
SAKHALIN_MAX_DAYS = 30.0
SAKHALIN_WAVES = (0.0, 2.0, 4.0)
#: Soviet Far East divisions (SFE-05): Sakhalin's garrison is one division's share of the force.
FE_DIVISIONS = 30.0
#: Log-sd of the landing's fortune (weather, surprise, the beaches; ``combat`` slot 6) and of
#: the counteroffensive's (``combat`` slot 7): judgement, docs/model.md §8.
SAKHALIN_SIGMA = 0.3
COUNTER_SIGMA = 0.2
#: Longest a Soviet counteroffensive runs (a sector battle's length).
COUNTER_DAYS = 30.0
#: Shortest season a forced winter attack is given before the front freezes.
WINTER_SEASON_DAYS = 30.0
#: ``combat`` slots of the northern campaign.
FORTUNE_SLOT, SAKHALIN_SLOT, COUNTER_SLOT = 2, 6, 7


class North(Actor):
    """The war with the USSR, from the launch (signal ``north_war``) to the horizon."""

    name = "north"
    READS = ("north.window_end", "north.spring_start", "north.intensity",
             "north.soviet_effectiveness", "north.field_share", "north.soviet_break_fraction",
             "north.japanese_break_fraction", "north.sakhalin_landing_men",
             "north.counteroffensive_ratio", "north.fe_local_supply_share",
             "combat.attacker_daily_loss", "combat.defender_daily_loss", "combat.exponent",
             "combat.japanese_effectiveness", "khalkhin_gol.japanese_break_fraction",
             "kantokuen.shipping_mgrt", "south.shipping_mgrt", "shipping.elasticity",
             "oil.sakhalin_mbbl_per_year")
    OUTCOMES = ("north_attack_date", "north_objective", "north_japanese_casualties",
                "north_soviet_casualties", "sakhalin_taken_date", "north_counteroffensive_date")

    def setup(self) -> None:
        self.t_launch: float | None = None
        self.offensive = False  # a campaigning season is under way
        self.static = False  # the front is static and drains men
        self.sakhalin_oil = 0.0  # M bbl/yr from northern Sakhalin once taken
        self.t_sakhalin: float | None = None
        self.t_counteroffensive: float | None = None
        self.objective = "none"
        self.japanese_casualties: float | None = None
        self.soviet_casualties: float | None = None
        self._jp_total = 0.0
        self._su_total = 0.0
        self._fortune = 1.0  # the campaign's luck (``combat`` slot 2), drawn at the launch
        self.battle_end = float("-inf")  # when the battle under way (if any) ends

    def start(self) -> None:
        self.w.when(self.w.signals.north_war, self.war)

    # --- the inputs of a battle -----------------------------------------------------------
    def season_end(self, t: float) -> float:
        """End of the campaigning season for an attack launched at ``t``."""
        end = day_of(in_year(self.p["north.window_end"], date_of(t).year))
        if end < t + WINTER_SEASON_DAYS:
            end = t + WINTER_SEASON_DAYS
        return end

    def shipping_share(self) -> float:
        """Share of the northern war's lift (POL-Q3, SH-11) the Army's shipping can give now:
        the fleet as it stands, after the civil minimum and the Navy's share, and less with a
        southern war drawing on the same Army ships (SH-12)."""
        p = self.p
        need = p["kantokuen.shipping_mgrt"]
        if self.w.signals.south_war.happened:
            need += p["south.shipping_mgrt"]
        return self.cast.shipping.lift_factor(need * 1e6)

    def soviet_supply(self) -> float:
        """Operational effect of the Far East's supply (1 = fully supplied).

        The Far East met only part of its needs locally; the rest came over the Trans-Siberian,
        whose capacity the war in the west competes for (the law that also sets the men the
        line brings east): the harder Germany presses, the worse supplied the Far East fights.
        """
        p = self.p
        pressure = self.cast.eastern_front.pressure(self.env.now)
        rail = logistics.trans_siberian_share(pressure)
        local = p["north.fe_local_supply_share"]
        return logistics.shipping_effect(local + (1.0 - local) * rail, p["shipping.elasticity"])

    def intensity(self, days: float) -> float:
        """Intensity of a battle that may last ``days`` days (the calibrated law x luck)."""
        return (intensity_at(days, INTENSITY_AT_12_DAYS, INTENSITY_DECAY)
                * self.p["north.intensity"] * self._fortune)

    def _book(self, jp_lost: float, su_lost: float, pool: int = MANCHURIA) -> None:
        L = self.w.ledger
        L.values[SOVIET_FE] -= su_lost
        L.values[pool] -= jp_lost
        L.values[JP_CASUALTIES] += jp_lost
        self._jp_total += jp_lost
        self._su_total += su_lost
        self.japanese_casualties = self._jp_total
        self.soviet_casualties = self._su_total

    def _oil_dry(self) -> bool:
        return bool(getattr(self.cast.oil, "dry", False))

    # --- the war ----------------------------------------------------------------------------
    def war(self, _: Any = None) -> Generator[Any, Any, None]:
        """A northern offensive from the launch, season after season, and the Soviet answer.

        Each campaigning season resumes at the next sector with the Kwantung Army replenished;
        the offensive ends for good when a season takes nothing, every sector has fallen, the
        oil runs dry or the horizon comes.  At the start of each later season the Soviets
        counter-attack if the balance has turned, until they have restored the border.
        """
        w = self.w
        p = self.p
        env = self.env
        self.t_launch = env.now
        self._fortune = lognormal_factor(w.u_combat[FORTUNE_SLOT], 0.15)
        self._jp_total = self._su_total = 0.0
        self.japanese_casualties = self.soviet_casualties = 0.0
        self.objective = "border"
        env.process(self._take_sakhalin(env.now + SAKHALIN_DAYS))
        sector = 0
        season = 1
        attacking = True
        restored = False
        while True:
            if attacking:
                gained = yield from self._season(sector, season)
                if w.signals.soviet_invasion.happened:
                    return  # the August 1945 offensive has the front
                sector += gained
                attacking = gained > 0 and sector < len(NORTH_SECTORS) and not self._oil_dry()
                self.static = True
                self.offensive = False  # over the winter only mobilisation reinforces the east
                w.changed("north_front")
                if w.tracing:
                    w.note("campaign", f"Northern season {season} over: furthest objective "
                           f"{self.objective}; Japanese {self._jp_total:,.0f}, Soviet "
                           f"{self._su_total:,.0f} casualties so far"
                           + ("" if attacking else "; the front settles"),
                           objective=self.objective)
            next_season = day_of(in_year(p["north.spring_start"], date_of(env.now).year + 1))
            if next_season > w.t_end or restored:
                break
            yield w.wait_until(next_season)
            if w.signals.soviet_invasion.happened:
                return
            season += 1
            if self._balance() >= p["north.counteroffensive_ratio"]:
                held = self.objective
                if (yield from self._counteroffensive()):
                    attacking = False  # the balance has turned: no new Japanese season
                    if held == "border":
                        restored = True  # the border restored, the Soviets stand
                    else:
                        sector -= 1

    def _season(self, sector: int, season: int) -> Generator[Any, Any, int]:
        """One campaigning season from ``sector``; returns the number of sectors taken."""
        w = self.w
        p = self.p
        env = self.env
        L = w.ledger
        end = self.season_end(env.now)
        share = self.shipping_share()
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
        gained = 0
        while sector + gained < len(NORTH_SECTORS) and not w.signals.soviet_invasion.happened:
            name, sector_share, max_days = NORTH_SECTORS[sector + gained]
            days = min(max_days, end - env.now)
            if days < 5.0 or japanese <= 0.0:
                break
            defenders = sector_share * L.values[SOVIET_FE]
            intensity = self.intensity(max_days)
            su_eff = p["north.soviet_effectiveness"] * self.soviet_supply()
            su_lost, jp_lost, duration = combat.fight(
                defenders, japanese, days,
                red_rate=p["combat.attacker_daily_loss"] * su_eff * intensity,
                blue_rate=p["combat.defender_daily_loss"] * jp_eff * intensity,
                exponent=p["combat.exponent"],
                red_break=p["north.soviet_break_fraction"],
                blue_break=p["north.japanese_break_fraction"],
            )
            self.battle_end = env.now + duration
            yield w.wait_for(duration)
            self._book(jp_lost, su_lost)
            japanese -= jp_lost
            season_losses += jp_lost
            won = (defenders - su_lost
                   <= p["north.soviet_break_fraction"] * defenders * (1 + 1e-9))
            if w.tracing:
                w.note("battle", (f"{name.capitalize()} taken in {duration:.0f} days" if won else
                                  f"The {name} battle stalls after {duration:.0f} days")
                       + f" (Japanese {jp_lost:,.0f}, Soviet {su_lost:,.0f} casualties)",
                       sector=name, japanese_losses=jp_lost, soviet_losses=su_lost,
                       days=duration, japanese=japanese + jp_lost, soviet=defenders)
            if not won:
                break
            gained += 1
            self.objective = name
            if env.now + NORTH_PAUSE_DAYS >= end or self._oil_dry():
                break
            yield w.wait_for(NORTH_PAUSE_DAYS)
        # the season's losses are replaced over the winter from the home pool
        L.move(HOME, MANCHURIA, season_losses)
        return gained

    def _balance(self) -> float:
        """Soviet Far East combat power over the Japanese field force's."""
        p = self.p
        v = self.w.ledger.values
        japanese = p["north.field_share"] * v[MANCHURIA] * p["combat.japanese_effectiveness"]
        if japanese <= 0.0:
            return float("inf")
        return v[SOVIET_FE] * p["north.soviet_effectiveness"] * self.soviet_supply() / japanese

    def _counteroffensive(self) -> Generator[Any, Any, bool]:
        """A Soviet attack on the sector the Japanese took last; True if it breaks them.

        Both sides fight with that sector's share of their force (Primorye's at the border).
        The Soviets press on until the Japanese defence breaks (at the strength the encircled
        Japanese broke at in August 1939) or the battle's time runs out, as in 1938 and 1939
        (KH-01, KG-25): no breakpoint of their own.
        """
        w = self.w
        p = self.p
        L = w.ledger
        if self.t_counteroffensive is None:
            self.t_counteroffensive = self.env.now
        held = [name for name, _, _ in NORTH_SECTORS]
        share = NORTH_SECTORS[held.index(self.objective) if self.objective in held else 0][1]
        soviets = share * L.values[SOVIET_FE]
        japanese = share * p["north.field_share"] * L.values[MANCHURIA]
        luck = lognormal_factor(w.u_combat[COUNTER_SLOT], COUNTER_SIGMA)
        intensity = self.intensity(COUNTER_DAYS)
        su_eff = p["north.soviet_effectiveness"] * self.soviet_supply() * luck
        su_lost, jp_lost, duration = combat.fight(
            soviets, japanese, COUNTER_DAYS,
            red_rate=p["combat.defender_daily_loss"] * su_eff * intensity,
            blue_rate=p["combat.attacker_daily_loss"] * p["combat.japanese_effectiveness"]
            * intensity,
            exponent=p["combat.exponent"],
            blue_break=p["khalkhin_gol.japanese_break_fraction"],
        )
        self.offensive = False
        self.static = False
        w.changed("north_front")
        self.battle_end = self.env.now + duration
        yield w.wait_for(duration)
        self._book(jp_lost, su_lost)
        L.move(HOME, MANCHURIA, jp_lost)
        broke = (japanese - jp_lost
                 <= p["khalkhin_gol.japanese_break_fraction"] * japanese * (1 + 1e-9))
        before = self.objective
        if broke:
            self.objective = FALLBACK.get(before, before)
        self.static = True
        w.changed("north_front")
        if w.tracing:
            what = (f"retakes {before.capitalize()}" if broke and before != "border" else
                    "drives the Japanese back over the border" if broke else
                    "is held")
            w.note("battle", f"Soviet counteroffensive {what} after {duration:.0f} days "
                   f"(Japanese {jp_lost:,.0f}, Soviet {su_lost:,.0f} casualties)",
                   japanese_losses=jp_lost, soviet_losses=su_lost, objective=self.objective,
                   counteroffensive=True, days=duration, japanese=japanese, soviet=soviets)
        return broke

    def hand_over(self) -> int:
        """The 1945 offensive takes the front: no more seasons; the Soviet sectors Japan holds."""
        held = [name for name, _, _ in NORTH_SECTORS]
        if self.offensive or self.static:
            self.offensive = self.static = False
            self.w.changed("north_front")
        return held.index(self.objective) + 1 if self.objective in held else 0

    def lose_sector(self) -> None:
        """The 1945 offensive retakes the deepest sector Japan holds."""
        self.objective = FALLBACK.get(self.objective, self.objective)

    def _take_sakhalin(self, t: float) -> Generator[Any, Any, None]:
        """The landing on northern Sakhalin: a battle that starts with nobody ashore.

        The landing force (scaled by the shipping the fleet can spare) comes ashore in three
        waves against a one-division garrison (SFE-05: ~30 divisions in the Far East) fighting
        at the 1939 campaign's effectiveness (docs/combat.md: no massed armour or air on the
        island); it takes the island if the garrison breaks within the battle's time.
        """
        w = self.w
        p = self.p
        if t > w.t_end:
            return
        yield w.wait_for(t - self.env.now)
        if self._oil_dry():
            return
        share = self.shipping_share()
        landing = p["north.sakhalin_landing_men"] * share
        garrison = w.ledger.values[SOVIET_FE] / FE_DIVISIONS
        # an island garrison without the mainland's massed armour and air: the 1941 premium
        # over the 1939 campaign fit is not its own
        su_eff = (p["north.soviet_effectiveness"] * self.soviet_supply()
                  * SOVIET_EFFECTIVENESS_1939 / SOVIET_EFFECTIVENESS_1941)
        if landing <= 0.0 or garrison <= 0.0:
            return
        wave = landing / len(SAKHALIN_WAVES)
        luck = lognormal_factor(w.u_combat[SAKHALIN_SLOT], SAKHALIN_SIGMA)
        intensity = self.intensity(SAKHALIN_MAX_DAYS)
        su_lost, jp_lost, duration = combat.fight(
            garrison, 0.0, SAKHALIN_MAX_DAYS,
            red_rate=p["combat.attacker_daily_loss"] * su_eff * intensity,
            blue_rate=p["combat.defender_daily_loss"] * p["combat.japanese_effectiveness"]
            * luck * intensity,
            exponent=p["combat.exponent"],
            blue_reinforcements=[(day, wave) for day in SAKHALIN_WAVES],
            red_break=p["north.soviet_break_fraction"],
            blue_break=p["north.japanese_break_fraction"],
        )
        yield w.wait_for(duration)
        self._book(min(jp_lost, max(w.ledger.values[HOME], 0.0)), su_lost, pool=HOME)
        taken = garrison - su_lost <= p["north.soviet_break_fraction"] * garrison * (1 + 1e-9)
        if taken:
            self.t_sakhalin = self.env.now
            self.sakhalin_oil = p["oil.sakhalin_mbbl_per_year"]
            w.changed("sakhalin")
        if w.tracing:
            w.note("battle", ("Northern Sakhalin taken" if taken else
                              "The landing on northern Sakhalin fails")
                   + f" after {duration:.0f} days (Japanese {jp_lost:,.0f}, Soviet "
                   f"{su_lost:,.0f} casualties)", landed=landing, garrison=garrison,
                   mbbl_per_year=self.sakhalin_oil, japanese_losses=jp_lost,
                   soviet_losses=su_lost, days=duration, taken=taken)

    def outcomes(self) -> dict[str, Any]:
        return {
            "north_attack_date": date_of(self.t_launch) if self.t_launch is not None else None,
            "north_objective": self.objective,
            "north_japanese_casualties": self.japanese_casualties,
            "north_soviet_casualties": self.soviet_casualties,
            "sakhalin_taken_date": (date_of(self.t_sakhalin) if self.t_sakhalin is not None
                                    else None),
            "north_counteroffensive_date": (date_of(self.t_counteroffensive)
                                            if self.t_counteroffensive is not None else None),
        }
