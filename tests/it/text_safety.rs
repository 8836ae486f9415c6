//! Property tests of the terminal sanitizer: whatever bytes a list or manifest publishes, what
//! reaches the terminal carries no escape sequence, control or bidi override, and the widths the
//! TUI lays out with are the widths of what is drawn.

use proptest::prelude::*;
use tradescope::text::{
    display_width, fit_to_width, sanitize, sanitize_multiline, truncate_to_width, ELLIPSIS,
};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Text built from fragments that exercise the sanitizer: escape-sequence pieces, C0/C1
/// controls, bidi and zero-width characters, emoji parts, CJK, combining marks, line breaks,
/// plus arbitrary characters.
fn hostile_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        any::<char>().prop_map(String::from),
        "[a-zA-Z0-9 ;:\\[\\]\\\\_^P()#?]{1,4}",
        prop::sample::select(vec![
            "\x1b",
            "\x1b[",
            "\x1b]",
            "\x1bP",
            "\x1b_",
            "\x1b^",
            "\x1bX",
            "\x1b\\",
            "\x07",
            "\x18",
            "\x1a",
            "\u{9b}",
            "\u{9d}",
            "\u{90}",
            "\u{9c}",
            "\u{9f}",
            "\u{85}",
            "\0",
            "\x7f",
            "\r",
            "\n",
            "\r\n",
            "\t",
            "\u{2028}",
            "\u{202e}",
            "\u{2066}",
            "\u{200b}",
            "\u{200d}",
            "\u{200f}",
            "\u{feff}",
            "\u{fe0f}",
            "\u{e0041}",
            "\u{e007f}",
            "\u{1f3f4}",
            "\u{1f468}",
            "\u{1f3fb}",
            "\u{2764}",
            "中",
            "文",
            "\u{301}",
            "\u{336}",
            "\u{644}",
            "\u{627}",
            "\u{600}",
            "\u{1100}",
            "\u{1161}",
            "\u{1f1fa}",
            "\u{1f1f8}",
            "\u{fffd}",
        ])
        .prop_map(String::from),
    ];
    prop::collection::vec(fragment, 0..48).prop_map(|v| v.concat())
}

fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{feff}')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn single_line_output_has_no_escape_control_or_bidi(s in hostile_text()) {
        let out = sanitize(&s);
        prop_assert!(!out.chars().any(forbidden), "{:?} -> {:?}", s, out);
        prop_assert!(!out.contains(char::from(0x1b)), "ESC in {:?}", out);
    }

    #[test]
    fn multiline_output_keeps_only_newlines(s in hostile_text()) {
        let out = sanitize_multiline(&s);
        prop_assert!(!out.chars().any(|c| c != '\n' && forbidden(c)), "{:?} -> {:?}", s, out);
        // Same content as the single-line form, line by line.
        for line in out.split('\n') {
            prop_assert_eq!(sanitize(line), line);
        }
    }

    #[test]
    fn sanitizing_is_idempotent(s in hostile_text()) {
        let once = sanitize(&s).into_owned();
        prop_assert_eq!(sanitize(&once), once.as_str());
        let once = sanitize_multiline(&s).into_owned();
        prop_assert_eq!(sanitize_multiline(&once), once.as_str());
    }

    #[test]
    fn reported_width_is_the_width_of_what_is_drawn(s in hostile_text()) {
        prop_assert_eq!(display_width(&s), sanitize(&s).width());
    }

    #[test]
    fn truncation_fits_and_keeps_graphemes_whole(s in hostile_text(), max in 0usize..24) {
        let clean = sanitize(&s);
        let cut = truncate_to_width(&s, max);
        prop_assert!(cut.width() <= max, "{:?} cut to {} is {:?}", s, max, cut);
        prop_assert!(!cut.chars().any(forbidden));
        if clean.width() <= max {
            prop_assert_eq!(&*cut, &*clean);
        } else if max > 0 {
            let kept = cut.strip_suffix(ELLIPSIS);
            prop_assert!(kept.is_some(), "cut text ends with the ellipsis: {:?}", cut);
            let kept = kept.unwrap_or_default();
            prop_assert!(clean.starts_with(kept));
            let boundaries: Vec<usize> = clean
                .grapheme_indices(true)
                .map(|(i, _)| i)
                .chain([clean.len()])
                .collect();
            prop_assert!(boundaries.contains(&kept.len()), "{:?} split a grapheme of {:?}", cut, clean);
        }
        let cell = fit_to_width(&s, max);
        prop_assert_eq!(cell.width(), max);
    }
}
