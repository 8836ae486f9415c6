//! Tests of the OFAC legacy CSV reader.

use super::*;

#[test]
fn members_by_name() {
    assert_eq!(member("sdn.csv"), Some(Member::Primary));
    assert_eq!(member("cons_prim.csv"), Some(Member::Primary));
    assert_eq!(member("cons_add.csv"), Some(Member::Address));
    assert_eq!(member("alt.csv"), Some(Member::Alias));
    assert_eq!(member("sdn_comments.csv"), Some(Member::Comments));
    assert_eq!(member("notes.txt"), None);
}

#[test]
fn ids_from_remarks() {
    let ids = remark_ids(
        "Equity Ticker 002415 CN; ISIN CNE100000PM8; Passport 717637093 (Russia); DOB 1975",
    );
    assert!(ids.contains(&("ISIN".into(), "CNE100000PM8".into(), None)));
    assert!(ids.contains(&("Passport".into(), "717637093".into(), Some("RU".into()))));
    assert_eq!(ids.len(), 3);
    let uscc = remark_ids("Unified Social Credit Code (USCC) 91330000733796106P (China).");
    assert_eq!(uscc[0].1, "91330000733796106P");
    assert_eq!(uscc[0].2.as_deref(), Some("CN"));
    assert_eq!(
        listing_date("ISIN X; Listing Date (CMIC) 03 Jun 2021; Y").as_deref(),
        Some("2021-06-03")
    );
}
