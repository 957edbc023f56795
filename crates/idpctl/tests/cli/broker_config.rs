//! Broker settings in contexts (`idpctl config set --broker-...`, their
//! precedence below flags and the environment) and broker targets of
//! `idpctl plan` / `idpctl apply`, direct and through a context.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::common::{TestSim, idpctl, json_stdout, stderr, stdout};

const IDP_SECRET: &str = "broker-idp-secret-Qw58";

/// `idpctl` with its configuration file at `path`.
fn with_config(path: &Path) -> Command {
    let mut cmd = idpctl();
    cmd.env("IDPCTL_CONFIG", path);
    cmd
}

/// A context `name` for `sim`'s broker with its admin OAuth client, the
/// secret from `CTX_BROKER_SECRET`.
fn add_broker_context(path: &Path, name: &str, sim: &TestSim) {
    with_config(path)
        .args(["config", "set", name])
        .args(["--broker-url", &sim.simulator().broker().url()])
        .args(["--broker-tenant", sim.simulator().broker().tenant()])
        .args(["--broker-client-id", sim.simulator().broker().client_id()])
        .args(["--broker-client-secret", "env:CTX_BROKER_SECRET"])
        .assert()
        .success();
}

fn config_path(dir: &Path) -> PathBuf {
    dir.join("idpctl").join("config.toml")
}

#[test]
fn a_context_holds_broker_settings_below_flags_and_environment() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    add_broker_context(&path, "lab", &sim);
    let show = |path: &Path| {
        let assert = with_config(path)
            .args(["config", "show", "lab"])
            .assert()
            .success();
        stdout(&assert)
    };
    // A context holds one kind of broker credentials: two kinds in one
    // `config set` are refused, and another kind replaces the context's.
    let mixed = with_config(&path)
        .args(["config", "set", "lab"])
        .args(["--broker-token", "file:/run/secrets/broker"])
        .args(["--broker-vcenter-username", "administrator@vsphere.local"])
        .assert()
        .code(2);
    assert!(
        stderr(&mixed).contains("one kind of broker credentials"),
        "{}",
        stderr(&mixed)
    );
    with_config(&path)
        .args(["config", "set", "lab"])
        .args(["--broker-token", "file:/run/secrets/broker"])
        .assert()
        .success();
    let out = show(&path);
    assert!(
        out.contains("file:/run/secrets/broker") && !out.contains("broker.client-id"),
        "{out}"
    );
    with_config(&path)
        .args(["config", "set", "lab"])
        .args(["--broker-vcenter-username", "administrator@vsphere.local"])
        .args(["--broker-vcenter-password", "env:CTX_VC_PASSWORD"])
        .assert()
        .success();
    let out = show(&path);
    assert!(
        out.contains("env:CTX_VC_PASSWORD") && !out.contains("file:/run/secrets/broker"),
        "{out}"
    );
    add_broker_context(&path, "lab", &sim);

    // Shown as references, never values.
    let secret = sim.simulator().broker().client_secret();
    let show = with_config(&path)
        .env("CTX_BROKER_SECRET", &secret)
        .args(["config", "show", "lab"])
        .assert()
        .success();
    let out = stdout(&show);
    for line in [
        "broker.client-secret",
        "env:CTX_BROKER_SECRET",
        &sim.simulator().broker().url(),
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    assert!(!out.contains(&secret), "{out}");
    let json = json_stdout(
        &with_config(&path)
            .args(["-o", "json", "config", "show", "lab"])
            .assert()
            .success(),
    );
    assert_eq!(json["broker"]["client-secret"], "env:CTX_BROKER_SECRET");
    assert_eq!(json["broker"]["tenant"], sim.simulator().broker().tenant());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(&secret), "{text}");

    // Literal secrets are refused, without being shown.
    for flag in [
        "--broker-client-secret",
        "--broker-vcenter-password",
        "--broker-token",
    ] {
        let refused = with_config(&path)
            .args(["config", "set", "lab", flag, "literal-Bk33"])
            .assert()
            .code(2);
        assert!(!stderr(&refused).contains("literal-Bk33"));
    }

    // The context's OAuth client logs in.
    let list = |cmd: &mut Command| {
        cmd.env("CTX_BROKER_SECRET", &secret)
            .args(["--context", "lab", "broker", "directory", "list"])
            .assert()
    };
    list(&mut with_config(&path)).success();

    // A flag beats the context (an unknown tenant fails), the environment
    // too; the context's tenant comes back without them.
    let flag = list(with_config(&path).args(["--broker-tenant", "OTHER"])).failure();
    assert_ne!(flag.get_output().status.code(), Some(0));
    list(with_config(&path).env("BROKER_TENANT", "OTHER")).failure();
    // Environment credentials win over the context's: a wrong secret fails.
    list(with_config(&path).env("BROKER_CLIENT_SECRET", "wrong-secret")).failure();

    // Without the context's URL: a usage error (exit 2) before any request.
    with_config(&path)
        .args(["config", "set", "lab", "--unset", "broker-url"])
        .assert()
        .success();
    sim.clear_requests();
    let missing = list(&mut with_config(&path)).code(2);
    assert!(
        stderr(&missing).contains("--broker-url"),
        "{}",
        stderr(&missing)
    );
    sim.assert_nothing_sent("a context without broker-url");
}

fn state() -> &'static str {
    "broker:\n  directories:\n    - { name: corp, domains: [corp.example.com], defaultDomain: corp.example.com, source: OKTA }\n  identityProviders:\n    - name: okta\n      directories: [corp]\n      configurationUrl: https://sso.example.com/.well-known/openid-configuration\n      clientId: client-1\n      clientSecret: env:TEST_IDP_SECRET\n"
}

#[test]
fn plan_and_apply_a_broker_target_and_a_context_broker() {
    let direct = TestSim::start();
    let other = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    add_broker_context(&path, "lab", &other);
    let document = dir.path().join("brokers.yaml");
    std::fs::write(
        &document,
        format!(
            "brokers:\n  - name: direct\n    url: {}\n    tenant: {}\n    clientId: {}\n    clientSecret: env:TEST_BROKER_SECRET\n  - context: lab\n{}",
            direct.simulator().broker().url(),
            direct.simulator().broker().tenant(),
            direct.simulator().broker().client_id(),
            state()
        ),
    )
    .unwrap();
    let secrets = [
        direct.simulator().broker().client_secret(),
        other.simulator().broker().client_secret(),
        IDP_SECRET.to_owned(),
    ];
    let run = |args: &[&str]| {
        let mut cmd = with_config(&path);
        cmd.env("TEST_BROKER_SECRET", &secrets[0])
            .env("CTX_BROKER_SECRET", &secrets[1])
            .env("TEST_IDP_SECRET", IDP_SECRET)
            .args(args)
            .arg("-f")
            .arg(&document);
        cmd
    };
    let no_secret = |text: &str| {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{text}");
        }
    };

    let plan = run(&["plan", "--detailed-exitcode"]).assert().code(2);
    let out = stdout(&plan);
    for line in [
        "direct: 2 change(s)",
        "lab: 2 change(s)",
        "+ create brokerDirectory corp",
        "      domains: [\"corp.example.com\"]",
        "+ create brokerIdentityProvider okta",
        "identityProviders[okta].clientSecret: (secret) will be sent",
        "Plan: 4 to create, 0 to update, 0 to replace, 0 to delete.",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    no_secret(&(out + &stderr(&plan)));
    let json = json_stdout(&run(&["-o", "json", "plan"]).assert().success());
    assert_eq!(json["targets"][0]["kind"], "broker");
    assert_eq!(
        json["targets"][1]["changes"][1]["object"],
        "brokerIdentityProvider"
    );
    no_secret(&json.to_string());

    let apply = run(&["apply", "--yes"]).assert().success();
    no_secret(&(stdout(&apply) + &stderr(&apply)));
    assert_eq!(direct.simulator().broker().directory_count(), 1);
    assert_eq!(other.simulator().broker().directory_count(), 1);
    let again = run(&["plan", "--detailed-exitcode"]).assert().code(0);
    let out = stdout(&again);
    assert!(
        out.contains("direct: no changes") && out.contains("lab: no changes"),
        "{out}"
    );

    // A broker context the file does not have: exit 2 before any request.
    std::fs::write(&document, "brokers:\n  - context: nowhere\n").unwrap();
    direct.clear_requests();
    let refused = run(&["plan"]).assert().code(2);
    assert!(stderr(&refused).contains("nowhere"), "{}", stderr(&refused));
    direct.assert_nothing_sent("an unknown broker context");

    // A bad broker field: the file, line and field (exit 2).
    std::fs::write(
        &document,
        "brokers:\n  - name: b\n    url: https://vc.example.com\n    token: env:T\nbroker:\n  directories:\n    - { name: d, domains: [a.example.com], type: SCIM }\n",
    )
    .unwrap();
    let bad = run(&["plan"]).assert().code(2);
    assert!(
        stderr(&bad).contains("brokers.yaml:7:")
            && stderr(&bad).contains("broker.directories[0].type"),
        "{}",
        stderr(&bad)
    );
}
