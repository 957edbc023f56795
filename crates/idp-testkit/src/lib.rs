//! The workspace's test support. Every crate's tests take their shared
//! helpers from here (as a dev-dependency): the seed fixtures, spec
//! builders, a started simulator, a client of every API wired to it (one
//! module per API), fast retry policies, a capture of everything traced.
//! The simulator's own tests are the exception: this crate links the
//! generated layer (through `idp-client`), which `idp-sim` must not see.
//! The cross-crate tests themselves live in `tests/` (package `idp-tests`).
//!
//! Helpers panic on failure: they run only in tests, where a panic is a
//! failed test.

#![warn(missing_docs)]

mod broker;
mod entra;
mod fixtures;
mod okta;
mod scim;
mod sim;
mod specs;
mod trace;
mod unleash;
mod vcf;
mod vcf_ops;

pub use broker::{broker_admin_token, broker_client, broker_client_builder, broker_vcenter_client};
pub use entra::{entra_client, entra_client_builder};
pub use fixtures::{Fixture, all_fixtures, fixture, fixtures_dir, seed, seed_json, seed_path};
pub use okta::{okta_client, okta_client_builder};
pub use scim::{
    SCIM_TOOLS, ScimServer, ScimTools, ScimToolsUnavailable, scim_tools, scim_tools_or_skip,
    workspace_root,
};
pub use sim::{build_config, fast_config, fast_config_builder, fast_retries, start_sim};
pub use specs::{
    LDAP_BIND_PASSWORD, OKTA_CLIENT_SECRET, ad_source_builder, okta_builder, okta_spec,
    okta_spec_json,
};
pub use trace::TraceCapture;
pub use unleash::{unleash_client, unleash_client_builder};
pub use vcf::{vcf_client, vcf_client_builder};
pub use vcf_ops::{ops_client, ops_client_builder, start_ops_sim};
