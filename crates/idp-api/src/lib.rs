#![doc = include_str!("../README.md")]

mod hooks;
mod secret;

pub use hooks::{PrepareRequest, RequestHooks, ResponseTooLarge};
pub use secret::Secret;

/// Re-exported so callers can name the types in generated signatures.
pub use progenitor_client;

/// Includes one generated client from `OUT_DIR`, fenced in a module that
/// carries the lint allowances generated code needs (and only it).
macro_rules! generated_module {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
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
        pub mod $name {
            include!(concat!(env!("OUT_DIR"), "/", $file));
        }
    };
}

generated_module!(
    /// The SDDC Manager Identity Providers and token API, generated from
    /// `openapi/vcf-identity.json`.
    vcf,
    "vcf.rs"
);

generated_module!(
    /// The Unleash SCIM settings API, generated from `openapi/unleash-scim.json`.
    unleash,
    "unleash.rs"
);
