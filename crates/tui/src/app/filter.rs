//! The small filter language typed after `/` in the Shipments and Patents panes.
//!
//! Keys combine with AND; `party:` may repeat and then means any of the names (OR), every
//! other key is refused when given twice (never the last one silently).
//!
//! Shipments: `party:NAME` (shipper, consignee or notify party whose name contains NAME),
//! `country:CC` (origin or destination; a code or a name), `origin:CC`, `dest:CC`,
//! `port:TEXT` (port of lading or unlading contains TEXT), `hs:8525` (HS code prefix),
//! `from:DATE` `to:DATE` (YYYY, YYYY-MM or YYYY-MM-DD, inclusive), `listed:yes|no` (as-of
//! screening: a party listed at the ship date), `products:listed` (carries a listed maker's
//! brands or model numbers); other words: description
//! contains them (as one phrase). Patents: `cet:AI`, `cpc:H04N` (a CPC code prefix),
//! `year:2020` (publication year) plus a number, title words or an assignee.
//! Values with spaces go in double quotes: `party:"phuong viet"`.

use chrono::NaiveDate;

use tradescope_core::country;
use tradescope_store::patents::PatentFilter;
use tradescope_store::shipments::ShipmentFilter;

/// The keys, with one line of help each (shown in the help overlay and the README).
pub const SHIPMENT_KEYS: &[(&str, &str)] = &[
    (
        "party:NAME",
        "shipper, consignee or notify party name contains NAME (repeat: any of them)",
    ),
    ("country:CC", "origin or destination country (code or name)"),
    ("origin:CC  dest:CC", "origin / destination country"),
    ("port:TEXT", "port of lading or unlading contains TEXT"),
    ("hs:8525", "HS code starts with 8525"),
    (
        "from:DATE  to:DATE",
        "date range, inclusive (2020, 2020-05 or 2020-05-31)",
    ),
    (
        "listed:yes  listed:no",
        "a party listed at the ship date (no: not listed)",
    ),
    (
        "products:listed",
        "carries a listed maker's brands / model numbers",
    ),
    (
        "other words",
        "description contains them (model numbers: 2CD7A46)",
    ),
];

pub const PATENT_KEYS: &[(&str, &str)] = &[
    (
        "cet:AI",
        "critical and emerging technology area (CPC based)",
    ),
    ("cpc:H04N", "a CPC code starts with H04N (H04N5/33 narrows)"),
    ("year:2020", "published in 2020 (a grant: granted in 2020)"),
    (
        "other words",
        "a patent number, title words or an assignee name",
    ),
];

/// Split into words, keeping double-quoted parts together (quotes removed). The flag says
/// whether the word has a colon outside quotes, i.e. may be `key:value`.
fn words(q: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut keyed = false;
    let mut quoted = false;
    for c in q.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), keyed));
                }
                keyed = false;
            }
            c => {
                keyed |= c == ':' && !quoted;
                cur.push(c);
            }
        }
    }
    if !cur.is_empty() {
        out.push((cur, keyed));
    }
    out
}

/// `key:value` → (key lower-cased, value); None for a plain word.
fn key_value((w, keyed): &(String, bool)) -> Option<(String, &str)> {
    if !keyed {
        return None;
    }
    let (k, v) = w.split_once(':')?;
    (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| (k.to_ascii_lowercase(), v))
}

fn country_code(key: &str, v: &str) -> Result<String, String> {
    country::code(v)
        .map(str::to_string)
        .ok_or_else(|| format!("{key}:{v} — not a country code or name I know"))
}

/// First (or last, `end`) day of a YYYY, YYYY-MM or YYYY-MM-DD value.
fn date_bound(key: &str, v: &str, end: bool) -> Result<String, String> {
    let bad = || format!("{key}:{v} — use YYYY, YYYY-MM or YYYY-MM-DD");
    let parts: Vec<&str> = v.split('-').collect();
    let num = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let (y, m, d) = match parts.as_slice() {
        [y] if y.len() == 4 => (num(y)? as i32, None, None),
        [y, m] if y.len() == 4 => (num(y)? as i32, Some(num(m)?), None),
        [y, m, d] if y.len() == 4 => (num(y)? as i32, Some(num(m)?), Some(num(d)?)),
        _ => return Err(bad()),
    };
    let date = match (m, d) {
        (None, _) => NaiveDate::from_ymd_opt(y, if end { 12 } else { 1 }, if end { 31 } else { 1 }),
        (Some(m), None) if end => NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
            .and_then(|n| n.pred_opt()),
        (Some(m), None) => NaiveDate::from_ymd_opt(y, m, 1),
        (Some(m), Some(d)) => NaiveDate::from_ymd_opt(y, m, d),
    };
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .ok_or_else(bad)
}

fn twice(k: &str) -> String {
    format!(
        "{k}: given twice — one {k}: value per filter (keys combine with AND; only party: \
         repeats, meaning any of the names)"
    )
}

/// Parse a Shipments filter; the error says which word is wrong and what would be right.
pub fn parse_shipments(q: &str) -> Result<ShipmentFilter, String> {
    let mut f = ShipmentFilter::default();
    let mut text: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for w in words(q) {
        let Some((k, v)) = key_value(&w) else {
            text.push(w.0);
            continue;
        };
        if v.is_empty() {
            return Err(format!("{k}: needs a value, e.g. {k}:…"));
        }
        // Repeated party: keys are alternatives (OR); any other key holds one value per
        // filter, and a second one is refused rather than silently replacing the first.
        if k != "party" && seen.contains(&k) {
            return Err(twice(&k));
        }
        seen.push(k.clone());
        match k.as_str() {
            "party" => f.party_names.push(v.to_string()),
            "country" => f.country = Some(country_code(&k, v)?),
            "origin" => f.origin_country = Some(country_code(&k, v)?),
            "dest" => f.dest_country = Some(country_code(&k, v)?),
            "port" => f.port = Some(v.to_string()),
            "hs" => {
                if !v.chars().all(|c| c.is_ascii_digit() || c == '.') {
                    return Err(format!(
                        "hs:{v} — an HS code prefix is digits, e.g. hs:8525"
                    ));
                }
                f.hs_prefix = Some(v.replace('.', ""));
            }
            "from" => f.date_from = Some(date_bound(&k, v, false)?),
            "to" => f.date_to = Some(date_bound(&k, v, true)?),
            "listed" => {
                f.listed_at_date = Some(match v.to_ascii_lowercase().as_str() {
                    "yes" | "y" | "true" => true,
                    "no" | "n" | "false" => false,
                    _ => return Err(format!("listed:{v} — use listed:yes or listed:no")),
                })
            }
            "products" => {
                if !v.eq_ignore_ascii_case("listed") {
                    return Err(format!(
                        "products:{v} — use products:listed (carries a listed maker's products)"
                    ));
                }
                f.carries_listed_products = true;
            }
            _ => {
                return Err(format!(
                    "unknown filter {k}: — use party: country: origin: dest: port: hs: from: to: \
                     listed: products: (quote text with a colon: \"{}\")",
                    w.0
                ))
            }
        }
    }
    if !text.is_empty() {
        f.text = Some(text.join(" "));
    }
    Ok(f)
}

/// Parse a Patents filter.
pub fn parse_patents(q: &str) -> Result<PatentFilter, String> {
    let mut f = PatentFilter::default();
    let mut text: Vec<String> = Vec::new();
    for w in words(q) {
        let Some((k, v)) = key_value(&w) else {
            text.push(w.0);
            continue;
        };
        let slot = match k.as_str() {
            "cet" => &mut f.cet,
            "cpc" => &mut f.cpc,
            "year" => &mut f.year,
            _ => {
                return Err(format!(
                    "unknown filter {k}: — use cet: cpc: year: or type a number, title words \
                     or an assignee"
                ))
            }
        };
        if slot.is_some() {
            return Err(twice(&k));
        }
        let value = match k.as_str() {
            "cet" if v.is_empty() => return Err("cet: needs an area code, e.g. cet:AI".into()),
            "cet" => v.to_ascii_uppercase(),
            "cpc" => {
                let code: String = v
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_uppercase();
                let mut chars = code.chars();
                let section_ok = chars.next().is_some_and(|c| matches!(c, 'A'..='H' | 'Y'));
                if !section_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '/') {
                    return Err(format!(
                        "cpc:{v} — a CPC code prefix starts with a section letter A–H or Y, \
                         e.g. cpc:H04N or cpc:G06V40/16"
                    ));
                }
                code
            }
            _ => {
                if v.len() != 4 || !v.chars().all(|c| c.is_ascii_digit()) {
                    return Err(format!("year:{v} — a year is four digits, e.g. year:2020"));
                }
                v.to_string()
            }
        };
        *slot = Some(value);
    }
    if !text.is_empty() {
        f.text = Some(text.join(" "));
    }
    Ok(f)
}

/// The link's filter with the user's typed filter on top (typed values win on the same field).
pub fn merge_shipments(base: &ShipmentFilter, typed: ShipmentFilter) -> ShipmentFilter {
    let b = base.clone();
    ShipmentFilter {
        shipper_id: typed.shipper_id.or(b.shipper_id),
        consignee_id: typed.consignee_id.or(b.consignee_id),
        notify_id: typed.notify_id.or(b.notify_id),
        party_id: typed.party_id.or(b.party_id),
        entity_id: typed.entity_id.or(b.entity_id),
        // Typed names replace the link's (a link sets none today).
        party_names: if typed.party_names.is_empty() {
            b.party_names
        } else {
            typed.party_names
        },
        country: typed.country.or(b.country),
        origin_country: typed.origin_country.or(b.origin_country),
        dest_country: typed.dest_country.or(b.dest_country),
        port: typed.port.or(b.port),
        hs_prefix: typed.hs_prefix.or(b.hs_prefix),
        date_from: typed.date_from.or(b.date_from),
        date_to: typed.date_to.or(b.date_to),
        text: typed.text.or(b.text),
        listed_at_date: typed.listed_at_date.or(b.listed_at_date),
        carries_listed_products: typed.carries_listed_products || b.carries_listed_products,
        synthetic: typed.synthetic.or(b.synthetic),
    }
}

pub fn merge_patents(base: &PatentFilter, typed: PatentFilter) -> PatentFilter {
    let b = base.clone();
    PatentFilter {
        text: typed.text.or(b.text),
        assignee_id: typed.assignee_id.or(b.assignee_id),
        entity_id: typed.entity_id.or(b.entity_id),
        cet: typed.cet.or(b.cet),
        cpc: typed.cpc.or(b.cpc),
        year: typed.year.or(b.year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_party_means_any_other_repeated_keys_are_refused() {
        // party: repeats: any of the names (OR), still AND with the other keys.
        let f = parse_shipments("party:hikvision hs:8525 party:\"phuong viet\"").unwrap();
        assert_eq!(f.party_names, vec!["hikvision", "phuong viet"]);
        assert_eq!(f.hs_prefix.as_deref(), Some("8525"));
        // Any other key twice is refused, never the last one kept.
        let e = parse_shipments("hs:8525 from:2020 HS:8517").unwrap_err();
        assert!(e.starts_with("hs: given twice"), "{e}");
        assert!(e.contains("only party: repeats"), "{e}");
        for q in [
            "country:VN country:CN",
            "from:2019 from:2020",
            "port:hai port:ho",
        ] {
            assert!(parse_shipments(q).is_err(), "{q}");
        }
        for q in ["cet:AI cet:QC", "cpc:H04N cpc:G06V", "year:2020 year:2021"] {
            let e = parse_patents(q).unwrap_err();
            assert!(e.contains("given twice"), "{q}: {e}");
        }
        // Different keys still combine.
        let f = parse_shipments("party:phuong hs:8525").unwrap();
        assert_eq!(f.party_names, vec!["phuong"]);
        assert_eq!(f.hs_prefix.as_deref(), Some("8525"));
    }

    #[test]
    fn patent_cpc_and_year_keys() {
        let f = parse_patents("cpc:g06v40/16 year:2022 liveness").unwrap();
        assert_eq!(f.cpc.as_deref(), Some("G06V40/16"));
        assert_eq!(f.year.as_deref(), Some("2022"));
        assert_eq!(f.text.as_deref(), Some("liveness"));
        assert_eq!(
            parse_patents("cpc:\"H04N 5/33\"").unwrap().cpc.as_deref(),
            Some("H04N5/33")
        );
        assert!(parse_patents("cpc:5G")
            .unwrap_err()
            .contains("section letter"));
        assert!(parse_patents("year:20")
            .unwrap_err()
            .contains("four digits"));
        assert!(parse_patents("year:").is_err());
        assert!(parse_patents("colour:red")
            .unwrap_err()
            .contains("cet: cpc: year:"));
    }

    #[test]
    fn shipment_filter_syntax() {
        let f = parse_shipments(
            r#"party:"phuong viet" country:vietnam hs:8525 from:2020 to:2020-02 camera IDS"#,
        )
        .unwrap();
        assert_eq!(f.party_names, vec!["phuong viet"]);
        assert_eq!(f.country.as_deref(), Some("VN"));
        assert_eq!(f.hs_prefix.as_deref(), Some("8525"));
        assert_eq!(f.date_from.as_deref(), Some("2020-01-01"));
        assert_eq!(f.date_to.as_deref(), Some("2020-02-29"));
        assert_eq!(f.text.as_deref(), Some("camera IDS"));
    }

    #[test]
    fn as_of_and_product_filters() {
        let f = parse_shipments("listed:no products:listed hs:8525").unwrap();
        assert_eq!(f.listed_at_date, Some(false));
        assert!(f.carries_listed_products);
        assert_eq!(
            parse_shipments("listed:YES").unwrap().listed_at_date,
            Some(true)
        );
        assert!(parse_shipments("listed:maybe")
            .unwrap_err()
            .contains("listed:yes or listed:no"));
        assert!(parse_shipments("products:all").is_err());
    }

    #[test]
    fn errors_name_the_word() {
        assert!(parse_shipments("from:2020-13")
            .unwrap_err()
            .contains("from:2020-13"));
        assert!(parse_shipments("colour:red")
            .unwrap_err()
            .contains("unknown filter colour:"));
        assert!(parse_shipments("hs:85x").is_err());
        assert!(parse_shipments("country:Atlantis").is_err());
        // Quoted text with a colon is description text.
        let f = parse_shipments(r#""model:x1""#).unwrap();
        assert_eq!(f.text.as_deref(), Some("model:x1"));
    }

    #[test]
    fn patents_and_merge() {
        let f = parse_patents("cet:ai face liveness").unwrap();
        assert_eq!(f.cet.as_deref(), Some("AI"));
        assert_eq!(f.text.as_deref(), Some("face liveness"));
        let base = PatentFilter {
            entity_id: Some(5),
            ..Default::default()
        };
        let m = merge_patents(&base, f);
        assert_eq!(m.entity_id, Some(5));
        assert_eq!(m.cet.as_deref(), Some("AI"));
    }
}
