//! The workspace's cross-crate tests, one binary (one link step) with a
//! module per API and a module per concern across APIs.
//!
//! Per API, idp-client against the simulator: `vcf`, `unleash`, `broker/`
//! (the Identity Broker and vCenter), `okta`, `entra`, `vcf_ops/` (VCF
//! Operations 9.1 fleet identity). Across APIs:
//! `contract` (the seed fixtures against the specs), `sim_conformance/`
//! and `sim_media_types` (the simulator's answers and media types against
//! the specs: two independent readings of the vendors' documents, checked
//! here where both crates meet), `fault_matrix/`, `hostile_input`, `load`,
//! `secret_hygiene`, `tls`.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod broker;
mod contract;
mod entra;
mod fault_matrix;
mod hostile_input;
mod load;
mod okta;
mod scim;
mod secret_hygiene;
mod sim_conformance;
mod sim_media_types;
mod tls;
mod unleash;
mod vcf;
mod vcf_access;
mod vcf_ops;
