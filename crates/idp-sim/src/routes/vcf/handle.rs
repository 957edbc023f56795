//! SDDC Manager's handle on a running simulator.

use crate::Simulator;
use crate::config::DEFAULT_VCF_USERNAME;
use crate::state::vcf::ProviderKind;

/// The simulated SDDC Manager of a running [`Simulator`] (from
/// [`Simulator::vcf`]): its URL and user, and the identity providers,
/// sources and sync client tokens tests check.
#[derive(Debug, Clone, Copy)]
pub struct Handle<'a> {
    sim: &'a Simulator,
}

impl<'a> Handle<'a> {
    pub(crate) fn new(sim: &'a Simulator) -> Self {
        Handle { sim }
    }

    /// The VCF base URL: `http://127.0.0.1:PORT`, or `https://localhost:PORT`
    /// with TLS.
    #[must_use]
    pub fn url(&self) -> String {
        self.sim.base_url.clone()
    }

    /// The first configured user's name (a test credential).
    #[must_use]
    pub fn username(&self) -> &'a str {
        self.sim
            .shared
            .config
            .users
            .first()
            .map_or(DEFAULT_VCF_USERNAME, |u| u.username.as_str())
    }

    /// The first configured user's password (a test credential).
    #[must_use]
    pub fn password(&self) -> &'a str {
        self.sim
            .shared
            .config
            .users
            .first()
            .map_or("", |u| u.password.as_str())
    }

    /// The API key of the service user every simulator starts with
    /// (`svc-automation`; a test credential, random per simulator).
    #[must_use]
    pub fn api_key(&self) -> String {
        self.sim
            .shared
            .model()
            .vcf
            .access
            .users
            .iter()
            .find(|u| u.name == crate::state::vcf::SERVICE_USER)
            .and_then(|u| u.api_key.clone())
            .unwrap_or_default()
    }

    /// The name of the service user whose key [`api_key`](Self::api_key)
    /// gives.
    #[must_use]
    pub fn service_user(&self) -> &'static str {
        crate::state::vcf::SERVICE_USER
    }

    /// How many identity providers exist (the embedded one included).
    #[must_use]
    pub fn identity_provider_count(&self) -> usize {
        self.sim.shared.model().vcf.providers.len()
    }

    /// How many identity sources the embedded provider has (three at start).
    #[must_use]
    pub fn identity_source_count(&self) -> usize {
        self.sim.shared.model().vcf.embedded_sources().len()
    }

    /// The domain names of the embedded provider's identity sources.
    #[must_use]
    pub fn identity_source_domains(&self) -> Vec<String> {
        self.sim
            .shared
            .model()
            .vcf
            .embedded_sources()
            .iter()
            .flat_map(|s| s.domain_names.iter().cloned())
            .collect()
    }

    /// The embedded provider's id.
    #[must_use]
    pub fn embedded_provider_id(&self) -> String {
        self.sim
            .shared
            .model()
            .vcf
            .embedded_id()
            .unwrap_or_default()
            .to_owned()
    }

    /// The external provider's id, if one is configured.
    #[must_use]
    pub fn external_provider_id(&self) -> Option<String> {
        self.sim
            .shared
            .model()
            .vcf
            .providers
            .iter()
            .find(|p| !p.is_embedded())
            .map(|p| p.id.clone())
    }

    /// The body `GET /v1/identity-providers` would return now.
    #[must_use]
    pub fn identity_providers_json(&self) -> serde_json::Value {
        let model = self.sim.shared.model();
        super::render::providers_json(&self.sim.shared, &model.vcf)
    }

    /// The current (only valid) sync client token of a federated provider.
    #[must_use]
    pub fn sync_client_token(&self, provider_id: &str) -> Option<String> {
        match &self.sim.shared.model().vcf.provider(provider_id)?.kind {
            ProviderKind::Federated(fed) => fed.sync_token.as_ref().map(|t| t.token.clone()),
            _ => None,
        }
    }

    /// Sets when the current sync client token of a federated provider
    /// expires (to test expiry checks and due rotation); `false` when the
    /// provider has no sync client token.
    pub fn set_sync_client_token_expiry(
        &self,
        provider_id: &str,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let mut model = self.sim.shared.model();
        let Some(provider) = model.vcf.provider_mut(provider_id) else {
            return false;
        };
        match &mut provider.kind {
            ProviderKind::Federated(fed) => match &mut fed.sync_token {
                Some(token) => {
                    token.expire_at = expires_at;
                    true
                }
                None => false,
            },
            _ => false,
        }
    }

    /// Makes a user or group known in `domain` (searchable and grantable
    /// while `domain` is an SSO domain); `kind` is `USER` or `GROUP`.
    /// `false` when it was known already.
    pub fn add_principal(&self, domain: &str, name: &str, kind: &str) -> bool {
        self.sim
            .shared
            .model()
            .vcf
            .access
            .add_principal(domain, name, kind)
    }

    /// The SSO domains `GET /v1/sso-domains` lists now.
    #[must_use]
    pub fn sso_domains(&self) -> Vec<String> {
        self.sim.shared.model().vcf.sso_domains()
    }

    /// The granted users as `(name@domain, type, role name)`.
    #[must_use]
    pub fn users(&self) -> Vec<(String, String, String)> {
        let model = self.sim.shared.model();
        let access = &model.vcf.access;
        access
            .users
            .iter()
            .map(|u| {
                let role = access.role(&u.role_id).map_or("", |r| r.name.as_str());
                (
                    format!("{}@{}", u.name, u.domain),
                    u.kind.clone(),
                    role.to_owned(),
                )
            })
            .collect()
    }

    /// The API key of the service user `name`, if there is one (a test
    /// credential).
    #[must_use]
    pub fn service_user_key(&self, name: &str) -> Option<String> {
        let model = self.sim.shared.model();
        model
            .vcf
            .access
            .users
            .iter()
            .find(|u| u.kind == "SERVICE" && u.name.eq_ignore_ascii_case(name))
            .and_then(|u| u.api_key.clone())
    }

    /// Sets when the user `name` (any domain) was created, to test key
    /// age checks; `false` when no user has that name.
    pub fn set_user_created(&self, name: &str, created: chrono::DateTime<chrono::Utc>) -> bool {
        let mut model = self.sim.shared.model();
        match model
            .vcf
            .access
            .users
            .iter_mut()
            .find(|u| u.name.eq_ignore_ascii_case(name))
        {
            Some(user) => {
                user.created = created;
                true
            }
            None => false,
        }
    }
}
