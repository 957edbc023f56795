//! [`Client`]: the broker's directories, sync clients, identity providers
//! and OAuth 2.0 clients.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use idp_api::Secret;
use idp_api::broker::types as wire;
use progenitor_client::ResponseValue;

use super::builder::ClientBuilder;
use super::models::{
    BrokerDirectory, BrokerDirectorySpec, BrokerIdentityProvider, BrokerIdentityProviderSummary,
    BrokerOAuthClient, BrokerOAuthClientSpec, BrokerOidcProviderSpec, BrokerSyncClient,
    SyncClientCredentialKind,
};
use super::ops::*;
use crate::Error;
use crate::auth::{self, AuthRef, ClientCredentials};
use crate::runtime::FromWire;
use crate::runtime::exec::{self, MediaTypes, Received};
use crate::runtime::input::path_segment;
use crate::runtime::op::Op;
use crate::runtime::retry::RetryPolicy;

/// How a client authenticates.
pub(super) enum BrokerAuth {
    /// A fixed `Authorization: Bearer ...` value.
    Bearer(HeaderValue),
    /// An admin token from an OAuth client or from vCenter, renewed.
    Token(Box<ClientCredentials>),
}

pub(super) struct Inner {
    pub(super) api: idp_api::broker::Client,
    pub(super) base_url: String,
    pub(super) tenant: String,
    pub(super) retry: RetryPolicy,
    pub(super) auth: BrokerAuth,
}

/// A client of the VCF Identity Broker API.
///
/// Cheap to clone and safe to use from many tasks at once; clones share the
/// connection pool and the admin token.
///
/// ```no_run
/// # async fn example() -> Result<(), idp_client::Error> {
/// use idp_client::broker;
///
/// let broker = broker::Client::builder("https://vcenter.example.com")
///     .tenant("CUSTOMER")
///     .vcenter_credentials("administrator@vsphere.local", "password")
///     .build()?;
/// for directory in broker.list_directories().await? {
///     println!("{} {}", directory.id, directory.name);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

impl Client {
    /// Starts configuring a client for the broker at `base_url` (the
    /// vCenter host, `https://vcenter.example.com`).
    #[must_use]
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// The base URL requests go to (no trailing `/`).
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The tenant every path names.
    #[must_use]
    pub fn tenant(&self) -> &str {
        &self.inner.tenant
    }

    async fn run<X, F, Fut>(&self, op: &'static Op, mut call: F) -> Result<X::Value, Error>
    where
        X: Received,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<()>>>,
    {
        let auth = match &self.inner.auth {
            BrokerAuth::Bearer(header) => AuthRef::Fixed(header),
            BrokerAuth::Token(tokens) => AuthRef::Grant(tokens),
        };
        let media = MediaTypes {
            request: op.spec.request_media,
            response: op.spec.response_media,
        };
        auth::execute(&self.inner.retry, auth, op, || {
            exec::with_media(media, call())
        })
        .await
    }

    fn tenant_arg(&self) -> &str {
        &self.inner.tenant
    }

    /// Lists the directories (`GET /usergroup/t/{tenant}/broker/directories`).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn list_directories(&self) -> Result<Vec<BrokerDirectory>, Error> {
        let api = &self.inner.api;
        let list = self
            .run(&LIST_DIRECTORIES, || {
                api.get_broker_directories(self.tenant_arg())
            })
            .await?;
        Ok(list
            .items
            .into_iter()
            .map(BrokerDirectory::from_wire)
            .collect())
    }

    /// Reads one directory.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an id that cannot be a path segment; 404
    /// when there is no such directory; any [`Error`] of a request.
    pub async fn get_directory(&self, id: &str) -> Result<BrokerDirectory, Error> {
        path_segment("id", id)?;
        let api = &self.inner.api;
        let directory = self
            .run(&GET_DIRECTORY, || {
                api.get_broker_directory(self.tenant_arg(), id)
            })
            .await?;
        Ok(BrokerDirectory::from_wire(directory))
    }

    /// Creates (configures) a directory. Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] without a name or domains; 409 when the name
    /// or a domain is taken; any [`Error`] of a request.
    pub async fn create_directory(
        &self,
        spec: &BrokerDirectorySpec,
    ) -> Result<BrokerDirectory, Error> {
        if spec.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(Error::invalid_input("name", "is required"));
        }
        if spec.domains.is_empty() {
            return Err(Error::invalid_input("domains", "at least one is required"));
        }
        let body = spec.wire();
        let api = &self.inner.api;
        let directory = self
            .run(&CREATE_DIRECTORY, || {
                api.create_broker_directory(self.tenant_arg(), &body)
            })
            .await?;
        Ok(BrokerDirectory::from_wire(directory))
    }

    /// Updates a directory: only the fields `spec` sets are sent.
    ///
    /// # Errors
    ///
    /// As [`get_directory`](Self::get_directory).
    pub async fn update_directory(
        &self,
        id: &str,
        spec: &BrokerDirectorySpec,
    ) -> Result<BrokerDirectory, Error> {
        path_segment("id", id)?;
        let body = spec.wire();
        let api = &self.inner.api;
        let directory = self
            .run(&UPDATE_DIRECTORY, || {
                api.update_broker_directory(self.tenant_arg(), id, &body)
            })
            .await?;
        Ok(BrokerDirectory::from_wire(directory))
    }

    /// Deletes a directory with its users, groups, sync client and OAuth
    /// 2.0 clients.
    ///
    /// # Errors
    ///
    /// As [`get_directory`](Self::get_directory).
    pub async fn delete_directory(&self, id: &str) -> Result<(), Error> {
        path_segment("id", id)?;
        let api = &self.inner.api;
        self.run(&DELETE_DIRECTORY, || {
            api.delete_broker_directory(self.tenant_arg(), id)
        })
        .await
    }

    /// Reads a directory's sync client configuration (no secret, no token).
    ///
    /// # Errors
    ///
    /// As [`get_directory`](Self::get_directory).
    pub async fn sync_client(&self, directory_id: &str) -> Result<BrokerSyncClient, Error> {
        path_segment("directory_id", directory_id)?;
        let api = &self.inner.api;
        let config = self
            .run(&GET_SYNC_CLIENT, || {
                api.get_broker_sync_client(self.tenant_arg(), directory_id)
            })
            .await?;
        Ok(BrokerSyncClient::from_wire(config))
    }

    /// Generates new sync client credentials for a directory and
    /// invalidates the previous ones: a long-lived access token
    /// ([`SyncClientCredentialKind::Token`], living `token_ttl`, rounded to
    /// minutes, when given) or a client id and secret. Never retried: a
    /// retry would invalidate credentials the caller never saw.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the answer holds neither the token nor the
    /// secret asked for; otherwise as [`get_directory`](Self::get_directory).
    pub async fn generate_sync_client_credentials(
        &self,
        directory_id: &str,
        kind: SyncClientCredentialKind,
        token_ttl: Option<Duration>,
    ) -> Result<BrokerSyncClient, Error> {
        path_segment("directory_id", directory_id)?;
        let body = wire::BrokerSyncClientConfiguration {
            access_token: None,
            access_token_expire_in: None,
            client_id: None,
            client_secret: None,
            generate_token: Some(kind == SyncClientCredentialKind::Token),
            links: None,
            token_ttl: token_ttl.map(|ttl| i64::try_from(ttl.as_secs() / 60).unwrap_or(i64::MAX)),
        };
        let api = &self.inner.api;
        let config = self
            .run(&GENERATE_SYNC_CLIENT, || {
                api.generate_broker_sync_client_credentials(
                    self.tenant_arg(),
                    directory_id,
                    "generate_credentials",
                    &body,
                )
            })
            .await?;
        let config = BrokerSyncClient::from_wire(config);
        let (present, field) = match kind {
            SyncClientCredentialKind::Token => (config.access_token.is_some(), "access_token"),
            SyncClientCredentialKind::ClientCredentials => {
                (config.client_secret.is_some(), "client_secret")
            }
        };
        if !present {
            return Err(Error::Decode {
                operation: GENERATE_SYNC_CLIENT.id(),
                status: None,
                path: field.into(),
                message: "missing or empty: the new credentials were generated but not returned"
                    .into(),
            });
        }
        Ok(config)
    }

    /// Lists the identity providers (summaries).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn list_identity_providers(
        &self,
    ) -> Result<Vec<BrokerIdentityProviderSummary>, Error> {
        let api = &self.inner.api;
        let list = self
            .run(&LIST_IDPS, || {
                api.get_broker_identity_providers(self.tenant_arg())
            })
            .await?;
        Ok(list
            .items
            .into_iter()
            .map(BrokerIdentityProviderSummary::from_wire)
            .collect())
    }

    /// Reads one identity provider.
    ///
    /// # Errors
    ///
    /// As [`get_directory`](Self::get_directory).
    pub async fn get_identity_provider(&self, id: &str) -> Result<BrokerIdentityProvider, Error> {
        path_segment("id", id)?;
        let api = &self.inner.api;
        let idp = self
            .run(&GET_IDP, || {
                api.get_broker_identity_provider(self.tenant_arg(), id)
            })
            .await?;
        Ok(BrokerIdentityProvider::from_wire(idp))
    }

    /// Creates an OIDC identity provider. Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] without a name, configuration URL, client id
    /// or client secret; any [`Error`] of a request.
    pub async fn create_oidc_identity_provider(
        &self,
        spec: &BrokerOidcProviderSpec,
    ) -> Result<BrokerIdentityProvider, Error> {
        if spec.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(Error::invalid_input("name", "is required"));
        }
        let oidc = spec
            .oidc
            .as_ref()
            .ok_or_else(|| Error::invalid_input("oidc", "is required"))?;
        for (field, value) in [
            ("oidc.configuration_url", oidc.configuration_url.as_deref()),
            ("oidc.client_id", oidc.client_id.as_deref()),
            (
                "oidc.client_secret",
                oidc.client_secret.as_ref().map(Secret::expose),
            ),
        ] {
            if value.is_none_or(|v| v.trim().is_empty()) {
                return Err(Error::invalid_input(field, "is required"));
            }
        }
        let body = spec.wire();
        let api = &self.inner.api;
        let idp = self
            .run(&CREATE_IDP, || {
                api.create_broker_oidc_identity_provider(self.tenant_arg(), &body)
            })
            .await?;
        Ok(BrokerIdentityProvider::from_wire(idp))
    }

    /// Updates an identity provider: only the fields `spec` sets are sent.
    ///
    /// # Errors
    ///
    /// As [`get_directory`](Self::get_directory).
    pub async fn update_identity_provider(
        &self,
        id: &str,
        spec: &BrokerOidcProviderSpec,
    ) -> Result<BrokerIdentityProvider, Error> {
        path_segment("id", id)?;
        let mut body = spec.wire();
        body.idp_type = None;
        let api = &self.inner.api;
        let idp = self
            .run(&PATCH_IDP, || {
                api.patch_broker_identity_provider(self.tenant_arg(), id, &body)
            })
            .await?;
        Ok(BrokerIdentityProvider::from_wire(idp))
    }

    /// Deletes an identity provider.
    ///
    /// # Errors
    ///
    /// 409 while a rule refers to it; otherwise as
    /// [`get_directory`](Self::get_directory).
    pub async fn delete_identity_provider(&self, id: &str) -> Result<(), Error> {
        path_segment("id", id)?;
        let api = &self.inner.api;
        self.run(&DELETE_IDP, || {
            api.delete_broker_identity_provider(self.tenant_arg(), id)
        })
        .await
    }

    /// Lists the OAuth 2.0 clients (summaries), every page.
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn list_oauth_clients(&self) -> Result<Vec<BrokerOAuthClient>, Error> {
        const PAGE_SIZE: i32 = 100;
        let api = &self.inner.api;
        let mut clients = Vec::new();
        let mut page = 1;
        loop {
            let list = self
                .run(&LIST_CLIENTS, || {
                    api.get_broker_o_auth2_clients(self.tenant_arg(), Some(PAGE_SIZE), Some(page))
                })
                .await?;
            let count = list.items.len();
            clients.extend(list.items.into_iter().map(BrokerOAuthClient::from_wire));
            let last = list.total_pages.is_none_or(|total| page >= total);
            if count == 0 || last || page >= 10_000 {
                return Ok(clients);
            }
            page += 1;
        }
    }

    /// Reads one OAuth 2.0 client (never with its secret).
    ///
    /// # Errors
    ///
    /// As [`get_directory`](Self::get_directory).
    pub async fn get_oauth_client(&self, client_id: &str) -> Result<BrokerOAuthClient, Error> {
        path_segment("client_id", client_id)?;
        let api = &self.inner.api;
        let client = self
            .run(&GET_CLIENT, || {
                api.get_broker_o_auth2_client(self.tenant_arg(), client_id)
            })
            .await?;
        Ok(BrokerOAuthClient::from_wire(client))
    }

    /// Creates an OAuth 2.0 client; the answer carries the secret when the
    /// broker generated it. Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] without a client id or scopes; any [`Error`]
    /// of a request.
    pub async fn create_oauth_client(
        &self,
        spec: &BrokerOAuthClientSpec,
    ) -> Result<BrokerOAuthClient, Error> {
        if spec
            .client_id
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
        {
            return Err(Error::invalid_input("client_id", "is required"));
        }
        if spec.scope.is_empty() {
            return Err(Error::invalid_input("scope", "at least one is required"));
        }
        let body = spec.wire();
        let api = &self.inner.api;
        let client = self
            .run(&CREATE_CLIENT, || {
                api.create_broker_o_auth2_client(self.tenant_arg(), &body)
            })
            .await?;
        Ok(BrokerOAuthClient::from_wire(client))
    }

    /// Updates an OAuth 2.0 client: only the fields `spec` sets are sent.
    ///
    /// # Errors
    ///
    /// As [`get_directory`](Self::get_directory).
    pub async fn update_oauth_client(
        &self,
        client_id: &str,
        spec: &BrokerOAuthClientSpec,
    ) -> Result<BrokerOAuthClient, Error> {
        path_segment("client_id", client_id)?;
        let body = spec.wire();
        let api = &self.inner.api;
        let client = self
            .run(&PATCH_CLIENT, || {
                api.patch_broker_o_auth2_client(self.tenant_arg(), client_id, &body)
            })
            .await?;
        Ok(BrokerOAuthClient::from_wire(client))
    }

    /// Starts a secret rotation: `new_secret` becomes valid beside the
    /// current one and replaces it when `auto_retire` (rounded to minutes;
    /// the broker's default is a day, its maximum seven) has passed or
    /// [`retire_primary_secret`](Self::retire_primary_secret) is called.
    /// Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty secret; 400 when a rotation is
    /// already running; otherwise as [`get_directory`](Self::get_directory).
    pub async fn start_secret_rotation(
        &self,
        client_id: &str,
        new_secret: &Secret,
        auto_retire: Option<Duration>,
    ) -> Result<(), Error> {
        path_segment("client_id", client_id)?;
        if new_secret.expose().trim().is_empty() {
            return Err(Error::invalid_input(
                "secondary_secret",
                "must not be empty",
            ));
        }
        let body = wire::BrokerOAuth2ClientSecretRotation {
            links: None,
            primary_secret_auto_retire_duration: auto_retire
                .map(|d| i32::try_from(d.as_secs() / 60).unwrap_or(i32::MAX)),
            secondary_secret: Some(new_secret.clone()),
        };
        self.rotate(client_id, "start-rotate-secret", &body).await
    }

    /// Ends a running secret rotation at once: the new secret becomes the
    /// only one.
    ///
    /// # Errors
    ///
    /// 400 when no rotation is running; otherwise as
    /// [`get_directory`](Self::get_directory).
    pub async fn retire_primary_secret(&self, client_id: &str) -> Result<(), Error> {
        path_segment("client_id", client_id)?;
        let body = wire::BrokerOAuth2ClientSecretRotation {
            links: None,
            primary_secret_auto_retire_duration: None,
            secondary_secret: None,
        };
        self.rotate(client_id, "retire-primary-secret", &body).await
    }

    async fn rotate(
        &self,
        client_id: &str,
        action: &str,
        body: &wire::BrokerOAuth2ClientSecretRotation,
    ) -> Result<(), Error> {
        let api = &self.inner.api;
        self.run(&ROTATE_CLIENT_SECRET, || {
            api.rotate_broker_o_auth2_client_secret(self.tenant_arg(), client_id, action, body)
        })
        .await
    }

    /// Deletes an OAuth 2.0 client.
    ///
    /// # Errors
    ///
    /// As [`get_directory`](Self::get_directory).
    pub async fn delete_oauth_client(&self, client_id: &str) -> Result<(), Error> {
        path_segment("client_id", client_id)?;
        let api = &self.inner.api;
        self.run(&DELETE_CLIENT, || {
            api.delete_broker_o_auth2_client(self.tenant_arg(), client_id)
        })
        .await
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BrokerClient")
            .field("base_url", &self.inner.base_url)
            .field("tenant", &self.inner.tenant)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}
