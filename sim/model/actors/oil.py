"""Japan's oil balance (docs/model.md §5).

    d(stock)/dt = imports + domestic + southern oil shipped home + Sakhalin - home draw

* imports (OIL-02) include the northern Sakhalin concession's (OIL-12, returned 30 Mar 1944);
  the embargo cuts ``embargo.import_loss_share`` of them (EMB-04, EMB-05); they stop at war
  with the West, and a Soviet war stops the concession's;
* the tempo (:meth:`Oil.war_consumption`) rises with every war: peace (OIL-07), the mobilised
  Kwantung Army, the navy at readiness (POL-21), a northern war on top of all three, the southern
  war (OIL-08's home draw plus the southern oil burnt in the south, OIL-13), both wars;
* the home draw is the tempo less the oil burnt in the south, times a rationing factor that falls
  linearly from 1 at ``oil.ration_stock`` to ``oil.ration_floor`` at the working floor
  ``oil.working_floor``; there the stock stops (consumption is what comes in), ``dry`` is set
  and ``oil_exhausted`` fires, at the crossing instant computed from the current rates;
* imports scale with the share of the import lift the civil fleet still carries
  (``shipping.import_factor``: 1 until requisition leaves the civil economy less than its
  minimum, SH-10);
* southern oil (OIL-11) starts at capture with ``oil.dei_damage`` of it destroyed (OIL-15),
  is restored with time constant ``oil.restoration_months``, partly used on the spot, and what
  goes home is limited by the tankers (OIL-16), a share of the merchant fleet that sinkings
  erode and construction renews (:mod:`sim.model.actors.shipping`, SH-06...SH-09); the
  shipments are reviewed every half year of the war with the tankers' mean over the half;
* the services' ration: ``oil.navy_share`` of the home draw goes to the Navy (OIL-05), the rest
  to the Army (:meth:`Oil.service_supply`);
* Sakhalin's own output once the North actor takes it (``north.sakhalin_oil``, fact
  ``sakhalin``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sim.model.accounts import OIL, SOUTH_OIL_HOME, date_of, day_of, december_value
from sim.model.actor import Actor
from sim.model.world import World

DAYS_PER_YEAR = 365.25
#: Barrels per metric ton of crude (history.md unit conventions).
BBL_PER_TONNE = 7.3
#: Oil reviews (tanker losses, southern shipments, rationing): every half year of the war.
REVIEW_DATES: tuple[dt.date, ...] = tuple(
    dt.date(y, m, 1) for y in range(1942, 1951) for m in (1, 7))
#: Days from one review to the next (half a year).
REVIEW_DAYS = DAYS_PER_YEAR / 2.0
#: 31 December 1945 (the end of the day), OIL-09's last year.
END_1945 = day_of(dt.date(1945, 12, 31)) + 1.0
#: Services' shares of the oil ration as the record had it (OIL-05, Aug 1941: Navy 705,
#: Army 87 x 10^4 t): the rations ``oil.navy_share`` sets are read against these.
NAVY_SHARE_1941 = 0.89  # 705 / (705 + 87)
#: The northern Sakhalin concessions are returned to the USSR (OIL-12).
CONCESSION_END = dt.date(1944, 3, 30)


def at_horizon(world: World, account: int) -> float:
    """An account's value on the horizon day (the ledger runs on to the month's end, at the
    rates set last: nothing happens after the horizon)."""
    L = world.ledger
    return L.values[account] - L.rates[account] * max(0.0, L.t - world.t_end)


def ration_factor(stock: float, ration_stock: float, floor: float,
                  working_floor: float = 0.0) -> float:
    """Share of the tempo allowed at a given stock: 1 down to ``ration_stock``, then falling
    linearly to ``floor`` at the working floor."""
    if stock >= ration_stock:
        return 1.0
    if stock <= working_floor or ration_stock <= working_floor:
        return floor
    return floor + (1.0 - floor) * (stock - working_floor) / (ration_stock - working_floor)


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
             "oil.ration_floor", "oil.working_floor", "oil.readiness_mbbl_per_year",
             "oil.north_war_mbbl_per_year", "oil.sakhalin_mbbl_per_year",
             "oil.dei_mbbl_per_year", "oil.dei_damage", "oil.restoration_months",
             "oil.southern_local_use", "embargo.import_loss_share",
             "kantokuen.oil_mbbl_per_year", "oil.navy_share", "shipping.tanker_t",
             "shipping.tanker_voyages_per_year", "shipping.tanker_home_share")
    OUTCOMES = ("oil_stock_end_1941", "oil_stock_end_1942", "oil_stock_end_1943",
                "oil_stock_end_1944", "oil_imported_south_1942", "oil_imported_south_1943",
                "oil_stock_at_horizon", "oil_exhausted_date", "oil_stock_end_1945")
    RATE_FACTS = ("south_war", "north_war", "us_war", "call_up", "embargo", "sakhalin",
                  "war_preparation")
    ON_FACT = (("dei_captured", "_dei_captured"),)
    CALENDAR = ((dt.date(1942, 1, 1), "_read_1941"), (dt.date(1943, 1, 1), "_read_1942"),
                (dt.date(1944, 1, 1), "_read_1943"), (CONCESSION_END, "_concession_returned"),
                *((date, "_review") for date in REVIEW_DATES))

    def setup(self) -> None:
        self.w.ledger.values[OIL] = self.p["oil.stock_1939"]
        self.south_oil_home = 0.0  # M bbl/yr shipped home from the south at the current review
        self.south_local = 0.0  # M bbl/yr of southern output burnt in the south
        self.tanker_survival = 1.0  # tankers now against the outbreak's (OIL-16)
        self.south_oil_1941 = 0.0  # shipped home by the end of 1941 (cumulative)
        self.south_oil_1942 = 0.0
        self.imported_1942: float | None = None
        self.imported_1943: float | None = None
        self.concession_open = True  # the northern Sakhalin concession ships its oil
        #: the stock is down to its working floor: operations that burn oil halt
        self.dry = False
        self.exhausted: dt.date | None = None
        self._crossing = 0  # token of the scheduled floor crossing (a stale one is ignored)
        navy = self.p["oil.navy_share"]
        #: each service's ration against the record's split (OIL-05): 1 as history ran
        self.navy_weight = navy / NAVY_SHARE_1941
        self.army_weight = (1.0 - navy) / (1.0 - NAVY_SHARE_1941)

    # --- what the leadership believes -----------------------------------------------------
    def believed_war_months(self) -> float:
        """Months of war the leadership believes its stocks would last: what the decision
        weighs (POL-Q4, POL-19).  The leadership counts the stock as it is (the Japanese
        estimates of OIL-04 bracket it) and expects to burn it at the planned tempo of a war
        with the West whose fleet fuels in the south (OIL-08's home draw plus the China war):
        ~26 months in late July 1941, between the Navy's 24 months at peace and 18 at war and
        double the Army's ~12.  The ledger burns at the true tempo of whatever war is fought."""
        war_use = self.p["oil.war_consumption"] + self.cast.china.oil_per_year
        if war_use <= 0.0:
            return float("inf")
        return 12.0 * self.w.ledger.values[OIL] / war_use

    # --- rates --------------------------------------------------------------------------------
    def war_consumption(self) -> float:
        """The tempo (M bbl/yr, before rationing, wherever burnt): it rises with every war."""
        p = self.p
        signals = self.w.signals
        north_war = signals.north_war.happened
        mobilised = signals.mobilisation.happened
        if signals.south_war.happened:
            # OIL-08's home draw at war with the West, plus what the south burns on the spot
            tempo = p["oil.war_consumption"] + self.south_local
            if north_war:
                tempo += p["oil.north_war_mbbl_per_year"]
                if mobilised:
                    tempo += p["kantokuen.oil_mbbl_per_year"]
        else:
            tempo = p["oil.peace_consumption"]
            if mobilised:
                tempo += p["kantokuen.oil_mbbl_per_year"]
            if north_war or getattr(self.cast.policy, "preparing_war", False):
                tempo += p["oil.readiness_mbbl_per_year"]
            if north_war:
                tempo += p["oil.north_war_mbbl_per_year"]
        return tempo + self.cast.china.oil_per_year

    def imports(self) -> float:
        """Oil imported now (M bbl/yr), the Sakhalin concession's included."""
        p = self.p
        signals = self.w.signals
        if signals.south_war.happened or signals.us_war.happened:
            return 0.0  # the concession's wartime trickle is not carried (docs/model.md §5)
        concession = p["oil.sakhalin_mbbl_per_year"]
        shipping = concession if self.concession_open else 0.0  # what the concession sends
        imports = p["oil.imports_mbbl_per_year"] - (concession - shipping)
        if signals.embargo.happened:
            imports *= 1.0 - p["embargo.import_loss_share"]
        if signals.north_war.happened:
            imports -= shipping  # a Soviet war ends the concession
        if imports <= 0.0:
            return 0.0
        return imports * self.cast.shipping.import_factor()

    def service_supply(self, service: str) -> float:
        """Share (0..1] of a service's tempo its ration covers now: the home draw's rationing,
        shifted by an ``oil.navy_share`` other than the record's (OIL-05)."""
        p = self.p
        ration = ration_factor(self.w.ledger.values[OIL], p["oil.ration_stock"],
                               p["oil.ration_floor"], p["oil.working_floor"])
        supply = ration * (self.navy_weight if service == "navy" else self.army_weight)
        return 1.0 if supply >= 1.0 else max(supply, 0.01)

    def recompute(self) -> None:
        """Set the oil rates from the current state; schedule the floor crossing."""
        p = self.p
        L = self.w.ledger
        stock = L.values[OIL]
        floor = p["oil.working_floor"]
        inflow = (self.imports() + p["oil.domestic_mbbl_per_year"] + self.south_oil_home
                  + self.cast.north.sakhalin_oil)
        use = (self.war_consumption() - self.south_local) * ration_factor(
            stock, p["oil.ration_stock"], p["oil.ration_floor"], floor)
        dry = stock <= floor * (1.0 + 1e-12) and inflow < use
        if dry:
            use = inflow  # at the floor only what comes in is burnt: operations halt
        self.dry = dry
        if dry and self.exhausted is None:
            # already at the floor (a scenario that starts there): exhausted now, once the
            # instant's bookkeeping is done
            self.env.timeout(0.0).callbacks.append(lambda _e: self._exhausted())
        rate = (inflow - use) / DAYS_PER_YEAR
        L.rates[OIL] = rate
        L.rates[SOUTH_OIL_HOME] = self.south_oil_home / DAYS_PER_YEAR
        self._crossing += 1
        if rate < 0.0:
            t_floor = L.t + (stock - floor) / -rate
            if t_floor <= self.w.t_end:
                token = self._crossing
                event = self.env.timeout(max(0.0, t_floor - self.env.now))
                event.callbacks.append(lambda _e: self._reach_floor(token))

    def _reach_floor(self, token: int) -> None:
        """The stock reaches the working floor at the rates set with ``token``."""
        if token != self._crossing:
            return  # the rates changed since: a later crossing was scheduled
        L = self.w.ledger
        L.advance(self.env.now)
        L.values[OIL] = self.p["oil.working_floor"]
        self.recompute()
        if self.exhausted is None:
            self._exhausted()

    def _exhausted(self) -> None:
        if self.exhausted is not None:
            return
        self.exhausted = date_of(self.env.now)
        w = self.w
        if w.tracing:
            w.note("economy", f"Japan's oil is down to its working floor "
                   f"({self.p['oil.working_floor']:.1f} M bbl): operations halt",
                   stock=w.ledger.values[OIL])
        if not w.signals.oil_exhausted.happened:  # it may have been forced earlier
            w.fire(w.signals.oil_exhausted)

    # --- reviews of the southern oil ----------------------------------------------------------
    def review_southern_oil(self) -> None:
        """Reset the oil used in the south and shipped home for the half year ahead, with the
        tankers the merchant fleet has on average over it."""
        p = self.p
        t = self.w.ledger.t
        south = self.cast.south
        self.tanker_survival = self.cast.shipping.tanker_ratio(t, t + REVIEW_DAYS)
        if south.t_dei_captured is None:
            self.south_oil_home = self.south_local = 0.0
            return
        months = (t - south.t_dei_captured) / (DAYS_PER_YEAR / 12.0)
        output = dei_output(p["oil.dei_mbbl_per_year"], p["oil.dei_damage"], months,
                            p["oil.restoration_months"])
        self.south_local = output * p["oil.southern_local_use"]
        available = output - self.south_local
        lift = tanker_lift(p["shipping.tanker_t"], p["shipping.tanker_voyages_per_year"],
                           p["shipping.tanker_home_share"],
                           self.tanker_survival) * south.shipping_effect
        self.south_oil_home = available if available < lift else lift

    def _review(self, t: float) -> None:
        self.review_southern_oil()
        self.recompute()

    def _dei_captured(self) -> None:
        self.review_southern_oil()
        self.recompute()

    def _concession_returned(self, t: float) -> None:
        self.concession_open = False
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
            "oil_stock_at_horizon": at_horizon(self.w, OIL),
            "oil_exhausted_date": self.exhausted,
            "oil_stock_end_1945": (december_value(oil, 1945) if self.w.t_end >= END_1945
                                   else at_horizon(self.w, OIL)),
        }
