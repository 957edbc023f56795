//! One `tracing` span per operation.
//!
//! The span `idp_client.operation` carries `operation` (the OpenAPI
//! operationId), `method`, `path` (the template, e.g.
//! `/v1/identity-providers/{id}`: never a query string), and, as they
//! become known, `attempt`, `status`, `elapsed_ms` and `error`. Nothing
//! recorded is ever a secret: no header, no body, no query.

use std::time::Instant;

use tracing::Span;
use tracing::field::Empty;

use crate::Error;
use crate::runtime::op::Op;

pub(crate) fn operation_span(op: &Op) -> Span {
    tracing::info_span!(
        "idp_client.operation",
        operation = op.id(),
        method = %op.method(),
        path = op.path(),
        attempt = Empty,
        status = Empty,
        elapsed_ms = Empty,
        error = Empty,
    )
}

pub(crate) fn finish(span: &Span, started: Instant, error: Option<&Error>) {
    let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    span.record("elapsed_ms", elapsed);
    match error {
        None => tracing::debug!(elapsed_ms = elapsed, "operation succeeded"),
        Some(error) => {
            span.record("error", tracing::field::display(error));
            tracing::debug!(elapsed_ms = elapsed, error = %error, "operation failed");
        }
    }
}
