//! SDDC Manager (VCF): the token API, the Identity Providers API and the
//! users, roles and SSO domains, at the server root. One module per job: the router (here), request handling,
//! field checks, rendering of vendor JSON, the handlers for tokens,
//! providers, sources and the sync client, and [`Handle`] (from
//! [`Simulator::vcf`]), which reads and steers the state.
//!
//! [`Simulator::vcf`]: crate::Simulator::vcf

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, patch, post};

use crate::state::Shared;

mod fields;
mod handle;
mod providers;
mod render;
mod request;
mod sources;
mod sync_client;
mod tokens;
mod users;

pub use handle::Handle;
use providers::{
    add_provider, delete_provider, get_provider, list_providers, prechecks, update_provider,
};
use sources::{add_source, delete_source, update_source};
use sync_client::sync_client;
use tokens::{login, refresh, revoke};
use users::{
    add_users, list_roles, list_sso_domains, list_ui_users, list_users, remove_user,
    search_entities,
};

/// The VCF routes, at the server root.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1/tokens", post(login))
        .route("/v1/tokens/access-token/refresh", patch(refresh))
        .route("/v1/tokens/refresh-token", delete(revoke))
        .route("/v1/identity-broker/prechecks", get(prechecks))
        .route(
            "/v1/identity-providers",
            get(list_providers).post(add_provider),
        )
        .route(
            "/v1/identity-providers/{id}",
            get(get_provider)
                .patch(update_provider)
                .delete(delete_provider),
        )
        .route(
            "/v1/identity-providers/{id}/identity-sources",
            post(add_source),
        )
        .route(
            "/v1/identity-providers/{id}/identity-sources/{domain}",
            patch(update_source).delete(delete_source),
        )
        .route("/v1/identity-providers/{id}/sync-client", post(sync_client))
        .route("/v1/users", get(list_users).post(add_users))
        .route("/v1/users/ui", get(list_ui_users))
        .route("/v1/users/{id}", delete(remove_user))
        .route("/v1/roles", get(list_roles))
        .route("/v1/sso-domains", get(list_sso_domains))
        .route("/v1/sso-domains/{domain}/entities", get(search_entities))
}
