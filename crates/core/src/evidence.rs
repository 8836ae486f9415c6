//! Product evidence between two shipments: do they carry the same goods? Shared model numbers
//! (strongest), a shared HS code prefix (6 or 4 digits), shared description terms. Pure; the
//! transshipment trail (db::trail) uses it to match a distributor's onward shipment to what it
//! received.

use std::collections::BTreeSet;

use serde::Serialize;

/// Words that say nothing about the goods: packaging, quantities, paperwork, filler.
const STOP: &[&str] = &[
    "AND",
    "THE",
    "FOR",
    "WITH",
    "NOT",
    "HAS",
    "HAVE",
    "DOES",
    "FROM",
    "INTO",
    "ALL",
    "ARE",
    "NEW",
    "NEW100",
    "BRAND",
    "BRANDS",
    "MODEL",
    "MODELO",
    "QTY",
    "PCS",
    "PIECES",
    "PKG",
    "PKGS",
    "CTN",
    "CTNS",
    "CARTON",
    "CARTONS",
    "PLT",
    "PALLET",
    "PALLETS",
    "SET",
    "SETS",
    "UNIT",
    "UNITS",
    "GOODS",
    "CODE",
    "ITEM",
    "ITEMS",
    "SAID",
    "CONTAIN",
    "CONTAINS",
    "SHIPPER",
    "LOAD",
    "COUNT",
    "STC",
    "INCLUDING",
    "INCLUDES",
    "MANUFACTURER",
    "PARTS",
    "PART",
    "TYPE",
    "USED",
    "DE",
    "LA",
    "DEL",
    "LOS",
    "LAS",
    "CON",
    "PARA",
    "POR",
    "UNA",
    "THIET",
    "HANG",
    "MOI",
];

/// Distinctive upper-case words of a description: letters (and digits) of 3+ characters with
/// at least one letter, stop words dropped.
pub fn terms(description: &str) -> BTreeSet<String> {
    description
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && w.chars().any(char::is_alphabetic))
        .map(str::to_uppercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

/// The longest HS prefix two code sets share, at 6 or 4 digits (shorter is not evidence: a
/// chapter such as 85 holds everything electrical).
pub fn shared_hs_prefix(a: &[String], b: &[String]) -> Option<String> {
    let mut best: Option<String> = None;
    for x in a {
        for y in b {
            let n = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
            let keep = if n >= 6 {
                6
            } else if n >= 4 {
                4
            } else {
                continue;
            };
            if best.as_ref().is_none_or(|b| b.len() < keep) {
                best = Some(x[..keep].to_string());
            }
        }
    }
    best
}

/// What two shipments' goods have in common.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Shared {
    pub hs_prefix: Option<String>,
    pub models: Vec<String>,
    pub terms: Vec<String>,
    /// Both name model numbers, none in common: different goods under the same HS heading.
    #[serde(skip)]
    pub different_models: bool,
}

impl Shared {
    pub fn between(a: &Goods, b: &Goods) -> Shared {
        let models: Vec<String> = a.models.intersection(&b.models).cloned().collect();
        Shared {
            hs_prefix: shared_hs_prefix(&a.hs, &b.hs),
            different_models: models.is_empty() && !a.models.is_empty() && !b.models.is_empty(),
            models,
            terms: a.terms.intersection(&b.terms).cloned().collect(),
        }
    }

    /// The same goods, as far as the records tell: a shared model number, a shared HS prefix,
    /// or two shared description terms — unless both name model numbers and share none.
    pub fn is_match(&self) -> bool {
        !self.models.is_empty()
            || (!self.different_models && (self.hs_prefix.is_some() || self.terms.len() >= 2))
    }

    /// For choosing the best evidence: model numbers first, then the HS prefix length, then
    /// terms.
    pub fn strength(&self) -> (usize, usize, usize) {
        (
            self.models.len(),
            self.hs_prefix.as_ref().map_or(0, String::len),
            self.terms.len(),
        )
    }
}

/// The goods of one shipment, as evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Goods {
    /// HS codes, digits only.
    pub hs: Vec<String>,
    /// Model-number keys (db::products::model_key).
    pub models: BTreeSet<String>,
    pub terms: BTreeSet<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_keep_what_describes_the_goods() {
        let t = terms("4MP DEEPINVIEW BULLET CAMERA 2.8-12MM MODEL iDS-2CD7A46G0-IZHS BRAND HIKVISION QTY 340 PCS");
        for w in ["DEEPINVIEW", "BULLET", "CAMERA", "HIKVISION", "4MP"] {
            assert!(t.contains(w), "{w} in {t:?}");
        }
        for w in ["MODEL", "BRAND", "QTY", "PCS", "340"] {
            assert!(!t.contains(w), "{w} in {t:?}");
        }
        let vn = terms("Camera quan sat hinh anh iDS-2CD7A46G0-IZHS 4mp deepinview bullet camera 2.8-12mm Brand hikvision New100%");
        let shared: Vec<_> = t.intersection(&vn).collect();
        assert!(shared.len() >= 4, "{shared:?}");
    }

    #[test]
    fn hs_prefixes_at_six_or_four_digits() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shared_hs_prefix(&s(&["852589"]), &s(&["85258900"])).as_deref(),
            Some("852589")
        );
        assert_eq!(
            shared_hs_prefix(&s(&["852589"]), &s(&["852580", "8517"])).as_deref(),
            Some("8525")
        );
        assert_eq!(shared_hs_prefix(&s(&["852589"]), &s(&["851762"])), None);
        assert_eq!(shared_hs_prefix(&s(&[]), &s(&["851762"])), None);
    }

    #[test]
    fn a_match_needs_goods_evidence() {
        let a = Goods {
            hs: vec!["852589".into()],
            models: ["IDS2CD7A46G0IZHS".to_string()].into(),
            terms: terms("bullet camera deepinview"),
        };
        let b = Goods {
            hs: vec!["940540".into()],
            models: BTreeSet::new(),
            terms: terms("LED LAMP"),
        };
        assert!(!Shared::between(&a, &b).is_match());
        assert!(Shared::between(&a, &a).is_match());
        // Same HS heading, other maker's model: not the same goods.
        let dahua = Goods {
            hs: vec!["852589".into()],
            models: ["DHIPCHFW2431S".to_string()].into(),
            terms: terms("IP CAMERA"),
        };
        assert!(!Shared::between(&a, &dahua).is_match());
        let unnamed = Goods {
            models: BTreeSet::new(),
            ..dahua.clone()
        };
        assert_eq!(
            Shared::between(&a, &unnamed).hs_prefix.as_deref(),
            Some("852589")
        );
        assert!(Shared::between(&a, &unnamed).is_match());
        assert_eq!(Shared::between(&a, &a).models, vec!["IDS2CD7A46G0IZHS"]);
    }
}
