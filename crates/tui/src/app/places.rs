//! What tells apart typeahead rows whose names are the same: three Entity List rows read
//! "Huawei Technologies Co., Ltd. (Huawei)" and differ only by address. Such rows show where
//! each is — the city when the cities differ, else the whole first address.

use std::collections::HashMap;

use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_matching::typeahead::{Kind, Results};

/// Rows that look the same: same kind badge, same matched name, same primary name.
fn look(r: &Results, i: usize) -> Option<(&str, &str, &str)> {
    r.hits
        .get(i)
        .map(|h| (&*h.record.badge, h.matched.as_str(), &*h.record.name))
}

/// Groups (hit indices) of the first `limit` hits that look the same, two or more each, in
/// the order of their first row.
pub fn same_looking(r: &Results, limit: usize) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut at: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for i in 0..r.hits.len().min(limit) {
        let Some(key) = look(r, i) else { continue };
        match at.get(&key) {
            Some(&g) => groups[g].push(i),
            None => {
                at.insert(key, groups.len());
                groups.push(vec![i]);
            }
        }
    }
    groups.retain(|g| g.len() > 1);
    groups
}

/// The record of a hit, for the store's place lookup.
pub fn record_of(r: &Results, i: usize) -> Option<RecordRef> {
    let h = r.hits.get(i)?;
    let kind = match h.record.kind {
        Kind::Entity => RecordKind::Entity,
        Kind::Party => RecordKind::Party,
        Kind::Assignee => RecordKind::Assignee,
    };
    Some(RecordRef::new(kind, h.record.id))
}

/// The city of a published address: its last comma-separated part that is neither a country
/// (code or name) nor a postal code ("…, Longgang District, Shenzhen, 518129, CN" → Shenzhen).
pub fn city_of(address: &str) -> Option<String> {
    address
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .rev()
        .find(|p| {
            let postal = p.chars().any(|c| c.is_ascii_digit())
                && !p.chars().any(char::is_alphabetic)
                || p.split_whitespace()
                    .all(|w| w.chars().all(|c| c.is_ascii_digit()));
            !postal && tradescope_core::country::code(p).is_none()
        })
        .map(str::to_string)
}

/// What each row of one same-looking group shows: the cities if they tell every row apart,
/// else the first addresses as published; None where nothing is known.
pub fn labels(addresses: &[Option<String>]) -> Vec<Option<String>> {
    let cities: Vec<Option<String>> = addresses
        .iter()
        .map(|a| a.as_deref().and_then(city_of))
        .collect();
    let mut seen = std::collections::HashSet::new();
    let distinct = cities
        .iter()
        .all(|c| c.as_ref().is_some_and(|c| seen.insert(c.to_lowercase())));
    if distinct {
        cities
    } else {
        addresses.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_city_of_an_address() {
        assert_eq!(
            city_of("Bantian Huawei Base, Longgang District, Shenzhen, 518129, CN").as_deref(),
            Some("Shenzhen")
        );
        assert_eq!(
            city_of("Tsim Sha Tsui, Kowloon, CN").as_deref(),
            Some("Kowloon")
        );
        assert_eq!(city_of("Moscow, Russia").as_deref(), Some("Moscow"));
        assert_eq!(city_of("CN"), None);
    }

    #[test]
    fn cities_when_they_tell_the_rows_apart_else_addresses() {
        let a = |s: &str| Some(s.to_string());
        let three = [
            a("Bantian Huawei Base, Longgang District, Shenzhen, 518129, CN"),
            a("No. 1899 Xi Yuan Road, High-Tech West District, Chengdu, 611731, CN"),
            a("Tsim Sha Tsui, Kowloon, CN"),
        ];
        assert_eq!(
            labels(&three),
            vec![a("Shenzhen"), a("Chengdu"), a("Kowloon")]
        );
        let same_city = [a("1 Road, Shenzhen, CN"), a("2 Road, Shenzhen, CN")];
        assert_eq!(labels(&same_city), same_city.to_vec());
        assert_eq!(
            labels(&[a("1 Road, Shenzhen"), None]),
            vec![a("1 Road, Shenzhen"), None]
        );
    }
}
