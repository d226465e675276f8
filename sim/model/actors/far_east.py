"""The Soviet Far East facing Manchuria (docs/model.md §Soviet Far East).

A build-up to SFE-01's strength by June 1941; once Germany attacks, transfers west at a rate
that follows German pressure (:mod:`sim.model.actors.eastern_front`), held back by a mobilised
Kwantung Army and by the absence of the Neutrality Pact, raised once Stalin believes the Sorge
reports (SFE-12) that Japan will not strike; back-fill mobilisation (SFE-10) until the end of
1942; never below ``soviet_fe.minimum_share`` of the June 1941 force.  Moscow's decisions phase
by phase draw a lognormal factor from fixed ``decisions`` slots.  In a northern war the
transfers stop and, while Japan attacks, the Trans-Siberian brings men east.

As the war in the west went (Moscow held, no collapse), from 1942 the transfers run at
``soviet_fe.transfer_factor_1942`` of the 1941 rate (SFE-17: a few divisions at Stalingrad);
from 1943 the floor is the documented garrison of 40 divisions
(SFE-19, at SFE-01/SFE-05's men per division), and from July 1943 nothing more goes west
(SFE-18); after a fall of Moscow or a collapse the 1941 law and floor go on.  In 1945, with
Germany beaten, the USSR denounces the Neutrality Pact (SFE-24, signal ``pact_denounced``:
only if there is a pact and no war with Japan) and from 13 April (SFE-22) the railway brings
``soviet_fe.men_moved_east_1945`` men east by the eve of the invasion (SFE-23, MAN-02); those
formations count ``soviet_fe.arrival_weight`` times a garrison man in the Far East's combat
strength (T25).

The men sent west leave by the ``FE_SENT_WEST`` account only; the actor keeps the account's
breakpoints (:meth:`FarEast.sent_by`) so that the Eastern Front counts them once, when they
arrive after the rail transit.  The floor is held by a wake-up planned at every change of
rates, so a change of German pressure at any time (the fall of Moscow) moves it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from typing import Any

from sim.model.accounts import FE_SENT_WEST, SOVIET_FE, december_value, day_of
from sim.model.actor import Actor
from sim.model.actors.china import DAYS_PER_MONTH
from sim.model.kernels.fortune import lognormal_factor
from sim.model.kernels.logistics import trans_siberian_men_per_day
from sim.model.world import Wake

#: Date of the Far East strength of SFE-01: the pre-war build-up reaches it on this day.
SFE01_DATE = dt.date(1941, 6, 22)
#: End of the Soviet Far East's wartime back-fill mobilisation (SFE-11 shows a stable force).
FE_MOBILISATION_END = dt.date(1942, 12, 31)
#: End of the extra releases that follow a believed Sorge report.
RELEASE_END = dt.date(1941, 12, 31)
#: From 1942 the transfers run at ``soviet_fe.transfer_factor_1942`` of the 1941 rate.
TRANSFERS_1942 = dt.date(1942, 1, 1)
#: Practically no transfers west from the second half of 1943 (SFE-18).
TRANSFERS_END = dt.date(1943, 7, 1)
#: The documented minimum garrison (SFE-19: >= 40 divisions throughout), held from the end of
#: the back-fill mobilisation, in men at the June 1941 force's men per division (SFE-05: ~30).
FLOOR_DIVISIONS = 40.0
FE_DIVISIONS_1941 = 30.0
#: The Soviet denunciation of the Neutrality Pact (SFE-24) and the GKO decree that starts the
#: rail build-up for the war with Japan (SFE-22).
DENUNCIATION = dt.date(1945, 4, 5)
BUILDUP_START = dt.date(1945, 4, 13)
#: ``decisions`` slots: 4 whether Stalin believes the Sorge reports, 5-11 Moscow's transfer
#: decisions phase by phase.
SORGE_SLOT = 4
TRANSFER_SLOTS = range(5, 12)


class FarEast(Actor):
    """The Soviet Far East Front and Transbaikal: strength, transfers west, the floor."""

    t_june = day_of(SFE01_DATE)
    t_mobilisation_end = day_of(FE_MOBILISATION_END)
    t_release_end = day_of(RELEASE_END)
    t_1942 = day_of(TRANSFERS_1942)
    t_transfers_end = day_of(TRANSFERS_END)
    t_denunciation = day_of(DENUNCIATION)
    t_buildup = day_of(BUILDUP_START)

    name = "far_east"
    READS = ("soviet_fe.men_1939", "soviet_fe.men_1941_06", "soviet_fe.minimum_share",
             "soviet_fe.transfer_sigma", "soviet_fe.mobilisation_men_per_month",
             "soviet_fe.transfer_divisions_per_month", "soviet_fe.sorge_release_divisions_per_month",
             "soviet_fe.men_per_division", "neutrality_pact.transfer_factor_without",
             "kantokuen.deterrence", "north.rail_men_per_day", "intelligence.sorge_date",
             "intelligence.sorge_reliability", "soviet_fe.transfer_factor_1942",
             "soviet_fe.men_moved_east_1945", "soviet_fe.arrival_weight",
             "manchuria_1945.invasion_date")
    OUTCOMES = ("soviet_fe_men_1941_06", "soviet_fe_men_1941_12",
                "soviet_fe_divisions_sent_west_1941", "soviet_fe_fraction_west_1941_08",
                "soviet_fe_fraction_west_1941_12", "soviet_fe_men_sent_west_1941",
                "soviet_fe_men_1945_08")
    RATE_FACTS = ("south_war", "north_war", "call_up", "north_front", "pact", "moscow_falls",
                  "german_pressure", "soviet_collapse")
    CALENDAR = ((SFE01_DATE, "_read_june"), (dt.date(1941, 8, 16), "_read_august"),
                (dt.date(1941, 12, 6), "_read_december"), (dt.date(1942, 1, 1), "_read_1941"),
                (dt.date(1945, 8, 8), "_read_1945"))

    def setup(self) -> None:
        p = self.p
        self.w.ledger.values[SOVIET_FE] = p["soviet_fe.men_1939"]
        #: Far East men when the German war began: the base of drawdowns and shares sent west
        self.at_war: float = p["soviet_fe.men_1941_06"]
        self.phase_luck = 1.0
        self.sorge_released = False
        self.men_1941_06: float | None = None
        self.fraction_1941_08: float | None = None
        self.fraction_1941_12: float | None = None
        self.sent_1941: float | None = None
        #: breakpoints of FE_SENT_WEST: (time, men sent by then, men a day from then)
        self.sent_log: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)]
        self._floor_plan = 0  # the latest planned floor wake-up; older ones are stale
        #: the 1945 build-up runs from ``t_buildup`` to the eve of the invasion
        self.t_buildup_end = day_of(p["manchuria_1945.invasion_date"]) - 1.0
        self.buildup_rate = 0.0  # men a day the railway brings east in 1945
        self.building = False
        self.men_1945_04: float | None = None  # Far East men when the build-up began
        self.men_1945_08: float | None = None
        #: SFE-19's 40 divisions, in men, and the share floor's factor (read once: hot path)
        self.garrison = FLOOR_DIVISIONS / FE_DIVISIONS_1941 * p["soviet_fe.men_1941_06"]
        self.minimum_share: float = p["soviet_fe.minimum_share"]

    def start(self) -> None:
        self.env.process(self.front())

    # --- the process --------------------------------------------------------------------------
    def front(self) -> Generator[Any, Any, None]:
        """Build-up, Barbarossa, transfer phases, the Sorge reports, the floor."""
        p = self.p
        w = self.w
        env = self.env
        v = w.ledger.values
        eastern = self.cast.eastern_front
        t_bar = eastern.t_barbarossa
        if self.t_june < t_bar and self.t_june <= w.t_end:
            # the peacetime build-up ends at SFE-01's strength
            yield w.wait_until(self.t_june)
            self.recompute()
        if t_bar > w.t_end:
            return
        yield w.signals.barbarossa
        self.at_war = v[SOVIET_FE]
        w.ledger.fe_floor = self.floor()
        self.phase_luck = self._luck(TRANSFER_SLOTS[0])
        self.recompute()
        if w.tracing:
            w.note("campaign", f"Germany invades the USSR; the Soviet Far East holds "
                   f"{self.at_war:,.0f} men", soviet_fe_men=self.at_war)
        marks: list[tuple[float, str]] = [(t, "phase") for t in sorted(eastern.phase_changes())]
        marks += [(self.t_release_end, "rate"), (self.t_mobilisation_end, "rate"),
                  (day_of(p["intelligence.sorge_date"]), "sorge"), (self.t_1942, "rate"),
                  (self.t_transfers_end, "rate"), (self.t_denunciation, "denounce"),
                  (self.t_buildup, "buildup"), (self.t_buildup_end, "arrived")]
        marks.sort()
        slot = TRANSFER_SLOTS[1]
        for t, what in marks:
            if t > w.t_end:
                break
            if t < env.now:
                continue
            yield w.wait_until(t)
            if what == "phase":
                self.phase_luck = self._luck(slot)
                slot = min(slot + 1, TRANSFER_SLOTS[-1])
            elif what == "sorge":
                self._sorge_reports()
            elif what == "denounce":
                self._denounce()
                continue  # no rate changes
            elif what == "buildup":
                self._start_buildup()
            elif what == "arrived":
                self.building = False
            self.recompute()

    def _plan_floor(self) -> None:
        """Wake when transfers at the current rates would strip the Far East below its floor."""
        self._floor_plan += 1
        t_floor = self.floor_time()
        if t_floor <= self.w.t_end:
            plan = self._floor_plan
            Wake(self.env, max(t_floor - self.env.now, 0.0),
                 lambda wake: self._at_floor(wake, plan))

    def _at_floor(self, wake: Wake, plan: int) -> None:
        if plan == self._floor_plan:  # no change of rates since it was planned
            self.w.ledger.advance(wake.at)
            self.recompute()

    def _sorge_reports(self) -> None:
        w = self.w
        believed = w.u_decisions[SORGE_SLOT] < self.p["intelligence.sorge_reliability"]
        quiet = not (w.signals.north_war.happened or self.cast.policy.current == "north")
        if believed and quiet:
            self.sorge_released = True
            if w.tracing:
                w.note("intelligence", "Sorge reports Japan will not strike north before "
                       "spring: Stalin releases more Far East divisions")
        elif quiet:
            if w.tracing:
                w.note("intelligence", "Reports that Japan will not strike north are not "
                       "believed")
        elif w.tracing:
            w.note("intelligence", "Intelligence sees Japan preparing to strike north: the Far "
                   "East keeps its divisions")

    def germany_beaten(self) -> bool:
        """Germany, at war with the USSR, is beaten by 1945 unless the USSR collapsed in 1942:
        what drove the denunciation, the build-up and the invasion (SFE-20, SFE-24, YAL-01)."""
        return self.w.signals.barbarossa.happened and not self.cast.eastern_front.soviet_collapse

    def _winning(self) -> bool:
        """The war in the west goes as it went (Moscow held, no collapse): what SFE-18 and
        SFE-19 record Moscow keeping in the east; otherwise the 1941 law and floor go on."""
        eastern = self.cast.eastern_front
        return not (eastern.moscow_fallen or eastern.soviet_collapse)

    def _denounce(self) -> None:
        """The denunciation of the Neutrality Pact (SFE-24): there must be a pact to denounce,
        and no war with Japan already under way."""
        w = self.w
        signals = w.signals
        if (signals.pact.happened and not signals.north_war.happened
                and not signals.pact_denounced.happened and self.germany_beaten()):
            w.fire(signals.pact_denounced)
            if w.tracing:
                w.note("diplomacy", "Molotov tells Ambassador Sato that the USSR denounces the "
                       "Neutrality Pact")

    def _start_buildup(self) -> None:
        """The rail build-up for the war with Japan (SFE-22, SFE-23): a steady flow to the eve
        of the invasion."""
        w = self.w
        days = self.t_buildup_end - self.env.now
        if not self.germany_beaten() or days <= 0.0:
            return
        self.men_1945_04 = w.ledger.values[SOVIET_FE]
        self.buildup_rate = self.p["soviet_fe.men_moved_east_1945"] / days
        self.building = True
        if w.tracing:
            w.note("campaign", f"The Trans-Siberian starts moving "
                   f"{self.p['soviet_fe.men_moved_east_1945']:,.0f} men east for the war with "
                   "Japan", men=self.p["soviet_fe.men_moved_east_1945"])

    def moved_east(self) -> float:
        """Men the 1945 build-up has brought east by now."""
        if self.men_1945_04 is None:
            return 0.0
        t = min(self.w.ledger.t, self.t_buildup_end)
        return self.buildup_rate * max(t - self.t_buildup, 0.0)

    def strength_per_man(self) -> float:
        """Combat strength per man of the Far East now, relative to its garrison (1 before the
        1945 build-up): the veteran formations count ``soviet_fe.arrival_weight`` (T25)."""
        moved = self.moved_east()
        men = self.w.ledger.values[SOVIET_FE]
        if moved <= 0.0 or men <= 0.0:
            return 1.0
        return 1.0 + (self.p["soviet_fe.arrival_weight"] - 1.0) * min(moved, men) / men

    def _luck(self, slot: int) -> float:
        """Lognormal factor on a transfer phase's rate, from its fixed ``decisions`` slot."""
        return lognormal_factor(self.w.u_decisions[slot], self.p["soviet_fe.transfer_sigma"])

    # --- rates --------------------------------------------------------------------------------
    def recompute(self) -> None:
        """Set the Soviet Far East rates: build-up, back-fill, transfers west; plan the floor."""
        self._set_rates()
        if self.building:
            self.w.ledger.rates[SOVIET_FE] += self.buildup_rate
        if self.w.signals.barbarossa.happened:
            self.w.ledger.fe_floor = self.floor()
        self._plan_floor()

    def _set_rates(self) -> None:
        p = self.p
        w = self.w
        r = w.ledger.rates
        t = w.ledger.t
        signals = w.signals
        if not signals.barbarossa.happened:
            if t < self.t_june:
                r[SOVIET_FE] = (p["soviet_fe.men_1941_06"] - w.ledger.values[SOVIET_FE]) / (
                    self.t_june - t)
            else:
                r[SOVIET_FE] = 0.0
            self._set_sent_rate(0.0)
            return
        pressure = self.cast.eastern_front.pressure(t)
        backfill = (p["soviet_fe.mobilisation_men_per_month"] / DAYS_PER_MONTH
                    if t < self.t_mobilisation_end else 0.0)
        if signals.north_war.happened:
            # no transfers west; while Japan is on the offensive the railway brings men east
            east = (trans_siberian_men_per_day(p["north.rail_men_per_day"], pressure)
                    if self.cast.north.offensive else 0.0)
            r[SOVIET_FE] = backfill + east
            self._set_sent_rate(0.0)
            return
        if t >= self.t_transfers_end and self._winning():
            r[SOVIET_FE] = backfill  # SFE-18: practically nothing goes west from H2 1943
            self._set_sent_rate(0.0)
            return
        divisions = p["soviet_fe.transfer_divisions_per_month"] * pressure * self.phase_luck
        if t >= self.t_1942 and self._winning():
            divisions *= p["soviet_fe.transfer_factor_1942"]
        if not signals.pact.happened:
            divisions *= p["neutrality_pact.transfer_factor_without"]
        if signals.mobilisation.happened and not self.sorge_released:
            divisions *= 1.0 - p["kantokuen.deterrence"]
        if self.sorge_released and t < self.t_release_end:
            divisions += p["soviet_fe.sorge_release_divisions_per_month"]
        men = divisions * p["soviet_fe.men_per_division"] / DAYS_PER_MONTH
        if men > backfill and w.ledger.values[SOVIET_FE] <= self.floor() * (1.0 + 1e-9):
            men = backfill  # at the floor Moscow sends west only what mobilisation replaces
        r[SOVIET_FE] = backfill - men
        self._set_sent_rate(men)

    def _set_sent_rate(self, men_per_day: float) -> None:
        """Set the rate of men sent west, noting the account's breakpoint."""
        L = self.w.ledger
        L.rates[FE_SENT_WEST] = men_per_day
        t0, sent0, rate0 = self.sent_log[-1]
        if men_per_day != rate0:
            sent = sent0 + rate0 * (L.t - t0)
            if L.t == t0:
                self.sent_log[-1] = (t0, sent0, men_per_day)
            else:
                self.sent_log.append((L.t, sent, men_per_day))

    def sent_by(self, t: float) -> float:
        """Men sent west by time ``t`` (never later than the present)."""
        log = self.sent_log
        t = max(t, 0.0)
        k = len(log) - 1
        while log[k][0] > t:
            k -= 1
        t0, sent0, rate = log[k]
        return sent0 + rate * (t - t0)

    def divisions_sent_between(self, t0: float, t1: float) -> float:
        """Divisions sent west in [t0, t1) (what arrives a transit later)."""
        if t1 <= t0:
            return 0.0
        men = self.sent_by(t1) - self.sent_by(t0)
        return men / self.p["soviet_fe.men_per_division"]

    def floor(self) -> float:
        """The least the Far East is left with: a share of its strength when war began, and
        from 1943 (the back-fill done) the documented 40-division garrison (SFE-19)."""
        floor = self.minimum_share * self.at_war
        if (self.garrison > floor and self.w.ledger.t >= self.t_mobilisation_end
                and self._winning()):
            return self.garrison
        return floor

    def floor_time(self) -> float:
        """When the Far East reaches its floor at the current rates (infinity if it never does)."""
        L = self.w.ledger
        rate = L.rates[SOVIET_FE]
        gap = L.values[SOVIET_FE] - self.floor()
        if rate >= 0.0 or gap <= 0.0:
            return float("inf")
        return L.t + gap / -rate

    def drawdown(self) -> float:
        """Net fraction of the June 1941 force gone since Germany attacked (0 before)."""
        if not self.w.signals.barbarossa.happened:
            return 0.0
        return (self.at_war - self.w.ledger.values[SOVIET_FE]) / self.at_war

    # --- readings and outcomes ----------------------------------------------------------------
    def _read_june(self, t: float) -> None:
        self.men_1941_06 = self.w.ledger.values[SOVIET_FE]

    def _read_august(self, t: float) -> None:
        self.fraction_1941_08 = self.w.ledger.values[FE_SENT_WEST] / self.at_war

    def _read_december(self, t: float) -> None:
        self.fraction_1941_12 = self.w.ledger.values[FE_SENT_WEST] / self.at_war

    def _read_1941(self, t: float) -> None:
        self.sent_1941 = self.w.ledger.values[FE_SENT_WEST]

    def _read_1945(self, t: float) -> None:
        self.men_1945_08 = self.w.ledger.values[SOVIET_FE]

    def outcomes(self) -> dict[str, Any]:
        sent = self.sent_1941
        return {
            "soviet_fe_men_1941_06": self.men_1941_06,
            "soviet_fe_men_1941_12": december_value(self.w.ledger.samples[SOVIET_FE], 1941),
            "soviet_fe_divisions_sent_west_1941": (
                sent / self.p["soviet_fe.men_per_division"] if sent is not None else None),
            "soviet_fe_fraction_west_1941_08": self.fraction_1941_08,
            "soviet_fe_fraction_west_1941_12": self.fraction_1941_12,
            "soviet_fe_men_sent_west_1941": sent,
            "soviet_fe_men_1945_08": self.men_1945_08,
        }
