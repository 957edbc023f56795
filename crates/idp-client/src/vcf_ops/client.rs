//! The operations of VCF Operations' fleet identity (IAM) API.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use progenitor_client::ResponseValue;

use super::builder::ClientBuilder;
use super::models::SsoRealm;
use super::ops::{GET_SSO_REALM, GET_SSO_REALM_LIST};
use crate::Error;
use crate::auth::{self, AuthRef, OpsSession};
use crate::runtime::FromWire;
use crate::runtime::exec::Received;
use crate::runtime::input::path_segment;
use crate::runtime::op::Op;
use crate::runtime::retry::RetryPolicy;

/// How a client authenticates.
pub(crate) enum OpsAuth {
    /// A fixed `Authorization` value (`Bearer ...`, `OpsToken ...`).
    Fixed(HeaderValue),
    /// An `OpsToken` acquired from a user name and password.
    Session(Box<OpsSession>),
}

/// How often a task is polled.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TaskPolling {
    pub(crate) initial: Duration,
    pub(crate) max: Duration,
}

impl Default for TaskPolling {
    fn default() -> Self {
        Self {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(10),
        }
    }
}

pub(super) struct Inner {
    pub(super) api: idp_api::vcf_ops::Client,
    base_url: String,
    retry: RetryPolicy,
    auth: OpsAuth,
    pub(super) task_timeout: Duration,
    pub(super) polling: TaskPolling,
}

/// Releases a still-held `OpsToken` when the last clone goes, without
/// blocking: on the Tokio runtime the client is dropped on, if any (a
/// runtime shutting down may not run it; call [`Client::close`] to be
/// sure).
impl Drop for Inner {
    fn drop(&mut self) {
        let OpsAuth::Session(session) = &self.auth else {
            return;
        };
        let Some(header) = session.held_header() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let api = self.api.clone();
        let retry = self.retry.clone();
        runtime.spawn(async move {
            if let Err(error) = super::auth::release(api, retry, header).await {
                tracing::debug!(error = %error, "releasing the OpsToken on drop failed");
            }
        });
    }
}

/// A client of VCF Operations' fleet identity API (VCF 9.1): SSO realms,
/// identity providers, SCIM sync clients, LDAP directories, role
/// assignments, users and groups, roles, API tokens, OAuth apps and the
/// tasks some changes run as.
///
/// Cheap to clone (clones share the connection pool and the token) and
/// safe to use from many tasks at once.
///
/// ```no_run
/// # async fn example() -> Result<(), idp_client::Error> {
/// use idp_client::vcf_ops;
///
/// let ops = vcf_ops::Client::builder("https://ops.example.com")
///     .credentials("admin", "password")
///     .build()?;
/// for realm in ops.list_realms().await? {
///     println!("{} {:?}", realm.id, realm.name);
/// }
/// ops.close().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

impl Client {
    /// Starts configuring a client for the VCF Operations appliance at
    /// `base_url` (`https://ops.example.com`; every path starts with
    /// `/suite-api`).
    #[must_use]
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    pub(crate) fn from_parts(
        api: idp_api::vcf_ops::Client,
        base_url: String,
        retry: RetryPolicy,
        auth: OpsAuth,
        task_timeout: Duration,
        polling: TaskPolling,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                api,
                base_url,
                retry,
                auth,
                task_timeout,
                polling,
            }),
        }
    }

    /// The base URL requests go to (no trailing `/`).
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// How long operations that answer with a task wait for it.
    #[must_use]
    pub fn task_timeout(&self) -> Duration {
        self.inner.task_timeout
    }

    fn auth(&self) -> AuthRef<'_> {
        match &self.inner.auth {
            OpsAuth::Fixed(header) => AuthRef::Fixed(header),
            OpsAuth::Session(session) => AuthRef::Ops(session),
        }
    }

    pub(super) async fn run<X, F, Fut>(&self, op: &'static Op, call: F) -> Result<X::Value, Error>
    where
        X: Received,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<()>>>,
    {
        auth::execute(&self.inner.retry, self.auth(), op, call).await
    }

    /// Releases the `OpsToken` this client acquired
    /// (`POST /suite-api/api/auth/token/release`) and forgets it; a later
    /// call acquires a new one. Does nothing for a fixed token or when none
    /// is held.
    ///
    /// # Errors
    ///
    /// Any [`Error`] of the request (the token is forgotten anyway).
    pub async fn close(&self) -> Result<(), Error> {
        match &self.inner.auth {
            OpsAuth::Fixed(_) => Ok(()),
            OpsAuth::Session(session) => session.release().await,
        }
    }

    // ---- SSO realms ----

    /// Lists the SSO realms, one per VCF instance
    /// (`GET .../iam/ssorealms`).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn list_realms(&self) -> Result<Vec<SsoRealm>, Error> {
        let api = &self.inner.api;
        let list = self
            .run(&GET_SSO_REALM_LIST, || api.get_sso_realm_list())
            .await?;
        Ok(list
            .sso_realms
            .into_iter()
            .map(SsoRealm::from_wire)
            .collect())
    }

    /// Reads one SSO realm (`GET .../iam/ssorealms/{ssoRealmId}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an id that cannot be a path segment; a
    /// 404 ([`Error::is_not_found`]) when there is no such realm.
    pub async fn get_realm(&self, realm_id: &str) -> Result<SsoRealm, Error> {
        path_segment("ssoRealmId", realm_id)?;
        let api = &self.inner.api;
        let realm = self
            .run(&GET_SSO_REALM, || api.get_sso_realm(realm_id))
            .await?;
        Ok(SsoRealm::from_wire(realm))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("VcfOpsClient");
        s.field("base_url", &self.inner.base_url);
        match &self.inner.auth {
            OpsAuth::Fixed(_) => s.field("auth", &"fixed token <redacted>"),
            OpsAuth::Session(session) => s.field("auth", session),
        };
        s.field("task_timeout", &self.inner.task_timeout).finish()
    }
}
