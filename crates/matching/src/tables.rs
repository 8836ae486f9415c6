//! The word tables (legal forms, generic words, places, particles) parsed from the embedded
//! data file `tables.txt`, and the token classes they assign.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const TABLES: &str = include_str!("tables.txt");

/// What a token is, for weighting: a distinctive word weighs most, a legal form least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// A distinctive word (HIKVISION, PUTIN).
    Word,
    /// Digits or a roman numeral (vessel and unit numbers).
    Number,
    /// Descriptive words many organisations share (TECHNOLOGY, TRADING).
    Generic,
    /// A place name (HANGZHOU, SICHUAN, CHINA) or a location suffix.
    Place,
    /// A patronymic (VLADIMIROVICH), often left out.
    Patronymic,
    /// Connecting words, name particles and honorifics (OF, THE, AL, BIN, MR).
    Particle,
    /// A canonical legal form (CO LTD, LLC, OOO).
    Legal,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::Word => "word",
            Class::Number => "number",
            Class::Generic => "generic",
            Class::Place => "place",
            Class::Patronymic => "patronymic",
            Class::Particle => "particle",
            Class::Legal => "legal form",
        }
    }
}

/// A phrase of the tables: its words, its class and (for legal forms) its canonical text.
pub struct Phrase {
    pub words: Vec<&'static str>,
    pub class: Class,
    pub canonical: Option<&'static str>,
}

/// What kind of entity a legal form makes (for "different legal forms" evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalFamily {
    Stock,
    Limited,
    Partnership,
}

pub struct Tables {
    /// Phrases by first word, longest first.
    by_first: HashMap<&'static str, Vec<Phrase>>,
    /// Generic words given as prefixes (TECHNOLOG*).
    generic_prefixes: Vec<&'static str>,
    pub longest: usize,
    /// Countries and jurisdictions ([country]).
    countries: HashSet<&'static str>,
    /// Ordinary words used in many company names ([common]).
    common: HashSet<&'static str>,
    /// Canonical legal form -> family ([legal-family]).
    legal_family: HashMap<&'static str, LegalFamily>,
    /// Canonical legal form -> the countries whose law it belongs to ([legal-country]).
    legal_country: HashMap<&'static str, Vec<&'static str>>,
    /// Words that make a holding of a name ([holding]).
    holding: HashSet<&'static str>,
    /// Abbreviation -> expansion words ([abbrev]).
    pub abbrev: HashMap<&'static str, Vec<&'static str>>,
    /// Number word -> value ([number]).
    pub numbers: HashMap<&'static str, u32>,
    /// Ordinal in words or digits -> canonical form ([ordinal]).
    pub ordinals: HashMap<&'static str, &'static str>,
}

pub static TABLES_DATA: LazyLock<Tables> = LazyLock::new(|| parse(TABLES));

fn parse(text: &'static str) -> Tables {
    let mut by_first: HashMap<&'static str, Vec<Phrase>> = HashMap::new();
    let mut generic_prefixes = Vec::new();
    let mut countries = HashSet::new();
    let mut common = HashSet::new();
    let mut legal_family = HashMap::new();
    let mut legal_country = HashMap::new();
    let mut holding = HashSet::new();
    let mut abbrev = HashMap::new();
    let mut numbers = HashMap::new();
    let mut ordinals = HashMap::new();
    let mut section = "";
    let mut add = |words: Vec<&'static str>, class: Class, canonical: Option<&'static str>| {
        if let Some(first) = words.first().copied() {
            by_first.entry(first).or_default().push(Phrase {
                words,
                class,
                canonical,
            });
        }
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            section = line.trim_matches(|c| c == '[' || c == ']');
            continue;
        }
        match section {
            "legal" => {
                let Some((canonical, variants)) = line.split_once('\t') else {
                    continue;
                };
                add(
                    canonical.split(' ').collect(),
                    Class::Legal,
                    Some(canonical),
                );
                for v in variants.split('|').filter(|v| !v.is_empty()) {
                    add(v.split(' ').collect(), Class::Legal, Some(canonical));
                }
            }
            "generic" | "particle" | "person" => {
                let class = if section == "generic" {
                    Class::Generic
                } else {
                    Class::Particle
                };
                for w in line.split([' ', '|']).filter(|w| !w.is_empty()) {
                    if let Some(p) = w.strip_suffix('*') {
                        generic_prefixes.push(p);
                    } else {
                        add(vec![w], class, None);
                    }
                }
            }
            "legal-country" => {
                if let Some((form, countries)) = line.split_once('\t') {
                    legal_country.insert(
                        form,
                        countries.split(' ').filter(|c| !c.is_empty()).collect(),
                    );
                }
            }
            "holding" => {
                holding.extend(line.split([' ', '|']).filter(|w| !w.is_empty()));
            }
            "common" => {
                common.extend(line.split([' ', '|']).filter(|w| !w.is_empty()));
            }
            "country" => {
                for w in line.split([' ', '|']).filter(|w| !w.is_empty()) {
                    countries.insert(w);
                    add(vec![w], Class::Place, None);
                }
            }
            "legal-family" => {
                let Some((family, forms)) = line.split_once('\t') else {
                    continue;
                };
                let f = match family {
                    "STOCK" => LegalFamily::Stock,
                    "LIMITED" => LegalFamily::Limited,
                    _ => LegalFamily::Partnership,
                };
                for form in forms.split('|').filter(|v| !v.is_empty()) {
                    legal_family.insert(form, f);
                }
            }
            "abbrev" | "number" | "ordinal" => {
                let Some((word, value)) = line.split_once('\t') else {
                    continue;
                };
                match section {
                    "abbrev" => {
                        abbrev.insert(word, value.split(' ').collect());
                    }
                    "number" => {
                        if let Ok(n) = value.parse() {
                            numbers.insert(word, n);
                        }
                    }
                    _ => {
                        ordinals.insert(word, value);
                    }
                }
            }
            "place" => {
                // Each word is a place on its own: HONG and KONG both are, so "HONG KONG"
                // reads as two place words without a phrase table.
                for w in line.split([' ', '|']).filter(|w| !w.is_empty()) {
                    add(vec![w], Class::Place, None);
                }
            }
            _ => {}
        }
    }
    let mut longest = 1;
    for list in by_first.values_mut() {
        // Longest first; on equal length the first listed wins (legal before generic).
        list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        for p in list.iter() {
            longest = longest.max(p.words.len());
        }
    }
    Tables {
        by_first,
        generic_prefixes,
        longest,
        countries,
        common,
        legal_family,
        legal_country,
        holding,
        abbrev,
        numbers,
        ordinals,
    }
}

impl Tables {
    /// The longest phrase starting at `words[0]`, as (number of words, class, canonical).
    pub fn phrase_at(&self, words: &[&str]) -> Option<(usize, Class, Option<&'static str>)> {
        let first = words.first()?;
        let list = self.by_first.get(first)?;
        for p in list {
            let n = p.words.len();
            if n <= words.len() && p.words.iter().zip(words).all(|(a, b)| a == b) {
                return Some((n, p.class, p.canonical));
            }
        }
        None
    }

    pub fn is_country(&self, w: &[u8]) -> bool {
        std::str::from_utf8(w).is_ok_and(|w| self.countries.contains(w))
    }

    pub fn is_common(&self, w: &[u8]) -> bool {
        std::str::from_utf8(w).is_ok_and(|w| self.common.contains(w))
    }

    pub fn legal_family(&self, canonical: &[u8]) -> Option<LegalFamily> {
        let w = std::str::from_utf8(canonical).ok()?;
        self.legal_family.get(w).copied()
    }

    /// The countries whose law a canonical legal form belongs to (none for forms used
    /// everywhere: LTD, INC, LLC …).
    pub fn legal_countries(&self, canonical: &[u8]) -> Option<&[&'static str]> {
        let w = std::str::from_utf8(canonical).ok()?;
        self.legal_country.get(w).map(Vec::as_slice)
    }

    pub fn is_holding(&self, w: &[u8]) -> bool {
        std::str::from_utf8(w).is_ok_and(|w| self.holding.contains(w))
    }

    /// Class of a single word that no phrase covered.
    pub fn word_class(&self, w: &str) -> Class {
        if is_number(w) {
            return Class::Number;
        }
        if self
            .generic_prefixes
            .iter()
            .any(|p| w.len() >= p.len() && w.starts_with(p))
        {
            return Class::Generic;
        }
        if is_patronymic(w) {
            return Class::Patronymic;
        }
        Class::Word
    }

    /// Whether every word of `words` is a place (for location suffixes and parenthesized places).
    pub fn all_places(&self, words: &[&str]) -> bool {
        let mut i = 0;
        while i < words.len() {
            match self.phrase_at(&words[i..]) {
                Some((n, Class::Place, _)) => i += n,
                _ => return false,
            }
        }
        !words.is_empty()
    }
}

/// Digits (or a token with digits in it), or a roman numeral up to XX (vessel names: BICENTENARIO II).
/// A token with a digit in it (2004, AHL1, AR16: series and unit markers) is a number too.
pub fn is_number(w: &str) -> bool {
    if w.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    matches!(
        w,
        "II" | "III"
            | "IV"
            | "VI"
            | "VII"
            | "VIII"
            | "IX"
            | "XI"
            | "XII"
            | "XIII"
            | "XIV"
            | "XV"
            | "XVI"
            | "XVII"
            | "XVIII"
            | "XIX"
            | "XX"
    )
}

/// East Slavic and Turkic patronymics (VLADIMIROVICH, IVANOVNA, ALI OGLU).
fn is_patronymic(w: &str) -> bool {
    w.len() > 6
        && [
            "OVICH", "EVICH", "OVNA", "EVNA", "ICHNA", "YICH", "OGLU", "OGLY",
        ]
        .iter()
        .any(|s| w.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_phrases_canonicalize() {
        let t = &*TABLES_DATA;
        assert_eq!(
            t.phrase_at(&["COMPANY", "LIMITED", "X"]),
            Some((2, Class::Legal, Some("CO LTD")))
        );
        assert_eq!(
            t.phrase_at(&["LIMITED", "LIABILITY", "COMPANY"]),
            Some((3, Class::Legal, Some("LLC")))
        );
        assert_eq!(
            t.phrase_at(&["LIMITED"]),
            Some((1, Class::Legal, Some("LTD")))
        );
    }

    #[test]
    fn classes_of_words() {
        let t = &*TABLES_DATA;
        assert_eq!(t.word_class("TECHNOLOGIES"), Class::Generic);
        assert_eq!(t.word_class("HIKVISION"), Class::Word);
        assert_eq!(t.word_class("VLADIMIROVICH"), Class::Patronymic);
        assert_eq!(t.word_class("II"), Class::Number);
        assert!(t.all_places(&["CHENGDU", "SICHUAN"]));
        assert!(!t.all_places(&["CHENGDU", "RESEARCH"]));
    }
}
