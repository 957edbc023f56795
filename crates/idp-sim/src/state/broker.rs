//! The VCF Identity Broker's state (tenant [`TENANT`]): directories and
//! their sync clients, OIDC identity providers and OAuth 2.0 clients.
//!
//! Each resource serializes as the broker's JSON (snake_case, `_links`;
//! field names from the reference's data structures). Secrets (client
//! secrets, sync client tokens) are kept in fields that are never
//! serialized, and no type here has a `Debug` that shows one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids::{new_uuid, random_hex};

/// The one tenant the simulated broker has.
pub(crate) const TENANT: &str = "CUSTOMER";
/// The OAuth 2.0 client the simulator starts with (admin scope).
pub(crate) const ADMIN_CLIENT_ID: &str = "idp-sim-admin";
/// Default sync client token lifetime: six months, in minutes.
pub(crate) const DEFAULT_TOKEN_TTL_MINUTES: i64 = 262_800;

/// A resource's `_links`: `{"self": {"href": ...}}`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Links {
    #[serde(rename = "self")]
    this: Link,
}

#[derive(Debug, Clone, Serialize)]
struct Link {
    href: String,
}

impl Links {
    /// Links to `href` itself.
    pub(crate) fn to(href: String) -> Self {
        Links {
            this: Link { href },
        }
    }
}

/// A directory (`BrokerDirectoryMedia`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Directory {
    #[serde(rename = "_links")]
    pub(crate) links: Links,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) domains: Vec<String>,
    pub(crate) source: String,
    #[serde(rename = "type")]
    pub(crate) directory_type: String,
    pub(crate) delete_in_progress: bool,
    /// Shown when set, except in lists ("the field is not returned in list
    /// directories API").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) default_domain: Option<String>,
}

/// A directory's sync client. Its token is an access token of the shared
/// store, so it expires and can be revoked like any other.
#[derive(Clone)]
pub(crate) struct SyncClient {
    pub(crate) generate_token: bool,
    pub(crate) client_id: String,
    /// Minutes.
    pub(crate) token_ttl: i64,
    pub(crate) token: Option<String>,
}

impl SyncClient {
    /// The sync client a new directory comes with: a token still to
    /// generate.
    pub(crate) fn new() -> Self {
        SyncClient {
            generate_token: true,
            client_id: new_sync_client_id(),
            token_ttl: DEFAULT_TOKEN_TTL_MINUTES,
            token: None,
        }
    }
}

/// A fresh sync client id, in the shape the reference's examples show.
pub(crate) fn new_sync_client_id() -> String {
    format!("syncClientId{}", random_hex(16))
}

/// A directory an identity provider serves: its id and its name when the
/// provider was configured.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DirectoryRef {
    pub(crate) id: String,
    pub(crate) name: String,
}

/// An OIDC identity provider. The simulator takes no SAML ones: the
/// reference says "SAML type identity providers are currently not
/// supported for vCenter".
#[derive(Clone, Serialize)]
pub(crate) struct IdentityProvider {
    #[serde(rename = "_links")]
    pub(crate) links: Links,
    pub(crate) id: String,
    pub(crate) idp_name: String,
    pub(crate) idp_type: &'static str,
    pub(crate) directory_list: Vec<DirectoryRef>,
    pub(crate) oidc_profile: OidcProfile,
}

/// An identity provider's OIDC settings (`oidc_profile`). Every field is
/// optional on the wire; fields the simulator does not know are kept and
/// shown back. The client secret is kept, never shown.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct OidcProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) configuration_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) client_id: Option<String>,
    #[serde(default, skip_serializing)]
    pub(crate) client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) oidc_user_attribute_mapping: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) authorize_params: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) token_params: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pass_through_claims: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) open_id_user_identifier_attribute: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) internal_user_identifier_attribute: Option<String>,
    #[serde(flatten)]
    pub(crate) other: Map<String, Value>,
}

impl OidcProfile {
    /// Takes every field `patch` sets; the others stay.
    pub(crate) fn merge(&mut self, patch: OidcProfile) {
        fn take<T>(field: &mut Option<T>, new: Option<T>) {
            if new.is_some() {
                *field = new;
            }
        }
        take(&mut self.configuration_url, patch.configuration_url);
        take(&mut self.client_id, patch.client_id);
        take(&mut self.client_secret, patch.client_secret);
        take(
            &mut self.oidc_user_attribute_mapping,
            patch.oidc_user_attribute_mapping,
        );
        take(&mut self.authorize_params, patch.authorize_params);
        take(&mut self.token_params, patch.token_params);
        take(&mut self.pass_through_claims, patch.pass_through_claims);
        take(
            &mut self.open_id_user_identifier_attribute,
            patch.open_id_user_identifier_attribute,
        );
        take(
            &mut self.internal_user_identifier_attribute,
            patch.internal_user_identifier_attribute,
        );
        self.other.extend(patch.other);
    }
}

/// An OAuth 2.0 client (`BrokerOAuth2Client`), by client id in the state.
/// The secret (and the secondary secret of a rotation) is never serialized.
#[derive(Clone, Serialize)]
pub(crate) struct OAuthClient {
    /// The broker's internal id (`client_uuid` in lists).
    pub(crate) id: String,
    pub(crate) client_id: String,
    /// `None` for the seeded admin client, which the simulator did not
    /// create through the API.
    #[serde(rename = "_links", skip_serializing_if = "Option::is_none")]
    pub(crate) links: Option<Links>,
    #[serde(flatten)]
    pub(crate) settings: ClientSettings,
    #[serde(skip)]
    pub(crate) secret: String,
    #[serde(skip)]
    pub(crate) secondary: Option<String>,
}

impl OAuthClient {
    pub(crate) fn is_admin(&self) -> bool {
        self.settings
            .scope
            .iter()
            .flatten()
            .any(|scope| scope == "admin")
    }

    /// The scopes as a token answer names them (space-separated).
    pub(crate) fn scope_text(&self) -> String {
        self.settings.scope.as_deref().unwrap_or_default().join(" ")
    }
}

/// What creating or updating an OAuth 2.0 client sets, besides its id and
/// secret.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct ClientSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scope: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) grant_types: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) redirect_uris: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) post_logout_redirect_uris: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) rule_set_names: Option<Vec<String>>,
    /// Minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) access_token_ttl: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) refresh_token_ttl: Option<i64>,
}

impl ClientSettings {
    /// Takes every field `patch` sets; the others stay.
    pub(crate) fn merge(&mut self, patch: ClientSettings) {
        fn take<T>(field: &mut Option<T>, new: Option<T>) {
            if new.is_some() {
                *field = new;
            }
        }
        take(&mut self.scope, patch.scope);
        take(&mut self.display_name, patch.display_name);
        take(&mut self.description, patch.description);
        take(&mut self.grant_types, patch.grant_types);
        take(&mut self.redirect_uris, patch.redirect_uris);
        take(
            &mut self.post_logout_redirect_uris,
            patch.post_logout_redirect_uris,
        );
        take(&mut self.rule_set_names, patch.rule_set_names);
        take(&mut self.access_token_ttl, patch.access_token_ttl);
        take(&mut self.refresh_token_ttl, patch.refresh_token_ttl);
    }
}

/// The broker's state. Its `Debug` shows counts, never a secret.
#[derive(Clone, Default)]
pub(crate) struct BrokerState {
    pub(crate) directories: BTreeMap<String, Directory>,
    /// By directory id.
    pub(crate) sync_clients: BTreeMap<String, SyncClient>,
    pub(crate) idps: BTreeMap<String, IdentityProvider>,
    /// By client id.
    pub(crate) clients: BTreeMap<String, OAuthClient>,
}

impl std::fmt::Debug for BrokerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrokerState")
            .field("directories", &self.directories.len())
            .field("idps", &self.idps.len())
            .field("clients", &self.clients.len())
            .finish_non_exhaustive()
    }
}

impl BrokerState {
    /// The starting state: one admin OAuth 2.0 client with a random secret.
    pub(crate) fn seeded() -> Self {
        let mut state = Self::default();
        state.clients.insert(
            ADMIN_CLIENT_ID.to_owned(),
            OAuthClient {
                id: new_uuid(),
                client_id: ADMIN_CLIENT_ID.to_owned(),
                links: None,
                settings: ClientSettings {
                    scope: Some(vec!["admin".to_owned()]),
                    grant_types: Some(vec!["client_credentials".to_owned()]),
                    rule_set_names: Some(vec!["IDP_AND_DIRECTORY_ADMIN".to_owned()]),
                    access_token_ttl: Some(60),
                    ..ClientSettings::default()
                },
                secret: random_hex(32),
                secondary: None,
            },
        );
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_seeded_client_shows_as_before_and_hides_its_secret() {
        let state = BrokerState::seeded();
        let client = &state.clients[ADMIN_CLIENT_ID];
        assert!(client.is_admin());
        let shown = serde_json::to_value(client).unwrap();
        let keys: Vec<&str> = shown
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "id",
                "client_id",
                "scope",
                "grant_types",
                "rule_set_names",
                "access_token_ttl"
            ]
        );
        assert!(!shown.to_string().contains(&client.secret));
    }

    #[test]
    fn an_oidc_profile_keeps_unknown_fields_and_hides_the_secret() {
        let mut profile: OidcProfile = serde_json::from_value(json!({
            "configuration_url": "https://idp/.well-known/openid-configuration",
            "client_id": "c",
            "client_secret": "s3cr3t",
            "vendor_extra": {"a": 1},
        }))
        .unwrap();
        profile.merge(serde_json::from_value(json!({"client_id": "d", "later": true})).unwrap());
        assert_eq!(profile.client_secret.as_deref(), Some("s3cr3t"));
        assert_eq!(
            serde_json::to_value(&profile).unwrap(),
            json!({
                "configuration_url": "https://idp/.well-known/openid-configuration",
                "client_id": "d",
                "vendor_extra": {"a": 1},
                "later": true,
            })
        );
    }
}
