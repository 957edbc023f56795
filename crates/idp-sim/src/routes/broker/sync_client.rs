//! A directory's sync client: its configuration, and new credentials (a
//! token, or a client id and secret) that invalidate the previous ones.

use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};

use super::request::{ActionQuery, Answer, Ctx, admit, body_of, links, vendor};
use super::table::MEDIA_SYNC_CLIENT;
use crate::auth;
use crate::ids::random_hex;
use crate::state::Model;
use crate::state::broker::{Links, SyncClient, new_sync_client_id};

/// The sync client configuration as the broker shows it; the credentials
/// only in the answer that generated them.
#[derive(Serialize)]
struct Shown<'a> {
    #[serde(rename = "_links")]
    links: Links,
    generate_token: bool,
    client_id: &'a str,
    token_ttl: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token_expire_in: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
}

impl<'a> Shown<'a> {
    fn new(links: Links, sync: &'a SyncClient, expire_in: Option<i64>) -> Self {
        Shown {
            links,
            generate_token: sync.generate_token,
            client_id: &sync.client_id,
            token_ttl: sync.token_ttl,
            access_token_expire_in: expire_in,
            access_token: None,
            client_secret: None,
        }
    }
}

/// What generating credentials may change.
#[derive(Deserialize)]
struct CredentialsSpec {
    generate_token: Option<bool>,
    /// Minutes.
    token_ttl: Option<i64>,
}

/// Seconds left on a token of the shared store.
fn remaining(model: &Model, token: Option<&String>) -> Option<i64> {
    let token = model.access_tokens.get(token?)?;
    let left = token
        .expires_at
        .duration_since(SystemTime::now())
        .map_or(0, |d| d.as_secs());
    Some(i64::try_from(left).unwrap_or(i64::MAX))
}

fn path(tenant: &str, id: &str) -> String {
    format!("/usergroup/t/{tenant}/broker/directories/{id}/sync-client")
}

pub(super) async fn get(
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
    let expire_in = remaining(&model, sync.token.as_ref());
    let links = links(&shared, &path(&tenant, &id));
    Ok(vendor(
        StatusCode::OK,
        MEDIA_SYNC_CLIENT,
        &Shown::new(links, sync, expire_in),
    ))
}

pub(super) async fn generate(
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
    let spec: CredentialsSpec = body_of(&headers, &body, MEDIA_SYNC_CLIENT, true)?;
    let mut model = shared.model();
    let mut sync = model
        .broker
        .sync_clients
        .get(&id)
        .cloned()
        .ok_or(StatusCode::NOT_FOUND)?;
    if let Some(generate) = spec.generate_token {
        sync.generate_token = generate;
    }
    if let Some(ttl) = spec.token_ttl {
        if ttl <= 0 {
            return Err(StatusCode::BAD_REQUEST);
        }
        sync.token_ttl = ttl;
    }
    // New credentials invalidate the previous ones.
    if let Some(old) = sync.token.take() {
        model.access_tokens.remove(&old);
    }
    let links = links(&shared, &path(&tenant, &id));
    let response = if sync.generate_token {
        let minutes = u64::try_from(sync.token_ttl).unwrap_or(0);
        let lifetime = Duration::from_secs(minutes.saturating_mul(60));
        let token =
            auth::issue_access_token(&mut model, &format!("sync:{id}"), "sync-client", lifetime);
        let expire_in = remaining(&model, Some(&token));
        sync.token = Some(token);
        let mut shown = Shown::new(links, &sync, expire_in);
        shown.access_token = sync.token.as_deref();
        vendor(StatusCode::OK, MEDIA_SYNC_CLIENT, &shown)
    } else {
        sync.client_id = new_sync_client_id();
        let mut shown = Shown::new(links, &sync, None);
        shown.client_secret = Some(random_hex(32));
        vendor(StatusCode::OK, MEDIA_SYNC_CLIENT, &shown)
    };
    model.broker.sync_clients.insert(id, sync);
    Ok(response)
}
