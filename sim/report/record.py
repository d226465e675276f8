"""The model against the record: each backtest target of :mod:`sim.reference`, its documented
value and band, what a run gives and whether that lies inside the band.

The statistic read for each target is the one ``tests/test_backtest.py`` checks (medians for
figures, shares for the choice, medians over the southern runs for the oil stocks), so a
report of the historical scenario shows the calibration a reader can verify.  A
counterfactual is *meant* to leave the record: its table says how far it does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.formatting import format_number, format_share
from sim.reference import OIL_STOCK_TARGETS, TARGETS, BacktestTarget

Outcomes = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class RecordRow:
    """One target: documented value and band, the model's value, inside the band or not
    (``None``: the run cannot say, e.g. the event never happened)."""

    id: str
    description: str
    documented: str
    band: str
    model: str
    inside: bool | None


def _numbers(outcomes: Outcomes, name: str) -> np.ndarray:
    values = np.asarray(outcomes[name], dtype=float)
    return values[np.isfinite(values)]


def _dates(outcomes: Outcomes, name: str) -> np.ndarray:
    values = np.asarray(outcomes[name]).astype("datetime64[D]")
    return values[~np.isnat(values)]


#: Targets that are shares of runs or of men, shown as percentages.
_SHARES = ("T8", "T11")


def _band(t: BacktestTarget) -> str:
    if t.low is None and t.high is None:
        return "-"
    if t.low is None:
        return f"by {t.high}"
    return f"{_show(t, t.low)} to {_show(t, t.high)}"


def _show(t: BacktestTarget, x: Any) -> str:
    if not isinstance(x, (int, float)):
        return str(x)
    if t.id in _SHARES:
        return format_share(float(x))
    return f"{x:,}" if isinstance(x, int) else format_number(x)


def _median_in_band(name: str, *, share: bool = False) -> Callable[[BacktestTarget, Outcomes,
                                                                    Any], tuple[str, bool | None]]:
    def judge(t: BacktestTarget, outcomes: Outcomes, _scenario: Any) -> tuple[str, bool | None]:
        x = _numbers(outcomes, name)
        if x.size == 0:
            return "did not happen", None
        m = float(np.median(x))
        text = format_share(m) if share else format_number(m)
        return f"median {text}", bool(float(t.low) <= m <= float(t.high))  # type: ignore[arg-type]
    return judge


def _casualty_ratio(soviet_name: str, japanese_name: str
                    ) -> Callable[[BacktestTarget, Outcomes, Any], tuple[str, bool | None]]:
    """The median Soviet / Japanese casualty ratio of a battle, over the runs that fought it."""
    def judge(t: BacktestTarget, outcomes: Outcomes, _scenario: Any) -> tuple[str, bool | None]:
        if soviet_name not in outcomes or japanese_name not in outcomes:
            return "not recorded", None
        japanese = np.asarray(outcomes[japanese_name], dtype=float)
        soviet = np.asarray(outcomes[soviet_name], dtype=float)
        ok = np.isfinite(japanese) & np.isfinite(soviet) & (japanese > 0)
        if not ok.any():
            return "battle not fought", None
        m = float(np.median(soviet[ok] / japanese[ok]))
        return f"median {m:.2f}", bool(float(t.low) <= m <= float(t.high))  # type: ignore[arg-type]
    return judge


def _checked_elsewhere(what: str) -> Callable[[BacktestTarget, Outcomes, Any],
                                             tuple[str, bool | None]]:
    """A target the outcome columns do not hold: the record page says where it is checked
    instead of judging it."""
    def judge(_t: BacktestTarget, _outcomes: Outcomes, _scenario: Any) -> tuple[str, bool | None]:
        return f"{what} (checked by tests/test_backtest.py)", None
    return judge



def _pact(t: BacktestTarget, _outcomes: Outcomes, scenario: Any) -> tuple[str, bool | None]:
    values = getattr(scenario, "values", None) or {}
    if values.get("neutrality_pact.enabled") is False:
        return "no pact in this scenario", False
    date = values.get("neutrality_pact.date")
    if not isinstance(date, dt.date):
        return "not recorded", None
    inside = dt.date.fromisoformat(str(t.low)) <= date <= dt.date.fromisoformat(str(t.high))
    return f"{date.isoformat()} (set by the scenario)", inside


def _south_share(t: BacktestTarget, outcomes: Outcomes, _scenario: Any
                 ) -> tuple[str, bool | None]:
    decisions = np.asarray(outcomes["decision"]).astype(str)
    share = float(np.mean(decisions == "south")) if decisions.size else float("nan")
    return f"{format_share(share)} of runs", bool(share >= float(t.low))  # type: ignore[arg-type]


def _no_north_in_1941(t: BacktestTarget, outcomes: Outcomes, _scenario: Any
                      ) -> tuple[str, bool | None]:
    attacks = _dates(outcomes, "north_attack_date")
    runs = len(np.asarray(outcomes["decision"]))
    early = float(np.sum(attacks <= np.datetime64("1941-12-31"))) / max(runs, 1)
    return (f"northern attack in 1941 in {format_share(early)} of runs",
            bool(early <= 0.02))


def _oil(t: BacktestTarget, outcomes: Outcomes, _scenario: Any) -> tuple[str, bool | None]:
    south = np.asarray(outcomes["decision"]).astype(str) == "south"
    if not south.any():
        return "no southern run", None
    medians, inside = [], True
    for year in (1941, 1942, 1943, 1944):
        values = np.asarray(outcomes[f"oil_stock_end_{year}"], dtype=float)[south]
        m = float(np.median(values))
        medians.append(f"{m:.1f}")
        inside &= 0.8 * OIL_STOCK_TARGETS[year] <= m <= 1.2 * OIL_STOCK_TARGETS[year]
    return f"medians {', '.join(medians)} (southern runs)", bool(inside)


def _recorded(*names: str) -> Callable[[Callable[..., tuple[str, bool | None]]],
                                         Callable[..., tuple[str, bool | None]]]:
    """A judge that says "not recorded" for a folder whose outcomes lack ``names`` (written by
    a model that did not record them)."""
    def wrap(judge: Callable[..., tuple[str, bool | None]]) -> Callable[..., tuple[str, bool | None]]:
        def guarded(t: BacktestTarget, outcomes: Outcomes, scenario: Any) -> tuple[str, bool | None]:
            if any(name not in outcomes for name in names):
                return "not recorded", None
            return judge(t, outcomes, scenario)
        return guarded
    return wrap


@_recorded("us_freeze_date", "southern_move_date")
def _freeze_lag(t: BacktestTarget, outcomes: Outcomes, _scenario: Any
                ) -> tuple[str, bool | None]:
    freeze = np.asarray(outcomes["us_freeze_date"]).astype("datetime64[D]")
    move = np.asarray(outcomes["southern_move_date"]).astype("datetime64[D]")
    both = ~np.isnat(freeze) & ~np.isnat(move)
    if not both.any():
        return "no freeze after a southern move", None
    lag = float(np.median((freeze[both] - move[both]).astype(float)))
    return (f"median {format_number(lag)} days",
            bool(float(t.low) <= lag <= float(t.high)))  # type: ignore[arg-type]


@_recorded("war_with_us_decided_date")
def _war_in_1941(t: BacktestTarget, outcomes: Outcomes, _scenario: Any
                 ) -> tuple[str, bool | None]:
    runs = len(np.asarray(outcomes["decision"]))
    war = _dates(outcomes, "south_attack_date")
    share = float(np.sum(war <= np.datetime64(str(t.high)))) / max(runs, 1)
    return f"war begun by {t.high} in {format_share(share)} of runs", bool(share >= 0.5)


@_recorded("north_attack_date")
def _no_attack_on_the_ussr(t: BacktestTarget, outcomes: Outcomes, _scenario: Any
                           ) -> tuple[str, bool | None]:
    runs = len(np.asarray(outcomes["decision"]))
    attacks = _dates(outcomes, "north_attack_date")
    share = 1.0 - float(np.sum(attacks < np.datetime64(str(t.value)))) / max(runs, 1)
    return (f"no attack on the USSR in {format_share(share)} of runs",
            bool(share >= T20_SHARE))


def _fleet_at_the_surrender(t: BacktestTarget, outcomes: Outcomes, _scenario: Any
                            ) -> tuple[str, bool | None]:
    x = _numbers(outcomes, "merchant_fleet_grt_1945_08")
    if x.size == 0:
        return "not reached (the run ends before August 1945)", None
    m = float(np.median(x))
    return f"median {format_number(m)} GRT in Aug 1945", bool(m <= float(t.high))  # type: ignore[arg-type]


def _kwantung_hollowed(_t: BacktestTarget, outcomes: Outcomes, _scenario: Any
                       ) -> tuple[str, bool | None]:
    """T23 through its outcome column: the Kwantung Army at the end of 1944 (JF-06: ~10
    divisions); the veterans left in 1945 are in the series (tests/test_backtest.py)."""
    x = _numbers(outcomes, "kwantung_divisions_1944_12")
    if x.size == 0:
        return "not reached (the run ends before 1945)", None
    m = float(np.median(x))
    return f"median {format_number(m)} divisions at the end of 1944", bool(9.0 <= m <= 11.0)


#: T20: the share of historical runs in which Japan never attacks the USSR before Aug 1945.
T20_SHARE = 0.8

#: How each target is read from a run.
_JUDGES: dict[str, Callable[[BacktestTarget, Outcomes, Any], tuple[str, bool | None]]] = {
    "T1": _median_in_band("kg_japanese_casualties"),
    "T2": _median_in_band("kg_soviet_casualties"),
    "T3": _casualty_ratio("kg_soviet_casualties", "kg_japanese_casualties"),
    "T4": _median_in_band("kg_offensive_days"),
    "T6": _median_in_band("cabinet_fall_days"),
    "T7": _pact,
    "T8": _south_share,
    "T9": _median_in_band("kantokuen_peak_men"),
    "T10": _no_north_in_1941,
    "T11": _median_in_band("soviet_fe_fraction_west_1941_12", share=True),
    "T14": _median_in_band("singapore_fall_days"),
    "T15": _oil,
    "T16": _recorded("fe_divisions_at_moscow")(_median_in_band("fe_divisions_at_moscow")),
    "T17": _freeze_lag,
    "T19": _war_in_1941,
    "T20": _no_attack_on_the_ussr,
    "T21": _recorded("merchant_fleet_grt_1945_08")(_fleet_at_the_surrender),
    "T23": _recorded("kwantung_divisions_1944_12")(_kwantung_hollowed),
    "T25": _checked_elsewhere("the Soviet Far East's trough and its 1945 surge are in the "
                              "monthly series (fan charts)"),
    "T27": _casualty_ratio("khasan_soviet_casualties", "khasan_japanese_casualties"),
    "T28": _checked_elsewhere("the China front's activity index, 1942-44, is an input of the "
                              "model's China theatre"),
}

#: How a band is said when it is not a plain range.
_BANDS = {"T8": "at least 70%", "T10": "no attack in 1941 (at most 2% of runs)",
          "T15": "within 20% each year", "T19": "war by 31 Dec 1941 in most runs",
          "T20": f"no attack on the USSR in at least {T20_SHARE:.0%} of runs",
          "T21": "Aug 1945 at most 2.0 M GRT", "T23": "~10 divisions at the end of 1944"}


def record_rows(outcomes: Outcomes, scenario: Any = None) -> list[RecordRow]:
    """Every backtest target against the run's outcomes."""
    rows = []
    for t in TARGETS:
        model, inside = _JUDGES[t.id](t, outcomes, scenario)
        rows.append(RecordRow(t.id, t.description, _show(t, t.value), _BANDS.get(t.id, _band(t)),
                              model, inside))
    return rows
