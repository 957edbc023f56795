//! `cargo xtask bench`: every figure of `BENCHMARKS.md` in one command.
//!
//! 1. builds `idp-bench` and `idpctl` in release mode;
//! 2. creates `target/bench-venv` (python3 -m venv + pip install requests)
//!    unless it already has `requests`;
//! 3. runs `target/release/idp-bench http`: idp-client vs raw reqwest vs
//!    Python `requests` against one release simulator on loopback, at
//!    concurrency 1 and 32; the simulator's capacity at 64 connections; the
//!    CLI's `--help` wall time and `vcf idp list` peak RSS;
//!    then, under `valgrind --tool=callgrind`, counts the instructions
//!    idp-client and raw reqwest execute per request;
//! 4. runs the criterion decode benchmark (`cargo bench -p idp-bench --bench
//!    decode`) and reads MB/s from its output files;
//! 5. times `idp_codegen::generate_file` for both specs in this process;
//! 6. unless `--skip-fleet`: `idp-bench fleet`, idp-config's plan over 50
//!    simulators that delay every request by 20 ms, at `--parallel 16`,
//!    against one of them alone (wall-time ratio, requests per target);
//!    `--only-fleet` runs only this (after the release build);
//!    `--only-broker` runs only step 3's broker list row (idp-client's
//!    `BrokerClient::list_directories` vs raw reqwest vs Python, and its
//!    instruction counts), without the simulator's capacity and the CLI;
//! 7. unless `--skip-build-cost`: a cold `cargo build -p idp-client` in
//!    `target/bench-cold` and an incremental rebuild after touching
//!    `crates/idp-client/src/lib.rs`;
//! 8. prints a summary with the targets.
//!
//! Results land in `target/bench/` (`http.json`, `fleet.json`, `summary.json`,
//! `criterion/`).

mod measure;
mod options;
mod summary;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

pub use options::{BenchOptions, USAGE};

use measure::{build_report, callgrind_report, codegen_report, decode_report, python_venv};
use summary::{load_average, machine, print_summary};

/// The target directory: `CARGO_TARGET_DIR`, else `<root>/target`.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map_or_else(|| root.join("target"), |d| root.join(d))
}

pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

pub(crate) fn run(command: &mut Command, what: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    if status.success() {
        Ok(started.elapsed())
    } else {
        Err(format!("{what}: {status}"))
    }
}

fn build_release(root: &Path) -> Result<(), String> {
    build_release_of(root, &["idp-bench", "idpctl"])
}

/// `cargo build --release` of `packages`.
fn build_release_of(root: &Path, packages: &[&str]) -> Result<(), String> {
    println!("== building {} (release)", packages.join(" and "));
    let mut command = cargo();
    command.current_dir(root).args(["build", "--release"]);
    for package in packages {
        command.args(["-p", package]);
    }
    let what = format!("cargo build --release -p {}", packages.join(" -p "));
    run(&mut command, &what).map(drop)
}

/// `idp-bench http` (with Python unless `--skip-python`; only the broker
/// list, without the simulator's capacity and the CLI, when
/// `broker_only`); its JSON.
fn http_report(
    root: &Path,
    target: &Path,
    out: &Path,
    options: &BenchOptions,
    broker_only: bool,
) -> Result<serde_json::Value, String> {
    let python = if options.skip_python {
        None
    } else {
        Some(python_venv(target)?)
    };
    let json_out = out.join(if broker_only {
        "http-broker.json"
    } else {
        "http.json"
    });
    let mut command = Command::new(target.join("release/idp-bench"));
    command
        .current_dir(root)
        .arg("http")
        .args(["--duration", &options.duration.to_string()])
        .args(["--warmup", &options.warmup.to_string()])
        .args(["--rounds", &options.rounds.to_string()])
        .arg("--json")
        .arg(&json_out);
    if broker_only {
        command.args(["--op", "broker-list", "--no-sim-capacity"]);
    } else {
        command.arg("--idpctl").arg(target.join("release/idpctl"));
    }
    if let Some(python) = &python {
        command
            .arg("--python")
            .arg(python)
            .arg("--script")
            .arg(root.join("crates/idp-bench/python/load.py"));
    }
    println!("== {load}\n", load = load_average());
    run(&mut command, "idp-bench http")?;
    println!("\n   ({} after the run)", load_average());
    let text =
        std::fs::read_to_string(&json_out).map_err(|e| format!("{}: {e}", json_out.display()))?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// `idp-bench fleet`: idp-config's plan over 50 simulators answering with
/// a 20 ms delay at `--parallel 16`, against one of them alone; its JSON.
fn fleet_report(target: &Path, out: &Path) -> Result<serde_json::Value, String> {
    println!("\n== fleet plan ({})", load_average());
    let json_out = out.join("fleet.json");
    run(
        Command::new(target.join("release/idp-bench"))
            .args([
                "fleet",
                "--targets",
                "50",
                "--parallel",
                "16",
                "--delay-ms",
                "20",
            ])
            .arg("--json")
            .arg(&json_out),
        "idp-bench fleet",
    )?;
    println!("   ({} after the run)", load_average());
    let text =
        std::fs::read_to_string(&json_out).map_err(|e| format!("{}: {e}", json_out.display()))?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// Runs the whole benchmark from the workspace at `root`.
///
/// # Errors
///
/// A build, a measurement or the Python setup failed.
pub fn bench(root: &Path, options: &BenchOptions) -> Result<(), String> {
    if options.help {
        println!("{USAGE}");
        return Ok(());
    }
    let target = target_dir(root);
    let out = target.join("bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("# cargo xtask bench\n");
    println!("{}", machine().join("\n"));
    println!();

    let mut summary = json!({ "machine": machine() });

    if options.only_fleet {
        build_release(root)?;
        summary["fleet"] = fleet_report(&target, &out)?;
        print_summary(&summary);
        return Ok(());
    }

    if options.only_broker {
        build_release_of(root, &["idp-bench"])?;
        summary["http"] = http_report(root, &target, &out, options, true)?;
        if !options.skip_callgrind {
            summary["callgrind"] = callgrind_report(&target, &out, &["broker-list"])?;
        }
        print_summary(&summary);
        return Ok(());
    }

    if !options.skip_http {
        build_release(root)?;
        summary["http"] = http_report(root, &target, &out, options, false)?;
        if options.skip_callgrind {
            println!("\n== instructions per request: skipped (--skip-callgrind)");
        } else {
            summary["callgrind"] =
                callgrind_report(&target, &out, &["list", "get", "broker-list"])?;
        }
    }

    if options.skip_fleet {
        println!("\n== fleet plan: skipped (--skip-fleet)");
    } else {
        if options.skip_http {
            build_release(root)?;
        }
        summary["fleet"] = fleet_report(&target, &out)?;
    }

    if !options.skip_decode {
        println!(
            "\n== criterion: decoding a 10,000-provider list ({})",
            load_average()
        );
        let home = out.join("criterion");
        run(
            cargo()
                .current_dir(root)
                .env("CRITERION_HOME", &home)
                .args([
                    "bench",
                    "-p",
                    "idp-bench",
                    "--bench",
                    "decode",
                    "--",
                    "--noplot",
                ]),
            "cargo bench -p idp-bench --bench decode",
        )?;
        summary["decode"] = decode_report(&home)?;
    }

    println!("\n== code generation ({})", load_average());
    summary["codegen"] = codegen_report(root, options.codegen_runs)?;

    if options.skip_build_cost {
        println!("\n== build cost: skipped (--skip-build-cost)");
    } else {
        println!("\n== build cost ({})", load_average());
        summary["build"] = build_report(root, &target)?;
    }

    print_summary(&summary);
    let path = out.join("summary.json");
    let text = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("\n(results: {})", path.display());
    Ok(())
}
