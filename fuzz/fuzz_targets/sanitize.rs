//! The terminal sanitizer on arbitrary text: no escape, control or bidi character survives,
//! sanitizing twice changes nothing, and widths and truncation hold their promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradescope::text::{
    display_width, sanitize, sanitize_multiline, truncate_to_width, ELLIPSIS,
};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{feff}')
}

fuzz_target!(|data: &[u8]| {
    let Some((&max, rest)) = data.split_first() else {
        return;
    };
    let s = String::from_utf8_lossy(rest);
    let one = sanitize(&s);
    assert!(!one.chars().any(forbidden), "{s:?} -> {one:?}");
    assert_eq!(sanitize(&one), one, "idempotent");
    let multi = sanitize_multiline(&s);
    assert!(!multi.chars().any(|c| c != '\n' && forbidden(c)), "{s:?} -> {multi:?}");
    assert_eq!(sanitize_multiline(&multi), multi, "idempotent");
    assert_eq!(display_width(&s), one.width());

    let max = usize::from(max % 64);
    let cut = truncate_to_width(&s, max);
    assert!(cut.width() <= max, "{s:?} cut to {max}: {cut:?}");
    if one.width() > max && max > 0 {
        let kept = cut.strip_suffix(ELLIPSIS).expect("ends with the ellipsis");
        assert!(one.starts_with(kept));
        assert!(
            kept.is_empty() || one.grapheme_indices(true).any(|(i, _)| i == kept.len()),
            "cut inside a grapheme: {one:?} -> {cut:?}"
        );
    }
});
