//! `idpctl vcf user | service-user | role | principal` against the
//! simulator: both output modes, exit codes, `--yes`, and a service user's
//! key delivered to a 0600 file, never printed elsewhere (even with -vvv).

use std::os::unix::fs::PermissionsExt;

use crate::common::{TestSim, assert_not_leaked, idpctl, json_stdout, read_token, stderr, stdout};

fn posts_to_users(sim: &TestSim) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/users")
        .count()
}

#[test]
fn role_list_and_principal_search_in_both_modes() {
    let sim = TestSim::start();
    let assert = sim.vcf().args(["vcf", "role", "list"]).assert().success();
    let out = stdout(&assert);
    assert!(out.starts_with("NAME"), "{out}");
    for role in ["ADMIN", "OPERATOR", "VIEWER"] {
        assert!(out.contains(role), "{out}");
    }
    let roles = json_stdout(
        &sim.vcf()
            .args(["-o", "json", "vcf", "role", "list"])
            .assert()
            .success(),
    );
    assert_eq!(roles.as_array().unwrap().len(), 3);
    assert!(roles[0]["id"].is_string());

    let domains = json_stdout(
        &sim.vcf()
            .args(["-o", "json", "vcf", "principal", "search"])
            .assert()
            .success(),
    );
    assert_eq!(
        domains,
        serde_json::json!(["vsphere.local", "embedded-ids.com"])
    );
    let found = json_stdout(
        &sim.vcf()
            .args([
                "-o",
                "json",
                "vcf",
                "principal",
                "search",
                "--domain",
                "embedded-ids.com",
                "admins",
            ])
            .assert()
            .success(),
    );
    assert_eq!(
        found,
        serde_json::json!([{"name": "vcf-admins", "domain": "embedded-ids.com", "kind": "GROUP"}])
    );
    let table = stdout(
        &sim.vcf()
            .args(["vcf", "principal", "search", "--domain", "embedded-ids.com"])
            .assert()
            .success(),
    );
    assert!(
        table.contains("vcf-admins") && table.contains("GROUP"),
        "{table}"
    );
    // A name without a domain is a usage error: nothing sent.
    sim.vcf()
        .args(["vcf", "principal", "search", "jane"])
        .assert()
        .code(2);
}

#[test]
fn user_add_list_remove_with_exit_codes() {
    let sim = TestSim::start();
    let list = stdout(&sim.vcf().args(["vcf", "user", "list"]).assert().success());
    assert!(list.starts_with("ID"), "{list}");
    assert!(
        list.contains("svc-automation") && list.contains("SERVICE"),
        "{list}"
    );

    let added = json_stdout(
        &sim.vcf()
            .args([
                "-o",
                "json",
                "vcf",
                "user",
                "add",
                "vcf-admins",
                "--domain",
                "embedded-ids.com",
                "--type",
                "group",
                "--role",
                "admin",
            ])
            .assert()
            .success(),
    );
    assert_eq!(added["kind"], "GROUP");
    assert_eq!(added["roleName"], "ADMIN");
    let id = added["id"].as_str().unwrap().to_owned();

    // A duplicate: the server's 400 (exit 5).
    let again = sim
        .vcf()
        .args([
            "vcf",
            "user",
            "add",
            "vcf-admins",
            "--domain",
            "embedded-ids.com",
            "--type",
            "group",
            "--role",
            "VIEWER",
        ])
        .assert()
        .code(5);
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    // An unknown principal: the server's 400 (exit 5), nothing added.
    sim.vcf()
        .args([
            "vcf",
            "user",
            "add",
            "nobody",
            "--domain",
            "embedded-ids.com",
            "--role",
            "VIEWER",
        ])
        .assert()
        .code(5);
    // An unknown role: refused before anything is sent (exit 2), listing the roles.
    let posts = posts_to_users(&sim);
    let unknown = sim
        .vcf()
        .args([
            "vcf",
            "user",
            "add",
            "ops",
            "--domain",
            "embedded-ids.com",
            "--role",
            "ROOT",
        ])
        .assert()
        .code(2);
    assert!(
        stderr(&unknown).contains("ADMIN, OPERATOR, VIEWER"),
        "{}",
        stderr(&unknown)
    );
    assert_eq!(posts_to_users(&sim), posts);

    // Remove needs --yes without a terminal; by NAME@DOMAIN.
    sim.vcf()
        .args(["vcf", "user", "remove", "vcf-admins@embedded-ids.com"])
        .assert()
        .code(2);
    assert!(
        sim.simulator()
            .vcf()
            .users()
            .iter()
            .any(|u| u.0 == "vcf-admins@embedded-ids.com")
    );
    sim.vcf()
        .args([
            "vcf",
            "user",
            "remove",
            "vcf-admins@embedded-ids.com",
            "--yes",
        ])
        .assert()
        .success();
    assert!(
        !sim.simulator()
            .vcf()
            .users()
            .iter()
            .any(|u| u.0 == "vcf-admins@embedded-ids.com")
    );
    // Gone: not found (exit 3).
    sim.vcf()
        .args(["vcf", "user", "remove", &id, "--yes"])
        .assert()
        .code(3);
}

#[test]
fn service_user_add_delivers_its_key_to_a_0600_file_and_never_prints_it() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ci-key");
    let assert = sim
        .vcf()
        .args([
            "-vvv",
            "vcf",
            "service-user",
            "add",
            "ci-pipeline",
            "--role",
            "OPERATOR",
        ])
        .arg("--deliver")
        .arg(format!("file:{}", path.display()))
        .assert()
        .success();
    let key = sim
        .simulator()
        .vcf()
        .service_user_key("ci-pipeline")
        .unwrap();
    assert_eq!(read_token(&path), key);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_not_leaked(&sim, &assert, &[&key]);
    assert!(!stderr(&assert).is_empty(), "-vvv logged nothing");
    assert!(
        stdout(&assert).contains("delivered to"),
        "{}",
        stdout(&assert)
    );

    // The delivered key logs in.
    let mut as_service = idpctl();
    as_service
        .env("VCF_URL", sim.simulator().vcf().url())
        .env("VCF_API_KEY", &key)
        .args(["-o", "json", "vcf", "user", "list"]);
    let users = json_stdout(&as_service.assert().success());
    assert!(
        users
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "ci-pipeline")
    );
}

#[test]
fn service_user_add_prints_its_key_on_stdout_by_default_and_refuses_identity_providers() {
    let sim = TestSim::start();
    let out = json_stdout(
        &sim.vcf()
            .args([
                "-o",
                "json",
                "vcf",
                "service-user",
                "add",
                "ci",
                "--role",
                "VIEWER",
            ])
            .assert()
            .success(),
    );
    assert_eq!(
        out["apiKey"],
        sim.simulator().vcf().service_user_key("ci").unwrap()
    );
    let posts = posts_to_users(&sim);
    sim.vcf()
        .args([
            "vcf",
            "service-user",
            "add",
            "other",
            "--role",
            "VIEWER",
            "--deliver",
            "okta:0oa1",
        ])
        .assert()
        .code(2);
    assert_eq!(posts_to_users(&sim), posts);
}

#[test]
fn service_user_rotate_checks_the_target_first_prints_the_gap_and_replaces_the_key() {
    let sim = TestSim::start();
    let old = sim.simulator().vcf().api_key();
    let dir = tempfile::tempdir().unwrap();

    // A delivery target that cannot work: nothing is removed.
    let bad = sim
        .vcf()
        .args([
            "vcf",
            "service-user",
            "rotate",
            "svc-automation",
            "--yes",
            "--deliver",
        ])
        .arg(format!("file:{}/missing/dir/key", dir.path().display()))
        .assert()
        .failure();
    assert_eq!(
        sim.simulator()
            .vcf()
            .service_user_key("svc-automation")
            .as_deref(),
        Some(old.as_str())
    );
    assert!(!stderr(&bad).contains(&old));

    // Without --yes (no terminal): the gap is printed, nothing changes.
    let path = dir.path().join("key");
    let refused = sim
        .vcf()
        .args([
            "vcf",
            "service-user",
            "rotate",
            "svc-automation",
            "--deliver",
        ])
        .arg(format!("file:{}", path.display()))
        .assert()
        .code(2);
    assert!(
        stderr(&refused).contains("no access"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        sim.simulator()
            .vcf()
            .service_user_key("svc-automation")
            .as_deref(),
        Some(old.as_str())
    );

    let assert = sim
        .vcf()
        .args([
            "-vvv",
            "vcf",
            "service-user",
            "rotate",
            "svc-automation",
            "--yes",
            "--deliver",
        ])
        .arg(format!("file:{}", path.display()))
        .assert()
        .success();
    let new = sim
        .simulator()
        .vcf()
        .service_user_key("svc-automation")
        .unwrap();
    assert_ne!(new, old);
    assert_eq!(read_token(&path), new);
    assert_not_leaked(&sim, &assert, &[&new, &old]);
    // Same role as before.
    assert!(
        sim.simulator()
            .vcf()
            .users()
            .iter()
            .any(|u| u.0 == "svc-automation@vsphere.local" && u.2 == "ADMIN")
    );
    // A user that is no service user cannot be rotated.
    sim.vcf()
        .args([
            "vcf",
            "service-user",
            "rotate",
            "administrator@vsphere.local",
            "--yes",
        ])
        .assert()
        .code(2);
}

#[test]
fn shells_complete_role_names() {
    let complete = |words: &[&str]| {
        let assert = idpctl()
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
        complete(&["idpctl", "vcf", "user", "add", "jane", "--role", ""]),
        ["ADMIN", "OPERATOR", "VIEWER"]
    );
    assert_eq!(
        complete(&["idpctl", "vcf", "service-user", "add", "ci", "--role", "OP"]),
        ["OPERATOR"]
    );
}
