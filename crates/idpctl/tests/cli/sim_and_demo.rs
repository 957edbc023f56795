//! `idpctl sim` as a process, `demo`, `schema`, `completions`, `--help`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{idpctl, json_stdout, stderr, stdout};

/// A running `idpctl sim`, killed when dropped.
struct SimProcess {
    child: Child,
    lines: Receiver<String>,
}

impl SimProcess {
    fn spawn(args: &[&str]) -> Self {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_idpctl"))
            .arg("sim")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, lines }
    }

    /// Stdout lines up to and including the first one `until` accepts.
    fn read_until(&self, until: impl Fn(&str) -> bool) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|e| panic!("idpctl sim printed {seen:?}, then {e}"));
            let done = until(&line);
            seen.push(line);
            if done {
                return seen;
            }
        }
    }

    /// Sends SIGINT (Ctrl-C) and waits for the process to exit.
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let status = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "idpctl sim ignored SIGINT");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `KEY=value` lines.
fn variables(lines: &[String]) -> HashMap<String, String> {
    lines
        .iter()
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| k.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

const VARIABLES: [&str; 14] = [
    "VCF_URL",
    "VCF_USERNAME",
    "VCF_PASSWORD",
    "UNLEASH_URL",
    "UNLEASH_API_TOKEN",
    "OKTA_URL",
    "OKTA_API_TOKEN",
    "OKTA_APP_ID",
    "ENTRA_LOGIN_URL",
    "ENTRA_GRAPH_URL",
    "ENTRA_TENANT_ID",
    "ENTRA_CLIENT_ID",
    "ENTRA_CLIENT_SECRET",
    "ENTRA_SERVICE_PRINCIPAL_ID",
];

#[test]
fn sim_prints_its_credentials_serves_and_stops_on_ctrl_c() {
    let mut sim = SimProcess::spawn(&[]);
    let lines = sim.read_until(|l| l.starts_with("ENTRA_SERVICE_PRINCIPAL_ID="));
    let vars = variables(&lines);
    for name in VARIABLES {
        assert!(
            vars.get(name).is_some_and(|v| !v.is_empty()),
            "{name} missing: {lines:?}"
        );
    }
    assert!(vars["VCF_URL"].starts_with("http://127.0.0.1:"), "{vars:?}");
    assert!(
        vars["UNLEASH_URL"].starts_with(&vars["VCF_URL"]),
        "{vars:?}"
    );

    let mut vcf = idpctl();
    let mut unleash = idpctl();
    for name in VARIABLES {
        vcf.env(name, &vars[name]);
        unleash.env(name, &vars[name]);
    }
    let assert = vcf
        .args(["-o", "json", "vcf", "idp", "list"])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)[0]["name"], "Embedded IDP");
    let assert = unleash
        .args([
            "-o",
            "json",
            "unleash",
            "scim-settings",
            "set",
            "--enabled",
            "true",
        ])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)["enabled"], true);

    // The printed Okta and Entra credentials work for delivery.
    for target in [
        format!("okta:{}", vars["OKTA_APP_ID"]),
        format!("entra:{}", vars["ENTRA_SERVICE_PRINCIPAL_ID"]),
    ] {
        let mut rotate = idpctl();
        for name in VARIABLES {
            rotate.env(name, &vars[name]);
        }
        let assert = rotate
            .args([
                "-o",
                "json",
                "unleash",
                "scim-token",
                "rotate",
                "--yes",
                "--deliver",
            ])
            .arg(&target)
            .assert()
            .success();
        assert_eq!(json_stdout(&assert)["deliveredTo"], target.as_str());
    }

    let status = sim.interrupt();
    assert!(status.success(), "{status:?}");
}

#[test]
fn sim_with_tls_prints_its_ca() {
    let dir = tempfile::tempdir().unwrap();
    let mut sim = SimProcess::spawn(&["--tls", "--profile", "vcf-9"]);
    let lines = sim.read_until(|l| l.starts_with("-----END CERTIFICATE-----"));
    let okta_line = lines.iter().find(|l| l.starts_with("OKTA_URL="));
    assert!(
        okta_line.is_some_and(|l| l.starts_with("OKTA_URL=https://")),
        "{lines:?}"
    );
    assert!(lines[0].contains("vcf-9"), "{lines:?}");
    let vars = variables(&lines);
    assert!(vars["VCF_URL"].starts_with("https://"), "{vars:?}");
    let begin = lines
        .iter()
        .position(|l| l.starts_with("-----BEGIN CERTIFICATE-----"))
        .unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, lines[begin..].join("\n") + "\n").unwrap();

    let mut vcf = idpctl();
    for name in VARIABLES {
        vcf.env(name, &vars[name]);
    }
    vcf.arg("--ca-cert")
        .arg(&ca)
        .args(["vcf", "idp", "list"])
        .assert()
        .success();

    let status = sim.interrupt();
    assert!(status.success(), "{status:?}");
}

#[test]
fn sim_rejects_an_unknown_profile() {
    idpctl()
        .args(["sim", "--listen", "127.0.0.1:0", "--profile", "vcf-4.5"])
        .assert()
        .code(2);
}

#[test]
fn demo_walks_every_step() {
    let assert = idpctl().arg("demo").assert().success();
    let out = stdout(&assert);
    for step in 1..=17 {
        assert!(out.contains(&format!("[{step}] ")), "step {step}:\n{out}");
    }
    // The declared federation: planned, applied, then nothing left to do.
    assert!(out.contains("+ create externalProvider okta"), "{out}");
    // The grant to the federated group, after the provider it needs.
    let provider = out.find("+ create externalProvider okta").unwrap();
    let grant = out
        .find("+ grant access group vcf-admins@example.com")
        .unwrap_or_else(|| panic!("no grant in the demo:\n{out}"));
    assert!(provider < grant, "{out}");
    assert!(out.contains("role: \"ADMIN\""), "{out}");
    assert!(out.contains("demo: no changes"), "{out}");
    assert!(out.contains("demo complete"), "{out}");
    assert!(
        out.contains("[13] rotate the Unleash SCIM token and deliver it to Okta")
            && out.contains("provisioning ENABLED")
            && out.contains("the token Okta holds is the one Unleash accepts"),
        "{out}"
    );
    // The broker part: an admin token from vCenter, a directory, an OIDC
    // provider, and the sync client token delivered to Entra ID.
    assert!(
        out.contains("[14] get a VCF Identity Broker admin token with vCenter credentials")
            && out.contains("vCenter session -> admin client token of tenant CUSTOMER")
            && out.contains("created directory okta-demo")
            && out.contains("created identity provider Okta")
            && out
                .contains("[17] rotate the directory's sync client token and deliver it to Entra")
            && out.contains("the token Entra holds is the one the broker accepts"),
        "{out}"
    );
    let entra = out
        .lines()
        .find(|l| l.starts_with("entra service principal"))
        .unwrap();
    assert!(
        entra.contains("/usergroup/t/CUSTOMER/scim/v2, token ") && entra.contains("masked"),
        "the broker's SCIM URL and a masked token: {entra}"
    );
    assert!(out.contains("masked"), "{out}");
    // The demo's own secrets stay masked.
    for secret in ["demo-ldap-bind-password", "demo-okta-client-secret"] {
        assert!(!out.contains(secret), "{out}");
        assert!(!stderr(&assert).contains(secret));
    }
}

#[test]
fn schema_prints_json_schemas() {
    let assert = idpctl()
        .args(["schema", "provider-spec"])
        .assert()
        .success();
    let schema = json_stdout(&assert);
    assert!(schema["properties"]["fedIdpSpec"].is_object(), "{schema:#}");
    assert!(schema["properties"]["type"].is_object(), "{schema:#}");

    let assert = idpctl().args(["schema", "source-spec"]).assert().success();
    let schema: Value = json_stdout(&assert);
    assert!(schema["properties"]["ldap"].is_object(), "{schema:#}");

    idpctl().args(["schema", "nonsense"]).assert().code(2);
}

#[test]
fn completions_print_scripts() {
    let assert = idpctl().args(["completions", "bash"]).assert().success();
    let script = stdout(&assert);
    assert!(script.contains("_idpctl"), "{script}");
    assert!(script.contains("complete "), "{script}");
    // Dynamic: the shell asks idpctl (COMPLETE=bash) for candidates.
    assert!(script.contains("COMPLETE=\"bash\""), "{script}");
    for shell in ["zsh", "fish"] {
        let assert = idpctl().args(["completions", shell]).assert().success();
        assert!(stdout(&assert).contains("idpctl"), "{shell}");
    }
    idpctl().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn help_and_version() {
    let assert = idpctl().arg("--help").assert().success();
    let out = stdout(&assert);
    for command in ["vcf", "unleash", "sim", "demo", "schema", "completions"] {
        assert!(out.contains(command), "{command}:\n{out}");
    }
    let assert = idpctl()
        .args(["vcf", "sync-token", "--help"])
        .assert()
        .success();
    assert!(stdout(&assert).contains("--ttl"));
    let assert = idpctl().arg("--version").assert().success();
    let version = stdout(&assert);
    assert!(
        version.starts_with(&format!("idpctl {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    // Built from a git checkout: the commit follows.
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if let Some(head) = head {
        assert!(
            version.contains(&format!("(git {head})")),
            "{version} {head}"
        );
    }
    // Global options have their own heading, after the command's own.
    let assert = idpctl()
        .args(["vcf", "idp", "delete", "--help"])
        .assert()
        .success();
    let help = stdout(&assert);
    let own = help.find("Options:").unwrap();
    let global = help.find("Global options:").unwrap();
    assert!(own < global, "{help}");
    // The command's own options end at the next heading (an unindented line).
    let end = help[own..]
        .match_indices('\n')
        .map(|(i, _)| own + i + 1)
        .find(|&i| help[i..].starts_with(|c: char| !c.is_whitespace()))
        .unwrap_or(help.len());
    let own_section = &help[own..end];
    assert!(own_section.contains("--yes"), "{help}");
    assert!(!own_section.contains("--vcf-url"), "{help}");
    assert!(help[global..].contains("--context"), "{help}");
}

#[test]
fn a_broken_stdout_pipe_is_an_error_or_ignored_never_a_panic() {
    // A pipe whose reading end is already closed: every write to stdout
    // fails with EPIPE, as in `idpctl demo | head -1`, without a race.
    let run = |args: &[&str]| {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("idpctl"))
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    // The demo's progress lines are best effort: the lifecycle still runs.
    let (code, stderr) = run(&["demo"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // A command whose output is its result reports the failed write.
    for args in [&["schema", "provider-spec"][..], &["completions", "bash"]] {
        let (code, stderr) = run(args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: cannot write to stdout"),
            "{args:?}: {stderr}"
        );
    }
}

/// A detached simulator, sent SIGKILL when dropped if still running (a
/// failed assertion must not leave it behind).
struct Detached {
    pid: String,
}

impl Drop for Detached {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &self.pid])
            .stderr(Stdio::null())
            .status();
    }
}

/// Waits until `path` is gone (the simulator removes it on its way out).
fn wait_removed(path: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while path.exists() {
        assert!(
            Instant::now() < deadline,
            "{} was not removed",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sim_print_env_evals_in_sh_and_runs_detached_until_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("it's sim.pid");
    // The shell evaluates the exports, then prints what it got.
    let script = r#"eval "$("$IDPCTL" sim --listen 127.0.0.1:0 --pid-file "$PID_FILE" --print-env)" || exit 9
printf '%s\n' "$VCF_URL" "$VCF_USERNAME" "$VCF_PASSWORD" "$UNLEASH_URL" "$UNLEASH_API_TOKEN" "$IDP_SIM_PID" "$VCF_API_KEY""#;
    let output = std::process::Command::new("sh")
        .args(["-c", script])
        .env("IDPCTL", env!("CARGO_BIN_EXE_idpctl"))
        .env("PID_FILE", &pid_file)
        .env("IDPCTL_CONFIG", crate::common::NO_CONFIG)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let values: Vec<&str> = text.lines().collect();
    let [vcf_url, user, password, unleash_url, key, pid, api_key] = values[..] else {
        panic!("{text}")
    };
    let _guard = Detached {
        pid: pid.to_owned(),
    };
    assert!(vcf_url.starts_with("http://127.0.0.1:"), "{text}");
    assert_eq!(std::fs::read_to_string(&pid_file).unwrap().trim(), pid);

    // The command has returned; the simulator serves on.
    let assert = idpctl()
        .env("VCF_URL", vcf_url)
        .env("VCF_USERNAME", user)
        .env("VCF_PASSWORD", password)
        .args(["-o", "json", "vcf", "idp", "list"])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)[0]["name"], "Embedded IDP");
    // The service user's API key logs in too.
    assert!(!api_key.is_empty(), "{text}");
    idpctl()
        .env("VCF_URL", vcf_url)
        .env("VCF_API_KEY", api_key)
        .args(["vcf", "idp", "list"])
        .assert()
        .success();
    idpctl()
        .env("UNLEASH_URL", unleash_url)
        .env("UNLEASH_API_TOKEN", key)
        .args(["unleash", "scim-settings", "get"])
        .assert()
        .success();

    // SIGTERM stops it and removes the pid file.
    let killed = std::process::Command::new("kill")
        .args(["-TERM", pid])
        .status()
        .unwrap();
    assert!(killed.success());
    wait_removed(&pid_file);
    idpctl()
        .env("VCF_URL", vcf_url)
        .env("VCF_USERNAME", user)
        .env("VCF_PASSWORD", password)
        .args(["vcf", "idp", "list"])
        .assert()
        .code(6);
}

#[test]
fn a_detached_sim_stops_on_sigint_and_a_failed_start_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("sim.pid");
    let assert = idpctl()
        .args(["sim", "--listen", "127.0.0.1:0", "--pid-file"])
        .arg(&pid_file)
        .assert()
        .success();
    let out = stdout(&assert);
    assert!(out.contains("VCF_URL=http://127.0.0.1:"), "{out}");
    assert!(out.contains("kill $(cat"), "{out}");
    let pid = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_owned();
    let _guard = Detached { pid: pid.clone() };
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    wait_removed(&pid_file);

    // A pid file that cannot be written: the command fails, nothing stays.
    let failed = idpctl()
        .args(["sim", "--listen", "127.0.0.1:0", "--pid-file"])
        .arg(dir.path().join("missing-dir").join("sim.pid"))
        .assert()
        .failure();
    assert!(stderr(&failed).contains("pid file"), "{}", stderr(&failed));
}
