//! An operation as the facade knows it. A leaf module: it imports nothing
//! of this crate, so the pipeline, telemetry and the clients can all name
//! operations without importing each other.

use http::{Method, StatusCode};

/// An operation: what the spec says of it, and what a status means for it.
#[derive(Debug)]
pub(crate) struct Op {
    /// The OpenAPI operationId.
    pub(crate) id: &'static str,
    pub(crate) method: Method,
    /// The path template (never with ids or a query).
    pub(crate) path: &'static str,
    /// What a status means for this operation, shown with the error.
    pub(crate) hints: &'static [(u16, &'static str)],
}

impl Op {
    pub(crate) fn hint(&self, status: StatusCode) -> Option<&'static str> {
        self.hints
            .iter()
            .find(|(code, _)| *code == status.as_u16())
            .map(|(_, hint)| *hint)
    }
}
