//! Tokens and settings the operations return.

use chrono::{DateTime, NaiveDateTime, Utc};
use idp_api::Secret;
use idp_api::vcf::types::TokenExpiry;
use serde::Serialize;

/// Epoch values at or above this are milliseconds, not seconds (year 33658).
const EPOCH_MILLIS_THRESHOLD: f64 = 1e12;
/// `expireIn` values at or above this are epoch seconds (2001-09-09), below
/// it a number of seconds from now.
const EXPIRE_IN_EPOCH_THRESHOLD: f64 = 1e9;

/// A new SCIM sync client token of a federated identity provider.
///
/// The previous token stops working when a new one is generated.
///
/// # How `expires_at` is read
///
/// Servers send `expireAt`, `expireIn`, or both; when both come,
/// `expireAt` wins (if it can be read). `expireAt` is an ISO 8601 date-time
/// (`2023-10-02T16:18:42.681Z`), or epoch seconds as a number or in a
/// string. Despite its name, `expireIn` is served as epoch seconds: the
/// documented example `expireIn: 1696263522` is exactly the instant of the
/// `expireAt` `2023-10-02T16:18:42.681Z` shown for the same token elsewhere.
/// So an `expireIn` of at least 10⁹ is taken as epoch seconds, and a smaller
/// one as a number of seconds from the moment the response arrived. Epoch
/// values of at least 10¹² are taken as milliseconds. `None` when neither
/// field can be read.
///
/// Serializes (camelCase) with the token in plain text: the token is what
/// generating one is for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SyncClientToken {
    /// The bearer token the identity provider uses for SCIM.
    pub token: Secret,
    /// Where the identity provider pushes users and groups.
    pub scim_url: Option<String>,
    /// When the token expires.
    pub expires_at: Option<DateTime<Utc>>,
}

/// The identity broker precheck result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BrokerPrecheck {
    /// The status as served (`SUCCESS` when a broker may be configured).
    pub status: Option<String>,
    /// The individual checks, when the server lists them.
    pub details: Vec<PrecheckDetail>,
}

/// One check of a [`BrokerPrecheck`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PrecheckDetail {
    /// The check's name, as served (`type`).
    #[serde(rename = "type")]
    pub check_type: Option<String>,
    /// What the check found.
    pub message: Option<String>,
}

impl crate::runtime::FromWire<idp_api::vcf::types::IdentityBrokerPrecheck> for BrokerPrecheck {
    fn from_wire(precheck: idp_api::vcf::types::IdentityBrokerPrecheck) -> Self {
        Self {
            status: precheck.status,
            details: precheck
                .details
                .into_iter()
                .map(|d| PrecheckDetail {
                    check_type: d.type_,
                    message: d.message,
                })
                .collect(),
        }
    }
}

impl BrokerPrecheck {
    /// Whether the status is `SUCCESS` (in any case).
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("success"))
    }
}

/// The expiry from `expireAt` and `expireIn` (see [`SyncClientToken`]).
pub(crate) fn resolve_expiry(
    expire_at: Option<&TokenExpiry>,
    expire_in: Option<&TokenExpiry>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    expire_at
        .and_then(instant)
        .or_else(|| expire_in.and_then(|v| expire_in_instant(v, now)))
}

fn number(value: &TokenExpiry) -> Option<f64> {
    match value {
        TokenExpiry::Number(n) => Some(*n),
        TokenExpiry::String(s) => s.trim().parse::<f64>().ok(),
    }
    .filter(|n| n.is_finite() && *n >= 0.0)
}

fn epoch(value: f64) -> Option<DateTime<Utc>> {
    let millis = if value >= EPOCH_MILLIS_THRESHOLD {
        value
    } else {
        value * 1000.0
    };
    #[allow(clippy::cast_possible_truncation)]
    DateTime::from_timestamp_millis(millis.round() as i64)
}

/// An `expireAt`: a date-time, or epoch seconds.
fn instant(value: &TokenExpiry) -> Option<DateTime<Utc>> {
    if let Some(n) = number(value) {
        return epoch(n);
    }
    match value {
        TokenExpiry::String(s) => parse_date_time(s.trim()),
        TokenExpiry::Number(_) => None,
    }
}

/// An `expireIn`: epoch seconds when large, seconds from now when small, or
/// a date-time string.
fn expire_in_instant(value: &TokenExpiry, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match number(value) {
        Some(n) if n >= EXPIRE_IN_EPOCH_THRESHOLD => epoch(n),
        Some(n) => {
            #[allow(clippy::cast_possible_truncation)]
            let delta = chrono::Duration::try_milliseconds((n * 1000.0).round() as i64)?;
            now.checked_add_signed(delta)
        }
        None => match value {
            TokenExpiry::String(s) => parse_date_time(s.trim()),
            TokenExpiry::Number(_) => None,
        },
    }
}

fn parse_date_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::parse_from_str(s, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    // No offset: taken as UTC.
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(t.and_utc());
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.with_timezone(&Utc));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> TokenExpiry {
        TokenExpiry::String(v.into())
    }

    #[test]
    fn the_seed_expire_in_is_the_expire_at_instant() {
        let now = DateTime::from_timestamp(1_600_000_000, 0).unwrap();
        let from_in =
            resolve_expiry(None, Some(&TokenExpiry::Number(1_696_263_522.0)), now).unwrap();
        let from_at = resolve_expiry(Some(&s("2023-10-02T16:18:42.681Z")), None, now).unwrap();
        assert_eq!(from_in.timestamp(), from_at.timestamp());
    }

    #[test]
    fn forms_of_expiry() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let at = |v| resolve_expiry(Some(&v), None, now).map(|t| t.timestamp());
        assert_eq!(at(s("1700000100")), Some(1_700_000_100));
        assert_eq!(
            at(TokenExpiry::Number(1_700_000_100_000.0)),
            Some(1_700_000_100)
        );
        assert_eq!(at(s("2023-11-14T22:15:00+00:00")), Some(1_700_000_100));
        assert_eq!(at(s("2023-11-14T22:15:00")), Some(1_700_000_100));
        assert_eq!(at(s("2023-11-14T22:15:00.000+0000")), Some(1_700_000_100));
        assert_eq!(at(s("The date and time when the token expires")), None);
        let inn = |v| resolve_expiry(None, Some(&v), now).map(|t| t.timestamp());
        assert_eq!(inn(TokenExpiry::Number(3600.0)), Some(1_700_003_600));
        assert_eq!(inn(s("3600")), Some(1_700_003_600));
        assert_eq!(inn(s("1700000100")), Some(1_700_000_100));
        // Both: expireAt wins; an unreadable expireAt falls back to expireIn.
        assert_eq!(
            resolve_expiry(
                Some(&s("1700000100")),
                Some(&TokenExpiry::Number(60.0)),
                now
            )
            .map(|t| t.timestamp()),
            Some(1_700_000_100)
        );
        assert_eq!(
            resolve_expiry(Some(&s("soon")), Some(&TokenExpiry::Number(60.0)), now)
                .map(|t| t.timestamp()),
            Some(1_700_000_060)
        );
    }
}
