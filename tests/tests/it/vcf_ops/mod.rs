//! idp-client's `vcf_ops::Client` against the simulator (profile
//! `vcf-9.1`): the `OpsToken` session, every fleet identity operation, and
//! the task polling of the 202 operations.

mod access;
mod providers;
mod session;
mod tasks;

use idp_client::vcf_ops::{Client, Directory, IdentityProviderSpec, OidcSettings};
use idp_client::{Error, Secret};
use idp_sim::Simulator;

/// An OIDC provider for the realm, provisioned over SCIM through one
/// directory.
fn oidc_spec(realm: &str, name: &str) -> IdentityProviderSpec {
    IdentityProviderSpec::oidc(
        realm,
        name,
        "OKTA",
        OidcSettings::new(
            "okta-client-id",
            Secret::new("okta-client-secret".to_owned()),
            "https://okta.example.com/.well-known/openid-configuration",
        ),
        Directory::new("okta-directory", ["example.com".to_owned()]),
    )
}

/// Creates the realm's OIDC provider; returns its id and its directory's.
async fn create_oidc(client: &Client, sim: &Simulator) -> (String, String) {
    let realm = sim.vcf_ops().realm_id();
    let idp = client
        .create_identity_provider(&oidc_spec(&realm, "Okta"))
        .await
        .unwrap();
    let directory = idp.directories[0].id.clone().unwrap();
    (idp.id, directory)
}

/// How many requests went to `path` (exactly) with `method`.
fn count(sim: &Simulator, method: &str, path: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

fn is_invalid(error: &Error, field: &str) -> bool {
    matches!(error, Error::InvalidInput { field: f, .. } if f == field)
}

const ACQUIRE: &str = "/suite-api/api/auth/token/acquire";
const RELEASE: &str = "/suite-api/api/auth/token/release";
