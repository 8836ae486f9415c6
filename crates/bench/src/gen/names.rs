//! Company names in the styles of the countries that trade with the US, and the spelling
//! variants the same company appears under in manifests: legal-form variants ("CO., LTD." /
//! "CO LTD" / "COMPANY LIMITED"), typos, abbreviations and transliterations.

use fastrand::Rng;

use super::vocab::{
    cities, legal_forms, ABBREVIATIONS, INDUSTRIES, SURNAMES, SYLLABLES, TRANSLITERATIONS, WORDS,
};

/// A company name as stem + legal form, so variants can swap the legal form cleanly.
#[derive(Debug, Clone)]
pub struct Company {
    pub stem: String,
    pub legal: &'static str,
}

impl Company {
    pub fn name(&self) -> String {
        match self.legal {
            // Indonesian "PT" and Russian "OOO" lead the name.
            "PT" | "OOO" | "AO" => format!("{} {}", self.legal, self.stem),
            _ => format!("{} {}", self.stem, self.legal),
        }
    }
}

fn pick<'a>(rng: &mut Rng, xs: &'a [&'a str]) -> &'a str {
    xs[rng.usize(..xs.len())]
}

fn trade_name(rng: &mut Rng) -> String {
    format!("{}{}", pick(rng, SYLLABLES), pick(rng, SYLLABLES))
}

/// A new company of `country`.
pub fn company(rng: &mut Rng, country: &str) -> Company {
    let legal = pick(rng, legal_forms(country));
    let industry = pick(rng, INDUSTRIES);
    let stem = match country {
        "CN" => format!(
            "{} {} {}",
            pick(rng, cities(country)),
            trade_name(rng),
            industry
        ),
        "HK" | "TW" => format!("{} {}", trade_name(rng), industry),
        "VN" => match rng.u8(..3) {
            0 => format!("CONG TY TNHH {} {}", trade_name(rng), industry),
            1 => format!("{} VIET NAM {}", trade_name(rng), industry),
            _ => format!("{} {} VIETNAM", pick(rng, SURNAMES), industry),
        },
        "IN" => format!(
            "{} {} {}",
            pick(rng, &["SHREE", "SRI", "NEW", "ROYAL", "JAI"]),
            pick(rng, SURNAMES),
            industry
        ),
        "MX" => format!("{} {} DE MEXICO", pick(rng, WORDS), industry),
        "TH" => format!("{} {} (THAILAND)", trade_name(rng), industry),
        "MY" => format!("{} {} (M)", pick(rng, WORDS), industry),
        "RU" => format!("{} {}", pick(rng, SURNAMES), industry),
        "US" | "CA" | "PR" => match rng.u8(..4) {
            0 => format!("{} {} {}", pick(rng, WORDS), pick(rng, WORDS), industry),
            1 => format!(
                "{} & {} {}",
                pick(rng, SURNAMES),
                pick(rng, SURNAMES),
                industry
            ),
            2 => format!(
                "{} {} {}",
                pick(rng, cities(country)),
                pick(rng, WORDS),
                industry
            ),
            _ => format!("{} {}", pick(rng, WORDS), industry),
        },
        _ => format!("{} {} {}", pick(rng, WORDS), pick(rng, SURNAMES), industry),
    };
    Company { stem, legal }
}

/// A freight forwarder or customs broker (the usual notify party).
pub fn forwarder(rng: &mut Rng) -> Company {
    Company {
        stem: format!(
            "{} {}",
            pick(rng, WORDS),
            pick(
                rng,
                &[
                    "LOGISTICS",
                    "CUSTOMS BROKERS",
                    "FREIGHT FORWARDING",
                    "GLOBAL LOGISTICS",
                    "SHIPPING",
                    "SUPPLY CHAIN SOLUTIONS"
                ]
            )
        ),
        legal: pick(rng, &["INC", "LLC", "CORP", "INC."]),
    }
}

/// Another spelling of the same company, as a different manifest filer would write it.
pub fn variant(rng: &mut Rng, c: &Company, country: &str) -> Company {
    match rng.u8(..5) {
        0 => Company {
            stem: c.stem.clone(),
            legal: pick(rng, legal_forms(country)),
        },
        1 => Company {
            stem: typo(rng, &c.stem),
            legal: c.legal,
        },
        2 => Company {
            stem: abbreviate(rng, &c.stem),
            legal: c.legal,
        },
        3 => Company {
            stem: transliterate(rng, &c.stem),
            legal: c.legal,
        },
        _ => Company {
            stem: c
                .stem
                .replace(' ', "  ")
                .replace("  ", " ")
                .replace('&', "AND"),
            legal: pick(rng, legal_forms(country)),
        },
    }
}

/// A variant of a free-text name (a real list entry's), for parties that should link to it.
pub fn variant_of_text(rng: &mut Rng, name: &str) -> String {
    match rng.u8(..4) {
        0 => typo(rng, name),
        1 => abbreviate(rng, name),
        2 => transliterate(rng, name),
        _ => name
            .replace("CO., LTD.", "CO LTD")
            .replace("Co., Ltd.", "COMPANY LIMITED")
            .replace(',', "")
            .to_uppercase(),
    }
}

/// One keyboard slip: swapped, dropped or doubled letter.
pub fn typo(rng: &mut Rng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = (1..chars.len())
        .filter(|&i| chars[i].is_alphabetic() && chars[i - 1].is_alphabetic())
        .collect();
    if letters.is_empty() {
        return s.to_string();
    }
    let i = letters[rng.usize(..letters.len())];
    match rng.u8(..3) {
        0 => chars.swap(i - 1, i),
        1 => {
            chars.remove(i);
        }
        _ => chars.insert(i, chars[i]),
    }
    chars.into_iter().collect()
}

fn abbreviate(rng: &mut Rng, s: &str) -> String {
    let start = rng.usize(..ABBREVIATIONS.len());
    for k in 0..ABBREVIATIONS.len() {
        let (long, short) = ABBREVIATIONS[(start + k) % ABBREVIATIONS.len()];
        if s.contains(long) {
            return s.replacen(long, short, 1);
        }
    }
    typo(rng, s)
}

fn transliterate(rng: &mut Rng, s: &str) -> String {
    let start = rng.usize(..TRANSLITERATIONS.len());
    for k in 0..TRANSLITERATIONS.len() {
        let (a, b) = TRANSLITERATIONS[(start + k) % TRANSLITERATIONS.len()];
        if s.contains(a) {
            return s.replacen(a, b, 1);
        }
    }
    typo(rng, s)
}

/// A street address in the style of `country`.
pub fn address(rng: &mut Rng, country: &str, city: &str) -> String {
    let n = rng.u32(1..2000);
    match country {
        "CN" | "TW" | "HK" => format!(
            "NO. {n} {}{} ROAD, {} DISTRICT, {city}",
            pick(rng, SYLLABLES),
            pick(rng, SYLLABLES).to_lowercase(),
            pick(rng, SYLLABLES)
        ),
        "US" | "CA" | "PR" => format!(
            "{n} {} {}, {city}",
            pick(rng, WORDS),
            pick(rng, &["AVE", "BLVD", "STREET", "DRIVE", "PARKWAY", "WAY"])
        ),
        _ => format!("{n} {} STREET, {city}", pick(rng, SURNAMES)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tradescope_matching::normalize_key;

    #[test]
    fn legal_form_variants_keep_the_company_recognizable() {
        let mut rng = Rng::with_seed(7);
        let c = company(&mut rng, "CN");
        for _ in 0..50 {
            let v = variant(&mut rng, &c, "CN");
            // Every variant shares most of its normalized tokens with the original.
            let a = normalize_key(&c.name());
            let b = normalize_key(&v.name());
            let shared = a
                .split(' ')
                .filter(|t| b.split(' ').any(|u| u == *t))
                .count();
            assert!(shared >= 2, "{a} vs {b}");
        }
    }

    #[test]
    fn typo_changes_exactly_one_spot() {
        let mut rng = Rng::with_seed(1);
        for _ in 0..100 {
            let t = typo(&mut rng, "HANGZHOU HIKVISION");
            assert_ne!(t, "HANGZHOU HIKVISION");
            let d = t.len() as i64 - "HANGZHOU HIKVISION".len() as i64;
            assert!(d.abs() <= 1);
        }
    }
}
