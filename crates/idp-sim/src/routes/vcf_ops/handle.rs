//! VCF Operations' handle on a running simulator.

use std::time::SystemTime;

use serde_json::json;

use crate::Simulator;
use crate::state::vcf_ops::{OPS_USERNAME, now_millis};

/// The simulated VCF Operations of a running [`Simulator`] (from
/// [`Simulator::vcf_ops`]): its URL and local user, and the state tests
/// check and steer. Served only under the `vcf-9.1` profile; the handle
/// works under any (its state just stays unused).
#[derive(Debug, Clone, Copy)]
pub struct Handle<'a> {
    sim: &'a Simulator,
}

impl<'a> Handle<'a> {
    pub(crate) fn new(sim: &'a Simulator) -> Self {
        Handle { sim }
    }

    /// The base URL (`OPS_URL`): the simulator's URL; every path starts
    /// with [`OPS_PREFIX`](super::OPS_PREFIX).
    #[must_use]
    pub fn url(&self) -> String {
        self.sim.base_url.clone()
    }

    /// Whether the running profile serves VCF Operations (`vcf-9.1`).
    #[must_use]
    pub fn served(&self) -> bool {
        self.sim.profile().serves_vcf_operations()
    }

    /// The local user that acquires `OpsToken`s (`OPS_USERNAME`).
    #[must_use]
    pub fn username(&self) -> &'static str {
        OPS_USERNAME
    }

    /// Its password (`OPS_PASSWORD`), generated per simulator.
    #[must_use]
    pub fn password(&self) -> String {
        self.sim.shared.model().vcf_ops.password.clone()
    }

    /// The authentication source of the local user: `LOCAL`, which is also
    /// what a login without one means.
    #[must_use]
    pub fn auth_source(&self) -> &'static str {
        "LOCAL"
    }

    /// The SSO realms' ids, one per simulated VCF instance.
    #[must_use]
    pub fn realm_ids(&self) -> Vec<String> {
        self.sim
            .shared
            .model()
            .vcf_ops
            .realms
            .keys()
            .cloned()
            .collect()
    }

    /// The first SSO realm's id.
    #[must_use]
    pub fn realm_id(&self) -> String {
        self.realm_ids().into_iter().next().unwrap_or_default()
    }

    /// The VCF instance a realm covers.
    #[must_use]
    pub fn vcf_instance_id(&self, realm_id: &str) -> Option<String> {
        let model = self.sim.shared.model();
        Some(model.vcf_ops.realms.get(realm_id)?.vcf_instance_id.clone())
    }

    /// The id of a realm's user by user name (`alice`, `bob` are seeded).
    #[must_use]
    pub fn user_id(&self, realm_id: &str, user_name: &str) -> Option<String> {
        let model = self.sim.shared.model();
        let realm = model.vcf_ops.realms.get(realm_id)?;
        realm
            .users
            .iter()
            .find(|u| u["userName"] == user_name)
            .and_then(|u| u["userId"].as_str().map(str::to_owned))
    }

    /// The id of a realm's group by name (`vcf-admins`, `vcf-viewers` are
    /// seeded).
    #[must_use]
    pub fn group_id(&self, realm_id: &str, group_name: &str) -> Option<String> {
        let model = self.sim.shared.model();
        let realm = model.vcf_ops.realms.get(realm_id)?;
        realm
            .groups
            .iter()
            .find(|g| g["groupName"] == group_name)
            .and_then(|g| g["groupId"].as_str().map(str::to_owned))
    }

    /// The names of the roles assigned to a principal of a realm.
    #[must_use]
    pub fn role_names(&self, realm_id: &str, principal_id: &str) -> Vec<String> {
        let model = self.sim.shared.model();
        model
            .vcf_ops
            .realms
            .get(realm_id)
            .and_then(|r| r.assignments.get(principal_id))
            .into_iter()
            .flatten()
            .filter_map(|a| a["roleName"].as_str().map(str::to_owned))
            .collect()
    }

    /// The ids of the identity providers.
    #[must_use]
    pub fn identity_provider_ids(&self) -> Vec<String> {
        self.sim
            .shared
            .model()
            .vcf_ops
            .idps
            .keys()
            .cloned()
            .collect()
    }

    /// The SCIM bearer token a directory's sync client currently holds (the
    /// token the SCIM side accepts for that directory), if one was
    /// generated and has not expired.
    #[must_use]
    pub fn sync_token(&self, idp_id: &str, directory_id: &str) -> Option<String> {
        let model = self.sim.shared.model();
        let client = model
            .vcf_ops
            .sync_clients
            .get(&(idp_id.to_owned(), directory_id.to_owned()))?;
        (client.token_expires_at > now_millis())
            .then(|| client.token.clone())
            .flatten()
    }

    /// [`sync_token`](Self::sync_token) by directory id alone (directory
    /// ids are unique across providers).
    #[must_use]
    pub fn directory_sync_token(&self, directory_id: &str) -> Option<String> {
        let idp = {
            let model = self.sim.shared.model();
            model
                .vcf_ops
                .sync_clients
                .keys()
                .find(|(_, d)| d == directory_id)
                .map(|(idp, _)| idp.clone())?
        };
        self.sync_token(&idp, directory_id)
    }

    /// The SCIM base URL the sync clients push to, on the simulator's
    /// authority (the vendor's sync client answer carries no URL).
    #[must_use]
    pub fn scim_url(&self) -> String {
        self.sim.shared.scim_url()
    }

    /// The current token of an API token, if it exists.
    #[must_use]
    pub fn api_token(&self, realm_id: &str, token_id: &str) -> Option<String> {
        let model = self.sim.shared.model();
        model
            .vcf_ops
            .api_tokens
            .get(&(realm_id.to_owned(), token_id.to_owned()))
            .map(|t| t.token.clone())
    }

    /// How many API tokens a realm has.
    #[must_use]
    pub fn api_token_count(&self, realm_id: &str) -> usize {
        let model = self.sim.shared.model();
        model
            .vcf_ops
            .api_tokens
            .keys()
            .filter(|(realm, _)| realm == realm_id)
            .count()
    }

    /// Moves an API token's expiration date to now, so it reads `EXPIRED`.
    /// Returns whether it exists.
    pub fn expire_api_token(&self, realm_id: &str, token_id: &str) -> bool {
        let mut model = self.sim.shared.model();
        let Some(token) = model
            .vcf_ops
            .api_tokens
            .get_mut(&(realm_id.to_owned(), token_id.to_owned()))
        else {
            return false;
        };
        token.document["expirationDate"] = json!(now_millis());
        true
    }

    /// The current client secret of an OAuth app, if it exists.
    #[must_use]
    pub fn oauth_app_secret(&self, realm_id: &str, app_id: &str) -> Option<String> {
        let model = self.sim.shared.model();
        model
            .vcf_ops
            .oauth_apps
            .get(&(realm_id.to_owned(), app_id.to_owned()))
            .map(|a| a.secret.clone())
    }

    /// Makes the next task started end `FAILED` with this error code and
    /// message (its change is not made).
    pub fn fail_next_task(&self, code: &str, message: &str) {
        self.sim.shared.model().vcf_ops.fail_next_task =
            Some((code.to_owned(), message.to_owned()));
    }

    /// How many `OpsToken`s are valid now (released and expired ones do not
    /// count).
    #[must_use]
    pub fn ops_token_count(&self) -> usize {
        let now = SystemTime::now();
        let model = self.sim.shared.model();
        model
            .vcf_ops
            .tokens
            .values()
            .filter(|t| t.valid_until > now)
            .count()
    }

    /// Makes every `OpsToken` acquired so far expired, to test a client's
    /// reaction to a 401.
    pub fn expire_ops_tokens(&self) {
        let now = SystemTime::now();
        for token in self.sim.shared.model().vcf_ops.tokens.values_mut() {
            token.valid_until = now;
        }
    }

    /// Every secret VCF Operations issued or holds (`OpsToken`s, sync
    /// client tokens and secrets, API tokens, OAuth app secrets, the
    /// password), for tests that prove no secret leaks.
    #[must_use]
    pub fn secrets(&self) -> Vec<String> {
        let model = self.sim.shared.model();
        let ops = &model.vcf_ops;
        let mut secrets = vec![ops.password.clone()];
        secrets.extend(ops.tokens.keys().cloned());
        for client in ops.sync_clients.values() {
            secrets.push(client.client_secret.clone());
            secrets.extend(client.token.clone());
        }
        secrets.extend(ops.api_tokens.values().map(|t| t.token.clone()));
        secrets.extend(ops.oauth_apps.values().map(|a| a.secret.clone()));
        secrets
    }
}
