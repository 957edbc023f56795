//! Typed builders for the specs users write. Each validates its required
//! fields before any request and produces this crate's own request
//! document, which the client methods take.

mod adfs;
mod federated;
mod identity_source;
mod owned;

use std::fmt;

use idp_api::Secret;
use idp_api::vcf::types::{LdapSpec, OidcSpec, SourceDetails};

use crate::Error;

pub use adfs::AdfsSpecBuilder;
pub use federated::FederatedSpecBuilder;
pub use identity_source::IdentitySourceSpecBuilder;
pub use owned::{IdentityProviderSpec, IdentitySourceSpec};

/// A required text field: present and not blank.
fn required(field: &str, value: Option<&String>) -> Result<String, Error> {
    match value.map(|v| v.trim()) {
        Some(v) if !v.is_empty() => Ok(v.to_owned()),
        _ => Err(Error::invalid_input(field, "is required")),
    }
}

/// A required secret: present and not empty.
fn required_secret(field: &str, value: Option<&Secret>) -> Result<Secret, Error> {
    match value {
        Some(v) if !v.expose().is_empty() => Ok(v.clone()),
        _ => Err(Error::invalid_input(field, "is required")),
    }
}

/// A required `https://` URL.
fn https_url(field: &str, value: Option<&String>) -> Result<String, Error> {
    let value = required(field, value)?;
    match url::Url::parse(&value) {
        Ok(url) if url.scheme() == "https" && url.host().is_some() => Ok(value),
        Ok(_) => Err(Error::invalid_input(field, "must be an https:// URL")),
        Err(e) => Err(Error::invalid_input(
            field,
            format!("is not a valid URL: {e}"),
        )),
    }
}

/// A value without whitespace or control characters (domain names).
fn single_token(field: &str, value: String) -> Result<String, Error> {
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err(Error::invalid_input(
            field,
            "must not contain spaces or control characters",
        ))
    } else {
        Ok(value)
    }
}

/// The LDAP part shared by ADFS and embedded identity sources.
#[derive(Clone, Default)]
struct LdapFields {
    domain_name: Option<String>,
    domain_alias: Option<String>,
    username: Option<String>,
    password: Option<Secret>,
    users_base_dn: Option<String>,
    groups_base_dn: Option<String>,
    server_endpoints: Vec<String>,
    cert_chain: Vec<String>,
}

impl fmt::Debug for LdapFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LdapFields")
            .field("domain_name", &self.domain_name)
            .field("domain_alias", &self.domain_alias)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("users_base_dn", &self.users_base_dn)
            .field("groups_base_dn", &self.groups_base_dn)
            .field("server_endpoints", &self.server_endpoints)
            .field("cert_chain", &self.cert_chain.len())
            .finish()
    }
}

impl LdapFields {
    /// Validates and builds the LDAP spec; field names are reported under
    /// `prefix` (`ldap`).
    fn build(&self, prefix: &str, ldap_type: Option<&str>) -> Result<LdapSpec, Error> {
        let field = |name: &str| format!("{prefix}.{name}");
        let domain_name = single_token(
            &field("domainName"),
            required(&field("domainName"), self.domain_name.as_ref())?,
        )?;
        let username = required(&field("username"), self.username.as_ref())?;
        let password = required_secret(&field("password"), self.password.as_ref())?;
        let users_base_dn = required(
            &field("sourceDetails.usersBaseDn"),
            self.users_base_dn.as_ref(),
        )?;
        let groups_base_dn = required(
            &field("sourceDetails.groupsBaseDn"),
            self.groups_base_dn.as_ref(),
        )?;
        let endpoints_field = field("sourceDetails.serverEndpoints");
        if self.server_endpoints.is_empty() {
            return Err(Error::invalid_input(
                endpoints_field,
                "at least one ldap:// or ldaps:// server is required",
            ));
        }
        let mut endpoints = Vec::with_capacity(self.server_endpoints.len());
        let mut any_ldaps = false;
        for endpoint in &self.server_endpoints {
            let endpoint = endpoint.trim();
            match url::Url::parse(endpoint) {
                Ok(url)
                    if (url.scheme() == "ldap" || url.scheme() == "ldaps")
                        && url.host().is_some() =>
                {
                    any_ldaps |= url.scheme() == "ldaps";
                    endpoints.push(endpoint.to_owned());
                }
                _ => {
                    return Err(Error::invalid_input(
                        endpoints_field,
                        format!("{endpoint:?} is not an ldap:// or ldaps:// URL"),
                    ));
                }
            }
        }
        let certs: Vec<String> = self
            .cert_chain
            .iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        if any_ldaps && certs.is_empty() {
            return Err(Error::invalid_input(
                field("sourceDetails.certChain"),
                "the LDAP server's certificate chain is required with ldaps:// servers",
            ));
        }
        Ok(LdapSpec {
            type_: ldap_type.map(str::to_owned),
            domain_name: Some(domain_name),
            domain_alias: self
                .domain_alias
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned),
            username: Some(username),
            password: Some(password),
            source_details: Some(SourceDetails {
                users_base_dn: Some(users_base_dn),
                groups_base_dn: Some(groups_base_dn),
                cert_chain: Some(certs),
                server_endpoints: endpoints,
            }),
        })
    }
}

/// The OIDC client registration shared by ADFS (`oidc`) and federated
/// brokers (`fedIdpSpec.oidcSpec`).
#[derive(Clone, Default)]
struct OidcFields {
    client_id: Option<String>,
    client_secret: Option<Secret>,
    discovery_endpoint: Option<String>,
}

impl fmt::Debug for OidcFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcFields")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("discovery_endpoint", &self.discovery_endpoint)
            .finish()
    }
}

impl OidcFields {
    /// Validates and builds the OIDC spec; field names are reported under
    /// `prefix` (`oidc`, `fedIdpSpec.oidcSpec`).
    fn build(&self, prefix: &str) -> Result<OidcSpec, Error> {
        let field = |name: &str| format!("{prefix}.{name}");
        Ok(OidcSpec {
            client_id: Some(required(&field("clientId"), self.client_id.as_ref())?),
            client_secret: Some(required_secret(
                &field("clientSecret"),
                self.client_secret.as_ref(),
            )?),
            discovery_endpoint: Some(https_url(
                &field("discoveryEndpoint"),
                self.discovery_endpoint.as_ref(),
            )?),
        })
    }
}

/// The OIDC setters of the builders that register an OIDC client.
macro_rules! oidc_setters {
    () => {
        /// The OIDC client id (`clientId`). Required.
        #[must_use]
        pub fn client_id(mut self, id: impl Into<String>) -> Self {
            self.oidc.client_id = Some(id.into());
            self
        }

        /// The OIDC client secret (`clientSecret`). Required.
        #[must_use]
        pub fn client_secret(mut self, secret: impl Into<idp_api::Secret>) -> Self {
            self.oidc.client_secret = Some(secret.into());
            self
        }

        /// The OpenID configuration URL, `https://` (`discoveryEndpoint`).
        /// Required.
        #[must_use]
        pub fn discovery_endpoint(mut self, url: impl Into<String>) -> Self {
            self.oidc.discovery_endpoint = Some(url.into());
            self
        }
    };
}
use oidc_setters;

/// The LDAP setters of the builders that have an `ldap` part.
macro_rules! ldap_setters {
    () => {
        /// The directory's domain name (`ldap.domainName`). Required.
        #[must_use]
        pub fn domain_name(mut self, domain: impl Into<String>) -> Self {
            self.ldap.domain_name = Some(domain.into());
            self
        }

        /// The domain alias, i.e. the NetBIOS name (`ldap.domainAlias`).
        #[must_use]
        pub fn domain_alias(mut self, alias: impl Into<String>) -> Self {
            self.ldap.domain_alias = Some(alias.into());
            self
        }

        /// The bind user (`ldap.username`). Required.
        #[must_use]
        pub fn bind_username(mut self, username: impl Into<String>) -> Self {
            self.ldap.username = Some(username.into());
            self
        }

        /// The bind password (`ldap.password`). Required.
        #[must_use]
        pub fn bind_password(mut self, password: impl Into<idp_api::Secret>) -> Self {
            self.ldap.password = Some(password.into());
            self
        }

        /// The base DN of users (`ldap.sourceDetails.usersBaseDn`). Required.
        #[must_use]
        pub fn users_base_dn(mut self, dn: impl Into<String>) -> Self {
            self.ldap.users_base_dn = Some(dn.into());
            self
        }

        /// The base DN of groups (`ldap.sourceDetails.groupsBaseDn`). Required.
        #[must_use]
        pub fn groups_base_dn(mut self, dn: impl Into<String>) -> Self {
            self.ldap.groups_base_dn = Some(dn.into());
            self
        }

        /// Adds an LDAP server (`ldap://host:389` or `ldaps://host:636`). At
        /// least one is required.
        #[must_use]
        pub fn server_endpoint(mut self, url: impl Into<String>) -> Self {
            self.ldap.server_endpoints.push(url.into());
            self
        }

        /// Replaces the LDAP servers.
        #[must_use]
        pub fn server_endpoints<I, S>(mut self, urls: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.ldap.server_endpoints = urls.into_iter().map(Into::into).collect();
            self
        }

        /// Adds a certificate of the LDAP server's chain (PEM), required
        /// with `ldaps://` servers (`ldap.sourceDetails.certChain`).
        #[must_use]
        pub fn ldap_certificate(mut self, pem: impl Into<String>) -> Self {
            self.ldap.cert_chain.push(pem.into());
            self
        }
    };
}

use ldap_setters;
