//! OIDC identity providers: list (summaries), create, get, patch, delete.
//! The OIDC client secret is kept, never answered.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};

use super::request::{Answer, Ctx, admit, body_of, links, present, required, vendor};
use super::table::{MEDIA_IDP, MEDIA_IDP_LIST};
use crate::ids::new_uuid;
use crate::state::Model;
use crate::state::broker::{DirectoryRef, IdentityProvider, Links, OidcProfile};

/// What creating an identity provider takes, and what a patch may change.
#[derive(Deserialize)]
struct ProviderSpec {
    idp_name: Option<String>,
    idp_type: Option<String>,
    directory_list: Option<Vec<DirectoryRefSpec>>,
    oidc_profile: Option<OidcProfile>,
}

/// A directory named by id (its name is the broker's to fill in).
#[derive(Deserialize)]
struct DirectoryRefSpec {
    id: Option<String>,
}

#[derive(Serialize)]
struct Summary<'a> {
    #[serde(rename = "_links")]
    links: &'a Links,
    id: &'a str,
    idp_name: &'a str,
    idp_type: &'a str,
    directory_ids: Vec<&'a str>,
}

impl<'a> Summary<'a> {
    fn of(idp: &'a IdentityProvider) -> Self {
        Summary {
            links: &idp.links,
            id: &idp.id,
            idp_name: &idp.idp_name,
            idp_type: idp.idp_type,
            directory_ids: idp.directory_list.iter().map(|d| d.id.as_str()).collect(),
        }
    }
}

#[derive(Serialize)]
struct SummaryList<'a> {
    items: Vec<Summary<'a>>,
    #[serde(rename = "_links")]
    links: Links,
}

pub(super) async fn list(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let path = format!("/federation/t/{tenant}/broker/identity-providers");
    let model = shared.model();
    let list = SummaryList {
        items: model.broker.idps.values().map(Summary::of).collect(),
        links: links(&shared, &path),
    };
    Ok(vendor(StatusCode::OK, MEDIA_IDP_LIST, &list))
}

/// The directories a spec names, each of which must exist (else 400).
fn directory_list(
    model: &Model,
    refs: &[DirectoryRefSpec],
) -> Result<Vec<DirectoryRef>, StatusCode> {
    refs.iter()
        .map(|entry| {
            let id = required(entry.id.as_deref())?;
            let directory = model
                .broker
                .directories
                .get(&id)
                .ok_or(StatusCode::BAD_REQUEST)?;
            Ok(DirectoryRef {
                name: directory.name.clone(),
                id,
            })
        })
        .collect()
}

pub(super) async fn create(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let spec: ProviderSpec = body_of(&headers, &body, MEDIA_IDP, false)?;
    let name = required(spec.idp_name.as_deref())?;
    if present(spec.idp_type.as_deref()).is_some_and(|t| !t.eq_ignore_ascii_case("OIDC")) {
        // "SAML type identity providers are currently not supported for vCenter"
        return Err(StatusCode::BAD_REQUEST);
    }
    let oidc = spec.oidc_profile.ok_or(StatusCode::BAD_REQUEST)?;
    for field in [
        &oidc.configuration_url,
        &oidc.client_id,
        &oidc.client_secret,
    ] {
        required(field.as_deref())?;
    }
    let mut model = shared.model();
    if model
        .broker
        .idps
        .values()
        .any(|i| i.idp_name.trim().eq_ignore_ascii_case(&name))
    {
        return Err(StatusCode::CONFLICT);
    }
    let directories = directory_list(&model, spec.directory_list.as_deref().unwrap_or_default())?;
    let id = new_uuid();
    let path = format!("/federation/t/{tenant}/broker/identity-providers/{id}");
    let idp = IdentityProvider {
        links: links(&shared, &path),
        id: id.clone(),
        idp_name: name,
        idp_type: "OIDC",
        directory_list: directories,
        oidc_profile: oidc,
    };
    let response = vendor(StatusCode::CREATED, MEDIA_IDP, &idp);
    model.broker.idps.insert(id, idp);
    Ok(response)
}

pub(super) async fn get(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let model = shared.model();
    let idp = model.broker.idps.get(&id).ok_or(StatusCode::NOT_FOUND)?;
    Ok(vendor(StatusCode::OK, MEDIA_IDP, idp))
}

pub(super) async fn patch(
    State(shared): Ctx,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    admit(&shared, &headers, &tenant)?;
    let patch: ProviderSpec = body_of(&headers, &body, MEDIA_IDP, true)?;
    let mut model = shared.model();
    let directories = match &patch.directory_list {
        Some(refs) => Some(directory_list(&model, refs)?),
        None => None,
    };
    let idp = model
        .broker
        .idps
        .get_mut(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    if let Some(name) = present(patch.idp_name.as_deref()) {
        idp.idp_name = name;
    }
    if let Some(directories) = directories {
        idp.directory_list = directories;
    }
    // Profile fields are merged one by one; others replace.
    if let Some(oidc) = patch.oidc_profile {
        idp.oidc_profile.merge(oidc);
    }
    Ok(vendor(StatusCode::OK, MEDIA_IDP, idp))
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
        .idps
        .remove(&id)
        .ok_or(StatusCode::NOT_FOUND)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
