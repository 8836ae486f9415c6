//! OSC 52 clipboard copy: the terminal (not the server) puts text on the user's clipboard, so
//! it works over SSH. Whether it did is not observable: the workbench says it *sent* the text.
//! Inside tmux the plain sequence is what tmux itself takes with `set-clipboard on` (it keeps
//! a paste buffer and forwards it to the outer terminal); the DCS passthrough wrapper is used
//! only when `allow-passthrough` is on, since tmux drops wrapped sequences otherwise.

use base64::Engine;

/// Largest text copied: many terminals drop longer OSC 52 payloads (xterm's default limit is
/// about 100 KB of base64).
pub const MAX_BYTES: usize = 74_994;

/// `ESC ] 52 ; c ; <base64> BEL` for `text` (cut at a character boundary to MAX_BYTES), wrapped
/// for tmux when `tmux` is true.
pub fn encode(text: &str, tmux: bool) -> String {
    let mut end = text.len().min(MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let payload = base64::engine::general_purpose::STANDARD.encode(&text.as_bytes()[..end]);
    let seq = format!("\x1b]52;c;{payload}\x07");
    if tmux {
        // DCS tmux; <sequence with every ESC doubled> ST
        format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
    } else {
        seq
    }
}

/// How the sequence reaches the terminal from inside tmux.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The bare sequence: a terminal, or tmux with `set-clipboard on`.
    Plain,
    /// Wrapped in tmux's DCS passthrough (tmux with `allow-passthrough on`).
    Passthrough,
}

/// The form for a session: wrapped only inside tmux (`in_tmux`) whose `allow-passthrough`
/// option reads `on` or `all` (`passthrough`: the option's value, None if it could not be
/// read). Anything else gets the plain form, which never reaches the screen as text.
pub fn form(in_tmux: bool, passthrough: Option<&str>) -> Form {
    match passthrough.map(str::trim) {
        Some("on" | "all") if in_tmux => Form::Passthrough,
        _ => Form::Plain,
    }
}

/// [`form`] for this process: $TMUX, and `tmux show -gv allow-passthrough` asked once.
pub fn form_for_env() -> Form {
    static FORM: std::sync::OnceLock<Form> = std::sync::OnceLock::new();
    *FORM.get_or_init(|| {
        let in_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
        if !in_tmux {
            return Form::Plain;
        }
        let value = std::process::Command::new("tmux")
            .args(["show-options", "-gv", "allow-passthrough"])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        form(in_tmux, value.as_deref())
    })
}

/// `encode` for the current environment (see [`form_for_env`]).
pub fn encode_for_env(text: &str) -> String {
    encode(text, form_for_env() == Form::Passthrough)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sequence_carries_base64_of_the_text() {
        assert_eq!(encode("hello", false), "\x1b]52;c;aGVsbG8=\x07");
        let s = encode("Hangzhou Hikvision 海康威视", false);
        let b64 = s
            .strip_prefix("\x1b]52;c;")
            .and_then(|r| r.strip_suffix('\x07'))
            .unwrap();
        let back = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert_eq!(
            String::from_utf8(back).unwrap(),
            "Hangzhou Hikvision 海康威视"
        );
    }

    #[test]
    fn the_wrapper_only_when_tmux_passes_it_through() {
        assert_eq!(form(false, Some("on")), Form::Plain);
        assert_eq!(form(true, Some("on\n")), Form::Passthrough);
        assert_eq!(form(true, Some("all")), Form::Passthrough);
        assert_eq!(form(true, Some("off")), Form::Plain);
        // An old tmux without the option, or no tmux on the PATH: the plain form.
        assert_eq!(form(true, None), Form::Plain);
    }

    #[test]
    fn tmux_passthrough_doubles_escapes() {
        assert_eq!(
            encode("hello", true),
            "\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\"
        );
    }

    #[test]
    fn control_characters_in_the_text_cannot_escape_the_sequence() {
        let s = encode("a\x07b\x1b]0;title\x07", false);
        // One ESC and one BEL only: the ones of the sequence itself.
        assert_eq!(s.matches('\x1b').count(), 1);
        assert_eq!(s.matches('\x07').count(), 1);
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let text = "é".repeat(MAX_BYTES);
        let s = encode(&text, false);
        let b64 = &s[7..s.len() - 1];
        let back = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert!(back.len() <= MAX_BYTES);
        assert!(String::from_utf8(back).is_ok());
    }
}
