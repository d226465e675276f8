"""The label table: every outcome, series and parameter a figure can show has a readable
label, and categorical outcomes have one display name and one order for each code."""

from __future__ import annotations

import pytest

from sim import labels
from sim.outcomes import OUTCOMES, SERIES
from sim.registry import REGISTRY


@pytest.mark.parametrize("outcome", OUTCOMES, ids=lambda o: o.name)
def test_every_outcome_has_a_label(outcome):
    assert labels.has_label(outcome.name), f"add {outcome.name} to sim/labels.py"
    lab = labels.label(outcome.name)
    assert lab.title and lab.title != outcome.name and "_" not in lab.title
    assert lab.short and len(lab.short) <= 40
    if outcome.kind in ("count", "number"):
        assert lab.unit, outcome.name


@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o.kind == "category"],
                         ids=lambda o: o.name)
def test_every_category_has_a_display_name_and_a_place_in_the_order(outcome):
    lab = labels.label(outcome.name)
    coded = dict(lab.categories)
    for code in outcome.categories:
        assert code in coded, f"{outcome.name}: category {code} has no display name"
        assert "_" not in labels.display(outcome.name, code)
    order = labels.category_order(outcome.name)
    assert sorted(order) == sorted(outcome.categories)


@pytest.mark.parametrize("name", sorted(SERIES))
def test_every_series_has_a_label(name):
    assert labels.has_label(name)
    lab = labels.label(name)
    assert "_" not in lab.title and lab.unit == SERIES[name].replace("M bbl", "million bbl")


def test_every_parameter_has_a_label_from_its_description():
    for param in REGISTRY:
        lab = labels.label(param.name)
        assert lab.title and param.description.startswith(lab.title), param.name
        assert len(lab.short) <= 40


def test_one_order_for_the_decision_everywhere():
    assert labels.category_order("decision")[:2] == ("south", "north")
    # the conferences and the decision put the same choices in the same order, hold included
    conf = labels.category_order("conference_2_choice")
    assert [c for c in labels.category_order("decision") if c in conf] == list(conf)
    assert "hold" in conf
    assert labels.category_order("decision", ["none", "north", "x", "south"]) == (
        "south", "north", "none", "x")


def test_hold_reads_the_same_under_its_old_and_new_code():
    assert labels.display("decision", "none") == labels.display("decision", "hold") == \
        "Hold (no offensive)"
    assert labels.display("conference_1_choice", "hold") == "Hold (no offensive)"


def test_axis_labels_say_the_unit_once():
    assert labels.axis_label("kg_japanese_casualties") == \
        "Japanese casualties at Khalkhin Gol (men)"
    assert labels.axis_label("singapore_fall_days") == \
        "Days from the southern attack to the fall of Singapore"
    assert labels.axis_label("oil_stock") == "Japan's oil stock (million bbl)"


def test_expressions_and_unknown_names():
    assert labels.title("decision == 'north'") == "Share of runs: Strike north"
    assert labels.title("kg_outcome == 'japanese_success'") == \
        "Share of runs: Khalkhin Gol result = Japanese success"
    assert labels.title("oil_stock_end_1941 / 2") == "oil_stock_end_1941 / 2"
    assert labels.display("north_objective", "somewhere_else") == "somewhere else"
