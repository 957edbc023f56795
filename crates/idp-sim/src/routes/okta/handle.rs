//! Okta's handle on a running simulator.

use crate::paths::OKTA_PREFIX;
use crate::{DeliveredToken, Simulator};

/// The simulated Okta org of a running [`Simulator`] (from
/// [`Simulator::okta`]): its URL, API token and seeded app, and what was
/// delivered to the app.
#[derive(Debug, Clone, Copy)]
pub struct Handle<'a> {
    sim: &'a Simulator,
}

impl<'a> Handle<'a> {
    pub(crate) fn new(sim: &'a Simulator) -> Self {
        Handle { sim }
    }

    /// The org's URL (`OKTA_URL`): the simulator's URL with
    /// [`OKTA_PREFIX`](crate::OKTA_PREFIX).
    #[must_use]
    pub fn url(&self) -> String {
        format!("{}{OKTA_PREFIX}", self.sim.base_url)
    }

    /// The API token the org accepts, as `SSWS <token>` or
    /// `Bearer <token>` (`OKTA_API_TOKEN`).
    #[must_use]
    pub fn api_token(&self) -> String {
        self.sim.shared.model().okta.api_token.clone()
    }

    /// The id of the seeded app (`OKTA_APP_ID`), which has no provisioning
    /// connection until one is set.
    #[must_use]
    pub fn app_id(&self) -> String {
        let model = self.sim.shared.model();
        model.okta.apps.keys().min().cloned().unwrap_or_default()
    }

    /// What was delivered to an app's default provisioning connection: the
    /// token and the base URL (`None` when the app is unknown or has no
    /// connection yet).
    #[must_use]
    pub fn delivered(&self, app_id: &str) -> Option<DeliveredToken> {
        let model = self.sim.shared.model();
        let connection = model.okta.apps.get(app_id)?.connection.as_ref()?;
        Some(DeliveredToken {
            token: connection.token.clone(),
            scim_url: connection.base_url.clone(),
            active: connection.enabled,
        })
    }

    /// Okta pushes `user_name` and `group` to the app's provisioning
    /// connection with the base URL and token it holds, as its provisioning
    /// would (see [`crate::scim::Handle::push`]).
    pub fn push(
        &self,
        app_id: &str,
        user_name: &str,
        group: &str,
    ) -> Result<crate::scim::Pushed, crate::scim::PushError> {
        let held = self
            .delivered(app_id)
            .ok_or(crate::scim::PushError::NothingDelivered)?;
        let url = held
            .scim_url
            .ok_or(crate::scim::PushError::NothingDelivered)?;
        self.sim.scim().push(&url, &held.token, user_name, group)
    }
}
