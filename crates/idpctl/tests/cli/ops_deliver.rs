//! `idpctl ops sync-client rotate --deliver` to every target (stdout,
//! `file:`, `okta:`, `entra:`), recovery when delivery fails after the
//! rotation (exit 7), an API token delivered like a rotated token, and
//! `idpctl check --system ops` in every output.

use idp_sim::FaultRule;

use crate::common::{json_stdout, read_token, recovery_path, stderr, stdout};
use crate::deliver_entra::with_entra;
use crate::ops_lifecycle::{create_provider, json, ops, ops_sim};

const ROTATED_NOT_DELIVERED: i32 = 7;
const OKTA_ROUTE: &str = "/okta/api/v1/apps/{appId}/connections/default";

#[test]
fn sync_client_rotate_delivers_to_a_file_okta_and_entra() {
    let sim = ops_sim();
    let realm = sim.vcf_ops().realm_id();
    let (idp, directory) = create_provider(&sim, &realm);
    let scim_url = sim.vcf_ops().scim_url();

    // file:
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scim-token");
    let to_file = ops(&sim)
        .args([
            "-vvv",
            "ops",
            "sync-client",
            "rotate",
            &directory,
            "--idp",
            &idp,
            "--yes",
            "--deliver",
        ])
        .arg(format!("file:{}", path.display()))
        .assert()
        .success();
    let token = sim.vcf_ops().sync_token(&idp, &directory).unwrap();
    assert_eq!(read_token(&path), token);
    assert!(!stdout(&to_file).contains(&token) && !stderr(&to_file).contains(&token));

    // okta:
    let app = sim.okta().app_id();
    let to_okta = ops(&sim)
        .env("OKTA_URL", sim.okta().url())
        .env("OKTA_API_TOKEN", sim.okta().api_token())
        .args([
            "-o",
            "json",
            "ops",
            "sync-client",
            "rotate",
            &directory,
            "--idp",
            &idp,
            "--yes",
        ])
        .args(["--scim-url", &scim_url, "--deliver", &format!("okta:{app}")])
        .assert()
        .success();
    let token = sim.vcf_ops().sync_token(&idp, &directory).unwrap();
    let held = sim.okta().delivered(&app).unwrap();
    assert_eq!(
        held.token, token,
        "the token Okta holds is the one VCF Operations accepts"
    );
    assert_eq!(held.scim_url.as_deref(), Some(scim_url.as_str()));
    assert_eq!(json_stdout(&to_okta)["deliveredTo"], format!("okta:{app}"));
    assert!(!stdout(&to_okta).contains(&token));

    // entra:
    let sp = sim.entra().service_principal_id();
    with_entra(&sim, ops(&sim))
        .args([
            "ops",
            "sync-client",
            "rotate",
            &directory,
            "--idp",
            &idp,
            "--yes",
        ])
        .args(["--scim-url", &scim_url, "--deliver", &format!("entra:{sp}")])
        .assert()
        .success();
    let token = sim.vcf_ops().sync_token(&idp, &directory).unwrap();
    assert_eq!(sim.entra().delivered(&sp).unwrap().token, token);
}

#[test]
fn a_failed_delivery_saves_the_rotated_token_for_recovery() {
    let sim = ops_sim();
    let realm = sim.vcf_ops().realm_id();
    let (idp, directory) = create_provider(&sim, &realm);
    let app = sim.okta().app_id();
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("saved");
    sim.faults()
        .add(FaultRule::new("POST", OKTA_ROUTE).respond(503));
    let assert = ops(&sim)
        .env("OKTA_URL", sim.okta().url())
        .env("OKTA_API_TOKEN", sim.okta().api_token())
        .args([
            "ops",
            "sync-client",
            "rotate",
            &directory,
            "--idp",
            &idp,
            "--yes",
        ])
        .args(["--scim-url", &sim.vcf_ops().scim_url()])
        .args(["--deliver", &format!("okta:{app}"), "--recovery"])
        .arg(&recovery)
        .assert()
        .code(ROTATED_NOT_DELIVERED);
    let token = sim.vcf_ops().sync_token(&idp, &directory).unwrap();
    assert_eq!(
        recovery_path(&assert),
        std::path::absolute(&recovery).unwrap()
    );
    assert_eq!(
        read_token(&recovery),
        token,
        "the token VCF Operations now accepts"
    );
    let err = stderr(&assert);
    assert!(
        err.contains("was rotated") && err.contains("remediation:"),
        "{err}"
    );
    assert!(!err.contains(&token));

    // A pre-flight failure (an unknown app) rotates nothing.
    sim.faults().clear();
    let before = sim.vcf_ops().sync_token(&idp, &directory);
    ops(&sim)
        .env("OKTA_URL", sim.okta().url())
        .env("OKTA_API_TOKEN", sim.okta().api_token())
        .args([
            "ops",
            "sync-client",
            "rotate",
            &directory,
            "--idp",
            &idp,
            "--yes",
        ])
        .args([
            "--scim-url",
            "https://scim.example.com",
            "--deliver",
            "okta:0oaNoSuchApp1",
        ])
        .assert()
        .failure();
    assert_eq!(sim.vcf_ops().sync_token(&idp, &directory), before);
}

#[test]
fn an_api_token_is_delivered_like_a_rotated_token() {
    let sim = ops_sim();
    let realm = sim.vcf_ops().realm_id();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("api-token");
    let created = ops(&sim)
        .args([
            "-o",
            "json",
            "ops",
            "api-token",
            "create",
            "--realm",
            &realm,
            "--name",
            "ci",
            "--deliver",
        ])
        .arg(format!("file:{}", path.display()))
        .assert()
        .success();
    let out = json_stdout(&created);
    let id = out["apiTokenId"].as_str().unwrap();
    let token = sim.vcf_ops().api_token(&realm, id).unwrap();
    assert_eq!(read_token(&path), token);
    assert!(!stdout(&created).contains(&token));

    // --verify is for SCIM tokens: refused before a token is made.
    let refused = ops(&sim)
        .args(["ops", "api-token", "create", "--realm", &realm])
        .args(["--name", "ci-2", "--verify"])
        .assert()
        .code(2);
    assert!(stderr(&refused).contains("nothing was generated"));
    assert_eq!(sim.vcf_ops().api_token_count(&realm), 1);

    // Regenerated into a file that passes the pre-flight but cannot be
    // written (a directory where its temporary file goes): recovered, exit 7.
    let blocked = dir.path().join("token");
    std::fs::create_dir(dir.path().join(".token.idpctl-new")).unwrap();
    let recovery = dir.path().join("recovered");
    let assert = ops(&sim)
        .args([
            "ops",
            "api-token",
            "rotate",
            id,
            "--realm",
            &realm,
            "--yes",
            "--deliver",
        ])
        .arg(format!("file:{}", blocked.display()))
        .arg("--recovery")
        .arg(&recovery)
        .assert()
        .code(ROTATED_NOT_DELIVERED);
    let regenerated = sim.vcf_ops().api_token(&realm, id).unwrap();
    assert_ne!(regenerated, token);
    assert_eq!(read_token(&recovery_path(&assert)), regenerated);
}

#[test]
fn check_ops_reports_sync_client_and_api_token_expiry() {
    let sim = ops_sim();
    let realm = sim.vcf_ops().realm_id();
    let (idp, directory) = create_provider(&sim, &realm);
    // A directory without a sync client yet: its expiry is unknown.
    let unknown = ops(&sim)
        .args(["check", "--system", "ops"])
        .assert()
        .code(3);
    assert!(
        stdout(&unknown).contains("no sync client yet"),
        "{}",
        stdout(&unknown)
    );
    json(
        &sim,
        &[
            "ops",
            "sync-client",
            "rotate",
            &directory,
            "--idp",
            &idp,
            "--ttl",
            "30d",
            "--yes",
        ],
    );
    let created = json(
        &sim,
        &[
            "ops",
            "api-token",
            "create",
            "--realm",
            &realm,
            "--name",
            "ci",
            "--ttl",
            "90d",
        ],
    );
    let token_id = created["apiTokenId"].as_str().unwrap().to_owned();

    let ok = ops(&sim)
        .args(["check", "--system", "ops"])
        .assert()
        .success();
    let text = stdout(&ok);
    assert!(text.starts_with("IDP TOKENS OK"), "{text}");
    assert!(
        text.contains("OK ops: sync client token of directory okta-directory"),
        "{text}"
    );
    assert!(text.contains("OK ops: API token ci"), "{text}");
    // The API token (90 days) within --warn: WARNING.
    let warning = ops(&sim)
        .args(["check", "--ops", "--warn", "120d", "--critical", "1d"])
        .assert()
        .code(1);
    assert!(
        stdout(&warning).contains("WARNING ops: API token ci"),
        "{}",
        stdout(&warning)
    );

    // An expired API token is CRITICAL, in every output.
    assert!(sim.vcf_ops().expire_api_token(&realm, &token_id));
    let critical = ops(&sim)
        .args(["check", "--system", "ops"])
        .assert()
        .code(2);
    assert!(
        stdout(&critical).contains("CRITICAL ops: API token ci"),
        "{}",
        stdout(&critical)
    );
    let as_json = ops(&sim)
        .args(["-o", "json", "check", "--system", "ops"])
        .assert()
        .code(2);
    let report = json_stdout(&as_json);
    assert_eq!(report["status"], "CRITICAL");
    assert!(
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["system"] == "ops" && c["message"].as_str().unwrap().contains("EXPIRED")),
        "{report}"
    );
    let prometheus = ops(&sim)
        .args(["-o", "prometheus", "check", "--system", "ops"])
        .assert()
        .code(2);
    let metrics = stdout(&prometheus);
    assert!(metrics.contains("idp_up{system=\"ops\"} 1"), "{metrics}");
    let expired = metrics
        .lines()
        .find(|l| {
            l.starts_with("idp_ops_token_expired{") && l.contains(&format!("id=\"{token_id}\""))
        })
        .unwrap_or_else(|| panic!("{metrics}"));
    assert!(expired.ends_with(" 1"), "{expired}");
    assert!(
        metrics.contains("idp_ops_token_expiry_timestamp_seconds{kind=\"sync_client\""),
        "{metrics}"
    );
    // OPS_URL alone selects the system.
    ops(&sim).arg("check").assert().code(2);
}

#[test]
fn sync_client_rotate_verifies_at_the_scim_url_it_is_given() {
    let sim = ops_sim();
    let realm = sim.vcf_ops().realm_id();
    let (idp, directory) = create_provider(&sim, &realm);
    let scim_url = sim.vcf_ops().scim_url();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scim-token");
    let rotate = |extra: &[&str]| {
        let mut command = ops(&sim);
        command
            .args([
                "-o",
                "json",
                "ops",
                "sync-client",
                "rotate",
                &directory,
                "--idp",
                &idp,
                "--yes",
            ])
            .args(extra)
            .arg("--deliver")
            .arg(format!("file:{}", path.display()));
        command
    };

    // Without a SCIM URL there is nothing to verify at: refused before
    // anything is rotated.
    let refused = rotate(&["--verify"]).assert().code(2);
    assert!(stderr(&refused).contains("--scim-url"));
    assert!(sim.vcf_ops().sync_token(&idp, &directory).is_none());

    // A first token, then a rotation that checks the new one opens the
    // endpoint and the previous one (the file's) no longer does.
    rotate(&[]).assert().success();
    let verified = rotate(&["--scim-url", &scim_url, "--verify-old"])
        .assert()
        .success();
    let verified = json_stdout(&verified)["verified"].clone();
    assert_eq!(verified["by"], "scim");
    assert_eq!(verified["newTokenAccepted"], true);
    assert_eq!(verified["oldTokenRefused"], true);
    let token = sim.vcf_ops().sync_token(&idp, &directory).unwrap();
    assert_eq!(read_token(&path), token);

    // A SCIM URL one segment off: delivered, not verified (exit 8).
    let wrong = format!("{}/v9", scim_url.trim_end_matches("/v2"));
    let unverified = rotate(&["--scim-url", &wrong, "--verify"]).assert().code(8);
    let token = sim.vcf_ops().sync_token(&idp, &directory).unwrap();
    assert_eq!(
        read_token(&path),
        token,
        "the token is delivered all the same"
    );
    assert!(!stderr(&unverified).contains(&token) && !stdout(&unverified).contains(&token));
}
