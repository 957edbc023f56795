//! SDDC Manager's state: the identity providers (the Embedded one with its
//! identity sources, at most one external ADFS or federated provider) and
//! the sync client token of a federated provider, and the service users
//! that log in with an API key. Passwords and client secrets are never
//! stored.

use chrono::{DateTime, Utc};

use crate::ids::new_uuid;

pub(crate) use super::vcf_access::SERVICE_USER;
use super::vcf_access::{Access, SYSTEM_DOMAIN};

/// The identity providers: the embedded one first, then at most one
/// external provider; and who may use SDDC Manager.
#[derive(Debug, Clone)]
pub(crate) struct VcfState {
    pub(crate) providers: Vec<Provider>,
    pub(crate) access: Access,
}

impl VcfState {
    /// The Embedded provider with the identity sources of the documented
    /// examples.
    pub(crate) fn seeded() -> Self {
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
        VcfState {
            providers: vec![embedded],
            access: Access::seeded(),
        }
    }

    /// The SSO domains: `vsphere.local`, the embedded provider's identity
    /// sources' domains and the federated provider's directory domains, each
    /// once (compared without regard to case).
    pub(crate) fn sso_domains(&self) -> Vec<String> {
        let mut domains = vec![SYSTEM_DOMAIN.to_owned()];
        for provider in &self.providers {
            let names: Vec<&String> = match &provider.kind {
                ProviderKind::Embedded { sources } => sources
                    .iter()
                    .filter(|s| s.source_type != "LocalOs")
                    .flat_map(|s| s.domain_names.iter())
                    .collect(),
                ProviderKind::Federated(fed) => fed.directory.domains.iter().collect(),
                ProviderKind::Adfs(adfs) => vec![&adfs.ldap.domain_name],
            };
            for name in names {
                if !domains.iter().any(|d| d.eq_ignore_ascii_case(name)) {
                    domains.push(name.clone());
                }
            }
        }
        domains
    }

    pub(crate) fn is_sso_domain(&self, domain: &str) -> bool {
        self.sso_domains()
            .iter()
            .any(|d| d.eq_ignore_ascii_case(domain))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_embedded_is_active() {
        let m = VcfState::seeded();
        assert_eq!(m.providers.len(), 1);
        assert!(m.is_active(&m.providers[0]));
        assert_eq!(m.embedded_sources().len(), 3);
        assert!(m.embedded_sources()[0].is_builtin());
        assert!(m.embedded_sources()[2].has_domain("EMBEDDED-IDS.com"));
    }

    #[test]
    fn sso_domains_follow_sources_and_directories() {
        let mut m = VcfState::seeded();
        assert_eq!(m.sso_domains(), ["vsphere.local", "embedded-ids.com"]);
        m.providers.push(Provider {
            id: "f".into(),
            name: "okta".into(),
            kind: ProviderKind::Federated(FederatedConfig {
                fed_name: "okta".into(),
                source: FedSource::Okta,
                directory: Directory {
                    name: "d".into(),
                    directory_id: None,
                    default_domain: "example.com".into(),
                    domains: vec!["example.com".into(), "VSPHERE.local".into()],
                },
                oidc: OidcInfo {
                    client_id: "c".into(),
                    discovery_endpoint: "https://x".into(),
                },
                sync_client_token_ttl: 1,
                sync_token: None,
            }),
        });
        assert_eq!(
            m.sso_domains(),
            ["vsphere.local", "embedded-ids.com", "example.com"]
        );
        assert!(m.is_sso_domain("EXAMPLE.COM"));
    }
}
