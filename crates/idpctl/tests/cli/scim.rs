//! `idpctl scim probe` and `--verify` / `--verify-old` against the
//! simulator's SCIM endpoints: exit 0 accepted, 4 refused token, 3 not a
//! SCIM endpoint, 6 unreachable or TLS refused, 8 a delivered token that
//! does not verify; tokens never in the output.

use assert_cmd::Command;

use crate::common::{
    TestSim, assert_not_leaked, closed_port, config, idpctl, json_stdout, read_token, stderr,
    stdout,
};
use crate::deliver_entra::with_entra;

const VERIFY_FAILED: i32 = 8;

fn probe(url: &str, token: &str) -> Command {
    let mut command = idpctl();
    command
        .env("SCIM_TOKEN", token)
        .args(["-vvv", "-o", "json", "scim", "probe", url]);
    command
}

/// A federated provider's SCIM URL and current token, rotated through the
/// CLI.
fn vcf_token(sim: &TestSim, id: &str) -> (String, String) {
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "sync-token", "rotate", id])
        .assert()
        .success();
    let json = json_stdout(&assert);
    (
        json["scimUrl"].as_str().unwrap().to_owned(),
        json["token"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn probe_gives_one_verdict_with_the_usual_exit_codes() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let (url, token) = vcf_token(&sim, &id);

    let assert = probe(&url, &token).assert().success();
    let json = json_stdout(&assert);
    assert_eq!(json["tokenAccepted"], true);
    assert_eq!(json["looksLikeScim"], true);
    assert_eq!(json["tls"], false);
    assert_eq!(json["usersStatus"], 200);
    assert_eq!(json["contentType"], "application/scim+json");
    // The broker has no discovery endpoints.
    assert!(
        json["discovery"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["present"] == false)
    );
    assert_not_leaked(&sim, &assert, &[&token]);

    // The token from a file and from stdin, in the table output.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, format!("{token}\n")).unwrap();
    let assert = idpctl()
        .args(["scim", "probe", &url, "--token-file"])
        .arg(&file)
        .assert()
        .success();
    assert!(stdout(&assert).contains("the SCIM endpoint accepts the token"));
    idpctl()
        .args(["scim", "probe", &url, "--token-stdin"])
        .write_stdin(format!("{token}\n"))
        .assert()
        .success();

    // A wrong token: 4.
    let assert = probe(&url, "not-the-token").assert().code(4);
    assert_eq!(json_stdout(&assert)["tokenAccepted"], false);
    assert!(stderr(&assert).contains("refuses the token (HTTP 401)"));
    // One path segment off: 3.
    let off = url.replace("/scim/v2", "/scim/v3");
    let assert = probe(&off, &token).assert().code(3);
    assert!(
        stderr(&assert).contains("not a SCIM endpoint"),
        "{}",
        stderr(&assert)
    );
    // The SDDC Manager API itself answers, but not SCIM: 3.
    let not_scim = format!("{}/v1", sim.simulator().vcf().url());
    probe(&not_scim, &token).assert().code(3);
    // Nothing listening: 6.
    probe(
        &format!("http://127.0.0.1:{}/scim/v2", closed_port()),
        &token,
    )
    .assert()
    .code(6);
    // No token: a usage error, nothing sent.
    let before = sim.requests().len();
    idpctl().args(["scim", "probe", &url]).assert().code(2);
    assert_eq!(sim.requests().len(), before);
    // Rotated out: refused at once.
    vcf_token(&sim, &id);
    probe(&url, &token).assert().code(4);
}

#[test]
fn probe_over_tls_needs_the_ca() {
    let sim = TestSim::with(config().tls(true));
    let id = sim.add_okta_tls();
    let (url, token) = vcf_token_tls(&sim, &id);
    let assert = probe(&url, &token).assert().code(6);
    assert!(
        stderr(&assert).to_lowercase().contains("certificate"),
        "{}",
        stderr(&assert)
    );
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();
    let assert = probe(&url, &token)
        .env("SCIM_CA_CERT", &ca)
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)["tls"], true);
    probe(&url, &token)
        .arg("--ca-cert")
        .arg(&ca)
        .assert()
        .success();
}

trait TlsSim {
    fn add_okta_tls(&self) -> String;
}

impl TlsSim for TestSim {
    fn add_okta_tls(&self) -> String {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, self.ca_pem().unwrap()).unwrap();
        let assert = self
            .vcf()
            .env("VCF_CA_CERT", &ca)
            .args(["-o", "json", "vcf", "idp", "add", "--file"])
            .arg(crate::common::fixture(
                "addExternalIdentityProvider.okta.request.json",
            ))
            .assert()
            .success();
        json_stdout(&assert)["id"].as_str().unwrap().to_owned()
    }
}

fn vcf_token_tls(sim: &TestSim, id: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();
    let assert = sim
        .vcf()
        .env("VCF_CA_CERT", &ca)
        .args(["-o", "json", "vcf", "sync-token", "rotate", id])
        .assert()
        .success();
    let json = json_stdout(&assert);
    (
        json["scimUrl"].as_str().unwrap().to_owned(),
        json["token"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn verify_and_verify_old_after_a_file_delivery() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scim-token");
    let rotate = |extra: &[&str]| {
        let mut command = sim.vcf();
        command
            .args([
                "-vvv",
                "-o",
                "json",
                "vcf",
                "sync-token",
                "rotate",
                &id,
                "--deliver",
            ])
            .arg(format!("file:{}", file.display()))
            .args(extra);
        command
    };
    // A first delivery: no previous token to check.
    let assert = rotate(&["--verify", "--verify-old"]).assert().success();
    let verified = &json_stdout(&assert)["verified"];
    assert_eq!(verified["by"], "scim");
    assert_eq!(verified["newTokenAccepted"], true);
    assert!(verified["oldTokenRefused"].is_null());
    assert!(
        verified["oldTokenNote"]
            .as_str()
            .unwrap()
            .contains("not checked")
    );
    let first = read_token(&file);

    let assert = rotate(&["--verify-old"]).assert().success();
    let verified = &json_stdout(&assert)["verified"];
    assert_eq!(verified["oldTokenRefused"], true);
    let second = read_token(&file);
    assert_ne!(first, second);
    assert_not_leaked(&sim, &assert, &[&first, &second]);

    // Without --verify nothing more is sent than before.
    let assert = rotate(&[]).assert().success();
    assert!(json_stdout(&assert).get("verified").is_none());
}

#[test]
fn a_delivered_token_that_does_not_verify_is_exit_8() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scim-token");
    let wrong = format!(
        "{}/usergroup/t/CUSTOMER/scim/v3",
        sim.simulator().vcf().url()
    );
    let assert = sim
        .vcf()
        .args([
            "vcf",
            "sync-token",
            "rotate",
            &id,
            "--verify",
            "--scim-url",
            &wrong,
            "--deliver",
        ])
        .arg(format!("file:{}", file.display()))
        .assert()
        .code(VERIFY_FAILED);
    let err = stderr(&assert);
    assert!(err.contains("the new token is in place"), "{err}");
    assert!(err.contains("not a SCIM endpoint"), "{err}");
    assert!(err.contains("remediation: the SCIM URL"), "{err}");
    // The token is delivered and is the current one.
    let token = read_token(&file);
    assert_eq!(
        sim.simulator().vcf().sync_client_token(&id).as_deref(),
        Some(token.as_str())
    );
    assert_not_leaked(&sim, &assert, &[&token]);

    // Printed to stdout, the token is still printed before exit 8.
    let assert = sim
        .vcf()
        .args([
            "-o",
            "json",
            "vcf",
            "sync-token",
            "rotate",
            &id,
            "--verify",
            "--scim-url",
            &wrong,
        ])
        .assert()
        .code(VERIFY_FAILED);
    let token = json_stdout(&assert)["token"].as_str().unwrap().to_owned();
    assert_eq!(sim.simulator().vcf().sync_client_token(&id), Some(token));
}

#[test]
fn unleash_and_broker_rotations_verify() {
    let sim = TestSim::start();
    let assert = sim
        .unleash()
        .args([
            "-o",
            "json",
            "unleash",
            "scim-token",
            "rotate",
            "--yes",
            "--verify",
        ])
        .assert()
        .success();
    let json = json_stdout(&assert);
    assert_eq!(json["verified"]["newTokenAccepted"], true);
    assert_eq!(
        sim.simulator().unleash().scim_token().as_deref(),
        json["token"].as_str()
    );

    let directory = crate::broker::create_directory(&sim, "okta", "example.com");
    let assert = sim
        .broker()
        .args([
            "-o",
            "json",
            "broker",
            "sync-client",
            "rotate",
            &directory,
            "--yes",
            "--verify",
        ])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)["verified"]["by"], "scim");
}

#[test]
fn entra_targets_are_verified_by_entra_and_get_unleash_s_flag() {
    let sim = TestSim::start();
    let sp = sim.entra().service_principal_id();
    let mut command = with_entra(&sim, sim.unleash());
    let assert = command
        .args([
            "-vvv",
            "-o",
            "json",
            "unleash",
            "scim-token",
            "rotate",
            "--yes",
            "--verify",
            "--deliver",
        ])
        .arg(format!("entra:{sp}"))
        .assert()
        .success();
    let json = json_stdout(&assert);
    assert_eq!(json["verified"]["by"], "entra");
    let delivered = sim.entra().delivered(&sp).unwrap();
    let unleash_url = sim.simulator().unleash().url();
    assert_eq!(
        delivered.scim_url.as_deref(),
        Some(format!("{unleash_url}/scim?aadOptscim062020").as_str())
    );
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.method == "POST" && r.path.ends_with("/validateCredentials"))
    );
    assert_not_leaked(
        &sim,
        &assert,
        &[&delivered.token, &sim.entra().client_secret()],
    );

    // --scim-url is delivered as given (no flag appended).
    let given = format!("{unleash_url}/scim");
    let mut command = with_entra(&sim, sim.unleash());
    command
        .args([
            "unleash",
            "scim-token",
            "rotate",
            "--yes",
            "--scim-url",
            &given,
            "--deliver",
        ])
        .arg(format!("entra:{sp}"))
        .assert()
        .success();
    assert_eq!(sim.entra().delivered(&sp).unwrap().scim_url, Some(given));

    // Entra refusing the credentials (a URL that is no SCIM endpoint): exit 8.
    let wrong = format!("{unleash_url}/scimx");
    let mut command = with_entra(&sim, sim.unleash());
    let assert = command
        .args([
            "unleash",
            "scim-token",
            "rotate",
            "--yes",
            "--verify",
            "--scim-url",
            &wrong,
            "--deliver",
        ])
        .arg(format!("entra:{sp}"))
        .assert()
        .code(VERIFY_FAILED);
    let err = stderr(&assert);
    assert!(
        err.contains("Entra's credential validation failed"),
        "{err}"
    );
    assert!(err.contains("HTTP 400"), "{err}");
}
