"""The dated diplomatic calendar (docs/model.md §Timeline).

* Molotov-Ribbentrop pact (DIP-04): Japan's trust in Germany falls to
  ``molotov_ribbentrop.trust_after``; the cabinet falls ``cabinet_fall_days`` later (DIP-06).
* US export licensing (EMB-01): Japan starts to fear an oil embargo (signal
  ``export_licensing``).
* Tripartite Pact (DIP-08): trust recovers to ``germany.trust_after_tripartite`` (never lowers it).
* Neutrality Pact (NP-01): a treaty cost on striking north, security in Manchuria for a
  southern move, and Soviet freedom to move Far East divisions west (signal ``pact``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Mapping
from typing import Any

from sim.model.accounts import day_of
from sim.model.actor import Actor


class Diplomacy(Actor):
    """The pacts and Japan's trust in Germany."""

    name = "diplomacy"
    READS = ("molotov_ribbentrop.enabled", "molotov_ribbentrop.date",
             "molotov_ribbentrop.cabinet_fall_days", "molotov_ribbentrop.trust_after",
             "germany.trust_initial", "germany.tripartite_date", "germany.trust_after_tripartite",
             "neutrality_pact.enabled", "neutrality_pact.date", "embargo.licensing_date",
             "decision.embargo_anticipation")
    OUTCOMES = ("cabinet_fall_days",)

    def setup(self) -> None:
        #: trust in Germany, 0..1: the chance of a coordinated two-front war
        self.trust: float = self.p["germany.trust_initial"]
        self.cabinet_fall_days: float | None = None

    def start(self) -> None:
        self.env.process(self.calendar())

    def calendar(self) -> Generator[Any, Any, None]:
        """The dated diplomatic events of one replication, in date order."""
        p = self.p
        steps: list[tuple[float, int, Callable[[], None]]] = []
        if p["molotov_ribbentrop.enabled"]:
            signed = day_of(p["molotov_ribbentrop.date"])
            steps.append((signed, 0, self._pact_with_germany))
            steps.append((signed + round(p["molotov_ribbentrop.cabinet_fall_days"]), 1,
                          self._cabinet_falls))
        steps.append((day_of(p["embargo.licensing_date"]), 2, self._licensing))
        steps.append((day_of(p["germany.tripartite_date"]), 3, self._tripartite))
        if p["neutrality_pact.enabled"]:
            steps.append((day_of(p["neutrality_pact.date"]), 4, self._neutrality_pact))
        steps.sort(key=lambda item: (item[0], item[1]))
        env = self.env
        for t, _, step in steps:
            if t > self.w.t_end:
                break
            if t > env.now:
                yield env.timeout(t - env.now)
            self.w.ledger.advance(env.now)
            step()

    def _pact_with_germany(self) -> None:
        before = self.trust
        self.trust = min(self.trust, self.p["molotov_ribbentrop.trust_after"])
        if self.w.tracing:
            self.w.note("diplomacy", f"Molotov-Ribbentrop pact: Japan's trust in Germany falls "
                        f"from {before:.2f} to {self.trust:.2f}", trust_before=before,
                        trust=self.trust)

    def _cabinet_falls(self) -> None:
        days = round(self.p["molotov_ribbentrop.cabinet_fall_days"])
        self.cabinet_fall_days = float(days)
        if self.w.tracing:
            self.w.note("diplomacy", f"The Hiranuma cabinet resigns, {days} days after the "
                        f"Nazi-Soviet pact", days=days)

    def _licensing(self) -> None:
        self.w.fire(self.w.signals.export_licensing)
        if self.w.tracing:
            self.w.note("economy", "US licenses exports of aviation fuel and scrap: Japan fears "
                        "an oil embargo", anticipation=self.p["decision.embargo_anticipation"])

    def _tripartite(self) -> None:
        before = self.trust
        self.trust = max(self.trust, self.p["germany.trust_after_tripartite"])
        if self.w.tracing:
            self.w.note("diplomacy", f"Tripartite Pact: trust in Germany {before:.2f} -> "
                        f"{self.trust:.2f}", trust=self.trust)

    def _neutrality_pact(self) -> None:
        self.w.fire(self.w.signals.pact)
        if self.w.tracing:
            self.w.note("diplomacy", "Soviet-Japanese Neutrality Pact signed: striking north now "
                        "breaks a treaty; the USSR may move Far East divisions west")

    def outcomes(self) -> dict[str, Any]:
        return {"cabinet_fall_days": self.cabinet_fall_days}

    @classmethod
    def key_events(cls, p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
        out = []
        if p["molotov_ribbentrop.enabled"]:
            out.append((p["molotov_ribbentrop.date"], "Molotov-Ribbentrop pact"))
        out.append((p["germany.tripartite_date"], "Tripartite Pact"))
        if p["neutrality_pact.enabled"]:
            out.append((p["neutrality_pact.date"], "Neutrality Pact"))
        return out
