//! Microsoft Entra: the identity platform's token endpoint (client
//! credentials) under `/login`, and Microsoft Graph's synchronization jobs
//! and secrets of a service principal, and its credential validation
//! against the simulator's own SCIM URLs, under `/graph`. Graph accepts only
//! tokens this token endpoint issued. Secrets and tokens are never answered
//! or logged. [`Handle`] (from [`Simulator::entra`]) reads what was
//! delivered.
//!
//! [`Simulator::entra`]: crate::Simulator::entra

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post, put};

use crate::state::Shared;

mod errors;
mod handle;
mod synchronization;
mod token;

pub(crate) use errors::{graph_error, token_error};
pub use handle::Handle;

/// The token endpoint and the Graph routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/login/{tenant}/oauth2/v2.0/token", post(token::token))
        .route(
            "/graph/v1.0/servicePrincipals/{id}/synchronization/jobs",
            get(synchronization::list_jobs),
        )
        .route(
            "/graph/v1.0/servicePrincipals/{id}/synchronization/secrets",
            put(synchronization::put_secrets),
        )
        .route(
            "/graph/v1.0/servicePrincipals/{id}/synchronization/jobs/{job_id}/validateCredentials",
            post(synchronization::validate_credentials),
        )
}
