"""Parameters of the shipping part of the model (see docs/model.md), with sources."""

from __future__ import annotations

from sim.params import Param

PARAMS: list[Param] = []
