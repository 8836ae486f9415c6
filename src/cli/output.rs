//! Output helpers: JSON for scripts, aligned text for people.

use serde::Serialize;

pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!(
        "{}",
        terminal_safe_json(serde_json::to_string_pretty(value)?)
    );
    Ok(())
}

/// serde_json escapes C0 controls but writes DEL, C1 controls (U+009B is CSI to some
/// terminals), bidi controls and line separators raw. JSON piped to a terminal must not drive
/// it, so those are written as `\uXXXX` escapes: the same JSON value, safe to look at. (They
/// can only occur inside strings, so replacing them anywhere keeps the JSON valid.)
fn terminal_safe_json(s: String) -> String {
    let unsafe_char = |c: char| {
        matches!(c, '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
    };
    if !s.chars().any(unsafe_char) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Thousands separators: 1204 → "1,204".
pub fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_the_terminal_escapes_c1_and_bidi_but_means_the_same() {
        let v = serde_json::json!({ "name": "A\u{9b}2J\u{202e}B\x1b[1m \u{4e2d}" });
        let out = terminal_safe_json(serde_json::to_string(&v).unwrap());
        assert!(
            !out.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{out}"
        );
        assert!(out.contains('\u{4e2d}'));
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }
}
