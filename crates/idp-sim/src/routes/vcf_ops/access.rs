//! SSO realms, their users and groups, the VCF roles, and role
//! assignments of users and groups.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::request::{Answer, Ctx, OpsError, Paging, answer, authenticate, body, empty};
use crate::state::vcf_ops::{OpsState, Realm};

fn realm_json(realm: &Realm) -> Value {
    let mut shown = json!({
        "id": realm.id,
        "name": realm.name,
        "vidbResourceId": realm.vidb_resource_id,
        "vcfInstanceId": realm.vcf_instance_id,
        "issues": [],
        "ssoRealmCoverage": [{
            "id": realm.vcf_instance_id,
            "name": realm.vcf_instance_name,
            "ssoEntityType": "VCF_INSTANCE",
        }],
        "totalConfiguredComponents": 4,
        "createdAt": realm.created_at,
        "updatedAt": realm.updated_at,
    });
    if let Some(idp) = &realm.idp_id {
        shown["idpId"] = json!(idp);
    }
    shown
}

fn realm<'a>(ops: &'a OpsState, id: &str) -> Result<&'a Realm, OpsError> {
    ops.realms
        .get(id)
        .ok_or_else(|| OpsError::not_found(&format!("SSO realm {id}")))
}

/// `GET .../iam/ssorealms`.
pub(super) async fn list_realms(State(shared): Ctx, headers: HeaderMap) -> Answer {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    let realms: Vec<Value> = model.vcf_ops.realms.values().map(realm_json).collect();
    Ok(answer(StatusCode::OK, &json!({"ssoRealms": realms})))
}

/// `GET .../iam/ssorealms/{ssoRealmId}`.
pub(super) async fn get_realm(
    State(shared): Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    Ok(answer(
        StatusCode::OK,
        &realm_json(realm(&model.vcf_ops, &id)?),
    ))
}

fn principal_known(realm: &Realm, principal: &str) -> Result<(), OpsError> {
    let known = realm.users.iter().any(|u| u["userId"] == principal)
        || realm.groups.iter().any(|g| g["groupId"] == principal);
    if known {
        Ok(())
    } else {
        Err(OpsError::not_found(&format!("principal {principal}")))
    }
}

/// `GET .../principals/{principalId}/roles`: the assignments (none: an
/// empty list).
pub(super) async fn get_assignments(
    State(shared): Ctx,
    Path((realm_id, principal)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    let realm = realm(&model.vcf_ops, &realm_id)?;
    principal_known(realm, &principal)?;
    let assignments = realm
        .assignments
        .get(&principal)
        .cloned()
        .unwrap_or_default();
    Ok(answer(
        StatusCode::OK,
        &json!({"vcfRoleAssignments": assignments}),
    ))
}

/// Writes the principal's role names into its user or group document.
fn show_roles(realm: &mut Realm, principal: &str) {
    let names: Vec<String> = realm
        .assignments
        .get(principal)
        .into_iter()
        .flatten()
        .filter_map(|a| a["roleName"].as_str().map(str::to_owned))
        .collect();
    for user in &mut realm.users {
        if user["userId"] == principal {
            user["roles"] = json!(
                names
                    .iter()
                    .map(|n| json!({"roleName": n, "roleAssignmentTypes": ["DIRECT"]}))
                    .collect::<Vec<_>>()
            );
        }
    }
    for group in &mut realm.groups {
        if group["groupId"] == principal {
            group["roles"] = json!(names);
        }
    }
}

/// `PUT .../principals/{principalId}/roles`: replaces the assignments; 200
/// without a body. Every role must exist; a `VCF_INSTANCE` scope must name
/// the realm's instance (assumed).
pub(super) async fn set_assignments(
    State(shared): Ctx,
    Path((realm_id, principal)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    authenticate(&shared, &headers)?;
    let document = body(&headers, &bytes)?;
    let assignments = document
        .get("vcfRoleAssignments")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| OpsError::bad_request("vcfRoleAssignments is required"))?;
    let mut model = shared.model();
    let ops = &mut model.vcf_ops;
    let known_roles: Vec<String> = ops
        .roles
        .iter()
        .filter_map(|r| r["roleName"].as_str().map(str::to_owned))
        .collect();
    let realm = ops
        .realms
        .get_mut(&realm_id)
        .ok_or_else(|| OpsError::not_found(&format!("SSO realm {realm_id}")))?;
    principal_known(realm, &principal)?;
    for assignment in &assignments {
        let name = assignment["roleName"].as_str().unwrap_or("");
        if !known_roles.iter().any(|r| r == name) {
            return Err(OpsError::bad_request(format!("unknown role {name:?}")));
        }
        let scope = &assignment["roleScope"];
        match scope["scopeType"].as_str().unwrap_or("SSO_REALM") {
            "SSO_REALM" => {}
            "VCF_INSTANCE" => {
                let resources = scope["resources"].as_array().cloned().unwrap_or_default();
                if resources.is_empty()
                    || resources
                        .iter()
                        .any(|r| r["id"] != realm.vcf_instance_id.as_str())
                {
                    return Err(OpsError::bad_request(
                        "a VCF_INSTANCE scope must name VCF instances of the realm",
                    ));
                }
            }
            other => {
                return Err(OpsError::bad_request(format!(
                    "scopeType {other} is not one of VCF_INSTANCE, SSO_REALM"
                )));
            }
        }
    }
    realm.assignments.insert(principal.clone(), assignments);
    show_roles(realm, &principal);
    Ok(empty(StatusCode::OK))
}

/// `DELETE .../principals/{principalId}/roles`: 204.
pub(super) async fn delete_assignments(
    State(shared): Ctx,
    Path((realm_id, principal)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let mut model = shared.model();
    let realm = model
        .vcf_ops
        .realms
        .get_mut(&realm_id)
        .ok_or_else(|| OpsError::not_found(&format!("SSO realm {realm_id}")))?;
    principal_known(realm, &principal)?;
    realm.assignments.remove(&principal);
    show_roles(realm, &principal);
    Ok(empty(StatusCode::NO_CONTENT))
}

/// The field of a user or group document a search term names.
fn field_of<'a>(principal: &'a Value, field: &str) -> &'a str {
    let key = match field {
        "USERNAME" => ["userName", "groupName"],
        "DOMAIN" => ["domainName", "domainName"],
        "FIRSTNAME" => ["firstName", "-"],
        "LASTNAME" => ["lastName", "-"],
        "DISPLAY_NAME" => ["displayName", "displayName"],
        _ => ["-", "-"],
    };
    key.iter()
        .find_map(|k| principal.get(*k).and_then(Value::as_str))
        .unwrap_or("")
}

/// Whether a user or group matches a `VidbPrincipalQuery`.
fn matches(principal: &Value, query: &Value) -> bool {
    let has_role = principal["roles"].as_array().is_some_and(|r| !r.is_empty());
    match query["filters"].as_str() {
        Some("HAS_ROLE") if !has_role => return false,
        Some("HAS_NO_ROLE") if has_role => return false,
        _ => {}
    }
    let term_matches = |term: &Value| {
        let value = field_of(principal, term["searchableField"].as_str().unwrap_or(""));
        let terms: Vec<&str> = term["terms"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match term["operator"].as_str().unwrap_or("") {
            "EQUALS" => terms.iter().any(|t| value.eq_ignore_ascii_case(t)),
            "EMPTY" => value.is_empty(),
            "NOT_EMPTY" => !value.is_empty(),
            _ => terms
                .iter()
                .any(|t| value.to_lowercase().contains(&t.to_lowercase())),
        }
    };
    let all = query
        .pointer("/searchTerms/allOf")
        .and_then(Value::as_array);
    let any = query
        .pointer("/searchTerms/anyOf")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty());
    all.into_iter().flatten().all(term_matches)
        && any.is_none_or(|terms| terms.iter().any(term_matches))
}

async fn principals(
    shared: &crate::state::Shared,
    realm_id: &str,
    query: &Paging,
    headers: &HeaderMap,
    bytes: &[u8],
    groups: bool,
) -> Answer {
    authenticate(shared, headers)?;
    let filter = if bytes.is_empty() {
        json!({})
    } else {
        body(headers, bytes)?
    };
    let paging = query.required()?;
    let model = shared.model();
    let realm = realm(&model.vcf_ops, realm_id)?;
    let source = if groups { &realm.groups } else { &realm.users };
    let found: Vec<Value> = source
        .iter()
        .filter(|p| matches(p, &filter))
        .cloned()
        .collect();
    let (page, info) = paging.page(found)?;
    let key = if groups { "vidbGroups" } else { "vidbUsers" };
    Ok(answer(
        StatusCode::OK,
        &json!({key: page, "pageInfo": info}),
    ))
}

/// `POST .../ssorealms/{ssoRealmId}/users/query`.
pub(super) async fn users(
    State(shared): Ctx,
    Path(realm_id): Path<String>,
    Query(query): Query<Paging>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    principals(&shared, &realm_id, &query, &headers, &bytes, false).await
}

/// `POST .../ssorealms/{ssoRealmId}/groups/query`.
pub(super) async fn groups(
    State(shared): Ctx,
    Path(realm_id): Path<String>,
    Query(query): Query<Paging>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    principals(&shared, &realm_id, &query, &headers, &bytes, true).await
}

/// `GET .../iam/roles`: the built-in roles, optionally of one `type`.
pub(super) async fn roles(
    State(shared): Ctx,
    Query(query): Query<Paging>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let paging = query.required()?;
    let model = shared.model();
    let roles: Vec<Value> = model
        .vcf_ops
        .roles
        .iter()
        .filter(|r| {
            query.role_type.as_deref().is_none_or(|t| {
                r["type"]
                    .as_str()
                    .is_some_and(|rt| rt.eq_ignore_ascii_case(t))
            })
        })
        .cloned()
        .collect();
    let (page, info) = paging.page(roles)?;
    Ok(answer(
        StatusCode::OK,
        &json!({"vcfRoles": page, "pageInfo": info}),
    ))
}
