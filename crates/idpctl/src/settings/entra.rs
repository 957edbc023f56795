//! Microsoft Entra ID and Graph, where `--deliver entra:ID` writes a
//! token: `--entra-graph-url`, the `ENTRA_*` variables and the context's
//! `[entra]` table.

use clap::Args;
use idp_client::{DEFAULT_ENTRA_GRAPH_URL, DEFAULT_ENTRA_LOGIN_URL, EntraClient};
use idp_config::connection::EntraCredentials;

use super::precedence::Precedence;
use super::secret::SecretSource;
use super::transport::{Resolved, Server, resolve_server};
use super::{Layers, Settings, own_or_early};
use crate::failure::Failure;

/// Where Microsoft Graph is for `--deliver entra:…`; the app registration
/// comes from the environment or the context.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Microsoft Entra (--deliver entra:)")]
pub struct EntraConnection {
    /// Microsoft Graph host for `--deliver entra:…` (default https://graph.microsoft.com) [env: ENTRA_GRAPH_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub entra_graph_url: Option<String>,
}

const SERVER: Server = Server {
    name: "Microsoft Entra",
    url_flag: "--entra-graph-url",
    url_env: "ENTRA_GRAPH_URL",
    ca_env: "ENTRA_CA_CERT",
    insecure_env: "ENTRA_INSECURE",
    default_url: Some(DEFAULT_ENTRA_GRAPH_URL),
};

/// The Graph host: `url` (the flag) > `ENTRA_GRAPH_URL` >
/// `entra.graph-url` > the global host; the CA: `--ca-cert` >
/// `ENTRA_CA_CERT` > `entra.ca-cert` > the context's `ca-cert`;
/// `--insecure` or `ENTRA_INSECURE`.
fn resolve(url: Option<String>, layers: &Layers<'_>) -> Resolved {
    let table = layers.context.and_then(|c| c.entra.as_ref());
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

/// The app registration and the login host, by precedence: each variable
/// over the context's field.
#[derive(Debug, PartialEq)]
struct Login {
    login_url: String,
    tenant_id: Option<String>,
    client_id: Option<String>,
    secret: Option<SecretSource>,
}

fn resolve_login(layers: &Layers<'_>) -> Login {
    let env = layers.env;
    let table = layers.context.and_then(|c| c.entra.as_ref());
    let (client_id, secret) = match table.and_then(|t| t.credentials.as_ref()) {
        Some(EntraCredentials::ClientSecret {
            client_id,
            client_secret,
        }) => (client_id.clone(), client_secret.as_ref()),
        _ => (None, None),
    };
    let text = |var: &str, context: Option<String>, default: Option<&str>| {
        Precedence {
            env: env(var),
            context,
            default: default.map(str::to_owned),
            ..Precedence::default()
        }
        .resolve()
    };
    Login {
        login_url: text(
            "ENTRA_LOGIN_URL",
            table.and_then(|t| t.login_url.clone()),
            Some(DEFAULT_ENTRA_LOGIN_URL),
        )
        .unwrap_or_else(|| DEFAULT_ENTRA_LOGIN_URL.to_owned()),
        tenant_id: text(
            "ENTRA_TENANT_ID",
            table.and_then(|t| t.tenant_id.clone()),
            None,
        ),
        client_id: text("ENTRA_CLIENT_ID", client_id, None),
        secret: Precedence {
            env: SecretSource::env(env, "ENTRA_CLIENT_SECRET"),
            context: SecretSource::context("entra.client-secret", secret),
            ..Precedence::default()
        }
        .resolve(),
    }
}

/// Entra's settings for one command: its `--entra-graph-url` over the
/// run's layers.
#[derive(Debug)]
pub struct EntraSettings<'a> {
    settings: &'a Settings,
    flags: &'a EntraConnection,
}

impl Settings {
    /// Entra's settings with the command's `flags`.
    pub fn entra<'a>(&'a self, flags: &'a EntraConnection) -> EntraSettings<'a> {
        EntraSettings {
            settings: self,
            flags,
        }
    }
}

impl EntraSettings<'_> {
    /// A client from `ENTRA_TENANT_ID`, `ENTRA_CLIENT_ID`,
    /// `ENTRA_CLIENT_SECRET` and the hosts `ENTRA_LOGIN_URL` and
    /// `--entra-graph-url` / `ENTRA_GRAPH_URL` (default the global ones),
    /// and the context for what those leave open.
    pub fn client(&self) -> Result<EntraClient, Failure> {
        let layers = self.settings.layers()?;
        let url = own_or_early(
            self.flags.entra_graph_url.as_ref(),
            self.settings.early.entra_graph_url.as_ref(),
        );
        let transport = self.settings.transport(&SERVER, resolve(url, &layers))?;
        let login = resolve_login(&layers);
        let missing = |name: &str| {
            Failure::usage(format!(
                "no Microsoft Entra credentials: set ENTRA_TENANT_ID, ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET, or use a context (idpctl config) ({name} is missing)"
            ))
        };
        let tenant = login.tenant_id.ok_or_else(|| missing("ENTRA_TENANT_ID"))?;
        let client_id = login.client_id.ok_or_else(|| missing("ENTRA_CLIENT_ID"))?;
        let secret = login
            .secret
            .ok_or_else(|| missing("ENTRA_CLIENT_SECRET"))?
            .read(layers.env)?;
        EntraClient::builder(tenant)
            .login_url(login.login_url)
            .graph_url(transport.url)
            .client_id(client_id)
            .client_secret(secret)
            .config(&transport.tail.config()?)
            .build()
            .map_err(Failure::from)
    }
}

#[cfg(test)]
mod tests {
    use idp_client::{DEFAULT_ENTRA_GRAPH_URL, DEFAULT_ENTRA_LOGIN_URL};
    use idp_config::SecretRef;
    use idp_config::connection::{Endpoint, Entra, EntraCredentials};

    use super::super::precedence::tests::lookup;
    use super::super::{Context, GlobalConnection, Layers};
    use super::{Login, resolve, resolve_login};
    use crate::settings::secret::SecretSource;

    fn context() -> Context {
        let mut entra = Entra::default();
        entra.endpoint = Endpoint::new("https://graph.ctx.example");
        entra.tenant_id = Some("ctx-tenant".into());
        entra.credentials = Some(EntraCredentials::ClientSecret {
            client_id: Some("ctx-client".into()),
            client_secret: Some(SecretRef::parse("env:CTX_ENTRA")),
        });
        Context {
            entra: Some(entra),
            ..Context::default()
        }
    }

    #[test]
    fn each_variable_over_the_context_over_the_default() {
        let global = GlobalConnection::default();
        let context = context();
        let env = lookup(&[("ENTRA_CLIENT_ID", "env-client")]);
        let layers = Layers {
            global: &global,
            env: &env,
            context: Some(&context),
        };
        assert_eq!(
            resolve_login(&layers),
            Login {
                login_url: DEFAULT_ENTRA_LOGIN_URL.to_owned(),
                tenant_id: Some("ctx-tenant".into()),
                client_id: Some("env-client".into()),
                secret: Some(SecretSource::Context(
                    "entra.client-secret",
                    SecretRef::parse("env:CTX_ENTRA")
                )),
            }
        );
        assert_eq!(
            resolve(None, &layers).url.as_deref(),
            Some("https://graph.ctx.example")
        );
        let bare = Layers {
            global: &global,
            env: &env,
            context: None,
        };
        assert_eq!(
            resolve(None, &bare).url.as_deref(),
            Some(DEFAULT_ENTRA_GRAPH_URL)
        );
        assert_eq!(resolve_login(&bare).secret, None);
    }
}
