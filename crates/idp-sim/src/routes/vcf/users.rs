//! Users, roles and SSO domains: list, add (an array, all or nothing) and
//! remove users; list roles; list SSO domains and search their principals.
//!
//! Facts from VMware's SDDC Manager description (9.0, 9.1): the paths, the
//! operation ids, `addUsers` taking an array of `User` and answering 201
//! with a `PageOfUser`, the error schemas (`ErrorResponse` for the
//! listings and `addUsers`, `Error` for `removeUser`, 404 for an unknown
//! id). Assumed (docs/sddc-manager-api.md): the error codes and messages,
//! the atomic add, and the refusal to remove the last ADMIN.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use chrono::{SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::request::{Ctx, VcfResult, authorize, body_bytes, error, path_param};
use crate::ids::new_uuid;
use crate::routes::validate::{Invalid, Obj, parse_json};
use crate::state::vcf::VcfState;
use crate::state::vcf_access::{Access, User};
use crate::state::{Model, Shared};
use crate::vendor_error::{VcfError, VcfShape, json_response};

const USER_KINDS: [&str; 3] = ["USER", "GROUP", "SERVICE"];

fn user_json(user: &User, with_key: bool) -> Value {
    let mut body = json!({
        "id": user.id,
        "name": user.name,
        "domain": user.domain,
        "type": user.kind,
        "role": { "id": user.role_id },
        "creationTimestamp": user.created.to_rfc3339_opts(SecondsFormat::Millis, true),
    });
    if with_key && let Some(key) = &user.api_key {
        body["apiKey"] = json!(key);
    }
    body
}

fn page(elements: Vec<Value>) -> Value {
    let total = elements.len();
    json!({
        "elements": elements,
        "pageMetadata": { "pageNumber": 0, "pageSize": total, "totalElements": total, "totalPages": 1 },
    })
}

fn users_page(access: &Access) -> Value {
    page(access.users.iter().map(|u| user_json(u, false)).collect())
}

pub(super) async fn list_users(State(shared): Ctx, headers: HeaderMap) -> VcfResult {
    authorize(&shared, &headers)?;
    let body = users_page(&shared.model().vcf.access);
    Ok(json_response(StatusCode::OK, &body))
}

/// `GET /v1/users/ui`: every user here was granted through SDDC Manager.
pub(super) async fn list_ui_users(State(shared): Ctx, headers: HeaderMap) -> VcfResult {
    list_users(State(shared), headers).await
}

pub(super) async fn list_roles(State(shared): Ctx, headers: HeaderMap) -> VcfResult {
    authorize(&shared, &headers)?;
    let body = {
        let model = shared.model();
        page(
            model
                .vcf
                .access
                .roles
                .iter()
                .map(|r| json!({ "id": r.id, "name": r.name, "description": r.description }))
                .collect(),
        )
    };
    Ok(json_response(StatusCode::OK, &body))
}

pub(super) async fn list_sso_domains(State(shared): Ctx, headers: HeaderMap) -> VcfResult {
    authorize(&shared, &headers)?;
    let domains = shared.model().vcf.sso_domains();
    Ok(json_response(
        StatusCode::OK,
        &page(domains.into_iter().map(Value::String).collect()),
    ))
}

#[derive(Deserialize)]
pub(super) struct EntitiesQuery {
    #[serde(rename = "entityName")]
    entity_name: Option<String>,
}

pub(super) async fn search_entities(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<axum::extract::Path<String>, PathRejection>,
    query: Result<Query<EntitiesQuery>, QueryRejection>,
) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    authorize(&shared, &headers)?;
    let domain = path_param(&shared, shape, path)?;
    let search = query
        .ok()
        .and_then(|Query(q)| q.entity_name)
        .filter(|s| !s.trim().is_empty());
    let body = {
        let model = shared.model();
        // The vendor declares no 404 here: a domain that is no SSO domain
        // has no principals (assumed).
        if !model.vcf.is_sso_domain(&domain) {
            return Ok(json_response(StatusCode::OK, &page(Vec::new())));
        }
        page(
            model
                .vcf
                .access
                .search(&domain, search.as_deref())
                .into_iter()
                .map(|p| {
                    json!({ "id": format!("{}@{}", p.name, p.domain), "name": p.name, "type": p.kind })
                })
                .collect(),
        )
    };
    Ok(json_response(StatusCode::OK, &body))
}

/// One element of an `addUsers` body, checked field by field.
struct NewUser {
    name: String,
    domain: String,
    kind: String,
    role_id: String,
}

fn parse_user(index: usize, value: &Value) -> Result<NewUser, Invalid> {
    let at = |field: &str| format!("[{index}].{field}");
    let user = Obj::root(value)
        .map_err(|_| Invalid::value(format!("[{index}]"), "must be a JSON object"))?;
    let name = user
        .str("name")
        .map_err(|_| Invalid::required(at("name")))?;
    let kind = user
        .str("type")
        .map_err(|_| Invalid::required(at("type")))?
        .to_ascii_uppercase();
    if !USER_KINDS.contains(&kind.as_str()) {
        return Err(Invalid::value(
            at("type"),
            "must be one of USER, GROUP, SERVICE",
        ));
    }
    let domain = user
        .opt_str("domain")
        .map_err(|_| Invalid::value(at("domain"), "must be a string"))?;
    let domain = match (domain, kind.as_str()) {
        (Some(d), _) if !d.trim().is_empty() => d,
        // A service user belongs to the system domain (assumed).
        (_, "SERVICE") => crate::state::vcf_access::SYSTEM_DOMAIN.to_owned(),
        _ => return Err(Invalid::required(at("domain"))),
    };
    let role = user
        .obj("role")
        .map_err(|_| Invalid::required(at("role")))?;
    let role_id = role
        .str("id")
        .map_err(|_| Invalid::required(at("role.id")))?;
    Ok(NewUser {
        name,
        domain,
        kind,
        role_id,
    })
}

fn refuse(shared: &Shared, code: &str, message: String, arg: &str) -> VcfError {
    error(
        shared,
        VcfShape::ErrorResponse,
        StatusCode::BAD_REQUEST,
        code,
        message,
    )
    .arg(arg)
    .remediation("Correct the request and retry; no user was added")
}

/// Checks every element against the state and the ones before it: the
/// refusal of the first that cannot be added.
fn check_new_users(shared: &Shared, vcf: &VcfState, users: &[NewUser]) -> Result<(), VcfError> {
    for (i, user) in users.iter().enumerate() {
        let full = format!("{}@{}", user.name, user.domain);
        if vcf.access.role(&user.role_id).is_none() {
            return Err(refuse(
                shared,
                "ROLE_NOT_FOUND",
                format!("Role with id {} not found", user.role_id),
                &user.role_id,
            ));
        }
        if user.kind != "SERVICE"
            && (!vcf.is_sso_domain(&user.domain)
                || vcf
                    .access
                    .principal(&user.domain, &user.name)
                    .is_none_or(|p| p.kind != user.kind))
        {
            return Err(refuse(
                shared,
                "USER_NOT_FOUND_IN_SSO",
                format!(
                    "{} {full} not found in vCenter Single Sign-On",
                    user.kind.to_lowercase()
                ),
                &full,
            ));
        }
        let earlier = users[..i].iter().any(|u| {
            u.name.eq_ignore_ascii_case(&user.name)
                && u.domain.eq_ignore_ascii_case(&user.domain)
                && (u.kind == "SERVICE") == (user.kind == "SERVICE")
        });
        if earlier
            || vcf
                .access
                .users
                .iter()
                .any(|u| u.is(&user.name, &user.domain, &user.kind))
        {
            return Err(refuse(
                shared,
                "USER_ALREADY_EXISTS",
                format!("User {full} already exists"),
                &full,
            ));
        }
    }
    Ok(())
}

pub(super) async fn add_users(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    authorize(&shared, &headers)?;
    let body = body_bytes(&shared, shape, body)?;
    let value = parse_json(&headers, &body).map_err(|_| {
        error(
            &shared,
            shape,
            StatusCode::BAD_REQUEST,
            "MALFORMED_REQUEST_BODY",
            "The request body must be a JSON array of users",
        )
    })?;
    let Some(items) = value.as_array().filter(|a| !a.is_empty()) else {
        return Err(error(
            &shared,
            shape,
            StatusCode::BAD_REQUEST,
            "MALFORMED_REQUEST_BODY",
            "The request body must be a non-empty JSON array of users",
        ));
    };
    let new_users = items
        .iter()
        .enumerate()
        .map(|(i, v)| parse_user(i, v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.into_error(&shared, shape))?;
    let created = {
        let mut model = shared.model();
        check_new_users(&shared, &model.vcf, &new_users)?;
        add_checked(&mut model, new_users)
    };
    Ok(json_response(StatusCode::CREATED, &created))
}

/// Adds users already checked; the page of them, API keys included.
fn add_checked(model: &mut Model, new_users: Vec<NewUser>) -> Value {
    let now = Utc::now();
    let access = &mut model.vcf.access;
    let mut elements = Vec::new();
    for user in new_users {
        let added = if user.kind == "SERVICE" {
            Access::service_user(&user.name, &user.role_id, now)
        } else {
            User {
                id: new_uuid(),
                name: user.name,
                domain: user.domain,
                kind: user.kind,
                role_id: user.role_id,
                created: now,
                api_key: None,
            }
        };
        elements.push(user_json(&added, true));
        access.users.push(added);
    }
    page(elements)
}

pub(super) async fn remove_user(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<axum::extract::Path<String>, PathRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let id = path_param(&shared, shape, path)?;
    let mut model = shared.model();
    let access = &mut model.vcf.access;
    let Some(index) = access.users.iter().position(|u| u.id == id) else {
        return Err(error(
            &shared,
            shape,
            StatusCode::NOT_FOUND,
            "USER_NOT_FOUND",
            format!("User with id {id} not found"),
        )
        .arg(&id));
    };
    let is_admin = access
        .role_named("ADMIN")
        .is_some_and(|r| r.id == access.users[index].role_id);
    if is_admin && access.admin_count() <= 1 {
        return Err(error(
            &shared,
            shape,
            StatusCode::BAD_REQUEST,
            "LAST_ADMIN_USER",
            "The last user with the ADMIN role cannot be removed",
        )
        .arg(&id)
        .remediation("Grant the ADMIN role to another user first"));
    }
    access.users.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}
