"""Documented points on the monthly series: where the historical fan charts should pass.

Each checkpoint is a documented level at a month end (value, credible range, the IDs it comes
from).  ``docs/make_fan_table.py`` sets the historical scenario's medians and 90% bands beside
them, and the fan charts can mark them.  The figures are those of the reference rows (JF-,
SH-, SFE-, MAN-, OIL-), carried here so that the package stands alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

D = dt.date
#: The merchant fleet's share without tankers, Dec 1941 (SH-01: 5.42 of 6.34 M GRT).
DRY_SHARE_1941 = 5.42 / 6.34


@dataclass(frozen=True)
class Checkpoint:
    """A documented level of one series at a month end."""

    series: str
    date: dt.date  # the month end the value is compared at
    value: float
    low: float | None
    high: float | None
    ids: tuple[str, ...]
    note: str = ""
    #: what the series is multiplied by before it is compared (the fleet less its tankers,
    #: for a figure that excludes them)
    model_factor: float = 1.0
    #: drawn on the fan charts (not when the series counts something else, e.g. a fleet figure
    #: without tankers against a series with them, or when a target marker already shows it)
    on_chart: bool = True


CHECKPOINTS: tuple[Checkpoint, ...] = (
    # Japan's army by theatre (JF-04, JF-07..JF-10); Manchuria counts Korea with it
    Checkpoint("jp_men_china", D(1940, 12, 31), 680_000, None, None, ("JF-04", "CHN-06")),
    Checkpoint("jp_men_china", D(1943, 8, 31), 620_000, None, None, ("JF-04", "CHN-06")),
    Checkpoint("jp_men_china", D(1945, 8, 31), 1_050_000, 1_050_000, 1_086_000,
               ("JF-04", "CHN-06")),
    # the force that faced the invasion of 9 Aug, at the month end before it: by 31 August
    # the war's losses are off the account (the documented figures are of the army at war)
    Checkpoint("jp_men_manchuria", D(1945, 7, 31), 1_035_900, 959_500, 1_115_900,
               ("JF-07", "JF-08", "MAN-03"), "Manchuria ~700,000 + Korea 335,900, facing "
               "the invasion of 9 Aug"),
    Checkpoint("jp_men_south", D(1945, 8, 31), 800_000, None, None, ("JF-09",),
               "Southern Army"),
    Checkpoint("jp_men_home", D(1945, 8, 31), 2_388_000, 2_250_000, 2_500_000, ("JF-10",)),
    # Kwantung Army divisions (JF-06): 13 (1941), 15 (1943), ~10 (1944), 24 (1945)
    Checkpoint("jp_divisions_manchuria", D(1941, 12, 31), 13, None, None, ("JF-06",)),
    Checkpoint("jp_divisions_manchuria", D(1943, 12, 31), 15, None, None, ("JF-06",)),
    Checkpoint("jp_divisions_manchuria", D(1944, 12, 31), 10, None, None, ("JF-06",)),
    Checkpoint("jp_divisions_manchuria", D(1945, 8, 31), 24, None, None, ("JF-06",)),
    # the merchant fleet (SH-01..SH-05); the 1942-43 figures exclude tankers, so the series is
    # compared less its tankers at their Dec 1941 share (SH-01: 0.92 of 6.34 M GRT; the model
    # sinks them at the fleet's hazard to July 1943, faster after: an upper bound for 1943)
    Checkpoint("merchant_fleet_grt", D(1941, 12, 31), 6_340_000, 6_300_000, 6_384_000,
               ("SH-01",)),
    Checkpoint("merchant_fleet_grt", D(1942, 12, 31), 5_250_000, None, None, ("SH-02",),
               "excluding tankers", model_factor=DRY_SHARE_1941, on_chart=False),
    Checkpoint("merchant_fleet_grt", D(1943, 12, 31), 4_170_000, None, None, ("SH-03",),
               "excluding tankers", model_factor=DRY_SHARE_1941, on_chart=False),
    Checkpoint("merchant_fleet_grt", D(1945, 8, 31), 1_340_000, 0, 2_000_000,
               ("SH-05", "T21")),
    # the Soviet Far East (SFE-11, T25, MAN-02)
    Checkpoint("soviet_fe_men", D(1943, 12, 31), 1_162_991, 900_000, 1_200_000,
               ("SFE-11", "T25"), "1 Jan 1944; T25's trough band"),
    Checkpoint("soviet_fe_men", D(1945, 8, 31), 1_577_725, None, None, ("MAN-02",)),
    # Japan's oil stock (OIL-09, T15: +-20% each year)
    *(Checkpoint("oil_stock", D(year, 12, 31), v, 0.8 * v, 1.2 * v, ("OIL-09", "T15"),
                 on_chart=False)  # the fan charts mark these as T15
      for year, v in ((1941, 48.9), (1942, 38.2), (1943, 25.3), (1944, 13.8))),
    Checkpoint("oil_stock", D(1945, 8, 31), 5.0, 3.0, 8.0, ("OIL-09", "OIL-09b"),
               "the 1945 low, compared at the horizon's month"),
)
