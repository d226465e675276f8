"""The China war to 1945 (docs/model.md §4): the men its fronts require and the men it holds,
its casualties from the fighting's intensity, Operation Ichi-Go, and the floor below which
ground is lost.

* **Men required** follow the documented garrison (JF-04, CHN-06): ``china.garrison_men`` to
  Dec 1941, ~620,000 in Aug 1943, ~1.05 M in Aug 1945 (the increase came with Ichi-Go and the
  ground it took; without it the garrison stays at the 1943 level).  ``china.drain_multiplier``
  scales the war between the occupation floor of a settled China (0) and the historical one (1).
* **Casualties** follow CHN-10 (Chinese army casualties a year) as an activity index: scaled to
  CHN-04's rate (3,440 dead a month) to Nov 1941 and to CHN-08's ~270,000 dead from Dec 1941 to
  Aug 1945, Ichi-Go's own casualties (JF-13) included.
* **Men held** are the men required less what the allocation levers move out (the army moves
  them).  Below what is required ground is lost (the share short) and the thinned garrison's
  drain rises as required / held.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

from sim.model.accounts import CHINA, day_of
from sim.model.actor import Actor

DAYS_PER_MONTH = 30.4375
DAYS_PER_YEAR = 365.25
#: CHN-08 counts from Dec 1941: the two scalings of the activity index meet there.
ERA_SPLIT = dt.date(1941, 12, 1)
ICHIGO_START = dt.date(1944, 4, 1)  # JF-12: Apr-Dec 1944
ICHIGO_END = dt.date(1945, 1, 1)
SURRENDER = dt.date(1945, 8, 15)
#: CHN-10: Chinese army casualties a year, by period (the last two are judgement: Q1 1944's
#: monthly rate outside Ichi-Go, 1943's level in 1945, for which no count was found).
ACTIVITY_OFF: tuple[tuple[dt.date, float], ...] = (
    (dt.date(1939, 1, 1), 341543.0), (dt.date(1940, 1, 1), 673386.0),
    (dt.date(1941, 1, 1), 282169.0), (ERA_SPLIT, 282169.0), (dt.date(1942, 1, 1), 246390.0),
    (dt.date(1943, 1, 1), 87113.0), (dt.date(1944, 1, 1), 3783.0 * 4.0),
    (ICHIGO_START, 3783.0 * 4.0), (ICHIGO_END, 87113.0), (SURRENDER, 0.0))
#: CHN-10: Apr-Jun 1944 under Ichi-Go (26,706 + 19,551 + 19,780 a quarter), a year.
ACTIVITY_ICHIGO = (26706.0 + 19551.0 + 19780.0) * 4.0
#: JF-04 / CHN-06: men in China proper in Aug 1943 and Aug 1945.
MEN_1943 = 620000.0
MEN_1945 = 1050000.0
MEN_1943_DATE = dt.date(1943, 8, 31)
#: Dated changes of the China front (activity periods, the garrison's ramps).
CHANGES = tuple(sorted({d for d, _ in ACTIVITY_OFF} | {MEN_1943_DATE}))
T_CHANGES = tuple(day_of(d) for d in CHANGES)
T_ICHIGO_START = day_of(ICHIGO_START)
T_ICHIGO_END = day_of(ICHIGO_END)


def _index_days(start: dt.date, stop: dt.date) -> float:
    """Sum of the index (outside Ichi-Go) times years over [start, stop)."""
    total = 0.0
    for (d0, value), (d1, _) in zip(ACTIVITY_OFF, ACTIVITY_OFF[1:]):
        lo, hi = max(d0, start), min(d1, stop)
        if hi > lo:
            total += value * (hi - lo).days / DAYS_PER_YEAR
    return total


INDEX_ERA1 = _index_days(dt.date(1939, 1, 1), ERA_SPLIT)
INDEX_ERA2 = _index_days(ERA_SPLIT, SURRENDER)
MONTHS_ERA1 = (ERA_SPLIT - dt.date(1939, 1, 1)).days / DAYS_PER_MONTH
ICHIGO_DAYS = float((ICHIGO_END - ICHIGO_START).days)


def activity(date: dt.date, ichigo: bool) -> float:
    """The China front's activity index on ``date`` (CHN-10, Chinese army casualties a year)."""
    if ichigo and ICHIGO_START <= date < ICHIGO_END:
        return ACTIVITY_ICHIGO
    value = 0.0
    for d, v in ACTIVITY_OFF:
        if d > date:
            break
        value = v
    return value


def floor_divisions(p: Mapping[str, Any]) -> float:
    """Divisions China pins: CHN-01's 22 at drain 1, the occupation floor if the war is settled."""
    drain = p["china.drain_multiplier"]
    settled = p["china.settled_divisions"]
    full = p["china.garrison_divisions"]
    share = drain if drain < 1.0 else 1.0
    return settled + (full - settled) * share


def men_per_division(p: Mapping[str, Any]) -> float:
    """Men per division-equivalent in China (the 1941 garrison over its divisions, CHN-01/03)."""
    return p["china.garrison_men"] / p["china.garrison_divisions"]


def garrison_men(p: Mapping[str, Any]) -> float:
    """Men in China proper in 1939-41: the garrison scaled to the divisions China pins."""
    return men_per_division(p) * floor_divisions(p)


def required_men(p: Mapping[str, Any], date: dt.date) -> float:
    """Men China's fronts require on ``date`` (JF-04), between the settled floor and history."""
    settled = men_per_division(p) * p["china.settled_divisions"]
    full = p["china.garrison_men"]
    if date <= ERA_SPLIT:
        history = full
    elif date <= MEN_1943_DATE:
        share = (date - ERA_SPLIT).days / (MEN_1943_DATE - ERA_SPLIT).days
        history = full + (MEN_1943 - full) * share
    elif date <= ICHIGO_START or not p["china.ichigo"]:
        history = MEN_1943
    else:
        share = min(1.0, (date - ICHIGO_START).days / (SURRENDER - ICHIGO_START).days)
        history = MEN_1943 + (MEN_1945 - MEN_1943) * share
    drain = p["china.drain_multiplier"]
    share = drain if drain < 1.0 else 1.0
    return settled + (history - settled) * share if history > settled else history


class China(Actor):
    """The China theatre: the men its fronts require, its casualties, Ichi-Go, the floor."""

    name = "china"
    READS = ("china.drain_multiplier", "china.settled_divisions", "china.garrison_divisions",
             "china.garrison_men", "china.dead_per_month", "china.wounded_per_month",
             "china.oil_mbbl_per_year", "china.dead_1942_45", "china.ichigo",
             "china.ichigo_casualties")
    OUTCOMES = ("china_men_1943_08", "china_men_1945_08", "ichigo_japanese_casualties")
    CALENDAR = tuple((d, "_period") for d in CHANGES if d > dt.date(1939, 1, 1))

    def setup(self) -> None:
        p = self.p
        self.men_1939 = garrison_men(p)
        self.per_division = men_per_division(p)
        self.settled = p["china.settled_divisions"]
        self.drain = p["china.drain_multiplier"]
        self.ichigo = bool(p["china.ichigo"])
        wounded_per_dead = p["china.wounded_per_month"] / p["china.dead_per_month"]
        #: casualties a day per unit of the activity index, before and from Dec 1941
        self._scale1 = (p["china.dead_per_month"] * MONTHS_ERA1 / INDEX_ERA1
                        * (1.0 + wounded_per_dead) / DAYS_PER_YEAR)
        baseline = max(0.0, p["china.dead_1942_45"] - p["china.ichigo_casualties"])
        self._scale2 = baseline / INDEX_ERA2 * (1.0 + wounded_per_dead) / DAYS_PER_YEAR
        self._ichigo_per_day = p["china.ichigo_casualties"] / ICHIGO_DAYS
        #: men moved out of China by the allocation levers (held = required - moved out)
        self.moved_out = 0.0
        self.ground_lost = 0.0  # share of the occupied ground given up (held below required)
        self.ichigo_casualties: float | None = None
        #: oil the war burns, M bbl/yr (OIL-07)
        self.oil_per_year = p["china.oil_mbbl_per_year"] * self.drain
        self.w.ledger.values[CHINA] = self.men_1939
        self._floor = self.per_division * self.settled
        #: men required and casualties a day (before the floor's pressure) from each change
        self._required = [required_men(p, d) for d in CHANGES]
        self._per_day = [
            ((self._scale1 if d < ERA_SPLIT else self._scale2) * activity(d, False)
             + (self._ichigo_per_day if self.ichigo and ICHIGO_START <= d < ICHIGO_END
                else 0.0)) * self.drain for d in CHANGES]
        self._set(T_CHANGES[0])

    def _set(self, now: float) -> None:
        """Rates from ``now`` to the next dated change: the garrison's ramp and the drain."""
        k = bisect_right(T_CHANGES, now) - 1
        t0 = T_CHANGES[k]
        req = self._required
        held = self.w.ledger.values[CHINA]
        if k + 1 < len(T_CHANGES):
            t1 = T_CHANGES[k + 1]
            required = req[k] + (req[k + 1] - req[k]) * (now - t0) / (t1 - t0)
            # held = required - moved out, never below the settled floor
            target = req[k + 1] - self.moved_out
            self.men_rate = ((target if target > self._floor else self._floor) - held) / (t1 - now)
        else:
            required = req[k]
            self.men_rate = 0.0
        pressure = 1.0
        if held < required:
            self.ground_lost = 1.0 - held / required if required > 0.0 else 0.0
            pressure = min(3.0, required / held) if held > 0.0 else 3.0
        else:
            self.ground_lost = 0.0
        self.casualties_per_day = self._per_day[k] * pressure

    def _period(self, t: float) -> None:
        """A dated change of the China front (a new year's intensity, Ichi-Go, a garrison ramp)."""
        if self.ichigo and t == T_ICHIGO_END:
            self.ichigo_casualties = self._ichigo_per_day * ICHIGO_DAYS * self.drain
        self._set(t)
        w = self.w
        w.changed("china_front")
        if w.tracing and self.ichigo and t == T_ICHIGO_START:
            w.note("campaign", "Operation Ichi-Go: the largest Japanese offensive of the war "
                   "opens in Henan (JF-12)")

    def held_changed(self) -> None:
        """Men were moved out of (or into) China now: the floor rule is re-read."""
        self.w.ledger.advance(self.env.now)
        self._set(self.env.now)
        if self.w.tracing and self.ground_lost > 0.0:
            self.w.note("campaign", f"China is held below what its fronts require: "
                        f"{self.ground_lost:.0%} of the ground is given up and the drain rises",
                        ground_lost=self.ground_lost)
        self.w.changed("china_front")

    def divisions_held(self) -> float:
        """Division-equivalents in China now (men held over the 1941 men per division)."""
        v = self.w.ledger.values[CHINA]
        return v / self.per_division if self.per_division > 0.0 else 0.0

    def outcomes(self) -> dict[str, Any]:
        china = self.w.ledger.samples[CHINA]
        return {
            "china_men_1943_08": china[55] if len(china) > 55 else None,
            "china_men_1945_08": china[79] if len(china) > 79 else None,
            "ichigo_japanese_casualties": self.ichigo_casualties,
        }

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        return [(ICHIGO_START, "Ichi-Go")] if p["china.ichigo"] else []
