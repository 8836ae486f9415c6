//! The development set of public labelled pairs (tests/data/pairs/: OpenSanctions nomenklatura
//! checks, unit-test pairs and name-bench cases) with floors on precision and recall, for the
//! development split and the held-out split that was never tuned on; OFAC's published SLS
//! scores against our SLS-style score; and every example of issue 18, with its explanation.

use tradescope::matching::eval::{
    breakdown, ofac_agreement, parse_labelled, parse_ofac_scores, score_all, Breakdown,
};
use tradescope::matching::{score_pair, Schema, DEFAULT_THRESHOLD};

fn report(label: &str, text: &str) -> Breakdown {
    let pairs = parse_labelled(text).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert!(
        pairs.iter().all(|p| !p.source.is_empty()),
        "{label}: every pair names its source"
    );
    let scored = score_all(&pairs);
    let b = breakdown(&scored, DEFAULT_THRESHOLD);
    let m = &b.overall;
    println!(
        "{label}: {} pairs, precision {:.3} recall {:.3} F1 {:.3}",
        pairs.len(),
        m.precision,
        m.recall,
        m.f1
    );
    for (k, m) in b.by_schema.iter().chain(&b.by_category) {
        println!(
            "  {k:<20} P {:.3} R {:.3} (TP {} FP {} TN {} FN {})",
            m.precision, m.recall, m.true_pos, m.false_pos, m.true_neg, m.false_neg
        );
    }
    for s in &scored {
        if (s.score >= DEFAULT_THRESHOLD) != s.pair.is_match {
            println!(
                "  {} {:.3} [{}] {:?} ~ {:?}: {}",
                if s.pair.is_match { "FN" } else { "FP" },
                s.score,
                s.pair.kind,
                s.pair.name1,
                s.pair.name2,
                s.explanation
            );
        }
    }
    b
}

#[test]
fn development_split_meets_its_floors() {
    let b = report("dev", include_str!("../data/pairs/dev.csv"));
    // Measured 0.943 / 0.827 (before issue 18: 0.874 / 0.763).
    assert!(b.overall.precision >= 0.90, "{:?}", b.overall);
    assert!(b.overall.recall >= 0.80, "{:?}", b.overall);
}

#[test]
fn held_out_split_meets_its_floors() {
    let b = report("held-out", include_str!("../data/pairs/heldout.csv"));
    // Measured 0.888 / 0.859 (before issue 18: 0.857 / 0.848); never tuned on.
    assert!(b.overall.precision >= 0.85, "{:?}", b.overall);
    assert!(b.overall.recall >= 0.80, "{:?}", b.overall);
}

#[test]
fn other_projects_labelled_pairs_meet_their_floors() {
    // Cascade Screening's company and vessel pairs as published in moov-io/watchman: measured
    // only, no rule was fitted to a row. Measured 0.836 / 0.800 (before its second round:
    // 0.696 / 0.686).
    let b = report("cascade", include_str!("../data/pairs/cascade.csv"));
    assert!(b.overall.precision >= 0.80, "{:?}", b.overall);
    assert!(b.overall.recall >= 0.77, "{:?}", b.overall);
}

#[test]
fn sls_score_is_close_to_ofacs_published_scores() {
    let rows = parse_ofac_scores(include_str!("../data/ofac_sls_scores.csv")).expect("OFAC scores");
    let (mae, n, below, below_total) = ofac_agreement(&rows);
    println!(
        "SLS-style vs OFAC: mean abs. error {mae:.2} points over {n} scored pairs; \
         {below} of {below_total} pairs OFAC shows below 80 also below 80"
    );
    assert!(n >= 150);
    assert!(mae <= 3.0, "mean absolute error {mae:.2} > 3 points");
}

fn pair(a: &str, b: &str, schema: Schema) -> (f64, String) {
    let s = score_pair(a, b, schema);
    (s.score, s.explanation)
}

fn matches(a: &str, b: &str, schema: Schema, says: &str) {
    let (s, e) = pair(a, b, schema);
    assert!(s >= DEFAULT_THRESHOLD, "{a:?} ~ {b:?}: {s:.3} {e}");
    assert!(e.contains(says), "{a:?} ~ {b:?}: {e:?} should say {says:?}");
}

fn apart(a: &str, b: &str, schema: Schema, says: &str) {
    let (s, e) = pair(a, b, schema);
    assert!(s < DEFAULT_THRESHOLD, "{a:?} ~ {b:?}: {s:.3} {e}");
    assert!(e.contains(says), "{a:?} ~ {b:?}: {e:?} should say {says:?}");
}

#[test]
fn numbers_and_ordinals() {
    use Schema::*;
    matches(
        "1st International Bank",
        "First International Bank",
        Company,
        "1ST=FIRST (ordinal)",
    );
    matches(
        "3 Percenters",
        "Three Percenters",
        Company,
        "THREE=3 (number words)",
    );
    matches(
        "Brigade Forty 4",
        "Brigade 44",
        Company,
        "FORTY 4=44 (number words)",
    );
    matches("Brigade Forty-Four", "Brigade 44", Company, "FORTY FOUR=44");
    matches("Ig0r Sech1n", "Igor Sechin", Person, "IGOR=IGOR");
    apart(
        "KKR North America Fund XII L.P.",
        "KKR North America Fund XIII L.P.",
        Company,
        "different number: XII vs XIII",
    );
    apart(
        "JPMorgan Mortgage Trust Series 2007-1",
        "JPMorgan Mortgage Trust Series 2007-2",
        Company,
        "different number: 1 vs 2",
    );
}

#[test]
fn compounds_spacing_and_abbreviations() {
    use Schema::*;
    matches(
        "SiemensAG",
        "Siemens AG",
        Company,
        "SIEMENSAG~SIEMENS AG (joined)",
    );
    matches(
        "faberlick",
        "FABERLIC EUROPE Sp. z o.o.",
        Company,
        "FABERLICK~FABERLIC",
    );
    matches(
        "Siemens Aktiengeselschaft",
        "Siemens AG",
        Company,
        "SIEMENS=SIEMENS",
    );
    matches(
        "U.S. Department of State",
        "United States Department of State",
        Company,
        "US=UNITED STATES (abbreviation)",
    );
}

#[test]
fn romanization_systems_and_scripts() {
    use Schema::*;
    matches(
        "Mao Tse-tung",
        "Mao Zedong",
        Person,
        "(Wade-Giles / pinyin)",
    );
    matches(
        "Hsi Chin-ping",
        "Xi Jinping",
        Person,
        "(Wade-Giles / pinyin)",
    );
    matches(
        "فلاديمير بوتين",
        "PUTIN, Vladimir Vladimirovich",
        Person,
        "BUTIN~PUTIN",
    );
    matches(
        "ולדימיר פוטין",
        "PUTIN, Vladimir Vladimirovich",
        Person,
        "PUTIN=PUTIN",
    );
    matches(
        "ウラジーミル・プーチン",
        "PUTIN, Vladimir Vladimirovich",
        Person,
        "(transcription)",
    );
    matches(
        "Barack Obama",
        "바락 오바마",
        Person,
        "transliterated to Latin",
    );
    matches("고석", "고석", Person, "compared in the original script");
    apart(
        "高石早苗",
        "高市早苗",
        Person,
        "compared in the original script",
    );
    apart(
        "김종은",
        "김정은",
        Person,
        "compared in the original script",
    );
}

#[test]
fn structure_counts_against() {
    use Schema::*;
    apart(
        "ABDULLAH BIN OMAR AL-MUHAMMAD",
        "OMAR BIN ABDULLAH AL-MUHAMMAD",
        Person,
        "the names around BIN are in the other order",
    );
    apart(
        "Bowne Global Solutions II (Sweden) AB",
        "Bowne Global Solutions II (Finland) AB",
        Company,
        "different country: SWEDEN vs FINLAND",
    );
    let (same, _) = pair("Deutsche Bank AG", "Deutsche Bank AG", Company);
    let (diff, e) = pair("Deutsche Bank AG", "Deutsche Bank GmbH", Company);
    assert!(diff < same && diff < 0.9, "{diff} {e}");
    assert!(
        e.contains("different kinds of legal form: AG vs GMBH (weak evidence against)"),
        "{e}"
    );
}

#[test]
fn generic_words_and_acronyms_do_not_flood() {
    use Schema::*;
    let (s, e) = pair(
        "Hytera Communications America (West)",
        "EAST AND WEST ENTERPRISES",
        Unknown,
    );
    assert!(s < 0.5, "{s} {e}");
    apart(
        "Cardiac Science Corporation",
        "China Aerodynamics Research and Development Center (CARDC)",
        Unknown,
        "acronym",
    );
    apart(
        "The Industry & Academic Cooperation in Chungnam National University (IAC)",
        "IAC INTERNATIONAL INC.",
        Unknown,
        "matched only through an acronym of a longer name",
    );
    // The acronym itself still finds the entry it abbreviates.
    matches(
        "CARDC",
        "China Aerodynamics Research and Development Center (CARDC)",
        Unknown,
        "CARDC=CARDC",
    );
    apart(
        "Continental Aktiengesellschaft",
        "INVERSIONES CONTINENTAL, S.A. DE C.V.",
        Unknown,
        "ordinary words",
    );
    apart(
        "Applied Research, Inc.",
        "Scientific Research Institute of Applied Chemistry",
        Unknown,
        "ordinary words",
    );
}

#[test]
fn schema_names_of_followthemoney_are_accepted() {
    for (name, schema) in [
        ("Person", Schema::Person),
        ("company", Schema::Company),
        ("ORGANIZATION", Schema::Company),
        ("LegalEntity", Schema::Unknown),
        ("Vessel", Schema::Vessel),
        ("Airplane", Schema::Aircraft),
    ] {
        assert_eq!(Schema::parse(name), Some(schema), "{name}");
    }
    assert_eq!(Schema::parse("Planet"), None);
}

#[test]
fn structure_of_company_and_vessel_names_counts_against() {
    use Schema::*;
    apart(
        "Korvessa Industrial GmbH",
        "Korvessa Industrial Sdn. Bhd.",
        Company,
        "legal forms of different countries: GMBH vs SDN BHD",
    );
    apart(
        "Banco Santander S.A.",
        "Banco Santander México S.A.",
        Company,
        "a country in one name only (MEXICO): a national subsidiary",
    );
    apart(
        "Kilifi Coastal Traders Ltd",
        "Kilifi Coastal Transporters Ltd",
        Company,
        "different descriptive words: TRADERS vs TRANSPORTERS",
    );
    apart(
        "Ruiz-Montalvo Trucking LLC",
        "Ruiz-Montalvo Trucking Holdings LLC",
        Company,
        "a holding against its operating company: HOLDINGS",
    );
    apart(
        "ALTAIR STAR",
        "ALTAIR STARS",
        Vessel,
        "vessel names differ in a word's number: STAR vs STARS",
    );
    apart(
        "KAPITAN GUSEYNOV",
        "Kapitan Guseynov Shipping Ltd",
        Vessel,
        "SHIPPING",
    );
    // An agency's name without a legal form keeps its country as an ordinary extra word.
    matches(
        "Atomic Energy Organization",
        "Atomic Energy Organization of Iran",
        Unknown,
        "ATOMIC=ATOMIC",
    );
}

#[test]
fn spacing_labels_addresses_and_former_names_are_read() {
    use Schema::*;
    matches(
        "Ets Diallo",
        "EtsDiallo",
        Company,
        "the same letters spaced differently: ETSDIALLO",
    );
    matches(
        "N.K. Bansal & Co.",
        "N K Bansal and Co",
        Company,
        "the same letters spaced differently",
    );
    matches(
        "Star Voyager (ex-Southern Glory)",
        "Southern Glory",
        Company,
        "alias in parentheses \"SOUTHERN GLORY\"",
    );
    matches(
        "FIELD 59: BLACKWOOD CATTLE CO PTY LTD",
        "Blackwood Cattle Co Pty Ltd",
        Company,
        "BLACKWOOD=BLACKWOOD",
    );
    matches(
        "Tidewell Process Equipment Inc, 12250 Brevard Ln, Pasadena TX 77506",
        "Tidewell Process Equipment, Inc.",
        Company,
        "TIDEWELL=TIDEWELL",
    );
    matches(
        "Łączyńska Wytwórnia Łodzi Sp. j.",
        "LACZYNSKA WYTWORNIA LODZI SPOLKA JAWNA",
        Company,
        "legal form SPJ",
    );
    matches(
        "T/B CHAO LE 8, Sihanoukville",
        "CHAO LE NO. 8",
        Vessel,
        "8=8",
    );
    matches(
        "M/V PELGARRA GLORY",
        "Pelgarra Glory",
        Vessel,
        "PELGARRA=PELGARRA",
    );
    // The Arabic ain opens a word as A: عبد is ABD.
    matches("عبد الله", "Abdullah", Person, "ABD ALLH~ABDULLAH");
    // Spacing is not read into Han, kana or Hangul, whose transcriptions coincide.
    apart(
        "高石早苗",
        "高市早苗",
        Person,
        "compared in the original script",
    );
}

#[test]
fn a_listed_companys_national_subsidiary_is_found_for_review() {
    use Schema::*;
    // The query names a subsidiary of the listed company: a hit, below the link threshold.
    let (s, e) = pair(
        "Huawei Technologies (Thailand) Co., Ltd.",
        "Huawei Technologies Co., Ltd.",
        Company,
    );
    assert!(
        (DEFAULT_THRESHOLD..tradescope::matching::LINK_THRESHOLD).contains(&s),
        "{s} {e}"
    );
    assert!(
        e.contains(
            "a country in the query only (THAILAND): a national subsidiary of the listed company"
        ),
        "{e}"
    );
    // The listed entry is the subsidiary: its parent is not listed.
    apart(
        "Huawei Technologies Co., Ltd.",
        "Huawei Technologies (Thailand) Co., Ltd.",
        Company,
        "a country in one name only (THAILAND): a national subsidiary",
    );
    // Sibling subsidiaries in two countries stay apart.
    apart(
        "Bowne Global Solutions II (Sweden) AB",
        "Bowne Global Solutions II (Finland) AB",
        Company,
        "different country: SWEDEN vs FINLAND",
    );
}

#[test]
fn typing_slips_and_word_forms_of_descriptive_words_match() {
    use Schema::*;
    matches(
        "HAUWEI TECHNOLOGIES CO., LTD.",
        "HUAWEI TECHNOLOGIES CO., LTD.",
        Company,
        "HAUWEI~HUAWEI (typing slip)",
    );
    matches(
        "ROBIN TRAADE LIMITED",
        "ROBIN TRADE LIMITED",
        Company,
        "TRAADE~TRADE (typing slip)",
    );
    matches(
        "DANDONG XIANGHE TRADE CORPORATION",
        "DANDONG XIANGHE TRADING CORPORATION",
        Company,
        "TRADE~TRADING (word form)",
    );
    // A different letter in a short brand, nothing else shared: another company.
    apart(
        "Medoc Ltd.",
        "MEDIC",
        Company,
        "distinctive words agree only approximately",
    );
}

#[test]
fn scripts_whose_syllables_drop_a_final_r_find_the_latin_name() {
    use Schema::*;
    matches(
        "ဗလာဒီမာ ပူတင်",
        "PUTIN, Vladimir Vladimirovich",
        Person,
        "(transcription)",
    );
    matches(
        "ཝ་ལ་ཌི་མིར་ཕུ་ཐིན",
        "PUTIN, Vladimir Vladimirovich",
        Person,
        "(transcription)",
    );
}
