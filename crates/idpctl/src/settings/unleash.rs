//! Unleash: `--unleash-url`, the `UNLEASH_*` variables and the context's
//! `[unleash]` table.

use clap::Args;
use idp_client::UnleashClient;
use idp_config::connection::UnleashCredentials;

use super::precedence::Precedence;
use super::secret::SecretSource;
use super::transport::{Resolved, Server, resolve_server};
use super::{Layers, Settings, own_or_early};
use crate::failure::Failure;

/// Where Unleash is; the API token comes from the environment or the
/// context.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Unleash connection")]
pub struct UnleashConnection {
    /// Unleash base URL, may include a sub-path, e.g. https://host/unleash [env: UNLEASH_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub unleash_url: Option<String>,
}

const SERVER: Server = Server {
    name: "Unleash",
    url_flag: "--unleash-url",
    url_env: "UNLEASH_URL",
    ca_env: "UNLEASH_CA_CERT",
    insecure_env: "UNLEASH_INSECURE",
    default_url: None,
};

/// The URL: `url` (the flag) > `UNLEASH_URL` > `unleash.url`; the CA:
/// `--ca-cert` > `UNLEASH_CA_CERT` > `unleash.ca-cert` > the context's
/// `ca-cert`; `--insecure` or `UNLEASH_INSECURE`.
fn resolve(url: Option<String>, layers: &Layers<'_>) -> Resolved {
    let table = layers.context.and_then(|c| c.unleash.as_ref());
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

/// The API token: `--secret-stdin` > `UNLEASH_API_TOKEN` >
/// `unleash.api-token`.
fn resolve_token(layers: &Layers<'_>) -> Option<SecretSource> {
    let context = layers
        .context
        .and_then(|c| c.unleash.as_ref())
        .and_then(|u| u.credentials.as_ref())
        .and_then(|c| match c {
            UnleashCredentials::ApiToken(token) => Some(token),
            _ => None,
        });
    Precedence {
        flag: SecretSource::stdin(layers.global.secret_stdin),
        env: SecretSource::env(layers.env, "UNLEASH_API_TOKEN"),
        context: SecretSource::context("unleash.api-token", context),
        default: None,
    }
    .resolve()
}

/// Unleash's settings for one command: its `--unleash-url` over the run's
/// layers.
#[derive(Debug)]
pub struct UnleashSettings<'a> {
    settings: &'a Settings,
    flags: &'a UnleashConnection,
}

impl Settings {
    /// Unleash's settings with the command's `flags`.
    pub fn unleash<'a>(&'a self, flags: &'a UnleashConnection) -> UnleashSettings<'a> {
        UnleashSettings {
            settings: self,
            flags,
        }
    }
}

impl UnleashSettings<'_> {
    fn url_flag(&self) -> Option<String> {
        own_or_early(
            self.flags.unleash_url.as_ref(),
            self.settings.early.unleash_url.as_ref(),
        )
    }

    /// Whether a URL is given (flag, environment or context).
    pub fn has_url(&self) -> bool {
        resolve(self.url_flag(), &self.settings.layers_or_none())
            .url
            .is_some()
    }

    /// A client from the URL and `UNLEASH_API_TOKEN` (or the token on
    /// stdin with `--secret-stdin`), and the context for what those leave
    /// open.
    pub fn client(&self) -> Result<UnleashClient, Failure> {
        let layers = self.settings.layers()?;
        let resolved = resolve(self.url_flag(), &layers);
        let token = resolve_token(&layers);
        let transport = self.settings.transport(&SERVER, resolved)?;
        let token = token
            .ok_or_else(|| Failure::usage("no Unleash credentials: set UNLEASH_API_TOKEN"))?
            .read(layers.env)?;
        UnleashClient::builder(transport.url)
            .api_token(token)
            .config(&transport.tail.config()?)
            .build()
            .map_err(Failure::from)
    }
}

#[cfg(test)]
mod tests {
    use idp_config::SecretRef;
    use idp_config::connection::{Endpoint, Unleash, UnleashCredentials};

    use super::super::precedence::tests::{PRECEDENCE, lookup, one_var};
    use super::super::{Context, GlobalConnection, Layers};
    use super::{resolve, resolve_token};
    use crate::settings::secret::SecretSource;

    fn with_unleash(url: Option<&str>, token: Option<&str>) -> Context {
        let mut unleash = Unleash::default();
        unleash.endpoint = url.map(Endpoint::new).unwrap_or_default();
        unleash.credentials = token.map(|t| UnleashCredentials::ApiToken(SecretRef::parse(t)));
        Context {
            unleash: Some(unleash),
            ..Context::default()
        }
    }

    #[test]
    fn url_flag_then_env_then_context() {
        for ((flag, env, ctx), expected) in PRECEDENCE {
            let env = one_var("UNLEASH_URL", *env);
            let context = ctx.map(|c| with_unleash(Some(c), None));
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
    fn token_flag_then_environment_then_context() {
        let context = with_unleash(None, Some("file:/ctx/unleash"));
        let from_context = Some(SecretSource::Context(
            "unleash.api-token",
            SecretRef::parse("file:/ctx/unleash"),
        ));
        // Environment, --secret-stdin, context, and where the token comes from.
        type Case<'a> = (
            &'a [(&'a str, &'a str)],
            bool,
            Option<&'a Context>,
            Option<SecretSource>,
        );
        let cases: [Case<'_>; 4] = [
            (&[], false, None, None),
            (&[], false, Some(&context), from_context),
            (
                &[("UNLEASH_API_TOKEN", "k")],
                false,
                Some(&context),
                Some(SecretSource::Env("UNLEASH_API_TOKEN")),
            ),
            (
                &[("UNLEASH_API_TOKEN", "k")],
                true,
                Some(&context),
                Some(SecretSource::Stdin),
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
                context,
            };
            assert_eq!(resolve_token(&layers), expected, "{vars:?} {stdin}");
        }
    }
}
