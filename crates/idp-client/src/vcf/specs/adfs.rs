//! Microsoft ADFS: LDAP for users and groups, OIDC for login.

use std::fmt;

use idp_api::vcf::types as wire;

use super::IdentityProviderSpec;

use super::{LdapFields, OidcFields, ldap_setters, oidc_setters, required};
use crate::Error;

/// Builds the [`IdentityProviderSpec`] of a Microsoft ADFS provider.
///
/// ```
/// use idp_client::AdfsSpecBuilder;
///
/// let spec = AdfsSpecBuilder::new("My ADFS")
///     .domain_name("example.com")
///     .bind_username("svc-ldap@example.com")
///     .bind_password("ldap-password")
///     .users_base_dn("ou=users,dc=example,dc=com")
///     .groups_base_dn("ou=groups,dc=example,dc=com")
///     .server_endpoint("ldap://dc01.example.com")
///     .client_id("4b347f04-836e-48af-83a2-c6365aabbbae")
///     .client_secret("oidc-client-secret")
///     .discovery_endpoint("https://adfs.example.com/adfs/.well-known/openid-configuration")
///     .build()?;
/// assert_eq!(spec.kind(), "ActiveDirectory");
/// # Ok::<(), idp_client::Error>(())
/// ```
#[derive(Clone)]
pub struct AdfsSpecBuilder {
    name: String,
    ldap: LdapFields,
    oidc: OidcFields,
    cert_chain: Vec<String>,
}

impl AdfsSpecBuilder {
    /// A builder for a provider shown as `name`.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ldap: LdapFields::default(),
            oidc: OidcFields::default(),
            cert_chain: Vec::new(),
        }
    }

    ldap_setters!();

    oidc_setters!();

    /// Adds a certificate (PEM) of the ADFS server's chain (`certChain`).
    #[must_use]
    pub fn certificate(mut self, pem: impl Into<String>) -> Self {
        self.cert_chain.push(pem.into());
        self
    }

    /// Validates the fields and builds the spec.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first missing or invalid field.
    pub fn build(&self) -> Result<IdentityProviderSpec, Error> {
        let name = required("name", Some(&self.name))?;
        let ldap = self.ldap.build("ldap", None)?;
        let oidc = self.oidc.build("oidc")?;
        Ok(IdentityProviderSpec(wire::IdentityProviderSpec {
            name: Some(name),
            type_: "ActiveDirectory".to_owned(),
            cert_chain: Some(
                self.cert_chain
                    .iter()
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty())
                    .collect(),
            ),
            ldap: Some(ldap),
            oidc: Some(oidc),
            fed_idp_spec: None,
        }))
    }
}

impl fmt::Debug for AdfsSpecBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdfsSpecBuilder")
            .field("name", &self.name)
            .field("ldap", &self.ldap)
            .field("oidc", &self.oidc)
            .field("cert_chain", &self.cert_chain.len())
            .finish()
    }
}
