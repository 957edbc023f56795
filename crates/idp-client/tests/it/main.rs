//! `idp-client`'s integration tests, one binary with a module per concern
//! (one link step instead of thirteen).

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod api_key;
mod auth;
mod common;
mod config;
mod decoder_properties;
mod entra;
mod error_pages;
mod errors;
mod field_tolerance;
mod new_provider_id;
mod path_encoding;
mod response_framing;
mod retries;
mod secrets;
mod send_sync;
mod specs;
mod tls;
mod tolerance;
mod vcf_operations;
mod vcf_ops;
