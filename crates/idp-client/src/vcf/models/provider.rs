//! Identity providers as the facade reports them.

use std::time::Duration;

use chrono::{DateTime, Utc};
use idp_api::vcf::types as api;
use serde::{Serialize, Serializer};

use super::kinds::{FederatedSource, IdentitySourceKind, ProviderKind, Status};
use super::tokens::resolve_expiry;
use crate::runtime::FromWire;

/// An identity provider: the embedded one, Microsoft ADFS, or a federated
/// broker.
///
/// Serializes with the API's camelCase field names: `type` as served,
/// `status` normalized to lower case, plus `kind` (the normalized type).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IdentityProvider {
    /// The provider's id (empty if the server left it out).
    pub id: String,
    /// The display name (empty if the server left it out).
    pub name: String,
    /// The `type` as served (`Embedded`, `Microsoft ADFS`,
    /// `FEDERATED_IDP_BROKER`, ...).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub raw_type: Option<String>,
    /// The normalized kind; inferred from `fedIdp` when `type` is missing.
    pub kind: ProviderKind,
    /// Whether the provider is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The domains the provider serves.
    pub domain_names: Vec<String>,
    /// The identity sources (embedded provider).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identity_sources: Vec<IdentitySource>,
    /// A message from VCF about managing this provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_message: Option<String>,
    /// LDAP settings (ADFS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ldap: Option<Ldap>,
    /// OIDC settings (ADFS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oidc: Option<Oidc>,
    /// Federation settings (federated broker).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fed_idp: Option<FederatedIdp>,
}

impl IdentityProvider {
    /// Whether this is the provider in use.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.status == Some(Status::Active)
    }

    /// Whether this is the embedded provider.
    #[must_use]
    pub fn is_embedded(&self) -> bool {
        self.kind == ProviderKind::Embedded
    }

    /// Whether `name` is this provider's name or its federation's name,
    /// compared without regard to case.
    #[must_use]
    pub fn has_name(&self, name: &str) -> bool {
        let name = name.trim();
        self.name.trim().eq_ignore_ascii_case(name)
            || self
                .fed_idp
                .as_ref()
                .and_then(|f| f.name.as_deref())
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(name))
    }
}

impl FromWire<api::IdentityProvider> for IdentityProvider {
    fn from_wire(p: api::IdentityProvider) -> Self {
        let fed_idp = p.fed_idp.map(FederatedIdp::from_wire);
        let kind = match p.type_.as_deref() {
            Some(raw) if !raw.trim().is_empty() => ProviderKind::parse(raw),
            _ if fed_idp.is_some() => ProviderKind::FederatedBroker,
            _ => ProviderKind::Other(String::new()),
        };
        Self {
            id: p.id.unwrap_or_default(),
            name: p.name.unwrap_or_default(),
            raw_type: p.type_,
            kind,
            status: p.status.as_deref().map(Status::parse),
            domain_names: p.domain_names,
            identity_sources: p
                .identity_sources
                .into_iter()
                .map(IdentitySource::from_wire)
                .collect(),
            idp_message: p.idp_message,
            ldap: p.ldap.map(Ldap::from_wire),
            oidc: p.oidc.map(Oidc::from_wire),
            fed_idp,
        }
    }
}

/// An identity source of the embedded provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IdentitySource {
    /// The source's name.
    pub name: String,
    /// The `type` as served.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub raw_type: Option<String>,
    /// The normalized kind.
    pub kind: IdentitySourceKind,
    /// The source's domains.
    pub domain_names: Vec<String>,
    /// LDAP settings (Active Directory, OpenLDAP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ldap: Option<Ldap>,
}

impl FromWire<api::IdentitySource> for IdentitySource {
    fn from_wire(s: api::IdentitySource) -> Self {
        Self {
            name: s.name.unwrap_or_default(),
            kind: IdentitySourceKind::parse(s.type_.as_deref().unwrap_or_default()),
            raw_type: s.type_,
            domain_names: s.domain_names,
            ldap: s.ldap.map(Ldap::from_wire),
        }
    }
}

/// LDAP settings as reported (never with the bind password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Ldap {
    /// The LDAP flavour as served (`ActiveDirectory`, `OpenLdap`, `Oidc`).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub raw_type: Option<String>,
    /// The domain name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// The domain alias (NetBIOS name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_alias: Option<String>,
    /// The bind user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Where the directory is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_details: Option<SourceDetails>,
}

impl FromWire<api::LdapInfo> for Ldap {
    fn from_wire(l: api::LdapInfo) -> Self {
        Self {
            raw_type: l.type_,
            domain_name: l.domain_name,
            domain_alias: l.domain_alias,
            username: l.username,
            source_details: l.source_details.map(SourceDetails::from_wire),
        }
    }
}

/// Where a directory is and where its users and groups live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SourceDetails {
    /// The base DN for users.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users_base_dn: Option<String>,
    /// The base DN for groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups_base_dn: Option<String>,
    /// PEM certificates trusted for LDAPS.
    pub cert_chain: Vec<String>,
    /// LDAP server URLs.
    pub server_endpoints: Vec<String>,
}

impl FromWire<api::SourceDetails> for SourceDetails {
    fn from_wire(d: api::SourceDetails) -> Self {
        Self {
            users_base_dn: d.users_base_dn,
            groups_base_dn: d.groups_base_dn,
            cert_chain: d.cert_chain.unwrap_or_default(),
            server_endpoints: d.server_endpoints,
        }
    }
}

/// OIDC settings as reported (never with the client secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Oidc {
    /// The OIDC client id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The OpenID configuration URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery_endpoint: Option<String>,
    /// The authorization endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_endpoint: Option<String>,
    /// The client authentication method, as served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_method: Option<String>,
    /// The token issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The logout endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logout_endpoint: Option<String>,
    /// Where the provider publishes its signing keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_key_uri: Option<String>,
    /// The token endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
}

impl FromWire<api::OidcInfo> for Oidc {
    fn from_wire(o: api::OidcInfo) -> Self {
        Self {
            client_id: o.client_id,
            discovery_endpoint: o.discovery_endpoint,
            auth_endpoint: o.auth_endpoint,
            auth_method: o.auth_method,
            issuer: o.issuer,
            logout_endpoint: o.logout_endpoint,
            public_key_uri: o.public_key_uri,
            token_endpoint: o.token_endpoint,
        }
    }
}

/// The federation of a federated broker provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FederatedIdp {
    /// The federation's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Which identity provider, normalized from `source` or else the
    /// directory's `federatedIdpSourceType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<FederatedSource>,
    /// The directory's `federatedIdpSourceType` as served (VCF 5.2 and
    /// later), repeated here for convenience.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub federated_idp_source_type: Option<String>,
    /// The directory users and groups are provisioned into (the first one
    /// when the server sent several).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory_list: Option<FederatedDirectory>,
    /// Every directory, when the server sent `directoryList` as an array of
    /// more than one (then serialized as `directories`; otherwise empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub directories: Vec<FederatedDirectory>,
    /// The OIDC settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oidc_info: Option<Oidc>,
    /// The sync client token lifetime, when served as a number of seconds
    /// (as a number or in a string). Serialized as seconds.
    #[serde(
        rename = "syncClientTokenTTL",
        serialize_with = "seconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub sync_client_token_ttl: Option<Duration>,
    /// The current sync client token's expiry and SCIM URL (never the token).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_client_token_info: Option<SyncClientTokenStatus>,
}

impl FromWire<api::FederatedIdpInfo> for FederatedIdp {
    fn from_wire(f: api::FederatedIdpInfo) -> Self {
        let mut directories: Vec<FederatedDirectory> = match f.directory_list {
            Some(api::FederatedDirectoryList::FederatedDirectoryInfo(d)) => {
                vec![FederatedDirectory::from_wire(d)]
            }
            Some(api::FederatedDirectoryList::Array(list)) => list
                .into_iter()
                .map(FederatedDirectory::from_wire)
                .collect(),
            None => Vec::new(),
        };
        let directory_list = directories.first().cloned();
        if directories.len() < 2 {
            directories.clear();
        }
        let source = [
            f.source.as_deref(),
            directory_list
                .as_ref()
                .and_then(|d| d.federated_idp_source_type.as_deref()),
        ]
        .into_iter()
        .flatten()
        .find(|s| !s.trim().is_empty())
        .map(FederatedSource::parse);
        let ttl = match f.sync_client_token_ttl {
            Some(api::TokenLifetime::Int64(n)) => u64::try_from(n).ok(),
            Some(api::TokenLifetime::String(s)) => whole_seconds(&s),
            None => None,
        }
        .filter(|n| *n > 0)
        .map(Duration::from_secs);
        Self {
            name: f.name,
            source,
            federated_idp_source_type: directory_list
                .as_ref()
                .and_then(|d| d.federated_idp_source_type.clone()),
            directory_list,
            directories,
            oidc_info: f.oidc_info.map(Oidc::from_wire),
            sync_client_token_ttl: ttl,
            sync_client_token_info: f.sync_client_token_info.map(|info| SyncClientTokenStatus {
                expires_at: resolve_expiry(
                    info.expire_at.as_ref(),
                    info.expire_in.as_ref(),
                    Utc::now(),
                ),
                scim_url: info.scim_url,
            }),
        }
    }
}

/// A number of seconds written as text: `"500000"` or `"500000.0"`.
fn whole_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    text.parse::<u64>().ok().or_else(|| {
        let f = text.parse::<f64>().ok()?;
        // Whole, non-negative and within u64: the cast below is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 1.8e19).then_some(f as u64)
    })
}

#[allow(clippy::ref_option)]
fn seconds<S: Serializer>(value: &Option<Duration>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => serializer.serialize_u64(d.as_secs()),
        None => serializer.serialize_none(),
    }
}

/// The directory of a federated broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FederatedDirectory {
    /// The directory's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The directory's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory_id: Option<String>,
    /// The domain used when a user name has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_domain: Option<String>,
    /// All domains of the directory.
    pub domains: Vec<String>,
    /// The broker kind as served (VCF 5.2 and later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub federated_idp_source_type: Option<String>,
}

impl FromWire<api::FederatedDirectoryInfo> for FederatedDirectory {
    fn from_wire(d: api::FederatedDirectoryInfo) -> Self {
        Self {
            name: d.name,
            directory_id: d.directory_id,
            default_domain: d.default_domain,
            domains: d.domains,
            federated_idp_source_type: d.federated_idp_source_type,
        }
    }
}

/// What a provider listing says about the current sync client token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SyncClientTokenStatus {
    /// When the token expires (see [`crate::SyncClientToken`] for how it is
    /// read). Serialized as RFC 3339 under `expireAt`.
    #[serde(rename = "expireAt", skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Where the identity provider pushes users and groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scim_url: Option<String>,
}
