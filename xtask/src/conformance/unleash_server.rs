//! The real open-source Unleash: `unleash-server` from npm, installed once
//! into `target/conformance/` and started by `xtask/conformance/server.js`
//! under the sub-path `/unleash`, on 127.0.0.1 only.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::postgres::{DB_NAME, DB_USER, tail_lines};
use super::{free_port, run_quiet};

/// The pinned version: the newest whose `engines` accept Node 20.
pub(crate) const VERSION: &str = "7.5.1";
/// The Node major version the pinned server needs at least.
const NODE_MAJOR: u32 = 20;
/// How long Unleash may take to answer its health check after start.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A running Unleash; killed on drop.
#[derive(Debug)]
pub(crate) struct UnleashServer {
    child: Option<Child>,
    /// The base URL, sub-path included (`http://127.0.0.1:<port>/unleash`).
    pub(crate) base_url: String,
    /// The origin without the sub-path.
    pub(crate) origin: String,
}

/// Installs `unleash-server@VERSION` under `dir` unless that version is
/// there already.
pub(crate) fn install(dir: &Path) -> Result<(), String> {
    check_node()?;
    if installed_version(dir).as_deref() == Some(VERSION) {
        println!(
            "xtask conformance: unleash-server {VERSION} already installed in {}",
            dir.display()
        );
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let manifest = dir.join("package.json");
    if !manifest.exists() {
        std::fs::write(
            &manifest,
            "{\"name\":\"idp-conformance\",\"private\":true}\n",
        )
        .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
    }
    println!(
        "xtask conformance: npm install unleash-server@{VERSION} into {}",
        dir.display()
    );
    run_quiet(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
            .arg(format!("unleash-server@{VERSION}"))
            .current_dir(dir),
        "npm install unleash-server",
    )?;
    match installed_version(dir) {
        Some(v) if v == VERSION => Ok(()),
        other => Err(format!(
            "npm install finished but unleash-server is at {other:?}, not {VERSION}"
        )),
    }
}

fn installed_version(dir: &Path) -> Option<String> {
    let text =
        std::fs::read_to_string(dir.join("node_modules/unleash-server/package.json")).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value.get("version")?.as_str().map(str::to_owned)
}

fn check_node() -> Result<(), String> {
    let output = Command::new("node")
        .arg("--version")
        .output()
        .map_err(|e| format!("Node.js is needed (>= {NODE_MAJOR}) but `node` cannot run: {e}"))?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let major = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(m) if m >= NODE_MAJOR => Ok(()),
        _ => Err(format!(
            "unleash-server {VERSION} needs Node.js >= {NODE_MAJOR}; `node --version` says {version:?}"
        )),
    }
}

impl UnleashServer {
    /// Starts Unleash against the PostgreSQL on 127.0.0.1:`pg_port` with the
    /// two tokens and waits (bounded) until it answers.
    pub(crate) fn start(
        root: &Path,
        dir: &Path,
        pg_port: u16,
        admin_token: &str,
        client_token: &str,
    ) -> Result<Self, String> {
        let port = free_port()?;
        let log_path = dir.join("unleash.log");
        let log = std::fs::File::create(&log_path)
            .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
        let err_log = log
            .try_clone()
            .map_err(|e| format!("cannot open {}: {e}", log_path.display()))?;
        let script: PathBuf = root.join("xtask/conformance/server.js");
        let child = Command::new("node")
            .arg(&script)
            .env("CONFORMANCE_UNLEASH_DIR", dir)
            .env("CONFORMANCE_UNLEASH_PORT", port.to_string())
            .env("CONFORMANCE_ADMIN_TOKEN", admin_token)
            .env("CONFORMANCE_CLIENT_TOKEN", client_token)
            .env("CONFORMANCE_PG_HOST", "127.0.0.1")
            .env("CONFORMANCE_PG_PORT", pg_port.to_string())
            .env("CONFORMANCE_PG_USER", DB_USER)
            .env("CONFORMANCE_PG_DATABASE", DB_NAME)
            .env("NODE_ENV", "production")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err_log)
            .spawn()
            .map_err(|e| format!("cannot start node {}: {e}", script.display()))?;
        let origin = format!("http://127.0.0.1:{port}");
        let mut server = Self {
            child: Some(child),
            base_url: format!("{origin}/unleash"),
            origin,
        };
        if let Err(e) = server.wait_ready(&log_path) {
            server.stop();
            return Err(e);
        }
        Ok(server)
    }

    fn wait_ready(&mut self, log_path: &Path) -> Result<(), String> {
        let health = format!("{}/health", self.base_url);
        let started = Instant::now();
        let log_tail = || tail_lines(&std::fs::read_to_string(log_path).unwrap_or_default(), 30);
        loop {
            super::check_interrupted()?;
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                return Err(format!(
                    "Unleash exited during start ({status}); its log ({}):\n{}",
                    log_path.display(),
                    log_tail()
                ));
            }
            if http_ok(&health) {
                println!(
                    "xtask conformance: Unleash {VERSION} answers at {} after {:.1} s",
                    self.base_url,
                    started.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "Unleash did not answer {health} within {} s; its log ({}):\n{}",
                    START_TIMEOUT.as_secs(),
                    log_path.display(),
                    log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Kills the server process (its database is thrown away anyway).
    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for UnleashServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether a plain-HTTP GET of `url` (on loopback) answers 200, within 2 s.
fn http_ok(url: &str) -> bool {
    use std::io::{Read, Write};
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let Ok(addr) = authority.parse::<std::net::SocketAddr>() else {
        return false;
    };
    let Ok(mut stream) = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 16];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}
