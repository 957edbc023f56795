//! The crate's error type: what is wrong with a document, a reference or a
//! request, and, for API failures, idp-client's error unchanged.

use std::fmt;

/// What went wrong reading a document, resolving a reference, or talking
/// to a target. Never holds a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The document is invalid: where, and why.
    #[error("{location}: {message}")]
    Document {
        /// The file, line and field.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// A secret or certificate reference could not be resolved.
    #[error("{field}: {message}")]
    Reference {
        /// The field holding the reference (`targets[0].password`).
        field: String,
        /// Why (the reference, never the value).
        message: String,
    },
    /// The request cannot be carried out as asked (a `context` target
    /// without a resolver, a replace that is not allowed, ...).
    #[error("{0}")]
    Usage(String),
    /// A request to a target failed: idp-client's error, unchanged (also
    /// [`Error::client_error`] and `source()`).
    #[error("{0}")]
    Client(
        #[from]
        #[source]
        idp_client::Error,
    ),
}

impl Error {
    /// The API failure, when this is one: idp-client's own error with its
    /// status, vendor error and whether the request may have been sent.
    #[must_use]
    pub fn client_error(&self) -> Option<&idp_client::Error> {
        match self {
            Self::Client(e) => Some(e),
            _ => None,
        }
    }

    /// Whether this is a problem of the input (document, references,
    /// usage) rather than of a server.
    #[must_use]
    pub fn is_usage(&self) -> bool {
        !matches!(self, Self::Client(_))
    }
}

/// Where in a document: file, line, column and field path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Location {
    /// The file (or `<input>`).
    pub file: String,
    /// The line (1-based), when known.
    pub line: Option<usize>,
    /// The column (1-based), when known.
    pub column: Option<usize>,
    /// The field path (`targets[0].url`), when known.
    pub field: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        Ok(())
    }
}
