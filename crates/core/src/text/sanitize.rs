//! The one sanitizer every piece of untrusted text (names, addresses, remarks, descriptions,
//! file contents echoed in messages) passes before it reaches a terminal.
//!
//! What it does, in order:
//! 1. Removes whole terminal escape sequences, 7-bit and 8-bit (see `text::escape`), and
//!    every other C0/C1 control character and DEL.
//! 2. Line breaks (LF, CR, CRLF, VT, FF, NEL, U+2028, U+2029): [`sanitize`] shows a run of them
//!    as [`LINE_BREAK`] (" ↵ ") so a single-line cell stays one line; [`sanitize_multiline`]
//!    keeps them as `\n`. Tab becomes one space in both, so widths stay predictable.
//! 3. Removes invisible formatting characters (bidi overrides, isolates and marks, zero-width
//!    space/joiners, BOM, soft hyphen, tags, surplus variation selectors — see
//!    `text::invisible`), except where emoji need them: a ZWJ between two emoji, tags after
//!    🏴, and one variation selector after a visible character.
//! 4. Caps a grapheme cluster at [`MAX_CLUSTER_CHARS`] characters ("Zalgo" stacks of
//!    combining marks draw over neighbouring lines).
//!
//! Wherever something was removed, one [`REMOVED`] marker (U+FFFD '�') is shown; consecutive
//! removals share one marker. The analyst sees that the published text held something hidden,
//! and the stored data stays exactly as published (sanitizing happens only for display).

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

use super::escape;
use super::invisible::{
    is_emoji_modifier, is_invisible, is_pictographic, is_tag, is_variation_selector, BLACK_FLAG,
    ZWJ,
};

/// Shown once where one or more characters or sequences were removed.
pub const REMOVED: char = '\u{fffd}';

/// Stands for a run of line breaks in single-line output.
pub const LINE_BREAK: &str = " \u{21b5} ";

/// Longest grapheme cluster kept, in characters; the rest of the cluster is removed.
/// Long enough for every emoji ZWJ sequence (at most 10) and real combining-mark stacks.
pub const MAX_CLUSTER_CHARS: usize = 16;

/// Untrusted text made safe for one line of a terminal (a table cell, a list row, a message).
/// Returns the input unchanged (borrowed) when nothing needed changing.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    clean(s, Lines::Join)
}

/// Like [`sanitize`], but keeps the line structure (`\n` between lines, CR/CRLF and the other
/// line breaks normalized to `\n`), for detail views that wrap text.
pub fn sanitize_multiline(s: &str) -> Cow<'_, str> {
    clean(s, Lines::Keep)
}

/// Like [`sanitize_multiline`], but tabs are kept: for data (CSV, TSV, Markdown) written to a
/// terminal, where a tab is harmless and part of the format.
pub fn sanitize_data(s: &str) -> Cow<'_, str> {
    clean(s, Lines::KeepTabs)
}

/// Text for the clipboard (OSC 52 copy): as [`sanitize`] shows it, with line breaks as one
/// space. Nothing that could drive a terminal or a shell survives a paste: no ESC (a pasted
/// `ESC[201~` would end bracketed paste and run what follows), no C0/C1 control, no line break
/// (which would run a command in a shell without bracketed paste), no bidi control.
pub fn sanitize_for_clipboard(s: &str) -> Cow<'_, str> {
    match sanitize(s) {
        Cow::Borrowed(b) => Cow::Borrowed(b),
        Cow::Owned(o) => Cow::Owned(o.replace(LINE_BREAK, " ")),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    Join,
    Keep,
    /// Keep, and keep tabs.
    KeepTabs,
}

fn clean(s: &str, lines: Lines) -> Cow<'_, str> {
    // The common case: plain printable ASCII needs no work at all.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(s);
    }
    let mut out = Out {
        buf: String::with_capacity(s.len()),
        removal_pending: false,
        after_break: false,
        lines,
    };
    let mut run_start = 0;
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let special = c.is_control() || c == '\u{2028}' || c == '\u{2029}';
        if !special {
            i += c.len_utf8();
            continue;
        }
        out.text(&s[run_start..i]);
        let len = match c {
            '\r' if s[i + 1..].starts_with('\n') => {
                out.line_break();
                2
            }
            '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                out.line_break();
                c.len_utf8()
            }
            '\t' => {
                out.text(if lines == Lines::KeepTabs { "\t" } else { " " });
                1
            }
            c if escape::starts_sequence(c) => {
                out.removed();
                escape::sequence_len(&s[i..])
            }
            _ => {
                out.removed();
                c.len_utf8()
            }
        };
        i += len;
        run_start = i;
    }
    out.text(&s[run_start..]);
    out.finish();
    if out.buf == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(out.buf)
    }
}

/// The output being built; places markers and separators.
struct Out {
    buf: String,
    removal_pending: bool,
    after_break: bool,
    lines: Lines,
}

impl Out {
    fn removed(&mut self) {
        self.removal_pending = true;
    }

    fn flush_marker(&mut self) {
        if self.removal_pending {
            self.buf.push(REMOVED);
            self.removal_pending = false;
            self.after_break = false;
        }
    }

    fn line_break(&mut self) {
        self.flush_marker();
        match self.lines {
            Lines::Keep | Lines::KeepTabs => self.buf.push('\n'),
            Lines::Join if !self.after_break => self.buf.push_str(LINE_BREAK),
            Lines::Join => {}
        }
        self.after_break = true;
    }

    fn push(&mut self, c: char) {
        self.flush_marker();
        self.buf.push(c);
        self.after_break = false;
    }

    /// A run of text without control characters: filter it grapheme by grapheme.
    fn text(&mut self, run: &str) {
        if run.is_empty() {
            return;
        }
        if run.is_ascii() {
            self.flush_marker();
            self.buf.push_str(run);
            self.after_break = false;
            return;
        }
        for g in run.graphemes(true) {
            self.cluster(g);
        }
    }

    fn cluster(&mut self, g: &str) {
        let first = g.chars().next();
        // Cleared by the first removal: after a removal's marker, the rest of the cluster
        // (modifiers, ZWJ…) joins the marker's cluster on a second pass, which is no emoji.
        // A cluster that starts with a skin-tone modifier is no emoji either: it starts one
        // only because something removed (a control) or replaced (a line break) ended the
        // cluster before it; in the output the modifier extends that marker or ` ↵ `.
        let mut emoji = first.is_some_and(|c| is_pictographic(c) && !is_emoji_modifier(c));
        let flag = first == Some(BLACK_FLAG);
        let mut kept = 0;
        let mut prev_visible = false;
        // Inside a run 🏴 tag tag …: tags are kept only there, and only unbroken — a tag after
        // a removal would start a new cluster of its own on a second pass and be removed then
        // (sanitizing must be idempotent).
        let mut in_tag_run = false;
        let mut chars = g.chars().peekable();
        while let Some(c) = chars.next() {
            let invisible = is_invisible(c);
            // A kept ZWJ needs room for the emoji after it, or the cap would leave it dangling;
            // and nothing in its cluster may have been removed before it (`emoji` is cleared):
            // fuzzing found 😴 TAG ZWJ 👍, 🏴 VS VS 🏿 ZWJ 🏿 and BEL 🏿 ZWJ 🏿 not idempotent.
            let keep = kept < MAX_CLUSTER_CHARS
                && (!invisible
                    || (c == ZWJ
                        && emoji
                        && kept + 1 < MAX_CLUSTER_CHARS
                        && chars.peek().is_some_and(|&n| is_pictographic(n)))
                    || (is_tag(c) && flag && in_tag_run)
                    || (is_variation_selector(c) && prev_visible));
            if keep {
                self.push(c);
                kept += 1;
                prev_visible = !invisible;
                in_tag_run = c == BLACK_FLAG || (in_tag_run && is_tag(c));
            } else {
                self.removed();
                prev_visible = false;
                in_tag_run = false;
                emoji = false;
            }
        }
    }

    fn finish(&mut self) {
        self.flush_marker();
    }
}

#[cfg(test)]
mod tests;
