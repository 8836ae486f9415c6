//! The in-memory name index: interned tokens (u32 ids) with postings to name variants, and
//! lookups for fuzzy candidates (shared trigrams, transliteration skeletons, joined and split
//! words). Built once per process, queried many times, from many threads.
//!
//! Layout is flat (compressed-sparse-row arrays instead of a Vec per token or name) to keep a
//! million names in a few hundred megabytes at most and to build in seconds.

use std::collections::HashMap;

use rayon::prelude::*;

mod flat;
mod lookup;

use flat::{trigrams_of, Csr, Vocab};

use super::dob::{self, Dob, Evidence};
use super::normalize::VariantKind;
use super::prepared::{self, Prepared};
use super::score::{self, Aligned, Params, STok};
use super::tables::Class;
use super::{explain, sls, Hit, NameRecord, Schema, SearchOptions};

/// Candidate name variants fully scored per query (after the cheap token-overlap estimate).
pub(super) const MAX_CANDIDATES: usize = 250;

/// From this threshold on, candidates must share a distinctive word with the query.
const STRICT_THRESHOLD: f64 = 0.85;

struct Record {
    id: i64,
    name_at: (u32, u32),
    schema: Schema,
    hint: Schema,
    country: Option<[u8; 2]>,
    /// The record's dates of birth: `dobs[dob_at.0..dob_at.1]`.
    dob_at: (u32, u32),
    notes: super::normalize::Notes,
}

/// An in-memory index over names with token-based candidate generation.
pub struct NameIndex {
    records: Vec<Record>,
    names: String,
    dobs: Vec<Dob>,
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
    /// Tokens by coarse consonant key (`romanize::coarse_key`), packed: loose transcriptions
    /// (Han, kana, Hangul …) find their Latin spellings through it.
    by_coarse: HashMap<u64, Vec<u32>>,
}

/// A coarse key packed four bits a letter (keys of 2–16 letters), 0 if it does not fit.
pub(super) fn pack_coarse(key: &[u8]) -> u64 {
    if key.len() < 2 || key.len() > 16 {
        return 0;
    }
    key.iter().fold(0u64, |acc, &c| {
        let v = match c {
            b'P' => 1,
            b'T' => 2,
            b'K' => 3,
            b'R' => 4,
            b'S' => 5,
            b'M' => 6,
            b'N' => 7,
            _ => 8,
        };
        acc << 4 | v
    })
}

/// Tokens that say nothing about which entity a name belongs to: not used to find candidates.
pub(super) fn indexable(class: Class) -> bool {
    !matches!(class, Class::Legal | Class::Particle)
}

fn country_code(c: &Option<String>) -> Option<[u8; 2]> {
    let b = c.as_deref()?.trim().as_bytes();
    (b.len() == 2).then(|| [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()])
}

impl NameIndex {
    pub fn build(records: Vec<NameRecord>) -> NameIndex {
        let prepared: Vec<Prepared> = records.par_iter().map(|r| Prepared::new(&r.name)).collect();
        let mut names = String::new();
        let mut dobs = Vec::new();
        let mut recs = Vec::with_capacity(records.len());
        let mut vocab = Vocab::default();
        let mut var_record = Vec::new();
        let mut var_kind = Vec::new();
        let mut var_pairs: Vec<(u32, u32)> = Vec::new();
        let mut var_class = Vec::new();
        for (ri, (r, p)) in records.iter().zip(&prepared).enumerate() {
            let start = names.len() as u32;
            names.push_str(&r.name);
            let dob_start = dobs.len() as u32;
            if let Some(text) = &r.dob {
                dobs.extend(dob::parse_list(text));
            }
            recs.push(Record {
                id: r.id,
                name_at: (start, names.len() as u32),
                schema: r.schema,
                hint: p.hint,
                country: country_code(&r.country),
                dob_at: (dob_start, dobs.len() as u32),
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
        let mut by_coarse: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut buf = Vec::new();
        let mut ck = Vec::new();
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
            if (3..=16).contains(&text.len()) && text.iter().all(u8::is_ascii_alphabetic) {
                crate::romanize::coarse_key(text, false, &mut ck);
                let packed = pack_coarse(&ck);
                if packed != 0 {
                    by_coarse.entry(packed).or_default().push(t);
                }
            }
        }
        let trigram_rows = Csr::build(trigram_ids.len(), &tri_pairs);
        NameIndex {
            records: recs,
            names,
            dobs,
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
            by_coarse,
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
            + self.dobs.capacity() * std::mem::size_of::<Dob>()
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
            + self.by_coarse.capacity() * 40
            + self
                .by_coarse
                .values()
                .map(|v| v.capacity() * 4)
                .sum::<usize>()
    }

    fn record_name(&self, r: &Record) -> &str {
        &self.names[r.name_at.0 as usize..r.name_at.1 as usize]
    }

    fn record_dobs(&self, r: &Record) -> &[Dob] {
        &self.dobs[r.dob_at.0 as usize..r.dob_at.1 as usize]
    }

    fn dob_evidence(&self, query: Option<Dob>, r: &Record) -> Option<Evidence> {
        Evidence::of(query?, self.record_dobs(r))
    }

    fn rarity_of(&self, text: &str) -> f32 {
        self.vocab
            .ids
            .get(text)
            .map_or(1.0, |&id| self.rarity[id as usize])
    }

    fn variant_view(&self, v: usize) -> Vec<STok<'_>> {
        let base = self.var_toks.starts[v] as usize;
        let script = self.records[self.var_record[v] as usize].notes.script;
        self.var_toks
            .row(v)
            .iter()
            .enumerate()
            .map(|(k, &id)| STok {
                text: self.vocab.text(id).as_bytes(),
                skel: self.vocab.skel(id),
                class: self.var_class[base + k],
                rarity: self.rarity[id as usize],
                script,
                orig: None,
            })
            .collect()
    }

    /// Position of variant `v` among its record's variants (they are stored together).
    fn variant_rank(&self, v: usize) -> usize {
        let r = self.var_record[v];
        (0..v)
            .rev()
            .take_while(|&u| self.var_record[u] == r)
            .count()
    }

    /// Best hit per record id at or above `opts.threshold`, best first, at most `opts.limit`.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Vec<Hit> {
        self.search_in(query, opts, None)
    }

    /// [`search`](Self::search) among the records whose id `keep` accepts, scored exactly as
    /// in the full search (the same index, the same rarities): every hit the full search
    /// returns of a kept record, this returns too, with the same score (the kept candidates
    /// are a superset of the full search's kept candidates: the cap on candidates and the
    /// cut below the best overlap are applied among the kept ones). It may return more (kept
    /// records the full search left out for others). Cheap when few records are kept: only
    /// they are scored in full. For a check against the entries a list update changed.
    pub fn search_among(
        &self,
        query: &str,
        opts: &SearchOptions,
        keep: &(dyn Fn(i64) -> bool + Sync),
    ) -> Vec<Hit> {
        self.search_in(query, opts, Some(keep))
    }

    fn search_in(
        &self,
        query: &str,
        opts: &SearchOptions,
        keep: Option<&(dyn Fn(i64) -> bool + Sync)>,
    ) -> Vec<Hit> {
        if self.is_empty() || opts.limit == 0 {
            return Vec::new();
        }
        let q = Prepared::new(query);
        let q_views: Vec<Vec<STok>> = q
            .variants
            .iter()
            .map(|v| {
                prepared::view(v, q.notes)
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
        // An unreadable query date is no evidence (callers validate it for the user).
        let query_dob = opts.dob.as_deref().and_then(dob::parse_query);
        // Best (score, variant, query variant, alignment) per record.
        let mut best: HashMap<u32, (f64, usize, usize, Aligned)> = HashMap::new();
        let keep_variant =
            keep.map(|k| move |v: u32| k(self.records[self.var_record[v as usize] as usize].id));
        let candidates = self.candidates(
            &q_views,
            &query_params,
            opts.threshold >= STRICT_THRESHOLD,
            keep_variant.as_ref().map(|k| k as &dyn Fn(u32) -> bool),
        );
        for v in candidates {
            let v = v as usize;
            let ri = self.var_record[v];
            let rec = &self.records[ri as usize];
            let schema = if rec.schema != Schema::Unknown {
                rec.schema
            } else {
                prepared::resolve(opts.schema, q.hint, rec.hint)
            };
            let base = Params::for_schema(schema);
            let params = Params {
                chinese: q.notes.chinese && rec.notes.chinese,
                // A company's name against a person's: its single letters are not initials of
                // the person's names (PHASE ONE A/S is not ONE, P.).
                initials: base.initials && !schema_conflict(query_schema, schema),
                ..base
            };
            let cv = self.variant_view(v);
            // Both written in Han, kana or Hangul: compare the characters (rare in the lists).
            let native = match &q.native {
                Some(nq) if rec.notes.script.is_cjk() => Some(prepared::native_align(
                    nq,
                    &prepared::native_variant(self.record_name(rec)),
                    q.notes,
                    rec.notes,
                )),
                _ => None,
            };
            for (qi, qv) in q_views.iter().enumerate() {
                let mut a = match &native {
                    Some(n) => n.clone(),
                    None => score::align(qv, &cv, &params),
                };
                prepared::acronym_rule(q.variants[qi].kind, self.var_kind[v], qv, &cv, &mut a);
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
                if let Some(ev) = self.dob_evidence(query_dob, rec) {
                    s = ev.apply(s);
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
        // Several records may share an id (one per alias): keep the best per id; of names that
        // score the same, the first record (not whichever the hash map yields first: the
        // stored matched name must not change from one run to the next).
        let mut by_id: HashMap<i64, (f64, u32, usize, usize, Aligned)> = HashMap::new();
        for (ri, (s, v, qi, a)) in best {
            let id = self.records[ri as usize].id;
            match by_id.get(&id) {
                Some((bs, bri, ..)) if *bs > s || (*bs == s && *bri < ri) => {}
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
                // The list name prepared again, for what normalization rewrote (the index keeps
                // only the tokens); the same tokens in the same places.
                let listed = Prepared::new(name);
                let native = q.native.is_some() && rec.notes.script.is_cjk();
                let (qv, cv) = match (&q.native, &listed.native) {
                    (Some(nq), Some(nc)) if native => (
                        prepared::view(nq, q.notes),
                        prepared::view(nc, listed.notes),
                    ),
                    _ => (
                        q_views[qi].clone(),
                        listed
                            .variants
                            .get(self.variant_rank(v))
                            .map(|pv| prepared::view(pv, listed.notes))
                            .unwrap_or_else(|| self.variant_view(v)),
                    ),
                };
                let mut explanation = explain::describe(&explain::Context {
                    q: &qv,
                    c: &cv,
                    q_kind: q.variants[qi].kind,
                    c_kind: self.var_kind[v],
                    q_notes: q.notes,
                    c_notes: rec.notes,
                    aligned: &a,
                });
                if native {
                    explanation.push_str("; compared in the original script");
                }
                if let (Some(qc), Some(rc)) = (country, rec.country) {
                    explanation.push_str(if qc == rc {
                        "; same country"
                    } else {
                        "; different country"
                    });
                }
                if let Some(ev) = self.dob_evidence(query_dob, rec) {
                    explanation.push_str(&ev.describe(self.record_dobs(rec)));
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
mod tests;
