//! vCenter's calls around the Identity Broker: [`Client`] logs in to the
//! vSphere Automation API (a session), reads a broker tenant's admin
//! client token, and ends the session. The broker client's
//! `vcenter_credentials` uses it to get its admin token.

mod builder;
mod client;
mod models;
pub(crate) mod ops;

pub use builder::ClientBuilder;
pub use client::Client;
pub use models::TenantAdminToken;
