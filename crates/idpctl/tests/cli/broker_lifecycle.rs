//! The lifecycle reaching the VCF Identity Broker: `idpctl broker
//! sync-client rotate DIRECTORY_ID` printing or delivering the new sync
//! client token (stdout, file, Okta, Entra) with the broker's SCIM URL,
//! pre-flight failures rotating nothing, delivery retried and recovered
//! (exit 7), cron reruns rotating only when due; and `check --broker`
//! going CRITICAL for a token that expires soon or has expired.

use assert_cmd::Command;
use idp_sim::FaultRule;

use crate::broker::{create_directory, use_client_credentials};
use crate::common::{
    TestSim, assert_not_leaked, json_stdout, keys, read_token, recovery_path, rotations, stderr,
    stdout,
};
use crate::deliver_entra::with_entra;
use crate::deliver_okta::{okta_updates, with_okta};

const ROTATED_NOT_DELIVERED: i32 = 7;
const OKTA_ROUTE: &str = "/okta/api/v1/apps/{appId}/connections/default";

/// A simulator with one broker directory (its id).
fn setup() -> (TestSim, String) {
    let sim = TestSim::start();
    let id = create_directory(&sim, "okta", "example.com");
    (sim, id)
}

/// The SCIM URL the broker's sync client token is delivered with.
fn scim_url(sim: &TestSim) -> String {
    format!(
        "{}/usergroup/t/{}/scim/v2",
        sim.simulator().broker().url().trim_end_matches('/'),
        sim.simulator().broker().tenant()
    )
}

/// `broker sync-client rotate ID --yes` at full verbosity, plus `args`.
fn rotate(mut command: Command, id: &str, args: &[&str]) -> Command {
    command
        .args(["-vvv", "broker", "sync-client", "rotate", id, "--yes"])
        .args(args);
    command
}

/// The sync client token the simulated broker accepts now.
fn accepted(sim: &TestSim, id: &str) -> String {
    sim.simulator()
        .broker()
        .sync_token(id)
        .unwrap_or_else(|| panic!("directory {id} has no valid sync client token"))
}

#[test]
fn rotation_to_stdout_prints_the_token_the_broker_accepts() {
    let (sim, id) = setup();
    // Without a terminal the rotation needs --yes: nothing is rotated.
    let assert = sim
        .broker()
        .args(["broker", "sync-client", "rotate", &id])
        .assert()
        .code(2);
    assert!(stderr(&assert).contains("--yes"), "{}", stderr(&assert));
    assert_eq!(rotations(&sim), 0);
    assert_eq!(sim.simulator().broker().sync_token(&id), None);

    let assert = rotate(sim.broker(), &id, &["--ttl", "2h"])
        .arg("-o")
        .arg("json")
        .assert()
        .success();
    let printed = json_stdout(&assert);
    assert_eq!(keys(&printed), ["expiresAt", "scimUrl", "token"]);
    let first = accepted(&sim, &id);
    assert_eq!(printed["token"], first.as_str());
    assert_eq!(printed["scimUrl"], scim_url(&sim).as_str());
    assert!(printed["expiresAt"].is_string(), "{printed}");
    assert!(!stderr(&assert).contains(&first), "{}", stderr(&assert));

    // Again, as a table, with the SCIM URL of a reverse proxy: a new token;
    // the previous one no longer works.
    let proxied = "https://sso.example.com/usergroup/t/CUSTOMER/scim/v2";
    let assert = rotate(sim.broker(), &id, &["--scim-url", proxied])
        .assert()
        .success();
    let second = accepted(&sim, &id);
    assert_ne!(first, second);
    let out = stdout(&assert);
    assert!(
        out.contains("token:") && out.contains(&second) && out.contains(proxied),
        "{out}"
    );
    assert!(!stderr(&assert).contains(&second));
    assert!(!format!("{:?}", sim.requests()).contains(&second));
    let generated: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/sync-client"))
        .collect();
    assert_eq!(generated.len(), 2);
    assert!(
        generated
            .iter()
            .all(|r| r.query.as_deref() == Some("action=generate_credentials"))
    );
}

#[test]
fn rotation_delivers_to_a_file() {
    let (sim, id) = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broker-token");
    let assert = rotate(sim.broker(), &id, &["--deliver"])
        .arg(format!("file:{}", path.display()))
        .assert()
        .success();
    let token = accepted(&sim, &id);
    assert_eq!(read_token(&path), token, "the token the broker accepts");
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let out = stdout(&assert);
    assert!(
        out.contains("delivered to:") && out.contains(&id) && out.contains(&scim_url(&sim)),
        "{out}"
    );
    assert_not_leaked(&sim, &assert, &[&token]);
}

#[test]
fn rotation_is_delivered_to_okta_and_to_entra() {
    let (sim, id) = setup();
    let app = sim.okta().app_id();
    let assert = rotate(with_okta(&sim, sim.broker()), &id, &["--deliver"])
        .arg(format!("okta:{app}"))
        .assert()
        .success();
    let token = accepted(&sim, &id);
    let delivered = sim.okta().delivered(&app).unwrap();
    assert_eq!(delivered.token, token, "the token the broker accepts");
    assert_eq!(delivered.scim_url.as_deref(), Some(scim_url(&sim).as_str()));
    assert!(delivered.active);
    assert!(stdout(&assert).contains(&format!("okta:{app}")));
    assert_not_leaked(&sim, &assert, &[&token, &sim.okta().api_token()]);

    let sp = sim.entra().service_principal_id();
    let proxied = "https://sso.example.com/usergroup/t/CUSTOMER/scim/v2";
    let assert = rotate(with_entra(&sim, sim.broker()), &id, &["-o", "json"])
        .args(["--scim-url", proxied, "--deliver"])
        .arg(format!("entra:{sp}"))
        .assert()
        .success();
    let report = json_stdout(&assert);
    assert_eq!(report["rotated"], true);
    assert_eq!(report["directoryId"], id.as_str());
    assert_eq!(report["deliveredTo"], format!("entra:{sp}"));
    assert_eq!(report["scimUrl"], proxied);
    let second = accepted(&sim, &id);
    assert_ne!(second, token);
    let delivered = sim.entra().delivered(&sp).unwrap();
    assert_eq!(delivered.token, second, "the token the broker accepts");
    assert_eq!(
        delivered.scim_url.as_deref(),
        Some(proxied),
        "--scim-url overrides"
    );
    assert_not_leaked(&sim, &assert, &[&second, &sim.entra().client_secret()]);
}

#[test]
fn preflight_failures_rotate_nothing() {
    let (sim, id) = setup();
    let dir = tempfile::tempdir().unwrap();
    let app = sim.okta().app_id();
    // The directory has a token already: it must survive every failure.
    rotate(sim.broker(), &id, &[]).assert().success();
    let before = accepted(&sim, &id);
    let mut wrong_okta = with_okta(&sim, sim.broker());
    wrong_okta.env("OKTA_API_TOKEN", "00wrong-token");
    let cases: Vec<(Command, String, i32, &str)> = vec![
        (
            wrong_okta,
            format!("okta:{app}"),
            4,
            "Invalid token provided",
        ),
        (
            with_okta(&sim, sim.broker()),
            "okta:0oaunknown0000000000".into(),
            3,
            "Resource not found",
        ),
        (
            with_entra(&sim, sim.broker()),
            "entra:00000000-0000-0000-0000-000000000000".into(),
            3,
            "does not exist",
        ),
        (sim.broker(), "okta:".to_owned() + &app, 2, "no Okta URL"),
        (
            sim.broker(),
            format!("file:{}", dir.path().display()),
            2,
            "directory",
        ),
        (
            sim.broker(),
            "ftp:x".into(),
            2,
            "expected stdout, file:PATH",
        ),
    ];
    for (command, target, code, message) in cases {
        sim.clear_requests();
        let assert = rotate(command, &id, &["--deliver", &target])
            .assert()
            .code(code);
        let err = stderr(&assert);
        assert!(err.contains(message), "{target}: {err}");
        assert_eq!(rotations(&sim), 0, "{target}: nothing rotated");
        assert_eq!(okta_updates(&sim), 0);
    }
    assert_eq!(accepted(&sim, &id), before);
    assert_eq!(sim.okta().delivered(&app), None);
}

#[test]
fn delivery_faults_are_retried_and_exhausted_retries_exit_7_with_recovery() {
    let (sim, id) = setup();
    let app = sim.okta().app_id();
    sim.faults()
        .add(FaultRule::new("POST", OKTA_ROUTE).respond(503).times(1));
    sim.faults().add(
        FaultRule::new("POST", OKTA_ROUTE)
            .drop_connection()
            .times(1),
    );
    let okta_rotate = |extra: &[&str]| {
        let mut command = rotate(with_okta(&sim, sim.broker()), &id, extra);
        command.arg("--deliver").arg(format!("okta:{app}"));
        command
    };
    let assert = okta_rotate(&[]).assert().success();
    let token = accepted(&sim, &id);
    assert_eq!(sim.okta().delivered(&app).unwrap().token, token);
    assert_eq!(okta_updates(&sim), 3, "two failures, then success");
    assert_eq!(rotations(&sim), 1, "rotated once");
    assert_not_leaked(&sim, &assert, &[&token, &sim.okta().api_token()]);

    // Failing every time: bounded, then the new token is saved (exit 7).
    sim.faults().clear();
    sim.faults()
        .add(FaultRule::new("POST", OKTA_ROUTE).respond(503));
    sim.clear_requests();
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("saved");
    let recovery_arg = recovery.display().to_string();
    let assert = okta_rotate(&["--recovery", &recovery_arg])
        .assert()
        .code(ROTATED_NOT_DELIVERED);
    assert_eq!(okta_updates(&sim), 3, "bounded: three attempts");
    let new = accepted(&sim, &id);
    assert_ne!(new, token);
    assert_eq!(
        recovery_path(&assert),
        std::path::absolute(&recovery).unwrap()
    );
    assert_eq!(read_token(&recovery), new, "the token the broker accepts");
    assert_eq!(
        sim.okta().delivered(&app).unwrap().token,
        token,
        "unchanged"
    );
    let err = stderr(&assert);
    assert!(
        err.contains(&format!(
            "the sync client token of broker directory {id} was rotated"
        )),
        "{err}"
    );
    assert!(
        err.contains("remediation: in the Okta Admin Console") && err.contains(&scim_url(&sim)),
        "{err}"
    );
    assert_not_leaked(&sim, &assert, &[&new, &sim.okta().api_token()]);
}

#[test]
fn cron_reruns_rotate_only_when_due() {
    let (sim, id) = setup();
    let sp = sim.entra().service_principal_id();
    let cron = || {
        rotate(
            with_entra(&sim, sim.broker()),
            &id,
            &["--ttl", "30d", "--if-expiring-within", "14d", "--deliver"],
        )
        .arg(format!("entra:{sp}"))
        .assert()
        .success()
    };
    // No token yet: the expiry is unknown, so it is due.
    cron();
    let first = accepted(&sim, &id);
    assert_eq!(sim.entra().delivered(&sp).unwrap().token, first);

    // A 30-day token is not due within 14 days: nothing sent but the read.
    sim.clear_requests();
    let assert = cron();
    let out = stdout(&assert);
    assert!(
        out.starts_with(&format!(
            "not due: the sync client token of broker directory {id} expires at"
        )),
        "{out}"
    );
    assert_eq!(rotations(&sim), 0);
    assert!(
        sim.requests()
            .iter()
            .all(|r| !r.path.starts_with("/graph/") && !r.path.starts_with("/login/")),
        "not due: Microsoft is not contacted"
    );
    assert_eq!(accepted(&sim, &id), first);

    // An expired token is due.
    sim.expire_access_tokens();
    cron();
    let second = accepted(&sim, &id);
    assert_ne!(first, second);
    assert_eq!(sim.entra().delivered(&sp).unwrap().token, second);

    // Client credentials have no token expiry: due, and back to a token.
    use_client_credentials(&sim, &id);
    assert_eq!(sim.simulator().broker().sync_token(&id), None);
    cron();
    assert_eq!(
        sim.entra().delivered(&sp).unwrap().token,
        accepted(&sim, &id)
    );
}

#[test]
fn check_is_critical_for_a_broker_token_that_expires_soon_or_has_expired() {
    let (sim, id) = setup();
    rotate(sim.broker(), &id, &["--ttl", "30m"])
        .assert()
        .success();
    let check = |args: &[&str]| {
        let mut command = sim.broker();
        command
            .args(["check", "--broker", "--warn", "14d", "--critical", "1d"])
            .args(args);
        command
    };
    let assert = check(&[]).assert().code(2);
    let text = stdout(&assert);
    assert!(text.starts_with("IDP TOKENS CRITICAL"), "{text}");
    assert!(text.contains(&id) && text.contains("expires at"), "{text}");

    sim.expire_access_tokens();
    let assert = check(&["-o", "json"]).assert().code(2);
    let report = json_stdout(&assert);
    assert_eq!(report["status"], "CRITICAL");
    let message = report["checks"][0]["message"].as_str().unwrap();
    assert!(message.contains("expired at"), "{message}");
    assert!(!stdout(&assert).contains(&accepted(&sim, &id)));
}
