//! The TOML form of a connection: one table per API of a context
//! (`[contexts.NAME.vcf]`), `kebab-case` keys, a CA file as a plain path.
//! The model's own `Serialize`/`Deserialize` go through these tables, and a
//! caller edits a connection field by field through them (a table holds
//! the fields as written; converting it back checks that they make one
//! kind of credentials).
//!
//! ```toml
//! [contexts.prod.vcf]
//! url = "https://sddc.example.com"
//! ca-cert = "/etc/ssl/corp-ca.pem"
//! username = "administrator@vsphere.local"
//! password = "env:PROD_VCF_PASSWORD"        # or: token = "file:PATH"
//!
//! [contexts.prod.unleash]
//! url = "https://unleash.example.com/unleash"
//! api-token = "file:/run/secrets/unleash"
//!
//! [contexts.prod.broker]
//! url = "https://vcenter.example.com"
//! tenant = "CUSTOMER"
//! client-id = "automation"                  # or vcenter-username + vcenter-password, or token
//! client-secret = "env:PROD_BROKER_SECRET"
//!
//! [contexts.prod.ops]
//! url = "https://ops.example.com"
//! username = "admin"                        # or: token = "env:OPS_TOKEN"
//! password = "env:PROD_OPS_PASSWORD"
//! auth-source = "Imported LDAP Server"      # absent: local users
//!
//! [contexts.prod.okta]
//! url = "https://example.okta.com"
//! api-token = "env:OKTA_API_TOKEN"          # an API token, or `Bearer <access token>`
//!
//! [contexts.prod.entra]
//! tenant-id = "00000000-0000-0000-0000-000000000000"
//! client-id = "11111111-1111-1111-1111-111111111111"
//! client-secret = "env:ENTRA_CLIENT_SECRET"
//! # login-url, graph-url: the national clouds' hosts (default: the global ones)
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{
    Broker, BrokerCredentials, Endpoint, Entra, EntraCredentials, Okta, OktaCredentials, Ops,
    OpsCredentials, Unleash, UnleashCredentials, Vcf, VcfCredentials,
};
use crate::reference::{PemRef, SecretRef};

/// A CA file: a plain path in TOML (`file:PATH` is read too).
mod ca_path {
    use super::{Deserialize, Deserializer, PemRef, Serializer};

    #[allow(clippy::ref_option)] // serde's `with` hands over `&Option<T>`.
    pub fn serialize<S: Serializer>(
        value: &Option<PemRef>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(pem) => match pem.path() {
                Some(path) => serializer.collect_str(&path.display()),
                None => serializer.serialize_str(&pem.0),
            },
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<PemRef>, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        Ok(text.map(|t| {
            if t.starts_with("file:") {
                PemRef(t)
            } else {
                PemRef::file(t)
            }
        }))
    }
}

/// `give one kind of credentials: ...` in a table's own spelling.
fn mixed(kinds: &str) -> String {
    format!("give one kind of credentials: {kinds}")
}

/// `[contexts.NAME.vcf]`: SDDC Manager.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct VcfSection {
    /// The base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Extra CA certificate(s) to trust: a PEM file.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ca_path")]
    pub ca_cert: Option<PemRef>,
    /// The user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The password, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<SecretRef>,
    /// A token instead, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<SecretRef>,
    /// A service account's API key instead, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<SecretRef>,
}

impl TryFrom<VcfSection> for Vcf {
    type Error = String;

    fn try_from(s: VcfSection) -> Result<Self, String> {
        let credentials = VcfCredentials::from_fields(s.username, s.password, s.token, s.api_key)
            .map_err(|_| mixed("`username` and `password`, `token`, or `api-key`"))?;
        Ok(Self {
            endpoint: Endpoint {
                url: s.url,
                ca_cert: s.ca_cert,
            },
            credentials,
        })
    }
}

impl From<Vcf> for VcfSection {
    fn from(v: Vcf) -> Self {
        let (username, password, token, api_key) = VcfCredentials::into_fields(v.credentials);
        Self {
            url: v.endpoint.url,
            ca_cert: v.endpoint.ca_cert,
            username,
            password,
            token,
            api_key,
        }
    }
}

/// `[contexts.NAME.ops]`: VCF Operations (VCF 9.1 fleet identity).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct OpsSection {
    /// The base URL (before `/suite-api`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Extra CA certificate(s) to trust: a PEM file.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ca_path")]
    pub ca_cert: Option<PemRef>,
    /// The user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The password, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<SecretRef>,
    /// The user's authentication source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_source: Option<String>,
    /// A bearer token instead, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<SecretRef>,
}

impl TryFrom<OpsSection> for Ops {
    type Error = String;

    fn try_from(s: OpsSection) -> Result<Self, String> {
        let credentials =
            OpsCredentials::from_fields(s.username, s.password, s.auth_source, s.token)
                .map_err(|_| mixed("`username`, `password` and `auth-source`, or `token`"))?;
        Ok(Self {
            endpoint: Endpoint {
                url: s.url,
                ca_cert: s.ca_cert,
            },
            credentials,
        })
    }
}

impl From<Ops> for OpsSection {
    fn from(o: Ops) -> Self {
        let (username, password, auth_source, token) = OpsCredentials::into_fields(o.credentials);
        Self {
            url: o.endpoint.url,
            ca_cert: o.endpoint.ca_cert,
            username,
            password,
            auth_source,
            token,
        }
    }
}

/// `[contexts.NAME.unleash]`: Unleash.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct UnleashSection {
    /// The base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Extra CA certificate(s) to trust: a PEM file.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ca_path")]
    pub ca_cert: Option<PemRef>,
    /// The API token, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_token: Option<SecretRef>,
}

impl From<UnleashSection> for Unleash {
    fn from(s: UnleashSection) -> Self {
        Self {
            endpoint: Endpoint {
                url: s.url,
                ca_cert: s.ca_cert,
            },
            credentials: s.api_token.map(UnleashCredentials::ApiToken),
        }
    }
}

impl From<Unleash> for UnleashSection {
    fn from(u: Unleash) -> Self {
        Self {
            url: u.endpoint.url,
            ca_cert: u.endpoint.ca_cert,
            api_token: u.credentials.map(|UnleashCredentials::ApiToken(t)| t),
        }
    }
}

/// `[contexts.NAME.broker]`: the VCF Identity Broker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct BrokerSection {
    /// The base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Extra CA certificate(s) to trust: a PEM file.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ca_path")]
    pub ca_cert: Option<PemRef>,
    /// The tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// A vCenter user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcenter_username: Option<String>,
    /// The vCenter user's password, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcenter_password: Option<SecretRef>,
    /// An OAuth 2.0 client id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The client's secret, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SecretRef>,
    /// A token instead, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<SecretRef>,
}

impl TryFrom<BrokerSection> for Broker {
    type Error = String;

    fn try_from(s: BrokerSection) -> Result<Self, String> {
        let credentials = BrokerCredentials::from_fields(
            (s.vcenter_username, s.vcenter_password),
            (s.client_id, s.client_secret),
            s.token,
        )
        .map_err(|_| {
            mixed("`vcenter-username` and `vcenter-password`, `client-id` and `client-secret`, or `token`")
        })?;
        Ok(Self {
            endpoint: Endpoint {
                url: s.url,
                ca_cert: s.ca_cert,
            },
            tenant: s.tenant,
            credentials,
        })
    }
}

impl From<Broker> for BrokerSection {
    fn from(b: Broker) -> Self {
        let mut s = Self {
            url: b.endpoint.url,
            ca_cert: b.endpoint.ca_cert,
            tenant: b.tenant,
            vcenter_username: None,
            vcenter_password: None,
            client_id: None,
            client_secret: None,
            token: None,
        };
        match b.credentials {
            Some(BrokerCredentials::Vcenter { username, password }) => {
                (s.vcenter_username, s.vcenter_password) = (username, password);
            }
            Some(BrokerCredentials::OAuthClient {
                client_id,
                client_secret,
            }) => (s.client_id, s.client_secret) = (client_id, client_secret),
            Some(BrokerCredentials::Token(token)) => s.token = Some(token),
            None => {}
        }
        s
    }
}

/// `[contexts.NAME.okta]`: Okta.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct OktaSection {
    /// The base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Extra CA certificate(s) to trust: a PEM file.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ca_path")]
    pub ca_cert: Option<PemRef>,
    /// The API token, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_token: Option<SecretRef>,
}

impl From<OktaSection> for Okta {
    fn from(s: OktaSection) -> Self {
        Self {
            endpoint: Endpoint {
                url: s.url,
                ca_cert: s.ca_cert,
            },
            credentials: s.api_token.map(OktaCredentials::ApiToken),
        }
    }
}

impl From<Okta> for OktaSection {
    fn from(o: Okta) -> Self {
        Self {
            url: o.endpoint.url,
            ca_cert: o.endpoint.ca_cert,
            api_token: o.credentials.map(|OktaCredentials::ApiToken(t)| t),
        }
    }
}

/// `[contexts.NAME.entra]`: Microsoft Entra ID and Graph.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct EntraSection {
    /// The directory (tenant) id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// An OAuth 2.0 client id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The client's secret, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SecretRef>,
    /// The Microsoft identity platform login host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_url: Option<String>,
    /// The Microsoft Graph host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph_url: Option<String>,
    /// Extra CA certificate(s) to trust: a PEM file.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ca_path")]
    pub ca_cert: Option<PemRef>,
}

impl From<EntraSection> for Entra {
    fn from(s: EntraSection) -> Self {
        let credentials = (s.client_id.is_some() || s.client_secret.is_some()).then_some(
            EntraCredentials::ClientSecret {
                client_id: s.client_id,
                client_secret: s.client_secret,
            },
        );
        Self {
            endpoint: Endpoint {
                url: s.graph_url,
                ca_cert: s.ca_cert,
            },
            login_url: s.login_url,
            tenant_id: s.tenant_id,
            credentials,
        }
    }
}

impl From<Entra> for EntraSection {
    fn from(e: Entra) -> Self {
        let (client_id, client_secret) = match e.credentials {
            Some(EntraCredentials::ClientSecret {
                client_id,
                client_secret,
            }) => (client_id, client_secret),
            None => (None, None),
        };
        Self {
            tenant_id: e.tenant_id,
            client_id,
            client_secret,
            login_url: e.login_url,
            graph_url: e.endpoint.url,
            ca_cert: e.endpoint.ca_cert,
        }
    }
}

/// Serde for the model through its table: `#[serde(try_from, into)]`
/// needs `Clone` and loses nothing, so the derives stay on the tables.
macro_rules! through_section {
    ($model:ty, $section:ty) => {
        impl Serialize for $model {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$section>::from(self.clone()).serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $model {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let section = <$section>::deserialize(deserializer)?;
                <$model>::try_from(section).map_err(serde::de::Error::custom)
            }
        }
    };
}

through_section!(Vcf, VcfSection);
through_section!(Unleash, UnleashSection);
through_section!(Broker, BrokerSection);
through_section!(Okta, OktaSection);
through_section!(Entra, EntraSection);
through_section!(Ops, OpsSection);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::super::{Broker, BrokerCredentials, Ops, OpsCredentials, Vcf, VcfCredentials};
    use crate::{PemRef, SecretRef};

    #[test]
    fn a_table_reads_and_writes_back_the_same() {
        let text = "url = \"https://sddc.example.com\"\nca-cert = \"/etc/ssl/ca.pem\"\nusername = \"admin\"\npassword = \"env:PW\"\n";
        let vcf: Vcf = toml::from_str(text).unwrap();
        assert_eq!(vcf.endpoint.ca_cert, Some(PemRef::file("/etc/ssl/ca.pem")));
        assert_eq!(
            vcf.credentials,
            Some(VcfCredentials::Password {
                username: Some("admin".into()),
                password: Some(SecretRef::parse("env:PW"))
            })
        );
        assert_eq!(toml::to_string(&vcf).unwrap(), text);
    }

    #[test]
    fn two_kinds_of_credentials_are_refused() {
        let err = toml::from_str::<Broker>("client-id = \"c\"\ntoken = \"env:T\"\n").unwrap_err();
        assert!(err.message().contains("one kind of credentials"), "{err}");
        let broker: Broker = toml::from_str("token = \"env:T\"\ntenant = \"X\"\n").unwrap();
        assert_eq!(
            broker.credentials,
            Some(BrokerCredentials::Token(SecretRef::parse("env:T")))
        );
        assert!(toml::from_str::<Vcf>("uri = \"x\"\n").is_err());
    }

    #[test]
    fn an_ops_table_reads_and_writes_back_the_same() {
        let text = "url = \"https://ops.example.com\"\nusername = \"admin\"\npassword = \"env:PW\"\nauth-source = \"LDAP\"\n";
        let ops: Ops = toml::from_str(text).unwrap();
        assert_eq!(
            ops.credentials,
            Some(OpsCredentials::Password {
                username: Some("admin".into()),
                password: Some(SecretRef::parse("env:PW")),
                auth_source: Some("LDAP".into()),
            })
        );
        assert_eq!(toml::to_string(&ops).unwrap(), text);
        let err = toml::from_str::<Ops>("auth-source = \"LDAP\"\ntoken = \"env:T\"\n").unwrap_err();
        assert!(err.message().contains("`auth-source`, or `token`"), "{err}");
    }
}
