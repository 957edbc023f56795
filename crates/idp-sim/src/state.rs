//! The simulated servers' state: identity providers, identity sources,
//! tokens, Unleash SCIM settings.
//!
//! Everything lives in one [`Model`] behind a `std::sync::Mutex` that is held
//! only for the short, synchronous check-and-update of one request, never
//! across an `.await`; so concurrent requests never lose an update.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use chrono::{DateTime, Utc};

use serde_json::{Value, json};

use crate::config::SimConfig;
use crate::faults::Faults;
use crate::ids::{new_uuid, random_hex};
use crate::request_log::RequestLog;

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub(crate) config: SimConfig,
    /// `host:port` as it appears in the simulator's URLs.
    pub(crate) authority: String,
    model: Mutex<Model>,
    pub(crate) faults: Faults,
    pub(crate) log: RequestLog,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("config", &self.config)
            .field("authority", &self.authority)
            .finish_non_exhaustive()
    }
}

impl Shared {
    pub(crate) fn new(config: SimConfig, authority: String) -> Self {
        Shared {
            config,
            authority,
            model: Mutex::new(Model::seeded()),
            faults: Faults::default(),
            log: RequestLog::default(),
        }
    }

    /// Locks the model. Hold the guard briefly and never across `.await`.
    pub(crate) fn model(&self) -> MutexGuard<'_, Model> {
        self.model.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The SCIM URL handed out with sync client tokens.
    pub(crate) fn scim_url(&self) -> String {
        format!("https://{}/usergroup/t/CUSTOMER/scim/v2", self.authority)
    }
}

/// The whole mutable state. Its `Debug` shows counts, never tokens.
pub(crate) struct Model {
    /// The embedded provider first, then at most one external provider.
    pub(crate) providers: Vec<Provider>,
    pub(crate) access_tokens: HashMap<String, AccessToken>,
    pub(crate) refresh_tokens: HashMap<String, RefreshToken>,
    pub(crate) unleash: UnleashState,
    pub(crate) broker: BrokerState,
    pub(crate) okta: OktaState,
    pub(crate) entra: EntraState,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("providers", &self.providers.len())
            .field("access_tokens", &self.access_tokens.len())
            .field("refresh_tokens", &self.refresh_tokens.len())
            .finish_non_exhaustive()
    }
}

impl Model {
    /// The initial state: the Embedded provider with the identity sources of
    /// the documented examples.
    fn seeded() -> Self {
        let embedded = Provider {
            id: new_uuid(),
            name: "Embedded IDP".to_owned(),
            kind: ProviderKind::Embedded {
                sources: vec![
                    IdentitySource {
                        name: "vsphere.local".to_owned(),
                        source_type: "SystemDomain".to_owned(),
                        domain_names: vec!["vsphere.local".to_owned()],
                        ldap: None,
                    },
                    IdentitySource {
                        name: "localos".to_owned(),
                        source_type: "LocalOs".to_owned(),
                        domain_names: vec!["localos".to_owned()],
                        ldap: None,
                    },
                    IdentitySource {
                        name: "embedded-ids-name".to_owned(),
                        source_type: "ActiveDirectory".to_owned(),
                        domain_names: vec!["embedded-ids.com".to_owned()],
                        ldap: Some(LdapInfo {
                            ldap_type: "ActiveDirectory".to_owned(),
                            domain_name: "embedded-ids.com".to_owned(),
                            domain_alias: Some("embedded-ids".to_owned()),
                            username: "administrator@embedded-ids.com".to_owned(),
                            source_details: SourceDetails {
                                users_base_dn: "users-base-dn".to_owned(),
                                groups_base_dn: "groups-base-dn".to_owned(),
                                cert_chain: Vec::new(),
                                server_endpoints: vec![
                                    "ldap://dns01.domain.com".to_owned(),
                                    "ldap://dns02.domain.com".to_owned(),
                                ],
                            },
                        }),
                    },
                ],
            },
        };
        Model {
            providers: vec![embedded],
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            unleash: UnleashState::default(),
            broker: BrokerState::seeded(),
            okta: OktaState::seeded(),
            entra: EntraState::seeded(),
        }
    }

    pub(crate) fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    pub(crate) fn provider_mut(&mut self, id: &str) -> Option<&mut Provider> {
        self.providers.iter_mut().find(|p| p.id == id)
    }

    pub(crate) fn has_external(&self) -> bool {
        self.providers.iter().any(|p| !p.is_embedded())
    }

    /// The embedded provider's identity sources.
    pub(crate) fn embedded_sources(&self) -> &[IdentitySource] {
        self.providers
            .iter()
            .find_map(|p| match &p.kind {
                ProviderKind::Embedded { sources } => Some(sources.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
    }

    pub(crate) fn embedded_id(&self) -> Option<&str> {
        self.providers
            .iter()
            .find(|p| p.is_embedded())
            .map(|p| p.id.as_str())
    }

    /// Whether `provider` is active: the external provider when there is
    /// one, else the embedded one.
    pub(crate) fn is_active(&self, provider: &Provider) -> bool {
        if provider.is_embedded() {
            !self.has_external()
        } else {
            true
        }
    }
}

/// An identity provider.
#[derive(Debug, Clone)]
pub(crate) struct Provider {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) kind: ProviderKind,
}

impl Provider {
    pub(crate) fn is_embedded(&self) -> bool {
        matches!(self.kind, ProviderKind::Embedded { .. })
    }
}

/// What kind of provider, with its configuration.
#[derive(Debug, Clone)]
pub(crate) enum ProviderKind {
    Embedded { sources: Vec<IdentitySource> },
    Adfs(AdfsConfig),
    Federated(FederatedConfig),
}

/// An identity source of the embedded provider.
#[derive(Debug, Clone)]
pub(crate) struct IdentitySource {
    pub(crate) name: String,
    /// `SystemDomain`, `LocalOs`, `ActiveDirectory`, `OpenLdap`.
    pub(crate) source_type: String,
    pub(crate) domain_names: Vec<String>,
    pub(crate) ldap: Option<LdapInfo>,
}

impl IdentitySource {
    /// Whether the source is one of the built-in, undeletable ones.
    pub(crate) fn is_builtin(&self) -> bool {
        self.ldap.is_none()
    }

    pub(crate) fn has_domain(&self, domain: &str) -> bool {
        self.domain_names
            .iter()
            .any(|d| d.eq_ignore_ascii_case(domain))
    }
}

/// LDAP settings (the password is never stored).
#[derive(Debug, Clone)]
pub(crate) struct LdapInfo {
    pub(crate) ldap_type: String,
    pub(crate) domain_name: String,
    pub(crate) domain_alias: Option<String>,
    pub(crate) username: String,
    pub(crate) source_details: SourceDetails,
}

#[derive(Debug, Clone)]
pub(crate) struct SourceDetails {
    pub(crate) users_base_dn: String,
    pub(crate) groups_base_dn: String,
    pub(crate) cert_chain: Vec<String>,
    pub(crate) server_endpoints: Vec<String>,
}

/// OIDC settings (the client secret is never stored).
#[derive(Debug, Clone)]
pub(crate) struct OidcInfo {
    pub(crate) client_id: String,
    pub(crate) discovery_endpoint: String,
}

#[derive(Debug, Clone)]
pub(crate) struct AdfsConfig {
    pub(crate) ldap: LdapInfo,
    pub(crate) oidc: OidcInfo,
}

/// Which identity provider sits behind the federation broker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FedSource {
    Okta,
    EntraId,
    PingFederate,
}

#[derive(Debug, Clone)]
pub(crate) struct Directory {
    pub(crate) name: String,
    pub(crate) directory_id: Option<String>,
    pub(crate) default_domain: String,
    pub(crate) domains: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct FederatedConfig {
    /// `fedIdpSpec.name` as given.
    pub(crate) fed_name: String,
    pub(crate) source: FedSource,
    pub(crate) directory: Directory,
    pub(crate) oidc: OidcInfo,
    /// Seconds; shown as `syncClientTokenTTL`.
    pub(crate) sync_client_token_ttl: u64,
    pub(crate) sync_token: Option<SyncToken>,
}

/// The current sync client token of a federated provider; generating a new
/// one replaces (invalidates) it.
#[derive(Clone)]
pub(crate) struct SyncToken {
    pub(crate) token: String,
    pub(crate) expire_at: DateTime<Utc>,
}

impl std::fmt::Debug for SyncToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncToken")
            .field("token", &crate::request_log::REDACTED)
            .field("expire_at", &self.expire_at)
            .finish()
    }
}

/// An issued access token.
#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub(crate) username: String,
    /// The refresh token id of the login session.
    pub(crate) session: String,
    pub(crate) expires_at: SystemTime,
    pub(crate) revoked: bool,
}

/// A refresh token (its id is the map key).
#[derive(Debug, Clone)]
pub(crate) struct RefreshToken {
    pub(crate) username: String,
    pub(crate) revoked: bool,
}

/// Unleash's SCIM settings.
#[derive(Clone, Default)]
pub(crate) struct UnleashState {
    pub(crate) enabled: bool,
    /// The only valid SCIM token, if one was generated.
    pub(crate) token: Option<String>,
    /// Maintenance mode: writes under `/api/admin` answer 503.
    pub(crate) maintenance: bool,
}

impl std::fmt::Debug for UnleashState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnleashState")
            .field("enabled", &self.enabled)
            .field("has_token", &self.token.is_some())
            .field("maintenance", &self.maintenance)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_embedded_is_active() {
        let m = Model::seeded();
        assert_eq!(m.providers.len(), 1);
        assert!(m.is_active(&m.providers[0]));
        assert_eq!(m.embedded_sources().len(), 3);
        assert!(m.embedded_sources()[0].is_builtin());
        assert!(m.embedded_sources()[2].has_domain("EMBEDDED-IDS.com"));
    }
}

/// The one tenant the simulated broker has.
pub(crate) const BROKER_TENANT: &str = "CUSTOMER";
/// The OAuth 2.0 client the simulator starts with (admin scope).
pub(crate) const BROKER_ADMIN_CLIENT_ID: &str = "idp-sim-admin";

/// Default sync client token lifetime: six months, in minutes.
pub(crate) const DEFAULT_TOKEN_TTL_MINUTES: i64 = 262_800;

/// An OAuth 2.0 client and its secrets.
#[derive(Clone)]
pub(crate) struct OAuthClient {
    pub(crate) body: Value,
    pub(crate) secret: String,
    pub(crate) secondary: Option<String>,
}

/// A directory's sync client.
#[derive(Clone)]
pub(crate) struct SyncClient {
    pub(crate) generate_token: bool,
    pub(crate) client_id: String,
    pub(crate) token_ttl: i64,
    pub(crate) token: Option<String>,
}

/// The broker's state. Its secrets never reach `Debug`.
#[derive(Clone, Default)]
pub(crate) struct BrokerState {
    pub(crate) directories: BTreeMap<String, Value>,
    pub(crate) sync_clients: BTreeMap<String, SyncClient>,
    pub(crate) idps: BTreeMap<String, Value>,
    pub(crate) clients: BTreeMap<String, OAuthClient>,
    pub(crate) vcenter_sessions: HashSet<String>,
}

impl BrokerState {
    /// The starting state: one admin OAuth 2.0 client with a random secret.
    pub(crate) fn seeded() -> Self {
        let mut state = Self::default();
        state.clients.insert(
            BROKER_ADMIN_CLIENT_ID.to_owned(),
            OAuthClient {
                body: json!({
                    "id": new_uuid(),
                    "client_id": BROKER_ADMIN_CLIENT_ID,
                    "scope": ["admin"],
                    "grant_types": ["client_credentials"],
                    "rule_set_names": ["IDP_AND_DIRECTORY_ADMIN"],
                    "access_token_ttl": 60,
                }),
                secret: random_hex(32),
                secondary: None,
            },
        );
        state
    }
}

/// Okta: the API token it accepts and its apps' default provisioning
/// connections.
pub(crate) struct OktaState {
    /// The one API token (`SSWS`) or access token (`Bearer`) accepted.
    pub(crate) api_token: String,
    /// Apps by id.
    pub(crate) apps: HashMap<String, OktaApp>,
}

/// One Okta app with its default provisioning connection.
#[derive(Clone, Default)]
pub(crate) struct OktaApp {
    /// `None` until a connection is set (Okta answers `UNKNOWN`/`DISABLED`).
    pub(crate) connection: Option<OktaConnection>,
}

/// A token-based provisioning connection as set by the last update.
#[derive(Clone)]
pub(crate) struct OktaConnection {
    pub(crate) base_url: Option<String>,
    pub(crate) token: String,
    pub(crate) enabled: bool,
}

impl OktaState {
    /// One app (id `0oa` + 17 hex digits, the shape of Okta app ids) without
    /// a connection, and a generated API token.
    pub(crate) fn seeded() -> Self {
        let mut apps = HashMap::new();
        apps.insert(
            format!("0oa{}", &crate::ids::random_hex(9)[..17]),
            OktaApp::default(),
        );
        Self {
            api_token: format!("00{}", crate::ids::random_hex(20)),
            apps,
        }
    }
}

impl std::fmt::Debug for OktaState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OktaState")
            .field("apps", &self.apps.len())
            .finish_non_exhaustive()
    }
}

/// Microsoft Entra: one tenant with one app registration (client id and
/// secret), the app-only tokens issued to it, and service principals with
/// their synchronization secrets.
pub(crate) struct EntraState {
    pub(crate) tenant_id: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    /// Access tokens issued by the token endpoint, with their expiry.
    pub(crate) access_tokens: HashMap<String, SystemTime>,
    /// Synchronization secrets (key, value) by service principal id.
    pub(crate) service_principals: HashMap<String, Vec<(String, String)>>,
}

impl EntraState {
    /// A tenant, an app registration and one service principal without
    /// secrets.
    pub(crate) fn seeded() -> Self {
        let mut service_principals = HashMap::new();
        service_principals.insert(new_uuid(), Vec::new());
        Self {
            tenant_id: new_uuid(),
            client_id: new_uuid(),
            client_secret: format!("sim~{}", crate::ids::random_hex(20)),
            access_tokens: HashMap::new(),
            service_principals,
        }
    }
}

impl std::fmt::Debug for EntraState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntraState")
            .field("tenant_id", &self.tenant_id)
            .field("service_principals", &self.service_principals.len())
            .finish_non_exhaustive()
    }
}
