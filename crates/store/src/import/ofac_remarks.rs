//! What the OFAC legacy files say only in their remarks field: the list of a non-SDN entry,
//! the list's full name, the listing date and the identifiers (USCC, ISIN, passports, …).

use tradescope_core::country;

/// The legacy non-SDN file has no list column; the list is inferred from program and remarks.
pub(super) fn cons_list_code(program: &str, remarks: &str) -> &'static str {
    if program.contains("CMIC") {
        "CMIC"
    } else if program.contains("NS-PLC") {
        "PLC"
    } else if program.contains("FSE") {
        "FSE"
    } else if remarks.contains("correspondent account or a payable-through account") {
        "CAP"
    } else if program.contains("MBS") || remarks.contains("Menu-Based") {
        "NS-MBS"
    } else if program.contains("UKRAINE-EO13662") || remarks.contains("Directive") {
        "SSI"
    } else {
        "NONSDN"
    }
}

pub(super) fn list_name(code: &str) -> &'static str {
    match code {
        "SDN" => "Specially Designated Nationals (SDN) - Treasury Department",
        "CMIC" => "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
        "PLC" => "Palestinian Legislative Council List (PLC) - Treasury Department",
        "FSE" => "Foreign Sanctions Evaders (FSE) - Treasury Department",
        "CAP" => "Capta List (CAP) - Treasury Department",
        "NS-MBS" => "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
        "SSI" => "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
        _ => "Non-SDN Consolidated Sanctions List - Treasury Department",
    }
}

/// "Listing Date (CMIC) 03 Jun 2021" in remarks: the date the entry joined its list.
pub(super) fn listing_date(remarks: &str) -> Option<String> {
    remarks
        .split(';')
        .map(str::trim)
        .find_map(|item| item.strip_prefix("Listing Date ("))
        .and_then(|rest| rest.split_once(") "))
        .and_then(|(_, d)| {
            crate::import::fields::date(d.trim_end_matches('.'))
                .ok()
                .flatten()
        })
}

/// Identifiers written into OFAC remarks ("ISIN CNE100000PM8; Unified Social Credit Code
/// (USCC) 91330000733796106P; Passport 717637093 (Russia); …").
pub(super) fn remark_ids(remarks: &str) -> Vec<(String, String, Option<String>)> {
    const TYPES: &[&str] = &[
        "Unified Social Credit Code (USCC)",
        "ISIN",
        "SWIFT/BIC",
        "IMO",
        "Passport",
        "National ID No.",
        "Tax ID No.",
        "Registration Number",
        "Registration ID",
        "Legal Entity Number",
        "Equity Ticker",
        "MMSI",
        "Aircraft Manufacturer's Serial Number (MSN)",
        "Cedula No.",
        "RFC",
        "NIT #",
        "D-U-N-S Number",
    ];
    let mut out = Vec::new();
    for item in remarks.split(';').map(|s| s.trim().trim_end_matches('.')) {
        for t in TYPES {
            if let Some(rest) = item.strip_prefix(t) {
                let rest = rest.trim();
                if rest.is_empty()
                    || !rest
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                {
                    continue;
                }
                let (value, ctry) = match (rest.rfind(" ("), rest.ends_with(')')) {
                    (Some(i), true) => (
                        rest[..i].trim().to_string(),
                        country::code(&rest[i + 2..rest.len() - 1]).map(str::to_string),
                    ),
                    _ => (rest.to_string(), None),
                };
                out.push((t.to_string(), value, ctry));
                break;
            }
        }
    }
    out
}
