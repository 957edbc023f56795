//! The measuring side of `cargo xtask bench`.
//!
//! - [`corpus`]: the 10,000-provider list body the criterion decode
//!   benchmark (`benches/decode.rs`) reads, built from the seed fixtures.
//! - [`load`]: a closed-loop load generator (N tasks, each sending its next
//!   request when the previous one is answered) with a warm-up, a fixed
//!   measuring window, latency percentiles and the process's CPU time.
//! - The `idp-bench` binary (`src/main.rs`) runs the contenders against one
//!   simulator and prints the tables; `cargo xtask bench` builds it in
//!   release mode and runs it.
//!
//! Nothing here is a test: benchmarks never run as timed assertions.

#![warn(missing_docs)]

pub mod corpus;
pub mod load;
