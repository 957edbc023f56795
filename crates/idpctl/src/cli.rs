//! The command line: the options every command takes and the nouns. Each
//! command's own arguments (its connection options included) are defined
//! next to its `run`, under `crate::commands`.

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand};

use crate::commands::apply::ApplyArgs;
use crate::commands::broker::BrokerArgs;
use crate::commands::check::CheckArgs;
use crate::commands::completions::CompletionsArgs;
use crate::commands::config::ConfigCommand;
use crate::commands::ops::OpsArgs;
use crate::commands::plan::PlanArgs;
use crate::commands::schema::SchemaDocument;
use crate::commands::scim::ScimArgs;
use crate::commands::sim::SimArgs;
use crate::commands::unleash::UnleashArgs;
use crate::commands::vcf::VcfArgs;
use crate::output::OutputFormat;
use crate::settings::{EarlyFlags, GLOBAL, GlobalConnection};

/// Manage identity federation from the command line: SDDC Manager (VMware
/// Cloud Foundation) identity providers, Unleash Enterprise SCIM, the VCF
/// Identity Broker, VCF 9.1 fleet identity in VCF Operations, and rotated
/// tokens delivered to Okta and Microsoft Entra ID.
///
/// Credentials come from the environment (or stdin), never from flags:
/// VCF_TOKEN, or VCF_USERNAME + VCF_PASSWORD; UNLEASH_API_TOKEN;
/// BROKER_TOKEN, BROKER_CLIENT_ID + BROKER_CLIENT_SECRET, or
/// BROKER_VCENTER_USERNAME + BROKER_VCENTER_PASSWORD; OKTA_API_TOKEN;
/// ENTRA_TENANT_ID + ENTRA_CLIENT_ID + ENTRA_CLIENT_SECRET; OPS_TOKEN, or
/// OPS_USERNAME + OPS_PASSWORD (+ OPS_AUTH_SOURCE). A named context
/// (`idpctl config`) fills in what flags and environment leave open.
#[derive(Debug, Parser)]
#[command(name = "idpctl", version = crate::VERSION, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table, global = true, help_heading = GLOBAL)]
    pub output: OutputFormat,

    /// Per-request timeout in seconds.
    #[arg(long, value_name = "SECS", global = true, value_parser = clap::value_parser!(u64).range(1..=3600), help_heading = GLOBAL)]
    pub timeout: Option<u64>,

    /// More logging on stderr (-v info, -vv debug, -vvv trace). Secrets are never logged.
    #[arg(short = 'v', long = "verbose", action = ArgAction::Count, global = true, help_heading = GLOBAL)]
    pub verbose: u8,

    /// The named context of the configuration file to use [env: IDPCTL_CONTEXT]
    #[arg(long, value_name = "NAME", global = true, help_heading = GLOBAL)]
    pub context: Option<String>,

    #[command(flatten)]
    pub connection: GlobalConnection,

    #[command(flatten)]
    pub early: EarlyFlags,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
// Parsed once per run: the larger variants need no box.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// VMware Cloud Foundation (SDDC Manager) identity providers.
    Vcf(VcfArgs),
    /// Unleash Enterprise SCIM.
    Unleash(UnleashArgs),
    /// VCF 9 single sign-on: the VCF Identity Broker (credentials:
    /// BROKER_TOKEN, or BROKER_CLIENT_ID + BROKER_CLIENT_SECRET, or
    /// BROKER_VCENTER_USERNAME + BROKER_VCENTER_PASSWORD).
    Broker(BrokerArgs),
    /// VCF 9.1 fleet identity in VCF Operations: SSO realms, identity
    /// providers, SCIM sync clients, roles and API tokens (credentials:
    /// OPS_TOKEN, or OPS_USERNAME + OPS_PASSWORD).
    Ops(OpsArgs),
    /// SCIM 2.0 endpoints, the places the rotated tokens open: `scim
    /// probe URL` (token from --token-file, --token-stdin or SCIM_TOKEN).
    Scim(ScimArgs),
    /// Check token expiry for monitoring (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
    Check(CheckArgs),
    /// Run the simulator of every API (SDDC Manager, Unleash, the VCF
    /// Identity Broker with vCenter, Okta, Microsoft Entra) until Ctrl-C.
    Sim(SimArgs),
    /// Walk the whole lifecycle against an embedded simulator.
    Demo,
    /// Show what `apply` would change on each target of a declarative document
    /// (exit 0; with --detailed-exitcode: 0 no changes, 2 changes, 1 error).
    Plan(PlanArgs),
    /// Make each target of a declarative document match it.
    Apply(ApplyArgs),
    /// Named contexts of the configuration file: for each API its URL, CA
    /// file and credentials (secrets as references).
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Print the JSON Schema of a --file document, for editors.
    Schema {
        #[arg(value_enum)]
        document: SchemaDocument,
    },
    /// Print the script that enables shell completion (commands, options,
    /// context names): e.g. `source <(idpctl completions bash)`.
    Completions(CompletionsArgs),
    /// Write one manual page per command into DIR (what `cargo xtask man` runs).
    #[command(name = "generate-man", hide = true)]
    GenerateMan {
        #[arg(value_name = "DIR")]
        out_dir: PathBuf,
    },
}

impl Command {
    /// Whether the command reads a `--file -` document from stdin.
    pub fn reads_stdin(&self) -> bool {
        match self {
            Self::Vcf(args) => args.reads_stdin(),
            Self::Ops(args) => args.reads_stdin(),
            Self::Scim(args) => args.reads_stdin(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
