//! The Entities pane's search-as-you-type: fuzzy subsequence matching (skim's V2 scorer) over
//! every list name and alias, trade party and patent assignee.
//!
//! Built for typing speed over a million names: names are stored once ([`Corpus`]); a 64-bit
//! character mask per name rejects most names with one AND (`mask`); a cheap byte-level pass
//! (`quick`) rejects the rest that cannot match and ranks the survivors the way the final
//! ranking will as far as bytes tell, and only the best few thousand are scored by skim (the
//! result is the naive full scan's: a test and the benchmark compare them); the scan runs on all cores (rayon) and checks a cancel
//! flag every few thousand names so a newer keystroke stops it; and when the query grows, only
//! the previous query's matches are rescanned (any name that contains the longer query as a
//! subsequence contains the shorter one too). This is the one search engine of the program:
//! the workbench runs it and `tradescope-bench bench` measures it (with nucleo-matcher as the final
//! scorer side by side, [`Scorer`]).

mod corpus;
mod mask;
mod quick;
mod scorer;

use rayon::prelude::*;

pub use corpus::{Corpus, Kind, Record};
pub use scorer::Scorer;

/// Names scanned between two looks at the cancel flag.
const CHUNK: usize = 4096;
/// Names (best by the quick score) that the scorer ranks for the final result.
pub const RERANK: usize = 4000;
/// Scattered candidates the scorer ranks when they reach the result (fewer than a page of
/// names contain the query as typed).
pub const SCATTERED: usize = 10_000;

/// One result row: the best-matching name of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub record: Record,
    /// The name that matched (a primary name or an alias).
    pub matched: String,
    /// Char indices of the matched characters in `matched`, for highlighting.
    pub positions: Vec<usize>,
    pub score: i64,
}

/// The ranked results of one query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    pub query: String,
    pub hits: Vec<Hit>,
    /// How many names matched in all (the hits are the best `limit` records).
    pub matched_names: usize,
}

/// The engine: a corpus, a character mask per name, and the previous query's matches for
/// incremental narrowing.
pub struct Engine {
    corpus: Corpus,
    /// Letters and digits each name contains (mask::of): one AND rejects most names; the
    /// record kind in the top bits (mask::with_rank).
    masks: Vec<u64>,
    scorer: Scorer,
    /// Previous completed query (lower-cased) and the slots it matched.
    last: Option<(String, Vec<u32>)>,
}

impl Engine {
    /// The workbench's engine: fuzzy-matcher's skim ranks the final candidates.
    pub fn new(corpus: Corpus) -> Self {
        Engine::with_scorer(corpus, Scorer::Skim)
    }

    /// An engine whose final ranking is done by `scorer` (nucleo-matcher: benchmarked side by
    /// side with skim).
    pub fn with_scorer(corpus: Corpus, scorer: Scorer) -> Self {
        let masks = corpus
            .slots
            .par_iter()
            .map(|s| {
                let m = mask::of(corpus.name(s).as_bytes());
                mask::with_rank(m, corpus.rank(s.record))
            })
            .collect();
        Engine {
            corpus,
            masks,
            scorer,
            last: None,
        }
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    pub fn scorer(&self) -> Scorer {
        self.scorer
    }

    /// The same corpus and masks with another final scorer.
    pub fn rescored(self, scorer: Scorer) -> Engine {
        Engine {
            scorer,
            last: None,
            ..self
        }
    }

    /// Forget the previous query: the next search scans every name.
    pub fn forget(&mut self) {
        self.last = None;
    }

    /// Bytes held by the corpus and the masks, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.corpus.heap_bytes() + self.masks.len() * 8
    }

    /// Rank names against `query`, best `limit` records first. Returns None when `cancelled()`
    /// turned true during the scan (a newer query is waiting).
    pub fn search(
        &mut self,
        query: &str,
        limit: usize,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Results> {
        let (q, exact) = prepare(query);
        if q.is_empty() {
            return Some(Results::default());
        }
        let scored = {
            let gate = quick::Gate::of(self.scorer, &q);
            let reuse = match &self.last {
                Some((prev, slots)) if gate.narrows(prev, &q) => Some(slots.as_slice()),
                _ => None,
            };
            self.scan(&q, &gate, reuse, cancelled)?
        };
        let matched_names = scored.len();
        let slots: Vec<u32> = scored.iter().map(|&(_, s)| s).collect();
        let window = RERANK.max(limit.saturating_mul(4));
        let hits = self.top(&q, scored, limit, window, true, exact);
        self.last = Some((q, slots));
        Some(Results {
            query: query.to_string(),
            hits,
            matched_names,
        })
    }
}

/// The query as searched (trimmed, lower case, double quotes removed) and whether it was
/// quoted: `"zte"` searches for the word ZTE, whole (not ZTEC, not scattered letters).
fn prepare(query: &str) -> (String, bool) {
    let exact = query.contains('"');
    let q = query.replace('"', " ").trim().to_ascii_lowercase();
    (q, exact)
}

impl Engine {
    /// The naive baseline: one thread, the scorer on every name, no prefilter, no cut.
    pub fn search_naive(&self, query: &str, limit: usize) -> Results {
        let (q, exact) = prepare(query);
        let all: Vec<(i64, u32)> = (0..self.corpus.len() as u32).map(|s| (0, s)).collect();
        let hits = self.top(&q, all, limit, usize::MAX, false, exact);
        Results {
            query: query.to_string(),
            hits,
            matched_names: 0,
        }
    }

    /// Quick-score every candidate slot (all, or the previous matches); (score, slot) of the
    /// names that can match, in slot order.
    fn scan(
        &self,
        q: &str,
        gate: &quick::Gate,
        reuse: Option<&[u32]>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<(i64, u32)>> {
        let qb = q.as_bytes();
        let qw = quick::words(qb);
        let qmask = mask::of_query(qb);
        let score = |slot: u32| -> Option<(i64, u32)> {
            let m = self.masks[slot as usize];
            if m & qmask != qmask {
                return None;
            }
            let name = self.corpus.name(&self.corpus.slots[slot as usize]);
            quick::score(gate, &qw, name.as_bytes(), mask::rank(m)).map(|s| (s, slot))
        };
        let chunks: Option<Vec<Vec<(i64, u32)>>> = match reuse {
            Some(slots) => slots
                .par_chunks(CHUNK)
                .map(|c| (!cancelled()).then(|| c.iter().filter_map(|&s| score(s)).collect()))
                .collect(),
            None => {
                let n = self.corpus.len() as u32;
                let starts: Vec<u32> = (0..n).step_by(CHUNK).collect();
                starts
                    .par_iter()
                    .map(|&a| {
                        let b = a.saturating_add(CHUNK as u32).min(n);
                        (!cancelled()).then(|| (a..b).filter_map(score).collect())
                    })
                    .collect()
            }
        };
        let chunks = chunks?;
        let mut all = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        for c in chunks {
            all.extend(c);
        }
        // Chunks come back in order (indexed parallel iterators), so `all` is in slot order.
        Some(all)
    }

    /// Best `limit` records: the best `window` quick scores, re-scored by the scorer, one row
    /// per record. The quick score orders matches as typed the way the final ranking does, so
    /// when at least `limit` names contain the query as typed the window holds the answer
    /// (they all rank above every scattered match). When fewer do, scattered matches reach the
    /// result, and skim scores those by letters landing on word starts, which no byte pass
    /// predicts well: then every scattered candidate is scored (up to [`SCATTERED`]).
    fn top(
        &self,
        q: &str,
        mut quick: Vec<(i64, u32)>,
        limit: usize,
        window: usize,
        parallel: bool,
        exact: bool,
    ) -> Vec<Hit> {
        let as_typed = quick.iter().filter(|&&(s, _)| s >= quick::AS_TYPED).count();
        // Fewer than a page as typed: scattered matches reach the result.
        let scattered_reach = as_typed < limit;
        let window = if scattered_reach {
            window.max(as_typed.saturating_add(SCATTERED))
        } else {
            window
        };
        if quick.len() > window {
            if scattered_reach {
                // Too many scattered matches to score them all: rank them by the estimate.
                let qw = quick::words(q.as_bytes());
                quick.par_iter_mut().for_each(|(score, slot)| {
                    if *score < quick::AS_TYPED {
                        let name = self.corpus.name(&self.corpus.slots[*slot as usize]);
                        let rank = mask::rank(self.masks[*slot as usize]);
                        *score = quick::scattered(&qw, name.as_bytes(), rank);
                    }
                });
            }
            // Best quick scores first, then slot order, selected without a full sort.
            quick.select_nth_unstable_by_key(window, |&(score, slot)| {
                (std::cmp::Reverse(score), slot)
            });
            quick.truncate(window);
        }
        let pattern = self.scorer.pattern(q);
        let rescore = |st: &mut scorer::State, &(_, slot): &(i64, u32)| {
            let name = self.corpus.name(&self.corpus.slots[slot as usize]);
            st.score(&pattern, name, q).map(|s| (s, slot))
        };
        let scored: Vec<(i64, u32)> = if parallel {
            quick
                .par_iter()
                .map_init(|| self.scorer.state(), rescore)
                .flatten()
                .collect()
        } else {
            let mut st = self.scorer.state();
            quick.iter().filter_map(|c| rescore(&mut st, c)).collect()
        };
        // Names that contain the query as typed come first (as whole words, then at a word
        // start, then inside a word), then scattered subsequence matches; the fuzzy score orders each tier. Without
        // the tiers skim ranks "Dalian HUArui" above "DAHUA ELECTRONICS" for `dahua`.
        let qw = quick::words(q.as_bytes());
        let mut tiered: Vec<(quick::Tier, i64, u32)> = scored
            .into_iter()
            .map(|(score, slot)| {
                let name = self.corpus.name(&self.corpus.slots[slot as usize]);
                (quick::tier(&qw, name.as_bytes()), score, slot)
            })
            .collect();
        tiered.sort_unstable_by_key(|&(tier, score, slot)| {
            let s = &self.corpus.slots[slot as usize];
            (
                tier,
                std::cmp::Reverse(score),
                self.corpus.rank(s.record),
                s.len,
                slot,
            )
        });
        // A one-word query found as typed somewhere makes its scattered matches noise
        // ("THINK AND VISION" for `hikvision`); a typo or a several-word query keeps them.
        let as_typed = tiered
            .first()
            .is_some_and(|&(t, _, _)| t != quick::Tier::Scattered);
        let drop_scattered = as_typed && !q.contains(char::is_whitespace);
        // Within the tier, matches far below the best are noise too (whole words and word
        // starts are one tier here).
        let floor_of = |t: quick::Tier| match t {
            quick::Tier::Word | quick::Tier::WordStart => 0,
            quick::Tier::Inside => 1,
            quick::Tier::Scattered => 2,
        };
        let best = |tier| {
            tiered
                .iter()
                .filter(|&&(t, _, _)| floor_of(t) == floor_of(tier))
                .map(|&(_, s, _)| s)
                .max()
                .map_or(i64::MIN, |s| if s > 0 { s * 2 / 3 } else { i64::MIN })
        };
        let floors = [
            best(quick::Tier::WordStart),
            best(quick::Tier::Inside),
            best(quick::Tier::Scattered),
        ];
        let mut seen = std::collections::HashSet::new();
        let mut hits = Vec::with_capacity(limit.min(tiered.len()));
        let skim = scorer::skim();
        let mut lower = String::new();
        for (tier, score, slot) in tiered {
            if hits.len() >= limit || (drop_scattered && tier == quick::Tier::Scattered) {
                break;
            }
            // A quoted query wants its words whole.
            if score < floors[floor_of(tier)] || (exact && tier != quick::Tier::Word) {
                continue;
            }
            let s = self.corpus.slots[slot as usize];
            if !seen.insert(s.record) {
                continue;
            }
            let name = self.corpus.name(&s);
            let lower = scorer::lowered(name, &mut lower);
            let positions = fuzzy_matcher::FuzzyMatcher::fuzzy_indices(&skim, lower, q)
                .map(|(_, p)| p)
                .unwrap_or_default();
            hits.push(Hit {
                record: self.corpus.record(s.record),
                matched: name.to_string(),
                positions,
                score,
            });
        }
        hits
    }
}

#[cfg(test)]
mod tests;
