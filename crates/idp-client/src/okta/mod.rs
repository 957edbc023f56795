//! Okta: [`Client`] reads and sets an app's default provisioning
//! connection, where a rotated SCIM token is delivered.

mod builder;
mod client;
mod models;
pub(crate) mod ops;

pub use builder::ClientBuilder;
pub use client::Client;
pub use models::ProvisioningConnection;
