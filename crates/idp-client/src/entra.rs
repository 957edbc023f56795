//! The Microsoft Entra client: an app-only token from the Microsoft
//! identity platform (client credentials, cached until shortly before it
//! expires), then Microsoft Graph: a service principal's synchronization
//! jobs (the pre-flight read) and its synchronization secrets.

use std::fmt;
use std::time::{Duration, Instant};

use http::HeaderValue;
use idp_api::Secret;
use idp_api::msgraph::types::{SynchronizationSecretKeyStringValuePair, SynchronizationSecrets};
use idp_api::msidentity::types::ClientCredentialsRequest;
use std::sync::Arc;

use crate::ClientConfig;
use crate::auth::{self, AuthRef, sensitive_header};
use crate::config::{redact_url, without_trailing_slash};
use crate::exec;
use crate::op::Op;
use crate::{Error, RetryPolicy};

/// The login host of the global service.
pub const DEFAULT_ENTRA_LOGIN_URL: &str = "https://login.microsoftonline.com";
/// The Microsoft Graph host of the global service.
pub const DEFAULT_ENTRA_GRAPH_URL: &str = "https://graph.microsoft.com";
/// A cached app-only token is replaced this long before it expires.
const TOKEN_SKEW: Duration = Duration::from_secs(120);

const TOKEN_HINT: &str = "the tenant, client id or client secret is wrong, or the secret expired \
     (ENTRA_TENANT_ID, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET)";
const GRAPH_UNAUTHORIZED_HINT: &str = "Microsoft Graph rejected the app-only token";
const GRAPH_FORBIDDEN_HINT: &str = "the app lacks the Graph application permission Synchronization.ReadWrite.All \
     (or Application.ReadWrite.OwnedBy as an owner of the service principal), with admin consent";
const GRAPH_NOT_FOUND_HINT: &str =
    "no service principal with this object id (the Enterprise application's Object ID)";
const THROTTLED_HINT: &str = "Microsoft Graph throttled the request; wait and try again";

static REQUEST_APP_TOKEN: Op = Op {
    spec: &idp_api::msidentity::operations::REQUEST_APP_TOKEN,
    hints: &[(400, TOKEN_HINT), (401, TOKEN_HINT)],
};

static LIST_JOBS: Op = Op {
    spec: &idp_api::msgraph::operations::LIST_SYNCHRONIZATION_JOBS,
    hints: &[
        (401, GRAPH_UNAUTHORIZED_HINT),
        (403, GRAPH_FORBIDDEN_HINT),
        (404, GRAPH_NOT_FOUND_HINT),
        (429, THROTTLED_HINT),
    ],
};

static PUT_SECRETS: Op = Op {
    spec: &idp_api::msgraph::operations::PUT_SYNCHRONIZATION_SECRETS,
    hints: &[
        (401, GRAPH_UNAUTHORIZED_HINT),
        (403, GRAPH_FORBIDDEN_HINT),
        (404, GRAPH_NOT_FOUND_HINT),
        (429, THROTTLED_HINT),
    ],
};

/// Every operation of this client, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[&REQUEST_APP_TOKEN, &LIST_JOBS, &PUT_SECRETS];

/// A cached app-only token.
struct Cached {
    header: HeaderValue,
    renew_at: Instant,
}

struct Inner {
    identity: idp_api::msidentity::Client,
    graph: idp_api::msgraph::Client,
    login_url: String,
    graph_url: String,
    tenant: String,
    client_id: String,
    client_secret: Secret,
    retry: RetryPolicy,
    token: tokio::sync::Mutex<Option<Cached>>,
}

/// A client of Microsoft Graph for a service principal's synchronization,
/// authenticated as an app (client credentials).
///
/// Cheap to clone and safe to use from many tasks at once; the app-only
/// token is obtained on first use and cached until shortly before it
/// expires.
///
/// ```no_run
/// # async fn example() -> Result<(), idp_client::Error> {
/// use idp_client::{EntraClient, Secret};
///
/// let entra = EntraClient::builder("contoso.onmicrosoft.com")
///     .client_id("00001111-aaaa-2222-bbbb-3333cccc4444")
///     .client_secret("the client secret")
///     .build()?;
/// let jobs = entra.synchronization_job_count("the service principal id").await?;
/// entra
///     .put_synchronization_secrets(
///         "the service principal id",
///         "https://vcf.example.com/usergroup/t/CUSTOMER/scim/v2",
///         &Secret::new("the SCIM token"),
///     )
///     .await?;
/// # let _ = jobs;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct EntraClient {
    inner: Arc<Inner>,
}

impl EntraClient {
    /// Starts configuring a client for the directory `tenant` (its id or a
    /// domain name).
    #[must_use]
    pub fn builder(tenant: impl Into<String>) -> EntraClientBuilder {
        EntraClientBuilder {
            tenant: tenant.into(),
            login_url: DEFAULT_ENTRA_LOGIN_URL.to_owned(),
            graph_url: DEFAULT_ENTRA_GRAPH_URL.to_owned(),
            client_id: None,
            client_secret: None,
            config: ClientConfig::default(),
        }
    }

    /// The Microsoft Graph host requests go to (no trailing `/`).
    #[must_use]
    pub fn graph_url(&self) -> &str {
        &self.inner.graph_url
    }

    /// The login host tokens come from (no trailing `/`).
    #[must_use]
    pub fn login_url(&self) -> &str {
        &self.inner.login_url
    }

    /// The cached app-only token, or a new one.
    async fn authorization(&self) -> Result<HeaderValue, Error> {
        let mut cached = self.inner.token.lock().await;
        if let Some(token) = cached.as_ref()
            && Instant::now() < token.renew_at
        {
            return Ok(token.header.clone());
        }
        let body = ClientCredentialsRequest {
            client_id: self.inner.client_id.clone(),
            client_secret: self.inner.client_secret.clone(),
            scope: format!("{}/.default", self.inner.graph_url),
            grant_type: "client_credentials".to_owned(),
        };
        let api = &self.inner.identity;
        let tenant = self.inner.tenant.as_str();
        let response = exec::send(&self.inner.retry, &REQUEST_APP_TOKEN, || {
            api.request_app_token(tenant, &body)
        })
        .await?;
        let token = response.access_token.expose().trim();
        if token.is_empty() {
            return Err(Error::Decode {
                operation: REQUEST_APP_TOKEN.id(),
                status: None,
                path: "access_token".into(),
                message: "empty".into(),
            });
        }
        let header = sensitive_header(&format!("Bearer {token}"), "access token")?;
        let lifetime = response
            .expires_in
            .and_then(|s| u64::try_from(s).ok())
            .map_or(Duration::ZERO, Duration::from_secs);
        *cached = Some(Cached {
            header: header.clone(),
            renew_at: Instant::now() + lifetime.saturating_sub(TOKEN_SKEW),
        });
        Ok(header)
    }

    /// Forgets the cached token (after Graph answered 401).
    async fn forget_token(&self) {
        *self.inner.token.lock().await = None;
    }

    /// Counts the service principal's synchronization jobs
    /// (`GET /v1.0/servicePrincipals/{id}/synchronization/jobs`): the check,
    /// before a token is rotated, that the credentials work, the app has the
    /// permission and the service principal exists.
    ///
    /// # Errors
    ///
    /// The token endpoint's 400/401 (wrong tenant, client id or secret);
    /// Graph's 401, 403 (no permission), 404 (no such service principal);
    /// any [`Error`] of a request.
    pub async fn synchronization_job_count(
        &self,
        service_principal_id: &str,
    ) -> Result<usize, Error> {
        check_id(service_principal_id)?;
        let api = &self.inner.graph;
        let header = self.authorization().await?;
        let jobs = auth::execute(
            &self.inner.retry,
            AuthRef::Fixed(&header),
            &LIST_JOBS,
            || api.list_synchronization_jobs(service_principal_id),
        )
        .await;
        if jobs.as_ref().is_err_and(Error::is_unauthorized) {
            self.forget_token().await;
        }
        Ok(jobs?.value.len())
    }

    /// Saves the service principal's synchronization secrets `BaseAddress`
    /// (the SCIM URL) and `SecretToken`
    /// (`PUT /v1.0/servicePrincipals/{id}/synchronization/secrets`). A `PUT`:
    /// the client retries it on transient failures as its
    /// [`RetryPolicy`](crate::RetryPolicy) allows.
    ///
    /// # Errors
    ///
    /// As [`synchronization_job_count`](Self::synchronization_job_count).
    pub async fn put_synchronization_secrets(
        &self,
        service_principal_id: &str,
        base_address: &str,
        secret_token: &Secret,
    ) -> Result<(), Error> {
        check_id(service_principal_id)?;
        if secret_token.expose().trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "secretToken".into(),
                reason: "the token to deliver is empty".into(),
            });
        }
        let body = SynchronizationSecrets {
            value: vec![
                SynchronizationSecretKeyStringValuePair {
                    key: "BaseAddress".into(),
                    value: Secret::new(base_address.to_owned()),
                },
                SynchronizationSecretKeyStringValuePair {
                    key: "SecretToken".into(),
                    value: secret_token.clone(),
                },
            ],
        };
        let api = &self.inner.graph;
        let header = self.authorization().await?;
        let outcome = auth::execute(
            &self.inner.retry,
            AuthRef::Fixed(&header),
            &PUT_SECRETS,
            || api.put_synchronization_secrets(service_principal_id, &body),
        )
        .await;
        if outcome.as_ref().is_err_and(Error::is_unauthorized) {
            self.forget_token().await;
        }
        outcome
    }
}

fn check_id(id: &str) -> Result<(), Error> {
    let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidInput {
            field: "servicePrincipalId".into(),
            reason: "a service principal object id is a GUID (hex digits and dashes)".into(),
        })
    }
}

impl fmt::Debug for EntraClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EntraClient")
            .field("login_url", &self.inner.login_url)
            .field("graph_url", &self.inner.graph_url)
            .field("tenant", &self.inner.tenant)
            .field("client_id", &self.inner.client_id)
            .field("client_secret", &"<redacted>")
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Configures and builds an [`EntraClient`]; start with
/// [`EntraClient::builder`].
///
/// Defaults: the global service's hosts ([`DEFAULT_ENTRA_LOGIN_URL`],
/// [`DEFAULT_ENTRA_GRAPH_URL`]), connect timeout 10 s, request timeout
/// 60 s, the system's trust store,
/// [`RetryPolicy::default`](crate::RetryPolicy::default).
pub struct EntraClientBuilder {
    tenant: String,
    login_url: String,
    graph_url: String,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    config: ClientConfig,
}

impl EntraClientBuilder {
    /// The login host (a national cloud's, or a simulator's).
    #[must_use]
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = url.into();
        self
    }

    /// The Microsoft Graph host (a national cloud's, or a simulator's); the
    /// token is requested for its `/.default` scope.
    #[must_use]
    pub fn graph_url(mut self, url: impl Into<String>) -> Self {
        self.graph_url = url.into();
        self
    }

    /// The application (client) id. Required.
    #[must_use]
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The client secret. Required.
    #[must_use]
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
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
    /// loopback (unless allowed), invalid CA PEM, a missing tenant, client
    /// id or secret, or a TLS setup failure.
    pub fn build(self) -> Result<EntraClient, Error> {
        let login_url = without_trailing_slash(&self.config.base_url(&self.login_url)?);
        let graph_url = without_trailing_slash(&self.config.base_url(&self.graph_url)?);
        let tenant = self.tenant.trim().to_owned();
        if tenant.is_empty()
            || !tenant
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
        {
            return Err(Error::config(
                "the tenant is empty or not a tenant id or domain name",
            ));
        }
        let client_id = self
            .client_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| Error::config("no client id: call client_id(id)"))?;
        let client_secret = self
            .client_secret
            .filter(|s| !s.expose().trim().is_empty())
            .ok_or_else(|| Error::config("no client secret: call client_secret(secret)"))?;
        let client = self.config.build_client()?;
        let identity = idp_api::msidentity::Client::new_with_client(
            &login_url,
            client.clone(),
            self.config.request_hooks(),
        );
        let graph = idp_api::msgraph::Client::new_with_client(
            &graph_url,
            client,
            self.config.request_hooks(),
        );
        Ok(EntraClient {
            inner: Arc::new(Inner {
                identity,
                graph,
                login_url,
                graph_url,
                tenant,
                client_id: client_id.trim().to_owned(),
                client_secret,
                retry: self.config.retry,
                token: tokio::sync::Mutex::new(None),
            }),
        })
    }
}

impl fmt::Debug for EntraClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EntraClientBuilder")
            .field("tenant", &self.tenant)
            .field("login_url", &redact_url(&self.login_url))
            .field("graph_url", &redact_url(&self.graph_url))
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("config", &self.config)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let builder = EntraClient::builder("contoso.onmicrosoft.com")
            .client_id("app")
            .client_secret("s3cr3t-value");
        assert!(!format!("{builder:?}").contains("s3cr3t-value"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("s3cr3t-value"));
    }

    #[test]
    fn ids_and_tenants_are_checked() {
        assert!(check_id("6b3474d8-233e-463f-b0a3-86433d8ba889").is_ok());
        assert!(check_id("../x").is_err());
        assert!(
            EntraClient::builder("a/b")
                .client_id("x")
                .client_secret("y")
                .build()
                .is_err()
        );
        assert!(EntraClient::builder("t").client_id("x").build().is_err());
    }
}
