"""The documented figures of 1938 and 1941-45 the consequences model is built on (the Eastern
Front, the United States' responses, Japan's decision record conference by conference, force
levels, shipping, the Soviet Far East to 1945), carried into the package beside
:mod:`sim.reference` with the same layout: best value, credible range, source, grade.

This module is data; :mod:`sim.reference` joins its rows and targets to the 1939-41 ones.
"""

from __future__ import annotations

from sim.reference_rows import BacktestTarget, Reference

R = Reference

WAR_REFERENCES: tuple[Reference, ...] = (
    # --- Eastern Front 1941-43 ----------------------------------------------------------------
    R("EF-01", "German Army Group Centre at the start of Typhoon (1-2 Oct 1941)", "men",
      1900000, 1000000, 1929000, "Stahel, Operation Typhoon (CUP 2013); WP 'Battle of Moscow'",
      "A/B"),
    R("EF-03", "Soviet Western, Reserve and Bryansk Fronts, 1 Oct 1941", "men", 1250000,
      1250000, 1400000, "Stahel; WP infobox; TASS 2023", "A/B"),
    R("EF-08", "Soviet field armies, 1 Dec 1941", "men", 4200000, None, None,
      "Ziemke & Bauer, Moscow to Stalingrad (US Army CMH) ch. III", "A"),
    R("EF-09", "Red Army strength on 22 June 1941", "men", 5373000, 5373000, 5700000,
      "Rotundo, 'Russian Reserves in the 1941 Campaign' (Military Affairs 1985) Table 2", "A/B"),
    R("EF-11", "New Soviet divisions formed 22 Jun - 1 Dec 1941 (+84 brigades)", "divisions",
      194, None, None, "Glantz & House, When Titans Clashed", "B"),
    R("EF-13", "Soviet losses 22 Jun - 31 Dec 1941 (irrecoverable + wounded)", "men", 4473820,
      None, None, "Krivosheev (via WP)", "B"),
    R("EF-14", "Far Eastern divisions that fought at Moscow", "divisions", 9, 8, 18,
      "RZD history; Askey; Isaev; SFE-06", "B"),
    R("EF-15", "Far East share of the Moscow counteroffensive's 71 divisions", "fraction", 0.13,
      0.11, 0.25, "derived: EF-14 / EF-12 (71 divisions)", "-"),
    R("EF-16", "Case Blue: Axis forces, 28 Jun 1942", "men", 1300000, 1300000, 1370287,
      "WP 'Case Blue' mirrors", "B"),
    R("EF-17", "Case Blue: Soviet forces at the start (+1 M in reserve)", "men", 1715000, None,
      None, "WP 'Case Blue' mirrors", "B"),
    R("EF-18", "OKW Directive No. 24: bring Japan in (Singapore)", "date", "1941-03-05", None,
      None, "OKW Weisung Nr. 24; Nazi Conspiracy & Aggression C-75", "A"),
    R("EF-19", "Ribbentrop to Ott: Japan must settle Vladivostok and Siberia", "date",
      "1941-07-10", None, None, "IMT 2896-PS, 2897-PS", "A"),
    R("EF-20", "Later German requests for a northern strike (9 Jul 1942; 6 Mar 1943), refused",
      "date", "1942-07-09", "1942-07-09", "1943-03-06", "IMT transcript 10 Dec 1945 (2954-PS)",
      "A"),
    # eastern front
    R("EF-02", "Army Group Centre at Typhoon: tanks (derived midpoint) / guns / serviceable "
      "aircraft", "tanks", 1700, 1000, 2470, "WP 'Battle of Moscow' infobox; Adobe Spark summary",
      "B/C"),
    R("EF-04", "Soviet losses, Moscow defensive operation (30 Sep - 5 Dec 1941)", "men", 658279,
      None, None, "Krivosheev via WP infobox", "B"),
    R("EF-05", "Soviet losses, Moscow counteroffensive (5 Dec 1941 - 7 Jan 1942)", "men", 370955,
      None, None, "Krivosheev via WP", "B"),
    R("EF-06", "German losses, Army Group Centre, Oct 1941 - Jan 1942", "men", 174194, 174194,
      581000, "WP 'Battle of Moscow' (monthly figures); Russian estimate (high)", "B"),
    R("EF-07", "Germans at the Moscow counteroffensive", "men", 940000, None, None,
      "Fire Direction Center blog; WP (aircraft)", "C/B"),
    R("EF-10", "Soviet reservists called up by end-June 1941", "men", 5300000, None, None,
      "Glantz & House, When Titans Clashed", "B"),
    R("EF-12", "Moscow counteroffensive: armies / divisions (3 tank, 1 motorised)", "divisions",
      71, None, None, "Rotundo (Europa reprint); 1941su blog", "A/B/C"),
    R("EF-21", "Oshima: the outcome of the war on the USSR 'can be unerringly foretold'", "date",
      "1941-11-28", None, None, "Oshima to Tokyo #1393, 29 Nov 1941 (IMTFE doc. 6907)", "A"),
    R("SFE-17", "Far East and Transbaikal divisions at Stalingrad, 1942 (examples only)",
      "divisions", 5, None, None, "readli (205th RD); ok.ru (116th, 304th, 321st, 399th RD)",
      "C"),
    R("CF-1", "Moscow counterfactual: 194 new divisions and 84 brigades let the Red Army lose "
      "100+ divisions and fight on", "grade", "B", None, None,
      "Glantz & House, When Titans Clashed", "B"),
    R("CF-2", "Moscow counterfactual: 'Siberian divisions saved Moscow' is largely a myth",
      "grade", "B/C", None, None, "Askey (operationbarbarossa.net)", "B/C"),
    R("CF-3", "Moscow counterfactual: Far East divisions notable but not decisive", "grade", "B",
      None, None, "Isaev (via russian7 / globaldomainsnews)", "B"),
    R("CF-4", "Moscow counterfactual: Far East transfers one strand of a vast mobilisation",
      "grade", "C", None, None, "AskHistorians (Elm11, 2015)", "C"),
    R("CF-5", "Moscow counterfactual: Japan's Kwantung Army tied down Soviet forces all war",
      "grade", "B", None, None, "Koshkin (2021, Regnum)", "B"),
    R("CF-8", "Moscow counterfactual: a simultaneous Japanese attack removes the Siberian "
      "reserve and the counteroffensive", "grade", "D", None, None, "Matrix Games forum", "D"),
    R("CF-9", "Moscow counterfactual: the USSR fights on east of the Urals even if Moscow falls",
      "grade", "D", None, None, "ww2aircraft forum", "D"),
    R("CF-10", "Far East divisions at Moscow: 11-14% of the counteroffensive, ~9% of the 1941 "
      "divisions; mattered through quality and timing", "fraction", 0.13, 0.11, 0.14,
      "derived: EF-11, EF-14, EF-15", "-"),
    # end eastern front
    # --- the United States ----------------------------------------------------------------------
    R("US-01", "US freeze of Japanese assets", "date", "1941-07-26", "1941-07-25", "1941-07-26",
      "Peace and War doc. 222; JACAR pop_13", "A"),
    R("US-02", "Dual licensing made the freeze a total oil embargo (Acheson's FFC)", "fraction",
      0.0, 0.0, 0.1, "Miller, Bankrupting the Enemy (2007) ch. 9, 17", "A/B"),
    R("US-10", "US chiefs: a Japanese attack on the USSR would not justify war (early Nov 1941)",
      "date", "1941-11-05", None, None, "Jordan, American Warlords (2015)", "B"),
    R("US-14", "Lend-Lease to the USSR, total shipped", "long tons", 17499861, 17000000,
      17500000, "ww2data 'Allied shipments'; WP Lend-Lease", "B"),
    R("US-15", "Lend-Lease to the USSR via the Pacific route", "long tons", 8244000, 8244000,
      9000000, "ww2data; Drent, Northern Mariner XXVII/1 (2017)", "A/B"),
    # united states
    R("US-05", "US exports to Japan before the freeze (after it only small cargoes licensed)",
      "US$/month", 10000000, None, None,
      "Acheson memo, 22 Nov 1941 (FRUS 1941 IV doc 726); FRUS 1941 IV doc 682", "A"),
    R("US-09", "Atlantic Conference drafts: warnings aimed at the south; for an attacked third "
      "power the President would seek authority from Congress", "date", "1941-08-10", None,
      None, "FRUS 1941 I doc 369 (Welles memo)", "A"),
    R("US-10b", "P(US war | Japanese attack on the USSR alone, 1941): prior", "probability",
      0.1, 0.0, 0.2, "judgement on US-10, US-12, US-13", "-"),
    R("US-12", "Americans who would vote to enter the war (Mar 1941; ~1 in 5 in Nov)",
      "fraction", 0.17, 0.17, 0.2, "Gallup (Pittsburgh Press 6 Apr 1941); Cantril, NYT "
      "16 Nov 1941", "B"),
    R("US-13", "House majority extending the draft, 12 Aug 1941 (203-202)", "votes", 1, 1, 1,
      "House tally sheet; UP reports 13-14 Aug 1941", "A"),
    R("US-15b", "Pacific share of Lend-Lease to the USSR", "fraction", 0.48, 0.47, 0.50,
      "ww2data; WP Lend-Lease", "B"),
    R("US-11", "US oil to Vladivostok, Aug 1941: Japan protests but does not interfere", "date",
      "1941-08-27", None, None, "FRUS 1941 I doc 641; FRUS Japan 1931-41 II doc 313", "A"),
    R("US-16", "Pacific route: Soviet flag, non-military cargo; US freighters given to FESCO "
      "in 1942, later Liberty ships", "ships", 27, None, None,
      "WP 'Pacific Route'; North Convoys Centre", "B"),
    R("US-17", "Soviet ships Japan sank on the route in Dec 1941 (none stopped it)", "ships", 3,
      None, None, "Sovetskii morskoi transport v VOV; FESCO history", "B/C"),
    R("US-19", "US merchant ship construction 1942, 1943, 1944", "t/yr",
      "5.48 M, 11.45 M, 9.29 M", None, None, "militarian forum table (Parillo / USSBS)", "C"),
    # end united states
    # --- Japan's decision record, 1941 (POL-09...) ---------------------------------------------
    R("POL-15", "Imperial Conference: south, north if the German-Soviet war turns favourable",
      "date", "1941-07-02", None, None, "JACAR pop_10; Wedge 2021", "A"),
    R("POL-16", "AGS timetable for the north: decision 10 Aug, operations early Sept to mid-Oct",
      "date", "1941-08-10", None, None, "Kawada, Showa rikugun zenshi 3", "B"),
    R("POL-18", "Southern Indochina occupied (landings from 28 July)", "date", "1941-07-28",
      "1941-07-23", "1941-07-28", "migino38; JACAR pop_13", "B"),
    R("POL-19", "Navy oil estimate to the Emperor (2 years; 1.5 at war)", "date", "1941-07-31",
      None, None, "Kido diary", "B"),
    R("POL-20", "Army decision: no northern war in 1941; south prepared for end-November",
      "date", "1941-08-09", None, None, "Coox, The Unfought Japanese-Soviet War", "B/C"),
    R("POL-21", "Imperial Conference: war preparations by late October", "date", "1941-09-06",
      None, None, "JM-147 App. 3, 5", "A"),
    R("POL-22", "Tekigai-so conference: Tojo refuses withdrawal from China", "date",
      "1941-10-12", None, None, "JM-147 App. 6", "A/B"),
    R("POL-23", "Konoe cabinet resigns; Tojo cabinet", "date", "1941-10-16", "1941-10-16",
      "1941-10-18", "FRUS 1941 IV doc 379", "A/B"),
    R("POL-25", "Imperial Conference: war in early December if talks fail", "date",
      "1941-11-05", None, None, "sarahsundin timeline; Jordan", "B/C"),
    R("POL-26", "Liaison conference on the Hull note: act on the 5 Nov decision", "date",
      "1941-11-27", None, None, "JM-150 App. 3", "A"),
    R("POL-27", "Imperial Conference decides on war", "date", "1941-12-01", None, None,
      "JM-150 App. 3", "A"),
    R("POL-28", "Repeated refusals to attack the USSR, 1942-43", "date", "1943-03-06",
      "1942-07-09", "1943-04-30", "IMT 2954-PS", "A"),
    R("POL-Q1", "AGS trigger for the north: Soviet FE ground forces halved", "fraction", 0.5,
      0.5, 0.5, "Kawada; mokuou timeline", "B"),
    R("POL-Q2", "AGS estimate of Soviet FE tanks, June 1941 (Soviet own 3,188)", "tanks", 2700,
      2700, 3188, "mokuou; Kawada; SFE-03", "B"),
    R("POL-Q3", "Forces planned for the northern war", "men", 850000, 700000, 1200000,
      "Kawada; mokuou; kamiie", "B/C"),
    R("POL-Q4", "Navy's oil endurance claim at war (24 months at peace; Army ~12)", "months",
      18, 12, 24, "Kido diary, late July 1941", "B"),
    R("POL-Q5", "Months allowed to seize the southern oilfields", "months", 4.5, 4.0, 5.0,
      "Planning Board, 30 Oct 1941 liaison conference", "B"),
    R("POL-Q6", "Navy's forecast of shipping losses, year 1", "GRT", 1400000, 800000, 1400000,
      "Fukudome, 5 Oct 1941 (Nelson, Pearl Harbor)", "B/C"),
    R("POL-Q7", "Army's forecast of the length of the war with the US", "months", 3, None, None,
      "Sugiyama to the Emperor, 5 Sep 1941", "B"),
    # policy
    R("POL-10", "Liaison Conference: the southern problem 'by taking advantage of "
      "opportunities'", "date", "1940-07-27", "1940-07-26", "1940-07-27",
      "JM-146 App. 2; IMTFE judgment ch. VII", "A"),
    R("POL-11", "Northern Indochina occupied (no oil embargo; US scrap embargo)", "date",
      "1940-09-22", "1940-09-22", "1940-09-26", "WP; rfraley chronology", "B"),
    R("POL-13", "Army-Navy southern guidelines: force only for self-preservation", "date",
      "1941-04-17", "1941-04-17", "1941-06-06", "Yomiuri war-responsibility series ch. 2; "
      "Wedge 2021", "B"),
    R("POL-14", "Argument after Barbarossa: north (Tanaka, Matsuoka) against south (Navy)",
      "date", "1941-06-26", "1941-06-22", "1941-07-01", "c20.jp; h-voyage (liaison "
      "conference minutes)", "B/C"),
    R("POL-24", "Liaison conferences re-examine the decision: the status quo cannot be kept",
      "date", "1941-10-30", "1941-10-23", "1941-11-02", "Kershaw, Fateful Choices; Japanese "
      "Monograph (Russian transl.)", "B"),
    R("JF-06", "Kwantung Army divisions: 13 (1941), 15 (1943), ~10 (1944), 24 mostly new "
      "(1945); stripping from Feb 1944", "divisions", 15, 10, 24,
      "seesaawiki table (Senshi sosho); KT-11", "B"),
    # end policy
    # --- oil ------------------------------------------------------------------------------------
    # oil
    R("OIL-05", "Ownership of oil stocks, Aug 1941 (Army 87, Navy 705, civil 47 x 10^4 t)",
      "fraction", 0.84, None, None, "Iwama, 'Senso to sekiyu' (Army Ministry estimate)", "B"),
    R("OIL-09b", "Stock left in 1945, when the fleet lay immobilised for want of fuel", "M bbl",
      5.0, 3.0, 8.0, "luzinde (USSBS-derived), OIL-09", "B/C"),
    # end oil
    # --- the Soviet Far East and the northern campaign -----------------------------------------
    R("SFE-14", "Far East men sent west before 22 June 1941", "men", 57000, None, None,
      "Sneg, ukrotivshii taifun; smidovich.ru", "B/C"),
    R("SFE-15", "Total 1941 outflow from the Far East (derived)", "men", 180000, 160000, 200000,
      "derived: SFE-14 + SFE-06", "-"),
    # north
    R("SFE-04", "Soviet FE aircraft, 22 June 1941", "aircraft", 4140, 4140, 4140, "52shijing",
      "C"),
    R("KH-01", "Lake Khasan: Japanese attacks 29-31 Jul, Soviet offensive 6 Aug, fire ceases",
      "date", "1938-08-11", "1938-07-29", "1938-08-11", "Coox chapter titles; JA-WP", "B/C"),
    R("KH-02", "Lake Khasan forces: Soviet (Japanese 7,000-7,300)", "men", 22950, 15000, 32000,
      "BC-13, BC-14; JA-WP", "B"),
    R("KH-03", "Lake Khasan Soviet casualties (792 killed & missing + 3,279 wounded & sick)",
      "men", 4071, 3996, 4239, "BC-15; JA-WP", "B"),
    R("KH-04", "Lake Khasan Japanese casualties (526 killed + 913 wounded)", "men", 1439, 1438,
      1440, "Coox (AGS statistics); JA-WP", "B"),
    R("KH-07", "Lake Khasan casualty ratio, Soviet / Japanese (derived)", "ratio", 2.8, 2.5,
      3.0, "derived from KH-03, KH-04", "-"),
    R("SH-11", "Shipping to move an army: planning ratio (Kantokuen)", "GRT per man", 1.06, 1.0,
      3.0, "derived from POL-Q3; Dutch Naval Staff data (1921)", "-"),
    # end north
    # khasan
    R("KH-08", "What Japanese officers concluded from Khasan: it confirmed the 1933 AGS manual "
      "(the Soviet soldier docile, without initiative; Red Army units cannot co-ordinate "
      "envelopments)", "-", None, None, None,
      "Drea, Nomonhan: Japanese-Soviet Tactical Combat, 1939 (Leavenworth Paper 2, 1981)", "B"),
    R("KH-09", "Other Japanese readings of Khasan: 'closed with Japan violated' (Tsuji); it "
      "showed the strength of Soviet mechanised forces", "-", None, None, None,
      "Japanese pages; Coox ch. 30 (contents only)", "D"),
    R("KH-10", "Postwar reading (IMTFE): Khasan 'revealed the unexpected military strength of "
      "the USSR in the Far East'", "-", None, None, None, "IMTFE judgment ch. VII", "A"),
    R("BC-12", "Lake Khasan / Changkufeng: 29 Jul - 11 Aug 1938; ceasefire 11 Aug, Japan "
      "withdraws", "date", "1938-08-11", "1938-07-29", "1938-08-11",
      "WP 'Battle of Lake Khasan'", "B"),
    R("BC-14", "Lake Khasan Japanese forces (19th Division elements; no tanks or aircraft)",
      "men", 7150, 7000, 9000, "WP 'Battle of Lake Khasan'", "B"),
    # end khasan
    # army
    R("JF-01", "IJA ground strength (1941 2.025 M; 1942 ~2.3 M; 1943 2.75 M; 1944 3.76 M; "
      "Aug 1945 5.95 M)", "men", 5950000, 5470000, 5950000,
      "Drea, Japan's Imperial Army (2009) Table 11.2", "B"),
    R("JF-02", "Total military, Aug 1945 (incl. 676,863 in the Army Air Service)", "men",
      6095000, 5500000, 7200000, "liquisearch (WP 'IJA growth'); enemyinmirror", "B/C"),
    R("JF-03", "IJA divisions: Dec 1941 51; end-1943 70; Apr 1944 78; 1945 145", "divisions",
      145, 145, 169, "globalsecurity ORBAT; liquisearch", "B/D"),
    R("JF-04", "China proper, men: 1940 680,000; Aug 1943 ~620,000; Aug 1945 ~1,050,000",
      "men", 1050000, 1050000, 1086000, "Yoshida, Nihongun heishi; Senshi sosho via seesaawiki",
      "B"),
    R("JF-05", "China proper, divisions: Dec 1941 20 + 21 IMB; Aug 1943 25; Jan 1944 24 + 1 tank",
      "divisions", 25, 20, 25, "seesaawiki (Senshi sosho); CHN-01", "B"),
    R("JF-07", "Manchuria, men, Aug 1945 (~700,000 after Kantokuen in 1941)", "men", 700000,
      665500, 780000, "JPN-03; seesaawiki; Kwantung HQ list; jiyodan blog", "B/C"),
    R("JF-08", "Korea, men, Aug 1945", "men", 335900, 294000, 335900, "MAN-03 (WP)", "B"),
    R("JF-09", "Southern Army, men, Aug 1945 (+132,000 in the bypassed Central Pacific)", "men",
      800000, 800000, 932000, "Chinese summary; MacArthur reports", "C"),
    R("JF-10", "Home islands (Army), Aug 1945", "men", 2388000, 2250000, 2500000,
      "WP 'IJA during the Pacific War'; Time 1945", "B"),
    R("JF-11", "Share of IJA manpower in China proper: 1940 53%; 1943 23%; 1945 18% (derived)",
      "fraction", 0.18, 0.17, 0.20, "derived: JF-04 / JF-01", "-"),
    R("JF-12", "Ichi-Go forces (Apr-Dec 1944): men (17 divisions)", "men", 510000, 400000,
      510000, "WP (Qi Xisheng 2023); codenames.info", "B"),
    R("JF-13", "Ichi-Go Japanese casualties (30,000 admitted; up to 100,000 deaths)", "men",
      30000, 30000, 100000, "codenames.info; WP", "B"),
    R("CHN-06", "Japanese troops in China proper: 1940 680k; Aug 1943 620k; Aug 1945 1.05 M",
      "men", 1050000, 1050000, 1086000, "= JF-04", "B"),
    R("CHN-08", "Japanese military dead in China proper 1937-45 (Dec 1941 - Aug 1945 ~270,000, "
      "derived)", "men", 455700, 455700, 465700, "JF-14 (Ministry of Health and Welfare)", "B"),
    R("CHN-10", "Chinese army casualties a year (1942 246,390; 1943 87,113; H1 1944 69,820, "
      "Apr-Jun 66,037 with Ichi-Go)", "men", 87113, 87113, 87113,
      "Chinese Board of Military Operations (Bay of Plenty Beacon, 16 Mar 1945)", "A/B"),
    # end army
    # shipping
    R("SH-01", "Merchant fleet, Dec 1941, tankers included (5.42 M without: civil 1.51, Army "
      "2.15, Navy 1.56; ~0.75 M more captured in 1942)", "GRT", 6340000, 6300000, 6384000,
      "Williams; Knox via Time 1943; UP Jan 1945; luzinde", "B"),
    R("SH-02", "Fleet excluding tankers, Dec 1942 (civil 2.26, Army 1.22, Navy 1.41 M)", "GRT",
      5250000, None, None, "luzinde", "B/C"),
    R("SH-03", "Fleet excluding tankers, Dec 1943 (civil 1.55, Army 1.02, Navy 1.21 M)", "GRT",
      4170000, None, None, "luzinde", "B/C"),
    R("SH-05", "Merchant fleet, Aug 1945 (~500,000 GRT operable)", "GRT", 1340000, None, None,
      "Williams", "B"),
    R("SH-06", "New construction 1941-45 (1941 210,373; 1942 260,059; 1943 769,085; 1944 "
      "1,699,203; 1945 599,563)", "GRT", 4152361, 3970000, 4152361,
      "militarian forum table; Williams; Toll; luzinde", "B/C"),
    R("SH-07", "Ships sunk by year, >= 500 GT (1941 12; 1942 203; 1943 437; 1944 969 of ~4.1 M "
      "t; 1945 639)", "ships", 2260, None, None, "5ch post (probably JANAC)", "D"),
    R("SH-08", "Total merchant tonnage lost, 1941-45 (2,346 ships)", "GRT", 8618109, 8430000,
      8800000, "USNI Proceedings 1956; luzinde; Kitagawa (USSBS)", "A/B"),
    R("SH-09", "Tankers: 49 ships, 587,000 t at the outbreak; 235,000 t sunk in Q1 1944", "t",
      235000, None, None, "Pike; Roscoe, US Submarine Operations", "B"),
    R("SH-10", "Civil shipping requirement (Army 3.0 - Navy and bureaucrats 3.5 M)", "GRT",
      3000000, 3000000, 3500000, "enokie (cf. JPN-10)", "B/C"),
    R("SH-12", "Southern operation: shipping per division (derived)", "GRT/division", 200000,
      150000, 250000, "derived: SH-01 (Army 2.15 M) / SOP-01 (10-11 divisions)", "-"),
    R("OIL-14", "Southern oil shipped home (Aug 1943 1.75; Oct 1944 0.30; Apr 1945 ~0)",
      "M bbl/month", 1.75, 0.0, 1.75, "Financial History no. 133 (2020)", "C"),
    # end shipping
    # manchuria 1945
    R("SFE-18", "Far East transfers west in 1943-44: practically none from H2 1943", "units", 0,
      None, None, "Hayashi Saburo (AGS Russia Section), via 360doc", "C"),
    R("SFE-19", "Minimum Far East garrison, 1941-45", "divisions", 40, 40, None,
      "Soviet-era official line (photo feature)", "C"),
    R("SFE-22", "GKO decree starting the 1945 Far East build-up", "date", "1945-04-13", None,
      None, "Politicheskie tainy Vtoroi mirovoi", "C"),
    R("SFE-23", "Men moved east for the war with Japan, Apr-Aug 1945 (36 divisions, 53 "
      "brigades, 3,340 tanks, 7,500 guns, 135,756 railcars)", "men", 500000, 500000, 750000,
      "Suvorov, Chief Culprit p.325; Vasilevsky; Toll", "B/C"),
    R("SFE-24", "Soviet denunciation of the Neutrality Pact", "date", "1945-04-05", None, None,
      "FRUS 1945 V doc 623; Zvezda (Perm) 6 Apr 1945", "A"),
    R("SFE-09", "Far East divisions sent west in the first two war years (17 rifle, 3 tank, "
      "2 cavalry)", "divisions", 22, None, None, "z236 forum", "D"),
    R("YAL-01", "Yalta agreement: the USSR enters the war on Japan 'two or three months after "
      "Germany has surrendered' (Germany surrendered 8 May 1945)", "months", 3, 2, 3,
      "Agreement regarding Japan, Yalta, 11 Feb 1945 (FRUS, Conferences at Malta and Yalta, "
      "1945)", "A"),
    R("MAN-01", "Soviet invasion of Manchuria: main operations 9-20 Aug 1945 (formally to "
      "2 Sep)", "days", 12, 11, 12, "WP", "B"),
    R("MAN-03", "Japanese forces facing the invasion: Manchuria 665,500 + Korea 335,900 "
      "(~290-370 tanks)", "men", 1001400, 1001400, 1250000, "WP", "B"),
    R("MAN-04", "Soviet casualties, Aug 1945: 9,780-12,031 killed + 24,425 wounded and sick",
      "men", 36456, 34205, 36456, "WP", "B"),
    R("MAN-05", "Japanese killed, Aug 1945 (Japanese record; Soviet claim 83,737; "
      "594,000-640,000 prisoners)", "men", 21389, 21389, 23600, "WP", "B"),
    # end manchuria 1945
)

WAR_TARGETS: tuple[BacktestTarget, ...] = (
    BacktestTarget("T16", "Far East divisions at Moscow (<= 18; share of the counteroffensive "
                   "<= 25%)", 9, 0, 18, ("EF-14", "EF-15")),
    BacktestTarget("T17", "Days from the southern-Indochina move to the US freeze", 0, 0, 7,
                   ("US-01", "US-02", "US-05")),
    BacktestTarget("T19", "Japan's decision sequence 2 Jul -> 1 Dec 1941, each step +-2 weeks; "
                   "war before 31 Dec 1941", "1941-12-07", None, "1941-12-31",
                   ("POL-15", "POL-27")),
    BacktestTarget("T20", "Germany's requests for a northern strike refused: no attack on the "
                   "USSR before Aug 1945", "1945-08-09", None, None, ("EF-18", "EF-20")),
    # khasan
    BacktestTarget("T27", "Lake Khasan casualty ratio, Soviet / Japanese (median)", 2.8, 2.2,
                   3.4, ("KH-07", "KH-03", "KH-04")),
    # end khasan
    # army
    BacktestTarget("T23", "Kwantung Army hollowing: 15 divisions (1943) -> 10 (1944) -> 24 mostly "
                   "new (1945); veteran divisions in Manchuria, Aug 1945, <= 5", 3, 0, 5,
                   ("JF-06",)),
    BacktestTarget("T28", "China front intensity: Chinese army casualties in 1943 ~35% of 1942 "
                   "(+-15 points); an H1 1944 spike with Ichi-Go", 0.35, 0.20, 0.50,
                   ("CHN-10",)),
    # end army
    # shipping
    BacktestTarget("T21", "Merchant fleet run-down 6.34 -> 5.25* -> 4.17* -> ... -> 1.34 M GRT "
                   "(*excluding tankers); Aug 1945 <= 2.0 M GRT, total losses 8-9 M", 1340000,
                   None, 2000000, ("SH-01", "SH-02", "SH-03", "SH-05", "SH-06", "SH-07",
                                   "SH-08")),
    # end shipping
    # manchuria 1945
    BacktestTarget("T25", "Soviet Far East floor and 1945 surge: >= 1.0 M men throughout "
                   "(trough 0.9-1.2 M); combat strength x1.7-2.3 within 120 days of Apr 1945",
                   1.0e6, 0.9e6, 1.2e6, ("SFE-11", "SFE-18", "SFE-23")),
    # end manchuria 1945
)
