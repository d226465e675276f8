"""The combat kernel against the closed forms of the Lanchester laws and its own contracts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize

from sim.errors import UserError
from sim.registry.combat import ATTACKER_DAILY_LOSS, DEFENDER_DAILY_LOSS
from sim.model.kernels import combat
from sim.model.kernels.combat import CombatInputError, Trajectory, fight, lanchester

ARMY = dict(red0=57_000.0, blue0=30_000.0)


def invariant(traj: Trajectory, r: float, b: float, e: float) -> np.ndarray:
    """r R^(2-e) - b B^(2-e): conserved by the law when no reinforcements arrive."""
    return r * traj.red ** (2 - e) - b * traj.blue ** (2 - e)


# --- closed forms -------------------------------------------------------------------------------


def test_square_law_invariant_is_conserved_at_daily_steps() -> None:
    r, b = 0.015, 0.028
    traj = lanchester(57_000, 30_000, 128, red_rate=r, blue_rate=b, exponent=0.0, step=1.0)
    inv = invariant(traj, r, b, 0.0)
    assert traj.days[1] - traj.days[0] == 1.0
    assert np.max(np.abs(inv - inv[0])) <= 1e-6 * abs(inv[0])


@pytest.mark.parametrize("e", [0.3, 0.71, 0.9])
def test_generalized_invariant_is_conserved(e: float) -> None:
    r, b = 0.02, 0.03
    traj = lanchester(40_000, 25_000, 60, red_rate=r, blue_rate=b, exponent=e)
    inv = invariant(traj, r, b, e)
    assert np.max(np.abs(inv - inv[0])) <= 1e-6 * abs(inv[0])


def test_linear_law_invariant_and_logistic_solution() -> None:
    """At exponent 1, b*B - r*R is conserved and B(t) is logistic (docs/combat.md)."""
    r0, b0, r, b = 20_000.0, 12_000.0, 0.04, 0.05
    traj = lanchester(r0, b0, 90, red_rate=r, blue_rate=b, exponent=1.0)
    inv = b * traj.blue - r * traj.red
    assert np.max(np.abs(inv - inv[0])) <= 1e-7 * abs(inv[0])
    s = math.sqrt(r0 * b0)
    c = b * b0 - r * r0
    exact = c * b0 / (b * b0 + (c - b * b0) * np.exp(-c * traj.days / s))
    np.testing.assert_allclose(traj.blue, exact, rtol=1e-6)


def test_square_law_time_solution() -> None:
    r0, b0, r, b = 50_000.0, 40_000.0, 0.02, 0.025
    traj = lanchester(r0, b0, 40, red_rate=r, blue_rate=b, exponent=0.0)
    g = math.sqrt(r * b)
    red = r0 * np.cosh(g * traj.days) - math.sqrt(b / r) * b0 * np.sinh(g * traj.days)
    blue = b0 * np.cosh(g * traj.days) - math.sqrt(r / b) * r0 * np.sinh(g * traj.days)
    np.testing.assert_allclose(traj.red, red, rtol=1e-6)
    np.testing.assert_allclose(traj.blue, blue, rtol=1e-6)


@pytest.mark.parametrize(
    "r0,b0,r,b", [(1_000.0, 600.0, 0.1, 0.1), (30_000.0, 45_000.0, 0.05, 0.015)]
)
def test_square_law_fought_to_annihilation(r0: float, b0: float, r: float, b: float) -> None:
    traj = lanchester(r0, b0, 500, red_rate=r, blue_rate=b, exponent=0.0)
    if r * r0**2 > b * b0**2:  # red wins
        assert traj.ended_by == "blue_broke"
        survivors = r0 - traj.red_losses
        assert survivors == pytest.approx(math.sqrt(r0**2 - (b / r) * b0**2), rel=1e-6)
        end = math.atanh(b0 / r0 * math.sqrt(b / r)) / math.sqrt(r * b)
        assert traj.blue_losses == pytest.approx(b0, rel=1e-12)
    else:
        assert traj.ended_by == "red_broke"
        survivors = b0 - traj.blue_losses
        assert survivors == pytest.approx(math.sqrt(b0**2 - (r / b) * r0**2), rel=1e-6)
        end = math.atanh(r0 / b0 * math.sqrt(r / b)) / math.sqrt(r * b)
    assert traj.duration == pytest.approx(end, rel=1e-6)
    assert traj.days[-1] == traj.duration
    assert traj.red[-1] >= 0.0 and traj.blue[-1] >= 0.0


def test_exchange_ratio_elasticity_tends_to_one_minus_exponent() -> None:
    """In short battles the kernel's exchange ratio responds to the force ratio with elasticity
    1 - exponent: 1 for the square law, 0 for the linear law."""
    for e in (0.0, 0.5, 0.71, 1.0):
        ratios = [0.5, 1.0, 2.0, 4.0]
        logs = []
        for ratio in ratios:
            red_loss, blue_loss, _ = fight(ratio * 10_000, 10_000, 0.05, red_rate=0.015,
                                           blue_rate=0.028, exponent=e)
            logs.append(math.log(blue_loss / red_loss))
        slope = np.polyfit(np.log(ratios), logs, 1)[0]
        assert slope == pytest.approx(1.0 - e, abs=0.005)


def test_rates_are_daily_fractions_against_equal_forces() -> None:
    """With equal forces the rates are the fractions lost per day, whatever the battle's size
    (a short battle, so attrition does not yet change the forces)."""
    for men in (1_000.0, 100_000.0):
        red_loss, blue_loss, _ = fight(men, men, 0.01, red_rate=0.015, blue_rate=0.028)
        assert blue_loss / men / 0.01 == pytest.approx(0.015, rel=1e-3)
        assert red_loss / men / 0.01 == pytest.approx(0.028, rel=1e-3)


@pytest.mark.parametrize("e", [0.0, 0.71, 1.0])
def test_losses_scale_with_the_size_of_the_battle(e: float) -> None:
    small = fight(5_000, 3_000, 30, red_rate=0.03, blue_rate=0.05, exponent=e, blue_break=0.4)
    large = fight(50_000, 30_000, 30, red_rate=0.03, blue_rate=0.05, exponent=e, blue_break=0.4)
    assert large[0] == pytest.approx(10 * small[0], rel=1e-9)
    assert large[1] == pytest.approx(10 * small[1], rel=1e-9)
    assert large[2] == pytest.approx(small[2], rel=1e-9)


# --- reinforcements -----------------------------------------------------------------------------


def test_arrivals_enter_at_the_start_of_their_day_with_exactly_their_men() -> None:
    traj = lanchester(1_000, 2_000, 10, red_rate=0.0, blue_rate=0.0,
                      red_reinforcements=[(3.7, 500), (5, 250), (12, 9_999)],
                      blue_reinforcements=[(0, 100)])
    assert list(traj.red[:3]) == [1_000, 1_000, 1_000]
    assert traj.red[3] == 1_500 and traj.red[5] == 1_750 and traj.red[-1] == 1_750
    assert traj.blue[0] == 2_100
    assert traj.red_losses == 0.0 and traj.blue_losses == 0.0


def test_losses_include_the_reinforcements_lost() -> None:
    arrivals = [(2, 5_000), (6, 5_000)]
    traj = lanchester(20_000, 30_000, 20, red_rate=0.02, blue_rate=0.04,
                      red_reinforcements=arrivals)
    assert traj.red_losses == pytest.approx(20_000 + 10_000 - traj.red[-1], abs=1e-6)
    assert traj.red_losses > 0
    without = lanchester(20_000, 30_000, 20, red_rate=0.02, blue_rate=0.04)
    assert traj.blue_losses > without.blue_losses  # the reinforcements fought


def test_inflow_function_adds_its_integral() -> None:
    traj = lanchester(1_000, 1_000, 30, red_rate=0.0, blue_rate=0.0,
                      red_reinforcements=lambda t: 100.0,
                      blue_reinforcements=lambda t: 10.0 * t)
    assert traj.red[-1] == pytest.approx(1_000 + 100 * 30, rel=1e-12)
    assert traj.blue[-1] == pytest.approx(1_000 + 5.0 * 30**2, rel=1e-12)
    np.testing.assert_allclose(traj.red, 1_000 + 100 * traj.days, rtol=1e-12)


def test_inflow_losses_balance() -> None:
    traj = lanchester(20_000, 20_000, 40, red_rate=0.03, blue_rate=0.03,
                      red_reinforcements=lambda t: 400.0 if t >= 10 else 0.0)
    assert traj.red_losses == pytest.approx(20_000 + 400 * 30 - traj.red[-1], rel=1e-9)
    assert traj.red[-1] > traj.blue[-1]


# --- breakpoints --------------------------------------------------------------------------------


def test_breakpoint_ends_the_battle_where_the_closed_form_says() -> None:
    r0, b0, r, b = 50_000.0, 40_000.0, 0.02, 0.025
    traj = lanchester(r0, b0, 100, red_rate=r, blue_rate=b, exponent=0.0, blue_break=0.7)
    g = math.sqrt(r * b)

    def blue_at(t: float) -> float:
        return b0 * math.cosh(g * t) - math.sqrt(r / b) * r0 * math.sinh(g * t) - 0.7 * b0

    assert traj.ended_by == "blue_broke"
    assert traj.duration == pytest.approx(optimize.brentq(blue_at, 0, 100), rel=1e-6)
    assert traj.blue_losses == pytest.approx(0.3 * b0, rel=1e-12)
    assert traj.blue[-1] == pytest.approx(0.7 * b0, rel=1e-12)
    assert traj.days[-1] == traj.duration < 100
    assert np.all(np.diff(traj.days[:-1]) == 1.0)


def test_the_side_that_breaks_first_ends_it() -> None:
    traj = lanchester(10_000, 10_000, 50, red_rate=0.02, blue_rate=0.05,
                      red_break=0.8, blue_break=0.5)
    assert traj.ended_by == "red_broke"
    assert traj.red_losses == pytest.approx(2_000, rel=1e-12)
    assert traj.blue_losses < 5_000


def test_time_ends_the_battle_without_breaks() -> None:
    traj = lanchester(10_000, 10_000, 7.5, red_rate=0.02, blue_rate=0.02, step=2.0)
    assert traj.ended_by == "time" and traj.duration == 7.5
    assert list(traj.days) == [0.0, 2.0, 4.0, 6.0, 7.5]


def test_a_side_with_no_men_has_lost() -> None:
    traj = lanchester(0, 5_000, 10, red_rate=0.1, blue_rate=0.1)
    assert traj.ended_by == "red_broke" and traj.duration == 0.0
    assert traj.red_losses == traj.blue_losses == 0.0


@pytest.mark.parametrize("side", ["red", "blue"])
def test_a_side_that_starts_empty_and_is_never_reinforced_breaks_at_once(side: str) -> None:
    other = "blue" if side == "red" else "red"
    starts = {f"{side}0": 0.0, f"{other}0": 5_000.0}
    # arrivals on or after the last day never come: still an empty side
    late = {f"{side}_reinforcements": [(10, 4_000)]}
    for extra in ({}, late):
        traj = lanchester(starts["red0"], starts["blue0"], 10, red_rate=0.1, blue_rate=0.1,
                          **extra)  # type: ignore[arg-type]
        assert traj.ended_by == f"{side}_broke" and traj.duration == 0.0
        assert traj.red_losses == traj.blue_losses == 0.0


@pytest.mark.parametrize("side", ["red", "blue"])
def test_a_side_that_starts_empty_and_lands_fights(side: str) -> None:
    """An amphibious landing: nobody ashore at day 0, three waves on days 1, 3 and 5."""
    other = "blue" if side == "red" else "red"
    waves = [(1, 4_000), (3, 4_000), (5, 4_000)]
    kwargs = {f"{side}0": 0.0, f"{other}0": 10_000.0, f"{side}_reinforcements": waves}
    traj = lanchester(kwargs.pop("red0"), kwargs.pop("blue0"), 20, red_rate=0.06,
                      blue_rate=0.06, **kwargs)  # type: ignore[arg-type]
    landing = getattr(traj, side)
    defence = getattr(traj, other)
    assert traj.duration > 5.0 and traj.ended_by != f"{side}_broke"
    assert landing[0] == 0.0 and defence[0] == defence[1] == 10_000.0  # nothing lost before
    assert landing[1] == 4_000.0  # the first wave fights from the day it lands
    assert landing[3] > landing[2]  # the second wave joins
    landed_losses = getattr(traj, f"{side}_losses")
    defence_losses = getattr(traj, f"{other}_losses")
    assert 0.0 < landed_losses < 12_000.0 and defence_losses > 0.0
    assert landing[-1] == pytest.approx(12_000.0 - landed_losses, rel=1e-9)
    # the fast path runs the same battle
    assert fight(0.0 if side == "red" else 10_000.0, 0.0 if side == "blue" else 10_000.0, 20,
                 red_rate=0.06, blue_rate=0.06, **{f"{side}_reinforcements": waves}) == (
        traj.red_losses, traj.blue_losses, traj.duration)


def test_a_landing_breaks_against_its_strength_when_it_joins_battle() -> None:
    """The breakpoint of a side that starts empty is a fraction of its first wave, as a side
    that starts with men breaks at a fraction of its initial strength."""
    landed = lanchester(0, 30_000, 30, red_rate=0.01, blue_rate=0.1, red_break=0.5,
                        red_reinforcements=[(2, 5_000)])
    ashore = lanchester(5_000, 30_000, 30, red_rate=0.01, blue_rate=0.1, red_break=0.5)
    assert landed.ended_by == ashore.ended_by == "red_broke"
    assert landed.red_losses == pytest.approx(2_500.0) == ashore.red_losses
    assert landed.duration == pytest.approx(ashore.duration + 2.0)
    assert landed.blue_losses == pytest.approx(ashore.blue_losses)


def test_an_empty_side_fed_by_an_inflow_fights_once_its_men_arrive() -> None:
    traj = lanchester(5_000, 0, 10, red_rate=0.05, blue_rate=0.03,
                      blue_reinforcements=lambda t: 1_000.0)
    assert traj.ended_by == "time" and traj.duration == 10.0
    assert list(traj.blue[:2]) == [0.0, 1_000.0] and traj.red[1] == 5_000.0
    assert traj.blue_losses > 0.0 and traj.red_losses > 0.0
    assert traj.blue[-1] == pytest.approx(10_000.0 - traj.blue_losses, rel=1e-9)
    # an inflow that never brings anyone: the side is still empty when time is up
    never = lanchester(5_000, 0, 10, red_rate=0.05, blue_rate=0.03,
                       blue_reinforcements=lambda t: 0.0)
    assert never.ended_by == "blue_broke" and never.red_losses == 0.0


def test_a_bad_breakpoint_is_refused_even_when_a_side_is_empty() -> None:
    with pytest.raises(CombatInputError, match="red_break"):
        fight(0, 5_000, 10, red_rate=0.1, blue_rate=0.1, red_break=1.5)


# --- properties ---------------------------------------------------------------------------------

men = st.floats(min_value=1.0, max_value=1e6)
rates = st.floats(min_value=0.0, max_value=2.0)
exponents = st.floats(min_value=0.0, max_value=1.0)
breaks = st.one_of(st.none(), st.floats(min_value=0.0, max_value=0.95))
arrivals = st.lists(st.tuples(st.integers(0, 60), st.floats(0.0, 1e5)), max_size=4)


@given(men, men, st.floats(0.0, 60.0), rates, rates, exponents, breaks, breaks, arrivals)
def test_strengths_never_go_negative_and_losses_balance(
    r0: float, b0: float, days: float, r: float, b: float, e: float,
    rb: float | None, bb: float | None, red_arrivals: list[tuple[int, float]],
) -> None:
    traj = lanchester(r0, b0, days, red_rate=r, blue_rate=b, exponent=e,
                      red_break=rb, blue_break=bb, red_reinforcements=red_arrivals)
    assert np.all(traj.red >= 0.0) and np.all(traj.blue >= 0.0)
    assert np.all(np.isfinite(traj.red)) and np.all(np.isfinite(traj.blue))
    assert 0.0 <= traj.duration <= days
    arrived = sum(m for d, m in red_arrivals if d < traj.duration or (d == 0 and days > 0))
    assert -1e-9 * (r0 + arrived) <= traj.red_losses <= (r0 + arrived) * (1 + 1e-9)
    assert -1e-9 * b0 <= traj.blue_losses <= b0 * (1 + 1e-9)
    assert traj.red[-1] == pytest.approx(r0 + arrived - traj.red_losses, rel=1e-9, abs=1e-6)


@given(men, men, st.floats(0.5, 60.0), rates, rates, exponents, breaks, breaks, arrivals,
       st.sampled_from([0.25, 1.0, 3.0]))
def test_fight_gives_exactly_the_totals_of_lanchester(
    r0: float, b0: float, days: float, r: float, b: float, e: float,
    rb: float | None, bb: float | None, blue_arrivals: list[tuple[int, float]], step: float,
) -> None:
    kwargs = dict(red_rate=r, blue_rate=b, exponent=e, red_break=rb, blue_break=bb,
                  blue_reinforcements=blue_arrivals, step=step)
    traj = lanchester(r0, b0, days, **kwargs)  # type: ignore[arg-type]
    assert fight(r0, b0, days, **kwargs) == (  # type: ignore[arg-type]
        traj.red_losses, traj.blue_losses, traj.duration
    )
    assert type(fight(r0, b0, days, **kwargs)[0]) is float  # type: ignore[arg-type]


@given(men, st.floats(1.0, 3.0), men, st.floats(0.5, 60.0), st.floats(0.001, 0.5),
       st.floats(0.001, 0.5), exponents, breaks)
def test_more_men_never_raise_the_fraction_lost_nor_spare_the_enemy(
    r0: float, more: float, b0: float, days: float, r: float, b: float, e: float,
    bb: float | None,
) -> None:
    base = fight(r0, b0, days, red_rate=r, blue_rate=b, exponent=e, blue_break=bb)
    bigger = fight(r0 * more, b0, days, red_rate=r, blue_rate=b, exponent=e, blue_break=bb)
    assert bigger[0] / (r0 * more) <= base[0] / r0 * (1 + 1e-7) + 1e-12
    assert bigger[1] >= base[1] * (1 - 1e-7) - 1e-9


@given(men, men, st.floats(0.5, 60.0), st.floats(0.001, 0.5), st.floats(0.001, 0.5),
       st.floats(1.0, 3.0), exponents)
def test_better_troops_inflict_more_and_suffer_less(
    r0: float, b0: float, days: float, r: float, b: float, factor: float, e: float
) -> None:
    base = fight(r0, b0, days, red_rate=r, blue_rate=b, exponent=e)
    better = fight(r0, b0, days, red_rate=r * factor, blue_rate=b, exponent=e)
    assert better[1] >= base[1] * (1 - 1e-7) - 1e-9
    assert better[0] <= base[0] * (1 + 1e-7) + 1e-9


# --- inputs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs,word",
    [
        (dict(red0=-1.0), "red0"),
        (dict(blue0=float("nan")), "blue0"),
        (dict(days=float("inf")), "days"),
        (dict(red_rate=-0.1), "red_rate"),
        (dict(exponent=1.5), "exponent"),
        (dict(step=0.0), "step"),
        (dict(red_break=1.0), "red_break"),
        (dict(blue_reinforcements=[(1, -5)]), "blue_reinforcements"),
        (dict(red_reinforcements=[(1, 2, 3)]), "red_reinforcements"),
        (dict(red_reinforcements=5), "red_reinforcements"),
    ],
)
def test_bad_arguments_are_user_errors_naming_the_argument(kwargs: dict, word: str) -> None:
    args = dict(red0=1_000.0, blue0=1_000.0, days=10.0, red_rate=0.1, blue_rate=0.1)
    args.update(kwargs)
    with pytest.raises(CombatInputError, match=word) as info:
        fight(**args)  # type: ignore[arg-type]
    assert isinstance(info.value, UserError) and "\n" not in str(info.value)


def test_engagement_rates_scale_dupuys_base_rates() -> None:
    att, dfn = combat.engagement_rates(2.0, 0.5, intensity=3.0)
    assert att == pytest.approx(DEFENDER_DAILY_LOSS * 6.0)
    assert dfn == pytest.approx(ATTACKER_DAILY_LOSS * 1.5)
    # neutral conditions, equal forces: Dupuy's daily loss fractions
    red_loss, blue_loss, _ = fight(10_000, 10_000, 0.01, red_rate=combat.engagement_rates()[0],
                                   blue_rate=combat.engagement_rates()[1])
    assert red_loss / 100 == pytest.approx(0.028, rel=1e-3)
    assert blue_loss / 100 == pytest.approx(0.015, rel=1e-3)


def test_results_are_plain_floats_whatever_the_input_types() -> None:
    out = fight(np.int64(5_000), np.float32(3_000), 10, red_rate=np.float64(0.02), blue_rate=0.03)
    assert all(type(x) is float for x in out)
    assert out[2] == 10.0
    with pytest.raises(CombatInputError, match="days"):
        fight(1_000, 1_000, "ten", red_rate=0.1, blue_rate=0.1)  # type: ignore[arg-type]


#: Landings of at least a company against at most a hundred times as many (the kernel's step
#: control needs many steps at extreme force ratios, empty start or not).
waves = st.lists(st.tuples(st.integers(0, 60), st.floats(1e3, 1e5)), max_size=4)


@given(st.floats(min_value=1e3, max_value=1e5), st.floats(0.5, 60.0), st.floats(0.0, 0.5),
       st.floats(0.0, 0.5), exponents, breaks, breaks, waves, st.sampled_from([0.25, 1.0, 3.0]))
def test_a_battle_from_an_empty_start_keeps_the_books_and_the_fast_path_agrees(
    b0: float, days: float, r: float, b: float, e: float,
    rb: float | None, bb: float | None, red_arrivals: list[tuple[int, float]], step: float,
) -> None:
    kwargs = dict(red_rate=r, blue_rate=b, exponent=e, red_break=rb, blue_break=bb,
                  red_reinforcements=red_arrivals, step=step)
    traj = lanchester(0.0, b0, days, **kwargs)  # type: ignore[arg-type]
    assert fight(0.0, b0, days, **kwargs) == (  # type: ignore[arg-type]
        traj.red_losses, traj.blue_losses, traj.duration)
    assert np.all(traj.red >= 0.0) and np.all(traj.blue >= 0.0)
    arrived = sum(m for d, m in red_arrivals if d < days and d <= traj.duration)
    if arrived == 0.0:
        assert traj.ended_by == "red_broke" and traj.duration == 0.0
    assert traj.red[-1] == pytest.approx(arrived - traj.red_losses, rel=1e-9, abs=1e-6)
    assert -1e-9 * b0 <= traj.blue_losses <= b0 * (1 + 1e-9)
