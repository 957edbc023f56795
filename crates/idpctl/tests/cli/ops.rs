//! VCF Operations (VCF 9.1 fleet identity): the context's `[ops]` table
//! through `idpctl config`, and what `idpctl ops` and `check --system ops`
//! refuse before anything is sent.

use std::path::Path;

use assert_cmd::Command;

use crate::common::{closed_port, idpctl, json_stdout, stderr, stdout};

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
    let list = with_config(&path)
        .args(["config", "list"])
        .assert()
        .success();
    assert!(stdout(&list).contains("OPS URL"), "{}", stdout(&list));
    assert!(stdout(&list).contains("https://ops.example.com"));
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

/// `idpctl` pointed at a port nothing listens on, with credentials.
fn unreachable_ops() -> Command {
    let mut cmd = idpctl();
    cmd.env("OPS_URL", format!("http://127.0.0.1:{}", closed_port()))
        .env("OPS_USERNAME", "admin")
        .env("OPS_PASSWORD", "ops-password-never-sent-Hq27");
    cmd
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "ops",
                "sync-client",
                "rotate",
                "dir-1",
                "--idp",
                "idp-1",
                "--yes",
                "--deliver",
                "okta:0oa1b2c3d4",
            ],
            "pass --scim-url",
        ),
        (
            &[
                "ops",
                "api-token",
                "create",
                "--realm",
                "EMEA",
                "--name",
                "ci",
                "--deliver",
                "entra:00000000-0000-0000-0000-000000000001",
            ],
            "pass --scim-url",
        ),
        (
            &[
                "ops",
                "role",
                "assign",
                "--realm",
                "EMEA",
                "--group",
                "g",
                "--role",
                "vcf_operator",
                "--scope",
                "VCF_INSTANCE",
            ],
            "--resource",
        ),
        (
            &[
                "ops",
                "role",
                "assign",
                "--realm",
                "EMEA",
                "--group",
                "g",
                "--role",
                "r",
                "--resource",
                "i-1",
            ],
            "only for --scope VCF_INSTANCE",
        ),
        (
            &[
                "ops",
                "sync-client",
                "rotate",
                "dir-1",
                "--idp",
                "idp-1",
                "--deliver",
                "ftp:x",
            ],
            "--deliver",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let incomplete = dir.path().join("idp.json");
    std::fs::write(&incomplete, "{\"name\": \"okta\"}").unwrap();
    let incomplete = incomplete.to_str().unwrap().to_owned();
    let create: &[&str] = &[
        "ops",
        "idp",
        "create",
        "--realm",
        "EMEA",
        "--file",
        &incomplete,
    ];
    let cases = [cases, &[(create, "missing field")]].concat();
    for (args, expected) in &cases {
        let assert = unreachable_ops().args(*args).assert().code(2);
        assert!(
            stderr(&assert).contains(expected),
            "{args:?}: {}",
            stderr(&assert)
        );
        assert!(!stderr(&assert).contains("ops-password-never-sent-Hq27"));
    }
    // Both a group and a principal: one or the other.
    unreachable_ops()
        .args([
            "ops",
            "role",
            "list",
            "--realm",
            "EMEA",
            "--group",
            "g",
            "--principal",
            "p",
        ])
        .assert()
        .code(2);
}

#[test]
fn missing_credentials_and_an_unreachable_server_have_their_exit_codes() {
    let no_login = idpctl()
        .args(["ops", "realm", "list", "--ops-url", "http://127.0.0.1:9"])
        .assert()
        .code(2);
    assert!(
        stderr(&no_login).contains("OPS_TOKEN"),
        "{}",
        stderr(&no_login)
    );
    let no_password = idpctl()
        .env("OPS_URL", "http://127.0.0.1:9")
        .env("OPS_USERNAME", "admin")
        .args(["ops", "realm", "list"])
        .assert()
        .code(2);
    assert!(
        stderr(&no_password).contains("OPS_PASSWORD"),
        "{}",
        stderr(&no_password)
    );
    unreachable_ops()
        .args(["ops", "realm", "list"])
        .assert()
        .code(6);
}

#[test]
fn check_ops_without_a_server_is_unknown() {
    let assert = unreachable_ops()
        .args(["check", "--system", "ops"])
        .assert()
        .code(3);
    let out = stdout(&assert);
    assert!(out.starts_with("IDP TOKENS UNKNOWN"), "{out}");
    assert!(out.contains("UNKNOWN ops: cannot read"), "{out}");
    let prometheus = unreachable_ops()
        .args(["-o", "prometheus", "check", "--ops"])
        .assert()
        .code(3);
    assert!(
        stdout(&prometheus).contains("idp_up{system=\"ops\"} 0"),
        "{}",
        stdout(&prometheus)
    );
}

#[test]
fn ops_help_shows_its_options_and_no_other_apis() {
    let help = idpctl()
        .args(["ops", "sync-client", "rotate", "--help"])
        .assert()
        .success();
    let text = stdout(&help);
    for option in [
        "--ops-url",
        "--idp",
        "--deliver",
        "--recovery",
        "--okta-url",
        "--if-expiring-within",
    ] {
        assert!(text.contains(option), "{option}: {text}");
    }
    assert!(!text.contains("--vcf-url"), "{text}");
    assert!(!text.contains("--broker-url"), "{text}");
}
