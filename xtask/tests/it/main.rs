//! xtask's integration tests, one binary: the faults `cargo xtask check`
//! must catch, the public-API summary and its check, and the vendor
//! descriptions' extraction and check.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod check_faults;
mod man;
mod public_api;
mod vendor_check;
mod vendor_extract;
