//! The workspace's contract and end-to-end tests, one binary with a module
//! per concern (one link step instead of seven).

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod broker;
mod contract;
mod end_to_end;
mod fault_matrix;
mod hostile_input;
mod load;
mod secret_hygiene;
mod sim_media_types;
mod tls;
mod vendor_delivery;
