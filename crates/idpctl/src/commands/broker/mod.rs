//! `idpctl broker ...`: VCF 9 single sign-on, the VCF Identity Broker.

mod directory;
mod idp;
mod oauth_client;
mod sync_client;

use clap::{Args, Subcommand};

pub use self::sync_client::broker_scim_url;
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::{BrokerConnection, Settings};

/// `idpctl broker`: where the broker is, and the command.
#[derive(Debug, Args)]
pub struct BrokerArgs {
    #[command(flatten)]
    pub connection: BrokerConnection,
    #[command(subcommand)]
    pub command: BrokerCommand,
}

#[derive(Debug, Subcommand)]
pub enum BrokerCommand {
    /// Directories of users and groups.
    Directory {
        #[command(subcommand)]
        command: directory::DirectoryCommand,
    },
    /// OIDC identity providers.
    Idp {
        #[command(subcommand)]
        command: idp::IdpCommand,
    },
    /// A directory's sync client (the VCF 9 SCIM credentials).
    SyncClient {
        #[command(subcommand)]
        command: sync_client::SyncClientCommand,
    },
    /// OAuth 2.0 clients of the broker.
    OauthClient {
        #[command(subcommand)]
        command: oauth_client::OAuthClientCommand,
    },
}

pub async fn run(args: BrokerArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let broker = settings.broker(&args.connection);
    match args.command {
        BrokerCommand::Directory { command } => directory::run(command, &broker, out).await,
        BrokerCommand::Idp { command } => idp::run(command, &broker, settings, out).await,
        BrokerCommand::SyncClient { command } => {
            sync_client::run(command, &broker, settings, out).await
        }
        BrokerCommand::OauthClient { command } => oauth_client::run(command, &broker, out).await,
    }
}
