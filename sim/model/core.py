"""The SimPy assembly: one replication from January 1939 to the horizon.

Processes (each a SimPy process that sleeps until its next dated event):

* ``diplomacy`` and ``embargo`` (:mod:`sim.model.events`);
* ``khalkhin_gol``: the 1939 campaign, its losses and the Nomonhan shock;
* ``far_east``: Barbarossa, German pressure phases, Soviet transfers, the Sorge reports;
* ``conferences``: the policy conferences and the launches they schedule;
* ``kantokuen``: the 1941 mobilisation of the Kwantung Army;
* ``forced_policy``: a policy imposed from ``decision.force_date`` (counterfactuals);
* campaigns (:mod:`sim.model.campaigns`) once launched;
* ``calendar``: half-yearly oil reviews (tankers, rationing) from 1942 and the dated readings
  the outcomes need.

Between events every flow is a constant rate in the :class:`~sim.model.state.Ledger`.
Random numbers come from fixed slots of a few purpose streams so that a change that starts at
date D cannot alter any draw before D (common random numbers across scenarios).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping
from typing import Any

import numpy as np
import simpy

from sim.model import campaigns, decision, economy, events, theaters
from sim.model.khalkhin_gol import fight_campaign, lognormal_factor
from sim.model.state import (CHINA_CASUALTIES, FE_SENT_WEST, HOME, JP_CASUALTIES, MANCHURIA,
                             OIL, RECRUITS, SERIES_NAMES, SOUTH_OIL_HOME, SOVIET_FE, Ledger,
                             date_of, day_of, in_year)
from sim.streams import Streams

#: Slots of each stream: a stochastic event always reads the same slot.
COMBAT_SLOTS = 4  # 0 KG summer, 1 KG August, 2 northern fortune, 3 southern fortune
#: ``decisions`` slots: 0-3 the conferences, 4 whether Stalin believes the Sorge reports,
#: 5-11 Moscow's transfer decisions phase by phase (one purpose stream costs a seed
#: derivation, so the Soviet leadership's decisions share Japan's stream, in fixed slots).
DECISION_SLOTS = 12
SORGE_SLOT = 4
TRANSFER_SLOTS = range(5, 12)
#: Offensives launched within this many days of each other count as launched together.
BOTH_WINDOW_DAYS = 90.0


class World:
    """The mutable state of one replication, shared by its processes."""

    def __init__(self, p: Mapping[str, Any], streams: Streams, trace: bool) -> None:
        self.p = p
        horizon = p["simulation.horizon"]
        self.t_end = day_of(horizon) + 1.0
        self.env = simpy.Environment()
        self.ledger = Ledger(horizon)
        self.tracing = trace
        self.events: list[Any] | None = [] if trace else None
        self.out: dict[str, Any] = {}
        self.u_combat = streams.block("combat", COMBAT_SLOTS).tolist()
        self.u_decisions = streams.block("decisions", DECISION_SLOTS).tolist()
        # beliefs and diplomacy
        self.soviet_power = p["belief.prior_soviet_power"]
        self.trust = p["germany.trust_initial"]
        self.pact_in_force = False
        self.embargo_feared = False
        self.embargo = False
        self.embargo_pending = False
        # policy and wars
        self.policy = "hold"
        self.locked = False
        self.token = 0
        self.indochina_moved = False
        self.indochina_pending = False
        self.t_south_planned: float | None = None
        self.north_war = False
        self.south_war = False
        self.north_static = False
        self.north_offensive = False  # a northern campaigning season is under way
        self.south_static = False
        self.t_north_launch: float | None = None
        self.t_south_launch: float | None = None
        self.mobilised = False
        self.mobilisation_rate = 0.0
        # Soviet Far East
        self.barbarossa_started = False
        self.moscow_fallen = False
        self.sorge_released = False
        self.phase_luck = 1.0
        self.transfer_rate = 0.0
        cal = theaters.fe_phase_start_days(p)
        self.t_typhoon = cal["typhoon"]
        self.t_counteroffensive = cal["counteroffensive"]
        self.t_case_blue = cal["case_blue"]
        self.t_late_war = cal["late_war"]
        self.t_fe_mobilisation_end = cal["fe_mobilisation_end"]
        self.t_release_end = day_of(dt.date(1941, 12, 31))
        # the build-up reaches SFE-01's figure on its date, whenever Germany attacks
        self.t_fe_june = day_of(theaters.SFE01_DATE)
        self.fe_june = p["soviet_fe.men_1941_06"]
        #: Far East men when the German war began: the base of drawdowns and shares sent west
        self.fe_at_war = self.fe_june
        # economy
        self.south_oil_home = 0.0
        self.sakhalin_oil = 0.0
        self.tanker_survival = 1.0
        self.shipping_effect = 1.0
        self.t_dei_captured: float | None = None
        self.t_sakhalin: float | None = None
        self.initial_japanese = 0.0
        self.south_oil_1941 = 0.0  # southern oil shipped home by the end of 1941 (cumulative)
        self.south_oil_1942 = 0.0

    # --- helpers the modules call ------------------------------------------------------------
    def note(self, kind: str, text: str, **data: Any) -> None:
        """Add a line to the narrative (only when tracing)."""
        if self.events is not None:
            from sim.model import TraceEvent

            self.events.append(TraceEvent(date_of(self.env.now), kind, text, data))

    def refresh_oil(self) -> None:
        economy.refresh_oil(self)

    def refresh_men(self) -> None:
        theaters.refresh_men(self)

    def refresh_far_east(self) -> None:
        theaters.refresh_far_east(self)

    def refresh_all(self) -> None:
        economy.refresh_oil(self)
        theaters.refresh_men(self)
        theaters.refresh_far_east(self)

    def sleep_until(self, t: float) -> Any:
        """A timeout to simulation time ``t`` (never negative)."""
        return self.env.timeout(t - self.env.now if t > self.env.now else 0.0)


# --- Khalkhin Gol ---------------------------------------------------------------------------------

def khalkhin_gol(w: World) -> Generator[Any, Any, None]:
    """The 1939 campaign: summer fighting, the August offensive, the ceasefire, the shock."""
    p = w.p
    env = w.env
    if not p["khalkhin_gol.enabled"]:
        w.out.update(kg_japanese_casualties=0.0, kg_soviet_casualties=0.0, kg_outcome="none",
                     kg_offensive_days=None, kg_ceasefire_date=None)
        return
    t_start = day_of(p["khalkhin_gol.start_date"])
    t_off = day_of(p["khalkhin_gol.offensive_date"])
    result = fight_campaign(p, w.u_combat[0], w.u_combat[1])
    if t_start > w.t_end:
        return
    yield w.sleep_until(t_start)
    if w.tracing:
        w.note("battle", "Khalkhin Gol: first clash on the Khalkha river")
    if t_off > w.t_end:
        return
    yield w.sleep_until(t_off)
    w.ledger.advance(env.now)
    theaters.casualties(w, result.summer_japanese)
    if w.tracing:
        w.note("battle", f"Khalkhin Gol, May-August: Japanese {result.summer_japanese:,.0f}, "
               f"Soviet-Mongol {result.summer_soviet:,.0f} casualties; Zhukov attacks with "
               f"{result.soviet_fielded:,.0f} men (trucks sustain {result.soviet_supply_share:.0%} "
               f"of the force)", soviet_fielded=result.soviet_fielded,
               supply_share=result.soviet_supply_share)
    yield env.timeout(result.offensive_days)
    w.ledger.advance(env.now)
    theaters.casualties(w, result.japanese_casualties - result.summer_japanese)
    w.soviet_power = decision.nomonhan_belief(
        p["belief.prior_soviet_power"], p["belief.learning_rate"], p["belief.defeat_shock"],
        _rate(result.japanese_casualties, result.japanese_fielded),
        _rate(result.soviet_casualties, result.soviet_fielded), result.soviet_won)
    outcome = "soviet_victory" if result.soviet_won else "japanese_success"
    w.out.update(kg_japanese_casualties=result.japanese_casualties,
                 kg_soviet_casualties=result.soviet_casualties, kg_outcome=outcome,
                 kg_offensive_days=result.offensive_days, nomonhan_shock=w.soviet_power)
    if w.tracing:
        w.note("battle", f"Khalkhin Gol offensive ends after {result.offensive_days:.0f} days: "
               f"{outcome.replace('_', ' ')}; campaign casualties Japanese "
               f"{result.japanese_casualties:,.0f}, Soviet-Mongol {result.soviet_casualties:,.0f}. "
               f"Perceived Soviet power now {w.soviet_power:.2f} (was "
               f"{p['belief.prior_soviet_power']:.2f})",
               japanese=result.japanese_casualties, soviet=result.soviet_casualties,
               belief=w.soviet_power)
    t_cease = max(day_of(p["khalkhin_gol.ceasefire_date"]), env.now)
    w.out["kg_ceasefire_date"] = date_of(t_cease)
    if t_cease <= w.t_end:
        yield w.sleep_until(t_cease)
        if w.tracing:
            w.note("diplomacy", "Khalkhin Gol ceasefire agreed in Moscow")


def _rate(casualties: float, men: float) -> float:
    """Casualties per man (0 for a side that fielded nobody)."""
    return casualties / men if men > 0.0 else 0.0


# --- the Soviet Far East --------------------------------------------------------------------------

def far_east(w: World) -> Generator[Any, Any, None]:
    """Build-up, Barbarossa, transfer phases, the fall of Moscow, the Sorge reports."""
    p = w.p
    env = w.env
    w.refresh_far_east()
    t_bar = day_of(p["barbarossa.date"]) if p["barbarossa.enabled"] else float("inf")
    if w.t_fe_june < t_bar and w.t_fe_june <= w.t_end:
        # the peacetime build-up ends at SFE-01's strength
        yield w.sleep_until(w.t_fe_june)
        w.ledger.advance(env.now)
        w.refresh_far_east()
    if t_bar > w.t_end:
        return
    yield w.sleep_until(t_bar)
    w.ledger.advance(env.now)
    w.fe_at_war = w.ledger.values[SOVIET_FE]
    w.ledger.fe_floor = theaters.far_east_floor(w)
    w.barbarossa_started = True
    w.phase_luck = transfer_luck(w, TRANSFER_SLOTS[0])
    w.refresh_far_east()
    if w.tracing:
        w.note("campaign", f"Germany invades the USSR; the Soviet Far East holds "
               f"{w.fe_at_war:,.0f} men",
               soviet_fe_men=w.fe_at_war)
    marks: list[tuple[float, str]] = [(t, "phase") for t in theaters.far_east_phases(w)]
    marks.append((day_of(p["intelligence.sorge_date"]), "sorge"))
    if p["barbarossa.moscow_falls"]:
        marks.append((day_of(p["barbarossa.moscow_fall_date"]), "moscow"))
    marks.sort()
    slot = TRANSFER_SLOTS[1]
    for t, what in marks:
        if t > w.t_end:
            break
        if t < env.now:
            continue
        t_floor = theaters.far_east_floor_time(w)
        while t_floor < t:
            # transfers would strip the Far East below its floor: stop them there
            yield w.sleep_until(t_floor)
            w.ledger.advance(env.now)
            w.refresh_far_east()
            t_floor = theaters.far_east_floor_time(w)
        yield w.sleep_until(t)
        w.ledger.advance(env.now)
        if what == "phase":
            w.phase_luck = transfer_luck(w, slot)
            slot = min(slot + 1, TRANSFER_SLOTS[-1])
        elif what == "moscow":
            w.moscow_fallen = True
            if w.tracing:
                w.note("campaign", "Moscow falls: German pressure on the USSR rises")
        elif what == "sorge":
            believed = w.u_decisions[SORGE_SLOT] < p["intelligence.sorge_reliability"]
            quiet = not (w.north_war or w.policy == "north")
            if believed and quiet:
                w.sorge_released = True
                if w.tracing:
                    w.note("intelligence", "Sorge reports Japan will not strike north before "
                           "spring: "
                           "Stalin releases more Far East divisions")
            elif quiet:
                if w.tracing:
                    w.note("intelligence",
                           "Reports that Japan will not strike north are not believed")
            else:
                if w.tracing:
                    w.note("intelligence", "Intelligence sees Japan preparing to strike north: "
                           "the Far East keeps its divisions")
        w.refresh_far_east()
    t_floor = theaters.far_east_floor_time(w)
    while t_floor <= w.t_end:
        yield w.sleep_until(t_floor)
        w.ledger.advance(env.now)
        w.refresh_far_east()
        t_floor = theaters.far_east_floor_time(w)


def transfer_luck(w: World, slot: int) -> float:
    """Lognormal factor on a transfer phase's rate, from its fixed ``decisions`` slot."""
    return lognormal_factor(w.u_decisions[slot], w.p["soviet_fe.transfer_sigma"])


# --- policy: conferences, launches, Kantokuen ----------------------------------------------------

def situation(w: World) -> decision.Situation:
    """What the leadership sees at the current time."""
    p = w.p
    v = w.ledger.values
    if w.embargo:
        threat = 1.0
    elif w.embargo_feared:
        threat = p["decision.embargo_anticipation"]
    else:
        threat = 0.0
    war_use = (p["oil.war_consumption"] + p["china.oil_mbbl_per_year"]
               * p["china.drain_multiplier"])
    need = decision.oil_need(threat, v[OIL], war_use, p["decision.oil_comfort_months"])
    fieldable = max(v[MANCHURIA], p["kantokuen.peak_men"] if p["kantokuen.enabled"] else 0.0)
    reduction = 0.0
    if w.barbarossa_started:
        reduction = (w.fe_at_war - v[SOVIET_FE]) / w.fe_at_war
    return decision.Situation(
        soviet_power=w.soviet_power,
        fe_ratio=v[SOVIET_FE] / fieldable,
        german_progress=theaters.german_pressure(w, w.env.now),
        trust=w.trust,
        fe_reduction=reduction,
        pact=w.pact_in_force,
        oil_need=need,
        western_weakness=decision.western_weakness(p["south.western_aircraft"],
                                                   p["south.western_aircraft_required"]),
        china_burden=p["china.drain_multiplier"],
        current=w.policy,
        barbarossa=w.barbarossa_started,
    )


def conferences(w: World) -> Generator[Any, Any, None]:
    """The policy conferences, each drawing its choice from its own ``decisions`` slot."""
    p = w.p
    env = w.env
    dates = sorted((day_of(p[f"decision.conference_{k}_date"]), k - 1) for k in range(1, 5))
    for t, slot in dates:
        if t > w.t_end:
            break
        yield w.sleep_until(t)
        w.ledger.advance(env.now)
        if (w.barbarossa_started and not w.mobilised and p["kantokuen.enabled"]
                and not w.locked):
            env.process(kantokuen(w))
        if w.locked or w.north_war or w.south_war:
            if w.tracing:
                w.note("conference", f"Conference {slot + 1}: policy already settled "
                       f"({w.policy})", policy=w.policy)
            continue
        s = situation(w)
        probs = decision.probabilities(s, p)
        choice = decision.choose(probs, w.u_decisions[slot])
        w.out[f"conference_{slot + 1}_choice"] = choice
        if w.tracing:
            w.note("conference", f"Conference {slot + 1}: {choice} chosen (north {probs[0]:.2f}, "
                   f"hold {probs[1]:.2f}, south {probs[2]:.2f})",
                   p_north=probs[0], p_hold=probs[1], p_south=probs[2], oil_need=s.oil_need,
                   soviet_power=s.soviet_power, fe_reduction=s.fe_reduction, trust=s.trust)
        set_policy(w, choice)
        if choice == "south":
            move_south(w)


def set_policy(w: World, choice: str) -> None:
    """Adopt a policy at the current time and schedule what it sets in motion."""
    if choice == w.policy:
        return
    p = w.p
    env = w.env
    w.policy = choice
    w.token += 1
    now = env.now
    if choice == "south":
        launch = max(now + p["south.min_preparation_days"],
                     day_of(p["south.earliest_launch_date"]))
        w.t_south_planned = launch
        env.process(_launch_south(w, w.token, launch))
    elif choice == "north":
        year = date_of(now).year
        decide_by = day_of(in_year(p["north.window_decide_by"], year))
        if now <= decide_by:
            gate = decide_by  # a summer attack waits for the persimmon (KT-06, KT-09)
            launch = day_of(in_year(p["north.window_start"], year))
        else:
            gate = None
            launch = day_of(in_year(p["north.spring_start"], year + 1))
        env.process(_launch_north(w, w.token, gate, launch))


#: From this year a southern policy takes Japan into southern Indochina (POL-03, POL-04);
#: before it, into the north of the colony (DIP-07), which brought no oil embargo.
SOUTHERN_INDOCHINA_YEAR = 1941


def move_south(w: World) -> None:
    """The first step of a southern policy: troops into Indochina ``indochina_lag_days`` on."""
    if w.indochina_moved or w.indochina_pending:
        return
    now = w.env.now
    if date_of(now).year < SOUTHERN_INDOCHINA_YEAR:
        if w.tracing:
            w.note("diplomacy", "Southern advance 'by taking advantage of opportunities': "
                   "Japanese troops will enter northern Indochina")
        return
    w.indochina_pending = True
    w.env.process(_indochina(w, w.token, now + w.p["south.indochina_lag_days"]))


def _indochina(w: World, token: int, t: float) -> Generator[Any, Any, None]:
    if t > w.t_end or (w.t_south_planned is not None and t >= w.t_south_planned):
        w.indochina_pending = False
        return
    yield w.sleep_until(t)
    w.indochina_pending = False
    if token != w.token or w.indochina_moved:
        return
    w.ledger.advance(w.env.now)
    w.indochina_moved = True
    if w.tracing:
        w.note("diplomacy", "Japanese troops move into southern Indochina")
    if w.embargo_pending and w.p["embargo.enabled"]:
        events.impose_embargo(w, "Japan has moved into southern Indochina")


def _launch_south(w: World, token: int, t: float) -> Generator[Any, Any, None]:
    if t > w.t_end:
        return
    yield w.sleep_until(t)
    if token != w.token:
        return
    w.ledger.advance(w.env.now)
    start_south(w)


def _launch_north(w: World, token: int, gate: float | None,
                  t: float) -> Generator[Any, Any, None]:
    p = w.p
    if gate is not None:
        if gate > w.t_end:
            return
        yield w.sleep_until(gate)
        if token != w.token:
            return
        w.ledger.advance(w.env.now)
        v = w.ledger.values
        # before Barbarossa nothing has been drawn out of the Far East
        reduction = ((w.fe_at_war - v[SOVIET_FE]) / w.fe_at_war if w.barbarossa_started
                     else 0.0)
        threshold = p["kantokuen.persimmon_threshold"]
        if reduction < threshold:
            w.out["kantokuen_cancelled_date"] = date_of(w.env.now)
            if w.tracing:
                w.note("decision", f"Northern attack called off: the Soviet Far East is down "
                       f"{reduction:.0%}, not the {threshold:.0%} the persimmon rule requires",
                       reduction=reduction, threshold=threshold)
            w.policy = "hold"
            w.token += 1
            return
    if t > w.t_end:
        return
    yield w.sleep_until(t)
    if token != w.token:
        return
    w.ledger.advance(w.env.now)
    start_north(w)


def start_south(w: World) -> None:
    """Launch the southern offensive now (once)."""
    if w.south_war:
        return
    w.south_war = True
    w.t_south_launch = w.env.now
    w.out["south_attack_date"] = date_of(w.env.now)
    if w.tracing:
        w.note("campaign", "War with the United States, Britain and the Netherlands: Pearl Harbor, "
               "Malaya, the Philippines")
    w.env.process(campaigns.south_campaign(w))
    w.refresh_all()


def start_north(w: World) -> None:
    """Launch the northern offensive now (once)."""
    if w.north_war:
        return
    if not w.mobilised and w.p["kantokuen.enabled"]:
        _mobilise_now(w)
    w.north_war = True
    w.t_north_launch = w.env.now
    w.out["north_attack_date"] = date_of(w.env.now)
    w.env.process(campaigns.north_campaign(w))
    w.refresh_all()


def kantokuen(w: World) -> Generator[Any, Any, None]:
    """The Kwantung Army's special manoeuvres: call-up to the peak over the mobilisation days."""
    p = w.p
    if w.mobilised:
        return
    w.mobilised = True
    start = w.env.now + p["kantokuen.start_lag_days"]
    if start > w.t_end:
        return
    yield w.sleep_until(start)
    w.ledger.advance(w.env.now)
    _call_up(w)
    yield w.env.timeout(p["kantokuen.mobilisation_days"])
    w.ledger.advance(w.env.now)
    w.mobilisation_rate = 0.0
    w.refresh_men()
    w.out["kantokuen_peak_men"] = w.ledger.values[MANCHURIA]


def _call_up(w: World) -> None:
    p = w.p
    increase = p["kantokuen.peak_men"] - w.ledger.values[MANCHURIA]
    w.mobilisation_rate = max(0.0, increase) / p["kantokuen.mobilisation_days"]
    w.refresh_all()
    if w.tracing:
        w.note("campaign", f"Kantokuen: the Kwantung and Korea armies are mobilised towards "
               f"{p['kantokuen.peak_men']:,.0f} men", peak=p["kantokuen.peak_men"])


def _mobilise_now(w: World) -> None:
    """A forced northern attack with no mobilisation yet: the call-up lands at once."""
    p = w.p
    w.mobilised = True
    increase = max(0.0, p["kantokuen.peak_men"] - w.ledger.values[MANCHURIA])
    w.ledger.values[MANCHURIA] += increase
    w.ledger.values[RECRUITS] += increase
    w.out["kantokuen_peak_men"] = w.ledger.values[MANCHURIA]
    w.refresh_all()


def forced_policy(w: World) -> Generator[Any, Any, None]:
    """A policy imposed from ``decision.force_date`` (the counterfactual lever)."""
    p = w.p
    force = p["decision.force"]
    t = day_of(p["decision.force_date"])
    if force == "free" or t > w.t_end:
        return
    yield w.sleep_until(t)
    w.ledger.advance(w.env.now)
    w.locked = True
    w.token += 1  # cancels whatever the conferences had scheduled
    w.policy = force
    if w.tracing:
        w.note("decision", f"Policy forced: {force}")
    if force == "north":
        start_north(w)
    elif force == "south":
        w.indochina_moved = True
        if w.embargo_pending and p["embargo.enabled"]:
            events.impose_embargo(w, "Japan has moved south")
        start_south(w)


# --- economy and readings ------------------------------------------------------------------------

#: Oil reviews (tanker losses, southern shipments, rationing): every half year of the war.
REVIEW_DATES: tuple[dt.date, ...] = tuple(
    dt.date(y, m, 1) for y in range(1942, 1951) for m in (1, 7))
#: Dated readings the outcomes refer to.
READINGS: tuple[tuple[dt.date, str], ...] = (
    (theaters.SFE01_DATE, "fe_june"),
    (dt.date(1941, 8, 16), "fe_aug"),
    (dt.date(1941, 12, 6), "fe_dec5"),
    (dt.date(1942, 1, 1), "y1941"),
    (dt.date(1943, 1, 1), "y1942"),
    (dt.date(1944, 1, 1), "y1943"),
)


def _calendar_marks() -> tuple[tuple[float, tuple[str, ...]], ...]:
    """The calendar's wake-up times, with what to do at each (same-day marks grouped)."""
    grouped: dict[float, list[str]] = {}
    for d, name in READINGS:
        grouped.setdefault(day_of(d), []).append(name)
    for d in REVIEW_DATES:
        grouped.setdefault(day_of(d), []).append("review")
    return tuple((t, tuple(names)) for t, names in sorted(grouped.items()))


CALENDAR_MARKS = _calendar_marks()
FIRST_REVIEW_BASE = day_of(dt.date(1941, 12, 1))


def calendar(w: World) -> Generator[Any, Any, None]:
    """Oil reviews and the dated readings outcomes need, in one pass over the calendar."""
    v = w.ledger.values
    last_review = FIRST_REVIEW_BASE
    for t, names in CALENDAR_MARKS:
        if t > w.t_end:
            return
        yield w.sleep_until(t)
        w.ledger.advance(w.env.now)
        for name in names:
            if name == "review":
                economy.review_southern_oil(w, (t - last_review) / economy.DAYS_PER_YEAR)
                last_review = t
                w.refresh_oil()
            elif name == "fe_june":
                w.out["soviet_fe_men_1941_06"] = v[SOVIET_FE]
            elif name == "fe_aug":
                w.out["soviet_fe_fraction_west_1941_08"] = v[FE_SENT_WEST] / w.fe_at_war
            elif name == "fe_dec5":
                w.out["soviet_fe_fraction_west_1941_12"] = v[FE_SENT_WEST] / w.fe_at_war
            elif name == "y1941":
                w.out["soviet_fe_men_sent_west_1941"] = v[FE_SENT_WEST]
                w.south_oil_1941 = v[SOUTH_OIL_HOME]
            elif name == "y1942":
                w.out["oil_imported_south_1942"] = v[SOUTH_OIL_HOME] - w.south_oil_1941
                w.south_oil_1942 = v[SOUTH_OIL_HOME]
            elif name == "y1943":
                w.out["oil_imported_south_1943"] = v[SOUTH_OIL_HOME] - w.south_oil_1942


# --- one replication -----------------------------------------------------------------------------

#: Month-end index (from Jan 1939) of December of each year.
def _december(year: int) -> int:
    return (year - 1939) * 12 + 11


def run(p: Mapping[str, Any], streams: Streams, trace: bool = False) -> World:
    """Run one replication to the horizon and return its final state."""
    w = World(p, streams, trace)
    theaters.initial_men(w)
    w.ledger.values[OIL] = p["oil.stock_1939"]
    w.refresh_all()
    env = w.env
    env.process(events.diplomacy(w))
    if p["embargo.enabled"]:
        env.process(events.embargo(w))
    env.process(khalkhin_gol(w))
    env.process(far_east(w))
    env.process(conferences(w))
    if p["decision.force"] != "free":
        env.process(forced_policy(w))
    env.process(calendar(w))
    env.run(until=w.t_end)
    w.ledger.advance(w.t_end)
    w.ledger.finish()
    return w


def outcomes_of(w: World) -> dict[str, Any]:
    """The outcome row of a finished replication (every name in sim.outcomes.OUTCOME_NAMES)."""
    p = w.p
    out = w.out
    samples = w.ledger.samples
    oil = samples[OIL]
    n = len(oil)

    def december(series: list[float], year: int) -> float | None:
        k = _december(year)
        return series[k] if k < n else None

    north = w.t_north_launch
    south = w.t_south_launch
    if north is None and south is None:
        choice = "none"
    elif north is None:
        choice = "south"
    elif south is None:
        choice = "north"
    elif abs(north - south) <= BOTH_WINDOW_DAYS:
        choice = "both"
    else:
        choice = "north" if north < south else "south"
    fe = samples[SOVIET_FE]
    manchuria = samples[MANCHURIA]
    months_1941 = manchuria[24:36]
    sent_1941 = out.get("soviet_fe_men_sent_west_1941")
    per_division = p["soviet_fe.men_per_division"]
    v = w.ledger.values
    row: dict[str, Any] = {
        "decision": choice,
        "north_attack_date": out.get("north_attack_date"),
        "south_attack_date": out.get("south_attack_date"),
        "kg_japanese_casualties": out.get("kg_japanese_casualties", 0.0),
        "kg_soviet_casualties": out.get("kg_soviet_casualties", 0.0),
        "kantokuen_peak_men": out.get("kantokuen_peak_men",
                                      max(months_1941) if months_1941 else None),
        "soviet_fe_men_1941_06": out.get("soviet_fe_men_1941_06"),
        "soviet_fe_men_1941_12": december(fe, 1941),
        "soviet_fe_divisions_sent_west_1941": (sent_1941 / per_division
                                               if sent_1941 is not None else None),
        "north_objective": out.get("north_objective", "none"),
        "north_japanese_casualties": out.get("north_japanese_casualties"),
        "north_soviet_casualties": out.get("north_soviet_casualties"),
        "singapore_fall_days": out.get("singapore_fall_days"),
        "dei_captured_date": out.get("dei_captured_date"),
        "oil_stock_end_1941": december(oil, 1941),
        "oil_stock_end_1942": december(oil, 1942),
        "oil_stock_end_1943": december(oil, 1943),
        "oil_imported_south_1942": out.get("oil_imported_south_1942"),
        "oil_imported_south_1943": out.get("oil_imported_south_1943"),
        "china_japanese_casualties": v[CHINA_CASUALTIES],
        # additions
        "kg_outcome": out.get("kg_outcome"),
        "kg_offensive_days": out.get("kg_offensive_days"),
        "kg_ceasefire_date": out.get("kg_ceasefire_date"),
        "nomonhan_shock": out.get("nomonhan_shock", w.soviet_power),
        "cabinet_fall_days": out.get("cabinet_fall_days"),
        "embargo_date": out.get("embargo_date"),
        "kantokuen_cancelled_date": out.get("kantokuen_cancelled_date"),
        "soviet_fe_fraction_west_1941_08": out.get("soviet_fe_fraction_west_1941_08"),
        "soviet_fe_fraction_west_1941_12": out.get("soviet_fe_fraction_west_1941_12"),
        "soviet_fe_men_sent_west_1941": sent_1941,
        "philippines_fall_date": out.get("philippines_fall_date"),
        "south_japanese_casualties": out.get("south_japanese_casualties"),
        "oil_stock_end_1944": december(oil, 1944),
        "oil_stock_at_horizon": v[OIL],
        "japanese_casualties_total": v[JP_CASUALTIES],
        "japanese_recruits_total": v[RECRUITS],
        "japanese_men_home_end": v[HOME],
        "conference_1_choice": out.get("conference_1_choice"),
        "conference_2_choice": out.get("conference_2_choice"),
        "conference_3_choice": out.get("conference_3_choice"),
        "conference_4_choice": out.get("conference_4_choice"),
    }
    return row


def series_of(w: World) -> dict[str, np.ndarray]:
    """The monthly series (month ends from Jan 1939 to the horizon)."""
    samples = w.ledger.samples
    return {name: np.array(samples[i], dtype=float) for i, name in enumerate(SERIES_NAMES)}
