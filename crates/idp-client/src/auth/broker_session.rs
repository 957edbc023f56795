//! A VCF Identity Broker session: an admin bearer token from an OAuth 2.0
//! client (the broker's token endpoint, client credentials over HTTP
//! Basic) or from vCenter (a vSphere Automation session, then the tenant's
//! admin client), renewed before its `expires_in` runs out and after a 401.
//!
//! Renewals go through [`Renewing`], as for [`super::VcfSession`]:
//! concurrent callers crossing an expiry cause one renewal.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use chrono::Utc;
use http::{HeaderName, HeaderValue};
use idp_api::Secret;
use idp_api::broker::types::TokenForm;

use super::renewal::{Fresh, Renewing};
use super::{jwt, sensitive_header};
use crate::exec;
use crate::op::Op;
use crate::{Error, RetryPolicy};

pub(crate) static GET_BROKER_ACCESS_TOKEN: Op = Op {
    spec: &idp_api::broker::operations::GET_BROKER_ACCESS_TOKEN,
    hints: &[(
        401,
        "the OAuth 2.0 client id or secret was rejected (or the client lacks the client_credentials grant)",
    )],
};

pub(crate) static CREATE_VCENTER_SESSION: Op = Op {
    spec: &idp_api::vcenter::operations::CREATE_VCENTER_SESSION,
    hints: &[(401, "the vCenter user name or password was rejected")],
};

pub(crate) static GET_BROKER_TENANT_ADMIN_CLIENT: Op = Op {
    spec: &idp_api::vcenter::operations::GET_BROKER_TENANT_ADMIN_CLIENT,
    hints: &[
        (
            403,
            "the vCenter user lacks the VcIdentityProviders.Manage privilege",
        ),
        (
            404,
            "vCenter owns no broker tenant with this name (the default is CUSTOMER)",
        ),
    ],
};

pub(crate) static DELETE_VCENTER_SESSION: Op = Op {
    spec: &idp_api::vcenter::operations::DELETE_VCENTER_SESSION,
    hints: &[(
        401,
        "vCenter no longer knows the session (it may have timed out already)",
    )],
};

/// Every operation of the session, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[
    &GET_BROKER_ACCESS_TOKEN,
    &CREATE_VCENTER_SESSION,
    &GET_BROKER_TENANT_ADMIN_CLIENT,
    &DELETE_VCENTER_SESSION,
];

/// How a session gets its admin token.
pub(crate) enum BrokerCredentials {
    /// An OAuth 2.0 client of the broker (client credentials grant).
    OAuthClient {
        /// The client id.
        client_id: String,
        /// The client secret.
        secret: Secret,
    },
    /// A vCenter user with `VcIdentityProviders.Manage`.
    Vcenter {
        /// The vCenter user name.
        username: String,
        /// Its password.
        password: Secret,
    },
}

/// A session with the broker.
pub(crate) struct BrokerSession {
    broker: idp_api::broker::Client,
    vcenter: idp_api::vcenter::Client,
    tenant: String,
    retry: RetryPolicy,
    credentials: BrokerCredentials,
    tokens: Renewing<()>,
}

impl BrokerSession {
    pub(crate) fn new(
        broker: idp_api::broker::Client,
        vcenter: idp_api::vcenter::Client,
        tenant: String,
        retry: RetryPolicy,
        credentials: BrokerCredentials,
        skew: Duration,
    ) -> Self {
        Self {
            broker,
            vcenter,
            tenant,
            retry,
            credentials,
            tokens: Renewing::new(skew, ()),
        }
    }

    /// The `Authorization` value to send now and its generation; gets a new
    /// token first when there is none or it is about to expire.
    pub(crate) async fn authorization(&self) -> Result<(HeaderValue, u64), Error> {
        self.tokens
            .authorization(async |()| self.obtain().await)
            .await
    }

    /// Gets a new token after a request sent with `generation`'s token got
    /// a 401, unless another caller has renewed since.
    pub(crate) async fn renew_after_unauthorized(&self, generation: u64) -> Result<(), Error> {
        self.tokens
            .renew_after_unauthorized(generation, async |()| self.obtain().await)
            .await
    }

    /// A new admin token, with its expiry from `expires_in` (or else the
    /// JWT's `exp`).
    async fn obtain(&self) -> Result<Fresh, Error> {
        let (token, expires_in) = match &self.credentials {
            BrokerCredentials::OAuthClient { client_id, secret } => {
                self.client_credentials(client_id, secret).await?
            }
            BrokerCredentials::Vcenter { username, password } => {
                self.admin_client(username, password).await?
            }
        };
        let token = token.expose().trim().to_owned();
        if token.is_empty() {
            return Err(Error::Decode {
                operation: GET_BROKER_ACCESS_TOKEN.id(),
                status: None,
                path: "access_token".into(),
                message: "empty".into(),
            });
        }
        let expires_at = expires_in
            .filter(|seconds| *seconds > 0)
            .and_then(chrono::Duration::try_seconds)
            .and_then(|lifetime| Utc::now().checked_add_signed(lifetime))
            .or_else(|| jwt::expiry(&token));
        tracing::debug!("broker admin token obtained");
        Ok(Fresh {
            token: Secret::new(token),
            expires_at,
        })
    }

    async fn client_credentials(
        &self,
        client_id: &str,
        secret: &Secret,
    ) -> Result<(Secret, Option<i64>), Error> {
        let basic = basic_header(client_id, secret)?;
        let form = TokenForm {
            grant_type: "client_credentials".into(),
            scope: None,
        };
        let token = exec::send(&self.retry, &GET_BROKER_ACCESS_TOKEN, || {
            exec::with_authorization(
                basic.clone(),
                self.broker.get_broker_access_token(&self.tenant, &form),
            )
        })
        .await?;
        Ok((token.access_token, token.expires_in))
    }

    /// The tenant admin client's token through a vCenter session: create
    /// the session, read the token, end the session (see
    /// [`Self::end_vcenter_session`]).
    async fn admin_client(
        &self,
        username: &str,
        password: &Secret,
    ) -> Result<(Secret, Option<i64>), Error> {
        let basic = basic_header(username, password)?;
        let session = exec::send(&self.retry, &CREATE_VCENTER_SESSION, || {
            exec::with_authorization(basic.clone(), self.vcenter.create_vcenter_session())
        })
        .await?;
        let mut session =
            HeaderValue::from_str(session.0.expose().trim()).map_err(|_| Error::Decode {
                operation: CREATE_VCENTER_SESSION.id(),
                status: None,
                path: String::new(),
                message: "the session id is not a valid header value".into(),
            })?;
        session.set_sensitive(true);
        let info = exec::send(&self.retry, &GET_BROKER_TENANT_ADMIN_CLIENT, || {
            exec::with_header(
                session_header(),
                session.clone(),
                self.vcenter.get_broker_tenant_admin_client(&self.tenant),
            )
        })
        .await;
        self.end_vcenter_session(&session).await;
        let info = info?;
        Ok((info.access_token, info.expires_in))
    }

    /// Ends the vCenter session (`DELETE /api/session`) once the admin
    /// token has been read, or could not be: the session exists only for
    /// that one read, and an open session holds a vCenter session slot
    /// until its idle timeout. This runs after every admin-token fetch,
    /// the first one and each renewal.
    ///
    /// A failure to end it is logged as a warning (the error, which holds
    /// no secret; never the session id) and not returned: the caller asked
    /// for a broker operation, which the admin token in hand serves, and
    /// vCenter ends an abandoned session on its own. Like every `DELETE`,
    /// it is retried only when the request never left.
    async fn end_vcenter_session(&self, session: &HeaderValue) {
        let ended = exec::send(&self.retry, &DELETE_VCENTER_SESSION, || {
            exec::with_header(
                session_header(),
                session.clone(),
                self.vcenter.delete_vcenter_session(),
            )
        })
        .await;
        if let Err(error) = ended {
            tracing::warn!(
                error = %error,
                "ending the vCenter session failed; vCenter ends it at its idle timeout"
            );
        }
    }
}

/// The vSphere Automation API's session header.
fn session_header() -> HeaderName {
    HeaderName::from_static("vmware-api-session-id")
}

/// `Basic base64(user:secret)`, marked sensitive.
pub(crate) fn basic_header(user: &str, secret: &Secret) -> Result<HeaderValue, Error> {
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", secret.expose()));
    sensitive_header(&format!("Basic {encoded}"), "credentials")
}

impl fmt::Debug for BrokerSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = match &self.credentials {
            BrokerCredentials::OAuthClient { .. } => "oauth-client",
            BrokerCredentials::Vcenter { .. } => "vcenter",
        };
        f.debug_struct("BrokerSession")
            .field("tenant", &self.tenant)
            .field("credentials", &how)
            .field("skew", &self.tokens.skew())
            .finish_non_exhaustive()
    }
}
