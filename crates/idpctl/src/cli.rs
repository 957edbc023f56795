//! The command line: every flag, argument and subcommand of `idpctl`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::duration::parse_duration;

/// Manage VMware Cloud Foundation identity providers and Unleash SCIM tokens.
///
/// Credentials come from the environment (or stdin), never from flags:
/// VCF_TOKEN, or VCF_USERNAME + VCF_PASSWORD; UNLEASH_API_TOKEN.
#[derive(Debug, Parser)]
#[command(name = "idpctl", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table, global = true)]
    pub output: OutputFormat,

    /// Per-request timeout in seconds.
    #[arg(long, value_name = "SECS", global = true, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,

    /// More logging on stderr (-v info, -vv debug, -vvv trace). Secrets are never logged.
    #[arg(short = 'v', long = "verbose", action = ArgAction::Count, global = true)]
    pub verbose: u8,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Where the servers are and how to trust them.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// SDDC Manager base URL, e.g. https://sddc.example.com [env: VCF_URL]
    #[arg(
        long,
        value_name = "URL",
        env = "VCF_URL",
        global = true,
        hide_env = true
    )]
    pub vcf_url: Option<String>,

    /// Unleash base URL, may include a sub-path, e.g. https://host/unleash [env: UNLEASH_URL]
    #[arg(
        long,
        value_name = "URL",
        env = "UNLEASH_URL",
        global = true,
        hide_env = true
    )]
    pub unleash_url: Option<String>,

    /// Extra CA certificate(s) to trust, PEM [env: VCF_CA_CERT / UNLEASH_CA_CERT]
    #[arg(long, value_name = "PEM_FILE", global = true)]
    pub ca_cert: Option<PathBuf>,

    /// Do not verify TLS certificates (dangerous; warns) [env: VCF_INSECURE=1 / UNLEASH_INSECURE=1]
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Accept http:// for a non-loopback host (warns); http:// to loopback is always accepted.
    #[arg(long, global = true)]
    pub allow_http: bool,

    /// Read the VCF password (with VCF_USERNAME) or the Unleash API token from the first line of stdin.
    #[arg(long, global = true)]
    pub secret_stdin: bool,
}

/// `-o table|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Readable tables and lines.
    Table,
    /// Exactly one JSON document on stdout.
    Json,
    /// The Prometheus text exposition format (`idpctl check` only).
    Prometheus,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// VMware Cloud Foundation (SDDC Manager) identity providers.
    Vcf {
        #[command(subcommand)]
        command: VcfCommand,
    },
    /// Unleash Enterprise SCIM.
    Unleash {
        #[command(subcommand)]
        command: UnleashCommand,
    },
    /// Check token expiry for monitoring (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
    Check(crate::commands::check::CheckArgs),
    /// Run the simulator of SDDC Manager and Unleash until Ctrl-C.
    Sim(SimArgs),
    /// Walk the whole lifecycle against an embedded simulator.
    Demo,
    /// Show what `apply` would change on each target of a declarative document
    /// (exit 0; with --detailed-exitcode: 0 no changes, 2 changes, 1 error).
    Plan(crate::commands::plan::PlanArgs),
    /// Make each target of a declarative document match it.
    Apply(crate::commands::apply::ApplyArgs),
    /// Print the JSON Schema of a --file document, for editors.
    Schema {
        #[arg(value_enum)]
        document: SchemaDocument,
    },
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum VcfCommand {
    /// Identity providers.
    Idp {
        #[command(subcommand)]
        command: IdpCommand,
    },
    /// Identity sources of the embedded identity provider.
    Source {
        #[command(subcommand)]
        command: SourceCommand,
    },
    /// SCIM sync client tokens; `sync-token ID` is `sync-token rotate ID`.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    SyncToken {
        #[command(subcommand)]
        command: Option<SyncTokenCommand>,
        /// The federated identity provider's id (generates a new token and prints it).
        #[arg(required = true)]
        idp_id: Option<String>,
        /// Token lifetime: seconds (3600) or with a unit (90m, 12h, 30d).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        ttl: Option<std::time::Duration>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SyncTokenCommand {
    /// Every federated provider with its SCIM URL, token expiry and time left.
    Status,
    /// Generate a new token (the previous one stops working) and deliver it.
    Rotate(crate::commands::rotate::VcfRotateArgs),
}

#[derive(Debug, Subcommand)]
pub enum IdpCommand {
    /// List identity providers.
    List,
    /// Show one identity provider.
    Get { id: String },
    /// Add an external identity provider from an IdentityProviderSpec JSON file.
    Add(FileArg),
    /// Update an external identity provider.
    Update {
        id: String,
        #[command(flatten)]
        file: FileArg,
    },
    /// Delete an external identity provider.
    Delete {
        id: String,
        #[command(flatten)]
        confirm: ConfirmArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Add an identity source from an IdentitySourceSpec JSON file.
    Add {
        idp_id: String,
        #[command(flatten)]
        file: FileArg,
    },
    /// Update the identity source with the given domain name.
    Update {
        idp_id: String,
        domain: String,
        #[command(flatten)]
        file: FileArg,
    },
    /// Delete the identity source with the given domain name.
    Delete {
        idp_id: String,
        domain: String,
        #[command(flatten)]
        confirm: ConfirmArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum UnleashCommand {
    /// The SCIM API token.
    ScimToken {
        #[command(subcommand)]
        command: ScimTokenCommand,
    },
    /// The SCIM settings.
    ScimSettings {
        #[command(subcommand)]
        command: ScimSettingsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScimTokenCommand {
    /// Generate a new SCIM token (the current one is revoked at once) and deliver it.
    Rotate(crate::commands::rotate::UnleashRotateArgs),
}

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

/// `--file PATH|-`.
#[derive(Debug, Clone, Args)]
pub struct FileArg {
    /// The JSON document; `-` reads stdin.
    #[arg(long, short = 'f', value_name = "PATH|-")]
    pub file: String,
}

/// `--yes`.
#[derive(Debug, Clone, Copy, Args)]
pub struct ConfirmArg {
    /// Do not ask for confirmation (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// `idpctl sim`.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Which SDDC Manager version to behave like.
    #[arg(long, value_name = "PROFILE", default_value = "vcf-5.2", value_parser = ["vcf-5.1", "vcf-5.2", "vcf-9"])]
    pub profile: String,
    /// Serve HTTPS with a self-signed certificate (its CA is printed).
    #[arg(long)]
    pub tls: bool,
}

/// `idpctl schema ...`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaDocument {
    /// IdentityProviderSpec (vcf idp add/update --file).
    ProviderSpec,
    /// IdentitySourceSpec (vcf source add/update --file).
    SourceSpec,
    /// The declarative document of `idpctl plan` / `idpctl apply`.
    Config,
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
