"""Every parameter of the campaign model, with its default, unit, range and source.

A scenario file only says what differs from here.  The parameters are inputs: they are
declared here, below the model, so that a scenario can be loaded and checked without running
anything; each actor of the model names the parameters it reads (``READS``) and the assembly
checks those names against this registry when the model is imported.

* :mod:`sim.registry.campaign`: the campaign model's groups (``khalkhin_gol``, ``oil`` ...);
* :mod:`sim.registry.khasan`, :mod:`sim.registry.forces`, :mod:`sim.registry.shipping`,
  :mod:`sim.registry.manchuria`: Khasan 1938, force levels and China to 1945, the merchant
  fleet, the Soviet Far East and August 1945;
* :mod:`sim.registry.combat`: the combat kernel's calibrated parameters (``combat.*``).
"""

from __future__ import annotations

from sim.params import Registry
from sim.registry.campaign import MODEL_PARAMS
from sim.registry.combat import PARAMS as COMBAT_PARAMS
from sim.registry.combat import RETIRED
from sim.registry.forces import PARAMS as FORCES_PARAMS
from sim.registry.khasan import PARAMS as KHASAN_PARAMS
from sim.registry.manchuria import PARAMS as MANCHURIA_PARAMS
from sim.registry.shipping import PARAMS as SHIPPING_PARAMS

REGISTRY = Registry(MODEL_PARAMS + KHASAN_PARAMS + FORCES_PARAMS + SHIPPING_PARAMS
                    + MANCHURIA_PARAMS + COMBAT_PARAMS, reserved=RETIRED)

__all__ = ["REGISTRY"]
