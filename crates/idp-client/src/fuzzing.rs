//! Thin wrappers over the crate's response decoders, for property tests and
//! fuzz targets (`fuzz/` at the workspace root). Not a stable API.
//!
//! Each function runs the code a response body of that operation goes
//! through once its bytes have arrived: the generated (strict) JSON decode,
//! then the tolerant reader when the strict decode fails, then the
//! normalization into the facade's models (the same conversions the
//! clients call); or, for failure statuses, the vendor error normalization.
//! None of them may panic, whatever the bytes.
//!
//! Only with the `fuzzing` feature (the fuzz crate and this crate's property
//! tests turn it on).

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use http::StatusCode;
use idp_api::Secret;
use idp_api::unleash::types as unleash_api;
use idp_api::vcf::types as vcf_api;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::runtime::FromWire;
use crate::runtime::decode;
use crate::runtime::exec::{ErrorBody, typed_error};
use crate::runtime::op::Op;
use crate::unleash::{ScimSettings, ScimToken};
use crate::vcf::{BrokerPrecheck, IdentityProvider, SyncClientToken};

static FUZZ_VCF: Op = Op::new(
    &idp_api::vcf::operations::GET_IDENTITY_PROVIDER_BY_ID,
    &[(404, "a hint")],
);

static FUZZ_OPS: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_IDP_CONFIGURATION,
    &[(404, "a hint")],
);

static FUZZ_UNLEASH: Op = Op::new(
    &idp_api::unleash::operations::GET_SCIM_SETTINGS,
    &[(404, "a hint")],
);

/// A 2xx JSON body as the facade decodes it: strict first, then tolerant.
fn success<T: DeserializeOwned>(op: &'static Op, body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice::<T>(body)
        .or_else(|_| decode::tolerant(op.id(), Some(StatusCode::OK), body))
}

/// A failure body: decoded as the declared error type when the operation
/// declares one for this status (and the body is one), else read raw.
fn failure<E: ErrorBody + DeserializeOwned>(
    op: &'static Op,
    status: u16,
    declared: bool,
    body: &[u8],
) -> Error {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if declared && let Ok(typed) = serde_json::from_slice::<E>(body) {
        return typed_error(op, status, None, &typed);
    }
    Error::from_body(op.id(), status, None, op.hint(status), body)
}

/// VCF Operations `GET .../identity-providers/{idpConfigId}`: one provider.
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read as a provider.
pub fn ops_identity_provider(body: &[u8]) -> Result<crate::vcf_ops::IdentityProvider, Error> {
    let idp: idp_api::vcf_ops::types::FederatedIdentityProvider = success(&FUZZ_OPS, body)?;
    Ok(crate::vcf_ops::IdentityProvider::from_wire(idp))
}

/// VCF Operations `POST .../sync-client`: the sync client and its token.
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read.
pub fn ops_sync_client(body: &[u8]) -> Result<crate::vcf_ops::SyncClient, Error> {
    let sync: idp_api::vcf_ops::types::ScimSyncClientDetails = success(&FUZZ_OPS, body)?;
    Ok(crate::vcf_ops::SyncClient::from_wire(sync))
}

/// VCF Operations `POST .../api-tokens/query`: the tokens of a page.
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read as a page.
pub fn ops_api_tokens(body: &[u8]) -> Result<Vec<crate::vcf_ops::ApiToken>, Error> {
    let page: idp_api::vcf_ops::types::ApiTokens = success(&FUZZ_OPS, body)?;
    Ok(page
        .api_tokens
        .into_iter()
        .map(crate::vcf_ops::ApiToken::from_wire)
        .collect())
}

/// VCF Operations `GET .../tasks/{taskId}`: the task.
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read as a task.
pub fn ops_task(body: &[u8]) -> Result<crate::vcf_ops::Task, Error> {
    let task: idp_api::vcf_ops::types::IamTaskDetails = success(&FUZZ_OPS, body)?;
    Ok(crate::vcf_ops::Task::from_wire(task))
}

/// VCF Operations `POST /suite-api/api/auth/token/acquire`: the token and
/// its expiry.
///
/// # Errors
///
/// [`Error::Decode`] when the body holds no token.
pub fn ops_acquired_token(body: &[u8]) -> Result<(Secret, Option<DateTime<Utc>>), Error> {
    let answer: idp_api::vcf_ops::types::AuthToken = success(&FUZZ_OPS, body)?;
    let acquired = crate::vcf_ops::acquired_from(answer)?;
    Ok((acquired.token, acquired.expires_at))
}

/// `GET /v1/identity-providers`: the providers of a page.
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read as a page.
pub fn provider_page(body: &[u8]) -> Result<Vec<IdentityProvider>, Error> {
    let page: vcf_api::PageOfIdentityProvider = success(&FUZZ_VCF, body)?;
    Ok(page
        .elements
        .into_iter()
        .map(IdentityProvider::from_wire)
        .collect())
}

/// `GET /v1/identity-providers/{id}`: one provider.
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read as a provider.
pub fn provider(body: &[u8]) -> Result<IdentityProvider, Error> {
    success::<vcf_api::IdentityProvider>(&FUZZ_VCF, body).map(IdentityProvider::from_wire)
}

/// `POST /v1/identity-providers/{id}/sync-client`: the new token, its SCIM
/// URL and expiry (read relative to `now`).
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read or holds no token.
pub fn sync_client_token(body: &[u8], now: DateTime<Utc>) -> Result<SyncClientToken, Error> {
    let info: vcf_api::SyncClientTokenInfo = success(&FUZZ_VCF, body)?;
    crate::vcf::client::sync_client_token(info, now)
}

/// `GET /v1/identity-broker/prechecks`.
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read.
pub fn broker_precheck(body: &[u8]) -> Result<BrokerPrecheck, Error> {
    success::<vcf_api::IdentityBrokerPrecheck>(&FUZZ_VCF, body).map(BrokerPrecheck::from_wire)
}

/// `POST /v1/tokens`: the access token and the refresh token id.
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read or holds no access token.
pub fn token_pair(body: &[u8]) -> Result<(Secret, Option<Secret>), Error> {
    let pair: vcf_api::TokenPair = success(&FUZZ_VCF, body)?;
    crate::vcf::tokens_from_pair(pair)
}

/// `PATCH /v1/tokens/access-token/refresh`: the new access token (a raw
/// body: bare, JSON-quoted, or an object).
#[must_use]
pub fn refreshed_access_token(body: &[u8]) -> Option<Secret> {
    crate::vcf::access_token_from_body(body)
}

/// `POST /v1/identity-providers`: the new id in the raw body, if any.
#[must_use]
pub fn added_provider_id(body: &[u8]) -> Option<String> {
    crate::vcf::client::id_from_body(body)
}

/// The expiry of an access token, read from its JWT `exp` claim.
#[must_use]
pub fn jwt_expiry(token: &str) -> Option<DateTime<Utc>> {
    crate::auth::jwt::expiry(token)
}

/// `GET /api/admin/scim-settings`.
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read.
pub fn scim_settings(body: &[u8]) -> Result<ScimSettings, Error> {
    success::<unleash_api::ScimSettings>(&FUZZ_UNLEASH, body)
        .and_then(crate::unleash::models::scim_settings)
}

/// `POST /api/admin/scim-settings/generate-new-token`.
///
/// # Errors
///
/// [`Error::Decode`] when the body cannot be read or the token is empty.
pub fn scim_token(body: &[u8]) -> Result<ScimToken, Error> {
    success::<unleash_api::ScimToken>(&FUZZ_UNLEASH, body)
        .and_then(crate::unleash::models::scim_token)
}

/// The error a VCF operation reports for `status` and `body`; `declared`
/// when the spec declares an error body for that status (then the typed
/// decode is tried first). An invalid status code reads as 500.
#[must_use]
pub fn vcf_error(status: u16, declared: bool, body: &[u8]) -> Error {
    failure::<vcf_api::VcfError>(&FUZZ_VCF, status, declared, body)
}

/// The error an Unleash operation reports for `status` and `body` (see
/// [`vcf_error`]).
#[must_use]
pub fn unleash_error(status: u16, declared: bool, body: &[u8]) -> Error {
    failure::<unleash_api::UnleashError>(&FUZZ_UNLEASH, status, declared, body)
}

/// A vendor error body (JSON) normalized, `None` when it is not JSON or
/// has none of the fields of a known error shape.
#[must_use]
pub fn vendor_error(body: &[u8]) -> Option<crate::VendorError> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    crate::VendorError::from_json(&value)
}

/// A `Retry-After` header value (delay seconds or an HTTP date), relative to
/// `now`.
#[must_use]
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    crate::error::parse_retry_after(value, now)
}
