"""Kantokuen, the Kwantung Army's 'special manoeuvres' of 1941 (KT-01...): the call-up of
Manchuria and Korea towards ``kantokuen.peak_men`` over ``mobilisation_days``.

Ordered by the first conference after Barbarossa (signal ``mobilisation``); a northern attack
launched with no mobilisation under way brings the men in at once.  Divisions already moved to
Manchuria by the allocation, and the men a settled China war frees (the plan's +2 divisions
from North China, towards the 1.2 M planned, POL-Q3), come on top of the peak.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from sim.model.accounts import HOME, MANCHURIA, RECRUITS
from sim.model.actor import Actor

#: Value of the ``mobilisation`` signal when a northern attack needs the men on the spot.
AT_ONCE = "at_once"
#: Value of the ``mobilisation`` signal when a conference orders the special manoeuvres.
ORDERED = "ordered"


class Kantokuen(Actor):
    """The 1941 mobilisation of the Kwantung and Korea armies."""

    name = "kantokuen"
    READS = ("kantokuen.peak_men", "kantokuen.start_lag_days",
             "kantokuen.mobilisation_days", "kantokuen.shipping_mgrt")
    OUTCOMES = ("kantokuen_peak_men",)

    def setup(self) -> None:
        self.rate = 0.0  # men per day joining the Kwantung and Korea armies
        self.peak_men: float | None = None

    def start(self) -> None:
        self.w.when(self.w.signals.mobilisation, self.mobilisation)

    def mobilisation(self, how: str) -> Generator[Any, Any, None]:
        """Once ordered, call the men up (at once, or over the mobilisation days)."""
        p = self.p
        w = self.w
        v = w.ledger.values
        self._call_freed()
        if how == AT_ONCE:
            increase = max(0.0, self.target() - v[MANCHURIA])
            v[MANCHURIA] += increase
            v[RECRUITS] += increase
            self.peak_men = v[MANCHURIA]
            w.changed("call_up")
            return
        start = self.env.now + p["kantokuen.start_lag_days"]
        if start > w.t_end:
            return
        yield w.wait_until(start)
        increase = self.target() - v[MANCHURIA]
        # the lift of 900,000 t (POL-Q3, SH-11) comes from the Army's shipping: what it
        # cannot give now stretches the call-up
        days = p["kantokuen.mobilisation_days"] / self.cast.shipping.lift_factor(
            p["kantokuen.shipping_mgrt"] * 1e6)
        self.rate = max(0.0, increase) / days
        w.changed("call_up")
        if w.tracing:
            w.note("campaign", f"Kantokuen: the Kwantung and Korea armies are mobilised towards "
                   f"{p['kantokuen.peak_men']:,.0f} men", peak=p["kantokuen.peak_men"])
        yield w.wait_for(days)
        self.rate = 0.0
        w.changed("call_up_end")
        self.peak_men = v[MANCHURIA]

    def target(self) -> float:
        """Men the mobilisation brings Manchuria to: the peak plus the divisions added to it."""
        return self.p["kantokuen.peak_men"] + self.cast.army.extra_men

    def _call_freed(self) -> None:
        """The men a settled China war freed leave the home depots for Manchuria."""
        army = self.cast.army
        freed = army.freed_men
        if freed > 0.0:
            army.freed_men = 0.0
            self.w.ledger.move(HOME, MANCHURIA, freed)
            army.join_manchuria(freed)

    def outcomes(self) -> dict[str, Any]:
        if self.peak_men is not None:
            return {"kantokuen_peak_men": self.peak_men}
        months_1941 = self.w.ledger.samples[MANCHURIA][24:36]
        return {"kantokuen_peak_men": max(months_1941) if months_1941 else None}
