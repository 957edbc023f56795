//! VCF Operations (VCF 9.1 fleet identity): the context's `[ops]` table
//! through `idpctl config`.

use std::path::Path;

use assert_cmd::Command;

use crate::common::{idpctl, json_stdout, stderr, stdout};

/// `idpctl` with its configuration file at `path`.
fn with_config(path: &Path) -> Command {
    let mut cmd = idpctl();
    cmd.env("IDPCTL_CONFIG", path);
    cmd
}

#[test]
fn the_ops_table_is_set_shown_and_unset_key_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    with_config(&path)
        .args([
            "config",
            "set",
            "fleet",
            "--ops-url",
            "https://ops.example.com",
        ])
        .args([
            "--ops-username",
            "admin",
            "--ops-password",
            "env:FLEET_OPS_PW",
        ])
        .args(["--ops-auth-source", "Imported LDAP Server"])
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[contexts.fleet.ops]"), "{text}");
    assert!(
        text.contains("auth-source = \"Imported LDAP Server\""),
        "{text}"
    );

    let show = with_config(&path)
        .args(["config", "show", "fleet"])
        .assert()
        .success();
    let shown = stdout(&show);
    for line in [
        "ops.url",
        "https://ops.example.com",
        "ops.password",
        "env:FLEET_OPS_PW",
        "ops.auth-source",
    ] {
        assert!(shown.contains(line), "{line}: {shown}");
    }

    // A token replaces the user, its password and its source.
    with_config(&path)
        .args([
            "config",
            "set",
            "fleet",
            "--ops-token",
            "file:/run/ops-token",
        ])
        .assert()
        .success();
    let json = json_stdout(
        &with_config(&path)
            .args(["-o", "json", "config", "show", "fleet"])
            .assert()
            .success(),
    );
    assert_eq!(json["ops"]["token"], "file:/run/ops-token");
    assert!(json["ops"].get("username").is_none(), "{json}");
    assert!(json["ops"].get("auth-source").is_none(), "{json}");

    with_config(&path)
        .args(["config", "set", "fleet", "--unset", "ops.token"])
        .assert()
        .success();
    let json = json_stdout(
        &with_config(&path)
            .args(["-o", "json", "config", "show", "fleet"])
            .assert()
            .success(),
    );
    assert_eq!(json["ops"]["url"], "https://ops.example.com");
    assert!(json["ops"].get("token").is_none(), "{json}");
    with_config(&path)
        .args(["config", "set", "fleet", "--unset", "ops"])
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("ops"), "{text}");
}

#[test]
fn ops_credentials_of_two_kinds_or_a_literal_secret_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let mixed = with_config(&path)
        .args(["config", "set", "fleet", "--ops-username", "admin"])
        .args(["--ops-token", "env:T"])
        .assert()
        .code(2);
    assert!(
        stderr(&mixed).contains("one kind of VCF Operations credentials"),
        "{}",
        stderr(&mixed)
    );
    let literal = with_config(&path)
        .args([
            "config",
            "set",
            "fleet",
            "--ops-password",
            "hunter2-literal",
        ])
        .assert()
        .code(2);
    assert!(
        stderr(&literal).contains("literal secret"),
        "{}",
        stderr(&literal)
    );
    assert!(!stderr(&literal).contains("hunter2-literal"));
    assert!(!path.exists(), "nothing written");

    // A hand-written literal in the file is refused too, without echoing it.
    std::fs::write(
        &path,
        "[contexts.fleet.ops]\nurl = \"https://ops.example.com\"\nusername = \"a\"\npassword = \"hunter2-literal\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let refused = with_config(&path)
        .args(["config", "show", "fleet"])
        .assert()
        .code(2);
    assert!(
        stderr(&refused).contains("ops.password holds a literal secret"),
        "{}",
        stderr(&refused)
    );
    assert!(!stderr(&refused).contains("hunter2-literal"));
}
