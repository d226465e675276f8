"""The road to war with the United States, Britain and the Netherlands (docs/model.md §7):
once Japanese troops are in southern Indochina, each meeting of the 1941 sequence weighs war
against talks (:func:`sim.model.kernels.decision.war_probability`): 6 Sep prepares (POL-21),
the October crisis goes on or backs down (POL-22, POL-23), 5 Nov sets war for early December
if talks fail (POL-25), 27 Nov (the Hull note, POL-26) and 1 Dec (POL-27) act on a preparation
already made.  After 1941 a preparation decided at a review is followed by its decision as
many days later as 6 Sep was followed by 1 Dec; the US entering the war after a northern strike
puts the decision on the table at once.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from sim.model.accounts import day_of
from sim.model.actors.launches import Launches
from sim.model.kernels import decision

#: The road to war between 6 Sep and 1 Dec 1941: (outcome key, days after conference 3,
#: diplomatic prospect under the embargo, ``decisions`` slot).  The prospect is the hope that
#: talks restore trade: a summit sought (POL-21), refused before the October crisis (POL-22),
#: Plans A and B (POL-25), none once the Hull note is read as an ultimatum (POL-26, POL-27).
WAR_STEPS: tuple[tuple[str, float, float, int], ...] = (
    ("1941_10_16", 40.0, 0.5, 25),  # the October crisis: Tekigai-so, Konoe resigns (POL-22/23)
    ("1941_11_05", 60.0, 0.5, 26),  # Imperial Conference: war in early December (POL-25)
    ("1941_11_27", 82.0, 0.0, 27),  # liaison conference on the Hull note (POL-26)
)
PROSPECT_6_SEP = 1.0
PROSPECT_1_DEC = 0.0
#: After 1941 a new preparation meets a prospect between the first and the last (the talks
#: have failed once); its decision, like 1 Dec, none.
PROSPECT_LATER = 0.5
#: After a southern move outside the 1941 sequence, the preparation meeting comes as long
#: after it as 6 Sep came after the landings of 28 July (POL-18, POL-21).
PREPARATION_AFTER_MOVE_DAYS = 40.0
LATER_PREPARATION_SLOT = 31
LATER_DECISION_SLOT = 32
#: Meetings that only act on a preparation already decided (the Hull note conference and
#: the Imperial Conference of 1 Dec: POL-26, POL-27); the others may begin one.
ACT_ONLY = frozenset(("1941_11_27", "1941_12_01"))
WAR_OUTCOMES = ("1941_09_06", *(key for key, *_ in WAR_STEPS), "1941_12_01")
#: ``decisions`` slot of the review after the US enters the war unasked.
US_WAR_SLOT = 30


class RoadToWar(Launches):
    """The meetings that decide between war with the West and talks."""

    def setup(self) -> None:
        super().setup()
        self.war_steps: dict[str, str] = {}
        self._later_pending = False  # a later preparation or decision is scheduled
        self.t_sequence_end = day_of(self.p["decision.conference_4_date"])

    def _us_war_review(self) -> None:
        if self.war_decided_date is not None:
            return
        self.w.ledger.advance(self.env.now)
        prob = decision.war_probability(True, self.cast.oil.believed_war_months(),
                                        PROSPECT_1_DEC, self.preparing_war, self.p)
        if self.w.u_decisions[US_WAR_SLOT] < prob:
            self.decide_war()

    # --- the road to war ----------------------------------------------------------------------
    def war_step(self, key: str, prospect: float, slot: int, final: bool) -> None:
        """One meeting of the 1941 sequence: war (preparation, or at the last the decision)
        or talks; backing down stops the preparations."""
        w = self.w
        signals = w.signals
        if (self.locked or signals.south_war.happened or self.war_decided_date is not None
                or not signals.southern_move.happened):
            return
        if key in ACT_ONLY and not self.preparing_war:
            self.war_steps[key] = "talks"  # these meetings only acted on a decision (POL-26)
            return
        yes = self._war_draw(prospect, slot)
        self.war_steps[key] = "war" if yes else "talks"
        if yes:
            self.prepare_war()
            if final:
                self.decide_war()
        else:
            self.stand_down()

    def _war_draw(self, prospect: float, slot: int) -> bool:
        self.w.ledger.advance(self.env.now)
        embargoed = self.w.signals.embargo.happened
        months = self.cast.oil.believed_war_months()
        prob = decision.war_probability(embargoed, months, prospect if embargoed else 1.0,
                                        self.preparing_war, self.p)
        yes = self.w.u_decisions[slot] < prob
        if self.w.tracing:
            state = "preparations under way" if self.preparing_war else "no preparations yet"
            oil = "under the embargo" if embargoed else "oil flowing"
            self.w.note("conference", f"War or talks ({state}, {oil}, "
                        f"{months:.0f} months of oil believed): "
                        f"{'war' if yes else 'talks'} (chance of war {prob:.2f})", p_war=prob,
                        believed_months=months, embargo=embargoed, prospect=prospect)
        return yes

    def after_southern_move(self) -> None:
        """A move outside the 1941 sequence meets its preparation 40 days on (POL-18 -> 21)."""
        if self.env.now > self.t_sequence_end:
            self._schedule_later(self.env.now + PREPARATION_AFTER_MOVE_DAYS, final=False)

    def later_war_step(self) -> None:
        """At a review after the 1941 sequence: take up the road to war again."""
        if (self.env.now > self.t_sequence_end and not self._later_pending
                and self.w.signals.southern_move.happened):
            self._later(final=False)

    def _schedule_later(self, t: float, final: bool) -> None:
        if t > self.w.t_end or self._later_pending:
            return
        self._later_pending = True

        def meeting() -> Generator[Any, Any, None]:
            yield self.w.wait_until(t)
            self._later_pending = False
            self._later(final)
        self.env.process(meeting())

    def _later(self, final: bool) -> None:
        signals = self.w.signals
        if self.locked or signals.south_war.happened or self.war_decided_date is not None:
            return
        if not final:
            if self._war_draw(PROSPECT_LATER, LATER_PREPARATION_SLOT):
                self.prepare_war()
                t3 = day_of(self.p["decision.conference_3_date"])
                self._schedule_later(self.env.now + self.t_sequence_end - t3, final=True)
            return
        if self._war_draw(PROSPECT_1_DEC, LATER_DECISION_SLOT):
            self.decide_war()
        else:
            self.stand_down()
