//! Country names and codes: ISO 3166-1 alpha-2 from the many spellings publishers use
//! ("Korea, North", "Viet Nam", "PRC", "Region: Crimea"). Data: data/reference/countries.tsv.

use std::collections::HashMap;
use std::sync::LazyLock;

const TABLE: &str = include_str!("../../../data/reference/countries.tsv");

struct Countries {
    by_key: HashMap<String, &'static str>,
    names: HashMap<&'static str, &'static str>,
}

static COUNTRIES: LazyLock<Countries> = LazyLock::new(|| {
    let mut by_key = HashMap::new();
    let mut names = HashMap::new();
    for line in TABLE.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let mut cols = line.split('\t');
        let (Some(code), Some(name), Some(keys)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        names.insert(code, name);
        by_key.insert(code.to_string(), code);
        for k in keys.split(',').filter(|k| !k.is_empty()) {
            by_key.insert(k.to_string(), code);
        }
    }
    Countries { by_key, names }
});

fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// ISO alpha-2 code for a country name or code, if recognised.
pub fn code(name_or_code: &str) -> Option<&'static str> {
    let t = name_or_code.trim();
    if t.is_empty() {
        return None;
    }
    let k = key(t);
    let c = &*COUNTRIES;
    c.by_key
        .get(&k)
        .or_else(|| k.strip_prefix("THE").and_then(|s| c.by_key.get(s)))
        .copied()
}

/// Display name for an alpha-2 code.
pub fn name(code: &str) -> Option<&'static str> {
    COUNTRIES.names.get(code).copied()
}

/// Country of an address written as publishers do, with the country last
/// ("…, Hangzhou, 310051, CN" or "…, Ho Chi Minh City, Vietnam").
pub fn from_address(address: &str) -> Option<&'static str> {
    let last = address.rsplit(',').next()?.trim();
    code(last)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_keep_small_words_lower_case() {
        assert_eq!(name("US"), Some("United States of America"));
        assert_eq!(name("KR"), Some("Republic of Korea"));
        assert_eq!(name("CD"), Some("Democratic Republic of the Congo"));
        assert_eq!(code("United States of America"), Some("US"));
    }

    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(code("Korea, North"), Some("KP"));
        assert_eq!(code("Viet Nam"), Some("VN"));
        assert_eq!(code("CN"), Some("CN"));
        assert_eq!(code("United Kingdom"), Some("GB"));
        assert_eq!(code("Bahamas, The"), Some("BS"));
        assert_eq!(code("Atlantis"), None);
        assert_eq!(
            from_address("555, Qianmo Road, Binjiang District, Hangzhou, 310051, CN"),
            Some("CN")
        );
        assert_eq!(name("VN"), Some("Vietnam"));
    }
}
