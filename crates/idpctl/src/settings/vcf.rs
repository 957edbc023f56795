//! SDDC Manager: `--vcf-url`, the `VCF_*` variables and the context's
//! `[vcf]` table.

use clap::Args;
use idp_client::{VcfClient, VcfClientBuilder};
use idp_config::connection::VcfCredentials;

use super::precedence::{Given, Lookup, Precedence};
use super::secret::SecretSource;
use super::transport::{Resolved, Server, resolve_server};
use super::{Layers, Settings, own_or_early};
use crate::failure::Failure;

/// Where SDDC Manager is; the login comes from the environment or the
/// context.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "VCF connection")]
pub struct VcfConnection {
    /// SDDC Manager base URL, e.g. https://sddc.example.com [env: VCF_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub vcf_url: Option<String>,
}

pub(super) const SERVER: Server = Server {
    name: "VCF",
    url_flag: "--vcf-url",
    url_env: "VCF_URL",
    ca_env: "VCF_CA_CERT",
    insecure_env: "VCF_INSECURE",
    default_url: None,
};

/// How to log in, resolved.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum VcfAuth {
    Credentials {
        username: String,
        password: Option<SecretSource>,
    },
    Token(SecretSource),
    ApiKey(SecretSource),
}

/// The login one layer gives.
enum Login {
    User(String),
    Token(SecretSource),
    ApiKey(SecretSource),
}

impl Given for Login {
    fn is_given(&self) -> bool {
        !matches!(self, Self::User(name) if name.is_empty())
    }
}

/// The URL: `url` (the flag) > `VCF_URL` > the context's `vcf.url`; the
/// CA: `--ca-cert` > `VCF_CA_CERT` > `vcf.ca-cert` > the context's
/// `ca-cert`; `--insecure` or `VCF_INSECURE`.
pub(super) fn resolve(url: Option<String>, layers: &Layers<'_>) -> Resolved {
    let table = layers.context.and_then(|c| c.vcf.as_ref());
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

/// The login: the environment's (`VCF_USERNAME`, else `VCF_API_KEY`, else
/// `VCF_TOKEN`) over the context's (its user, its API key or its token),
/// whatever kind each is; a password comes from `--secret-stdin` >
/// `VCF_PASSWORD` > the context's `vcf.password`.
pub(super) fn resolve_auth(layers: &Layers<'_>) -> Option<VcfAuth> {
    let env = layers.env;
    let (context, password) = match layers
        .context
        .and_then(|c| c.vcf.as_ref())
        .and_then(|v| v.credentials.as_ref())
    {
        Some(VcfCredentials::Password { username, password }) => {
            (username.clone().map(Login::User), password.as_ref())
        }
        Some(VcfCredentials::Token(token)) => (
            Some(Login::Token(SecretSource::Context(
                "vcf.token",
                token.clone(),
            ))),
            None,
        ),
        Some(VcfCredentials::ApiKey(key)) => (
            Some(Login::ApiKey(SecretSource::Context(
                "vcf.api-key",
                key.clone(),
            ))),
            None,
        ),
        _ => (None, None),
    };
    let login = Precedence {
        env: env("VCF_USERNAME")
            .map(Login::User)
            .or_else(|| SecretSource::env(env, "VCF_API_KEY").map(Login::ApiKey))
            .or_else(|| SecretSource::env(env, "VCF_TOKEN").map(Login::Token)),
        context,
        ..Precedence::default()
    }
    .resolve()?;
    Some(match login {
        Login::User(username) => VcfAuth::Credentials {
            username,
            password: Precedence {
                flag: SecretSource::stdin(layers.global.secret_stdin),
                env: SecretSource::env(env, "VCF_PASSWORD"),
                context: SecretSource::context("vcf.password", password),
                default: None,
            }
            .resolve(),
        },
        Login::Token(token) => VcfAuth::Token(token),
        Login::ApiKey(key) => VcfAuth::ApiKey(key),
    })
}

/// Adds the login to a VCF client builder (secrets read now).
pub(super) fn with_auth(
    builder: VcfClientBuilder,
    auth: Option<VcfAuth>,
    env: Lookup<'_>,
) -> Result<VcfClientBuilder, Failure> {
    match auth {
        Some(VcfAuth::Credentials { username, password }) => {
            let password = password.ok_or_else(|| {
                Failure::usage(
                    "a VCF user name is set (VCF_USERNAME or the context) but no password: set VCF_PASSWORD, pass --secret-stdin, or set the context's vcf.password",
                )
            })?;
            Ok(builder.credentials(username, password.read(env)?))
        }
        Some(VcfAuth::Token(token)) => Ok(builder.bearer_token(token.read(env)?)),
        Some(VcfAuth::ApiKey(key)) => Ok(builder.api_key(key.read(env)?)),
        None => Err(Failure::usage(
            "no VCF credentials: set VCF_TOKEN, VCF_API_KEY, or VCF_USERNAME and VCF_PASSWORD, or use a context (idpctl config)",
        )),
    }
}

/// SDDC Manager's settings for one command: its `--vcf-url` over the
/// run's layers.
#[derive(Debug)]
pub struct VcfSettings<'a> {
    settings: &'a Settings,
    flags: &'a VcfConnection,
}

impl Settings {
    /// SDDC Manager's settings with the command's `flags`.
    pub fn vcf<'a>(&'a self, flags: &'a VcfConnection) -> VcfSettings<'a> {
        VcfSettings {
            settings: self,
            flags,
        }
    }
}

impl VcfSettings<'_> {
    fn url_flag(&self) -> Option<String> {
        own_or_early(
            self.flags.vcf_url.as_ref(),
            self.settings.early.vcf_url.as_ref(),
        )
    }

    /// Whether a URL is given (flag, environment or context).
    pub fn has_url(&self) -> bool {
        resolve(self.url_flag(), &self.settings.layers_or_none())
            .url
            .is_some()
    }

    /// A client from the URL, `VCF_TOKEN`, `VCF_API_KEY` or `VCF_USERNAME` +
    /// `VCF_PASSWORD` (or the password on stdin with `--secret-stdin`), and
    /// the context for what those leave open.
    pub fn client(&self) -> Result<VcfClient, Failure> {
        let layers = self.settings.layers()?;
        let resolved = resolve(self.url_flag(), &layers);
        let auth = resolve_auth(&layers);
        let transport = self.settings.transport(&SERVER, resolved)?;
        let builder = VcfClient::builder(transport.url).config(&transport.tail.config()?);
        with_auth(builder, auth, layers.env)?
            .build()
            .map_err(Failure::from)
    }
}

#[cfg(test)]
mod tests {
    use idp_config::connection::{Endpoint, Vcf, VcfCredentials};
    use idp_config::{PemRef, SecretRef};

    use super::super::precedence::tests::{PRECEDENCE, lookup, one_var};
    use super::super::{Context, GlobalConnection, Layers};
    use super::{VcfAuth, resolve, resolve_auth};
    use crate::settings::secret::SecretSource;

    /// Environment variables, a `--secret-stdin` flag, a context, and what
    /// they resolve to.
    type Case = (
        &'static [(&'static str, &'static str)],
        bool,
        Option<Context>,
        Option<VcfAuth>,
    );

    fn with_vcf(vcf: Vcf) -> Context {
        Context {
            vcf: Some(vcf),
            ..Context::default()
        }
    }

    #[test]
    fn url_flag_then_env_then_context() {
        for ((flag, env, ctx), expected) in PRECEDENCE {
            let env = one_var("VCF_URL", *env);
            let context = ctx.map(|c| with_vcf(Vcf::new(Endpoint::new(c), None)));
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
    fn ca_cert_flag_then_env_then_table_then_context() {
        for ((flag, env, ctx), expected) in
            PRECEDENCE.iter().filter(|((f, _, _), _)| *f != Some(""))
        {
            let global = GlobalConnection {
                ca_cert: flag.map(Into::into),
                ..GlobalConnection::default()
            };
            let context = ctx.map(|c| Context {
                ca_cert: Some(c.into()),
                ..Context::default()
            });
            for (var, counts) in [("VCF_CA_CERT", true), ("UNLEASH_CA_CERT", false)] {
                let lookup = one_var(var, *env);
                let layers = Layers {
                    global: &global,
                    env: &lookup,
                    context: context.as_ref(),
                };
                let got = resolve(None, &layers).ca_cert;
                let expected = if counts {
                    expected.map(PemRef::file)
                } else {
                    // Another API's variable is not this one's.
                    flag.or(*ctx).map(PemRef::file)
                };
                assert_eq!(got, expected, "{var} {flag:?} {env:?} {ctx:?}");
            }
        }
        // The table's own CA file before the context's.
        let mut endpoint = Endpoint::default();
        endpoint.ca_cert = Some(PemRef::file("/vcf.pem"));
        let context = Context {
            ca_cert: Some("/shared.pem".into()),
            ..with_vcf(Vcf::new(endpoint, None))
        };
        let layers = Layers {
            global: &GlobalConnection::default(),
            env: &lookup(&[]),
            context: Some(&context),
        };
        assert_eq!(
            resolve(None, &layers).ca_cert,
            Some(PemRef::file("/vcf.pem"))
        );
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
            let global = GlobalConnection {
                insecure: flag,
                ..GlobalConnection::default()
            };
            let env = one_var("VCF_INSECURE", env);
            let layers = Layers {
                global: &global,
                env: &env,
                context: Some(&Context::default()),
            };
            assert_eq!(resolve(None, &layers).insecure, expected);
        }
    }

    fn user_context() -> Context {
        with_vcf(Vcf::new(
            Endpoint::default(),
            Some(VcfCredentials::Password {
                username: Some("ctx-user".to_owned()),
                password: Some(SecretRef::parse("env:CTX_PW")),
            }),
        ))
    }

    #[test]
    fn login_environment_then_context() {
        let ctx_password = || {
            Some(SecretSource::Context(
                "vcf.password",
                SecretRef::parse("env:CTX_PW"),
            ))
        };
        let user = |name: &str, password| VcfAuth::Credentials {
            username: name.to_owned(),
            password,
        };
        let token_only = with_vcf(Vcf::new(
            Endpoint::default(),
            Some(VcfCredentials::Token(SecretRef::parse("file:/ctx/token"))),
        ));
        let key_only = with_vcf(Vcf::new(
            Endpoint::default(),
            Some(VcfCredentials::ApiKey(SecretRef::parse("env:CTX_KEY"))),
        ));
        let cases: Vec<Case> = vec![
            (&[], false, None, None),
            (
                &[],
                false,
                Some(user_context()),
                Some(user("ctx-user", ctx_password())),
            ),
            (
                &[],
                false,
                Some(token_only.clone()),
                Some(VcfAuth::Token(SecretSource::Context(
                    "vcf.token",
                    SecretRef::parse("file:/ctx/token"),
                ))),
            ),
            // The environment's user wins, with the context's password when it has none.
            (
                &[("VCF_USERNAME", "env-user")],
                false,
                Some(user_context()),
                Some(user("env-user", ctx_password())),
            ),
            (
                &[("VCF_USERNAME", "env-user"), ("VCF_PASSWORD", "p")],
                false,
                Some(user_context()),
                Some(user("env-user", Some(SecretSource::Env("VCF_PASSWORD")))),
            ),
            // The environment's token wins over the context's user.
            (
                &[("VCF_TOKEN", "t")],
                false,
                Some(user_context()),
                Some(VcfAuth::Token(SecretSource::Env("VCF_TOKEN"))),
            ),
            // The environment's user over the context's token, no password.
            (
                &[("VCF_USERNAME", "env-user")],
                false,
                Some(token_only),
                Some(user("env-user", None)),
            ),
            // A password from the environment for the context's user.
            (
                &[("VCF_PASSWORD", "p")],
                false,
                Some(user_context()),
                Some(user("ctx-user", Some(SecretSource::Env("VCF_PASSWORD")))),
            ),
            // --secret-stdin (a flag) beats both.
            (
                &[("VCF_PASSWORD", "p")],
                true,
                Some(user_context()),
                Some(user("ctx-user", Some(SecretSource::Stdin))),
            ),
            (
                &[("VCF_USERNAME", "env-user")],
                false,
                None,
                Some(user("env-user", None)),
            ),
            // An API key: the context's, the environment's over a context of
            // another kind, and an environment user over an environment key.
            (
                &[],
                false,
                Some(key_only.clone()),
                Some(VcfAuth::ApiKey(SecretSource::Context(
                    "vcf.api-key",
                    SecretRef::parse("env:CTX_KEY"),
                ))),
            ),
            (
                &[("VCF_API_KEY", "k")],
                false,
                Some(user_context()),
                Some(VcfAuth::ApiKey(SecretSource::Env("VCF_API_KEY"))),
            ),
            (
                &[("VCF_API_KEY", "k"), ("VCF_TOKEN", "t")],
                false,
                None,
                Some(VcfAuth::ApiKey(SecretSource::Env("VCF_API_KEY"))),
            ),
            (
                &[("VCF_USERNAME", "env-user"), ("VCF_API_KEY", "k")],
                false,
                Some(key_only.clone()),
                Some(user("env-user", None)),
            ),
            (
                &[("VCF_TOKEN", "t")],
                false,
                Some(key_only),
                Some(VcfAuth::Token(SecretSource::Env("VCF_TOKEN"))),
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
            let got = resolve_auth(&layers);
            assert_eq!(got, expected, "{vars:?} stdin={stdin} {context:?}");
        }
    }
}
