//! Candidate generation: indexed tokens similar to a query token (exact, skeleton, shared
//! trigrams), and the name variants worth scoring in full for a query.

use std::cell::RefCell;
use std::collections::HashMap;

use super::flat::trigrams_of;
use super::{indexable, NameIndex, MAX_CANDIDATES};
use crate::romanize::coarse_key;
use crate::score::{self, Params, STok};
use crate::tables::Class;
use crate::textsim::skeleton;
use crate::translit::Script;

thread_local! {
    /// Per-thread counters over the vocabulary for trigram overlap (reset after each use).
    static COUNTS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

impl NameIndex {
    /// Vocabulary tokens similar to `t` (with their similarity), exact first; by shared
    /// trigrams too when `fuzzy`.
    pub(super) fn similar_tokens(
        &self,
        t: &STok,
        params: &Params,
        fuzzy: bool,
        out: &mut Vec<(u32, f64)>,
    ) {
        out.clear();
        let text = std::str::from_utf8(t.text).unwrap_or_default();
        if let Some(&id) = self.vocab.ids.get(text) {
            out.push((id, 1.0));
        }
        if t.text.len() < 2 || t.class == Class::Number {
            return;
        }
        let slip_ids = self.slips_of(t.text);
        let consider = |id: u32, out: &mut Vec<(u32, f64)>| {
            if out.iter().any(|(x, _)| *x == id) {
                return;
            }
            let base = self.var_toks_class_any(id);
            let other = STok {
                text: self.vocab.text(id).as_bytes(),
                skel: self.vocab.skel(id),
                class: base,
                rarity: 1.0,
                script: Script::Latin,
                orig: None,
            };
            let (s, _) = score::token_sim(t, &other, params);
            if s > 0.0 {
                out.push((id, s));
            }
        };
        // Typing slips (two letters swapped, one doubled) change most trigrams of a short
        // word (ARLOSA / ALROSA share one of their rarer ones): looked up directly.
        for id in slip_ids {
            consider(id, out);
        }
        if t.skel.len() >= 3 {
            if let Some(ids) = self.by_skel.get(t.skel) {
                for &id in ids.iter().take(200) {
                    consider(id, out);
                }
            }
        }
        if t.script.is_loose() {
            // A loose transcription (普京 PUJING, プーチン PUCHIN) finds the Latin words with
            // its consonants.
            let mut key = Vec::new();
            coarse_key(t.text, t.script == Script::Kana, &mut key);
            if key.len() >= 2 {
                if let Some(ids) = self.by_coarse.get(&super::pack_coarse(&key)) {
                    for &id in ids.iter().take(200) {
                        consider(id, out);
                    }
                }
            }
            // Syllables of Myanmar, Thai, Lao, Khmer and Tibetan do not end in R: the Latin
            // word may have the R its transcription dropped (ဗလာဒီမာ BLADIMA, VLADIMIR).
            if t.script == Script::Loose && key.len() >= 3 {
                key.push(b'R');
                if let Some(ids) = self.by_coarse.get(&super::pack_coarse(&key)) {
                    for &id in ids.iter().take(200) {
                        consider(id, out);
                    }
                }
            }
        }
        if t.text.len() < 3 || !fuzzy {
            return;
        }
        let mut grams = Vec::new();
        trigrams_of(t.text, &mut grams);
        // Trigrams shared by a large part of the vocabulary find nothing in particular.
        let too_common = (self.vocab.len() / 20).max(2000);
        grams.retain(|g| {
            self.trigrams
                .get(g)
                .is_some_and(|&row| self.trigram_rows.row(row as usize).len() <= too_common)
        });
        // One edit leaves all but three trigrams; ask for half of them.
        let need = (grams.len() / 2).max(1) as u16;
        COUNTS.with(|cell| {
            let mut counts = cell.borrow_mut();
            if counts.len() < self.vocab.len() {
                counts.resize(self.vocab.len(), 0);
            }
            let mut touched: Vec<u32> = Vec::new();
            for g in &grams {
                let Some(&row) = self.trigrams.get(g) else {
                    continue;
                };
                for &id in self.trigram_rows.row(row as usize) {
                    let c = &mut counts[id as usize];
                    if *c == 0 {
                        touched.push(id);
                    }
                    *c = c.saturating_add(1);
                }
            }
            let len = t.text.len();
            for &id in &touched {
                let ok = counts[id as usize] >= need;
                counts[id as usize] = 0;
                if !ok {
                    continue;
                }
                let other_len = self.vocab.text(id).len();
                if other_len + 4 < len || len + 4 < other_len {
                    continue;
                }
                consider(id, out);
            }
        });
    }

    /// Vocabulary tokens that are a typing slip of `t` (words of four letters or more): two
    /// adjacent letters swapped, one letter doubled, or a doubled letter written once.
    fn slips_of(&self, t: &[u8]) -> Vec<u32> {
        let mut ids = Vec::new();
        if t.len() < 4 || !t.is_ascii() {
            return ids;
        }
        let look = |w: &[u8], ids: &mut Vec<u32>| {
            let w = std::str::from_utf8(w).unwrap_or_default();
            if let Some(&id) = self.vocab.ids.get(w) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        };
        let mut w = t.to_vec();
        for i in 0..t.len() - 1 {
            if t[i] != t[i + 1] {
                w.swap(i, i + 1);
                look(&w, &mut ids);
                w.swap(i, i + 1);
            } else {
                // Written once (AQSSA -> AQSA).
                let mut v = t.to_vec();
                v.remove(i);
                look(&v, &mut ids);
            }
            // Doubled (AQSA -> AQSSA).
            let mut v = t.to_vec();
            v.insert(i, t[i]);
            look(&v, &mut ids);
        }
        ids
    }

    /// A class for a vocabulary token out of context (its first use); only Legal/Number matter
    /// to token similarity and those do not depend on context.
    fn var_toks_class_any(&self, id: u32) -> Class {
        let text = self.vocab.text(id);
        if crate::tables::is_number(text) {
            Class::Number
        } else {
            Class::Word
        }
    }

    /// Candidate variants for the query, by an overlap estimate, best first.
    /// `strict` (a high threshold, as for links made at import) narrows the search: only
    /// names sharing a distinctive word are candidates, and a word found exactly is not also
    /// looked up fuzzily. Without a distinctive word in common a name cannot reach such a
    /// threshold (its distinctive words would be unmatched).
    /// With `keep`, only the variants it accepts (before the cut and the cap).
    pub(super) fn candidates(
        &self,
        query: &[Vec<STok>],
        params: &Params,
        strict: bool,
        keep: Option<&dyn Fn(u32) -> bool>,
    ) -> Vec<u32> {
        let cap = (self.var_record.len() / 20).max(2000);
        // (token, query weight × sim, df, from a distinctive query word)
        let mut found: Vec<(u32, f64, f64, bool)> = Vec::new();
        let mut query_distinctive = false;
        let mut sim = Vec::new();
        let mut joined = Vec::new();
        for q in query {
            for (i, t) in q.iter().enumerate() {
                if !indexable(t.class) {
                    continue;
                }
                let distinctive = matches!(t.class, Class::Word | Class::Number);
                query_distinctive |= distinctive;
                let w = if distinctive { 1.0 } else { 0.35 };
                let exact =
                    std::str::from_utf8(t.text).is_ok_and(|x| self.vocab.ids.contains_key(x));
                self.similar_tokens(t, params, !(strict && exact), &mut sim);
                for &(id, s) in &sim {
                    let df = self.postings.row(id as usize).len() as f64;
                    found.push((id, w * s, df, distinctive));
                }
                // Joined with the next one or two words ("HIK VISION" → HIKVISION).
                for span in [2usize, 3] {
                    let Some(run) = q.get(i..i + span) else {
                        continue;
                    };
                    if run.iter().any(|n| n.class == Class::Legal) {
                        continue;
                    }
                    joined.clear();
                    for n in run {
                        joined.extend_from_slice(n.text);
                    }
                    let mut sk = Vec::new();
                    skeleton(&joined, &mut sk);
                    let jt = STok {
                        text: &joined,
                        skel: &sk,
                        class: Class::Word,
                        rarity: 1.0,
                        script: t.script,
                        orig: None,
                    };
                    self.similar_tokens(&jt, params, false, &mut sim);
                    for &(id, s) in &sim {
                        if s >= 0.9 {
                            let df = self.postings.row(id as usize).len() as f64;
                            found.push((id, s, df, true));
                        }
                    }
                }
                // Split into two indexed words ("HIKVISION" → HIK VISION).
                if t.text.len() >= 6 {
                    let text = std::str::from_utf8(t.text).unwrap_or_default();
                    for k in 3..text.len() - 2 {
                        let (a, b) = text.split_at(k);
                        if let (Some(&ia), Some(&ib)) =
                            (self.vocab.ids.get(a), self.vocab.ids.get(b))
                        {
                            for id in [ia, ib] {
                                let df = self.postings.row(id as usize).len() as f64;
                                found.push((id, 0.5, df, true));
                            }
                        }
                    }
                }
            }
        }
        let any_rare = found.iter().any(|&(_, _, df, _)| df as usize <= cap);
        let mut acc: HashMap<u32, (f64, bool)> = HashMap::new();
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        found.dedup_by_key(|f| f.0);
        for (id, w, df, distinctive) in found {
            if any_rare && df as usize > cap {
                continue;
            }
            let r = f64::from(self.rarity[id as usize]);
            for &v in self.postings.row(id as usize) {
                let e = acc.entry(v).or_insert((0.0, false));
                e.0 += w * r;
                e.1 |= distinctive;
            }
        }
        let need_distinctive = strict && query_distinctive;
        let mut ranked: Vec<(u32, f64)> = acc
            .into_iter()
            .filter(|(_, (_, d))| *d || !need_distinctive)
            .filter(|(v, _)| keep.is_none_or(|k| k(*v)))
            .map(|(v, (a, _))| (v, a))
            .collect();
        // Far below the best overlap cannot reach a useful score.
        let top = ranked.iter().map(|r| r.1).fold(0.0, f64::max);
        ranked.retain(|r| r.1 >= 0.25 * top);
        if ranked.len() > MAX_CANDIDATES {
            // Ties broken by variant id: the same query always gets the same candidates.
            ranked.select_nth_unstable_by(MAX_CANDIDATES, |a, b| {
                b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
            });
            ranked.truncate(MAX_CANDIDATES);
        }
        ranked.into_iter().map(|(v, _)| v).collect()
    }
}
