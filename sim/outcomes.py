"""What one replication yields: the scalar outcomes (columns of ``runs.csv``) and the monthly
time series.  The model fills these; the engine, plots and analyses read them by name.

Kinds: ``category`` (a string from ``categories``), ``date`` (ISO string, empty when the event
did not happen), ``count`` (men, divisions: a number), ``number`` (oil in millions of barrels,
days...).  Missing values are ``None`` in Python and empty cells in CSV.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

OutcomeKind = Literal["category", "date", "count", "number"]


@dataclass(frozen=True)
class Outcome:
    name: str
    kind: OutcomeKind
    unit: str
    description: str
    categories: tuple[str, ...] = ()
    headline: bool = False


DECISIONS = ("south", "north", "both", "hold")
#: Category values that were renamed, per outcome: an expression that still uses the old one
#: is told the new one (the decision's "none" is "hold", the conferences' word for it).
RENAMED_CATEGORIES: dict[str, dict[str, str]] = {"decision": {"none": "hold"}}
#: What a meeting on the road to war decided (the conference_<date>_war outcomes); "none":
#: it had nothing to decide (not in southern Indochina, already at war, or a forced policy).
WAR_OR_TALKS = ("war", "talks", "none")
#: What a later review chose ("settled": none was held: a forced policy, or both wars on).
REVIEW_CHOICES = ("north", "hold", "south", "settled")
NORTH_OBJECTIVES = ("none", "border", "primorye", "amur", "transbaikal")
CASE_BLUE_REACH = ("held", "volga", "collapse")

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("decision", "category", "",
            "The strategic offensive Japan launches first (both = the other follows within 270 days)",
            DECISIONS, headline=True),
    Outcome("north_attack_date", "date", "", "Start of the northern offensive, if any"),
    Outcome("south_attack_date", "date", "", "Start of the southern offensive, if any"),
    Outcome("kg_japanese_casualties", "count", "men",
            "Japanese combat casualties at Khalkhin Gol (killed, wounded, missing)", headline=True),
    Outcome("kg_soviet_casualties", "count", "men",
            "Soviet-Mongol casualties at Khalkhin Gol", headline=True),
    Outcome("kantokuen_peak_men", "count", "men",
            "Peak Kwantung + Korea army strength during the 1941 mobilisation", headline=True),
    Outcome("soviet_fe_men_1941_06", "count", "men", "Soviet Far East men on 22 June 1941"),
    Outcome("soviet_fe_men_1941_12", "count", "men", "Soviet Far East men on 31 Dec 1941",
            headline=True),
    Outcome("soviet_fe_divisions_sent_west_1941", "count", "divisions",
            "Soviet Far East divisions moved west during 1941", headline=True),
    Outcome("north_objective", "category", "", "Furthest objective reached in the north",
            NORTH_OBJECTIVES, headline=True),
    Outcome("north_japanese_casualties", "count", "men",
            "Japanese casualties in the northern campaign"),
    Outcome("north_soviet_casualties", "count", "men",
            "Soviet casualties in the northern campaign"),
    Outcome("singapore_fall_days", "number", "days",
            "Days from the southern attack to the fall of Singapore", headline=True),
    Outcome("dei_captured_date", "date", "", "Capitulation of the Dutch East Indies"),
    Outcome("oil_stock_end_1941", "number", "million bbl", "Japan's oil stock on 31 Dec 1941",
            headline=True),
    Outcome("oil_stock_end_1942", "number", "million bbl", "Japan's oil stock on 31 Dec 1942",
            headline=True),
    Outcome("oil_stock_end_1943", "number", "million bbl", "Japan's oil stock on 31 Dec 1943"),
    Outcome("oil_imported_south_1942", "number", "million bbl",
            "Oil shipped home from the southern area in 1942"),
    Outcome("oil_imported_south_1943", "number", "million bbl",
            "Oil shipped home from the southern area in 1943"),
    Outcome("china_japanese_casualties", "count", "men",
            "Japanese casualties in China over the simulated period"),
    # --- added by the campaign model (append only) ---
    Outcome("kg_outcome", "category", "", "Result of the August 1939 Soviet offensive",
            ("soviet_victory", "japanese_success", "none")),
    Outcome("kg_offensive_days", "number", "days",
            "Length of the Soviet offensive at Khalkhin Gol (until the Japanese broke)"),
    Outcome("kg_ceasefire_date", "date", "", "Khalkhin Gol ceasefire"),
    Outcome("nomonhan_shock", "number", "ratio",
            "Japan's perceived Soviet combat power per man after Khalkhin Gol (IJA = 1)"),
    Outcome("cabinet_fall_days", "number", "days",
            "Days from the Nazi-Soviet pact to the fall of the Japanese cabinet"),
    Outcome("embargo_date", "date", "", "US oil embargo imposed"),
    Outcome("kantokuen_cancelled_date", "date", "",
            "Northern attack called off for want of the persimmon condition"),
    Outcome("soviet_fe_fraction_west_1941_08", "number", "fraction",
            "Share of June 1941 Soviet Far East men sent west by 15 Aug 1941"),
    Outcome("soviet_fe_fraction_west_1941_12", "number", "fraction",
            "Share of June 1941 Soviet Far East men sent west by 5 Dec 1941"),
    Outcome("soviet_fe_men_sent_west_1941", "count", "men",
            "Soviet Far East men moved west during 1941"),
    Outcome("philippines_fall_date", "date", "", "Fall of Corregidor"),
    Outcome("south_japanese_casualties", "count", "men",
            "Japanese casualties of the southern conquest (Malaya, DEI, Philippines)"),
    Outcome("oil_stock_end_1944", "number", "million bbl", "Japan's oil stock on 31 Dec 1944"),
    Outcome("oil_stock_at_horizon", "number", "million bbl", "Japan's oil stock at the horizon"),
    Outcome("japanese_casualties_total", "count", "men",
            "Japanese casualties in every theatre over the simulated period"),
    Outcome("japanese_recruits_total", "count", "men",
            "Men inducted or called up since January 1939"),
    Outcome("japanese_men_home_end", "count", "men", "Trained men at home at the horizon"),
    Outcome("conference_1_choice", "category", "",
            "Policy chosen at the first conference (27 Jul 1940 by default; empty if settled)",
            ("north", "hold", "south")),
    Outcome("conference_2_choice", "category", "",
            "Policy chosen at the second conference (2 Jul 1941 by default)",
            ("north", "hold", "south")),
    Outcome("conference_3_choice", "category", "",
            "Policy chosen at the third conference (6 Sep 1941 by default; "
            "south once in southern Indochina)",
            ("north", "hold", "south")),
    Outcome("conference_4_choice", "category", "",
            "Policy chosen at the fourth conference (1 Dec 1941 by default; "
            "south once in southern Indochina)",
            ("north", "hold", "south")),
    # --- consequences through 1945 (append only; one block per actor) ---
    # eastern front
    Outcome("moscow_falls_date", "date", "",
            "Fall of Moscow to the Germans (empty when Moscow holds)", headline=True),
    Outcome("fe_divisions_at_moscow", "count", "divisions",
            "Soviet Far East divisions that fought at Moscow, October-December 1941"),
    Outcome("case_blue_reach", "category", "",
            "How far the German 1942 summer campaign goes (empty if not fought)",
            CASE_BLUE_REACH),
    # end eastern front
    # united states
    Outcome("us_freeze_date", "date", "", "US freeze of Japanese assets"),
    Outcome("us_war_date", "date", "", "The United States at war with Japan (empty if never)"),
    Outcome("lend_lease_pacific_mt", "number", "million long tons",
            "Lend-Lease shipped to the USSR through the Pacific to the horizon"),
    # end united states
    # oil
    Outcome("oil_exhausted_date", "date", "",
            "Japan's oil stock first at its working floor (empty if never)"),
    Outcome("oil_stock_end_1945", "number", "million bbl",
            "Japan's oil stock on 31 Dec 1945, or at the horizon if the simulation ends "
            "earlier (by default at Japan's surrender, 2 Sep 1945, when the war ends)"),
    # end oil
    # policy
    Outcome("war_with_us_decided_date", "date", "",
            "Japan decides on war with the US, Britain and the Netherlands (empty if never)"),
    Outcome("north_second_attack_date", "date", "",
            "A northern offensive launched after a first southern one (empty if none)"),
    Outcome("war_preparation_date", "date", "",
            "Japan first decides to prepare for war with the West (6 Sep 1941 by default)"),
    Outcome("southern_move_date", "date", "",
            "Japanese troops move into southern Indochina (28 Jul 1941 as history ran)"),
    Outcome("north_review_1941_choice", "category", "",
            "What the Army's northern review of August 1941 left in force (north = attack)",
            ("north", "hold", "south")),
    Outcome("conference_1941_09_06_war", "category", "",
            "6 Sep 1941: war preparations or talks (none unless in southern Indochina)",
            WAR_OR_TALKS),
    Outcome("conference_1941_10_16_war", "category", "",
            "October 1941 crisis: preparations go on (war) or stop (talks)", WAR_OR_TALKS),
    Outcome("conference_1941_11_05_war", "category", "",
            "5 Nov 1941: war in early December if talks fail, or talks", WAR_OR_TALKS),
    Outcome("conference_1941_11_27_war", "category", "",
            "27 Nov 1941 (Hull note): act on the war decision, or talks", WAR_OR_TALKS),
    Outcome("conference_1941_12_01_war", "category", "",
            "1 Dec 1941: war decided, or talks", WAR_OR_TALKS),
    Outcome("conference_1941_07_10_choice", "category", "",
            "Policy chosen after Ribbentrop's request for a northern strike (10 Jul 1941)",
            REVIEW_CHOICES),
    Outcome("conference_1942_07_09_choice", "category", "",
            "Policy chosen after the German request of 9 Jul 1942", REVIEW_CHOICES),
    Outcome("conference_1943_03_06_choice", "category", "",
            "Policy chosen after the German request of 6 Mar 1943", REVIEW_CHOICES),
    # end policy
    # north
    Outcome("sakhalin_taken_date", "date", "",
            "Northern Sakhalin taken by a Japanese landing (empty if never)"),
    Outcome("north_counteroffensive_date", "date", "",
            "First Soviet counteroffensive in a northern war (empty if none)"),
    # end north
    # khasan
    Outcome("khasan_japanese_casualties", "number", "men",
            "Japanese casualties at Lake Khasan, Jul-Aug 1938 (empty if not fought)"),
    Outcome("khasan_soviet_casualties", "number", "men",
            "Soviet casualties at Lake Khasan, Jul-Aug 1938 (empty if not fought)"),
    # end khasan
    # army
    Outcome("china_men_1943_08", "count", "men", "Japanese men in China proper, Aug 1943"),
    Outcome("china_men_1945_08", "count", "men", "Japanese men in China proper, Aug 1945"),
    Outcome("ichigo_japanese_casualties", "count", "men",
            "Japanese casualties of Operation Ichi-Go (Apr-Dec 1944)"),
    Outcome("kwantung_divisions_1944_12", "number", "divisions",
            "Kwantung Army divisions in Manchuria, end of 1944"),
    # end army
    # shipping
    Outcome("merchant_fleet_grt_end_1942", "number", "GRT",
            "Japan's merchant fleet (tankers included) on 31 Dec 1942"),
    Outcome("merchant_fleet_grt_end_1943", "number", "GRT",
            "Japan's merchant fleet (tankers included) on 31 Dec 1943"),
    Outcome("merchant_fleet_grt_end_1944", "number", "GRT",
            "Japan's merchant fleet (tankers included) on 31 Dec 1944"),
    Outcome("merchant_fleet_grt_1945_08", "number", "GRT",
            "Japan's merchant fleet (tankers included) on 31 Aug 1945"),
    # end shipping
    # manchuria 1945
    Outcome("soviet_fe_men_1945_08", "count", "men",
            "Soviet Far East men on 8 Aug 1945, the eve of the invasion (after the 1945 build-up)"),
    Outcome("manchuria_invaded_date", "date", "",
            "Start of the Soviet invasion of Manchuria (empty if none)"),
    Outcome("manchuria_1945_days", "number", "days",
            "Days of the August 1945 war in Manchuria, to the Kwantung Army's break or the "
            "horizon"),
    Outcome("manchuria_1945_japanese_casualties", "count", "men",
            "Japanese killed, wounded and missing in the August 1945 fighting (men surrendered "
            "at the capitulation not counted)"),
    Outcome("manchuria_1945_soviet_casualties", "count", "men",
            "Soviet killed, wounded and sick in the August 1945 war"),
    # end manchuria 1945
)

OUTCOME_NAMES: tuple[str, ...] = tuple(o.name for o in OUTCOMES)
BY_NAME: dict[str, Outcome] = {o.name: o for o in OUTCOMES}

#: Monthly series kept per replication: name -> unit.  Month *k* is the last day of the
#: k-th month from January 1939 (value at month end).
SERIES: dict[str, str] = {
    "oil_stock": "million bbl",
    "jp_men_china": "men",
    "jp_men_manchuria": "men",
    "jp_men_south": "men",
    "jp_men_home": "men",
    "soviet_fe_men": "men",
    # eastern front
    "german_pressure": "ratio",
    "soviet_reserve": "men",
    # end eastern front
    # united states
    "lend_lease_pacific": "million long tons a month",
    # end united states
    # army
    "jp_divisions_manchuria": "divisions",
    # end army
    # shipping
    "merchant_fleet_grt": "GRT",
    # end shipping
}

SIM_START = dt.date(1939, 1, 1)
#: The default last day simulated: Japan's surrender, which ends the Soviet-Japanese war (MAN-01).
DEFAULT_HORIZON = dt.date(1945, 9, 2)


def month_ends(horizon: dt.date) -> list[dt.date]:
    """Month-end dates from January 1939 up to the month containing ``horizon``."""
    out = []
    y, m = SIM_START.year, SIM_START.month
    while (y, m) <= (horizon.year, horizon.month):
        ny, nm = (y + (m == 12), m % 12 + 1)
        out.append(dt.date(ny, nm, 1) - dt.timedelta(days=1))
        y, m = ny, nm
    return out


def to_cell(kind: OutcomeKind, value: Any) -> str:
    """Format an outcome value for CSV: ISO dates, plain numbers, empty for missing."""
    if value is None:
        return ""
    if kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if kind == "category":
        return str(value)
    if kind == "count":
        return str(int(round(value)))
    return repr(float(round(value, 6)))
