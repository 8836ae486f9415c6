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

/// `name` with ASCII letters lowered into `buf`: what skim is given. Even ignoring case, skim
/// scores an ALL-CAPS name below the same name in mixed case (HIKVISION 173, Hikvision 189 for
/// `hikvision`), and the lists differ by convention (SDN and manifests upper case, the CSL
/// mixed), so unlowered the ranking would follow the source's capitals, not the match. ASCII
/// lowering keeps every character where it was, so match positions still index `name`.
pub fn lowered<'a>(name: &str, buf: &'a mut String) -> &'a str {
    buf.clear();
    buf.push_str(name);
    buf.make_ascii_lowercase();
    buf
}

/// Per-thread scoring state (nucleo's matcher is not shareable between threads).
pub struct State {
    skim: SkimMatcherV2,
    nucleo: Option<Matcher>,
    buf: Vec<char>,
    lower: String,
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
            lower: String::new(),
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
            _ => self.skim.fuzzy_match(lowered(name, &mut self.lower), q),
        }
    }
}
