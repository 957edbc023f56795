//! Unleash (Enterprise) SCIM: [`Client`] reads and sets the SCIM settings
//! and generates the SCIM API token.

mod builder;
mod client;
pub(crate) mod models;
pub(crate) mod ops;

pub use builder::ClientBuilder;
pub use client::Client;
pub use models::{ScimSettings, ScimToken};
