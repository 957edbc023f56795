//! `idpctl ops ...`: VCF 9.1 fleet identity in VCF Operations: SSO realms,
//! their identity providers, directories' SCIM sync clients, the roles of
//! principals and API tokens.

mod api_token;
mod idp;
mod realm;
mod role;
mod sync_client;

use clap::{Args, Subcommand};
use idp_client::vcf_ops::{Client as OpsClient, SsoRealm};

use crate::failure::Failure;
use crate::output::Output;
use crate::settings::{OpsConnection, Settings};

/// `idpctl ops`: where VCF Operations is, and the command.
#[derive(Debug, Args)]
pub struct OpsArgs {
    #[command(flatten)]
    pub connection: OpsConnection,
    #[command(subcommand)]
    pub command: OpsCommand,
}

#[derive(Debug, Subcommand)]
pub enum OpsCommand {
    /// SSO realms (one per VCF instance or group of instances).
    Realm {
        #[command(subcommand)]
        command: realm::RealmCommand,
    },
    /// A realm's identity provider (OIDC or SAML) and its directories.
    Idp {
        #[command(subcommand)]
        command: idp::IdpCommand,
    },
    /// A directory's SCIM sync client and its bearer token.
    SyncClient {
        #[command(subcommand)]
        command: sync_client::SyncClientCommand,
    },
    /// The VCF roles of a realm's groups and users.
    Role {
        #[command(subcommand)]
        command: role::RoleCommand,
    },
    /// A realm's API tokens.
    ApiToken {
        #[command(subcommand)]
        command: api_token::ApiTokenCommand,
    },
}

impl OpsArgs {
    /// Whether the command reads a `--file -` document from stdin.
    pub fn reads_stdin(&self) -> bool {
        match &self.command {
            OpsCommand::Idp { command } => command.reads_stdin(),
            _ => false,
        }
    }
}

pub async fn run(args: OpsArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let ops = settings.ops(&args.connection);
    let result = match args.command {
        OpsCommand::Realm { command } => realm::run(command, &ops, out).await,
        OpsCommand::Idp { command } => idp::run(command, &ops, out).await,
        OpsCommand::SyncClient { command } => sync_client::run(command, &ops, settings, out).await,
        OpsCommand::Role { command } => role::run(command, &ops, out).await,
        OpsCommand::ApiToken { command } => api_token::run(command, &ops, settings, out).await,
    };
    ops.close().await;
    result
}

/// The realm `wanted` names: its id, else its name (case-insensitively).
pub async fn find_realm(client: &OpsClient, wanted: &str) -> Result<SsoRealm, Failure> {
    let realms = client.list_realms().await?;
    let wanted = wanted.trim();
    let found = realms
        .iter()
        .find(|r| r.id == wanted)
        .or_else(|| {
            realms.iter().find(|r| {
                r.name
                    .as_deref()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case(wanted))
            })
        })
        .cloned();
    found.ok_or_else(|| {
        Failure::exit_with(
            crate::failure::exit::NOT_FOUND,
            format!("no SSO realm `{wanted}` (see `idpctl ops realm list`)"),
        )
    })
}

/// A realm's name, else its id.
pub fn realm_label(realm: &SsoRealm) -> String {
    realm.name.clone().unwrap_or_else(|| realm.id.clone())
}
