//! What `cargo xtask bench` prints about the machine and, at the end,
//! against the targets.

use std::process::Command;

use serde_json::Value;

/// The machine: processors, CPU model, memory, rustc.
pub(crate) fn machine() -> Vec<String> {
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

pub(crate) fn load_average() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let fields: Vec<&str> = load.split_whitespace().take(3).collect();
    format!("load average (1/5/15 min): {}", fields.join(" "))
}

pub(crate) fn print_summary(summary: &Value) {
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
    if let Some(fleet) = summary.get("fleet") {
        let ratio = fleet["fleet_over_single"].as_f64();
        let (shown, met) = match ratio {
            Some(v) => (format!("{v:.2}x"), if v <= 5.0 { "yes" } else { "NO" }),
            None => ("n/a".to_owned(), "n/a"),
        };
        println!(
            "| fleet plan: {} targets / one target wall time | {shown} | <= 5x | {met} |",
            fleet["targets"]
        );
        let gets = fleet["gets_per_target"]["max"].as_u64();
        println!(
            "| fleet plan: GETs per target (max) | {} | 1 (the diff reads one list) | {} |",
            gets.map_or_else(|| "n/a".to_owned(), |g| g.to_string()),
            match gets {
                Some(1) => "yes",
                Some(_) => "NO",
                None => "n/a",
            }
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
