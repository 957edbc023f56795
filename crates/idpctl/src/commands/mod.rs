//! One module per noun or command, each with its arguments next to its
//! `run`; `rotation` and `expiry` are what the rotate commands share;
//! `service_keys` delivers the keys of service users that `apply` creates.

pub mod apply;
pub mod broker;
pub mod check;
pub mod completions;
pub mod config;
pub mod demo;
pub mod expiry;
pub mod ops;
pub mod plan;
pub mod rotation;
pub mod schema;
pub mod scim;
pub mod service_keys;
pub mod sim;
pub mod unleash;
pub mod vcf;
pub mod verify;
