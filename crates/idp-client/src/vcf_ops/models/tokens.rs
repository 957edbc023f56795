//! SCIM sync clients, API tokens and OAuth apps: the secrets of the API.

use chrono::{DateTime, Utc};
use idp_api::Secret;
use idp_api::vcf_ops::types as wire;
use serde::Serialize;

use super::{epoch, open_enum};
use crate::runtime::FromWire;

/// A directory's SCIM sync client: what the identity provider pushes
/// users and groups with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SyncClient {
    /// Its OAuth 2.0 client id.
    pub client_id: Option<String>,
    /// Its client secret (never serialized).
    #[serde(skip)]
    pub client_secret: Option<Secret>,
    /// The lifetime of its tokens in minutes (`tokenTtl`).
    pub token_ttl: Option<i32>,
    /// The bearer token (only right after generating; never serialized).
    #[serde(skip)]
    pub access_token: Option<Secret>,
    /// When the bearer token expires.
    pub token_expires_at: Option<DateTime<Utc>>,
}

impl FromWire<wire::ScimSyncClientDetails> for SyncClient {
    fn from_wire(wire: wire::ScimSyncClientDetails) -> Self {
        let non_empty = |s: Option<Secret>| s.filter(|s| !s.expose().trim().is_empty());
        let client = wire.scim_client_details.unwrap_or_default();
        let access = wire.access_token_details.unwrap_or_default();
        Self {
            client_id: client.client_id,
            client_secret: non_empty(client.client_secret),
            token_ttl: client.token_ttl,
            access_token: non_empty(access.access_token),
            token_expires_at: access.token_expires_at.and_then(epoch),
        }
    }
}

open_enum!(
    /// Whether an API token can still be used.
    ApiTokenStatus {
        /// Usable.
        Active => "ACTIVE",
        /// Past its expiration date.
        Expired => "EXPIRED",
    }
);

/// An API token of a realm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiToken {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Whether it is active or expired; `None` when the server did not say.
    pub status: Option<ApiTokenStatus>,
    /// `USER` or `API_CLIENT`.
    pub token_type: Option<String>,
    /// Whose it is.
    pub principal_name: Option<String>,
    /// `ACTIVE` or `INACTIVE`: the principal's status.
    pub principal_status: Option<String>,
    /// The API client it belongs to.
    pub api_client_id: Option<String>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it expires.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// The last characters of the token, to recognize it.
    pub last_chars: Option<String>,
    /// Its lifetime in minutes (`apiTokenTtl`).
    pub ttl: Option<i32>,
    /// The lifetime in minutes of the access tokens it is exchanged for
    /// (`accessTokenTtl`).
    pub access_token_ttl: Option<i32>,
    /// Where it is exchanged for an access token.
    pub token_endpoint_url: Option<String>,
    /// The issuer of those access tokens.
    pub oidc_issuer_url: Option<String>,
    /// The token itself (only right after generating or regenerating;
    /// never serialized).
    #[serde(skip)]
    pub token: Option<Secret>,
}

impl FromWire<wire::ApiToken> for ApiToken {
    fn from_wire(wire: wire::ApiToken) -> Self {
        Self {
            id: wire.id.unwrap_or_default(),
            name: wire.token_name,
            description: wire.token_description,
            status: wire
                .token_status
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(ApiTokenStatus::parse),
            token_type: wire.token_type,
            principal_name: wire.principal_name,
            principal_status: wire.principal_status,
            api_client_id: wire.api_client_id,
            created_at: wire.creation_date.and_then(epoch),
            expires_at: wire.expiration_date.and_then(epoch),
            last_used_at: wire.last_used_date.and_then(epoch),
            last_chars: wire.token_last_chars,
            ttl: wire.api_token_ttl,
            access_token_ttl: wire.access_token_ttl,
            token_endpoint_url: wire.token_endpoint_url,
            oidc_issuer_url: wire.oidc_issuer_url,
            token: wire.token.filter(|t| !t.expose().trim().is_empty()),
        }
    }
}

/// What to generate an API token with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiTokenSpec {
    /// Its name (required).
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its lifetime in minutes (`apiTokenTtl`).
    pub ttl: Option<i32>,
    /// The lifetime in minutes of the access tokens it is exchanged for.
    pub access_token_ttl: Option<i32>,
    /// The API client it is for, when not for the calling user.
    pub api_client_id: Option<String>,
}

impl ApiTokenSpec {
    /// A token named `name`, with the server's default lifetimes.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: None,
            ttl: None,
            access_token_ttl: None,
            api_client_id: None,
        }
    }

    pub(crate) fn wire(&self) -> wire::ApiToken {
        wire::ApiToken {
            access_token_ttl: self.access_token_ttl,
            api_client_id: self.api_client_id.clone(),
            api_token_ttl: self.ttl,
            creation_date: None,
            expiration_date: None,
            id: None,
            last_used_date: None,
            oidc_issuer_url: None,
            principal_name: None,
            principal_status: None,
            token: None,
            token_description: self.description.clone(),
            token_endpoint_url: None,
            token_last_chars: None,
            token_name: self.name.clone(),
            token_status: None,
            token_type: None,
        }
    }
}

/// Which API tokens to list: every token by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiTokenQuery {
    /// Keep only these statuses.
    pub statuses: Vec<ApiTokenStatus>,
    /// Keep only these types (`USER`, `API_CLIENT`).
    pub token_types: Vec<String>,
    /// Keep only tokens whose name is like this.
    pub name_like: Option<String>,
}

impl ApiTokenQuery {
    pub(crate) fn wire(&self) -> wire::ClientTokenQuery {
        let filters = (!self.statuses.is_empty() || !self.token_types.is_empty()).then(|| {
            wire::ClientTokenFilters {
                token_status: self
                    .statuses
                    .iter()
                    .map(|s| s.as_wire().to_owned())
                    .collect(),
                token_type: self.token_types.clone(),
            }
        });
        wire::ClientTokenQuery {
            filters,
            search_terms: self
                .name_like
                .as_ref()
                .map(|name| wire::ClientTokenSearchGroupings {
                    all_of: vec![wire::ClientTokenSearchTerm {
                        field: "TOKEN_NAME".into(),
                        operator: "LIKE".into(),
                        terms: vec![name.clone()],
                    }],
                    any_of: Vec::new(),
                }),
        }
    }
}

/// An OAuth app of a realm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OAuthApp {
    /// Its id.
    pub id: String,
    /// Its OAuth 2.0 client id.
    pub client_id: Option<String>,
    /// Its name.
    pub name: String,
    /// Its client secret (only after creating or rotating; never
    /// serialized).
    #[serde(skip)]
    pub client_secret: Option<Secret>,
    /// The issuer of its tokens.
    pub issuer_url: Option<String>,
    /// Its redirect URLs.
    pub redirect_urls: Vec<String>,
    /// Its logout URLs.
    pub logout_urls: Vec<String>,
    /// Its realm.
    pub sso_realm_id: Option<String>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

impl FromWire<wire::OAuthApp> for OAuthApp {
    fn from_wire(wire: wire::OAuthApp) -> Self {
        Self {
            id: wire.id.unwrap_or_default(),
            client_id: wire.client_id,
            name: wire.client_name,
            client_secret: wire.client_secret.filter(|s| !s.expose().trim().is_empty()),
            issuer_url: wire.issuer_url,
            redirect_urls: wire.redirect_urls,
            logout_urls: wire.logout_urls,
            sso_realm_id: wire.sso_realm_id,
            created_at: wire.created_at.and_then(epoch),
            updated_at: wire.updated_at.and_then(epoch),
        }
    }
}

/// What to create an OAuth app with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthAppSpec {
    /// Its name (required).
    pub name: String,
    /// Its redirect URLs.
    pub redirect_urls: Vec<String>,
    /// Its logout URLs.
    pub logout_urls: Vec<String>,
}

impl OAuthAppSpec {
    /// An app named `name` with its redirect URLs.
    #[must_use]
    pub fn new(name: impl Into<String>, redirect_urls: impl IntoIterator<Item = String>) -> Self {
        Self {
            name: name.into(),
            redirect_urls: redirect_urls.into_iter().collect(),
            logout_urls: Vec::new(),
        }
    }

    pub(crate) fn wire(&self) -> wire::OAuthApp {
        wire::OAuthApp {
            client_name: self.name.clone(),
            redirect_urls: self.redirect_urls.clone(),
            logout_urls: self.logout_urls.clone(),
            client_id: None,
            client_secret: None,
            created_at: None,
            id: None,
            issuer_url: None,
            sso_realm_id: None,
            updated_at: None,
        }
    }
}
