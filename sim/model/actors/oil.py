"""Japan's oil balance (docs/model.md §Oil).

    d(stock)/dt = imports + domestic + southern oil shipped home + Sakhalin - consumption

* imports (OIL-02) flow until the embargo cuts ``embargo.import_loss_share`` of them (EMB-04,
  EMB-05) and stop altogether once Japan is at war with the Western powers;
* consumption is the peace tempo (OIL-07) or the war tempo (OIL-08), plus the China war's share
  times ``china.drain_multiplier`` and the mobilised Kwantung Army's, times a rationing factor
  that falls linearly from 1 at ``oil.ration_stock`` to ``oil.ration_floor`` at an empty tank;
* southern oil (OIL-11) starts at capture with ``oil.dei_damage`` of it destroyed (OIL-15),
  is restored with time constant ``oil.restoration_months``, partly used on the spot, and what
  goes home is limited by the tanker fleet (OIL-16), which sinkings erode (JPN-11); the fleet
  and the shipments are reviewed every half year of the war.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sim.model.accounts import OIL, SOUTH_OIL_HOME, day_of, december_value
from sim.model.actor import Actor

DAYS_PER_YEAR = 365.25
#: Barrels per metric ton of crude (history.md unit conventions).
BBL_PER_TONNE = 7.3
#: Oil reviews (tanker losses, southern shipments, rationing): every half year of the war.
REVIEW_DATES: tuple[dt.date, ...] = tuple(
    dt.date(y, m, 1) for y in range(1942, 1951) for m in (1, 7))
#: The first review counts the tankers' war from here.
FIRST_REVIEW_DAY = day_of(dt.date(1941, 12, 1))


def ration_factor(stock: float, ration_stock: float, floor: float) -> float:
    """Share of normal consumption allowed at a given stock."""
    if stock >= ration_stock:
        return 1.0
    if stock <= 0.0:
        return floor
    return floor + (1.0 - floor) * stock / ration_stock


def dei_output(dei_mbbl_per_year: float, damage: float, months_since_capture: float,
               restoration_months: float) -> float:
    """Dutch East Indies output (M bbl/yr) some months after capture."""
    if months_since_capture < 0.0:
        return 0.0
    restored = 1.0 - math.exp(-months_since_capture / restoration_months)
    return dei_mbbl_per_year * ((1.0 - damage) + damage * restored)


def tanker_lift(tanker_t: float, voyages_per_year: float, home_share: float,
                survival: float) -> float:
    """Oil (M bbl/yr) the surviving tankers can bring home."""
    return tanker_t * BBL_PER_TONNE * voyages_per_year * home_share * survival / 1e6


class Oil(Actor):
    """Japan's oil stock, its flows and the southern shipments."""

    name = "oil"
    READS = ("oil.stock_1939", "oil.imports_mbbl_per_year", "oil.domestic_mbbl_per_year",
             "oil.peace_consumption", "oil.war_consumption", "oil.ration_stock",
             "oil.ration_floor", "oil.dei_mbbl_per_year", "oil.dei_damage",
             "oil.restoration_months", "oil.southern_local_use",
             "embargo.import_loss_share", "north.oil_consumption_factor",
             "kantokuen.oil_mbbl_per_year", "shipping.loss_rate_1942", "shipping.loss_growth",
             "shipping.tanker_t", "shipping.tanker_voyages_per_year",
             "shipping.tanker_home_share")
    OUTCOMES = ("oil_stock_end_1941", "oil_stock_end_1942", "oil_stock_end_1943",
                "oil_stock_end_1944", "oil_imported_south_1942", "oil_imported_south_1943",
                "oil_stock_at_horizon")
    RATE_FACTS = ("south_war", "north_war", "call_up", "embargo", "sakhalin")
    ON_FACT = (("dei_captured", "_dei_captured"),)
    CALENDAR = ((dt.date(1942, 1, 1), "_read_1941"), (dt.date(1943, 1, 1), "_read_1942"),
                (dt.date(1944, 1, 1), "_read_1943"),
                *((date, "_review") for date in REVIEW_DATES))

    def setup(self) -> None:
        self.w.ledger.values[OIL] = self.p["oil.stock_1939"]
        self.south_oil_home = 0.0  # M bbl/yr shipped home from the south at the current review
        self.tanker_survival = 1.0
        self.south_oil_1941 = 0.0  # shipped home by the end of 1941 (cumulative)
        self.south_oil_1942 = 0.0
        self.imported_1942: float | None = None
        self.imported_1943: float | None = None
        self._last_review = FIRST_REVIEW_DAY
        #: the stock is down to its working floor: operations that burn oil halt
        self.dry = False

    # --- what the leadership believes -----------------------------------------------------
    def believed_war_months(self) -> float:
        """Months of war the leadership believes its stocks would last (what the decision
        weighs; the stock the ledger carries is what is true)."""
        war_use = self.p["oil.war_consumption"] + self.cast.china.oil_per_year
        if war_use <= 0.0:
            return float("inf")
        return 12.0 * self.w.ledger.values[OIL] / war_use

    # --- rates --------------------------------------------------------------------------------
    def war_consumption(self) -> float:
        """Consumption at the current tempo before rationing (M bbl/yr)."""
        p = self.p
        signals = self.w.signals
        if signals.south_war.happened:
            base = p["oil.war_consumption"]
        elif signals.north_war.happened:
            base = p["oil.war_consumption"] * p["north.oil_consumption_factor"]
        else:
            base = p["oil.peace_consumption"]
            if signals.mobilisation.happened:
                base += p["kantokuen.oil_mbbl_per_year"]
        return base + self.cast.china.oil_per_year

    def recompute(self) -> None:
        """Set the oil rates from the current state."""
        p = self.p
        L = self.w.ledger
        signals = self.w.signals
        if signals.south_war.happened:
            imports = 0.0
        elif signals.embargo.happened:
            imports = p["oil.imports_mbbl_per_year"] * (1.0 - p["embargo.import_loss_share"])
        else:
            imports = p["oil.imports_mbbl_per_year"]
        use = self.war_consumption() * ration_factor(L.values[OIL], p["oil.ration_stock"],
                                                     p["oil.ration_floor"])
        inflow = (imports + p["oil.domestic_mbbl_per_year"] + self.south_oil_home
                  + self.cast.north.sakhalin_oil)
        L.rates[OIL] = (inflow - use) / DAYS_PER_YEAR
        L.rates[SOUTH_OIL_HOME] = self.south_oil_home / DAYS_PER_YEAR

    # --- reviews of the southern oil ----------------------------------------------------------
    def review_southern_oil(self, years_elapsed: float) -> None:
        """Erode the tanker fleet and reset the oil shipped home."""
        p = self.p
        t = self.w.ledger.t
        south = self.cast.south
        if self.w.signals.south_war.happened and south.t_launch is not None:
            years_at_war = (t - south.t_launch) / DAYS_PER_YEAR
            hazard = p["shipping.loss_rate_1942"] * p["shipping.loss_growth"] ** max(
                0.0, years_at_war)
            self.tanker_survival *= math.exp(-hazard * years_elapsed)
        if south.t_dei_captured is None:
            self.south_oil_home = 0.0
            return
        months = (t - south.t_dei_captured) / (DAYS_PER_YEAR / 12.0)
        output = dei_output(p["oil.dei_mbbl_per_year"], p["oil.dei_damage"], months,
                            p["oil.restoration_months"])
        available = output * (1.0 - p["oil.southern_local_use"])
        lift = tanker_lift(p["shipping.tanker_t"], p["shipping.tanker_voyages_per_year"],
                           p["shipping.tanker_home_share"],
                           self.tanker_survival) * south.shipping_effect
        self.south_oil_home = available if available < lift else lift

    def _review(self, t: float) -> None:
        self.review_southern_oil((t - self._last_review) / DAYS_PER_YEAR)
        self._last_review = t
        self.recompute()

    def _dei_captured(self) -> None:
        self.review_southern_oil(0.0)
        self.recompute()

    # --- readings -----------------------------------------------------------------------------
    def _read_1941(self, t: float) -> None:
        self.south_oil_1941 = self.w.ledger.values[SOUTH_OIL_HOME]

    def _read_1942(self, t: float) -> None:
        shipped = self.w.ledger.values[SOUTH_OIL_HOME]
        self.imported_1942 = shipped - self.south_oil_1941
        self.south_oil_1942 = shipped

    def _read_1943(self, t: float) -> None:
        self.imported_1943 = self.w.ledger.values[SOUTH_OIL_HOME] - self.south_oil_1942

    def outcomes(self) -> dict[str, Any]:
        oil = self.w.ledger.samples[OIL]
        return {
            "oil_stock_end_1941": december_value(oil, 1941),
            "oil_stock_end_1942": december_value(oil, 1942),
            "oil_stock_end_1943": december_value(oil, 1943),
            "oil_stock_end_1944": december_value(oil, 1944),
            "oil_imported_south_1942": self.imported_1942,
            "oil_imported_south_1943": self.imported_1943,
            "oil_stock_at_horizon": self.w.ledger.values[OIL],
        }
