//! The HTTP routes, one folder per API: SDDC Manager ([`vcf`]), the
//! Identity Broker ([`broker`]) and vCenter ([`vcenter`]) at the root,
//! Unleash under `/unleash`, Okta under `/okta`, Microsoft's login host and
//! Graph ([`entra`]) under `/login` and `/graph`, VCF Operations
//! ([`vcf_ops`], profile `vcf-9.1` only) under `/suite-api`; SCIM ([`scim`])
//! at every SCIM URL the others hand out; the simulator's own
//! controls ([`admin`]) under `/__sim`. Each API's folder holds its router,
//! its handlers by resource and its [`Simulator`](crate::Simulator) handle.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::paths::{is_entra_graph_path, is_entra_login_path, is_okta_path, is_unleash_path};
use crate::state::Shared;
use crate::vendor_error::{UnleashError, VcfError, VcfShape};

pub(crate) mod admin;
pub mod broker;
pub mod entra;
pub mod okta;
pub(crate) mod operation;
pub mod scim;
pub mod unleash;
pub(crate) mod validate;
pub mod vcenter;
pub mod vcf;
pub mod vcf_ops;

/// The router of every simulated API (without `/__sim`).
pub(crate) fn servers(shared: Arc<Shared>) -> Router {
    let ops = if shared.config.profile.serves_vcf_operations() {
        vcf_ops::router()
    } else {
        Router::new()
    };
    Router::new()
        .merge(vcf::router())
        .merge(ops)
        .merge(unleash::router())
        .merge(broker::router())
        .merge(vcenter::router())
        .merge(okta::router())
        .merge(entra::router())
        .merge(scim::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
}

async fn not_found(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if is_unleash_path(path) {
        unleash::path_not_found(path).into_response()
    } else if is_okta_path(path) {
        okta::OktaError::not_found(path).into_response()
    } else if is_entra_graph_path(path) {
        entra::graph_error(
            StatusCode::NOT_FOUND,
            "BadRequest",
            &format!("Resource not found for the segment '{path}'."),
        )
    } else if is_entra_login_path(path) {
        entra::token_error(
            StatusCode::NOT_FOUND,
            "invalid_request",
            900_561,
            "The endpoint only accepts POST requests.",
        )
    } else if shared.config.profile.serves_vcf_operations()
        && (path == vcf_ops::OPS_PREFIX || path.starts_with("/suite-api/"))
    {
        vcf_ops::path_not_found(path)
    } else if path == "/api" || path.starts_with("/api/") {
        // Unleash's API asked for without its base path (`/unleash`): the
        // request never reaches Unleash, and Express answers.
        express_not_found(&method, path)
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

/// Express's default 404 page, as a server with a base path answers a path
/// outside it.
fn express_not_found(method: &Method, path: &str) -> Response {
    let escaped = path
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot {method} {escaped}</pre>\n</body>\n</html>\n"
    );
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
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
