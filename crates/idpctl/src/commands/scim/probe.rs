//! `idpctl scim probe URL`: the discovery endpoints when present, then
//! `GET /Users?startIndex=1&count=1`, and one verdict. The requests are
//! `idp_client::ScimClient`'s; this presents them.

use std::io::Read as _;
use std::path::PathBuf;

use clap::Args;
use idp_client::{ScimClient, ScimProbe, ScimVerdict, Secret};
use serde_json::{Value, json};

use crate::failure::{Failure, exit};
use crate::output::{Output, fields};
use crate::settings::{SCIM_TOKEN_ENV, Settings};

/// `idpctl scim probe`.
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The SCIM base URL, e.g. https://vcenter.example.com/usergroup/t/CUSTOMER/scim/v2
    /// (a query string is not sent).
    url: String,
    /// Read the bearer token from this file (one line).
    #[arg(long, value_name = "PATH", conflicts_with = "token_stdin")]
    token_file: Option<PathBuf>,
    /// Read the bearer token from stdin (one line). Without this or
    /// --token-file, the token comes from SCIM_TOKEN.
    #[arg(long)]
    pub token_stdin: bool,
}

/// The token: `--token-file`, `--token-stdin`, or `SCIM_TOKEN`.
fn token(args: &ProbeArgs, settings: &Settings) -> Result<Secret, Failure> {
    let text = if let Some(path) = &args.token_file {
        std::fs::read_to_string(path).map_err(|e| {
            Failure::usage(format!("cannot read --token-file {}: {e}", path.display()))
        })?
    } else if args.token_stdin {
        let mut text = String::new();
        std::io::stdin()
            .take(1 << 20)
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("cannot read the token from stdin: {e}")))?;
        text
    } else {
        return settings.scim_token_env().ok_or_else(|| {
            Failure::usage(format!(
                "no token: pass --token-file PATH or --token-stdin, or set {SCIM_TOKEN_ENV}"
            ))
        });
    };
    let line = text.lines().next().unwrap_or_default().trim().to_owned();
    if line.is_empty() {
        return Err(Failure::usage("the token is empty"));
    }
    Ok(Secret::new(line))
}

/// The probe as JSON (no token).
fn probe_json(probe: &ScimProbe) -> Value {
    json!({
        "url": probe.url,
        "reachable": true,
        "tls": probe.tls,
        "tokenAccepted": !matches!(probe.verdict, ScimVerdict::TokenRefused { .. }),
        "looksLikeScim": probe.verdict.is_ok(),
        "discovery": probe.discovery.iter().map(|d| json!({
            "endpoint": d.endpoint, "status": d.status, "present": d.present,
        })).collect::<Vec<_>>(),
        "usersStatus": probe.users_status,
        "contentType": probe.content_type,
        "totalResults": probe.total_results,
        "verdict": probe.verdict.to_string(),
    })
}

/// The exit code of a verdict: 0, 4 refused token, 3 not SCIM.
fn verdict_code(verdict: &ScimVerdict) -> u8 {
    match verdict {
        ScimVerdict::TokenRefused { .. } => exit::UNAUTHORIZED,
        ScimVerdict::NotScim { .. } => exit::NOT_FOUND,
        _ => 0,
    }
}

pub async fn run(args: ProbeArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let token = token(&args, settings)?;
    let client = ScimClient::builder(&args.url)
        .bearer_token(token)
        .config(&settings.scim_config()?)
        .build()?;
    let probe = client.probe().await?;
    out.emit(&probe_json(&probe), || {
        let discovery = if probe.discovery.iter().any(|d| d.present) {
            probe
                .discovery
                .iter()
                .filter(|d| d.present)
                .map(|d| d.endpoint)
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            "none".to_owned()
        };
        fields(&[
            ("url", probe.url.clone()),
            ("reachable", "yes".to_owned()),
            (
                "tls",
                if probe.tls { "yes" } else { "no (plain http)" }.to_owned(),
            ),
            ("discovery", discovery),
            (
                "GET /Users",
                probe
                    .users_status
                    .map_or_else(|| "-".to_owned(), |s| s.to_string()),
            ),
            (
                "content type",
                probe.content_type.clone().unwrap_or_else(|| "-".into()),
            ),
            ("verdict", probe.verdict.to_string()),
        ])
    })?;
    match verdict_code(&probe.verdict) {
        0 => Ok(()),
        code => Err(Failure::exit_with(
            code,
            format!("{}: {}", probe.url, probe.verdict),
        )),
    }
}
