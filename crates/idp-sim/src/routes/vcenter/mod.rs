//! vCenter's operations that lead to the Identity Broker: a session from a
//! vCenter user's credentials (`POST`/`DELETE /api/session`) and, with its
//! id, the tenant's admin-client token, which the broker accepts. Plain
//! JSON, errors without a body. [`Handle`] (from [`Simulator::vcenter`])
//! reads the open sessions.
//!
//! [`Simulator::vcenter`]: crate::Simulator::vcenter

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};

use crate::routes::operation::Operation;
use crate::state::Shared;

mod admin_client;
mod handle;
mod session;

pub use handle::Handle;

/// `POST` (log in) and `DELETE` (log out); vSphere Automation API
/// reference, "Cis Session create" / "Cis Session delete".
const SESSION: &str = "/api/session";
/// `vsphere-automation-api/latest/vcenter/api/vcenter/identity/broker/tenants/tenant/admin-client/get/`.
const ADMIN_CLIENT: &str = "/api/vcenter/identity/broker/tenants/{tenant}/admin-client";

/// The session header ("For REST API calls the HTTP vmware-api-session-id
/// header field should be used", "Cis Session create").
const SESSION_HEADER: &str = "vmware-api-session-id";

static OPERATIONS: &[Operation] = &[
    Operation {
        id: "createVcenterSession",
        method: "POST",
        path: SESSION,
        request_media: None,
        response_media: None,
    },
    Operation {
        id: "deleteVcenterSession",
        method: "DELETE",
        path: SESSION,
        request_media: None,
        response_media: None,
    },
    Operation {
        id: "getBrokerTenantAdminClient",
        method: "GET",
        path: ADMIN_CLIENT,
        request_media: None,
        response_media: None,
    },
];

/// Every vCenter operation the simulator serves (all plain JSON: no vendor
/// media types).
#[must_use]
pub fn operations() -> &'static [Operation] {
    OPERATIONS
}

/// The vCenter routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(SESSION, post(session::create).delete(session::delete))
        .route(ADMIN_CLIENT, get(admin_client::admin_client))
}

/// The session id a request carries, trimmed; 401 without one.
fn session_id(headers: &HeaderMap) -> Result<&str, StatusCode> {
    headers
        .get(SESSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .ok_or(StatusCode::UNAUTHORIZED)
}
