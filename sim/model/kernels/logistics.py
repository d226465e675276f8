"""Supply: trucks from a railhead, shipping shared between wars, the Trans-Siberian.

The model's logistics are throughput limits.  A force larger than its supply line can feed
fights at the strength the line sustains (Khalkhin Gol: ~4,000 Soviet trucks over 650-700 km
against ~900 Japanese trucks over 150-200 km); operations that need more shipping than the
merchant fleet can spare above the civil minimum are slowed in proportion (a northern and a
southern war cannot both be shipped, KT-04, JPN-10).
"""

from __future__ import annotations

import math


def truck_lift_t_per_day(trucks: float, haul_km: float, payload_t: float, km_per_day: float,
                         availability: float) -> float:
    """Tonnes a truck column delivers a day over a one-way haul of ``haul_km``.

    Each running truck carries ``payload_t`` per round trip of ``2 * haul_km / km_per_day``
    days (KG-26: ~5 days for 1,300-1,400 km).
    """
    if haul_km <= 0.0:
        return float("inf")
    round_trip_days = 2.0 * haul_km / km_per_day
    return trucks * availability * payload_t / round_trip_days


def sustainable_men(lift_t_per_day: float, kg_per_man_day: float) -> float:
    """Men a daily lift keeps supplied."""
    return lift_t_per_day * 1000.0 / kg_per_man_day


def supply_share(available: float, needed: float) -> float:
    """Share of a requirement a supply covers, in [0, 1]."""
    if needed <= 0.0:
        return 1.0
    if available <= 0.0:
        return 0.0
    share = available / needed
    return share if share < 1.0 else 1.0


def shipping_share(fleet_mgrt: float, civil_minimum_mgrt: float, north_need_mgrt: float,
                   south_need_mgrt: float) -> float:
    """Share of the wars' shipping needs the fleet can meet above the civil minimum.

    Both wars draw on the same ships: when Japan fights north and south together the need is
    the sum, and each campaign is supplied in the same proportion.
    """
    spare = fleet_mgrt - civil_minimum_mgrt
    return supply_share(spare, north_need_mgrt + south_need_mgrt)


def shipping_effect(share: float, elasticity: float) -> float:
    """Operational effect (1 = fully supplied) of a supplied share of shipping or supply."""
    return share ** elasticity if share < 1.0 else 1.0


def trans_siberian_share(german_pressure: float) -> float:
    """The Trans-Siberian's capacity for the Far East relative to summer 1941 (pressure 1).

    The line is shared with the war in the west: the harder Germany presses, the fewer men,
    trains and supplies Moscow can spare for the Far East (history.md §3: the Far East
    depended on the line for what it could not produce itself).
    """
    return 2.0 / (1.0 + german_pressure)


def trans_siberian_men_per_day(rail_men_per_day: float, german_pressure: float) -> float:
    """Soviet reinforcements the Trans-Siberian brings east a day.

    ``rail_men_per_day`` is the flow at historical pressure (1), scaled by the line's share
    for the Far East (:func:`trans_siberian_share`).
    """
    return rail_men_per_day * trans_siberian_share(german_pressure)


# --- the merchant fleet (docs/model.md §5) ------------------------------------------------------
#: Smallest share a lift or import factor returns: some shipping can always be scraped together
#: (fishing boats, sailing vessels, warships), and callers divide by these factors.
MIN_FACTOR = 0.01


def hazard_of_share(share: float) -> float:
    """Constant yearly hazard under which a fleet loses ``share`` of itself in a year."""
    if share <= 0.0:
        return 0.0
    if share >= 0.999:
        share = 0.999
    return -math.log(1.0 - share)


def sunk_per_day(fleet: float, hazard_per_year: float, days: float) -> float:
    """Average sinkings a day over ``days`` that remove what a constant ``hazard_per_year``
    removes from ``fleet`` over that span: a rate the ledger integrates linearly, exact at the
    span's end, never more than the fleet."""
    if days <= 0.0 or hazard_per_year <= 0.0 or fleet <= 0.0:
        return 0.0
    return fleet * -math.expm1(-hazard_per_year * days / 365.25) / days


def lift_factor(need: float, dry_fleet: float, civil_minimum: float, own_share: float,
                other_share: float) -> float:
    """Share (0..1] of a military lift of ``need`` GRT one service can give now.

    The service has its own allocation (``own_share`` of the dry-cargo fleet) and may take
    anything above the civil minimum that the other service does not hold (SH-10, SH-12)."""
    if need <= 0.0:
        return 1.0
    spare = dry_fleet * (1.0 - other_share) - civil_minimum
    own = dry_fleet * own_share
    available = spare if spare > own else own
    return max(MIN_FACTOR, supply_share(available, need))


def import_factor(civil_fleet: float, civil_minimum: float) -> float:
    """Share (0..1] of the pre-war import lift the civil fleet still carries: the civil
    requirement (SH-10) is what carried the imports the economy ran on."""
    return max(MIN_FACTOR, supply_share(civil_fleet, civil_minimum))


def allocation(army_share: float, navy_share: float) -> tuple[float, float, float]:
    """(army, navy, civil) shares of the dry-cargo fleet, the budget kept: requisitions asking
    for more than the fleet are cut in proportion, and the civil economy gets the rest."""
    military = army_share + navy_share
    if military > 1.0:
        army_share /= military
        navy_share /= military
        military = 1.0
    return army_share, navy_share, 1.0 - military
