//! Where the user is and how they got there: a `Route` is a value (what is shown, its filter,
//! sort, page, cursor and scroll) and `History` is a back/forward stack of them. Going back
//! restores the route exactly, so the user lands on the same row of the same page.

use std::collections::BTreeSet;

use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_store::intersect::SortKey as IntersectSort;
use tradescope_store::patents::{PatentCursor, PatentFilter, PatentSort};
use tradescope_store::shipments::freq::FreqColumn;
use tradescope_store::shipments::{Cursor, ShipmentFilter, Sort};

use super::action::Pane;
use super::invest_data::Screening;

/// Most entries kept; the oldest are dropped first.
pub const HISTORY_LIMIT: usize = 200;

/// A back/forward stack: `push` drops the forward part, like a browser.
#[derive(Debug, Clone)]
pub struct History<T> {
    entries: Vec<T>,
    index: usize,
}

impl<T> History<T> {
    pub fn new(root: T) -> Self {
        History {
            entries: vec![root],
            index: 0,
        }
    }

    pub fn current(&self) -> &T {
        &self.entries[self.index]
    }

    pub fn current_mut(&mut self) -> &mut T {
        &mut self.entries[self.index]
    }

    pub fn push(&mut self, t: T) {
        self.entries.truncate(self.index + 1);
        self.entries.push(t);
        if self.entries.len() > HISTORY_LIMIT {
            self.entries.remove(0);
        }
        self.index = self.entries.len() - 1;
    }

    /// Step back; false if already at the first entry.
    pub fn back(&mut self) -> bool {
        if self.index == 0 {
            return false;
        }
        self.index -= 1;
        true
    }

    /// Step forward; false if there is nothing ahead.
    pub fn forward(&mut self) -> bool {
        if self.index + 1 >= self.entries.len() {
            return false;
        }
        self.index += 1;
        true
    }

    /// The entries from the first to the current one (the breadcrumb).
    pub fn path(&self) -> &[T] {
        &self.entries[..=self.index]
    }

    /// Entries before the current one, newest first.
    pub fn behind(&self) -> impl Iterator<Item = &T> {
        self.entries[..self.index].iter().rev()
    }

    pub fn can_back(&self) -> bool {
        self.index > 0
    }

    pub fn can_forward(&self) -> bool {
        self.index + 1 < self.entries.len()
    }
}

/// What a route shows.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    /// Typeahead search over names.
    Entities { query: String },
    /// Shipments: `base` comes from the link that led here; `query` is what the user typed.
    Shipments {
        base: Box<ShipmentFilter>,
        base_label: Option<String>,
        query: String,
        sort: Sort,
    },
    Patents {
        base: Box<PatentFilter>,
        base_label: Option<String>,
        query: String,
        sort: PatentSort,
    },
    /// One record: its fields and links.
    Detail { record: RecordRef },
    /// Listed companies with CET patents and shipments; `col` is the column cursor (Enter
    /// drills into that cell).
    Intersect { sort: IntersectSort, col: usize },
    /// The transshipment trail of a list entry as a tree; `open` holds the paths (child
    /// indices from the roots) of the expanded nodes.
    Trail {
        entity_id: i64,
        open: BTreeSet<Vec<usize>>,
    },
    /// The audit log, newest first, with the hash chain's verification.
    Audit,
    /// A frequency table (`F`) of one column over the shipments `base` matches (the filter
    /// of the list it was opened from, link and typed parts merged); ← → change the column.
    Frequency {
        base: Box<ShipmentFilter>,
        base_label: Option<String>,
        column: FreqColumn,
        /// Some: the table counts the patents this filter matches (a Patents list's `F`;
        /// `base` is then unused).
        patents: Option<Box<PatentFilter>>,
        /// Some: the table counts these screening hits (the Entities pane's `F` in screening
        /// mode; `base` is then unused).
        screening: Option<Box<Screening>>,
    },
    /// The screening hits with one value of a frequency table over them (its Enter).
    Hits { screening: Box<Screening> },
    /// The profile (`P`) of a trade party or a list entry; `month` is the chart's selected
    /// bar (None: the newest month).
    Profile {
        subject: RecordRef,
        month: Option<String>,
    },
}

/// Where a keyset page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKey {
    Shipment(Cursor),
    Patent(PatentCursor),
}

/// A view plus the position within it.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub view: View,
    /// Breadcrumb label.
    pub crumb: String,
    /// Selected row of the page (list views) or link (detail view).
    pub cursor: usize,
    /// First visible row (list views) or link (detail view).
    pub scroll: usize,
    /// Page number (0-based) and the keyset start of every page up to it (None: the first).
    pub page: usize,
    pub page_starts: Vec<Option<PageKey>>,
    /// Pages counted from the end of the list (after `G`): page 0 is the last page, each is
    /// loaded in the reversed sort and shown in the list's order, and `page_starts[k]` is
    /// where page k starts in the reversed sort.
    pub from_end: bool,
    /// Detail view: first visible line of the fields.
    pub field_scroll: usize,
    /// Detail view: fields shown before the record's own — the screening hit that opened it
    /// (score, SLS-style score, why), which the record alone does not carry.
    pub evidence: Vec<(String, String)>,
}

impl Route {
    pub fn new(view: View, crumb: impl Into<String>) -> Self {
        Route {
            view,
            crumb: crumb.into(),
            cursor: 0,
            scroll: 0,
            page: 0,
            page_starts: vec![None],
            from_end: false,
            field_scroll: 0,
            evidence: Vec::new(),
        }
    }

    pub fn entities(query: &str) -> Self {
        Route::new(
            View::Entities {
                query: query.to_string(),
            },
            "Entities",
        )
    }

    pub fn shipments(base: ShipmentFilter, base_label: Option<String>) -> Self {
        Route::new(
            View::Shipments {
                base: Box::new(base),
                base_label,
                query: String::new(),
                sort: Sort::default(),
            },
            "Shipments",
        )
    }

    pub fn patents(base: PatentFilter, base_label: Option<String>) -> Self {
        Route::new(
            View::Patents {
                base: Box::new(base),
                base_label,
                query: String::new(),
                sort: PatentSort::default(),
            },
            "Patents",
        )
    }

    pub fn detail(record: RecordRef, crumb: impl Into<String>) -> Self {
        Route::new(View::Detail { record }, crumb)
    }

    pub fn intersect() -> Self {
        Route::new(
            View::Intersect {
                sort: IntersectSort::default(),
                col: 0,
            },
            "Intersection",
        )
    }

    pub fn trail(entity_id: i64, crumb: impl Into<String>) -> Self {
        Route::new(
            View::Trail {
                entity_id,
                open: BTreeSet::new(),
            },
            crumb,
        )
    }

    pub fn frequency(base: ShipmentFilter, base_label: Option<String>, column: FreqColumn) -> Self {
        Route::new(
            View::Frequency {
                base: Box::new(base),
                base_label,
                column,
                patents: None,
                screening: None,
            },
            format!("F {}", column.label()),
        )
    }

    /// A frequency table over screening hits.
    pub fn screening_frequency(s: Screening, column: FreqColumn) -> Self {
        let label = Some(format!("screening “{}”", s.query.trim()));
        Route::new(
            View::Frequency {
                base: Box::default(),
                base_label: label,
                column,
                patents: None,
                screening: Some(Box::new(s)),
            },
            format!("F {}", column.label()),
        )
    }

    /// The screening hits of one value (`what`: "list EL").
    pub fn screening_hits(s: Screening, what: String) -> Self {
        Route::new(
            View::Hits {
                screening: Box::new(s),
            },
            format!("Hits: {what}"),
        )
    }

    /// A frequency table over the patents `base` matches.
    pub fn patent_frequency(
        base: PatentFilter,
        base_label: Option<String>,
        column: FreqColumn,
    ) -> Self {
        Route::new(
            View::Frequency {
                base: Box::default(),
                base_label,
                column,
                patents: Some(Box::new(base)),
                screening: None,
            },
            format!("F {}", column.label()),
        )
    }

    pub fn profile(subject: RecordRef, crumb: impl Into<String>) -> Self {
        Route::new(
            View::Profile {
                subject,
                month: None,
            },
            crumb,
        )
    }

    pub fn audit() -> Self {
        Route::new(View::Audit, "Audit log")
    }

    /// The pane a route belongs to (the highlighted tab).
    pub fn pane(&self) -> Pane {
        match &self.view {
            View::Entities { .. } => Pane::Entities,
            View::Shipments { .. } => Pane::Shipments,
            View::Patents { .. } => Pane::Patents,
            View::Detail { record } => match record.kind {
                RecordKind::Entity => Pane::Entities,
                RecordKind::Party | RecordKind::Shipment => Pane::Shipments,
                RecordKind::Patent | RecordKind::Assignee => Pane::Patents,
            },
            View::Intersect { .. } | View::Trail { .. } | View::Audit => Pane::Investigate,
            View::Frequency {
                screening: Some(_), ..
            }
            | View::Hits { .. } => Pane::Entities,
            View::Frequency { patents: None, .. } => Pane::Shipments,
            View::Frequency { .. } => Pane::Patents,
            View::Profile { subject, .. } => match subject.kind {
                RecordKind::Entity => Pane::Entities,
                _ => Pane::Shipments,
            },
        }
    }

    /// The pane's starting route: empty search, all shipments, all patents. Their crumbs say
    /// "All": after a record in the breadcrumb, a bare "Patents" reads as that record's.
    pub fn home(pane: Pane) -> Self {
        match pane {
            Pane::Entities => Route::entities(""),
            Pane::Shipments => Route {
                crumb: "All shipments".into(),
                ..Route::shipments(ShipmentFilter::default(), None)
            },
            Pane::Patents => Route {
                crumb: "All patents".into(),
                ..Route::patents(PatentFilter::default(), None)
            },
            Pane::Investigate => Route::intersect(),
        }
    }

    /// The breadcrumb of this route: its label, and the filter typed over it (shortened), so
    /// that a filtered list and the unfiltered one pushed after it do not read alike
    /// (`All shipments [country:VN] › All shipments`).
    pub fn crumb_label(&self) -> String {
        let query = match &self.view {
            View::Shipments { query, .. } | View::Patents { query, .. } => query.trim(),
            _ => "",
        };
        if query.is_empty() {
            return self.crumb.clone();
        }
        let short: String = if query.chars().count() > 24 {
            query.chars().take(23).chain(std::iter::once('…')).collect()
        } else {
            query.to_string()
        };
        format!("{} [{short}]", self.crumb)
    }

    /// True for the pane's starting route (no link filter, no typed filter).
    pub fn is_home(&self) -> bool {
        match &self.view {
            View::Entities { .. } => true,
            View::Shipments { base, query, .. } => base.is_empty() && query.is_empty(),
            View::Patents { base, query, .. } => {
                **base == PatentFilter::default() && query.is_empty()
            }
            View::Intersect { .. } => true,
            View::Detail { .. }
            | View::Trail { .. }
            | View::Audit
            | View::Frequency { .. }
            | View::Hits { .. }
            | View::Profile { .. } => false,
        }
    }

    /// The text the user edits with `/`.
    pub fn query(&self) -> Option<&str> {
        match &self.view {
            View::Entities { query }
            | View::Shipments { query, .. }
            | View::Patents { query, .. } => Some(query),
            _ => None,
        }
    }

    pub fn query_mut(&mut self) -> Option<&mut String> {
        match &mut self.view {
            View::Entities { query }
            | View::Shipments { query, .. }
            | View::Patents { query, .. } => Some(query),
            _ => None,
        }
    }

    /// Back to the first row of the first page (after the filter or sort changed).
    pub fn reset_position(&mut self) {
        self.cursor = 0;
        self.scroll = 0;
        self.page = 0;
        self.page_starts = vec![None];
        self.from_end = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_filter_shows_in_the_crumb_so_two_shipment_lists_differ() {
        let mut r = Route::home(Pane::Shipments);
        assert_eq!(r.crumb_label(), "All shipments");
        if let View::Shipments { query, .. } = &mut r.view {
            *query = "country:VN".into();
        }
        assert_eq!(r.crumb_label(), "All shipments [country:VN]");
        if let View::Shipments { query, .. } = &mut r.view {
            *query = "party:\"hangzhou hikvision digital\" from:2021".into();
        }
        assert_eq!(r.crumb_label(), "All shipments [party:\"hangzhou hikvisi…]");
        assert_ne!(r.crumb_label(), Route::home(Pane::Shipments).crumb_label());
    }

    #[test]
    fn push_drops_the_forward_entries() {
        let mut h = History::new(1);
        h.push(2);
        h.push(3);
        assert!(h.back());
        assert!(h.back());
        assert!(!h.back());
        h.push(4);
        assert_eq!(h.path(), &[1, 4]);
        assert!(!h.forward());
    }

    #[test]
    fn history_is_bounded() {
        let mut h = History::new(0);
        for i in 1..=HISTORY_LIMIT + 10 {
            h.push(i);
        }
        assert_eq!(h.path().len(), HISTORY_LIMIT);
        assert_eq!(*h.current(), HISTORY_LIMIT + 10);
    }
}
