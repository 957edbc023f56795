//! The Okta client: an app's default provisioning connection, read before a
//! token is rotated and set to deliver the new one.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use http::HeaderValue;
use idp_api::Secret;
use idp_api::okta::types::{
    OktaError, ProvisioningConnectionTokenAuthScheme, ProvisioningConnectionTokenRequest,
    ProvisioningConnectionTokenRequestProfile,
};
use progenitor_client::ResponseValue;
use serde::Serialize;

use crate::ClientConfig;
use crate::auth::{self, AuthRef, scheme_header};
use crate::config::{redact_url, without_trailing_slash};
use crate::exec::Received;
use crate::models::FromWire;
use crate::op::Op;
use crate::{Error, RetryPolicy};

const UNAUTHORIZED_HINT: &str = "the Okta API token is missing, invalid, expired or revoked \
     (an API token is sent as `SSWS <token>`, an OAuth access token as `Bearer <token>`)";
const FORBIDDEN_HINT: &str = "the token lacks the permission to manage the app (an API token of an admin, or okta.apps.manage)";
const NOT_FOUND_HINT: &str =
    "no app with this id in this Okta org (the id is in the app's Admin Console URL, 0oa...)";
const RATE_LIMIT_HINT: &str = "Okta's rate limit was reached; wait and try again";

static GET_CONNECTION: Op = Op {
    spec: &idp_api::okta::operations::GET_DEFAULT_PROVISIONING_CONNECTION_FOR_APPLICATION,
    hints: &[
        (401, UNAUTHORIZED_HINT),
        (403, FORBIDDEN_HINT),
        (404, NOT_FOUND_HINT),
        (429, RATE_LIMIT_HINT),
    ],
};

static SET_CONNECTION: Op = Op {
    spec: &idp_api::okta::operations::UPDATE_DEFAULT_PROVISIONING_CONNECTION_FOR_APPLICATION,
    hints: &[
        (
            400,
            "Okta refused the connection: the app may not support a token-based provisioning connection set through the API",
        ),
        (401, UNAUTHORIZED_HINT),
        (403, FORBIDDEN_HINT),
        (404, NOT_FOUND_HINT),
        (429, RATE_LIMIT_HINT),
    ],
};

/// Every operation of this client, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[&GET_CONNECTION, &SET_CONNECTION];

/// An app's default provisioning connection as Okta answers it (Okta never
/// returns the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProvisioningConnection {
    /// `TOKEN`, `OAUTH2` or `UNKNOWN`, as served (from `profile.authScheme`).
    pub auth_scheme: String,
    /// `ENABLED`, `DISABLED` or `UNKNOWN` (provisioning not supported).
    pub status: String,
    /// The base URL the app provisions to, when Okta reports one.
    pub base_url: Option<String>,
}

impl ProvisioningConnection {
    /// Whether the connection is active (`ENABLED`).
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        self.status.eq_ignore_ascii_case("ENABLED")
    }
}

impl FromWire<idp_api::okta::types::ProvisioningConnection> for ProvisioningConnection {
    fn from_wire(wire: idp_api::okta::types::ProvisioningConnection) -> Self {
        Self {
            auth_scheme: wire.profile.auth_scheme,
            status: wire.status,
            base_url: wire.base_url,
        }
    }
}

struct Inner {
    api: idp_api::okta::Client,
    base_url: String,
    retry: RetryPolicy,
    authorization: HeaderValue,
}

/// A client of Okta's management API, for an app's default provisioning
/// connection.
///
/// Cheap to clone and safe to use from many tasks at once.
///
/// ```no_run
/// # async fn example() -> Result<(), idp_client::Error> {
/// use idp_client::{OktaClient, Secret};
///
/// let okta = OktaClient::builder("https://example.okta.com")
///     .api_token("00abc...")
///     .build()?;
/// let connection = okta.default_provisioning_connection("0oa1gjh63g214q0Hq0g4").await?;
/// println!("provisioning: {}", connection.status);
/// okta.set_default_provisioning_connection(
///     "0oa1gjh63g214q0Hq0g4",
///     "https://vcf.example.com/usergroup/t/CUSTOMER/scim/v2",
///     &Secret::new("the SCIM token"),
/// )
/// .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct OktaClient {
    inner: Arc<Inner>,
}

impl OktaClient {
    /// Starts configuring a client for the Okta org at `org_url`
    /// (`https://example.okta.com`; a trailing `/` is dropped).
    #[must_use]
    pub fn builder(org_url: impl Into<String>) -> OktaClientBuilder {
        OktaClientBuilder {
            base_url: org_url.into(),
            config: ClientConfig::default(),
            credential: None,
        }
    }

    /// The org URL requests go to (no trailing `/`).
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    async fn run<X, F, Fut>(&self, op: &'static Op, call: F) -> Result<X::Value, Error>
    where
        X: Received,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<OktaError>>>,
    {
        auth::execute(
            &self.inner.retry,
            AuthRef::Fixed(&self.inner.authorization),
            op,
            call,
        )
        .await
    }

    /// Reads an app's default provisioning connection
    /// (`GET /api/v1/apps/{appId}/connections/default`): the check that the
    /// credentials work and the app exists before a token is rotated.
    ///
    /// # Errors
    ///
    /// 401 (bad token), 403 (no permission), 404 (no such app), any
    /// [`Error`] of a request.
    pub async fn default_provisioning_connection(
        &self,
        app_id: &str,
    ) -> Result<ProvisioningConnection, Error> {
        check_app_id(app_id)?;
        let api = &self.inner.api;
        let wire = self
            .run(&GET_CONNECTION, || {
                api.get_default_provisioning_connection_for_application(app_id)
            })
            .await?;
        Ok(ProvisioningConnection::from_wire(wire))
    }

    /// Sets an app's default provisioning connection to the token scheme with
    /// `token` and `base_url` (the SCIM URL), and activates it
    /// (`POST /api/v1/apps/{appId}/connections/default?activate=true`).
    ///
    /// Setting the same connection twice gives the same result, so the
    /// caller may repeat a failed call; the client itself does not retry a
    /// `POST`.
    ///
    /// # Errors
    ///
    /// As [`default_provisioning_connection`](Self::default_provisioning_connection),
    /// and 400 when Okta refuses the connection.
    pub async fn set_default_provisioning_connection(
        &self,
        app_id: &str,
        base_url: &str,
        token: &Secret,
    ) -> Result<ProvisioningConnection, Error> {
        check_app_id(app_id)?;
        if token.expose().trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "token".into(),
                reason: "the token to deliver is empty".into(),
            });
        }
        let body = ProvisioningConnectionTokenRequest {
            base_url: Some(base_url.to_owned()),
            profile: ProvisioningConnectionTokenRequestProfile {
                auth_scheme: ProvisioningConnectionTokenAuthScheme::Token,
                token: token.clone(),
            },
        };
        let api = &self.inner.api;
        let wire = self
            .run(&SET_CONNECTION, || {
                api.update_default_provisioning_connection_for_application(
                    app_id,
                    Some(true),
                    &body,
                )
            })
            .await?;
        Ok(ProvisioningConnection::from_wire(wire))
    }
}

fn check_app_id(app_id: &str) -> Result<(), Error> {
    let valid = !app_id.is_empty() && app_id.chars().all(|c| c.is_ascii_alphanumeric());
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidInput {
            field: "appId".into(),
            reason: "an Okta app id is letters and digits (0oa...)".into(),
        })
    }
}

impl fmt::Debug for OktaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OktaClient")
            .field("base_url", &self.inner.base_url)
            .field("credential", &"<redacted>")
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// The two ways Okta accepts a credential.
enum Credential {
    /// An API token: `Authorization: SSWS <token>`.
    ApiToken(Secret),
    /// An OAuth 2.0 access token: `Authorization: Bearer <token>`.
    AccessToken(Secret),
}

/// Configures and builds an [`OktaClient`]; start with
/// [`OktaClient::builder`].
///
/// Defaults: connect timeout 10 s, request timeout 60 s, the system's trust
/// store, [`RetryPolicy::default`](crate::RetryPolicy::default).
pub struct OktaClientBuilder {
    base_url: String,
    config: ClientConfig,
    credential: Option<Credential>,
}

impl OktaClientBuilder {
    /// An Okta API token, sent as `Authorization: SSWS <token>` (an `SSWS `
    /// prefix in the value is accepted). This or
    /// [`access_token`](Self::access_token) is required.
    #[must_use]
    pub fn api_token(mut self, token: impl Into<Secret>) -> Self {
        self.credential = Some(Credential::ApiToken(token.into()));
        self
    }

    /// An OAuth 2.0 access token (scopes `okta.apps.read` and
    /// `okta.apps.manage`), sent as `Authorization: Bearer <token>` (a
    /// `Bearer ` prefix in the value is accepted).
    #[must_use]
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.credential = Some(Credential::AccessToken(token.into()));
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
    /// [`Error::Config`] for an invalid URL, `http://` to a host that is not
    /// loopback (unless allowed), invalid CA PEM, a missing or empty token,
    /// or a TLS setup failure.
    pub fn build(self) -> Result<OktaClient, Error> {
        let url = self.config.base_url(&self.base_url)?;
        let base_url = without_trailing_slash(&url);
        let (scheme, token) = match &self.credential {
            Some(Credential::ApiToken(token)) => ("SSWS", token),
            Some(Credential::AccessToken(token)) => ("Bearer", token),
            None => {
                return Err(Error::config(
                    "no Okta credential: call api_token(token) or access_token(token)",
                ));
            }
        };
        let authorization = scheme_header(scheme, token, "Okta token")?;
        let client = self.config.build_client()?;
        let api =
            idp_api::okta::Client::new_with_client(&base_url, client, self.config.request_hooks());
        Ok(OktaClient {
            inner: Arc::new(Inner {
                api,
                base_url,
                retry: self.config.retry,
                authorization,
            }),
        })
    }
}

impl fmt::Debug for OktaClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credential = match &self.credential {
            Some(Credential::ApiToken(_)) => Some("SSWS <redacted>"),
            Some(Credential::AccessToken(_)) => Some("Bearer <redacted>"),
            None => None,
        };
        f.debug_struct("OktaClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("credential", &credential)
            .field("config", &self.config)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let builder = OktaClient::builder("https://example.okta.com").api_token("00secret-token");
        assert!(!format!("{builder:?}").contains("00secret-token"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("00secret-token"));
    }

    #[test]
    fn app_ids_are_checked_before_anything_is_sent() {
        assert!(check_app_id("0oa1gjh63g214q0Hq0g4").is_ok());
        for bad in ["", "../x", "0oa 1", "0oa/1"] {
            assert!(check_app_id(bad).is_err(), "{bad}");
        }
    }
}
