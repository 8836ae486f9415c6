//! Recognising terminal escape sequences (ECMA-48 / the DEC VT parser model), so the sanitizer
//! removes a whole sequence — `ESC ] 52 ; c ; <base64> BEL` — not just its ESC, which would
//! leave its payload on screen as text.
//!
//! Recognised, in 7-bit (`ESC x`) and 8-bit (C1 character) form:
//! - CSI `ESC [` / U+009B: parameters and intermediates (0x20–0x3F), then one final (0x40–0x7E).
//!   A character outside those ranges ends the sequence early and is then treated on its own.
//! - Strings: OSC `ESC ]` / U+009D, DCS `ESC P` / U+0090, SOS `ESC X` / U+0098,
//!   PM `ESC ^` / U+009E, APC `ESC _` / U+009F. They end at BEL, ST (`ESC \` or U+009C), or
//!   where a terminal would abort them: CAN, SUB, another ESC or C1 control.
//!   An unterminated string at the end of the text removes only its introducer: a terminal
//!   would swallow everything up to the next terminator, but here the rest is just text, and
//!   showing it beats hiding part of a published name.
//! - Other escapes: `ESC`, intermediates (0x20–0x2F), one final (0x30–0x7E) — `ESC c`, `ESC ( B`.
//! - Any other C1 control is one character.

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';
const CAN: char = '\u{18}';
const SUB: char = '\u{1a}';
const ST_8BIT: char = '\u{9c}';

/// True for the characters that start a sequence (ESC, or any C1 control).
pub fn starts_sequence(c: char) -> bool {
    c == ESC || is_c1(c)
}

pub fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// Byte length of the escape sequence at the start of `s`, which must begin with a character
/// for which `starts_sequence` is true. Always at least the length of that first character.
pub fn sequence_len(s: &str) -> usize {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return 0;
    };
    let intro = first.len_utf8();
    let rest = &s[intro..];
    match first {
        ESC => {
            let Some(next) = rest.chars().next() else {
                return intro;
            };
            let after = &rest[next.len_utf8()..];
            let head = intro + next.len_utf8();
            match next {
                '[' => head + csi_body_len(after),
                ']' | 'P' | 'X' | '^' | '_' => string_len(head, after),
                ' '..='/' => {
                    let n = after
                        .bytes()
                        .take_while(|b| (0x20..=0x2f).contains(b))
                        .count();
                    let final_len = match after[n..].chars().next() {
                        Some('0'..='~') => 1,
                        _ => 0,
                    };
                    head + n + final_len
                }
                '0'..='~' => head,
                // ESC followed by a control or non-ASCII: only the ESC goes.
                _ => intro,
            }
        }
        '\u{9b}' => intro + csi_body_len(rest),
        '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => string_len(intro, rest),
        _ => intro,
    }
}

/// Length of a CSI body: parameter/intermediate bytes, then the final byte if present.
fn csi_body_len(s: &str) -> usize {
    let n = s.bytes().take_while(|b| (0x20..=0x3f).contains(b)).count();
    match s.as_bytes().get(n) {
        Some(0x40..=0x7e) => n + 1,
        _ => n,
    }
}

/// Total length of a control string whose introducer is `head` bytes long and whose body
/// starts `s`; `head` alone when the string is never terminated.
fn string_len(head: usize, s: &str) -> usize {
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        match c {
            BEL | CAN | SUB | ST_8BIT => return head + i + c.len_utf8(),
            ESC => {
                return match it.peek() {
                    Some((_, '\\')) => head + i + 2,
                    // Aborted by the start of another sequence, which is handled on its own.
                    _ => head + i,
                };
            }
            c if is_c1(c) => return head + i,
            _ => {}
        }
    }
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len(s: &str) -> usize {
        sequence_len(s)
    }

    #[test]
    fn csi_forms() {
        assert_eq!(len("\x1b[2Jrest"), 4);
        assert_eq!(len("\x1b[38;5;196mX"), 11);
        assert_eq!(len("\u{9b}31mX"), 2 + 3);
        // Interrupted by a non-parameter: the part seen so far goes.
        assert_eq!(len("\x1b[31\u{e9}m"), 4);
        assert_eq!(len("\x1b["), 2);
    }

    #[test]
    fn strings_end_at_bel_st_or_abort() {
        let osc52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07after";
        assert_eq!(len(osc52), osc52.len() - "after".len());
        let title = "\x1b]0;owned\x1b\\after";
        assert_eq!(len(title), title.len() - "after".len());
        assert_eq!(len("\x1bPq#0\x1b[1m"), "\x1bPq#0".len());
        assert_eq!(len("\u{9d}0;t\u{9c}x"), "\u{9d}0;t\u{9c}".len());
        // Unterminated: only the introducer.
        assert_eq!(len("\x1b]0;never ends"), 2);
        assert_eq!(len("\u{9f}apc"), 2);
    }

    #[test]
    fn short_escapes() {
        assert_eq!(len("\x1bcX"), 2);
        assert_eq!(len("\x1b(BX"), 3);
        assert_eq!(len("\x1b\u{e9}"), 1);
        assert_eq!(len("\x1b"), 1);
        assert_eq!(len("\u{85}x"), 2);
    }
}
