"""The assembly's contracts: actors read only the parameters they declare, every declared name
is used, each outcome has one owner, and facts cross actors as signals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from sim.model import assembly
from sim.model.actor import Actor
from sim.model.world import SIGNALS, World
from sim.outcomes import OUTCOME_NAMES
from sim.registry import REGISTRY
from sim.streams import Streams

try:
    from test_model import ENTROPY, params_for
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_model import ENTROPY, params_for


class DeclaredOnly(Mapping[str, Any]):
    """The parameters of one actor: reading an undeclared name fails; reads are recorded."""

    def __init__(self, values: Mapping[str, Any], actor: type[Actor]) -> None:
        self.values = values
        self.actor = actor
        self.allowed = set(actor.READS) | set(assembly.READS)
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        if name not in self.allowed:
            raise AssertionError(f"actor {self.actor.name} reads {name} without declaring it")
        self.read.add(name)
        return self.values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.allowed)

    def __len__(self) -> int:
        return len(self.allowed)


#: Scenarios that between them take every branch of every actor.
VARIANTS: tuple[dict[str, Any], ...] = (
    {},
    {"decision__force": "north"},
    {"decision__force": "south"},
    {"decision__force": "north", "decision__force_date": dt.date(1941, 5, 1),
     "north__soviet_effectiveness": 0.6},
    {"barbarossa__moscow_falls": True},
    {"embargo__enabled": False, "khalkhin_gol__outcome": "japanese_success"},
    {"khalkhin_gol__outcome": "soviet_victory", "neutrality_pact__enabled": False},
    {"decision__north_bias": 8.0},
    {"decision__south_bias": 6.0, "decision__conference_1_date": dt.date(1941, 3, 1)},
    {"decision__south_bias": 6.0, "decision__force": "north",
     "decision__force_date": dt.date(1942, 4, 1)},
    {"decision__north_bias": 8.0, "decision__force": "south",
     "decision__force_date": dt.date(1942, 8, 1)},
)


def test_each_actor_reads_exactly_the_parameters_it_declares(
        monkeypatch: pytest.MonkeyPatch) -> None:
    read: dict[str, set[str]] = {actor.name: set() for actor in assembly.ACTORS}
    views: list[tuple[str, DeclaredOnly]] = []
    for actor_type in assembly.ACTORS:
        own_setup = actor_type.setup

        def setup_behind_a_view(self: Actor, own_setup: Any = own_setup) -> None:
            self.p = view = DeclaredOnly(self.w.p, type(self))
            views.append((self.name, view))
            own_setup(self)

        monkeypatch.setattr(actor_type, "setup", setup_behind_a_view)
    for variant in VARIANTS:
        for index in range(4):
            views.clear()
            assembly.run(params_for(index, **variant), Streams(ENTROPY, index),
                         trace=index == 0)
            for name, view in views:
                read[name] |= view.read
    for actor in assembly.ACTORS:
        stale = set(actor.READS) - read[actor.name]
        assert not stale, f"actor {actor.name} declares parameters it never reads: {stale}"


def test_each_actor_records_exactly_its_outcomes() -> None:
    for variant in VARIANTS[:3]:
        _, cast = assembly.run(params_for(0, **variant), Streams(ENTROPY, 0))
        for actor in vars(cast).values():
            assert set(actor.outcomes()) == set(actor.OUTCOMES), actor.name
    assert set(assembly.outcomes_of(cast)) == set(OUTCOME_NAMES)


def test_recording_an_undeclared_outcome_fails() -> None:
    _, cast = assembly.run(params_for(0), Streams(ENTROPY, 0))
    kantokuen = cast.kantokuen
    kantokuen.outcomes = lambda: {"kantokuen_peak_man": 1.0}  # a typo for kantokuen_peak_men
    with pytest.raises(assembly.AssemblyError, match="kantokuen_peak_man'.*kantokuen_peak_men"):
        assembly.outcomes_of(cast)


def test_the_assembly_check_catches_undeclared_and_unused_names() -> None:
    class Typo(Actor):
        name = "typo"
        READS = ("kantokuen.peak_mne",)

    with pytest.raises(assembly.AssemblyError, match="kantokuen.peak_mne"):
        assembly.check((*assembly.ACTORS, Typo))
    with pytest.raises(assembly.AssemblyError, match="no actor reads"):
        assembly.check(tuple(a for a in assembly.ACTORS if a.name != "kantokuen"))

    class Thief(Actor):
        name = "thief"
        OUTCOMES = ("decision",)

    with pytest.raises(assembly.AssemblyError, match="decision recorded by both"):
        assembly.check((*assembly.ACTORS, Thief))

    class Stray(Actor):
        name = "stray"
        OUTCOMES = ("undeclared_outcome",)

    with pytest.raises(assembly.AssemblyError, match="undeclared_outcome"):
        assembly.check((*assembly.ACTORS, Stray))
    assembly.check()  # the shipped assembly is consistent


def test_every_registry_parameter_is_read_by_an_actor() -> None:
    read = set(assembly.READS).union(*(set(a.READS) for a in assembly.ACTORS))
    assert read == set(REGISTRY.names())


def test_signals_fire_once_and_record_the_facts_of_the_history() -> None:
    world, cast = assembly.run(params_for(0, decision__force="south"), Streams(ENTROPY, 0))
    fired = {name for name in SIGNALS if getattr(world.signals, name).triggered}
    assert {"pact", "barbarossa", "southern_move", "south_war", "export_licensing"} <= fired
    assert "north_war" not in fired
    with pytest.raises(RuntimeError, match="fires once"):
        world.signals.south_war.fire()
    with pytest.raises(AttributeError, match="no signal 'armistice'"):
        world.signals.armistice  # noqa: B018 - the lookup is the test


def test_a_policy_change_interrupts_the_launches_it_replaces() -> None:
    """Forcing 'hold' cancels a southern launch the conferences had scheduled."""
    free = assembly.run(params_for(0, decision__south_bias=6.0), Streams(ENTROPY, 0))[1]
    assert free.south.t_launch is not None
    held = assembly.run(params_for(0, decision__south_bias=6.0, decision__force="hold",
                                   decision__force_date=dt.date(1941, 11, 1)),
                        Streams(ENTROPY, 0))[1]
    assert held.south.t_launch is None and held.policy.current == "hold"


def test_the_embargo_lands_on_the_southern_move_not_on_the_war() -> None:
    """A forced southern move after the embargo date brings the embargo that day, before the
    war starts (which would otherwise leave nothing to embargo)."""
    force_date = dt.date(1941, 10, 1)
    world, cast = assembly.run(
        params_for(0, decision__force="south", decision__force_date=force_date,
                   decision__south_bias=-20.0, decision__north_bias=-20.0),
        Streams(ENTROPY, 0))
    assert cast.united_states.embargo_date == force_date
    assert world.signals.south_war.happened


def test_world_wait_until_advances_the_accounts() -> None:
    p = params_for(0)
    world = World(p, Streams(ENTROPY, 0), trace=False, plan=assembly.plan_of(()))

    def sleeper() -> Iterator[Any]:
        yield world.wait_until(100.0)

    world.env.process(sleeper())
    world.env.run(until=200.0)
    assert world.ledger.t == 100.0


def test_the_adding_a_factor_walkthrough_runs() -> None:
    """docs/adding-a-factor.md's actor, with its declarations, joins the assembly and works."""
    import re
    from pathlib import Path

    from sim.params import Param, Registry
    from sim.registry.declare import number

    doc = (Path(__file__).parent.parent / "docs" / "adding-a-factor.md").read_text("utf-8")
    code = re.findall(r"```python\n(.*?)```", doc, flags=re.S)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/adding-a-factor.md", "exec"), namespace)  # noqa: S102 - our doc
    talks = namespace["Talks"]
    params: list[Param] = [number("talks.days", 120.0, "days", "judgement", "length",
                                  (60.0, 180.0))]
    registry = Registry(REGISTRY.params + params, reserved=REGISTRY.reserved)
    actors = (*assembly.ACTORS, talks)
    names = (*OUTCOME_NAMES, "talks_end_date")
    assembly.check(actors, registry, names)
    with pytest.raises(assembly.AssemblyError, match="talks_end_date"):
        assembly.check(actors, registry, OUTCOME_NAMES)

    def end_of_talks(**overrides: Any) -> dt.date | None:
        p = dict(params_for(0, **overrides), **{"talks.days": 120.0})
        _, cast = assembly.run(p, Streams(ENTROPY, 0), actors=actors)
        return assembly.outcomes_of(cast, names)["talks_end_date"]

    forced = dt.date(1941, 8, 1)
    # a forced southern move is the war itself: the talks never get going
    assert end_of_talks(decision__force="south", decision__force_date=forced) == forced
    assert end_of_talks(decision__force="hold", decision__force_date=dt.date(1941, 1, 1)) is None
    # a move into Indochina in July 1941: talks until war (December) or 120 days
    historical = end_of_talks(decision__south_bias=6.0)
    assert historical is not None and dt.date(1941, 8, 1) < historical <= dt.date(1941, 12, 31)
    assert end_of_talks(decision__south_bias=6.0, decision__force="hold",
                        decision__force_date=dt.date(1941, 9, 1)) == (
        dt.date(1941, 7, 2) + dt.timedelta(days=26 + 120))  # conference + Indochina lag + talks
