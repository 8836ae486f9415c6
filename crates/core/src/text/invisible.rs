//! Character classes the sanitizer needs that no dependency exposes: invisible formatting
//! characters (Unicode's Default_Ignorable_Code_Point set, which holds the bidi controls and
//! zero-width characters) and, approximately, emoji (Extended_Pictographic).

/// Zero-width joiner: kept only between two emoji (family, profession, flag sequences).
pub const ZWJ: char = '\u{200d}';

/// Characters that draw nothing but change how text around them looks or reads: bidi
/// embeddings/overrides/isolates/marks, zero-width space/joiners, word joiner, invisible
/// operators, BOM, soft hyphen, Hangul fillers, variation selectors, tags, interlinear
/// annotation marks. (Default_Ignorable_Code_Point of Unicode 16, plus U+FFF9–U+FFFB.)
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}'..='\u{1160}' | '\u{17b4}'..='\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}' | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

/// Variation selectors: one directly after a visible character picks its glyph (emoji vs text
/// presentation, CJK ideograph variants), so one per character is kept.
pub fn is_variation_selector(c: char) -> bool {
    matches!(c,
        '\u{180b}'..='\u{180d}' | '\u{180f}' | '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}')
}

/// Tag characters: valid only in emoji flag sequences for subdivisions (🏴 + tags), elsewhere
/// they smuggle invisible ASCII.
pub fn is_tag(c: char) -> bool {
    ('\u{e0020}'..='\u{e007f}').contains(&c)
}

pub const BLACK_FLAG: char = '\u{1f3f4}';

/// Skin-tone modifiers: emoji, but grapheme extenders (they join whatever precedes them).
pub fn is_emoji_modifier(c: char) -> bool {
    ('\u{1f3fb}'..='\u{1f3ff}').contains(&c)
}

/// Emoji that can take part in ZWJ sequences (an over-approximation of Extended_Pictographic
/// by block; a ZWJ wrongly judged here is merely removed, which is safe).
pub fn is_pictographic(c: char) -> bool {
    matches!(c,
        '\u{00a9}' | '\u{00ae}' | '\u{203c}' | '\u{2049}' | '\u{2122}' | '\u{2139}'
        | '\u{2194}'..='\u{2199}' | '\u{21a9}'..='\u{21aa}' | '\u{231a}'..='\u{231b}'
        | '\u{2328}' | '\u{23cf}' | '\u{23e9}'..='\u{23f3}' | '\u{23f8}'..='\u{23fa}'
        | '\u{24c2}' | '\u{25aa}'..='\u{25ab}' | '\u{25b6}' | '\u{25c0}'
        | '\u{25fb}'..='\u{25fe}' | '\u{2600}'..='\u{27bf}' | '\u{2934}'..='\u{2935}'
        | '\u{2b05}'..='\u{2b07}' | '\u{2b1b}'..='\u{2b1c}' | '\u{2b50}' | '\u{2b55}'
        | '\u{3030}' | '\u{303d}' | '\u{3297}' | '\u{3299}' | '\u{1f000}'..='\u{1faff}'
        | '\u{1fc00}'..='\u{1fffd}')
}
