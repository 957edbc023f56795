//! [`Client`]: a service principal's synchronization jobs and secrets.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use idp_api::Secret;
use progenitor_client::ResponseValue;

use super::builder::ClientBuilder;
use super::models::{synchronization_secrets, validate_credentials_request};
use super::ops::{LIST_JOBS, PUT_SECRETS, VALIDATE_CREDENTIALS};
use crate::Error;
use crate::auth::{self, AuthRef, ClientCredentials};
use crate::runtime::exec::{ErrorBody, Received};
use crate::runtime::op::Op;
use crate::runtime::retry::RetryPolicy;

pub(super) struct Inner {
    pub(super) graph: idp_api::msgraph::Client,
    pub(super) login_url: String,
    pub(super) graph_url: String,
    pub(super) tenant: String,
    pub(super) client_id: String,
    pub(super) retry: RetryPolicy,
    /// The app-only token.
    pub(super) token: ClientCredentials,
}

/// A client of Microsoft Graph for a service principal's synchronization,
/// authenticated as an app (client credentials).
///
/// Cheap to clone and safe to use from many tasks at once. The app-only
/// token is obtained on first use and shared by all of them (one token
/// request however many wait); it is renewed shortly before it expires,
/// and once when Graph answers 401, after which the call is replayed once.
///
/// ```no_run
/// # async fn example() -> Result<(), idp_client::Error> {
/// use idp_client::{Secret, entra};
///
/// let entra = entra::Client::builder("contoso.onmicrosoft.com")
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
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

impl Client {
    /// Starts configuring a client for the directory `tenant` (its id or a
    /// domain name).
    #[must_use]
    pub fn builder(tenant: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(tenant)
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

    async fn run<X, E, F, Fut>(&self, op: &'static Op, call: F) -> Result<X::Value, Error>
    where
        X: Received,
        E: ErrorBody,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<E>>>,
    {
        auth::execute(
            &self.inner.retry,
            AuthRef::Grant(&self.inner.token),
            op,
            call,
        )
        .await
    }

    /// Counts the service principal's synchronization jobs
    /// (`GET /v1.0/servicePrincipals/{id}/synchronization/jobs`): the check,
    /// before a token is rotated, that the credentials work, the app has the
    /// permission and the service principal exists.
    ///
    /// # Errors
    ///
    /// The token endpoint's 400/401 (wrong tenant, client id or secret);
    /// Graph's 401 (also after a new token), 403 (no permission), 404 (no
    /// such service principal); any [`Error`] of a request.
    pub async fn synchronization_job_count(
        &self,
        service_principal_id: &str,
    ) -> Result<usize, Error> {
        check_id(service_principal_id)?;
        let api = &self.inner.graph;
        let jobs = self
            .run(&LIST_JOBS, || {
                api.list_synchronization_jobs(service_principal_id)
            })
            .await?;
        Ok(jobs.value.len())
    }

    /// Saves the service principal's synchronization secrets `BaseAddress`
    /// (the SCIM URL) and `SecretToken`
    /// (`PUT /v1.0/servicePrincipals/{id}/synchronization/secrets`).
    /// Saving the same secrets twice has the same result, so the client
    /// retries it on transient failures as its
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
        let body = synchronization_secrets(base_address, secret_token);
        let api = &self.inner.graph;
        self.run(&PUT_SECRETS, || {
            api.put_synchronization_secrets(service_principal_id, &body)
        })
        .await
    }

    /// Asks Entra to test `base_address` and `secret_token` against the
    /// target system, as the admin center's "Test Connection" does: the
    /// service principal's first synchronization job's
    /// `POST .../synchronization/jobs/{jobId}/validateCredentials`.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] with 400 when the SCIM endpoint refused the
    /// credentials (or Entra could not reach it); [`Error::InvalidInput`]
    /// for an empty token or a service principal without a synchronization
    /// job; otherwise as
    /// [`synchronization_job_count`](Self::synchronization_job_count).
    pub async fn validate_synchronization_credentials(
        &self,
        service_principal_id: &str,
        base_address: &str,
        secret_token: &Secret,
    ) -> Result<(), Error> {
        check_id(service_principal_id)?;
        if secret_token.expose().trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "secretToken".into(),
                reason: "the token to validate is empty".into(),
            });
        }
        let api = &self.inner.graph;
        let jobs = self
            .run(&LIST_JOBS, || {
                api.list_synchronization_jobs(service_principal_id)
            })
            .await?;
        let Some(job_id) = jobs.value.into_iter().find_map(|job| job.id) else {
            return Err(Error::InvalidInput {
                field: "servicePrincipalId".into(),
                reason: "the service principal has no synchronization job to validate credentials with (configure provisioning first)".into(),
            });
        };
        let body = validate_credentials_request(base_address, secret_token);
        self.run(&VALIDATE_CREDENTIALS, || {
            api.validate_synchronization_credentials(service_principal_id, &job_id, &body)
        })
        .await
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

impl fmt::Debug for Client {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let builder = Client::builder("contoso.onmicrosoft.com")
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
            Client::builder("a/b")
                .client_id("x")
                .client_secret("y")
                .build()
                .is_err()
        );
        assert!(Client::builder("t").client_id("x").build().is_err());
    }
}
