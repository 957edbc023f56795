//! SDDC Manager: the token API and the Identity Providers API.

use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde_json::{Map, Value, json};

use crate::auth;
use crate::config::Profile;
use crate::errors::{VcfError, VcfShape, json_response, raw_json_response};
use crate::routes::{BodyProblem, parse_json};
use crate::state::{
    AdfsConfig, Directory, FedSource, FederatedConfig, IdentitySource, LdapInfo, Model, OidcInfo,
    Provider, ProviderKind, Shared, SourceDetails, SyncToken, new_uuid,
};

type Ctx = State<Arc<Shared>>;
type VcfResult = Result<Response, VcfError>;

/// The VCF routes, at the server root.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1/tokens", post(login))
        .route("/v1/tokens/access-token/refresh", patch(refresh))
        .route("/v1/tokens/refresh-token", delete(revoke))
        .route("/v1/identity-broker/prechecks", get(prechecks))
        .route(
            "/v1/identity-providers",
            get(list_providers).post(add_provider),
        )
        .route(
            "/v1/identity-providers/{id}",
            get(get_provider)
                .patch(update_provider)
                .delete(delete_provider),
        )
        .route(
            "/v1/identity-providers/{id}/identity-sources",
            post(add_source),
        )
        .route(
            "/v1/identity-providers/{id}/identity-sources/{domain}",
            patch(update_source).delete(delete_source),
        )
        .route("/v1/identity-providers/{id}/sync-client", post(sync_client))
}

// ---------------------------------------------------------------------------
// Helpers

fn error(
    shared: &Shared,
    shape: VcfShape,
    status: StatusCode,
    code: &str,
    message: impl Into<String>,
) -> VcfError {
    VcfError::new(shared.config.profile, shape, status, code, message)
}

fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), VcfError> {
    let model = shared.model();
    auth::check_bearer(&model, headers).map(drop).map_err(|failure| {
        error(
            shared,
            VcfShape::ErrorResponse,
            StatusCode::UNAUTHORIZED,
            failure.code(),
            failure.message(),
        )
        .remediation("Obtain a new access token with POST /v1/tokens and send it as 'Authorization: Bearer <token>'")
    })
}

fn provider_not_found(shared: &Shared, shape: VcfShape, id: &str) -> VcfError {
    error(
        shared,
        shape,
        StatusCode::NOT_FOUND,
        "IDENTITY_PROVIDER_NOT_FOUND",
        format!("Identity provider with id {id} not found"),
    )
    .arg(id)
    .remediation(
        "Get the identity providers with GET /v1/identity-providers and use one of their ids",
    )
}

/// A path parameter, or 404 when it cannot be decoded (invalid UTF-8 ...).
fn path_param<T>(
    shared: &Shared,
    shape: VcfShape,
    path: Result<Path<T>, PathRejection>,
) -> Result<T, VcfError> {
    path.map(|Path(p)| p).map_err(|_| {
        error(
            shared,
            shape,
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            "The requested resource was not found",
        )
    })
}

fn body_bytes(
    shared: &Shared,
    shape: VcfShape,
    body: Result<Bytes, BytesRejection>,
) -> Result<Bytes, VcfError> {
    body.map_err(|e| {
        error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "UNREADABLE_REQUEST_BODY",
            format!("The request body could not be read: {}", e.body_text()),
        )
    })
}

fn json_body(
    shared: &Shared,
    shape: VcfShape,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, VcfError> {
    let value = parse_json(headers, body).map_err(|problem| match problem {
        BodyProblem::ContentType(ct) => error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "INVALID_CONTENT_TYPE",
            format!(
                "Content type '{ct}' is not supported; send the request body as application/json"
            ),
        )
        .arg(ct),
        BodyProblem::Empty => error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "MISSING_REQUEST_BODY",
            "The request body is required",
        ),
        BodyProblem::Malformed(detail) => error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "MALFORMED_REQUEST_BODY",
            format!("The request body is not valid JSON: {detail}"),
        ),
    })?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "MALFORMED_REQUEST_BODY",
            "The request body must be a JSON object",
        ))
    }
}

/// A validation failure naming the field.
#[derive(Debug)]
struct Invalid {
    code: &'static str,
    field: String,
    message: String,
}

impl Invalid {
    fn required(field: String) -> Self {
        Invalid {
            code: "FIELD_REQUIRED",
            message: format!("{field} is required"),
            field,
        }
    }

    fn value(field: String, why: impl std::fmt::Display) -> Self {
        Invalid {
            code: "INVALID_FIELD_VALUE",
            message: format!("{field} {why}"),
            field,
        }
    }

    fn into_error(self, shared: &Shared, shape: VcfShape) -> VcfError {
        error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            self.code,
            self.message,
        )
        .arg(self.field)
        .remediation("Correct the request body and retry")
    }
}

/// A JSON object being validated, with its dotted path for messages.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    fn root(value: &'a Value) -> Result<Self, Invalid> {
        match value {
            Value::Object(map) => Ok(Obj {
                map,
                path: String::new(),
            }),
            _ => Err(Invalid::value("body".into(), "must be a JSON object")),
        }
    }

    fn name(&self, field: &str) -> String {
        if self.path.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.path)
        }
    }

    fn get(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    fn opt_str(&self, field: &str) -> Result<Option<String>, Invalid> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Invalid::value(self.name(field), "must be a string")),
        }
    }

    fn str(&self, field: &str) -> Result<String, Invalid> {
        match self.opt_str(field)? {
            None => Err(Invalid::required(self.name(field))),
            Some(s) if s.trim().is_empty() => {
                Err(Invalid::value(self.name(field), "must not be empty"))
            }
            Some(s) => Ok(s),
        }
    }

    fn opt_obj(&self, field: &str) -> Result<Option<Obj<'a>>, Invalid> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Obj {
                map,
                path: self.name(field),
            })),
            Some(_) => Err(Invalid::value(self.name(field), "must be a JSON object")),
        }
    }

    fn obj(&self, field: &str) -> Result<Obj<'a>, Invalid> {
        self.opt_obj(field)?
            .ok_or_else(|| Invalid::required(self.name(field)))
    }

    fn opt_str_list(&self, field: &str) -> Result<Option<Vec<String>>, Invalid> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(Invalid::value(
                        self.name(field),
                        "must be an array of strings",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(Invalid::value(
                self.name(field),
                "must be an array of strings",
            )),
        }
    }

    fn non_empty_str_list(&self, field: &str) -> Result<Vec<String>, Invalid> {
        let list = self
            .opt_str_list(field)?
            .ok_or_else(|| Invalid::required(self.name(field)))?;
        if list.is_empty() || list.iter().any(|s| s.trim().is_empty()) {
            return Err(Invalid::value(
                self.name(field),
                "must contain at least one non-empty value",
            ));
        }
        Ok(list)
    }

    /// A positive integer; a string of digits is accepted too.
    fn opt_positive(&self, field: &str) -> Result<Option<u64>, Invalid> {
        let value = match self.get(field) {
            None => return Ok(None),
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
            Some(_) => None,
        };
        match value {
            Some(v) if v > 0 && v <= MAX_INT64 => Ok(Some(v)),
            _ => Err(Invalid::value(
                self.name(field),
                "must be a positive integer (seconds)",
            )),
        }
    }
}

/// Whether a domain name is acceptable: letters, digits, `-`, `_`, `.`,
/// no empty labels.
fn valid_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.len() <= 253
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && domain.split('.').all(|label| !label.is_empty())
}

fn domain_field(obj: &Obj<'_>, field: &str) -> Result<String, Invalid> {
    let domain = obj.str(field)?;
    let domain = domain.trim().to_owned();
    if valid_domain(&domain) {
        Ok(domain)
    } else {
        Err(Invalid::value(
            obj.name(field),
            "must be a domain name (letters, digits, '-', '_' and '.')",
        ))
    }
}

fn source_details(ldap: &Obj<'_>) -> Result<SourceDetails, Invalid> {
    let details = ldap.obj("sourceDetails")?;
    Ok(SourceDetails {
        users_base_dn: details.str("usersBaseDn")?,
        groups_base_dn: details.str("groupsBaseDn")?,
        cert_chain: details.opt_str_list("certChain")?.unwrap_or_default(),
        server_endpoints: details.non_empty_str_list("serverEndpoints")?,
    })
}

fn oidc(obj: &Obj<'_>) -> Result<OidcInfo, Invalid> {
    let client_id = obj.str("clientId")?;
    // Required, checked, and never stored.
    obj.str("clientSecret")?;
    Ok(OidcInfo {
        client_id,
        discovery_endpoint: obj.str("discoveryEndpoint")?,
    })
}

fn canonical_ldap_type(obj: &Obj<'_>, field: &str, raw: &str) -> Result<String, Invalid> {
    match raw.to_ascii_lowercase().as_str() {
        "activedirectory" => Ok("ActiveDirectory".to_owned()),
        "openldap" => Ok("OpenLdap".to_owned()),
        _ => Err(Invalid::value(
            obj.name(field),
            format!("must be one of ActiveDirectory, OpenLdap (got {raw:?})"),
        )),
    }
}

// ---------------------------------------------------------------------------
// Rendering

fn format_expire_at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn ldap_json(ldap: &LdapInfo, type_override: Option<&str>, with_cert_chain: bool) -> Value {
    let mut details = Map::new();
    details.insert(
        "usersBaseDn".into(),
        json!(ldap.source_details.users_base_dn),
    );
    details.insert(
        "groupsBaseDn".into(),
        json!(ldap.source_details.groups_base_dn),
    );
    if with_cert_chain {
        details.insert("certChain".into(), json!(ldap.source_details.cert_chain));
    }
    details.insert(
        "serverEndpoints".into(),
        json!(ldap.source_details.server_endpoints),
    );
    let mut out = Map::new();
    out.insert(
        "type".into(),
        json!(type_override.unwrap_or(&ldap.ldap_type)),
    );
    out.insert("domainName".into(), json!(ldap.domain_name));
    if let Some(alias) = &ldap.domain_alias {
        out.insert("domainAlias".into(), json!(alias));
    }
    out.insert("username".into(), json!(ldap.username));
    out.insert("sourceDetails".into(), Value::Object(details));
    Value::Object(out)
}

fn source_json(source: &IdentitySource) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(source.name));
    out.insert("type".into(), json!(source.source_type));
    out.insert("domainNames".into(), json!(source.domain_names));
    if let Some(ldap) = &source.ldap {
        out.insert("ldap".into(), ldap_json(ldap, None, true));
    }
    Value::Object(out)
}

fn status_str(active: bool) -> &'static str {
    if active { "active" } else { "inactive" }
}

fn fed_source_str(profile: Profile, source: FedSource) -> &'static str {
    match source {
        // As the documented response shows it.
        FedSource::Okta => "Okta",
        FedSource::EntraId if profile.is_52_or_later() => "MICROSOFT_ENTRA_ID",
        FedSource::EntraId => "AZURE",
        FedSource::PingFederate => "PING_FEDERATE",
    }
}

fn fed_source_type(source: FedSource) -> &'static str {
    match source {
        FedSource::Okta => "OKTA",
        FedSource::EntraId => "MICROSOFT_ENTRA_ID",
        FedSource::PingFederate => "PING_FEDERATE",
    }
}

/// A provider as `GET /v1/identity-providers[/{id}]` shows it: never a
/// password, client secret or token.
pub(crate) fn provider_json(shared: &Shared, model: &Model, provider: &Provider) -> Value {
    let profile = shared.config.profile;
    let status = status_str(model.is_active(provider));
    match &provider.kind {
        ProviderKind::Embedded { sources } => json!({
            "id": provider.id,
            "name": provider.name,
            "type": "Embedded",
            "identitySources": sources.iter().map(source_json).collect::<Vec<_>>(),
            "status": status,
        }),
        ProviderKind::Adfs(adfs) => json!({
            "id": provider.id,
            "name": provider.name,
            "type": "Microsoft ADFS",
            "domainNames": [adfs.ldap.domain_name],
            "ldap": ldap_json(&adfs.ldap, Some("Oidc"), false),
            "oidc": {
                "clientId": adfs.oidc.client_id,
                "discoveryEndpoint": adfs.oidc.discovery_endpoint,
            },
            "status": status,
        }),
        ProviderKind::Federated(fed) => {
            let mut directory = Map::new();
            if let Some(id) = &fed.directory.directory_id {
                directory.insert("directoryId".into(), json!(id));
            }
            directory.insert("name".into(), json!(fed.directory.name));
            directory.insert("defaultDomain".into(), json!(fed.directory.default_domain));
            directory.insert("domains".into(), json!(fed.directory.domains));
            if profile.is_52_or_later() {
                directory.insert(
                    "federatedIdpSourceType".into(),
                    json!(fed_source_type(fed.source)),
                );
            }
            let mut fed_idp = Map::new();
            fed_idp.insert("name".into(), json!(fed.fed_name));
            fed_idp.insert("source".into(), json!(fed_source_str(profile, fed.source)));
            fed_idp.insert("directoryList".into(), Value::Object(directory));
            fed_idp.insert(
                "oidcInfo".into(),
                json!({
                    "clientId": fed.oidc.client_id,
                    "discoveryEndpoint": fed.oidc.discovery_endpoint,
                }),
            );
            fed_idp.insert(
                "syncClientTokenTTL".into(),
                json!(fed.sync_client_token_ttl),
            );
            if let Some(token) = &fed.sync_token {
                fed_idp.insert(
                    "syncClientTokenInfo".into(),
                    json!({
                        "expireAt": format_expire_at(token.expire_at),
                        "scimUrl": shared.scim_url(),
                    }),
                );
            }
            json!({
                "id": provider.id,
                "name": provider.name,
                "type": "FEDERATED_IDP_BROKER",
                "status": status,
                "fedIdp": Value::Object(fed_idp),
            })
        }
    }
}

/// The body of `GET /v1/identity-providers`.
pub(crate) fn providers_json(shared: &Shared, model: &Model) -> Value {
    let elements: Vec<Value> = model
        .providers
        .iter()
        .map(|p| provider_json(shared, model, p))
        .collect();
    json!({ "elements": elements })
}

// ---------------------------------------------------------------------------
// Tokens

async fn login(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    let body = body_bytes(&shared, shape, body)?;
    let value = json_body(&shared, shape, &headers, &body)?;
    let (username, password) = Obj::root(&value)
        .and_then(|spec| Ok((spec.str("username")?, spec.str("password")?)))
        .map_err(|e| e.into_error(&shared, shape))?;
    if !auth::check_credentials(&shared.config, &username, &password) {
        return Err(error(
            &shared,
            shape,
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_FAILED",
            "Authentication failed: invalid username or password",
        )
        .remediation("Check the username and password"));
    }
    let (access, refresh_id) = {
        let mut model = shared.model();
        auth::login(&mut model, &username, shared.config.access_token_lifetime)
    };
    let status = if shared.config.profile.is_52_or_later() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(json_response(
        status,
        &json!({ "accessToken": access, "refreshToken": { "id": refresh_id } }),
    ))
}

/// The refresh token id from a body that is a JSON string, a bare string, or
/// `{"id": "..."}`.
fn refresh_id_from_body(shared: &Shared, body: &[u8]) -> Result<String, VcfError> {
    let shape = VcfShape::ErrorResponse;
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let bad = |message: &str| {
        error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "INVALID_REFRESH_TOKEN_REQUEST",
            message,
        )
        .remediation("Send the refresh token id as a JSON string")
    };
    if text.is_empty() {
        return Err(bad("The refresh token id is required in the request body"));
    }
    let id = if text.starts_with('"') || text.starts_with('{') {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::String(s)) => s,
            Ok(Value::Object(map)) => match map.get("id") {
                Some(Value::String(s)) => s.clone(),
                _ => return Err(bad("id is required")),
            },
            Ok(_) | Err(_) => {
                return Err(bad(
                    "The request body must be the refresh token id as a JSON string",
                ));
            }
        }
    } else {
        text.to_owned()
    };
    if id.trim().is_empty() {
        return Err(bad("The refresh token id must not be empty"));
    }
    Ok(id.trim().to_owned())
}

async fn refresh(State(shared): Ctx, body: Result<Bytes, BytesRejection>) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    let body = body_bytes(&shared, shape, body)?;
    let id = refresh_id_from_body(&shared, &body)?;
    let result = {
        let mut model = shared.model();
        auth::refresh(&mut model, &id, shared.config.access_token_lifetime)
    };
    let token = result.map_err(|failure| {
        let message = match failure {
            auth::RefreshFailure::Unknown => "The refresh token is invalid",
            auth::RefreshFailure::Revoked => "The refresh token has been revoked",
        };
        error(
            &shared,
            shape,
            StatusCode::UNAUTHORIZED,
            "INVALID_REFRESH_TOKEN",
            message,
        )
        .remediation("Log in again with POST /v1/tokens")
    })?;
    let body = if shared.config.profile.is_52_or_later() {
        Value::String(token).to_string()
    } else {
        token
    };
    Ok(raw_json_response(StatusCode::OK, body))
}

async fn revoke(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    // Unlike logging in and refreshing, logging out needs the access token.
    authorize(&shared, &headers)?;
    let body = body_bytes(&shared, shape, body)?;
    let id = refresh_id_from_body(&shared, &body)?;
    let known = {
        let mut model = shared.model();
        auth::revoke(&mut model, &id)
    };
    if known {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(error(
            &shared,
            shape,
            StatusCode::NOT_FOUND,
            "REFRESH_TOKEN_NOT_FOUND",
            "The refresh token was not found",
        ))
    }
}

// ---------------------------------------------------------------------------
// Identity providers

async fn prechecks(State(shared): Ctx, headers: HeaderMap) -> VcfResult {
    authorize(&shared, &headers)?;
    Ok(json_response(
        StatusCode::OK,
        &json!({ "status": "SUCCESS" }),
    ))
}

async fn list_providers(State(shared): Ctx, headers: HeaderMap) -> VcfResult {
    authorize(&shared, &headers)?;
    let body = {
        let model = shared.model();
        providers_json(&shared, &model)
    };
    Ok(json_response(StatusCode::OK, &body))
}

async fn get_provider(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    authorize(&shared, &headers)?;
    let id = path_param(&shared, shape, path)?;
    let body = {
        let model = shared.model();
        model
            .provider(&id)
            .map(|p| provider_json(&shared, &model, p))
    };
    match body {
        Some(body) => Ok(json_response(StatusCode::OK, &body)),
        None => Err(provider_not_found(&shared, shape, &id)),
    }
}

/// A validated external provider spec.
enum ExternalSpec {
    Adfs {
        name: String,
        config: AdfsConfig,
    },
    Federated {
        name: String,
        config: FederatedConfig,
    },
}

impl ExternalSpec {
    fn name(&self) -> &str {
        match self {
            ExternalSpec::Adfs { name, .. } | ExternalSpec::Federated { name, .. } => name,
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            ExternalSpec::Adfs { .. } => "Microsoft ADFS",
            ExternalSpec::Federated { .. } => "FEDERATED_IDP_BROKER",
        }
    }
}

fn resolve_fed_source(
    profile: Profile,
    fed: &Obj<'_>,
    directory: &Obj<'_>,
    fed_name: &str,
) -> Result<FedSource, Invalid> {
    let explicit = directory
        .opt_str("federatedIdpSourceType")?
        .or(fed.opt_str("federatedIdpSourceType")?);
    let source = if let Some(explicit) = explicit {
        match explicit.trim().to_ascii_uppercase().as_str() {
            "OKTA" => FedSource::Okta,
            "MICROSOFT_ENTRA_ID" | "AZURE" | "ENTRA_ID" => FedSource::EntraId,
            "PING_FEDERATE" | "PING" => FedSource::PingFederate,
            _ => {
                return Err(Invalid::value(
                    directory.name("federatedIdpSourceType"),
                    "must be one of OKTA, MICROSOFT_ENTRA_ID, PING_FEDERATE",
                ));
            }
        }
    } else {
        let lower = fed_name.to_ascii_lowercase();
        if lower.contains("okta") {
            FedSource::Okta
        } else if lower.contains("entra") || lower.contains("azure") {
            FedSource::EntraId
        } else if lower.contains("ping") {
            FedSource::PingFederate
        } else {
            return Err(Invalid::value(
                fed.name("name"),
                format!(
                    "must name a supported identity provider (Okta, Microsoft Entra ID{}), got {fed_name:?}",
                    if profile.is_52_or_later() {
                        ", Ping Federate"
                    } else {
                        ""
                    }
                ),
            ));
        }
    };
    if source == FedSource::PingFederate && !profile.is_52_or_later() {
        return Err(Invalid::value(
            fed.name("name"),
            "names Ping Federate, which this VCF version does not support (supported: Okta, Azure)",
        ));
    }
    Ok(source)
}

fn parse_external_spec(shared: &Shared, value: &Value) -> Result<ExternalSpec, Invalid> {
    let profile = shared.config.profile;
    let spec = Obj::root(value)?;
    let raw_type = spec.str("type")?;
    let normalized = raw_type
        .trim()
        .to_ascii_lowercase()
        .replace(['_', '-', ' '], "");
    match normalized.as_str() {
        "activedirectory" | "microsoftadfs" | "adfs" => {
            let name = spec.str("name")?;
            let ldap = spec.obj("ldap")?;
            if let Some(t) = ldap.opt_str("type")? {
                let lower = t.to_ascii_lowercase();
                if !matches!(lower.as_str(), "activedirectory" | "openldap" | "oidc") {
                    return Err(Invalid::value(
                        ldap.name("type"),
                        "must be one of ActiveDirectory, OpenLdap",
                    ));
                }
            }
            let domain_name = domain_field(&ldap, "domainName")?;
            let domain_alias = ldap.opt_str("domainAlias")?;
            let username = ldap.str("username")?;
            ldap.str("password")?;
            let source_details = source_details(&ldap)?;
            let oidc = oidc(&spec.obj("oidc")?)?;
            // Validated, not shown back (the provider has no certChain field).
            spec.opt_str_list("certChain")?;
            Ok(ExternalSpec::Adfs {
                name,
                config: AdfsConfig {
                    ldap: LdapInfo {
                        ldap_type: "Oidc".to_owned(),
                        domain_name,
                        domain_alias,
                        username,
                        source_details,
                    },
                    oidc,
                },
            })
        }
        "federatedidpbroker" => {
            let fed = spec.obj("fedIdpSpec")?;
            let fed_name = fed.str("name")?;
            let directory = fed.obj("directory")?;
            let dir_name = directory.str("name")?;
            let default_domain = domain_field(&directory, "defaultDomain")?;
            let domains = directory.non_empty_str_list("domains")?;
            if let Some(bad) = domains.iter().find(|d| !valid_domain(d.trim())) {
                return Err(Invalid::value(
                    directory.name("domains"),
                    format!("contains an invalid domain name {bad:?}"),
                ));
            }
            if !domains
                .iter()
                .any(|d| d.trim().eq_ignore_ascii_case(&default_domain))
            {
                return Err(Invalid::value(
                    directory.name("defaultDomain"),
                    "must be one of fedIdpSpec.directory.domains",
                ));
            }
            let source = resolve_fed_source(profile, &fed, &directory, &fed_name)?;
            let oidc = oidc(&fed.obj("oidcSpec")?)?;
            let ttl = fed
                .opt_positive("syncClientTokenTTL")?
                .unwrap_or(shared.config.default_sync_client_token_ttl);
            let name = spec
                .opt_str("name")?
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| fed_name.clone());
            Ok(ExternalSpec::Federated {
                name,
                config: FederatedConfig {
                    fed_name,
                    source,
                    directory: Directory {
                        name: dir_name,
                        directory_id: directory.opt_str("directoryId")?,
                        default_domain,
                        domains: domains.iter().map(|d| d.trim().to_owned()).collect(),
                    },
                    oidc,
                    sync_client_token_ttl: ttl,
                    sync_token: None,
                },
            })
        }
        "embedded" => Err(Invalid::value(
            "type".into(),
            "Embedded cannot be added: the embedded identity provider always exists",
        )),
        _ => Err(Invalid::value(
            "type".into(),
            format!(
                "must be one of ActiveDirectory (Microsoft ADFS), FEDERATED_IDP_BROKER (got {raw_type:?})"
            ),
        )),
    }
}

async fn add_provider(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let body = body_bytes(&shared, shape, body)?;
    let value = json_body(&shared, shape, &headers, &body)?;
    let spec = parse_external_spec(&shared, &value).map_err(|e| e.into_error(&shared, shape))?;
    let id = {
        let mut model = shared.model();
        if let Some(existing) = model.providers.iter().find(|p| !p.is_embedded()) {
            return Err(error(
                &shared,
                shape,
                StatusCode::BAD_REQUEST,
                "IDENTITY_PROVIDER_ALREADY_CONFIGURED",
                format!(
                    "An external identity provider is already configured ({}); only one external identity provider is supported",
                    existing.name
                ),
            )
            .arg(existing.id.clone())
            .remediation("Delete the existing external identity provider before adding another"));
        }
        let id = new_uuid();
        let (name, kind) = match spec {
            ExternalSpec::Adfs { name, config } => (name, ProviderKind::Adfs(config)),
            ExternalSpec::Federated { name, config } => (name, ProviderKind::Federated(config)),
        };
        model.providers.push(Provider {
            id: id.clone(),
            name,
            kind,
        });
        id
    };
    if shared.config.profile.is_9() {
        Ok(StatusCode::CREATED.into_response())
    } else {
        Ok(raw_json_response(StatusCode::CREATED, id))
    }
}

async fn update_provider(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let id = path_param(&shared, shape, path)?;
    {
        let model = shared.model();
        match model.provider(&id) {
            None => return Err(provider_not_found(&shared, shape, &id)),
            Some(p) if p.is_embedded() => {
                return Err(embedded_immutable(&shared, shape, "updated"));
            }
            Some(_) => {}
        }
    }
    let body = body_bytes(&shared, shape, body)?;
    let value = json_body(&shared, shape, &headers, &body)?;
    let spec = parse_external_spec(&shared, &value).map_err(|e| e.into_error(&shared, shape))?;
    let mut model = shared.model();
    // Checked again: the provider may have changed while the body was parsed.
    let Some(provider) = model.provider_mut(&id) else {
        return Err(provider_not_found(&shared, shape, &id));
    };
    let name = spec.name().to_owned();
    let kind_name = spec.kind_name();
    match (&mut provider.kind, spec) {
        (ProviderKind::Adfs(current), ExternalSpec::Adfs { config, .. }) => *current = config,
        (ProviderKind::Federated(current), ExternalSpec::Federated { mut config, .. }) => {
            config.sync_token = current.sync_token.take();
            *current = config;
        }
        (ProviderKind::Embedded { .. }, _) => {
            return Err(embedded_immutable(&shared, shape, "updated"));
        }
        _ => {
            return Err(error(
                &shared,
                shape,
                StatusCode::BAD_REQUEST,
                "IDENTITY_PROVIDER_TYPE_MISMATCH",
                format!("type {kind_name} does not match the type of identity provider {id}; the type cannot be changed"),
            )
            .arg("type")
            .remediation("Delete the identity provider and add a new one to change its type"));
        }
    }
    provider.name = name;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn embedded_immutable(shared: &Shared, shape: VcfShape, what: &str) -> VcfError {
    error(
        shared,
        shape,
        StatusCode::BAD_REQUEST,
        "EMBEDDED_IDENTITY_PROVIDER_IMMUTABLE",
        format!("The embedded identity provider cannot be {what}"),
    )
    .remediation("Manage the embedded provider's identity sources with the identity-sources API")
}

async fn delete_provider(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let id = path_param(&shared, shape, path)?;
    let mut model = shared.model();
    match model.provider(&id) {
        None => Err(provider_not_found(&shared, shape, &id)),
        Some(p) if p.is_embedded() => Err(embedded_immutable(&shared, shape, "deleted")),
        Some(_) => {
            model.providers.retain(|p| p.id != id);
            Ok(StatusCode::NO_CONTENT.into_response())
        }
    }
}

// ---------------------------------------------------------------------------
// Identity sources

fn parse_source_spec(value: &Value) -> Result<IdentitySource, Invalid> {
    let spec = Obj::root(value)?;
    let name = spec.str("name")?;
    let ldap = spec.obj("ldap")?;
    let raw_type = ldap.str("type")?;
    let ldap_type = canonical_ldap_type(&ldap, "type", &raw_type)?;
    let domain_name = domain_field(&ldap, "domainName")?;
    let domain_alias = ldap.opt_str("domainAlias")?;
    let username = ldap.str("username")?;
    ldap.str("password")?;
    let source_details = source_details(&ldap)?;
    Ok(IdentitySource {
        name,
        source_type: ldap_type.clone(),
        domain_names: vec![domain_name.clone()],
        ldap: Some(LdapInfo {
            ldap_type,
            domain_name,
            domain_alias,
            username,
            source_details,
        }),
    })
}

fn not_embedded(shared: &Shared, shape: VcfShape, id: &str) -> VcfError {
    error(
        shared,
        shape,
        StatusCode::BAD_REQUEST,
        "IDENTITY_SOURCES_NOT_SUPPORTED",
        format!("Identity provider {id} is not the embedded identity provider; identity sources belong to the embedded identity provider only"),
    )
    .arg(id)
}

fn source_not_found(shared: &Shared, shape: VcfShape, domain: &str) -> VcfError {
    error(
        shared,
        shape,
        StatusCode::NOT_FOUND,
        "IDENTITY_SOURCE_NOT_FOUND",
        format!("Identity source with domain name {domain} not found"),
    )
    .arg(domain)
}

/// The embedded provider's sources, or the 404/400 for `id`.
fn embedded_sources_mut<'m>(
    shared: &Shared,
    shape: VcfShape,
    model: &'m mut Model,
    id: &str,
) -> Result<&'m mut Vec<IdentitySource>, VcfError> {
    match model.provider_mut(id) {
        None => Err(provider_not_found(shared, shape, id)),
        Some(Provider {
            kind: ProviderKind::Embedded { sources },
            ..
        }) => Ok(sources),
        Some(_) => Err(not_embedded(shared, shape, id)),
    }
}

async fn add_source(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let id = path_param(&shared, shape, path)?;
    {
        let mut model = shared.model();
        embedded_sources_mut(&shared, shape, &mut model, &id)?;
    }
    let body = body_bytes(&shared, shape, body)?;
    let value = json_body(&shared, shape, &headers, &body)?;
    let source = parse_source_spec(&value).map_err(|e| e.into_error(&shared, shape))?;
    let domain = source.domain_names[0].clone();
    {
        let mut model = shared.model();
        let sources = embedded_sources_mut(&shared, shape, &mut model, &id)?;
        if sources.iter().any(|s| s.has_domain(&domain)) {
            return Err(error(
                &shared,
                shape,
                StatusCode::BAD_REQUEST,
                "IDENTITY_SOURCE_ALREADY_EXISTS",
                format!("An identity source with domain name {domain} already exists"),
            )
            .arg(domain)
            .remediation("Use a different domain name, or update the existing identity source"));
        }
        sources.push(source);
    }
    if shared.config.profile.is_9() {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Ok(raw_json_response(
            StatusCode::CREATED,
            format!("Added Identity source with domain name {domain} successfully"),
        ))
    }
}

fn find_source(sources: &[IdentitySource], domain: &str) -> Option<usize> {
    sources.iter().position(|s| s.has_domain(domain))
}

fn builtin_source(shared: &Shared, shape: VcfShape, domain: &str, what: &str) -> VcfError {
    error(
        shared,
        shape,
        StatusCode::BAD_REQUEST,
        "IDENTITY_SOURCE_IMMUTABLE",
        format!("The built-in identity source {domain} cannot be {what}"),
    )
    .arg(domain)
}

async fn update_source(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let (id, domain) = path_param(&shared, shape, path)?;
    let check = |model: &mut Model| -> Result<(), VcfError> {
        let sources = embedded_sources_mut(&shared, shape, model, &id)?;
        let index = find_source(sources, &domain)
            .ok_or_else(|| source_not_found(&shared, shape, &domain))?;
        if sources[index].is_builtin() {
            return Err(builtin_source(&shared, shape, &domain, "updated"));
        }
        Ok(())
    };
    check(&mut shared.model())?;
    let body = body_bytes(&shared, shape, body)?;
    let value = json_body(&shared, shape, &headers, &body)?;
    let source = parse_source_spec(&value).map_err(|e| e.into_error(&shared, shape))?;
    if !source.domain_names[0].eq_ignore_ascii_case(&domain) {
        return Err(error(
            &shared,
            shape,
            StatusCode::BAD_REQUEST,
            "INVALID_FIELD_VALUE",
            format!(
                "ldap.domainName {} must match the domain name in the path, {domain}",
                source.domain_names[0]
            ),
        )
        .arg("ldap.domainName"));
    }
    let mut model = shared.model();
    check(&mut model)?;
    let sources = embedded_sources_mut(&shared, shape, &mut model, &id)?;
    if let Some(index) = find_source(sources, &domain) {
        sources[index] = source;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn delete_source(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let (id, domain) = path_param(&shared, shape, path)?;
    let mut model = shared.model();
    let sources = embedded_sources_mut(&shared, shape, &mut model, &id)?;
    let index =
        find_source(sources, &domain).ok_or_else(|| source_not_found(&shared, shape, &domain))?;
    if sources[index].is_builtin() {
        return Err(builtin_source(&shared, shape, &domain, "deleted"));
    }
    sources.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---------------------------------------------------------------------------
// Sync client token

/// The largest TTL accepted: the server reads it as a Java `long` (the
/// spec's `int64`).
const MAX_INT64: u64 = i64::MAX.unsigned_abs();

/// The longest TTL honoured (about 100 years), to keep dates representable.
const MAX_TTL_SECS: u64 = 100 * 365 * 86_400;

fn query_ttl(uri: &Uri) -> Option<Result<u64, String>> {
    let query = uri.query()?;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != "syncClientTokenTTL" {
            return None;
        }
        let value = percent_encoding::percent_decode_str(value)
            .decode_utf8_lossy()
            .into_owned();
        Some(match value.trim().parse::<u64>() {
            Ok(v) if v > 0 && v <= MAX_INT64 => Ok(v),
            _ => Err(value),
        })
    })
}

async fn sync_client(
    State(shared): Ctx,
    headers: HeaderMap,
    uri: Uri,
    path: Result<Path<String>, PathRejection>,
) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    let profile = shared.config.profile;
    authorize(&shared, &headers)?;
    let id = path_param(&shared, shape, path)?;
    let requested_ttl = if profile.is_52_or_later() {
        match query_ttl(&uri) {
            None => None,
            Some(Ok(ttl)) => Some(ttl),
            Some(Err(raw)) => {
                return Err(error(
                    &shared,
                    shape,
                    StatusCode::BAD_REQUEST,
                    "INVALID_SYNC_CLIENT_TOKEN_TTL",
                    format!("syncClientTokenTTL must be a positive number of seconds, got {raw:?}"),
                )
                .arg("syncClientTokenTTL"));
            }
        }
    } else {
        None
    };
    let now = SystemTime::now();
    let mut model = shared.model();
    let provider = model
        .provider_mut(&id)
        .ok_or_else(|| provider_not_found(&shared, shape, &id))?;
    let ProviderKind::Federated(fed) = &mut provider.kind else {
        return Err(error(
            &shared,
            shape,
            StatusCode::BAD_REQUEST,
            "SYNC_CLIENT_NOT_SUPPORTED",
            format!("Identity provider {id} is not a federated (FEDERATED_IDP_BROKER) identity provider; sync client tokens exist only for federated identity providers"),
        )
        .arg(id.clone()));
    };
    if let Some(ttl) = requested_ttl {
        fed.sync_client_token_ttl = ttl;
    }
    let ttl = fed.sync_client_token_ttl.min(MAX_TTL_SECS);
    let issued: DateTime<Utc> = DateTime::<Utc>::from(now);
    let issued = DateTime::from_timestamp_millis(issued.timestamp_millis()).unwrap_or(issued);
    let expire_at = issued + TimeDelta::seconds(i64::try_from(ttl).unwrap_or(i64::MAX / 1000));
    let client = format!("syncClientId{}", crate::auth::random_hex(12));
    let token = auth::jwt(&json!({
        "exp": expire_at.timestamp(),
        "iat": issued.timestamp(),
        "sub": new_uuid(),
        "scp": "admin",
        "azp": client,
        "iss": format!("https://{}/acs/", shared.authority),
        "prn_type": "SERVICE",
        "prn": format!("{client}@CUSTOMER"),
        "jti": new_uuid(),
    }));
    fed.sync_token = Some(SyncToken {
        token: token.clone(),
        expire_at,
    });
    drop(model);
    let mut body = Map::new();
    body.insert("expireAt".into(), json!(format_expire_at(expire_at)));
    if profile.is_52_or_later() {
        // Deprecated; epoch seconds of the same instant, as the documented example shows.
        body.insert("expireIn".into(), json!(expire_at.timestamp()));
    }
    body.insert("token".into(), json!(token));
    body.insert("scimUrl".into(), json!(shared.scim_url()));
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        assert!(valid_domain("embedded-ids.com"));
        assert!(valid_domain("localos"));
        assert!(!valid_domain("a/b"));
        assert!(!valid_domain(".."));
        assert!(!valid_domain("a..b"));
        assert!(!valid_domain("é.com"));
        assert!(!valid_domain("a\u{0}b"));
        assert!(!valid_domain(""));
    }

    #[test]
    fn expire_at_format() {
        let t = DateTime::from_timestamp_millis(1_696_263_522_681).unwrap();
        assert_eq!(format_expire_at(t), "2023-10-02T16:18:42.681Z");
        assert_eq!(t.timestamp(), 1_696_263_522);
    }

    #[test]
    fn ttl_query() {
        let uri: Uri = "/x?a=1&syncClientTokenTTL=3600".parse().unwrap();
        assert_eq!(query_ttl(&uri), Some(Ok(3600)));
        let uri: Uri = "/x?syncClientTokenTTL=abc".parse().unwrap();
        assert_eq!(query_ttl(&uri), Some(Err("abc".into())));
        let uri: Uri = "/x?syncClientTokenTTL=0".parse().unwrap();
        assert!(matches!(query_ttl(&uri), Some(Err(_))));
        let uri: Uri = "/x".parse().unwrap();
        assert_eq!(query_ttl(&uri), None);
    }
}
