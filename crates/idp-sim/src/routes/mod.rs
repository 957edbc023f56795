//! The HTTP routes: VCF at the root, Unleash under `/unleash`, the
//! simulator's own controls under `/__sim`.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::paths::is_unleash_path;
use crate::state::Shared;
use crate::vendor_error::{UnleashError, VcfError, VcfShape};

pub(crate) mod admin;
pub(crate) mod unleash;
pub(crate) mod validate;
pub(crate) mod vcf;

/// The router of both simulated servers (without `/__sim`).
pub(crate) fn servers(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(vcf::router())
        .merge(unleash::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
}

async fn not_found(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let path = uri.path();
    if is_unleash_path(path) {
        UnleashError::new(
            StatusCode::NOT_FOUND,
            "NotFoundError",
            "Could not find the requested resource.",
        )
        .into_response()
    } else {
        VcfError::new(
            shared.config.profile,
            VcfShape::ErrorResponse,
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            "The requested resource was not found",
        )
        .into_response()
    }
}

async fn method_not_allowed(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    if is_unleash_path(uri.path()) {
        UnleashError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowedError",
            "The HTTP method is not allowed on this resource.",
        )
        .into_response()
    } else {
        VcfError::new(
            shared.config.profile,
            VcfShape::ErrorResponse,
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "The HTTP method is not supported by this resource",
        )
        .into_response()
    }
}
