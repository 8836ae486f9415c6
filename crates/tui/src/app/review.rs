//! `update` for link review in the detail view: `c` confirms, `r` rejects, `u` resets the
//! selected matcher-made link (list entry ↔ trade party or patent assignee) after a reason
//! prompt; the write goes to the write lane and the view reloads when it is done. The
//! "Rejected links: N" line shows (again: hides) the rejected links below it.

use super::action::Action;
use super::command::Command;
use super::input::{paste_text, MAX_INPUT};
use super::load::{self, load_view};
use super::model::{Data, Mode, Model};
use super::write::Write;
use tradescope_core::link::{LinkPair, LinkTarget};
use tradescope_store::link_review::Verdict;

/// The reason prompt of a review being recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewPrompt {
    pub pair: LinkPair,
    pub verdict: Verdict,
    /// The link's label, for the prompt.
    pub label: String,
    pub reason: String,
}

impl ReviewPrompt {
    /// "Reject the link “Trade party: X”": what Enter will record.
    pub fn title(&self) -> String {
        let what = match self.verdict {
            Verdict::Confirmed => "Confirm",
            Verdict::Rejected => "Reject",
            Verdict::Auto => "Reset (to the matcher's verdict)",
        };
        format!("{what} the link “{}”", self.label)
    }
}

/// `c`, `r` or `u` on the selected link: open the reason prompt, or say why not.
pub fn begin(m: &mut Model, verdict: Verdict) -> Vec<Command> {
    let Data::Detail(d) = &m.screen().data else {
        m.message = Some("Links are reviewed in a record's detail view".into());
        return Vec::new();
    };
    let Some(link) = d.links.get(m.route().cursor) else {
        m.message = Some("No link selected".into());
        return Vec::new();
    };
    let Some(pair) = link.pair.clone() else {
        m.message = Some(
            "Only links the matcher made (list entry ↔ trade party or patent assignee) are \
             reviewed: select one"
                .into(),
        );
        return Vec::new();
    };
    if pair.status == verdict.as_str() {
        m.message = Some(format!("The link is {} already", pair.status));
        return Vec::new();
    }
    m.review = Some(ReviewPrompt {
        pair,
        verdict,
        label: link.label.clone(),
        reason: String::new(),
    });
    m.mode = Mode::Review;
    Vec::new()
}

/// A key while the reason prompt is open (keys it does not take do nothing).
pub fn prompt_key(m: &mut Model, a: &Action) -> Vec<Command> {
    let Some(p) = m.review.as_mut() else {
        m.mode = Mode::Normal;
        return Vec::new();
    };
    match a {
        Action::Insert(c) if p.reason.chars().count() < MAX_INPUT => p.reason.push(*c),
        Action::Paste(text) => {
            let room = MAX_INPUT.saturating_sub(p.reason.chars().count());
            p.reason.extend(paste_text(text).chars().take(room));
        }
        Action::DeleteChar => {
            p.reason.pop();
        }
        Action::ClearInput => p.reason.clear(),
        Action::Escape => {
            m.review = None;
            m.mode = Mode::Normal;
            m.message = Some("Review cancelled: nothing recorded".into());
        }
        Action::Submit => {
            if p.reason.trim().is_empty() {
                m.message = Some("A review needs a reason (an auditor reads it): type one".into());
                return Vec::new();
            }
            let p = m.review.take();
            m.mode = Mode::Normal;
            if let Some(p) = p {
                m.message = Some("Recording the review…".into());
                return vec![Command::Write(Write::ReviewLink {
                    pair: p.pair,
                    verdict: p.verdict,
                    reason: p.reason.trim().to_string(),
                })];
            }
        }
        Action::Quit => m.quit = true,
        _ => {}
    }
    Vec::new()
}

/// Enter on the "Rejected links: N" line: show the record's rejected links (again: hide
/// them). None when the selected link is another one.
pub fn open_rejected(m: &mut Model) -> Option<Vec<Command>> {
    let Data::Detail(d) = &m.screen().data else {
        return None;
    };
    let LinkTarget::Rejected(r) = d.links.get(m.route().cursor)?.target else {
        return None;
    };
    m.show_rejected = if m.show_rejected == Some(r) {
        None
    } else {
        Some(r)
    };
    load::invalidate(m);
    Some(load_view(m, false))
}

/// The review was written (or not): say so and show the view as it is now.
pub fn reviewed(m: &mut Model, r: Result<String, String>) -> Vec<Command> {
    match r {
        Ok(msg) => {
            m.message = Some(msg);
            if matches!(m.screen().data, Data::Detail(_)) {
                load::invalidate(m);
                return load_view(m, false);
            }
            Vec::new()
        }
        Err(msg) => {
            m.message = Some(msg);
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap;
    use crate::app::model::Screen;
    use crate::app::nav::{History, Route};
    use crate::app::update::update;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use tradescope_core::link::{LinkItem, PairTarget};
    use tradescope_core::model::{RecordKind, RecordRef};
    use tradescope_core::view::RecordView;

    /// The action of key `c` in `m`'s state, as the keymap gives it.
    fn key(m: &Model, c: char) -> Action {
        keymap::lookup(m, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)).unwrap()
    }

    fn pair(status: &str) -> LinkPair {
        LinkPair {
            entry_id: 7,
            target: PairTarget::Party,
            target_id: 42,
            status: status.into(),
        }
    }

    /// An entity's detail view: a shipments link (not reviewable), a matcher link to a party,
    /// and the "Rejected links: 1" line.
    fn detail_model() -> Model {
        let entity = RecordRef::new(RecordKind::Entity, 7);
        let view = RecordView {
            record: entity,
            kind_label: "List entry (EL)".into(),
            title: "ACME".into(),
            crumb: "ACME".into(),
            synthetic: false,
            fields: Vec::new(),
            links: vec![
                LinkItem::to_list(
                    LinkTarget::Shipments(tradescope_core::link::ShipmentScope::OfEntity(7)),
                    "Shipments of linked trade parties".into(),
                    3,
                ),
                LinkItem::to_record(
                    RecordKind::Party,
                    42,
                    "Trade party: ACME CO".into(),
                    Some(3),
                )
                .matched(0.93, "token match".into())
                .reviewable(pair("auto")),
                LinkItem::to_list(LinkTarget::Rejected(entity), "Rejected links: 1".into(), 1),
            ],
            stored: serde_json::Value::Null,
            investigation: serde_json::Value::Null,
        };
        let mut m = Model::new("t.db", 100, 30, false);
        m.mode = Mode::Normal;
        m.history = History::new(Screen {
            route: Route::detail(entity, "ACME"),
            data: Data::Detail(Box::new(view)),
            loading: false,
        });
        m
    }

    fn type_text(m: &mut Model, text: &str) {
        for c in text.chars() {
            assert!(update(m, Action::Insert(c)).is_empty());
        }
    }

    #[test]
    fn r_on_a_matcher_link_asks_a_reason_then_writes_the_rejection() {
        let mut m = detail_model();
        m.screen_mut().route.cursor = 1;
        assert_eq!(key(&m, 'r'), Action::ReviewLink(Verdict::Rejected));
        let r = key(&m, 'r');
        assert!(update(&mut m, r).is_empty());
        assert_eq!(m.mode, Mode::Review);
        assert!(m.review.as_ref().unwrap().title().contains("Reject"));
        // In the prompt, letters are typed (`r`, `q` are not keys here).
        assert_eq!(key(&m, 'q'), Action::Insert('q'));
        // No reason, no write.
        assert!(update(&mut m, Action::Submit).is_empty());
        assert_eq!(m.mode, Mode::Review);
        type_text(&mut m, "other company, same name");
        let cmds = update(&mut m, Action::Submit);
        assert_eq!(
            cmds,
            vec![Command::Write(Write::ReviewLink {
                pair: pair("auto"),
                verdict: Verdict::Rejected,
                reason: "other company, same name".into(),
            })]
        );
        assert_eq!(m.mode, Mode::Normal);
        assert!(m.review.is_none());
        // Written: the detail view loads again, as it is now.
        let cmds = update(&mut m, Action::LinkReviewed(Ok("link rejected".into())));
        assert!(matches!(
            cmds.as_slice(),
            [Command::Detail {
                rejected: false,
                ..
            }]
        ));
        assert_eq!(m.message.as_deref(), Some("link rejected"));
    }

    #[test]
    fn esc_cancels_and_only_matcher_links_are_reviewed() {
        let mut m = detail_model();
        m.screen_mut().route.cursor = 1;
        let c = key(&m, 'c');
        update(&mut m, c);
        type_text(&mut m, "x");
        assert!(update(&mut m, Action::Escape).is_empty());
        assert_eq!(m.mode, Mode::Normal);
        assert!(m.review.is_none());
        // The shipments link is not a matcher link: no prompt.
        m.screen_mut().route.cursor = 0;
        let r = key(&m, 'r');
        assert!(update(&mut m, r).is_empty());
        assert_eq!(m.mode, Mode::Normal);
        assert!(m
            .message
            .as_deref()
            .unwrap()
            .contains("Only links the matcher made"));
        // Resetting a link nobody reviewed says so.
        m.screen_mut().route.cursor = 1;
        let u = key(&m, 'u');
        update(&mut m, u);
        assert!(m.review.is_none());
        assert!(m.message.as_deref().unwrap().contains("auto already"));
    }

    #[test]
    fn enter_on_the_rejected_line_shows_the_rejected_links_and_again_hides_them() {
        let mut m = detail_model();
        m.screen_mut().route.cursor = 2;
        let cmds = update(&mut m, Action::Open);
        assert!(matches!(
            cmds.as_slice(),
            [Command::Detail { rejected: true, .. }]
        ));
        assert_eq!(m.show_rejected, Some(RecordRef::new(RecordKind::Entity, 7)));
        let cmds = update(&mut m, Action::Open);
        assert!(matches!(
            cmds.as_slice(),
            [Command::Detail {
                rejected: false,
                ..
            }]
        ));
    }
}
