//! Folding any script to ASCII upper case, with the script the name was written in.
//!
//! any_ascii does most scripts well (Cyrillic, Greek, Indic, Thai, Hangul, kana, Han as pinyin).
//! Abjads (Arabic, Persian, Urdu, Hebrew, Syriac) and a few Greek digraphs are written from the
//! table in `translit.txt` instead, so a name reads as its romanizations do (بوتين -> BUTIN, not
//! BWTYN). Han characters become one pinyin syllable per word (杭州 -> HANG ZHOU, which the
//! scorer joins again), except in a foreign name written with a middle dot (弗拉基米尔·普京),
//! whose parts are transcriptions and stay one word each (FULAJIMIER PUJING).

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

/// The script a name is written in (its most frequent non-Latin script, else Latin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Script {
    #[default]
    Latin,
    Cyrillic,
    Greek,
    /// Arabic, Persian, Urdu … (vowels mostly unwritten).
    Arabic,
    Hebrew,
    Han,
    Kana,
    Hangul,
    /// Scripts whose transcriptions of foreign names are loose (Myanmar, Thai, Lao, Khmer,
    /// Tibetan): compared like Han and kana by a coarse sound key.
    Loose,
    Other,
}

impl Script {
    fn of(c: char) -> Option<Script> {
        let u = c as u32;
        Some(match u {
            0x0041..=0x005A | 0x0061..=0x007A | 0x00C0..=0x024F | 0x1E00..=0x1EFF => Script::Latin,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
            0x0400..=0x052F => Script::Cyrillic,
            0x0590..=0x05FF => Script::Hebrew,
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => Script::Arabic,
            0x0700..=0x074F => Script::Arabic,
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Kana,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF => Script::Han,
            0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF | 0x0F00..=0x0FFF => Script::Loose,
            _ if c.is_alphabetic() => Script::Other,
            _ => return None,
        })
    }

    /// Han, kana or Hangul: names are compared character by character when both sides use them.
    pub fn is_cjk(self) -> bool {
        matches!(self, Script::Han | Script::Kana | Script::Hangul)
    }

    /// Transcriptions of foreign names in these scripts are loose (プーチン -> PUCHIN, 普京 ->
    /// PUJING): a coarse sound key may align their words with Latin ones.
    pub fn is_loose(self) -> bool {
        matches!(
            self,
            Script::Han | Script::Kana | Script::Hangul | Script::Loose
        )
    }
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF)
}

/// Middle dots that separate the parts of a foreign name in Chinese and Japanese.
fn is_name_dot(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}' | '\u{30FB}' | '\u{2027}' | '\u{FF65}' | '\u{2022}'
    )
}

struct Table {
    /// Letter -> (at word start, elsewhere).
    letters: HashMap<char, (&'static str, &'static str)>,
    /// Greek digraphs (first, second) -> (at word start, elsewhere).
    digraphs: Vec<(char, char, &'static str, &'static str)>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut letters = HashMap::new();
    let mut digraphs = Vec::new();
    let mut section = "";
    for line in include_str!("translit.txt").lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            section = line.trim_matches(|c| c == '[' || c == ']');
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(key), Some(start), Some(rest)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let mut chars = key.chars();
        match (section, chars.next(), chars.next()) {
            ("greek", Some(a), Some(b)) => digraphs.push((a, b, start, rest)),
            (_, Some(a), None) => {
                letters.insert(a, (start, rest));
            }
            _ => {}
        }
    }
    Table { letters, digraphs }
});

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0591..=0x05C7 | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0730..=0x074A)
}

/// NFKC, transliteration to ASCII, upper case; whether anything non-ASCII was folded, and the
/// script the name is written in.
pub fn fold(s: &str) -> (String, bool, Script) {
    if s.is_ascii() {
        return (s.to_ascii_uppercase(), false, Script::Latin);
    }
    let t = &*TABLE;
    // בע"מ (be'eravon mugbal, "limited"), the Hebrew legal form, is an abbreviation written
    // with a gershayim or a quote: read as the legal form, not letter by letter (VM).
    let replaced;
    let s = if s.contains("בע\"מ") || s.contains("בע״מ") {
        replaced = s.replace("בע\"מ", " LTD ").replace("בע״מ", " LTD ");
        replaced.as_str()
    } else {
        s
    };
    // Combining marks dropped (accents, harakat, niqqud): the tables see bare letters. Only
    // Latin, Greek and Cyrillic letters are decomposed to strip their accents (decomposing kana
    // or Hangul would change or split the letters).
    let mut chars: Vec<char> = Vec::with_capacity(s.len());
    for c in s.nfkc() {
        if (c as u32) < 0x0590 {
            chars.extend(std::iter::once(c).nfd().filter(|&d| !is_combining(d)));
        } else if !is_combining(c) {
            chars.push(c);
        }
    }
    let mut counts: HashMap<Script, usize> = HashMap::new();
    for &c in &chars {
        if let Some(sc) = Script::of(c) {
            if sc != Script::Latin {
                *counts.entry(sc).or_default() += 1;
            }
        }
    }
    let script = counts
        .iter()
        .max_by_key(|(s, n)| (**n, **s as u8))
        .map_or(Script::Latin, |(s, _)| *s);
    let foreign_han = chars.iter().any(|&c| is_name_dot(c));
    let mut out = String::with_capacity(s.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let word_start = i == 0 || !chars[i - 1].is_alphanumeric();
        if c.is_ascii() {
            out.push(c);
            i += 1;
            continue;
        }
        if is_name_dot(c) {
            out.push(' ');
            i += 1;
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        if let Some(&next) = chars.get(i + 1) {
            let next = next.to_lowercase().next().unwrap_or(next);
            if let Some(&(_, _, start, rest)) = t
                .digraphs
                .iter()
                .find(|(a, b, ..)| *a == lower && *b == next)
            {
                out.push_str(if word_start { start } else { rest });
                i += 2;
                continue;
            }
        }
        if let Some(&(start, rest)) = t.letters.get(&c) {
            out.push_str(if word_start { start } else { rest });
        } else if is_han(c) && !foreign_han {
            // One syllable per character, as separate words: 杭州 -> HANG ZHOU.
            out.push(' ');
            out.push_str(any_ascii::any_ascii_char(c));
            out.push(' ');
        } else {
            out.push_str(any_ascii::any_ascii_char(c));
        }
        i += 1;
    }
    // NFKC after the tables: full-width forms and ligatures any_ascii left alone.
    let mut folded: String = out.nfkc().collect();
    folded.make_ascii_uppercase();
    (folded, true, script)
}

/// The characters of a CJK name (Han, kana, Hangul syllables), each as a word, in original script:
/// two names both written this way are compared character by character, so different
/// characters that read alike (高石 / 高市: both GAO SHI) stay different.
pub fn cjk_chars(s: &str) -> Vec<String> {
    s.nfkc()
        .filter(|&c| Script::of(c).is_some_and(Script::is_cjk) && c != '\u{30FC}')
        .map(|c| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        fold(s).0.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn abjads_write_their_vowel_letters_as_vowels() {
        assert_eq!(f("فلاديمير بوتين"), "FLADIMIR BUTIN");
        assert_eq!(f("ولادیمیر پوتین"), "WLADIMIR PUTIN");
        assert_eq!(f("ולדימיר פוטין"), "VLDIMIR PUTIN");
        assert_eq!(fold("محمد").2, Script::Arabic);
    }

    #[test]
    fn greek_digraphs_read_as_names_do() {
        assert_eq!(f("Βλαντίμιρ Πούτιν"), "VLANDIMIR POUTIN");
        assert_eq!(fold("Πούτιν").2, Script::Greek);
    }

    #[test]
    fn han_is_syllables_except_in_dotted_foreign_names() {
        assert_eq!(f("杭州"), "HANG ZHOU");
        assert_eq!(f("弗拉基米尔·普京"), "FULAJIMIER PUJING");
        assert_eq!(fold("普京").2, Script::Han);
        assert_eq!(cjk_chars("高市 早苗"), ["高", "市", "早", "苗"]);
    }

    #[test]
    fn latin_with_diacritics_is_latin() {
        assert_eq!(
            fold("Société Générale"),
            ("SOCIETE GENERALE".into(), true, Script::Latin)
        );
    }
}
