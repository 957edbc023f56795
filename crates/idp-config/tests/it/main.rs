//! idp-config's integration tests: documents, and plan/apply against the
//! simulator under every profile.

#![allow(clippy::unwrap_used)] // tests: a panic is a failed test

mod access;
mod broker;
mod document;
mod fleet;
mod operations;
mod property;
