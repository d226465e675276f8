"""The documented figures the model is built on, carried into the package.

Every parameter default in :mod:`sim.registry` whose ``source`` names an ID (``KG-15``,
``OIL-04``, ``T8``) finds that ID here, with its best value, credible range, the published
source and a reliability grade (A primary or specialist monograph; B encyclopedic aggregation
of A-level work; C popular history; D pointer only).  Backtests, the documentation and the
trace's "closest to history" read the targets (:data:`TARGETS`) from this module, so the
product stands alone and a historian can check a number without leaving the repository.
"""

from __future__ import annotations

import datetime as dt
import re

from sim.reference_rows import BacktestTarget, Reference, Value

R = Reference

REFERENCES: tuple[Reference, ...] = (
    # --- Khalkhin Gol / Nomonhan, 1939 -------------------------------------------------
    R("KG-01", "Khalkhin Gol duration", "date", "1939-05-11", "1939-05-11", "1939-09-16",
      "WP 'Battles of Khalkhin Gol' infobox; Otago Daily Times 18 Sept 1939", "A/B"),
    R("KG-02", "Khalkhin Gol ceasefire (fire ceases 02:00)", "date", "1939-09-16",
      "1939-09-15", "1939-09-16", "Otago Daily Times 18 Sept 1939 (UP/TASS text)", "A"),
    R("KG-03", "Soviet-Mongol manpower, late Aug 1939", "men", 57000, 50000, 73961,
      "Suvorov, Chief Culprit p.158 (Zhukov's count); WP", "B"),
    R("KG-04", "Soviet tanks, Aug 1939", "tanks", 498, 498, 550, "WP; Suvorov", "B"),
    R("KG-06", "Soviet artillery, 20 Aug 1939", "guns", 502, 500, 634, "historyback; WP", "B"),
    R("KG-07", "Soviet aircraft available", "aircraft", 550, 515, 581, "Suvorov; WP", "B"),
    R("KG-08", "Soviet trucks", "vehicles", 4000, 2600, 4000,
      "WP; ResearchGate-hosted essay (4,000 trucks moved 50,000 t)", "B/C"),
    R("KG-09", "Japanese manpower on the battlefield", "men", 30000, 20000, 38000,
      "WP infobox versions; Moshchansky (38,000 in July)", "B"),
    R("KG-12", "Japanese artillery", "guns", 300, 300, 300, "WP", "B"),
    R("KG-13", "Japanese trucks", "vehicles", 900, 700, 1000,
      "WP (1,000); ResearchGate essay (800)", "B/D"),
    R("KG-14", "Japanese casualties, official 1939-40", "men", 17206, 17206, 17206,
      "hjnahistoria; WP 2006 revision", "B"),
    R("KG-15", "Japanese combat casualties (Army medical records, Coox)", "men", 17364, 17206,
      17716, "Coox, Nomonhan (1985) via WP infobox", "B"),
    R("KG-19", "Soviet casualties, archival (Krivosheev-type)", "men", 25655, 24900, 28169,
      "Krivosheev via WP infobox; Smirnov", "B"),
    R("KG-20", "Mongolian casualties", "men", 556, 556, 990, "WP", "B"),
    R("KG-21", "Soviet:Japanese casualty ratio", "ratio", 1.45, 1.2, 1.6,
      "derived from KG-15, KG-19", "-"),
    R("KG-25", "Soviet decisive offensive", "date", "1939-08-20", "1939-08-20", "1939-08-31",
      "WP mirror (liquisearch); Suvorov p.153", "B"),
    R("KG-26", "Soviet railhead-to-front truck leg", "km", 675, 650, 750,
      "Suvorov, Chief Culprit p.158 (round trip ~5 days)", "C"),
    R("KG-27", "Soviet supply lift before the offensive", "t", 50000, 50000, 50000,
      "ResearchGate-hosted essay", "C"),
    R("KG-28", "Japanese supply distance (railhead Hailar)", "km", 175, 150, 200,
      "WP mirror (liquisearch); Goldman/Coox excerpt", "B"),
    R("KG-29", "Force ratio on 20 Aug 1939", "ratio", 2.0, 2.0, 2.0,
      "ResearchGate essay; liquisearch", "B/C"),
    R("CDB90-260", "Nomonhan Soviet counteroffensive (CDB90 row 260)", "men",
      "57,000 vs 30,000; casualties 10,000 vs 11,500; 12 days", None, None,
      "US Army CAA CDB90 land-battle database (public domain)", "B"),
    R("BC-16", "Lake Khasan Japanese casualties", "men", 1439, 1439, 3000,
      "WP 'Battle of Lake Khasan'", "B"),
    R("BC-13", "Lake Khasan Soviet forces", "men", 22950, 22950, 32000,
      "WP 'Battle of Lake Khasan'", "B"),
    R("DIP-05", "Japanese protest at the Nazi-Soviet pact", "date", "1939-08-25", None, None,
      "Encyclopedia of World History (2001)", "B"),
    R("NP-04", "Soviet declaration of war on Japan", "date", "1945-08-08", None, None, "WP", "B"),
    R("NP-05", "Matsuoka's pre-pact assurance to Germany", "date", "1941-03-27", "1941-03-26",
      "1941-03-27", "military-review citing German records", "C"),
    R("KT-05", "Japanese intelligence estimate of the Soviet Far East grouping", "men", 700000,
      None, None, "Koshkin", "B"),
    R("SFE-08", "Transbaikal Front men sent west, Sept 1941 - Jan 1945", "men", 300000, None,
      None, "WP 'Transbaikal Front'", "B"),
    R("CHN-02", "Share of IJA divisions in China proper, Dec 1941", "fraction", 0.43, 0.43, 0.53,
      "derived (22/51; 27/51)", "-"),
    R("MAN-02", "Soviet forces, Manchuria Aug 1945 (moved east on ~136,000 railcars)", "men",
      1577725, 1577725, 1593725, "WP; Suvorov; Toll", "B"),
    # --- Diplomacy ------------------------------------------------------------------------
    R("DIP-01", "Anti-Comintern Pact", "date", "1936-11-25", None, None, "IMTFE doc. 6907", "B"),
    R("DIP-04", "Molotov-Ribbentrop pact", "date", "1939-08-23", None, None,
      "IMTFE doc. 6907; FRUS 1939 v.4", "A"),
    R("DIP-06", "Hiranuma cabinet resigns (5 days after the pact)", "date", "1939-08-28", None,
      None, "FRUS 1939 v.4 doc 530 (Dooman)", "A"),
    R("DIP-08", "Tripartite Pact", "date", "1940-09-27", None, None, "general", "B"),
    R("DIP-09", "Liaison Conference: 'General Principles'", "date", "1940-07-27", None, None,
      "Japanese Monograph 146 App. 2", "A"),
    R("NP-01", "Soviet-Japanese Neutrality Pact signed", "date", "1941-04-13", None, None,
      "WP; rusarchives.ru (RGASPI)", "A"),
    R("NP-06", "Matsuoka urges an immediate attack on the USSR", "date", "1941-06-22", None, None,
      "Hotta, Japan 1941 ch.5-6; FRUS 1941 v.4 doc 191", "B"),
    # --- Kantokuen --------------------------------------------------------------------------
    R("KT-01", "Imperial sanction of Kantokuen (partial)", "date", "1941-07-07", None, None,
      "WP 'Kantokuen'", "B"),
    R("KT-02", "Kwantung Army strength before/after Kantokuen", "men", 700000, 400000, 700000,
      "Hasegawa, Racing the Enemy (Russian ed.)", "B"),
    R("KT-03", "Kwantung + Korea armies after the 2nd call-up", "men", 850000, 700000, 850000,
      "Koshkin/Cherevko", "B"),
    R("KT-04", "General Staff requirement for war with the USSR", "t shipping", 800000, None, None,
      "WP 'Kantokuen' (22 divisions, 850,000 men, 800,000 t of shipping)", "B"),
    R("KT-06", "Kantokuen attack condition: share of Soviet FE forces gone", "fraction", 0.5, 0.5,
      0.67, "Koshkin; WP/Japanese secondary", "B"),
    R("KT-07", "Decision date for a northern war", "date", "1941-08-10", None, None,
      "chernayakobra (IGHQ secret diary)", "C"),
    R("KT-08", "Planned start of hostilities (finish by mid-Oct)", "date", "1941-08-29",
      "1941-08-29", "1941-09-10", "chernayakobra; booksonline", "C"),
    R("KT-09", "Kantokuen cancelled", "date", "1941-08-09", "1941-08-09", "1941-08-15",
      "WP infobox; Miyagi testimony", "B"),
    R("KT-11", "Kwantung Army divisions, Dec 1941", "divisions", 13, 13, 15,
      "globalsecurity ORBAT 7 Dec 1941 (+2 in Korea)", "B"),
    # --- Soviet Far East -----------------------------------------------------------------------
    R("SFE-01", "Soviet Far East manpower, 22 June 1941", "men", 703714, 650000, 800000,
      "52shijing (Soviet data); Koshkin (Japanese estimate 700k)", "C/B"),
    R("SFE-03", "Soviet FE tanks, 22 June 1941", "tanks", 3188, 3188, 3188, "52shijing", "C"),
    R("SFE-05", "Soviet FE divisions", "divisions", 30, 30, 32, "scalar.usc.edu", "C"),
    R("SFE-06", "FE divisions moved west 22 June - 5 Dec 1941", "divisions", 18, 12, 20,
      "RZD history; Koshkin (~123,000 men at 92% strength)", "B"),
    R("SFE-07", "Share of FE manpower moved west by Dec 1941", "fraction", 0.17, 0.10, 0.25,
      "derived (123k / 704k)", "-"),
    R("SFE-10", "Soviet FE strength, late 1941", "men", 1000000, 600000, 1340000,
      "Borkov letter to Stalin 10 Oct 1941; FRUS 1941 v.4 doc 847", "C/D"),
    R("SFE-11", "Soviet Far East strength, 1 Jan 1944 (Soviet published)", "men", 1162991, None,
      None, "360doc (citing postwar Japanese/Soviet publications)", "C"),
    R("SFE-12", "Sorge reports that Japan will not strike north", "date", "1941-10-03",
      "1941-09-11", "1941-10-04", "Russian Sorge biography (ZhZL)", "B"),
    R("SFE-13", "Stalin-Apanasenko meeting on transfers", "date", "1941-10-12", None, None,
      "RZD history", "B"),
    # --- Imperial Conferences and the south -------------------------------------------------
    R("POL-01", "Liaison Conference (southern advance by opportunity)", "date", "1940-07-27",
      None, None, "JM-146 App. 2", "A"),
    R("POL-03", "Imperial Conference: south, north conditional", "date", "1941-07-02", None, None,
      "JACAR; IMTFE; FRUS 1941 v.4 doc 191", "A"),
    R("POL-04", "Southern Indochina occupied (landings from 28 July)", "date", "1941-07-28",
      None, None, "JACAR pop_13", "A/C"),
    R("POL-05", "Imperial Conference: war preparations by late Oct", "date", "1941-09-06", None,
      None, "IMTFE nodes 1027 & 3070", "A"),
    R("POL-07", "Imperial Conference: war decided", "date", "1941-12-01", None, None,
      "Tojo affidavit", "C"),
    R("POL-08", "Attacks on Pearl Harbor, Malaya, the Philippines", "date", "1941-12-07",
      "1941-12-07", "1941-12-08", "-", "-"),
    R("SOP-01", "Southern Army forces", "divisions", 11, 10, 11,
      "globalsecurity ORBAT; ~250,000 combat / ~400,000 total", "B"),
    R("SOP-02", "Malaya-Singapore campaign", "days", 70, 70, 70, "Blackburn & Hack", "A/B"),
    R("SOP-04", "Malaya campaign Japanese casualties", "men", 9657, 9657, 9657,
      "ww2-weapons diary; Smith, Singapore Burning (3,507 KIA + 6,150 WIA)", "B/C"),
    R("SOP-05", "British first-line aircraft in Malaya, Dec 1941 (Chiefs of Staff wanted 336)",
      "aircraft", 158, 158, 218, "ww2aircraft.net list; Brooke-Popham despatch", "A/C"),
    R("SOP-06", "Philippines: fall of Corregidor", "date", "1942-05-06", "1942-05-06",
      "1942-05-09", "WP mirrors (piglix)", "B"),
    R("SOP-07", "Philippines Japanese casualties", "men", 11000, 11225, 19000, "piglix", "B"),
    R("SOP-08", "Dutch East Indies capitulation", "date", "1942-03-08", "1942-03-08",
      "1942-03-12", "codenames.info; combinedfleet", "B"),
    # --- Barbarossa -------------------------------------------------------------------------
    R("BAR-01", "Barbarossa begins", "date", "1941-06-22", None, None, "codenames.info", "B"),
    R("BAR-02", "Typhoon (drive on Moscow) begins", "date", "1941-10-02", "1941-09-30",
      "1941-10-02", "codenames.info; preceden timeline", "B/C"),
    R("BAR-03", "Soviet counteroffensive at Moscow", "date", "1941-12-05", "1941-12-05",
      "1941-12-06", "pobeda-mir; sputnikimages", "B"),
    # --- Embargo, oil, shipping --------------------------------------------------------------
    R("EMB-01", "US export licensing of aviation fuel and scrap", "date", "1940-07-26",
      "1940-07-22", "1940-07-31", "timeghost (UP 26 July 1940)", "C"),
    R("EMB-03", "Japanese assets frozen (US, UK)", "date", "1941-07-26", "1941-07-25",
      "1941-07-26", "JACAR pop_13", "A"),
    R("EMB-04", "US ban on oil exports", "date", "1941-08-01", None, None, "JACAR pop_13", "A"),
    R("EMB-05", "Share of oil imports lost to the embargo", "fraction", 0.90, 0.88, 0.93,
      "historicworldevents; ww2days", "C"),
    R("OIL-01", "US share of Japan's oil imports", "fraction", 0.80, 0.65, 0.90,
      "statista; whatwhen; rfraley", "C"),
    R("OIL-02", "Oil imports 1940", "M bbl/yr", 37.2, 37.2, 37.2,
      "luzinde.com (USSBS-derived tables)", "B/C"),
    R("OIL-03", "Domestic crude production (+ ~1.1 synthetic)", "M bbl/yr", 2.0, 1.9, 2.7,
      "luzinde; go.tvm", "B/C"),
    R("OIL-04", "Oil stocks at the outbreak of war", "M bbl", 49, 36, 61,
      "USSBS Oil Report p.16; luzinde; Iwama (JOGMEC)", "A/B"),
    R("OIL-06", "Wartime endurance of stocks without imports", "months", 14, 6, 18,
      "UK MEW via Chatham House 1942; histclo", "C"),
    R("OIL-07", "Normal peacetime consumption", "M bbl/yr", 29, 26, 41,
      "Chatham House Bulletin 1942", "B"),
    R("OIL-08", "Home-islands consumption 1942 (derived)", "M bbl/yr", 23, 20, 30,
      "derived from luzinde", "-"),
    R("OIL-09", "Stock run-down end-1941..1945", "M bbl", "48.9, 38.2, 25.3, 13.8, 5.0", None,
      None, "luzinde (USSBS-derived)", "B/C"),
    R("OIL-11", "Dutch East Indies crude output 1940", "M bbl/yr", 60, 58, 65,
      "luzinde; USSBS p.45", "B"),
    R("OIL-12", "North Sakhalin concession output", "M bbl/yr", 0.8, 0.8, 1.0,
      "Pacific War Online Encyclopedia 'Okha'; histclo", "B"),
    R("OIL-13", "Oil imports to Japan 1942-44", "M bbl/yr", "10.5, 14.5, 5.0", None, None,
      "luzinde", "B/C"),
    R("OIL-15", "Palembang refineries after capture (NKPM ~80% destroyed)", "fraction", 0.5,
      0.2, 0.8, "combinedfleet.com (Hackett); empireofhistory", "B"),
    R("OIL-16", "Tanker fleet at outbreak", "t", 587000, 587000, 587000,
      "Francis Pike, Hirohito's War appendix (49 ships)", "B"),
    R("JPN-01", "IJA divisions, Dec 1941", "divisions", 51, 41, 51, "globalsecurity ORBAT", "B"),
    R("JPN-02", "IJA personnel 1941", "men", 2100000, 1700000, 2250000,
      "enemyinmirror; quartermastersection", "C"),
    R("JPN-03", "Kwantung Army strength (mid-1941 ~400,000)", "men", 400000, 400000, 400000,
      "Lopukhovsky; Hasegawa", "B"),
    R("JPN-09", "Japanese merchant fleet at outbreak", "M GRT", 6.3, 5.6, 6.32,
      "Williams (Routledge); enokie", "B"),
    R("JPN-10", "Civil shipping minimum", "M GRT", 3.0, 3.0, 3.5, "enokie (Hinkoku data)", "B/C"),
    R("JPN-11", "Expected shipping sinkings (year 1; years 2-3 0.7-0.8)", "M t/yr", 0.95, 0.8,
      1.1, "Toll, Twilight of the Gods; USNI 1956 (8.62 M GRT lost 1941-45)", "B"),
    # --- China ---------------------------------------------------------------------------------
    R("CHN-01", "Japanese divisions in China proper, Dec 1941", "divisions", 22, 22, 27,
      "globalsecurity ORBAT", "B"),
    R("CHN-03", "Japanese troops in China, 1941", "men", 700000, 600000, 1000000,
      "Hastings, Inferno; ww2-weapons", "C"),
    R("CHN-04", "Japanese dead in China 1937-41 (+520,000 wounded)", "men", 185647, 180000,
      200000, "Japanese estimates (WP infobox); Hastings", "B"),
)

TARGETS: tuple[BacktestTarget, ...] = (
    BacktestTarget("T1", "Khalkhin Gol Japanese combat casualties", 17400, 15000, 21000,
                   ("KG-14", "KG-15")),
    BacktestTarget("T2", "Khalkhin Gol Soviet+Mongol casualties", 26000, 23000, 29500,
                   ("KG-19", "KG-20")),
    BacktestTarget("T3", "Soviet/Japanese casualty ratio at Khalkhin Gol", 1.45, 1.2, 1.7,
                   ("KG-21",)),
    BacktestTarget("T4", "Soviet decisive offensive length (days); ceasefire by 30 Sept 1939",
                   12, 8, 16, ("KG-02", "KG-25")),
    BacktestTarget("T6", "Days from the Nazi-Soviet pact to the fall of the Japanese cabinet",
                   5, 0, 14, ("DIP-06",)),
    BacktestTarget("T7", "Neutrality Pact concluded", "1941-04-13", "1941-03-01", "1941-05-31",
                   ("NP-01",)),
    BacktestTarget("T8", "Share of historical runs in which Japan goes south", 1.0, 0.7, 1.0,
                   ("POL-03",)),
    BacktestTarget("T9", "Kantokuen peak mobilisation (men)", 850000, 650000, 900000,
                   ("KT-02", "KT-03")),
    BacktestTarget("T10", "North strike called off: no northern attack in 1941", "1941-08-09",
                   None, "1941-08-31", ("KT-07", "KT-08", "KT-09")),
    BacktestTarget("T11", "Share of Soviet FE manpower moved west by Dec 1941 (<0.25 by mid-Aug,"
                   " never >= 0.5 by Aug)", 0.17, 0.10, 0.25, ("SFE-06", "SFE-07")),
    BacktestTarget("T14", "Days from the southern attack to the fall of Singapore (DEI by "
                   "31 Mar 1942, Philippines by 31 May 1942)", 70, 55, 85,
                   ("SOP-02", "SOP-06", "SOP-08")),
    BacktestTarget("T15", "Japan's oil stock end-1941..1945 (M bbl), +-20% each year; "
                   "first-year draw 8-13", "48.9, 38.2, 25.3, 13.8, 5.0", None, None,
                   ("OIL-09",)),
)

#: Year-end oil stocks of OIL-09, the T15 target (M bbl).
OIL_STOCK_TARGETS: dict[int, float] = {1941: 48.9, 1942: 38.2, 1943: 25.3, 1944: 13.8, 1945: 5.0}

from sim.reference_war import WAR_REFERENCES, WAR_TARGETS  # noqa: E402

REFERENCES = REFERENCES + WAR_REFERENCES
TARGETS = TARGETS + WAR_TARGETS

BY_ID: dict[str, Reference] = {r.id: r for r in REFERENCES}
TARGET_BY_ID: dict[str, BacktestTarget] = {t.id: t for t in TARGETS}

#: What an ID looks like inside a ``source`` string: ``KG-15``, ``OIL-04``, ``T8``, ``CDB90-260``.
ID_PATTERN = re.compile(r"\b(?:[A-Z]{2,5}[0-9]*-[0-9]+[a-z]?|T[0-9]{1,2})\b")


def cited_ids(text: str) -> list[str]:
    """The reference IDs a source string names."""
    return ID_PATTERN.findall(text)


def lookup(ref_id: str) -> Reference | BacktestTarget:
    """The reference or backtest target with this ID; ``KeyError`` if it is not documented."""
    if ref_id in BY_ID:
        return BY_ID[ref_id]
    return TARGET_BY_ID[ref_id]


def as_date(value: Value) -> dt.date:
    """A reference value that holds an ISO date, as a date."""
    return dt.date.fromisoformat(str(value))
