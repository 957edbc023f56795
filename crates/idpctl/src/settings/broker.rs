//! The VCF Identity Broker: `--broker-url`, `--broker-tenant`, the
//! `BROKER_*` variables and the context's `[broker]` table.

use clap::Args;
use idp_client::{BrokerClient, BrokerClientBuilder};
use idp_config::connection::BrokerCredentials;

use super::precedence::{Given, Lookup, Precedence};
use super::secret::SecretSource;
use super::transport::{Resolved, Server, resolve_server};
use super::{Layers, Settings, own_or_early};
use crate::failure::Failure;

/// Where the VCF Identity Broker is; the login comes from the environment
/// or the context.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "VCF Identity Broker connection")]
pub struct BrokerConnection {
    /// VCF Identity Broker base URL (the vCenter host), e.g. https://vcenter.example.com [env: BROKER_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub broker_url: Option<String>,

    /// VCF Identity Broker tenant (default CUSTOMER) [env: BROKER_TENANT]
    #[arg(long, value_name = "TENANT", global = true)]
    pub broker_tenant: Option<String>,
}

pub(super) const SERVER: Server = Server {
    name: "VCF Identity Broker",
    url_flag: "--broker-url",
    url_env: "BROKER_URL",
    ca_env: "BROKER_CA_CERT",
    insecure_env: "BROKER_INSECURE",
    default_url: None,
};

/// How to reach the broker, resolved.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum BrokerAuth {
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

/// The login one layer gives.
enum Login {
    OAuthClient(String),
    Vcenter(String),
    Token(SecretSource),
}

impl Given for Login {
    fn is_given(&self) -> bool {
        match self {
            Self::OAuthClient(id) | Self::Vcenter(id) => !id.is_empty(),
            Self::Token(_) => true,
        }
    }
}

/// The URL: `url` (the flag) > `BROKER_URL` > `broker.url`; the CA:
/// `--ca-cert` > `BROKER_CA_CERT` > `broker.ca-cert` > the context's
/// `ca-cert`; `--insecure` or `BROKER_INSECURE`.
pub(super) fn resolve(url: Option<String>, layers: &Layers<'_>) -> Resolved {
    let table = layers.context.and_then(|c| c.broker.as_ref());
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

/// `tenant` (the flag) > `BROKER_TENANT` > `broker.tenant` > the client's
/// default.
pub(super) fn resolve_tenant(tenant: Option<String>, layers: &Layers<'_>) -> Option<String> {
    Precedence {
        flag: tenant,
        env: (layers.env)("BROKER_TENANT"),
        context: layers
            .context
            .and_then(|c| c.broker.as_ref())
            .and_then(|b| b.tenant.clone()),
        default: None,
    }
    .resolve()
}

/// The login: the environment's (`BROKER_CLIENT_ID`, else
/// `BROKER_VCENTER_USERNAME`, else `BROKER_TOKEN`) over the context's; a
/// secret comes from `--secret-stdin` > its variable > the context's
/// reference.
pub(super) fn resolve_auth(layers: &Layers<'_>) -> Option<BrokerAuth> {
    let env = layers.env;
    let (context, client_secret, password) = match layers
        .context
        .and_then(|c| c.broker.as_ref())
        .and_then(|b| b.credentials.as_ref())
    {
        Some(BrokerCredentials::OAuthClient {
            client_id,
            client_secret,
        }) => (
            client_id.clone().map(Login::OAuthClient),
            client_secret.as_ref(),
            None,
        ),
        Some(BrokerCredentials::Vcenter { username, password }) => (
            username.clone().map(Login::Vcenter),
            None,
            password.as_ref(),
        ),
        Some(BrokerCredentials::Token(token)) => (
            Some(Login::Token(SecretSource::Context(
                "broker.token",
                token.clone(),
            ))),
            None,
            None,
        ),
        _ => (None, None, None),
    };
    let from_env = env("BROKER_CLIENT_ID")
        .map(Login::OAuthClient)
        .or_else(|| env("BROKER_VCENTER_USERNAME").map(Login::Vcenter))
        .or_else(|| SecretSource::env(env, "BROKER_TOKEN").map(Login::Token));
    let login = Precedence {
        env: from_env,
        context,
        ..Precedence::default()
    }
    .resolve()?;
    let secret = |var, key, reference| {
        Precedence {
            flag: SecretSource::stdin(layers.global.secret_stdin),
            env: SecretSource::env(env, var),
            context: SecretSource::context(key, reference),
            default: None,
        }
        .resolve()
    };
    Some(match login {
        Login::OAuthClient(client_id) => BrokerAuth::OAuthClient {
            client_id,
            secret: secret(
                "BROKER_CLIENT_SECRET",
                "broker.client-secret",
                client_secret,
            ),
        },
        Login::Vcenter(username) => BrokerAuth::Vcenter {
            username,
            password: secret(
                "BROKER_VCENTER_PASSWORD",
                "broker.vcenter-password",
                password,
            ),
        },
        Login::Token(token) => BrokerAuth::Token(token),
    })
}

/// Adds the login to a broker client builder (secrets read now).
pub(super) fn with_auth(
    builder: BrokerClientBuilder,
    auth: Option<BrokerAuth>,
    env: Lookup<'_>,
) -> Result<BrokerClientBuilder, Failure> {
    let missing = |what: &str, var: &str, key: &str| {
        Failure::usage(format!(
            "a broker {what} is set but no secret: set {var}, pass --secret-stdin, or set the context's {key}"
        ))
    };
    match auth {
        Some(BrokerAuth::OAuthClient { client_id, secret }) => {
            let secret = secret.ok_or_else(|| {
                missing("client id", "BROKER_CLIENT_SECRET", "broker.client-secret")
            })?;
            Ok(builder.oauth_client(client_id, secret.read(env)?))
        }
        Some(BrokerAuth::Vcenter { username, password }) => {
            let password = password.ok_or_else(|| {
                missing(
                    "vCenter user name",
                    "BROKER_VCENTER_PASSWORD",
                    "broker.vcenter-password",
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

/// The broker's settings for one command: its `--broker-url` and
/// `--broker-tenant` over the run's layers.
#[derive(Debug)]
pub struct BrokerSettings<'a> {
    settings: &'a Settings,
    flags: &'a BrokerConnection,
}

impl Settings {
    /// The broker's settings with the command's `flags`.
    pub fn broker<'a>(&'a self, flags: &'a BrokerConnection) -> BrokerSettings<'a> {
        BrokerSettings {
            settings: self,
            flags,
        }
    }
}

impl BrokerSettings<'_> {
    fn url_flag(&self) -> Option<String> {
        own_or_early(
            self.flags.broker_url.as_ref(),
            self.settings.early.broker_url.as_ref(),
        )
    }

    /// Whether a URL is given (flag, environment or context).
    pub fn has_url(&self) -> bool {
        resolve(self.url_flag(), &self.settings.layers_or_none())
            .url
            .is_some()
    }

    /// A client from the URL, the tenant and `BROKER_TOKEN`, or
    /// `BROKER_CLIENT_ID` + `BROKER_CLIENT_SECRET`, or
    /// `BROKER_VCENTER_USERNAME` + `BROKER_VCENTER_PASSWORD` (the secret on
    /// stdin with `--secret-stdin`), and the context for what those leave
    /// open.
    pub fn client(&self) -> Result<BrokerClient, Failure> {
        let layers = self.settings.layers()?;
        let resolved = resolve(self.url_flag(), &layers);
        let tenant_flag = own_or_early(
            self.flags.broker_tenant.as_ref(),
            self.settings.early.broker_tenant.as_ref(),
        );
        let tenant = resolve_tenant(tenant_flag, &layers);
        let auth = resolve_auth(&layers);
        let transport = self.settings.transport(&SERVER, resolved)?;
        let mut builder = BrokerClient::builder(transport.url).config(&transport.tail.config()?);
        if let Some(tenant) = tenant {
            builder = builder.tenant(tenant);
        }
        with_auth(builder, auth, layers.env)?
            .build()
            .map_err(Failure::from)
    }
}

#[cfg(test)]
mod tests;
