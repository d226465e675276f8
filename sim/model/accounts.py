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

from sim.outcomes import SIM_START, month_ends

ORIGIN = SIM_START.toordinal()

# account indices --------------------------------------------------------------------------------
OIL = 0  # Japan's oil stock, M bbl (never negative)
CHINA = 1  # Japanese men in China proper
MANCHURIA = 2  # Kwantung + Korea armies
SOUTH = 3  # Southern Army and the Pacific garrisons
HOME = 4  # trained men at home (depots, reserves)
SOVIET_FE = 5  # Soviet Far East men
N_SERIES = 6  # accounts 0..5 are sampled at month ends (sim.outcomes.SERIES order)
RECRUITS = 6  # men inducted since Jan 1939 (cumulative)
JP_CASUALTIES = 7  # Japanese casualties since Jan 1939, every theatre (cumulative)
CHINA_CASUALTIES = 8  # of which in China
SOUTH_OIL_HOME = 9  # southern oil shipped home (cumulative, M bbl)
FE_SENT_WEST = 10  # Soviet Far East men sent west (cumulative)
N_ACCOUNTS = 11

SERIES_NAMES = ("oil_stock", "jp_men_china", "jp_men_manchuria", "jp_men_south", "jp_men_home",
                "soviet_fe_men")


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


class Ledger:
    """Accounts integrated at piecewise-constant rates and sampled at month ends.

    Values and rates may only be changed at the current time: call :meth:`advance` first.
    The oil account is floored at zero (consumption stops when the tanks are dry; the
    shortfall is what rationing then has to absorb) and the Soviet Far East at
    ``fe_floor`` (the garrison Moscow always keeps).
    """

    __slots__ = ("t", "values", "rates", "month_days", "k", "samples", "fe_floor")

    def __init__(self, horizon: dt.date) -> None:
        self.t = 0.0
        self.values = [0.0] * N_ACCOUNTS
        self.rates = [0.0] * N_ACCOUNTS
        self.month_days = month_end_days(horizon)
        self.k = 0
        self.samples: list[list[float]] = [[] for _ in range(N_SERIES)]
        self.fe_floor = 0.0

    def advance(self, t: float) -> None:
        """Integrate every account to time ``t``, filling the month ends on the way."""
        t0 = self.t
        if t <= t0:
            return
        v = self.values
        r = self.rates
        md = self.month_days
        k = self.k
        if k < len(md) and md[k] <= t:
            k2 = bisect_right(md, t, k)
            ends = md[k:k2]
            samples = self.samples
            oil, rate = v[OIL], r[OIL]
            if rate >= 0.0 or oil + rate * (ends[-1] - t0) >= 0.0:
                samples[OIL].extend([oil + rate * (m - t0) for m in ends])
            else:
                samples[OIL].extend([max(0.0, oil + rate * (m - t0)) for m in ends])
            for i in range(1, N_SERIES):
                a, b = v[i], r[i]
                if b == 0.0:
                    samples[i].extend([a] * (k2 - k))
                elif i == SOVIET_FE and b < 0.0:
                    f = self.fe_floor
                    samples[i].extend([max(f, a + b * (m - t0)) for m in ends])
                else:
                    samples[i].extend([a + b * (m - t0) for m in ends])
            self.k = k2
        d = t - t0
        v[:] = [a + b * d for a, b in zip(v, r)]
        if v[OIL] < 0.0:
            v[OIL] = 0.0
        if v[SOVIET_FE] < self.fe_floor and r[SOVIET_FE] < 0.0:
            v[SOVIET_FE] = self.fe_floor
        self.t = t

    def finish(self) -> None:
        """Fill the month ends left after the last event."""
        if self.month_days:
            self.advance(max(self.t, self.month_days[-1]))

    def move(self, source: int, target: int, amount: float) -> None:
        """Move ``amount`` from one account to another at the current time."""
        self.values[source] -= amount
        self.values[target] += amount
