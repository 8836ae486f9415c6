//! Ranked fuzzy search over a million names, fast enough to run on every keystroke.
//!
//! fuzzy-matcher's skim scoring costs about a microsecond per name, so a full scan of 1M names
//! takes a second on one core. This module makes it interactive without changing the ranking:
//! - a 64-bit character-set mask per name rejects most names with one AND (a name lacking a
//!   letter of the query cannot match), then an ASCII subsequence check rejects most of the rest;
//!   only the survivors are scored by skim;
//! - the scan is split over all cores (rayon) and checks a cancellation flag between chunks, so
//!   a stale query stops as soon as the user types the next key;
//! - when the query grows ("hik" → "hikv") only the previous query's matches are rescanned:
//!   a name that matches "hikv" as a subsequence also matched "hik".
//!
//! Two scorers: fuzzy-matcher's skim (the workbench's ranking) and nucleo-matcher (helix's
//! picker: whitespace-separated atoms in any order, Unicode-normalized), benchmarked side by
//! side.

use std::sync::atomic::{AtomicU64, Ordering};

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::prelude::*;

/// Names scanned between two looks at the cancellation flag.
const CHUNK: usize = 16 * 1024;

/// The searchable names, prepared once (lower-case ASCII bytes and character masks).
pub struct NameList {
    names: Vec<Box<str>>,
    /// Lower-cased ASCII folding of each name (non-ASCII characters kept as is).
    folded: Vec<Box<[u8]>>,
    masks: Vec<u64>,
}

/// Mask bits of names with non-ASCII text, and of ASCII punctuation.
const NON_ASCII: u64 = 1 << 62;
const OTHER: u64 = 1 << 63;

/// Bit of a lower-case ASCII letter or digit; other ASCII shares bit 63, non-ASCII bit 62.
fn bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        0x80.. => NON_ASCII,
        _ => OTHER,
    }
}

fn mask_of(folded: &[u8]) -> u64 {
    folded
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .fold(0, |m, &b| m | bit(b))
}

fn fold(s: &str) -> Box<[u8]> {
    s.bytes().map(|b| b.to_ascii_lowercase()).collect()
}

impl NameList {
    pub fn new(names: Vec<String>) -> NameList {
        let folded: Vec<Box<[u8]>> = names.par_iter().map(|n| fold(n)).collect();
        let masks = folded.par_iter().map(|f| mask_of(f)).collect();
        NameList {
            names: names.into_iter().map(String::into_boxed_str).collect(),
            folded,
            masks,
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }

    /// Bytes held (names, folded copies, masks), for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.names.iter().map(|n| n.len() + 16).sum::<usize>()
            + self.folded.iter().map(|n| n.len() + 16).sum::<usize>()
            + self.masks.len() * 8
    }
}

/// A prepared query.
struct Query<'q> {
    text: &'q str,
    folded: Vec<u8>,
    mask: u64,
    /// The mask for nucleo's atoms: none if an atom is negated ("!word" must not be required).
    atoms_mask: u64,
    /// nucleo's atoms, folded, when each must be a subsequence of a matching ASCII name (none
    /// of nucleo's special syntax in the query).
    plain_atoms: Option<Vec<Vec<u8>>>,
    /// The query is plain ASCII, so the mask and subsequence pre-checks are exact rejections.
    ascii: bool,
}

impl<'q> Query<'q> {
    fn new(text: &'q str) -> Query<'q> {
        let folded: Vec<u8> = text
            .bytes()
            .filter(|b| !b.is_ascii_whitespace())
            .map(|b| b.to_ascii_lowercase())
            .collect();
        let ascii = text.is_ascii();
        let mask = if ascii {
            mask_of(&folded) & !(OTHER | NON_ASCII)
        } else {
            0
        };
        Query {
            text,
            folded,
            mask,
            atoms_mask: if text.contains('!') { 0 } else { mask },
            plain_atoms: (ascii && !text.contains(['!', '^', '$', '\'', '\\'])).then(|| {
                text.split_whitespace()
                    .map(|a| a.bytes().map(|b| b.to_ascii_lowercase()).collect())
                    .collect()
            }),
            ascii,
        }
    }

    /// Cheap rejection for skim: could `name` match at all?
    fn may_match(&self, mask: u64, folded: &[u8]) -> bool {
        if mask & self.mask != self.mask {
            return false;
        }
        !self.ascii || is_subsequence(&self.folded, folded)
    }

    /// Cheap rejection for nucleo: every atom must be a subsequence (of an ASCII name).
    fn may_match_atoms(&self, mask: u64, folded: &[u8]) -> bool {
        if mask & NON_ASCII != 0 {
            return true;
        }
        if mask & self.atoms_mask != self.atoms_mask {
            return false;
        }
        match &self.plain_atoms {
            Some(atoms) => atoms.iter().all(|a| is_subsequence(a, folded)),
            None => true,
        }
    }
}

fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut n = needle.iter();
    let mut want = n.next();
    for b in hay {
        match want {
            Some(w) if w == b => want = n.next(),
            Some(_) => {}
            None => break,
        }
    }
    want.is_none()
}

/// One ranked name: index into the list, skim score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: u32,
    pub score: i64,
}

/// The result of a search: the best `limit` hits, and every matching index (to narrow the next,
/// longer query).
#[derive(Debug, Clone, Default)]
pub struct Ranked {
    pub query: String,
    pub hits: Vec<Hit>,
    pub matches: Vec<u32>,
}

/// Best first: higher score, then the shorter name, then list order.
fn better(list: &NameList, a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score
        .cmp(&a.score)
        .then(
            list.names[a.index as usize]
                .len()
                .cmp(&list.names[b.index as usize].len()),
        )
        .then(a.index.cmp(&b.index))
}

fn top(list: &NameList, mut hits: Vec<Hit>, limit: usize) -> Vec<Hit> {
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable_by(limit - 1, |a, b| better(list, a, b));
        hits.truncate(limit);
    }
    hits.sort_by(|a, b| better(list, a, b));
    hits
}

/// Which fuzzy scorer ranks the names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// fuzzy-matcher's SkimMatcherV2 (the query is one subsequence, spaces included).
    #[default]
    Skim,
    /// nucleo-matcher: atoms separated by spaces, each matched fuzzily, in any order.
    Nucleo,
}

/// Searches a `NameList`; `generation` is the cancellation token: a search started for
/// generation g gives up (returns None) once the counter has moved past g.
pub struct Ranker {
    engine: Engine,
    matcher: SkimMatcherV2,
    pub generation: AtomicU64,
}

impl Default for Ranker {
    fn default() -> Self {
        Ranker::new(Engine::Skim)
    }
}

/// Per-thread scoring state (nucleo's matcher is not shareable between threads).
struct Scratch {
    nucleo: Matcher,
    buf: Vec<char>,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            nucleo: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        }
    }
}

impl Ranker {
    pub fn new(engine: Engine) -> Ranker {
        Ranker {
            engine,
            matcher: SkimMatcherV2::default(),
            generation: AtomicU64::new(0),
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Score one name (None: no match), after the cheap rejections.
    fn score(
        &self,
        list: &NameList,
        q: &Query,
        pattern: &Pattern,
        i: u32,
        s: &mut Scratch,
    ) -> Option<Hit> {
        let iu = i as usize;
        let name = &list.names[iu];
        let score = match self.engine {
            Engine::Skim => {
                if !q.may_match(list.masks[iu], &list.folded[iu]) {
                    return None;
                }
                self.matcher.fuzzy_match(name, q.text.trim())?
            }
            Engine::Nucleo => {
                // Atoms match in any order and non-ASCII names may match after normalization:
                // only the character-set check is exact here, and only for ASCII names.
                if !q.may_match_atoms(list.masks[iu], &list.folded[iu]) {
                    return None;
                }
                i64::from(pattern.score(Utf32Str::new(name, &mut s.buf), &mut s.nucleo)?)
            }
        };
        Some(Hit { index: i, score })
    }

    /// Start a new search: every search of an older generation stops at its next check.
    pub fn next_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Rank `query` over `list`. `previous` is the last complete result; when `query` extends
    /// its query, only its matches are rescanned. None if cancelled.
    pub fn search(
        &self,
        list: &NameList,
        query: &str,
        previous: Option<&Ranked>,
        limit: usize,
        generation: u64,
    ) -> Option<Ranked> {
        let q = Query::new(query);
        if q.folded.is_empty() {
            return Some(Ranked {
                query: query.into(),
                ..Default::default()
            });
        }
        let narrowed =
            previous.filter(|p| !p.query.trim().is_empty() && query.starts_with(p.query.as_str()));
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let cancelled = || self.generation.load(Ordering::Relaxed) != generation;
        let score = |s: &mut Scratch, i: u32| self.score(list, &q, &pattern, i, s);
        let hits: Option<Vec<Vec<Hit>>> = match narrowed {
            Some(p) => p
                .matches
                .par_chunks(CHUNK)
                .map_init(Scratch::new, |s, c| {
                    (!cancelled()).then(|| c.iter().filter_map(|&i| score(s, i)).collect())
                })
                .collect(),
            None => (0..list.len().div_ceil(CHUNK))
                .into_par_iter()
                .map_init(Scratch::new, |s, k| {
                    (!cancelled()).then(|| {
                        let end = ((k + 1) * CHUNK).min(list.len());
                        (k * CHUNK..end)
                            .filter_map(|i| score(s, i as u32))
                            .collect()
                    })
                })
                .collect(),
        };
        let hits: Vec<Hit> = hits?.into_iter().flatten().collect();
        let matches: Vec<u32> = hits.iter().map(|h| h.index).collect();
        Some(Ranked {
            query: query.into(),
            hits: top(list, hits, limit),
            matches,
        })
    }

    /// The naive baseline: one thread, the scorer on every name, full sort.
    pub fn search_naive(&self, list: &NameList, query: &str, limit: usize) -> Vec<Hit> {
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let mut s = Scratch::new();
        let mut hits: Vec<Hit> = (0..list.len() as u32)
            .filter_map(|i| {
                let name = &list.names[i as usize];
                let score = match self.engine {
                    Engine::Skim => self.matcher.fuzzy_match(name, query.trim())?,
                    Engine::Nucleo => {
                        i64::from(pattern.score(Utf32Str::new(name, &mut s.buf), &mut s.nucleo)?)
                    }
                };
                Some(Hit { index: i, score })
            })
            .collect();
        hits.sort_by(|a, b| better(list, a, b));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> NameList {
        NameList::new(
            [
                "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.",
                "Hikvision USA Inc",
                "ZHEJIANG DAHUA TECHNOLOGY CO LTD",
                "SHENZHEN HUAXIN ELECTRONICS CO LTD",
                "Rosoboronexport",
                "Société Générale de Hikvision",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        )
    }

    #[test]
    fn prefiltered_parallel_search_ranks_exactly_like_the_naive_scan() {
        let l = list();
        for engine in [Engine::Skim, Engine::Nucleo] {
            let r = Ranker::new(engine);
            for q in [
                "hikvision",
                "hik",
                "dahua tech",
                "xyz",
                "société",
                "societe",
                "CO LTD",
            ] {
                let g = r.next_generation();
                let fast = r.search(&l, q, None, 10, g).map(|x| x.hits);
                assert_eq!(fast, Some(r.search_naive(&l, q, 10)), "{engine:?} {q}");
            }
        }
        // nucleo folds accents: "societe" finds the French name; skim does not.
        let n = Ranker::new(Engine::Nucleo);
        assert_eq!(n.search_naive(&l, "societe", 10).len(), 1);
        assert!(Ranker::default().search_naive(&l, "societe", 10).is_empty());
    }

    #[test]
    fn a_growing_query_reuses_the_previous_matches_with_the_same_result() {
        let l = list();
        let r = Ranker::default();
        let g = r.next_generation();
        let first = r.search(&l, "hik", None, 10, g).unwrap_or_default();
        let grown = r.search(&l, "hikvis", Some(&first), 10, g).map(|x| x.hits);
        assert_eq!(grown, Some(r.search_naive(&l, "hikvis", 10)));
    }

    #[test]
    fn a_newer_generation_cancels_the_search() {
        let l = list();
        let r = Ranker::default();
        let g = r.next_generation();
        r.next_generation();
        assert!(r.search(&l, "hik", None, 10, g).is_none());
    }
}
