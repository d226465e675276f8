"""The China war (CHN-01, CHN-04): the garrison it pins, the men it drains, the oil it burns.

``china.drain_multiplier`` scales the war: 1 is the historical stalemate, 0 a settled war
that keeps only an occupation floor of ``china.settled_divisions``.  The men a settled war frees
go home (:mod:`sim.model.actors.army`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.model.accounts import CHINA
from sim.model.actor import Actor

DAYS_PER_MONTH = 30.4375


def floor_divisions(p: Mapping[str, Any]) -> float:
    """Divisions China pins: CHN-01's 22 at drain 1, the occupation floor if the war is settled."""
    drain = p["china.drain_multiplier"]
    settled = p["china.settled_divisions"]
    full = p["china.garrison_divisions"]
    share = drain if drain < 1.0 else 1.0
    return settled + (full - settled) * share


def garrison_men(p: Mapping[str, Any]) -> float:
    """Men in China proper: the garrison scaled to the divisions China pins."""
    return p["china.garrison_men"] * floor_divisions(p) / p["china.garrison_divisions"]


class China(Actor):
    """The China theatre: its garrison on 1 January 1939 and its monthly drain."""

    name = "china"
    READS = ("china.drain_multiplier", "china.settled_divisions", "china.garrison_divisions",
             "china.garrison_men", "china.dead_per_month", "china.wounded_per_month",
             "china.oil_mbbl_per_year")

    def setup(self) -> None:
        p = self.p
        self.men_1939 = garrison_men(p)
        #: casualties per day, replaced from the home pool (CHN-04)
        self.casualties_per_day = ((p["china.dead_per_month"] + p["china.wounded_per_month"])
                                   * p["china.drain_multiplier"] / DAYS_PER_MONTH)
        #: oil the war burns, M bbl/yr (OIL-07)
        self.oil_per_year = p["china.oil_mbbl_per_year"] * p["china.drain_multiplier"]
        self.w.ledger.values[CHINA] = self.men_1939
