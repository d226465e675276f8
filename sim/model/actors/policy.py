"""Japan's strategic policy: the meetings of the leadership from 1940 to the horizon and what
each decided (docs/model.md §7).  The launches they schedule are in
:mod:`sim.model.actors.launches`.

* **Direction** (hold, north or south; the multinomial logit of
  :mod:`sim.model.kernels.decision`) at the conferences of 27 Jul 1940 and 2 Jul 1941 (POL-10,
  POL-15), and on 6 Sep and 1 Dec 1941 while Japan has not yet moved south; then at the later
  reviews: each year's northern window (decide-by date, POL-16; in 1941 the Army's decision of
  9 Aug, POL-20), the German requests (EF-19, EF-20, POL-28), and when something big happens
  (Moscow falls, oil runs out, the US enters the war after a northern strike, a 1942 Soviet
  collapse).  A southern direction is the move into southern Indochina, not the war.
* **The road to war with the West**, once troops are in southern Indochina: 6 Sep (prepare,
  POL-21), the October crisis (go on or back down, POL-22/23), 5 Nov (war in early December if
  talks fail, POL-25), 27 Nov (the Hull note, POL-26) and 1 Dec (the decision, POL-27), each
  drawn from :func:`decision.war_probability`; after 1941 a preparation decided at a review is
  followed by its decision as many days later as 6 Sep was followed by 1 Dec.
* **The persimmon** is the Army's stated rule (POL-Q1), judged with error before every
  northern launch (:meth:`Launches.persimmon_ripe`), and a term of the northern utility.

Every meeting draws from its own ``decisions`` slot (0-3 the conferences, 12-35 the rest), so a
counterfactual gives each meeting the same uniform as the baseline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Mapping
from typing import Any

from sim.model.accounts import MANCHURIA, SOVIET_FE, date_of, day_of, in_year
from sim.model.actors.kantokuen import ORDERED
from sim.model.actors.oil import DAYS_PER_YEAR
from sim.model.actors.war_path import (PROSPECT_1_DEC, PROSPECT_6_SEP, US_WAR_SLOT,
                                        WAR_OUTCOMES, WAR_STEPS, RoadToWar)
from sim.model.kernels import decision

CONFERENCES = 4
#: The second offensive counts as launched together with the first (``both``) if it follows
#: within this many days: the Army's spring-1942 northern attack after the southern operations
#: (POL-20), i.e. through the 1942 summer window (7 Dec 1941 + 270 days = 3 Sep 1942).
BOTH_WINDOW_DAYS = 270.0
#: German requests for a northern strike (EF-19; EF-20, POL-28), with their slots.
GERMAN_REQUESTS: tuple[tuple[dt.date, int], ...] = (
    (dt.date(1941, 7, 10), 22), (dt.date(1942, 7, 9), 23), (dt.date(1943, 3, 6), 24))
REQUEST_OUTCOMES = tuple(f"conference_{d:%Y_%m_%d}_choice" for d, _ in GERMAN_REQUESTS)
#: Each summer's northern window review (decide-by date), with its slot.
#: (1940 has none: a northern attack presumes the German war on the USSR, POL-15; a 1940
#: northern choice is judged, and called off, on the decide-by date.)
WINDOW_REVIEWS: tuple[tuple[int, int], ...] = ((1941, 13), (1942, 14), (1943, 15), (1944, 16))
#: Checks for a Soviet collapse in 1942 (read from the Eastern Front), one review on the first.
COLLAPSE_CHECKS: tuple[dt.date, ...] = (dt.date(1942, 9, 1), dt.date(1942, 11, 1))
COLLAPSE_SLOT = 34
EVENT_SLOTS = {"moscow_falls": 28, "oil_exhausted": 29, "us_war": US_WAR_SLOT}


class Policy(RoadToWar):
    """The leadership's meetings and what each decided."""

    name = "policy"
    READS = (*(f"decision.conference_{k}_date" for k in range(1, CONFERENCES + 1)),
             "decision.force", "decision.force_date", "decision.embargo_anticipation",
             "decision.oil_comfort_months", "decision.fe_reference_ratio", "decision.north_bias",
             "decision.south_bias", "decision.army_weight", "decision.navy_weight",
             "decision.w_soviet_power", "decision.w_german", "decision.w_persimmon",
             "decision.w_treaty", "decision.w_oil_north", "decision.w_forces", "decision.w_oil",
             "decision.w_west", "decision.w_pact_security", "decision.inertia",
             "decision.w_pacific_war",
             "decision.war_bias", "decision.w_war_oil", "decision.w_talks",
             "decision.war_commitment", "decision.persimmon_error_sd",
             "kantokuen.enabled", "kantokuen.peak_men", "kantokuen.persimmon_threshold",
             "south.western_aircraft", "south.western_aircraft_required",
             "south.min_preparation_days", "south.earliest_launch_date",
             "south.indochina_lag_days", "north.window_decide_by", "north.window_start",
             "north.spring_start")
    OUTCOMES = ("decision", "kantokuen_cancelled_date",
                *(f"conference_{k}_choice" for k in range(1, CONFERENCES + 1)),
                "war_with_us_decided_date", "north_second_attack_date", "war_preparation_date",
                "southern_move_date",
                "north_review_1941_choice", *(f"conference_{key}_war" for key in WAR_OUTCOMES),
                *REQUEST_OUTCOMES)

    def setup(self) -> None:
        super().setup()
        self.choices: dict[int, str] = {}
        self.southern_move_date: dt.date | None = None
        self.collapse_seen = False
        self.requests: dict[str, str] = {}  # what each German request met
        p = self.p
        # what does not change within a replication, read once
        self._anticipation = p["decision.embargo_anticipation"]
        self._comfort = p["decision.oil_comfort_months"]
        self._peak = p["kantokuen.peak_men"] if p["kantokuen.enabled"] else 0.0
        self._weakness = decision.western_weakness(p["south.western_aircraft"],
                                                   p["south.western_aircraft_required"])
        self._t_review_1941 = day_of(in_year(p["north.window_decide_by"], 1941))

    def start(self) -> None:
        self.env.process(self.meetings())
        signals = self.w.signals
        self.w.when(signals.moscow_falls, self._moscow_review)
        self.w.when(signals.oil_exhausted, self._oil_review)
        self.w.when(signals.us_war, self._us_war_review_process)
        signals.southern_move.callbacks.append(self._moved_south)
        if self.p["decision.force"] != "free":
            self.env.process(self.forced_policy())

    # --- what the leadership sees -------------------------------------------------------------
    def situation(self) -> decision.Situation:
        """What the leadership believes and needs at the current time (the accounts are
        brought up to date first)."""
        w = self.w
        now = self.env.now
        w.ledger.advance(now)
        cast = self.cast
        signals = w.signals
        v = w.ledger.values
        if signals.embargo.happened:
            threat = 1.0
        elif signals.export_licensing.happened:
            threat = self._anticipation
        else:
            threat = 0.0
        manchuria = v[MANCHURIA]
        army = cast.army
        # the Kantokuen peak with the divisions the allocation (or a settled China) adds to it
        peak = self._peak + army.extra_men + army.freed_men if self._peak else 0.0
        fieldable = manchuria if manchuria > peak else peak
        return decision.Situation(
            cast.khalkhin_gol.soviet_power, v[SOVIET_FE] / fieldable,
            cast.eastern_front.pressure(now), cast.diplomacy.trust, cast.far_east.drawdown(),
            signals.pact.happened,
            decision.oil_pressure(threat, cast.oil.believed_war_months(), self._comfort),
            self._weakness, army.need_share("north"), army.need_share("south"), self.current, signals.barbarossa.happened,
            self._pacific_war_years(now))

    def _pacific_war_years(self, now: float) -> float:
        """Years of war with the West so far: the Pacific war's claim on men, ships and oil
        that made a northern war 'not possible' in 1943 (POL-28, EF-20)."""
        launch = self.cast.south.t_launch
        return (now - launch) / DAYS_PER_YEAR if launch is not None and now > launch else 0.0

    def _direction(self, slot: int, what: str) -> str:
        """Draw hold, north or south from the logit, from ``decisions`` slot ``slot``; once
        the southern war is under way the south is no longer an option: the choice is the
        north or holding the course (the logit over those two)."""
        s = self.situation()
        probs = decision.probabilities(s, self.p)
        if self.w.signals.south_war.happened:
            stay = probs[0] + probs[1]
            probs = (probs[0] / stay, probs[1] / stay, 0.0)
        choice = decision.choose(probs, self.w.u_decisions[slot])
        if self.w.tracing:
            self.w.note("conference", f"{what}: {choice} chosen (north {probs[0]:.2f}, hold "
                        f"{probs[1]:.2f}, south {probs[2]:.2f})", p_north=probs[0],
                        p_hold=probs[1], p_south=probs[2], oil_need=s.oil_need,
                        soviet_power=s.soviet_power, fe_reduction=s.fe_reduction,
                        trust=s.trust)
        return choice

    # --- the calendar of meetings -------------------------------------------------------------
    def schedule(self) -> list[tuple[float, int, Callable[..., None], tuple[Any, ...]]]:
        """Every dated meeting of a replication, in time order (ties in listed order)."""
        p = self.p
        t3 = day_of(p["decision.conference_3_date"])
        out: list[tuple[float, int, Callable[..., None], tuple[Any, ...]]] = [
            (day_of(p[f"decision.conference_{k}_date"]), k, self.conference, (k,))
            for k in range(1, CONFERENCES + 1)]
        out += [(t3 + days, 10 + i, self.war_step, (key, prospect, slot, False))
                for i, (key, days, prospect, slot) in enumerate(WAR_STEPS)]
        out += [(day_of(d), 20 + i, self.review, (slot, "German request", name))
                for i, ((d, slot), name) in enumerate(zip(GERMAN_REQUESTS, REQUEST_OUTCOMES))]
        out += [(day_of(in_year(p["north.window_decide_by"], year)), 30 + i, self.review,
                 (slot, f"Northern review {year}")) for i, (year, slot) in enumerate(WINDOW_REVIEWS)]
        out += [(day_of(d), 40 + i, self.collapse_check, ()) for i, d in enumerate(COLLAPSE_CHECKS)]
        out.sort()
        return out

    def meetings(self) -> Generator[Any, Any, None]:
        """Run the dated meetings; stop once there is nothing left to decide.  A meeting
        brings the accounts up to date only when it decides something."""
        w = self.w
        signals = w.signals
        for t, _, meeting, args in self.schedule():
            if t > w.t_end or self.locked or (signals.north_war.happened
                                              and signals.south_war.happened):
                return
            yield w.sleep_until(t)
            self._order_kantokuen()
            meeting(*args)

    def _order_kantokuen(self) -> None:
        """The first meeting after Barbarossa orders Kantokuen (KT-01, POL-15)."""
        signals = self.w.signals
        if (signals.barbarossa.happened and not signals.mobilisation.happened
                and self.p["kantokuen.enabled"] and not self.locked):
            self.w.ledger.advance(self.env.now)
            self.w.fire(signals.mobilisation, ORDERED)

    # --- direction ----------------------------------------------------------------------------
    def conference(self, k: int) -> None:
        """A policy conference: direction, or (at 6 Sep and 1 Dec, once Japan is in southern
        Indochina) a step on the road to war."""
        signals = self.w.signals
        moved = signals.southern_move.happened
        if self.locked or signals.south_war.happened or (signals.north_war.happened
                                                          and not moved):
            if self.w.tracing:
                self.w.note("conference", f"Conference {k}: policy already settled "
                            f"({self.current})", policy=self.current)
            return
        if k >= 3 and moved:
            self.choices[k] = "south"
            final = k == CONFERENCES
            self.war_step("1941_12_01" if final else "1941_09_06",
                          PROSPECT_1_DEC if final else PROSPECT_6_SEP, k - 1, final=final)
            return
        choice = self._direction(k - 1, f"Conference {k}")
        self.choices[k] = choice
        self.adopt(choice)
        if choice == "south":
            self.move_south()

    def adopt(self, choice: str) -> None:
        """Adopt a direction at a conference: cancel the previous one's launches."""
        if choice == self.current:
            return
        self.current = choice
        self._cancel_plans()
        if choice == "north":
            self.plan_north()

    def review(self, slot: int, what: str, record: str | None = None) -> None:
        """A later review: the direction is re-weighed and only what it adds is done (a
        northern attack, a southern move; a hold changes nothing under way); after 1941 a
        southern policy may take up the road to war again."""
        w = self.w
        signals = w.signals
        if self.locked or (signals.north_war.happened and signals.south_war.happened):
            return
        choice = self._direction(slot, what)
        if record is not None:
            self.requests[record] = choice
        if choice == "north" and not signals.north_war.happened:
            self.plan_north()
        elif choice == "south" and not signals.southern_move.happened:
            if not self.north_planned:
                self.current = "south"
            self.move_south()
        if self.env.now >= self._t_review_1941 and self.north_review_1941 is None:
            self.north_review_1941 = self.current
        self.later_war_step()

    def collapse_check(self) -> None:
        """A review once the Eastern Front reports a Soviet collapse (1942)."""
        if not self.collapse_seen and getattr(self.cast.eastern_front, "soviet_collapse", False):
            self.collapse_seen = True
            self.review(COLLAPSE_SLOT, "Review after the Soviet collapse")

    def _moscow_review(self, _: Any) -> Generator[Any, Any, None]:
        """A review when Moscow falls (the signal's value is not used)."""
        if not self.locked:
            self.review(EVENT_SLOTS["moscow_falls"], "Review: Moscow falls")
        yield from ()

    def _oil_review(self, _: Any) -> Generator[Any, Any, None]:
        """A review when the oil runs out: operations halt, the leadership must decide."""
        if not self.locked:
            self.review(EVENT_SLOTS["oil_exhausted"], "Review: oil exhausted")
        yield from ()

    def _us_war_review_process(self, _: Any) -> Generator[Any, Any, None]:
        """The US at war with Japan though Japan has not attacked it (after a northern
        strike): a war with the West Japan did not choose; it decides whether to strike south."""
        if not self.locked and not self.w.signals.south_war.happened:
            self._us_war_review()
        yield from ()

    # --- outcomes -----------------------------------------------------------------------------
    def _moved_south(self, _: Any) -> None:
        self.southern_move_date = date_of(self.env.now)

    def outcomes(self) -> dict[str, Any]:
        north = self.cast.north.t_launch
        south = self.cast.south.t_launch
        if north is None and south is None:
            choice = "hold"
        elif north is None:
            choice = "south"
        elif south is None:
            choice = "north"
        elif abs(north - south) <= BOTH_WINDOW_DAYS:
            choice = "both"
        else:
            choice = "north" if north < south else "south"
        second = north if (north is not None and south is not None and north > south) else None
        out: dict[str, Any] = {
            "decision": choice, "kantokuen_cancelled_date": self.cancelled,
            "war_with_us_decided_date": self.war_decided_date,
            "north_second_attack_date": date_of(second) if second is not None else None,
            "war_preparation_date": self.war_preparation_date,
            "southern_move_date": self.southern_move_date,
            # no review held (a forced policy, both wars under way): the policy in force
            "north_review_1941_choice": self.north_review_1941 or self.current,
        }
        for k in range(1, CONFERENCES + 1):
            out[f"conference_{k}_choice"] = self.choices.get(k)
        for key in WAR_OUTCOMES:
            out[f"conference_{key}_war"] = self.war_steps.get(key, "none")
        for name in REQUEST_OUTCOMES:
            out[name] = self.requests.get(name, "settled")
        return out

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        out = [(p[f"decision.conference_{k}_date"], f"Conference {k}")
               for k in range(1, CONFERENCES + 1)]
        if p["decision.force"] != "free":
            out.append((p["decision.force_date"], f"Forced: {p['decision.force']}"))
        return out
