"""The Soviet invasion of Manchuria, August 1945 (docs/model.md §6c).

On ``manchuria_1945.invasion_date`` (MAN-01: 9 Aug 1945, three months after Germany's
surrender as promised at Yalta, YAL-01) the Soviet Far East, built up by rail since April
(:mod:`sim.model.actors.far_east`), attacks the Kwantung Army the model has by then: the men
of the ledger's MANCHURIA account at the army's quality (``army.kwantung_quality``; the 1945
army was hollowed out, JF-06, MAN-03).  No invasion if Germany was not beaten (no German war
on the USSR, or a Soviet collapse in 1942) or the horizon comes first.  In a war with the
United States the fighting stops at the ceasefire of Japan's surrender
(``manchuria_1945.ceasefire_date``, 20 Aug: MAN-01's end of the main operations, after the
Emperor's broadcast of 15 Aug), whether or not the Kwantung Army has broken.  In a branch where
Japan struck north the war is already on: the offensive starts from that front, after any
battle of the northern war under way, and first retakes the Soviet ground Japan holds.  The
arithmetic is :mod:`sim.model.kernels.manchuria_1945`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping
from typing import Any

from sim.model.accounts import JP_CASUALTIES, MANCHURIA, SOVIET_FE, date_of, day_of
from sim.model.actor import Actor
from sim.model.kernels import manchuria_1945 as august
from sim.registry.combat import INTENSITY_AT_12_DAYS, INTENSITY_DECAY

#: The Kwantung Army's combat value per man in August 1945 relative to 1941, until the army
#: tracks it (``army.kwantung_quality``): by August 1945 all but 3 of its 24 divisions had been
#: raised that year (JF-06) with few tanks and aircraft (MAN-03: ~290-370 tanks, 232-627 combat
#: aircraft for a million men); a new division at ~0.37 of a 1941 one gives (3 + 21 x 0.37) / 24
#: (judgement, docs/model.md §6c).
KWANTUNG_QUALITY_1945 = 0.45


class Manchuria1945(Actor):
    """The Soviet offensive of August 1945, from the invasion to the break or the horizon."""

    name = "manchuria_1945"
    READS = ("manchuria_1945.invasion_date", "manchuria_1945.ceasefire_date",
             "manchuria_1945.engaged_share",
             "north.soviet_effectiveness", "khalkhin_gol.japanese_break_fraction",
             "combat.attacker_daily_loss", "combat.defender_daily_loss", "combat.exponent")
    OUTCOMES = ("manchuria_invaded_date", "manchuria_1945_days",
                "manchuria_1945_japanese_casualties", "manchuria_1945_soviet_casualties")

    def setup(self) -> None:
        self.t_planned = day_of(self.p["manchuria_1945.invasion_date"])
        self.t_ceasefire = day_of(self.p["manchuria_1945.ceasefire_date"]) + 1.0  # its end
        self.t_invasion: float | None = None
        self.result: august.Offensive | None = None

    def start(self) -> None:
        if self.t_planned <= self.w.t_end:
            self.env.process(self.invasion())

    def quality(self) -> float:
        """The Kwantung Army's combat value per man now (1941 = 1)."""
        return float(getattr(self.cast.army, "kwantung_quality", KWANTUNG_QUALITY_1945))

    def war_end(self) -> float:
        """When the fighting in Manchuria stops: at the ceasefire of Japan's surrender to the
        Allies when Japan is at war with the United States (the surrender of 15 Aug 1945
        ended the war, not a collapse of the Kwantung Army: MAN-01), else at the horizon."""
        if self.w.signals.us_war.happened and self.t_ceasefire < self.w.t_end:
            return self.t_ceasefire
        return self.w.t_end

    def invasion(self) -> Generator[Any, Any, None]:
        """Wait for the date; attack unless the USSR collapsed; book the war's losses."""
        w = self.w
        env = self.env
        yield w.wait_until(self.t_planned)
        if not self.cast.far_east.germany_beaten():
            return
        north = self.cast.north
        if north.battle_end > env.now:  # a battle of the northern war is fought out first
            yield w.wait_until(north.battle_end)
        end = self.war_end()
        if env.now >= end:
            return
        self.t_invasion = env.now
        w.fire(w.signals.soviet_invasion)
        held = north.hand_over()
        p = self.p
        v = w.ledger.values
        soviets = v[SOVIET_FE]
        japanese = v[MANCHURIA]
        quality = self.quality()
        su_eff = august.soviet_effectiveness_1945(p["north.soviet_effectiveness"],
                                                  self.cast.far_east.strength_per_man())
        result = august.offensive(
            soviets, japanese, end - env.now, soviet_effectiveness=su_eff,
            japanese_quality=quality, held_sectors=held,
            engaged_share=p["manchuria_1945.engaged_share"],
            attacker_daily_loss=p["combat.attacker_daily_loss"],
            defender_daily_loss=p["combat.defender_daily_loss"], exponent=p["combat.exponent"],
            japanese_break=p["khalkhin_gol.japanese_break_fraction"],
            intensity_at_12=INTENSITY_AT_12_DAYS, intensity_decay=INTENSITY_DECAY)
        self.result = result
        if w.tracing:
            w.note("battle", f"The Soviet Union invades Manchuria: {soviets:,.0f} Soviet "
                   f"against {japanese:,.0f} Japanese (quality {quality:.2f} of 1941)"
                   + (f"; {held} sector(s) of Soviet ground to retake first" if held else ""),
                   soviet=soviets, japanese=japanese, quality=quality,
                   soviet_effectiveness=su_eff, held_sectors=held)
        yield w.wait_for(result.days)
        v[SOVIET_FE] -= result.soviet_losses
        v[MANCHURIA] -= result.japanese_losses
        v[JP_CASUALTIES] += result.japanese_losses
        for _ in range(result.sectors_retaken):
            north.lose_sector()
        if w.tracing:
            end = ("the Kwantung Army breaks" if result.broken else
                   "the Kwantung Army is still fighting when the war ends (the ceasefire or "
                   "the horizon)")
            w.note("battle", f"After {result.days:.0f} days {end} (Japanese "
                   f"{result.japanese_losses:,.0f}, Soviet {result.soviet_losses:,.0f} "
                   "casualties)", japanese_losses=result.japanese_losses,
                   soviet_losses=result.soviet_losses, days=result.days,
                   broken=result.broken)

    def outcomes(self) -> dict[str, Any]:
        r = self.result
        return {
            "manchuria_invaded_date": (date_of(self.t_invasion) if self.t_invasion is not None
                                       else None),
            "manchuria_1945_days": r.days if r is not None else None,
            "manchuria_1945_japanese_casualties": r.japanese_losses if r is not None else None,
            "manchuria_1945_soviet_casualties": r.soviet_losses if r is not None else None,
        }

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        return [(p["manchuria_1945.invasion_date"], "Soviet invasion of Manchuria")]
