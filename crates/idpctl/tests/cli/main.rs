//! Integration tests of the `idpctl` binary against the in-process
//! simulator (one test binary; see the modules).

#![allow(clippy::unwrap_used)]

mod access;
mod broker;
mod broker_config;
mod broker_lifecycle;
mod check;
mod common;
mod contexts;
mod contexts_compat;
mod deliver_entra;
mod deliver_okta;
mod exit_codes;
mod ops;
mod ops_deliver;
mod ops_lifecycle;
mod options;
mod plan;
mod rotate;
mod scim;
mod scim_server;
mod secrets;
mod sim_and_demo;
mod terminal;
mod terminal_safety;
mod tls;
mod unleash;
mod vcf;
mod vcf_access;
mod vcf_api_key;
mod vcf_credentials;
mod vcf_sync_token;
