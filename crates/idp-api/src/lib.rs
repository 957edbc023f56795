#![doc = include_str!("../README.md")]

mod hooks;
mod operation;
mod secret;

pub use hooks::{PrepareRequest, RequestHooks, ResponseTooLarge};
pub use operation::{Operation, SuccessBody};
pub use secret::Secret;

/// Re-exported so callers can name the types in generated signatures.
pub use progenitor_client;

/// Includes the code generated from one spec (its client and, as
/// `operations`, its operation table), fenced in a module that carries the
/// lint allowances generated code needs. The code is the committed
/// `generated/<module>.rs`, or with the `codegen` feature the same file
/// generated into `OUT_DIR` by the build script.
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
            #[cfg(not(feature = "codegen"))]
            include!(concat!("../generated/", $file));
            #[cfg(feature = "codegen")]
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

generated_module!(
    /// The VCF Identity Broker API (directories, identity providers, OAuth
    /// 2.0 clients, token endpoint), generated from
    /// `openapi/vcf-identity-broker.json`.
    broker,
    "broker.rs"
);

generated_module!(
    /// The vCenter session and Identity Broker admin-client operations,
    /// generated from `openapi/vcenter-session.json`.
    vcenter,
    "vcenter.rs"
);

generated_module!(
    /// Okta's default provisioning connection of an app, generated from
    /// `openapi/okta-apps.json`.
    okta,
    "okta.rs"
);

generated_module!(
    /// The Microsoft identity platform's token endpoint (client
    /// credentials), generated from `openapi/microsoft-identity.json`.
    msidentity,
    "msidentity.rs"
);

generated_module!(
    /// Microsoft Graph synchronization jobs and secrets of a service
    /// principal, generated from `openapi/microsoft-graph-sync.json`.
    msgraph,
    "msgraph.rs"
);

generated_module!(
    /// VCF Operations 9.1 fleet identity: OpsToken acquire and release,
    /// SSO realms, identity providers, SCIM sync clients, LDAP directories,
    /// role assignments, users and groups, roles, API tokens, OAuth apps
    /// and IAM tasks, generated from `openapi/vcf-operations-identity.json`.
    vcf_ops,
    "vcf_ops.rs"
);

/// Makes sure rustls has a process-wide crypto provider, so that reqwest can
/// build a client.
///
/// The workspace builds reqwest with `rustls-no-provider` so that only
/// *ring* is compiled: aws-lc-rs, reqwest's default, more than doubled the
/// cold build (BENCHMARKS.md, "Build cost"). reqwest then takes the process
/// default provider and panics without one. This installs ring unless the
/// application installed a provider first, which is then used as is.
/// idp-client calls it before building a client; call it yourself before
/// building a `reqwest::Client` of your own (or a generated client's `new`)
/// when nothing else in the process has installed a provider.
pub fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one first; either way a provider is set.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
