//! Directories: list, create (each with its sync client), get, update and
//! delete (with its sync client, its token and its place in identity
//! providers' directory lists).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};

use super::request::{Answer, Ctx, admit, body_of, links, present, required, vendor};
use super::table::{MEDIA_DIRECTORY, MEDIA_DIRECTORY_LIST};
use crate::ids::new_uuid;
use crate::state::broker::{Directory, Links, SyncClient};

/// What creating a directory takes, and what an update may change.
#[derive(Deserialize)]
struct DirectorySpec {
    name: Option<String>,
    domains: Option<Vec<String>>,
    default_domain: Option<String>,
    source: Option<String>,
    #[serde(rename = "type")]
    directory_type: Option<String>,
}

#[derive(Serialize)]
struct DirectoryList {
    items: Vec<Directory>,
    #[serde(rename = "_links")]
    links: Links,
}

pub(super) async fn list(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let items = shared
        .model()
        .broker
        .directories
        .values()
        // "the field is not returned in list directories API"
        .map(|d| Directory {
            default_domain: None,
            ..d.clone()
        })
        .collect();
    let path = format!("/usergroup/t/{tenant}/broker/directories");
    Ok(vendor(
        StatusCode::OK,
        MEDIA_DIRECTORY_LIST,
        &DirectoryList {
            items,
            links: links(&shared, &path),
        },
    ))
}

pub(super) async fn create(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let spec: DirectorySpec = body_of(&headers, &body, MEDIA_DIRECTORY, false)?;
    let name = required(spec.name.as_deref())?;
    let domains = spec.domains.unwrap_or_default();
    if domains.is_empty() {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut model = shared.model();
    let taken = model.broker.directories.values().any(|d| {
        d.name.trim().eq_ignore_ascii_case(&name)
            || d.domains
                .iter()
                .any(|x| domains.iter().any(|y| y.eq_ignore_ascii_case(x)))
    });
    if taken {
        return Err(StatusCode::CONFLICT);
    }
    let id = new_uuid();
    let path = format!("/usergroup/t/{tenant}/broker/directories/{id}");
    let directory = Directory {
        links: links(&shared, &path),
        id: id.clone(),
        name,
        domains,
        source: spec.source.unwrap_or_else(|| "GENERIC".to_owned()),
        directory_type: spec
            .directory_type
            .unwrap_or_else(|| "PROVISIONED".to_owned()),
        delete_in_progress: false,
        default_domain: spec.default_domain,
    };
    model
        .broker
        .directories
        .insert(id.clone(), directory.clone());
    // A directory comes with its sync client (credentials still to generate).
    model.broker.sync_clients.insert(id, SyncClient::new());
    Ok(vendor(StatusCode::CREATED, MEDIA_DIRECTORY, &directory))
}

pub(super) async fn get(
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
    Ok(vendor(StatusCode::OK, MEDIA_DIRECTORY, &directory))
}

pub(super) async fn update(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let patch: DirectorySpec = body_of(&headers, &body, MEDIA_DIRECTORY, false)?;
    let mut model = shared.model();
    if let Some(name) = present(patch.name.as_deref()) {
        let clash = model
            .broker
            .directories
            .iter()
            .any(|(other, d)| *other != id && d.name.trim().eq_ignore_ascii_case(&name));
        if clash {
            return Err(StatusCode::CONFLICT);
        }
    }
    let directory = model
        .broker
        .directories
        .get_mut(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    // Fields sent replace; the others stay.
    if let Some(name) = patch.name {
        directory.name = name;
    }
    if let Some(domains) = patch.domains {
        directory.domains = domains;
    }
    if let Some(default_domain) = patch.default_domain {
        directory.default_domain = Some(default_domain);
    }
    if let Some(source) = patch.source {
        directory.source = source;
    }
    if let Some(directory_type) = patch.directory_type {
        directory.directory_type = directory_type;
    }
    Ok(vendor(StatusCode::OK, MEDIA_DIRECTORY, directory))
}

pub(super) async fn delete(
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
        idp.directory_list.retain(|d| d.id != id);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
