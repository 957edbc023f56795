//! `idpctl unleash scim-settings get | set`.

use clap::{ArgAction, Subcommand};
use serde_json::json;

use crate::failure::Failure;
use crate::output::{Output, fields};
use crate::settings::UnleashSettings;

#[derive(Debug, Subcommand)]
pub enum ScimSettingsCommand {
    /// Show whether SCIM is enabled and has a token.
    Get,
    /// Enable or disable SCIM.
    Set {
        #[arg(long, value_name = "true|false", action = ArgAction::Set)]
        enabled: bool,
    },
}

pub async fn run(
    command: ScimSettingsCommand,
    unleash: &UnleashSettings<'_>,
    out: Output,
) -> Result<(), Failure> {
    match command {
        ScimSettingsCommand::Get => {
            let scim = unleash.client()?.scim_settings().await?;
            out.emit(
                &json!({ "enabled": scim.enabled, "hasToken": scim.has_token }),
                || {
                    fields(&[
                        ("enabled", scim.enabled.to_string()),
                        ("has token", scim.has_token.to_string()),
                    ])
                },
            )
        }
        ScimSettingsCommand::Set { enabled } => {
            unleash.client()?.set_scim_settings(enabled).await?;
            out.emit(&json!({ "enabled": enabled }), || {
                format!("SCIM {}\n", if enabled { "enabled" } else { "disabled" })
            })
        }
    }
}
