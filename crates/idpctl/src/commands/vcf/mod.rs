//! `idpctl vcf ...`: SDDC Manager's identity providers, identity sources,
//! SCIM sync client tokens, and who may use it (users, service users,
//! roles, the principals of the SSO domains).

mod idp;
mod principal;
mod role;
mod service_user;
mod source;
mod sync_token;
mod user;

use clap::{Args, Subcommand};

pub use self::idp::providers_table;
pub use self::sync_token::{TokenStatus, federated_tokens};
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::{Settings, VcfConnection};

/// `idpctl vcf`: where SDDC Manager is, and the command.
#[derive(Debug, Args)]
pub struct VcfArgs {
    #[command(flatten)]
    pub connection: VcfConnection,
    #[command(subcommand)]
    pub command: VcfCommand,
}

#[derive(Debug, Subcommand)]
pub enum VcfCommand {
    /// Identity providers.
    Idp {
        #[command(subcommand)]
        command: idp::IdpCommand,
    },
    /// Identity sources of the embedded identity provider.
    Source {
        #[command(subcommand)]
        command: source::SourceCommand,
    },
    /// SCIM sync client tokens; `sync-token ID` is `sync-token rotate ID`.
    SyncToken(sync_token::SyncTokenArgs),
    /// Users and groups of SSO domains granted a role.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// Service users: they log in with an API key.
    ServiceUser {
        #[command(subcommand)]
        command: service_user::ServiceUserCommand,
    },
    /// The roles users can be granted.
    Role {
        #[command(subcommand)]
        command: role::RoleCommand,
    },
    /// The users and groups of the SSO domains that can be granted a role.
    Principal {
        #[command(subcommand)]
        command: principal::PrincipalCommand,
    },
}

impl VcfArgs {
    /// Whether the command reads a `--file -` document from stdin.
    pub fn reads_stdin(&self) -> bool {
        match &self.command {
            VcfCommand::Idp { command } => command.reads_stdin(),
            VcfCommand::Source { command } => command.reads_stdin(),
            VcfCommand::SyncToken(_)
            | VcfCommand::User { .. }
            | VcfCommand::ServiceUser { .. }
            | VcfCommand::Role { .. }
            | VcfCommand::Principal { .. } => false,
        }
    }
}

pub async fn run(args: VcfArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let vcf = settings.vcf(&args.connection);
    match args.command {
        VcfCommand::Idp { command } => idp::run(command, &vcf, out).await,
        VcfCommand::Source { command } => source::run(command, &vcf, out).await,
        VcfCommand::SyncToken(args) => sync_token::run(args, &vcf, settings, out).await,
        VcfCommand::User { command } => user::run(command, &vcf, out).await,
        VcfCommand::ServiceUser { command } => {
            service_user::run(command, &vcf, settings, out).await
        }
        VcfCommand::Role { command } => role::run(command, &vcf, out).await,
        VcfCommand::Principal { command } => principal::run(command, &vcf, out).await,
    }
}
