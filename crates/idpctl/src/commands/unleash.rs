//! `idpctl unleash ...`.

use serde_json::json;

use crate::cli::{ScimSettingsCommand, ScimTokenCommand, UnleashCommand};
use crate::failure::Failure;
use crate::output::{Output, fields};
use crate::settings::Settings;

pub async fn run(command: UnleashCommand, settings: &Settings, out: Output) -> Result<(), Failure> {
    match command {
        UnleashCommand::ScimToken {
            command: ScimTokenCommand::Rotate(args),
        } => crate::commands::rotate::unleash(args, settings, out).await,
        UnleashCommand::ScimSettings {
            command: ScimSettingsCommand::Get,
        } => {
            let scim = settings.unleash_client()?.scim_settings().await?;
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
        UnleashCommand::ScimSettings {
            command: ScimSettingsCommand::Set { enabled },
        } => {
            settings
                .unleash_client()?
                .set_scim_settings(enabled)
                .await?;
            out.emit(&json!({ "enabled": enabled }), || {
                format!("SCIM {}\n", if enabled { "enabled" } else { "disabled" })
            })
        }
    }
}
