//! A context as written: the current tables (`[contexts.NAME.vcf]` ...),
//! or the flat keys earlier versions wrote (`vcf-url`, `broker-token` ...),
//! which are read into the same tables; `config set` (or `use`, `delete`)
//! then writes the file in the current shape.
//!
//! A table holds one kind of credentials. Where the flat keys gave several,
//! the one earlier versions used is kept: a VCF user over a token; for the
//! broker an OAuth 2.0 client, then a vCenter user, then a token.

use std::path::PathBuf;

use idp_config::connection::{
    Broker, BrokerCredentials, Endpoint, Entra, Okta, Ops, Unleash, UnleashCredentials, Vcf,
    VcfCredentials,
};
use idp_config::{PemRef, SecretRef};
use serde::Deserialize;

use super::Context;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(super) struct Written {
    #[serde(default)]
    ca_cert: Option<PathBuf>,
    #[serde(default)]
    vcf: Option<Vcf>,
    #[serde(default)]
    unleash: Option<Unleash>,
    #[serde(default)]
    broker: Option<Broker>,
    #[serde(default)]
    okta: Option<Okta>,
    #[serde(default)]
    entra: Option<Entra>,
    #[serde(default)]
    ops: Option<Ops>,
    // The flat keys of earlier versions.
    #[serde(default)]
    vcf_url: Option<String>,
    #[serde(default)]
    vcf_username: Option<String>,
    #[serde(default)]
    vcf_password: Option<SecretRef>,
    #[serde(default)]
    vcf_token: Option<SecretRef>,
    #[serde(default)]
    unleash_url: Option<String>,
    #[serde(default)]
    unleash_api_token: Option<SecretRef>,
    #[serde(default)]
    broker_url: Option<String>,
    #[serde(default)]
    broker_tenant: Option<String>,
    #[serde(default)]
    broker_ca_cert: Option<PathBuf>,
    #[serde(default)]
    broker_vcenter_username: Option<String>,
    #[serde(default)]
    broker_vcenter_password: Option<SecretRef>,
    #[serde(default)]
    broker_client_id: Option<String>,
    #[serde(default)]
    broker_client_secret: Option<SecretRef>,
    #[serde(default)]
    broker_token: Option<SecretRef>,
}

impl Written {
    /// The VCF table of the flat keys, if they give one.
    fn flat_vcf(&mut self) -> Option<Vcf> {
        let (url, username) = (self.vcf_url.take(), self.vcf_username.take());
        let (password, token) = (self.vcf_password.take(), self.vcf_token.take());
        let credentials = match (username, token) {
            (Some(username), _) => Some(VcfCredentials::Password {
                username: Some(username),
                password,
            }),
            (None, Some(token)) => Some(VcfCredentials::Token(token)),
            // A password for a user the environment names.
            (None, None) => password.map(|p| VcfCredentials::Password {
                username: None,
                password: Some(p),
            }),
        };
        (url.is_some() || credentials.is_some()).then(|| Vcf::new(endpoint(url), credentials))
    }

    /// The Unleash table of the flat keys, if they give one.
    fn flat_unleash(&mut self) -> Option<Unleash> {
        let (url, token) = (self.unleash_url.take(), self.unleash_api_token.take());
        (url.is_some() || token.is_some()).then(|| {
            let mut unleash = Unleash::default();
            unleash.endpoint = endpoint(url);
            unleash.credentials = token.map(UnleashCredentials::ApiToken);
            unleash
        })
    }

    /// The broker table of the flat keys, if they give one.
    fn flat_broker(&mut self) -> Option<Broker> {
        let client = (
            self.broker_client_id.take(),
            self.broker_client_secret.take(),
        );
        let vcenter = (
            self.broker_vcenter_username.take(),
            self.broker_vcenter_password.take(),
        );
        let token = self.broker_token.take();
        let credentials = match (client, vcenter, token) {
            ((Some(id), secret), _, _) => Some(BrokerCredentials::OAuthClient {
                client_id: Some(id),
                client_secret: secret,
            }),
            (_, (Some(user), password), _) => Some(BrokerCredentials::Vcenter {
                username: Some(user),
                password,
            }),
            (_, _, Some(token)) => Some(BrokerCredentials::Token(token)),
            // A secret for a client or user the environment names.
            ((None, Some(secret)), _, None) => Some(BrokerCredentials::OAuthClient {
                client_id: None,
                client_secret: Some(secret),
            }),
            ((None, None), (None, Some(password)), None) => Some(BrokerCredentials::Vcenter {
                username: None,
                password: Some(password),
            }),
            ((None, None), (None, None), None) => None,
        };
        let url = self.broker_url.take();
        let ca_cert = self.broker_ca_cert.take();
        let tenant = self.broker_tenant.take();
        (url.is_some() || ca_cert.is_some() || tenant.is_some() || credentials.is_some()).then(
            || {
                let mut endpoint = endpoint(url);
                endpoint.ca_cert = ca_cert.map(PemRef::file);
                let mut broker = Broker::new(endpoint, credentials);
                broker.tenant = tenant;
                broker
            },
        )
    }
}

fn endpoint(url: Option<String>) -> Endpoint {
    let mut endpoint = Endpoint::default();
    endpoint.url = url;
    endpoint
}

/// An API's table, from the table or from the flat keys; given both ways,
/// which one is meant is not guessed.
fn one_of<T>(table: Option<T>, flat: Option<T>, api: &str) -> Result<Option<T>, String> {
    match (table, flat) {
        (Some(_), Some(_)) => Err(format!(
            "the flat `{api}-…` keys and the [{api}] table are both set: keep one"
        )),
        (table, flat) => Ok(table.or(flat)),
    }
}

impl TryFrom<Written> for Context {
    type Error = String;

    fn try_from(mut w: Written) -> Result<Self, String> {
        let (vcf, unleash, broker) = (w.flat_vcf(), w.flat_unleash(), w.flat_broker());
        Ok(Self {
            ca_cert: w.ca_cert,
            vcf: one_of(w.vcf, vcf, "vcf")?,
            unleash: one_of(w.unleash, unleash, "unleash")?,
            broker: one_of(w.broker, broker, "broker")?,
            okta: w.okta,
            entra: w.entra,
            ops: w.ops,
        })
    }
}
