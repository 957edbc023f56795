//! The command line: every flag, argument and subcommand of `idpctl`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::duration::parse_duration;

/// The help heading of the options every command takes.
const GLOBAL: &str = "Global options";

/// Manage VMware Cloud Foundation identity providers and Unleash SCIM tokens.
///
/// Credentials come from the environment (or stdin), never from flags:
/// VCF_TOKEN, or VCF_USERNAME + VCF_PASSWORD; UNLEASH_API_TOKEN. A named
/// context (`idpctl config`) fills in what flags and environment leave open.
#[derive(Debug, Parser)]
#[command(name = "idpctl", version = crate::VERSION, about, long_about = None, propagate_version = true)]
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
    pub connection: ConnectionArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Where the servers are and how to trust them. The environment and the
/// context are read by `crate::settings`, not here.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = GLOBAL)]
pub struct ConnectionArgs {
    /// SDDC Manager base URL, e.g. https://sddc.example.com [env: VCF_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub vcf_url: Option<String>,

    /// Unleash base URL, may include a sub-path, e.g. https://host/unleash [env: UNLEASH_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub unleash_url: Option<String>,

    /// VCF Identity Broker base URL (the vCenter host), e.g. https://vcenter.example.com [env: BROKER_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub broker_url: Option<String>,

    /// VCF Identity Broker tenant (default CUSTOMER) [env: BROKER_TENANT]
    #[arg(long, value_name = "TENANT", global = true)]
    pub broker_tenant: Option<String>,

    /// Okta org URL for `--deliver okta:APP_ID`, e.g. https://example.okta.com [env: OKTA_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub okta_url: Option<String>,

    /// Microsoft Graph host for `--deliver entra:…` (default https://graph.microsoft.com) [env: ENTRA_GRAPH_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub entra_graph_url: Option<String>,

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
    /// VCF 9 single sign-on: the VCF Identity Broker (credentials:
    /// BROKER_TOKEN, or BROKER_CLIENT_ID + BROKER_CLIENT_SECRET, or
    /// BROKER_VCENTER_USERNAME + BROKER_VCENTER_PASSWORD).
    Broker {
        #[command(subcommand)]
        command: BrokerCommand,
    },
    /// Check token expiry for monitoring (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
    Check(CheckArgs),
    /// Run the simulator of SDDC Manager and Unleash until Ctrl-C.
    Sim(SimArgs),
    /// Walk the whole lifecycle against an embedded simulator.
    Demo,
    /// Show what `apply` would change on each target of a declarative document
    /// (exit 0; with --detailed-exitcode: 0 no changes, 2 changes, 1 error).
    Plan(PlanArgs),
    /// Make each target of a declarative document match it.
    Apply(ApplyArgs),
    /// Named contexts (servers, user, CA file, secret references) in the
    /// configuration file.
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
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write one manual page per command into DIR (what `cargo xtask man` runs).
    #[command(name = "generate-man", hide = true)]
    GenerateMan {
        #[arg(value_name = "DIR")]
        out_dir: PathBuf,
    },
}

/// `idpctl config ...`.
#[derive(Debug, Subcommand)]
// Parsed once per run: `Set`'s options need no box.
#[allow(clippy::large_enum_variant)]
pub enum ConfigCommand {
    /// The contexts (the current one marked with `*`) and the file's path.
    List,
    /// One context's settings (secrets only as their references).
    Show {
        /// The context (default: the one in force).
        name: Option<String>,
    },
    /// Make NAME the current context.
    Use { name: String },
    /// Create or change a context. The URLs, the broker tenant and the CA
    /// file are the global --vcf-url, --unleash-url, --broker-url,
    /// --broker-tenant and --ca-cert; --unset removes a field.
    Set(ConfigSetArgs),
    /// Delete a context.
    Delete { name: String },
}

/// `idpctl config set NAME ...`.
#[derive(Debug, Clone, Args)]
pub struct ConfigSetArgs {
    /// The context to create or change.
    pub name: String,
    /// The VCF user (with --vcf-password).
    #[arg(long, value_name = "USER")]
    pub vcf_username: Option<String>,
    /// Where the VCF password is: env:NAME or file:PATH.
    #[arg(long, value_name = "REF")]
    pub vcf_password: Option<String>,
    /// Where a VCF bearer token is (instead of a user): env:NAME or file:PATH.
    #[arg(long, value_name = "REF")]
    pub vcf_token: Option<String>,
    /// Where the Unleash API token is: env:NAME or file:PATH.
    #[arg(long, value_name = "REF")]
    pub unleash_api_token: Option<String>,
    /// CA certificate(s) to trust for the broker, PEM (default: --ca-cert's).
    #[arg(long, value_name = "PEM_FILE")]
    pub broker_ca_cert: Option<PathBuf>,
    /// A vCenter user for the broker (with --broker-vcenter-password).
    #[arg(long, value_name = "USER")]
    pub broker_vcenter_username: Option<String>,
    /// Where the broker's vCenter password is: env:NAME or file:PATH.
    #[arg(long, value_name = "REF")]
    pub broker_vcenter_password: Option<String>,
    /// An OAuth 2.0 client of the broker (with --broker-client-secret).
    #[arg(long, value_name = "CLIENT_ID")]
    pub broker_client_id: Option<String>,
    /// Where the broker OAuth 2.0 client's secret is: env:NAME or file:PATH.
    #[arg(long, value_name = "REF")]
    pub broker_client_secret: Option<String>,
    /// Where a broker admin token is (instead): env:NAME or file:PATH.
    #[arg(long, value_name = "REF")]
    pub broker_token: Option<String>,
    /// Remove a field (repeatable).
    #[arg(long, value_name = "FIELD", value_enum)]
    pub unset: Vec<ContextField>,
}

/// A field of a context, as named in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ContextField {
    VcfUrl,
    VcfUsername,
    VcfPassword,
    VcfToken,
    CaCert,
    UnleashUrl,
    UnleashApiToken,
    BrokerUrl,
    BrokerTenant,
    BrokerCaCert,
    BrokerVcenterUsername,
    BrokerVcenterPassword,
    BrokerClientId,
    BrokerClientSecret,
    BrokerToken,
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
    Rotate(VcfRotateArgs),
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
    Rotate(UnleashRotateArgs),
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

#[derive(Debug, Subcommand)]
pub enum BrokerCommand {
    /// Directories of users and groups.
    Directory {
        #[command(subcommand)]
        command: BrokerDirectoryCommand,
    },
    /// OIDC identity providers.
    Idp {
        #[command(subcommand)]
        command: BrokerIdpCommand,
    },
    /// A directory's sync client (the VCF 9 SCIM credentials).
    SyncClient {
        #[command(subcommand)]
        command: BrokerSyncClientCommand,
    },
    /// OAuth 2.0 clients of the broker.
    OauthClient {
        #[command(subcommand)]
        command: BrokerOAuthClientCommand,
    },
}

/// The fields of a directory.
#[derive(Debug, Clone, Args)]
pub struct DirectoryFields {
    /// The directory's unique name.
    #[arg(long)]
    pub name: Option<String>,
    /// A domain (repeat for several).
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// The default domain (one of the domains).
    #[arg(long, value_name = "DOMAIN")]
    pub default_domain: Option<String>,
    /// The source: AZURE, PING, OKTA, ACCESS, GENERIC.
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum BrokerDirectoryCommand {
    /// List the directories.
    List,
    /// Show one directory.
    Get { id: String },
    /// Create a directory (--name and at least one --domain).
    Create(DirectoryFields),
    /// Change the fields given.
    Update {
        id: String,
        #[command(flatten)]
        fields: DirectoryFields,
    },
    /// Delete a directory with its users, groups and sync client.
    Delete {
        id: String,
        #[command(flatten)]
        confirm: ConfirmArg,
    },
}

/// The fields of an OIDC identity provider. The client secret comes from
/// BROKER_IDP_CLIENT_SECRET (or stdin with --secret-stdin), never a flag.
#[derive(Debug, Clone, Args)]
pub struct IdpFields {
    /// The identity provider's unique name.
    #[arg(long)]
    pub name: Option<String>,
    /// A directory it serves (repeat for several).
    #[arg(long = "directory", value_name = "DIRECTORY_ID")]
    pub directories: Vec<String>,
    /// The OIDC discovery URL (.../.well-known/openid-configuration).
    #[arg(long, value_name = "URL")]
    pub configuration_url: Option<String>,
    /// The client id at the identity provider.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum BrokerIdpCommand {
    /// List the identity providers.
    List,
    /// Show one identity provider.
    Get { id: String },
    /// Create an OIDC identity provider.
    Create(IdpFields),
    /// Change the fields given (the secret too when BROKER_IDP_CLIENT_SECRET is set).
    Update {
        id: String,
        #[command(flatten)]
        fields: IdpFields,
    },
    /// Delete an identity provider.
    Delete {
        id: String,
        #[command(flatten)]
        confirm: ConfirmArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum BrokerSyncClientCommand {
    /// Show a directory's sync client (never its token or secret).
    Show { directory_id: String },
    /// Generate new sync client credentials (the previous ones stop working) and print them.
    Generate {
        directory_id: String,
        /// A long-lived access token (the default).
        #[arg(long, conflicts_with = "client_credentials")]
        token: bool,
        /// A client id and secret instead of a token.
        #[arg(long)]
        client_credentials: bool,
        /// Token lifetime: seconds (3600) or with a unit (90m, 12h, 30d).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        ttl: Option<Duration>,
        /// Do not ask for confirmation (required without a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Generate a new sync client token (the previous credentials stop
    /// working) and deliver it with the broker's SCIM URL.
    Rotate(BrokerRotateArgs),
}

#[derive(Debug, Subcommand)]
pub enum BrokerOAuthClientCommand {
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
        /// Do not ask for confirmation (required without a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Delete a client.
    Delete {
        client_id: String,
        #[command(flatten)]
        confirm: ConfirmArg,
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
    /// Print `export NAME='value'` lines for a POSIX shell instead of the
    /// readable text: `eval "$(idpctl sim --pid-file sim.pid --print-env)"`.
    #[arg(long)]
    pub print_env: bool,
    /// Run detached: return once the simulator listens, with its process id
    /// in PATH; stop it with SIGTERM or SIGINT (`kill $(cat PATH)`), which
    /// removes PATH.
    #[arg(long, value_name = "PATH")]
    pub pid_file: Option<PathBuf>,
    /// The detached simulator process itself (started by --pid-file).
    #[arg(long, hide = true, requires = "pid_file")]
    pub detached_child: bool,
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

/// `idpctl check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// WARNING when a token expires within this time.
    #[arg(long, value_name = "DURATION", default_value = "14d", value_parser = parse_duration)]
    pub warn: Duration,
    /// CRITICAL when a token expires within this time (or has expired).
    #[arg(long, value_name = "DURATION", default_value = "3d", value_parser = parse_duration)]
    pub critical: Duration,
    /// Check the VCF sync client tokens (default: every system whose URL is set).
    #[arg(long)]
    pub vcf: bool,
    /// Check the Unleash SCIM settings (default: every system whose URL is set).
    #[arg(long)]
    pub unleash: bool,
    /// Check the VCF Identity Broker sync client tokens (default: every system whose URL is set).
    #[arg(long)]
    pub broker: bool,
}

/// Where the new token goes.
#[derive(Debug, Clone, Args)]
pub struct DeliveryArgs {
    /// Where to deliver the new token: `stdout` (default), `file:PATH`
    /// (written atomically, mode 0600; a symlink at PATH is refused) or
    /// `okta:APP_ID` (the app's default provisioning connection; needs
    /// OKTA_URL and OKTA_API_TOKEN) or `entra:SERVICE_PRINCIPAL_ID` (its
    /// synchronization secrets; needs ENTRA_TENANT_ID, ENTRA_CLIENT_ID,
    /// ENTRA_CLIENT_SECRET).
    #[arg(long, value_name = "TARGET")]
    pub deliver: Option<String>,
    /// The SCIM base URL delivered with the token to an identity provider.
    /// Default: the SCIM URL VCF returns with the token; for Unleash,
    /// `<unleash url>/scim`; for the VCF Identity Broker,
    /// `<broker url>/usergroup/t/<tenant>/scim/v2`.
    #[arg(long, value_name = "URL")]
    pub scim_url: Option<String>,
    /// Where the token goes if delivery fails after rotation: a new file
    /// (mode 0600) or `stdout`. Default: a new file
    /// `idpctl-recovered-token-*` in the current directory.
    #[arg(long, value_name = "PATH|stdout")]
    pub recovery: Option<String>,
}

/// The new token's lifetime and when a sync client rotation is due:
/// shared by `vcf sync-token rotate` and `broker sync-client rotate`.
#[derive(Debug, Clone, Default, Args)]
pub struct SyncRotationArgs {
    /// Token lifetime: seconds (3600) or with a unit (90m, 12h, 30d); the
    /// broker keeps whole minutes. Default: the server's.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub ttl: Option<Duration>,
    /// Rotate only when the current token expires within this time (for
    /// cron); an unknown expiry (no token yet; for the broker also client
    /// credentials, which do not expire) counts as due.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub if_expiring_within: Option<Duration>,
}

/// `idpctl vcf sync-token rotate`.
#[derive(Debug, Clone, Args)]
pub struct VcfRotateArgs {
    /// The federated identity provider's id.
    pub idp_id: String,
    #[command(flatten)]
    pub rotation: SyncRotationArgs,
    #[command(flatten)]
    pub delivery: DeliveryArgs,
}

/// `idpctl broker sync-client rotate`.
#[derive(Debug, Clone, Args)]
pub struct BrokerRotateArgs {
    /// The broker directory's id.
    pub directory_id: String,
    #[command(flatten)]
    pub rotation: SyncRotationArgs,
    /// Do not ask for confirmation (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub delivery: DeliveryArgs,
}

/// `idpctl unleash scim-token rotate`.
#[derive(Debug, Clone, Args)]
pub struct UnleashRotateArgs {
    /// Do not ask for confirmation (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub delivery: DeliveryArgs,
}

/// The highest `--parallel`.
pub const MAX_PARALLEL: u64 = 256;

/// The document and the targets: shared by `plan` and `apply`.
#[derive(Debug, Clone, Args)]
pub struct DocumentArgs {
    /// The declarative document (YAML, or JSON when it ends in .json).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: PathBuf,
    /// Only this target (repeatable); default: every target.
    #[arg(long = "target", value_name = "NAME")]
    pub targets: Vec<String>,
    /// Accept secrets written into the document (instead of env:NAME / file:PATH).
    #[arg(long)]
    pub allow_literal_secrets: bool,
    /// Allow updates, which resend the object's secrets (the update replaces the whole object; servers never return secrets); also update objects that differ in nothing readable, to push rotated secrets.
    #[arg(long)]
    pub update_secrets: bool,
    /// How many targets at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=MAX_PARALLEL))]
    pub parallel: u64,
}

/// `idpctl plan`.
#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub document: DocumentArgs,
    /// Exit 0 when nothing would change, 2 when something would, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
}

/// `idpctl apply`.
#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub document: DocumentArgs,
    /// Do not ask; required when not on a terminal.
    #[arg(long)]
    pub yes: bool,
    /// Allow replacing the external provider (delete then add: users briefly cannot log in through it).
    #[arg(long)]
    pub allow_replace: bool,
}
