//! One connection model for every API: where its server is (an
//! [`Endpoint`], for some APIs a tenant or a second host) and how to log in
//! (one credentials enum per API), all as references ([`SecretRef`],
//! [`PemRef`]) resolved only when a client is built.
//!
//! A document's targets ([`Vcf`]), brokers ([`Broker`]) and VCF
//! Operations ([`Ops`]) use it, and so
//! do the named contexts of a caller's configuration file (every API). A
//! context is one layer of several (flags and the environment come first),
//! so any field may be left to another layer and every field is optional
//! here; a document checks that its own are complete when it is read.
//!
//! Each kind of credentials is one variant: a connection holds one kind,
//! never two (a user *and* a token). [`section`] gives the TOML form of a
//! context (`kebab-case` keys); a document's targets keep their own
//! `camelCase` fields ([`Key`] names a field in both).

pub mod section;

use crate::reference::{PemRef, SecretRef};

/// Where a server is: its base URL and extra CA certificates to trust.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The base URL (`https://sddc.example.com`).
    pub url: Option<String>,
    /// Extra CA certificate(s) to trust (PEM): `file:PATH` or the PEM text.
    pub ca_cert: Option<PemRef>,
}

impl Endpoint {
    /// An endpoint at `url` with the system's trust store.
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: Some(url.into()),
            ca_cert: None,
        }
    }

    /// Whether neither field is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.url.is_none() && self.ca_cert.is_none()
    }
}

/// Two kinds of credentials were written for one connection (a user and a
/// token, say): which one was meant is not guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MixedCredentials;

/// How to log in to SDDC Manager.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum VcfCredentials {
    /// A user and its password (`POST /v1/tokens`).
    Password {
        /// The user name.
        username: Option<String>,
        /// The password.
        password: Option<SecretRef>,
    },
    /// A bearer token.
    Token(SecretRef),
    /// A service account's API key (`POST /v1/tokens` with `apiKey`).
    ApiKey(SecretRef),
}

impl VcfCredentials {
    /// The credentials the written fields make: none, a user (or only its
    /// password, for a user named elsewhere), a token, or an API key.
    ///
    /// # Errors
    ///
    /// [`MixedCredentials`] for more than one kind (a token with a user, an
    /// API key with a password, ...).
    pub fn from_fields(
        username: Option<String>,
        password: Option<SecretRef>,
        token: Option<SecretRef>,
        api_key: Option<SecretRef>,
    ) -> Result<Option<Self>, MixedCredentials> {
        match (username, password, token, api_key) {
            (None, None, None, None) => Ok(None),
            (None, None, Some(token), None) => Ok(Some(Self::Token(token))),
            (None, None, None, Some(key)) => Ok(Some(Self::ApiKey(key))),
            (username, password, None, None) => Ok(Some(Self::Password { username, password })),
            _ => Err(MixedCredentials),
        }
    }

    /// The written fields: user name, password, token, API key.
    #[must_use]
    pub fn into_fields(
        credentials: Option<Self>,
    ) -> (
        Option<String>,
        Option<SecretRef>,
        Option<SecretRef>,
        Option<SecretRef>,
    ) {
        match credentials {
            Some(Self::Password { username, password }) => (username, password, None, None),
            Some(Self::Token(token)) => (None, None, Some(token), None),
            Some(Self::ApiKey(key)) => (None, None, None, Some(key)),
            None => (None, None, None, None),
        }
    }

    /// The secret references with their fields.
    #[must_use]
    pub fn secrets(&self) -> Vec<(Key, &SecretRef)> {
        match self {
            Self::Password { password, .. } => {
                password.iter().map(|p| (Key::Password, p)).collect()
            }
            Self::Token(token) => vec![(Key::Token, token)],
            Self::ApiKey(key) => vec![(Key::ApiKey, key)],
        }
    }
}

/// How to log in to VCF Operations.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum OpsCredentials {
    /// A user, its password and its authentication source
    /// (`POST /suite-api/api/auth/token/acquire`, then `OpsToken`).
    Password {
        /// The user name.
        username: Option<String>,
        /// The password.
        password: Option<SecretRef>,
        /// The authentication source (an imported LDAP server, say);
        /// absent: VCF Operations' local users.
        auth_source: Option<String>,
    },
    /// A bearer access token from VCF single sign-on.
    Token(SecretRef),
}

impl OpsCredentials {
    /// The credentials the written fields make: none, a user (or only its
    /// password or source, for a user named elsewhere), or a token.
    ///
    /// # Errors
    ///
    /// [`MixedCredentials`] for a token with any of the user's fields.
    pub fn from_fields(
        username: Option<String>,
        password: Option<SecretRef>,
        auth_source: Option<String>,
        token: Option<SecretRef>,
    ) -> Result<Option<Self>, MixedCredentials> {
        match (username, password, auth_source, token) {
            (None, None, None, None) => Ok(None),
            (None, None, None, Some(token)) => Ok(Some(Self::Token(token))),
            (username, password, auth_source, None) => Ok(Some(Self::Password {
                username,
                password,
                auth_source,
            })),
            _ => Err(MixedCredentials),
        }
    }

    /// The written fields: user name, password, authentication source,
    /// token.
    #[must_use]
    pub fn into_fields(
        credentials: Option<Self>,
    ) -> (
        Option<String>,
        Option<SecretRef>,
        Option<String>,
        Option<SecretRef>,
    ) {
        match credentials {
            Some(Self::Password {
                username,
                password,
                auth_source,
            }) => (username, password, auth_source, None),
            Some(Self::Token(token)) => (None, None, None, Some(token)),
            None => (None, None, None, None),
        }
    }

    /// The secret references with their fields.
    #[must_use]
    pub fn secrets(&self) -> Vec<(Key, &SecretRef)> {
        match self {
            Self::Password { password, .. } => {
                password.iter().map(|p| (Key::Password, p)).collect()
            }
            Self::Token(token) => vec![(Key::Token, token)],
        }
    }
}

/// How to log in to a VCF Identity Broker.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BrokerCredentials {
    /// A vCenter user with `VcIdentityProviders.Manage`: the client reads
    /// the tenant admin token from vCenter.
    Vcenter {
        /// The vCenter user name.
        username: Option<String>,
        /// Its password.
        password: Option<SecretRef>,
    },
    /// An OAuth 2.0 client of the broker (client credentials grant).
    OAuthClient {
        /// The client id.
        client_id: Option<String>,
        /// The client secret.
        client_secret: Option<SecretRef>,
    },
    /// A broker admin token.
    Token(SecretRef),
}

impl BrokerCredentials {
    /// The credentials the written fields make: none, a vCenter user, an
    /// OAuth 2.0 client (either possibly without its secret, for one given
    /// elsewhere), or a token.
    ///
    /// # Errors
    ///
    /// [`MixedCredentials`] for fields of more than one kind.
    pub fn from_fields(
        vcenter: (Option<String>, Option<SecretRef>),
        client: (Option<String>, Option<SecretRef>),
        token: Option<SecretRef>,
    ) -> Result<Option<Self>, MixedCredentials> {
        let written = |(a, b): &(Option<String>, Option<SecretRef>)| a.is_some() || b.is_some();
        let kinds = [written(&vcenter), written(&client), token.is_some()];
        match (kinds.iter().filter(|k| **k).count(), token) {
            (0, _) => Ok(None),
            (1, Some(token)) => Ok(Some(Self::Token(token))),
            (1, None) if kinds[0] => Ok(Some(Self::Vcenter {
                username: vcenter.0,
                password: vcenter.1,
            })),
            (1, None) => Ok(Some(Self::OAuthClient {
                client_id: client.0,
                client_secret: client.1,
            })),
            _ => Err(MixedCredentials),
        }
    }

    /// The secret references with their fields.
    #[must_use]
    pub fn secrets(&self) -> Vec<(Key, &SecretRef)> {
        match self {
            Self::Vcenter { password, .. } => {
                password.iter().map(|p| (Key::VcenterPassword, p)).collect()
            }
            Self::OAuthClient { client_secret, .. } => client_secret
                .iter()
                .map(|s| (Key::ClientSecret, s))
                .collect(),
            Self::Token(token) => vec![(Key::Token, token)],
        }
    }
}

/// How to log in to Unleash.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum UnleashCredentials {
    /// An admin API key, sent as written in `Authorization`.
    ApiToken(SecretRef),
}

impl UnleashCredentials {
    /// The secret references with their fields.
    #[must_use]
    pub fn secrets(&self) -> Vec<(Key, &SecretRef)> {
        match self {
            Self::ApiToken(token) => vec![(Key::ApiToken, token)],
        }
    }
}

/// How to call Okta's management API.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum OktaCredentials {
    /// An API token (sent as `SSWS`), or an OAuth 2.0 access token written
    /// as `Bearer <token>`.
    ApiToken(SecretRef),
}

impl OktaCredentials {
    /// The secret references with their fields.
    #[must_use]
    pub fn secrets(&self) -> Vec<(Key, &SecretRef)> {
        match self {
            Self::ApiToken(token) => vec![(Key::ApiToken, token)],
        }
    }
}

/// How to get an app-only token from the Microsoft identity platform.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EntraCredentials {
    /// An app registration's client id and secret (client credentials grant).
    ClientSecret {
        /// The application (client) id.
        client_id: Option<String>,
        /// The client secret.
        client_secret: Option<SecretRef>,
    },
}

impl EntraCredentials {
    /// The secret references with their fields.
    #[must_use]
    pub fn secrets(&self) -> Vec<(Key, &SecretRef)> {
        match self {
            Self::ClientSecret { client_secret, .. } => client_secret
                .iter()
                .map(|s| (Key::ClientSecret, s))
                .collect(),
        }
    }
}

/// The secret references of a connection's credentials, with their fields.
macro_rules! secrets_of {
    ($($api:ty),*) => {$(
        impl $api {
            /// The secret references of its credentials, with their fields.
            #[must_use]
            pub fn secrets(&self) -> Vec<(Key, &SecretRef)> {
                self.credentials.as_ref().map(|c| c.secrets()).unwrap_or_default()
            }
        }
    )*};
}

secrets_of!(Vcf, Unleash, Broker, Okta, Entra, Ops);

/// An SDDC Manager.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Vcf {
    /// Where it is.
    pub endpoint: Endpoint,
    /// How to log in.
    pub credentials: Option<VcfCredentials>,
}

impl Vcf {
    /// An SDDC Manager at `endpoint` with `credentials`.
    #[must_use]
    pub fn new(endpoint: Endpoint, credentials: Option<VcfCredentials>) -> Self {
        Self {
            endpoint,
            credentials,
        }
    }
}

/// A VCF Operations (VCF 9.1 fleet identity): the base URL before
/// `/suite-api`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Ops {
    /// Where it is.
    pub endpoint: Endpoint,
    /// How to log in.
    pub credentials: Option<OpsCredentials>,
}

impl Ops {
    /// A VCF Operations at `endpoint` with `credentials`.
    #[must_use]
    pub fn new(endpoint: Endpoint, credentials: Option<OpsCredentials>) -> Self {
        Self {
            endpoint,
            credentials,
        }
    }
}

/// An Unleash server (everything before `/api`, may include a sub-path).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Unleash {
    /// Where it is.
    pub endpoint: Endpoint,
    /// How to log in.
    pub credentials: Option<UnleashCredentials>,
}

/// A VCF Identity Broker (the vCenter that runs it).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Broker {
    /// Where it is.
    pub endpoint: Endpoint,
    /// The tenant (the client's default is `CUSTOMER`).
    pub tenant: Option<String>,
    /// How to log in.
    pub credentials: Option<BrokerCredentials>,
}

impl Broker {
    /// A broker at `endpoint` with `credentials`.
    #[must_use]
    pub fn new(endpoint: Endpoint, credentials: Option<BrokerCredentials>) -> Self {
        Self {
            endpoint,
            tenant: None,
            credentials,
        }
    }
}

/// An Okta org (where `--deliver okta:APP_ID` writes a token).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Okta {
    /// The org URL.
    pub endpoint: Endpoint,
    /// How to call its management API.
    pub credentials: Option<OktaCredentials>,
}

/// Microsoft Entra ID and Graph (where `--deliver entra:ID` writes a token).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Entra {
    /// The Microsoft Graph host (the client's default is the global one).
    pub endpoint: Endpoint,
    /// The Microsoft identity platform login host (default: the global one).
    pub login_url: Option<String>,
    /// The directory (tenant) id.
    pub tenant_id: Option<String>,
    /// The app registration.
    pub credentials: Option<EntraCredentials>,
}

/// A field of a connection, as each file format spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Key {
    /// The base URL (for Entra, the Graph host).
    Url,
    /// The CA certificates.
    CaCert,
    /// The broker tenant.
    Tenant,
    /// The Entra directory (tenant) id.
    TenantId,
    /// The Entra login host.
    LoginUrl,
    /// The Microsoft Graph host (Entra's [`Endpoint::url`]).
    GraphUrl,
    /// A user name.
    Username,
    /// A password.
    Password,
    /// A token.
    Token,
    /// A vCenter user name.
    VcenterUsername,
    /// A vCenter password.
    VcenterPassword,
    /// An OAuth 2.0 client id.
    ClientId,
    /// An OAuth 2.0 client secret.
    ClientSecret,
    /// An API token.
    ApiToken,
    /// An SDDC Manager service account's API key.
    ApiKey,
    /// VCF Operations' authentication source of a user.
    AuthSource,
}

impl Key {
    /// As a document spells it (`caCert`).
    #[must_use]
    pub fn camel(self) -> &'static str {
        match self {
            Self::Url => "url",
            Self::CaCert => "caCert",
            Self::Tenant => "tenant",
            Self::TenantId => "tenantId",
            Self::LoginUrl => "loginUrl",
            Self::GraphUrl => "graphUrl",
            Self::Username => "username",
            Self::Password => "password",
            Self::Token => "token",
            Self::VcenterUsername => "vcenterUsername",
            Self::VcenterPassword => "vcenterPassword",
            Self::ClientId => "clientId",
            Self::ClientSecret => "clientSecret",
            Self::ApiToken => "apiToken",
            Self::ApiKey => "apiKey",
            Self::AuthSource => "authSource",
        }
    }

    /// As a TOML context spells it (`ca-cert`).
    #[must_use]
    pub fn kebab(self) -> &'static str {
        match self {
            Self::Url => "url",
            Self::CaCert => "ca-cert",
            Self::Tenant => "tenant",
            Self::TenantId => "tenant-id",
            Self::LoginUrl => "login-url",
            Self::GraphUrl => "graph-url",
            Self::Username => "username",
            Self::Password => "password",
            Self::Token => "token",
            Self::VcenterUsername => "vcenter-username",
            Self::VcenterPassword => "vcenter-password",
            Self::ClientId => "client-id",
            Self::ClientSecret => "client-secret",
            Self::ApiToken => "api-token",
            Self::ApiKey => "api-key",
            Self::AuthSource => "auth-source",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{BrokerCredentials, MixedCredentials, OpsCredentials, VcfCredentials};
    use crate::SecretRef;

    fn secret(text: &str) -> Option<SecretRef> {
        Some(SecretRef::parse(text))
    }

    #[test]
    fn one_kind_of_vcf_credentials() {
        assert_eq!(
            VcfCredentials::from_fields(None, None, None, None),
            Ok(None)
        );
        assert_eq!(
            VcfCredentials::from_fields(None, None, secret("env:T"), None),
            Ok(Some(VcfCredentials::Token(SecretRef::parse("env:T"))))
        );
        assert_eq!(
            VcfCredentials::from_fields(None, secret("env:P"), None, None),
            Ok(Some(VcfCredentials::Password {
                username: None,
                password: secret("env:P")
            }))
        );
        assert_eq!(
            VcfCredentials::from_fields(Some("u".into()), None, secret("env:T"), None),
            Err(MixedCredentials)
        );
    }

    #[test]
    fn one_kind_of_broker_credentials() {
        let none = (None, None);
        assert_eq!(
            BrokerCredentials::from_fields(none.clone(), none.clone(), None),
            Ok(None)
        );
        assert_eq!(
            BrokerCredentials::from_fields((None, secret("env:P")), none.clone(), None),
            Ok(Some(BrokerCredentials::Vcenter {
                username: None,
                password: secret("env:P")
            }))
        );
        assert_eq!(
            BrokerCredentials::from_fields(none.clone(), (Some("c".into()), None), None),
            Ok(Some(BrokerCredentials::OAuthClient {
                client_id: Some("c".into()),
                client_secret: None
            }))
        );
        assert_eq!(
            BrokerCredentials::from_fields(
                (Some("u".into()), None),
                (Some("c".into()), None),
                None
            ),
            Err(MixedCredentials)
        );
        assert_eq!(
            BrokerCredentials::from_fields(none.clone(), (Some("c".into()), None), secret("env:T")),
            Err(MixedCredentials)
        );
    }

    #[test]
    fn one_kind_of_ops_credentials() {
        assert_eq!(
            OpsCredentials::from_fields(None, None, None, None),
            Ok(None)
        );
        assert_eq!(
            OpsCredentials::from_fields(None, None, None, secret("env:T")),
            Ok(Some(OpsCredentials::Token(SecretRef::parse("env:T"))))
        );
        assert_eq!(
            OpsCredentials::from_fields(None, None, Some("LDAP".into()), None),
            Ok(Some(OpsCredentials::Password {
                username: None,
                password: None,
                auth_source: Some("LDAP".into())
            }))
        );
        assert_eq!(
            OpsCredentials::from_fields(None, None, Some("LDAP".into()), secret("env:T")),
            Err(MixedCredentials)
        );
        let user = OpsCredentials::Password {
            username: Some("admin".into()),
            password: secret("env:P"),
            auth_source: None,
        };
        assert_eq!(
            OpsCredentials::from_fields(Some("admin".into()), secret("env:P"), None, None),
            Ok(Some(user.clone()))
        );
        assert_eq!(
            OpsCredentials::into_fields(Some(user)),
            (Some("admin".into()), secret("env:P"), None, None)
        );
    }
}
