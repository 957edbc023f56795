//! Microsoft Entra: [`Client`] gets an app-only token from the Microsoft
//! identity platform (client credentials) and calls Microsoft Graph for a
//! service principal's synchronization jobs and secrets, where a rotated
//! SCIM token is delivered.

mod auth;
mod builder;
mod client;
mod models;
pub(crate) mod ops;

pub use builder::{ClientBuilder, DEFAULT_ENTRA_GRAPH_URL, DEFAULT_ENTRA_LOGIN_URL};
pub use client::Client;
