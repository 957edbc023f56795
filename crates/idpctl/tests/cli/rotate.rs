//! `idpctl vcf sync-token rotate|status` and `idpctl unleash scim-token
//! rotate` with delivery: every target, pre-flight failures (nothing
//! rotated), delivery failures (recovery, exit 7), cron-style reruns, and
//! the token only where it was delivered.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::{Duration as Days, Utc};

use crate::common::{
    TestSim, assert_not_leaked, json_stdout, read_token, recovery_path, rotations, stderr, stdout,
};

/// Exit code of "rotated, not delivered".
const ROTATED_NOT_DELIVERED: i32 = 7;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A simulator with the Okta provider (its id) and an empty directory.
fn okta_and_dir() -> (TestSim, String, tempfile::TempDir) {
    let sim = TestSim::start();
    let id = sim.add_okta();
    (sim, id, tempfile::tempdir().unwrap())
}

#[test]
fn vcf_rotation_delivers_to_a_file() {
    let (sim, id, dir) = okta_and_dir();
    let path = dir.path().join("scim-token");
    std::fs::write(&path, "old\n").unwrap();

    let assert = sim
        .vcf()
        .args([
            "-vvv",
            "vcf",
            "sync-token",
            "rotate",
            &id,
            "--ttl",
            "30d",
            "--deliver",
        ])
        .arg(format!("file:{}", path.display()))
        .assert()
        .success();
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(read_token(&path), token);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no leftovers"
    );
    assert_not_leaked(&sim, &assert, &[&token]);
    let out = stdout(&assert);
    assert!(
        out.contains("delivered to:") && out.contains("file:"),
        "{out}"
    );

    let assert = sim
        .vcf()
        .args([
            "-o",
            "json",
            "vcf",
            "sync-token",
            "rotate",
            &id,
            "--deliver",
        ])
        .arg(format!("file:{}", path.display()))
        .assert()
        .success();
    let report = json_stdout(&assert);
    assert_eq!(report["rotated"], true);
    assert_eq!(report["deliveredTo"], format!("file:{}", path.display()));
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(read_token(&path), token);
    assert_not_leaked(&sim, &assert, &[&token]);
}

#[test]
fn stdout_delivery_prints_the_token_as_before() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    for args in [
        vec!["-o", "json", "vcf", "sync-token", "rotate", &id],
        vec![
            "-o",
            "json",
            "vcf",
            "sync-token",
            "rotate",
            &id,
            "--deliver",
            "stdout",
        ],
        vec!["-o", "json", "vcf", "sync-token", &id],
    ] {
        let assert = sim.vcf().args(&args).assert().success();
        let out = json_stdout(&assert);
        assert_eq!(
            out["token"].as_str(),
            sim.simulator().vcf().sync_client_token(&id).as_deref(),
            "{args:?}"
        );
    }
}

#[test]
fn preflight_failures_rotate_nothing() {
    let (sim, id, dir) = okta_and_dir();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::write(&elsewhere, "keep\n").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let existing_recovery = dir.path().join("recovery");
    std::fs::write(&existing_recovery, "").unwrap();
    let target = format!("file:{}", dir.path().join("token").display());

    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![format!("file:{}", link.display())], "symbolic link"),
        (
            vec![format!(
                "file:{}",
                dir.path().join("missing/token").display()
            )],
            "missing",
        ),
        (
            vec![format!("file:{}", dir.path().display())],
            "is a directory",
        ),
        (vec!["okta:0oa1".into()], "no Okta URL"),
        (vec!["entra:8f2c".into()], "no Microsoft Entra credentials"),
        (vec!["ftp:x".into()], "expected stdout, file:PATH"),
        (
            vec![
                target,
                "--recovery".into(),
                existing_recovery.display().to_string(),
            ],
            "already exists",
        ),
    ];
    for (args, message) in cases {
        for command in [
            sim.vcf().args(["vcf", "sync-token", "rotate", &id]),
            sim.unleash()
                .args(["unleash", "scim-token", "rotate", "--yes"]),
        ] {
            sim.clear_requests();
            let assert = command.arg("--deliver").args(&args).assert().code(2);
            let err = stderr(&assert);
            assert!(err.contains(message), "{args:?}: {err}");
            sim.assert_nothing_sent(&format!("{args:?}"));
        }
    }
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep\n");
    assert_eq!(sim.simulator().unleash().scim_token(), None);
}

/// A directory where the delivery's temporary file goes makes every
/// attempt fail after the pre-flight check passed.
fn block_delivery(path: &Path) {
    let name = format!(
        ".{}.idpctl-new",
        path.file_name().unwrap().to_string_lossy()
    );
    std::fs::create_dir(path.parent().unwrap().join(name)).unwrap();
}

#[test]
fn failed_vcf_delivery_saves_the_token_for_recovery() {
    let (sim, id, dir) = okta_and_dir();
    let path = dir.path().join("token");
    block_delivery(&path);
    let recovery = dir.path().join("saved");

    let assert = sim
        .vcf()
        .args(["vcf", "sync-token", "rotate", &id, "--deliver"])
        .arg(format!("file:{}", path.display()))
        .arg("--recovery")
        .arg(&recovery)
        .assert()
        .code(ROTATED_NOT_DELIVERED);
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(
        recovery_path(&assert),
        std::path::absolute(&recovery).unwrap()
    );
    assert_eq!(read_token(&recovery), token, "the token VCF now accepts");
    assert_eq!(mode(&recovery), 0o600);
    assert!(!path.exists());
    let err = stderr(&assert);
    assert!(
        err.contains("was rotated") && err.contains("remediation: put the token"),
        "{err}"
    );
    assert_not_leaked(&sim, &assert, &[&token]);
    assert_eq!(rotations(&sim), 1);

    // The default recovery file lands in the current directory.
    let cwd = tempfile::tempdir().unwrap();
    let assert = sim
        .vcf()
        .current_dir(cwd.path())
        .args(["vcf", "sync-token", "rotate", &id, "--deliver"])
        .arg(format!("file:{}", path.display()))
        .assert()
        .code(ROTATED_NOT_DELIVERED);
    let saved = recovery_path(&assert);
    assert!(
        saved.starts_with(std::fs::canonicalize(cwd.path()).unwrap())
            || saved.starts_with(cwd.path()),
        "{saved:?}"
    );
    assert_eq!(
        read_token(&saved),
        sim.simulator().vcf().sync_client_token(&id).unwrap()
    );
}

#[test]
fn failed_delivery_with_recovery_stdout_prints_the_token_once() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token");
    block_delivery(&path);
    let assert = sim
        .unleash()
        .args([
            "unleash",
            "scim-token",
            "rotate",
            "--yes",
            "--recovery",
            "stdout",
            "--deliver",
        ])
        .arg(format!("file:{}", path.display()))
        .assert()
        .code(ROTATED_NOT_DELIVERED);
    let token = sim.simulator().unleash().scim_token().unwrap();
    assert_eq!(stdout(&assert), format!("{token}\n"));
    assert!(!stderr(&assert).contains(&token));
    assert!(stderr(&assert).contains("printed once on stdout"));
}

#[test]
fn unleash_rotation_delivers_to_a_file() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unleash-token");
    let assert = sim
        .unleash()
        .args([
            "-vvv",
            "unleash",
            "scim-token",
            "rotate",
            "--yes",
            "--deliver",
        ])
        .arg(format!("file:{}", path.display()))
        .assert()
        .success();
    let token = sim.simulator().unleash().scim_token().unwrap();
    assert_eq!(read_token(&path), token);
    assert_eq!(mode(&path), 0o600);
    assert_not_leaked(&sim, &assert, &[&token]);

    // Without --yes and a terminal: refused before anything is sent.
    sim.clear_requests();
    sim.unleash()
        .args(["unleash", "scim-token", "rotate", "--deliver"])
        .arg(format!("file:{}", path.display()))
        .assert()
        .code(2);
    sim.assert_nothing_sent("no --yes");
    assert_eq!(sim.simulator().unleash().scim_token().unwrap(), token);
}

#[test]
fn if_expiring_within_makes_cron_reruns_safe() {
    let (sim, id, dir) = okta_and_dir();
    let path = dir.path().join("token");
    let cron = || {
        sim.vcf()
            .args([
                "vcf",
                "sync-token",
                "rotate",
                &id,
                "--if-expiring-within",
                "14d",
                "--deliver",
            ])
            .arg(format!("file:{}", path.display()))
            .assert()
            .success()
    };

    // No token yet: the expiry is unknown, which counts as due.
    cron();
    let first = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(read_token(&path), first);

    // Enough time left: not due, no rotation, the file untouched.
    sim.simulator()
        .vcf()
        .set_sync_client_token_expiry(&id, Utc::now() + Days::days(30));
    for _ in 0..2 {
        sim.clear_requests();
        let assert = cron();
        assert!(
            stdout(&assert).starts_with("not due"),
            "{}",
            stdout(&assert)
        );
        assert_eq!(rotations(&sim), 0);
        assert_eq!(sim.simulator().vcf().sync_client_token(&id).unwrap(), first);
    }

    // Due: rotated and delivered.
    sim.simulator()
        .vcf()
        .set_sync_client_token_expiry(&id, Utc::now() + Days::days(5));
    sim.clear_requests();
    cron();
    assert_eq!(rotations(&sim), 1);
    let second = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_ne!(first, second);
    assert_eq!(read_token(&path), second);
}

#[test]
fn status_lists_federated_providers_with_their_expiry() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "sync-token", "status"])
        .assert()
        .success();
    let rows = json_stdout(&assert);
    assert_eq!(
        rows.as_array().unwrap().len(),
        1,
        "only the federated one: {rows}"
    );
    assert_eq!(rows[0]["id"], id.as_str());
    assert!(rows[0]["expiresAt"].is_null() && rows[0]["secondsLeft"].is_null());

    sim.vcf()
        .args(["vcf", "sync-token", &id])
        .assert()
        .success();
    sim.simulator()
        .vcf()
        .set_sync_client_token_expiry(&id, Utc::now() + Days::days(10) + Days::hours(1));
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "sync-token", "status"])
        .assert()
        .success();
    let rows = json_stdout(&assert);
    let left = rows[0]["secondsLeft"].as_u64().unwrap();
    assert!((10 * 86_400..11 * 86_400).contains(&left), "{rows}");
    assert!(rows[0]["scimUrl"].as_str().unwrap().ends_with("/scim/v2"));

    let assert = sim
        .vcf()
        .args(["vcf", "sync-token", "status"])
        .assert()
        .success();
    let out = stdout(&assert);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("SCIM URL") && lines[0].ends_with("LEFT"),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&id) && lines[1].ends_with("10d 0h"),
        "{out}"
    );
    assert!(!out.contains(&sim.simulator().vcf().sync_client_token(&id).unwrap()));
}
