//! An Active Directory or OpenLDAP identity source of the embedded provider.

use std::fmt;

use idp_api::vcf::types as wire;

use super::IdentitySourceSpec;

use super::{LdapFields, ldap_setters, required};
use crate::Error;

/// Builds the [`IdentitySourceSpec`] of an embedded identity source.
///
/// ```
/// use idp_client::IdentitySourceSpecBuilder;
///
/// let spec = IdentitySourceSpecBuilder::active_directory("My AD Identity Source")
///     .domain_name("embedded-ids.com")
///     .domain_alias("embedded-ids")
///     .bind_username("svc-ldap@embedded-ids.com")
///     .bind_password("ldap-password")
///     .users_base_dn("ou=users,dc=embedded-ids,dc=com")
///     .groups_base_dn("ou=groups,dc=embedded-ids,dc=com")
///     .server_endpoint("ldap://dns01.embedded-ids.com")
///     .build()?;
/// assert_eq!(spec.domain_name(), Some("embedded-ids.com"));
/// assert_eq!(serde_json::to_value(&spec)?["ldap"]["type"], "ActiveDirectory");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct IdentitySourceSpecBuilder {
    name: String,
    ldap_type: &'static str,
    ldap: LdapFields,
}

impl IdentitySourceSpecBuilder {
    /// An Active Directory (over LDAP) source named `name`.
    #[must_use]
    pub fn active_directory(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ldap_type: "ActiveDirectory",
            ldap: LdapFields::default(),
        }
    }

    /// An OpenLDAP source named `name`.
    #[must_use]
    pub fn open_ldap(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ldap_type: "OpenLdap",
            ldap: LdapFields::default(),
        }
    }

    ldap_setters!();

    /// Validates the fields and builds the spec.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first missing or invalid field.
    pub fn build(&self) -> Result<IdentitySourceSpec, Error> {
        let name = required("name", Some(&self.name))?;
        let ldap = self.ldap.build("ldap", Some(self.ldap_type))?;
        Ok(IdentitySourceSpec(wire::IdentitySourceSpec { name, ldap }))
    }
}

impl fmt::Debug for IdentitySourceSpecBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentitySourceSpecBuilder")
            .field("name", &self.name)
            .field("ldap_type", &self.ldap_type)
            .field("ldap", &self.ldap)
            .finish()
    }
}
