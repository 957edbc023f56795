//! [`Client`]: vCenter sessions and the broker tenant admin client.

use std::fmt;
use std::sync::Arc;

use http::{HeaderName, HeaderValue};
use idp_api::Secret;

use super::builder::ClientBuilder;
use super::models::TenantAdminToken;
use super::ops::{CREATE_VCENTER_SESSION, DELETE_VCENTER_SESSION, GET_BROKER_TENANT_ADMIN_CLIENT};
use crate::Error;
use crate::auth::{basic_header, expires_at};
use crate::runtime::exec;
use crate::runtime::input::path_segment;
use crate::runtime::retry::RetryPolicy;

struct Inner {
    api: idp_api::vcenter::Client,
    base_url: String,
    retry: RetryPolicy,
    username: String,
    /// `Basic` of the user name and password, for creating a session.
    basic: HeaderValue,
}

/// A client of vCenter's session API and its Identity Broker admin-client
/// call, as a user with `VcIdentityProviders.Manage`.
///
/// Cheap to clone and safe to use from many tasks at once.
///
/// ```no_run
/// # async fn example() -> Result<(), idp_client::Error> {
/// use idp_client::vcenter;
///
/// let vc = vcenter::Client::builder("https://vcenter.example.com")
///     .credentials("administrator@vsphere.local", "password")
///     .build()?;
/// let admin = vc.tenant_admin_token("CUSTOMER").await?;
/// println!("expires at {:?}", admin.expires_at);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl Client {
    /// Starts configuring a client for the vCenter at `base_url`
    /// (`https://vcenter.example.com`).
    #[must_use]
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// A client over an existing generated client (the broker's, sharing
    /// its connection pool).
    pub(crate) fn from_parts(
        api: idp_api::vcenter::Client,
        base_url: String,
        retry: RetryPolicy,
        username: &str,
        password: &Secret,
    ) -> Result<Self, Error> {
        Ok(Self {
            inner: Arc::new(Inner {
                api,
                base_url,
                retry,
                username: username.to_owned(),
                basic: basic_header(username, password)?,
            }),
        })
    }

    /// The base URL requests go to (no trailing `/`).
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The admin client token of the broker tenant `tenant`: creates a
    /// session (`POST /api/session`), reads the token
    /// (`GET /api/vcenter/identity/broker/tenants/{tenant}/admin-client`),
    /// and ends the session (`DELETE /api/session`) whether or not the
    /// read succeeded: the session exists only for that read, and an open
    /// one holds a vCenter session slot until its idle timeout.
    ///
    /// A failure to end the session is logged as a warning (the error,
    /// which holds no secret; never the session id) and not returned:
    /// the token in hand serves the caller, and vCenter ends an abandoned
    /// session on its own. Like every `DELETE`, it is retried only when the
    /// request never left.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a tenant that cannot be a path segment;
    /// 401 (user name or password rejected), 403 (no
    /// `VcIdentityProviders.Manage`), 404 (no such tenant); any [`Error`]
    /// of a request.
    pub async fn tenant_admin_token(&self, tenant: &str) -> Result<TenantAdminToken, Error> {
        path_segment("tenant", tenant)?;
        let inner = &*self.inner;
        let session = exec::send(&inner.retry, &CREATE_VCENTER_SESSION, || {
            exec::with_authorization(inner.basic.clone(), inner.api.create_vcenter_session())
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
        let info = exec::send(&inner.retry, &GET_BROKER_TENANT_ADMIN_CLIENT, || {
            exec::with_header(
                session_header(),
                session.clone(),
                inner.api.get_broker_tenant_admin_client(tenant),
            )
        })
        .await;
        self.end_session(&session).await;
        let info = info?;
        Ok(TenantAdminToken {
            access_token: info.access_token,
            expires_at: expires_at(info.expires_in),
        })
    }

    async fn end_session(&self, session: &HeaderValue) {
        let inner = &*self.inner;
        let ended = exec::send(&inner.retry, &DELETE_VCENTER_SESSION, || {
            exec::with_header(
                session_header(),
                session.clone(),
                inner.api.delete_vcenter_session(),
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

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VcenterClient")
            .field("base_url", &self.inner.base_url)
            .field("username", &self.inner.username)
            .field("password", &"<redacted>")
            .field("retry", &self.inner.retry)
            .finish()
    }
}
