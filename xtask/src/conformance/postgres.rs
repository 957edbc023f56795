//! A throw-away PostgreSQL for the real Unleash: `initdb` into a temporary
//! directory, listening on 127.0.0.1 (a free port) and a Unix socket in
//! that directory only, run as an unprivileged user (PostgreSQL refuses
//! root), stopped and deleted at the end.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{free_port, run_quiet};

/// The database user Unleash connects as (trusted: loopback only).
pub(crate) const DB_USER: &str = "unleash";
/// The database Unleash uses (the one `initdb` creates).
pub(crate) const DB_NAME: &str = "postgres";
/// How long `pg_ctl` may wait for the server to start or stop, in seconds.
const PG_CTL_WAIT_SECONDS: &str = "30";

/// A running PostgreSQL; stopped on drop.
#[derive(Debug)]
pub(crate) struct Postgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    /// Who runs it: `None` for the current user.
    user: Option<String>,
    /// The TCP port on 127.0.0.1.
    pub(crate) port: u16,
    stopped: bool,
}

impl Postgres {
    /// Finds (or installs) PostgreSQL, creates a cluster and starts it.
    pub(crate) fn start() -> Result<Self, String> {
        let bin = binaries()?;
        let user = unprivileged_user()?;
        let dir = tempfile::Builder::new()
            .prefix("idp-conformance-pg.")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        if let Some(user) = &user {
            run_quiet(
                Command::new("chown").arg("-R").arg(user).arg(dir.path()),
                "chown the PostgreSQL directory",
            )?;
        }
        let data = dir.path().join("data");
        let port = free_port()?;
        let mut pg = Self {
            bin,
            dir,
            user,
            port,
            stopped: true,
        };
        pg.as_user(
            pg.bin.join("initdb"),
            &[
                "-D",
                &data.display().to_string(),
                "-U",
                DB_USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-instructions",
            ],
            "initdb",
        )?;
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={} -c fsync=off -c full_page_writes=off",
            pg.dir.path().display()
        );
        let log = pg.dir.path().join("postgres.log").display().to_string();
        pg.stopped = false;
        let started = pg.as_user(
            pg.bin.join("pg_ctl"),
            &[
                "-D",
                &data.display().to_string(),
                "-l",
                &log,
                "-w",
                "-t",
                PG_CTL_WAIT_SECONDS,
                "-o",
                &options,
                "start",
            ],
            "pg_ctl start",
        );
        if let Err(e) = started {
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("{e}\nPostgreSQL log:\n{}", tail_lines(&tail, 20)));
        }
        Ok(pg)
    }

    /// Stops the server (fast shutdown) and forgets the cluster.
    pub(crate) fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let data = self.dir.path().join("data").display().to_string();
        let _ = self.as_user(
            self.bin.join("pg_ctl"),
            &[
                "-D",
                &data,
                "-m",
                "fast",
                "-w",
                "-t",
                PG_CTL_WAIT_SECONDS,
                "stop",
            ],
            "pg_ctl stop",
        );
    }

    fn as_user(&self, program: PathBuf, args: &[&str], what: &str) -> Result<(), String> {
        let mut command = match &self.user {
            // runuser needs no password and no terminal (util-linux).
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(&program);
                c
            }
            None => Command::new(&program),
        };
        command.args(args).current_dir(self.dir.path());
        run_quiet(&mut command, what)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The directory holding `initdb` and `pg_ctl`: the newest
/// `/usr/lib/postgresql/<major>/bin`, else `PATH`; installed with apt-get
/// when neither has them.
fn binaries() -> Result<PathBuf, String> {
    if let Some(found) = find_binaries() {
        return Ok(found);
    }
    println!("xtask conformance: PostgreSQL not found; installing it with apt-get");
    run_quiet(
        Command::new("apt-get").arg("update").arg("-qq"),
        "apt-get update",
    )?;
    run_quiet(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "postgresql",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        "apt-get install postgresql",
    )?;
    find_binaries().ok_or_else(|| {
        "PostgreSQL was installed but initdb and pg_ctl are not under /usr/lib/postgresql/*/bin"
            .to_owned()
    })
}

fn find_binaries() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            has_tools(&bin).then_some((major, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|path| std::env::split_paths(&path).find(|d| has_tools(d)))
}

fn has_tools(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("pg_ctl").is_file()
}

/// `None` when this process is not root; else the `postgres` user, created
/// (as a system user without a login) when missing.
fn unprivileged_user() -> Result<Option<String>, String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| format!("cannot run id -u: {e}"))?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Ok(None);
    }
    let exists = Command::new("id")
        .arg("-u")
        .arg("postgres")
        .output()
        .is_ok_and(|o| o.status.success());
    if !exists {
        run_quiet(
            Command::new("useradd").args([
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                "postgres",
            ]),
            "useradd postgres",
        )?;
    }
    Ok(Some("postgres".to_owned()))
}

/// The last `n` lines of `text`.
pub(crate) fn tail_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
