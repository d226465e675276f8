"""The United States' oil embargo and assets freeze (EMB-03, EMB-04).

Imposed on ``embargo.date`` if Japan has moved into southern Indochina by then; from that date,
at once when Japan moves; and otherwise ``delay_without_southern_move_days`` late, as sanctions
tighten anyway.  Once Japan is at war with the Western powers there is nothing left to embargo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping
from typing import Any

import simpy

from sim.model.accounts import date_of, day_of
from sim.model.actor import Actor


class UnitedStates(Actor):
    """The embargo as the United States imposes it."""

    name = "united_states"
    READS = ("embargo.enabled", "embargo.date", "embargo.delay_without_southern_move_days",
             "embargo.import_loss_share")
    OUTCOMES = ("embargo_date",)

    def setup(self) -> None:
        self.embargo_date: dt.date | None = None

    def start(self) -> None:
        if self.p["embargo.enabled"]:
            self.env.process(self.embargo())

    def embargo(self) -> Generator[Any, Any, None]:
        """On its date if Japan has moved south; from then on as soon as it does, or later."""
        p = self.p
        env = self.env
        signals = self.w.signals
        t = day_of(p["embargo.date"])
        if t > self.w.t_end:
            return
        if t > env.now:
            yield env.timeout(t - env.now)
        self.w.ledger.advance(env.now)
        if signals.southern_move.happened or signals.south_war.happened:
            self.impose("Japan has moved into southern Indochina")
            return
        # from now on a southern move brings the embargo on the spot
        signals.southern_move.callbacks.append(self._on_southern_move)
        fallback = t + p["embargo.delay_without_southern_move_days"]
        if fallback > self.w.t_end:
            return
        yield env.timeout(fallback - env.now)
        if not signals.embargo.happened:
            self.w.ledger.advance(env.now)
            self.impose("sanctions tighten without a southern move")

    def _on_southern_move(self, move: simpy.Event) -> None:
        self.impose(move.value)

    def impose(self, why: str) -> None:
        """Cut oil imports now (once; not once Japan is at war with the West)."""
        signals = self.w.signals
        if signals.embargo.happened or signals.south_war.happened:
            return
        self.w.fire(signals.embargo)
        self.embargo_date = date_of(self.env.now)
        if self.w.tracing:
            self.w.note("economy", f"US oil embargo and assets freeze ({why}): "
                        f"{self.p['embargo.import_loss_share']:.0%} of oil imports lost",
                        import_loss_share=self.p["embargo.import_loss_share"])

    def outcomes(self) -> dict[str, Any]:
        return {"embargo_date": self.embargo_date}

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        return [(p["embargo.date"], "US oil embargo")] if p["embargo.enabled"] else []
