//! The request hook every generated client of this crate carries, and the
//! task-local state it reads and writes: the `Authorization` value a caller
//! stamps ([`with_authorization`]) and what one attempt saw of the response.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderName, HeaderValue, StatusCode};
use idp_api::PrepareRequest;

tokio::task_local! {
    /// The `Authorization` value for the requests of this future.
    static STAMP: HeaderValue;
    /// The attempt being made by this task.
    static ATTEMPT: Arc<AttemptContext>;
    /// The media types of the requests of this future (vendor types the
    /// generated code cannot declare: it knows only `application/json`).
    static MEDIA: MediaTypes;
    /// A credential header other than `Authorization` (vCenter's
    /// `vmware-api-session-id`).
    static EXTRA: (HeaderName, HeaderValue);
}

/// The media types an operation sends and accepts, when they are not the
/// `application/json` the generated code writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MediaTypes {
    /// `Content-Type` of a request body.
    pub(crate) request: Option<&'static str>,
    /// `Accept` (and the expected `Content-Type` of the answer).
    pub(crate) response: Option<&'static str>,
}

/// Runs `future` with `media` stamped on every request it sends: the
/// request type replaces the `Content-Type` of a request that has a body,
/// the response type is sent as `Accept`.
pub(crate) async fn with_media<F: Future>(media: MediaTypes, future: F) -> F::Output {
    MEDIA.scope(media, future).await
}

/// Runs `future` with the (sensitive) header `name: value` on every request
/// it sends.
pub(crate) async fn with_header<F: Future>(
    name: HeaderName,
    mut value: HeaderValue,
    future: F,
) -> F::Output {
    value.set_sensitive(true);
    EXTRA.scope((name, value), future).await
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
        let _ = EXTRA.try_with(|(name, value)| {
            request.headers_mut().insert(name.clone(), value.clone());
        });
        let _ = MEDIA.try_with(|media| {
            if let Some(kind) = media.request
                && request.body().is_some()
            {
                request
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static(kind));
            }
            if let Some(kind) = media.response {
                request
                    .headers_mut()
                    .insert(ACCEPT, HeaderValue::from_static(kind));
            }
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
