//! Microsoft Entra's handle on a running simulator.

use std::time::SystemTime;

use crate::paths::{ENTRA_GRAPH_PREFIX, ENTRA_LOGIN_PREFIX};
use crate::{DeliveredToken, Simulator};

/// The simulated Microsoft identity platform and Graph of a running
/// [`Simulator`] (from [`Simulator::entra`]): their URLs, the tenant, the
/// app registration and the seeded service principal, and what was
/// delivered to it.
#[derive(Debug, Clone, Copy)]
pub struct Handle<'a> {
    sim: &'a Simulator,
}

impl<'a> Handle<'a> {
    pub(crate) fn new(sim: &'a Simulator) -> Self {
        Handle { sim }
    }

    /// The login host (`ENTRA_LOGIN_URL`): the simulator's URL with
    /// [`ENTRA_LOGIN_PREFIX`](crate::ENTRA_LOGIN_PREFIX).
    #[must_use]
    pub fn login_url(&self) -> String {
        format!("{}{ENTRA_LOGIN_PREFIX}", self.sim.base_url)
    }

    /// The Graph host (`ENTRA_GRAPH_URL`): the simulator's URL with
    /// [`ENTRA_GRAPH_PREFIX`](crate::ENTRA_GRAPH_PREFIX).
    #[must_use]
    pub fn graph_url(&self) -> String {
        format!("{}{ENTRA_GRAPH_PREFIX}", self.sim.base_url)
    }

    /// The tenant's id (`ENTRA_TENANT_ID`).
    #[must_use]
    pub fn tenant_id(&self) -> String {
        self.sim.shared.model().entra.tenant_id.clone()
    }

    /// The app registration's client id (`ENTRA_CLIENT_ID`).
    #[must_use]
    pub fn client_id(&self) -> String {
        self.sim.shared.model().entra.client_id.clone()
    }

    /// The app registration's client secret (`ENTRA_CLIENT_SECRET`).
    #[must_use]
    pub fn client_secret(&self) -> String {
        self.sim.shared.model().entra.client_secret.clone()
    }

    /// The id of the seeded service principal
    /// (`ENTRA_SERVICE_PRINCIPAL_ID`), which has no synchronization secrets
    /// until some are put.
    #[must_use]
    pub fn service_principal_id(&self) -> String {
        let model = self.sim.shared.model();
        model
            .entra
            .service_principals
            .keys()
            .min()
            .cloned()
            .unwrap_or_default()
    }

    /// What was delivered to a service principal's synchronization secrets:
    /// `SecretToken` and `BaseAddress` (`None` when the service principal is
    /// unknown or has no `SecretToken`).
    #[must_use]
    pub fn delivered(&self, service_principal_id: &str) -> Option<DeliveredToken> {
        let model = self.sim.shared.model();
        let secrets = model.entra.service_principals.get(service_principal_id)?;
        let get = |key: &str| {
            secrets
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        Some(DeliveredToken {
            token: get("SecretToken")?,
            scim_url: get("BaseAddress"),
            active: true,
        })
    }

    /// The id of a service principal's one synchronization job (stable:
    /// `validateCredentials` names it).
    #[must_use]
    pub fn synchronization_job_id(&self, service_principal_id: &str) -> String {
        super::synchronization::job_id(service_principal_id)
    }

    /// Makes every app-only token the token endpoint issued expire now
    /// (Graph answers them 401).
    pub fn expire_tokens(&self) {
        let now = SystemTime::now();
        for expires in self.sim.shared.model().entra.access_tokens.values_mut() {
            *expires = now;
        }
    }

    /// Entra pushes `user_name` and `group` with the synchronization
    /// secrets it holds (`BaseAddress`, `SecretToken`), as its provisioning
    /// cycle would (see [`crate::scim::Handle::push`]).
    pub fn push(
        &self,
        service_principal_id: &str,
        user_name: &str,
        group: &str,
    ) -> Result<crate::scim::Pushed, crate::scim::PushError> {
        let held = self
            .delivered(service_principal_id)
            .ok_or(crate::scim::PushError::NothingDelivered)?;
        let url = held
            .scim_url
            .ok_or(crate::scim::PushError::NothingDelivered)?;
        self.sim.scim().push(&url, &held.token, user_name, group)
    }
}
