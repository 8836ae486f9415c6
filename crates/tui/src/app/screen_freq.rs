//! `F` on the screening results (issue 20, item 12): value → count over the hits the Entities
//! pane's screening mode shows — list, source, entry type, country, program, score band — and
//! Enter lists the hits with the selected value. The hits are those on screen (at most
//! `SCREEN_LIMIT`), so the table is counted here, without the database, and both the table
//! and its drill carry the hits they were made from: going back and forth shows exactly them.

use std::collections::HashMap;

use tradescope_store::search::ListingHit;
use tradescope_store::shipments::freq::{FreqColumn, FreqKey, FreqValue, Frequency};

use super::command::Command;
use super::invest_data::{Screening, THRESHOLD_STEP};
use super::load;
use super::model::{Data, Model};
use super::nav::{Route, View};
use super::update::push;

/// The values of `column` a hit has: one, or (programs) every one it lists; none when the
/// entry says nothing (counted as "(none)").
pub fn values(h: &ListingHit, column: FreqColumn) -> Vec<String> {
    let one = |s: Option<&str>| -> Vec<String> {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| vec![s.to_string()])
            .unwrap_or_default()
    };
    match column {
        FreqColumn::List => one(Some(&h.list)),
        FreqColumn::Source => one(Some(&h.dataset)),
        FreqColumn::EntityType => one(Some(&h.entity_type)),
        FreqColumn::EntryCountry => one(h.country.as_deref()),
        FreqColumn::Program => {
            let mut v: Vec<String> = h
                .programs
                .as_deref()
                .unwrap_or("")
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            v.sort();
            v.dedup();
            v
        }
        FreqColumn::ScoreBand => vec![score_band(h.score)],
        _ => Vec::new(),
    }
}

/// The band of 0.05 a score falls in ("0.90–0.95"); a perfect score is its own band.
pub fn score_band(score: f64) -> String {
    if score >= 1.0 {
        return "1.00".into();
    }
    let lo = ((score.max(0.0) / THRESHOLD_STEP) + 1e-9).floor() * THRESHOLD_STEP;
    format!("{lo:.2}–{:.2}", lo + THRESHOLD_STEP)
}

/// The key of a hit's value, and of its absence.
fn key(v: Option<&String>) -> FreqKey {
    match v {
        Some(s) => FreqKey::Text(s.clone()),
        None => FreqKey::Missing,
    }
}

/// The frequency table of `column` over `hits`: every value, most frequent first (ties by
/// value; score bands highest first), the shares over the number of hits.
pub fn table(hits: &[ListingHit], column: FreqColumn) -> Frequency {
    let mut counts: HashMap<FreqKey, i64> = HashMap::new();
    for h in hits {
        let vs = values(h, column);
        if vs.is_empty() {
            *counts.entry(FreqKey::Missing).or_default() += 1;
        }
        for v in &vs {
            *counts.entry(key(Some(v))).or_default() += 1;
        }
    }
    let mut rows: Vec<FreqValue> = counts
        .into_iter()
        .map(|(key, count)| FreqValue {
            label: match &key {
                FreqKey::Text(s) => s.clone(),
                _ => "(none)".into(),
            },
            key,
            count,
        })
        .collect();
    let desc = column == FreqColumn::ScoreBand;
    rows.sort_by(|a, b| {
        let by_value = match (&a.key, &b.key) {
            (FreqKey::Missing, _) => std::cmp::Ordering::Greater,
            (_, FreqKey::Missing) => std::cmp::Ordering::Less,
            _ if desc => b.label.cmp(&a.label),
            _ => a.label.cmp(&b.label),
        };
        b.count.cmp(&a.count).then(by_value)
    });
    let mut t = Frequency::empty(column);
    t.total = hits.len() as i64;
    t.rows = rows;
    t
}

/// The hits with `key` in `column` (hits without a value for Missing).
pub fn with_value(hits: &[ListingHit], column: FreqColumn, key: &FreqKey) -> Vec<ListingHit> {
    hits.iter()
        .filter(|h| {
            let vs = values(h, column);
            match key {
                FreqKey::Text(k) => vs.iter().any(|v| v == k),
                FreqKey::Missing => vs.is_empty(),
                _ => false,
            }
        })
        .cloned()
        .collect()
}

/// `F` in the Entities pane: the frequency table of the screening hits on screen by list
/// (← → the other columns). Typeahead results are not screening hits: it says so.
pub fn open(m: &mut Model) -> Vec<Command> {
    let s = match (&m.route().view, &m.screen().data) {
        (View::Entities { .. }, Data::Screening(s)) if !s.hits.is_empty() => s.clone(),
        (View::Entities { .. }, Data::Screening(_)) => {
            m.message = Some("F counts the screening hits: screen a name first".into());
            return Vec::new();
        }
        _ => {
            m.message = Some(
                "F counts the screening hits in screening mode (S), or a column of the \
                 Shipments or Patents list"
                    .into(),
            );
            return Vec::new();
        }
    };
    push(m, Route::screening_frequency(s, FreqColumn::List))
}

/// Enter in a table over screening hits: the hits with the selected value, as a list pushed
/// on the history.
pub fn drill(m: &mut Model) -> Vec<Command> {
    let cur = m.route().cursor;
    let target = match (&m.route().view, &m.screen().data) {
        (
            View::Frequency {
                column,
                screening: Some(s),
                ..
            },
            Data::Frequency(t),
        ) => t.rows.get(cur).map(|v| {
            let mut sub = (**s).clone();
            sub.hits = with_value(&s.hits, *column, &v.key);
            let label = format!("{} {}", column.label(), load::short(&v.label, 28));
            (sub, label)
        }),
        _ => None,
    };
    match target {
        Some((sub, label)) => push(m, Route::screening_hits(sub, label)),
        None => Vec::new(),
    }
}

/// What a drilled list of hits shows: the screening it came from, the hits with the value.
pub fn hits_data(s: &Screening) -> Data {
    Data::Screening(s.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::{Action, Pane};
    use crate::app::model::Mode;
    use crate::app::update;

    fn hit(
        id: i64,
        list: &str,
        ty: &str,
        country: Option<&str>,
        prog: &str,
        score: f64,
    ) -> ListingHit {
        ListingHit {
            id,
            list: list.into(),
            name: format!("NAME {id}"),
            matched_name: format!("NAME {id}"),
            score,
            dataset: "csl".into(),
            entity_type: ty.into(),
            country: country.map(str::to_string),
            programs: Some(prog.into()).filter(|p: &String| !p.is_empty()),
            listing_key: format!("csl:{id}"),
            ..Default::default()
        }
    }

    fn screening() -> Model {
        let mut m = Model::new("t.db", 80, 24, false);
        m.screening = true;
        m.mode = Mode::Normal;
        let query = "huawei";
        if let View::Entities { query: q } = &mut m.screen_mut().route.view {
            *q = query.into();
        }
        m.screen_mut().data = Data::Screening(Screening {
            query: query.into(),
            threshold: 0.75,
            hits: vec![
                hit(1, "EL", "entity", Some("CN"), "EAR; SDGT", 1.0),
                hit(2, "EL", "entity", Some("CN"), "EAR", 0.93),
                hit(3, "SDN", "individual", Some("RU"), "RUSSIA-EO14024", 0.91),
                hit(4, "EL", "entity", None, "", 0.78),
            ],
            notes: Vec::new(),
        });
        m
    }

    #[test]
    fn bands_of_a_twentieth() {
        assert_eq!(score_band(1.0), "1.00");
        assert_eq!(score_band(0.93), "0.90–0.95");
        assert_eq!(score_band(0.95), "0.95–1.00");
        assert_eq!(score_band(0.75), "0.75–0.80");
    }

    #[test]
    fn programs_count_each_and_missing_values_count_as_none() {
        let m = screening();
        let Data::Screening(s) = &m.screen().data else {
            unreachable!()
        };
        let t = table(&s.hits, FreqColumn::Program);
        let got: Vec<(&str, i64)> = t.rows.iter().map(|v| (v.label.as_str(), v.count)).collect();
        assert_eq!(
            got,
            [
                ("EAR", 2),
                ("RUSSIA-EO14024", 1),
                ("SDGT", 1),
                ("(none)", 1)
            ]
        );
        assert_eq!(t.total, 4, "shares are of hits");
        let t = table(&s.hits, FreqColumn::ScoreBand);
        let bands: Vec<(&str, i64)> = t.rows.iter().map(|v| (v.label.as_str(), v.count)).collect();
        assert_eq!(
            bands,
            [("0.90–0.95", 2), ("1.00", 1), ("0.75–0.80", 1)],
            "most hits first; ties: the highest band first"
        );
        let t = table(&s.hits, FreqColumn::EntryCountry);
        assert_eq!(t.rows[0].label, "CN");
        assert_eq!(t.rows.last().map(|v| v.key.clone()), Some(FreqKey::Missing));
    }

    #[test]
    fn f_counts_the_hits_enter_lists_them_and_back_returns() {
        let mut m = screening();
        let cmds = update(&mut m, Action::Frequency);
        assert!(cmds.is_empty(), "counted here, no query: {cmds:?}");
        assert_eq!(m.route().pane(), Pane::Entities);
        let Data::Frequency(t) = m.screen().data.clone() else {
            panic!("no table: {:?}", m.screen().data)
        };
        assert_eq!(t.column, FreqColumn::List);
        let got: Vec<(&str, i64)> = t.rows.iter().map(|v| (v.label.as_str(), v.count)).collect();
        assert_eq!(got, [("EL", 3), ("SDN", 1)]);
        // → the next column, same history entry.
        let depth = m.history.path().len();
        update(&mut m, Action::Right);
        let Data::Frequency(t) = m.screen().data.clone() else {
            panic!("no table after →")
        };
        assert_eq!(t.column, FreqColumn::Source);
        assert_eq!(m.history.path().len(), depth);
        update(&mut m, Action::Right);
        let Data::Frequency(t) = m.screen().data.clone() else {
            panic!()
        };
        assert_eq!(t.column, FreqColumn::EntityType);
        assert_eq!(t.rows[0].label, "entity");
        // Down to "individual", Enter: the one SDN individual, pushed on the history.
        update(&mut m, Action::Down);
        let table_route = m.route().clone();
        update(&mut m, Action::Open);
        assert_eq!(m.history.path().len(), depth + 1);
        assert!(matches!(m.route().view, View::Hits { .. }));
        let Data::Screening(s) = &m.screen().data else {
            panic!("no hits: {:?}", m.screen().data)
        };
        assert_eq!(s.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [3]);
        assert!(
            m.route().crumb.contains("individual"),
            "{}",
            m.route().crumb
        );
        // Enter on the hit opens its list entry.
        let cmds = update(&mut m, Action::Open);
        assert!(
            cmds.iter()
                .any(|c| matches!(c, Command::Detail { record, .. } if record.id == 3)),
            "{cmds:?}"
        );
        // Back twice: the table exactly as left (column and row).
        update(&mut m, Action::Back);
        update(&mut m, Action::Back);
        assert_eq!(m.route(), &table_route);
        assert!(matches!(m.screen().data, Data::Frequency(_)));
        // Esc closes it: the screening results again.
        update(&mut m, Action::Back);
        assert!(matches!(m.route().view, View::Entities { .. }));
        assert!(matches!(&m.screen().data, Data::Screening(s) if s.hits.len() == 4));
    }

    #[test]
    fn f_in_typeahead_mode_says_what_it_counts() {
        let mut m = screening();
        m.screening = false;
        m.screen_mut().data = Data::Empty;
        assert!(update(&mut m, Action::Frequency).is_empty());
        assert!(matches!(m.route().view, View::Entities { .. }));
        assert!(m.message.as_deref().unwrap_or("").contains("screening"));
    }
}
