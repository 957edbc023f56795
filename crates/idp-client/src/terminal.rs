//! Text from a server made safe for a terminal.
//!
//! Every string a server chose (names, domains, URLs, messages, remediation
//! text, reference tokens, summaries of HTML pages) passes through
//! [`sanitize`] before it reaches a human: `idp_client::Error`'s `Display`
//! and every table and line printer of `idpctl` use it. JSON output does not
//! need it (serde escapes every control character).
//!
//! What it does:
//! - ESC sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ESC \`, and the
//!   two-character ones) are removed whole: no colour, cursor movement,
//!   title change or hyperlink survives;
//! - line breaks and tabs become a space (one item stays on one line);
//! - every other C0 control, DEL and every C1 control (U+0080–U+009F) is
//!   shown escaped as `\u{…}`;
//! - Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E,
//!   U+200F, U+061C), which can make text read backwards, are shown escaped.

use std::borrow::Cow;
use std::fmt::Write as _;

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';

/// `text` with terminal escape sequences removed and control and
/// bidirectional characters escaped; borrowed when nothing had to change.
#[must_use]
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_care) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => skip_escape_sequence(&mut chars),
            // CSI as a single C1 character: skip its parameters too.
            '\u{9b}' => skip_csi(&mut chars),
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_escaped(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `c` is changed by [`sanitize`].
fn needs_care(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_escaped(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The Unicode bidirectional formatting characters.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Skips what follows an ESC: a CSI or OSC/DCS/APC/PM/SOS string, or the
/// one character of a two-character sequence.
fn skip_escape_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | '_' | '^' | 'X') => {
            chars.next();
            // A string ends with BEL or ST (ESC \).
            while let Some(c) = chars.next() {
                if c == BEL || c == '\u{9c}' {
                    break;
                }
                if c == ESC {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        Some(c) if !c.is_control() => {
            chars.next();
        }
        _ => {}
    }
}

/// Skips a CSI's parameter and intermediate bytes and its final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        if ('\u{20}'..='\u{3f}').contains(&c) {
            chars.next();
        } else {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                chars.next();
            }
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("Okta – 東京"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_are_removed() {
        assert_eq!(sanitize("a\u{1b}[31;1mred\u{1b}[0m"), "ared");
        assert_eq!(sanitize("\u{1b}]0;pwned\u{7}title"), "title");
        assert_eq!(
            sanitize("\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\"),
            "link"
        );
        assert_eq!(sanitize("x\u{1b}cy"), "xy");
        assert_eq!(sanitize("\u{9b}2Jz"), "z");
    }

    #[test]
    fn controls_and_bidi_are_escaped() {
        assert_eq!(sanitize("a\nb\tc\rd"), "a b c d");
        assert_eq!(sanitize("bell\u{7}del\u{7f}"), "bell\\u{7}del\\u{7f}");
        assert_eq!(sanitize("c1\u{85}"), "c1\\u{85}");
        assert_eq!(sanitize("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        for c in ['\u{2066}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{61c}'] {
            assert!(!sanitize(&format!("a{c}b")).contains(c));
        }
    }
}
