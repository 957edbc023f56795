//! `idpctl broker oauth-client list | create | rotate-secret | delete`:
//! OAuth 2.0 clients of the broker.

use std::time::Duration;

use clap::Subcommand;
use idp_client::{BrokerOAuthClientSpec, Secret};
use rand::Rng as _;
use serde_json::{Value, json};

use crate::confirm::Confirm;
use crate::duration::parse_duration;
use crate::failure::Failure;
use crate::output::{Output, fields, table};
use crate::settings::BrokerSettings;

#[derive(Debug, Subcommand)]
pub enum OAuthClientCommand {
    /// List the OAuth 2.0 clients.
    List,
    /// Create a client; the broker generates its secret, printed once.
    Create {
        client_id: String,
        /// A scope (repeat; default admin).
        #[arg(long = "scope", value_name = "SCOPE")]
        scopes: Vec<String>,
        /// A grant type (repeat; default client_credentials).
        #[arg(long = "grant-type", value_name = "GRANT")]
        grant_types: Vec<String>,
        /// A rule set (repeat), e.g. IDP_AND_DIRECTORY_ADMIN.
        #[arg(long = "rule-set", value_name = "NAME")]
        rule_sets: Vec<String>,
    },
    /// Rotate the secret: a new random secret is made valid and printed; the
    /// old one keeps working until --retire-after (or at once with --now).
    RotateSecret {
        client_id: String,
        /// How long the old secret stays valid (default: the broker's, one day).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with = "now")]
        retire_after: Option<Duration>,
        /// Retire the old secret at once.
        #[arg(long)]
        now: bool,
        #[command(flatten)]
        confirm: Confirm,
    },
    /// Delete a client.
    Delete {
        client_id: String,
        #[command(flatten)]
        confirm: Confirm,
    },
}

/// A random secret for a rotation: 40 letters and digits.
fn new_secret() -> Secret {
    let secret: String = rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(40)
        .map(char::from)
        .collect();
    Secret::new(secret)
}

pub async fn run(
    command: OAuthClientCommand,
    broker: &BrokerSettings<'_>,
    out: Output,
) -> Result<(), Failure> {
    match command {
        OAuthClientCommand::List => {
            let list = broker.client()?.list_oauth_clients().await?;
            let json: Vec<Value> = list
                .iter()
                .map(|c| json!({ "client_id": c.client_id, "display_name": c.display_name, "scope": c.scope }))
                .collect();
            out.emit(&json, || {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|c| {
                        vec![
                            c.client_id.clone(),
                            c.display_name.clone().unwrap_or_default(),
                            c.scope.join(" "),
                        ]
                    })
                    .collect();
                table(&["CLIENT ID", "NAME", "SCOPE"], &rows)
            })
        }
        OAuthClientCommand::Create {
            client_id,
            scopes,
            grant_types,
            rule_sets,
        } => {
            let mut spec = BrokerOAuthClientSpec::default();
            spec.client_id = Some(client_id);
            spec.scope = if scopes.is_empty() {
                vec!["admin".into()]
            } else {
                scopes
            };
            spec.grant_types = if grant_types.is_empty() {
                vec!["client_credentials".into()]
            } else {
                grant_types
            };
            spec.rule_set_names = rule_sets;
            let client = broker.client()?.create_oauth_client(&spec).await?;
            let secret = client.secret.as_ref().map(|s| s.expose().to_owned());
            out.emit(
                &json!({ "client_id": client.client_id, "scope": client.scope, "secret": secret }),
                || {
                    fields(&[
                        ("client id", client.client_id.clone()),
                        ("scope", client.scope.join(" ")),
                        ("secret", secret.clone().unwrap_or_else(|| "-".into())),
                    ])
                },
            )
        }
        OAuthClientCommand::RotateSecret {
            client_id,
            retire_after,
            now,
            confirm,
        } => {
            confirm.ask(&format!("rotate the secret of OAuth client {client_id}"))?;
            let broker = broker.client()?;
            let secret = new_secret();
            broker
                .start_secret_rotation(&client_id, &secret, retire_after)
                .await?;
            if now {
                broker.retire_primary_secret(&client_id).await?;
            }
            let result = if now { "rotated" } else { "rotation-started" };
            out.emit(
                &json!({ "client_id": client_id, "result": result, "secret": secret.expose() }),
                || {
                    fields(&[
                        ("client id", client_id.clone()),
                        ("result", result.to_owned()),
                        ("new secret", secret.expose().to_owned()),
                    ])
                },
            )
        }
        OAuthClientCommand::Delete { client_id, confirm } => {
            confirm.ask(&format!("delete OAuth client {client_id}"))?;
            broker.client()?.delete_oauth_client(&client_id).await?;
            out.emit(
                &json!({ "client_id": client_id, "result": "deleted" }),
                || format!("deleted OAuth client {client_id}\n"),
            )
        }
    }
}
