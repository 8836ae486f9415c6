//! Sanitizer for untrusted text (names, descriptions, addresses) before it reaches the terminal.
//! PROVISIONAL: drops control characters. The hardening issue replaces this with the full version.

use std::borrow::Cow;

/// Text safe to draw: no escape sequences or control characters.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().all(|c| !c.is_control()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .filter(|c| !c.is_control())
            .collect(),
    )
}
