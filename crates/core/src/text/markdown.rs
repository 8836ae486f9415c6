//! Untrusted text made inert in Markdown (case exports: `x` in the workbench, `case export
//! --format md`). Markdown files are opened in viewers that render links and raw HTML, so a
//! listed name such as `[click](javascript:alert(1))`, `<img src=x onerror=alert(1)>` or
//! `<script>` must show as the text it is, and escape sequences must not reach a terminal that
//! `cat`s the file.
//!
//! [`inline`] sanitizes the text for one line (escape sequences and controls removed, line
//! breaks shown as ` ↵ `), then escapes every character Markdown or HTML give a meaning to:
//! `<`, `>` and `&` become entities (no tag, comment or autolink can open), and the ASCII
//! punctuation CommonMark treats as syntax is backslash-escaped (no link, image, emphasis, code
//! span, table cell or heading can start). What a renderer shows is the sanitized text, exactly.

use super::sanitize::sanitize;

/// Characters escaped with a backslash: the inline syntax of CommonMark and GitHub Markdown
/// that can start a link or image (`[ ] ( ) !`), emphasis or strike-through (`* _ ~`), code
/// (`` ` ``), a table cell (`|`), a heading's closing sequence (`#`), a math span (`$`), and
/// the backslash itself. (Text is always inline, after a prefix: line-start syntax such as
/// `-`, `+` or `1.` cannot apply.)
fn needs_backslash(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '!' | '|' | '#' | '~' | '$'
    )
}

/// `s` (untrusted) as inert Markdown inline text, on one line.
pub fn inline(s: &str) -> String {
    let clean = sanitize(s);
    let mut out = String::with_capacity(clean.len() + 8);
    for c in clean.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if needs_backslash(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A code span holding `s` (hashes, file names): sanitized, and delimited by more backticks
/// than it contains, so nothing inside can end it.
pub fn code(s: &str) -> String {
    let clean = sanitize(s);
    let longest = clean.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if clean.starts_with('`') || clean.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{clean}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item3_links_images_and_html_are_inert() {
        assert_eq!(
            inline("[click](javascript:alert(1))"),
            "\\[click\\]\\(javascript:alert\\(1\\)\\)"
        );
        assert_eq!(
            inline("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert\\(1\\)&gt;"
        );
        assert_eq!(
            inline("<script>alert(1)</script>"),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
        );
        assert_eq!(
            inline("![x](http://e/p.png)"),
            "\\!\\[x\\]\\(http://e/p.png\\)"
        );
        assert_eq!(inline("a|b"), "a\\|b");
        assert_eq!(inline("&lt;"), "&amp;lt;");
        assert_eq!(inline("HIKVISION CO., LTD."), "HIKVISION CO., LTD.");
    }

    #[test]
    fn item3_escape_sequences_and_line_breaks_are_gone() {
        let s = inline("ACME\x1b]0;pwned\x07\nLINE2 \u{9b}2J");
        assert!(!s.chars().any(char::is_control), "{s:?}");
        assert!(!s.contains('\n'));
        assert!(s.starts_with("ACME\u{fffd}"), "{s:?}");
    }

    #[test]
    fn code_spans_cannot_be_closed_from_inside() {
        assert_eq!(code("abc"), "`abc`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }
}
