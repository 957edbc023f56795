//! SDDC Manager (VCF): the token API and the Identity Providers API, at the
//! server root. One module per job: the router (here), request handling,
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

pub use handle::Handle;
use providers::{
    add_provider, delete_provider, get_provider, list_providers, prechecks, update_provider,
};
use sources::{add_source, delete_source, update_source};
use sync_client::sync_client;
use tokens::{login, refresh, revoke};

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
}
