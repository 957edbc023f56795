//! The discovery endpoints (RFC 7644 §4) of the flavours that have them:
//! `ServiceProviderConfig`, `ResourceTypes` and `Schemas`, describing the
//! attributes this engine stores and filters.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Mount, ScimError, authorize, fail, scim_json};
use crate::state::Shared;
use crate::state::scim::{GROUP_SCHEMA, USER_SCHEMA};

type Ctx = State<Arc<Shared>>;
type Answer = Result<Response, ScimError>;

const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

fn list(resources: Vec<Value>) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": resources.len(),
            "startIndex": 1,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    )
}

pub(super) async fn service_provider_config(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    headers: HeaderMap,
) -> Answer {
    authorize(&shared, mount, &headers)?;
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": { "supported": true },
            "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
            "filter": { "supported": true, "maxResults": super::resources::MAX_RESULTS },
            "changePassword": { "supported": false },
            "sort": { "supported": true },
            "etag": { "supported": false },
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "The SCIM token in Authorization: Bearer <token>",
            }],
            "meta": { "resourceType": "ServiceProviderConfig" },
        }),
    ))
}

fn resource_type_values() -> Vec<Value> {
    [
        ("User", "Users", USER_SCHEMA),
        ("Group", "Groups", GROUP_SCHEMA),
    ]
    .into_iter()
    .map(|(name, endpoint, schema)| {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": name,
            "name": name,
            "endpoint": format!("/{endpoint}"),
            "schema": schema,
            "meta": { "resourceType": "ResourceType" },
        })
    })
    .collect()
}

pub(super) async fn resource_types(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    headers: HeaderMap,
) -> Answer {
    authorize(&shared, mount, &headers)?;
    Ok(list(resource_type_values()))
}

pub(super) async fn resource_type(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    authorize(&shared, mount, &headers)?;
    let id = params.get("id").cloned().unwrap_or_default();
    resource_type_values()
        .into_iter()
        .find(|r| r["id"] == id.as_str())
        .map(|r| scim_json(StatusCode::OK, &r))
        .ok_or_else(|| fail(StatusCode::NOT_FOUND, None, "Unknown resource type"))
}

/// One attribute's definition.
fn attribute(name: &str, kind: &str, multi: bool, required: bool, sub: Vec<Value>) -> Value {
    let mut value = json!({
        "name": name,
        "type": kind,
        "multiValued": multi,
        "required": required,
        "caseExact": false,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": if required { "server" } else { "none" },
    });
    if !sub.is_empty() {
        value["subAttributes"] = Value::Array(sub);
    }
    value
}

fn string(name: &str) -> Value {
    attribute(name, "string", false, false, Vec::new())
}

fn schema_values() -> Vec<Value> {
    let multi_string = |name: &str| {
        attribute(
            name,
            "complex",
            true,
            false,
            vec![
                string("value"),
                string("type"),
                attribute("primary", "boolean", false, false, Vec::new()),
            ],
        )
    };
    let user = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "User Account",
        "attributes": [
            attribute("userName", "string", false, true, Vec::new()),
            attribute("name", "complex", false, false, vec![
                string("formatted"), string("familyName"), string("givenName"), string("middleName"),
            ]),
            string("displayName"),
            string("nickName"),
            string("title"),
            string("preferredLanguage"),
            string("locale"),
            string("timezone"),
            attribute("active", "boolean", false, false, Vec::new()),
            multi_string("emails"),
            multi_string("phoneNumbers"),
        ],
        "meta": { "resourceType": "Schema", "location": format!("/Schemas/{USER_SCHEMA}") },
    });
    let member = attribute(
        "members",
        "complex",
        true,
        false,
        vec![string("value"), string("display"), string("type")],
    );
    let group = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": GROUP_SCHEMA,
        "name": "Group",
        "description": "Group",
        "attributes": [
            attribute("displayName", "string", false, true, Vec::new()),
            member,
        ],
        "meta": { "resourceType": "Schema", "location": format!("/Schemas/{GROUP_SCHEMA}") },
    });
    vec![user, group]
}

pub(super) async fn schemas(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    headers: HeaderMap,
) -> Answer {
    authorize(&shared, mount, &headers)?;
    Ok(list(schema_values()))
}

pub(super) async fn schema(
    State(shared): Ctx,
    Extension(mount): Extension<&'static Mount>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    authorize(&shared, mount, &headers)?;
    let id = params.get("id").cloned().unwrap_or_default();
    schema_values()
        .into_iter()
        .find(|s| s["id"] == id.as_str())
        .map(|s| scim_json(StatusCode::OK, &s))
        .ok_or_else(|| fail(StatusCode::NOT_FOUND, None, "Unknown schema"))
}
