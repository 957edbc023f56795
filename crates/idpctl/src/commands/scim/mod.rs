//! `idpctl scim probe URL`: the SCIM endpoints the rotated tokens are for.

mod probe;

use clap::{Args, Subcommand};

pub use probe::ProbeArgs;

use crate::failure::Failure;
use crate::output::Output;
use crate::settings::Settings;

/// `idpctl scim`.
#[derive(Debug, Args)]
pub struct ScimArgs {
    #[command(subcommand)]
    command: ScimCommand,
}

#[derive(Debug, Subcommand)]
enum ScimCommand {
    /// Read-only check of a SCIM 2.0 endpoint with a token: reachable, TLS
    /// accepted, token accepted, answers like SCIM (exit 0; 4 token
    /// refused, 3 not a SCIM endpoint, 6 unreachable).
    Probe(ProbeArgs),
}

impl ScimArgs {
    /// Whether the command reads the token from stdin.
    pub fn reads_stdin(&self) -> bool {
        match &self.command {
            ScimCommand::Probe(args) => args.token_stdin,
        }
    }
}

pub async fn run(args: ScimArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    match args.command {
        ScimCommand::Probe(args) => probe::run(args, settings, out).await,
    }
}
