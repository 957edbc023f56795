//! Printing results: readable tables and lines, or one JSON document.
//!
//! Every human-facing line is made terminal-safe with
//! [`idp_client::terminal::sanitize`] (escape sequences removed, control and
//! bidirectional characters escaped); columns are as wide as what is
//! visible. JSON is printed byte-exact (serde escapes control characters).

use std::io::Write;

use idp_client::terminal::sanitize;

use clap::ValueEnum;
use serde::Serialize;

use crate::failure::Failure;
use crate::terminal::display_width;

/// `-o table|json|prometheus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Readable tables and lines.
    Table,
    /// Exactly one JSON document on stdout.
    Json,
    /// The Prometheus text exposition format (`idpctl check` only).
    Prometheus,
}

/// Where results go, in the chosen format.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: OutputFormat,
}

impl Output {
    /// Prints `json` in JSON mode, or `table()` otherwise.
    pub fn emit<T: Serialize + ?Sized>(
        &self,
        json: &T,
        table: impl FnOnce() -> String,
    ) -> Result<(), Failure> {
        let text = match self.format {
            OutputFormat::Json => {
                let mut text = serde_json::to_string_pretty(json)
                    .map_err(|e| Failure::other(format!("cannot render JSON: {e}")))?;
                text.push('\n');
                text
            }
            OutputFormat::Table => terminal_safe(&table()),
            OutputFormat::Prometheus => {
                return Err(Failure::usage("-o prometheus is only for `idpctl check`"));
            }
        };
        write_stdout(&text)
    }
}

/// Writes a command's result to stdout; a closed stdout is an error, not a
/// panic (as `println!` would make it).
pub fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::other(format!("cannot write to stdout: {e}")))
}

/// Progress lines of long-running commands (`demo`, `sim`): written like
/// `println!`, but a closed stdout (`idpctl demo | head`) does not panic;
/// the command goes on and its exit code still tells the outcome.
macro_rules! progress {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = $crate::output::terminal_safe(&format!($($arg)*));
        let _ = writeln!(std::io::stdout(), "{line}");
    }};
}
pub(crate) use progress;

/// Each line of `text` made terminal-safe; line breaks kept.
pub fn terminal_safe(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(line) => format!("{}\n", sanitize(line)),
            None => sanitize(line).into_owned(),
        })
        .collect()
}

/// `cell` padded with spaces to `width` visible columns.
fn pad(cell: &str, width: usize) -> String {
    let fill = width.saturating_sub(display_width(cell));
    format!("{cell}{}", " ".repeat(fill))
}

/// Left-aligned columns with a header row; cells are made terminal-safe and
/// aligned by their visible width.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let rows: Vec<Vec<String>> = std::iter::once(&header)
        .chain(rows)
        .map(|row| row.iter().map(|cell| sanitize(cell).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = Vec::new();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            let width = display_width(cell);
            match widths.get_mut(i) {
                Some(w) => *w = (*w).max(width),
                None => widths.push(width),
            }
        }
    }
    let mut text = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| pad(cell, *width))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}

/// `key: value` lines, keys aligned, values made terminal-safe.
pub fn fields(pairs: &[(&str, String)]) -> String {
    // The key and its colon, so that every value starts in the same column.
    let width = pairs
        .iter()
        .map(|(k, _)| display_width(k) + 1)
        .max()
        .unwrap_or(0);
    pairs
        .iter()
        .map(|(key, value)| format!("{}  {}\n", pad(&format!("{key}:"), width), sanitize(value)))
        .collect()
}

/// The one naming scheme for kinds (provider types, identity source types,
/// federation sources) in tables and lines: lower-case words joined by `-`
/// (`Embedded` -> `embedded`, `FEDERATED_IDP_BROKER` ->
/// `federated-idp-broker`, `ActiveDirectory` -> `active-directory`,
/// `Microsoft ADFS` -> `microsoft-adfs`). JSON keeps the server's values.
pub fn kind_label(kind: &str) -> String {
    let mut label = String::with_capacity(kind.len() + 4);
    let mut previous: Option<char> = None;
    for c in kind.trim().chars() {
        if matches!(c, '_' | '-' | ' ' | '.') {
            if !label.is_empty() && !label.ends_with('-') {
                label.push('-');
            }
        } else {
            // A word starts where a lower-case letter or digit meets an
            // upper-case one (`ActiveDirectory`), never inside `ADFS`.
            if c.is_uppercase()
                && previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                && !label.ends_with('-')
            {
                label.push('-');
            }
            label.extend(c.to_lowercase());
        }
        previous = Some(c);
    }
    label.trim_end_matches('-').to_owned()
}

/// A secret shown as its first four characters and a count, for the demo.
pub fn mask(secret: &str) -> String {
    let shown: String = secret.chars().take(4).collect();
    format!("{shown}… ({} characters, masked)", secret.chars().count())
}

#[cfg(test)]
mod tests {
    use idp_client::{FederatedSource, IdentitySourceKind, ProviderKind};

    use super::{fields, kind_label, mask, table};

    #[test]
    fn kinds_have_one_naming_scheme() {
        let cases = [
            (ProviderKind::Embedded.to_string(), "embedded"),
            (ProviderKind::MicrosoftAdfs.to_string(), "microsoft-adfs"),
            (
                ProviderKind::FederatedBroker.to_string(),
                "federated-idp-broker",
            ),
            (
                ProviderKind::parse("Some New_Kind").to_string(),
                "some-new-kind",
            ),
            (FederatedSource::Okta.to_string(), "okta"),
            (FederatedSource::EntraId.to_string(), "microsoft-entra-id"),
            (FederatedSource::PingFederate.to_string(), "ping-federate"),
            (
                IdentitySourceKind::ActiveDirectory.to_string(),
                "active-directory",
            ),
            (IdentitySourceKind::OpenLdap.to_string(), "open-ldap"),
            (
                IdentitySourceKind::SystemDomain.to_string(),
                "system-domain",
            ),
            (IdentitySourceKind::LocalOs.to_string(), "local-os"),
            ("  __x__y ".to_owned(), "x-y"),
            (String::new(), ""),
        ];
        for (kind, label) in cases {
            assert_eq!(kind_label(&kind), label, "{kind:?}");
        }
    }

    #[test]
    fn aligns_columns() {
        let text = table(
            &["ID", "NAME"],
            &[
                vec!["1".into(), "Embedded IDP".into()],
                vec!["22".into(), "x".into()],
            ],
        );
        assert_eq!(text, "ID  NAME\n1   Embedded IDP\n22  x\n");
    }

    #[test]
    fn aligns_by_visible_width_and_neutralizes_escapes() {
        let text = table(
            &["ID", "NAME"],
            &[
                vec!["\u{1b}[31m1\u{1b}[0m".into(), "東京".into()],
                vec!["22".into(), "a\u{202e}b".into()],
            ],
        );
        assert_eq!(text, "ID  NAME\n1   東京\n22  a\\u{202e}b\n");
        assert_eq!(
            fields(&[("name", "x\u{1b}]0;t\u{7}y\nz".into())]),
            "name:  xy z\n"
        );
        assert_eq!(super::terminal_safe("a\u{7}\nb\n"), "a\\u{7}\nb\n");
    }

    #[test]
    fn aligns_fields() {
        assert_eq!(
            fields(&[("id", "1".into()), ("status", "active".into())]),
            "id:      1\nstatus:  active\n"
        );
    }

    #[test]
    fn masks_all_but_a_prefix() {
        let masked = mask("eyJhbGciOiJSUzI1NiJ9.secret-part");
        assert!(masked.starts_with("eyJh…"));
        assert!(!masked.contains("secret-part"));
    }
}
