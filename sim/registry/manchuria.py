"""Parameters of the Soviet Far East to 1945 and of the Soviet invasion of Manchuria in
August 1945 (docs/model.md §6 and §6c), with sources."""

from __future__ import annotations

from sim.distributions import Pert
from sim.params import Param
from sim.registry.declare import D, date_param, fraction, number

JUDGEMENT = "calibrated: see docs/model.md"

PARAMS: list[Param] = [
    fraction("soviet_fe.transfer_factor_1942", Pert(dist="pert", low=0.15, mode=0.35, high=0.7),
             "SFE-17; SFE-09; SFE-08; " + JUDGEMENT + " §Soviet Far East",
             "Far East transfers west from 1942, as a share of the 1941 rate at the same German "
             "pressure (a few divisions at Stalingrad; local call-ups replaced them)",
             (0.15, 0.7)),
    number("soviet_fe.men_moved_east_1945", Pert(dist="pert", low=500000, mode=500000,
                                                  high=750000), "men",
           "SFE-23; SFE-22", "Men the 1945 rail build-up brings east from 13 Apr to the invasion",
           (500000, 750000)),
    number("soviet_fe.arrival_weight", Pert(dist="pert", low=1.5, mode=2.0, high=2.5), "ratio",
           "SFE-23; SFE-11; T25; " + JUDGEMENT + " §Soviet Far East",
           "Combat worth per man of the formations brought east in 1945 (veteran, armour-heavy) "
           "over the Far East garrison's", (1.5, 2.5), (1.0, 10.0)),
    date_param("manchuria_1945.invasion_date", D(1945, 8, 9), "MAN-01; NP-04; YAL-01",
               "Start of the Soviet invasion of Manchuria (three months after Germany's "
               "surrender, as promised at Yalta)", (D(1945, 7, 8), D(1945, 8, 9))),
    date_param("manchuria_1945.ceasefire_date", D(1945, 8, 20),
               "MAN-01 (main operations 9-20 Aug 1945); the Imperial Rescript on the "
               "Termination of the War, broadcast 15 Aug 1945",
               "Last day the Kwantung Army fights when Japan surrenders to the Allies (only in "
               "a war with the United States; else the war runs to the break or the horizon)",
               (D(1945, 8, 17), D(1945, 8, 20))),
    fraction("manchuria_1945.engaged_share", 0.3, "MAN-04; MAN-03; " + JUDGEMENT + " §6c",
             "Share of each army in contact in the August 1945 battles (the Soviet first "
             "echelon, the Kwantung Army's frontier forces)", (0.2, 0.45)),
]
