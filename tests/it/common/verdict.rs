//! The rule every hostile-input case is judged by: imported and the stored rows check out, or
//! rejected with the expected words in the message, the content unchanged and the message short.

use std::path::Path;

use tradescope::db::import::ImportReport;

/// What a case expects, with `S` the test's view of what was stored.
pub enum Expected<'a, S> {
    Imported(&'a dyn Fn(&S)),
    Rejected(&'a str),
}

/// The failure description of case `name` (None: it behaved). `before` is the content digest
/// of `db` before the import; `stored` opens the test's view of the newest source.
pub fn verdict<S>(
    name: &str,
    db: &Path,
    before: &str,
    result: tradescope::Result<ImportReport>,
    expect: Expected<'_, S>,
    stored: impl FnOnce(i64) -> S,
) -> Option<String> {
    match (expect, result) {
        (Expected::Imported(check), Ok(report)) => {
            let Some(source) = report.source_id else {
                return Some(format!("{name}: imported, but no source was recorded"));
            };
            let view = stored(source);
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&view)))
                .err()
                .map(|_| format!("{name}: imported, but the stored rows are wrong (see above)"))
        }
        (Expected::Imported(_), Err(e)) => Some(format!("{name}: expected an import, got: {e}")),
        (Expected::Rejected(want), Ok(_)) => Some(format!(
            "{name}: expected rejection ({want}), but it imported"
        )),
        (Expected::Rejected(want), Err(e)) => {
            let msg = e.to_string();
            if !msg.contains(want) {
                Some(format!(
                    "{name}: error should contain {want:?}, got {msg:?}"
                ))
            } else if super::content_digest(db) != before {
                Some(format!(
                    "{name}: rejected, but the database content changed"
                ))
            } else if msg.len() > 2000 {
                Some(format!("{name}: error message of {} bytes", msg.len()))
            } else {
                None
            }
        }
    }
}
