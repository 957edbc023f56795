//! An operation as the facade knows it: the spec's facts (the generated
//! operation table of `idp-api`, the one source of them) and what the spec
//! cannot say: the hint shown with a status, and whether sending it twice
//! does no more than sending it once (which decides its retries with the
//! method, see [`Op::repeat`]). A leaf module: it imports
//! nothing of this crate, so the pipeline, telemetry and the clients can
//! all name operations without importing each other.

use http::{Method, StatusCode};
use idp_api::Operation;

/// An operation: its generated spec row and the facade's hints.
#[derive(Debug)]
pub(crate) struct Op {
    /// The operation as the spec declares it.
    pub(crate) spec: &'static Operation,
    /// What a status means for this operation, shown with the error. Each
    /// status must be one the spec declares (a test checks it).
    pub(crate) hints: &'static [(u16, &'static str)],
    /// Sending it again has no further effect, whatever its method.
    idempotent: bool,
}

/// When an operation that failed transiently may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// On any transient failure: reads, and operations marked idempotent.
    Transient,
    /// Only when the request certainly never left (`PUT`, `PATCH`,
    /// `DELETE`): a second delete may answer 404, a second patch may act
    /// on a changed object.
    IfUnsent,
    /// Never (`POST`): a repeated token generation invalidates the token
    /// the caller never saw, a repeated add creates a duplicate.
    Never,
}

impl Op {
    /// An operation with its spec row and status hints.
    pub(crate) const fn new(
        spec: &'static Operation,
        hints: &'static [(u16, &'static str)],
    ) -> Self {
        Self {
            spec,
            hints,
            idempotent: false,
        }
    }

    /// This operation, marked as one that may be sent again after any
    /// transient failure: sending it twice has the same result as once.
    pub(crate) const fn idempotent(self) -> Self {
        Self {
            idempotent: true,
            ..self
        }
    }

    /// When a transient failure may be repeated: from the method, unless
    /// the operation is marked idempotent.
    pub(crate) fn repeat(&self) -> Repeat {
        let method = self.method();
        if self.idempotent
            || *method == Method::GET
            || *method == Method::HEAD
            || *method == Method::OPTIONS
        {
            Repeat::Transient
        } else if *method == Method::POST {
            Repeat::Never
        } else {
            Repeat::IfUnsent
        }
    }

    /// The OpenAPI operationId.
    pub(crate) const fn id(&self) -> &'static str {
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
