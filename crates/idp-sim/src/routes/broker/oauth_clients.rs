//! OAuth 2.0 clients: list (paged summaries), create (a secret generated
//! when none is given, and then answered once), get, patch, rotate the
//! secret (start, then retire the primary), delete.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};

use super::request::{ActionQuery, Answer, Ctx, admit, body_of, links, present, required, vendor};
use super::table::{MEDIA_OAUTH_CLIENT, MEDIA_OAUTH_CLIENT_LIST, MEDIA_SECRET_ROTATION};
use crate::ids::{new_uuid, random_hex};
use crate::state::broker::{ClientSettings, Links, OAuthClient};

/// What creating a client takes, and what a patch may change.
#[derive(Deserialize)]
struct ClientSpec {
    client_id: Option<String>,
    secret: Option<String>,
    #[serde(flatten)]
    settings: ClientSettings,
}

/// A client as a list shows it (fields it lacks are `null`).
#[derive(Serialize)]
struct Summary<'a> {
    scope: Option<&'a [String]>,
    #[serde(rename = "_links")]
    links: Option<&'a Links>,
    client_uuid: &'a str,
    client_id: &'a str,
    display_name: Option<&'a str>,
}

/// A page of summaries; the paging fields are camelCase, as the reference
/// shows them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    items: Vec<Summary<'a>>,
    total_count: usize,
    page_number: i64,
    total_pages: usize,
    page_size: i64,
    #[serde(rename = "_links")]
    links: Links,
}

/// The answer to a create: the client, with the secret the broker
/// generated (never one the caller gave).
#[derive(Serialize)]
struct Created<'a> {
    #[serde(flatten)]
    client: &'a OAuthClient,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    start_index: Option<i64>,
    page_size: Option<i64>,
}

pub(super) async fn list(
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
    let total = model.broker.clients.len();
    let size_usize = usize::try_from(size).unwrap_or(20);
    let skip = usize::try_from(start - 1)
        .unwrap_or(0)
        .saturating_mul(size_usize);
    let items = model
        .broker
        .clients
        .values()
        .skip(skip)
        .take(size_usize)
        .map(|c| Summary {
            scope: c.settings.scope.as_deref(),
            links: c.links.as_ref(),
            client_uuid: &c.id,
            client_id: &c.client_id,
            display_name: c.settings.display_name.as_deref(),
        })
        .collect();
    let path = format!("/acs/t/{tenant}/broker/oauth2-clients");
    let page = Page {
        items,
        total_count: total,
        page_number: start,
        total_pages: total.div_ceil(size_usize).max(1),
        page_size: size,
        links: links(&shared, &path),
    };
    Ok(vendor(StatusCode::OK, MEDIA_OAUTH_CLIENT_LIST, &page))
}

pub(super) async fn create(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let spec: ClientSpec = body_of(&headers, &body, MEDIA_OAUTH_CLIENT, false)?;
    let client_id = required(spec.client_id.as_deref())?;
    if spec.settings.scope.as_ref().is_none_or(Vec::is_empty) {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut model = shared.model();
    if model.broker.clients.contains_key(&client_id) {
        return Err(StatusCode::CONFLICT);
    }
    let path = format!("/acs/t/{tenant}/broker/oauth2-clients/{client_id}");
    let given = present(spec.secret.as_deref());
    let generated = given.is_none().then(|| random_hex(32));
    let client = OAuthClient {
        id: new_uuid(),
        client_id: client_id.clone(),
        links: Some(links(&shared, &path)),
        settings: spec.settings,
        secret: given.or_else(|| generated.clone()).unwrap_or_default(),
        secondary: None,
    };
    let response = vendor(
        StatusCode::CREATED,
        MEDIA_OAUTH_CLIENT,
        &Created {
            client: &client,
            secret: generated.as_deref(),
        },
    );
    model.broker.clients.insert(client_id, client);
    Ok(response)
}

pub(super) async fn get(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let model = shared.model();
    let client = model.broker.clients.get(&id).ok_or(StatusCode::NOT_FOUND)?;
    Ok(vendor(StatusCode::OK, MEDIA_OAUTH_CLIENT, client))
}

pub(super) async fn patch(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let patch: ClientSpec = body_of(&headers, &body, MEDIA_OAUTH_CLIENT, true)?;
    let mut model = shared.model();
    let client = model
        .broker
        .clients
        .get_mut(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    client.settings.merge(patch.settings);
    if let Some(secret) = present(patch.secret.as_deref()) {
        client.secret = secret;
    }
    Ok(vendor(StatusCode::OK, MEDIA_OAUTH_CLIENT, client))
}

/// The body of a rotation step.
#[derive(Deserialize)]
struct Rotation {
    secondary_secret: Option<String>,
}

pub(super) async fn rotate_secret(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    Query(query): Query<ActionQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let spec: Rotation = body_of(&headers, &body, MEDIA_SECRET_ROTATION, true)?;
    let mut model = shared.model();
    let client = model
        .broker
        .clients
        .get_mut(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    match query.action.as_deref() {
        Some("start-rotate-secret") => {
            let secondary = required(spec.secondary_secret.as_deref())?;
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

pub(super) async fn delete(
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
