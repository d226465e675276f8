"""Japan's army: where the men are (China, Manchuria, the south, home), how they change, and the
divisions each option could be given (docs/model.md §4).

* To Dec 1941 conscription feeds a home pool (peace and war rates); from January 1942, once
  Japan fights the West, the army grows along JF-01 (2.3 M end-1942, 2.75 M end-1943, 3.76 M
  end-1944, ~5.5 M Aug 1945), the south is reinforced to JF-09, the Kwantung Army is stripped
  from Feb 1944 (JF-06: 17 -> 11 divisions) and refilled in 1945 with new, weak divisions
  (JF-06, JF-07, JF-08), and home is what is left (JF-10).  A Manchuria at war is not stripped.
* Every theatre's casualties are replaced at once from the home pool, so the identity
  *initial + recruits = men in theatres + casualties* holds exactly.
* The allocation levers move divisions (their men) out of China by date (``allocation.*``);
  a settled China's freed men join the Kantokuen mobilisation (:mod:`...kantokuen`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from typing import Any

from sim.model.accounts import (CHINA, CHINA_CASUALTIES, HOME, JP_CASUALTIES,
                                KWANTUNG_DIVISIONS, MANCHURIA, RECRUITS, SOUTH, day_of)
from sim.model.actor import Actor
from sim.model.actors.china import DAYS_PER_MONTH, SURRENDER, men_per_division

#: The Kwantung Army's divisions in Dec 1941 (KT-11, JF-06: 13).
MANCHURIA_DIVISIONS_PEACE = 13.0
#: Divisions Manchuria and Korea keep while the south is fought (KT-11: 13 + 2).
MANCHURIA_HOLD_PEACE = 15.0
#: What the Army required for a northern war (POL-Q3, KT-04: 22 divisions, 850,000 men).
NORTH_NEED_DIVISIONS = 22.0
#: From here the army follows the Pacific war's record (JF-01...JF-10).
PACIFIC_START = dt.date(1942, 1, 1)
#: JF-01: IJA ground strength at the end of 1942, 1943, 1944 and in Aug 1945 (JF-01d's low
#: 5.47 M: JF-02's 6.095 M total military less 0.68 M in the Army Air Service is ~5.42 M).
JF01_TOTALS: tuple[tuple[dt.date, float], ...] = (
    (dt.date(1942, 12, 31), 2300000.0), (dt.date(1943, 12, 31), 2750000.0),
    (dt.date(1944, 12, 31), 3760000.0), (SURRENDER, 5470000.0))
#: JF-06: stripping began in earnest in Feb 1944; 17 divisions (15 + 2 tank) became 11 (10 + 1).
STRIP_START = dt.date(1944, 2, 1)
STRIP_END = dt.date(1944, 12, 31)
STRIP_SHARE = 11.0 / 17.0
#: JF-07 + JF-08: ~700,000 men in Manchuria and 335,900 in Korea in Aug 1945.
KWANTUNG_1945_MEN = 700000.0 + 335900.0
#: JF-09: the Southern Army ~800,000 plus the bypassed Central Pacific's 132,000 (Aug 1945).
SOUTH_1945_MEN = 932000.0
#: JF-03: IJA divisions (Dec 1941 51, end-1943 70, Apr 1944 78, 1945 145).
DIVISIONS: tuple[tuple[float, float], ...] = (
    (day_of(dt.date(1941, 12, 1)), 51.0), (day_of(dt.date(1943, 12, 31)), 70.0),
    (day_of(dt.date(1944, 4, 30)), 78.0), (day_of(SURRENDER), 145.0))


#: (date, Kwantung divisions, of which of 1941 quality) under the Pacific war (JF-06: 14 + 2
#: tank in 1942, 15 + 2 in 1943, 10 + 1 at the end of 1944, 24 in 1945 of which all but 3
#: raised that year; the last front-line divisions left Sept 1944 - Jan 1945).
KWANTUNG_SCHEDULE: tuple[tuple[dt.date, float, float], ...] = (
    (PACIFIC_START, 16.0, 16.0), (dt.date(1943, 1, 1), 17.0, 17.0), (STRIP_START, 15.0, 15.0),
    (dt.date(1944, 7, 1), 13.0, 13.0), (dt.date(1944, 10, 1), 11.0, 11.0),
    (dt.date(1945, 2, 1), 12.0, 4.0), (dt.date(1945, 4, 1), 15.0, 3.0),
    (dt.date(1945, 7, 10), 24.0, 3.0))


def total_divisions(t: float) -> float:
    """IJA divisions at time ``t`` (JF-03, linear between its dates)."""
    t0, d0 = DIVISIONS[0]
    if t <= t0:
        return d0
    for t1, d1 in DIVISIONS[1:]:
        if t <= t1:
            return d0 + (d1 - d0) * (t - t0) / (t1 - t0)
        t0, d0 = t1, d1
    return d0


T_STRIP_START = day_of(STRIP_START)
T_STRIP_END = day_of(STRIP_END)
T_SURRENDER = day_of(SURRENDER)
T_PACIFIC = day_of(PACIFIC_START)
T_KWANTUNG = tuple((day_of(d), n, vets) for d, n, vets in KWANTUNG_SCHEDULE)
T_JF01 = tuple((day_of(d), men) for d, men in JF01_TOTALS)
#: Men per division of the northern plan (POL-Q3: 850,000 men in 22 divisions).
NORTH_MEN_PER_DIVISION = 850000.0 / NORTH_NEED_DIVISIONS


class Army(Actor):
    """The Imperial Japanese Army's manpower accounts and their rates."""

    name = "army"
    READS = ("japan.men_manchuria_1939", "japan.men_home_1939", "japan.conscripts_per_month",
             "japan.war_conscripts_per_month", "china.garrison_men", "china.garrison_divisions",
             "north.static_casualties_per_month", "south.casualties_per_month",
             "south.divisions", "south.army_men", "japan.divisions_1941",
             "japan.home_divisions", "japan.new_division_quality",
             "allocation.china_to_manchuria_divisions", "allocation.china_to_manchuria_date")
    OUTCOMES = ("china_japanese_casualties", "japanese_casualties_total",
                "japanese_recruits_total", "japanese_men_home_end", "kwantung_divisions_1944_12")
    RATE_FACTS = ("south_war", "north_war", "call_up", "call_up_end", "north_front",
                  "south_front", "china_front", "forces")
    ON_FACT = (("south_war", "_pacific_begins"), ("north_war", "_north_war_begins"))
    CALENDAR = tuple((d, "_forces") for d in sorted(
        {PACIFIC_START, STRIP_START, STRIP_END, SURRENDER, *(d for d, _ in JF01_TOTALS),
         *(d for d, _, _ in KWANTUNG_SCHEDULE)}))

    def setup(self) -> None:
        p = self.p
        v = self.w.ledger.values
        in_china = self.cast.china.men_1939
        v[MANCHURIA] = p["japan.men_manchuria_1939"]
        # men a settled China war frees wait at home for the Kantokuen mobilisation
        self.freed_men = p["china.garrison_men"] - in_china
        v[HOME] = p["japan.men_home_1939"] + self.freed_men
        #: Japanese men on 1 January 1939 (the base of the conservation identity)
        self.initial_men = v[CHINA] + v[MANCHURIA] + v[HOME]
        self.per_division = men_per_division(p)
        self.extra_divisions = 0.0  # divisions in Manchuria beyond the Kwantung schedule
        self.extra_men = 0.0  # their men (the allocation's and a settled China's)
        self.veterans = MANCHURIA_DIVISIONS_PEACE  # 1941-quality divisions in Manchuria
        self.kwantung_divisions = MANCHURIA_DIVISIONS_PEACE
        self.kwantung_quality = 1.0
        self._new_quality = p["japan.new_division_quality"]
        self._manchuria_target: float | None = None  # men at the end of the current ramp
        self._divisions_1944_12: float | None = None
        v[KWANTUNG_DIVISIONS] = self.kwantung_divisions

    def start(self) -> None:
        p = self.p
        moved = p["allocation.china_to_manchuria_divisions"]
        t = day_of(p["allocation.china_to_manchuria_date"])
        if moved > 0.0:
            if t <= self.w.t_end:
                self.env.process(self._move_to_manchuria(t, moved))

    def _move_to_manchuria(self, t: float, divisions: float) -> Generator[Any, Any, None]:
        """The allocation lever: ``divisions`` leave China for Manchuria on their date."""
        w = self.w
        yield w.wait_until(t)
        men = self.from_china(divisions)
        w.ledger.move(CHINA, MANCHURIA, men)
        self.extra_men += men
        self._add_divisions(men / self.per_division)
        if w.tracing:
            w.note("campaign", f"{men / self.per_division:.0f} divisions move from China to "
                   f"Manchuria ({men:,.0f} men)", men=men)
        self.cast.china.held_changed()

    def from_china(self, divisions: float) -> float:
        """Men China can give for ``divisions``: never below its settled occupation floor (the
        lines of communication), the documented shortfall rule of an over-asking lever."""
        v = self.w.ledger.values
        floor = self.per_division * self.cast.china.settled
        spare = v[CHINA] - floor
        men = divisions * self.per_division
        if men > spare:
            men = spare if spare > 0.0 else 0.0
        self.cast.china.moved_out += men
        return men

    def join_manchuria(self, men: float) -> None:
        """Men added to Manchuria beyond its schedule (the Kantokuen call of freed divisions)."""
        self.extra_men += men
        self._add_divisions(men / self.per_division)

    def _add_divisions(self, divisions: float) -> None:
        self.extra_divisions += divisions
        self.veterans += divisions
        self._set_divisions(self.kwantung_divisions + divisions)

    def _set_divisions(self, divisions: float) -> None:
        self.kwantung_divisions = divisions
        vets = self.veterans if self.veterans < divisions else divisions
        self.veterans = vets
        self.kwantung_quality = ((vets + self._new_quality * (divisions - vets)) / divisions
                                 if divisions > 0.0 else 0.0)
        self.w.ledger.values[KWANTUNG_DIVISIONS] = divisions

    def pacific(self) -> bool:
        """The army grows and redeploys along the Pacific war's record (JF-01...JF-10)."""
        return self.w.signals.south_war.happened and T_PACIFIC <= self.env.now < T_SURRENDER

    def _forces(self, t: float) -> None:
        """A dated step of the force levels: the Kwantung Army's divisions and its ramps."""
        signals = self.w.signals
        v = self.w.ledger.values
        if self.pacific() and not signals.north_war.happened:
            self._kwantung_step(t)
            if t == T_STRIP_START:
                self._manchuria_target = (v[MANCHURIA] - self.extra_men) * STRIP_SHARE \
                    + self.extra_men
            elif t == T_STRIP_END:
                self._manchuria_target = KWANTUNG_1945_MEN + self.extra_men
        if t == T_STRIP_END:
            self._divisions_1944_12 = self.kwantung_divisions
        if t >= T_SURRENDER:
            self._manchuria_target = None
        self.w.changed("forces")

    def _kwantung_step(self, t: float) -> None:
        """The Kwantung Army's divisions as the schedule has them at ``t`` (the allocation's
        divisions on top)."""
        step = None
        for day, divisions, veterans in T_KWANTUNG:
            if day > t:
                break
            step = divisions, veterans
        if step is not None:
            self.veterans = step[1] + self.extra_divisions
            self._set_divisions(step[0] + self.extra_divisions)

    def _pacific_begins(self) -> None:
        """A southern war launched after January 1942 joins the schedule where it stands."""
        if self.pacific() and not self.w.signals.north_war.happened:
            self._kwantung_step(self.env.now)

    def _north_war_begins(self) -> None:
        """A Manchuria at war counts its divisions at the northern plan's establishment
        (POL-Q3: 850,000 men in 22 divisions), never fewer than it had."""
        divisions = self.w.ledger.values[MANCHURIA] / NORTH_MEN_PER_DIVISION
        if divisions > self.kwantung_divisions:
            self.veterans += divisions - self.kwantung_divisions
            self._set_divisions(divisions)

    def recompute(self) -> None:
        """Conscription, the theatres' drains and ramps, the Kantokuen call-up."""
        p = self.p
        r = self.w.ledger.rates
        v = self.w.ledger.values
        signals = self.w.signals
        cast = self.cast
        now = self.env.now
        china = cast.china.casualties_per_day
        north = (p["north.static_casualties_per_month"] / DAYS_PER_MONTH if cast.north.static
                 else 0.0)
        south = (p["south.casualties_per_month"] / DAYS_PER_MONTH if cast.south.static
                 else 0.0)
        losses = china + north + south
        mob = cast.kantokuen.rate
        china_ramp = cast.china.men_rate
        r[CHINA] = china_ramp
        r[JP_CASUALTIES] = losses
        r[CHINA_CASUALTIES] = china
        if self.pacific():
            end, total_target = next(step for step in T_JF01 if step[0] > now)
            span = end - now
            manchuria = mob
            if self._manchuria_target is not None and not signals.north_war.happened:
                ramp_end = T_STRIP_END if now < T_STRIP_END else T_SURRENDER
                manchuria = (self._manchuria_target - v[MANCHURIA]) / (ramp_end - now)
            south_ramp = (SOUTH_1945_MEN - v[SOUTH]) / (T_SURRENDER - now)
            total = v[CHINA] + v[MANCHURIA] + v[SOUTH] + v[HOME]
            growth = (total_target - total) / span
            recruits = growth + losses
            if recruits < 0.0:
                recruits = 0.0
            r[RECRUITS] = recruits
            r[MANCHURIA] = manchuria
            r[SOUTH] = south_ramp
            r[HOME] = recruits - losses - china_ramp - manchuria - south_ramp
            return
        at_war = signals.north_war.happened or signals.south_war.happened
        if now >= T_SURRENDER and signals.south_war.happened:
            conscripts = 0.0  # the surrender (15 Aug 1945)
        else:
            conscripts = (p["japan.war_conscripts_per_month"] if at_war
                          else p["japan.conscripts_per_month"]) / DAYS_PER_MONTH
        r[RECRUITS] = conscripts + mob
        r[MANCHURIA] = mob
        r[SOUTH] = 0.0
        r[HOME] = conscripts - losses - china_ramp

    def casualties(self, men: float) -> None:
        """Men lost in a theatre, replaced at once from the home pool (the theatre keeps its
        strength: the replacements arrive with the losses)."""
        v = self.w.ledger.values
        v[JP_CASUALTIES] += men
        v[HOME] -= men

    def divisions_available(self, option: str) -> float:
        """Divisions Japan could commit to ``option`` ('north' or 'south') now: the army's
        divisions (JF-03) less China's (what it holds), the home islands' and those a war
        already fought holds (the south's garrisons for the north; Manchuria at war for the
        south)."""
        p = self.p
        signals = self.w.signals
        total = total_divisions(self.env.now) * p["japan.divisions_1941"] / 51.0
        home = p["japan.home_divisions"] * total / p["japan.divisions_1941"]
        held = total - self.cast.china.divisions_held() - home
        if option == "north":
            if signals.south_war.happened:
                held -= p["south.divisions"] * self.w.ledger.values[SOUTH] / p["south.army_men"]
        elif signals.north_war.happened:
            held -= NORTH_NEED_DIVISIONS
        return held if held > 0.0 else 0.0

    def divisions_for_south_campaign(self) -> float:
        """Divisions the southern offensive can be given: what is available for the south less
        Manchuria's peace garrison (KT-11: 13 + 2 in Korea) unless Manchuria is at war
        (then :meth:`divisions_available` has held back its 22); at least 2."""
        free = self.divisions_available("south")
        if not self.w.signals.north_war.happened:
            free -= MANCHURIA_HOLD_PEACE
        return free if free > 2.0 else 2.0

    def need_share(self, option: str) -> float:
        """An option's division need over the divisions available for it (> 1: a shortfall):
        north 22 (POL-Q3, KT-04), south ``south.divisions`` (SOP-01); capped at 4."""
        need = NORTH_NEED_DIVISIONS if option == "north" else self.p["south.divisions"]
        available = self.divisions_available(option)
        return need / available if available > need / 4.0 else 4.0

    def outcomes(self) -> dict[str, Any]:
        v = self.w.ledger.values
        return {
            "china_japanese_casualties": v[CHINA_CASUALTIES],
            "japanese_casualties_total": v[JP_CASUALTIES],
            "japanese_recruits_total": v[RECRUITS],
            "japanese_men_home_end": v[HOME],
            "kwantung_divisions_1944_12": self._divisions_1944_12,
        }

