//! The third-party SCIM tools from PyPI (`scim2-tester`, `scim2-server`),
//! installed into the project-local virtual environment
//! `target/tools/scim-venv`, and a `scim2-server` started on loopback with
//! a bearer token. `cargo xtask scim-conformance` and the tests share them.

use std::io::Read as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What `pip` installs, pinned.
pub const SCIM_TOOLS: &[&str] = &["scim2-tester[httpx2]==0.5.2", "scim2-server==0.8.3"];

/// How long creating the environment may take (pip downloads).
const INSTALL_WAIT: Duration = Duration::from_secs(600);
/// How long `scim2-server` may take to answer after it started.
const START_WAIT: Duration = Duration::from_secs(30);

/// Why the SCIM tools are not available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScimToolsUnavailable {
    /// `python3` is not installed: a test may skip (but not in CI).
    PythonMissing,
    /// Creating the environment or installing into it failed.
    Install(String),
}

impl std::fmt::Display for ScimToolsUnavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PythonMissing => f.write_str(
                "python3 is not installed (needed for scim2-tester and scim2-server from PyPI)",
            ),
            Self::Install(reason) => write!(
                f,
                "cannot install the SCIM tools into target/tools/scim-venv: {reason}"
            ),
        }
    }
}

/// The workspace root (this crate is `crates/idp-testkit`).
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The virtual environment with the SCIM tools.
#[derive(Debug, Clone)]
pub struct ScimTools {
    /// The environment's directory.
    pub venv: PathBuf,
}

impl ScimTools {
    /// A program of the environment (`python`, `scim2-server`).
    #[must_use]
    pub fn program(&self, name: &str) -> PathBuf {
        self.venv.join("bin").join(name)
    }
}

/// `target/tools/scim-venv` with [`SCIM_TOOLS`], created first when missing
/// (one process at a time: the others wait, bounded).
pub fn scim_tools() -> Result<ScimTools, ScimToolsUnavailable> {
    let tools_dir = workspace_root().join("target/tools");
    let venv = tools_dir.join("scim-venv");
    let marker = venv.join(format!(
        ".installed-{}",
        SCIM_TOOLS.join(",").replace(['[', ']', '='], "_")
    ));
    if marker.exists() {
        return Ok(ScimTools { venv });
    }
    let python_found = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !python_found {
        return Err(ScimToolsUnavailable::PythonMissing);
    }
    std::fs::create_dir_all(&tools_dir)
        .map_err(|e| ScimToolsUnavailable::Install(format!("{}: {e}", tools_dir.display())))?;
    let lock = tools_dir.join("scim-venv.lock");
    let started = Instant::now();
    loop {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(_) => break,
            Err(_) if marker.exists() => return Ok(ScimTools { venv }),
            Err(_) if started.elapsed() > INSTALL_WAIT => {
                return Err(ScimToolsUnavailable::Install(format!(
                    "another process has held {} for {}s; delete it if no install is running",
                    lock.display(),
                    INSTALL_WAIT.as_secs()
                )));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(500)),
        }
    }
    let result = install(&venv, &marker);
    let _ = std::fs::remove_file(&lock);
    result.map(|()| ScimTools { venv })
}

fn install(venv: &Path, marker: &Path) -> Result<(), ScimToolsUnavailable> {
    if marker.exists() {
        return Ok(());
    }
    let run = |command: &mut Command| -> Result<(), ScimToolsUnavailable> {
        let output = command
            .output()
            .map_err(|e| ScimToolsUnavailable::Install(format!("cannot run {command:?}: {e}")))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(ScimToolsUnavailable::Install(format!(
                "{command:?} failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )))
        }
    };
    run(Command::new("python3").arg("-m").arg("venv").arg(venv))?;
    run(Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(SCIM_TOOLS))?;
    std::fs::write(marker, SCIM_TOOLS.join("\n"))
        .map_err(|e| ScimToolsUnavailable::Install(format!("{}: {e}", marker.display())))
}

/// [`scim_tools`] for a test: `None` (with a message on stderr) only when
/// Python is missing and `CI` is not set; a panic otherwise.
#[must_use]
pub fn scim_tools_or_skip(test: &str) -> Option<ScimTools> {
    match scim_tools() {
        Ok(tools) => Some(tools),
        Err(ScimToolsUnavailable::PythonMissing) if std::env::var_os("CI").is_none() => {
            eprintln!(
                "skipping {test}: python3 is not installed (needed for scim2-server from PyPI); CI never skips this"
            );
            None
        }
        Err(e) => panic!("{test}: {e}"),
    }
}

/// A `scim2-server` on 127.0.0.1 with one bearer token; stopped on drop.
#[derive(Debug)]
pub struct ScimServer {
    child: Child,
    /// Its SCIM base URL (`http://127.0.0.1:PORT/v2`).
    pub url: String,
}

impl ScimServer {
    /// Starts `scim2-server --bearer-token TOKEN` on a free loopback port
    /// and waits (at most 30 s) until it answers HTTP; a start that loses
    /// its port to another process is tried again on another (three
    /// times).
    pub fn start(tools: &ScimTools, token: &str) -> Result<Self, String> {
        let mut last = String::new();
        for _ in 0..3 {
            match Self::start_once(tools, token) {
                Ok(server) => return Ok(server),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    fn start_once(tools: &ScimTools, token: &str) -> Result<Self, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let child = Command::new(tools.program("scim2-server"))
            .args(["--bearer-token", token, "--hostname", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start scim2-server: {e}"))?;
        let mut server = ScimServer {
            child,
            url: format!("http://127.0.0.1:{port}/v2"),
        };
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut pipe) = server.child.stderr.take() {
                    let _ = pipe.read_to_string(&mut stderr);
                }
                return Err(format!("scim2-server exited ({status}): {}", stderr.trim()));
            }
            if answers_http(port) {
                return Ok(server);
            }
            if started.elapsed() > START_WAIT {
                return Err(format!(
                    "scim2-server did not answer on 127.0.0.1:{port} within {}s",
                    START_WAIT.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Whether an HTTP server answers on the loopback port (a bare TCP connect
/// can succeed without one: Linux connects a socket to itself when the
/// source port it picks is the destination).
fn answers_http(port: u16) -> bool {
    use std::io::Write as _;
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request =
        format!("GET /v2/ServiceProviderConfig HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}

impl Drop for ScimServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
