//! A federated identity broker: Okta, Microsoft Entra ID, Ping Federate.

use std::fmt;
use std::time::Duration;

use idp_api::vcf::types::{self as wire, FederatedDirectorySpec, FederatedIdpSpec};

use super::IdentityProviderSpec;

use super::{OidcFields, oidc_setters, required, single_token};
use crate::{Error, FederatedSource};

/// Builds the [`IdentityProviderSpec`] of a federated broker provider
/// (`type: FEDERATED_IDP_BROKER`).
///
/// The spec has no top-level `name` (as in the documented Okta request: the
/// name is `fedIdpSpec.name`). The directory carries
/// `federatedIdpSourceType` (`OKTA`, `MICROSOFT_ENTRA_ID`, `PING_FEDERATE`),
/// which VCF 5.2 and later require and earlier servers ignore.
///
/// ```
/// use idp_client::FederatedSpecBuilder;
///
/// let spec = FederatedSpecBuilder::okta("okta")
///     .directory_name("okta_dir")
///     .default_domain("example.com")
///     .domain("example.org")
///     .client_id("5c7c57d7-54dc-4d58-ad92-7fa717604cda")
///     .client_secret("oidc-client-secret")
///     .discovery_endpoint("https://example.okta.com/.well-known/openid-configuration")
///     .build()?;
/// assert_eq!(spec.kind(), "FEDERATED_IDP_BROKER");
/// # Ok::<(), idp_client::Error>(())
/// ```
#[derive(Clone)]
pub struct FederatedSpecBuilder {
    source: FederatedSource,
    name: String,
    directory_name: Option<String>,
    directory_id: Option<String>,
    default_domain: Option<String>,
    domains: Vec<String>,
    oidc: OidcFields,
    sync_client_token_ttl: Option<Duration>,
}

impl FederatedSpecBuilder {
    /// A builder for a federation with `source`, named `name`
    /// (`fedIdpSpec.name`).
    #[must_use]
    pub fn new(source: FederatedSource, name: impl Into<String>) -> Self {
        Self {
            source,
            name: name.into(),
            directory_name: None,
            directory_id: None,
            default_domain: None,
            domains: Vec::new(),
            oidc: OidcFields::default(),
            sync_client_token_ttl: None,
        }
    }

    /// Okta.
    #[must_use]
    pub fn okta(name: impl Into<String>) -> Self {
        Self::new(FederatedSource::Okta, name)
    }

    /// Microsoft Entra ID.
    #[must_use]
    pub fn entra_id(name: impl Into<String>) -> Self {
        Self::new(FederatedSource::EntraId, name)
    }

    /// Ping Federate.
    #[must_use]
    pub fn ping_federate(name: impl Into<String>) -> Self {
        Self::new(FederatedSource::PingFederate, name)
    }

    /// The directory's name (`fedIdpSpec.directory.name`). Required.
    #[must_use]
    pub fn directory_name(mut self, name: impl Into<String>) -> Self {
        self.directory_name = Some(name.into());
        self
    }

    /// The id of an existing directory, when updating.
    #[must_use]
    pub fn directory_id(mut self, id: impl Into<String>) -> Self {
        self.directory_id = Some(id.into());
        self
    }

    /// The domain used when a user name has none
    /// (`fedIdpSpec.directory.defaultDomain`). Required; it is also added to
    /// the domains.
    #[must_use]
    pub fn default_domain(mut self, domain: impl Into<String>) -> Self {
        self.default_domain = Some(domain.into());
        self
    }

    /// Adds a domain of the directory (`fedIdpSpec.directory.domains`).
    #[must_use]
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domains.push(domain.into());
        self
    }

    oidc_setters!();

    /// The sync client token lifetime as VCF 5.1 reads it
    /// (`fedIdpSpec.syncClientTokenTTL`, whole seconds). VCF 5.2 and later
    /// take it per token: see
    /// [`VcfClient::generate_sync_client_token`](crate::VcfClient::generate_sync_client_token).
    #[must_use]
    pub fn sync_client_token_ttl(mut self, ttl: Duration) -> Self {
        self.sync_client_token_ttl = Some(ttl);
        self
    }

    /// Validates the fields and builds the spec.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first missing or invalid field.
    pub fn build(&self) -> Result<IdentityProviderSpec, Error> {
        let name = required("fedIdpSpec.name", Some(&self.name))?;
        if let FederatedSource::Other(raw) = &self.source
            && raw.trim().is_empty()
        {
            return Err(Error::invalid_input(
                "fedIdpSpec.directory.federatedIdpSourceType",
                "is required",
            ));
        }
        let directory_name = required("fedIdpSpec.directory.name", self.directory_name.as_ref())?;
        let default_field = "fedIdpSpec.directory.defaultDomain";
        let default_domain = single_token(
            default_field,
            required(default_field, self.default_domain.as_ref())?,
        )?;
        let mut domains = vec![default_domain.clone()];
        for domain in &self.domains {
            let domain = single_token(
                "fedIdpSpec.directory.domains",
                required("fedIdpSpec.directory.domains", Some(domain))?,
            )?;
            if !domains.iter().any(|d| d.eq_ignore_ascii_case(&domain)) {
                domains.push(domain);
            }
        }
        let ttl = match self.sync_client_token_ttl {
            None => None,
            Some(ttl) if ttl.as_secs() == 0 => {
                return Err(Error::invalid_input(
                    "fedIdpSpec.syncClientTokenTTL",
                    "must be at least one second",
                ));
            }
            Some(ttl) => Some(i64::try_from(ttl.as_secs()).map_err(|_| {
                Error::invalid_input("fedIdpSpec.syncClientTokenTTL", "is too large")
            })?),
        };
        let oidc = self.oidc.build("fedIdpSpec.oidcSpec")?;
        Ok(IdentityProviderSpec(wire::IdentityProviderSpec {
            name: None,
            type_: "FEDERATED_IDP_BROKER".to_owned(),
            cert_chain: None,
            ldap: None,
            oidc: None,
            fed_idp_spec: Some(FederatedIdpSpec {
                name: Some(name),
                directory: Some(FederatedDirectorySpec {
                    name: Some(directory_name),
                    directory_id: self
                        .directory_id
                        .as_deref()
                        .map(str::trim)
                        .filter(|id| !id.is_empty())
                        .map(str::to_owned),
                    default_domain: Some(default_domain),
                    domains,
                    federated_idp_source_type: Some(self.source.as_str().to_owned()),
                }),
                oidc_spec: Some(oidc),
                sync_client_token_ttl: ttl,
            }),
        }))
    }
}

impl fmt::Debug for FederatedSpecBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FederatedSpecBuilder")
            .field("source", &self.source)
            .field("name", &self.name)
            .field("directory_name", &self.directory_name)
            .field("directory_id", &self.directory_id)
            .field("default_domain", &self.default_domain)
            .field("domains", &self.domains)
            .field("oidc", &self.oidc)
            .field("sync_client_token_ttl", &self.sync_client_token_ttl)
            .finish()
    }
}
