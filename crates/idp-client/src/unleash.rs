//! The Unleash (Enterprise) SCIM settings client.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use http::HeaderValue;
use idp_api::Secret;
use idp_api::unleash::types::{ScimSettingsUpdate, UnleashError};
use progenitor_client::ResponseValue;

use crate::ClientConfig;
use crate::auth::{self, AuthRef, sensitive_header, strip_scheme};
use crate::config::{redact_url, without_trailing_slash};
use crate::exec::Received;
use crate::op::Op;
use crate::{Error, RetryPolicy, ScimSettings, ScimToken};

const NOT_FOUND_HINT: &str = "SCIM needs Unleash Enterprise: open-source Unleash has no SCIM \
     routes (or the base URL is wrong: it is everything before /api, e.g. https://host/unleash)";
const UNAUTHORIZED_HINT: &str =
    "the API token is missing or invalid (an admin API token is sent as is, without Bearer)";
const FORBIDDEN_HINT: &str = "the API token lacks the permission to manage SCIM settings";

static GET_SCIM_SETTINGS: Op = Op {
    spec: &idp_api::unleash::operations::GET_SCIM_SETTINGS,
    hints: &[
        (404, NOT_FOUND_HINT),
        (401, UNAUTHORIZED_HINT),
        (403, FORBIDDEN_HINT),
    ],
};

static SET_SCIM_SETTINGS: Op = Op {
    spec: &idp_api::unleash::operations::SET_SCIM_SETTINGS,
    hints: &[
        (404, NOT_FOUND_HINT),
        (401, UNAUTHORIZED_HINT),
        (403, FORBIDDEN_HINT),
    ],
};

static GENERATE_SCIM_TOKEN: Op = Op {
    spec: &idp_api::unleash::operations::GENERATE_SCIM_TOKEN,
    hints: &[
        (404, NOT_FOUND_HINT),
        (401, UNAUTHORIZED_HINT),
        (403, FORBIDDEN_HINT),
    ],
};

struct Inner {
    api: idp_api::unleash::Client,
    base_url: String,
    retry: RetryPolicy,
    authorization: HeaderValue,
}

/// Every operation of this client, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[&GET_SCIM_SETTINGS, &SET_SCIM_SETTINGS, &GENERATE_SCIM_TOKEN];

/// A client of the Unleash SCIM settings API.
///
/// Cheap to clone and safe to use from many tasks at once.
///
/// ```no_run
/// # async fn example() -> Result<(), idp_client::Error> {
/// use idp_client::UnleashClient;
///
/// let unleash = UnleashClient::builder("https://unleash.example.com/unleash")
///     .api_token("*:*.admin-token")
///     .build()?;
/// let settings = unleash.scim_settings().await?;
/// println!("SCIM enabled: {}", settings.enabled);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct UnleashClient {
    inner: Arc<Inner>,
}

impl UnleashClient {
    /// Starts configuring a client for the Unleash server at `base_url`:
    /// everything before `/api`, possibly with a sub-path
    /// (`https://host/unleash`). A trailing `/` or `/api` is dropped.
    #[must_use]
    pub fn builder(base_url: impl Into<String>) -> UnleashClientBuilder {
        UnleashClientBuilder {
            base_url: base_url.into(),
            config: ClientConfig::default(),
            api_token: None,
        }
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

/// The new token of a generate response.
pub(crate) fn scim_token(token: idp_api::unleash::types::ScimToken) -> Result<ScimToken, Error> {
    if token.token.expose().trim().is_empty() {
        return Err(Error::Decode {
            operation: GENERATE_SCIM_TOKEN.id(),
            status: None,
            path: "token".into(),
            message: "empty".into(),
        });
    }
    Ok(ScimToken { token: token.token })
}

/// The settings of a read response. `enabled` is required (also when it
/// was left out because it could not be read); `hasToken` left out reads
/// `false`.
pub(crate) fn scim_settings(
    settings: idp_api::unleash::types::ScimSettings,
) -> Result<ScimSettings, Error> {
    let Some(enabled) = settings.enabled else {
        // Reading a missing `enabled` as `false` would report SCIM off
        // whenever a proxy answers 200 with `{}` or nothing at all.
        return Err(Error::Decode {
            operation: GET_SCIM_SETTINGS.id(),
            status: None,
            path: "enabled".into(),
            message: "missing or unreadable: the answer does not say whether SCIM is enabled"
                .into(),
        });
    };
    Ok(ScimSettings {
        enabled,
        has_token: settings.has_token.unwrap_or(false),
    })
}

impl fmt::Debug for UnleashClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnleashClient")
            .field("base_url", &self.inner.base_url)
            .field("api_token", &"<redacted>")
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Configures and builds an [`UnleashClient`]; start with
/// [`UnleashClient::builder`].
///
/// Defaults: connect timeout 10 s, request timeout 60 s, the system's trust
/// store, [`RetryPolicy::default`](crate::RetryPolicy::default).
pub struct UnleashClientBuilder {
    base_url: String,
    config: ClientConfig,
    api_token: Option<Secret>,
}

impl UnleashClientBuilder {
    /// The admin API token, sent as is in `Authorization` (a `Bearer `
    /// prefix is removed: only newer servers accept it). Required.
    #[must_use]
    pub fn api_token(mut self, token: impl Into<Secret>) -> Self {
        self.api_token = Some(token.into());
        self
    }

    /// The transport settings: timeouts, trusted CAs, the insecure
    /// opt-out, plain HTTP, `User-Agent`, response bound and retry policy
    /// (default [`ClientConfig::default`]). One [`ClientConfig`] serves any
    /// number of clients.
    #[must_use]
    pub fn config(mut self, config: &ClientConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Builds the client. Nothing is sent yet.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an invalid base URL, `http://` to a host that is
    /// not loopback (unless allowed), invalid CA PEM, a missing or empty API
    /// token, or a TLS setup failure.
    pub fn build(self) -> Result<UnleashClient, Error> {
        let url = self.config.base_url(&self.base_url)?;
        let mut base_url = without_trailing_slash(&url);
        if base_url.len() >= 4 && base_url[base_url.len() - 4..].eq_ignore_ascii_case("/api") {
            base_url.truncate(base_url.len() - 4);
            base_url = base_url.trim_end_matches('/').to_owned();
        }
        let token = self
            .api_token
            .ok_or_else(|| Error::config("no API token: call api_token(token)"))?;
        let token = strip_scheme(token.expose(), "Bearer");
        if token.is_empty() {
            return Err(Error::config("the API token is empty"));
        }
        let authorization = sensitive_header(token, "API token")?;
        let client = self.config.build_client()?;
        let api = idp_api::unleash::Client::new_with_client(
            &base_url,
            client,
            self.config.request_hooks(),
        );
        Ok(UnleashClient {
            inner: Arc::new(Inner {
                api,
                base_url,
                retry: self.config.retry,
                authorization,
            }),
        })
    }
}

impl fmt::Debug for UnleashClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnleashClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("api_token", &self.api_token.as_ref().map(|_| "<redacted>"))
            .field("config", &self.config)
            .finish()
    }
}
