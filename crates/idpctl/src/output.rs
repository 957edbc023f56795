//! Printing results: readable tables and lines, or one JSON document.

use std::io::Write;

use serde::Serialize;

use crate::cli::OutputFormat;
use crate::failure::Failure;

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
            OutputFormat::Table => table(),
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
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
pub(crate) use progress;

/// Left-aligned columns with a header row.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}

/// `key: value` lines, keys aligned.
pub fn fields(pairs: &[(&str, String)]) -> String {
    // The key and its colon, so that every value starts in the same column.
    let width = pairs.iter().map(|(k, _)| k.len() + 1).max().unwrap_or(0);
    pairs
        .iter()
        .map(|(key, value)| format!("{:<width$}  {value}\n", format!("{key}:")))
        .collect()
}

/// A secret shown as its first four characters and a count, for the demo.
pub fn mask(secret: &str) -> String {
    let shown: String = secret.chars().take(4).collect();
    format!("{shown}… ({} characters, masked)", secret.chars().count())
}

#[cfg(test)]
mod tests {
    use super::{fields, mask, table};

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
