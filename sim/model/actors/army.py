"""Japan's army: where the men are (China, Manchuria, the south, home) and how they change.

Conscription feeds a home pool; every theatre's casualties are replaced from it at once, so
theatre strengths move only by deliberate transfers (Kantokuen, the Southern Army) and the
identity *initial + recruits = men in theatres + casualties* holds exactly (docs/model.md §Men).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.model.accounts import (CHINA, CHINA_CASUALTIES, HOME, JP_CASUALTIES, MANCHURIA,
                                RECRUITS)
from sim.model.actor import Actor
from sim.model.actors.china import DAYS_PER_MONTH, floor_divisions

#: Divisions Japan keeps in Manchuria and Korea in peace (KT-11: 13 + 2) and for a
#: northern war (KT-04: 22).
MANCHURIA_DIVISIONS_PEACE = 15.0
MANCHURIA_DIVISIONS_WAR = 22.0


def divisions_free_for_south(p: Mapping[str, Any], north_war: bool) -> float:
    """Divisions left for the south once China, Manchuria and the home islands are held."""
    manchuria = MANCHURIA_DIVISIONS_WAR if north_war else MANCHURIA_DIVISIONS_PEACE
    free = (p["japan.divisions_1941"] - floor_divisions(p) - manchuria
            - p["japan.home_divisions"])
    return free if free > 2.0 else 2.0


class Army(Actor):
    """The Imperial Japanese Army's manpower accounts and their rates."""

    name = "army"
    READS = ("japan.men_manchuria_1939", "japan.men_home_1939", "japan.conscripts_per_month",
             "japan.war_conscripts_per_month", "china.garrison_men",
             "north.static_casualties_per_month",
             "south.casualties_per_month")
    OUTCOMES = ("china_japanese_casualties", "japanese_casualties_total",
                "japanese_recruits_total", "japanese_men_home_end")
    RATE_FACTS = ("south_war", "north_war", "call_up", "call_up_end", "north_front",
                  "south_front")

    def setup(self) -> None:
        p = self.p
        v = self.w.ledger.values
        in_china = self.cast.china.men_1939
        v[MANCHURIA] = p["japan.men_manchuria_1939"]
        # men a settled China war frees return home
        v[HOME] = p["japan.men_home_1939"] + (p["china.garrison_men"] - in_china)
        #: Japanese men on 1 January 1939 (the base of the conservation identity)
        self.initial_men = v[CHINA] + v[MANCHURIA] + v[HOME]

    def recompute(self) -> None:
        """Conscription, the China drain, static fronts' losses and the Kantokuen call-up."""
        p = self.p
        r = self.w.ledger.rates
        signals = self.w.signals
        cast = self.cast
        at_war = signals.north_war.happened or signals.south_war.happened
        conscripts = (p["japan.war_conscripts_per_month"] if at_war
                      else p["japan.conscripts_per_month"]) / DAYS_PER_MONTH
        china = cast.china.casualties_per_day
        north = (p["north.static_casualties_per_month"] / DAYS_PER_MONTH if cast.north.static
                 else 0.0)
        south = (p["south.casualties_per_month"] / DAYS_PER_MONTH if cast.south.static
                 else 0.0)
        mob = cast.kantokuen.rate
        r[RECRUITS] = conscripts + mob
        r[MANCHURIA] = mob
        r[HOME] = conscripts - china - north - south
        r[JP_CASUALTIES] = china + north + south
        r[CHINA_CASUALTIES] = china

    def casualties(self, men: float) -> None:
        """Men lost in a theatre, replaced at once from the home pool (the theatre keeps its
        strength: the replacements arrive with the losses)."""
        v = self.w.ledger.values
        v[JP_CASUALTIES] += men
        v[HOME] -= men

    def outcomes(self) -> dict[str, Any]:
        v = self.w.ledger.values
        return {
            "china_japanese_casualties": v[CHINA_CASUALTIES],
            "japanese_casualties_total": v[JP_CASUALTIES],
            "japanese_recruits_total": v[RECRUITS],
            "japanese_men_home_end": v[HOME],
        }
