//! Date-of-birth evidence: the lists' free-text dates of birth ("1973-03-25", "1967; 1966",
//! "25 Mar 1973", "circa 1960", "1960 to 1962") parsed tolerantly into compact dates, and the
//! comparison of a query's date of birth with a record's.

use std::fmt;

/// One date of birth: a year (or a range of years) with month and day when known (0 = unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dob {
    pub lo: u16,
    pub hi: u16,
    pub month: u8,
    pub day: u8,
}

impl Dob {
    fn year(y: u16) -> Dob {
        Dob {
            lo: y,
            hi: y,
            month: 0,
            day: 0,
        }
    }

    fn is_full(&self) -> bool {
        self.lo == self.hi && self.month != 0 && self.day != 0
    }

    fn has_year(&self, y: u16) -> bool {
        (self.lo..=self.hi).contains(&y)
    }

    /// Years between `y` and the nearest year of this date.
    fn year_gap(&self, y: u16) -> u16 {
        if y < self.lo {
            self.lo - y
        } else {
            y.saturating_sub(self.hi)
        }
    }
}

impl fmt::Display for Dob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lo != self.hi {
            write!(f, "{}–{}", self.lo, self.hi)
        } else if self.is_full() {
            write!(f, "{:04}-{:02}-{:02}", self.lo, self.month, self.day)
        } else if self.month != 0 {
            write!(f, "{:04}-{:02}", self.lo, self.month)
        } else {
            write!(f, "{}", self.lo)
        }
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_of(word: &str) -> Option<u8> {
    if word.len() < 3 {
        return None;
    }
    let prefix = word.get(..3)?;
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u8 + 1)
}

fn days_in(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn plausible_year(n: u32) -> Option<u16> {
    (1800..=2100).contains(&n).then_some(n as u16)
}

/// Every date of birth in a list's text, in order; unreadable parts are skipped.
pub fn parse_list(text: &str) -> Vec<Dob> {
    let mut out = Vec::new();
    // A piece without a year ("Mar 25" of "Mar 25, 1973") belongs to the next piece.
    let mut pending = String::new();
    for piece in text.split([';', ',', '\n']) {
        pending.push_str(piece);
        pending.push(' ');
        let has_year = pending
            .split(|c: char| !c.is_ascii_digit())
            .any(|d| d.len() == 4);
        if has_year {
            out.extend(parse_one(&pending));
            pending.clear();
        }
    }
    out
}

/// One date (or year range) as written by a person: ISO, bare year, "DD Mon YYYY",
/// "Mon DD YYYY", "DD/MM/YYYY", "circa YYYY", "YYYY to YYYY". Two plain years without a range
/// word are two dates ("1966 or 1967").
fn parse_one(text: &str) -> Vec<Dob> {
    let lower = text.to_lowercase();
    let mut years: Vec<u16> = Vec::new();
    let mut small: Vec<u32> = Vec::new();
    let mut month_word = None;
    let mut year_first = None;
    for tok in lower.split(|c: char| !c.is_alphanumeric()) {
        if tok.is_empty() {
            continue;
        }
        if tok.chars().all(|c| c.is_ascii_digit()) {
            let n: u32 = match tok.parse() {
                Ok(n) => n,
                Err(_) => continue,
            };
            if tok.len() == 4 {
                if let Some(y) = plausible_year(n) {
                    year_first.get_or_insert(small.is_empty() && month_word.is_none());
                    years.push(y);
                }
            } else if tok.len() <= 2 {
                small.push(n);
            }
        } else if let Some(m) = month_of(tok) {
            month_word.get_or_insert(m);
        }
    }
    match years.as_slice() {
        [] => Vec::new(),
        [y] => vec![date(*y, month_word, &small, year_first.unwrap_or(false))],
        [a, b] if month_word.is_none() && small.is_empty() && is_range(&lower) => {
            vec![Dob {
                lo: *a.min(b),
                hi: *a.max(b),
                month: 0,
                day: 0,
            }]
        }
        ys => ys.iter().map(|&y| Dob::year(y)).collect(),
    }
}

fn is_range(lower: &str) -> bool {
    [" to ", "-", "–", "through", "between"]
        .iter()
        .any(|w| lower.contains(w))
}

/// The date of year `y` with what else was written; an impossible month or day leaves the year.
fn date(y: u16, month_word: Option<u8>, small: &[u32], year_first: bool) -> Dob {
    let (month, day) = match (month_word, small) {
        (Some(m), [d, ..]) => (u32::from(m), *d),
        (Some(m), []) => (u32::from(m), 0),
        // ISO order after the year; day first before it (the lists' and Europe's order).
        (None, [m, d, ..]) if year_first => (*m, *d),
        (None, [d, m, ..]) => (*m, *d),
        (None, [m]) if year_first => (*m, 0),
        _ => (0, 0),
    };
    if !(1..=12).contains(&month) {
        return Dob::year(y);
    }
    let month = month as u8;
    let day = if (1..=u32::from(days_in(y, month))).contains(&day) {
        day as u8
    } else {
        0
    };
    Dob {
        lo: y,
        hi: y,
        month,
        day,
    }
}

/// A query's date of birth: YYYY or YYYY-MM-DD (a real date), else None.
pub fn parse_query(text: &str) -> Option<Dob> {
    let t = text.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let num = |s: &str, len: usize| -> Option<u32> {
        (s.len() == len && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => plausible_year(num(y, 4)?).map(Dob::year),
        [y, m, d] => {
            let y = plausible_year(num(y, 4)?)?;
            let m = u8::try_from(num(m, 2)?)
                .ok()
                .filter(|m| (1..=12).contains(m))?;
            let d = u8::try_from(num(d, 2)?)
                .ok()
                .filter(|d| (1..=days_in(y, m)).contains(d))?;
            Some(Dob {
                lo: y,
                hi: y,
                month: m,
                day: d,
            })
        }
        _ => None,
    }
}

/// What a record's dates of birth say about a query's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    SameDate,
    SameYear,
    /// Within a year: neither for nor against (ages are often estimated).
    Close,
    Different,
}

impl Evidence {
    pub fn of(query: Dob, record: &[Dob]) -> Option<Evidence> {
        if record.is_empty() {
            return None;
        }
        let qy = query.lo;
        Some(if record.iter().any(|d| query.is_full() && *d == query) {
            Evidence::SameDate
        } else if record.iter().any(|d| d.has_year(qy)) {
            Evidence::SameYear
        } else if record.iter().any(|d| d.year_gap(qy) <= 1) {
            Evidence::Close
        } else {
            Evidence::Different
        })
    }

    /// The score adjusted by this evidence (0–1 stays 0–1).
    pub fn apply(self, s: f64) -> f64 {
        match self {
            Evidence::SameDate => s + (1.0 - s) * 0.15,
            Evidence::SameYear => s + (1.0 - s) * 0.05,
            Evidence::Close => s,
            Evidence::Different => s * 0.85,
        }
    }

    /// The explanation's clause, naming the list's dates when they differ.
    pub fn describe(self, record: &[Dob]) -> String {
        let list = || {
            record
                .iter()
                .map(Dob::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Evidence::SameDate => "; same date of birth".into(),
            Evidence::SameYear => "; same year of birth".into(),
            Evidence::Close => format!("; date of birth within a year (list: {})", list()),
            Evidence::Different => format!("; different date of birth (list: {})", list()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(y: u16, m: u8, d: u8) -> Dob {
        Dob {
            lo: y,
            hi: y,
            month: m,
            day: d,
        }
    }

    #[test]
    fn parses_the_lists_forms() {
        assert_eq!(parse_list("1973-03-25"), vec![full(1973, 3, 25)]);
        assert_eq!(
            parse_list("1967; 1966; 1968"),
            vec![Dob::year(1967), Dob::year(1966), Dob::year(1968)]
        );
        assert_eq!(parse_list("25 Mar 1973"), vec![full(1973, 3, 25)]);
        assert_eq!(parse_list("March 25, 1973"), vec![full(1973, 3, 25)]);
        assert_eq!(parse_list("25/03/1973"), vec![full(1973, 3, 25)]);
        assert_eq!(parse_list("circa 1960"), vec![Dob::year(1960)]);
        assert_eq!(parse_list("Mar 1973"), vec![full(1973, 3, 0)]);
        let range = Dob {
            lo: 1960,
            hi: 1962,
            month: 0,
            day: 0,
        };
        assert_eq!(parse_list("1960 to 1962"), vec![range]);
        assert_eq!(parse_list("circa 1960-1962"), vec![range]);
        assert_eq!(
            parse_list("1966 or 1967"),
            vec![Dob::year(1966), Dob::year(1967)]
        );
        assert_eq!(
            parse_list("1973-03-25; 05 Apr 1974"),
            vec![full(1973, 3, 25), full(1974, 4, 5)]
        );
    }

    #[test]
    fn garbage_yields_nothing_or_the_year() {
        for g in [
            "",
            "unknown",
            ";;;",
            "99",
            "12345678",
            "Mar 32",
            "é∂ƒ 0000",
            "-",
        ] {
            assert_eq!(parse_list(g), vec![], "{g:?}");
        }
        // An impossible day or month keeps the year only.
        assert_eq!(parse_list("1973-02-30"), vec![full(1973, 2, 0)]);
        assert_eq!(parse_list("1973-13-01"), vec![Dob::year(1973)]);
        assert_eq!(parse_list("31 Foo 1973"), vec![Dob::year(1973)]);
    }

    #[test]
    fn query_is_a_year_or_a_real_date() {
        assert_eq!(parse_query("1952-10-07"), Some(full(1952, 10, 7)));
        assert_eq!(parse_query(" 1952 "), Some(Dob::year(1952)));
        for bad in [
            "",
            "52",
            "1952-10",
            "1952-02-30",
            "07/10/1952",
            "19x2",
            "1952-1-7",
        ] {
            assert_eq!(parse_query(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn evidence_boosts_penalizes_or_says_nothing() {
        let rec = parse_list("1952-10-07");
        let ev = |q: &str, r: &[Dob]| parse_query(q).and_then(|q| Evidence::of(q, r));
        assert_eq!(ev("1952-10-07", &rec), Some(Evidence::SameDate));
        assert_eq!(ev("1952", &rec), Some(Evidence::SameYear));
        assert_eq!(ev("1952-01-01", &rec), Some(Evidence::SameYear));
        assert_eq!(ev("1953", &rec), Some(Evidence::Close));
        assert_eq!(ev("1980-10-07", &rec), Some(Evidence::Different));
        assert_eq!(ev("1980", &[]), None);
        let years = parse_list("1967; 1966; 1968");
        assert_eq!(ev("1966-05-01", &years), Some(Evidence::SameYear));
        assert_eq!(ev("1990", &years), Some(Evidence::Different));
        let s = 0.8;
        assert!(Evidence::SameDate.apply(s) > Evidence::SameYear.apply(s));
        assert!(Evidence::SameYear.apply(s) > s);
        assert_eq!(Evidence::Close.apply(s), s);
        assert!(Evidence::Different.apply(s) < s);
        assert!(Evidence::SameDate.apply(1.0) <= 1.0);
        assert_eq!(
            Evidence::Different.describe(&years),
            "; different date of birth (list: 1967, 1966, 1968)"
        );
    }
}
