//! An operation as the facade knows it: the spec's facts (the generated
//! operation table of `idp-api`, the one source of them) and what the spec
//! cannot say, the hint shown with a status. A leaf module: it imports
//! nothing of this crate, so the pipeline, telemetry and the clients can
//! all name operations without importing each other.

use http::{Method, StatusCode};
use idp_api::Operation;

/// An operation: its generated spec row and the status hints.
#[derive(Debug)]
pub(crate) struct Op {
    /// The operation as the spec declares it.
    pub(crate) spec: &'static Operation,
    /// What a status means for this operation, shown with the error. Each
    /// status must be one the spec declares (a test checks it).
    pub(crate) hints: &'static [(u16, &'static str)],
}

impl Op {
    /// An operation with its spec row and status hints.
    pub(crate) const fn new(
        spec: &'static Operation,
        hints: &'static [(u16, &'static str)],
    ) -> Self {
        Self { spec, hints }
    }

    /// The OpenAPI operationId.
    pub(crate) fn id(&self) -> &'static str {
        self.spec.id
    }

    pub(crate) fn method(&self) -> &'static Method {
        &self.spec.method
    }

    /// The path template (never with ids or a query).
    pub(crate) fn path(&self) -> &'static str {
        self.spec.path
    }

    pub(crate) fn hint(&self, status: StatusCode) -> Option<&'static str> {
        self.hints
            .iter()
            .find(|(code, _)| *code == status.as_u16())
            .map(|(_, hint)| *hint)
    }
}
