//! The one place where flags, environment and the selected context become
//! client configuration: one module per API (its flags, its variables, its
//! table of the context, its client), over one precedence rule
//! ([`precedence::Precedence`]: flag > environment > context > default,
//! per field) and one transport ([`transport`]).
//!
//! The context is `--context`, else `IDPCTL_CONTEXT`, else the file's
//! `current-context` (see `crate::contexts` for the file).

mod broker;
mod entra;
mod file;
mod okta;
mod ops;
mod precedence;
mod resolver;
mod scim;
mod secret;
mod transport;
mod unleash;
mod vcf;

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use idp_client::{ClientConfig, Secret};

pub use broker::{BrokerConnection, BrokerSettings};
pub use entra::EntraConnection;
pub use file::{complete_context_name, config_file_path};
pub use okta::OktaConnection;
pub use ops::{OpsConnection, OpsSettings};
pub use scim::SCIM_TOKEN_ENV;
pub use unleash::{UnleashConnection, UnleashSettings};
pub use vcf::{VcfConnection, VcfSettings};

use self::precedence::{Lookup, process_env};
use self::transport::Tail;
use crate::contexts::{self, Context, ContextsFile};
use crate::failure::Failure;

/// The variable that selects a context (below `--context`).
pub const CONTEXT_ENV: &str = "IDPCTL_CONTEXT";

/// The help heading of the options every command takes.
pub const GLOBAL: &str = "Global options";

/// What every connection of a run shares: TLS, plain HTTP and where a
/// secret may come from besides the environment.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = GLOBAL)]
pub struct GlobalConnection {
    /// Extra CA certificate(s) to trust, PEM, for the server of every API
    /// the command calls [env: VCF_CA_CERT, UNLEASH_CA_CERT,
    /// BROKER_CA_CERT, OKTA_CA_CERT, ENTRA_CA_CERT, OPS_CA_CERT]
    #[arg(long, value_name = "PEM_FILE", global = true)]
    pub ca_cert: Option<PathBuf>,

    /// Do not verify TLS certificates (dangerous; warns) [env:
    /// VCF_INSECURE=1, UNLEASH_INSECURE=1, BROKER_INSECURE=1,
    /// OKTA_INSECURE=1, ENTRA_INSECURE=1, OPS_INSECURE=1]
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Accept http:// for a non-loopback host (warns); http:// to loopback is always accepted.
    #[arg(long, global = true)]
    pub allow_http: bool,

    /// Read the command's secret from the first line of stdin: the VCF
    /// password (with VCF_USERNAME), the Unleash API token, the broker's
    /// client secret or vCenter password, or the VCF Operations password
    /// (with OPS_USERNAME).
    #[arg(long, global = true)]
    pub secret_stdin: bool,
}

/// The per-API flags given before the noun (`idpctl --vcf-url URL vcf
/// ...`), where earlier versions took them: still read, not shown in help;
/// the flag after the noun wins.
#[derive(Debug, Clone, Default, Args)]
pub struct EarlyFlags {
    #[arg(
        id = "early_vcf_url",
        long = "vcf-url",
        value_name = "URL",
        hide = true
    )]
    pub vcf_url: Option<String>,
    #[arg(
        id = "early_unleash_url",
        long = "unleash-url",
        value_name = "URL",
        hide = true
    )]
    pub unleash_url: Option<String>,
    #[arg(
        id = "early_broker_url",
        long = "broker-url",
        value_name = "URL",
        hide = true
    )]
    pub broker_url: Option<String>,
    #[arg(
        id = "early_broker_tenant",
        long = "broker-tenant",
        value_name = "TENANT",
        hide = true
    )]
    pub broker_tenant: Option<String>,
    #[arg(
        id = "early_okta_url",
        long = "okta-url",
        value_name = "URL",
        hide = true
    )]
    pub okta_url: Option<String>,
    #[arg(
        id = "early_entra_graph_url",
        long = "entra-graph-url",
        value_name = "URL",
        hide = true
    )]
    pub entra_graph_url: Option<String>,
    #[arg(
        id = "early_ops_url",
        long = "ops-url",
        value_name = "URL",
        hide = true
    )]
    pub ops_url: Option<String>,
}

/// A command's flag, else the same flag given before the noun.
fn own_or_early(own: Option<&String>, early: Option<&String>) -> Option<String> {
    own.filter(|v| !v.is_empty()).or(early).cloned()
}

/// Whether to colour output (only the log lines of `-v` are ever
/// coloured): on a terminal, unless `NO_COLOR` is set to anything but
/// the empty string (<https://no-color.org>). Clap's help honours
/// `NO_COLOR` on its own.
pub fn colour(is_terminal: bool) -> bool {
    colour_with(is_terminal, &process_env)
}

fn colour_with(is_terminal: bool, env: Lookup<'_>) -> bool {
    is_terminal && env("NO_COLOR").is_none()
}

/// The layers below a command's own flags that every API's settings read:
/// the run's global flags, the environment and the selected context.
struct Layers<'a> {
    global: &'a GlobalConnection,
    env: Lookup<'a>,
    context: Option<&'a Context>,
}

/// The run's settings: the global flags, those given before the noun, and
/// the context in force. Each API's settings come from `Settings::vcf`,
/// `Settings::unleash` ... with the command's own flags.
#[derive(Debug)]
pub struct Settings {
    global: GlobalConnection,
    early: EarlyFlags,
    timeout: Option<Duration>,
    /// The selected context, or why it cannot be used (reported only by
    /// commands that need settings).
    context: Result<Option<Selected>, Failure>,
}

/// The context in force and its name.
#[derive(Debug, Clone)]
struct Selected {
    name: String,
    context: Context,
}

impl Settings {
    /// Settings from the flags, the process environment and the context
    /// selected by `context_flag`, `IDPCTL_CONTEXT` or the file.
    pub fn new(
        global: GlobalConnection,
        early: EarlyFlags,
        timeout_secs: Option<u64>,
        context_flag: Option<&str>,
    ) -> Self {
        let named =
            context_flag.is_some_and(|n| !n.is_empty()) || process_env(CONTEXT_ENV).is_some();
        let context = match config_file_path() {
            Ok(path) => contexts::load(&path)
                .and_then(|file| select_context(context_flag, &process_env, &file, &path)),
            // No configuration directory (no home): no context, unless one
            // is asked for.
            Err(failure) if named => Err(failure),
            Err(_) => Ok(None),
        };
        Self {
            global,
            early,
            timeout: timeout_secs.map(Duration::from_secs),
            context,
        }
    }

    /// The layers for a client: an unusable file or an unknown context
    /// name is an error here, for commands that connect.
    fn layers(&self) -> Result<Layers<'_>, Failure> {
        match &self.context {
            Ok(selected) => Ok(Layers {
                global: &self.global,
                env: &process_env,
                context: selected.as_ref().map(|s| &s.context),
            }),
            Err(failure) => Err(failure.clone()),
        }
    }

    /// The layers for a question (is a URL set?): an unusable context
    /// counts as none.
    fn layers_or_none(&self) -> Layers<'_> {
        self.layers().unwrap_or(Layers {
            global: &self.global,
            env: &process_env,
            context: None,
        })
    }

    /// The name of the context in force, if any (an unknown name or an
    /// unusable file is an error).
    pub fn context_in_force(&self) -> Result<Option<String>, Failure> {
        match &self.context {
            Ok(selected) => Ok(selected.as_ref().map(|s| s.name.clone())),
            Err(failure) => Err(failure.clone()),
        }
    }

    /// The global connection flags as given (`idpctl config set` stores
    /// `--ca-cert` and refuses the others).
    pub fn global(&self) -> &GlobalConnection {
        &self.global
    }

    /// The per-API flags given before the noun (`idpctl config set` stores
    /// them as its own).
    pub fn early(&self) -> &EarlyFlags {
        &self.early
    }

    /// `resolved` as the URL and client configuration of `server` (see
    /// [`transport::transport`]).
    fn transport(
        &self,
        server: &transport::Server,
        resolved: transport::Resolved,
    ) -> Result<transport::Transport, Failure> {
        transport::transport(server, resolved, self.global.allow_http, self.timeout)
    }

    /// What every client gets from the flags alone: the request timeout,
    /// `--insecure` and `--allow-http`.
    fn tail(&self) -> Tail {
        Tail {
            insecure: self.global.insecure,
            allow_http: self.global.allow_http,
            ca_pem: None,
            timeout: self.timeout,
        }
    }

    /// The client configuration of every target and broker of a
    /// declarative document (URLs, credentials and CA certificates come
    /// from the document).
    pub fn fleet_client_config(&self) -> Result<ClientConfig, Failure> {
        Ok(self.tail().config()?)
    }

    /// Checks that the configuration file is usable and has each context
    /// of `names` (exit 2 otherwise), before anything is sent.
    pub fn require_contexts<'a>(
        &self,
        mut names: impl Iterator<Item = &'a str>,
    ) -> Result<(), Failure> {
        let Some(first) = names.next() else {
            return Ok(());
        };
        let path = config_file_path()?;
        let file = contexts::load(&path)?;
        for name in std::iter::once(first).chain(names) {
            if !file.contexts.contains_key(name) {
                return Err(Failure::usage(format!(
                    "a target names the context `{name}`, which {} does not have; see `idpctl config list`",
                    path.display()
                )));
            }
        }
        Ok(())
    }

    /// The OIDC client secret of a broker identity provider being created
    /// or updated, from `BROKER_IDP_CLIENT_SECRET` (never a flag).
    pub fn broker_idp_client_secret(&self) -> Option<Secret> {
        process_env("BROKER_IDP_CLIENT_SECRET").map(Secret::new)
    }
}

/// The context in force: `flag` > `IDPCTL_CONTEXT` > the file's
/// `current-context` > none. A named context missing from the file is an
/// error (exit 2).
fn select_context(
    flag: Option<&str>,
    env: Lookup<'_>,
    file: &ContextsFile,
    path: &std::path::Path,
) -> Result<Option<Selected>, Failure> {
    let (name, origin) = match (
        flag.filter(|n| !n.is_empty()),
        env(CONTEXT_ENV),
        &file.current_context,
    ) {
        (Some(name), _, _) => (name.to_owned(), "--context"),
        (None, Some(name), _) => (name, CONTEXT_ENV),
        (None, None, Some(name)) => (name.clone(), "current-context"),
        (None, None, None) => return Ok(None),
    };
    match file.contexts.get(&name) {
        Some(context) => Ok(Some(Selected {
            name,
            context: context.clone(),
        })),
        None => Err(Failure::usage(format!(
            "no context `{name}` ({origin}) in {}; see `idpctl config list`",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::path::PathBuf;

    use super::precedence::tests::{lookup, one_var};
    use super::{Context, ContextsFile, select_context};

    /// `--context`, `IDPCTL_CONTEXT`, the file, and the context selected.
    type Selection<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        &'a ContextsFile,
        Option<&'a str>,
    );

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        for (terminal, no_color, expected) in [
            (true, None, true),
            (true, Some("1"), false),
            (true, Some(""), true),
            (false, None, false),
            (false, Some("1"), false),
        ] {
            let env = one_var("NO_COLOR", no_color);
            assert_eq!(
                super::colour_with(terminal, &env),
                expected,
                "{terminal} {no_color:?}"
            );
        }
    }

    #[test]
    fn the_context_flag_then_environment_then_current_context() {
        let mut file = ContextsFile {
            current_context: Some("cur".to_owned()),
            ..ContextsFile::default()
        };
        for name in ["cur", "env", "flag"] {
            file.contexts.insert(name.to_owned(), Context::default());
        }
        let path = PathBuf::from("/c.toml");
        let no_current = ContextsFile {
            current_context: None,
            ..file.clone()
        };
        let cases: Vec<Selection<'_>> = vec![
            (None, None, &file, Some("cur")),
            (None, Some("env"), &file, Some("env")),
            (Some("flag"), Some("env"), &file, Some("flag")),
            (Some("flag"), None, &file, Some("flag")),
            (None, None, &no_current, None),
        ];
        for (flag, env, file, expected) in cases {
            let env = one_var("IDPCTL_CONTEXT", env);
            let got = select_context(flag, &env, file, &path).unwrap();
            assert_eq!(got.map(|s| s.name).as_deref(), expected);
        }
        // A name the file does not have is an error (exit 2), wherever it came from.
        let env = lookup(&[("IDPCTL_CONTEXT", "nope")]);
        assert_eq!(
            select_context(None, &env, &file, &path).unwrap_err().code,
            2
        );
        let broken = ContextsFile {
            current_context: Some("gone".to_owned()),
            ..file.clone()
        };
        assert!(
            select_context(None, &lookup(&[]), &broken, &path)
                .unwrap_err()
                .message
                .contains("gone")
        );
    }
}
