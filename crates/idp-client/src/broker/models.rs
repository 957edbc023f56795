//! The broker's resources as owned, normalized values.
//!
//! They serialize with camelCase names (the crate's rule, whatever the
//! API's own casing) and never with a secret: a client secret or sync
//! client credential is left out of the JSON; read it with
//! [`Secret::expose`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use idp_api::Secret;
use idp_api::broker::types as wire;
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use crate::runtime::FromWire;

/// Where a directory's users and groups come from. Open: a value this
/// version does not know is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DirectorySource {
    /// Microsoft Entra ID (`AZURE`).
    Azure,
    /// Ping Identity (`PING`).
    Ping,
    /// Okta (`OKTA`).
    Okta,
    /// `ACCESS`.
    Access,
    /// Any SCIM 2.0 source (`GENERIC`).
    Generic,
    /// A value this version does not know, as sent.
    Other(String),
}

impl DirectorySource {
    /// Reads a wire value, without regard to case.
    #[must_use]
    pub fn parse(value: &str) -> Self {
        match value.trim().to_ascii_uppercase().as_str() {
            "AZURE" | "ENTRA" | "MICROSOFT_ENTRA_ID" => Self::Azure,
            "PING" => Self::Ping,
            "OKTA" => Self::Okta,
            "ACCESS" => Self::Access,
            "GENERIC" => Self::Generic,
            _ => Self::Other(value.trim().to_owned()),
        }
    }

    /// The wire value.
    #[must_use]
    pub fn as_wire(&self) -> &str {
        match self {
            Self::Azure => "AZURE",
            Self::Ping => "PING",
            Self::Okta => "OKTA",
            Self::Access => "ACCESS",
            Self::Generic => "GENERIC",
            Self::Other(value) => value,
        }
    }
}

/// As the wire value (`OKTA`, or an unknown value as sent).
impl Serialize for DirectorySource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_wire())
    }
}

/// A directory of the broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BrokerDirectory {
    /// Its id.
    pub id: String,
    /// Its unique name.
    pub name: String,
    /// Its domains.
    pub domains: Vec<String>,
    /// The default domain (not returned by the list operation).
    pub default_domain: Option<String>,
    /// Where users and groups come from, when the server said.
    pub source: Option<DirectorySource>,
    /// `PROVISIONED` or `JIT`, as sent.
    pub directory_type: Option<String>,
    /// Whether the directory is being deleted.
    pub delete_in_progress: bool,
}

impl FromWire<wire::BrokerDirectory> for BrokerDirectory {
    fn from_wire(wire: wire::BrokerDirectory) -> Self {
        Self {
            id: wire.id.unwrap_or_default(),
            name: wire.name.unwrap_or_default(),
            domains: wire.domains,
            default_domain: wire.default_domain,
            source: wire.source.as_deref().map(DirectorySource::parse),
            directory_type: wire.type_,
            delete_in_progress: wire.delete_in_progress.unwrap_or(false),
        }
    }
}

/// What to create a directory with, or what to change in one (fields left
/// `None` or empty are not sent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BrokerDirectorySpec {
    /// The unique name (required to create).
    pub name: Option<String>,
    /// The domains (required to create).
    pub domains: Vec<String>,
    /// The default domain; one of `domains`.
    pub default_domain: Option<String>,
    /// The source.
    pub source: Option<DirectorySource>,
    /// `PROVISIONED` (the default on the server) or `JIT`.
    pub directory_type: Option<String>,
}

impl BrokerDirectorySpec {
    /// A spec with a name and domains.
    #[must_use]
    pub fn new(name: impl Into<String>, domains: impl IntoIterator<Item = String>) -> Self {
        Self {
            name: Some(name.into()),
            domains: domains.into_iter().collect(),
            ..Self::default()
        }
    }

    pub(crate) fn wire(&self) -> wire::BrokerDirectory {
        wire::BrokerDirectory {
            default_domain: self.default_domain.clone(),
            delete_in_progress: None,
            domains: self.domains.clone(),
            id: None,
            links: None,
            name: self.name.clone(),
            source: self.source.as_ref().map(|s| s.as_wire().to_owned()),
            type_: self.directory_type.clone(),
        }
    }
}

/// A directory's sync client: how the identity provider authenticates when
/// it pushes users and groups over SCIM (the VCF 9 SCIM token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BrokerSyncClient {
    /// Whether the sync client uses a long-lived access token (`true`) or a
    /// client id and secret.
    pub generate_token: Option<bool>,
    /// The sync client's OAuth 2.0 client id.
    pub client_id: Option<String>,
    /// Its secret (only right after generating with `generate_token` false;
    /// never serialized).
    #[serde(skip)]
    pub client_secret: Option<Secret>,
    /// The access token (only right after generating with `generate_token`;
    /// never serialized).
    #[serde(skip)]
    pub access_token: Option<Secret>,
    /// When the access token expires, from `access_token_expire_in`
    /// (seconds from the answer); `None` when not sent.
    pub access_token_expires_at: Option<DateTime<Utc>>,
    /// `access_token_expire_in` as sent: 0 means expired.
    pub access_token_expire_in: Option<i64>,
    /// The lifetime of new access tokens, in minutes (`token_ttl`).
    pub token_ttl_minutes: Option<i64>,
}

impl FromWire<wire::BrokerSyncClientConfiguration> for BrokerSyncClient {
    fn from_wire(wire: wire::BrokerSyncClientConfiguration) -> Self {
        let non_empty = |s: Option<Secret>| s.filter(|s| !s.expose().trim().is_empty());
        Self {
            generate_token: wire.generate_token,
            client_id: wire.client_id,
            client_secret: non_empty(wire.client_secret),
            access_token: non_empty(wire.access_token),
            access_token_expires_at: wire.access_token_expire_in.and_then(|seconds| {
                chrono::Duration::try_seconds(seconds.max(0))
                    .and_then(|lifetime| Utc::now().checked_add_signed(lifetime))
            }),
            access_token_expire_in: wire.access_token_expire_in,
            token_ttl_minutes: wire.token_ttl,
        }
    }
}

/// What kind of sync client credentials to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyncClientCredentialKind {
    /// A long-lived access token (`generate_token: true`).
    Token,
    /// A client id and secret (`generate_token: false`).
    ClientCredentials,
}

/// An identity provider as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BrokerIdentityProviderSummary {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `OIDC`, `SAML` or `LDAP`, as sent.
    pub idp_type: Option<String>,
    /// The directories it serves.
    pub directory_ids: Vec<String>,
}

impl FromWire<wire::BrokerIdentityProviderSummary> for BrokerIdentityProviderSummary {
    fn from_wire(wire: wire::BrokerIdentityProviderSummary) -> Self {
        Self {
            id: wire.id.unwrap_or_default(),
            name: wire.idp_name.unwrap_or_default(),
            idp_type: wire.idp_type,
            directory_ids: wire.directory_ids,
        }
    }
}

/// The OIDC settings of an identity provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BrokerOidcProfile {
    /// The discovery document URL (`.../.well-known/openid-configuration`).
    pub configuration_url: Option<String>,
    /// The client id at the identity provider.
    pub client_id: Option<String>,
    /// The client secret at the identity provider (never returned by
    /// reads; never serialized).
    #[serde(skip)]
    pub client_secret: Option<Secret>,
    /// Broker attribute -> OIDC claim.
    pub user_attribute_mapping: BTreeMap<String, String>,
    /// The claim that identifies the user.
    pub open_id_user_identifier_attribute: Option<String>,
    /// The broker attribute it is matched with.
    pub internal_user_identifier_attribute: Option<String>,
}

impl FromWire<wire::BrokerOidcProfile> for BrokerOidcProfile {
    fn from_wire(wire: wire::BrokerOidcProfile) -> Self {
        Self {
            configuration_url: wire.configuration_url,
            client_id: wire.client_id,
            client_secret: wire.client_secret.filter(|s| !s.expose().is_empty()),
            user_attribute_mapping: wire.oidc_user_attribute_mapping.into_iter().collect(),
            open_id_user_identifier_attribute: wire.open_id_user_identifier_attribute,
            internal_user_identifier_attribute: wire.internal_user_identifier_attribute,
        }
    }
}

impl BrokerOidcProfile {
    fn wire(&self) -> wire::BrokerOidcProfile {
        wire::BrokerOidcProfile {
            authorize_params: Default::default(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            configuration_url: self.configuration_url.clone(),
            internal_user_identifier_attribute: self.internal_user_identifier_attribute.clone(),
            oidc_user_attribute_mapping: self
                .user_attribute_mapping
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            open_id_user_identifier_attribute: self.open_id_user_identifier_attribute.clone(),
            pass_through_claims: None,
            token_params: Default::default(),
        }
    }
}

/// An identity provider of the broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BrokerIdentityProvider {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `OIDC`, `SAML` or `LDAP`, as sent.
    pub idp_type: Option<String>,
    /// The directories it serves: (id, name); serialized as
    /// `[{"id", "name"}]`.
    #[serde(serialize_with = "directory_refs")]
    pub directories: Vec<(String, Option<String>)>,
    /// Its OIDC settings, for an OIDC provider.
    pub oidc: Option<BrokerOidcProfile>,
    /// The SAML metadata URL, for a SAML provider.
    pub saml_metadata_url: Option<String>,
}

impl FromWire<wire::BrokerIdentityProvider> for BrokerIdentityProvider {
    fn from_wire(wire: wire::BrokerIdentityProvider) -> Self {
        Self {
            id: wire.id.unwrap_or_default(),
            name: wire.idp_name.unwrap_or_default(),
            idp_type: wire.idp_type,
            directories: wire
                .directory_list
                .into_iter()
                .filter_map(|d| d.id.map(|id| (id, d.name)))
                .collect(),
            oidc: wire.oidc_profile.map(BrokerOidcProfile::from_wire),
            saml_metadata_url: wire.saml_profile.and_then(|p| p.saml_metadata_url),
        }
    }
}

/// `(id, name)` pairs as `[{"id": .., "name": ..}]`.
fn directory_refs<S: Serializer>(
    directories: &[(String, Option<String>)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Ref<'a> {
        id: &'a str,
        name: Option<&'a str>,
    }
    let mut seq = serializer.serialize_seq(Some(directories.len()))?;
    for (id, name) in directories {
        seq.serialize_element(&Ref {
            id,
            name: name.as_deref(),
        })?;
    }
    seq.end()
}

/// What to create an OIDC identity provider with, or what to change in
/// one (fields left `None` or empty are not sent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BrokerOidcProviderSpec {
    /// The unique name (required to create).
    pub name: Option<String>,
    /// The directories it serves (ids).
    pub directory_ids: Vec<String>,
    /// The OIDC settings (required to create: configuration URL, client id
    /// and secret).
    pub oidc: Option<BrokerOidcProfile>,
}

impl BrokerOidcProviderSpec {
    pub(crate) fn wire(&self) -> wire::BrokerIdentityProvider {
        wire::BrokerIdentityProvider {
            directory_list: self
                .directory_ids
                .iter()
                .map(|id| wire::BrokerDirectoryRef {
                    id: Some(id.clone()),
                    name: None,
                })
                .collect(),
            id: None,
            idp_name: self.name.clone(),
            idp_type: Some("OIDC".into()),
            links: None,
            oidc_profile: self.oidc.as_ref().map(BrokerOidcProfile::wire),
            saml_profile: None,
        }
    }
}

/// An OAuth 2.0 client of the broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BrokerOAuthClient {
    /// The client id (what a token request names).
    pub client_id: String,
    /// The broker's internal id, when sent.
    pub id: Option<String>,
    /// A display name.
    pub display_name: Option<String>,
    /// The scopes.
    pub scope: Vec<String>,
    /// The grant types.
    pub grant_types: Vec<String>,
    /// The rule sets (roles).
    pub rule_set_names: Vec<String>,
    /// Access token lifetime in minutes.
    pub access_token_ttl_minutes: Option<i64>,
    /// The secret: only in the answer to a create that let the broker
    /// generate it (never serialized).
    #[serde(skip)]
    pub secret: Option<Secret>,
}

impl FromWire<wire::BrokerOAuth2Client> for BrokerOAuthClient {
    fn from_wire(wire: wire::BrokerOAuth2Client) -> Self {
        Self {
            client_id: wire.client_id.unwrap_or_default(),
            id: wire.id,
            display_name: wire.display_name,
            scope: wire.scope,
            grant_types: wire.grant_types,
            rule_set_names: wire.rule_set_names,
            access_token_ttl_minutes: wire.access_token_ttl,
            secret: wire.secret.filter(|s| !s.expose().is_empty()),
        }
    }
}

impl FromWire<wire::BrokerOAuth2ClientSummary> for BrokerOAuthClient {
    fn from_wire(wire: wire::BrokerOAuth2ClientSummary) -> Self {
        Self {
            client_id: wire.client_id.unwrap_or_default(),
            id: wire.client_uuid,
            display_name: wire.display_name,
            scope: wire.scope,
            grant_types: Vec::new(),
            rule_set_names: Vec::new(),
            access_token_ttl_minutes: None,
            secret: None,
        }
    }
}

/// What to create an OAuth 2.0 client with, or what to change in one
/// (fields left `None` or empty are not sent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BrokerOAuthClientSpec {
    /// The client id (required to create).
    pub client_id: Option<String>,
    /// A display name.
    pub display_name: Option<String>,
    /// The scopes (the broker requires some to create; `admin` for API use).
    pub scope: Vec<String>,
    /// The grant types (`client_credentials` for API use).
    pub grant_types: Vec<String>,
    /// The rule sets (`IDP_AND_DIRECTORY_ADMIN`, ...).
    pub rule_set_names: Vec<String>,
    /// Access token lifetime in minutes.
    pub access_token_ttl_minutes: Option<i64>,
    /// The secret; `None` lets the broker generate one on create.
    pub secret: Option<Secret>,
}

impl BrokerOAuthClientSpec {
    pub(crate) fn wire(&self) -> wire::BrokerOAuth2Client {
        wire::BrokerOAuth2Client {
            client_id: self.client_id.clone(),
            display_name: self.display_name.clone(),
            scope: self.scope.clone(),
            grant_types: self.grant_types.clone(),
            rule_set_names: self.rule_set_names.clone(),
            access_token_ttl: self.access_token_ttl_minutes,
            secret: self.secret.clone(),
            client_type: None,
            created_date: None,
            description: None,
            id: None,
            last_secret_rotated_at: None,
            links: None,
            pkce_enforced: None,
            post_logout_redirect_uris: Vec::new(),
            primary_secret_auto_retires_at: None,
            public_client: None,
            redirect_uris: Vec::new(),
            refresh_token_idle_ttl: None,
            refresh_token_ttl: None,
            rotate_secret: None,
            secret_ttl: None,
            vcf_app: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_serialize_camel_case_without_secrets() {
        let sync = BrokerSyncClient {
            generate_token: Some(true),
            client_id: Some("sync".into()),
            client_secret: Some(Secret::new("client-secret-value")),
            access_token: Some(Secret::new("access-token-value")),
            access_token_expires_at: None,
            access_token_expire_in: Some(60),
            token_ttl_minutes: Some(1),
        };
        let json = serde_json::to_string(&sync).unwrap();
        assert!(json.contains("\"generateToken\":true"), "{json}");
        assert!(json.contains("\"accessTokenExpireIn\":60"), "{json}");
        assert!(!json.contains("secret-value") && !json.contains("token-value"));
        assert!(!json.contains("clientSecret") && !json.contains("\"accessToken\""));

        let idp = BrokerIdentityProvider {
            id: "i1".into(),
            name: "okta".into(),
            idp_type: Some("OIDC".into()),
            directories: vec![("d1".into(), Some("dir".into())), ("d2".into(), None)],
            oidc: Some(BrokerOidcProfile {
                client_id: Some("c".into()),
                client_secret: Some(Secret::new("oidc-secret-value")),
                ..BrokerOidcProfile::default()
            }),
            saml_metadata_url: None,
        };
        let value = serde_json::to_value(&idp).unwrap();
        assert_eq!(
            value["directories"],
            serde_json::json!([{"id": "d1", "name": "dir"}, {"id": "d2", "name": null}])
        );
        assert_eq!(value["idpType"], "OIDC");
        assert_eq!(value["oidc"]["clientId"], "c");
        assert!(!value.to_string().contains("oidc-secret-value"));

        let client = BrokerOAuthClient::from_wire(wire::BrokerOAuth2ClientSummary {
            client_id: Some("admin".into()),
            ..Default::default()
        });
        let value = serde_json::to_value(&client).unwrap();
        assert_eq!(value["clientId"], "admin");
        assert!(value.get("secret").is_none());
        assert_eq!(
            serde_json::to_value(DirectorySource::parse("okta")).unwrap(),
            "OKTA"
        );
    }
}
