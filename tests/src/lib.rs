//! The workspace's test support, and the home of its contract and
//! end-to-end tests (`tests/it`). Every crate's tests take their shared
//! helpers from here (as a dev-dependency): the seed fixtures, spec
//! builders, a started simulator, clients wired to it, fast retry policies, a capture of everything traced.
//!
//! Helpers panic on failure: they run only in tests, where a panic is a
//! failed test.

#![warn(missing_docs)]

mod clients;
mod fixtures;
mod specs;
mod trace;

pub use clients::{
    broker_admin_token, build_config, fast_config, fast_config_builder, fast_retries, start_sim,
    unleash_client, unleash_client_builder, vcf_client, vcf_client_builder,
};
pub use fixtures::{Fixture, all_fixtures, fixture, fixtures_dir, seed, seed_json, seed_path};
pub use specs::{
    LDAP_BIND_PASSWORD, OKTA_CLIENT_SECRET, ad_source_builder, okta_builder, okta_spec,
    okta_spec_json,
};
pub use trace::TraceCapture;
