"""The leadership's choice between holding, striking north and striking south.

At each policy conference Japan weighs the three options from what it *believes* and
*needs* (docs/model.md §Decision gives the equations):

* north: Army influence, German progress times trust in Germany, the drawdown of the Soviet
  Far East against the persimmon threshold, minus perceived Soviet power (the Nomonhan shock)
  times the Far East force ratio, the treaty cost of the Neutrality Pact, the oil need (there
  is no oil in Siberia) and what the north needs of the divisions free for it (22, POL-Q3);
* south: Navy influence, the oil need, Western weakness in South-East Asia, the security the
  Neutrality Pact gives in Manchuria, minus what the south needs of the divisions free for it
  (10-11, SOP-01);
* hold: the reference (utility 0).

The policy already in force earns an inertia bonus.  The choice is a multinomial logit drawn
with one uniform from a fixed slot of the ``decisions`` stream; options are laid out on the
unit interval in the order north, hold, south, so that anything that lowers the north's
utility (and nothing else) can only move a draw away from the north.

Two further judgements sit beside the direction (docs/model.md §7):

* **war with the West** (:func:`war_probability`): once troops are in southern Indochina each
  meeting of the 1941 sequence (POL-21...POL-27) weighs war against talks from the oil the
  leadership *believes* it has under the embargo (POL-19, POL-Q4), the diplomatic prospect of
  the meeting and the commitment of preparations already made;
* **the persimmon** (:func:`persimmon_probability`): the Army's stated rule for a northern
  attack (POL-Q1: Far East ground forces halved, tanks and aircraft to one-third) as the
  General Staff *judges* it from a noisy estimate of the drawdown (POL-Q2).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPTIONS: tuple[str, str, str] = ("north", "hold", "south")
#: Standard deviation of a logistic(0, 1) variable: pi / sqrt(3).
PI_OVER_SQRT3 = math.pi / math.sqrt(3.0)


@dataclass(slots=True)
class Situation:
    """What the leadership believes and needs at a conference."""

    soviet_power: float  # perceived Soviet combat power per man (IJA = 1): the Nomonhan shock
    fe_ratio: float  # Soviet Far East men / Kwantung + Korea men Japan can field
    german_progress: float  # German pressure on the USSR (0 before Barbarossa, 1 = summer 1941)
    trust: float  # trust in Germany, 0..1: the chance of a coordinated two-front war
    fe_reduction: float  # net drawdown of the Soviet Far East since June 1941 (fraction)
    pact: bool  # Neutrality Pact in force
    oil_need: float  # 0 (no pressure) .. 2 (embargoed, stocks short)
    western_weakness: float  # 0 (fully reinforced) .. 1 (undefended)
    north_need: float  # the north's divisions needed / available after China's pin (POL-Q3)
    south_need: float  # the south's divisions needed / available after China's pin (SOP-01)
    current: str  # the policy in force
    barbarossa: bool  # Germany is at war with the USSR
    pacific_war_years: float = 0.0  # years Japan has been at war with the West (0 if not)


def oil_need(threat: float, stock_mbbl: float, war_use_mbbl_per_year: float,
             comfort_months: float) -> float:
    """How strongly oil pushes Japan to act: the threat to imports plus the shortness of stocks.

    ``threat`` is 1 under embargo, the anticipation level once the US licenses exports, 0
    before.  Stocks matter through their war endurance in months (OIL-06).
    """
    if war_use_mbbl_per_year <= 0.0:
        return threat
    return oil_pressure(threat, 12.0 * stock_mbbl / war_use_mbbl_per_year, comfort_months)


def oil_pressure(threat: float, endurance_months: float, comfort_months: float) -> float:
    """``threat`` times (1 + the shortness of stocks below ``comfort_months`` of war)."""
    shortness = 1.0 - endurance_months / comfort_months
    if shortness < 0.0:
        shortness = 0.0
    return threat * (1.0 + shortness)


def war_probability(embargoed: bool, believed_months: float, prospect: float,
                    preparing: bool, p: Mapping[str, Any]) -> float:
    """Chance that a meeting chooses (or keeps) the road to war with the US, Britain and the
    Netherlands rather than talks.

        U_war = war_bias + w_war_oil x o_war + w_talks x (1 - prospect)
                (+ war_commitment once preparing; talks: 0)
        o_war = 1 + max(0, 1 - believed months / comfort) under the embargo, else 0

    Only oil actually cut off presses for war (POL-13: force only if embargoes threaten
    Japan's existence; POL-21, POL-24: 'the status quo cannot be kept'); ``prospect`` is the
    hope that talks restore trade (1 while oil flows), so its loss counts for war.
    """
    o_war = oil_pressure(1.0, believed_months, p["decision.oil_comfort_months"]) if embargoed \
        else 0.0
    u = (p["decision.war_bias"] + p["decision.w_war_oil"] * o_war
         + p["decision.w_talks"] * (1.0 - prospect))
    if preparing:
        u += p["decision.war_commitment"]
    return logistic(u)


def persimmon_probability(reduction: float, threshold: float, error_sd: float) -> float:
    """Chance that the General Staff judges the Far East drawn down to its threshold.

    Its estimate of the net reduction is the true one plus a logistic error of standard
    deviation ``error_sd`` (the AGS under-counted Soviet tanks by ~15% and aircraft by ~32%,
    POL-Q2), so a Far East short of the rule is rarely, never impossibly, judged 'ripe'.
    """
    if error_sd <= 0.0:
        return 1.0 if reduction >= threshold else 0.0
    return logistic((reduction - threshold) * PI_OVER_SQRT3 / error_sd)


def logistic(x: float) -> float:
    """1 / (1 + exp(-x)), without overflow."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def utilities(s: Situation, p: Mapping[str, Any]) -> tuple[float, float, float]:
    """(north, hold, south) utilities of a situation under the ``decision.*`` weights."""
    fe_term = s.soviet_power * s.fe_ratio / p["decision.fe_reference_ratio"]
    german = s.german_progress * s.trust
    persimmon = s.fe_reduction - p["kantokuen.persimmon_threshold"]
    u_north = (
        p["decision.north_bias"]
        + p["decision.army_weight"]
        - p["decision.w_soviet_power"] * fe_term
        + p["decision.w_german"] * german
        + p["decision.w_persimmon"] * persimmon
        - p["decision.w_treaty"] * s.pact
        - p["decision.w_oil_north"] * s.oil_need
        - p["decision.w_forces"] * s.north_need
        - p["decision.w_pacific_war"] * s.pacific_war_years
    )
    u_south = (
        p["decision.south_bias"]
        + p["decision.navy_weight"]
        + p["decision.w_oil"] * s.oil_need
        + p["decision.w_west"] * s.western_weakness
        + p["decision.w_pact_security"] * s.pact
        - p["decision.w_forces"] * s.south_need
    )
    u_hold = 0.0
    inertia = p["decision.inertia"]
    if s.current == "north":
        u_north += inertia
    elif s.current == "south":
        u_south += inertia
    else:
        u_hold += inertia
    return u_north, u_hold, u_south


def probabilities(s: Situation, p: Mapping[str, Any]) -> tuple[float, float, float]:
    """(north, hold, south) choice probabilities: multinomial logit of :func:`utilities`."""
    un, uh, us = utilities(s, p)
    top = max(un, uh, us)
    en, eh, es = math.exp(un - top), math.exp(uh - top), math.exp(us - top)
    total = en + eh + es
    return en / total, eh / total, es / total


def choose(probs: tuple[float, float, float], u: float) -> str:
    """The option a uniform ``u`` picks (inverse CDF over north, hold, south)."""
    pn, ph, _ = probs
    if u < pn:
        return "north"
    if u < pn + ph:
        return "hold"
    return "south"


def western_weakness(aircraft: float, required: float) -> float:
    """Share of the required air defence of Malaya that is missing (SOP-05)."""
    gap = 1.0 - aircraft / required
    return gap if gap > 0.0 else 0.0


def nomonhan_belief(prior: float, learning_rate: float, defeat_shock: float,
                    japanese_casualty_rate: float, soviet_casualty_rate: float,
                    soviet_won: bool | None) -> float:
    """Japan's perceived Soviet power per man after Khalkhin Gol (the 'Nomonhan shock').

    The evidence is the exchange of casualty *rates* (Japanese losses per Japanese man over
    Soviet losses per Soviet man) plus ``defeat_shock`` for a lost battle (minus it for a won
    one); the belief moves from the prior towards the evidence by ``learning_rate``.  A
    bloodier battle for Japan always raises the belief.
    """
    if soviet_casualty_rate <= 0.0:
        evidence = prior
    else:
        evidence = japanese_casualty_rate / soviet_casualty_rate
    if soviet_won is True:
        evidence += defeat_shock
    elif soviet_won is False:
        evidence -= defeat_shock
    belief = prior + learning_rate * (evidence - prior)
    return belief if belief > 0.05 else 0.05
