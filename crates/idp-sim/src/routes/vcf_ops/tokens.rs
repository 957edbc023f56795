//! `OpsToken` acquire and release; a realm's API tokens and OAuth apps.
//! A token or client secret is shown once: in the answer that made it.

use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};

use super::request::{
    Answer, Ctx, OpsError, Paging, answer, authenticate, body, empty, required_str,
};
use crate::ids::{new_uuid, random_hex};
use crate::state::vcf_ops::{
    ApiToken, DEFAULT_ACCESS_TOKEN_TTL_MINUTES, DEFAULT_API_TOKEN_TTL_MINUTES, OAuthApp,
    OPS_TOKEN_VALIDITY, OPS_USERNAME, OpsState, OpsToken, millis, now_millis,
};

/// `POST /suite-api/api/auth/token/acquire`: the local user's name and
/// password, with no authentication source or `LOCAL` (assumed), give a
/// token valid for 6 hours.
pub(super) async fn acquire(
    axum::extract::State(shared): Ctx,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let login = body(&headers, &bytes)?;
    let username = login.get("username").and_then(Value::as_str).unwrap_or("");
    let password = login.get("password").and_then(Value::as_str).unwrap_or("");
    let local = login
        .get("authSource")
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty() || s.eq_ignore_ascii_case("LOCAL"));
    let mut model = shared.model();
    if !(local && username == OPS_USERNAME && password == model.vcf_ops.password) {
        return Err(OpsError::new(
            StatusCode::UNAUTHORIZED,
            "Invalid user name, password or authentication source",
        ));
    }
    let token = format!("{}::{}", new_uuid(), new_uuid());
    let valid_until = SystemTime::now() + OPS_TOKEN_VALIDITY;
    model.vcf_ops.tokens.insert(
        token.clone(),
        OpsToken {
            username: username.to_owned(),
            valid_until,
        },
    );
    let expires = chrono::DateTime::<chrono::Utc>::from(valid_until);
    Ok(answer(
        StatusCode::OK,
        &json!({
            "token": token,
            "validity": millis(valid_until),
            "expiresAt": expires.format("%A, %B %-d, %Y %-I:%M:%S %p UTC").to_string(),
            "roles": [],
        }),
    ))
}

/// `POST /suite-api/api/auth/token/release`: the `OpsToken` sent stops
/// working.
pub(super) async fn release(axum::extract::State(shared): Ctx, headers: HeaderMap) -> Answer {
    authenticate(&shared, &headers)?;
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("OpsToken"))
        .map(|(_, token)| token.trim().to_owned());
    if let Some(token) = token {
        shared.model().vcf_ops.tokens.remove(&token);
    }
    Ok(empty(StatusCode::OK))
}

fn realm_exists(ops: &OpsState, realm: &str) -> Result<(), OpsError> {
    if ops.realms.contains_key(realm) {
        Ok(())
    } else {
        Err(OpsError::not_found(&format!("SSO realm {realm}")))
    }
}

/// An API token's document as answered now: its status follows its
/// expiration date.
fn shown_token(token: &ApiToken, with_secret: bool) -> Value {
    let mut document = token.document.clone();
    let expired = document
        .get("expirationDate")
        .and_then(Value::as_i64)
        .is_some_and(|at| at <= now_millis());
    document["tokenStatus"] = json!(if expired { "EXPIRED" } else { "ACTIVE" });
    if with_secret {
        document["token"] = json!(token.token);
    }
    document
}

fn new_api_token_value() -> String {
    random_hex(32)
}

/// `POST .../ssorealms/{ssoRealmId}/api-tokens`: 201 with the token.
pub(super) async fn generate_api_token(
    axum::extract::State(shared): Ctx,
    Path(realm): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let user = authenticate(&shared, &headers)?;
    let spec = body(&headers, &bytes)?;
    let name = required_str(&spec, "tokenName")?.to_owned();
    let ttl = spec
        .get("apiTokenTtl")
        .and_then(Value::as_i64)
        .unwrap_or(DEFAULT_API_TOKEN_TTL_MINUTES);
    if ttl < 1 {
        return Err(OpsError::bad_request("apiTokenTtl must be at least 1"));
    }
    let access_ttl = spec
        .get("accessTokenTtl")
        .and_then(Value::as_i64)
        .unwrap_or(DEFAULT_ACCESS_TOKEN_TTL_MINUTES);
    let mut model = shared.model();
    realm_exists(&model.vcf_ops, &realm)?;
    let id = new_uuid();
    let token = new_api_token_value();
    let now = now_millis();
    let client = spec.get("apiClientId").and_then(Value::as_str);
    let base = format!("https://{}/acs/t/CUSTOMER", shared.authority);
    let document = json!({
        "id": id,
        "apiClientId": client,
        "tokenName": name,
        "tokenDescription": spec.get("tokenDescription").cloned().unwrap_or(Value::Null),
        "apiTokenTtl": ttl,
        "accessTokenTtl": access_ttl,
        "tokenType": if client.is_some() { "API_CLIENT" } else { "USER" },
        "tokenLastChars": &token[token.len() - 5..],
        "principalName": client.map_or(user, str::to_owned),
        "principalStatus": "ACTIVE",
        "creationDate": now,
        "expirationDate": now.saturating_add(ttl.saturating_mul(60_000)),
        "tokenEndpointUrl": format!("{base}/token"),
        "oidcIssuerUrl": base,
    });
    let stored = ApiToken {
        document: strip_nulls(document),
        token,
    };
    let shown = shown_token(&stored, true);
    model.vcf_ops.api_tokens.insert((realm, id), stored);
    Ok(answer(StatusCode::CREATED, &shown))
}

fn strip_nulls(mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        map.retain(|_, v| !v.is_null());
    }
    value
}

/// `POST .../api-tokens/query`: filters by status and type, `TOKEN_NAME`
/// `LIKE`/`EQUALS` search terms; paged.
pub(super) async fn query_api_tokens(
    axum::extract::State(shared): Ctx,
    Path(realm): Path<String>,
    Query(paging): Query<Paging>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    authenticate(&shared, &headers)?;
    let query = body(&headers, &bytes)?;
    let statuses: Vec<String> = strings(query.pointer("/filters/tokenStatus"));
    let types: Vec<String> = strings(query.pointer("/filters/tokenType"));
    let model = shared.model();
    realm_exists(&model.vcf_ops, &realm)?;
    let tokens: Vec<Value> = model
        .vcf_ops
        .api_tokens
        .iter()
        .filter(|((r, _), _)| *r == realm)
        .map(|(_, t)| shown_token(t, false))
        .filter(|t| statuses.is_empty() || statuses.iter().any(|s| t["tokenStatus"] == s.as_str()))
        .filter(|t| types.is_empty() || types.iter().any(|s| t["tokenType"] == s.as_str()))
        .filter(|t| matches_terms(t, &query))
        .collect();
    let (page, info) = paging.page(tokens)?;
    Ok(answer(
        StatusCode::OK,
        &json!({"apiTokens": page, "pageInfo": info}),
    ))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Whether a token matches the query's `TOKEN_NAME` and `PRINCIPAL_NAME`
/// terms (other fields are not filtered on).
fn matches_terms(token: &Value, query: &Value) -> bool {
    let term_matches = |term: &Value| {
        let field = match term.get("field").and_then(Value::as_str) {
            Some("TOKEN_NAME") => "tokenName",
            Some("PRINCIPAL_NAME") => "principalName",
            _ => return true,
        };
        let value = token.get(field).and_then(Value::as_str).unwrap_or("");
        let operator = term.get("operator").and_then(Value::as_str).unwrap_or("");
        strings(term.get("terms")).iter().any(|t| match operator {
            "EQUALS" => value == t,
            _ => value.to_lowercase().contains(&t.to_lowercase()),
        })
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

/// `GET .../api-tokens/{apiTokenId}`: without the token.
pub(super) async fn get_api_token(
    axum::extract::State(shared): Ctx,
    Path((realm, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    let token = model
        .vcf_ops
        .api_tokens
        .get(&(realm, id.clone()))
        .ok_or_else(|| OpsError::not_found(&format!("API token {id}")))?;
    Ok(answer(StatusCode::OK, &shown_token(token, false)))
}

/// `POST .../api-tokens/{apiTokenId}/regenerate`: a new token, a new
/// lifetime from now; the old token stops working.
pub(super) async fn regenerate_api_token(
    axum::extract::State(shared): Ctx,
    Path((realm, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let mut model = shared.model();
    let token = model
        .vcf_ops
        .api_tokens
        .get_mut(&(realm, id.clone()))
        .ok_or_else(|| OpsError::not_found(&format!("API token {id}")))?;
    token.token = new_api_token_value();
    let now = now_millis();
    let ttl = token.document["apiTokenTtl"]
        .as_i64()
        .unwrap_or(DEFAULT_API_TOKEN_TTL_MINUTES);
    token.document["creationDate"] = json!(now);
    token.document["expirationDate"] = json!(now.saturating_add(ttl.saturating_mul(60_000)));
    token.document["tokenLastChars"] = json!(&token.token[token.token.len() - 5..]);
    Ok(answer(StatusCode::OK, &shown_token(token, true)))
}

/// `DELETE .../api-tokens/{apiTokenId}`: 204.
pub(super) async fn delete_api_token(
    axum::extract::State(shared): Ctx,
    Path((realm, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    shared
        .model()
        .vcf_ops
        .api_tokens
        .remove(&(realm, id.clone()))
        .ok_or_else(|| OpsError::not_found(&format!("API token {id}")))?;
    Ok(empty(StatusCode::NO_CONTENT))
}

fn shown_app(app: &OAuthApp, with_secret: bool) -> Value {
    let mut document = app.document.clone();
    if with_secret {
        document["clientSecret"] = json!(app.secret);
    }
    document
}

/// `GET .../ssorealms/{ssoRealmId}/oauth-apps`: without secrets.
pub(super) async fn list_oauth_apps(
    axum::extract::State(shared): Ctx,
    Path(realm): Path<String>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    realm_exists(&model.vcf_ops, &realm)?;
    let apps: Vec<Value> = model
        .vcf_ops
        .oauth_apps
        .iter()
        .filter(|((r, _), _)| *r == realm)
        .map(|(_, app)| shown_app(app, false))
        .collect();
    Ok(answer(StatusCode::OK, &json!({"oauthApps": apps})))
}

/// `POST .../oauth-apps`: 201 with the client secret.
pub(super) async fn create_oauth_app(
    axum::extract::State(shared): Ctx,
    Path(realm): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    authenticate(&shared, &headers)?;
    let spec = body(&headers, &bytes)?;
    let name = required_str(&spec, "clientName")?.to_owned();
    let mut model = shared.model();
    realm_exists(&model.vcf_ops, &realm)?;
    if model
        .vcf_ops
        .oauth_apps
        .iter()
        .any(|((r, _), a)| *r == realm && a.document["clientName"] == name.as_str())
    {
        return Err(OpsError::new(
            StatusCode::CONFLICT,
            format!("An OAuth app named {name} exists"),
        ));
    }
    let id = new_uuid();
    let now = now_millis();
    let app = OAuthApp {
        document: json!({
            "id": id,
            "clientId": format!("oauth-app-{}", random_hex(8)),
            "clientName": name,
            "issuerUrl": format!("https://{}/acs/t/CUSTOMER", shared.authority),
            "redirectUrls": spec.get("redirectUrls").cloned().unwrap_or(json!([])),
            "logoutUrls": spec.get("logoutUrls").cloned().unwrap_or(json!([])),
            "ssoRealmId": realm,
            "createdAt": now,
            "updatedAt": now,
        }),
        secret: random_hex(24),
    };
    let shown = shown_app(&app, true);
    model.vcf_ops.oauth_apps.insert((realm, id), app);
    Ok(answer(StatusCode::CREATED, &shown))
}

/// `GET .../oauth-apps/{oauthAppId}`: without the secret.
pub(super) async fn get_oauth_app(
    axum::extract::State(shared): Ctx,
    Path((realm, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    let app = model
        .vcf_ops
        .oauth_apps
        .get(&(realm, id.clone()))
        .ok_or_else(|| OpsError::not_found(&format!("OAuth app {id}")))?;
    Ok(answer(StatusCode::OK, &shown_app(app, false)))
}

/// `POST .../oauth-apps/{oauthAppId}/rotate`: 201 with the new secret; the
/// old one stops working.
pub(super) async fn rotate_oauth_app(
    axum::extract::State(shared): Ctx,
    Path((realm, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    let mut model = shared.model();
    let app = model
        .vcf_ops
        .oauth_apps
        .get_mut(&(realm, id.clone()))
        .ok_or_else(|| OpsError::not_found(&format!("OAuth app {id}")))?;
    app.secret = random_hex(24);
    app.document["updatedAt"] = json!(now_millis());
    Ok(answer(StatusCode::CREATED, &shown_app(app, true)))
}

/// `DELETE .../oauth-apps/{oauthAppId}`: 204.
pub(super) async fn delete_oauth_app(
    axum::extract::State(shared): Ctx,
    Path((realm, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    authenticate(&shared, &headers)?;
    shared
        .model()
        .vcf_ops
        .oauth_apps
        .remove(&(realm, id.clone()))
        .ok_or_else(|| OpsError::not_found(&format!("OAuth app {id}")))?;
    Ok(empty(StatusCode::NO_CONTENT))
}
