"""What a reader sees in place of a column name: one label table for every figure, report and
table.

Each outcome, monthly series and registry parameter has a :class:`Label`: a title a historian
reads (``Japanese casualties at Khalkhin Gol``), its unit, a short form for crowded axes and, for
a categorical outcome, the display name and the order of its categories, so that "Strike south"
is written the same way and comes first in every panel of every figure.

Outcomes and series are labelled here by hand (a test fails when one is added without a
label); a registry parameter is labelled from its own description and unit, so that a sweep or
a sensitivity axis over any parameter reads as a sentence and not as a dotted key.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from sim.outcomes import BY_NAME, SERIES
from sim.registry import REGISTRY


@dataclass(frozen=True)
class Label:
    """How one outcome, series or parameter is named to a reader."""

    name: str
    title: str
    unit: str = ""
    short: str = ""
    #: (code, display name) in the one order every figure and table uses.
    categories: tuple[tuple[str, str], ...] = ()
    #: The display names of the categories say what they are without the title
    #: ("Strike north"), so a share reads "Share of runs: Strike north".
    self_describing: bool = False

    @property
    def axis(self) -> str:
        """'Japanese casualties at Khalkhin Gol (men)': the title with its unit, unless the
        title already says it ('Days from ...', 'Share of ...')."""
        if not self.unit or self.unit.lower() in self.title.lower():
            return self.title
        return f"{self.title} ({self.unit})"

    def display(self, code: str) -> str:
        """The display name of a category code; an unknown code is shown as written."""
        return dict(self.categories).get(code, code.replace("_", " "))


# Decision codes: ``none`` is the code of a hold in results written before it was renamed
# ``hold``; both read "Hold (no offensive)" so that old and new results look the same.
_HOLD = "Hold (no offensive)"
_DECISIONS = (("south", "Strike south"), ("north", "Strike north"),
              ("both", "Both, within 270 days"), ("hold", _HOLD), ("none", _HOLD))
_POLICIES = (("south", "Strike south"), ("north", "Strike north"), ("hold", _HOLD),
             ("none", _HOLD))
_OBJECTIVES = (("none", "No northern offensive"), ("border", "Border battles only"),
               ("primorye", "Primorye (Vladivostok)"), ("amur", "Amur line"),
               ("transbaikal", "Transbaikal (Lake Baikal)"))
_KG_RESULTS = (("soviet_victory", "Soviet victory (as in 1939)"),
               ("japanese_success", "Japanese success"), ("none", "Battle not fought"))

_CONFERENCES = {1: "27 Jul 1940", 2: "2 Jul 1941", 3: "6 Sep 1941", 4: "1 Dec 1941"}
#: The meetings on the road to war with the West (POL-21...POL-27) and what they chose.
_WAR_MEETINGS = {"1941_09_06": "6 Sep 1941", "1941_10_16": "16 Oct 1941",
                 "1941_11_05": "5 Nov 1941", "1941_11_27": "27 Nov 1941",
                 "1941_12_01": "1 Dec 1941"}
_REQUESTS = {"1941_07_10": "10 Jul 1941", "1942_07_09": "9 Jul 1942", "1943_03_06": "6 Mar 1943"}
_REVIEW_CHOICES = (("north", "Strike north"), ("hold", "Hold (no new offensive)"),
                   ("south", "Strike south"), ("settled", "No review (policy settled)"))
_WAR_OR_TALKS = (("war", "War (preparation or decision)"), ("talks", "Talks go on"),
                 ("none", "Nothing to decide"))

#: name -> (title, short[, categories]); units come from :mod:`sim.outcomes`.
_OUTCOMES: dict[str, tuple] = {
    "decision": ("Japan's first strategic offensive", "Decision", _DECISIONS),
    "north_attack_date": ("Start of the northern offensive", "Northern attack"),
    "south_attack_date": ("Start of the southern offensive", "Southern attack"),
    "kg_japanese_casualties": ("Japanese casualties at Khalkhin Gol", "KG Japanese casualties"),
    "kg_soviet_casualties": ("Soviet-Mongol casualties at Khalkhin Gol", "KG Soviet casualties"),
    "kantokuen_peak_men": ("Kwantung and Korea armies at the Kantokuen peak", "Kantokuen peak"),
    "soviet_fe_men_1941_06": ("Soviet Far East forces, 22 June 1941", "Soviet FE, Jun 1941"),
    "soviet_fe_men_1941_12": ("Soviet Far East forces, 31 December 1941", "Soviet FE, Dec 1941"),
    "soviet_fe_divisions_sent_west_1941": ("Soviet Far East divisions sent west in 1941",
                                           "FE divisions sent west"),
    "north_objective": ("Furthest objective reached in the north", "Northern objective",
                        _OBJECTIVES),
    "north_japanese_casualties": ("Japanese casualties in the northern war",
                                  "North: Japanese casualties"),
    "north_soviet_casualties": ("Soviet casualties in the northern war",
                                "North: Soviet casualties"),
    "singapore_fall_days": ("Days from the southern attack to the fall of Singapore",
                            "Days to Singapore"),
    "dei_captured_date": ("Capitulation of the Dutch East Indies", "DEI capitulation"),
    "oil_stock_end_1941": ("Japan's oil stock, end of 1941", "Oil stock 1941"),
    "oil_stock_end_1942": ("Japan's oil stock, end of 1942", "Oil stock 1942"),
    "oil_stock_end_1943": ("Japan's oil stock, end of 1943", "Oil stock 1943"),
    "oil_imported_south_1942": ("Oil shipped home from the south in 1942", "Southern oil 1942"),
    "oil_imported_south_1943": ("Oil shipped home from the south in 1943", "Southern oil 1943"),
    "china_japanese_casualties": ("Japanese casualties in China", "China casualties"),
    "kg_outcome": ("Result of the August 1939 Soviet offensive", "Khalkhin Gol result",
                   _KG_RESULTS),
    "kg_offensive_days": ("Length of the Soviet offensive at Khalkhin Gol",
                          "KG offensive length"),
    "kg_ceasefire_date": ("Khalkhin Gol ceasefire", "KG ceasefire"),
    "nomonhan_shock": ("Perceived Soviet combat power per man after Khalkhin Gol",
                       "Nomonhan shock"),
    "cabinet_fall_days": ("Days from the Nazi-Soviet pact to the cabinet's fall",
                          "Days to cabinet fall"),
    "embargo_date": ("US oil embargo", "Embargo"),
    "kantokuen_cancelled_date": ("Northern attack called off", "Kantokuen called off"),
    "soviet_fe_fraction_west_1941_08": ("Share of Soviet Far East men sent west by 15 Aug 1941",
                                        "FE sent west, Aug 1941"),
    "soviet_fe_fraction_west_1941_12": ("Share of Soviet Far East men sent west by 5 Dec 1941",
                                        "FE sent west, Dec 1941"),
    "soviet_fe_men_sent_west_1941": ("Soviet Far East men sent west in 1941", "FE men sent west"),
    "philippines_fall_date": ("Fall of Corregidor (the Philippines)", "Corregidor falls"),
    "south_japanese_casualties": ("Japanese casualties of the southern conquest",
                                  "South: Japanese casualties"),
    "oil_stock_end_1944": ("Japan's oil stock, end of 1944", "Oil stock 1944"),
    "oil_stock_at_horizon": ("Japan's oil stock at the end of the simulation", "Final oil stock"),
    "japanese_casualties_total": ("Japanese casualties in every theatre", "All casualties"),
    "japanese_recruits_total": ("Men called up since January 1939", "Men called up"),
    "japanese_men_home_end": ("Trained men at home at the end of the simulation", "Men at home"),
    **{f"conference_{k}_choice": (f"Policy chosen at the conference of {day}",
                                  f"Conference {day}", _POLICIES)
       for k, day in _CONFERENCES.items()},
    # eastern front
    "moscow_falls_date": ("Fall of Moscow", "Moscow falls"),
    "fe_divisions_at_moscow": ("Soviet Far East divisions at Moscow, autumn 1941",
                               "FE divisions at Moscow"),
    "case_blue_reach": ("Reach of the German 1942 summer campaign", "Case Blue reach",
                        (("held", "Held short of the Volga"),
                         ("volga", "Volga and Caucasus reached (as in 1942)"),
                         ("collapse", "Soviet collapse in the south"))),
    # end eastern front
    # united states
    "us_freeze_date": ("US freeze of Japanese assets", "US freeze"),
    "us_war_date": ("The United States at war with Japan", "US at war"),
    "lend_lease_pacific_mt": ("Lend-Lease to the USSR through the Pacific", "Pacific Lend-Lease"),
    # end united states
    # oil
    "oil_exhausted_date": ("Japan's oil at its working floor", "Oil exhausted"),
    "oil_stock_end_1945": ("Japan's oil stock, end of 1945 (or at the horizon)",
                           "Oil stock 1945"),
    # end oil
    # policy
    "war_with_us_decided_date": ("Japan decides on war with the US, Britain and the Netherlands",
                                 "War with the US decided"),
    "north_second_attack_date": ("Northern attack after the southern one", "North second"),
    "war_preparation_date": ("Japan decides to prepare for war with the West",
                             "War preparation"),
    "southern_move_date": ("Japanese troops move into southern Indochina",
                           "Southern Indochina"),
    "north_review_1941_choice": ("The Army's northern decision of August 1941",
                                 "North review Aug 1941", _POLICIES),
    **{f"conference_{key}_war": (f"War or talks at the meeting of {day}", f"{day}: war?",
                                 _WAR_OR_TALKS)
       for key, day in _WAR_MEETINGS.items()},
    **{f"conference_{key}_choice": (f"Policy after the German request of {day}",
                                    f"German request {day}", _REVIEW_CHOICES)
       for key, day in _REQUESTS.items()},
    # end policy
    # north
    "sakhalin_taken_date": ("Northern Sakhalin taken", "Sakhalin taken"),
    "north_counteroffensive_date": ("First Soviet counteroffensive in the north",
                                    "Soviet counteroffensive"),
    # end north
    # khasan
    "khasan_japanese_casualties": ("Japanese casualties at Lake Khasan (1938)",
                                   "Khasan JP casualties"),
    "khasan_soviet_casualties": ("Soviet casualties at Lake Khasan (1938)",
                                 "Khasan SU casualties"),
    # end khasan
    # army
    "china_men_1943_08": ("Japanese men in China proper, August 1943", "China men 1943"),
    "china_men_1945_08": ("Japanese men in China proper, August 1945", "China men 1945"),
    "ichigo_japanese_casualties": ("Japanese casualties of Operation Ichi-Go",
                                   "Ichi-Go casualties"),
    "kwantung_divisions_1944_12": ("Kwantung Army divisions, end of 1944",
                                   "Kwantung divisions 1944"),
    # end army
    # shipping
    "merchant_fleet_grt_end_1942": ("Japan's merchant fleet, end of 1942", "Fleet 1942"),
    "merchant_fleet_grt_end_1943": ("Japan's merchant fleet, end of 1943", "Fleet 1943"),
    "merchant_fleet_grt_end_1944": ("Japan's merchant fleet, end of 1944", "Fleet 1944"),
    "merchant_fleet_grt_1945_08": ("Japan's merchant fleet, August 1945", "Fleet Aug 1945"),
    # end shipping
    # manchuria 1945
    "soviet_fe_men_1945_08": ("Soviet Far East forces, 8 August 1945", "Soviet FE, Aug 1945"),
    "manchuria_invaded_date": ("Soviet invasion of Manchuria begins", "Manchuria invaded"),
    "manchuria_1945_days": ("Days of the August 1945 war in Manchuria", "Manchuria 1945, days"),
    "manchuria_1945_japanese_casualties": (
        "Japanese killed, wounded and missing in Manchuria, 1945 (prisoners not counted)",
        "JP casualties 1945"),
    "manchuria_1945_soviet_casualties": (
        "Soviet killed, wounded and sick in Manchuria, 1945", "Soviet casualties 1945"),
    # end manchuria 1945
}

#: Monthly series: name -> (title, short); units come from :data:`sim.outcomes.SERIES`.
_SERIES: dict[str, tuple[str, str]] = {
    "oil_stock": ("Japan's oil stock", "Oil stock"),
    "jp_men_china": ("Japanese army in China", "Army in China"),
    "jp_men_manchuria": ("Japanese army in Manchuria and Korea", "Army in Manchuria"),
    "jp_men_south": ("Japanese army in the southern area", "Army in the south"),
    "jp_men_home": ("Japanese army in the home islands", "Army at home"),
    "soviet_fe_men": ("Soviet Far East forces", "Soviet Far East"),
    # eastern front
    "german_pressure": ("German pressure on the USSR (summer 1941 = 1)", "German pressure"),
    "soviet_reserve": ("Soviet strategic reserve", "Soviet reserve"),
    # end eastern front
    # united states
    "lend_lease_pacific": ("Lend-Lease to the USSR through the Pacific", "Pacific Lend-Lease"),
    # end united states
    # army
    "jp_divisions_manchuria": ("Japanese divisions in Manchuria and Korea",
                               "Divisions in Manchuria"),
    # end army
    # shipping
    "merchant_fleet_grt": ("Japan's merchant fleet", "Merchant fleet"),
    # end shipping
}

#: Units as a reader says them (``fraction`` is a share, shown as a percentage).
_UNITS = {"fraction": "share", "ratio": "ratio", "M bbl": "million bbl",
          "M bbl/yr": "million bbl a year", "men/month": "men a month", "1/yr": "a year"}

#: Units said better for one outcome than its schema's unit does.
_UNIT_OVERRIDES = {"nomonhan_shock": "IJA = 1"}

_SHORT = 40
_EQUALS = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*==\s*['\"]([^'\"]*)['\"]\s*$")


def _outcome_label(name: str) -> Label:
    title, short, *rest = _OUTCOMES[name]
    outcome = BY_NAME.get(name)
    unit = "" if outcome is None or outcome.kind in ("date", "category") else outcome.unit
    unit = _UNIT_OVERRIDES.get(name, _UNITS.get(unit, unit))
    return Label(name, title, unit, short, tuple(rest[0]) if rest else (),
                 self_describing=name == "decision")


def _param_label(name: str) -> Label:
    param = REGISTRY[name]
    # the description's first clause: "Weight of the oil need in favour of the south"
    title = re.split(r" \(|: |; ", param.description, maxsplit=1)[0].rstrip(".")
    unit = "" if param.kind in ("date", "bool", "choice") or param.unit in (
        "", "dimensionless") else param.unit
    short = textwrap.shorten(title, _SHORT, placeholder="...")
    return Label(name, title, _UNITS.get(unit, unit), short)


def _build() -> dict[str, Label]:
    table = {name: _outcome_label(name) for name in _OUTCOMES}
    for name, (title, short) in _SERIES.items():
        table[name] = Label(name, title, _UNITS.get(SERIES[name], SERIES[name]), short)
    for param in REGISTRY:
        table.setdefault(param.name, _param_label(param.name))
    return table


LABELS: dict[str, Label] = _build()


def has_label(name: str) -> bool:
    """Whether ``name`` (an outcome, a series or a parameter) is in the label table."""
    return name in LABELS


def label(name: str) -> Label:
    """The label of an outcome, series or parameter; anything else (an expression a user
    wrote) gets a label that shows it as written, so a figure never fails for want of one."""
    found = LABELS.get(name)
    if found is not None:
        return found
    match = _EQUALS.match(name)
    if match and match.group(1) in LABELS:
        return Label(name, share_title(match.group(1), match.group(2)), "share",
                     share_title(match.group(1), match.group(2)))
    return Label(name, name, "", name)


def share_title(name: str, code: str) -> str:
    """'Share of runs: Strike north' for ``decision == 'north'``."""
    lab = LABELS[name]
    if lab.self_describing:
        return f"Share of runs: {lab.display(code)}"
    return f"Share of runs: {lab.short} = {lab.display(code)}"


def title(name: str) -> str:
    return label(name).title


def short(name: str) -> str:
    return label(name).short


def unit(name: str) -> str:
    return label(name).unit


def axis_label(name: str) -> str:
    """The title with its unit, for an axis."""
    return label(name).axis


def display(name: str, code: str) -> str:
    """The display name of category ``code`` of outcome ``name``."""
    return label(name).display(str(code))


def category_order(name: str, present: tuple[str, ...] | list[str] | None = None
                   ) -> tuple[str, ...]:
    """The category codes of ``name`` in display order.

    Without ``present``: the outcome's declared categories (the codes the model writes) in the
    table's order.  With ``present`` (the codes found in some results): those codes, known ones
    in the table's order, unknown ones after them as found.
    """
    lab = label(name)
    order = [code for code, _ in lab.categories]
    outcome = BY_NAME.get(name)
    codes = list(present) if present is not None else list(outcome.categories if outcome else ())
    known = [c for c in order if c in codes]
    return tuple(known + [c for c in dict.fromkeys(codes) if c not in order])
