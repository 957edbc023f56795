//! One VCF Identity Broker of a document, and how it is written (`url`,
//! `tenant`, one kind of credentials, `caCert`; or `context`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{BrokerState, Connection, FieldError, check_context_only, display_name};
use crate::connection::{Broker, BrokerCredentials, Endpoint};
use crate::reference::{PemRef, SecretRef};

/// One VCF Identity Broker (the vCenter that runs it): an address with
/// credentials, or a named context of the caller's configuration.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BrokerTarget {
    /// The broker's name in plans and reports; for a `context` broker the
    /// context's name is the default.
    pub name: Option<String>,
    /// Where it is, its tenant, and how to log in.
    pub connection: Connection<Broker>,
    /// This broker's desired state, instead of the document's `broker`.
    pub broker: Option<BrokerState>,
}

impl BrokerTarget {
    /// A broker at `url` reached with the OAuth 2.0 client `client_id`.
    #[must_use]
    pub fn with_oauth_client(
        name: impl Into<String>,
        url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: SecretRef,
    ) -> Self {
        let credentials = BrokerCredentials::OAuthClient {
            client_id: Some(client_id.into()),
            client_secret: Some(client_secret),
        };
        Self {
            name: Some(name.into()),
            connection: Connection::Direct(Broker::new(Endpoint::new(url), Some(credentials))),
            broker: None,
        }
    }

    /// A broker from the caller's context `name`.
    #[must_use]
    pub fn with_context(name: impl Into<String>) -> Self {
        Self {
            connection: Connection::Context(name.into()),
            ..Self::default()
        }
    }

    /// Sets the tenant of a broker written in the document (a context
    /// broker takes its context's).
    #[must_use]
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        if let Connection::Direct(broker) = &mut self.connection {
            broker.tenant = Some(tenant.into());
        }
        self
    }

    /// Sets this broker's own desired state.
    #[must_use]
    pub fn state(mut self, state: BrokerState) -> Self {
        self.broker = Some(state);
        self
    }

    /// The broker's name: `name`, else the context, else the URL.
    #[must_use]
    pub fn display_name(&self) -> &str {
        let url = self
            .connection
            .direct()
            .and_then(|b| b.endpoint.url.as_deref());
        display_name(self.name.as_deref(), self.connection.context(), url)
    }

    /// The broker a written one makes, or the field that keeps it from one
    /// connection.
    fn from_written(w: Written) -> Result<Self, FieldError> {
        let connection = match (w.url, w.context) {
            (Some(_), Some(_)) => {
                return Err(FieldError::new("context", "give either `url` or `context`"));
            }
            (None, Some(context)) => {
                check_context_only(&[
                    ("tenant", w.tenant.is_some()),
                    ("vcenterUsername", w.vcenter_username.is_some()),
                    ("vcenterPassword", w.vcenter_password.is_some()),
                    ("clientId", w.client_id.is_some()),
                    ("clientSecret", w.client_secret.is_some()),
                    ("token", w.token.is_some()),
                    ("caCert", w.ca_cert.is_some()),
                ])?;
                Connection::Context(context)
            }
            // Without `url` either: reported by the document's check.
            (url, None) => {
                let field = if w.token.is_some() {
                    "token"
                } else {
                    "clientId"
                };
                let credentials = BrokerCredentials::from_fields(
                    (w.vcenter_username, w.vcenter_password),
                    (w.client_id, w.client_secret),
                    w.token,
                )
                .map_err(|_| {
                    FieldError::new(
                        field,
                        "give one kind of credentials: `vcenterUsername` and `vcenterPassword`, `clientId` and `clientSecret`, or `token`",
                    )
                })?;
                let mut broker = Broker::new(
                    Endpoint {
                        url,
                        ca_cert: w.ca_cert,
                    },
                    credentials,
                );
                broker.tenant = w.tenant;
                Connection::Direct(broker)
            }
        };
        Ok(Self {
            name: w.name,
            connection,
            broker: w.broker,
        })
    }
}

/// One VCF Identity Broker (the vCenter that runs it): an address with
/// credentials, or a named context of the caller's configuration.
#[derive(Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "BrokerTarget")]
struct Written {
    /// The broker's name in plans and reports; for a `context` broker the
    /// context's name is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    /// The broker's base URL (the vCenter: `https://vcenter.example.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// The broker tenant (default `CUSTOMER`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tenant: Option<String>,
    /// A vCenter user with `VcIdentityProviders.Manage` (with
    /// `vcenterPassword`): the client reads the tenant admin token from
    /// vCenter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vcenter_username: Option<String>,
    /// The vCenter user's password: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vcenter_password: Option<SecretRef>,
    /// An OAuth 2.0 client of the broker (with `clientSecret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    /// The OAuth 2.0 client's secret: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<SecretRef>,
    /// A broker admin token instead: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<SecretRef>,
    /// The CA certificate(s) to trust (PEM): `file:PATH` or the PEM text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_cert: Option<PemRef>,
    /// A named context of the caller's configuration instead of `url`,
    /// `tenant` and credentials (resolved by a context resolver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    context: Option<String>,
    /// This broker's desired state, instead of the document's `broker`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    broker: Option<BrokerState>,
}

impl From<BrokerTarget> for Written {
    fn from(b: BrokerTarget) -> Self {
        let mut w = Self {
            name: b.name,
            url: None,
            tenant: None,
            vcenter_username: None,
            vcenter_password: None,
            client_id: None,
            client_secret: None,
            token: None,
            ca_cert: None,
            context: None,
            broker: b.broker,
        };
        match b.connection {
            Connection::Context(name) => w.context = Some(name),
            Connection::Direct(broker) => {
                (w.url, w.ca_cert) = (broker.endpoint.url, broker.endpoint.ca_cert);
                w.tenant = broker.tenant;
                match broker.credentials {
                    Some(BrokerCredentials::Vcenter { username, password }) => {
                        (w.vcenter_username, w.vcenter_password) = (username, password);
                    }
                    Some(BrokerCredentials::OAuthClient {
                        client_id,
                        client_secret,
                    }) => (w.client_id, w.client_secret) = (client_id, client_secret),
                    Some(BrokerCredentials::Token(token)) => w.token = Some(token),
                    None => {}
                }
            }
        }
        w
    }
}

through_written!(BrokerTarget);
