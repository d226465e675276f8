"""Parameters of Lake Khasan (Changkufeng), 29 July - 11 August 1938, and of the lesson Japan
drew from it (docs/model.md §1b), with sources."""

from __future__ import annotations

from sim.distributions import Pert, Triangular
from sim.params import Param
from sim.registry.declare import D, fraction, number, switch

JUDGEMENT = "calibrated: see docs/model.md"


def _date_1938(name: str, default: D, source: str, description: str) -> Param:
    """A date of 1938 (the registry's ``date_param`` starts in 1939, when the accounts open)."""
    return Param(name=name, default=default, unit="date", source=source, description=description,
                 kind="date", credible=(D(1938, 7, 1), D(1938, 12, 31)),
                 bounds=(D(1938, 7, 1), D(1939, 12, 31)))


PARAMS: list[Param] = [
    switch("khasan.enabled", True, "KH-01; BC-12",
           "Whether the Lake Khasan (Changkufeng) incident of July-August 1938 is fought"),
    _date_1938("khasan.start_date", D(1938, 7, 29), "KH-01; BC-12",
               "First Japanese attacks (Shachaofeng, then Changkufeng, 29-31 July 1938)"),
    _date_1938("khasan.ceasefire_date", D(1938, 8, 11), "KH-01; BC-12",
               "Fire ceases (agreed 10 August, effective 11 August 1938)"),
    number("khasan.soviet_men", Pert(dist="pert", low=15000, mode=22950, high=32000), "men",
           "KH-02; BC-13", "Soviet forces engaged at Lake Khasan (39th Rifle Corps)",
           (15000, 32000)),
    number("khasan.japanese_men", Pert(dist="pert", low=7000, mode=7150, high=9000), "men",
           "KH-02 (7,000-7,300); BC-14 (7,000-9,000)",
           "Japanese forces engaged (19th Division elements, no tanks or aircraft)",
           (7000, 9000)),
    number("khasan.numbers_weight", Triangular(dist="triangular", low=0.0, mode=0.0, high=1.0),
           "fraction",
           "KH-08 (mode 0: the exchange read 'by the books', Soviet numbers ignored); KH-09, "
           "KH-10 (1: read per man, as showing Soviet strength); " + JUDGEMENT + " §1b",
           "How far Japan's reading of Khasan allowed for the Soviet numbers: 0 reads the "
           "casualty totals alone (the Soviets lost 2.8 men per Japanese), 1 reads them per man",
           (0.0, 1.0), (0.0, 1.0)),
    fraction("khasan.overturned", 1.0,
             "KH-08 (Soviet units 'cannot co-ordinate envelopments'); KG-25 (the encirclement "
             "of 25-26 Aug 1939); " + JUDGEMENT + " §1b",
             "Share of Khasan's lesson a Soviet victory at Khalkhin Gol overturns (a Japanese "
             "success there keeps it whole)", (0.5, 1.0)),
]
