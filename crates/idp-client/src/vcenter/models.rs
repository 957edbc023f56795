//! What vCenter hands out.

use chrono::{DateTime, Utc};
use idp_api::Secret;

/// A broker tenant admin client's access token, as vCenter reads it out.
/// Not serializable: it is a credential for the broker, not output
/// (`Debug` redacts it).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TenantAdminToken {
    /// The access token for the broker's admin API.
    pub access_token: Secret,
    /// When it expires, when vCenter said (`expires_in`).
    pub expires_at: Option<DateTime<Utc>>,
}
