//! CSL `ids`: identifiers joined by "; ", each one written in one of the layouts trade.gov has
//! used: `country, value, type` and `value, type` (2022), `type, value, country` and
//! `type, value` (2023 onwards). The order is recognised by the id-type vocabulary below and ISO
//! country codes, never by position alone; values may contain ", " and are kept whole. What
//! fits no layout is kept raw (type [`UNPARSED`]) and counted, never guessed.

use tradescope_core::country;

use super::fields::split_multi;

/// The id type of an identifier no layout explained; the value is the text as published.
pub const UNPARSED: &str = "unparsed";

/// Id types seen in the published CSL files (2022-05 and 2025-06), compared case-insensitively.
const VOCABULARY: &[&str] = &[
    "Gender",
    "Passport",
    "Website",
    "Tax ID No.",
    "National ID No.",
    "Registration Number",
    "Cedula No.",
    "Organization Established Date",
    "Vessel Registration Identification",
    "Registration ID",
    "NIT #",
    "Email Address",
    "C.U.R.P.",
    "R.F.C.",
    "Government Gazette Number",
    "Aircraft Model",
    "Aircraft Manufacturer's Serial Number (MSN)",
    "Aircraft Manufacture Date",
    "Aircraft Operator",
    "Target Type",
    "SWIFT/BIC",
    "Identification Number",
    "ISIN",
    "RUC #",
    "Company Number",
    "Former Vessel Flag",
    "Folio Mercantil No.",
    "Commercial Registry Number",
    "Aircraft Construction Number (also called L/N or S/N or F/N)",
    "V.A.T. Number",
    "Issuer Name",
    "Equity Ticker",
    "Unified Social Credit Code (USCC)",
    "Effective Date (CMIC)",
    "Listing Date (CMIC)",
    "Purchase/Sales For Divestment Date (CMIC)",
    "Business Registration Number",
    "Trade License No.",
    "Matricula Mercantil No",
    "Aircraft Tail Number",
    "MMSI",
    "IMO",
    "D.N.I.",
    "C.R. No.",
    "D-U-N-S Number",
    "BIK (RU)",
    "Phone Number",
    "Business Registration Document #",
    "Executive Order 14024 Directive Information",
    "License",
    "Driver's License No.",
    "RIF #",
    "Legal Entity Number",
    "Electoral Registry No.",
    "Nationality of Registration",
    "RFC",
    "Diplomatic Passport",
    "Public Registration Number",
    "Personal ID Card",
    "Italian Fiscal Code",
    "Cartilla de Servicio Militar Nacional",
    "Chamber of Commerce Number",
    "Credencial electoral",
    "National Foreign ID Number",
    "US FEIN",
    "Chinese Commercial Code",
    "C.U.I.",
    "SSN",
    "UK Company Number",
    "Enterprise Number",
    "I.F.E.",
    "Birth Certificate Number",
    "Residency Number",
    "Registered Charity No.",
    "C.U.I.T.",
    "Branch Unit Number",
    "Dubai Chamber of Commerce Membership No.",
    "LE Number",
    "Previous Aircraft Tail Number",
    "C.U.I.P.",
    "Certificate of Incorporation Number",
    "Turkish Identification Number",
    "Citizen's Card Number",
    "United Social Credit Code Certificate (USCCC)",
    "Numero de Identidad",
    "Travel Document Number",
    "RTN",
    "Kenyan ID No.",
    "Other Vessel Type",
    "File Number",
    "VisaNumberID",
    "UN/LOCODE",
    "Business Number",
    "C.I.F.",
    "Tazkira National ID Card",
    "Aircraft Serial Identification",
    "Aircraft Mode S Transponder Code",
    "Refugee ID Card",
    "Central Registration System Number",
    "SRE Permit No.",
    "Numero Unico de Identificacao Tributaria (NUIT)",
    "Afghan Money Service Provider License Number",
    "Immigration No.",
    "Pilot License Number",
    "Other Vessel Call Sign",
    "Other Vessel Flag",
    "Stateless Person Passport",
    "Stateless Person ID Card",
    "Paraguayan tax identification number",
    "Bosnian Personal ID No.",
    "Serial No.",
    "Romanian C.R.",
    "CNP (Personal Numerical Code)",
    "Romanian Permanent Resident",
    "Fiscal Code",
    "N.I.E.",
    "Tourism License No.",
    "Registration Country",
    "Seafarer's Identification Document",
    "Istanbul Chamber of Comm. No.",
    "Romanian Tax Registration",
    "Moroccan Personal ID No.",
    "MICEX Code",
    "Public Security and Immigration No.",
    "MSB Registration Number",
    "RSIN",
    "UAE Identification",
    "British National Overseas Passport",
];

/// One identifier of a CSL row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub id_type: String,
    pub value: String,
    pub country: Option<String>,
}

/// The identifiers of one `ids` cell, and what could not be read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ParsedIds {
    pub ids: Vec<Ident>,
    /// The raw text of each identifier kept as [`UNPARSED`] (also in `ids`).
    pub unparsed: Vec<String>,
}

/// Whether `s` names an id type: in the vocabulary, or of a form only id types take
/// ("Secondary sanctions risk:", "Executive Order 13662 Directive Determination -",
/// "Digital Currency Address - XBT").
pub fn is_id_type(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() {
        return false;
    }
    VOCABULARY.iter().any(|v| v.eq_ignore_ascii_case(s))
        || s.ends_with(':')
        || s.ends_with(" -")
        || s.starts_with("Digital Currency Address - ")
}

/// An ISO 3166-1 alpha-2 code exactly as the CSL writes one ("GB", not "Britain").
fn is_country_code(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()) && country::name(s).is_some()
}

pub fn parse(cell: &str) -> ParsedIds {
    let mut out = ParsedIds::default();
    for raw in split_multi(cell) {
        match parse_one(&raw) {
            Some(id) => out.ids.push(id),
            None => {
                out.ids.push(Ident {
                    id_type: UNPARSED.into(),
                    value: raw.clone(),
                    country: None,
                });
                out.unparsed.push(raw);
            }
        }
    }
    out
}

fn parse_one(raw: &str) -> Option<Ident> {
    let parts: Vec<&str> = raw.split(", ").map(str::trim).collect();
    let ident = |t: &str, v: &[&str], c: Option<&str>| {
        let value = v.join(", ");
        (!value.is_empty()).then(|| Ident {
            id_type: t.to_string(),
            value,
            country: c.map(str::to_string),
        })
    };
    let (first, last) = (*parts.first()?, *parts.last()?);
    let n = parts.len();
    if n < 2 {
        return None;
    }
    let (first_type, last_type) = (is_id_type(first), is_id_type(last));
    if n >= 3 {
        let (first_cc, last_cc) = (is_country_code(first), is_country_code(last));
        let old = first_cc && last_type;
        let new = first_type && last_cc;
        return match (old, new) {
            (true, false) => ident(last, &parts[1..n - 1], Some(first)),
            (false, true) => ident(first, &parts[1..n - 1], Some(last)),
            (true, true) => None,
            // No country: the type is at one end, the value (with its commas) is the rest.
            (false, false) => match (first_type, last_type) {
                (true, false) => ident(first, &parts[1..], None),
                (false, true) => ident(last, &parts[..n - 1], None),
                _ => None,
            },
        };
    }
    match (first_type, last_type) {
        (true, false) => ident(first, &parts[1..], None),
        (false, true) => ident(last, &parts[..1], None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(t: &str, v: &str, c: Option<&str>) -> Ident {
        Ident {
            id_type: t.into(),
            value: v.into(),
            country: c.map(Into::into),
        }
    }

    #[test]
    fn both_triple_orders() {
        let old = parse("GB, 01074897, Company Number");
        let new = parse("Company Number, 01074897, GB");
        assert_eq!(old.ids, vec![id("Company Number", "01074897", Some("GB"))]);
        assert_eq!(new.ids, old.ids);
        assert!(old.unparsed.is_empty() && new.unparsed.is_empty());
    }

    #[test]
    fn both_pair_orders() {
        assert_eq!(
            parse("HAVIGB2L, SWIFT/BIC").ids,
            vec![id("SWIFT/BIC", "HAVIGB2L", None)]
        );
        assert_eq!(
            parse("SWIFT/BIC, RUDVRUMM").ids,
            vec![id("SWIFT/BIC", "RUDVRUMM", None)]
        );
        assert_eq!(parse("Male, Gender").ids, parse("Gender, Male").ids);
    }

    #[test]
    fn commas_inside_values_are_kept() {
        let p = parse(
            "Secondary sanctions risk:, Ukraine-/Russia-Related Sanctions Regulations, 31 CFR \
             589.201 and/or 589.209; North Korea Sanctions Regulations, sections 510.201 and \
             510.210, Secondary sanctions risk:",
        );
        assert_eq!(
            p.ids,
            vec![
                id(
                    "Secondary sanctions risk:",
                    "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209",
                    None
                ),
                id(
                    "Secondary sanctions risk:",
                    "North Korea Sanctions Regulations, sections 510.201 and 510.210",
                    None
                ),
            ]
        );
        // Issue and expiry dates between country and type (2022 passports).
        assert_eq!(
            parse("JO, 2014-08-30, 2009-08-31, K475336, Passport").ids,
            vec![id(
                "Passport",
                "2014-08-30, 2009-08-31, K475336",
                Some("JO")
            )]
        );
    }

    #[test]
    fn unrecognised_ids_are_kept_raw() {
        let p = parse("Something Odd, 1234; CNE100000PM8, ISIN");
        assert_eq!(p.unparsed, vec!["Something Odd, 1234".to_string()]);
        assert_eq!(p.ids[0], id(UNPARSED, "Something Odd, 1234", None));
        assert_eq!(p.ids[1], id("ISIN", "CNE100000PM8", None));
        // A lone value, and a triple whose ends are both a country and a type, are not guessed.
        assert_eq!(parse("RUDVRUMM").unparsed.len(), 1);
    }
}
