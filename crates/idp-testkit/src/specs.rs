//! Specs for tests: the documented Okta example (as the facade builds it
//! and as the wire JSON) and an Active Directory identity source.

use idp_client::IdentityProviderSpec;
use idp_client::{FederatedSpecBuilder, IdentitySourceSpecBuilder, Secret};

use crate::fixtures::seed_json;

/// The client secret of [`okta_builder`]'s spec.
pub const OKTA_CLIENT_SECRET: &str = "okta-client-secret";

/// The documented Okta provider (`okta`, directory `okta_dir`, domain
/// `domain1.com`) as a facade builder, for a test to adjust.
#[must_use]
pub fn okta_builder() -> FederatedSpecBuilder {
    FederatedSpecBuilder::okta("okta")
        .directory_name("okta_dir")
        .default_domain("domain1.com")
        .domain("domain1.com")
        .client_id("5c7c57d7-54dc-4d58-ad92-7fa717604cda")
        .client_secret(Secret::new(OKTA_CLIENT_SECRET))
        .discovery_endpoint("https://domain.com/.well-known/openid-configuration")
}

/// [`okta_builder`]'s spec, built.
#[must_use]
pub fn okta_spec() -> IdentityProviderSpec {
    match okta_builder().build() {
        Ok(spec) => spec,
        Err(e) => panic!("Okta spec: {e}"),
    }
}

/// The documented Okta request body, as JSON (the seed fixture).
#[must_use]
pub fn okta_spec_json() -> serde_json::Value {
    seed_json("addExternalIdentityProvider.okta.request.json")
}

/// The bind password of [`ad_source_builder`]'s source.
pub const LDAP_BIND_PASSWORD: &str = "ldap-bind-password";

/// An Active Directory identity source for `domain` (named `AD <domain>`,
/// bound as `svc@<domain>`), without a server endpoint: the test adds it.
#[must_use]
pub fn ad_source_builder(domain: &str) -> IdentitySourceSpecBuilder {
    IdentitySourceSpecBuilder::active_directory(format!("AD {domain}"))
        .domain_name(domain)
        .domain_alias(domain.split('.').next().unwrap_or(domain))
        .bind_username(format!("svc@{domain}"))
        .bind_password(Secret::new(LDAP_BIND_PASSWORD))
        .users_base_dn("users-base-dn")
        .groups_base_dn("groups-base-dn")
}
