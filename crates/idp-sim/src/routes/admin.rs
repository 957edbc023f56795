//! The simulator's own control routes under `/__sim` (loopback clients only):
//!
//! | method | path | does |
//! |---|---|---|
//! | POST | `/__sim/faults` | add a fault rule (JSON [`FaultRule`](crate::FaultRule)) -> 201 `{"id": n}` |
//! | GET | `/__sim/faults` | the active rules -> 200 `[{"id": n, "rule": {...}}]` |
//! | DELETE | `/__sim/faults` | remove every rule -> 204 |
//! | DELETE | `/__sim/faults/{id}` | remove one rule -> 204 (404 if unknown) |
//! | GET | `/__sim/requests` | the request log -> 200 `[RecordedRequest]` |
//! | DELETE | `/__sim/requests` | clear the log -> 204 |
//! | POST | `/__sim/vcf/principals` | make a user or group known in an SSO domain (`{"domain", "name", "type": "USER"\|"GROUP"}`) -> 201, 200 if known |

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::json;

use crate::faults::{FaultId, FaultRule};
use crate::routes::validate::{BodyProblem, parse_json};
use crate::state::Shared;
use crate::vendor_error::json_response;

type Ctx = State<Arc<Shared>>;

/// The `/__sim` router.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/__sim/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/__sim/faults/{id}", delete(remove_fault))
        .route("/__sim/requests", get(list_requests).delete(clear_requests))
        .route("/__sim/vcf/principals", post(add_principal))
        .fallback(|| async {
            admin_error(StatusCode::NOT_FOUND, "no such simulator control route")
        })
        .method_not_allowed_fallback(|| async {
            admin_error(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed on this simulator control route",
            )
        })
        .with_state(shared)
}

/// A simulator (not vendor) error: `{"error": "..."}`.
pub(crate) fn admin_error(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, &json!({ "error": message.into() }))
}

async fn add_fault(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Ok(body) = body else {
        return admin_error(
            StatusCode::BAD_REQUEST,
            "the request body could not be read",
        );
    };
    let value = match parse_json(&headers, &body) {
        Ok(v) => v,
        Err(BodyProblem::ContentType(ct)) => {
            return admin_error(
                StatusCode::BAD_REQUEST,
                format!("send the rule as application/json, not {ct}"),
            );
        }
        Err(BodyProblem::Empty) => {
            return admin_error(StatusCode::BAD_REQUEST, "a fault rule is required");
        }
        Err(BodyProblem::Malformed(e)) => {
            return admin_error(StatusCode::BAD_REQUEST, format!("malformed JSON: {e}"));
        }
    };
    let rule: FaultRule = match serde_json::from_value(value) {
        Ok(rule) => rule,
        Err(e) => return admin_error(StatusCode::BAD_REQUEST, format!("invalid fault rule: {e}")),
    };
    match shared.faults.try_add(rule) {
        Ok(id) => json_response(StatusCode::CREATED, &json!({ "id": id })),
        Err(e) => admin_error(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

async fn list_faults(State(shared): Ctx) -> Response {
    json_response(StatusCode::OK, &json!(shared.faults.list()))
}

async fn clear_faults(State(shared): Ctx) -> Response {
    shared.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn remove_fault(State(shared): Ctx, id: Result<Path<u64>, PathRejection>) -> Response {
    match id {
        Ok(Path(id)) if shared.faults.remove(FaultId(id)) => StatusCode::NO_CONTENT.into_response(),
        _ => admin_error(StatusCode::NOT_FOUND, "no such fault rule"),
    }
}

async fn list_requests(State(shared): Ctx) -> Response {
    json_response(StatusCode::OK, &json!(shared.log.snapshot()))
}

async fn clear_requests(State(shared): Ctx) -> Response {
    shared.log.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn add_principal(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let value = match body.map(|b| parse_json(&headers, &b)) {
        Ok(Ok(value)) => value,
        _ => {
            return admin_error(
                StatusCode::BAD_REQUEST,
                "send {\"domain\", \"name\", \"type\"} as application/json",
            );
        }
    };
    let field = |name: &str| {
        value
            .get(name)
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let (Some(domain), Some(name), Some(kind)) = (field("domain"), field("name"), field("type"))
    else {
        return admin_error(
            StatusCode::BAD_REQUEST,
            "domain, name and type are required strings",
        );
    };
    let kind = kind.to_ascii_uppercase();
    if kind != "USER" && kind != "GROUP" {
        return admin_error(StatusCode::BAD_REQUEST, "type must be USER or GROUP");
    }
    let added = shared
        .model()
        .vcf
        .access
        .add_principal(&domain, &name, &kind);
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    json_response(
        status,
        &json!({ "domain": domain, "name": name, "type": kind }),
    )
}
