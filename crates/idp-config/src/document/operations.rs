//! One VCF Operations of a document (VCF 9.1 fleet identity), and how it is
//! written (`url` with `username` + `password` (+ `authSource`) or
//! `token`, `caCert`; or `context`), with its desired state per SSO realm.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Connection, FieldError, RealmState, check_context_only, display_name};
use crate::connection::{Endpoint, Ops, OpsCredentials};
use crate::reference::{PemRef, SecretRef};

/// One VCF Operations: an address with credentials, or a named context of
/// the caller's configuration, and the desired state of its SSO realms.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct OperationsTarget {
    /// The target's name in plans and reports; for a `context` target the
    /// context's name is the default.
    pub name: Option<String>,
    /// Where it is and how to log in.
    pub connection: Connection<Ops>,
    /// How long `apply` waits for each of the server's tasks (`90s`,
    /// `10m`); absent: [`OperationsTarget::DEFAULT_TASK_TIMEOUT`].
    pub task_timeout: Option<String>,
    /// The desired state of each SSO realm named here; other realms are
    /// left as they are.
    pub realms: Vec<RealmState>,
}

impl OperationsTarget {
    /// How long `apply` waits for a task when the target names no
    /// `taskTimeout`.
    pub const DEFAULT_TASK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

    /// A VCF Operations at `url` that logs in as `username` with
    /// `password` (local users).
    #[must_use]
    pub fn with_credentials(
        name: impl Into<String>,
        url: impl Into<String>,
        username: impl Into<String>,
        password: SecretRef,
    ) -> Self {
        let credentials = OpsCredentials::Password {
            username: Some(username.into()),
            password: Some(password),
            auth_source: None,
        };
        Self {
            name: Some(name.into()),
            connection: Connection::Direct(Ops::new(Endpoint::new(url), Some(credentials))),
            ..Self::default()
        }
    }

    /// A VCF Operations from the caller's context `name`.
    #[must_use]
    pub fn with_context(name: impl Into<String>) -> Self {
        Self {
            connection: Connection::Context(name.into()),
            ..Self::default()
        }
    }

    /// Sets the desired state of its realms.
    #[must_use]
    pub fn realms(mut self, realms: Vec<RealmState>) -> Self {
        self.realms = realms;
        self
    }

    /// Sets how long `apply` waits for each task (`10m`).
    #[must_use]
    pub fn task_timeout(mut self, timeout: impl Into<String>) -> Self {
        self.task_timeout = Some(timeout.into());
        self
    }

    /// The target's name: `name`, else the context, else the URL.
    #[must_use]
    pub fn display_name(&self) -> &str {
        let url = self
            .connection
            .direct()
            .and_then(|o| o.endpoint.url.as_deref());
        display_name(self.name.as_deref(), self.connection.context(), url)
    }

    /// The target a written one makes, or the field that keeps it from one
    /// connection.
    fn from_written(w: Written) -> Result<Self, FieldError> {
        let connection = match (w.url, w.context) {
            (Some(_), Some(_)) => {
                return Err(FieldError::new("context", "give either `url` or `context`"));
            }
            (None, Some(context)) => {
                check_context_only(&[
                    ("username", w.username.is_some()),
                    ("password", w.password.is_some()),
                    ("authSource", w.auth_source.is_some()),
                    ("token", w.token.is_some()),
                    ("caCert", w.ca_cert.is_some()),
                ])?;
                Connection::Context(context)
            }
            // Without `url` either: reported by the document's check.
            (url, None) => {
                let credentials = OpsCredentials::from_fields(
                    w.username,
                    w.password,
                    w.auth_source,
                    w.token,
                )
                .map_err(|_| {
                    FieldError::new(
                        "token",
                        "give one of `username` and `password` (with `authSource`), or `token`",
                    )
                })?;
                let endpoint = Endpoint {
                    url,
                    ca_cert: w.ca_cert,
                };
                Connection::Direct(Ops::new(endpoint, credentials))
            }
        };
        Ok(Self {
            name: w.name,
            connection,
            task_timeout: w.task_timeout,
            realms: w.realms,
        })
    }
}

/// One VCF Operations (VCF 9.1 fleet identity): an address with
/// credentials, or a named context of the caller's configuration.
#[derive(Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "OperationsTarget")]
struct Written {
    /// The target's name in plans and reports; for a `context` target the
    /// context's name is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    /// The VCF Operations base URL, before `/suite-api`
    /// (`https://ops.example.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// The user to log in as (with `password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    /// The password: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<SecretRef>,
    /// The user's authentication source (an imported LDAP server, say);
    /// absent: VCF Operations' local users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    auth_source: Option<String>,
    /// A VCF single sign-on bearer token instead of a user: `env:NAME` or
    /// `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<SecretRef>,
    /// The CA certificate(s) to trust (PEM): `file:PATH` or the PEM text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_cert: Option<PemRef>,
    /// A named context of the caller's configuration instead of `url` and
    /// credentials (resolved by a context resolver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    context: Option<String>,
    /// How long `apply` waits for each of the server's tasks (`90s`,
    /// `10m`; default 10 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    task_timeout: Option<String>,
    /// The desired state of each SSO realm named here (by name or id);
    /// other realms are left as they are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    realms: Vec<RealmState>,
}

impl From<OperationsTarget> for Written {
    fn from(t: OperationsTarget) -> Self {
        let mut w = Self {
            name: t.name,
            url: None,
            username: None,
            password: None,
            auth_source: None,
            token: None,
            ca_cert: None,
            context: None,
            task_timeout: t.task_timeout,
            realms: t.realms,
        };
        match t.connection {
            Connection::Context(name) => w.context = Some(name),
            Connection::Direct(ops) => {
                (w.url, w.ca_cert) = (ops.endpoint.url, ops.endpoint.ca_cert);
                (w.username, w.password, w.auth_source, w.token) =
                    OpsCredentials::into_fields(ops.credentials);
            }
        }
        w
    }
}

through_written!(OperationsTarget);
