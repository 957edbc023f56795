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
//! 6. unless `--skip-build-cost`: a cold `cargo build -p idp-client` in
//!    `target/bench-cold` and an incremental rebuild after touching
//!    `crates/idp-client/src/lib.rs`;
//! 7. prints a summary with the targets.
//!
//! Results land in `target/bench/` (`http.json`, `summary.json`,
//! `criterion/`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};

/// What `cargo xtask bench` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchOptions {
    /// Skip the cold and incremental builds (the slowest part).
    pub skip_build_cost: bool,
    /// Skip the Python contender (no venv is created).
    pub skip_python: bool,
    /// Skip the HTTP and CLI measurements.
    pub skip_http: bool,
    /// Skip the criterion decode benchmark.
    pub skip_decode: bool,
    /// Skip counting instructions per request under callgrind.
    pub skip_callgrind: bool,
    /// Seconds measured per contender and round.
    pub duration: f64,
    /// Seconds of warm-up per contender and round.
    pub warmup: f64,
    /// Rounds per contender (the median is reported).
    pub rounds: u32,
    /// Runs of the code generation timing.
    pub codegen_runs: u32,
    /// Only print the usage.
    pub help: bool,
}

impl Default for BenchOptions {
    fn default() -> Self {
        Self {
            skip_build_cost: false,
            skip_python: false,
            skip_http: false,
            skip_decode: false,
            skip_callgrind: false,
            duration: 3.0,
            warmup: 1.0,
            rounds: 5,
            codegen_runs: 5,
            help: false,
        }
    }
}

/// The usage text of `cargo xtask bench`.
pub const USAGE: &str = "\
usage: cargo xtask bench [options]
  --skip-build-cost   skip the cold and incremental `cargo build -p idp-client` (minutes)
  --skip-python       skip the Python requests contender
  --skip-http         skip the HTTP and CLI measurements
  --skip-decode       skip the criterion decode benchmark
  --skip-callgrind    skip counting instructions per request under valgrind --tool=callgrind
  --duration SECS     measured seconds per contender and round (default 3)
  --warmup SECS       warm-up seconds per contender and round (default 1)
  --rounds N          rounds per contender, median reported (default 5)
  --codegen-runs N    runs of the code generation timing (default 5)
  --quick             --duration 1 --warmup 0.5 --rounds 1 --skip-build-cost --skip-callgrind";

impl BenchOptions {
    /// Parses the arguments after `bench`.
    ///
    /// # Errors
    ///
    /// An unknown flag or a bad value.
    pub fn parse(args: &[String]) -> Result<BenchOptions, String> {
        let mut options = BenchOptions::default();
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--help" | "-h" => options.help = true,
                "--skip-build-cost" => options.skip_build_cost = true,
                "--skip-python" => options.skip_python = true,
                "--skip-http" => options.skip_http = true,
                "--skip-decode" => options.skip_decode = true,
                "--skip-callgrind" => options.skip_callgrind = true,
                "--quick" => {
                    options.duration = 1.0;
                    options.warmup = 0.5;
                    options.rounds = 1;
                    options.skip_build_cost = true;
                    options.skip_callgrind = true;
                }
                "--duration" => options.duration = seconds(flag, &value()?)?,
                "--warmup" => options.warmup = seconds(flag, &value()?)?,
                "--rounds" => options.rounds = count(flag, &value()?)?,
                "--codegen-runs" => options.codegen_runs = count(flag, &value()?)?,
                other => return Err(format!("unknown option {other}")),
            }
        }
        if options.duration <= 0.0 {
            return Err("--duration must be more than 0".to_owned());
        }
        Ok(options)
    }
}

fn seconds(flag: &str, value: &str) -> Result<f64, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| format!("{flag}: not a number of seconds: {value}"))
}

fn count(flag: &str, value: &str) -> Result<u32, String> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{flag}: not a positive count: {value}"))
}

/// The target directory: `CARGO_TARGET_DIR`, else `<root>/target`.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map_or_else(|| root.join("target"), |d| root.join(d))
}

pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn run(command: &mut Command, what: &str) -> Result<Duration, String> {
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

    if !options.skip_http {
        println!("== building idp-bench and idpctl (release)");
        run(
            cargo().current_dir(root).args([
                "build",
                "--release",
                "-p",
                "idp-bench",
                "-p",
                "idpctl",
            ]),
            "cargo build --release -p idp-bench -p idpctl",
        )?;
        let python = if options.skip_python {
            None
        } else {
            Some(python_venv(&target)?)
        };
        let json_out = out.join("http.json");
        let mut command = Command::new(target.join("release/idp-bench"));
        command
            .current_dir(root)
            .arg("http")
            .args(["--duration", &options.duration.to_string()])
            .args(["--warmup", &options.warmup.to_string()])
            .args(["--rounds", &options.rounds.to_string()])
            .arg("--idpctl")
            .arg(target.join("release/idpctl"))
            .arg("--json")
            .arg(&json_out);
        if let Some(python) = &python {
            command
                .arg("--python")
                .arg(python)
                .arg("--script")
                .arg(root.join("crates/idp-bench/python/load.py"));
        }
        println!("== {load}\n", load = load_average());
        run(&mut command, "idp-bench http")?;
        let text = std::fs::read_to_string(&json_out)
            .map_err(|e| format!("{}: {e}", json_out.display()))?;
        summary["http"] = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        if options.skip_callgrind {
            println!("\n== instructions per request: skipped (--skip-callgrind)");
        } else {
            summary["callgrind"] = callgrind_report(&target, &out)?;
        }
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

/// `target/bench-venv` with `requests`; returns its interpreter.
fn python_venv(target: &Path) -> Result<PathBuf, String> {
    let venv = target.join("bench-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        println!("== creating {} (python3 -m venv)", venv.display());
        run(
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
            "python3 -m venv (or pass --skip-python)",
        )?;
    }
    let has_requests = Command::new(&python)
        .args(["-c", "import requests"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_requests {
        println!("== pip install requests into {}", venv.display());
        run(
            Command::new(&python).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "requests",
            ]),
            "pip install requests (or pass --skip-python)",
        )?;
    }
    Ok(python)
}

/// Instructions the load tasks execute per request (idp-client and raw, list
/// and get, concurrency 1), counted by `valgrind --tool=callgrind` with
/// collection toggled on inside `idp_bench::load::drive`: the work of
/// building, sending and decoding requests, free of the timing noise of a
/// shared machine. The simulator process is not traced.
fn callgrind_report(target: &Path, out: &Path) -> Result<Value, String> {
    let valgrind = Command::new("valgrind").arg("--version").output();
    if !valgrind.is_ok_and(|o| o.status.success()) {
        println!("\n== instructions per request: unavailable (valgrind is not installed)");
        return Ok(Value::Null);
    }
    println!(
        "\n== instructions per request (valgrind --tool=callgrind, concurrency 1, {})",
        load_average()
    );
    println!(
        "\n| operation | idp-client instructions/request | raw instructions/request | idp-client/raw |"
    );
    println!("|---|---:|---:|---:|");
    let bench = target.join("release/idp-bench");
    let mut rows = Vec::new();
    for op in ["list", "get"] {
        let mut per_request = Vec::new();
        for contender in ["idp-client", "raw"] {
            let stem = out.join(format!("callgrind-{contender}-{op}"));
            let log = stem.with_extension("log");
            // `idp-bench load` starts its own simulator process, which
            // valgrind does not follow.
            let output = Command::new("valgrind")
                .arg("--tool=callgrind")
                .arg(format!(
                    "--callgrind-out-file={}",
                    stem.with_extension("out").display()
                ))
                .arg(format!("--log-file={}", log.display()))
                .arg("--toggle-collect=idp_bench::load::drive::*")
                .arg(&bench)
                .args(["load", "--only", contender, "--op", op])
                .args(["--concurrency", "1", "--duration", "3", "--warmup", "0"])
                .stderr(std::process::Stdio::inherit())
                .output()
                .map_err(|e| format!("valgrind: cannot start: {e}"))?;
            if !output.status.success() {
                return Err(format!("valgrind idp-bench load: {}", output.status));
            }
            let log_text =
                std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
            let instructions = log_text
                .lines()
                .find_map(|l| l.split("Collected : ").nth(1))
                .and_then(|n| n.trim().parse::<f64>().ok())
                .ok_or_else(|| format!("{}: no instruction count", log.display()))?;
            let requests = serde_json::from_slice::<Value>(&output.stdout)
                .ok()
                .and_then(|v| v.get("requests").and_then(Value::as_f64))
                .filter(|n| *n > 0.0)
                .ok_or("idp-bench load under valgrind printed no request count")?;
            per_request.push(instructions / requests);
        }
        let ratio = per_request[0] / per_request[1];
        println!(
            "| {op} | {:.0} | {:.0} | {ratio:.2}x |",
            per_request[0], per_request[1]
        );
        rows.push(json!({
            "operation": op,
            "idp_client": per_request[0],
            "raw": per_request[1],
            "client_over_raw": ratio,
        }));
    }
    Ok(Value::Array(rows))
}

/// Reads criterion's estimates of the `typed` and `value` decodes.
fn decode_report(home: &Path) -> Result<Value, String> {
    let group = home.join("decode_provider_list");
    let read = |name: &str| -> Result<(f64, u64), String> {
        let estimates = group.join(name).join("new/estimates.json");
        let benchmark = group.join(name).join("new/benchmark.json");
        let estimates: Value = read_json(&estimates)?;
        let benchmark: Value = read_json(&benchmark)?;
        let mean_ns = estimates
            .pointer("/mean/point_estimate")
            .and_then(Value::as_f64)
            .ok_or("no mean in criterion's estimates")?;
        let bytes = benchmark
            .pointer("/throughput/Bytes")
            .and_then(Value::as_u64)
            .ok_or("no byte throughput in criterion's benchmark.json")?;
        Ok((mean_ns, bytes))
    };
    let (typed_ns, bytes) = read("typed")?;
    let (value_ns, _) = read("value")?;
    let mbps = |ns: f64| bytes as f64 / (ns / 1e9) / 1e6;
    println!("\n| decode (10,000 providers, {bytes} bytes) | mean ms | MB/s |");
    println!("|---|---:|---:|");
    println!(
        "| typed: idp_client::fuzzing::provider_page -> Vec<IdentityProvider> | {:.2} | {:.1} |",
        typed_ns / 1e6,
        mbps(typed_ns)
    );
    println!(
        "| serde_json::from_slice::<Value> | {:.2} | {:.1} |",
        value_ns / 1e6,
        mbps(value_ns)
    );
    println!(
        "\ntyped / Value throughput: {:.2}x",
        mbps(typed_ns) / mbps(value_ns)
    );
    Ok(json!({
        "bytes": bytes,
        "typed_ms": typed_ns / 1e6,
        "value_ms": value_ns / 1e6,
        "typed_mb_s": mbps(typed_ns),
        "value_mb_s": mbps(value_ns),
        "typed_over_value": mbps(typed_ns) / mbps(value_ns),
    }))
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Times `idp_codegen::generate_file` for every spec, in this (dev
/// profile) process: build scripts run unoptimized too.
fn codegen_report(root: &Path, runs: u32) -> Result<Value, String> {
    let mut rows = Vec::new();
    let mut total_ms = 0.0;
    println!("\n| spec | generate_file, mean of {runs} runs (xtask, unoptimized like build.rs) |");
    println!("|---|---:|");
    for api in idp_codegen::SPECS {
        let spec = root.join("openapi").join(api.file);
        let mut elapsed = Duration::ZERO;
        for _ in 0..runs {
            let started = Instant::now();
            let code = idp_codegen::generate_file(&spec).map_err(|e| e.to_string())?;
            elapsed += started.elapsed();
            std::hint::black_box(code);
        }
        let mean_ms = elapsed.as_secs_f64() * 1e3 / f64::from(runs);
        total_ms += mean_ms;
        println!("| {} | {mean_ms:.1} ms |", api.file);
        rows.push(json!({"spec": api.file, "mean_ms": mean_ms}));
    }
    println!("| both | {total_ms:.1} ms |");
    Ok(json!({"runs": runs, "specs": rows, "total_ms": total_ms}))
}

/// A cold `cargo build -p idp-client` in a fresh target directory, then an
/// incremental one after touching the facade's `lib.rs`.
fn build_report(root: &Path, target: &Path) -> Result<Value, String> {
    let cold_dir = target.join("bench-cold");
    if cold_dir.exists() {
        std::fs::remove_dir_all(&cold_dir).map_err(|e| format!("{}: {e}", cold_dir.display()))?;
    }
    let build = || {
        let mut command = cargo();
        command
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &cold_dir)
            .args(["build", "--quiet", "-p", "idp-client"]);
        command
    };
    println!(
        "cold `cargo build -p idp-client` in {} ...",
        cold_dir.display()
    );
    let cold = run(&mut build(), "cold cargo build -p idp-client")?;
    let lib = root.join("crates/idp-client/src/lib.rs");
    std::fs::File::options()
        .append(true)
        .open(&lib)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
    println!(
        "incremental `cargo build -p idp-client` after touching {} ...",
        lib.display()
    );
    let incremental = run(&mut build(), "incremental cargo build -p idp-client")?;
    let _ = std::fs::remove_dir_all(&cold_dir);
    println!("\n| build (dev profile) | wall time |");
    println!("|---|---:|");
    println!(
        "| cold `cargo build -p idp-client` | {:.1} s |",
        cold.as_secs_f64()
    );
    println!(
        "| incremental, after `touch crates/idp-client/src/lib.rs` | {:.1} s |",
        incremental.as_secs_f64()
    );
    Ok(json!({
        "cold_s": cold.as_secs_f64(),
        "incremental_s": incremental.as_secs_f64(),
    }))
}

/// The machine: processors, CPU model, memory, rustc.
fn machine() -> Vec<String> {
    let cpus = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown", |(_, m)| m.trim())
        .to_owned();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or_else(
            || "unknown".to_owned(),
            |kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0),
        );
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    vec![
        format!("- processors (nproc): {cpus}"),
        format!("- CPU: {model}"),
        format!("- memory: {memory}"),
        format!("- {rustc}"),
        format!("- {}", load_average()),
    ]
}

fn load_average() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let fields: Vec<&str> = load.split_whitespace().take(3).collect();
    format!("load average (1/5/15 min): {}", fields.join(" "))
}

fn print_summary(summary: &Value) {
    println!("\n## Summary against the targets\n");
    println!("| figure | value | target | met |");
    println!("|---|---:|---:|---|");
    let row = |name: String, value: Option<f64>, target: f64| {
        let (shown, met) = match value {
            Some(v) => (format!("{v:.2}x"), if v >= target { "yes" } else { "NO" }),
            None => ("n/a".to_owned(), "n/a"),
        };
        println!("| {name} | {shown} | >= {target}x | {met} |");
    };
    for ratio in summary
        .pointer("/http/ratios")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let op = ratio["operation"].as_str().unwrap_or_default();
        let c = &ratio["concurrency"];
        row(
            format!("{op} c={c}: idp-client / raw req/s"),
            ratio["client_over_raw"].as_f64(),
            0.9,
        );
        row(
            format!("{op} c={c}: idp-client / Python req/s"),
            ratio["client_over_python"].as_f64(),
            5.0,
        );
    }
    if let Some(decode) = summary.get("decode") {
        row(
            "decode: typed MB/s / Value MB/s".to_owned(),
            decode["typed_over_value"].as_f64(),
            1.0,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn flags_are_parsed() {
        assert_eq!(BenchOptions::parse(&[]), Ok(BenchOptions::default()));
        let quick = BenchOptions::parse(&args(&["--quick", "--rounds", "2"])).unwrap();
        assert!(quick.skip_build_cost);
        assert_eq!(quick.rounds, 2);
        assert!((quick.duration - 1.0).abs() < f64::EPSILON);
        let skips = BenchOptions::parse(&args(&[
            "--skip-python",
            "--skip-http",
            "--skip-decode",
            "--duration",
            "0.5",
        ]))
        .unwrap();
        assert!(skips.skip_python && skips.skip_http && skips.skip_decode);
        assert!(!skips.skip_build_cost);
        assert!(BenchOptions::parse(&args(&["--rounds", "0"])).is_err());
        assert!(BenchOptions::parse(&args(&["--duration"])).is_err());
        assert!(BenchOptions::parse(&args(&["--duration", "0"])).is_err());
        assert!(BenchOptions::parse(&args(&["--fast"])).is_err());
        assert!(BenchOptions::parse(&args(&["--help"])).unwrap().help);
    }
}
