"""Lake Khasan (Changkufeng), 29 July - 11 August 1938, and the lesson Japan drew from it.

The incident is fought with the combat kernel as the calibration reads it (docs/combat.md,
docs/model.md §1b): one Soviet attack of the 39th Rifle Corps on the 19th Division's
elements over the incident's 13 days (KH-01, KH-02), at the intensity the calibrated law
gives a battle of that length and the Soviet effectiveness of 1938.  Its casualties are
outcomes only: they fall before the accounts open on 1 January 1939.  The exchange then
moves Japan's perceived Soviet power per man (:mod:`sim.model.kernels.belief`), which the
Khalkhin Gol actor starts from (``belief_after``).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

from sim.model.accounts import day_of
from sim.model.actor import Actor
from sim.model.kernels.belief import khasan_belief, khasan_evidence
from sim.model.kernels.combat import engagement_rates, fight
from sim.model.kernels.theatre_1941 import intensity_at
from sim.registry.combat import (INTENSITY_AT_12_DAYS, INTENSITY_DECAY,
                                 SOVIET_EFFECTIVENESS_1938, SOVIET_EFFECTIVENESS_KHASAN)

#: CDB90 counts 1,100 Japanese casualties at Changkufeng (row 258) where the Army's secret
#: statistics count 1,439 (KH-04): the drawn 1938 effectiveness, fitted on CDB90's count, is
#: fought on the archival one (KH-07's ratio 2.8) by the ratio of the two fits.
ARCHIVAL_SCALE = SOVIET_EFFECTIVENESS_KHASAN / SOVIET_EFFECTIVENESS_1938


def khasan_battle(p: Mapping[str, Any]) -> tuple[float, float, float]:
    """``(Soviet casualties, Japanese casualties, days)`` of the incident (pure)."""
    days = float((p["khasan.ceasefire_date"] - p["khasan.start_date"]).days)
    if days < 1.0:
        days = 1.0
    soviet_rate, japanese_rate = engagement_rates(
        p["combat.soviet_effectiveness_1938"] * ARCHIVAL_SCALE,
        p["combat.japanese_effectiveness"],
        intensity_at(days, INTENSITY_AT_12_DAYS, INTENSITY_DECAY),
        attacker_daily_loss=p["combat.attacker_daily_loss"],
        defender_daily_loss=p["combat.defender_daily_loss"])
    soviet, japanese, _ = fight(p["khasan.soviet_men"], p["khasan.japanese_men"], days,
                                red_rate=soviet_rate, blue_rate=japanese_rate,
                                exponent=p["combat.exponent"])
    return soviet, japanese, days


class Khasan(Actor):
    """The 1938 border battle and Japan's belief about Soviet power after it."""

    name = "khasan"
    READS = ("khasan.enabled", "khasan.start_date", "khasan.ceasefire_date",
             "khasan.soviet_men", "khasan.japanese_men", "khasan.numbers_weight",
             "combat.soviet_effectiveness_1938", "combat.japanese_effectiveness",
             "combat.attacker_daily_loss", "combat.defender_daily_loss", "combat.exponent",
             "belief.prior_soviet_power", "belief.learning_rate", "simulation.start")
    OUTCOMES = ("khasan_japanese_casualties", "khasan_soviet_casualties")

    def setup(self) -> None:
        #: Japan's perceived Soviet power per man (IJA = 1): the 1938 prior until the ceasefire
        self.belief_after: float = self.p["belief.prior_soviet_power"]
        self.fought = False
        self.japanese_casualties: float | None = None
        self.soviet_casualties: float | None = None

    def start(self) -> None:
        p = self.p
        if not p["khasan.enabled"]:
            return
        if p["simulation.start"] > p["khasan.start_date"]:
            if self.w.tracing:
                self.w.note("battle", "The simulation starts after Lake Khasan's first day "
                            f"({p['khasan.start_date']:%d %b %Y}): the incident is not fought, "
                            "and Japan keeps its 1938 view of Soviet power")
            return
        self.env.process(self.incident())

    def incident(self) -> Generator[Any, Any, None]:
        """The Japanese attacks, the Soviet offensive, the ceasefire, the lesson."""
        p = self.p
        w = self.w
        yield w.sleep_until(day_of(p["khasan.start_date"]))  # before the accounts open
        if w.tracing:
            w.note("battle", "Lake Khasan: the 19th Division attacks the Soviet border troops "
                   "on Changkufeng and Shachaofeng")
        soviet, japanese, _ = khasan_battle(p)
        yield w.sleep_until(day_of(p["khasan.ceasefire_date"]))
        self.fought = True
        self.soviet_casualties = soviet
        self.japanese_casualties = japanese
        japanese_men = p["khasan.japanese_men"]
        soviet_men = p["khasan.soviet_men"]
        prior = p["belief.prior_soviet_power"]
        weight = p["khasan.numbers_weight"]
        self.belief_after = khasan_belief(prior, p["belief.learning_rate"], japanese, soviet,
                                          japanese_men, soviet_men, weight)
        if w.tracing:
            evidence = khasan_evidence(japanese, soviet, japanese_men, soviet_men, weight)
            lesson = ("confirms the low view of Soviet initiative (the Soviet soldier docile, "
                      "Red Army units unable to co-ordinate an envelopment)"
                      if self.belief_after < prior else
                      "reads unexpected Soviet strength in the Far East")
            w.note("battle", f"Lake Khasan ceasefire: {soviet_men:,.0f} Soviets against "
                   f"{japanese_men:,.0f} Japanese; casualties Soviet {soviet:,.0f}, Japanese "
                   f"{japanese:,.0f} ({soviet / japanese:.1f} to 1); Japan withdraws",
                   soviet=soviet, japanese=japanese)
            w.note("belief", f"Japan's reading of Khasan {lesson}: perceived Soviet power per "
                   f"man {self.belief_after:.2f} (was {prior:.2f}; evidence {evidence:.2f})",
                   belief=self.belief_after, evidence=evidence)

    def outcomes(self) -> dict[str, Any]:
        return {"khasan_japanese_casualties": self.japanese_casualties,
                "khasan_soviet_casualties": self.soviet_casualties}
