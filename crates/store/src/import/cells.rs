//! Cells as trade-data vendors write them (issue 15 item 5): placeholder party names, null
//! markers, country cells that hold a code and a name (`IN, INDIA`) and port cells that hold a
//! port code and a name (`53306, MUNDRA`).

use tradescope_core::country;

/// Cell values that mean "no value" in vendor exports (compared upper-case, trimmed). `NA` is
/// not among them: it is Namibia's country code.
const NULLS: &[&str] = &[
    "-0-",
    "N/A",
    "N.A.",
    "#N/A",
    "NOT AVAILABLE",
    "NOT APPLICABLE",
    "NULL",
    "NONE",
    "NIL",
    "UNKNOWN",
    "-",
    "--",
    "---",
    "?",
];

/// Party names that stand for "no party given" rather than a party: never made into a party
/// (one `N/A` party would link every shipment that lacks a name).
const PLACEHOLDER_PARTIES: &[&str] = &[
    "NA",
    "N A",
    "NOT DISCLOSED",
    "UNDISCLOSED",
    "NOT PROVIDED",
    "NOT GIVEN",
    "NO NAME",
    "UNKNOWN SHIPPER",
    "UNKNOWN CONSIGNEE",
    "CONFIDENTIAL",
    "TO ORDER",
    "TO THE ORDER",
    "TO ORDER OF SHIPPER",
    "TO THE ORDER OF SHIPPER",
    "ORDER",
    "SAME AS CONSIGNEE",
    "SAME AS SHIPPER",
    "SAME AS ABOVE",
];

/// Prefixes of order bills: the "consignee" is whoever the bill is endorsed to.
const ORDER_PREFIXES: &[&str] = &["TO THE ORDER OF ", "TO ORDER OF ", "TO ORDER ", "ORDER OF "];

fn upper_words(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// Whether a cell holds one of the vendors' "no value" markers (or nothing).
pub fn is_null(s: &str) -> bool {
    let t = s.trim();
    // Called for every cell: no allocation for the common case (a value longer than any
    // marker, or a marker written with single spaces).
    if t.is_empty() {
        return true;
    }
    if t.len() > 16 {
        return false;
    }
    if NULLS.iter().any(|n| n.eq_ignore_ascii_case(t)) {
        return true;
    }
    t.contains(char::is_whitespace) && NULLS.contains(&upper_words(t).as_str())
}

/// Trimmed text, or None for an empty cell or a null marker.
pub fn value(s: &str) -> Option<String> {
    (!is_null(s)).then(|| s.trim().to_string())
}

/// Whether a party name is a placeholder (`N/A`, `TO ORDER`, `TO THE ORDER OF …`, blank, no
/// letters at all) rather than a party.
pub fn is_placeholder_party(name: &str) -> bool {
    if is_null(name) || !name.chars().any(char::is_alphabetic) {
        return true;
    }
    let u = upper_words(name);
    let u = u.trim_end_matches(['.', ',', ';', ':']);
    PLACEHOLDER_PARTIES.contains(&u) || ORDER_PREFIXES.iter().any(|p| u.starts_with(p))
}

/// The country of a cell such as `IN, INDIA`, `India`, `IN` or `KOREA, REPUBLIC OF`.
/// Err(message) when it names no known country, or a code and a name that disagree.
pub fn country(cell: &str) -> Result<Option<&'static str>, String> {
    let Some(v) = value(cell) else {
        return Ok(None);
    };
    if let Some(c) = country::code(&v) {
        return Ok(Some(c));
    }
    if let Some((code, name)) = v.split_once(',') {
        let (code, name) = (code.trim(), name.trim());
        if (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphabetic()) {
            match (country::code(code), country::code(name)) {
                (Some(a), Some(b)) if a != b => {
                    return Err(format!(
                        "`{v}`: the code {code} is {} but the name {name} is {}",
                        country::name(a).unwrap_or(a),
                        country::name(b).unwrap_or(b)
                    ))
                }
                (Some(a), _) => return Ok(Some(a)),
                (None, Some(b)) => return Ok(Some(b)),
                (None, None) => {}
            }
        }
    }
    Err(format!(
        "unknown country `{v}` (use an ISO code such as VN or a country name)"
    ))
}

/// A port cell split into (code, name): `53306, MUNDRA` → (Some("53306"), "MUNDRA"); `2704 -
/// LOS ANGELES, CA` → (Some("2704"), "LOS ANGELES, CA"); anything else is a name as written.
/// Codes are the 4-digit US Schedule D or 5-digit foreign Schedule K numbers US data uses,
/// or a UN/LOCODE in parentheses after the name, as Indian customs data writes it with its
/// one-digit customs-station suffix: `NHAVA SHEVA SEA (INNSA1)` → (Some("INNSA1"), "NHAVA
/// SHEVA SEA"). `Ningpo,China (Mainland)` holds no code and stays as written.
pub fn port(cell: &str) -> Option<(Option<String>, String)> {
    let v = value(cell)?;
    if let Some((name, code)) = locode_suffix(&v) {
        return Some((Some(code.to_string()), name.to_string()));
    }
    let digits = v.chars().take_while(char::is_ascii_digit).count();
    if (4..=5).contains(&digits) {
        let rest = v[digits..].trim_start();
        let name = rest
            .strip_prefix(',')
            .or_else(|| rest.strip_prefix('-'))
            .or_else(|| (rest.len() < v.len() - digits).then_some(rest))
            .map(str::trim)
            .filter(|n| !n.is_empty() && !is_null(n));
        if let Some(name) = name {
            return Some((Some(v[..digits].to_string()), name.to_string()));
        }
    }
    Some((None, v))
}

/// `NAME (CCLLL)` or `NAME (CCLLLd)`: a UN/LOCODE (a country code, then three letters or
/// digits), maybe with a customs station digit, in parentheses at the end of a port name.
fn locode_suffix(v: &str) -> Option<(&str, &str)> {
    let open = v.strip_suffix(')')?.rfind('(')?;
    let code = &v[open + 1..v.len() - 1];
    let name = v[..open].trim_end();
    let b = code.as_bytes();
    let shape = matches!(b.len(), 5 | 6)
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..5]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && b[5..].iter().all(u8::is_ascii_digit);
    let known = country::name(&code[..2.min(code.len())]).is_some();
    (shape && known && !name.is_empty()).then_some((name, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_markers_are_no_value() {
        for s in ["", "  ", "N/A", "n/a", "NOT AVAILABLE", "-", "NULL", "-0- "] {
            assert!(is_null(s), "{s:?}");
        }
        assert!(!is_null("NA"), "Namibia");
        assert_eq!(value(" MUNDRA "), Some("MUNDRA".into()));
    }

    #[test]
    fn placeholder_parties() {
        for s in [
            "N/A",
            "NOT AVAILABLE",
            "UNKNOWN",
            "",
            "TO ORDER",
            "To Order.",
            "TO THE ORDER OF HDFC BANK LTD",
            "TO ORDER OF STATE BANK OF INDIA",
            "NONE",
            "-",
            "***",
            "12345",
        ] {
            assert!(is_placeholder_party(s), "{s:?}");
        }
        for s in [
            "ORDER TECHNOLOGIES LTD",
            "NA LI TRADING",
            "UNKNOWN WORLDS INC",
        ] {
            assert!(!is_placeholder_party(s), "{s:?}");
        }
    }

    #[test]
    fn country_cells_with_code_and_name() {
        assert_eq!(country("IN, INDIA"), Ok(Some("IN")));
        assert_eq!(country("India"), Ok(Some("IN")));
        assert_eq!(country("CN, CHINA"), Ok(Some("CN")));
        assert_eq!(country("Korea, North"), Ok(Some("KP")));
        assert_eq!(country("KR, KOREA, REPUBLIC OF"), Ok(Some("KR")));
        assert_eq!(country("N/A"), Ok(None));
        assert!(country("IN, INDONESIA").unwrap_err().contains("India"));
        assert!(country("Atlantis").is_err());
    }

    #[test]
    fn port_cells_with_code_and_name() {
        let p = |s| port(s).map(|(c, n)| (c.unwrap_or_default(), n));
        assert_eq!(p("53306, MUNDRA"), Some(("53306".into(), "MUNDRA".into())));
        assert_eq!(
            p("2704 - LOS ANGELES, CA"),
            Some(("2704".into(), "LOS ANGELES, CA".into()))
        );
        assert_eq!(
            p("Ningpo,China (Mainland)"),
            Some((String::new(), "Ningpo,China (Mainland)".into()))
        );
        assert_eq!(p("53306"), Some((String::new(), "53306".into())));
        assert_eq!(
            p("NHAVA SHEVA SEA (INNSA1)"),
            Some(("INNSA1".into(), "NHAVA SHEVA SEA".into()))
        );
        assert_eq!(
            p("Jebel Ali (AEJEA)"),
            Some(("AEJEA".into(), "Jebel Ali".into()))
        );
        assert_eq!(
            p("Kaohsiung,China (Taiwan)"),
            Some((String::new(), "Kaohsiung,China (Taiwan)".into()))
        );
        // Not a country's code: a name in parentheses, kept as written.
        assert_eq!(
            p("DEPOT (ZZABC)"),
            Some((String::new(), "DEPOT (ZZABC)".into()))
        );
        assert_eq!(p("(INNSA1)"), Some((String::new(), "(INNSA1)".into())));
        assert_eq!(p("N/A"), None);
    }
}
