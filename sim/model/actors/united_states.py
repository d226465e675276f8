"""The United States (docs/model.md §6b): the assets freeze, the oil embargo, war with Japan and
Lend-Lease to the USSR through the Pacific.

* **Freeze** (US-01, signal ``freeze``): ``united_states.freeze_lag_days`` after Japan moves into
  southern Indochina (T17: within 0-7 days; the freeze of 26 July fell between the Vichy
  agreement and the landings, POL-18), or ``embargo.delay_without_southern_move_days`` after
  ``embargo.date`` without a move, as sanctions tighten anyway.
* **Embargo** (EMB-04, signal ``embargo``): the freeze put every sale under two licences and the
  Foreign Funds Control released no dollars, so it became a total oil embargo (US-02): on the
  freeze, but not before the oil ban's ``embargo.date``.  With ``embargo.enabled`` false the
  licences are granted, as Roosevelt and Hull meant the freeze (US-02): oil keeps flowing.
* **War** (signal ``us_war``): at once when Japan attacks US and British territory; after an
  attack on the USSR alone only with the chance ``united_states.war_if_north`` (the Marshall-Stark
  advice of November 1941, US-10; US-12, US-13), drawn from ``decisions`` slot 36.
* **Lend-Lease through the Pacific** (US-14, US-15, US-16): a flow to the Soviet Far East from
  August 1941 on Soviet-flagged ships, growing with the ships given to the route, scaled to the
  documented total; a Japanese war with the USSR closes the route for good.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping
from functools import lru_cache
from typing import Any

from sim.model.accounts import LEND_LEASE_FLOW, LEND_LEASE_PACIFIC, date_of, day_of
from sim.model.actor import Actor
from sim.model.actors.china import DAYS_PER_MONTH
from sim.model.actors.oil import at_horizon
from sim.model.world import US_SLOTS

#: ``decisions`` slot of the US answer to a northern strike.
NORTH_ANSWER_SLOT = US_SLOTS[0]
#: Days from an attack on the USSR to a US declaration of war, if one comes: the President
#: would first seek authority from Congress (US-09's drafts), which took weeks in 1941 (US-13).
NORTH_ENTRY_DAYS = 30.0
#: Days from Barbarossa to the first cargoes (22 June -> August 1941 cash-and-carry, US-15).
ROUTE_AFTER_BARBAROSSA_DAYS = 40.0
#: Relative monthly tonnage of the Pacific route from each date (US-15, US-16, US-19): a few
#: Soviet ships on cash terms from August 1941, the first protocol from October, the 27 freighters
#: transferred in 1942, then Liberty ships as US construction doubled in 1943 (US-19); the route
#: closed in September 1945 (US-15).  Scaled so that the whole route carries
#: ``united_states.lend_lease_pacific_mt``.
ROUTE_PROFILE: tuple[tuple[dt.date, float], ...] = (
    (dt.date(1941, 8, 1), 0.2),
    (dt.date(1941, 10, 1), 0.4),
    (dt.date(1942, 1, 1), 1.0),
    (dt.date(1943, 1, 1), 2.0),
    (dt.date(1944, 1, 1), 2.2),
    (dt.date(1945, 9, 2), 0.0),
)
ROUTE_DAYS: tuple[float, ...] = tuple(day_of(d) for d, _ in ROUTE_PROFILE)
ROUTE_WEIGHTS: tuple[float, ...] = tuple(w for _, w in ROUTE_PROFILE)
ROUTE_CLOSE = ROUTE_DAYS[-1]


def route_weight(t: float) -> float:
    """Relative tonnage of the route at ``t`` (0 before it opens and after it closes)."""
    weight = 0.0
    for start, w in zip(ROUTE_DAYS, ROUTE_WEIGHTS):
        if t < start:
            break
        weight = w
    return weight


@lru_cache(maxsize=64)
def route_weight_months(t_open: float) -> float:
    """Weight x months the route runs from ``t_open`` to its close (the scale's divisor)."""
    total = 0.0
    for k, w in enumerate(ROUTE_WEIGHTS[:-1]):
        lo = max(ROUTE_DAYS[k], t_open)
        hi = ROUTE_DAYS[k + 1]
        if hi > lo:
            total += w * (hi - lo) / DAYS_PER_MONTH
    return total


class UnitedStates(Actor):
    """The freeze, the embargo, US war entry and the Pacific Lend-Lease route."""

    name = "united_states"
    READS = ("embargo.enabled", "embargo.date", "embargo.delay_without_southern_move_days",
             "embargo.import_loss_share", "united_states.freeze_lag_days",
             "united_states.war_if_north", "united_states.lend_lease_pacific_mt")
    OUTCOMES = ("embargo_date", "us_freeze_date", "us_war_date", "lend_lease_pacific_mt")
    RATE_FACTS = ("north_war",)
    ON_FACT = (("barbarossa", "_on_barbarossa"), ("southern_move", "_on_southern_move"),
               ("south_war", "_on_south_war"), ("north_war", "_on_north_war"))
    CALENDAR = tuple((date, "_route_step") for date, _ in ROUTE_PROFILE)

    def setup(self) -> None:
        self.embargo_date: dt.date | None = None
        self.freeze_date: dt.date | None = None
        self.war_date: dt.date | None = None
        #: M long tons a month now flowing through the Pacific to the USSR (0 if none)
        self.lend_lease_rate = 0.0
        self.t_route_open = float("inf")  # set when Germany attacks the USSR
        self._unit = 0.0  # M long tons a month per unit of route weight

    def start(self) -> None:
        fallback = day_of(self.p["embargo.date"]) + self.p[
            "embargo.delay_without_southern_move_days"]
        if fallback <= self.w.t_end:
            self.env.process(self._fallback(fallback))

    # --- the freeze and the embargo -----------------------------------------------------------
    def _on_southern_move(self) -> None:
        lag = self.p["united_states.freeze_lag_days"]
        if lag <= 0.0:
            self.freeze("Japan has moved into southern Indochina")
        else:
            self.env.process(self._freeze_after(lag))

    def _freeze_after(self, lag: float) -> Generator[Any, Any, None]:
        yield self.w.wait_for(lag)
        self.freeze("Japan has moved into southern Indochina")

    def _fallback(self, t: float) -> Generator[Any, Any, None]:
        yield self.w.wait_until(t)
        if not self.w.signals.southern_move.happened:
            self.freeze("sanctions tighten without a southern move")

    def freeze(self, why: str) -> None:
        """Freeze Japanese assets now (once); the embargo follows on the oil ban's date."""
        w = self.w
        signals = w.signals
        if signals.freeze.happened:
            return
        w.fire(signals.freeze, why)
        self.freeze_date = date_of(self.env.now)
        if w.tracing:
            w.note("economy", f"US freezes Japanese assets ({why}): trade needs licences")
        if not self.p["embargo.enabled"]:
            if w.tracing and not signals.south_war.happened:
                w.note("economy", "Export and dollar licences are granted: oil keeps flowing")
            return
        t_ban = day_of(self.p["embargo.date"])
        if t_ban <= self.env.now:
            self.impose(why)
        elif t_ban <= w.t_end:
            self.env.process(self._ban(t_ban, why))

    def _ban(self, t: float, why: str) -> Generator[Any, Any, None]:
        yield self.w.wait_until(t)
        self.impose(why)

    def impose(self, why: str) -> None:
        """The oil embargo: no licensed oil from now on (once)."""
        w = self.w
        if w.signals.embargo.happened:
            return
        w.fire(w.signals.embargo)
        self.embargo_date = date_of(self.env.now)
        if w.tracing:
            share = self.p["embargo.import_loss_share"]
            w.note("economy", f"US oil embargo ({why}): no dollars are released, "
                   f"{share:.0%} of oil imports lost", import_loss_share=share)

    # --- war ----------------------------------------------------------------------------------
    def _on_south_war(self) -> None:
        """Japan attacks US and British territory: everything frozen, and war at once."""
        self.freeze("war")
        if self.p["embargo.enabled"]:
            self.impose("war")
        self.enter_war("Japan attacks US and British territory")

    def _on_north_war(self) -> None:
        """An attack on the USSR alone: sanctions stay; war only with a low chance (US-10)."""
        w = self.w
        if w.signals.us_war.happened:
            return
        if w.u_decisions[NORTH_ANSWER_SLOT] < self.p["united_states.war_if_north"]:
            self.env.process(self._declare_after(NORTH_ENTRY_DAYS))
        elif w.tracing:
            w.note("diplomacy", "The United States does not go to war over an attack on the "
                   "USSR; sanctions stay")

    def _declare_after(self, days: float) -> Generator[Any, Any, None]:
        yield self.w.wait_for(days)
        self.freeze("war")
        if self.p["embargo.enabled"]:
            self.impose("war")
        self.enter_war("the United States joins the USSR against Japan")

    def enter_war(self, why: str) -> None:
        w = self.w
        if w.signals.us_war.happened:
            return
        w.fire(w.signals.us_war, why)
        self.war_date = date_of(self.env.now)
        if w.tracing:
            w.note("diplomacy", f"The United States is at war with Japan ({why})")

    # --- Lend-Lease through the Pacific -------------------------------------------------------
    def _on_barbarossa(self) -> None:
        """Lend-Lease to a USSR at war: the route opens in August 1941, or 40 days on."""
        self.t_route_open = max(ROUTE_DAYS[0], self.env.now + ROUTE_AFTER_BARBAROSSA_DAYS)
        if self.t_route_open >= ROUTE_CLOSE:
            return
        self._unit = (self.p["united_states.lend_lease_pacific_mt"]
                      / route_weight_months(self.t_route_open))
        if self.t_route_open not in ROUTE_DAYS and self.t_route_open <= self.w.t_end:
            self.env.process(self._open_route())

    def recompute(self) -> None:
        """The route's flow now: its profile, or nothing once Japan fights the USSR."""
        L = self.w.ledger
        t = L.t
        if (self.w.signals.north_war.happened or t < self.t_route_open
                or t >= ROUTE_CLOSE):
            rate = 0.0
        else:
            rate = self._unit * route_weight(t)
        if self.lend_lease_rate > 0.0 and rate == 0.0 and t < ROUTE_CLOSE and self.w.tracing:
            self.w.note("economy", "The Pacific Lend-Lease route to Vladivostok is closed")
        self.lend_lease_rate = rate
        L.values[LEND_LEASE_FLOW] = rate
        L.rates[LEND_LEASE_PACIFIC] = rate / DAYS_PER_MONTH

    def _route_step(self, t: float) -> None:
        self.recompute()

    def _open_route(self) -> Generator[Any, Any, None]:
        yield self.w.wait_until(self.t_route_open)
        self.recompute()

    def outcomes(self) -> dict[str, Any]:
        return {"embargo_date": self.embargo_date, "us_freeze_date": self.freeze_date,
                "us_war_date": self.war_date,
                "lend_lease_pacific_mt": at_horizon(self.w, LEND_LEASE_PACIFIC)}

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        return [(p["embargo.date"], "US oil embargo")] if p["embargo.enabled"] else []
