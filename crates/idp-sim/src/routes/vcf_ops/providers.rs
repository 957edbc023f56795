//! Identity providers (one per realm), their directories' SCIM sync
//! clients, LDAP directories with sync and sync logs, and IAM tasks.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::request::{Answer, Ctx, OpsError, Paging, answer, authenticate, body, required_str};
use crate::ids::{new_uuid, random_hex};
use crate::state::vcf_ops::{
    DEFAULT_SYNC_TOKEN_TTL_MINUTES, OpsState, SyncClient, TASK_POLLS, TaskAction, now_millis,
};

/// The secrets an identity provider document holds, never answered (the
/// vendor's examples show none).
const SECRET_POINTERS: [&str; 1] = ["/idpConfig/oidcConfiguration/clientSecret"];

/// A stored provider as answered: without its secrets.
fn shown(idp: &Value) -> Value {
    let mut shown = idp.clone();
    for pointer in SECRET_POINTERS {
        if let Some((parent, key)) = pointer.rsplit_once('/')
            && let Some(Value::Object(map)) = shown.pointer_mut(parent)
        {
            map.remove(key);
        }
    }
    if let Some(ldaps) = shown
        .pointer_mut("/provisioningConfig/ldapConfigurations")
        .and_then(Value::as_array_mut)
    {
        for ldap in ldaps {
            if let Some(Value::Object(bind)) = ldap.get_mut("ldapBindConfiguration") {
                bind.remove("bindDnPassword");
            }
        }
    }
    shown
}

/// Checks a provider document as the vendor's schema requires it and
/// gives its directories and LDAP configurations ids.
fn checked(mut idp: Value) -> Result<Value, OpsError> {
    for field in [
        "name",
        "idpProtocol",
        "idpType",
        "provisionType",
        "ssoRealmId",
    ] {
        required_str(&idp, field)?;
    }
    let protocol = required_str(&idp, "idpProtocol")?.to_ascii_uppercase();
    match protocol.as_str() {
        "OIDC" => {
            let oidc = idp.pointer("/idpConfig/oidcConfiguration").ok_or_else(|| {
                OpsError::bad_request("idpConfig.oidcConfiguration is required for OIDC")
            })?;
            required_str(oidc, "clientId")?;
            required_str(oidc, "discoveryEndpoint")?;
        }
        "SAML" => {
            let saml = idp.pointer("/idpConfig/samlConfiguration").ok_or_else(|| {
                OpsError::bad_request("idpConfig.samlConfiguration is required for SAML")
            })?;
            required_str(saml, "metadataSourceType")?;
        }
        "LDAP_BIND" => {}
        other => {
            return Err(OpsError::bad_request(format!(
                "idpProtocol {other} is not one of OIDC, SAML, LDAP_BIND"
            )));
        }
    }
    if let Some(directories) = idp.get_mut("directories").and_then(Value::as_array_mut) {
        if directories.len() > 1 {
            return Err(OpsError::bad_request("at most one directory is allowed"));
        }
        for directory in directories {
            required_str(directory, "name")?;
            let domains = directory.get("domains").and_then(Value::as_array);
            if domains.is_none_or(Vec::is_empty) {
                return Err(OpsError::bad_request(
                    "directories.domains must not be empty",
                ));
            }
            if directory.get("id").and_then(Value::as_str).is_none() {
                directory["id"] = json!(new_uuid());
            }
        }
    }
    if let Some(ldaps) = idp
        .pointer_mut("/provisioningConfig/ldapConfigurations")
        .and_then(Value::as_array_mut)
    {
        for ldap in ldaps {
            required_str(ldap, "name")?;
            let bind = ldap
                .get("ldapBindConfiguration")
                .ok_or_else(|| OpsError::bad_request("ldapBindConfiguration is required"))?;
            for field in ["baseDn", "bindDn", "type"] {
                required_str(bind, field)?;
            }
            if ldap
                .get("ldapConfigurationId")
                .and_then(Value::as_str)
                .is_none()
            {
                ldap["ldapConfigurationId"] = json!(new_uuid());
            }
        }
    }
    Ok(idp)
}

fn idp_not_found(id: &str) -> OpsError {
    OpsError::not_found(&format!("identity provider {id}"))
}

/// `POST .../iam/identity-providers`: 201 with the provider; 409 when the
/// realm has one already (assumed: a realm has one identity provider).
pub(super) async fn create(State(shared): Ctx, headers: HeaderMap, bytes: Bytes) -> Answer {
    authenticate(&shared, &headers)?;
    let mut idp = checked(body(&headers, &bytes)?)?;
    let realm_id = required_str(&idp, "ssoRealmId")?.to_owned();
    let mut model = shared.model();
    let realm = model
        .vcf_ops
        .realms
        .get_mut(&realm_id)
        .ok_or_else(|| OpsError::not_found(&format!("SSO realm {realm_id}")))?;
    if realm.idp_id.is_some() {
        return Err(OpsError::new(
            StatusCode::CONFLICT,
            "The SSO realm has an identity provider already",
        ));
    }
    let id = new_uuid();
    let now = now_millis();
    idp["id"] = json!(id);
    idp["createdAt"] = json!(now);
    idp["updatedAt"] = json!(now);
    realm.idp_id = Some(id.clone());
    realm.updated_at = now;
    let answered = shown(&idp);
    model.vcf_ops.idps.insert(id, idp);
    Ok(answer(StatusCode::CREATED, &answered))
}

/// Gives directories sent without an id the id of the stored directory of
/// the same name (assumed: a directory keeps its id across updates).
fn keep_directory_ids(old: &Value, new: &mut Value) {
    let Some(directories) = new.get_mut("directories").and_then(Value::as_array_mut) else {
        return;
    };
    for directory in directories {
        if directory.get("id").and_then(Value::as_str).is_some() {
            continue;
        }
        let kept = old["directories"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["name"] == directory["name"])
            .and_then(|d| d.get("id").cloned());
        if let Some(id) = kept {
            directory["id"] = id;
        }
    }
}

/// `PUT .../iam/identity-providers`: replaces the provider the body names
/// by `id`; 200 with it. A secret left out keeps its value (assumed).
pub(super) async fn update(State(shared): Ctx, headers: HeaderMap, bytes: Bytes) -> Answer {
    authenticate(&shared, &headers)?;
    let mut idp = body(&headers, &bytes)?;
    if let Some(id) = idp.get("id").and_then(Value::as_str).map(str::to_owned)
        && let Some(old) = shared.model().vcf_ops.idps.get(&id)
    {
        keep_directory_ids(old, &mut idp);
    }
    let mut idp = checked(idp)?;
    let id = required_str(&idp, "id")?.to_owned();
    let mut model = shared.model();
    let old = model
        .vcf_ops
        .idps
        .get(&id)
        .ok_or_else(|| idp_not_found(&id))?;
    if old["ssoRealmId"] != idp["ssoRealmId"] {
        return Err(OpsError::bad_request(
            "ssoRealmId cannot change: delete the provider and configure it in the other realm",
        ));
    }
    let secret = "/idpConfig/oidcConfiguration/clientSecret";
    if idp.pointer(secret).is_none()
        && let (Some(kept), Some(Value::Object(oidc))) = (
            old.pointer(secret).cloned(),
            idp.pointer_mut("/idpConfig/oidcConfiguration"),
        )
    {
        oidc.insert("clientSecret".into(), kept);
    }
    idp["createdAt"] = old["createdAt"].clone();
    idp["updatedAt"] = json!(now_millis());
    let answered = shown(&idp);
    model.vcf_ops.idps.insert(id, idp);
    Ok(answer(StatusCode::OK, &answered))
}

/// `GET .../iam/identity-providers/{idpConfigId}`.
pub(super) async fn get(State(shared): Ctx, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    let idp = model
        .vcf_ops
        .idps
        .get(&id)
        .ok_or_else(|| idp_not_found(&id))?;
    Ok(answer(StatusCode::OK, &shown(idp)))
}

#[derive(Deserialize)]
pub(super) struct Force {
    #[allow(
        dead_code,
        reason = "accepted as the vendor declares it; every delete is forced"
    )]
    force: Option<bool>,
}

/// `DELETE .../iam/identity-providers/{idpConfigId}`: 202 with a task
/// (`IDP_RESET`); the provider goes when the task completes.
pub(super) async fn delete(
    State(shared): Ctx,
    Path(id): Path<String>,
    Query(_force): Query<Force>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let mut model = shared.model();
    if !model.vcf_ops.idps.contains_key(&id) {
        return Err(idp_not_found(&id));
    }
    let task = model
        .vcf_ops
        .start_task("IDP_RESET", TaskAction::DeleteIdp(id));
    Ok(answer(
        StatusCode::ACCEPTED,
        &json!({"taskId": task, "taskStatus": "QUEUED", "taskType": "IDP_RESET"}),
    ))
}

/// The provider and its directory, for the sync client: 404 for either
/// unknown, 400 when the provider is not provisioned over SCIM (assumed).
fn scim_directory(ops: &OpsState, idp_id: &str, directory_id: &str) -> Result<(), OpsError> {
    let idp = ops.idps.get(idp_id).ok_or_else(|| idp_not_found(idp_id))?;
    let known = idp
        .get("directories")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|d| d["id"] == directory_id);
    if !known {
        return Err(OpsError::not_found(&format!("directory {directory_id}")));
    }
    if !idp["provisionType"]
        .as_str()
        .is_some_and(|p| p.eq_ignore_ascii_case("SCIM"))
    {
        return Err(OpsError::bad_request(
            "the identity provider is not provisioned over SCIM",
        ));
    }
    Ok(())
}

fn sync_client_json(client: &SyncClient, with_secret: bool) -> Value {
    let mut details = json!({"clientId": client.client_id, "tokenTtl": client.token_ttl_minutes});
    if with_secret {
        details["clientSecret"] = json!(client.client_secret);
    }
    let mut answer = json!({"scimClientDetails": details});
    if let Some(token) = &client.token {
        answer["accessTokenDetails"] =
            json!({"accessToken": token, "tokenExpiresAt": client.token_expires_at});
    }
    answer
}

/// `GET .../directories/{directoryId}/sync-client`: the client id, TTL and
/// (as the vendor's example shows) the current access token.
pub(super) async fn get_sync_client(
    State(shared): Ctx,
    Path((idp, directory)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    scim_directory(&model.vcf_ops, &idp, &directory)?;
    let client = model
        .vcf_ops
        .sync_clients
        .get(&(idp, directory.clone()))
        .ok_or_else(|| OpsError::not_found(&format!("sync client of directory {directory}")))?;
    Ok(answer(StatusCode::OK, &sync_client_json(client, false)))
}

/// `POST .../directories/{directoryId}/sync-client`: a new client id and
/// secret and, with `generateToken`, a bearer token valid `tokenTtl`
/// minutes (default 262800, six months); the previous token stops working.
/// 201.
pub(super) async fn generate_sync_client(
    State(shared): Ctx,
    Path((idp, directory)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    authenticate(&shared, &headers)?;
    let spec = if bytes.is_empty() {
        json!({})
    } else {
        body(&headers, &bytes)?
    };
    let ttl = spec
        .get("tokenTtl")
        .and_then(Value::as_i64)
        .unwrap_or(DEFAULT_SYNC_TOKEN_TTL_MINUTES);
    if ttl < 1 {
        return Err(OpsError::bad_request("tokenTtl must be at least 1"));
    }
    let generate = spec
        .get("generateToken")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut model = shared.model();
    scim_directory(&model.vcf_ops, &idp, &directory)?;
    let client = SyncClient {
        client_id: format!("syncClientId{}", random_hex(16)),
        client_secret: random_hex(16),
        token_ttl_minutes: ttl,
        token: generate.then(|| random_hex(32)),
        token_expires_at: now_millis().saturating_add(ttl.saturating_mul(60_000)),
    };
    let answered = sync_client_json(&client, true);
    model.vcf_ops.sync_clients.insert((idp, directory), client);
    Ok(answer(StatusCode::CREATED, &answered))
}

fn ldap_configurations(idp: &Value) -> Vec<Value> {
    idp.pointer("/provisioningConfig/ldapConfigurations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// `GET .../identity-providers/{idpConfigId}/ldap-directories`.
pub(super) async fn ldap_directories(
    State(shared): Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    let idp = model
        .vcf_ops
        .idps
        .get(&id)
        .ok_or_else(|| idp_not_found(&id))?;
    let directories: Vec<Value> = ldap_configurations(idp)
        .iter()
        .map(|ldap| {
            let ldap_id = ldap["ldapConfigurationId"].as_str().unwrap_or_default();
            let logs = model.vcf_ops.sync_logs.get(ldap_id);
            let last = logs.and_then(|l| l.last());
            let controller = ldap.pointer("/ldapBindConfiguration/primaryDomainController");
            let mut directory = json!({
                "ldapConfigurationId": ldap_id,
                "name": ldap["name"],
                "domains": ldap.get("domains").cloned().unwrap_or(json!([])),
                "domainControllerHost": controller.and_then(|c| c.get("host")).cloned().unwrap_or(Value::Null),
                "domainControllerPort": controller.and_then(|c| c.get("port")).cloned().unwrap_or(json!(0)),
                "numberOfUsers": logs.map_or(0, |_| 2),
                "numberOfGroups": logs.map_or(0, |_| 2),
                "numberOfAlerts": 0,
                "setupStatus": if last.is_some() { "COMPLETED" } else { "INITIAL" },
            });
            if let Some(last) = last {
                directory["lastSyncStatus"] = last["syncResult"].clone();
                directory["lastSyncDateTime"] = last["timeStamp"].clone();
            }
            if directory["domainControllerHost"].is_null()
                && let Value::Object(map) = &mut directory
            {
                map.remove("domainControllerHost");
            }
            directory
        })
        .collect();
    Ok(answer(
        StatusCode::OK,
        &json!({"ldapDirectories": directories}),
    ))
}

fn ldap_known(ops: &OpsState, idp_id: &str, ldap_id: &str) -> Result<(), OpsError> {
    let idp = ops.idps.get(idp_id).ok_or_else(|| idp_not_found(idp_id))?;
    if ldap_configurations(idp)
        .iter()
        .any(|l| l["ldapConfigurationId"] == ldap_id)
    {
        Ok(())
    } else {
        Err(OpsError::not_found(&format!("LDAP directory {ldap_id}")))
    }
}

/// `POST .../ldap-directories/{ldapDirectoryId}/sync`: 202 `STARTED`; the
/// sync is logged as completed at once.
pub(super) async fn ldap_sync(
    State(shared): Ctx,
    Path((idp, ldap)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let mut model = shared.model();
    ldap_known(&model.vcf_ops, &idp, &ldap)?;
    let now = now_millis();
    let first = !model.vcf_ops.sync_logs.contains_key(&ldap);
    model
        .vcf_ops
        .sync_logs
        .entry(ldap)
        .or_default()
        .push(json!({
            "id": new_uuid(),
            "syncResult": "COMPLETED",
            "success": true,
            "timeStamp": now,
            "syncType": "message.directory.sync",
            "syncResultMessageKey": "message.directory.sync.success",
            "syncDetails": {
                "usersAdded": if first { 2 } else { 0 },
                "usersUpdated": 0,
                "usersRemoved": 0,
                "groupsAdded": if first { 2 } else { 0 },
                "groupsUpdated": 0,
                "groupsRemoved": 0,
                "syncEndTime": now,
            },
        }));
    Ok(answer(
        StatusCode::ACCEPTED,
        &json!({"syncStatus": "STARTED"}),
    ))
}

/// `GET .../ldap-directories/{ldapDirectoryId}/sync-logs`: newest first;
/// with `last=true` only the newest.
pub(super) async fn ldap_sync_logs(
    State(shared): Ctx,
    Path((idp, ldap)): Path<(String, String)>,
    Query(query): Query<Paging>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    ldap_known(&model.vcf_ops, &idp, &ldap)?;
    let mut logs: Vec<Value> = model
        .vcf_ops
        .sync_logs
        .get(&ldap)
        .cloned()
        .unwrap_or_default();
    logs.reverse();
    if query.last == Some(true) {
        logs.truncate(1);
    }
    let (page, info) = query.page(logs)?;
    Ok(answer(
        StatusCode::OK,
        &json!({"syncLogs": page, "pageInfo": info}),
    ))
}

/// `GET .../iam/tasks/{taskId}`: each poll moves a task on: `QUEUED`,
/// `IN_PROGRESS`, then `COMPLETED` (its change made) or `FAILED` (with
/// `errorDetails`, nothing changed).
pub(super) async fn get_task(
    State(shared): Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let mut model = shared.model();
    let ops = &mut model.vcf_ops;
    let task = ops
        .tasks
        .get_mut(&id)
        .ok_or_else(|| OpsError::not_found(&format!("task {id}")))?;
    task.polls = task.polls.saturating_add(1).min(TASK_POLLS);
    let mut apply = None;
    if task.polls >= TASK_POLLS && task.finished_at.is_none() {
        task.finished_at = Some(now_millis());
        if task.failure.is_none() {
            apply = Some(task.action.clone());
        }
    }
    let mut details = json!({
        "taskId": id,
        "taskStatus": task.status(),
        "taskType": task.task_type,
    });
    if let (Some((code, message)), "FAILED") = (&task.failure, task.status()) {
        details["errorDetails"] =
            json!({"errorCode": code, "errorMessage": message, "timestamp": task.finished_at});
    }
    match apply {
        Some(TaskAction::DeleteIdp(idp)) => ops.delete_idp(&idp),
        None => {}
    }
    Ok(answer(StatusCode::OK, &details))
}
