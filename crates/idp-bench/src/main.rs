//! `idp-bench`: the HTTP and CLI half of `cargo xtask bench` (which builds
//! this binary in release mode and runs it).
//!
//! ```text
//! idp-bench http [--duration S] [--warmup S] [--rounds N] [--python PY --script FILE]
//!                [--idpctl BIN] [--help-runs N] [--json OUT]
//!                [--runtime auto|current-thread|multi-thread]
//!                [--only idp-client|raw|python] [--op list|get|broker-list] [--concurrency N]
//!                [--no-sim-capacity]
//! idp-bench load --only idp-client|raw --op list|get|broker-list --concurrency N
//!                [--url URL --id ID [--tenant T]]
//!                    # one contender in this process (what `http` runs per measurement)
//! idp-bench sim      # internal: the simulator process `http` starts
//! idp-bench fleet [--targets 50] [--parallel 16] [--delay-ms 20] [--rounds 7] [--json OUT]
//!                    # idp-config's plan over a fleet of simulators vs one (see fleet.rs)
//!
//! The last four flags narrow a run (for profiling one contender, e.g. under
//! `perf record`); `cargo xtask bench` passes only `--op broker-list
//! --no-sim-capacity` (for `--only-broker`).
//! ```
//!
//! `http` starts one simulator (a child process running `idp-bench sim`,
//! release build, plain HTTP on 127.0.0.1, keep-alive) and, for `GET
//! /v1/identity-providers`, `GET /v1/identity-providers/{id}` and the
//! broker's `GET /usergroup/t/{tenant}/broker/directories` at concurrency 1
//! and 32, measures in turn, round after round:
//!
//! - `idp-client`: `VcfClient::list_identity_providers` /
//!   `get_identity_provider`, `BrokerClient::list_directories`, with a
//!   bearer token (decoded into the normalized models);
//! - `raw`: a `reqwest::Client` sending the same requests (`Authorization:
//!   Bearer`, the same `Accept`: `application/json`, the broker's vendor
//!   media type) and decoding into `serde_json::Value`;
//! - `python`: `requests` with one `Session` per thread (`--python`).
//!
//! Then the simulator's own capacity (raw reqwest, 64 keep-alive
//! connections) and, with `--idpctl`, the CLI's `--help` wall time and the
//! peak RSS of `idpctl vcf idp list` (via `/usr/bin/time -v`).
//!
//! The simulator runs in its own process, and each Rust measurement in a
//! fresh `idp-bench load` process (as each Python one in its own
//! interpreter): no contender inherits another's heap, pool or runtime, and
//! a measuring process's CPU time is its contender's alone.

mod contenders;
mod fleet;
mod options;
mod run;
mod runtime;
mod sim;

use std::process::ExitCode;

use contenders::run_load;
use options::Options;
use run::run_http;
use sim::run_sim;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("sim") => run_sim(),
        Some("http") => Options::parse(&args[1..]).and_then(|o| run_http(&o)),
        Some("load") => Options::parse(&args[1..]).and_then(|o| run_load(&o)),
        Some("fleet") => fleet::run_fleet(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("idp-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: idp-bench http [--duration S] [--warmup S] [--rounds N] \
[--python PY --script FILE] [--idpctl BIN] [--help-runs N] [--json OUT]  (run it through `cargo xtask bench`)
       idp-bench fleet [--targets N] [--parallel N] [--delay-ms MS] [--rounds N] [--json OUT]
       idp-bench load --only idp-client|raw --op list|get|broker-list --concurrency N [--duration S] [--warmup S] \
[--runtime auto|current-thread|multi-thread] [--url URL --id PROVIDER_ID [--tenant T] (token in BENCH_TOKEN)]";
