//! `idpctl vcf sync-token status`: every federated identity provider with
//! its SCIM URL, token expiry and time left, from the provider listing.

use std::time::Duration;

use chrono::{DateTime, Utc};
use idp_client::{IdentityProvider, VcfClient};
use serde::Serialize;

use crate::commands::rotate::{rfc3339, time_left};
use crate::failure::Failure;
use crate::output::{Output, table};
use crate::settings::Settings;

/// One federated provider's sync client token, as listed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenStatus {
    pub id: String,
    pub name: String,
    pub scim_url: Option<String>,
    /// `None` when the server does not say (or no token was generated yet).
    pub expires_at: Option<String>,
    /// Seconds until expiry; 0 when expired, `None` when unknown.
    pub seconds_left: Option<u64>,
    #[serde(skip)]
    pub expiry: Option<DateTime<Utc>>,
}

impl TokenStatus {
    fn of(provider: &IdentityProvider) -> Option<Self> {
        let fed = provider.fed_idp.as_ref()?;
        let info = fed.sync_client_token_info.as_ref();
        let expiry = info.and_then(|i| i.expires_at);
        Some(Self {
            id: provider.id.clone(),
            name: provider.name.clone(),
            scim_url: info.and_then(|i| i.scim_url.clone()),
            expires_at: rfc3339(expiry),
            seconds_left: time_left(expiry).map(|d| d.as_secs()),
            expiry,
        })
    }

    /// Time left, when known.
    pub fn left(&self) -> Option<Duration> {
        time_left(self.expiry)
    }
}

/// The token status of every federated provider.
pub async fn federated_tokens(client: &VcfClient) -> Result<Vec<TokenStatus>, idp_client::Error> {
    let providers = client.list_identity_providers().await?;
    Ok(providers.iter().filter_map(TokenStatus::of).collect())
}

/// `idpctl vcf sync-token status`.
pub async fn run(settings: &Settings, out: Output) -> Result<(), Failure> {
    let tokens = federated_tokens(&settings.vcf_client()?).await?;
    out.emit(&tokens, || {
        let rows: Vec<Vec<String>> = tokens
            .iter()
            .map(|t| {
                vec![
                    t.id.clone(),
                    t.name.clone(),
                    t.scim_url.clone().unwrap_or_else(|| "-".into()),
                    t.expires_at.clone().unwrap_or_else(|| "unknown".into()),
                    t.left().map_or_else(|| "unknown".into(), human_duration),
                ]
            })
            .collect();
        table(&["ID", "NAME", "SCIM URL", "EXPIRES", "LEFT"], &rows)
    })
}

/// `12d 3h`, `5h 20m`, `42m`, `expired`.
pub fn human_duration(left: Duration) -> String {
    let secs = left.as_secs();
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) if secs == 0 => "expired".into(),
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::human_duration;

    #[test]
    fn renders_time_left() {
        assert_eq!(human_duration(Duration::ZERO), "expired");
        assert_eq!(human_duration(Duration::from_secs(59)), "59s");
        assert_eq!(human_duration(Duration::from_secs(42 * 60)), "42m");
        assert_eq!(
            human_duration(Duration::from_secs(5 * 3600 + 20 * 60)),
            "5h 20m"
        );
        assert_eq!(
            human_duration(Duration::from_secs(12 * 86_400 + 3 * 3600)),
            "12d 3h"
        );
    }
}
