//! VCF Operations 9.1 fleet identity (`/suite-api`), served under the
//! `vcf-9.1` profile only (other profiles answer 404 as a server without
//! it): `OpsToken` acquire and release, SSO realms, identity providers and
//! their SCIM sync clients and LDAP directories, role assignments, users
//! and groups, roles, API tokens, OAuth apps and IAM tasks.
//!
//! As VMware's OpenAPI description of VCF Operations 9.1.0.0 shows
//! (`specifications/vcf-operations/vcf-operations-openapi.json` of
//! `vmware/vcf-api-specs`): paths, camelCase bodies, statuses (201 for
//! creations, 202 with an `IamTaskDetails` for deletions run as tasks, 204
//! for other deletions), `Authorization: OpsToken <token>` or
//! `Bearer <token>`. Error bodies are not in that description; the
//! simulator sends `{message, httpStatusCode, apiErrorCode}` (assumed).
//! [`Handle`] (from [`Simulator::vcf_ops`]) reads and steers the state.
//!
//! [`Simulator::vcf_ops`]: crate::Simulator::vcf_ops

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::state::Shared;

mod access;
mod handle;
mod providers;
mod request;
mod tokens;

pub use handle::Handle;
pub(crate) use request::path_not_found;

/// Where every path starts.
pub const OPS_PREFIX: &str = "/suite-api";

const IAM: &str = "/suite-api/api/fleet-management/iam";

/// The VCF Operations routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    let iam = |path: &str| format!("{IAM}{path}");
    Router::new()
        .route("/suite-api/api/auth/token/acquire", post(tokens::acquire))
        .route("/suite-api/api/auth/token/release", post(tokens::release))
        .route(&iam("/ssorealms"), get(access::list_realms))
        .route(&iam("/ssorealms/{realm}"), get(access::get_realm))
        .route(
            &iam("/identity-providers"),
            post(providers::create).put(providers::update),
        )
        .route(
            &iam("/identity-providers/{idp}"),
            get(providers::get).delete(providers::delete),
        )
        .route(
            &iam("/identity-providers/{idp}/directories/{directory}/sync-client"),
            get(providers::get_sync_client).post(providers::generate_sync_client),
        )
        .route(
            &iam("/identity-providers/{idp}/ldap-directories"),
            get(providers::ldap_directories),
        )
        .route(
            &iam("/identity-providers/{idp}/ldap-directories/{ldap}/sync"),
            post(providers::ldap_sync),
        )
        .route(
            &iam("/identity-providers/{idp}/ldap-directories/{ldap}/sync-logs"),
            get(providers::ldap_sync_logs),
        )
        .route(
            &iam("/ssorealms/{realm}/principals/{principal}/roles"),
            get(access::get_assignments)
                .put(access::set_assignments)
                .delete(access::delete_assignments),
        )
        .route(&iam("/ssorealms/{realm}/users/query"), post(access::users))
        .route(
            &iam("/ssorealms/{realm}/groups/query"),
            post(access::groups),
        )
        .route(&iam("/roles"), get(access::roles))
        .route(
            &iam("/ssorealms/{realm}/api-tokens"),
            post(tokens::generate_api_token),
        )
        .route(
            &iam("/ssorealms/{realm}/api-tokens/query"),
            post(tokens::query_api_tokens),
        )
        .route(
            &iam("/ssorealms/{realm}/api-tokens/{token}"),
            get(tokens::get_api_token).delete(tokens::delete_api_token),
        )
        .route(
            &iam("/ssorealms/{realm}/api-tokens/{token}/regenerate"),
            post(tokens::regenerate_api_token),
        )
        .route(
            &iam("/ssorealms/{realm}/oauth-apps"),
            get(tokens::list_oauth_apps).post(tokens::create_oauth_app),
        )
        .route(
            &iam("/ssorealms/{realm}/oauth-apps/{app}"),
            get(tokens::get_oauth_app).delete(tokens::delete_oauth_app),
        )
        .route(
            &iam("/ssorealms/{realm}/oauth-apps/{app}/rotate"),
            post(tokens::rotate_oauth_app),
        )
        .route(&iam("/tasks/{task}"), get(providers::get_task))
}
