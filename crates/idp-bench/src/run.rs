//! `idp-bench http`: every contender, round after round, the simulator's
//! capacity and the CLI's costs, printed as tables (and written as JSON).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use idp_bench::load::Sample;
use serde_json::{Value, json};

use crate::contenders::{python, rust};
use crate::options::{CONTENDERS, Options};
use crate::runtime::Flavor;
use crate::sim::{Op, SimProcess, Target};

pub(crate) fn run_http(options: &Options) -> Result<(), String> {
    let (sim, target) = SimProcess::start()?;
    let window = options.window;
    println!(
        "## Client overhead: idp-client vs raw reqwest vs Python requests\n\n\
         one simulator (release, own process, plain HTTP on loopback, keep-alive); \
         warm-up {:.1} s, then {:.1} s measured per contender; {} round(s), contenders \
         interleaved; the median round (by requests/s) is shown. Rust contenders run on a \
         tokio {} runtime at concurrency 1 and {} above; Python uses one thread and one \
         requests.Session per worker. client CPU = CPU time of the client process per \
         request (the simulator runs in another process).\n",
        window.warmup.as_secs_f64(),
        window.measure.as_secs_f64(),
        options.rounds,
        options.flavor.name(1),
        options.flavor.name(32),
    );
    let mut results = Vec::new();
    let mut ratios = Vec::new();
    println!(
        "| operation | concurrency | contender | requests/s | p50 µs | p99 µs | client CPU µs/req |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|");
    let runs = |name: &str| options.only.as_deref().is_none_or(|only| only == name);
    for &op in &options.ops {
        for &concurrency in &options.concurrencies {
            let mut rounds: Vec<Vec<Sample>> = vec![Vec::new(); CONTENDERS.len()];
            for _ in 0..options.rounds {
                if runs("idp-client") {
                    let flavor = options.flavor;
                    rounds[0].push(rust(
                        "idp-client",
                        op,
                        concurrency,
                        flavor,
                        window,
                        &target,
                    )?);
                }
                if runs("raw") {
                    let flavor = options.flavor;
                    rounds[1].push(rust("raw", op, concurrency, flavor, window, &target)?);
                }
                if let Some(python_cmd) = options.python.as_ref().filter(|_| runs("python")) {
                    rounds[2].push(python(python_cmd, op, concurrency, window, &target)?);
                }
            }
            let medians: Vec<Option<Sample>> = rounds.iter().map(|r| Sample::median(r)).collect();
            for (name, (median, all)) in CONTENDERS.iter().zip(medians.iter().zip(&rounds)) {
                let Some(sample) = median else { continue };
                let errors: u64 = all.iter().map(|s| s.errors).sum();
                if errors > 0 {
                    return Err(format!(
                        "{name} {} c={concurrency}: {errors} failed request(s)",
                        op.short()
                    ));
                }
                println!(
                    "| {} | {concurrency} | {name} | {:.0} | {:.0} | {:.0} | {} |",
                    op.short(),
                    sample.rps(),
                    sample.p50_us,
                    sample.p99_us,
                    sample
                        .cpu_us_per_request
                        .map_or_else(|| "n/a".to_owned(), |c| format!("{c:.1}")),
                );
                results.push(json!({
                    "operation": op.name(),
                    "concurrency": concurrency,
                    "contender": name,
                    "runtime": if *name == "python" { "threads" } else { options.flavor.name(concurrency) },
                    "median": sample.to_json(),
                    "rounds": all.iter().map(Sample::to_json).collect::<Vec<_>>(),
                }));
            }
            let rps = |i: usize| medians[i].as_ref().map(Sample::rps);
            let cpu = |i: usize| medians[i].as_ref().and_then(|s| s.cpu_us_per_request);
            ratios.push(json!({
                "operation": op.name(),
                "concurrency": concurrency,
                "client_over_raw": ratio(rps(0), rps(1)),
                "client_over_python": ratio(rps(0), rps(2)),
                "client_cpu_over_raw_cpu": ratio(cpu(0), cpu(1)),
            }));
        }
    }
    println!(
        "\n| operation | concurrency | idp-client/raw (req/s) | idp-client/Python (req/s) | idp-client/raw (CPU per request) |"
    );
    println!("|---|---:|---:|---:|---:|");
    for r in &ratios {
        let show = |key: &str| {
            r.get(key)
                .and_then(Value::as_f64)
                .map_or_else(|| "n/a".to_owned(), |v| format!("{v:.2}x"))
        };
        println!(
            "| {} | {} | {} | {} | {} |",
            r["operation"].as_str().unwrap_or_default(),
            r["concurrency"],
            show("client_over_raw"),
            show("client_over_python"),
            show("client_cpu_over_raw_cpu"),
        );
    }

    let mut simulator = Vec::new();
    if options.sim_capacity {
        println!("\n## Simulator capacity: raw reqwest, 64 keep-alive connections\n");
        println!("| operation | requests/s | p50 µs | p99 µs |");
        println!("|---|---:|---:|---:|");
    }
    for op in [Op::List, Op::Get]
        .into_iter()
        .filter(|_| options.sim_capacity)
    {
        let sample = rust("raw", op, 64, Flavor::MultiThread, window, &target)?;
        if sample.errors > 0 {
            return Err(format!(
                "simulator {}: {} errors",
                op.short(),
                sample.errors
            ));
        }
        println!(
            "| {} | {:.0} | {:.0} | {:.0} |",
            op.short(),
            sample.rps(),
            sample.p50_us,
            sample.p99_us
        );
        simulator
            .push(json!({"operation": op.name(), "connections": 64, "sample": sample.to_json()}));
    }

    let cli = match &options.idpctl {
        Some(idpctl) => cli_costs(idpctl, options.help_runs, &target)?,
        None => Value::Null,
    };
    drop(sim);

    if let Some(path) = &options.json {
        let report = json!({
            "window": {"warmup_s": window.warmup.as_secs_f64(), "measure_s": window.measure.as_secs_f64(), "rounds": options.rounds},
            "contenders": results,
            "ratios": ratios,
            "simulator": simulator,
            "cli": cli,
        });
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The CLI.

fn cli_costs(idpctl: &Path, help_runs: usize, target: &Target) -> Result<Value, String> {
    println!("\n## CLI (release idpctl)\n");
    let mut walls = Vec::with_capacity(help_runs);
    for _ in 0..help_runs {
        let started = Instant::now();
        let status = Command::new(idpctl)
            .arg("--help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", idpctl.display()))?;
        walls.push(started.elapsed().as_secs_f64() * 1e3);
        if !status.success() {
            return Err(format!("idpctl --help failed: {status}"));
        }
    }
    let mean = walls.iter().sum::<f64>() / walls.len() as f64;
    let min = walls.iter().copied().fold(f64::INFINITY, f64::min);
    println!("| measure | value |");
    println!("|---|---:|");
    println!(
        "| `idpctl --help` wall time, mean of {help_runs} runs | {mean:.2} ms (min {min:.2} ms) |"
    );

    let time = Path::new("/usr/bin/time");
    let rss = if time.exists() {
        let mut kbytes = Vec::new();
        let mut wall = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            let output = Command::new(time)
                .arg("-v")
                .arg(idpctl)
                .args(["vcf", "idp", "list"])
                .env("VCF_URL", &target.url)
                .env("VCF_TOKEN", &target.token)
                .env_remove("VCF_USERNAME")
                .env_remove("VCF_PASSWORD")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run /usr/bin/time: {e}"))?;
            wall.push(started.elapsed().as_secs_f64() * 1e3);
            if !output.status.success() {
                return Err(format!(
                    "idpctl vcf idp list failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            let stderr = String::from_utf8_lossy(&output.stderr);
            if let Some(kb) = stderr
                .lines()
                .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
                .and_then(|v| v.trim().parse::<u64>().ok())
            {
                kbytes.push(kb);
            }
        }
        kbytes.sort_unstable();
        let median = kbytes.get(kbytes.len() / 2).copied();
        let wall_mean = wall.iter().sum::<f64>() / wall.len() as f64;
        match median {
            Some(kb) => println!(
                "| `idpctl vcf idp list` peak RSS (median of 5, `/usr/bin/time -v`) | {:.1} MiB ({kb} KiB); wall {wall_mean:.1} ms |",
                kb as f64 / 1024.0
            ),
            None => println!(
                "| `idpctl vcf idp list` peak RSS | unavailable (no figure from /usr/bin/time) |"
            ),
        }
        json!({"peak_rss_kib": median, "list_wall_ms_mean": wall_mean})
    } else {
        println!(
            "| `idpctl vcf idp list` peak RSS | unavailable (/usr/bin/time missing: apt-get install -y time) |"
        );
        json!({"peak_rss_kib": null})
    };
    Ok(json!({
        "help_wall_ms_mean": mean,
        "help_wall_ms_min": min,
        "help_runs": help_runs,
        "list": rss,
    }))
}
