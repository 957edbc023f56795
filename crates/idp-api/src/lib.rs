#![doc = include_str!("../README.md")]

mod hooks;
mod operation;
mod secret;

pub use hooks::{PrepareRequest, RequestHooks, ResponseTooLarge};
pub use operation::{Operation, SuccessBody};
pub use secret::Secret;

/// Re-exported so callers can name the types in generated signatures.
pub use progenitor_client;

/// Includes one generated client from `OUT_DIR`, fenced in a module that
/// carries the lint allowances generated code needs (and only it), plus its
/// generated operation table as `operations`, which needs none of them.
macro_rules! generated_module {
    ($(#[$doc:meta])* $name:ident, $file:literal, $operations:literal) => {
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

            /// Every operation of this spec: its id, method, path template,
            /// tag, declared statuses and success body, generated from the
            /// spec (`idp-codegen`), with [`find`](operations::find) by id.
            #[deny(missing_docs)]
            #[warn(clippy::all)]
            pub mod operations {
                pub use crate::{Operation, SuccessBody};

                include!(concat!(env!("OUT_DIR"), "/", $operations));
            }
        }
    };
}

generated_module!(
    /// The SDDC Manager Identity Providers and token API, generated from
    /// `openapi/vcf-identity.json`.
    vcf,
    "vcf.rs",
    "vcf_operations.rs"
);

generated_module!(
    /// The Unleash SCIM settings API, generated from `openapi/unleash-scim.json`.
    unleash,
    "unleash.rs",
    "unleash_operations.rs"
);

generated_module!(
    /// The VCF Identity Broker API (directories, identity providers, OAuth
    /// 2.0 clients, token endpoint), generated from
    /// `openapi/vcf-identity-broker.json`.
    broker,
    "broker.rs",
    "broker_operations.rs"
);

generated_module!(
    /// The vCenter session and Identity Broker admin-client operations,
    /// generated from `openapi/vcenter-session.json`.
    vcenter,
    "vcenter.rs",
    "vcenter_operations.rs"
);

generated_module!(
    /// Okta's default provisioning connection of an app, generated from
    /// `openapi/okta-apps.json`.
    okta,
    "okta.rs",
    "okta_operations.rs"
);

generated_module!(
    /// The Microsoft identity platform's token endpoint (client
    /// credentials), generated from `openapi/microsoft-identity.json`.
    msidentity,
    "msidentity.rs",
    "msidentity_operations.rs"
);

generated_module!(
    /// Microsoft Graph synchronization jobs and secrets of a service
    /// principal, generated from `openapi/microsoft-graph-sync.json`.
    msgraph,
    "msgraph.rs",
    "msgraph_operations.rs"
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
