//! [`Client`]: the SCIM settings and token.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use http::HeaderValue;
use idp_api::unleash::types::{ScimSettingsUpdate, UnleashError};
use progenitor_client::ResponseValue;

use super::builder::ClientBuilder;
use super::models::{ScimSettings, ScimToken, scim_settings, scim_token};
use super::ops::{GENERATE_SCIM_TOKEN, GET_SCIM_SETTINGS, SET_SCIM_SETTINGS};
use crate::Error;
use crate::auth::{self, AuthRef};
use crate::runtime::exec::Received;
use crate::runtime::op::Op;
use crate::runtime::retry::RetryPolicy;

pub(super) struct Inner {
    pub(super) api: idp_api::unleash::Client,
    pub(super) base_url: String,
    pub(super) retry: RetryPolicy,
    pub(super) authorization: HeaderValue,
}

/// A client of the Unleash SCIM settings API.
///
/// Cheap to clone and safe to use from many tasks at once.
///
/// ```no_run
/// # async fn example() -> Result<(), idp_client::Error> {
/// use idp_client::unleash;
///
/// let unleash = unleash::Client::builder("https://unleash.example.com/unleash")
///     .api_token("*:*.admin-token")
///     .build()?;
/// let settings = unleash.scim_settings().await?;
/// println!("SCIM enabled: {}", settings.enabled);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

impl Client {
    /// Starts configuring a client for the Unleash server at `base_url`:
    /// everything before `/api`, possibly with a sub-path
    /// (`https://host/unleash`). A trailing `/` or `/api` is dropped.
    #[must_use]
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// The base URL requests go to (no trailing `/`, no `/api`).
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    async fn run<X, F, Fut>(&self, op: &'static Op, call: F) -> Result<X::Value, Error>
    where
        X: Received,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<UnleashError>>>,
    {
        auth::execute(
            &self.inner.retry,
            AuthRef::Fixed(&self.inner.authorization),
            op,
            call,
        )
        .await
    }

    /// Generates a new SCIM API token
    /// (`POST /api/admin/scim-settings/generate-new-token`). The previous
    /// token is revoked at once. Never retried.
    ///
    /// # Errors
    ///
    /// A 404 means SCIM needs Unleash Enterprise (or the base URL is wrong);
    /// any [`Error`] of a request.
    pub async fn generate_scim_token(&self) -> Result<ScimToken, Error> {
        let api = &self.inner.api;
        let token = self
            .run(&GENERATE_SCIM_TOKEN, || api.generate_scim_token())
            .await?;
        scim_token(token)
    }

    /// Reads the SCIM settings (`GET /api/admin/scim-settings`).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the answer has no `enabled` (an empty body,
    /// `{}`); otherwise as [`generate_scim_token`](Self::generate_scim_token).
    pub async fn scim_settings(&self) -> Result<ScimSettings, Error> {
        let api = &self.inner.api;
        let settings = self
            .run(&GET_SCIM_SETTINGS, || api.get_scim_settings())
            .await?;
        scim_settings(settings)
    }

    /// Turns SCIM provisioning on or off (`POST /api/admin/scim-settings`).
    ///
    /// # Errors
    ///
    /// As [`generate_scim_token`](Self::generate_scim_token).
    pub async fn set_scim_settings(&self, enabled: bool) -> Result<(), Error> {
        let api = &self.inner.api;
        let body = ScimSettingsUpdate { enabled };
        self.run(&SET_SCIM_SETTINGS, || api.set_scim_settings(&body))
            .await
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnleashClient")
            .field("base_url", &self.inner.base_url)
            .field("api_token", &"<redacted>")
            .field("retry", &self.inner.retry)
            .finish()
    }
}
