//! The request pipeline, one way: [`send`] runs an operation (one tracing
//! span, retries as the policy allows, the mapping of every progenitor
//! error) and knows nothing of credentials. Authentication sits on top of
//! it ([`crate::auth::execute`]) and stamps the `Authorization` header with
//! [`with_authorization`].

mod hook;
mod received;
mod settle;

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use progenitor_client::ResponseValue;
use tracing::{Instrument, Span};

pub(crate) use hook::{Hook, MediaTypes, with_authorization, with_header, with_media};
#[cfg(test)]
pub(crate) use received::RECEIVED_JSON;
pub(crate) use received::{ErrorBody, Received};
#[cfg(feature = "fuzzing")]
pub(crate) use settle::typed_error;

use crate::Error;
use crate::runtime::op::Op;
use crate::runtime::retry::RetryPolicy;
use crate::runtime::telemetry;

/// Sends one operation: `call` makes one attempt; failures are retried as
/// `retry` allows; the outcome is mapped to a value or an [`Error`], all
/// inside one tracing span.
pub(crate) async fn send<X, E, F, Fut>(
    retry: &RetryPolicy,
    op: &'static Op,
    call: F,
) -> Result<X::Value, Error>
where
    X: Received,
    E: ErrorBody,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<E>>>,
{
    traced(op, |span| async move {
        let mut attempts = Attempts::new(span);
        attempts.run(retry, op, call).await
    })
    .await
}

/// Runs `body` inside the operation's span and records how it ended. The
/// span is handed to `body` so attempts can record on it.
pub(crate) async fn traced<T, B, Fut>(op: &'static Op, body: B) -> Result<T, Error>
where
    B: FnOnce(Span) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let span = telemetry::operation_span(op);
    let record = span.clone();
    async move {
        let started = Instant::now();
        let outcome = body(record.clone()).await;
        telemetry::finish(&record, started, outcome.as_ref().err());
        outcome
    }
    .instrument(span)
    .await
}

/// The attempts of one operation, counted across retries (and across the
/// replay after a 401, which runs a second series on the same counter).
pub(crate) struct Attempts {
    span: Span,
    /// Requests sent, for the span.
    sends: u32,
    /// Attempts counted against the retry policy.
    attempts: u32,
}

impl Attempts {
    pub(crate) fn new(span: Span) -> Self {
        Self {
            span,
            sends: 0,
            attempts: 0,
        }
    }

    /// Takes back the last attempt from the retry budget: it was rejected
    /// with a 401 and is replayed with renewed credentials, not retried.
    pub(crate) fn replaying(&mut self) {
        self.attempts = self.attempts.saturating_sub(1);
    }

    /// Sends until success, a failure the policy does not retry, or the
    /// policy's attempts are used up.
    pub(crate) async fn run<X, E, F, Fut>(
        &mut self,
        retry: &RetryPolicy,
        op: &'static Op,
        mut call: F,
    ) -> Result<X::Value, Error>
    where
        X: Received,
        E: ErrorBody,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<E>>>,
    {
        loop {
            self.sends += 1;
            self.attempts += 1;
            let attempts = self.attempts;
            self.span.record("attempt", self.sends);
            let context = Arc::new(hook::AttemptContext::default());
            let result = context.scope(call()).await;
            let (prepared, status, retry_after) = {
                let mut state = context.state();
                (state.prepared, state.status, state.retry_after.take())
            };
            if let Some(status) = status {
                self.span.record("status", status.as_u16());
            }
            let error =
                match settle::settle::<X, E>(op, result, prepared, status, retry_after).await {
                    Ok(value) => return Ok(value),
                    Err(error) => error,
                };
            if !retry.should_retry(op, &error, attempts) {
                return Err(error);
            }
            let delay = retry.delay(attempts, error.retry_after());
            tracing::debug!(
                attempt = self.sends,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "transient failure, retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }
}
