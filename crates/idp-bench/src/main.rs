//! `idp-bench`: the HTTP and CLI half of `cargo xtask bench` (which builds
//! this binary in release mode and runs it).
//!
//! ```text
//! idp-bench http [--duration S] [--warmup S] [--rounds N] [--python PY --script FILE]
//!                [--idpctl BIN] [--help-runs N] [--json OUT]
//!                [--runtime auto|current-thread|multi-thread]
//!                [--only idp-client|raw|python] [--op list|get] [--concurrency N] [--no-sim-capacity]
//! idp-bench load --only idp-client|raw --op list|get --concurrency N [--url URL --id ID]
//!                    # one contender in this process (what `http` runs per measurement)
//! idp-bench sim      # internal: the simulator process `http` starts
//!
//! The last four flags narrow a run (for profiling one contender, e.g. under
//! `perf record`); `cargo xtask bench` never passes them.
//! ```
//!
//! `http` starts one simulator (a child process running `idp-bench sim`,
//! release build, plain HTTP on 127.0.0.1, keep-alive) and, for `GET
//! /v1/identity-providers` and `GET /v1/identity-providers/{id}` at
//! concurrency 1 and 32, measures in turn, round after round:
//!
//! - `idp-client`: `VcfClient::list_identity_providers` /
//!   `get_identity_provider` with a bearer token (decoded into the
//!   normalized models);
//! - `raw`: a `reqwest::Client` sending the same requests (`Authorization:
//!   Bearer`, `Accept: application/json`) and decoding into
//!   `serde_json::Value`;
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

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::HeaderValue;
use http::header::{ACCEPT, AUTHORIZATION};
use idp_bench::load::{Sample, Window, drive};
use idp_client::{FederatedSpecBuilder, Secret, VcfClient};
use serde_json::{Value, json};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("sim") => run_sim(),
        Some("http") => Options::parse(&args[1..]).and_then(|o| run_http(&o)),
        Some("load") => Options::parse(&args[1..]).and_then(|o| run_load(&o)),
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
       idp-bench load --only idp-client|raw --op list|get --concurrency N [--duration S] [--warmup S] \
[--runtime auto|current-thread|multi-thread] [--url URL --id PROVIDER_ID (token in BENCH_TOKEN)]";

#[derive(Debug)]
struct Options {
    window: Window,
    rounds: usize,
    python: Option<(PathBuf, PathBuf)>,
    idpctl: Option<PathBuf>,
    help_runs: usize,
    json: Option<PathBuf>,
    only: Option<String>,
    ops: Vec<Op>,
    concurrencies: Vec<usize>,
    sim_capacity: bool,
    flavor: Flavor,
    url: Option<String>,
    id: Option<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            window: Window {
                warmup: Duration::from_secs(1),
                measure: Duration::from_secs(3),
            },
            rounds: 3,
            python: None,
            idpctl: None,
            help_runs: 20,
            json: None,
            only: None,
            ops: vec![Op::List, Op::Get],
            concurrencies: vec![1, 32],
            sim_capacity: true,
            flavor: Flavor::Auto,
            url: None,
            id: None,
        };
        let mut python = None;
        let mut script = None;
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            let seconds = |v: String| {
                v.parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| format!("{flag}: not a number of seconds: {v}"))
            };
            let count = |v: String| {
                v.parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{flag}: not a positive count: {v}"))
            };
            match flag.as_str() {
                "--duration" => options.window.measure = seconds(value()?)?,
                "--warmup" => options.window.warmup = seconds(value()?)?,
                "--rounds" => options.rounds = count(value()?)?,
                "--help-runs" => options.help_runs = count(value()?)?,
                "--python" => python = Some(PathBuf::from(value()?)),
                "--script" => script = Some(PathBuf::from(value()?)),
                "--idpctl" => options.idpctl = Some(PathBuf::from(value()?)),
                "--json" => options.json = Some(PathBuf::from(value()?)),
                "--only" => {
                    let name = value()?;
                    if !CONTENDERS.contains(&name.as_str()) {
                        return Err(format!("--only: one of {CONTENDERS:?}"));
                    }
                    options.only = Some(name);
                }
                "--op" => {
                    options.ops = match value()?.as_str() {
                        "list" => vec![Op::List],
                        "get" => vec![Op::Get],
                        other => return Err(format!("--op: list or get, not {other}")),
                    }
                }
                "--concurrency" => options.concurrencies = vec![count(value()?)?],
                "--no-sim-capacity" => options.sim_capacity = false,
                "--url" => options.url = Some(value()?),
                "--id" => options.id = Some(value()?),
                "--runtime" => {
                    options.flavor = match value()?.as_str() {
                        "auto" => Flavor::Auto,
                        "current-thread" => Flavor::CurrentThread,
                        "multi-thread" => Flavor::MultiThread,
                        other => {
                            return Err(format!(
                                "--runtime: auto, current-thread or multi-thread, not {other}"
                            ));
                        }
                    }
                }
                other => return Err(format!("unknown option {other}\n{USAGE}")),
            }
        }
        options.python = match (python, script) {
            (Some(p), Some(s)) => Some((p, s)),
            (None, None) => None,
            _ => return Err("--python and --script go together".to_owned()),
        };
        Ok(options)
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))
}

/// Which tokio runtime drives the Rust contenders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    /// `current_thread` at concurrency 1 (one task: what a CLI or a script
    /// runs), `multi_thread` (one worker per core) above.
    Auto,
    /// Always `current_thread`.
    CurrentThread,
    /// Always `multi_thread`.
    MultiThread,
}

impl Flavor {
    fn name(self, concurrency: usize) -> &'static str {
        if self.multi(concurrency) {
            "multi_thread"
        } else {
            "current_thread"
        }
    }

    fn arg(self) -> &'static str {
        match self {
            Flavor::Auto => "auto",
            Flavor::CurrentThread => "current-thread",
            Flavor::MultiThread => "multi-thread",
        }
    }

    fn runtime(self, concurrency: usize) -> Result<tokio::runtime::Runtime, String> {
        if self.multi(concurrency) {
            runtime()
        } else {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start tokio: {e}"))
        }
    }

    fn multi(self, concurrency: usize) -> bool {
        match self {
            Flavor::Auto => concurrency > 1,
            Flavor::CurrentThread => false,
            Flavor::MultiThread => true,
        }
    }
}

// ---------------------------------------------------------------------------
// The simulator process.

/// What the simulator process tells the measuring process.
#[derive(Debug, Clone)]
struct Target {
    url: String,
    token: String,
    embedded_id: String,
}

fn run_sim() -> Result<(), String> {
    let rt = runtime()?;
    rt.block_on(async {
        let config = idp_sim::SimConfig::builder()
            .access_token_lifetime(Duration::from_secs(24 * 3600))
            .build()
            .map_err(|e| e.to_string())?;
        let sim = idp_sim::Simulator::start(config)
            .await
            .map_err(|e| e.to_string())?;
        let token = sim.issue_access_token();
        // A federated provider beside the embedded one, with a sync client
        // token, so the list has both shapes.
        let client = VcfClient::builder(sim.vcf_url())
            .bearer_token(Secret::new(token.clone()))
            .build()
            .map_err(|e| e.to_string())?;
        let okta = FederatedSpecBuilder::okta("Okta")
            .directory_name("OktaDirectory")
            .default_domain("external-okta-idp.com")
            .domain("external-okta-idp.com")
            .client_id("578cbc9f-90c5-4356-9393-3a5bbf8be5f2")
            .client_secret(Secret::new("bench-client-secret"))
            .discovery_endpoint("https://domain.com/.well-known/openid-configuration")
            .build()
            .map_err(|e| e.to_string())?;
        let federated = client
            .add_external_identity_provider(&okta)
            .await
            .map_err(|e| e.to_string())?;
        client
            .generate_sync_client_token(&federated, Some(Duration::from_secs(500_000)))
            .await
            .map_err(|e| e.to_string())?;
        let hello = json!({
            "url": sim.vcf_url(),
            "token": token,
            "embedded_id": sim.embedded_provider_id(),
        });
        println!("{hello}");
        std::io::stdout().flush().map_err(|e| e.to_string())?;
        // Serve until the measuring process closes our stdin.
        tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await
        .map_err(|e| e.to_string())?;
        sim.shutdown().await;
        Ok(())
    })
}

/// The simulator child process; stopped when dropped.
struct SimProcess {
    child: Child,
}

impl SimProcess {
    fn start() -> Result<(SimProcess, Target), String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .arg("sim")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the simulator process: {e}"))?;
        let stdout = child.stdout.take().ok_or("no simulator stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let hello: Value = serde_json::from_str(&line)
            .map_err(|e| format!("the simulator process said {line:?}: {e}"))?;
        let field = |name: &str| {
            hello
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("the simulator process gave no {name}"))
        };
        let target = Target {
            url: field("url")?,
            token: field("token")?,
            embedded_id: field("embedded_id")?,
        };
        Ok((SimProcess { child }, target))
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// The contenders.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    List,
    Get,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::List => "list_identity_providers",
            Op::Get => "get_identity_provider",
        }
    }

    fn short(self) -> &'static str {
        match self {
            Op::List => "list",
            Op::Get => "get",
        }
    }

    fn path(self, target: &Target) -> String {
        match self {
            Op::List => "/v1/identity-providers".to_owned(),
            Op::Get => format!("/v1/identity-providers/{}", target.embedded_id),
        }
    }
}

const CONTENDERS: [&str; 3] = ["idp-client", "raw", "python"];

async fn idp_client(op: Op, concurrency: usize, window: Window, target: &Target) -> Sample {
    let client = match VcfClient::builder(target.url.clone())
        .bearer_token(Secret::new(target.token.clone()))
        .build()
    {
        Ok(client) => Arc::new(client),
        Err(e) => {
            eprintln!("idp-bench: cannot build the client: {e}");
            return failed(window);
        }
    };
    match op {
        Op::List => {
            drive(concurrency, window, move || {
                let client = Arc::clone(&client);
                async move {
                    client
                        .list_identity_providers()
                        .await
                        .is_ok_and(|providers| !providers.is_empty())
                }
            })
            .await
        }
        Op::Get => {
            let id: Arc<str> = Arc::from(target.embedded_id.as_str());
            drive(concurrency, window, move || {
                let client = Arc::clone(&client);
                let id = Arc::clone(&id);
                async move {
                    client
                        .get_identity_provider(&id)
                        .await
                        .is_ok_and(|provider| !provider.id.is_empty())
                }
            })
            .await
        }
    }
}

/// A plain `reqwest::Client` sending what idp-client sends and decoding
/// into `serde_json::Value`.
async fn raw(op: Op, concurrency: usize, window: Window, target: &Target) -> Sample {
    let http = match reqwest::Client::builder().build() {
        Ok(http) => http,
        Err(e) => {
            eprintln!("idp-bench: cannot build the reqwest client: {e}");
            return failed(window);
        }
    };
    let Ok(mut authorization) = HeaderValue::from_str(&format!("Bearer {}", target.token)) else {
        return failed(window);
    };
    authorization.set_sensitive(true);
    let url: Arc<str> = Arc::from(format!("{}{}", target.url, op.path(target)));
    drive(concurrency, window, move || {
        let request = http
            .get(&*url)
            .header(AUTHORIZATION, authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        async move {
            match request.send().await {
                Ok(response) if response.status().is_success() => match response.bytes().await {
                    Ok(body) => serde_json::from_slice::<Value>(&body).is_ok(),
                    Err(_) => false,
                },
                _ => false,
            }
        }
    })
    .await
}

fn python(
    (interpreter, script): &(PathBuf, PathBuf),
    op: Op,
    concurrency: usize,
    window: Window,
    target: &Target,
) -> Result<Sample, String> {
    let output = Command::new(interpreter)
        .arg(script)
        .args(["--url", &format!("{}{}", target.url, op.path(target))])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--warmup", &window.warmup.as_secs_f64().to_string()])
        .args(["--duration", &window.measure.as_secs_f64().to_string()])
        .env("BENCH_TOKEN", &target.token)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", interpreter.display()))?;
    if !output.status.success() {
        return Err(format!("the Python script failed: {}", output.status));
    }
    let value: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the Python script printed no JSON: {e}"))?;
    Sample::from_json(&value).ok_or_else(|| format!("unexpected Python output: {value}"))
}

/// Measures a Rust contender in a process of its own (`idp-bench load`),
/// so that no contender inherits another's heap, connections or runtime,
/// and the process's CPU time is the contender's alone.
fn rust(
    contender: &str,
    op: Op,
    concurrency: usize,
    flavor: Flavor,
    window: Window,
    target: &Target,
) -> Result<Sample, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe)
        .arg("load")
        .args(["--only", contender, "--op", op.short()])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--runtime", flavor.arg()])
        .args(["--warmup", &window.warmup.as_secs_f64().to_string()])
        .args(["--duration", &window.measure.as_secs_f64().to_string()])
        .args(["--url", &target.url, "--id", &target.embedded_id])
        .env("BENCH_TOKEN", &target.token)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start idp-bench load: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "idp-bench load {contender} failed: {}",
            output.status
        ));
    }
    let value: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("idp-bench load printed no JSON: {e}"))?;
    Sample::from_json(&value).ok_or_else(|| format!("unexpected load output: {value}"))
}

/// `idp-bench load`: one contender, one operation, one concurrency, in this
/// process, against `--url` (or a simulator process of its own); prints
/// the sample as JSON.
fn run_load(options: &Options) -> Result<(), String> {
    let contender = options
        .only
        .as_deref()
        .filter(|c| *c != "python")
        .ok_or("load needs --only idp-client or --only raw")?;
    let &[op] = options.ops.as_slice() else {
        return Err("load needs --op list or --op get".to_owned());
    };
    let &[concurrency] = options.concurrencies.as_slice() else {
        return Err("load needs --concurrency N".to_owned());
    };
    let (sim, target) = match &options.url {
        Some(url) => {
            let target = Target {
                url: url.clone(),
                token: std::env::var("BENCH_TOKEN")
                    .map_err(|_| "--url needs the token in BENCH_TOKEN")?,
                embedded_id: options.id.clone().ok_or("--url needs --id")?,
            };
            (None, target)
        }
        None => {
            let (sim, target) = SimProcess::start()?;
            (Some(sim), target)
        }
    };
    let rt = options.flavor.runtime(concurrency)?;
    let window = options.window;
    let sample = rt.block_on(async {
        match contender {
            "idp-client" => idp_client(op, concurrency, window, &target).await,
            _ => raw(op, concurrency, window, &target).await,
        }
    });
    println!("{}", sample.to_json());
    drop(sim);
    Ok(())
}

fn failed(window: Window) -> Sample {
    Sample {
        requests: 0,
        errors: 1,
        seconds: window.measure.as_secs_f64(),
        p50_us: 0.0,
        p99_us: 0.0,
        cpu_us_per_request: None,
    }
}

// ---------------------------------------------------------------------------
// The run.

fn run_http(options: &Options) -> Result<(), String> {
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
