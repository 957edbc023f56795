//! VCF Operations (VCF 9.1 fleet identity): `--ops-url`, the `OPS_*`
//! variables and the context's `[ops]` table.

use clap::Args;
use idp_client::vcf_ops::{Client as OpsClient, ClientBuilder as OpsClientBuilder};
use idp_config::connection::OpsCredentials;

use super::precedence::{Given, Lookup, Precedence};
use super::secret::SecretSource;
use super::transport::{Resolved, Server, resolve_server};
use super::{Layers, Settings, own_or_early};
use crate::failure::Failure;

/// Where VCF Operations is; the login comes from the environment or the
/// context.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "VCF Operations connection")]
pub struct OpsConnection {
    /// VCF Operations base URL (before /suite-api), e.g.
    /// https://ops.example.com [env: OPS_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub ops_url: Option<String>,
}

pub(super) const SERVER: Server = Server {
    name: "VCF Operations",
    url_flag: "--ops-url",
    url_env: "OPS_URL",
    ca_env: "OPS_CA_CERT",
    insecure_env: "OPS_INSECURE",
    default_url: None,
};

/// How to log in, resolved.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum OpsAuth {
    /// `POST /suite-api/api/auth/token/acquire`, then `OpsToken`.
    Credentials {
        username: String,
        password: Option<SecretSource>,
        auth_source: Option<String>,
    },
    /// A VCF single sign-on access token, sent as `Bearer`.
    Token(SecretSource),
}

/// The login one layer gives.
enum Login {
    User(String),
    Token(SecretSource),
}

impl Given for Login {
    fn is_given(&self) -> bool {
        !matches!(self, Self::User(name) if name.is_empty())
    }
}

/// The URL: `url` (the flag) > `OPS_URL` > the context's `ops.url`; the
/// CA: `--ca-cert` > `OPS_CA_CERT` > `ops.ca-cert` > the context's
/// `ca-cert`; `--insecure` or `OPS_INSECURE`.
pub(super) fn resolve(url: Option<String>, layers: &Layers<'_>) -> Resolved {
    let table = layers.context.and_then(|c| c.ops.as_ref());
    resolve_server(
        &SERVER,
        layers,
        url,
        table.and_then(|t| t.endpoint.url.clone()),
        layers
            .context
            .and_then(|c| c.ca_for(table.map(|t| &t.endpoint))),
    )
}

/// The login: the environment's (`OPS_USERNAME`, else `OPS_TOKEN`) over
/// the context's (its user or its token); a password comes from
/// `--secret-stdin` > `OPS_PASSWORD` > the context's `ops.password`, the
/// authentication source from `OPS_AUTH_SOURCE` > `ops.auth-source`.
pub(super) fn resolve_auth(layers: &Layers<'_>) -> Option<OpsAuth> {
    let env = layers.env;
    let (context, password, auth_source) = match layers
        .context
        .and_then(|c| c.ops.as_ref())
        .and_then(|o| o.credentials.as_ref())
    {
        Some(OpsCredentials::Password {
            username,
            password,
            auth_source,
        }) => (
            username.clone().map(Login::User),
            password.as_ref(),
            auth_source.clone(),
        ),
        Some(OpsCredentials::Token(token)) => (
            Some(Login::Token(SecretSource::Context(
                "ops.token",
                token.clone(),
            ))),
            None,
            None,
        ),
        _ => (None, None, None),
    };
    let login = Precedence {
        env: env("OPS_USERNAME")
            .map(Login::User)
            .or_else(|| SecretSource::env(env, "OPS_TOKEN").map(Login::Token)),
        context,
        ..Precedence::default()
    }
    .resolve()?;
    Some(match login {
        Login::User(username) => OpsAuth::Credentials {
            username,
            password: Precedence {
                flag: SecretSource::stdin(layers.global.secret_stdin),
                env: SecretSource::env(env, "OPS_PASSWORD"),
                context: SecretSource::context("ops.password", password),
                default: None,
            }
            .resolve(),
            auth_source: Precedence {
                env: env("OPS_AUTH_SOURCE"),
                context: auth_source,
                ..Precedence::default()
            }
            .resolve(),
        },
        Login::Token(token) => OpsAuth::Token(token),
    })
}

/// Adds the login to a VCF Operations client builder (secrets read now).
pub(super) fn with_auth(
    builder: OpsClientBuilder,
    auth: Option<OpsAuth>,
    env: Lookup<'_>,
) -> Result<OpsClientBuilder, Failure> {
    match auth {
        Some(OpsAuth::Credentials {
            username,
            password,
            auth_source,
        }) => {
            let password = password.ok_or_else(|| {
                Failure::usage(
                    "a VCF Operations user name is set (OPS_USERNAME or the context) but no password: set OPS_PASSWORD, pass --secret-stdin, or set the context's ops.password",
                )
            })?;
            let mut builder = builder.credentials(username, password.read(env)?);
            if let Some(source) = auth_source {
                builder = builder.auth_source(source);
            }
            Ok(builder)
        }
        Some(OpsAuth::Token(token)) => Ok(builder.bearer_token(token.read(env)?)),
        None => Err(Failure::usage(
            "no VCF Operations credentials: set OPS_TOKEN, or OPS_USERNAME and OPS_PASSWORD, or use a context (idpctl config)",
        )),
    }
}

/// VCF Operations' settings for one command: its `--ops-url` over the
/// run's layers, and the clients built from them (to release their
/// `OpsToken`s when the command ends).
#[derive(Debug)]
pub struct OpsSettings<'a> {
    settings: &'a Settings,
    flags: &'a OpsConnection,
    built: std::sync::Mutex<Vec<OpsClient>>,
}

impl Settings {
    /// VCF Operations' settings with the command's `flags`.
    pub fn ops<'a>(&'a self, flags: &'a OpsConnection) -> OpsSettings<'a> {
        OpsSettings {
            settings: self,
            flags,
            built: std::sync::Mutex::default(),
        }
    }
}

impl OpsSettings<'_> {
    fn url_flag(&self) -> Option<String> {
        own_or_early(
            self.flags.ops_url.as_ref(),
            self.settings.early.ops_url.as_ref(),
        )
    }

    /// Whether a URL is given (flag, environment or context).
    pub fn has_url(&self) -> bool {
        resolve(self.url_flag(), &self.settings.layers_or_none())
            .url
            .is_some()
    }

    /// A client from the URL, `OPS_TOKEN` or `OPS_USERNAME` +
    /// `OPS_PASSWORD` (+ `OPS_AUTH_SOURCE`; or the password on stdin with
    /// `--secret-stdin`), and the context for what those leave open.
    pub fn client(&self) -> Result<OpsClient, Failure> {
        let layers = self.settings.layers()?;
        let resolved = resolve(self.url_flag(), &layers);
        let auth = resolve_auth(&layers);
        let transport = self.settings.transport(&SERVER, resolved)?;
        let builder = OpsClient::builder(transport.url).config(&transport.tail.config()?);
        let client = with_auth(builder, auth, layers.env)?
            .build()
            .map_err(Failure::from)?;
        if let Ok(mut built) = self.built.lock() {
            built.push(client.clone());
        }
        Ok(client)
    }

    /// Releases the `OpsToken` of every client built (a failed release is
    /// logged: the token lapses on its own).
    pub async fn close(&self) {
        let built = self
            .built
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default();
        for client in built {
            if let Err(error) = client.close().await {
                tracing::debug!(error = %error, "releasing the OpsToken failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use idp_config::connection::{Endpoint, Ops, OpsCredentials};
    use idp_config::{PemRef, SecretRef};

    use super::super::precedence::tests::{PRECEDENCE, lookup, one_var};
    use super::super::{Context, GlobalConnection, Layers};
    use super::{OpsAuth, resolve, resolve_auth};
    use crate::settings::secret::SecretSource;

    /// Environment variables, a `--secret-stdin` flag, a context, and what
    /// they resolve to.
    type Case = (
        &'static [(&'static str, &'static str)],
        bool,
        Option<Context>,
        Option<OpsAuth>,
    );

    fn with_ops(ops: Ops) -> Context {
        Context {
            ops: Some(ops),
            ..Context::default()
        }
    }

    #[test]
    fn url_flag_then_env_then_context() {
        for ((flag, env, ctx), expected) in PRECEDENCE {
            let env = one_var("OPS_URL", *env);
            let context = ctx.map(|c| with_ops(Ops::new(Endpoint::new(c), None)));
            let layers = Layers {
                global: &GlobalConnection::default(),
                env: &env,
                context: context.as_ref(),
            };
            let got = resolve(flag.map(str::to_owned), &layers).url;
            assert_eq!(got.as_deref(), *expected, "{flag:?} {ctx:?}");
        }
    }

    #[test]
    fn ca_cert_variable_and_insecure_are_this_apis_own() {
        let env = lookup(&[("OPS_CA_CERT", "/ops.pem"), ("VCF_INSECURE", "1")]);
        let layers = Layers {
            global: &GlobalConnection::default(),
            env: &env,
            context: None,
        };
        let got = resolve(None, &layers);
        assert_eq!(got.ca_cert, Some(PemRef::file("/ops.pem")));
        assert!(!got.insecure, "another API's variable is not this one's");
        let env = lookup(&[("OPS_INSECURE", "yes")]);
        let layers = Layers {
            global: &GlobalConnection::default(),
            env: &env,
            context: None,
        };
        assert!(resolve(None, &layers).insecure);
    }

    fn user_context() -> Context {
        with_ops(Ops::new(
            Endpoint::default(),
            Some(OpsCredentials::Password {
                username: Some("ctx-user".to_owned()),
                password: Some(SecretRef::parse("env:CTX_PW")),
                auth_source: Some("ctx-ldap".to_owned()),
            }),
        ))
    }

    #[test]
    fn login_environment_then_context() {
        let ctx_password = || {
            Some(SecretSource::Context(
                "ops.password",
                SecretRef::parse("env:CTX_PW"),
            ))
        };
        let user = |name: &str, password, source: Option<&str>| OpsAuth::Credentials {
            username: name.to_owned(),
            password,
            auth_source: source.map(str::to_owned),
        };
        let token_only = with_ops(Ops::new(
            Endpoint::default(),
            Some(OpsCredentials::Token(SecretRef::parse("file:/ctx/token"))),
        ));
        let cases: Vec<Case> = vec![
            (&[], false, None, None),
            (
                &[],
                false,
                Some(user_context()),
                Some(user("ctx-user", ctx_password(), Some("ctx-ldap"))),
            ),
            (
                &[],
                false,
                Some(token_only.clone()),
                Some(OpsAuth::Token(SecretSource::Context(
                    "ops.token",
                    SecretRef::parse("file:/ctx/token"),
                ))),
            ),
            // The environment's user wins, with the context's password and
            // source when it has none.
            (
                &[("OPS_USERNAME", "env-user")],
                false,
                Some(user_context()),
                Some(user("env-user", ctx_password(), Some("ctx-ldap"))),
            ),
            (
                &[
                    ("OPS_USERNAME", "env-user"),
                    ("OPS_PASSWORD", "p"),
                    ("OPS_AUTH_SOURCE", "env-ldap"),
                ],
                false,
                Some(user_context()),
                Some(user(
                    "env-user",
                    Some(SecretSource::Env("OPS_PASSWORD")),
                    Some("env-ldap"),
                )),
            ),
            // The environment's token wins over the context's user.
            (
                &[("OPS_TOKEN", "t")],
                false,
                Some(user_context()),
                Some(OpsAuth::Token(SecretSource::Env("OPS_TOKEN"))),
            ),
            // The environment's user over the context's token, no password.
            (
                &[("OPS_USERNAME", "env-user")],
                false,
                Some(token_only),
                Some(user("env-user", None, None)),
            ),
            // --secret-stdin (a flag) beats both.
            (
                &[("OPS_PASSWORD", "p")],
                true,
                Some(user_context()),
                Some(user(
                    "ctx-user",
                    Some(SecretSource::Stdin),
                    Some("ctx-ldap"),
                )),
            ),
            // A user over a token, both in the environment.
            (
                &[("OPS_USERNAME", "env-user"), ("OPS_TOKEN", "t")],
                false,
                None,
                Some(user("env-user", None, None)),
            ),
        ];
        for (vars, stdin, context, expected) in cases {
            let global = GlobalConnection {
                secret_stdin: stdin,
                ..GlobalConnection::default()
            };
            let env = lookup(vars);
            let layers = Layers {
                global: &global,
                env: &env,
                context: context.as_ref(),
            };
            assert_eq!(
                resolve_auth(&layers),
                expected,
                "{vars:?} stdin={stdin} {context:?}"
            );
        }
    }
}
