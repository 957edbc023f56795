//! `idpctl unleash ...` against the simulator.

use serde_json::json;

use crate::common::{TestSim, idpctl, json_stdout, stderr, stdout};

#[test]
fn scim_settings_get_and_set_in_both_modes() {
    let sim = TestSim::start();

    let assert = sim
        .unleash()
        .args(["-o", "json", "unleash", "scim-settings", "get"])
        .assert()
        .success();
    assert_eq!(
        json_stdout(&assert),
        json!({"enabled": false, "hasToken": false})
    );

    let assert = sim
        .unleash()
        .args([
            "-o",
            "json",
            "unleash",
            "scim-settings",
            "set",
            "--enabled",
            "true",
        ])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert), json!({"enabled": true}));
    assert!(sim.simulator().unleash().scim_enabled());

    let assert = sim
        .unleash()
        .args(["unleash", "scim-settings", "get"])
        .assert()
        .success();
    let out = stdout(&assert);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("enabled:") && lines[0].ends_with("true"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("has token:") && lines[1].ends_with("false"),
        "{out}"
    );
    assert_eq!(
        lines[0].len() - 4,
        lines[1].len() - 5,
        "values are aligned:\n{out}"
    );

    let assert = sim
        .unleash()
        .args(["unleash", "scim-settings", "set", "--enabled", "false"])
        .assert()
        .success();
    assert_eq!(stdout(&assert), "SCIM disabled\n");
    assert!(!sim.simulator().unleash().scim_enabled());

    let assert = sim
        .unleash()
        .args(["unleash", "scim-settings", "set", "--enabled", "true"])
        .assert()
        .success();
    assert_eq!(stdout(&assert), "SCIM enabled\n");
    assert!(sim.simulator().unleash().scim_enabled());
}

#[test]
fn scim_settings_set_needs_a_boolean() {
    let sim = TestSim::start();
    for args in [
        &["unleash", "scim-settings", "set"][..],
        &["unleash", "scim-settings", "set", "--enabled", "maybe"],
        &["unleash", "scim-settings", "set", "--enabled"],
    ] {
        sim.unleash().args(args).assert().code(2);
    }
    sim.assert_nothing_sent("scim-settings set without a boolean");
}

#[test]
fn scim_token_rotate_in_both_modes() {
    let sim = TestSim::start();

    let assert = sim
        .unleash()
        .args(["-o", "json", "unleash", "scim-token", "rotate", "--yes"])
        .assert()
        .success();
    let first = json_stdout(&assert);
    assert_eq!(
        first,
        json!({"token": sim.simulator().unleash().scim_token().unwrap()})
    );

    let assert = sim
        .unleash()
        .args(["-o", "json", "unleash", "scim-settings", "get"])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)["hasToken"], true);

    let assert = sim
        .unleash()
        .args(["unleash", "scim-token", "rotate", "-y"])
        .assert()
        .success();
    let second = sim.simulator().unleash().scim_token().unwrap();
    assert_eq!(stdout(&assert), format!("{second}\n"));
    assert_ne!(first["token"], json!(second), "a new token");
}

#[test]
fn scim_token_rotate_without_yes_sends_nothing() {
    let sim = TestSim::start();
    for (stdin, output) in [("", "table"), ("y\n", "json")] {
        let assert = sim
            .unleash()
            .args(["-o", output, "unleash", "scim-token", "rotate"])
            .write_stdin(stdin)
            .assert()
            .code(2);
        let err = stderr(&assert);
        assert!(err.starts_with("error: ") && err.contains("--yes"), "{err}");
        assert_eq!(stdout(&assert), "");
    }
    sim.assert_nothing_sent("scim-token rotate without --yes");
    assert_eq!(sim.simulator().unleash().scim_token(), None);
}

#[test]
fn secret_stdin_reads_the_unleash_token() {
    let sim = TestSim::start();
    let assert = idpctl()
        .env("UNLEASH_URL", sim.simulator().unleash().url())
        .args([
            "--secret-stdin",
            "-o",
            "json",
            "unleash",
            "scim-settings",
            "get",
        ])
        .write_stdin(format!("{}\r\n", sim.simulator().unleash().api_key()))
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)["enabled"], false);

    sim.clear_requests();
    idpctl()
        .env("UNLEASH_URL", sim.simulator().unleash().url())
        .args(["--secret-stdin", "unleash", "scim-settings", "get"])
        .write_stdin("\n")
        .assert()
        .code(2);
    sim.assert_nothing_sent("--secret-stdin with an empty line");
}

#[test]
fn the_unleash_url_flag_keeps_its_sub_path() {
    let sim = TestSim::start();
    // The simulator serves Unleash under /unleash: the sub-path must be kept.
    assert!(sim.simulator().unleash().url().ends_with("/unleash"));
    idpctl()
        .env("UNLEASH_API_TOKEN", sim.simulator().unleash().api_key())
        .args([
            "unleash",
            "scim-settings",
            "get",
            "--unleash-url",
            &sim.simulator().unleash().url(),
        ])
        .assert()
        .success();
    let requests = sim.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].path, "/unleash/api/admin/scim-settings");

    // With a trailing slash too.
    idpctl()
        .env("UNLEASH_API_TOKEN", sim.simulator().unleash().api_key())
        .env(
            "UNLEASH_URL",
            format!("{}/", sim.simulator().unleash().url()),
        )
        .args(["unleash", "scim-settings", "get"])
        .assert()
        .success();
}
