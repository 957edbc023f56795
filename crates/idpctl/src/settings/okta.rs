//! Okta, where `--deliver okta:APP_ID` writes a token: `--okta-url`, the
//! `OKTA_*` variables and the context's `[okta]` table.

use clap::Args;
use idp_client::{OktaClient, Secret};
use idp_config::connection::OktaCredentials;

use super::precedence::Precedence;
use super::secret::SecretSource;
use super::transport::{Resolved, Server, resolve_server};
use super::{Layers, Settings, own_or_early};
use crate::failure::Failure;

/// Where the Okta org of `--deliver okta:APP_ID` is; its token comes from
/// the environment or the context.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Okta (--deliver okta:)")]
pub struct OktaConnection {
    /// Okta org URL for `--deliver okta:APP_ID`, e.g. https://example.okta.com [env: OKTA_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub okta_url: Option<String>,
}

const SERVER: Server = Server {
    name: "Okta",
    url_flag: "--okta-url",
    url_env: "OKTA_URL",
    ca_env: "OKTA_CA_CERT",
    insecure_env: "OKTA_INSECURE",
    default_url: None,
};

/// The URL: `url` (the flag) > `OKTA_URL` > `okta.url`; the CA:
/// `--ca-cert` > `OKTA_CA_CERT` > `okta.ca-cert` > the context's `ca-cert`;
/// `--insecure` or `OKTA_INSECURE`.
fn resolve(url: Option<String>, layers: &Layers<'_>) -> Resolved {
    let table = layers.context.and_then(|c| c.okta.as_ref());
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

/// The token: `OKTA_API_TOKEN` > `okta.api-token`.
fn resolve_token(layers: &Layers<'_>) -> Option<SecretSource> {
    let context = layers
        .context
        .and_then(|c| c.okta.as_ref())
        .and_then(|o| o.credentials.as_ref())
        .and_then(|c| match c {
            OktaCredentials::ApiToken(token) => Some(token),
            _ => None,
        });
    Precedence {
        env: SecretSource::env(layers.env, "OKTA_API_TOKEN"),
        context: SecretSource::context("okta.api-token", context),
        ..Precedence::default()
    }
    .resolve()
}

/// Whether a token is an OAuth 2.0 access token (`Bearer <token>`) rather
/// than an API token: the client takes each through its own setter.
fn is_bearer(token: &Secret) -> bool {
    token
        .expose()
        .trim_start()
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
}

/// Okta's settings for one command: its `--okta-url` over the run's
/// layers.
#[derive(Debug)]
pub struct OktaSettings<'a> {
    settings: &'a Settings,
    flags: &'a OktaConnection,
}

impl Settings {
    /// Okta's settings with the command's `flags`.
    pub fn okta<'a>(&'a self, flags: &'a OktaConnection) -> OktaSettings<'a> {
        OktaSettings {
            settings: self,
            flags,
        }
    }
}

impl OktaSettings<'_> {
    /// A client from the URL and `OKTA_API_TOKEN` (or the context's): an
    /// API token (sent as `SSWS`), or an OAuth access token when the value
    /// starts with `Bearer `.
    pub fn client(&self) -> Result<OktaClient, Failure> {
        let layers = self.settings.layers()?;
        let url = own_or_early(
            self.flags.okta_url.as_ref(),
            self.settings.early.okta_url.as_ref(),
        );
        let transport = self.settings.transport(&SERVER, resolve(url, &layers))?;
        let token = resolve_token(&layers)
            .ok_or_else(|| {
                Failure::usage(
                    "no Okta credentials: set OKTA_API_TOKEN (an API token, or `Bearer <access token>`), or use a context (idpctl config)",
                )
            })?
            .read(layers.env)?;
        let builder = OktaClient::builder(transport.url);
        let builder = if is_bearer(&token) {
            builder.access_token(token)
        } else {
            builder.api_token(token)
        };
        builder
            .config(&transport.tail.config()?)
            .build()
            .map_err(Failure::from)
    }
}

#[cfg(test)]
mod tests {
    use idp_client::Secret;
    use idp_config::SecretRef;
    use idp_config::connection::{Endpoint, Okta, OktaCredentials};

    use super::super::precedence::tests::{PRECEDENCE, lookup, one_var};
    use super::super::{Context, GlobalConnection, Layers};
    use super::{is_bearer, resolve, resolve_token};
    use crate::settings::secret::SecretSource;

    fn with_okta(url: &str) -> Context {
        let mut okta = Okta::default();
        okta.endpoint = Endpoint::new(url);
        okta.credentials = Some(OktaCredentials::ApiToken(SecretRef::parse("env:CTX_OKTA")));
        Context {
            okta: Some(okta),
            ..Context::default()
        }
    }

    #[test]
    fn url_and_token_flag_then_env_then_context() {
        for ((flag, env, ctx), expected) in PRECEDENCE {
            let env = one_var("OKTA_URL", *env);
            let context = ctx.map(with_okta);
            let layers = Layers {
                global: &GlobalConnection::default(),
                env: &env,
                context: context.as_ref(),
            };
            let got = resolve(flag.map(str::to_owned), &layers).url;
            assert_eq!(got.as_deref(), *expected, "{flag:?} {ctx:?}");
        }
        let context = with_okta("https://ctx.okta.example");
        for (vars, expected) in [
            (
                &[][..],
                Some(SecretSource::Context(
                    "okta.api-token",
                    SecretRef::parse("env:CTX_OKTA"),
                )),
            ),
            (
                &[("OKTA_API_TOKEN", "t")],
                Some(SecretSource::Env("OKTA_API_TOKEN")),
            ),
        ] {
            let env = lookup(vars);
            let layers = Layers {
                global: &GlobalConnection::default(),
                env: &env,
                context: Some(&context),
            };
            assert_eq!(resolve_token(&layers), expected);
        }
    }

    #[test]
    fn a_bearer_prefix_means_an_access_token() {
        for (token, bearer) in [
            ("Bearer abc", true),
            ("  bearer abc", true),
            ("00abcSSWS", false),
            ("Bearer", false),
            ("Bea\u{df}r x", false),
        ] {
            assert_eq!(is_bearer(&Secret::new(token)), bearer, "{token}");
        }
    }
}
