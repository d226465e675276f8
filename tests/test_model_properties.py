"""Properties of the campaign model that must hold for any parameter draw."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import assembly
from sim.model.kernels import decision
from sim.streams import Streams

try:
    from test_model import ENTROPY, men_unaccounted, params_for, run
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_model import ENTROPY, men_unaccounted, params_for, run

replications = st.integers(min_value=0, max_value=10_000)


@settings(max_examples=80)
@given(index=replications, drain=st.floats(0.0, 2.0), embargo=st.booleans(),
       force=st.sampled_from(["free", "north", "south", "hold"]))
def test_oil_stocks_are_never_negative(index: int, drain: float, embargo: bool,
                                       force: str) -> None:
    rep = run(index, china__drain_multiplier=drain, embargo__enabled=embargo,
              decision__force=force)
    assert (rep.series["oil_stock"] >= 0.0).all()
    for name in ("oil_stock_end_1941", "oil_stock_end_1942", "oil_stock_end_1943",
                 "oil_stock_at_horizon", "oil_imported_south_1942", "oil_imported_south_1943"):
        value = rep.outcomes[name]
        assert value is None or value >= 0.0, name


@settings(max_examples=80)
@given(index=replications, force=st.sampled_from(["free", "north", "south", "hold"]),
       kg=st.booleans(), drain=st.floats(0.0, 2.0))
def test_men_are_conserved(index: int, force: str, kg: bool, drain: float) -> None:
    """Initial strength + recruits = men in the theatres + casualties, at the horizon."""
    p = params_for(index, decision__force=force, khalkhin_gol__enabled=kg,
                   china__drain_multiplier=drain)
    gap, total = men_unaccounted(*assembly.run(p, Streams(ENTROPY, index)))
    assert abs(gap) < 1e-3 * total


situations = st.builds(
    decision.Situation,
    soviet_power=st.floats(0.1, 3.0),
    fe_ratio=st.floats(0.3, 2.0),
    german_progress=st.floats(0.0, 2.5),
    trust=st.floats(0.0, 1.0),
    fe_reduction=st.floats(-0.3, 0.8),
    pact=st.booleans(),
    oil_need=st.floats(0.0, 2.0),
    western_weakness=st.floats(0.0, 1.0),
    north_need=st.floats(0.0, 4.0),
    south_need=st.floats(0.0, 4.0),
    current=st.sampled_from(["north", "hold", "south"]),
    barbarossa=st.booleans(),
)


@settings(max_examples=200)
@given(s=situations, extra=st.floats(0.01, 2.0))
def test_a_bigger_nomonhan_shock_never_raises_the_chance_of_north(
        s: decision.Situation, extra: float) -> None:
    p = params_for(0)
    shocked = dataclasses.replace(s, soviet_power=s.soviet_power + extra)
    assert decision.probabilities(shocked, p)[0] <= decision.probabilities(s, p)[0] + 1e-12


@given(prior=st.floats(0.3, 1.0), rate=st.floats(0.0, 1.0), shock=st.floats(0.0, 0.6),
       jp=st.floats(0.05, 0.8), more=st.floats(0.0, 0.5), su=st.floats(0.05, 0.8),
       won=st.sampled_from([True, False, None]))
def test_a_bloodier_khalkhin_gol_never_lowers_the_perceived_soviet_power(
        prior: float, rate: float, shock: float, jp: float, more: float, su: float,
        won: bool | None) -> None:
    base = decision.nomonhan_belief(prior, rate, shock, jp, su, won)
    bloodier = decision.nomonhan_belief(prior, rate, shock, jp + more, su, won)
    assert bloodier >= base


@settings(max_examples=80)
@given(index=replications, pressure=st.floats(0.3, 2.0), moscow=st.booleans())
def test_no_neutrality_pact_never_sends_more_divisions_west(index: int, pressure: float,
                                                           moscow: bool) -> None:
    kwargs = dict(barbarossa__pressure=pressure, barbarossa__moscow_falls=moscow)
    with_pact = run(index, **kwargs).outcomes
    without = run(index, neutrality_pact__enabled=False, **kwargs).outcomes
    assert without["soviet_fe_men_sent_west_1941"] <= with_pact[
        "soviet_fe_men_sent_west_1941"] + 1e-6


@settings(max_examples=80)
@given(index=replications, first=st.integers(0, 120), delay=st.integers(1, 120))
def test_a_later_embargo_never_lowers_end_1941_oil(index: int, first: int, delay: int) -> None:
    early_date = dt.date(1941, 6, 1) + dt.timedelta(days=first)
    late_date = early_date + dt.timedelta(days=delay)
    early = run(index, embargo__date=early_date).outcomes["oil_stock_end_1941"]
    late = run(index, embargo__date=late_date).outcomes["oil_stock_end_1941"]
    assert late >= early - 1e-9


@settings(max_examples=30)
@given(index=replications, pressure=st.floats(0.5, 5.0), per_division=st.floats(6000, 30000),
       start=st.dates(dt.date(1939, 6, 1), dt.date(1942, 6, 1)), moscow=st.booleans())
def test_the_far_east_is_never_stripped_below_its_floor(
        index: int, pressure: float, per_division: float, start: dt.date, moscow: bool) -> None:
    """Transfers west stop at the floor (Japan holds, so no battle thins the Far East)."""
    p = params_for(index, barbarossa__pressure=pressure, barbarossa__date=start,
                   soviet_fe__men_per_division=per_division, barbarossa__moscow_falls=moscow,
                   decision__force="hold", decision__force_date=dt.date(1939, 1, 1))
    w, cast = assembly.run(p, Streams(ENTROPY, index))
    floor = p["soviet_fe.minimum_share"] * cast.far_east.at_war
    fe = w.ledger.samples[5]  # soviet_fe_men
    assert min(fe) >= floor * (1.0 - 1e-9)
