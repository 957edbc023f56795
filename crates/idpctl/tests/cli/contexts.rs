//! Named contexts: `idpctl config ...`, the file's permissions and secrets,
//! `--context` / `IDPCTL_CONTEXT` against the simulator, precedence over
//! the environment, completion of context names, and `context:` targets of
//! plan/apply.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::common::{TestSim, VCF_PASSWORD, VCF_USER, idpctl, json_stdout, stderr, stdout};

/// `idpctl` with its configuration file at `path`.
fn with_config(path: &Path) -> Command {
    let mut cmd = idpctl();
    cmd.env("IDPCTL_CONFIG", path);
    cmd
}

fn config_path(dir: &Path) -> PathBuf {
    dir.join("idpctl").join("config.toml")
}

/// A context `name` for the simulator's VCF, the password from
/// `CTX_VCF_PASSWORD`.
fn add_sim_context(path: &Path, name: &str, vcf_url: &str) {
    with_config(path)
        .args(["config", "set", name, "--vcf-url", vcf_url])
        .args([
            "--vcf-username",
            VCF_USER,
            "--vcf-password",
            "env:CTX_VCF_PASSWORD",
        ])
        .assert()
        .success();
}

#[test]
fn config_commands_round_trip_and_write_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    let set = with_config(&path)
        .args([
            "config",
            "set",
            "prod",
            "--vcf-url",
            "https://sddc.example.com",
        ])
        .args([
            "--vcf-username",
            "admin@local",
            "--vcf-password",
            "env:PROD_PW",
        ])
        .args([
            "--ca-cert",
            "/etc/ssl/corp.pem",
            "--unleash-url",
            "https://u.example.com",
        ])
        .args(["--unleash-api-token", "file:/run/secrets/unleash"])
        .assert()
        .success();
    assert!(
        stdout(&set).contains("context prod created"),
        "{}",
        stdout(&set)
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    with_config(&path)
        .args([
            "config",
            "set",
            "lab",
            "--vcf-url",
            "https://lab.example.com",
        ])
        .args(["--vcf-token", "file:/run/secrets/lab"])
        .assert()
        .success();

    // No current context yet: `show` without a name is a usage error.
    with_config(&path).args(["config", "show"]).assert().code(2);
    with_config(&path)
        .args(["config", "use", "prod"])
        .assert()
        .success();

    let list = with_config(&path)
        .args(["config", "list"])
        .assert()
        .success();
    let out = stdout(&list);
    let prod = out.lines().find(|l| l.contains("prod")).unwrap();
    assert!(
        prod.starts_with('*') && prod.contains("https://sddc.example.com"),
        "{out}"
    );
    let lab = out.lines().find(|l| l.contains("lab")).unwrap();
    assert!(!lab.starts_with('*'), "{out}");

    let json = json_stdout(
        &with_config(&path)
            .args(["-o", "json", "config", "list"])
            .assert()
            .success(),
    );
    assert_eq!(json["currentContext"], "prod");
    assert_eq!(
        json["contexts"]["lab"]["vcf"]["token"],
        "file:/run/secrets/lab"
    );

    // `show` prints references, never the secrets they point at.
    let show = with_config(&path)
        .args(["config", "show"])
        .env("PROD_PW", "resolved-secret-Q9z")
        .assert()
        .success();
    let out = stdout(&show);
    assert!(
        out.contains("vcf.password:") && out.contains("env:PROD_PW"),
        "{out}"
    );
    assert!(out.contains("/etc/ssl/corp.pem"), "{out}");
    assert!(!out.contains("resolved-secret-Q9z"), "{out}");
    let json = json_stdout(
        &with_config(&path)
            .args(["-o", "json", "config", "show", "lab"])
            .assert()
            .success(),
    );
    assert_eq!(json["name"], "lab");
    assert_eq!(json["vcf"]["url"], "https://lab.example.com");

    // --unset removes a field.
    with_config(&path)
        .args(["config", "set", "prod", "--unset", "ca-cert"])
        .assert()
        .success();
    let json = json_stdout(
        &with_config(&path)
            .args(["-o", "json", "config", "show", "prod"])
            .assert()
            .success(),
    );
    assert!(json.get("ca-cert").is_none(), "{json}");
    assert_eq!(json["vcf"]["username"], "admin@local");

    // Deleting the current context leaves none current.
    with_config(&path)
        .args(["config", "delete", "prod"])
        .assert()
        .success();
    let json = json_stdout(
        &with_config(&path)
            .args(["-o", "json", "config", "list"])
            .assert()
            .success(),
    );
    assert!(json["currentContext"].is_null(), "{json}");
    assert!(json["contexts"].get("prod").is_none(), "{json}");
    with_config(&path)
        .args(["config", "delete", "prod"])
        .assert()
        .code(2);
    with_config(&path)
        .args(["config", "use", "nope"])
        .assert()
        .code(2);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn literal_secrets_are_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    for flag in ["--vcf-password", "--vcf-token", "--unleash-api-token"] {
        let refused = with_config(&path)
            .args(["config", "set", "lab", flag, "literal-Zx81"])
            .assert()
            .code(2);
        let err = stderr(&refused);
        assert!(err.contains("use env:NAME or file:PATH"), "{err}");
        assert!(!err.contains("literal-Zx81"), "{err}");
    }
    assert!(!path.exists(), "nothing is written");

    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        "[contexts.lab]\nvcf-url = \"https://x\"\nvcf-password = \"literal-Zx81\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    for args in [
        &["config", "list"][..],
        &["vcf", "idp", "list"],
        &["--context", "lab", "vcf", "idp", "list"],
    ] {
        let refused = with_config(&path).args(args).assert().code(2);
        let err = stderr(&refused);
        assert!(err.contains("use env:NAME or file:PATH"), "{args:?}: {err}");
        assert!(!err.contains("literal-Zx81"), "{err}");
    }
}

#[test]
fn a_group_or_world_writable_file_is_refused() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    add_sim_context(&path, "sim", &sim.simulator().vcf().url());
    for mode in [0o620, 0o602] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        for args in [
            &["config", "list"][..],
            &["--context", "sim", "vcf", "idp", "list"],
        ] {
            let refused = with_config(&path)
                .env("CTX_VCF_PASSWORD", VCF_PASSWORD)
                .args(args)
                .assert()
                .code(2);
            let err = stderr(&refused);
            assert!(
                err.contains("writable") && err.contains("chmod 600"),
                "{err}"
            );
        }
    }
    sim.assert_nothing_sent("a refused configuration file");
}

#[test]
fn commands_use_the_selected_context() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    add_sim_context(&path, "sim", &sim.simulator().vcf().url());
    // A context whose server does not answer: using it would fail.
    add_sim_context(&path, "dead", "http://127.0.0.1:9");

    let run = |extra: &[&str], env: &[(&str, &str)]| {
        let mut cmd = with_config(&path);
        cmd.env("CTX_VCF_PASSWORD", VCF_PASSWORD).args(extra);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(["-o", "json", "vcf", "idp", "list"]);
        cmd.assert()
    };
    // --context, IDPCTL_CONTEXT and the current context each select it.
    run(&["--context", "sim"], &[]).success();
    run(&[], &[("IDPCTL_CONTEXT", "sim")]).success();
    // The flag beats the variable.
    run(&["--context", "sim"], &[("IDPCTL_CONTEXT", "dead")]).success();
    run(&["--context", "dead"], &[("IDPCTL_CONTEXT", "sim")]).code(6);
    with_config(&path)
        .args(["config", "use", "sim"])
        .assert()
        .success();
    run(&[], &[]).success();
    // The environment variable beats the current context.
    run(&[], &[("IDPCTL_CONTEXT", "dead")]).code(6);

    // Per field, environment and flags beat the context.
    with_config(&path)
        .args(["config", "use", "dead"])
        .assert()
        .success();
    let sim_url = sim.simulator().vcf().url();
    run(&[], &[("VCF_URL", &sim_url)]).success();
    run(&["--vcf-url", &sim_url], &[]).success();
    run(
        &["--vcf-url", "http://127.0.0.1:9"],
        &[("IDPCTL_CONTEXT", "sim")],
    )
    .code(6);
    // The environment's password beats the context's reference.
    run(
        &[],
        &[
            ("IDPCTL_CONTEXT", "sim"),
            ("VCF_PASSWORD", "wrong-password"),
        ],
    )
    .code(4);

    // An unknown context is a usage error and nothing is sent.
    sim.clear_requests();
    let refused = run(&["--context", "nope"], &[]).code(2);
    assert!(stderr(&refused).contains("nope"), "{}", stderr(&refused));
    run(&[], &[("IDPCTL_CONTEXT", "nope")]).code(2);
    sim.assert_nothing_sent("an unknown context");
    // The context's reference names what is missing, never a value.
    let missing = with_config(&path)
        .args(["--context", "sim", "vcf", "idp", "list"])
        .assert()
        .code(2);
    assert!(
        stderr(&missing).contains("CTX_VCF_PASSWORD"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn the_default_file_is_in_the_xdg_config_directory() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = idpctl();
    cmd.env_remove("IDPCTL_CONFIG")
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["config", "set", "x", "--vcf-url", "https://x.example.com"])
        .assert()
        .success();
    assert!(config_path(dir.path()).is_file());
}

#[test]
fn shells_complete_context_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    for name in ["prod-sfo", "prod-lon", "lab"] {
        with_config(&path)
            .args(["config", "set", name, "--vcf-url", "https://x.example.com"])
            .assert()
            .success();
    }
    // What the registered fish script runs on <TAB>.
    let complete = |words: &[&str]| {
        let assert = with_config(&path)
            .env("COMPLETE", "fish")
            .arg("--")
            .args(words)
            .assert()
            .success();
        let mut lines: Vec<String> = stdout(&assert).lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    assert_eq!(
        complete(&["idpctl", "--context", "prod"]),
        ["prod-lon", "prod-sfo"]
    );
    assert_eq!(
        complete(&["idpctl", "vcf", "idp", "list", "--context", ""]),
        ["lab", "prod-lon", "prod-sfo"]
    );
    assert_eq!(complete(&["idpctl", "config", "use", "l"]), ["lab"]);

    // The bash script `idpctl completions bash` prints, in bash.
    let Ok(bash) = which("bash") else { return };
    let bin = assert_cmd::cargo::cargo_bin("idpctl");
    let path_var = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = r#"source <(idpctl completions bash)
COMP_WORDS=(idpctl --context pr); COMP_CWORD=2
_clap_complete_idpctl idpctl pr --context
printf '%s\n' "${COMPREPLY[@]}""#;
    let out = std::process::Command::new(bash)
        .args(["-c", script])
        .env("PATH", path_var)
        .env("IDPCTL_CONFIG", &path)
        .env_remove("COMPLETE")
        .output()
        .unwrap();
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["prod-lon", "prod-sfo"],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn which(name: &str) -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
        .ok_or(())
}

#[test]
fn plan_and_apply_resolve_context_targets() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    add_sim_context(&path, "dr-site", &sim.simulator().vcf().url());
    let document = dir.path().join("fleet.yaml");
    std::fs::write(
        &document,
        "targets:\n  - context: dr-site\nidentity:\n  external:\n    type: okta\n    name: corp-sso\n    directory: { name: corp_dir, defaultDomain: example.com, domains: [example.com] }\n    oidc: { clientId: client-1, clientSecret: env:CTX_OKTA_SECRET,\n            discoveryEndpoint: https://sso.example.com/.well-known/openid-configuration }\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut cmd = with_config(&path);
        cmd.env("CTX_VCF_PASSWORD", VCF_PASSWORD)
            .env("CTX_OKTA_SECRET", "okta-secret-Lm42")
            .args(args)
            .arg("-f")
            .arg(&document);
        cmd
    };
    let plan = run(&["plan", "--detailed-exitcode"]).assert().code(2);
    let out = stdout(&plan);
    assert!(out.contains("dr-site: 1 change(s)"), "{out}");
    assert!(out.contains("+ create externalProvider corp-sso"), "{out}");
    run(&["apply", "--yes"]).assert().success();
    assert!(sim.simulator().vcf().external_provider_id().is_some());
    let again = run(&["plan", "--detailed-exitcode"]).assert().code(0);
    assert!(
        stdout(&again).contains("dr-site: no changes"),
        "{}",
        stdout(&again)
    );

    // A context the file does not have: exit 2 before any request.
    std::fs::write(&document, "targets:\n  - context: nowhere\n").unwrap();
    sim.clear_requests();
    let refused = run(&["plan"]).assert().code(2);
    assert!(stderr(&refused).contains("nowhere"), "{}", stderr(&refused));
    sim.assert_nothing_sent("an unknown context target");
    run(&["plan", "--detailed-exitcode"]).assert().code(1);
}

#[test]
fn a_context_carries_the_ca_file_and_the_unleash_key() {
    let sim = TestSim::with(crate::common::config().tls(true));
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();
    let key_file = dir.path().join("unleash.key");
    std::fs::write(
        &key_file,
        format!("{}\n", sim.simulator().unleash().api_key()),
    )
    .unwrap();
    add_sim_context(&path, "tls", &sim.simulator().vcf().url());
    // Without the CA the simulator's certificate is not trusted (exit 6).
    with_config(&path)
        .env("CTX_VCF_PASSWORD", VCF_PASSWORD)
        .args(["--context", "tls", "vcf", "idp", "list"])
        .assert()
        .code(6);
    with_config(&path)
        .args(["config", "set", "tls", "--ca-cert"])
        .arg(&ca)
        .args(["--unleash-url", &sim.simulator().unleash().url()])
        .arg("--unleash-api-token")
        .arg(format!("file:{}", key_file.display()))
        .assert()
        .success();
    with_config(&path)
        .env("CTX_VCF_PASSWORD", VCF_PASSWORD)
        .args(["--context", "tls", "vcf", "idp", "list"])
        .assert()
        .success();
    let settings = with_config(&path)
        .args([
            "--context",
            "tls",
            "-o",
            "json",
            "unleash",
            "scim-settings",
            "get",
        ])
        .assert()
        .success();
    assert!(json_stdout(&settings).get("enabled").is_some());

    // A context target trusts the context's CA too.
    let document = dir.path().join("fleet.yaml");
    std::fs::write(&document, "targets:\n  - context: tls\n").unwrap();
    let plan = with_config(&path)
        .env("CTX_VCF_PASSWORD", VCF_PASSWORD)
        .args(["plan", "-f"])
        .arg(&document)
        .assert()
        .success();
    assert!(
        stdout(&plan).contains("tls: no changes"),
        "{}",
        stdout(&plan)
    );
}
