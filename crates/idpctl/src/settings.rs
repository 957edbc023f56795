//! The one place where flags, environment and the selected context become
//! client configuration.
//!
//! Precedence, per field: flags > environment > context > defaults. The
//! context is `--context`, else `IDPCTL_CONTEXT`, else the file's
//! `current-context` (see `crate::contexts` for the file).

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use idp_client::{
    BrokerClient, BrokerClientBuilder, ClientConfig, DEFAULT_ENTRA_GRAPH_URL,
    DEFAULT_ENTRA_LOGIN_URL, EntraClient, OktaClient, Secret, UnleashClient, VcfClient,
    VcfClientBuilder,
};
use idp_config::SecretRef;

use crate::cli::ConnectionArgs;
use crate::contexts::{self, Context, ContextsFile};
use crate::failure::Failure;

/// The variable that selects a context (below `--context`).
pub const CONTEXT_ENV: &str = "IDPCTL_CONTEXT";

/// The variable that names the configuration file instead of the default.
pub const CONFIG_ENV: &str = "IDPCTL_CONFIG";

/// The configuration file of the contexts: `$IDPCTL_CONFIG`, else
/// `idpctl/config.toml` in the platform's configuration directory
/// (`$XDG_CONFIG_HOME`, by default `~/.config`, on Linux;
/// `~/Library/Application Support` on macOS; `%APPDATA%` on Windows; as the
/// `dirs` crate gives them).
pub fn config_file_path() -> Result<PathBuf, Failure> {
    if let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    dirs::config_dir()
        .map(|dir| dir.join("idpctl").join("config.toml"))
        .ok_or_else(|| {
            Failure::usage(format!(
                "cannot find the configuration directory (no home directory?); set {CONFIG_ENV}"
            ))
        })
}

/// The context names of the configuration file that start with
/// `current`, for shell completion (an unreadable file has none).
pub fn complete_context_name(current: &std::ffi::OsStr) -> Vec<clap_complete::CompletionCandidate> {
    let current = current.to_string_lossy();
    config_file_path()
        .and_then(|p| contexts::load(&p))
        .map(|file| file.contexts.into_keys().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|name| name.starts_with(current.as_ref()))
        .map(clap_complete::CompletionCandidate::new)
        .collect()
}

/// Reads a variable; unset and empty are the same.
type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads an environment variable; unset and empty are the same.
fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// `1`, `true`, `yes` (any case) turn a flag variable on.
fn env_flag(env: Lookup<'_>, name: &str) -> bool {
    env(name).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
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

/// Connection settings shared by both servers.
#[derive(Debug)]
pub struct Settings {
    connection: ConnectionArgs,
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

/// Where a secret comes from, before it is read.
#[derive(Debug, Clone, PartialEq)]
enum SecretSource {
    /// The first line of stdin (`--secret-stdin`).
    Stdin,
    /// An environment variable.
    Env(&'static str),
    /// A reference of the context (`env:NAME`, `file:PATH`).
    Context(&'static str, SecretRef),
}

impl SecretSource {
    fn read(&self, env: Lookup<'_>) -> Result<Secret, Failure> {
        match self {
            Self::Stdin => read_secret_line(),
            Self::Env(name) => env(name)
                .map(Secret::new)
                .ok_or_else(|| Failure::usage(format!("{name} is not set"))),
            Self::Context(field, reference) => reference
                .resolve(&format!("context {field}"))
                .map_err(|e| Failure::usage(e.to_string())),
        }
    }
}

/// How to log in to VCF, resolved.
#[derive(Debug, Clone, PartialEq)]
enum VcfAuth {
    Credentials {
        username: String,
        password: Option<SecretSource>,
    },
    Token(SecretSource),
}

/// How to reach the broker, resolved.
#[derive(Debug, Clone, PartialEq)]
enum BrokerAuth {
    OAuthClient {
        client_id: String,
        secret: Option<SecretSource>,
    },
    Vcenter {
        username: String,
        password: Option<SecretSource>,
    },
    Token(SecretSource),
}

/// One server's settings after precedence: what to ask for and where from.
#[derive(Debug, Clone, PartialEq)]
struct Resolved {
    url: Option<String>,
    ca_cert: Option<PathBuf>,
    insecure: bool,
}

/// `--vcf-url` > `VCF_URL` > context; `--ca-cert` > `VCF_CA_CERT` >
/// context; `--insecure` or `VCF_INSECURE`.
fn resolve_vcf(flags: &ConnectionArgs, env: Lookup<'_>, context: Option<&Context>) -> Resolved {
    resolve_server(
        &VCF,
        flags,
        env,
        flags.vcf_url.clone(),
        context.and_then(|c| c.vcf_url.clone()),
        context.and_then(|c| c.ca_cert.clone()),
    )
}

/// `--unleash-url` > `UNLEASH_URL` > context; `--ca-cert` >
/// `UNLEASH_CA_CERT` > context; `--insecure` or `UNLEASH_INSECURE`.
fn resolve_unleash(flags: &ConnectionArgs, env: Lookup<'_>, context: Option<&Context>) -> Resolved {
    resolve_server(
        &UNLEASH,
        flags,
        env,
        flags.unleash_url.clone(),
        context.and_then(|c| c.unleash_url.clone()),
        context.and_then(|c| c.ca_cert.clone()),
    )
}

/// `--broker-url` > `BROKER_URL` > context; `--ca-cert` >
/// `BROKER_CA_CERT` > the context's `broker-ca-cert`, else its `ca-cert`;
/// `--insecure` or `BROKER_INSECURE`.
fn resolve_broker(flags: &ConnectionArgs, env: Lookup<'_>, context: Option<&Context>) -> Resolved {
    resolve_server(
        &BROKER,
        flags,
        env,
        flags.broker_url.clone(),
        context.and_then(|c| c.broker_url.clone()),
        context.and_then(|c| c.broker_ca_cert.clone().or_else(|| c.ca_cert.clone())),
    )
}

/// `--broker-tenant` > `BROKER_TENANT` > context > the client's default.
fn resolve_broker_tenant(
    flags: &ConnectionArgs,
    env: Lookup<'_>,
    context: Option<&Context>,
) -> Option<String> {
    flags
        .broker_tenant
        .clone()
        .filter(|t| !t.is_empty())
        .or_else(|| env("BROKER_TENANT").filter(|t| !t.is_empty()))
        .or_else(|| context.and_then(|c| c.broker_tenant.clone()))
        .filter(|t| !t.is_empty())
}

/// The broker login. The environment's credentials (`BROKER_CLIENT_ID`,
/// else `BROKER_VCENTER_USERNAME`, else `BROKER_TOKEN`) win over the
/// context's (`broker-client-id`, else `broker-vcenter-username`, else
/// `broker-token`); a secret comes from `--secret-stdin` > its variable >
/// the context.
fn resolve_broker_auth(
    flags: &ConnectionArgs,
    env: Lookup<'_>,
    context: Option<&Context>,
) -> Option<BrokerAuth> {
    let secret = |var: &'static str, field: &'static str, reference: Option<&SecretRef>| {
        if flags.secret_stdin {
            Some(SecretSource::Stdin)
        } else if env(var).is_some() {
            Some(SecretSource::Env(var))
        } else {
            reference.map(|r| SecretSource::Context(field, r.clone()))
        }
    };
    let client_secret = || {
        secret(
            "BROKER_CLIENT_SECRET",
            "broker-client-secret",
            context.and_then(|c| c.broker_client_secret.as_ref()),
        )
    };
    let password = || {
        secret(
            "BROKER_VCENTER_PASSWORD",
            "broker-vcenter-password",
            context.and_then(|c| c.broker_vcenter_password.as_ref()),
        )
    };
    if let Some(client_id) = env("BROKER_CLIENT_ID") {
        return Some(BrokerAuth::OAuthClient {
            client_id,
            secret: client_secret(),
        });
    }
    if let Some(username) = env("BROKER_VCENTER_USERNAME") {
        return Some(BrokerAuth::Vcenter {
            username,
            password: password(),
        });
    }
    if env("BROKER_TOKEN").is_some() {
        return Some(BrokerAuth::Token(SecretSource::Env("BROKER_TOKEN")));
    }
    let context = context?;
    if let Some(client_id) = context.broker_client_id.clone().filter(|c| !c.is_empty()) {
        return Some(BrokerAuth::OAuthClient {
            client_id,
            secret: client_secret(),
        });
    }
    if let Some(username) = context
        .broker_vcenter_username
        .clone()
        .filter(|u| !u.is_empty())
    {
        return Some(BrokerAuth::Vcenter {
            username,
            password: password(),
        });
    }
    context
        .broker_token
        .clone()
        .map(|r| BrokerAuth::Token(SecretSource::Context("broker-token", r)))
}

fn resolve_server(
    server: &Server,
    flags: &ConnectionArgs,
    env: Lookup<'_>,
    url_flag: Option<String>,
    url_context: Option<String>,
    ca_context: Option<PathBuf>,
) -> Resolved {
    Resolved {
        url: url_flag
            .filter(|u| !u.is_empty())
            .or_else(|| env(server.url_env))
            .or(url_context)
            .filter(|u| !u.is_empty()),
        ca_cert: flags
            .ca_cert
            .clone()
            .or_else(|| env(server.ca_env).map(PathBuf::from))
            .or(ca_context),
        insecure: flags.insecure || env_flag(env, server.insecure_env),
    }
}

/// The VCF login. The environment's credentials (`VCF_USERNAME`, else
/// `VCF_TOKEN`) win over the context's (`vcf-username`, else `vcf-token`);
/// a password comes from `--secret-stdin` > `VCF_PASSWORD` > the context.
fn resolve_vcf_auth(
    flags: &ConnectionArgs,
    env: Lookup<'_>,
    context: Option<&Context>,
) -> Option<VcfAuth> {
    let password = || {
        if flags.secret_stdin {
            Some(SecretSource::Stdin)
        } else if env("VCF_PASSWORD").is_some() {
            Some(SecretSource::Env("VCF_PASSWORD"))
        } else {
            context
                .and_then(|c| c.vcf_password.clone())
                .map(|r| SecretSource::Context("vcf-password", r))
        }
    };
    if let Some(username) = env("VCF_USERNAME") {
        return Some(VcfAuth::Credentials {
            username,
            password: password(),
        });
    }
    if env("VCF_TOKEN").is_some() {
        return Some(VcfAuth::Token(SecretSource::Env("VCF_TOKEN")));
    }
    let context = context?;
    if let Some(username) = context.vcf_username.clone().filter(|u| !u.is_empty()) {
        return Some(VcfAuth::Credentials {
            username,
            password: password(),
        });
    }
    context
        .vcf_token
        .clone()
        .map(|r| VcfAuth::Token(SecretSource::Context("vcf-token", r)))
}

/// The Unleash key: `--secret-stdin` > `UNLEASH_API_TOKEN` > context.
fn resolve_unleash_token(
    flags: &ConnectionArgs,
    env: Lookup<'_>,
    context: Option<&Context>,
) -> Option<SecretSource> {
    if flags.secret_stdin {
        Some(SecretSource::Stdin)
    } else if env("UNLEASH_API_TOKEN").is_some() {
        Some(SecretSource::Env("UNLEASH_API_TOKEN"))
    } else {
        context
            .and_then(|c| c.unleash_api_token.clone())
            .map(|r| SecretSource::Context("unleash-api-token", r))
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

/// What differs between the two servers' settings.
struct Server {
    name: &'static str,
    url_flag: &'static str,
    url_env: &'static str,
    ca_env: &'static str,
    insecure_env: &'static str,
}

const VCF: Server = Server {
    name: "VCF",
    url_flag: "--vcf-url",
    url_env: "VCF_URL",
    ca_env: "VCF_CA_CERT",
    insecure_env: "VCF_INSECURE",
};

const UNLEASH: Server = Server {
    name: "Unleash",
    url_flag: "--unleash-url",
    url_env: "UNLEASH_URL",
    ca_env: "UNLEASH_CA_CERT",
    insecure_env: "UNLEASH_INSECURE",
};

const BROKER: Server = Server {
    name: "VCF Identity Broker",
    url_flag: "--broker-url",
    url_env: "BROKER_URL",
    ca_env: "BROKER_CA_CERT",
    insecure_env: "BROKER_INSECURE",
};

const OKTA: Server = Server {
    name: "Okta",
    url_flag: "--okta-url",
    url_env: "OKTA_URL",
    ca_env: "OKTA_CA_CERT",
    insecure_env: "OKTA_INSECURE",
};

const ENTRA: Server = Server {
    name: "Microsoft Entra",
    url_flag: "--entra-graph-url",
    url_env: "ENTRA_GRAPH_URL",
    ca_env: "ENTRA_CA_CERT",
    insecure_env: "ENTRA_INSECURE",
};

/// TLS and transport choices for one server, resolved.
struct Transport {
    url: String,
    tail: Tail,
}

/// What every client builder gets from the settings: TLS verification,
/// plain http, extra CA certificates and the request timeout.
#[derive(Clone)]
struct Tail {
    insecure: bool,
    allow_http: bool,
    ca_pem: Option<Vec<u8>>,
    timeout: Option<Duration>,
}

impl Tail {
    /// The client configuration these choices make.
    fn config(&self) -> Result<ClientConfig, idp_client::Error> {
        let mut config = ClientConfig::builder()
            .danger_accept_invalid_certs(self.insecure)
            .allow_plain_http(self.allow_http);
        if let Some(pem) = &self.ca_pem {
            config = config.ca_certificate_pem(pem);
        }
        if let Some(timeout) = self.timeout {
            config = config.request_timeout(timeout);
        }
        config.build()
    }
}

impl Settings {
    /// Settings from the flags, the process environment and the context
    /// selected by `context_flag`, `IDPCTL_CONTEXT` or the file.
    pub fn new(
        connection: ConnectionArgs,
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
            connection,
            timeout: timeout_secs.map(Duration::from_secs),
            context,
        }
    }

    /// The selected context (an unusable file or an unknown name is an
    /// error here, for commands that connect).
    fn context(&self) -> Result<Option<&Context>, Failure> {
        match &self.context {
            Ok(selected) => Ok(selected.as_ref().map(|s| &s.context)),
            Err(failure) => Err(failure.clone()),
        }
    }

    /// The name of the context in force, if any (an unknown name or an
    /// unusable file is an error).
    pub fn context_in_force(&self) -> Result<Option<String>, Failure> {
        match &self.context {
            Ok(selected) => Ok(selected.as_ref().map(|s| s.name.clone())),
            Err(failure) => Err(failure.clone()),
        }
    }

    /// The connection flags as given (`idpctl config set` stores them).
    pub fn flags(&self) -> &ConnectionArgs {
        &self.connection
    }

    /// Whether a VCF URL was given (flag, environment or context).
    pub fn has_vcf_url(&self) -> bool {
        let context = self.context().ok().flatten();
        resolve_vcf(&self.connection, &process_env, context)
            .url
            .is_some()
    }

    /// Whether a broker URL was given (flag, environment or context).
    pub fn has_broker_url(&self) -> bool {
        let context = self.context().ok().flatten();
        resolve_broker(&self.connection, &process_env, context)
            .url
            .is_some()
    }

    /// Whether an Unleash URL was given (flag, environment or context).
    pub fn has_unleash_url(&self) -> bool {
        let context = self.context().ok().flatten();
        resolve_unleash(&self.connection, &process_env, context)
            .url
            .is_some()
    }

    /// A VCF client from `--vcf-url`, `VCF_TOKEN` or `VCF_USERNAME` +
    /// `VCF_PASSWORD` (or the password on stdin with `--secret-stdin`), and
    /// the context for what those leave open.
    pub fn vcf_client(&self) -> Result<VcfClient, Failure> {
        let context = self.context()?;
        let resolved = resolve_vcf(&self.connection, &process_env, context);
        let auth = resolve_vcf_auth(&self.connection, &process_env, context);
        let transport = self.transport(&VCF, resolved)?;
        let builder = VcfClient::builder(transport.url).config(&transport.tail.config()?);
        with_vcf_auth(builder, auth, &process_env)?
            .build()
            .map_err(Failure::from)
    }

    /// What every target and broker of a declarative document gets from
    /// the flags: the request timeout, `--insecure` and `--allow-http`
    /// (URLs, credentials and CA certificates come from the document).
    fn fleet_tail(&self) -> Tail {
        Tail {
            insecure: self.connection.insecure,
            allow_http: self.connection.allow_http,
            ca_pem: None,
            timeout: self.timeout,
        }
    }

    /// [`Self::fleet_tail`] as the client configuration of every target
    /// and broker.
    pub fn fleet_client_config(&self) -> Result<ClientConfig, Failure> {
        Ok(self.fleet_tail().config()?)
    }

    /// Resolves the `context: NAME` targets and brokers of a declarative
    /// document from the configuration file: each context's URL, user,
    /// password or token references and CA file (for a broker: its broker
    /// settings), plus the flags' [`Self::fleet_tail`].
    pub fn context_resolver(&self) -> Arc<dyn idp_config::ContextResolver> {
        let file = config_file_path().and_then(|path| {
            let file = contexts::load(&path)?;
            Ok((path, file))
        });
        Arc::new(ContextClients {
            file,
            tail: self.fleet_tail(),
        })
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

    /// An Unleash client from `--unleash-url` and `UNLEASH_API_TOKEN` (or
    /// the token on stdin with `--secret-stdin`), and the context for what
    /// those leave open.
    pub fn unleash_client(&self) -> Result<UnleashClient, Failure> {
        let context = self.context()?;
        let resolved = resolve_unleash(&self.connection, &process_env, context);
        let token = resolve_unleash_token(&self.connection, &process_env, context);
        let transport = self.transport(&UNLEASH, resolved)?;
        let token = token
            .ok_or_else(|| Failure::usage("no Unleash credentials: set UNLEASH_API_TOKEN"))?
            .read(&process_env)?;
        let builder = UnleashClient::builder(transport.url).api_token(token);
        builder
            .config(&transport.tail.config()?)
            .build()
            .map_err(Failure::from)
    }

    /// A broker client from `--broker-url`, `--broker-tenant` and
    /// `BROKER_TOKEN`, or `BROKER_CLIENT_ID` + `BROKER_CLIENT_SECRET`, or
    /// `BROKER_VCENTER_USERNAME` + `BROKER_VCENTER_PASSWORD` (the secret on
    /// stdin with `--secret-stdin`), and the context for what those leave
    /// open.
    pub fn broker_client(&self) -> Result<BrokerClient, Failure> {
        let context = self.context()?;
        let resolved = resolve_broker(&self.connection, &process_env, context);
        let tenant = resolve_broker_tenant(&self.connection, &process_env, context);
        let auth = resolve_broker_auth(&self.connection, &process_env, context);
        let transport = self.transport(&BROKER, resolved)?;
        let mut builder = BrokerClient::builder(transport.url).config(&transport.tail.config()?);
        if let Some(tenant) = tenant {
            builder = builder.tenant(tenant);
        }
        with_broker_auth(builder, auth, &process_env)?
            .build()
            .map_err(Failure::from)
    }

    /// The OIDC client secret of an identity provider being created or
    /// updated, from `BROKER_IDP_CLIENT_SECRET` (never a flag).
    pub fn broker_idp_client_secret(&self) -> Option<Secret> {
        process_env("BROKER_IDP_CLIENT_SECRET").map(Secret::new)
    }

    /// An Okta client from `--okta-url` and `OKTA_API_TOKEN`: an API token
    /// (sent as `SSWS`), or an OAuth access token when the value starts with
    /// `Bearer `.
    pub fn okta_client(&self) -> Result<OktaClient, Failure> {
        let transport = self.transport(
            &OKTA,
            resolve_server(
                &OKTA,
                &self.connection,
                &process_env,
                self.connection.okta_url.clone(),
                None,
                None,
            ),
        )?;
        let token = process_env("OKTA_API_TOKEN").ok_or_else(|| {
            Failure::usage("no Okta credentials: set OKTA_API_TOKEN (an API token, or `Bearer <access token>`)")
        })?;
        let is_bearer = token
            .trim_start()
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("bearer "));
        let builder = OktaClient::builder(transport.url);
        let builder = if is_bearer {
            builder.access_token(Secret::new(token))
        } else {
            builder.api_token(Secret::new(token))
        };
        builder
            .config(&transport.tail.config()?)
            .build()
            .map_err(Failure::from)
    }

    /// An Entra client from `ENTRA_TENANT_ID`, `ENTRA_CLIENT_ID`,
    /// `ENTRA_CLIENT_SECRET`, and the hosts `ENTRA_LOGIN_URL` (default
    /// the global login host) and `--entra-graph-url` / `ENTRA_GRAPH_URL`
    /// (default the global Graph host).
    pub fn entra_client(&self) -> Result<EntraClient, Failure> {
        let mut resolved = resolve_server(
            &ENTRA,
            &self.connection,
            &process_env,
            self.connection.entra_graph_url.clone(),
            None,
            None,
        );
        resolved.url = resolved
            .url
            .or_else(|| Some(DEFAULT_ENTRA_GRAPH_URL.to_owned()));
        let transport = self.transport(&ENTRA, resolved)?;
        let login_url =
            process_env("ENTRA_LOGIN_URL").unwrap_or_else(|| DEFAULT_ENTRA_LOGIN_URL.to_owned());
        let need = |name: &str| {
            process_env(name).ok_or_else(|| {
                Failure::usage(format!(
                    "no Microsoft Entra credentials: set ENTRA_TENANT_ID, ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET ({name} is missing)"
                ))
            })
        };
        let tenant = need("ENTRA_TENANT_ID")?;
        let client_id = need("ENTRA_CLIENT_ID")?;
        let secret = need("ENTRA_CLIENT_SECRET")?;
        let builder = EntraClient::builder(tenant)
            .login_url(login_url)
            .graph_url(transport.url)
            .client_id(client_id)
            .client_secret(Secret::new(secret));
        builder
            .config(&transport.tail.config()?)
            .build()
            .map_err(Failure::from)
    }

    fn transport(&self, server: &Server, resolved: Resolved) -> Result<Transport, Failure> {
        let url = resolved.url.ok_or_else(|| {
            Failure::usage(format!(
                "no {} URL: pass {}, set {} or use a context (idpctl config)",
                server.name, server.url_flag, server.url_env
            ))
        })?;
        let insecure = resolved.insecure;
        if insecure {
            warn(format_args!(
                "warning: TLS certificate verification is disabled for {} (--insecure / {}); anyone on the path can read the credentials",
                server.name, server.insecure_env
            ));
        }
        let plain_remote = url
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
            && !is_loopback_url(&url);
        if plain_remote && !self.connection.allow_http {
            return Err(Failure::usage(format!(
                "refusing plain http:// to the non-loopback {} host in {}: credentials would travel unencrypted; use https:// or pass --allow-http",
                server.name, server.url_flag
            )));
        }
        if plain_remote {
            warn(format_args!(
                "warning: plain http:// to a non-loopback {} host (--allow-http): credentials and tokens travel unencrypted",
                server.name
            ));
        }
        let ca_pem = resolved.ca_cert.map(|p| read_ca(&p)).transpose()?;
        Ok(Transport {
            url,
            tail: Tail {
                insecure,
                allow_http: self.connection.allow_http,
                ca_pem,
                timeout: self.timeout,
            },
        })
    }
}

fn read_ca(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        Failure::usage(format!(
            "cannot read CA certificate {}: {e}",
            path.display()
        ))
    })
}

/// Adds the login to a VCF client builder (secrets read now).
fn with_vcf_auth(
    builder: VcfClientBuilder,
    auth: Option<VcfAuth>,
    env: Lookup<'_>,
) -> Result<VcfClientBuilder, Failure> {
    match auth {
        Some(VcfAuth::Credentials { username, password }) => {
            let password = password.ok_or_else(|| {
                Failure::usage(
                    "a VCF user name is set (VCF_USERNAME or the context) but no password: set VCF_PASSWORD, pass --secret-stdin, or set the context's vcf-password",
                )
            })?;
            Ok(builder.credentials(username, password.read(env)?))
        }
        Some(VcfAuth::Token(token)) => Ok(builder.bearer_token(token.read(env)?)),
        None => Err(Failure::usage(
            "no VCF credentials: set VCF_TOKEN, or VCF_USERNAME and VCF_PASSWORD, or use a context (idpctl config)",
        )),
    }
}

/// Adds the login to a broker client builder (secrets read now).
fn with_broker_auth(
    builder: BrokerClientBuilder,
    auth: Option<BrokerAuth>,
    env: Lookup<'_>,
) -> Result<BrokerClientBuilder, Failure> {
    let missing = |what: &str, var: &str, field: &str| {
        Failure::usage(format!(
            "a broker {what} is set but no secret: set {var}, pass --secret-stdin, or set the context's {field}"
        ))
    };
    match auth {
        Some(BrokerAuth::OAuthClient { client_id, secret }) => {
            let secret = secret.ok_or_else(|| {
                missing("client id", "BROKER_CLIENT_SECRET", "broker-client-secret")
            })?;
            Ok(builder.oauth_client(client_id, secret.read(env)?))
        }
        Some(BrokerAuth::Vcenter { username, password }) => {
            let password = password.ok_or_else(|| {
                missing(
                    "vCenter user name",
                    "BROKER_VCENTER_PASSWORD",
                    "broker-vcenter-password",
                )
            })?;
            Ok(builder.vcenter_credentials(username, password.read(env)?))
        }
        Some(BrokerAuth::Token(token)) => Ok(builder.bearer_token(token.read(env)?)),
        None => Err(Failure::usage(
            "no broker credentials: set BROKER_TOKEN, or BROKER_CLIENT_ID and BROKER_CLIENT_SECRET, or BROKER_VCENTER_USERNAME and BROKER_VCENTER_PASSWORD, or use a context (idpctl config)",
        )),
    }
}

/// The contexts file, for `context:` targets and brokers of a declarative
/// document.
struct ContextClients {
    file: Result<(PathBuf, ContextsFile), Failure>,
    tail: Tail,
}

impl ContextClients {
    fn context(&self, name: &str) -> Result<&Context, idp_config::Error> {
        let (path, file) = self
            .file
            .as_ref()
            .map_err(|f| idp_config::Error::Usage(f.message.clone()))?;
        file.contexts.get(name).ok_or_else(|| {
            idp_config::Error::Usage(format!(
                "no context `{name}` in {}; see `idpctl config list`",
                path.display()
            ))
        })
    }

    /// The flags' tail with the context's CA file.
    fn tail(&self, name: &str, ca: Option<PathBuf>) -> Result<Tail, idp_config::Error> {
        let mut tail = self.tail.clone();
        if let Some(ca) = ca {
            tail.ca_pem = Some(read_ca(&ca).map_err(|f| in_context(name, &f))?);
        }
        Ok(tail)
    }
}

fn in_context(name: &str, failure: &Failure) -> idp_config::Error {
    idp_config::Error::Usage(format!("context `{name}`: {}", failure.message))
}

// Only the context counts here: the document named it, so neither the
// flags nor the environment are read.
impl idp_config::ContextResolver for ContextClients {
    fn client(&self, name: &str) -> Result<VcfClient, idp_config::Error> {
        let context = self.context(name)?;
        let nothing: Lookup<'_> = &|_| None;
        let flags = ConnectionArgs::default();
        let resolved = resolve_vcf(&flags, nothing, Some(context));
        let url = resolved
            .url
            .ok_or_else(|| idp_config::Error::Usage(format!("context `{name}` has no vcf-url")))?;
        let builder = VcfClient::builder(url).config(&self.tail(name, resolved.ca_cert)?.config()?);
        let auth = resolve_vcf_auth(&flags, nothing, Some(context));
        let builder = with_vcf_auth(builder, auth, nothing).map_err(|f| in_context(name, &f))?;
        Ok(builder.build()?)
    }

    fn broker_client(&self, name: &str) -> Result<BrokerClient, idp_config::Error> {
        let context = self.context(name)?;
        let nothing: Lookup<'_> = &|_| None;
        let flags = ConnectionArgs::default();
        let resolved = resolve_broker(&flags, nothing, Some(context));
        let url = resolved.url.ok_or_else(|| {
            idp_config::Error::Usage(format!("context `{name}` has no broker-url"))
        })?;
        let mut builder =
            BrokerClient::builder(url).config(&self.tail(name, resolved.ca_cert)?.config()?);
        if let Some(tenant) = resolve_broker_tenant(&flags, nothing, Some(context)) {
            builder = builder.tenant(tenant);
        }
        let auth = resolve_broker_auth(&flags, nothing, Some(context));
        let builder = with_broker_auth(builder, auth, nothing).map_err(|f| in_context(name, &f))?;
        Ok(builder.build()?)
    }
}

/// A `warning:` line on stderr; a closed stderr is not a reason to panic.
fn warn(message: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// Whether an http:// URL names a loopback host.
fn is_loopback_url(url: &str) -> bool {
    // The caller has checked the (case-insensitive) `http://` prefix.
    let rest = url.get("http://".len()..).unwrap_or_default();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .unwrap_or_default()
            .trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The first line of stdin, as a secret.
fn read_secret_line() -> Result<Secret, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the secret from stdin: {e}")))?;
    let secret = line.trim_end_matches(['\r', '\n']);
    if secret.is_empty() {
        return Err(Failure::usage("--secret-stdin: stdin is empty"));
    }
    Ok(Secret::new(secret))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::HashMap;
    use std::path::PathBuf;

    use idp_config::SecretRef;

    use super::{
        BrokerAuth, ConnectionArgs, Context, ContextsFile, SecretSource, VcfAuth, is_loopback_url,
        resolve_broker, resolve_broker_auth, resolve_broker_tenant, resolve_unleash,
        resolve_unleash_token, resolve_vcf, resolve_vcf_auth, select_context,
    };

    /// Environment variables, a `--secret-stdin` flag, a context, and what
    /// they resolve to.
    type Case<T> = (
        &'static [(&'static str, &'static str)],
        bool,
        Option<Context>,
        Option<T>,
    );

    /// `--context`, `IDPCTL_CONTEXT`, the file, and the context selected.
    type Selection<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        &'a ContextsFile,
        Option<&'a str>,
    );

    /// One layer value per column: flag, environment, context; `None` when
    /// that layer does not set the field.
    type Row = (
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    /// Which layer wins for every combination of set and unset layers.
    const PRECEDENCE: &[(Row, Option<&str>)] = &[
        ((None, None, None), None),
        ((None, None, Some("ctx")), Some("ctx")),
        ((None, Some("env"), None), Some("env")),
        ((None, Some("env"), Some("ctx")), Some("env")),
        ((Some("flag"), None, None), Some("flag")),
        ((Some("flag"), None, Some("ctx")), Some("flag")),
        ((Some("flag"), Some("env"), None), Some("flag")),
        ((Some("flag"), Some("env"), Some("ctx")), Some("flag")),
        // An empty value is no value.
        ((Some(""), Some("env"), Some("ctx")), Some("env")),
    ];

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).filter(|v| !v.is_empty()).cloned()
    }

    #[test]
    fn vcf_url_flag_then_env_then_context() {
        for ((flag, env, ctx), expected) in PRECEDENCE {
            let flags = ConnectionArgs {
                vcf_url: flag.map(str::to_owned),
                ..ConnectionArgs::default()
            };
            let env = lookup(&env.map(|v| ("VCF_URL", v)).into_iter().collect::<Vec<_>>());
            let context = ctx.map(|c| Context {
                vcf_url: Some(c.to_owned()),
                ..Context::default()
            });
            let got = resolve_vcf(&flags, &env, context.as_ref()).url;
            assert_eq!(got.as_deref(), *expected, "{flag:?} {ctx:?}");
        }
    }

    #[test]
    fn unleash_url_flag_then_env_then_context() {
        for ((flag, env, ctx), expected) in PRECEDENCE {
            let flags = ConnectionArgs {
                unleash_url: flag.map(str::to_owned),
                ..ConnectionArgs::default()
            };
            let env = lookup(
                &env.map(|v| ("UNLEASH_URL", v))
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
            let context = ctx.map(|c| Context {
                unleash_url: Some(c.to_owned()),
                ..Context::default()
            });
            let got = resolve_unleash(&flags, &env, context.as_ref()).url;
            assert_eq!(got.as_deref(), *expected, "{flag:?} {ctx:?}");
        }
    }

    #[test]
    fn ca_cert_flag_then_env_then_context_for_each_server() {
        for ((flag, env, ctx), expected) in
            PRECEDENCE.iter().filter(|((f, _, _), _)| *f != Some(""))
        {
            let flags = ConnectionArgs {
                ca_cert: flag.map(PathBuf::from),
                ..ConnectionArgs::default()
            };
            let context = ctx.map(|c| Context {
                ca_cert: Some(PathBuf::from(c)),
                ..Context::default()
            });
            let expected = expected.map(PathBuf::from);
            let vcf_env = lookup(
                &env.map(|v| ("VCF_CA_CERT", v))
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
            assert_eq!(
                resolve_vcf(&flags, &vcf_env, context.as_ref()).ca_cert,
                expected
            );
            let unleash_env = lookup(
                &env.map(|v| ("UNLEASH_CA_CERT", v))
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
            assert_eq!(
                resolve_unleash(&flags, &unleash_env, context.as_ref()).ca_cert,
                expected
            );
            // One server's variable is not the other's.
            assert_eq!(
                resolve_unleash(&flags, &vcf_env, context.as_ref())
                    .ca_cert
                    .is_some(),
                flag.is_some() || ctx.is_some()
            );
        }
    }

    #[test]
    fn insecure_comes_from_the_flag_or_the_environment_never_the_context() {
        for (flag, env, expected) in [
            (false, None, false),
            (false, Some("1"), true),
            (false, Some("yes"), true),
            (false, Some("0"), false),
            (true, None, true),
        ] {
            let flags = ConnectionArgs {
                insecure: flag,
                ..ConnectionArgs::default()
            };
            let env = lookup(
                &env.map(|v| ("VCF_INSECURE", v))
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
            assert_eq!(
                resolve_vcf(&flags, &env, Some(&Context::default())).insecure,
                expected
            );
        }
    }

    fn context_with_user() -> Context {
        Context {
            vcf_username: Some("ctx-user".to_owned()),
            vcf_password: Some(SecretRef::parse("env:CTX_PW")),
            vcf_token: Some(SecretRef::parse("file:/ctx/token")),
            unleash_api_token: Some(SecretRef::parse("file:/ctx/unleash")),
            ..Context::default()
        }
    }

    #[test]
    fn vcf_login_environment_then_context() {
        let ctx_password = || {
            Some(SecretSource::Context(
                "vcf-password",
                SecretRef::parse("env:CTX_PW"),
            ))
        };
        let user = |name: &str, password| VcfAuth::Credentials {
            username: name.to_owned(),
            password,
        };
        let token_only = Context {
            vcf_token: Some(SecretRef::parse("file:/ctx/token")),
            ..Context::default()
        };
        let cases: Vec<Case<VcfAuth>> = vec![
            (&[], false, None, None),
            (
                &[],
                false,
                Some(context_with_user()),
                Some(user("ctx-user", ctx_password())),
            ),
            (
                &[],
                false,
                Some(token_only),
                Some(VcfAuth::Token(SecretSource::Context(
                    "vcf-token",
                    SecretRef::parse("file:/ctx/token"),
                ))),
            ),
            // The environment's user wins, with the context's password when it has none.
            (
                &[("VCF_USERNAME", "env-user")],
                false,
                Some(context_with_user()),
                Some(user("env-user", ctx_password())),
            ),
            (
                &[("VCF_USERNAME", "env-user"), ("VCF_PASSWORD", "p")],
                false,
                Some(context_with_user()),
                Some(user("env-user", Some(SecretSource::Env("VCF_PASSWORD")))),
            ),
            // The environment's token wins over the context's user.
            (
                &[("VCF_TOKEN", "t")],
                false,
                Some(context_with_user()),
                Some(VcfAuth::Token(SecretSource::Env("VCF_TOKEN"))),
            ),
            // A password from the environment for the context's user.
            (
                &[("VCF_PASSWORD", "p")],
                false,
                Some(context_with_user()),
                Some(user("ctx-user", Some(SecretSource::Env("VCF_PASSWORD")))),
            ),
            // --secret-stdin (a flag) beats both.
            (
                &[("VCF_PASSWORD", "p")],
                true,
                Some(context_with_user()),
                Some(user("ctx-user", Some(SecretSource::Stdin))),
            ),
            (
                &[("VCF_USERNAME", "env-user")],
                false,
                None,
                Some(user("env-user", None)),
            ),
        ];
        for (vars, stdin, context, expected) in cases {
            let flags = ConnectionArgs {
                secret_stdin: stdin,
                ..ConnectionArgs::default()
            };
            let got = resolve_vcf_auth(&flags, &lookup(vars), context.as_ref());
            assert_eq!(got, expected, "{vars:?} stdin={stdin} {context:?}");
        }
    }

    #[test]
    fn broker_url_tenant_and_ca_flag_then_env_then_context() {
        for ((flag, env, ctx), expected) in PRECEDENCE {
            let flags = ConnectionArgs {
                broker_url: flag.map(str::to_owned),
                broker_tenant: flag.map(str::to_owned),
                ..ConnectionArgs::default()
            };
            let context = ctx.map(|c| Context {
                broker_url: Some(c.to_owned()),
                broker_tenant: Some(c.to_owned()),
                ..Context::default()
            });
            let url_env = lookup(
                &env.map(|v| ("BROKER_URL", v))
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
            let got = resolve_broker(&flags, &url_env, context.as_ref()).url;
            assert_eq!(got.as_deref(), *expected, "url {flag:?} {env:?} {ctx:?}");
            let tenant_env = lookup(
                &env.map(|v| ("BROKER_TENANT", v))
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
            let got = resolve_broker_tenant(&flags, &tenant_env, context.as_ref());
            assert_eq!(got.as_deref(), *expected, "tenant {flag:?} {env:?} {ctx:?}");
            // Another server's variable is not the broker's.
            let vcf_env = lookup(&env.map(|v| ("VCF_URL", v)).into_iter().collect::<Vec<_>>());
            assert_eq!(
                resolve_broker(&flags, &vcf_env, context.as_ref())
                    .url
                    .is_some(),
                flag.is_some_and(|f| !f.is_empty()) || ctx.is_some()
            );
        }
        // The CA file: --ca-cert > BROKER_CA_CERT > broker-ca-cert > ca-cert.
        let both = Context {
            ca_cert: Some(PathBuf::from("/ctx/shared.pem")),
            broker_ca_cert: Some(PathBuf::from("/ctx/broker.pem")),
            ..Context::default()
        };
        let shared = Context {
            ca_cert: Some(PathBuf::from("/ctx/shared.pem")),
            ..Context::default()
        };
        let flag = ConnectionArgs {
            ca_cert: Some(PathBuf::from("/flag.pem")),
            ..ConnectionArgs::default()
        };
        let none = ConnectionArgs::default();
        let env = lookup(&[("BROKER_CA_CERT", "/env.pem")]);
        let empty = lookup(&[]);
        for (flags, env, context, expected) in [
            (&flag, &env, Some(&both), Some("/flag.pem")),
            (&none, &env, Some(&both), Some("/env.pem")),
            (&none, &empty, Some(&both), Some("/ctx/broker.pem")),
            (&none, &empty, Some(&shared), Some("/ctx/shared.pem")),
            (&none, &empty, None, None),
        ] {
            assert_eq!(
                resolve_broker(flags, env, context).ca_cert,
                expected.map(PathBuf::from)
            );
        }
    }

    #[test]
    fn broker_login_environment_then_context() {
        let reference = |field: &'static str, text: &str| {
            Some(SecretSource::Context(field, SecretRef::parse(text)))
        };
        let oauth = Context {
            broker_client_id: Some("ctx-client".to_owned()),
            broker_client_secret: Some(SecretRef::parse("env:CTX_SECRET")),
            ..Context::default()
        };
        let vcenter = Context {
            broker_vcenter_username: Some("ctx-user".to_owned()),
            broker_vcenter_password: Some(SecretRef::parse("file:/ctx/pw")),
            ..Context::default()
        };
        let token = Context {
            broker_token: Some(SecretRef::parse("env:CTX_TOKEN")),
            ..Context::default()
        };
        let client = |id: &str, secret| BrokerAuth::OAuthClient {
            client_id: id.to_owned(),
            secret,
        };
        let user = |name: &str, password| BrokerAuth::Vcenter {
            username: name.to_owned(),
            password,
        };
        let cases: Vec<Case<BrokerAuth>> = vec![
            (&[], false, None, None),
            (&[], false, Some(Context::default()), None),
            (
                &[],
                false,
                Some(oauth.clone()),
                Some(client(
                    "ctx-client",
                    reference("broker-client-secret", "env:CTX_SECRET"),
                )),
            ),
            (
                &[],
                false,
                Some(vcenter.clone()),
                Some(user(
                    "ctx-user",
                    reference("broker-vcenter-password", "file:/ctx/pw"),
                )),
            ),
            (
                &[],
                false,
                Some(token.clone()),
                Some(BrokerAuth::Token(SecretSource::Context(
                    "broker-token",
                    SecretRef::parse("env:CTX_TOKEN"),
                ))),
            ),
            // The environment's credentials win over the context's.
            (
                &[
                    ("BROKER_CLIENT_ID", "env-client"),
                    ("BROKER_CLIENT_SECRET", "s"),
                ],
                false,
                Some(vcenter.clone()),
                Some(client(
                    "env-client",
                    Some(SecretSource::Env("BROKER_CLIENT_SECRET")),
                )),
            ),
            (
                &[("BROKER_TOKEN", "t")],
                false,
                Some(oauth.clone()),
                Some(BrokerAuth::Token(SecretSource::Env("BROKER_TOKEN"))),
            ),
            // The environment's user with the context's password.
            (
                &[("BROKER_VCENTER_USERNAME", "env-user")],
                false,
                Some(vcenter.clone()),
                Some(user(
                    "env-user",
                    reference("broker-vcenter-password", "file:/ctx/pw"),
                )),
            ),
            // A secret from the environment for the context's client.
            (
                &[("BROKER_CLIENT_SECRET", "s")],
                false,
                Some(oauth.clone()),
                Some(client(
                    "ctx-client",
                    Some(SecretSource::Env("BROKER_CLIENT_SECRET")),
                )),
            ),
            // --secret-stdin (a flag) beats both.
            (
                &[("BROKER_CLIENT_SECRET", "s")],
                true,
                Some(oauth),
                Some(client("ctx-client", Some(SecretSource::Stdin))),
            ),
            (
                &[("BROKER_VCENTER_USERNAME", "env-user")],
                false,
                None,
                Some(user("env-user", None)),
            ),
        ];
        for (vars, stdin, context, expected) in cases {
            let flags = ConnectionArgs {
                secret_stdin: stdin,
                ..ConnectionArgs::default()
            };
            let got = resolve_broker_auth(&flags, &lookup(vars), context.as_ref());
            assert_eq!(got, expected, "{vars:?} stdin={stdin} {context:?}");
        }
    }

    #[test]
    fn unleash_token_flag_then_environment_then_context() {
        let ctx = Some(SecretSource::Context(
            "unleash-api-token",
            SecretRef::parse("file:/ctx/unleash"),
        ));
        let cases: Vec<Case<SecretSource>> = vec![
            (&[], false, None, None),
            (&[], false, Some(context_with_user()), ctx),
            (
                &[("UNLEASH_API_TOKEN", "k")],
                false,
                Some(context_with_user()),
                Some(SecretSource::Env("UNLEASH_API_TOKEN")),
            ),
            (
                &[("UNLEASH_API_TOKEN", "k")],
                true,
                Some(context_with_user()),
                Some(SecretSource::Stdin),
            ),
        ];
        for (vars, stdin, context, expected) in cases {
            let flags = ConnectionArgs {
                secret_stdin: stdin,
                ..ConnectionArgs::default()
            };
            assert_eq!(
                resolve_unleash_token(&flags, &lookup(vars), context.as_ref()),
                expected
            );
        }
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        for (terminal, no_color, expected) in [
            (true, None, true),
            (true, Some("1"), false),
            (true, Some(""), true),
            (false, None, false),
            (false, Some("1"), false),
        ] {
            let env = lookup(
                &no_color
                    .map(|v| ("NO_COLOR", v))
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
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
            let env = lookup(
                &env.map(|v| ("IDPCTL_CONTEXT", v))
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
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

    #[test]
    fn recognizes_loopback_hosts() {
        assert!(is_loopback_url("http://127.0.0.1:8080/x"));
        assert!(is_loopback_url("http://localhost/unleash"));
        assert!(is_loopback_url("http://[::1]:9/"));
        assert!(!is_loopback_url("http://sddc.example.com"));
        assert!(!is_loopback_url("http://127.0.0.1.evil.example/"));
    }
}
