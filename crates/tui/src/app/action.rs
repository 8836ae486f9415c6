//! Everything that can happen to the workbench: what the user asked for (from the keymap) and
//! what a worker finished (`Loaded`, tagged with the generation of the command it answers).

use tradescope_matching::typeahead::Results;
use tradescope_store::asof::AsOfStatus;
use tradescope_store::intersect::IntersectRow;
use tradescope_store::patents::PatentPage;
use tradescope_store::profile::Profile;
use tradescope_store::shipments::freq::Frequency;
use tradescope_store::shipments::Page;
use tradescope_store::trail::Trail;

use super::invest_data::{AuditData, Screening};
use super::jump::Target;
use tradescope_core::view::RecordView;

/// The three panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Entities,
    Shipments,
    Patents,
    /// The investigations: intersection, transshipment trails, the audit log.
    Investigate,
}

impl Pane {
    pub const ALL: [Pane; 4] = [
        Pane::Entities,
        Pane::Shipments,
        Pane::Patents,
        Pane::Investigate,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Entities => "Entities",
            Pane::Shipments => "Shipments",
            Pane::Patents => "Patents",
            Pane::Investigate => "Investigate",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Pane::Entities => 0,
            Pane::Shipments => 1,
            Pane::Patents => 2,
            Pane::Investigate => 3,
        }
    }
}

/// What the `s`, `p` and `e` shortcuts follow from the selected record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Follow {
    Shipments,
    Patents,
    Entries,
}

/// A count that may have stopped at a cap ("of 100,000+").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Exact(i64),
    AtLeast(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open the selected row or follow the selected link.
    Open,
    Back,
    Forward,
    Pane(Pane),
    NextPane,
    PrevPane,
    /// `/`: edit the current pane's filter or search.
    EditFilter,
    /// Esc: leave input, else clear the filter, else close help.
    Escape,
    Follow(Follow),
    SortNext,
    SortReverse,
    ToggleHelp,
    /// Scroll the help overlay by this many lines.
    ScrollHelp(i32),
    /// Scroll the detail view's fields by this many lines.
    ScrollFields(i32),
    // Input mode.
    Insert(char),
    DeleteChar,
    DeleteWord,
    ClearInput,
    /// Text the terminal pasted (bracketed paste): goes into the line being edited.
    Paste(String),
    /// Enter in input mode: apply the filter (and open the selection in the Entities pane).
    Submit,
    Resize(u16, u16),
    /// First thing the run loop sends: starts loading names and list versions.
    Start,
    NamesReady {
        names: usize,
        records: usize,
    },
    NamesFailed(String),
    Loaded {
        generation: u64,
        data: Loaded,
    },
    /// `i`: the intersection view (listed companies with CET patents and shipments).
    Intersect,
    /// `t`: the transshipment trail of the selected listed company.
    Trail,
    /// `A`: the audit log.
    AuditLog,
    /// `F`: the frequency table of the list's sort column over its filter.
    Frequency,
    /// `P`: the profile of the selected trade party or list entry.
    Profile,
    /// ← / →: the column cursor (intersection) or collapse / expand (trail).
    Left,
    Right,
    /// Space: expand or collapse the selected trail node.
    Toggle,
    /// `m`: add the selected record to the current case.
    Mark,
    /// `x`: export the current case (Markdown with provenance) to a file.
    ExportCase,
    /// `y`: copy the selected value to the clipboard (OSC 52).
    Copy,
    /// Entities pane: screening mode (the screening matcher) on or off.
    ToggleScreening,
    /// Screening threshold up (+1) or down (-1) by `THRESHOLD_STEP`.
    Threshold(i32),
    /// A write (case mark, export, audit record) finished: a message for the status line.
    Written(Result<String, String>),
    /// Review the selected link (detail view): opens the reason prompt.
    ReviewLink(tradescope_store::link_review::Verdict),
    /// A link review was written (or refused): the message, and the view reloads.
    LinkReviewed(Result<String, String>),
    /// Another process changed the lists: (dataset, as-of) of the current lists now.
    ListsUpdated(Vec<(String, Option<String>)>),
    /// `R`: reload the lists (names, screening index, the current view).
    Reload,
    /// `d` in screening mode: a decision on the selected hit (opens the reason prompt).
    Decide,
    /// Tab in the decision prompt: the next verdict.
    CycleVerdict,
    /// A decision was recorded (or refused): the status line's message.
    Decided(Result<String, String>),
}

/// A worker's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    /// Typeahead results with the covered-equipment group of the first hits.
    Entities(Results, Vec<super::model::HitNote>),
    /// A page and the as-of status of each row (shipper or consignee listed at its date…).
    Shipments(Page, Vec<Option<AsOfStatus>>),
    Intersect(Vec<IntersectRow>),
    Trail(Box<Trail>),
    Audit(Box<AuditData>),
    Screening(Screening),
    Frequency(Box<Frequency>),
    Profile(Box<Profile>),
    ShipmentCount(Count),
    Patents(PatentPage),
    PatentCount(Count),
    Detail(Box<RecordView>),
    Jump(Result<Target, String>),
    Sources(Vec<(String, Option<String>)>),
    /// Monitored sets with new potential matches since the last list import: (set, count).
    WatchAlerts(Vec<(String, i64)>),
    Failed(String),
}
