//! The measurements `cargo xtask bench` makes besides `idp-bench http`:
//! the Python venv, callgrind, the criterion decode figures, code
//! generation and build cost.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};

use super::summary::load_average;
use super::{cargo, run};

/// `target/bench-venv` with `requests`; returns its interpreter.
pub(crate) fn python_venv(target: &Path) -> Result<PathBuf, String> {
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
/// Instructions per request of idp-client and raw reqwest for each of
/// `ops` (`idp-bench load --op` names).
pub(crate) fn callgrind_report(target: &Path, out: &Path, ops: &[&str]) -> Result<Value, String> {
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
    for &op in ops {
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
pub(crate) fn decode_report(home: &Path) -> Result<Value, String> {
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
pub(crate) fn codegen_report(root: &Path, runs: u32) -> Result<Value, String> {
    let mut rows = Vec::new();
    let mut total_ms = 0.0;
    println!("\n| spec | generate_file, mean of {runs} runs (xtask, unoptimized like build.rs) |");
    println!("|---|---:|");
    for api in idp_codegen::SPECS {
        let spec = root.join(idp_codegen::SPECS_DIR).join(api.file);
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
pub(crate) fn build_report(root: &Path, target: &Path) -> Result<Value, String> {
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
    let cpu_before = children_cpu();
    let cold = run(&mut build(), "cold cargo build -p idp-client")?;
    let cold_cpu = children_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
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
    println!("\n| build (dev profile) | wall time | CPU time (user + system) |");
    println!("|---|---:|---:|");
    println!(
        "| cold `cargo build -p idp-client` | {:.1} s | {} |",
        cold.as_secs_f64(),
        cold_cpu.map_or_else(
            || "n/a".to_owned(),
            |cpu| format!("{:.1} s", cpu.as_secs_f64())
        )
    );
    println!(
        "| incremental, after `touch crates/idp-client/src/lib.rs` | {:.1} s | |",
        incremental.as_secs_f64()
    );
    Ok(json!({
        "cold_s": cold.as_secs_f64(),
        "cold_cpu_s": cold_cpu.map(|cpu| cpu.as_secs_f64()),
        "incremental_s": incremental.as_secs_f64(),
    }))
}

/// CPU time (user + system) of this process's waited-for children, from
/// `/proc/self/stat` (Linux; `None` elsewhere). Unlike wall time it barely
/// moves when other work shares the two cores, so build costs compare across
/// runs on a busy machine.
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at field 3.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let cutime: u64 = fields.get(13)?.parse().ok()?;
    let cstime: u64 = fields.get(14)?.parse().ok()?;
    Some(Duration::from_secs_f64(
        (cutime + cstime) as f64 / clock_ticks_per_second(),
    ))
}

/// `getconf CLK_TCK` (the unit of `/proc/self/stat`'s times), 100 if unknown.
fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|ticks| *ticks > 0.0)
        .unwrap_or(100.0)
}
