//! [`Client`]: an app's default provisioning connection.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use http::HeaderValue;
use idp_api::Secret;
use idp_api::okta::types::OktaError;
use progenitor_client::ResponseValue;

use super::builder::ClientBuilder;
use super::models::{ProvisioningConnection, token_connection};
use super::ops::{GET_CONNECTION, SET_CONNECTION};
use crate::Error;
use crate::auth::{self, AuthRef};
use crate::runtime::FromWire;
use crate::runtime::exec::Received;
use crate::runtime::op::Op;
use crate::runtime::retry::RetryPolicy;

pub(super) struct Inner {
    pub(super) api: idp_api::okta::Client,
    pub(super) base_url: String,
    pub(super) retry: RetryPolicy,
    pub(super) authorization: HeaderValue,
}

/// A client of Okta's management API, for an app's default provisioning
/// connection.
///
/// Cheap to clone and safe to use from many tasks at once.
///
/// ```no_run
/// # async fn example() -> Result<(), idp_client::Error> {
/// use idp_client::{Secret, okta};
///
/// let okta = okta::Client::builder("https://example.okta.com")
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
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

impl Client {
    /// Starts configuring a client for the Okta org at `org_url`
    /// (`https://example.okta.com`; a trailing `/` is dropped).
    #[must_use]
    pub fn builder(org_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(org_url)
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
    /// Setting the same connection twice gives the same result, so, unlike
    /// other `POST`s, the client retries it on transient failures as its
    /// [`RetryPolicy`](crate::RetryPolicy) allows.
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
        let body = token_connection(base_url, token);
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

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OktaClient")
            .field("base_url", &self.inner.base_url)
            .field("credential", &"<redacted>")
            .field("retry", &self.inner.retry)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let builder = Client::builder("https://example.okta.com").api_token("00secret-token");
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
