//! vCenter's state: the open API sessions (`vmware-api-session-id`).
//! The admin-client tokens it hands out live in the shared token store.

use std::collections::HashSet;

/// The open sessions, by id. Its `Debug` shows how many, never an id.
#[derive(Clone, Default)]
pub(crate) struct VcenterState {
    pub(crate) sessions: HashSet<String>,
}

impl std::fmt::Debug for VcenterState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VcenterState")
            .field("sessions", &self.sessions.len())
            .finish()
    }
}
