//! The sync client (SCIM) token: `POST /v1/identity-providers/{id}/sync-client`,
//! its lifetime from the query (5.2+) or the provider spec (5.1).

use std::time::SystemTime;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value, json};

use super::render::format_expire_at;
use super::request::{Ctx, VcfResult, authorize, error, path_param, provider_not_found};
use crate::auth;
use crate::ids::{new_uuid, random_hex};
use crate::routes::validate::MAX_INT64;
use crate::state::vcf::{ProviderKind, SyncToken};
use crate::vendor_error::{VcfShape, json_response};

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

pub(super) async fn sync_client(
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
        .vcf
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
    let client = format!("syncClientId{}", random_hex(12));
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
