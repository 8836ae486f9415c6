//! The detail view's fields laid out at a width: a label column and values wrapped on word
//! boundaries (by display width). Shared by `update` (to bound scrolling) and the UI.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use tradescope_core::text::sanitize::sanitize_multiline;

/// Widest label column, including the gap after it.
pub const LABEL_MAX: usize = 22;

#[derive(Debug, Clone, PartialEq)]
pub struct FieldLine {
    /// The label on a field's first line, None on continuation lines.
    pub label: Option<String>,
    pub text: String,
}

/// Width of the label column for these fields.
pub fn label_width(fields: &[(String, String)]) -> usize {
    fields
        .iter()
        .map(|(l, _)| l.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .min(LABEL_MAX)
}

/// All lines of all fields at `width` columns. Values are sanitized here; line breaks in a value
/// (multi-line descriptions) are kept.
pub fn field_lines(fields: &[(String, String)], width: u16) -> Vec<FieldLine> {
    let lw = label_width(fields);
    let vw = (width as usize).saturating_sub(lw).max(8);
    let mut out = Vec::new();
    for (label, value) in fields {
        let clean = sanitize_multiline(value);
        let wrapped = clean.split('\n').flat_map(|l| wrap(l, vw));
        for (i, line) in wrapped.enumerate() {
            out.push(FieldLine {
                label: (i == 0).then(|| label.clone()),
                text: line,
            });
        }
    }
    out
}

/// Greedy word wrap by display width; words longer than a line are cut between grapheme
/// clusters.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0;
    for word in s.split_whitespace() {
        let ww = word.width();
        if cur_w > 0 && cur_w + 1 + ww <= width {
            cur.push(' ');
            cur.push_str(word);
            cur_w += 1 + ww;
            continue;
        }
        if cur_w > 0 {
            lines.push(std::mem::take(&mut cur));
            cur_w = 0;
        }
        if ww <= width {
            cur.push_str(word);
            cur_w = ww;
            continue;
        }
        for g in word.graphemes(true) {
            let gw = g.width();
            if cur_w + gw > width && cur_w > 0 {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0;
            }
            cur.push_str(g);
            cur_w += gw;
        }
    }
    if cur_w > 0 || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_on_words_and_cuts_long_ones() {
        assert_eq!(
            wrap("NVR 16 CH decoder", 8),
            vec!["NVR 16", "CH", "decoder"]
        );
        assert_eq!(wrap("ABCDEFGHIJ", 4), vec!["ABCD", "EFGH", "IJ"]);
        assert_eq!(wrap("", 4), vec![""]);
    }

    #[test]
    fn line_breaks_in_values_are_kept() {
        let f = vec![(
            "Description".to_string(),
            "NVR 16 CH\nDECODER 16 CH".to_string(),
        )];
        let lines = field_lines(&f, 80);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].text, "DECODER 16 CH");
    }

    #[test]
    fn continuation_lines_have_no_label() {
        let f = vec![("Name".to_string(), "a b c d e f g h i j k l".to_string())];
        let lines = field_lines(&f, 16);
        assert_eq!(lines[0].label.as_deref(), Some("Name"));
        assert!(lines.len() > 1 && lines[1].label.is_none());
    }
}
