//! The request hook every generated client of this crate carries, and the
//! task-local state it reads and writes: the `Authorization` value a caller
//! stamps ([`with_authorization`]) and what one attempt saw of the response.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use http::header::{AUTHORIZATION, RETRY_AFTER};
use http::{HeaderValue, StatusCode};
use idp_api::PrepareRequest;

tokio::task_local! {
    /// The `Authorization` value for the requests of this future.
    static STAMP: HeaderValue;
    /// The attempt being made by this task.
    static ATTEMPT: Arc<AttemptContext>;
}

/// Runs `future` with `authorization` stamped on every request it sends.
pub(crate) async fn with_authorization<F: Future>(
    authorization: HeaderValue,
    future: F,
) -> F::Output {
    STAMP.scope(authorization, future).await
}

/// What one attempt saw.
#[derive(Default)]
pub(super) struct AttemptContext {
    state: Mutex<AttemptState>,
}

#[derive(Default)]
pub(super) struct AttemptState {
    /// Whether the request was built and handed to the transport.
    pub(super) prepared: bool,
    pub(super) status: Option<StatusCode>,
    pub(super) retry_after: Option<HeaderValue>,
}

impl AttemptContext {
    pub(super) fn state(&self) -> MutexGuard<'_, AttemptState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `future` (one attempt) with this context.
    pub(super) async fn scope<F: Future>(self: &Arc<Self>, future: F) -> F::Output {
        ATTEMPT.scope(Arc::clone(self), future).await
    }
}

/// The hook every generated client of this crate carries.
#[derive(Debug, Default)]
pub(crate) struct Hook;

impl PrepareRequest for Hook {
    fn prepare(&self, request: &mut reqwest::Request, _operation_id: &'static str) {
        let _ = ATTEMPT.try_with(|attempt| attempt.state().prepared = true);
        let _ = STAMP.try_with(|value| {
            let mut value = value.clone();
            value.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, value);
        });
    }

    fn observe(
        &self,
        result: Result<&reqwest::Response, &reqwest::Error>,
        _operation_id: &'static str,
    ) {
        if let Ok(response) = result {
            let _ = ATTEMPT.try_with(|attempt| {
                let mut state = attempt.state();
                state.status = Some(response.status());
                state.retry_after = response.headers().get(RETRY_AFTER).cloned();
            });
        }
    }
}
