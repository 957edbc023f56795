//! Okta: an app's default provisioning connection, served under `/okta`
//! (`GET`/`POST /okta/api/v1/apps/{appId}/connections/default`), with Okta's
//! error body (`errorCode`, `errorSummary`, `errorLink`, `errorId`,
//! `errorCauses`). The token set on a connection is never answered (Okta
//! answers only the scheme) and never logged. [`Handle`] (from
//! [`Simulator::okta`]) reads what was delivered.
//!
//! [`Simulator::okta`]: crate::Simulator::okta

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::get;

use crate::state::Shared;

mod connections;
mod error;
mod handle;

pub(crate) use error::OktaError;
pub use handle::Handle;

/// The Okta routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new().route(
        "/okta/api/v1/apps/{app_id}/connections/default",
        get(connections::get_connection).post(connections::set_connection),
    )
}

/// `Authorization: SSWS <token>` or `Bearer <token>` with the seeded token.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<(), OktaError> {
    let invalid = || {
        OktaError::new(
            StatusCode::UNAUTHORIZED,
            "E0000011",
            "Invalid token provided",
        )
    };
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(invalid)?;
    let (scheme, token) = value.split_once(' ').ok_or_else(invalid)?;
    let known = scheme.eq_ignore_ascii_case("SSWS") || scheme.eq_ignore_ascii_case("Bearer");
    if known && token.trim() == shared.model().okta.api_token {
        Ok(())
    } else {
        Err(invalid())
    }
}
