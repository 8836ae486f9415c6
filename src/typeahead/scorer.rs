//! The final scorer of the typeahead: fuzzy-matcher's skim (the workbench's ranking) or
//! nucleo-matcher (helix's picker), run on the few thousand best candidates of the quick pass.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// Which fuzzy scorer ranks the candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scorer {
    /// fuzzy-matcher's SkimMatcherV2, case-insensitive.
    #[default]
    Skim,
    /// nucleo-matcher (whitespace-separated atoms, smart case, Unicode-normalized).
    Nucleo,
}

/// The skim matcher as the workbench configures it.
pub fn skim() -> SkimMatcherV2 {
    SkimMatcherV2::default().ignore_case()
}

/// Per-thread scoring state (nucleo's matcher is not shareable between threads).
pub struct State {
    skim: SkimMatcherV2,
    nucleo: Option<Matcher>,
    buf: Vec<char>,
}

impl Scorer {
    pub fn label(self) -> &'static str {
        match self {
            Scorer::Skim => "fuzzy-matcher skim",
            Scorer::Nucleo => "nucleo-matcher",
        }
    }

    pub fn pattern(self, q: &str) -> Option<Pattern> {
        (self == Scorer::Nucleo)
            .then(|| Pattern::parse(q, CaseMatching::Ignore, Normalization::Smart))
    }

    pub fn state(self) -> State {
        State {
            skim: skim(),
            nucleo: (self == Scorer::Nucleo).then(|| Matcher::new(Config::DEFAULT)),
            buf: Vec::new(),
        }
    }
}

impl State {
    /// Score `name` for the lower-cased query `q` (None: no match).
    pub fn score(&mut self, pattern: &Option<Pattern>, name: &str, q: &str) -> Option<i64> {
        match (pattern, self.nucleo.as_mut()) {
            (Some(p), Some(m)) => p
                .score(Utf32Str::new(name, &mut self.buf), m)
                .map(i64::from),
            _ => self.skim.fuzzy_match(name, q),
        }
    }
}
