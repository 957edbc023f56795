//! Where each API lives in the simulator's one URL space: SDDC Manager, the
//! broker and vCenter at the root (their paths do not clash), Unleash under
//! [`UNLEASH_PREFIX`], Okta under [`OKTA_PREFIX`], Microsoft's login host
//! and Graph under [`ENTRA_LOGIN_PREFIX`] and [`ENTRA_GRAPH_PREFIX`], the
//! simulator's controls under [`ADMIN_PREFIX`].

/// The path prefix of the simulated Unleash server.
pub const UNLEASH_PREFIX: &str = "/unleash";

/// The path prefix of the simulated Okta org (its `OKTA_URL` ends here).
pub const OKTA_PREFIX: &str = "/okta";

/// The path prefix of the simulated Microsoft identity platform login host
/// (its `ENTRA_LOGIN_URL` ends here).
pub const ENTRA_LOGIN_PREFIX: &str = "/login";

/// The path prefix of the simulated Microsoft Graph host (its
/// `ENTRA_GRAPH_URL` ends here).
pub const ENTRA_GRAPH_PREFIX: &str = "/graph";

/// The path prefix of the simulator's control routes.
pub const ADMIN_PREFIX: &str = "/__sim";

/// Whether a raw request path belongs to the Unleash server.
pub(crate) fn is_unleash_path(path: &str) -> bool {
    path == UNLEASH_PREFIX
        || path
            .strip_prefix(UNLEASH_PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether a raw request path belongs to the simulator's control routes.
pub(crate) fn is_admin_path(path: &str) -> bool {
    path == ADMIN_PREFIX
        || path
            .strip_prefix(ADMIN_PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether a raw request path belongs to the Okta org.
pub(crate) fn is_okta_path(path: &str) -> bool {
    path == OKTA_PREFIX
        || path
            .strip_prefix(OKTA_PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether a raw request path belongs to the Microsoft login host.
pub(crate) fn is_entra_login_path(path: &str) -> bool {
    has_prefix(path, ENTRA_LOGIN_PREFIX)
}

/// Whether a raw request path belongs to the Microsoft Graph host.
pub(crate) fn is_entra_graph_path(path: &str) -> bool {
    has_prefix(path, ENTRA_GRAPH_PREFIX)
}

fn has_prefix(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}
