//! The workbench's whole state. Plain data: `update` changes it, `ui::draw` reads it.

use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_matching::typeahead::{Kind, Results};
use tradescope_store::asof::AsOfStatus;
use tradescope_store::intersect::IntersectRow;
use tradescope_store::patents::PatentPage;
use tradescope_store::profile::Profile;
use tradescope_store::shipments::freq::{FreqKey, Frequency};
use tradescope_store::shipments::Page;
use tradescope_store::trail::Trail;

use super::action::{Count, Pane};
use super::invest_data::{AuditData, Screening, DEFAULT_CASE};
use super::nav::{History, Route, View};
use super::trail_view;
use tradescope_core::view::RecordView;

/// Rows per keyset page of shipments and patents.
pub const PAGE_SIZE: usize = 50;
/// Values a frequency table lists before "other".
pub const FREQ_LIMIT: usize = 200;
/// Records the typeahead returns (best first).
pub const TYPEAHEAD_LIMIT: usize = 200;
/// Shipment counts stop here ("of 100,000+").
pub const SHIPMENT_COUNT_CAP: i64 = 100_000;
/// The Patents pane counts up to this many matches, then shows `≥ N`.
pub const PATENT_COUNT_CAP: i64 = 100_000;
/// Screen rows around a list: tabs, breadcrumb, filter line, table header, status, help bar.
pub const LIST_CHROME: u16 = 6;
/// Screen rows around a detail view's body: tabs, breadcrumb, title, status, help bar.
pub const DETAIL_CHROME: u16 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing into the search or filter line.
    Input,
    /// Typing the reason of a link review (`Model::review`).
    Review,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Names {
    Loading,
    Ready { names: usize, records: usize },
    Failed(String),
}

/// What a route shows once loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Empty,
    /// Typeahead results and, per hit, what the row shows besides it ([`HitNote`]).
    Entities(Results, Vec<HitNote>),
    Shipments {
        page: Page,
        count: Option<Count>,
        /// Per row: the strongest as-of status of its shipper and consignee at its date.
        as_of: Vec<Option<AsOfStatus>>,
    },
    Patents {
        page: PatentPage,
        count: Option<Count>,
    },
    Detail(Box<RecordView>),
    Intersect(Vec<IntersectRow>),
    Trail(Box<Trail>),
    Audit(Box<AuditData>),
    Screening(Screening),
    Frequency(Box<Frequency>),
    Profile(Box<Profile>),
    Failed(String),
}

/// What a typeahead row shows besides its hit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HitNote {
    /// The covered-equipment group of a list entry or trade party (NDAA §889 / FCC Covered
    /// List), for the first `COVERED_FLAGGED` hits.
    pub covered: Option<String>,
    /// Where the record is, when another row has the same name (`places`).
    pub place: Option<String>,
}

/// A history entry: the route and what was loaded for it, so going back is instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    pub route: Route,
    pub data: Data,
    pub loading: bool,
}

impl Screen {
    pub fn new(route: Route) -> Self {
        Screen {
            route,
            data: Data::Empty,
            loading: false,
        }
    }
}

/// The generation each kind of answer must carry to be applied; anything else is stale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    /// Page, typeahead results or detail of the current screen.
    pub view: u64,
    pub count: u64,
    pub jump: u64,
    pub sources: u64,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub history: History<Screen>,
    pub mode: Mode,
    /// The line being edited in input mode.
    pub input: String,
    /// Why the typed filter was not applied.
    pub input_error: Option<String>,
    pub help: bool,
    /// First visible line of the help overlay.
    pub help_scroll: usize,
    pub quit: bool,
    pub names: Names,
    /// Database path as shown in the status line.
    pub db_label: String,
    /// (dataset, as-of date) of the loaded lists.
    pub sources: Vec<(String, Option<String>)>,
    /// A one-off notice ("No patents are linked to this trade party"), cleared by the next key.
    pub message: Option<String>,
    /// "lists updated: csl 2023-11-16 — R reloads": another process imported lists since they
    /// were loaded; shown until `R` reloads them.
    pub lists_updated: Option<String>,
    pub width: u16,
    pub height: u16,
    /// False when NO_COLOR is set: bold and reverse only.
    pub color: bool,
    pub(crate) generation: u64,
    pub expect: Expect,
    /// Entities pane: the screening matcher (with scores and explanations) instead of the
    /// typeahead.
    pub screening: bool,
    /// The screening threshold (0–1).
    pub threshold: f64,
    /// The case `m` marks records into and `x` exports.
    pub case_name: String,
    /// Text `y` copied, for the run loop to send to the terminal (OSC 52); taken once sent.
    pub clipboard: Option<String>,
    /// The last search or screening written to the audit log (not written twice in a row).
    pub last_audited: Option<String>,
    /// Where `x` writes case exports.
    pub export_dir: std::path::PathBuf,
    /// The reason prompt of a link review being recorded (`Mode::Review`).
    pub review: Option<super::review::ReviewPrompt>,
    /// The record whose rejected links the detail view shows ("Rejected links: N", Enter).
    pub show_rejected: Option<RecordRef>,
    /// Today (UTC, YYYY-MM-DD), read once at start: entries that ended before it are lapsed
    /// and drawn dimmed.
    pub today: String,
    /// The decision being written on a screening hit (`d`), while its prompt is open.
    pub prompt: Option<super::decide::DecisionPrompt>,
    /// Enter was pressed in the Entities search before the results of what was typed had
    /// arrived: the top result opens when they do (as fzf does), unless another key came
    /// first.
    pub pending_open: bool,
    /// Monitored sets with new potential matches since the last list import (set, count):
    /// named in the status line until they are rescreened.
    pub watch_alerts: Vec<(String, i64)>,
}

impl Model {
    pub fn new(db_label: impl Into<String>, width: u16, height: u16, color: bool) -> Self {
        Model {
            history: History::new(Screen::new(Route::entities(""))),
            mode: Mode::Input,
            input: String::new(),
            input_error: None,
            help: false,
            help_scroll: 0,
            quit: false,
            names: Names::Loading,
            db_label: db_label.into(),
            sources: Vec::new(),
            message: None,
            lists_updated: None,
            width,
            height,
            color,
            generation: 0,
            expect: Expect::default(),
            screening: false,
            threshold: tradescope_matching::DEFAULT_THRESHOLD,
            case_name: DEFAULT_CASE.to_string(),
            clipboard: None,
            export_dir: std::path::PathBuf::from("."),
            today: tradescope_store::lapsed::today(),
            last_audited: None,
            prompt: None,
            watch_alerts: Vec::new(),
            pending_open: false,
            review: None,
            show_rejected: None,
        }
    }

    pub fn screen(&self) -> &Screen {
        self.history.current()
    }

    pub fn screen_mut(&mut self) -> &mut Screen {
        self.history.current_mut()
    }

    pub fn route(&self) -> &Route {
        &self.screen().route
    }

    pub fn pane(&self) -> Pane {
        self.route().pane()
    }

    pub fn is_detail(&self) -> bool {
        matches!(self.route().view, View::Detail { .. })
    }

    pub(crate) fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    /// Rows (or links, in the detail view) the cursor moves over.
    pub fn row_count(&self) -> usize {
        match &self.screen().data {
            Data::Entities(r, _) => r.hits.len(),
            Data::Shipments { page, .. } => page.rows.len(),
            Data::Patents { page, .. } => page.rows.len(),
            Data::Detail(d) => d.links.len(),
            Data::Intersect(rows) => rows.len(),
            Data::Trail(t) => match &self.route().view {
                View::Trail { open, .. } => trail_view::lines(t, open).len(),
                _ => 0,
            },
            Data::Audit(a) => a.rows.len(),
            Data::Screening(s) => s.hits.len(),
            Data::Frequency(t) => t.rows.len(),
            Data::Profile(p) => super::profile_view::items(p, self.height).len(),
            Data::Empty | Data::Failed(_) => 0,
        }
    }

    /// How many rows (or links) fit on screen.
    pub fn visible_rows(&self) -> usize {
        match &self.screen().data {
            Data::Detail(d) => {
                let lines = super::detail_text::field_lines(&d.fields, self.width).len();
                detail_split(self.detail_body(), lines, d.links.len())
                    .1
                    .saturating_sub(1)
            }
            _ => self
                .height
                .saturating_sub(LIST_CHROME + self.filter_lines() - 1),
        }
        .max(1) as usize
    }

    /// Lines above a list's table: the search or filter line, plus the applied filter while a
    /// Shipments or Patents filter is being edited (it is not applied until Enter).
    pub fn filter_lines(&self) -> u16 {
        let editing_filter = self.mode == Mode::Input
            && matches!(
                self.route().view,
                View::Shipments { .. } | View::Patents { .. }
            );
        if editing_filter {
            2
        } else {
            1
        }
    }

    /// Height of the detail view's body (fields + links).
    pub fn detail_body(&self) -> u16 {
        self.height.saturating_sub(DETAIL_CHROME)
    }

    /// The record under the cursor (lists) or on display (detail), with a label for the crumb.
    pub fn selected_record(&self) -> Option<(RecordRef, String)> {
        let cur = self.route().cursor;
        match &self.screen().data {
            Data::Entities(r, _) => r.hits.get(cur).map(|h| {
                let kind = match h.record.kind {
                    Kind::Entity => RecordKind::Entity,
                    Kind::Party => RecordKind::Party,
                    Kind::Assignee => RecordKind::Assignee,
                };
                (RecordRef::new(kind, h.record.id), h.record.name.to_string())
            }),
            Data::Shipments { page, .. } => page.rows.get(cur).map(|r| {
                let label = format!(
                    "{} → {}",
                    r.shipper.as_deref().unwrap_or("?"),
                    r.consignee.as_deref().unwrap_or("?")
                );
                (RecordRef::new(RecordKind::Shipment, r.id), label)
            }),
            Data::Patents { page, .. } => page
                .rows
                .get(cur)
                .map(|r| (RecordRef::new(RecordKind::Patent, r.id), r.number.clone())),
            Data::Detail(d) => Some((d.record, d.title.clone())),
            Data::Intersect(rows) => rows.get(cur).map(|r| {
                (
                    RecordRef::new(RecordKind::Entity, r.entity_id),
                    r.name.clone(),
                )
            }),
            Data::Trail(t) => match &self.route().view {
                View::Trail { open, .. } => trail_view::lines(t, open)
                    .get(cur)
                    .map(|l| (l.record(), l.label())),
                _ => None,
            },
            Data::Screening(s) => s
                .hits
                .get(cur)
                .map(|h| (RecordRef::new(RecordKind::Entity, h.id), h.name.clone())),
            Data::Audit(_) => None,
            Data::Frequency(t) => t.rows.get(cur).and_then(|v| match v.key {
                FreqKey::Party(id) => {
                    Some((RecordRef::new(RecordKind::Party, id), v.label.clone()))
                }
                FreqKey::Assignee(id) => {
                    Some((RecordRef::new(RecordKind::Assignee, id), v.label.clone()))
                }
                _ => None,
            }),
            Data::Profile(p) => Some((p.subject, p.name.clone())),
            Data::Empty | Data::Failed(_) => match &self.route().view {
                View::Detail { record }
                | View::Profile {
                    subject: record, ..
                } => Some((*record, self.route().crumb.clone())),
                _ => None,
            },
        }
    }
}

/// Split a detail body into (fields height, links height incl. its heading line). The links
/// start right under the fields; when both do not fit, the links get what they need up to half
/// the body (at least two lines) and the fields scroll.
pub fn detail_split(body: u16, field_lines: usize, links: usize) -> (u16, u16) {
    let want = (links.max(1) as u16).saturating_add(1);
    let fields_need = field_lines.min(u16::MAX as usize) as u16;
    let links_min = want.min((body / 2).max(2)).min(body);
    let fields_h = fields_need.min(body - links_min);
    (fields_h, body - fields_h)
}
