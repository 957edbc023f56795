//! `idpctl unleash ...`: Unleash Enterprise SCIM.

mod scim_settings;
mod scim_token;

use clap::{Args, Subcommand};

use crate::failure::Failure;
use crate::output::Output;
use crate::settings::{Settings, UnleashConnection};

/// `idpctl unleash`: where Unleash is, and the command.
#[derive(Debug, Args)]
pub struct UnleashArgs {
    #[command(flatten)]
    pub connection: UnleashConnection,
    #[command(subcommand)]
    pub command: UnleashCommand,
}

#[derive(Debug, Subcommand)]
pub enum UnleashCommand {
    /// The SCIM API token.
    ScimToken {
        #[command(subcommand)]
        command: scim_token::ScimTokenCommand,
    },
    /// The SCIM settings.
    ScimSettings {
        #[command(subcommand)]
        command: scim_settings::ScimSettingsCommand,
    },
}

pub async fn run(args: UnleashArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let unleash = settings.unleash(&args.connection);
    match args.command {
        UnleashCommand::ScimToken { command } => {
            scim_token::run(command, &unleash, settings, out).await
        }
        UnleashCommand::ScimSettings { command } => {
            scim_settings::run(command, &unleash, out).await
        }
    }
}
