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
