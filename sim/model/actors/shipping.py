"""Japan's merchant fleet (docs/model.md §5): stock and flow, requisition, what a shortfall does.

    d(fleet)/dt = construction - sinkings        (GRT, tankers included; account MERCHANT_FLEET)

* the fleet is ``shipping.merchant_fleet_mgrt`` on 1 Dec 1941 (SH-01), built up from 1939 at
  the 1941 yards' pace (SH-06); ~0.75 M GRT captured in the southern conquest join it when the
  Dutch East Indies fall (SH-01);
* construction by calendar year follows SH-06 once the United States is at war (the wartime
  standard-ship programme); without that war the yards keep the 1941 pace;
* sinkings: at war with the United States a yearly hazard by calendar year (US submarines from
  1942, at full effect from 1944: SH-07, SH-08) times one draw of the campaign's luck (``combat``
  slot 16); a Soviet war adds the Pacific Fleet's small hazard.  Each year's hazard becomes the
  constant rate that removes the same tonnage by the year's end (rates the ledger integrates,
  reset on 1 January and when a war starts);
* tankers are a share of the fleet (SH-01), built at that share and sunk at the fleet's hazard,
  from July 1943 times ``shipping.tanker_loss_ratio`` (SH-09, OIL-14);
* at war the dry-cargo fleet is split between the Army, the Navy and the civil economy
  (``shipping.army_share``, ``shipping.navy_share``; SH-01...SH-03); a military lift gets what
  its service holds or what lies above the civil minimum and the other service's share
  (:meth:`Shipping.lift_factor`), imports what the civil fleet carries against the civil
  minimum (:meth:`Shipping.import_factor`, SH-10).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sim.model.accounts import MERCHANT_FLEET, day_of, december_value
from sim.model.actor import Actor
from sim.model.kernels import logistics
from sim.model.kernels.fortune import lognormal_factor

DAYS_PER_YEAR = 365.25
#: ``combat`` slot of the US anti-shipping campaign's luck (16-17 are shipping's).
LUCK_SLOT = 16
#: The fleet is anchored on this day (SH-01: Dec 1941).
ANCHOR = day_of(dt.date(1941, 12, 1))
#: Tankers' share of the fleet, Dec 1941 (SH-01: 6.34 M GRT in all, 5.42 M without tankers).
TANKER_SHARE = (6.34 - 5.42) / 6.34
#: Ships captured or acquired in the southern conquest, GRT (SH-01: ~750,000).
CAPTURED_GRT = 750_000.0
#: New construction by calendar year, GRT (SH-06); a wartime year past 1945 keeps 1945's pace.
CONSTRUCTION: dict[int, float] = {1941: 210_373.0, 1942: 260_059.0, 1943: 769_085.0,
                                  1944: 1_699_203.0, 1945: 599_563.0}
FIRST_YEAR, LAST_YEAR = 1939, 1950
#: The first 1 January the rates change on: until 1942 the yards' pace and the first year's
#: hazard hold (one stretch, no wake-ups).
FIRST_RESET = 1942
YEAR_STARTS: tuple[float, ...] = tuple(day_of(dt.date(y, 1, 1))
                                       for y in range(FIRST_YEAR, LAST_YEAR + 2))
#: From the second half of 1943 US submarines hunt tankers first (OIL-14: autumn 1943; SH-09:
#: 235,000 t sunk in Q1 1944); the oil's half-yearly review on this date sees it.
TANKER_WAR = dt.date(1943, 7, 1)
T_TANKER_WAR = day_of(TANKER_WAR)
#: Month index of August 1945 in the monthly series (January 1939 is 0).
AUGUST_1945 = (1945 - 1939) * 12 + 7


def construction_per_year(year: int, us_war: bool) -> float:
    """GRT launched a year: SH-06's wartime programme at war with the US, else 1941's pace."""
    if not us_war or year <= 1941:
        return CONSTRUCTION[1941]
    return CONSTRUCTION[min(year, 1945)]


def us_hazard(year: int, share_1942: float, growth: float, share_1944: float) -> float:
    """Yearly sinking hazard of a US war by calendar year (SH-07: 203, 437, 969 ships sunk in
    1942-44; 639 in 1945's seven and a half months, as fast as in 1944)."""
    if year <= 1942:
        share = share_1942
    elif year == 1943:
        share = share_1942 * growth
    else:
        share = share_1944
    return logistics.hazard_of_share(share)


class Shipping(Actor):
    """The merchant fleet, its tankers and its allocation between the services."""

    name = "shipping"
    READS = ("shipping.merchant_fleet_mgrt", "shipping.civil_minimum_mgrt",
             "shipping.loss_rate_1942", "shipping.loss_growth", "shipping.loss_rate_1944",
             "shipping.campaign_luck_sd", "shipping.soviet_loss_rate",
             "shipping.tanker_loss_ratio", "shipping.army_share", "shipping.navy_share")
    OUTCOMES = ("merchant_fleet_grt_end_1942", "merchant_fleet_grt_end_1943",
                "merchant_fleet_grt_end_1944", "merchant_fleet_grt_1945_08")
    RATE_FACTS = ("us_war", "north_war")
    ON_FACT = (("dei_captured", "_captured"),)
    CALENDAR = tuple(sorted([(dt.date(y, 1, 1), "_new_year")
                             for y in range(FIRST_RESET, LAST_YEAR + 1)]
                            + [(TANKER_WAR, "_new_year")]))

    def setup(self) -> None:
        p = self.p
        self.fleet_1941 = p["shipping.merchant_fleet_mgrt"] * 1e6
        start = self.fleet_1941 - CONSTRUCTION[1941] * ANCHOR / DAYS_PER_YEAR
        self.w.ledger.values[MERCHANT_FLEET] = start
        self.tankers_1941 = TANKER_SHARE * self.fleet_1941
        self.tankers = TANKER_SHARE * start
        self.civil_minimum = p["shipping.civil_minimum_mgrt"] * 1e6
        self.army_share, self.navy_share, self.civil_share = logistics.allocation(
            p["shipping.army_share"], p["shipping.navy_share"])
        self.luck = lognormal_factor(self.w.u_combat[LUCK_SLOT], p["shipping.campaign_luck_sd"])
        self.soviet_hazard = logistics.hazard_of_share(p["shipping.soviet_loss_rate"])
        self.start_grt = start
        self.built = self.sunk = self.captured = 0.0  # GRT since 1 Jan 1939
        self._t_set = 0.0  # when the rates below were set
        self._build = self._sink = self._tanker_rate = 0.0  # GRT a day

    # --- what the other actors read -----------------------------------------------------------
    @property
    def fleet_grt(self) -> float:
        """The merchant fleet now, GRT (tankers included)."""
        L = self.w.ledger
        now = self.env.now
        return L.values[MERCHANT_FLEET] + L.rates[MERCHANT_FLEET] * (now - L.t if now > L.t
                                                                     else 0.0)

    def tankers_at(self, t: float) -> float:
        """Tanker tonnage (GRT) at ``t`` at the rates set now."""
        return self.tankers + self._tanker_rate * (t - self._t_set if t > self._t_set else 0.0)

    def tanker_ratio(self, t0: float, t1: float) -> float:
        """Mean tanker tonnage over [t0, t1] relative to the outbreak's (SH-01, OIL-16)."""
        return 0.5 * (self.tankers_at(t0) + self.tankers_at(t1)) / self.tankers_1941

    @property
    def at_war(self) -> bool:
        """Requisition is in force (a war with the West or the USSR)."""
        signals = self.w.signals
        return signals.south_war.happened or signals.north_war.happened

    def dry_fleet(self) -> float:
        """Dry-cargo fleet now (the fleet less its tankers), GRT."""
        return self.fleet_grt - self.tankers_at(self.env.now)

    def lift_factor(self, grt: float, service: str = "army") -> float:
        """Share (0..1] of a military lift of ``grt`` the fleet can give ``service`` now."""
        if service == "army":
            own, other = self.army_share, self.navy_share
        else:
            own, other = self.navy_share, self.army_share
        return logistics.lift_factor(grt, self.dry_fleet(), self.civil_minimum, own, other)

    def import_factor(self) -> float:
        """Share (0..1] of the pre-war import lift the civil fleet still carries."""
        dry = self.dry_fleet()
        civil = dry * self.civil_share if self.at_war else dry
        return logistics.import_factor(civil, self.civil_minimum)

    # --- rates --------------------------------------------------------------------------------
    def hazard(self, year: int) -> float:
        """The fleet's sinking hazard (1/yr) in ``year`` in the war being fought now."""
        p = self.p
        signals = self.w.signals
        h = 0.0
        if signals.us_war.happened:
            h = self.luck * us_hazard(year, p["shipping.loss_rate_1942"],
                                      p["shipping.loss_growth"], p["shipping.loss_rate_1944"])
        if signals.north_war.happened:
            h += self.soviet_hazard
        return h

    def recompute(self) -> None:
        """Set the fleet's rate to the next 1 January (or the horizon)."""
        L = self.w.ledger
        t = L.t
        self._book(t)
        year = FIRST_YEAR
        while YEAR_STARTS[year - FIRST_YEAR + 1] <= t:
            year += 1
        t_next = YEAR_STARTS[max(year + 1, FIRST_RESET) - FIRST_YEAR]
        span = (t_next if t_next < self.w.t_end else self.w.t_end) - t
        us_war = self.w.signals.us_war.happened
        hazard = self.hazard(year)
        self._build = construction_per_year(year, us_war) / DAYS_PER_YEAR
        fleet = L.values[MERCHANT_FLEET]
        self._sink = logistics.sunk_per_day(fleet, hazard, span)
        if us_war and t >= T_TANKER_WAR:
            hazard *= self.p["shipping.tanker_loss_ratio"]
        self._tanker_rate = (TANKER_SHARE * self._build
                             - logistics.sunk_per_day(self.tankers, hazard, span))
        L.rates[MERCHANT_FLEET] = self._build - self._sink

    def _book(self, t: float) -> None:
        """Account for construction and sinkings since the rates were last set."""
        d = t - self._t_set
        if d > 0.0:
            self.built += self._build * d
            self.sunk += self._sink * d
            self.tankers += self._tanker_rate * d
            self._t_set = t

    def _new_year(self, t: float) -> None:
        signals = self.w.signals
        if signals.us_war.happened or signals.north_war.happened:
            self.recompute()  # at peace the yards' pace is the same every year: nothing to do

    def _captured(self) -> None:
        """The ships taken in the southern conquest join the fleet (SH-01)."""
        L = self.w.ledger
        L.advance(self.env.now)
        L.values[MERCHANT_FLEET] += CAPTURED_GRT
        self.captured += CAPTURED_GRT
        self.recompute()

    # --- readings -----------------------------------------------------------------------------
    def finish(self) -> float:
        """Book the flows to the horizon; the fleet on the horizon day."""
        t_end = self.w.t_end
        self._book(t_end)
        return self.start_grt + self.captured + self.built - self.sunk

    def outcomes(self) -> dict[str, Any]:
        fleet = self.w.ledger.samples[MERCHANT_FLEET]
        return {
            "merchant_fleet_grt_end_1942": december_value(fleet, 1942),
            "merchant_fleet_grt_end_1943": december_value(fleet, 1943),
            "merchant_fleet_grt_end_1944": december_value(fleet, 1944),
            "merchant_fleet_grt_1945_08": fleet[AUGUST_1945] if AUGUST_1945 < len(fleet)
            else None,
        }
