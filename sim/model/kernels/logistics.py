"""Supply: trucks from a railhead, shipping shared between wars, the Trans-Siberian.

The model's logistics are throughput limits.  A force larger than its supply line can feed
fights at the strength the line sustains (Khalkhin Gol: ~4,000 Soviet trucks over 650-700 km
against ~900 Japanese trucks over 150-200 km); operations that need more shipping than the
merchant fleet can spare above the civil minimum are slowed in proportion (a northern and a
southern war cannot both be shipped, KT-04, JPN-10).
"""

from __future__ import annotations


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
