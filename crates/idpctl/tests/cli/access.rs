//! `idpctl plan` / `apply` with `identity.access`: access drift counts for
//! `--detailed-exitcode`, an unknown principal is a plan finding, and a
//! service user made by apply has its key delivered to a 0600 file, never
//! shown (even with -vvv), exactly once.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::{
    TestSim, VCF_PASSWORD, VCF_USER, assert_not_leaked, idpctl, read_token, stderr, stdout,
};

fn document(dir: &Path, sim: &TestSim, access: &str) -> PathBuf {
    let text = format!(
        "targets:\n  - name: site-a\n    url: {}\n    username: {VCF_USER}\n    password: env:TEST_VCF_PASSWORD\nidentity:\n  access:\n{access}",
        sim.simulator().vcf().url()
    );
    let path = dir.join("access.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

fn cmd(args: &[&str], file: &Path) -> assert_cmd::Command {
    let mut cmd = idpctl();
    cmd.args(args)
        .arg("-f")
        .arg(file)
        .env("TEST_VCF_PASSWORD", VCF_PASSWORD);
    cmd
}

#[test]
fn access_drift_is_planned_applied_and_counted() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let key_path = dir.path().join("ci-key");
    let file = document(
        dir.path(),
        &sim,
        &format!(
            "    - {{ group: vcf-admins, domain: embedded-ids.com, role: ADMIN }}\n    - {{ serviceUser: ci-pipeline, role: OPERATOR, deliverKey: 'file:{}' }}\n",
            key_path.display()
        ),
    );
    let plan = cmd(&["plan", "--detailed-exitcode"], &file)
        .assert()
        .code(2);
    let out = stdout(&plan);
    assert!(out.contains("site-a: 2 change(s)"), "{out}");
    assert!(
        out.contains("+ grant access group vcf-admins@embedded-ids.com"),
        "{out}"
    );
    assert!(
        out.contains("+ grant access serviceUser ci-pipeline"),
        "{out}"
    );
    assert!(out.contains("role: \"OPERATOR\""), "{out}");

    let apply = cmd(&["-vvv", "apply", "--yes"], &file).assert().success();
    let key = sim
        .simulator()
        .vcf()
        .service_user_key("ci-pipeline")
        .unwrap();
    assert_eq!(read_token(&key_path), key);
    assert_eq!(
        std::fs::metadata(&key_path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_not_leaked(&sim, &apply, &[&key, VCF_PASSWORD]);
    assert!(!stderr(&apply).is_empty(), "-vvv logged nothing");

    // Converged: exit 0, and the key is not made or written again.
    std::fs::remove_file(&key_path).unwrap();
    cmd(&["plan", "--detailed-exitcode"], &file)
        .assert()
        .code(0);
    cmd(&["apply", "--yes"], &file).assert().success();
    assert!(!key_path.exists());
    assert_eq!(
        sim.simulator()
            .vcf()
            .service_user_key("ci-pipeline")
            .unwrap(),
        key
    );
}

#[test]
fn an_unknown_principal_is_a_plan_finding() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let file = document(
        dir.path(),
        &sim,
        "    - { group: nobody, domain: embedded-ids.com, role: ADMIN }\n",
    );
    let plan = cmd(&["plan", "--detailed-exitcode"], &file)
        .assert()
        .code(1);
    let out = stdout(&plan);
    assert!(
        out.contains("site-a: error: identity.access[0]: SSO domain embedded-ids.com knows no group named `nobody`"),
        "{out}"
    );
    cmd(&["apply", "--yes"], &file).assert().failure();
    assert!(
        !sim.simulator()
            .vcf()
            .users()
            .iter()
            .any(|u| u.0.starts_with("nobody"))
    );
}

#[test]
fn a_key_that_cannot_be_delivered_is_never_made() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let file = document(
        dir.path(),
        &sim,
        &format!(
            "    - {{ serviceUser: ci, role: VIEWER, deliverKey: 'file:{}/missing/key' }}\n",
            dir.path().display()
        ),
    );
    let apply = cmd(&["apply", "--yes"], &file).assert().failure();
    assert!(
        stdout(&apply).contains("nothing was sent"),
        "{}",
        stdout(&apply)
    );
    assert!(sim.simulator().vcf().service_user_key("ci").is_none());
}
