//! The VCF Identity Broker (tenant `CUSTOMER`): directories and their sync
//! clients, identity providers, OAuth 2.0 clients and the token endpoint;
//! plus vCenter's session and tenant admin-client operations that hand out
//! a first admin token.
//!
//! As the reference documents: vendor media types on requests (a body sent
//! with another `Content-Type` is refused with 415) and responses,
//! snake_case, `_links`, and errors without a body.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use idp_api::Operation;
use idp_api::broker::operations as ops;

use crate::auth;
use crate::ids::{new_uuid, random_hex};
use crate::state::{BROKER_TENANT, DEFAULT_TOKEN_TTL_MINUTES, OAuthClient, Shared, SyncClient};

/// The media types, from the spec (`x-idp-media-types`, in the generated
/// operation table), the one place they are written.
fn answered(op: &Operation) -> &'static str {
    op.response_media.unwrap_or("application/json")
}

fn sent(op: &Operation) -> &'static str {
    op.request_media.unwrap_or("application/json")
}

fn media_directory() -> &'static str {
    answered(&ops::GET_BROKER_DIRECTORY)
}
fn media_directory_list() -> &'static str {
    answered(&ops::GET_BROKER_DIRECTORIES)
}
fn media_sync_client() -> &'static str {
    answered(&ops::GET_BROKER_SYNC_CLIENT)
}
fn media_idp() -> &'static str {
    answered(&ops::GET_BROKER_IDENTITY_PROVIDER)
}
fn media_idp_list() -> &'static str {
    answered(&ops::GET_BROKER_IDENTITY_PROVIDERS)
}
fn media_oauth_client() -> &'static str {
    answered(&ops::GET_BROKER_O_AUTH2_CLIENT)
}
fn media_oauth_client_list() -> &'static str {
    answered(&ops::GET_BROKER_O_AUTH2_CLIENTS)
}
fn media_rotation() -> &'static str {
    sent(&ops::ROTATE_BROKER_O_AUTH2_CLIENT_SECRET)
}

type Ctx = State<Arc<Shared>>;
type Answer = Result<Response, StatusCode>;

/// The broker and vCenter routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/usergroup/t/{tenant}/broker/directories",
            get(list_directories).post(create_directory),
        )
        .route(
            "/usergroup/t/{tenant}/broker/directories/{id}",
            get(get_directory)
                .patch(update_directory)
                .delete(delete_directory),
        )
        .route(
            "/usergroup/t/{tenant}/broker/directories/{id}/sync-client",
            get(get_sync_client).post(generate_sync_client),
        )
        .route(
            "/federation/t/{tenant}/broker/identity-providers",
            get(list_idps).post(create_idp),
        )
        .route(
            "/federation/t/{tenant}/broker/identity-providers/{id}",
            get(get_idp).patch(patch_idp).delete(delete_idp),
        )
        .route(
            "/acs/t/{tenant}/broker/oauth2-clients",
            get(list_clients).post(create_client),
        )
        .route(
            "/acs/t/{tenant}/broker/oauth2-clients/{id}",
            get(get_client)
                .patch(patch_client)
                .post(rotate_secret)
                .delete(delete_client),
        )
        .route("/acs/t/{tenant}/token", post(token))
        .route(
            "/api/session",
            post(vcenter_session).delete(delete_vcenter_session),
        )
        .route(
            "/api/vcenter/identity/broker/tenants/{tenant}/admin-client",
            get(admin_client),
        )
}

/// A vendor-typed JSON answer.
fn vendor(status: StatusCode, media: &'static str, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    response
}

fn links(shared: &Shared, path: &str) -> Value {
    json!({ "self": { "href": format!("https://{}{path}", shared.authority) } })
}

/// The admin checks every broker route makes, in order: a valid bearer
/// token (401), the admin scope (403), the tenant (404).
fn admit(shared: &Shared, headers: &HeaderMap, tenant: &str) -> Result<(), StatusCode> {
    let model = shared.model();
    let user = auth::check_bearer(&model, headers).map_err(|_| StatusCode::UNAUTHORIZED)?;
    if let Some(client_id) = user.strip_prefix("oauth2:") {
        let admin = model.broker.clients.get(client_id).is_some_and(|c| {
            c.body["scope"]
                .as_array()
                .is_some_and(|s| s.iter().any(|v| v == "admin"))
        });
        if !admin {
            return Err(StatusCode::FORBIDDEN);
        }
    }
    if tenant != BROKER_TENANT {
        return Err(StatusCode::NOT_FOUND);
    }
    Ok(())
}

/// The JSON object of a request body sent with `media` (415 for another
/// media type, 400 for a body that is not an object). An empty body reads
/// as `{}` when `optional`.
fn body_of(headers: &HeaderMap, body: &Bytes, media: &str, optional: bool) -> Answer2 {
    if body.is_empty() && optional {
        return Ok(json!({}));
    }
    let sent = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if sent.as_deref() != Some(media) {
        return Err(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(value) if value.is_object() => Ok(value),
        _ => Err(StatusCode::BAD_REQUEST),
    }
}

type Answer2 = Result<Value, StatusCode>;

fn merge(target: &mut Value, patch: &Value, fields: &[&str]) {
    for field in fields {
        if let Some(value) = patch.get(*field) {
            target[*field] = value.clone();
        }
    }
}

fn text(value: &Value, field: &str) -> Option<String> {
    value
        .get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

const DIRECTORY_FIELDS: &[&str] = &["name", "domains", "default_domain", "source", "type"];

async fn list_directories(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let items: Vec<Value> = shared
        .model()
        .broker
        .directories
        .values()
        .map(|d| {
            let mut d = d.clone();
            // "the field is not returned in list directories API"
            if let Some(object) = d.as_object_mut() {
                object.remove("default_domain");
            }
            d
        })
        .collect();
    let path = format!("/usergroup/t/{tenant}/broker/directories");
    Ok(vendor(
        StatusCode::OK,
        media_directory_list(),
        &json!({ "items": items, "_links": links(&shared, &path) }),
    ))
}

async fn create_directory(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let spec = body_of(&headers, &body, media_directory(), false)?;
    let name = text(&spec, "name").ok_or(StatusCode::BAD_REQUEST)?;
    let domains: Vec<String> = spec["domains"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if domains.is_empty() {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut model = shared.model();
    let taken = model.broker.directories.values().any(|d| {
        text(d, "name").is_some_and(|n| n.eq_ignore_ascii_case(&name))
            || d["domains"].as_array().is_some_and(|ds| {
                ds.iter().any(|x| {
                    x.as_str()
                        .is_some_and(|x| domains.iter().any(|y| y.eq_ignore_ascii_case(x)))
                })
            })
    });
    if taken {
        return Err(StatusCode::CONFLICT);
    }
    let id = new_uuid();
    let path = format!("/usergroup/t/{tenant}/broker/directories/{id}");
    let mut directory = json!({
        "_links": links(&shared, &path),
        "id": id,
        "name": name,
        "domains": domains,
        "source": spec.get("source").cloned().unwrap_or(json!("GENERIC")),
        "type": spec.get("type").cloned().unwrap_or(json!("PROVISIONED")),
        "delete_in_progress": false,
    });
    if let Some(default) = spec.get("default_domain") {
        directory["default_domain"] = default.clone();
    }
    model
        .broker
        .directories
        .insert(id.clone(), directory.clone());
    // A directory comes with its sync client (credentials still to generate).
    model.broker.sync_clients.insert(
        id,
        SyncClient {
            generate_token: true,
            client_id: format!("syncClientId{}", random_hex(16)),
            token_ttl: DEFAULT_TOKEN_TTL_MINUTES,
            token: None,
        },
    );
    Ok(vendor(StatusCode::CREATED, media_directory(), &directory))
}

async fn get_directory(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let directory = shared
        .model()
        .broker
        .directories
        .get(&id)
        .cloned()
        .ok_or(StatusCode::NOT_FOUND)?;
    Ok(vendor(StatusCode::OK, media_directory(), &directory))
}

async fn update_directory(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let patch = body_of(&headers, &body, media_directory(), false)?;
    let mut model = shared.model();
    if let Some(name) = text(&patch, "name") {
        let clash = model.broker.directories.iter().any(|(other, d)| {
            *other != id && text(d, "name").is_some_and(|n| n.eq_ignore_ascii_case(&name))
        });
        if clash {
            return Err(StatusCode::CONFLICT);
        }
    }
    let directory = model
        .broker
        .directories
        .get_mut(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    merge(directory, &patch, DIRECTORY_FIELDS);
    Ok(vendor(StatusCode::OK, media_directory(), directory))
}

async fn delete_directory(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let mut model = shared.model();
    model
        .broker
        .directories
        .remove(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    if let Some(sync) = model.broker.sync_clients.remove(&id)
        && let Some(token) = sync.token
    {
        model.access_tokens.remove(&token);
    }
    for idp in model.broker.idps.values_mut() {
        if let Some(list) = idp["directory_list"].as_array_mut() {
            list.retain(|d| d["id"] != id.as_str());
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn sync_json(shared: &Shared, path: &str, sync: &SyncClient, expire_in: Option<i64>) -> Value {
    let mut body = json!({
        "_links": links(shared, path),
        "generate_token": sync.generate_token,
        "client_id": sync.client_id,
        "token_ttl": sync.token_ttl,
    });
    if let Some(expire_in) = expire_in {
        body["access_token_expire_in"] = json!(expire_in);
    }
    body
}

fn remaining(model: &crate::state::Model, token: Option<&String>) -> Option<i64> {
    let token = model.access_tokens.get(token?)?;
    let left = token
        .expires_at
        .duration_since(SystemTime::now())
        .map_or(0, |d| d.as_secs());
    Some(i64::try_from(left).unwrap_or(i64::MAX))
}

async fn get_sync_client(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let model = shared.model();
    let sync = model
        .broker
        .sync_clients
        .get(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    let path = format!("/usergroup/t/{tenant}/broker/directories/{id}/sync-client");
    let expire_in = remaining(&model, sync.token.as_ref());
    Ok(vendor(
        StatusCode::OK,
        media_sync_client(),
        &sync_json(&shared, &path, sync, expire_in),
    ))
}

#[derive(serde::Deserialize)]
struct ActionQuery {
    action: Option<String>,
}

async fn generate_sync_client(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    Query(query): Query<ActionQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    if query.action.as_deref() != Some("generate_credentials") {
        return Err(StatusCode::BAD_REQUEST);
    }
    let spec = body_of(&headers, &body, media_sync_client(), true)?;
    let mut model = shared.model();
    let mut sync = model
        .broker
        .sync_clients
        .get(&id)
        .cloned()
        .ok_or(StatusCode::NOT_FOUND)?;
    if let Some(generate) = spec.get("generate_token").and_then(Value::as_bool) {
        sync.generate_token = generate;
    }
    if let Some(ttl) = spec.get("token_ttl").and_then(Value::as_i64) {
        if ttl <= 0 {
            return Err(StatusCode::BAD_REQUEST);
        }
        sync.token_ttl = ttl;
    }
    // New credentials invalidate the previous ones.
    if let Some(old) = sync.token.take() {
        model.access_tokens.remove(&old);
    }
    let path = format!("/usergroup/t/{tenant}/broker/directories/{id}/sync-client");
    let answer = if sync.generate_token {
        let minutes = u64::try_from(sync.token_ttl).unwrap_or(0);
        let lifetime = Duration::from_secs(minutes.saturating_mul(60));
        let token =
            auth::issue_access_token(&mut model, &format!("sync:{id}"), "sync-client", lifetime);
        sync.token = Some(token.clone());
        let expire_in = remaining(&model, sync.token.as_ref());
        let mut body = sync_json(&shared, &path, &sync, expire_in);
        body["access_token"] = json!(token);
        body
    } else {
        sync.client_id = format!("syncClientId{}", random_hex(16));
        let mut body = sync_json(&shared, &path, &sync, None);
        body["client_secret"] = json!(random_hex(32));
        body
    };
    model.broker.sync_clients.insert(id, sync);
    Ok(vendor(StatusCode::OK, media_sync_client(), &answer))
}

fn summary(idp: &Value) -> Value {
    let ids: Vec<Value> = idp["directory_list"]
        .as_array()
        .map(|l| l.iter().map(|d| d["id"].clone()).collect())
        .unwrap_or_default();
    json!({
        "_links": idp["_links"].clone(),
        "id": idp["id"].clone(),
        "idp_name": idp["idp_name"].clone(),
        "idp_type": idp["idp_type"].clone(),
        "directory_ids": ids,
    })
}

/// An identity provider as reads show it: the OIDC client secret is kept,
/// never returned.
fn shown(idp: &Value) -> Value {
    let mut idp = idp.clone();
    if let Some(oidc) = idp.get_mut("oidc_profile").and_then(Value::as_object_mut) {
        oidc.remove("client_secret");
    }
    idp
}

async fn list_idps(State(shared): Ctx, Path(tenant): Path<String>, headers: HeaderMap) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let items: Vec<Value> = shared.model().broker.idps.values().map(summary).collect();
    let path = format!("/federation/t/{tenant}/broker/identity-providers");
    Ok(vendor(
        StatusCode::OK,
        media_idp_list(),
        &json!({ "items": items, "_links": links(&shared, &path) }),
    ))
}

fn directory_list(model: &crate::state::Model, spec: &Value) -> Result<Vec<Value>, StatusCode> {
    let mut list = Vec::new();
    for entry in spec["directory_list"].as_array().into_iter().flatten() {
        let id = text(entry, "id").ok_or(StatusCode::BAD_REQUEST)?;
        let directory = model
            .broker
            .directories
            .get(&id)
            .ok_or(StatusCode::BAD_REQUEST)?;
        list.push(json!({ "id": id, "name": directory["name"].clone() }));
    }
    Ok(list)
}

async fn create_idp(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let spec = body_of(&headers, &body, media_idp(), false)?;
    let name = text(&spec, "idp_name").ok_or(StatusCode::BAD_REQUEST)?;
    if text(&spec, "idp_type").is_some_and(|t| !t.eq_ignore_ascii_case("OIDC")) {
        // "SAML type identity providers are currently not supported for vCenter"
        return Err(StatusCode::BAD_REQUEST);
    }
    let oidc = spec
        .get("oidc_profile")
        .cloned()
        .ok_or(StatusCode::BAD_REQUEST)?;
    for field in ["configuration_url", "client_id", "client_secret"] {
        text(&oidc, field).ok_or(StatusCode::BAD_REQUEST)?;
    }
    let mut model = shared.model();
    if model
        .broker
        .idps
        .values()
        .any(|i| text(i, "idp_name").is_some_and(|n| n.eq_ignore_ascii_case(&name)))
    {
        return Err(StatusCode::CONFLICT);
    }
    let directories = directory_list(&model, &spec)?;
    let id = new_uuid();
    let path = format!("/federation/t/{tenant}/broker/identity-providers/{id}");
    let idp = json!({
        "_links": links(&shared, &path),
        "id": id,
        "idp_name": name,
        "idp_type": "OIDC",
        "directory_list": directories,
        "oidc_profile": oidc,
    });
    model.broker.idps.insert(id, idp.clone());
    Ok(vendor(StatusCode::CREATED, media_idp(), &shown(&idp)))
}

async fn get_idp(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let idp = shared
        .model()
        .broker
        .idps
        .get(&id)
        .cloned()
        .ok_or(StatusCode::NOT_FOUND)?;
    Ok(vendor(StatusCode::OK, media_idp(), &shown(&idp)))
}

async fn patch_idp(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let patch = body_of(&headers, &body, media_idp(), true)?;
    let mut model = shared.model();
    let directories = if patch.get("directory_list").is_some() {
        Some(directory_list(&model, &patch)?)
    } else {
        None
    };
    let idp = model
        .broker
        .idps
        .get_mut(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    if let Some(name) = text(&patch, "idp_name") {
        idp["idp_name"] = json!(name);
    }
    if let Some(directories) = directories {
        idp["directory_list"] = json!(directories);
    }
    // Profile fields are merged one by one; others replace.
    if let Some(oidc) = patch.get("oidc_profile").and_then(Value::as_object) {
        for (key, value) in oidc {
            idp["oidc_profile"][key] = value.clone();
        }
    }
    Ok(vendor(StatusCode::OK, media_idp(), &shown(idp)))
}

async fn delete_idp(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    shared
        .model()
        .broker
        .idps
        .remove(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(serde::Deserialize)]
struct PageQuery {
    start_index: Option<i64>,
    page_size: Option<i64>,
}

async fn list_clients(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    Query(page): Query<PageQuery>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let start = page.start_index.unwrap_or(1);
    let size = page.page_size.unwrap_or(20);
    if start < 1 || !(1..=1000).contains(&size) {
        return Err(StatusCode::BAD_REQUEST);
    }
    let model = shared.model();
    let all: Vec<Value> = model
        .broker
        .clients
        .values()
        .map(|c| {
            json!({
                "scope": c.body["scope"].clone(),
                "_links": c.body["_links"].clone(),
                "client_uuid": c.body["id"].clone(),
                "client_id": c.body["client_id"].clone(),
                "display_name": c.body.get("display_name").cloned().unwrap_or(Value::Null),
            })
        })
        .collect();
    let total = all.len();
    let size_usize = usize::try_from(size).unwrap_or(20);
    let skip = usize::try_from(start - 1)
        .unwrap_or(0)
        .saturating_mul(size_usize);
    let items: Vec<Value> = all.into_iter().skip(skip).take(size_usize).collect();
    let pages = total.div_ceil(size_usize).max(1);
    let path = format!("/acs/t/{tenant}/broker/oauth2-clients");
    Ok(vendor(
        StatusCode::OK,
        media_oauth_client_list(),
        &json!({
            "items": items,
            "totalCount": total,
            "pageNumber": start,
            "totalPages": pages,
            "pageSize": size,
            "_links": links(&shared, &path),
        }),
    ))
}

const CLIENT_FIELDS: &[&str] = &[
    "scope",
    "display_name",
    "description",
    "grant_types",
    "redirect_uris",
    "post_logout_redirect_uris",
    "rule_set_names",
    "access_token_ttl",
    "refresh_token_ttl",
];

async fn create_client(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let spec = body_of(&headers, &body, media_oauth_client(), false)?;
    let client_id = text(&spec, "client_id").ok_or(StatusCode::BAD_REQUEST)?;
    if spec["scope"].as_array().is_none_or(Vec::is_empty) {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut model = shared.model();
    if model.broker.clients.contains_key(&client_id) {
        return Err(StatusCode::CONFLICT);
    }
    let path = format!("/acs/t/{tenant}/broker/oauth2-clients/{client_id}");
    let mut stored =
        json!({ "id": new_uuid(), "client_id": client_id, "_links": links(&shared, &path) });
    merge(&mut stored, &spec, CLIENT_FIELDS);
    let given = text(&spec, "secret");
    let secret = given.clone().unwrap_or_else(|| random_hex(32));
    model.broker.clients.insert(
        client_id,
        OAuthClient {
            body: stored.clone(),
            secret: secret.clone(),
            secondary: None,
        },
    );
    let mut answer = stored;
    if given.is_none() {
        answer["secret"] = json!(secret);
    }
    Ok(vendor(StatusCode::CREATED, media_oauth_client(), &answer))
}

async fn get_client(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let client = shared
        .model()
        .broker
        .clients
        .get(&id)
        .map(|c| c.body.clone())
        .ok_or(StatusCode::NOT_FOUND)?;
    Ok(vendor(StatusCode::OK, media_oauth_client(), &client))
}

async fn patch_client(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let patch = body_of(&headers, &body, media_oauth_client(), true)?;
    let mut model = shared.model();
    let client = model
        .broker
        .clients
        .get_mut(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    merge(&mut client.body, &patch, CLIENT_FIELDS);
    if let Some(secret) = text(&patch, "secret") {
        client.secret = secret;
    }
    Ok(vendor(StatusCode::OK, media_oauth_client(), &client.body))
}

async fn rotate_secret(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    Query(query): Query<ActionQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let spec = body_of(&headers, &body, media_rotation(), true)?;
    let mut model = shared.model();
    let client = model
        .broker
        .clients
        .get_mut(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    match query.action.as_deref() {
        Some("start-rotate-secret") => {
            let secondary = text(&spec, "secondary_secret").ok_or(StatusCode::BAD_REQUEST)?;
            if client.secondary.is_some() {
                return Err(StatusCode::BAD_REQUEST);
            }
            client.secondary = Some(secondary);
        }
        Some("retire-primary-secret") => {
            client.secret = client.secondary.take().ok_or(StatusCode::BAD_REQUEST)?;
        }
        _ => return Err(StatusCode::BAD_REQUEST),
    }
    Ok(StatusCode::OK.into_response())
}

async fn delete_client(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    shared
        .model()
        .broker
        .clients
        .remove(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `Authorization: Basic` as (user, secret).
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, secret) = decoded.split_once(':')?;
    Some((user.to_owned(), secret.to_owned()))
}

/// The `grant_type` of a form body (`a=b&c=d`).
fn grant_type(body: &[u8]) -> Option<String> {
    let body = std::str::from_utf8(body).ok()?;
    body.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == "grant_type").then(|| value.to_owned())
    })
}

async fn token(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    if tenant != BROKER_TENANT {
        return Err(StatusCode::NOT_FOUND);
    }
    let grant = grant_type(&body);
    let (client_id, secret) = basic(&headers).ok_or(StatusCode::UNAUTHORIZED)?;
    let mut model = shared.model();
    let client = model
        .broker
        .clients
        .get(&client_id)
        .ok_or(StatusCode::UNAUTHORIZED)?;
    if secret != client.secret && client.secondary.as_deref() != Some(secret.as_str()) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    if grant.as_deref() != Some("client_credentials") {
        return Err(StatusCode::BAD_REQUEST);
    }
    let scope = client.body["scope"]
        .as_array()
        .map(|s| {
            s.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let lifetime = shared.config.access_token_lifetime;
    let token = auth::issue_access_token(
        &mut model,
        &format!("oauth2:{client_id}"),
        "broker",
        lifetime,
    );
    Ok(crate::vendor_error::json_response(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": lifetime.as_secs(),
            "scope": scope,
        }),
    ))
}

async fn vcenter_session(State(shared): Ctx, headers: HeaderMap) -> Answer {
    let (user, password) = basic(&headers).ok_or(StatusCode::UNAUTHORIZED)?;
    if !auth::check_credentials(&shared.config, &user, &password) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    let session = random_hex(16);
    shared
        .model()
        .broker
        .vcenter_sessions
        .insert(session.clone());
    Ok(crate::vendor_error::json_response(
        StatusCode::CREATED,
        &json!(session),
    ))
}

/// The `vmware-api-session-id` header, trimmed; 401 without one.
fn session_id(headers: &HeaderMap) -> Result<&str, StatusCode> {
    headers
        .get("vmware-api-session-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .ok_or(StatusCode::UNAUTHORIZED)
}

/// Ends a vCenter session: 204, after which the id is refused with 401;
/// 401 for a missing or unknown session id (as the reference documents).
async fn delete_vcenter_session(State(shared): Ctx, headers: HeaderMap) -> Answer {
    let session = session_id(&headers)?;
    if shared.model().broker.vcenter_sessions.remove(session) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(StatusCode::UNAUTHORIZED)
    }
}

async fn admin_client(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let session = session_id(&headers)?;
    let mut model = shared.model();
    if !model.broker.vcenter_sessions.contains(session) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    if tenant != BROKER_TENANT {
        return Err(StatusCode::NOT_FOUND);
    }
    let lifetime = shared.config.access_token_lifetime;
    let token = auth::issue_access_token(&mut model, "vcenter-admin-client", "vcenter", lifetime);
    Ok(crate::vendor_error::json_response(
        StatusCode::OK,
        &json!({ "token_type": "Bearer", "access_token": token, "expires_in": lifetime.as_secs() }),
    ))
}
