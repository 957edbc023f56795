//! The simulator's own tests: HTTP on loopback against `127.0.0.1:0`.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod auth;
mod common;
mod concurrency;
mod faults;
mod profiles;
mod request_log;
mod scim;
mod tls;
mod unleash;
mod unleash_maintenance;
mod validation;
mod vcenter_session;
mod vcf_access;
mod vcf_ops;
mod vcf_state;
