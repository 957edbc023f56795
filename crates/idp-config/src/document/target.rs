//! One SDDC Manager of a document, and how it is written (`url` with
//! `username` + `password`, `token` or `apiKey`, `caCert`; or `context`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Connection, FieldError, check_context_only, display_name};
use crate::connection::{Endpoint, Vcf, VcfCredentials};
use crate::document::Identity;
use crate::reference::{PemRef, SecretRef};

/// One SDDC Manager: an address with credentials, or a named context of the
/// caller's configuration.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Target {
    /// The target's name in plans and reports; for a `context` target the
    /// context's name is the default.
    pub name: Option<String>,
    /// Where it is and how to log in.
    pub connection: Connection<Vcf>,
    /// This target's desired identity, instead of the document's.
    pub identity: Option<Identity>,
}

impl Target {
    /// A target at `url` that logs in as `username` with `password`.
    #[must_use]
    pub fn with_credentials(
        name: impl Into<String>,
        url: impl Into<String>,
        username: impl Into<String>,
        password: SecretRef,
    ) -> Self {
        let credentials = VcfCredentials::Password {
            username: Some(username.into()),
            password: Some(password),
        };
        Self {
            name: Some(name.into()),
            connection: Connection::Direct(Vcf::new(Endpoint::new(url), Some(credentials))),
            identity: None,
        }
    }

    /// A target from the caller's context `name`.
    #[must_use]
    pub fn with_context(name: impl Into<String>) -> Self {
        Self {
            connection: Connection::Context(name.into()),
            ..Self::default()
        }
    }

    /// The target's name: `name`, else the context, else the URL.
    #[must_use]
    pub fn display_name(&self) -> &str {
        let url = self
            .connection
            .direct()
            .and_then(|v| v.endpoint.url.as_deref());
        display_name(self.name.as_deref(), self.connection.context(), url)
    }

    /// Sets this target's own desired identity.
    #[must_use]
    pub fn identity(mut self, identity: Identity) -> Self {
        self.identity = Some(identity);
        self
    }
}

/// One SDDC Manager: an address with credentials, or a named context of the
/// caller's configuration.
#[derive(Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "Target")]
struct Written {
    /// The target's name in plans and reports; for a `context` target the
    /// context's name is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    /// The SDDC Manager's base URL (`https://sddc.example.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// The user to log in as (with `password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    /// The password: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<SecretRef>,
    /// A bearer token instead of a user: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<SecretRef>,
    /// A service account's API key instead of a user: `env:NAME` or
    /// `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_key: Option<SecretRef>,
    /// The CA certificate(s) to trust (PEM): `file:PATH` or the PEM text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_cert: Option<PemRef>,
    /// A named context of the caller's configuration instead of
    /// `url` and credentials (resolved by a context resolver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    context: Option<String>,
    /// This target's desired identity, instead of the document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    identity: Option<Identity>,
}

impl Target {
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
                    ("token", w.token.is_some()),
                    ("apiKey", w.api_key.is_some()),
                    ("caCert", w.ca_cert.is_some()),
                ])?;
                Connection::Context(context)
            }
            // Without `url` either: reported by the document's check.
            (url, None) => {
                let field = if w.api_key.is_some() {
                    "apiKey"
                } else {
                    "token"
                };
                let credentials =
                    VcfCredentials::from_fields(w.username, w.password, w.token, w.api_key)
                        .map_err(|_| {
                            FieldError::new(
                                field,
                                "give one of `username` and `password`, `token`, or `apiKey`",
                            )
                        })?;
                let endpoint = Endpoint {
                    url,
                    ca_cert: w.ca_cert,
                };
                Connection::Direct(Vcf::new(endpoint, credentials))
            }
        };
        Ok(Self {
            name: w.name,
            connection,
            identity: w.identity,
        })
    }
}

impl From<Target> for Written {
    fn from(t: Target) -> Self {
        let mut w = Self {
            name: t.name,
            url: None,
            username: None,
            password: None,
            token: None,
            api_key: None,
            ca_cert: None,
            context: None,
            identity: t.identity,
        };
        match t.connection {
            Connection::Context(name) => w.context = Some(name),
            Connection::Direct(vcf) => {
                (w.url, w.ca_cert) = (vcf.endpoint.url, vcf.endpoint.ca_cert);
                (w.username, w.password, w.token, w.api_key) =
                    VcfCredentials::into_fields(vcf.credentials);
            }
        }
        w
    }
}

through_written!(Target);
