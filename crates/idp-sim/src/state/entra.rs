//! Microsoft Entra's state: the tenant, its app registration, the
//! app-only tokens issued and the service principals' synchronization
//! secrets.

use std::collections::HashMap;
use std::time::SystemTime;

use crate::ids::{new_uuid, random_hex};

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
            client_secret: format!("sim~{}", random_hex(20)),
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
