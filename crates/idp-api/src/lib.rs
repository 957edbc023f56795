#![doc = include_str!("../README.md")]

mod hooks;
mod secret;

pub use hooks::{PrepareRequest, RequestHooks};
pub use secret::Secret;

/// Re-exported so callers can name the types in generated signatures.
pub use progenitor_client;

/// The SDDC Manager Identity Providers and token API, generated from
/// `openapi/vcf-identity.json`.
#[allow(
    missing_docs,
    missing_debug_implementations,
    unused_imports,
    unused_qualifications,
    rust_2018_idioms,
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::needless_lifetimes,
    clippy::to_string_trait_impl
)]
pub mod vcf {
    include!(concat!(env!("OUT_DIR"), "/vcf.rs"));
}

/// The Unleash SCIM settings API, generated from `openapi/unleash-scim.json`.
#[allow(
    missing_docs,
    missing_debug_implementations,
    unused_imports,
    unused_qualifications,
    rust_2018_idioms,
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::needless_lifetimes,
    clippy::to_string_trait_impl
)]
pub mod unleash {
    include!(concat!(env!("OUT_DIR"), "/unleash.rs"));
}
