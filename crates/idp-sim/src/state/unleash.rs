//! Unleash's state: the SCIM settings, the one valid SCIM token and the
//! maintenance switch.

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
