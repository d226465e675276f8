"""Every parameter of the campaign model, with its default, unit, range and source.

A scenario file only says what differs from here.  Sources name the IDs of
:mod:`sim.reference` (``KG-15``, ``OIL-04``...), where the documented value, range, citation
and reliability grade are carried; a default that is a modelling judgement says so
(``calibrated: see docs/model.md §...``) and gives the range it may credibly take.
Documented uncertainties are distributions (PERT or triangular on the Low/Best/High of the
reference tables); the engine samples them once per replication.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sim.distributions import LogNormal, Pert, Triangular
from sim.model.combat import PARAMS as COMBAT_PARAMS
from sim.params import Param, Registry

D = dt.date


def _num(name: str, default: Any, unit: str, source: str, description: str,
         credible: tuple[Any, Any] | None = None, bounds: tuple[Any, Any] | None = (0.0, None),
         kind: str = "float") -> Param:
    return Param(name=name, default=default, unit=unit, source=source, description=description,
                 kind=kind, credible=credible, bounds=bounds)  # type: ignore[arg-type]


def _int(name: str, default: Any, unit: str, source: str, description: str,
         credible: tuple[Any, Any] | None = None,
         bounds: tuple[Any, Any] | None = (0, None)) -> Param:
    return _num(name, default, unit, source, description, credible, bounds, kind="int")


def _frac(name: str, default: Any, source: str, description: str,
          credible: tuple[float, float] | None = None) -> Param:
    return _num(name, default, "fraction", source, description, credible, (0.0, 1.0))


def _date(name: str, default: Any, source: str, description: str,
          credible: tuple[dt.date, dt.date] | None = None) -> Param:
    return Param(name=name, default=default, unit="date", source=source, description=description,
                 kind="date", credible=credible, bounds=(D(1939, 1, 1), D(1950, 12, 31)))


def _bool(name: str, default: bool, source: str, description: str) -> Param:
    return Param(name=name, default=default, unit="", source=source, description=description,
                 kind="bool")


def _choice(name: str, default: str, choices: tuple[str, ...], source: str,
            description: str) -> Param:
    return Param(name=name, default=default, unit="", source=source, description=description,
                 kind="choice", choices=choices)


JUDGEMENT = "calibrated: see docs/model.md"

MODEL_PARAMS: list[Param] = [
    # --- simulation ---------------------------------------------------------------------------
    Param("simulation.horizon", D(1945, 8, 15), "date",
          "NP-04 (Soviet entry into the Pacific war, Aug 1945)",
          "Last day simulated; monthly series run from Jan 1939 to this date", kind="date",
          credible=(D(1942, 12, 31), D(1945, 12, 31)), bounds=(D(1940, 1, 31), D(1950, 12, 31))),

    # --- Khalkhin Gol ---------------------------------------------------------------------------
    _bool("khalkhin_gol.enabled", True, "KG-01",
          "Whether the 1939 Khalkhin Gol (Nomonhan) campaign is fought"),
    _choice("khalkhin_gol.outcome", "simulated",
            ("simulated", "soviet_victory", "japanese_success"), "KG-25",
            "Let the combat kernel decide the August battle, or force its result"),
    _date("khalkhin_gol.start_date", D(1939, 5, 11), "KG-01", "First clash on the Khalkha river"),
    _date("khalkhin_gol.offensive_date", D(1939, 8, 20), "KG-25",
          "Start of the decisive Soviet offensive"),
    _date("khalkhin_gol.ceasefire_date", D(1939, 9, 16), "KG-02",
          "Ceasefire (agreed in Moscow 15 Sept, fire ceases 16 Sept)"),
    _num("khalkhin_gol.soviet_men", Pert(dist="pert", low=50000, mode=57000, high=73961), "men",
         "KG-03", "Soviet-Mongol manpower for the August offensive", (50000, 73961)),
    _num("khalkhin_gol.japanese_men", Pert(dist="pert", low=20000, mode=30000, high=38000), "men",
         "KG-09", "Japanese manpower on the battlefield (23rd Division + attachments)",
         (20000, 38000)),
    _num("khalkhin_gol.soviet_trucks",
         Triangular(dist="triangular", low=2600, mode=4000, high=4400),
         "vehicles", "KG-08", "Soviet trucks on the supply leg from the railhead", (2600, 4400)),
    _num("khalkhin_gol.japanese_trucks",
         Triangular(dist="triangular", low=700, mode=900, high=1000),
         "vehicles", "KG-13", "Japanese trucks supplying the 23rd Division", (700, 1000)),
    _num("khalkhin_gol.truck_haul_km", Triangular(dist="triangular", low=650, mode=675, high=750),
         "km", "KG-26", "Soviet railhead (Borzya) to front truck leg", (650, 750)),
    _num("khalkhin_gol.japanese_haul_km",
         Triangular(dist="triangular", low=150, mode=175, high=200),
         "km", "KG-28", "Japanese railhead (Hailar) to front distance", (150, 200)),
    _num("khalkhin_gol.truck_payload_t", 1.5, "t", "KG-27 (50,000 t by ~4,000 trucks); GAZ-AA "
         "1.5 t rating", "Payload of one truck", (1.0, 2.5)),
    _num("khalkhin_gol.truck_km_per_day", 270.0, "km/day",
         "KG-26 (1,300-1,400 km round trip in ~5 days)", "Distance a supply truck covers a day",
         (200.0, 350.0), (10.0, None)),
    _frac("khalkhin_gol.truck_availability", 0.75, JUDGEMENT + " §Khalkhin Gol (KG-27 lift)",
          "Share of trucks running on a given day (repairs, losses)", (0.6, 0.9)),
    _num("khalkhin_gol.supply_kg_per_man_day", 14.0, "kg/man/day",
         JUDGEMENT + " §Khalkhin Gol (KG-03 force sustained by KG-08 trucks over KG-26)",
         "Supply a mechanised soldier consumes a day (fuel, ammunition, food)", (10.0, 20.0),
         (1.0, None)),
    _num("khalkhin_gol.soviet_summer_share", 0.8, "fraction",
         JUDGEMENT + " §Khalkhin Gol", "Soviet force in May-July as a share of the August force",
         (0.6, 0.9), (0.05, 1.0)),
    _num("khalkhin_gol.soviet_effectiveness_summer",
         LogNormal(dist="lognormal", median=0.2, sigma=0.25), "ratio",
         JUDGEMENT + " §Khalkhin Gol (KG-15, KG-19 totals less CDB90-260)",
         "Soviet per-man effectiveness against Japanese attacks in May-July (IJA = 1)",
         (0.13, 0.3)),
    _num("khalkhin_gol.japanese_break_fraction", 0.62, "fraction",
         "CDB90-260 (11,500 of 30,000 lost)",
         "Strength (fraction of initial) at which the encircled Japanese force breaks",
         (0.5, 0.75), (0.0, 0.95)),
    _num("khalkhin_gol.offensive_max_days", 16.0, "days", "T4",
         "Longest the Soviet offensive can run before it is judged to have stalled", (12.0, 20.0),
         (1.0, 60.0)),
    _num("khalkhin_gol.forced_success_soviet_factor", 0.45, "ratio", JUDGEMENT + " §Khalkhin Gol",
         "Soviet effectiveness multiplier used when the outcome is forced to a Japanese success",
         (0.3, 0.7)),

    # --- beliefs: the Nomonhan shock -------------------------------------------------------------
    _num("belief.prior_soviet_power", 0.7, "ratio",
         "KG-28 (Kwantung staff's 'logistic limit' view); " + JUDGEMENT + " §Decision",
         "Japan's pre-Nomonhan estimate of Soviet combat power per man (IJA = 1)", (0.5, 0.9)),
    _frac("belief.learning_rate", 0.5, JUDGEMENT + " §Decision",
          "How far Khalkhin Gol's evidence moves Japan's estimate of Soviet power", (0.2, 0.8)),
    _num("belief.defeat_shock", 0.3, "ratio", JUDGEMENT + " §Decision (Coox; Goldman)",
         "Extra weight of a lost (or won) battle on the perceived Soviet power", (0.1, 0.5)),

    # --- diplomacy -------------------------------------------------------------------------------
    _bool("molotov_ribbentrop.enabled", True, "DIP-04", "Whether the Nazi-Soviet pact is signed"),
    _date("molotov_ribbentrop.date", D(1939, 8, 23), "DIP-04", "Date of the Nazi-Soviet pact"),
    _num("molotov_ribbentrop.cabinet_fall_days",
         Triangular(dist="triangular", low=3, mode=5, high=10), "days", "DIP-06",
         "Days from the pact to the fall of the Japanese cabinet", (3, 14), (0.0, 60.0)),
    _frac("molotov_ribbentrop.trust_after", 0.3, "DIP-05; " + JUDGEMENT + " §Decision",
          "Japan's trust in Germany after the pact (0 = none, 1 = full)", (0.1, 0.5)),
    _frac("germany.trust_initial", 0.8, "DIP-01; " + JUDGEMENT + " §Decision",
          "Japan's trust in Germany under the Anti-Comintern Pact", (0.6, 0.9)),
    _date("germany.tripartite_date", D(1940, 9, 27), "DIP-08", "Tripartite Pact"),
    _frac("germany.trust_after_tripartite", 0.55, "DIP-08; NP-05; " + JUDGEMENT + " §Decision",
          "Trust restored by the Tripartite Pact (never lowers trust)", (0.4, 0.7)),
    _bool("neutrality_pact.enabled", True, "NP-01", "Whether the Soviet-Japanese pact is signed"),
    _date("neutrality_pact.date", D(1941, 4, 13), "NP-01", "Date of the Neutrality Pact"),
    _frac("neutrality_pact.transfer_factor_without", 0.7, JUDGEMENT + " §Soviet Far East",
          "Soviet transfers west without the pact, as a share of those with it", (0.5, 0.9)),

    # --- embargo ---------------------------------------------------------------------------------
    _bool("embargo.enabled", True, "EMB-04", "Whether the US oil embargo is imposed"),
    _date("embargo.date", D(1941, 8, 1), "EMB-04 (assets frozen EMB-03)", "US oil ban",
          (D(1941, 7, 25), D(1941, 8, 15))),
    _num("embargo.import_loss_share", Triangular(dist="triangular", low=0.88, mode=0.9, high=0.93),
         "fraction", "EMB-05", "Share of oil imports cut off by the embargo", (0.88, 0.93),
         (0.0, 1.0)),
    _num("embargo.delay_without_southern_move_days", 120.0, "days", JUDGEMENT + " §Oil",
         "Delay of the embargo when Japan has not moved into southern Indochina by its date",
         (30.0, 365.0)),
    _date("embargo.licensing_date", D(1940, 7, 26), "EMB-01",
          "US export licensing of aviation fuel and scrap: from here Japan fears an embargo"),

    # --- China -----------------------------------------------------------------------------------
    _num("china.drain_multiplier", 1.0, "ratio", "CHN-04",
         "China war drain in men and oil (1 = historical, 0 = China settled)", (0.0, 1.5),
         (0.0, 3.0)),
    _num("china.garrison_men", Pert(dist="pert", low=600000, mode=700000, high=1000000), "men",
         "CHN-03", "Japanese troops held in China proper", (600000, 1000000)),
    _num("china.garrison_divisions", 22.0, "divisions", "CHN-01",
         "Divisions China pins down: the floor below which Japan loses ground", (22.0, 27.0),
         (1.0, None)),
    _num("china.settled_divisions", 8.0, "divisions", JUDGEMENT + " §China",
         "Occupation floor in China if the war were settled (drain 0)", (4.0, 12.0)),
    _num("china.dead_per_month", Triangular(dist="triangular", low=3300, mode=3440, high=3700),
         "men/month", "CHN-04 (185,647 dead 1937-41)", "Japanese dead in China a month",
         (3300, 3700)),
    _num("china.wounded_per_month", 9600.0, "men/month", "CHN-04 (520,000 wounded 1937-41)",
         "Japanese wounded in China a month (evacuated: replaced from home)", (8000.0, 11000.0)),
    _num("china.oil_mbbl_per_year", 3.0, "M bbl/yr", JUDGEMENT + " §Oil (share of OIL-07)",
         "Oil the China war burns a year at drain 1", (1.5, 5.0)),

    # --- Japan's manpower ------------------------------------------------------------------------
    _num("japan.men_manchuria_1939", 330000.0, "men", "JPN-03; KT-02; " + JUDGEMENT + " §Men",
         "Kwantung + Korea armies in January 1939", (250000.0, 420000.0)),
    _num("japan.men_home_1939", 300000.0, "men", JUDGEMENT + " §Men (JPN-02)",
         "Trained men at home (depots, reserves in training) in January 1939",
         (200000.0, 400000.0)),
    _num("japan.conscripts_per_month", 26000.0, "men/month", "JPN-02; " + JUDGEMENT + " §Men",
         "Men inducted a month in peacetime (reaches ~2.1 M by Dec 1941)", (18000.0, 35000.0)),
    _num("japan.war_conscripts_per_month", 45000.0, "men/month", JUDGEMENT + " §Men",
         "Men inducted a month once Japan fights the Western powers or the USSR",
         (30000.0, 70000.0)),
    _num("japan.divisions_1941", 51.0, "divisions", "JPN-01", "IJA divisions in Dec 1941",
         (41.0, 51.0)),
    _num("japan.home_divisions", 4.0, "divisions", "JPN-01; CHN-02", "Divisions kept at home",
         (2.0, 6.0)),

    # --- Kantokuen -------------------------------------------------------------------------------
    _bool("kantokuen.enabled", True, "KT-01",
          "Whether Japan mobilises in Manchuria once Germany attacks the USSR"),
    _frac("kantokuen.persimmon_threshold", 0.5, "KT-06",
          "Net reduction of Soviet Far East ground forces Japan required before attacking",
          (0.5, 0.67)),
    _num("kantokuen.peak_men", Triangular(dist="triangular", low=700000, mode=850000, high=850000),
         "men", "KT-03; KT-02", "Kwantung + Korea armies at the peak of the mobilisation",
         (700000, 850000)),
    _num("kantokuen.start_lag_days", 5.0, "days", "KT-01 (sanction 7 July after POL-03)",
         "Days from the conference to the start of the call-up", (0.0, 20.0)),
    _num("kantokuen.mobilisation_days", 35.0, "days", "KT-01; KT-03 (peak mid/late July)",
         "Days to bring the Kwantung Army to its peak", (20.0, 60.0), (1.0, 365.0)),
    _num("kantokuen.shipping_mgrt", 0.8, "M GRT", "KT-04",
         "Shipping a northern war ties up (800,000 t)", (0.6, 1.0)),
    _frac("kantokuen.deterrence", 0.3,
          JUDGEMENT + " §Soviet Far East (KT-05; FRUS 1941 v.4 doc 847)",
          "Share of Soviet transfers west held back while the Kwantung Army is mobilised",
          (0.1, 0.5)),
    _num("kantokuen.oil_mbbl_per_year", 3.0, "M bbl/yr", JUDGEMENT + " §Oil",
         "Extra oil a mobilised Kwantung Army burns a year", (1.0, 5.0)),

    # --- Barbarossa and the Soviet Far East ------------------------------------------------------
    _bool("barbarossa.enabled", True, "BAR-01", "Whether Germany attacks the USSR"),
    _date("barbarossa.date", D(1941, 6, 22), "BAR-01", "Start of the German invasion"),
    _num("barbarossa.pressure", 1.0, "ratio", JUDGEMENT + " §Soviet Far East",
         "Multiplier on German pressure on the USSR (1 = historical)", (0.5, 1.5), (0.0, 5.0)),
    _bool("barbarossa.moscow_falls", False,
          "BAR-02; BAR-03 (Moscow held: the switch is a counterfactual)",
          "Whether Moscow falls in the autumn of 1941"),
    _date("barbarossa.moscow_fall_date", D(1941, 11, 15), "BAR-02; " + JUDGEMENT,
          "When Moscow falls, if it does", (D(1941, 10, 15), D(1941, 12, 15))),
    _num("barbarossa.moscow_falls_pressure", 1.8, "ratio", JUDGEMENT + " §Soviet Far East",
         "German pressure after the fall of Moscow, relative to historical", (1.3, 2.5)),
    _date("barbarossa.typhoon_date", D(1941, 10, 2), "BAR-02", "Start of the drive on Moscow"),
    _date("barbarossa.counteroffensive_date", D(1941, 12, 5), "BAR-03",
          "Soviet counteroffensive at Moscow: German pressure eases"),
    _num("soviet_fe.men_1939", 480000.0, "men", JUDGEMENT + " §Soviet Far East (BC-13; SFE-01)",
         "Soviet Far East manpower in January 1939", (350000.0, 600000.0)),
    _num("soviet_fe.men_1941_06", Pert(dist="pert", low=650000, mode=703714, high=800000), "men",
         "SFE-01", "Soviet Far East manpower on 22 June 1941", (650000, 800000), (1000.0, None)),
    _num("soviet_fe.men_per_division", 6833.0, "men", "SFE-06 (123,000 men in 18 divisions)",
         "Men in one division sent west", (6000.0, 12000.0), (100.0, None)),
    _num("soviet_fe.transfer_divisions_per_month", 2.2, "divisions/month",
         "SFE-06; T11; " + JUDGEMENT + " §Soviet Far East",
         "Divisions sent west a month under historical German pressure", (1.5, 3.5)),
    _num("soviet_fe.transfer_sigma", 0.25, "log-sd", JUDGEMENT + " §Soviet Far East",
         "Spread of the monthly transfer rate from phase to phase", (0.1, 0.4)),
    _num("soviet_fe.sorge_release_divisions_per_month", 2.5, "divisions/month",
         "SFE-12; SFE-13; T11; " + JUDGEMENT, "Extra divisions released once Stalin believes "
         "Japan will not strike north", (1.0, 4.0)),
    _frac("intelligence.sorge_reliability", 0.85, "SFE-12; " + JUDGEMENT,
          "Chance that the autumn reports are received and believed", (0.5, 1.0)),
    _date("intelligence.sorge_date", D(1941, 10, 3), "SFE-12",
          "Report that Japan will not strike north before spring 1942"),
    _num("soviet_fe.mobilisation_men_per_month", 32000.0, "men/month",
         "SFE-10; " + JUDGEMENT + " §Soviet Far East",
         "Far East mobilisation back-filling transfers from 22 June 1941 to end 1942",
         (15000.0, 70000.0)),
    _frac("soviet_fe.minimum_share", 0.4, "SFE-11; " + JUDGEMENT + " §Soviet Far East",
          "Least share of its June 1941 strength Moscow leaves in the Far East", (0.3, 0.7)),
    _num("soviet_fe.late_war_pressure", 0.3, "ratio", "SFE-08; " + JUDGEMENT,
         "German pressure on Far East transfers from 1943 (relative to 1941)", (0.1, 0.6)),

    # --- decision --------------------------------------------------------------------------------
    _choice("decision.force", "free", ("free", "north", "south", "hold"), "T8 (counterfactuals)",
            "Force a policy from decision.force_date (free = let the model decide)"),
    _date("decision.force_date", D(1941, 8, 29), "KT-08",
          "Date the forced policy starts (a forced offensive is launched that day)"),
    _date("decision.conference_1_date", D(1940, 7, 27), "POL-01", "First policy conference"),
    _date("decision.conference_2_date", D(1941, 7, 2), "POL-03", "Second policy conference"),
    _date("decision.conference_3_date", D(1941, 9, 6), "POL-05", "Third policy conference"),
    _date("decision.conference_4_date", D(1941, 12, 1), "POL-07", "Fourth policy conference"),
    _num("decision.north_bias", 2.5, "utility", JUDGEMENT + " §Decision (T8)",
         "Constant in the utility of striking north", (1.0, 3.5), (None, None)),
    _num("decision.south_bias", -1.3, "utility", JUDGEMENT + " §Decision (T8)",
         "Constant in the utility of striking south (risk of war with the US)", (-3.0, 0.0),
         (None, None)),
    _num("decision.army_weight", 1.0, "utility", JUDGEMENT + " §Decision (NP-06; POL-03)",
         "Weight of the Army faction, which favoured the north", (0.5, 1.5)),
    _num("decision.navy_weight", 1.0, "utility", JUDGEMENT + " §Decision (POL-03)",
         "Weight of the Navy faction, which favoured the south", (0.5, 1.5)),
    _num("decision.w_soviet_power", 2.0, "utility", JUDGEMENT + " §Decision (KT-05)",
         "Weight of perceived Soviet Far East power against the north", (1.0, 3.0)),
    _num("decision.w_german", 1.5, "utility", JUDGEMENT + " §Decision (NP-06)",
         "Weight of German progress times trust in favour of the north", (0.5, 2.5)),
    _num("decision.w_persimmon", 1.0, "utility", JUDGEMENT + " §Decision (KT-06)",
         "Weight of the Soviet Far East drawdown against the persimmon threshold", (0.5, 4.0)),
    _num("decision.w_treaty", 0.5, "utility", JUDGEMENT + " §Decision (NP-01)",
         "Treaty cost of breaking the Neutrality Pact", (0.0, 1.5)),
    _num("decision.w_pact_security", 0.4, "utility", JUDGEMENT + " §Decision (NP-01)",
         "Security in Manchuria the pact gives a southern move", (0.0, 1.0)),
    _num("decision.w_oil", 2.2, "utility", JUDGEMENT + " §Decision (OIL-01; OIL-06)",
         "Weight of the oil need in favour of the south (and against the north)", (1.0, 3.5)),
    _num("decision.w_oil_north", 0.5, "utility", JUDGEMENT + " §Decision (OIL-12)",
         "Weight of the oil need against the north (no oil there)", (0.0, 1.5)),
    _num("decision.w_west", 1.5, "utility", JUDGEMENT + " §Decision (SOP-05)",
         "Weight of Western weakness in South-East Asia in favour of the south", (0.5, 2.5)),
    _num("decision.w_china", 0.5, "utility", JUDGEMENT + " §Decision (CHN-01)",
         "Weight of the China burden against any new war", (0.0, 1.5)),
    _num("decision.inertia", 0.7, "utility", JUDGEMENT + " §Decision",
         "Bonus of the policy already in force", (0.0, 1.5)),
    _num("decision.embargo_anticipation", 0.55, "fraction", "EMB-01; " + JUDGEMENT,
         "Threat of an embargo Japan feels once exports are licensed", (0.3, 0.8), (0.0, 1.0)),
    _num("decision.oil_comfort_months", 24.0, "months", "OIL-06",
         "War endurance of stocks at which Japan feels no oil pressure", (14.0, 36.0), (1.0, None)),
    _num("decision.fe_reference_ratio", 0.83, "ratio", "SFE-01; KT-03",
         "Far East/Kwantung force ratio of June 1941 (703,714 / 850,000)", (0.7, 1.0), (0.1, None)),

    # --- the northern campaign ------------------------------------------------------------------
    _date("north.window_decide_by", D(1941, 8, 10), "KT-07",
          "Decide-by date of the northern weather window (same day each year)"),
    _date("north.window_start", D(1941, 8, 29), "KT-08",
          "Planned start of a northern attack (same day each year)"),
    _date("north.window_end", D(1941, 10, 15), "KT-08 (finish by mid-October)",
          "End of the campaigning season in the north (same day each year)"),
    _date("north.spring_start", D(1942, 5, 15), "SFE-12 ('not before March 1942'); " + JUDGEMENT,
          "Start of the spring campaigning season (same day each year)"),
    _frac("north.field_share", 0.75, JUDGEMENT + " §North (KT-04: 22 of the Kwantung divisions)",
          "Share of Kwantung + Korea men in the attacking field force", (0.6, 0.85)),
    _num("north.soviet_effectiveness", LogNormal(dist="lognormal", median=1.3, sigma=0.2), "ratio",
         "SFE-03 (3,188 tanks); CDB90-260; " + JUDGEMENT + " §North",
         "Soviet per-man effectiveness in a 1941 northern war (IJA = 1)", (0.9, 1.8)),
    _num("north.intensity", 1.0, "ratio", "CDB90-260; " + JUDGEMENT,
         "Intensity of northern battles relative to Dupuy's base rates", (0.6, 1.4)),
    _num("north.japanese_break_fraction", 0.7, "fraction", JUDGEMENT + " §North",
         "Strength at which a Japanese offensive stops (fraction of its start)", (0.6, 0.8),
         (0.0, 0.95)),
    _num("north.soviet_break_fraction", 0.55, "fraction", JUDGEMENT + " §North",
         "Strength at which a Soviet sector defence gives way", (0.4, 0.7), (0.0, 0.95)),
    _num("north.rail_men_per_day", 2500.0, "men/day", "KG-26; MAN-02 (136,000 railcars); "
         + JUDGEMENT + " §North", "Soviet reinforcements over the Trans-Siberian at pressure 1",
         (1000.0, 5000.0)),
    _num("north.static_casualties_per_month", 8000.0, "men/month", JUDGEMENT + " §North",
         "Japanese casualties a month on a static northern front", (3000.0, 15000.0)),
    _num("north.oil_consumption_factor", 0.85, "ratio", JUDGEMENT + " §Oil",
         "War oil consumption in a northern war relative to the southern war", (0.6, 1.1)),

    # --- the southern operation ------------------------------------------------------------------
    _date("south.earliest_launch_date", D(1941, 12, 7), "POL-08",
          "Earliest date the fleet and the Southern Army can strike"),
    _num("south.min_preparation_days", 92.0, "days", "POL-05; POL-08",
         "Days from a southern decision to the attack", (60.0, 158.0), (0.0, 400.0)),
    _num("south.indochina_lag_days", 26.0, "days", "POL-03; POL-04",
         "Days from the southern decision to the move into southern Indochina", (20.0, 40.0)),
    _num("south.singapore_days", 70.0, "days", "SOP-02", "Malaya-Singapore campaign at historical "
         "forces", (55.0, 85.0), (10.0, 400.0)),
    _num("south.dei_days", 91.0, "days", "SOP-08", "Days from the attack to the Dutch capitulation",
         (90.0, 95.0), (10.0, 500.0)),
    _num("south.philippines_days", 150.0, "days", "SOP-06",
         "Days from the attack to the fall of Corregidor", (150.0, 153.0), (10.0, 600.0)),
    _num("south.pace_sigma", 0.1, "log-sd", "T14; " + JUDGEMENT + " §South",
         "Spread of the campaign pace around the historical", (0.05, 0.2)),
    _num("south.western_aircraft", 158.0, "aircraft", "SOP-05",
         "British first-line aircraft in Malaya", (158.0, 336.0)),
    _num("south.western_aircraft_required", 336.0, "aircraft", "SOP-05",
         "Aircraft the British Chiefs of Staff judged necessary", (336.0, 582.0), (1.0, None)),
    _num("south.army_men", 400000.0, "men", "SOP-01", "Southern Army incl. support",
         (250000.0, 400000.0)),
    _num("south.divisions", 10.0, "divisions", "SOP-01", "Southern Army divisions", (10.0, 11.0),
         (1.0, None)),
    _num("south.shipping_mgrt", 3.0, "M GRT", "JPN-10 (3.71 requisitioned Dec 1941); "
         + JUDGEMENT, "Shipping the southern war ties up", (2.5, 3.7)),
    _num("south.conquest_casualties", 24000.0, "men", "SOP-04; SOP-07; " + JUDGEMENT,
         "Japanese casualties of the first phase at historical pace (Malaya, Philippines, DEI)",
         (20000.0, 32000.0)),
    _num("south.casualties_per_month", 10000.0, "men/month", JUDGEMENT + " §South",
         "Japanese casualties a month in the Pacific war after the first phase",
         (5000.0, 20000.0)),

    # --- oil -------------------------------------------------------------------------------------
    _num("oil.stock_1939", 27.0, "M bbl", "OIL-04; OIL-09; " + JUDGEMENT + " §Oil (worked back)",
         "Japan's oil stock on 1 January 1939", (25.0, 45.0)),
    _num("oil.imports_mbbl_per_year", 37.2, "M bbl/yr", "OIL-02", "Oil imports before the embargo",
         (30.0, 40.0)),
    _num("oil.domestic_mbbl_per_year", 3.0, "M bbl/yr", "OIL-03 (+ ~1.1 synthetic)",
         "Domestic crude and synthetic oil", (2.5, 3.8)),
    _num("oil.peace_consumption", 26.0, "M bbl/yr", "OIL-07 (less the China war share)",
         "Consumption at peace tempo, excluding the China war", (23.0, 38.0)),
    _num("oil.war_consumption", 24.0, "M bbl/yr", "OIL-08; T15",
         "Consumption from home stocks at war tempo, excluding the China war", (18.0, 30.0)),
    _num("oil.ration_stock", 30.0, "M bbl", JUDGEMENT + " §Oil (T15)",
         "Stock below which consumption is rationed", (15.0, 45.0), (1.0, None)),
    _frac("oil.ration_floor", 0.4, JUDGEMENT + " §Oil (T15)",
          "Consumption share left when stocks run out", (0.2, 0.6)),
    _num("oil.dei_mbbl_per_year", Triangular(dist="triangular", low=58, mode=60, high=65),
         "M bbl/yr", "OIL-11", "Dutch East Indies crude output before the war", (58, 65)),
    _num("oil.dei_damage", Triangular(dist="triangular", low=0.2, mode=0.5, high=0.8), "fraction",
         "OIL-15", "Share of DEI output destroyed at capture", (0.2, 0.8), (0.0, 1.0)),
    _num("oil.restoration_months", 12.0, "months", "OIL-15 (Yergin); " + JUDGEMENT,
         "Time constant of restoring damaged DEI output", (6.0, 24.0), (0.5, None)),
    _frac("oil.southern_local_use", 0.6, JUDGEMENT + " §Oil (OIL-13)",
          "Share of southern output used in the south (fleet, army) and not shipped home",
          (0.4, 0.75)),
    _num("oil.sakhalin_mbbl_per_year", Triangular(dist="triangular", low=0.8, mode=0.8, high=1.0),
         "M bbl/yr", "OIL-12", "Northern Sakhalin output if captured", (0.8, 1.0)),

    # --- shipping --------------------------------------------------------------------------------
    _num("shipping.merchant_fleet_mgrt",
         Triangular(dist="triangular", low=5.6, mode=6.3, high=6.32),
         "M GRT", "JPN-09", "Merchant fleet at the outbreak of war", (5.6, 6.32)),
    _num("shipping.civil_minimum_mgrt", 3.0, "M GRT", "JPN-10",
         "Shipping the civil economy cannot do without", (3.0, 3.5)),
    _num("shipping.elasticity", 2.0, "ratio", JUDGEMENT + " §Logistics",
         "How hard a shipping shortfall cuts operations (effect = supplied share ^ elasticity)",
         (1.0, 3.0)),
    _num("shipping.tanker_t", 587000.0, "t", "OIL-16", "Tanker fleet at the outbreak (49 ships)",
         (450000.0, 700000.0)),
    _num("shipping.tanker_voyages_per_year", 8.0, "voyages/yr", JUDGEMENT + " §Oil",
         "Round trips a tanker makes between the south and Japan a year", (6.0, 10.0)),
    _frac("shipping.tanker_home_share", 0.55, JUDGEMENT + " §Oil (OIL-13)",
          "Share of tanker capacity carrying oil home (the rest fuels the fleet)", (0.3, 0.7)),
    _num("shipping.loss_rate_1942", Triangular(dist="triangular", low=0.13, mode=0.15, high=0.17),
         "1/yr", "JPN-11 (0.8-1.1 M t of 6.3 M in year 1)",
         "Fraction of shipping sunk in the first year of the Pacific war", (0.13, 0.17),
         (0.0, 1.0)),
    _num("shipping.loss_growth", 2.0, "ratio", "JPN-11 (8.62 M GRT lost 1941-45); " + JUDGEMENT,
         "Growth of the yearly sinking rate from one year to the next", (1.5, 3.0)),
]


#: The combat kernel's calibrated defaults (``combat.*``) are owned by the kernel.
REGISTRY = Registry(MODEL_PARAMS + list(COMBAT_PARAMS))
