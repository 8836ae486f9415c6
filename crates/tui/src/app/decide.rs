//! `update` for decisions in screening mode: `d` on a hit opens a prompt for the reason (Tab
//! changes the verdict), Enter records it on the write lane, Esc drops it. Once recorded, the
//! screening is loaded again so the hit shows its decision. Pure, like `update`.

use tradescope_store::decisions::Verdict;
use tradescope_store::search::ScreenQuery;

use super::action::Action;
use super::command::Command;
use super::input::paste_text;
use super::load::load_view;
use super::model::{Data, Model};
use super::write::Write;

/// The verdicts in the order Tab goes through them; a prompt starts at the first.
pub const VERDICTS: [Verdict; 3] = [Verdict::FalsePositive, Verdict::Match, Verdict::Escalate];

/// Longest reason the prompt takes.
pub const MAX_REASON: usize = 500;

/// A decision being written: on which hit, the verdict and the reason typed so far.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionPrompt {
    /// The screened name (the screening line without its qualifiers).
    pub name: String,
    pub entry_id: i64,
    pub listed_name: String,
    pub list: String,
    pub score: f64,
    pub verdict: Verdict,
    pub reason: String,
}

/// `d`: a prompt for a decision on the selected screening hit.
pub fn open(m: &mut Model) -> Vec<Command> {
    let Data::Screening(s) = &m.screen().data else {
        m.message = Some(if m.screening {
            "d records a decision on a screening hit: screen a name first".into()
        } else {
            "d records a decision on a screening hit: press S for screening mode".into()
        });
        return Vec::new();
    };
    let Some(h) = s.hits.get(m.route().cursor) else {
        m.message = Some("No hit selected: screen a name, then ↓ to a hit and d".into());
        return Vec::new();
    };
    let name = ScreenQuery::parse(&s.query).name;
    m.prompt = Some(DecisionPrompt {
        name,
        entry_id: h.id,
        listed_name: h.name.clone(),
        list: h.list.clone(),
        score: h.score,
        verdict: VERDICTS[0],
        reason: String::new(),
    });
    Vec::new()
}

/// A key while the prompt is open; None for keys the prompt does not take (quit, resize…).
pub fn on_prompt(m: &mut Model, a: &Action) -> Option<Vec<Command>> {
    let p = m.prompt.as_mut()?;
    match a {
        Action::Insert(c) => {
            if p.reason.chars().count() < MAX_REASON {
                p.reason.push(*c);
            }
        }
        Action::Paste(text) => {
            let room = MAX_REASON.saturating_sub(p.reason.chars().count());
            p.reason.extend(paste_text(text).chars().take(room));
        }
        Action::DeleteChar => {
            p.reason.pop();
        }
        Action::ClearInput => p.reason.clear(),
        Action::CycleVerdict => {
            let i = VERDICTS.iter().position(|v| *v == p.verdict).unwrap_or(0);
            p.verdict = VERDICTS[(i + 1) % VERDICTS.len()];
        }
        Action::Escape => {
            m.prompt = None;
            m.message = Some("decision not recorded".into());
        }
        Action::Submit => return Some(submit(m)),
        _ => return None,
    }
    Some(Vec::new())
}

fn submit(m: &mut Model) -> Vec<Command> {
    let Some(p) = m.prompt.take_if(|p| !p.reason.trim().is_empty()) else {
        m.message = Some("type why (an auditor reads it), then Enter; Esc cancels".into());
        return Vec::new();
    };
    m.message = Some(format!("recording {}…", p.verdict.as_str()));
    vec![Command::Write(Write::Decide {
        name: p.name,
        entry_id: p.entry_id,
        verdict: p.verdict,
        reason: p.reason.trim().to_string(),
        score: Some(p.score),
    })]
}

/// A decision was recorded (or not): say so, and screen again to show it with the hit.
pub fn decided(m: &mut Model, r: Result<String, String>) -> Vec<Command> {
    let ok = r.is_ok();
    m.message = Some(match r {
        Ok(msg) | Err(msg) => msg,
    });
    if ok && m.screening && matches!(m.screen().data, Data::Screening(_)) {
        return load_view(m, true);
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::invest_data::Screening;
    use crate::app::keymap;
    use crate::app::model::Mode;
    use crate::app::nav::View;
    use crate::app::update;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use tradescope_store::search::ListingHit;

    /// A model in screening mode showing two hits of "Dahua Technologies Inc country:CN".
    fn screening() -> Model {
        let mut m = Model::new("t.db", 100, 30, false);
        m.screening = true;
        m.mode = Mode::Normal;
        let query = "Dahua Technologies Inc country:CN";
        if let View::Entities { query: q } = &mut m.screen_mut().route.view {
            *q = query.into();
        }
        let hit = |id: i64, name: &str, score: f64| ListingHit {
            id,
            list: "EL".into(),
            name: name.into(),
            matched_name: name.into(),
            score,
            listing_key: format!("csl:{id}"),
            is_match: true,
            ..Default::default()
        };
        m.screen_mut().data = Data::Screening(Screening {
            query: query.into(),
            threshold: 0.75,
            hits: vec![
                hit(2, "Dahua Technology", 0.981),
                hit(7, "Zhejiang Dahua", 0.8),
            ],
            notes: Vec::new(),
        });
        m
    }

    fn key(m: &Model, code: KeyCode) -> Action {
        keymap::lookup(m, KeyEvent::new(code, KeyModifiers::NONE)).expect("bound")
    }

    #[test]
    fn d_opens_a_prompt_that_records_the_verdict_and_reason_typed() {
        let mut m = screening();
        update(&mut m, Action::Down);
        assert_eq!(key(&m, KeyCode::Char('d')), Action::Decide);
        assert!(update(&mut m, Action::Decide).is_empty());
        let p = m.prompt.as_ref().expect("prompt");
        assert_eq!((p.entry_id, p.name.as_str()), (7, "Dahua Technologies Inc"));
        assert_eq!(p.verdict, Verdict::FalsePositive);

        // In the prompt, letters are typed (not keys: `q` does not quit, `d` is a letter).
        for c in "not us, qd".chars() {
            let a = key(&m, KeyCode::Char(c));
            assert_eq!(a, Action::Insert(c));
            update(&mut m, a);
        }
        assert!(!m.quit);
        update(&mut m, Action::DeleteChar);
        update(&mut m, Action::DeleteChar);
        assert_eq!(key(&m, KeyCode::Tab), Action::CycleVerdict);
        update(&mut m, Action::CycleVerdict);
        update(&mut m, Action::CycleVerdict);
        let enter = key(&m, KeyCode::Enter);
        assert_eq!(enter, Action::Submit);
        let cmds = update(&mut m, enter);
        assert_eq!(
            cmds,
            vec![Command::Write(Write::Decide {
                name: "Dahua Technologies Inc".into(),
                entry_id: 7,
                verdict: Verdict::Escalate,
                reason: "not us,".into(),
                score: Some(0.8),
            })]
        );
        assert!(m.prompt.is_none());
        // Recorded: the screening is loaded again to show the decision.
        let cmds = update(&mut m, Action::Decided(Ok("decision 1 recorded".into())));
        assert!(
            matches!(cmds.as_slice(), [Command::Screen { query, .. }] if query.contains("Dahua")),
            "{cmds:?}"
        );
        assert_eq!(m.message.as_deref(), Some("decision 1 recorded"));
    }

    #[test]
    fn an_empty_reason_is_refused_and_esc_records_nothing() {
        let mut m = screening();
        update(&mut m, Action::Decide);
        update(&mut m, Action::Insert(' '));
        assert!(update(&mut m, Action::Submit).is_empty());
        assert!(m.prompt.is_some(), "still open: a reason is needed");
        assert!(m.message.as_deref().unwrap_or("").contains("type why"));
        assert!(update(&mut m, Action::Escape).is_empty());
        assert!(m.prompt.is_none());
        assert_eq!(m.message.as_deref(), Some("decision not recorded"));
    }

    #[test]
    fn d_outside_screening_mode_says_where_it_works() {
        let mut m = Model::new("t.db", 100, 30, false);
        m.mode = Mode::Normal;
        assert!(update(&mut m, Action::Decide).is_empty());
        assert!(m.prompt.is_none());
        assert!(m
            .message
            .as_deref()
            .unwrap_or("")
            .contains("screening mode"));
    }
}
