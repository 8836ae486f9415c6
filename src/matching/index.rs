//! The in-memory name index: interned tokens (u32 ids) with postings to name variants, and
//! lookups for fuzzy candidates (shared trigrams, transliteration skeletons, joined and split
//! words). Built once per process, queried many times, from many threads.
//!
//! Layout is flat (compressed-sparse-row arrays instead of a Vec per token or name) to keep a
//! million names in a few hundred megabytes at most and to build in seconds.

use std::cell::RefCell;
use std::collections::HashMap;

use rayon::prelude::*;

use super::normalize::VariantKind;
use super::prepared::{self, Prepared};
use super::score::{self, Aligned, Params, STok};
use super::tables::Class;
use super::textsim::skeleton;
use super::{explain, sls, Hit, NameRecord, Schema, SearchOptions};

/// Candidate name variants fully scored per query (after the cheap token-overlap estimate).
const MAX_CANDIDATES: usize = 250;

/// From this threshold on, candidates must share a distinctive word with the query.
const STRICT_THRESHOLD: f64 = 0.85;

/// Compressed sparse rows: `starts[i]..starts[i + 1]` indexes `items`.
#[derive(Default)]
struct Csr {
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Csr {
    /// From (row, item) pairs; rows are 0..n.
    fn build(n: usize, pairs: &[(u32, u32)]) -> Csr {
        let mut starts = vec![0u32; n + 1];
        for &(r, _) in pairs {
            starts[r as usize + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut items = vec![0u32; pairs.len()];
        for &(r, it) in pairs {
            items[fill[r as usize] as usize] = it;
            fill[r as usize] += 1;
        }
        Csr { starts, items }
    }

    fn row(&self, r: usize) -> &[u32] {
        match (self.starts.get(r), self.starts.get(r + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// Interned token texts and skeletons in two arenas.
#[derive(Default)]
struct Vocab {
    text: String,
    text_at: Vec<u32>,
    skel: Vec<u8>,
    skel_at: Vec<u32>,
    ids: HashMap<Box<str>, u32>,
}

impl Vocab {
    fn intern(&mut self, t: &str, sk: &[u8]) -> u32 {
        if let Some(&id) = self.ids.get(t) {
            return id;
        }
        if self.text_at.is_empty() {
            self.text_at.push(0);
            self.skel_at.push(0);
        }
        let id = (self.text_at.len() - 1) as u32;
        self.text.push_str(t);
        self.text_at.push(self.text.len() as u32);
        self.skel.extend_from_slice(sk);
        self.skel_at.push(self.skel.len() as u32);
        self.ids.insert(t.into(), id);
        id
    }

    fn len(&self) -> usize {
        self.text_at.len().saturating_sub(1)
    }

    fn text(&self, id: u32) -> &str {
        let i = id as usize;
        &self.text[self.text_at[i] as usize..self.text_at[i + 1] as usize]
    }

    fn skel(&self, id: u32) -> &[u8] {
        let i = id as usize;
        &self.skel[self.skel_at[i] as usize..self.skel_at[i + 1] as usize]
    }
}

struct Record {
    id: i64,
    name_at: (u32, u32),
    schema: Schema,
    hint: Schema,
    country: Option<[u8; 2]>,
    notes: super::normalize::Notes,
}

/// An in-memory index over names with token-based candidate generation.
pub struct NameIndex {
    records: Vec<Record>,
    names: String,
    var_record: Vec<u32>,
    var_kind: Vec<VariantKind>,
    /// Tokens of each variant: `var_toks.row(v)` token ids, classes alongside.
    var_toks: Csr,
    var_class: Vec<Class>,
    vocab: Vocab,
    /// Variants containing each token.
    postings: Csr,
    rarity: Vec<f32>,
    /// Tokens by padded trigram, for fuzzy lookup.
    trigrams: HashMap<u32, u32>,
    trigram_rows: Csr,
    /// Tokens by transliteration skeleton.
    by_skel: HashMap<Box<[u8]>, Vec<u32>>,
}

fn trigrams_of(t: &[u8], out: &mut Vec<u32>) {
    out.clear();
    let n = t.len();
    let at = |i: isize| -> u32 {
        if i < 0 || i as usize >= n {
            u32::from(b'$')
        } else {
            u32::from(t[i as usize])
        }
    };
    for i in -1..(n as isize - 1) {
        out.push(at(i) << 16 | at(i + 1) << 8 | at(i + 2));
    }
    out.sort_unstable();
    out.dedup();
}

/// Tokens that say nothing about which entity a name belongs to: not used to find candidates.
fn indexable(class: Class) -> bool {
    !matches!(class, Class::Legal | Class::Particle)
}

fn country_code(c: &Option<String>) -> Option<[u8; 2]> {
    let b = c.as_deref()?.trim().as_bytes();
    (b.len() == 2).then(|| [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()])
}

thread_local! {
    /// Per-thread counters over the vocabulary for trigram overlap (reset after each use).
    static COUNTS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

impl NameIndex {
    pub fn build(records: Vec<NameRecord>) -> NameIndex {
        let prepared: Vec<Prepared> = records.par_iter().map(|r| Prepared::new(&r.name)).collect();
        let mut names = String::new();
        let mut recs = Vec::with_capacity(records.len());
        let mut vocab = Vocab::default();
        let mut var_record = Vec::new();
        let mut var_kind = Vec::new();
        let mut var_pairs: Vec<(u32, u32)> = Vec::new();
        let mut var_class = Vec::new();
        for (ri, (r, p)) in records.iter().zip(&prepared).enumerate() {
            let start = names.len() as u32;
            names.push_str(&r.name);
            recs.push(Record {
                id: r.id,
                name_at: (start, names.len() as u32),
                schema: r.schema,
                hint: p.hint,
                country: country_code(&r.country),
                notes: p.notes,
            });
            for v in &p.variants {
                let vi = var_record.len() as u32;
                var_record.push(ri as u32);
                var_kind.push(v.kind);
                for t in v.toks.iter().take(score::MAX_TOKENS) {
                    let id = vocab.intern(&t.text, &t.skel);
                    var_pairs.push((vi, id));
                    var_class.push(t.class);
                }
            }
        }
        drop(prepared);
        let nvars = var_record.len();
        let var_toks = Csr::build(nvars, &var_pairs);
        // Postings: variant ids per indexable token, each variant once per token.
        let mut post_pairs: Vec<(u32, u32)> = Vec::with_capacity(var_pairs.len());
        for v in 0..nvars {
            let row = var_toks.row(v);
            let base = var_toks.starts[v] as usize;
            for (k, &tok) in row.iter().enumerate() {
                if indexable(var_class[base + k]) && !row[..k].contains(&tok) {
                    post_pairs.push((tok, v as u32));
                }
            }
        }
        drop(var_pairs);
        let ntok = vocab.len();
        let postings = Csr::build(ntok, &post_pairs);
        drop(post_pairs);
        let total = nvars as f64;
        let rarity: Vec<f32> = (0..ntok)
            .map(|t| {
                let df = postings.row(t).len() as f64;
                let idf = ((total + 1000.0) / (df + 1.0)).ln();
                (0.35 + idf / 7.0).clamp(0.5, 1.0) as f32
            })
            .collect();
        // Fuzzy lookups over the indexable vocabulary.
        let mut trigram_ids: HashMap<u32, u32> = HashMap::new();
        let mut tri_pairs: Vec<(u32, u32)> = Vec::new();
        let mut by_skel: HashMap<Box<[u8]>, Vec<u32>> = HashMap::new();
        let mut buf = Vec::new();
        for t in 0..ntok as u32 {
            if postings.row(t as usize).is_empty() {
                continue;
            }
            let text = vocab.text(t).as_bytes();
            if text.len() >= 3 {
                trigrams_of(text, &mut buf);
                for &g in &buf {
                    let next = trigram_ids.len() as u32;
                    let row = *trigram_ids.entry(g).or_insert(next);
                    tri_pairs.push((row, t));
                }
            }
            let sk = vocab.skel(t);
            if sk.len() >= 3 {
                by_skel.entry(sk.into()).or_default().push(t);
            }
        }
        let trigram_rows = Csr::build(trigram_ids.len(), &tri_pairs);
        NameIndex {
            records: recs,
            names,
            var_record,
            var_kind,
            var_toks,
            var_class,
            vocab,
            postings,
            rarity,
            trigrams: trigram_ids,
            trigram_rows,
            by_skel,
        }
    }

    /// Number of names indexed.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Distinct tokens in the index (for memory reports).
    pub fn vocabulary_len(&self) -> usize {
        self.vocab.len()
    }

    /// Approximate heap bytes held by the index.
    pub fn heap_bytes(&self) -> usize {
        let csr = |c: &Csr| (c.starts.capacity() + c.items.capacity()) * 4;
        self.records.capacity() * std::mem::size_of::<Record>()
            + self.names.capacity()
            + self.var_record.capacity() * 4
            + self.var_kind.capacity()
            + csr(&self.var_toks)
            + self.var_class.capacity()
            + self.vocab.text.capacity()
            + self.vocab.text_at.capacity() * 4
            + self.vocab.skel.capacity()
            + self.vocab.skel_at.capacity() * 4
            + self.vocab.ids.capacity() * (std::mem::size_of::<(Box<str>, u32)>() + 8)
            + self.vocab.ids.keys().map(|k| k.len()).sum::<usize>()
            + csr(&self.postings)
            + self.rarity.capacity() * 4
            + self.trigrams.capacity() * 16
            + csr(&self.trigram_rows)
            + self.by_skel.capacity() * 48
            + self
                .by_skel
                .iter()
                .map(|(k, v)| k.len() + v.capacity() * 4)
                .sum::<usize>()
    }

    fn record_name(&self, r: &Record) -> &str {
        &self.names[r.name_at.0 as usize..r.name_at.1 as usize]
    }

    /// Vocabulary tokens similar to `t` (with their similarity), exact first; by shared
    /// trigrams too when `fuzzy`.
    fn similar_tokens(&self, t: &STok, params: &Params, fuzzy: bool, out: &mut Vec<(u32, f64)>) {
        out.clear();
        let text = std::str::from_utf8(t.text).unwrap_or_default();
        if let Some(&id) = self.vocab.ids.get(text) {
            out.push((id, 1.0));
        }
        if t.text.len() < 2 || t.class == Class::Number {
            return;
        }
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
                translit: false,
            };
            let (s, _) = score::token_sim(t, &other, params);
            if s > 0.0 {
                out.push((id, s));
            }
        };
        if t.skel.len() >= 3 {
            if let Some(ids) = self.by_skel.get(t.skel) {
                for &id in ids.iter().take(200) {
                    consider(id, out);
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

    /// A class for a vocabulary token out of context (its first use); only Legal/Number matter
    /// to token similarity and those do not depend on context.
    fn var_toks_class_any(&self, id: u32) -> Class {
        let text = self.vocab.text(id);
        if super::tables::is_number(text) {
            Class::Number
        } else {
            Class::Word
        }
    }

    fn rarity_of(&self, text: &str) -> f32 {
        self.vocab
            .ids
            .get(text)
            .map_or(1.0, |&id| self.rarity[id as usize])
    }

    fn variant_view(&self, v: usize) -> Vec<STok<'_>> {
        let base = self.var_toks.starts[v] as usize;
        let translit = self.records[self.var_record[v] as usize]
            .notes
            .transliterated;
        self.var_toks
            .row(v)
            .iter()
            .enumerate()
            .map(|(k, &id)| STok {
                text: self.vocab.text(id).as_bytes(),
                skel: self.vocab.skel(id),
                class: self.var_class[base + k],
                rarity: self.rarity[id as usize],
                translit,
            })
            .collect()
    }

    /// Candidate variants for the query, by an overlap estimate, best first.
    /// `strict` (a high threshold, as for links made at import) narrows the search: only
    /// names sharing a distinctive word are candidates, and a word found exactly is not also
    /// looked up fuzzily. Without a distinctive word in common a name cannot reach such a
    /// threshold (its distinctive words would be unmatched).
    fn candidates(&self, query: &[Vec<STok>], params: &Params, strict: bool) -> Vec<u32> {
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
                        translit: false,
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

    /// Best hit per record id at or above `opts.threshold`, best first, at most `opts.limit`.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Vec<Hit> {
        if self.is_empty() || opts.limit == 0 {
            return Vec::new();
        }
        let q = Prepared::new(query);
        let q_views: Vec<Vec<STok>> = q
            .variants
            .iter()
            .map(|v| {
                prepared::view(v, q.notes.transliterated)
                    .into_iter()
                    .map(|mut t| {
                        t.rarity = self.rarity_of(std::str::from_utf8(t.text).unwrap_or_default());
                        t
                    })
                    .collect()
            })
            .collect();
        if q_views.iter().all(|v| v.is_empty()) {
            return Vec::new();
        }
        // The query's schema: given, else what its form says (a legal form → company).
        let query_schema = prepared::resolve(opts.schema, q.hint, Schema::Unknown);
        let query_params = Params::for_schema(query_schema);
        let country = country_code(&opts.country);
        // Best (score, variant, query variant, alignment) per record.
        let mut best: HashMap<u32, (f64, usize, usize, Aligned)> = HashMap::new();
        for v in self.candidates(&q_views, &query_params, opts.threshold >= STRICT_THRESHOLD) {
            let v = v as usize;
            let ri = self.var_record[v];
            let rec = &self.records[ri as usize];
            let schema = if rec.schema != Schema::Unknown {
                rec.schema
            } else {
                prepared::resolve(opts.schema, q.hint, rec.hint)
            };
            let params = Params::for_schema(schema);
            let cv = self.variant_view(v);
            for (qi, qv) in q_views.iter().enumerate() {
                let a = score::align(qv, &cv, &params);
                let mut s = a.score;
                if rec.schema != Schema::Unknown && schema_conflict(query_schema, rec.schema) {
                    s *= 0.85;
                }
                if let (Some(qc), Some(rc)) = (country, rec.country) {
                    s = if qc == rc {
                        s + (1.0 - s) * 0.1
                    } else {
                        s * 0.97
                    };
                }
                if s < opts.threshold {
                    continue;
                }
                match best.get(&ri) {
                    Some((bs, ..)) if *bs >= s => {}
                    _ => {
                        best.insert(ri, (s, v, qi, a));
                    }
                }
            }
        }
        // Several records may share an id (one per alias): keep the best per id.
        let mut by_id: HashMap<i64, (f64, u32, usize, usize, Aligned)> = HashMap::new();
        for (ri, (s, v, qi, a)) in best {
            let id = self.records[ri as usize].id;
            match by_id.get(&id) {
                Some((bs, ..)) if *bs >= s => {}
                _ => {
                    by_id.insert(id, (s, ri, v, qi, a));
                }
            }
        }
        let mut ranked: Vec<(i64, f64, u32, usize, usize, Aligned)> = by_id
            .into_iter()
            .map(|(id, (s, ri, v, qi, a))| (id, s, ri, v, qi, a))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(opts.limit);
        ranked
            .into_iter()
            .map(|(id, s, ri, v, qi, a)| {
                let rec = &self.records[ri as usize];
                let name = self.record_name(rec);
                let cv = self.variant_view(v);
                let mut explanation = explain::describe(&explain::Context {
                    q: &q_views[qi],
                    c: &cv,
                    q_kind: q.variants[qi].kind,
                    c_kind: self.var_kind[v],
                    q_notes: q.notes,
                    c_notes: rec.notes,
                    aligned: &a,
                });
                if let (Some(qc), Some(rc)) = (country, rec.country) {
                    explanation.push_str(if qc == rc {
                        "; same country"
                    } else {
                        "; different country"
                    });
                }
                Hit {
                    id,
                    matched_name: name.to_string(),
                    score: s,
                    sls_score: sls::sls_score(query, name),
                    explanation,
                }
            })
            .collect()
    }
}

/// Persons are not organisations or vessels; vessels are not companies.
fn schema_conflict(a: Schema, b: Schema) -> bool {
    use Schema::*;
    matches!(
        (a, b),
        (Person, Company | Vessel | Aircraft)
            | (Company | Vessel | Aircraft, Person)
            | (Vessel, Company | Aircraft)
            | (Company | Aircraft, Vessel)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: i64, name: &str) -> NameRecord {
        NameRecord {
            id,
            name: name.to_string(),
            schema: Schema::Unknown,
            country: None,
        }
    }

    #[test]
    fn finds_typos_joined_words_and_transliterations() {
        let idx = NameIndex::build(vec![
            rec(1, "Hangzhou Hikvision Digital Technology Co., Ltd."),
            rec(2, "MUHAMMAD, Ali"),
            rec(3, "Global Trading Co Ltd"),
        ]);
        let o = SearchOptions::default();
        let h = idx.search("HANGZHOU HIKVISON DIGITAL TECHNOLOGY CO LTD", &o);
        assert_eq!(h.first().map(|h| h.id), Some(1));
        let h = idx.search("Hik Vision Digital Technology", &o);
        assert_eq!(h.first().map(|h| h.id), Some(1), "{h:?}");
        let h = idx.search("Ali Mohammed", &o);
        assert_eq!(h.first().map(|h| h.id), Some(2), "{h:?}");
        assert!(idx.search("Totally Unrelated Name", &o).is_empty());
    }

    #[test]
    fn best_hit_per_id_and_limit() {
        let idx = NameIndex::build(vec![
            rec(7, "Hangzhou Hikvision Digital Technology Co., Ltd."),
            rec(7, "Hikvision"),
            rec(8, "HIKVISION"),
        ]);
        let hits = idx.search("Hikvision", &SearchOptions::default());
        assert_eq!(hits.len(), 2);
        assert!(hits.iter().all(|h| h.score >= 0.99));
        let one = idx.search(
            "Hikvision",
            &SearchOptions {
                limit: 1,
                ..SearchOptions::default()
            },
        );
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn index_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<NameIndex>();
    }
}
