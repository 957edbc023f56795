//! The operations of the SDDC Manager identity providers API.

use std::fmt;
use std::future::Future;
use std::num::NonZeroU64;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use http::HeaderValue;
use idp_api::vcf::types::{SyncClientTokenInfo, VcfError};
use progenitor_client::ResponseValue;

use super::builder::ClientBuilder;
use super::models::{BrokerPrecheck, IdentityProvider, SyncClientToken, resolve_expiry};
use super::ops::*;
use super::specs::{IdentityProviderSpec, IdentitySourceSpec};
use crate::Error;
use crate::auth::{self, AuthRef, VcfSession};
use crate::runtime::FromWire;
use crate::runtime::exec::Received;
use crate::runtime::input::path_segment;
use crate::runtime::op::Op;
use crate::runtime::retry::RetryPolicy;

/// How a client authenticates.
pub(crate) enum VcfAuth {
    /// A fixed `Authorization: Bearer ...` value.
    Bearer(HeaderValue),
    /// A session from a user name and password.
    Session(Box<VcfSession>),
}

struct Inner {
    api: idp_api::vcf::Client,
    base_url: String,
    retry: RetryPolicy,
    auth: VcfAuth,
    /// The roles as last listed: grants name roles, the server takes ids.
    roles: std::sync::Mutex<Option<Vec<super::models::Role>>>,
}

/// A client of SDDC Manager's identity providers API.
///
/// Cheap to clone (clones share the connection pool and the session) and
/// safe to use from many tasks at once.
///
/// ```no_run
/// # async fn example() -> Result<(), idp_client::Error> {
/// use idp_client::vcf;
///
/// let vcf = vcf::Client::builder("https://sddc.example.com")
///     .credentials("administrator@vsphere.local", "password")
///     .build()?;
/// for provider in vcf.list_identity_providers().await? {
///     println!("{} {} {:?}", provider.id, provider.name, provider.status);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl Client {
    /// Starts configuring a client for the SDDC Manager at `base_url`
    /// (`https://sddc.example.com`; a path prefix is kept).
    #[must_use]
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    pub(crate) fn from_parts(
        api: idp_api::vcf::Client,
        base_url: String,
        retry: RetryPolicy,
        auth: VcfAuth,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                api,
                base_url,
                retry,
                auth,
                roles: std::sync::Mutex::new(None),
            }),
        }
    }

    /// The base URL requests go to (no trailing `/`).
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    fn auth(&self) -> AuthRef<'_> {
        match &self.inner.auth {
            VcfAuth::Bearer(header) => AuthRef::Fixed(header),
            VcfAuth::Session(session) => AuthRef::Session(session),
        }
    }

    pub(super) fn api(&self) -> &idp_api::vcf::Client {
        &self.inner.api
    }

    pub(super) fn cached_roles(&self) -> Option<Vec<super::models::Role>> {
        self.inner
            .roles
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub(super) fn cache_roles(&self, roles: &[super::models::Role]) {
        *self
            .inner
            .roles
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(roles.to_vec());
    }

    pub(super) async fn run<X, F, Fut>(&self, op: &'static Op, call: F) -> Result<X::Value, Error>
    where
        X: Received,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<VcfError>>>,
    {
        auth::execute(&self.inner.retry, self.auth(), op, call).await
    }

    /// Lists the identity providers: the embedded one and the external one,
    /// if any (`GET /v1/identity-providers`).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn list_identity_providers(&self) -> Result<Vec<IdentityProvider>, Error> {
        let api = &self.inner.api;
        let page = self
            .run(&GET_IDENTITY_PROVIDERS, || api.get_identity_providers())
            .await?;
        Ok(page
            .elements
            .into_iter()
            .map(IdentityProvider::from_wire)
            .collect())
    }

    /// Reads one identity provider (`GET /v1/identity-providers/{id}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an id that cannot be a path segment; a
    /// 404 ([`Error::is_not_found`]) when there is no such provider;
    /// [`Error::Decode`] when the answer holds no provider id (an empty
    /// body, `{}`).
    pub async fn get_identity_provider(&self, id: &str) -> Result<IdentityProvider, Error> {
        path_segment("id", id)?;
        let api = &self.inner.api;
        let provider = IdentityProvider::from_wire(
            self.run(&GET_IDENTITY_PROVIDER_BY_ID, || {
                api.get_identity_provider_by_id(id)
            })
            .await?,
        );
        if provider.id.trim().is_empty() {
            // An empty body or `{}` (tolerated as "no fields") is no provider.
            return Err(Error::Decode {
                operation: GET_IDENTITY_PROVIDER_BY_ID.id(),
                status: None,
                path: "id".into(),
                message: "missing or empty".into(),
            });
        }
        Ok(provider)
    }

    /// Adds an external identity provider (`POST /v1/identity-providers`)
    /// and returns its id.
    ///
    /// Servers answer with the id as bare text, as a JSON string, or with no
    /// body; then the new provider is found by its name (`fedIdpSpec.name`
    /// for a federated broker, else `name`), compared without regard to
    /// case. Never retried: a retry could create a duplicate.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the spec has no type or no name;
    /// [`Error::IdUnknown`] when the add succeeded but the id could not be
    /// learned (the provider exists: list the providers to find it); any
    /// [`Error`] of a request.
    pub async fn add_external_identity_provider(
        &self,
        spec: &IdentityProviderSpec,
    ) -> Result<String, Error> {
        let wire = spec.wire();
        if wire.type_.trim().is_empty() {
            return Err(Error::invalid_input("type", "is required"));
        }
        let name = wire
            .fed_idp_spec
            .as_ref()
            .and_then(|f| f.name.clone())
            .or_else(|| wire.name.clone())
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                Error::invalid_input(
                    if wire.fed_idp_spec.is_some() {
                        "fedIdpSpec.name"
                    } else {
                        "name"
                    },
                    "is required",
                )
            })?;
        // Listed before the POST: if the answer carries no id, the new
        // provider is the external one that was not there before. A failed
        // listing does not stop the add; names are the fallback then.
        let before = self
            .list_identity_providers()
            .await
            .inspect_err(
                |error| tracing::debug!(error = %error, "listing providers before the add failed"),
            )
            .ok();
        if let Some(id) = self
            .add_external_identity_provider_without_lookup(spec)
            .await?
        {
            return Ok(id);
        }
        tracing::debug!("the add answered without an id; comparing the providers before and after");
        let after = self.list_identity_providers().await.map_err(|error| {
            tracing::warn!(error = %error, "listing providers to learn the new id failed");
            Error::IdUnknown {
                operation: ADD_EXTERNAL_IDENTITY_PROVIDER.id(),
                name: name.clone(),
                candidates: Vec::new(),
            }
        })?;
        let mut names = super::new_id::spec_names(spec);
        names.retain(|n| n != &name);
        names.insert(0, name);
        super::new_id::identify(before.as_deref(), &after, &names).map_err(|u| Error::IdUnknown {
            operation: ADD_EXTERNAL_IDENTITY_PROVIDER.id(),
            name: u.name,
            candidates: u.candidates,
        })
    }

    /// Adds an external identity provider with exactly one `POST` and
    /// nothing else: the new id when the server answered with it (VCF 5.x),
    /// `None` when it did not (VCF 9 answers 201 without a body).
    /// [`add_external_identity_provider`](Self::add_external_identity_provider)
    /// always learns the id, at the cost of listing the providers first.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the spec has no type; any [`Error`] of
    /// the request.
    pub async fn add_external_identity_provider_without_lookup(
        &self,
        spec: &IdentityProviderSpec,
    ) -> Result<Option<String>, Error> {
        let spec = spec.wire();
        if spec.type_.trim().is_empty() {
            return Err(Error::invalid_input("type", "is required"));
        }
        let api = &self.inner.api;
        let body = self
            .run(&ADD_EXTERNAL_IDENTITY_PROVIDER, || {
                api.add_external_identity_provider(spec)
            })
            .await?;
        Ok(id_from_body(&body))
    }

    /// Replaces the configuration of an external identity provider
    /// (`PATCH /v1/identity-providers/{id}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of a request.
    pub async fn update_external_identity_provider(
        &self,
        id: &str,
        spec: &IdentityProviderSpec,
    ) -> Result<(), Error> {
        let spec = spec.wire();
        path_segment("id", id)?;
        if spec.type_.trim().is_empty() {
            return Err(Error::invalid_input("type", "is required"));
        }
        let api = &self.inner.api;
        self.run(&UPDATE_EXTERNAL_IDENTITY_PROVIDER, || {
            api.update_external_identity_provider(id, spec)
        })
        .await
    }

    /// Deletes an external identity provider; the embedded one becomes
    /// active again (`DELETE /v1/identity-providers/{id}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of a request.
    pub async fn delete_external_identity_provider(&self, id: &str) -> Result<(), Error> {
        path_segment("id", id)?;
        let api = &self.inner.api;
        self.run(&DELETE_EXTERNAL_IDENTITY_PROVIDER, || {
            api.delete_external_identity_provider(id)
        })
        .await
    }

    /// Adds an identity source to the embedded provider `provider_id`
    /// (`POST /v1/identity-providers/{id}/identity-sources`). Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id or an empty name; any [`Error`]
    /// of a request.
    pub async fn add_embedded_identity_source(
        &self,
        provider_id: &str,
        spec: &IdentitySourceSpec,
    ) -> Result<(), Error> {
        let spec = spec.wire();
        path_segment("id", provider_id)?;
        if spec.name.trim().is_empty() {
            return Err(Error::invalid_input("name", "is required"));
        }
        let api = &self.inner.api;
        self.run(&ADD_EMBEDDED_IDENTITY_SOURCE, || {
            api.add_embedded_identity_source(provider_id, spec)
        })
        .await
        .map(|_| ())
    }

    /// Replaces the identity source with `domain_name` (sent as one
    /// percent-encoded path segment)
    /// (`PATCH /v1/identity-providers/{id}/identity-sources/{domainName}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id or domain name, `.`, `..`, a
    /// backslash or control characters; any [`Error`] of a request.
    pub async fn update_embedded_identity_source(
        &self,
        provider_id: &str,
        domain_name: &str,
        spec: &IdentitySourceSpec,
    ) -> Result<(), Error> {
        let spec = spec.wire();
        path_segment("id", provider_id)?;
        path_segment("domainName", domain_name)?;
        let api = &self.inner.api;
        self.run(&UPDATE_EMBEDDED_IDENTITY_SOURCE, || {
            api.update_embedded_identity_source(provider_id, domain_name, spec)
        })
        .await
    }

    /// Deletes the identity source with `domain_name` (sent as one
    /// percent-encoded path segment)
    /// (`DELETE /v1/identity-providers/{id}/identity-sources/{domainName}`).
    ///
    /// # Errors
    ///
    /// As [`update_embedded_identity_source`](Self::update_embedded_identity_source).
    pub async fn delete_identity_source(
        &self,
        provider_id: &str,
        domain_name: &str,
    ) -> Result<(), Error> {
        path_segment("id", provider_id)?;
        path_segment("domainName", domain_name)?;
        let api = &self.inner.api;
        self.run(&DELETE_IDENTITY_SOURCE, || {
            api.delete_identity_source(provider_id, domain_name)
        })
        .await
    }

    /// Generates a new SCIM sync client token for the federated provider
    /// `provider_id` (`POST /v1/identity-providers/{id}/sync-client`); the
    /// previous token stops working. `ttl` is sent as
    /// `syncClientTokenTTL` (whole seconds; VCF 5.2 and later), `None` for
    /// the server's default. Never retried: a retry would invalidate a
    /// token the caller never saw.
    ///
    /// See [`SyncClientToken`] for how the expiry is read.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id or a TTL under one second;
    /// [`Error::Decode`] when the response has no token; any [`Error`] of a
    /// request.
    pub async fn generate_sync_client_token(
        &self,
        provider_id: &str,
        ttl: Option<Duration>,
    ) -> Result<SyncClientToken, Error> {
        path_segment("id", provider_id)?;
        let ttl = match ttl {
            None => None,
            Some(ttl) => Some(NonZeroU64::new(ttl.as_secs()).ok_or_else(|| {
                Error::invalid_input("syncClientTokenTTL", "must be at least one second")
            })?),
        };
        let api = &self.inner.api;
        let info = self
            .run(&GENERATE_SYNC_CLIENT_TOKEN, || {
                api.generate_sync_client_token(provider_id, ttl)
            })
            .await?;
        sync_client_token(info, Utc::now())
    }

    /// Runs the checks to do before configuring a federated broker
    /// (`GET /v1/identity-broker/prechecks`).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn identity_broker_prechecks(&self) -> Result<BrokerPrecheck, Error> {
        self.prechecks(None).await
    }

    /// Runs only the prechecks of `precheck_type` (`GET
    /// /v1/identity-broker/prechecks?type=...`, a server-defined name).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request; a 404 when the server knows no such
    /// type.
    pub async fn identity_broker_prechecks_of_type(
        &self,
        precheck_type: &str,
    ) -> Result<BrokerPrecheck, Error> {
        self.prechecks(Some(precheck_type)).await
    }

    async fn prechecks(&self, precheck_type: Option<&str>) -> Result<BrokerPrecheck, Error> {
        let api = &self.inner.api;
        let result = self
            .run(&GET_IDENTITY_PRECHECK_RESULT, || {
                api.get_identity_precheck_result(precheck_type)
            })
            .await?;
        Ok(BrokerPrecheck::from_wire(result))
    }

    /// The provider whose name (or federation name) is `name`, compared
    /// without regard to case.
    ///
    /// # Errors
    ///
    /// Any [`Error`] of listing the providers.
    pub async fn find_identity_provider_by_name(
        &self,
        name: &str,
    ) -> Result<Option<IdentityProvider>, Error> {
        Ok(self
            .list_identity_providers()
            .await?
            .into_iter()
            .find(|p| p.has_name(name)))
    }

    /// The embedded identity provider (the one identity sources belong to).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of listing the providers.
    pub async fn embedded_identity_provider(&self) -> Result<Option<IdentityProvider>, Error> {
        Ok(self
            .list_identity_providers()
            .await?
            .into_iter()
            .find(IdentityProvider::is_embedded))
    }

    /// The identity provider in use (status active).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of listing the providers.
    pub async fn active_identity_provider(&self) -> Result<Option<IdentityProvider>, Error> {
        Ok(self
            .list_identity_providers()
            .await?
            .into_iter()
            .find(IdentityProvider::is_active))
    }

    /// Ends the session: revokes the refresh token
    /// (`DELETE /v1/tokens/refresh-token`) and forgets the access token. A
    /// later call logs in again. Does nothing for a client built with a
    /// bearer token or one that never logged in.
    ///
    /// # Errors
    ///
    /// Any [`Error`] of the request.
    pub async fn logout(&self) -> Result<(), Error> {
        match &self.inner.auth {
            VcfAuth::Bearer(_) => Ok(()),
            VcfAuth::Session(session) => session.logout().await,
        }
    }
}

/// The new sync client token in a generate response received at `now`.
pub(crate) fn sync_client_token(
    info: SyncClientTokenInfo,
    now: DateTime<Utc>,
) -> Result<SyncClientToken, Error> {
    let token = info
        .token
        .filter(|t| !t.expose().trim().is_empty())
        .ok_or_else(|| Error::Decode {
            operation: GENERATE_SYNC_CLIENT_TOKEN.id(),
            status: None,
            path: "token".into(),
            message: "missing or empty".into(),
        })?;
    Ok(SyncClientToken {
        token,
        scim_url: info.scim_url,
        expires_at: resolve_expiry(info.expire_at.as_ref(), info.expire_in.as_ref(), now),
    })
}

/// The new id in an add response: bare text, a JSON string or number, or an
/// object with `id`. `None` for an empty body or text that cannot be an id:
/// another JSON value (`null`, `[]`, `true`), or text with whitespace,
/// control characters or markup and quoting characters (an HTML page).
pub(crate) fn id_from_body(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let id = if text.starts_with('"') {
        serde_json::from_str::<String>(text).ok()?
    } else if text.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        match value.get("id")? {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return None,
        }
    } else if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        match value {
            // As written: `123e4` is an id, not the number 1230000.
            serde_json::Value::Number(_) => text.to_owned(),
            _ => return None,
        }
    } else {
        text.to_owned()
    };
    let id = id.trim();
    let cannot_be_in_an_id =
        |c: char| c.is_whitespace() || c.is_control() || "<>\"'`{}[]\\/;,".contains(c);
    (!id.is_empty() && id.len() <= 256 && !id.contains(cannot_be_in_an_id)).then(|| id.to_owned())
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("VcfClient");
        s.field("base_url", &self.inner.base_url);
        match &self.inner.auth {
            VcfAuth::Bearer(_) => s.field("auth", &"bearer token <redacted>"),
            VcfAuth::Session(session) => s.field("auth", session),
        };
        s.field("retry", &self.inner.retry).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::id_from_body;

    #[test]
    fn ids_in_add_bodies() {
        assert_eq!(
            id_from_body(b"c4027bb8-3f2e\n").as_deref(),
            Some("c4027bb8-3f2e")
        );
        assert_eq!(id_from_body(b"\"c4027bb8\"").as_deref(), Some("c4027bb8"));
        assert_eq!(id_from_body(br#"{"id":"x1"}"#).as_deref(), Some("x1"));
        assert_eq!(id_from_body(b""), None);
        assert_eq!(id_from_body(b"Added provider successfully"), None);
        assert_eq!(id_from_body(b"42").as_deref(), Some("42"));
        assert_eq!(id_from_body(b"123e4").as_deref(), Some("123e4"));
        for not_an_id in [
            &b"null"[..],
            b"[]",
            b"true",
            b"[\"x\"]",
            b"<html></html>",
            b"<b>created</b>",
            br#"{"id":null}"#,
            br#"{"id":"<script>"}"#,
            b"\"a/b\"",
        ] {
            assert_eq!(id_from_body(not_an_id), None, "{not_an_id:?}");
        }
    }
}
