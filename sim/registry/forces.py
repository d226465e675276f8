"""Parameters of the forces part of the model (see docs/model.md §4), with sources: the China
war to 1945, the army's force levels and Japan's allocation of divisions between theatres."""

from __future__ import annotations

from sim.distributions import Pert, Triangular
from sim.params import Param
from sim.registry.campaign import JUDGEMENT
from sim.registry.declare import D, date_param, number, switch

#: More divisions than China ever held (CHN-01's upper count) cannot be moved out of it.
MAX_CHINA_DIVISIONS = 27.0

PARAMS: list[Param] = [
    # --- the China war 1942-45 ------------------------------------------------------------------
    number("china.dead_1942_45", Pert(dist="pert", low=200000, mode=270000, high=330000), "men",
           "CHN-08 (455,700 dead 1937-45 less CHN-04's 185,647; 55,000-90,000 a year)",
           "Japanese dead in China proper, Dec 1941 - Aug 1945, Ichi-Go included",
           (200000, 330000), (0.0, 1000000.0)),
    switch("china.ichigo", True, "JF-12",
           "Whether Operation Ichi-Go (Apr-Dec 1944, up to 510,000 men) is fought"),
    number("china.ichigo_casualties", Pert(dist="pert", low=30000, mode=50000, high=100000),
           "men", "JF-13 (30,000 admitted; up to 100,000 deaths, combat and non-combat)",
           "Japanese casualties of Ichi-Go", (30000, 100000), (0.0, 300000.0)),
    # --- force levels -----------------------------------------------------------------------------
    number("japan.new_division_quality", Triangular(dist="triangular", low=0.2, mode=0.35,
                                                    high=0.5), "ratio",
           "JF-07; JPN-03; " + JUDGEMENT + " §4",
           "Combat value per man of a division raised in 1944-45, against a 1941 Kwantung "
           "division (= 1)", (0.2, 0.5), (0.0, 1.0)),
    # --- allocation levers ------------------------------------------------------------------------
    number("allocation.china_to_manchuria_divisions", 0.0, "divisions",
           "POL-Q3 (+2 from North China planned); CHN-01",
           "Divisions moved from China to Manchuria on the allocation date", (0.0, 10.0),
           (0.0, MAX_CHINA_DIVISIONS)),
    date_param("allocation.china_to_manchuria_date", D(1941, 4, 1), "POL-Q3; " + JUDGEMENT + " §4",
               "When the China-to-Manchuria move happens"),
    number("allocation.china_to_south_divisions", 0.0, "divisions",
           "JF-05 (the 38th Division sent south from China); SOP-01",
           "Divisions the Southern Army takes from China at the southern launch (instead of "
           "men from home)", (0.0, 5.0), (0.0, MAX_CHINA_DIVISIONS)),
]
