//! Display width in terminal columns (CJK and most emoji take two), and cutting text to a
//! width without splitting a grapheme cluster. Every function here sanitizes first, so any
//! text — trusted or not — can be passed, and what comes back is safe to draw.
//!
//! Widths are `unicode-width`'s for the whole string, the measure ratatui uses for `Span` and
//! `Line` layout.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::sanitize::sanitize;

/// Appended where text was cut.
pub const ELLIPSIS: char = '\u{2026}';

/// Columns the text occupies once sanitized for one line.
pub fn display_width(s: &str) -> usize {
    sanitize(s).width()
}

/// The sanitized text, cut to at most `max` columns. When it had to be cut, it ends with
/// [`ELLIPSIS`] (counted in the width) and the cut falls between grapheme clusters, so an
/// accented letter, a CJK character or an emoji sequence is kept whole or dropped whole.
pub fn truncate_to_width(s: &str, max: usize) -> Cow<'_, str> {
    let clean = sanitize(s);
    if clean.width() <= max {
        return clean;
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let budget = max - 1;
    let mut end = 0;
    let mut used = 0;
    for (i, g) in clean.grapheme_indices(true) {
        let w = g.width();
        if used + w > budget {
            break;
        }
        used += w;
        end = i + g.len();
    }
    // The width of a string is not always the sum of its clusters' widths (ligature rules);
    // drop clusters until the whole result fits.
    loop {
        let mut out = String::with_capacity(end + ELLIPSIS.len_utf8());
        out.push_str(&clean[..end]);
        out.push(ELLIPSIS);
        if end == 0 || out.width() <= max {
            return Cow::Owned(out);
        }
        end = clean[..end]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i);
    }
}

/// The sanitized text cut (see [`truncate_to_width`]) and padded with spaces to exactly
/// `width` columns: a fixed-width table cell.
pub fn fit_to_width(s: &str, width: usize) -> String {
    let cut = truncate_to_width(s, width);
    let pad = width.saturating_sub(cut.width());
    let mut out = String::with_capacity(cut.len() + pad);
    out.push_str(&cut);
    out.extend(std::iter::repeat_n(' ', pad));
    out
}
