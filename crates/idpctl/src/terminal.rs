//! Column widths of server text on a terminal (the sanitizing itself is
//! `idp_client::terminal::sanitize`, which the client's errors use too).

use idp_client::terminal::sanitize;
use unicode_width::UnicodeWidthStr;

/// The number of terminal columns `text` takes once sanitized (wide East
/// Asian characters count two, combining marks zero).
pub fn display_width(text: &str) -> usize {
    sanitize(text).width()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_counts_columns() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("東京"), 4);
        assert_eq!(display_width("\u{1b}[31mab\u{1b}[0m"), 2);
    }
}
