"""Parameters of the shipping part of the model (see docs/model.md §5), with sources.

The merchant fleet's starting size, the civil minimum and the first-year sinking rate are the
older shipping parameters in :mod:`sim.registry.campaign`; these are the fleet's run-down after
1942, its allocation between the services and the oil ration's.
"""

from __future__ import annotations

from sim.distributions import Triangular
from sim.params import Param
from sim.registry.campaign import JUDGEMENT
from sim.registry.declare import fraction, number

PARAMS: list[Param] = [
    number("shipping.loss_rate_1944", Triangular(dist="triangular", low=0.65, mode=0.76,
                                                 high=0.85),
           "1/yr", "SH-07 (~4.1 M t sunk in 1944); SH-06; SH-08; T21 (fleet identity)",
           "Share of the merchant fleet sunk in a year from 1944 on (US submarines at full "
           "effect, carrier aircraft, mines)", (0.65, 0.85), (0.0, 0.99)),
    number("shipping.campaign_luck_sd", 0.1, "log-sd", JUDGEMENT + " §Oil and shipping",
           "Spread of the US anti-shipping campaign's effectiveness in one replication (a "
           "median-1 lognormal factor on every year's sinking hazard)", (0.0, 0.25)),
    number("shipping.soviet_loss_rate", 0.03, "1/yr", "POL-Q2 (~100 Soviet submarines in "
           "the Far East); " + JUDGEMENT + " §Oil and shipping",
           "Share of the merchant fleet the Soviet Pacific Fleet sinks in a year of a Soviet war",
           (0.0, 0.08), (0.0, 0.99)),
    number("shipping.tanker_loss_ratio", 2.5, "ratio",
           "SH-09 (235,000 t of tankers sunk in Q1 1944); OIL-13; OIL-14; "
           + JUDGEMENT + " §Oil and shipping",
           "Tankers' sinking hazard relative to the fleet's from July 1943, when US "
           "submarines made them their first target", (1.5, 3.5), (0.0, None)),
    fraction("shipping.army_share", 0.26, "SH-02 (Army 1.22 of 4.89 M GRT, Dec 1942); SH-03 "
             "(1.02 of 3.78, Dec 1943); SH-01 (2.15 of 5.42, Dec 1941)",
             "Army's share of the dry-cargo fleet at war (the lever of a northern-first or "
             "southern-first allocation)", (0.2, 0.4)),
    fraction("shipping.navy_share", 0.30, "SH-02 (Navy 1.41 of 4.89 M GRT, Dec 1942); SH-03 "
             "(1.21 of 3.78, Dec 1943); SH-01 (1.56 of 5.42, Dec 1941)",
             "Navy's share of the dry-cargo fleet at war; the civil economy gets the rest",
             (0.25, 0.35)),
    fraction("oil.navy_share", 0.89, "OIL-05 (service stocks, Aug 1941: Navy 705, Army 87 x "
             "10^4 t)", "Navy's share of the services' oil ration; the Army gets the rest",
             (0.8, 0.92)),
]
