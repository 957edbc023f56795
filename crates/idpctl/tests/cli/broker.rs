//! `idpctl broker ...` against the simulated VCF Identity Broker.

use crate::common::{TestSim, idpctl, json_stdout, stderr, stdout};

fn created_id(sim: &TestSim, args: &[&str]) -> String {
    let assert = sim.broker().args(args).assert().success();
    json_stdout(&assert)["id"].as_str().unwrap().to_owned()
}

/// Creates a broker directory for `domain` through the CLI; its id.
pub(crate) fn create_directory(sim: &TestSim, name: &str, domain: &str) -> String {
    let args = ["-o", "json", "broker", "directory", "create"];
    created_id(
        sim,
        &[&args[..], &["--name", name, "--domain", domain]].concat(),
    )
}

/// Switches a directory's sync client to client credentials (no token).
pub(crate) fn use_client_credentials(sim: &TestSim, id: &str) {
    sim.broker()
        .args(["broker", "sync-client", "generate", id])
        .args(["--client-credentials", "-y"])
        .assert()
        .success();
}

#[test]
fn directories_and_the_sync_client_from_the_command_line() {
    let sim = TestSim::start();
    let id = created_id(
        &sim,
        &[
            "-o",
            "json",
            "broker",
            "directory",
            "create",
            "--name",
            "okta",
            "--domain",
            "example.com",
            "--source",
            "OKTA",
        ],
    );
    let assert = sim
        .broker()
        .args(["broker", "directory", "list"])
        .assert()
        .success();
    let table = stdout(&assert);
    assert!(table.contains(&id) && table.contains("OKTA"), "{table}");

    let assert = sim
        .broker()
        .args([
            "-o",
            "json",
            "broker",
            "directory",
            "update",
            &id,
            "--name",
            "okta-prod",
        ])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)["name"], "okta-prod");
    let assert = sim
        .broker()
        .args(["-o", "json", "broker", "directory", "get", &id])
        .assert()
        .success();
    let shown = json_stdout(&assert);
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["name"], "okta-prod");
    assert_eq!(shown["source"], "OKTA");

    // generate prints the token it exists to produce; show never does.
    let assert = sim
        .broker()
        .args([
            "-o",
            "json",
            "broker",
            "sync-client",
            "generate",
            &id,
            "--token",
            "--ttl",
            "2h",
            "-y",
        ])
        .assert()
        .success();
    let generated = json_stdout(&assert);
    let token = sim.simulator().broker().sync_token(&id).unwrap();
    assert_eq!(generated["access_token"], token.as_str());
    assert_eq!(generated["token_ttl_minutes"], 120);
    let assert = sim
        .broker()
        .args(["broker", "sync-client", "show", &id])
        .assert()
        .success();
    assert!(!stdout(&assert).contains(&token));

    let assert = sim
        .broker()
        .args([
            "-o",
            "json",
            "broker",
            "sync-client",
            "generate",
            &id,
            "--client-credentials",
            "-y",
        ])
        .assert()
        .success();
    assert!(json_stdout(&assert)["client_secret"].is_string());
    assert_eq!(sim.simulator().broker().sync_token(&id), None);

    // Without a terminal, delete needs --yes (usage error, nothing sent).
    let assert = sim
        .broker()
        .args(["broker", "directory", "delete", &id])
        .assert()
        .code(2);
    assert!(
        stderr(&assert).contains("--yes") || stderr(&assert).contains("aborted"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(sim.simulator().broker().directory_count(), 1);
    sim.broker()
        .args(["broker", "directory", "delete", &id, "--yes"])
        .assert()
        .success();
    assert_eq!(sim.simulator().broker().directory_count(), 0);
    let assert = sim
        .broker()
        .args(["broker", "directory", "get", &id])
        .assert()
        .failure();
    assert!(stderr(&assert).contains("404"), "{}", stderr(&assert));
}

#[test]
fn identity_providers_take_the_client_secret_from_the_environment_only() {
    let sim = TestSim::start();
    let dir = create_directory(&sim, "d", "d.example");
    let create = [
        "-o",
        "json",
        "broker",
        "idp",
        "create",
        "--name",
        "Okta",
        "--directory",
        &dir,
        "--configuration-url",
        "https://okta.example/.well-known/openid-configuration",
        "--client-id",
        "okta-app",
    ];
    let assert = sim.broker().args(create).assert().code(2);
    assert!(stderr(&assert).contains("BROKER_IDP_CLIENT_SECRET"));
    let assert = sim
        .broker()
        .env("BROKER_IDP_CLIENT_SECRET", "oidc-secret-value-123")
        .args(create)
        .assert()
        .success();
    assert!(!stdout(&assert).contains("oidc-secret-value-123"));
    let id = json_stdout(&assert)["id"].as_str().unwrap().to_owned();
    let assert = sim
        .broker()
        .args(["broker", "idp", "update", &id, "--name", "Okta prod"])
        .assert()
        .success();
    assert!(stdout(&assert).contains(&id));
    let assert = sim
        .broker()
        .args(["-o", "json", "broker", "idp", "get", &id])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)["name"], "Okta prod");
    let assert = sim
        .broker()
        .args(["broker", "idp", "list"])
        .assert()
        .success();
    assert!(stdout(&assert).contains("Okta prod"));
    sim.broker()
        .args(["broker", "idp", "delete", &id, "-y"])
        .assert()
        .success();
}

#[test]
fn oauth_clients_create_rotate_and_delete() {
    let sim = TestSim::start();
    let assert = sim
        .broker()
        .args([
            "-o",
            "json",
            "broker",
            "oauth-client",
            "create",
            "automation",
        ])
        .assert()
        .success();
    let first = json_stdout(&assert)["secret"].as_str().unwrap().to_owned();
    let assert = sim
        .broker()
        .args([
            "-o",
            "json",
            "broker",
            "oauth-client",
            "rotate-secret",
            "automation",
            "--now",
            "-y",
        ])
        .assert()
        .success();
    let rotated = json_stdout(&assert)["secret"].as_str().unwrap().to_owned();
    assert_ne!(first, rotated);
    // The new secret works as the CLI's own credential; the old one does not.
    let mut with_new = idpctl();
    with_new
        .env("BROKER_URL", sim.simulator().broker().url())
        .env("BROKER_CLIENT_ID", "automation")
        .env("BROKER_CLIENT_SECRET", &rotated)
        .args(["broker", "oauth-client", "list"]);
    let assert = with_new.assert().success();
    assert!(stdout(&assert).contains("automation"));
    let mut with_old = idpctl();
    with_old
        .env("BROKER_URL", sim.simulator().broker().url())
        .env("BROKER_CLIENT_ID", "automation")
        .env("BROKER_CLIENT_SECRET", &first)
        .args(["broker", "directory", "list"]);
    let assert = with_old.assert().failure();
    assert!(stderr(&assert).contains("401"), "{}", stderr(&assert));
    sim.broker()
        .args(["broker", "oauth-client", "delete", "automation", "-y"])
        .assert()
        .success();
}

#[test]
fn broker_credentials_are_required() {
    let sim = TestSim::start();
    let assert = idpctl()
        .env("BROKER_URL", sim.simulator().broker().url())
        .args(["broker", "directory", "list"])
        .assert()
        .code(2);
    assert!(stderr(&assert).contains("no broker credentials"));
    let assert = idpctl()
        .env("BROKER_URL", sim.simulator().broker().url())
        .env("BROKER_VCENTER_USERNAME", sim.simulator().vcf().username())
        .env("BROKER_VCENTER_PASSWORD", sim.simulator().vcf().password())
        .args(["-o", "json", "broker", "directory", "list"])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert), serde_json::json!([]));
    // The vCenter session that handed out the admin token was ended.
    let vcenter: Vec<(String, Option<u16>)> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/session")
        .map(|r| (r.method, r.status))
        .collect();
    assert_eq!(
        vcenter,
        [
            ("POST".to_owned(), Some(201)),
            ("DELETE".to_owned(), Some(204))
        ]
    );
    assert!(sim.vcenter().sessions().is_empty());
}

#[test]
fn check_reports_broker_sync_client_token_expiry() {
    let sim = TestSim::start();
    let id = create_directory(&sim, "d", "d.example");
    // No token generated yet: expiry unknown.
    sim.broker().args(["check", "--broker"]).assert().code(3);

    sim.broker()
        .args([
            "broker",
            "sync-client",
            "generate",
            &id,
            "--ttl",
            "2d",
            "-y",
        ])
        .assert()
        .success();
    let assert = sim
        .broker()
        .args(["check", "--warn", "14d", "--critical", "1d"])
        .assert()
        .code(1);
    let text = stdout(&assert);
    assert!(text.starts_with("IDP TOKENS WARNING"), "{text}");
    assert!(text.contains(&id), "{text}");

    let assert = sim
        .broker()
        .args([
            "-o",
            "prometheus",
            "check",
            "--broker",
            "--warn",
            "1d",
            "--critical",
            "1h",
        ])
        .assert()
        .success();
    let metrics = stdout(&assert);
    assert!(metrics.contains("idp_up{system=\"broker\"} 1"), "{metrics}");
    assert!(
        metrics.contains(&format!(
            "idp_broker_sync_client_token_expiry_timestamp_seconds{{directory=\"{id}\",name=\"d\"}}"
        )),
        "{metrics}"
    );

    use_client_credentials(&sim, &id);
    let assert = sim.broker().args(["check", "--broker"]).assert().success();
    assert!(stdout(&assert).contains("client credentials"));
}
