//! `idpctl check --system ops`: VCF 9.1 fleet identity in VCF Operations:
//! each SCIM-provisioned directory's sync client token, and each realm's
//! API tokens (`EXPIRED` is CRITICAL).

use chrono::{DateTime, Utc};
use idp_client::vcf_ops::{ApiTokenQuery, ApiTokenStatus, Client as OpsClient, ProvisionType};

use super::{CheckArgs, Report, State, judge_left};
use crate::settings::Settings;

/// A token `check` read from VCF Operations.
#[derive(Debug)]
pub(super) struct OpsToken {
    /// `sync_client` or `api_token`.
    pub kind: &'static str,
    /// The realm's name (else its id).
    pub realm: String,
    /// The directory's or API token's id.
    pub id: String,
    /// The directory's or API token's name.
    pub name: String,
    /// The server says the token has expired (API tokens).
    pub expired: bool,
    /// The directory has no sync client yet.
    pub missing: bool,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Every realm's sync client tokens and API tokens.
async fn ops_tokens(client: &OpsClient) -> Result<Vec<OpsToken>, String> {
    let realms = client.list_realms().await.map_err(|e| e.to_string())?;
    let mut tokens = Vec::new();
    for realm in realms {
        let realm_name = realm.name.clone().unwrap_or_else(|| realm.id.clone());
        if let Some(idp_id) = realm.idp_id.as_deref().filter(|id| !id.trim().is_empty()) {
            let provider = client
                .get_identity_provider(idp_id)
                .await
                .map_err(|e| format!("identity provider {idp_id}: {e}"))?;
            if provider.provision_type == ProvisionType::Scim {
                for directory in &provider.directories {
                    let Some(directory_id) = &directory.id else {
                        continue;
                    };
                    let (missing, expires_at) = match client.sync_client(idp_id, directory_id).await
                    {
                        Ok(sync) => (false, sync.token_expires_at),
                        Err(e) if e.is_not_found() => (true, None),
                        Err(e) => return Err(format!("directory {directory_id}: {e}")),
                    };
                    tokens.push(OpsToken {
                        kind: "sync_client",
                        realm: realm_name.clone(),
                        id: directory_id.clone(),
                        name: directory.name.clone(),
                        expired: false,
                        missing,
                        expires_at,
                    });
                }
            }
        }
        let api_tokens = client
            .list_api_tokens(&realm.id, &ApiTokenQuery::default())
            .await
            .map_err(|e| format!("realm {realm_name}: API tokens: {e}"))?;
        for token in api_tokens {
            tokens.push(OpsToken {
                kind: "api_token",
                realm: realm_name.clone(),
                expired: token.status == Some(ApiTokenStatus::Expired),
                missing: false,
                id: token.id,
                name: token.name,
                expires_at: token.expires_at,
            });
        }
    }
    Ok(tokens)
}

pub(super) async fn check_ops(args: &CheckArgs, settings: &Settings, report: &mut Report) {
    let ops = settings.ops(&args.ops_connection);
    let tokens = match ops.client() {
        Ok(client) => ops_tokens(&client).await,
        Err(failure) => Err(failure.message),
    };
    ops.close().await;
    match &tokens {
        Err(error) => report.add(
            State::Unknown,
            "ops",
            format!("cannot read the realms' tokens: {error}"),
        ),
        Ok(tokens) if tokens.is_empty() => {
            report.add(State::Ok, "ops", "no sync client token or API token".into());
        }
        Ok(tokens) => {
            for token in tokens {
                let subject = match token.kind {
                    "sync_client" => format!(
                        "sync client token of directory {} ({}) in realm {}",
                        token.name, token.id, token.realm
                    ),
                    _ => format!(
                        "API token {} ({}) in realm {}",
                        token.name, token.id, token.realm
                    ),
                };
                let (state, message) = match (token.expired, token.expires_at) {
                    _ if token.missing => (
                        State::Unknown,
                        format!("{subject}: no sync client yet, expiry unknown"),
                    ),
                    (true, at) => (
                        State::Critical,
                        format!(
                            "{subject}: EXPIRED{}",
                            at.map(|a| format!(" at {a}")).unwrap_or_default()
                        ),
                    ),
                    (false, None) => (State::Unknown, format!("{subject}: expiry unknown")),
                    (false, Some(at)) => {
                        let left = (at - Utc::now()).to_std().unwrap_or_default();
                        judge_left(&subject, left, &at, args)
                    }
                };
                report.add(state, "ops", message);
            }
        }
    }
    report.ops = Some(tokens);
}
