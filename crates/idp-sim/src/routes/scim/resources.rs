//! Users and Groups: create, read, list (filter, sort, paging, attribute
//! selection), `.search`, replace, PATCH and delete (RFC 7644 §3.3-3.6).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::{Mount, ScimError, authorize, fail, scim_json};
use crate::state::Shared;
use crate::state::broker::TENANT;
use crate::state::scim::{Kind, Resource, apply_patch, parse_filter, split_body};

type Ctx = State<Arc<Shared>>;
type Params = Path<HashMap<String, String>>;
type Answer = Result<Response, ScimError>;

const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const SEARCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
/// The most resources one page holds (and the `count` without one).
pub(crate) const MAX_RESULTS: usize = 200;

/// Users or Groups, from the request path.
fn kind_of(uri: &Uri) -> Kind {
    if uri.path().contains("/Groups") {
        Kind::Group
    } else {
        Kind::User
    }
}

/// The SCIM base URL of the request (for `meta.location`).
fn base_url(shared: &Shared, mount: &Mount, params: &HashMap<String, String>) -> String {
    let scheme = if shared.config.tls { "https" } else { "http" };
    let tenant = params.get("tenant").map_or(TENANT, String::as_str);
    format!(
        "{scheme}://{}{}",
        shared.authority,
        mount.path.replace("{tenant}", tenant)
    )
}

/// Authorizes the request and checks the tenant: the directory's name.
fn admit(
    shared: &Shared,
    mount: &Mount,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Result<String, ScimError> {
    let directory = authorize(shared, mount, headers)?;
    if params.get("tenant").is_some_and(|t| t != TENANT) {
        return Err(fail(StatusCode::NOT_FOUND, None, "Unknown tenant"));
    }
    Ok(directory)
}

fn json_object(body: &Bytes) -> Result<Map<String, Value>, ScimError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(fail(
            StatusCode::BAD_REQUEST,
            Some("invalidSyntax"),
            "The request body must be a JSON object",
        )),
    }
}

fn not_found(kind: Kind, id: &str) -> ScimError {
    fail(
        StatusCode::NOT_FOUND,
        None,
        format!("{} {id} not found", kind.resource_type()),
    )
}

/// Checks the key attribute (`userName`, `displayName`) is a non-empty
/// string.
fn check_key(kind: Kind, attributes: &Map<String, Value>) -> Result<String, ScimError> {
    match attributes.get(kind.key_attribute()) {
        Some(Value::String(key)) if !key.trim().is_empty() => Ok(key.clone()),
        _ => Err(fail(
            StatusCode::BAD_REQUEST,
            Some("invalidValue"),
            format!("{} is required", kind.key_attribute()),
        )),
    }
}

fn conflict(kind: Kind, key: &str) -> ScimError {
    fail(
        StatusCode::CONFLICT,
        Some("uniqueness"),
        format!(
            "A {} with {} {key:?} already exists",
            kind.resource_type(),
            kind.key_attribute()
        ),
    )
}

/// The answer with one resource, and its `Location`.
fn one(status: StatusCode, rendered: Value) -> Response {
    let location = rendered["meta"]["location"].as_str().map(str::to_owned);
    let mut response = scim_json(status, &rendered);
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// The query parameters, percent-decoded.
fn query_map(query: Option<&str>) -> HashMap<String, String> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(key), decode(value))
        })
        .collect()
}

/// What a list or search asks for.
#[derive(Default)]
struct Query {
    filter: Option<String>,
    sort_by: Option<String>,
    descending: bool,
    start_index: usize,
    count: Option<usize>,
    attributes: Vec<String>,
    excluded: Vec<String>,
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn number(text: &str, name: &str) -> Result<i64, ScimError> {
    text.trim().parse::<i64>().map_err(|_| {
        fail(
            StatusCode::BAD_REQUEST,
            Some("invalidValue"),
            format!("{name} must be an integer"),
        )
    })
}

impl Query {
    fn from_params(params: &HashMap<String, String>) -> Result<Self, ScimError> {
        let start = params
            .get("startIndex")
            .map(|s| number(s, "startIndex"))
            .transpose()?;
        let count = params
            .get("count")
            .map(|s| number(s, "count"))
            .transpose()?;
        Ok(Query {
            filter: params.get("filter").cloned(),
            sort_by: params.get("sortBy").cloned(),
            descending: params
                .get("sortOrder")
                .is_some_and(|o| o.eq_ignore_ascii_case("descending")),
            start_index: usize::try_from(start.unwrap_or(1).max(1)).unwrap_or(1),
            count: count.map(|c| usize::try_from(c.max(0)).unwrap_or(0)),
            attributes: params
                .get("attributes")
                .map(|s| split_list(s))
                .unwrap_or_default(),
            excluded: params
                .get("excludedAttributes")
                .map(|s| split_list(s))
                .unwrap_or_default(),
        })
    }

    fn from_body(body: &Map<String, Value>) -> Result<Self, ScimError> {
        let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
        let list = |key: &str| match body.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(s)) => split_list(s),
            _ => Vec::new(),
        };
        let int = |key: &str| body.get(key).and_then(Value::as_i64);
        Ok(Query {
            filter: text("filter"),
            sort_by: text("sortBy"),
            descending: text("sortOrder").is_some_and(|o| o.eq_ignore_ascii_case("descending")),
            start_index: usize::try_from(int("startIndex").unwrap_or(1).max(1)).unwrap_or(1),
            count: int("count").map(|c| usize::try_from(c.max(0)).unwrap_or(0)),
            attributes: list("attributes"),
            excluded: list("excludedAttributes"),
        })
    }
}

/// The first segment of an attribute path, without the core schema URN.
fn top_level(kind: Kind, path: &str) -> String {
    let path = crate::state::scim::strip_core_urn(kind, path);
    if path.starts_with("urn:") {
        return path.to_owned();
    }
    path.split('.').next().unwrap_or(path).to_owned()
}

/// `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5): `id` and
/// `schemas` are always returned.
fn project(kind: Kind, mut resource: Value, attributes: &[String], excluded: &[String]) -> Value {
    let Value::Object(object) = &mut resource else {
        return resource;
    };
    let always = |key: &str| matches!(key, "id" | "schemas");
    if !attributes.is_empty() {
        let wanted: Vec<String> = attributes.iter().map(|a| top_level(kind, a)).collect();
        object.retain(|key, _| always(key) || wanted.iter().any(|w| w.eq_ignore_ascii_case(key)));
    }
    if !excluded.is_empty() {
        let gone: Vec<String> = excluded.iter().map(|a| top_level(kind, a)).collect();
        object.retain(|key, _| always(key) || !gone.iter().any(|g| g.eq_ignore_ascii_case(key)));
    }
    resource
}

fn empty_list(query: &Query) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": 0,
            "startIndex": query.start_index,
            "itemsPerPage": 0,
            "Resources": [],
        }),
    )
}

/// The sort key of a rendered resource.
fn sort_key(resource: &Value, path: &str) -> String {
    path.split('.')
        .try_fold(resource, |value, part| value.get(part))
        .map(|v| match v {
            Value::String(s) => s.to_lowercase(),
            other => other.to_string(),
        })
        .unwrap_or_default()
}

fn run_query(
    shared: &Shared,
    mount: &Mount,
    params: &HashMap<String, String>,
    directory: &str,
    kinds: &[Kind],
    query: &Query,
) -> Answer {
    let filter = query
        .filter
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .map(parse_filter)
        .transpose()
        .map_err(|e| fail(StatusCode::BAD_REQUEST, Some("invalidFilter"), &e))?;
    let base = base_url(shared, mount, params);
    let mut matched: Vec<(Kind, Value)> = {
        let model = shared.model();
        let Some(d) = model.scim.directories.get(directory) else {
            return Ok(empty_list(query));
        };
        kinds
            .iter()
            .flat_map(|kind| {
                d.of(*kind)
                    .values()
                    .filter(|r| !r.deleted)
                    .map(|r| (*kind, r.render(*kind, &base)))
            })
            .filter(|(_, r)| filter.as_ref().is_none_or(|f| f.matches(r)))
            .collect()
    };
    if let Some(sort_by) = &query.sort_by {
        matched.sort_by_key(|(kind, r)| {
            sort_key(r, crate::state::scim::strip_core_urn(*kind, sort_by))
        });
        if query.descending {
            matched.reverse();
        }
    }
    let total = matched.len();
    let count = query.count.unwrap_or(MAX_RESULTS).min(MAX_RESULTS);
    let page: Vec<Value> = matched
        .into_iter()
        .skip(query.start_index - 1)
        .take(count)
        .map(|(kind, r)| project(kind, r, &query.attributes, &query.excluded))
        .collect();
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": query.start_index,
            "itemsPerPage": page.len(),
            "Resources": page,
        }),
    ))
}

pub(super) async fn list(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    Path(params): Params,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    uri: Uri,
) -> Answer {
    let directory = admit(&shared, mount, &headers, &params)?;
    let query = Query::from_params(&query_map(raw.as_deref()))?;
    run_query(
        &shared,
        mount,
        &params,
        &directory,
        &[kind_of(&uri)],
        &query,
    )
}

pub(super) async fn search(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    Path(params): Params,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Answer {
    let directory = admit(&shared, mount, &headers, &params)?;
    let body = json_object(&body)?;
    let declared = body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|s| s == SEARCH_SCHEMA));
    if !declared {
        return Err(fail(
            StatusCode::BAD_REQUEST,
            Some("invalidSyntax"),
            format!("schemas must contain {SEARCH_SCHEMA}"),
        ));
    }
    let query = Query::from_body(&body)?;
    // `.search` at the root searches every resource type (RFC 7644 §3.4.3).
    let kinds: &[Kind] = if uri.path().ends_with("/Users/.search") {
        &[Kind::User]
    } else if uri.path().ends_with("/Groups/.search") {
        &[Kind::Group]
    } else {
        &[Kind::User, Kind::Group]
    };
    run_query(&shared, mount, &params, &directory, kinds, &query)
}

pub(super) async fn create(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    Path(params): Params,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Answer {
    let directory = admit(&shared, mount, &headers, &params)?;
    let kind = kind_of(&uri);
    let (attributes, extensions) = split_body(kind, json_object(&body)?);
    let key = check_key(kind, &attributes)?;
    let base = base_url(&shared, mount, &params);
    let mut model = shared.model();
    let dir = model.scim.directories.entry(directory).or_default();
    if dir.taken(kind, &key, None) {
        return Err(conflict(kind, &key));
    }
    let resource = Resource::new(attributes, extensions);
    let rendered = resource.render(kind, &base);
    dir.of_mut(kind).insert(resource.id.clone(), resource);
    Ok(one(mount.flavour.create_status(), rendered))
}

/// The id path parameter and a live resource's copy.
fn live(
    shared: &Shared,
    directory: &str,
    kind: Kind,
    params: &HashMap<String, String>,
) -> Result<(String, Resource), ScimError> {
    let id = params.get("id").cloned().unwrap_or_default();
    let model = shared.model();
    model
        .scim
        .directories
        .get(directory)
        .and_then(|d| d.of(kind).get(&id))
        .filter(|r| !r.deleted)
        .cloned()
        .map(|r| (id.clone(), r))
        .ok_or_else(|| not_found(kind, &id))
}

pub(super) async fn get(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    Path(params): Params,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    uri: Uri,
) -> Answer {
    let directory = admit(&shared, mount, &headers, &params)?;
    let kind = kind_of(&uri);
    let query = Query::from_params(&query_map(raw.as_deref()))?;
    let (_, resource) = live(&shared, &directory, kind, &params)?;
    let rendered = resource.render(kind, &base_url(&shared, mount, &params));
    Ok(one(
        StatusCode::OK,
        project(kind, rendered, &query.attributes, &query.excluded),
    ))
}

/// Stores `resource` unless its key is taken by another; the answer.
fn store(
    shared: &Shared,
    mount: &Mount,
    params: &HashMap<String, String>,
    directory: &str,
    kind: Kind,
    mut resource: Resource,
) -> Answer {
    let key = check_key(kind, &resource.attributes)?;
    let base = base_url(shared, mount, params);
    let mut model = shared.model();
    let dir = model
        .scim
        .directories
        .entry(directory.to_owned())
        .or_default();
    if dir.of(kind).get(&resource.id).is_none_or(|r| r.deleted) {
        return Err(not_found(kind, &resource.id));
    }
    if dir.taken(kind, &key, Some(&resource.id)) {
        return Err(conflict(kind, &key));
    }
    resource.touch();
    let rendered = resource.render(kind, &base);
    dir.of_mut(kind).insert(resource.id.clone(), resource);
    Ok(one(StatusCode::OK, rendered))
}

pub(super) async fn replace(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    Path(params): Params,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Answer {
    let directory = admit(&shared, mount, &headers, &params)?;
    let kind = kind_of(&uri);
    let (_, mut resource) = live(&shared, &directory, kind, &params)?;
    let (attributes, extensions) = split_body(kind, json_object(&body)?);
    resource.attributes = attributes;
    resource.extensions = extensions;
    store(&shared, mount, &params, &directory, kind, resource)
}

pub(super) async fn patch(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    Path(params): Params,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Answer {
    let directory = admit(&shared, mount, &headers, &params)?;
    let kind = kind_of(&uri);
    let (_, mut resource) = live(&shared, &directory, kind, &params)?;
    let body = json_object(&body)?;
    let declared = body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|s| s == PATCH_SCHEMA));
    let Some(Value::Array(operations)) = body.get("Operations") else {
        return Err(fail(
            StatusCode::BAD_REQUEST,
            Some("invalidSyntax"),
            "Operations must be an array",
        ));
    };
    if !declared {
        return Err(fail(
            StatusCode::BAD_REQUEST,
            Some("invalidSyntax"),
            format!("schemas must contain {PATCH_SCHEMA}"),
        ));
    }
    for operation in operations {
        let op = operation
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let path = operation.get("path").and_then(Value::as_str);
        let value = operation.get("value").cloned();
        apply_patch(kind, &mut resource, op, path, value)
            .map_err(|e| fail(StatusCode::BAD_REQUEST, Some(e.scim_type), &e.detail))?;
    }
    store(&shared, mount, &params, &directory, kind, resource)
}

pub(super) async fn delete(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    Path(params): Params,
    headers: HeaderMap,
    uri: Uri,
) -> Answer {
    let directory = admit(&shared, mount, &headers, &params)?;
    let kind = kind_of(&uri);
    let (id, _) = live(&shared, &directory, kind, &params)?;
    let mut model = shared.model();
    let dir = model.scim.directories.entry(directory).or_default();
    if kind == Kind::User && mount.flavour.soft_deletes_users() {
        if let Some(user) = dir.users.get_mut(&id) {
            user.deleted = true;
            user.attributes.insert("active".into(), Value::Bool(false));
            user.touch();
        }
    } else {
        dir.of_mut(kind).remove(&id);
    }
    if kind == Kind::User {
        // A deleted user is no member of any group.
        for group in dir.groups.values_mut() {
            if let Some(Value::Array(members)) = group.attributes.get_mut("members") {
                members.retain(|m| m.get("value").and_then(Value::as_str) != Some(id.as_str()));
            }
        }
    }
    Ok(axum::response::IntoResponse::into_response(
        StatusCode::NO_CONTENT,
    ))
}

/// Anything else under a SCIM URL: 401 without a current token, else a
/// SCIM 404.
pub(super) async fn unknown(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    headers: HeaderMap,
    uri: Uri,
) -> Answer {
    authorize(&shared, mount, &headers)?;
    Err(fail(
        StatusCode::NOT_FOUND,
        None,
        format!("No SCIM resource at {}", uri.path()),
    ))
}
