//! A VCF Identity Broker session: an admin bearer token from an OAuth 2.0
//! client (the broker's token endpoint, client credentials over HTTP
//! Basic) or from vCenter (a vSphere Automation session, then the tenant's
//! admin client), renewed before its `expires_in` runs out and after a 401.
//!
//! Renewals are serialized by one `tokio` mutex with a generation counter,
//! as in [`super::VcfSession`]: concurrent callers crossing an expiry cause
//! one renewal.

use std::fmt;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use http::{HeaderName, HeaderValue};
use idp_api::Secret;
use idp_api::broker::types::TokenForm;

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

/// Every operation of the session, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[
    &GET_BROKER_ACCESS_TOKEN,
    &CREATE_VCENTER_SESSION,
    &GET_BROKER_TENANT_ADMIN_CLIENT,
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
    skew: Duration,
    renewal: tokio::sync::Mutex<u64>,
    current: RwLock<Option<Current>>,
}

#[derive(Clone)]
struct Current {
    header: HeaderValue,
    /// When to renew proactively: expiry minus the skew; `None` when the
    /// answer gave no lifetime and the token is no readable JWT.
    renew_at: Option<DateTime<Utc>>,
    generation: u64,
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
            skew,
            renewal: tokio::sync::Mutex::new(0),
            current: RwLock::new(None),
        }
    }

    fn snapshot(&self) -> Option<Current> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The `Authorization` value to send now and its generation; gets a new
    /// token first when there is none or it is about to expire.
    pub(crate) async fn authorization(&self) -> Result<(HeaderValue, u64), Error> {
        let seen = self.snapshot();
        if let Some(current) = &seen
            && current.renew_at.is_none_or(|at| Utc::now() < at)
        {
            return Ok((current.header.clone(), current.generation));
        }
        let mut generation = self.renewal.lock().await;
        if let Some(current) = self.snapshot()
            && seen.as_ref().map(|s| s.generation) != Some(current.generation)
        {
            return Ok((current.header, current.generation));
        }
        let current = self.renew(&mut generation).await?;
        Ok((current.header, current.generation))
    }

    /// Gets a new token after a request sent with `generation`'s token got
    /// a 401, unless another caller has renewed since.
    pub(crate) async fn renew_after_unauthorized(&self, generation: u64) -> Result<(), Error> {
        let mut current_generation = self.renewal.lock().await;
        if *current_generation != generation {
            return Ok(());
        }
        self.renew(&mut current_generation).await.map(|_| ())
    }

    async fn renew(&self, generation: &mut u64) -> Result<Current, Error> {
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
        let header = sensitive_header(&format!("Bearer {token}"), "access token")?;
        let skew = chrono::Duration::from_std(self.skew).unwrap_or(chrono::Duration::MAX);
        let expires_at = expires_in
            .filter(|seconds| *seconds > 0)
            .and_then(chrono::Duration::try_seconds)
            .and_then(|lifetime| Utc::now().checked_add_signed(lifetime))
            .or_else(|| jwt::expiry(&token));
        *generation += 1;
        let current = Current {
            header,
            renew_at: expires_at.map(|at| {
                at.checked_sub_signed(skew)
                    .unwrap_or(DateTime::<Utc>::MIN_UTC)
            }),
            generation: *generation,
        };
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(current.clone());
        tracing::debug!("broker admin token obtained");
        Ok(current)
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
        let session =
            HeaderValue::from_str(session.0.expose().trim()).map_err(|_| Error::Decode {
                operation: CREATE_VCENTER_SESSION.id(),
                status: None,
                path: String::new(),
                message: "the session id is not a valid header value".into(),
            })?;
        let name = HeaderName::from_static("vmware-api-session-id");
        let info = exec::send(&self.retry, &GET_BROKER_TENANT_ADMIN_CLIENT, || {
            exec::with_header(
                name.clone(),
                session.clone(),
                self.vcenter.get_broker_tenant_admin_client(&self.tenant),
            )
        })
        .await?;
        Ok((info.access_token, info.expires_in))
    }
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
            .field("skew", &self.skew)
            .finish_non_exhaustive()
    }
}
