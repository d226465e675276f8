"""The target tables the package ships: the backtests (T1-T16; T21, T23, T27 of the war to
1945) and the decision record (POL-*).

Data only, in one place: each row says which outcome it reads, so when outcomes are renamed
this file is the one to edit, and
:meth:`sim.calibrate.targets.Target.compiled` says which row names an outcome that no longer
exists.  Values and bands come from :mod:`sim.reference` wherever it holds them, so a figure
is written once.

The decision record reads the direction conferences (``conference_1_choice``, 27 Jul 1940;
``conference_2_choice``, 2 Jul 1941), the steps of the road to war
(``conference_1941_09_06_war`` ... , 6 Sep to 5 Nov 1941), the war decision's date and the
attack dates.  The share of runs that must make the recorded choice is T8's (at least 70%:
POL-03), applied to each meeting; the dates take T19's +-2 weeks.
"""

from __future__ import annotations

from sim.calibrate.targets import Target
from sim.reference import OIL_STOCK_TARGETS, TARGET_BY_ID


def _band(tid: str) -> tuple[object, object, object]:
    t = TARGET_BY_ID[tid]
    return t.value, t.low, t.high


def _backtest(tid: str, outcome: str, statistic: str = "median",
              where: str | None = None) -> Target:
    t = TARGET_BY_ID[tid]
    value, low, high = _band(tid)
    return Target(tid, t.description, outcome, statistic, value, low, high, where,
                  (tid, *t.source_ids))


#: The share of runs that must make the documented choice (T8: "south in >= 70%").
CHOICE_SHARE = float(TARGET_BY_ID["T8"].low)  # type: ignore[arg-type]


def _oil(year: int) -> Target:
    """T15, one year: the median year-end stock of the runs that went south, +-20% (OIL-09)."""
    best = OIL_STOCK_TARGETS[year]
    return Target(f"T15-{year}", f"Japan's oil stock on 31 Dec {year} (M bbl), +-20%",
                  f"oil_stock_end_{year}", "median", best, round(0.8 * best, 2),
                  round(1.2 * best, 2), "decision == 'south'", ("T15", "OIL-09"))


BACKTESTS: tuple[Target, ...] = (
    _backtest("T1", "kg_japanese_casualties"),
    _backtest("T2", "kg_soviet_casualties"),
    _backtest("T3", "kg_soviet_casualties / kg_japanese_casualties"),
    _backtest("T4", "kg_offensive_days"),
    _backtest("T6", "cabinet_fall_days"),
    _backtest("T8", "decision == 'south'", "share"),
    _backtest("T9", "kantokuen_peak_men"),
    Target("T10", TARGET_BY_ID["T10"].description, "north_attack_date <= '1941-12-31'",
           "share", 0.0, None, 0.02, None, ("T10", "KT-07", "KT-08", "KT-09")),
    _backtest("T11", "soviet_fe_fraction_west_1941_12"),
    _backtest("T14", "singapore_fall_days"),
    _backtest("T16", "fe_divisions_at_moscow"),
    *(_oil(year) for year in (1941, 1942, 1943, 1944)),
    # war_1938_45.md §3: the targets with an outcome (T19, T20 are the decision record's)
    _backtest("T27", "khasan_soviet_casualties / khasan_japanese_casualties"),
    Target("T23-1944", "Kwantung Army stripped to 10-11 divisions by the end of 1944",
           "kwantung_divisions_1944_12", "median", 10, 10, 11, None, ("T23", "JF-06")),
    Target("T21", TARGET_BY_ID["T21"].description, "merchant_fleet_grt_1945_08", "median",
           TARGET_BY_ID["T21"].value, None, TARGET_BY_ID["T21"].high, None,
           ("T21", *TARGET_BY_ID["T21"].source_ids)),
)


def _choice(tid: str, conference: int, choice: str, description: str,
            sources: tuple[str, ...]) -> Target:
    return Target(tid, description, f"conference_{conference}_choice == '{choice}'", "share",
                  1.0, CHOICE_SHARE, 1.0, None, (*sources, "T8"))


def _war_step(tid: str, meeting: str, description: str, sources: tuple[str, ...]) -> Target:
    return Target(tid, description, f"conference_{meeting}_war == 'war'", "share", 1.0,
                  CHOICE_SHARE, 1.0, None, (*sources, "T19"))


DECISIONS: tuple[Target, ...] = (
    _choice("POL-01", 1, "south", "27 Jul 1940: the southern problem, by taking opportunities",
            ("POL-01", "DIP-09")),
    _choice("POL-15", 2, "south", "2 Jul 1941: advance south; the north only if favourable",
            ("POL-15", "POL-03")),
    _war_step("POL-21", "1941_09_06", "6 Sep 1941: war preparations against the West by late Oct",
              ("POL-21", "POL-05")),
    _war_step("POL-23", "1941_10_16", "The October crisis: Tojo's cabinet goes on preparing",
              ("POL-22", "POL-23")),
    _war_step("POL-25", "1941_11_05", "5 Nov 1941: war in early December if talks fail",
              ("POL-25",)),
    Target("POL-27-decided", "1 Dec 1941: the Imperial Conference decides on war (+-2 weeks)",
           "war_with_us_decided_date", "median", "1941-12-01", "1941-11-17", "1941-12-15",
           None, ("POL-27", "T19")),
    Target("POL-28", "No attack on the USSR before August 1945 (the requests of 1941-43 "
           "refused)", "north_attack_date < '1945-08-01'", "share", 0.0, None, 0.1, None,
           ("POL-28", "EF-20", "T20")),
    Target("POL-20", "No northern war in 1941 (Army decision of 9 Aug)",
           "north_attack_date <= '1941-12-31'", "share", 0.0, None, 0.02, None,
           ("POL-20", "KT-09", "T10")),
    Target("POL-16", "The northern attack called off by the end of August 1941",
           "kantokuen_cancelled_date", "median", "1941-08-09", "1941-07-26", "1941-08-31",
           # the 1941 call-off only: a northern plan of 1940 is called off too (no German war
           # on the USSR yet), and its date is not Kantokuen's
           "kantokuen_cancelled_date >= '1941-01-01' and kantokuen_cancelled_date < '1942-01-01'",
           ("POL-16", "KT-09", "T10")),
    Target("POL-27", "The war in the south starts in early December 1941 (+-2 weeks)",
           "south_attack_date", "median", "1941-12-07", "1941-11-23", "1941-12-21",
           None, ("POL-27", "POL-08", "T19")),
    Target("POL-27-share", "War with the West before the end of 1941",
           "south_attack_date <= '1941-12-31'", "share", 1.0, CHOICE_SHARE, 1.0, None,
           ("POL-27", "T19")),
)

#: The tables ``--targets`` names.
TABLES: dict[str, tuple[Target, ...]] = {"backtests": BACKTESTS, "decisions": DECISIONS}
