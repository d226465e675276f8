"""The accounts one replication carries: a clock in days, accounts that change at
piecewise-constant rates, and the month-end samples the series are made of.

Why rates: the model's events are few (a few dozen per replication) but its bookkeeping is
monthly.  Between two events every flow (conscription, the China drain, oil consumption,
Soviet transfers) is constant, so the ledger integrates the rates exactly and fills the
month-end values it crosses, instead of waking a process every month.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from functools import lru_cache
from operator import add

import numpy as np

from sim.outcomes import SIM_START, month_ends

ORIGIN = SIM_START.toordinal()

# account indices --------------------------------------------------------------------------------
OIL = 0  # Japan's oil stock, M bbl (never negative)
CHINA = 1  # Japanese men in China proper
MANCHURIA = 2  # Kwantung + Korea armies
SOUTH = 3  # Southern Army and the Pacific garrisons
HOME = 4  # trained men at home (depots, reserves)
SOVIET_FE = 5  # Soviet Far East men
GERMAN_PRESSURE = 6  # German pressure on the USSR (a level: 1 = summer 1941)
SOVIET_RESERVE = 7  # Soviet strategic reserve, men (a level the Eastern Front sets)
LEND_LEASE_FLOW = 8  # Lend-Lease through the Pacific, M long tons a month (a level)
KWANTUNG_DIVISIONS = 9  # Japanese divisions in Manchuria and Korea (a level the army sets)
MERCHANT_FLEET = 10  # Japan's merchant fleet, GRT, tankers included (shipping)
N_SERIES = 11  # accounts 0..10 are sampled at month ends (sim.outcomes.SERIES order)
RECRUITS = 11  # men inducted since Jan 1939 (cumulative)
JP_CASUALTIES = 12  # Japanese casualties since Jan 1939, every theatre (cumulative)
CHINA_CASUALTIES = 13  # of which in China
SOUTH_OIL_HOME = 14  # southern oil shipped home (cumulative, M bbl)
FE_SENT_WEST = 15  # Soviet Far East men sent west (cumulative)
LEND_LEASE_PACIFIC = 16  # Lend-Lease shipped through the Pacific (cumulative, M long tons)
N_ACCOUNTS = 17

SERIES_NAMES = ("oil_stock", "jp_men_china", "jp_men_manchuria", "jp_men_south", "jp_men_home",
                "soviet_fe_men", "german_pressure", "soviet_reserve", "lend_lease_pacific",
                "jp_divisions_manchuria", "merchant_fleet_grt")


def day_of(date: dt.date) -> float:
    """Simulation time (days since 1 Jan 1939) of a date."""
    return float(date.toordinal() - ORIGIN)


def date_of(t: float) -> dt.date:
    """The calendar date a simulation time falls on."""
    return dt.date.fromordinal(ORIGIN + int(t))


def in_year(date: dt.date, year: int) -> dt.date:
    """The same day and month in another year (29 February falls back to the 28th)."""
    try:
        return date.replace(year=year)
    except ValueError:
        return date.replace(year=year, day=28)


def december_value(series: list[float], year: int) -> float | None:
    """A monthly series' value at the end of December ``year`` (None past the horizon)."""
    k = (year - SIM_START.year) * 12 + 11
    return series[k] if k < len(series) else None


@lru_cache(maxsize=16)
def month_end_days(horizon: dt.date) -> tuple[float, ...]:
    """Simulation times of the month ends up to the horizon (value taken at the end of the day)."""
    return tuple(day_of(d) + 1.0 for d in month_ends(horizon))


@lru_cache(maxsize=16)
def _month_end_array(month_days: tuple[float, ...]) -> np.ndarray:
    """``month_days`` as a read-only array, made once per horizon rather than per replication."""
    arr = np.array(month_days, dtype=np.float64)
    arr.flags.writeable = False
    return arr


class Ledger:
    """Accounts integrated at piecewise-constant rates and sampled at month ends.

    Values and rates may only be changed at the current time: call :meth:`advance` first.
    The oil account is floored at zero (consumption stops when the tanks are dry; the
    shortfall is what rationing then has to absorb) and the Soviet Far East at
    ``fe_floor`` (the garrison Moscow always keeps).

    Why sampling is deferred: an advance that crosses month ends only notes the stretch it
    covered (its start, the series' values and rates, the floor); :attr:`samples` works out
    every month end of every stretch at once, with numpy, when it is first read (the actors
    read it in their outcomes), with the same arithmetic as one month at a time.
    """

    __slots__ = ("t", "values", "rates", "month_days", "k", "fe_floor", "_stretches",
                 "_array", "_lists", "_next_month")

    def __init__(self, horizon: dt.date) -> None:
        self.t = 0.0
        self.values = [0.0] * N_ACCOUNTS
        self.rates = [0.0] * N_ACCOUNTS
        self.month_days = month_end_days(horizon)
        self.k = 0
        self.fe_floor = 0.0
        #: one flat row per stretch: first month end, one past the last, start time, floor,
        #: then the series' values and their rates (one ``np.array`` call makes them a table)
        self._stretches: list[list[float]] = []
        self._array: np.ndarray | None = None
        self._lists: list[list[float]] | None = None
        #: the next month end to sample (infinite past the last), so that an advance that
        #: crosses none costs one comparison
        self._next_month = self.month_days[0] if self.month_days else float("inf")

    def advance(self, t: float) -> None:
        """Integrate every account to time ``t``, noting the month ends on the way.

        ``value + rate * d`` for every account, as ``value + d * rate`` (the same float: IEEE
        multiplication commutes) through ``map``, which is a third cheaper than a list
        comprehension at this size: the ledger is advanced at every event."""
        t0 = self.t
        if t <= t0:
            return
        v = self.values
        r = self.rates
        if self._next_month <= t:
            md = self.month_days
            k = self.k
            k2 = bisect_right(md, t, k)
            self._stretches.append([k, k2, t0, self.fe_floor, *v[:N_SERIES], *r[:N_SERIES]])
            self._array = self._lists = None
            self.k = k2
            self._next_month = md[k2] if k2 < len(md) else float("inf")
        v[:] = map(add, v, map(float(t - t0).__mul__, r))
        if v[OIL] < 0.0:
            v[OIL] = 0.0
        if v[SOVIET_FE] < self.fe_floor and r[SOVIET_FE] < 0.0:
            v[SOVIET_FE] = self.fe_floor
        self.t = t

    def finish(self) -> None:
        """Fill the month ends left after the last event."""
        if self.month_days:
            self.advance(max(self.t, self.month_days[-1]))

    def sample_array(self) -> np.ndarray:
        """The month-end values so far, one row per series (``SERIES_NAMES`` order)."""
        if self._array is None:
            self._array = _sample(self._stretches, self.month_days, self.k)
        return self._array

    @property
    def samples(self) -> list[list[float]]:
        """The month-end values so far, one list of floats per series."""
        if self._lists is None:
            self._lists = self.sample_array().tolist()
        return self._lists

    def move(self, source: int, target: int, amount: float) -> None:
        """Move ``amount`` from one account to another at the current time."""
        self.values[source] -= amount
        self.values[target] += amount


def _sample(stretches: list[list[float]], month_days: tuple[float, ...], k: int) -> np.ndarray:
    """Every month end of the noted stretches: ``value + rate * (month end - start)``, kept
    exactly ``value`` at a zero rate, oil floored at zero on a falling stretch that ends
    below it, the Soviet Far East at its floor on a falling one."""
    if not stretches:
        return np.empty((N_SERIES, 0))
    table = np.array(stretches, dtype=np.float64)
    first, stop = table[:, 0].astype(np.intp), table[:, 1].astype(np.intp)
    t0, floor = table[:, 2], table[:, 3]
    values, rates = table[:, 4:4 + N_SERIES], table[:, 4 + N_SERIES:]
    which = np.repeat(np.arange(len(stretches)), stop - first)
    v, r = values[which], rates[which]
    x = v + r * (_month_end_array(month_days)[:k] - t0[which])[:, None]
    x = np.where(r == 0.0, v, x)
    oil_rate = rates[:, OIL]
    dry = (oil_rate < 0.0) & (x[stop - 1, OIL] < 0.0)
    x[:, OIL] = np.where(dry[which], np.maximum(0.0, x[:, OIL]), x[:, OIL])
    falling = r[:, SOVIET_FE] < 0.0
    x[:, SOVIET_FE] = np.where(falling, np.maximum(floor[which], x[:, SOVIET_FE]),
                               x[:, SOVIET_FE])
    return x.T
