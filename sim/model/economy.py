"""Japan's oil balance (docs/model.md §Oil).

    d(stock)/dt = imports + domestic + southern oil shipped home + Sakhalin - consumption

* imports (OIL-02) flow until the embargo cuts ``embargo.import_loss_share`` of them (EMB-04,
  EMB-05) and stop altogether once Japan is at war with the Western powers;
* consumption is the peace tempo (OIL-07) or the war tempo (OIL-08), plus the China war's share
  times ``china.drain_multiplier`` and the mobilised Kwantung Army's, times a rationing factor
  that falls linearly from 1 at ``oil.ration_stock`` to ``oil.ration_floor`` at an empty tank;
* southern oil (OIL-11) starts at capture with ``oil.dei_damage`` of it destroyed (OIL-15),
  is restored with time constant ``oil.restoration_months``, partly used on the spot, and what
  goes home is limited by the tanker fleet (OIL-16), which sinkings erode (JPN-11).

Rates are piecewise constant: they are reset at every event and at quarterly reviews.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.model.state import OIL, SOUTH_OIL_HOME

if TYPE_CHECKING:
    from sim.model.core import World

DAYS_PER_YEAR = 365.25
#: Barrels per metric ton of crude (history.md unit conventions).
BBL_PER_TONNE = 7.3


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


def war_consumption(w: World) -> float:
    """Consumption at the current tempo before rationing (M bbl/yr)."""
    p = w.p
    if w.south_war:
        base = p["oil.war_consumption"]
    elif w.north_war:
        base = p["oil.war_consumption"] * p["north.oil_consumption_factor"]
    else:
        base = p["oil.peace_consumption"]
        if w.mobilised:
            base += p["kantokuen.oil_mbbl_per_year"]
    return base + p["china.oil_mbbl_per_year"] * p["china.drain_multiplier"]


def refresh_oil(w: World) -> None:
    """Set the oil rates from the current state (call at the current time)."""
    p = w.p
    L = w.ledger
    if w.south_war:
        imports = 0.0
    elif w.embargo:
        imports = p["oil.imports_mbbl_per_year"] * (1.0 - p["embargo.import_loss_share"])
    else:
        imports = p["oil.imports_mbbl_per_year"]
    use = war_consumption(w) * ration_factor(L.values[OIL], p["oil.ration_stock"],
                                             p["oil.ration_floor"])
    inflow = imports + p["oil.domestic_mbbl_per_year"] + w.south_oil_home + w.sakhalin_oil
    L.rates[OIL] = (inflow - use) / DAYS_PER_YEAR
    L.rates[SOUTH_OIL_HOME] = w.south_oil_home / DAYS_PER_YEAR


def review_southern_oil(w: World, years_elapsed: float) -> None:
    """Quarterly review: erode the tanker fleet and reset the oil shipped home."""
    p = w.p
    if w.south_war and w.t_south_launch is not None:
        years_at_war = (w.ledger.t - w.t_south_launch) / DAYS_PER_YEAR
        hazard = p["shipping.loss_rate_1942"] * p["shipping.loss_growth"] ** max(0.0, years_at_war)
        w.tanker_survival *= math.exp(-hazard * years_elapsed)
    if w.t_dei_captured is None:
        w.south_oil_home = 0.0
        return
    months = (w.ledger.t - w.t_dei_captured) / (DAYS_PER_YEAR / 12.0)
    output = dei_output(p["oil.dei_mbbl_per_year"], p["oil.dei_damage"], months,
                        p["oil.restoration_months"])
    available = output * (1.0 - p["oil.southern_local_use"])
    lift = tanker_lift(p["shipping.tanker_t"], p["shipping.tanker_voyages_per_year"],
                       p["shipping.tanker_home_share"], w.tanker_survival) * w.shipping_effect
    w.south_oil_home = available if available < lift else lift
