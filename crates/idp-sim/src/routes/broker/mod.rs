//! The VCF Identity Broker (tenant `CUSTOMER`), at the server root beside
//! the other APIs as on a vCenter: directories and their sync clients,
//! OIDC identity providers, OAuth 2.0 clients and the token endpoint.
//!
//! As the reference documents: vendor media types on requests (a body sent
//! with another `Content-Type` is refused with 415) and answers
//! ([`operations()`] lists them), snake_case fields, `_links`, and errors
//! without a body. [`Handle`] (from [`Simulator::broker`]) reads and
//! steers the state.
//!
//! [`Simulator::broker`]: crate::Simulator::broker

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::routes::operation::Operation;
use crate::state::Shared;

mod directories;
mod handle;
mod identity_providers;
mod oauth_clients;
mod request;
mod sync_client;
mod table;
mod token;

pub use handle::Handle;
use table::{
    DIRECTORIES, DIRECTORY, IDENTITY_PROVIDER, IDENTITY_PROVIDERS, OAUTH_CLIENT, OAUTH_CLIENTS,
    SYNC_CLIENT, TOKEN,
};

/// Every broker operation the simulator serves, with the media types it
/// requires and answers with, as the vendor's reference names them.
#[must_use]
pub fn operations() -> &'static [Operation] {
    table::OPERATIONS
}

/// The broker routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            DIRECTORIES,
            get(directories::list).post(directories::create),
        )
        .route(
            DIRECTORY,
            get(directories::get)
                .patch(directories::update)
                .delete(directories::delete),
        )
        .route(
            SYNC_CLIENT,
            get(sync_client::get).post(sync_client::generate),
        )
        .route(
            IDENTITY_PROVIDERS,
            get(identity_providers::list).post(identity_providers::create),
        )
        .route(
            IDENTITY_PROVIDER,
            get(identity_providers::get)
                .patch(identity_providers::patch)
                .delete(identity_providers::delete),
        )
        .route(
            OAUTH_CLIENTS,
            get(oauth_clients::list).post(oauth_clients::create),
        )
        .route(
            OAUTH_CLIENT,
            get(oauth_clients::get)
                .patch(oauth_clients::patch)
                .post(oauth_clients::rotate_secret)
                .delete(oauth_clients::delete),
        )
        .route(TOKEN, post(token::token))
}
