"""Scenario files: load, inherit (``extends``), override (``--set``), validate, explain.

A scenario file says only what differs from the registry defaults::

    name: no-neutrality-pact
    question: What if the neutrality pact had never been signed?
    description: One paragraph.
    extends: historical.yaml           # relative to this file, or an installed name; chains
    params:
      neutrality_pact:
        enabled: false
      embargo.date: 1941-09-01         # dotted keys mix freely with nesting
      khalkhin_gol:
        soviet_men: {dist: triangular, low: 50000, mode: 57000, high: 73961}

Loading resolves *every* registry parameter to a fixed value or a distribution and records
where each one came from (``default``, ``file.yaml:LINE`` or ``--set``), so that ``sim show``
can answer "where did this number come from?" for any run.

A bare name such as ``historical`` (no ``/``, no ``.yaml``) names a scenario installed with
the package (:mod:`sim.scenario.installed`); anything else is a path.

Every mistake is a :class:`sim.errors.ScenarioError` whose one-line message names the file,
the line (when YAML gives one), the dotted key, what was wrong and what was expected.  Files
are read with YAML's *safe* loader only: a tag such as ``!!python/object`` is an error, never
code.
"""

from __future__ import annotations

from sim.scenario.chain import load_scenario
from sim.scenario.core import Scenario, scenario_from_dict
from sim.scenario.file_layer import TOP_LEVEL_KEYS
from sim.scenario.overrides import parse_set
from sim.scenario.provenance import DEFAULT_ORIGIN as DEFAULT_ORIGIN
from sim.scenario.provenance import SET_ORIGIN
from sim.scenario.values import value_to_json

__all__ = [
    "Scenario",
    "load_scenario",
    "parse_set",
    "scenario_from_dict",
    "value_to_json",
    "TOP_LEVEL_KEYS",
    "SET_ORIGIN",
]
