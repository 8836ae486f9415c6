//! Small text helpers for drawing: number formatting, sanitized cells, highlighted names.

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use tradescope_core::text::sanitize::sanitize;

/// "1 patent", "2 patents", "1,204 shipments": a count with its noun in the right number.
pub fn count_of(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// 1204 → "1,204".
pub fn thousands(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Untrusted text, sanitized (None → "").
pub fn clean(s: Option<&str>) -> Cow<'_, str> {
    sanitize(s.unwrap_or(""))
}

/// A name with the characters at `positions` (char indices) highlighted. If sanitizing changed
/// the text, the positions no longer line up and the name is shown plain.
pub fn highlighted<'a>(name: &'a str, positions: &[usize], base: Style, hl: Style) -> Line<'a> {
    let clean = sanitize(name);
    let Cow::Borrowed(text) = clean else {
        return Line::from(Span::styled(clean.into_owned(), base));
    };
    let mut spans = Vec::new();
    let mut cur = String::new();
    let mut cur_hl = false;
    let mut next = positions.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        let is_hl = next.peek() == Some(&&i);
        if is_hl {
            next.next();
        }
        if is_hl != cur_hl && !cur.is_empty() {
            let style = if cur_hl { hl } else { base };
            spans.push(Span::styled(std::mem::take(&mut cur), style));
        }
        cur_hl = is_hl;
        cur.push(c);
    }
    if !cur.is_empty() {
        spans.push(Span::styled(cur, if cur_hl { hl } else { base }));
    }
    Line::from(spans)
}

/// Keep the end of a string that is too long for `width` columns ("… › Shipments › X").
pub fn tail_fit(parts: &[String], sep: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let full = parts.join(sep);
    if full.width() <= width {
        return full;
    }
    for start in 1..parts.len() {
        let s = format!("…{sep}{}", parts[start..].join(sep));
        if s.width() <= width {
            return s;
        }
    }
    parts.last().cloned().unwrap_or_default()
}

/// The widths ratatui's `Table` gives its columns (column spacing 1, no selection symbol), so
/// cells can be cut with an ellipsis instead of clipped mid-word.
pub fn column_widths(width: u16, constraints: &[ratatui::layout::Constraint]) -> Vec<usize> {
    use ratatui::layout::{Flex, Layout, Rect};
    Layout::horizontal(constraints.iter().copied())
        .flex(Flex::Start)
        .spacing(1)
        .split(Rect::new(0, 0, width, 1))
        .iter()
        .map(|r| r.width as usize)
        .collect()
}

/// Untrusted text as a table cell of `width` columns: sanitized, cut with "…" if too long.
pub fn cell(s: Option<&str>, width: usize) -> String {
    tradescope_core::text::width::truncate_to_width(s.unwrap_or(""), width).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_say_one_in_the_singular() {
        assert_eq!(count_of(1, "patent", "patents"), "1 patent");
        assert_eq!(count_of(0, "patent", "patents"), "0 patents");
        assert_eq!(count_of(1204, "record", "records"), "1,204 records");
    }

    #[test]
    fn thousands_groups() {
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(12), "12");
    }

    #[test]
    fn breadcrumb_keeps_the_end() {
        let p: Vec<String> = ["Entities", "Hikvision", "Shipments", "PHUONG VIET"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            tail_fit(&p, " › ", 100),
            "Entities › Hikvision › Shipments › PHUONG VIET"
        );
        assert_eq!(tail_fit(&p, " › ", 30), "… › Shipments › PHUONG VIET");
    }
}
