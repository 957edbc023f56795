//! `cargo xtask conformance`: the simulator's Unleash side checked against a
//! real open-source Unleash server.
//!
//! 1. installs `unleash-server` (pinned, see [`unleash_server::VERSION`])
//!    from npm into `target/conformance/` unless that version is there;
//! 2. starts a throw-away PostgreSQL (`initdb` into a temporary directory,
//!    as the `postgres` user when run as root; installed with apt-get when
//!    missing) on 127.0.0.1 and a Unix socket only;
//! 3. starts Unleash under `/unleash` with an admin token and a backend
//!    token (`xtask/conformance/server.js`), and the simulator in this
//!    process in open-source mode with the same tokens;
//! 4. runs every [`scenarios::SCENARIOS`] entry against both, through
//!    `idp-client` and the `idpctl` binary (built by cargo), each behind a
//!    request-counting relay, and fails on any deviation from the table or
//!    any difference between the two servers;
//! 5. stops everything, also on failure and on Ctrl-C.
//!
//! Every wait is bounded; a part that cannot start fails with its log.

mod postgres;
mod proxy;
pub mod scenarios;
mod unleash_server;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use idp_client::{Error, UnleashClient};
use idp_sim::{SimConfig, Simulator, UnleashEdition};

use postgres::Postgres;
use proxy::CountingProxy;
use scenarios::{Action, Key, Outcome, SCENARIOS, Scenario};
use unleash_server::UnleashServer;

/// The admin token created at start (`initApiTokens`).
const ADMIN_TOKEN: &str = "*:*.idp-conformance-admin-0123456789abcdef";
/// A backend (client SDK) token created at start: valid, not admin.
const CLIENT_TOKEN: &str = "default:development.idp-conformance-client-0123456789";
/// A token neither server knows.
const WRONG_TOKEN: &str = "*:*.not-a-token-this-server-issued";

/// Set by Ctrl-C: every wait and the scenario loop stop at the next check,
/// and what was started is stopped on the way out.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C was pressed; an error to return when it was.
fn check_interrupted() -> Result<(), String> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        Err("interrupted (Ctrl-C); Unleash and PostgreSQL were stopped".to_owned())
    } else {
        Ok(())
    }
}

/// What is running, so that Ctrl-C can stop it.
#[derive(Debug, Default)]
struct Running {
    postgres: Option<Postgres>,
    unleash: Option<UnleashServer>,
}

impl Running {
    fn stop(&mut self) {
        if let Some(mut unleash) = self.unleash.take() {
            unleash.stop();
        }
        if let Some(mut postgres) = self.postgres.take() {
            postgres.stop();
        }
    }
}

/// Runs the conformance check from the workspace at `root`; returns the
/// Markdown table of both servers' answers.
///
/// # Errors
///
/// A message when a part cannot be installed or started, or when a
/// scenario deviates from the table or the two servers differ.
pub fn conformance(root: &Path) -> Result<String, String> {
    INTERRUPTED.store(false, Ordering::SeqCst);
    let started = Instant::now();
    let target = crate::bench::target_dir(root);
    let dir = target.join("conformance");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
    let running = Arc::new(Mutex::new(Running::default()));
    {
        let running = Arc::clone(&running);
        runtime.spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("xtask conformance: interrupted; stopping Unleash and PostgreSQL");
                INTERRUPTED.store(true, Ordering::SeqCst);
                // What is registered stops now; what is starting sees the
                // flag and stops itself.
                running
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .stop();
            }
        });
    }
    let result = run(root, &target, &dir, &runtime, &running);
    running
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .stop();
    println!(
        "xtask conformance: finished in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    result
}

fn run(
    root: &Path,
    target: &Path,
    dir: &Path,
    runtime: &tokio::runtime::Runtime,
    running: &Arc<Mutex<Running>>,
) -> Result<String, String> {
    let lock = || running.lock().unwrap_or_else(PoisonError::into_inner);
    let step = Instant::now();
    unleash_server::install(dir)?;
    println!(
        "xtask conformance: npm step {:.1} s",
        step.elapsed().as_secs_f64()
    );
    let idpctl = build_idpctl(root, target)?;

    let step = Instant::now();
    check_interrupted()?;
    let pg = Postgres::start()?;
    println!(
        "xtask conformance: PostgreSQL on 127.0.0.1:{} after {:.1} s",
        pg.port,
        step.elapsed().as_secs_f64()
    );
    let pg_port = pg.port;
    lock().postgres = Some(pg);
    check_interrupted()?;
    // Not under the lock: Ctrl-C must be able to stop PostgreSQL meanwhile.
    let unleash = UnleashServer::start(root, dir, pg_port, ADMIN_TOKEN, CLIENT_TOKEN)?;
    let real_origin = unleash.origin.clone();
    lock().unleash = Some(unleash);
    check_interrupted()?;

    let config = SimConfig::builder()
        .unleash_edition(UnleashEdition::OpenSource)
        .unleash_accepts_bearer(true)
        .unleash_api_key(ADMIN_TOKEN)
        .unleash_read_only_key(CLIENT_TOKEN)
        .build()
        .map_err(|e| format!("simulator configuration: {e}"))?;
    let sim = runtime
        .block_on(Simulator::start(config))
        .map_err(|e| format!("cannot start the simulator: {e}"))?;
    let sim_addr = sim.local_addr().to_string();
    let real_addr = real_origin.trim_start_matches("http://").to_owned();
    let real = runtime.block_on(CountingProxy::start(real_addr))?;
    let simulated = runtime.block_on(CountingProxy::start(sim_addr))?;

    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for scenario in SCENARIOS {
        check_interrupted()?;
        let real_outcome = play(runtime, &idpctl, &real, scenario)?;
        let sim_outcome = play(runtime, &idpctl, &simulated, scenario)?;
        let mut problems: Vec<String> = scenarios::deviations(scenario, &real_outcome)
            .into_iter()
            .map(|d| format!("real Unleash: {d}"))
            .collect();
        problems.extend(
            scenarios::deviations(scenario, &sim_outcome)
                .into_iter()
                .map(|d| format!("simulator: {d}")),
        );
        problems.extend(scenarios::differences(&real_outcome, &sim_outcome));
        let verdict = if problems.is_empty() {
            "same"
        } else {
            "DIFFERENT"
        };
        println!("xtask conformance: {verdict:9} {}", scenario.name);
        for problem in &problems {
            println!("    {problem}");
        }
        if !problems.is_empty() {
            failures.push(scenario.name);
        }
        rows.push((*scenario, real_outcome, sim_outcome));
    }
    runtime.block_on(sim.shutdown());
    let table = scenarios::markdown(&rows);
    let report = dir.join("report.md");
    std::fs::write(&report, &table)
        .map_err(|e| format!("cannot write {}: {e}", report.display()))?;
    println!(
        "xtask conformance: both servers' answers in {}",
        report.display()
    );
    if failures.is_empty() {
        println!(
            "xtask conformance: {} scenarios, real Unleash and the simulator agree",
            SCENARIOS.len()
        );
        Ok(table)
    } else {
        Err(format!(
            "{} of {} scenarios differ: {}",
            failures.len(),
            SCENARIOS.len(),
            failures.join("; ")
        ))
    }
}

/// Builds `idpctl` with cargo and returns its path.
fn build_idpctl(root: &Path, target: &Path) -> Result<PathBuf, String> {
    run_within(
        crate::bench::cargo()
            .args(["build", "--quiet", "-p", "idpctl"])
            .current_dir(root),
        "cargo build -p idpctl",
        BUILD_LIMIT,
    )?;
    let path = target
        .join("debug")
        .join(format!("idpctl{}", std::env::consts::EXE_SUFFIX));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "cargo built idpctl but {} is missing",
            path.display()
        ))
    }
}

/// Runs one scenario against the server behind `proxy`.
fn play(
    runtime: &tokio::runtime::Runtime,
    idpctl: &Path,
    proxy: &CountingProxy,
    scenario: &Scenario,
) -> Result<Outcome, String> {
    let origin = proxy.origin.as_str();
    if scenario.maintenance {
        runtime.block_on(set_maintenance(origin, true))?;
    }
    proxy.take_count();
    let base_url = scenario.base.url(origin);
    let key = match scenario.key {
        Key::Admin => ADMIN_TOKEN.to_owned(),
        Key::AdminBearer => format!("Bearer {ADMIN_TOKEN}"),
        Key::Wrong => WRONG_TOKEN.to_owned(),
        Key::NonAdmin => CLIENT_TOKEN.to_owned(),
    };
    let result = runtime.block_on(call(&base_url, &key, scenario.action));
    let mut outcome = library_outcome(result, origin);
    outcome.requests = proxy.take_count();

    let output = Command::new(idpctl)
        .arg("--unleash-url")
        .arg(&base_url)
        .args(scenario.action.idpctl_args())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("UNLEASH_API_TOKEN", &key)
        .env("NO_COLOR", "1")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", idpctl.display()))?;
    outcome.cli_requests = proxy.take_count();
    outcome.exit = output.status.code().unwrap_or(-1);
    outcome.stderr = String::from_utf8_lossy(&output.stderr).replace(origin, "<server>");
    if scenario.maintenance {
        runtime.block_on(set_maintenance(origin, false))?;
        proxy.take_count();
    }
    Ok(outcome)
}

async fn call(base_url: &str, key: &str, action: Action) -> Result<(), Error> {
    let client = UnleashClient::builder(base_url)
        .api_token(idp_client::Secret::new(key.to_owned()))
        .build()?;
    match action {
        Action::GetSettings => client.scim_settings().await.map(drop),
        Action::EnableScim => client.set_scim_settings(true).await,
        Action::RotateToken => client.generate_scim_token().await.map(drop),
    }
}

fn library_outcome(result: Result<(), Error>, origin: &str) -> Outcome {
    let Err(error) = result else {
        return Outcome {
            result: "ok".to_owned(),
            ..Outcome::default()
        };
    };
    let result = match &error {
        Error::Api { .. } => "Api",
        Error::Transport { .. } => "Transport",
        Error::Decode { .. } => "Decode",
        Error::ResponseTooLarge { .. } => "ResponseTooLarge",
        Error::InvalidInput { .. } => "InvalidInput",
        Error::Config { .. } => "Config",
        _ => "Other",
    };
    Outcome {
        result: result.to_owned(),
        status: error.status().map(|s| s.as_u16()),
        vendor_name: error.vendor().and_then(|v| v.name.clone()),
        vendor_message: error.vendor().and_then(|v| v.message.clone()),
        body: error.body_snippet().map(str::to_owned),
        display: error.to_string().replace(origin, "<server>"),
        ..Outcome::default()
    }
}

/// Switches maintenance mode and waits until Unleash's write guard sees it.
///
/// Unleash 7 memoizes "is maintenance on" for a minute and clears the memo
/// *before* storing the new setting, so a request in between can keep the
/// old value cached (seen in CI: a rotation in maintenance mode answered
/// 404 instead of 503). So after each switch a probe is repeated until it
/// answers as expected, switching again if the stale value stuck. The probe
/// writes to the SCIM settings route, which neither open-source Unleash nor
/// the simulator in that edition has: 503 in maintenance mode, 404
/// otherwise, and no effect either way.
async fn set_maintenance(origin: &str, on: bool) -> Result<(), String> {
    idp_client::ensure_crypto_provider();
    let http = reqwest::Client::new();
    let expected = if on { 503 } else { 404 };
    for _switch in 0..3 {
        switch_maintenance(&http, origin, on).await?;
        for _probe in 0..20 {
            if maintenance_probe(&http, origin).await? == expected {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }
    Err(format!(
        "Unleash's write guard did not report maintenance mode {} after 3 switches (probe: POST /unleash/api/admin/scim-settings, expected {expected})",
        if on { "on" } else { "off" }
    ))
}

/// The status of `POST /unleash/api/admin/scim-settings` (no such route in
/// the open-source edition).
async fn maintenance_probe(http: &reqwest::Client, origin: &str) -> Result<u16, String> {
    let url = format!("{origin}/unleash/api/admin/scim-settings");
    let response = http
        .post(&url)
        .header("Authorization", ADMIN_TOKEN)
        .json(&serde_json::json!({}))
        .send()
        .await
        .map_err(|e| format!("POST {url}: {e}"))?;
    Ok(response.status().as_u16())
}

/// `POST /unleash/api/admin/maintenance {"enabled": on}` with the admin
/// token; Unleash answers 204.
async fn switch_maintenance(http: &reqwest::Client, origin: &str, on: bool) -> Result<(), String> {
    let url = format!("{origin}/unleash/api/admin/maintenance");
    let response = http
        .post(&url)
        .header("Authorization", ADMIN_TOKEN)
        .json(&serde_json::json!({ "enabled": on }))
        .send()
        .await
        .map_err(|e| format!("POST {url}: {e}"))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!(
            "POST {url} (enabled: {on}) answered {}",
            response.status()
        ))
    }
}

/// A free TCP port on 127.0.0.1 (bound, then released).
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// How long a setup command may take: an install that hangs on the
/// network fails with a message instead.
const COMMAND_LIMIT: Duration = Duration::from_secs(300);
/// Building `idpctl` from cold may take longer than an install.
const BUILD_LIMIT: Duration = Duration::from_secs(900);

/// Runs `command`, showing its output only when it fails, within
/// [`COMMAND_LIMIT`].
fn run_quiet(command: &mut Command, what: &str) -> Result<(), String> {
    run_within(command, what, COMMAND_LIMIT)
}

/// Runs `command` for at most `limit` (killed after that, or on Ctrl-C),
/// showing its output only when it fails.
fn run_within(command: &mut Command, what: &str, limit: Duration) -> Result<(), String> {
    let log = tempfile::tempfile().map_err(|e| format!("{what}: no temporary file: {e}"))?;
    let clone = |f: &std::fs::File| f.try_clone().map_err(|e| format!("{what}: {e}"));
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(clone(&log)?)
        .stderr(clone(&log)?)
        .spawn()
        .map_err(|e| format!("{what}: cannot run: {e}"))?;
    let started = Instant::now();
    let output = |mut log: std::fs::File| {
        use std::io::{Read, Seek};
        let mut text = String::new();
        let _ = log.rewind().and_then(|()| log.read_to_string(&mut text));
        postgres::tail_lines(&text, 40)
    };
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("{what} failed ({status}):\n{}", output(log))),
            Ok(None) => {}
            Err(e) => return Err(format!("{what}: {e}")),
        }
        let interrupted = check_interrupted();
        if interrupted.is_err() || started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            interrupted?;
            return Err(format!(
                "{what} did not finish within {} s; stopped. Its output:\n{}",
                limit.as_secs(),
                output(log)
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
