"""Dated diplomatic and strategic events (docs/model.md §Timeline).

* Molotov-Ribbentrop pact (DIP-04): Japan's trust in Germany falls to
  ``molotov_ribbentrop.trust_after``; the cabinet falls ``cabinet_fall_days`` later (DIP-06).
* Tripartite Pact (DIP-08): trust recovers to ``germany.trust_after_tripartite`` (never lowers it).
* Neutrality Pact (NP-01): a treaty cost on striking north, security in Manchuria for a
  southern move, and Soviet freedom to move Far East divisions west.
* US export licensing (EMB-01): Japan starts to fear an oil embargo.
* Barbarossa (BAR-01) and the fall of Moscow (counterfactual).
* The embargo (EMB-03/04): imposed on its date if Japan has moved into southern Indochina,
  at once when Japan moves after that date, and otherwise ``delay_without_southern_move_days``
  late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any

from sim.model.state import date_of, day_of

if TYPE_CHECKING:
    from sim.model.core import World

Step = Callable[["World"], None]


def diplomacy(w: World) -> Generator[Any, Any, None]:
    """The dated diplomatic calendar of one replication."""
    p = w.p
    calendar: list[tuple[float, int, Step]] = []
    if p["molotov_ribbentrop.enabled"]:
        calendar.append((day_of(p["molotov_ribbentrop.date"]), 0, _pact_with_germany))
        calendar.append((day_of(p["molotov_ribbentrop.date"])
                         + round(p["molotov_ribbentrop.cabinet_fall_days"]), 1, _cabinet_falls))
    calendar.append((day_of(p["embargo.licensing_date"]), 2, _licensing))
    calendar.append((day_of(p["germany.tripartite_date"]), 3, _tripartite))
    if p["neutrality_pact.enabled"]:
        calendar.append((day_of(p["neutrality_pact.date"]), 4, _neutrality_pact))
    calendar.sort(key=lambda item: (item[0], item[1]))
    env = w.env
    for t, _, step in calendar:
        if t > w.t_end:
            break
        if t > env.now:
            yield env.timeout(t - env.now)
        w.ledger.advance(env.now)
        step(w)


def _pact_with_germany(w: World) -> None:
    before = w.trust
    w.trust = min(w.trust, w.p["molotov_ribbentrop.trust_after"])
    if w.tracing:
        w.note("diplomacy", f"Molotov-Ribbentrop pact: Japan's trust in Germany falls from "
               f"{before:.2f} to {w.trust:.2f}", trust_before=before, trust=w.trust)


def _cabinet_falls(w: World) -> None:
    days = round(w.p["molotov_ribbentrop.cabinet_fall_days"])
    w.out["cabinet_fall_days"] = float(days)
    if w.tracing:
        w.note("diplomacy", f"The Hiranuma cabinet resigns, {days} days after the Nazi-Soviet pact",
               days=days)


def _licensing(w: World) -> None:
    w.embargo_feared = True
    if w.tracing:
        w.note("economy", "US licenses exports of aviation fuel and scrap: Japan fears an "
               "oil embargo",
               anticipation=w.p["decision.embargo_anticipation"])


def _tripartite(w: World) -> None:
    before = w.trust
    w.trust = max(w.trust, w.p["germany.trust_after_tripartite"])
    if w.tracing:
        w.note("diplomacy", f"Tripartite Pact: trust in Germany {before:.2f} -> {w.trust:.2f}",
               trust=w.trust)


def _neutrality_pact(w: World) -> None:
    w.pact_in_force = True
    w.refresh_far_east()
    if w.tracing:
        w.note("diplomacy", "Soviet-Japanese Neutrality Pact signed: striking north now breaks a "
               "treaty; the USSR may move Far East divisions west")


def embargo(w: World) -> Generator[Any, Any, None]:
    """The US oil embargo: on its date if Japan has moved south, else when it does or later."""
    p = w.p
    env = w.env
    t = day_of(p["embargo.date"])
    if t > w.t_end:
        return
    if t > env.now:
        yield env.timeout(t - env.now)
    w.ledger.advance(env.now)
    if w.indochina_moved or w.south_war:
        impose_embargo(w, "Japan has moved into southern Indochina")
        return
    w.embargo_pending = True
    fallback = t + p["embargo.delay_without_southern_move_days"]
    if fallback > w.t_end:
        return
    yield env.timeout(fallback - env.now)
    if not w.embargo:
        w.ledger.advance(env.now)
        impose_embargo(w, "sanctions tighten without a southern move")


def impose_embargo(w: World, why: str) -> None:
    """Cut oil imports (call at the current time)."""
    if w.embargo or w.south_war:
        return
    w.embargo = True
    w.embargo_pending = False
    w.out["embargo_date"] = date_of(w.env.now)
    w.refresh_oil()
    if w.tracing:
        w.note("economy", f"US oil embargo and assets freeze ({why}): "
               f"{w.p['embargo.import_loss_share']:.0%} of oil imports lost",
               import_loss_share=w.p["embargo.import_loss_share"])


def key_events(p: Mapping[str, Any]) -> list[tuple[dt.date, str]]:
    """The dated events of a scenario, for plot annotation, in date order."""
    out: list[tuple[dt.date, str]] = []
    if p["khalkhin_gol.enabled"]:
        out.append((p["khalkhin_gol.offensive_date"], "Khalkhin Gol offensive"))
        out.append((p["khalkhin_gol.ceasefire_date"], "Khalkhin Gol ceasefire"))
    if p["molotov_ribbentrop.enabled"]:
        out.append((p["molotov_ribbentrop.date"], "Molotov-Ribbentrop pact"))
    out.append((p["germany.tripartite_date"], "Tripartite Pact"))
    if p["neutrality_pact.enabled"]:
        out.append((p["neutrality_pact.date"], "Neutrality Pact"))
    if p["barbarossa.enabled"]:
        out.append((p["barbarossa.date"], "Barbarossa"))
        if p["barbarossa.moscow_falls"]:
            out.append((p["barbarossa.moscow_fall_date"], "Moscow falls"))
    if p["embargo.enabled"]:
        out.append((p["embargo.date"], "US oil embargo"))
    for k in range(1, 5):
        out.append((p[f"decision.conference_{k}_date"], f"Conference {k}"))
    if p["decision.force"] != "free":
        out.append((p["decision.force_date"], f"Forced: {p['decision.force']}"))
    horizon = p["simulation.horizon"]
    out = [(d, label) for d, label in out if d <= horizon]
    out.sort(key=lambda item: item[0])
    return out
