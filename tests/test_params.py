"""Parameter machinery: value checks per kind, the registry, and the CRN sampler."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.distributions import parse_distribution
from sim.params import Param, Registry, Sampler, describe_value

D = dt.date


def men(**kw) -> Param:
    base = dict(name="kg.men", default=57000, unit="men", source="KG-03", description="men",
                kind="int", credible=(50000, 73961), bounds=(0, 500000))
    return Param(**{**base, **kw})


def test_group_is_the_first_part_of_the_name() -> None:
    assert men().group == "kg"
    assert men(name="a.b.c").group == "a"


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("int", 5, 5), ("int", 5.0, 5), ("float", 5, 5.0), ("float", 0.25, 0.25),
    ("bool", True, True), ("date", D(1941, 8, 1), D(1941, 8, 1)),
    ("date", dt.datetime(1941, 8, 1, 12), D(1941, 8, 1)),
])
def test_check_normalises_to_the_kind(kind: str, value, expected) -> None:
    bounds = (D(1939, 1, 1), D(1946, 1, 1)) if kind == "date" else None
    p = Param("x.y", expected, "", "s", "d", kind=kind, bounds=bounds)  # type: ignore[arg-type]
    out = p.check(value)
    assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize(("param", "value", "message"), [
    (men(), "many", "expected a number (men), got 'many'"),
    (men(), True, "expected a number (men), got true"),
    (men(), 1.5, "expected a whole number (men), got 1.5"),
    (men(), float("inf"), "expected a finite number (men), got inf"),
    (men(), -1, "expected a value in [0, 500000] (men), got -1"),
    (men(kind="bool", default=True, bounds=None, credible=None), 1,
     "expected true or false, got 1"),
    (men(kind="date", default=D(1941, 8, 1), bounds=(D(1939, 1, 1), D(1945, 1, 1)), unit="",
         credible=None), D(1946, 1, 1),
     "expected a value in [1939-01-01, 1945-01-01], got 1946-01-01"),
    (men(kind="date", default=D(1941, 8, 1), bounds=None, credible=None), "1941-08-01",
     "expected an ISO date such as 1941-07-02, got '1941-08-01'"),
    (men(kind="choice", default="a", choices=("a", "b"), bounds=None, credible=None), "c",
     "expected one of a, b, got 'c'"),
])
def test_check_rejects_with_one_line_messages(param: Param, value, message: str) -> None:
    with pytest.raises(ValueError) as info:
        param.check(value)
    assert str(info.value) == message


def test_distribution_checks_against_kind_and_bounds() -> None:
    p = men()
    ok = parse_distribution({"dist": "pert", "low": 50000, "mode": 57000, "high": 73961})
    assert p.check(ok) is ok
    with pytest.raises(ValueError, match="can fall outside the allowed range"):
        p.check(parse_distribution({"dist": "normal", "mean": 57000, "sd": 1e5}))
    with pytest.raises(ValueError, match="distribution bounds must be numbers"):
        p.check(parse_distribution({"dist": "uniform", "low": D(1941, 1, 1),
                                    "high": D(1941, 2, 1)}))
    flag = men(kind="bool", default=True, bounds=None, credible=None)
    assert flag.check(parse_distribution({"dist": "choice", "values": [True, False]}))
    with pytest.raises(ValueError, match="only take a `choice` of true/false"):
        flag.check(parse_distribution({"dist": "choice", "values": ["yes", "no"]}))
    cat = men(kind="choice", default="a", choices=("a", "b"), bounds=None, credible=None)
    with pytest.raises(ValueError, match="expected one of a, b, got 'z'"):
        cat.check(parse_distribution({"dist": "choice", "values": ["a", "z"]}))
    with pytest.raises(ValueError, match="fraction|bounds|allowed"):
        men(kind="float", default=0.5, bounds=(0.0, 1.0), unit="fraction").check(
            parse_distribution({"dist": "choice", "values": [0.5, 1.5]}))


def test_registry_is_sorted_indexed_and_checks_defaults() -> None:
    reg = Registry([men(name="b.x"), men(name="a.y"), men(name="a.x")])
    assert reg.names() == ["a.x", "a.y", "b.x"]
    assert reg.groups() == ["a", "b"]
    assert [reg.index(n) for n in reg.names()] == [0, 1, 2]
    assert "a.y" in reg and "c" not in reg and len(reg) == 3
    assert reg.defaults() == {"a.x": 57000, "a.y": 57000, "b.x": 57000}
    with pytest.raises(ValueError, match="duplicate parameter a.x"):
        Registry([men(name="a.x"), men(name="a.x")])
    with pytest.raises(ValueError):
        Registry([men(default=-5)])


def test_sampler_common_random_numbers() -> None:
    reg = Registry([
        men(name="a.men"),
        men(name="b.share", kind="float", default=0.5, unit="fraction", bounds=(0.0, 1.0),
            credible=None),
        men(name="c.date", kind="date", default=D(1941, 8, 1), bounds=None, credible=None, unit=""),
        men(name="d.flag", kind="bool", default=True, bounds=None, credible=None, unit=""),
    ])
    values = {
        "a.men": parse_distribution({"dist": "triangular", "low": 50000, "mode": 57000,
                                     "high": 73961}),
        "b.share": parse_distribution({"dist": "beta", "alpha": 2, "beta": 2}),
        "c.date": parse_distribution({"dist": "uniform", "low": D(1941, 7, 1),
                                      "high": D(1941, 9, 1)}),
        "d.flag": parse_distribution({"dist": "choice", "values": [True, False]}),
    }
    sampler = Sampler(reg, values)
    rng = np.random.default_rng(7)
    for _ in range(50):
        u = rng.random(len(reg))
        a, b = sampler.draw(u), sampler.draw(list(u))
        assert a == b
        assert isinstance(a["a.men"], int) and 50000 <= a["a.men"] <= 73961
        assert 0 <= a["b.share"] <= 1 and isinstance(a["c.date"], dt.date)
        # one parameter's distribution changes: every other draw is untouched
        changed = Sampler(reg, {**values, "b.share": 0.9}).draw(u)
        assert changed["b.share"] == 0.9
        assert {k: v for k, v in changed.items() if k != "b.share"} == {
            k: v for k, v in a.items() if k != "b.share"}
        # each parameter reads its own slot of the uniform vector
        assert a["d.flag"] is bool(u[reg.index("d.flag")] < 0.5)
    central = sampler.central()
    assert central["c.date"] == D(1941, 8, 1)
    assert central["b.share"] == pytest.approx(0.5)


def test_describe_value() -> None:
    assert describe_value(True) == "true"
    assert describe_value(D(1941, 8, 1)) == "1941-08-01"
    assert describe_value(0.25) == "0.25"
    assert describe_value(parse_distribution({"dist": "uniform", "low": 1, "high": 2})) == (
        "uniform(low=1, high=2)")
