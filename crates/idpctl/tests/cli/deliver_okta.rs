//! `--deliver okta:APP_ID` against the simulated Okta org: the token VCF or
//! Unleash now accepts becomes the app's provisioning connection; every
//! failure point (pre-flight: nothing rotated; during delivery: retried;
//! after the retries: recovery and exit 7); cron-style reruns; the token
//! never in output, logs or the simulator's request log.

use assert_cmd::Command;
use chrono::{Duration as Days, Utc};
use idp_sim::FaultRule;

use crate::common::{
    TestSim, assert_not_leaked, closed_port, json_stdout, read_token, recovery_path, rotations,
    stderr, stdout,
};

const ROTATED_NOT_DELIVERED: i32 = 7;
const OKTA_ROUTE: &str = "/okta/api/v1/apps/{appId}/connections/default";

/// `command` with the simulator's Okta org and API token.
pub(crate) fn with_okta(sim: &TestSim, mut command: Command) -> Command {
    command
        .env("OKTA_URL", sim.okta().url())
        .env("OKTA_API_TOKEN", sim.okta().api_token());
    command
}

/// A simulator with the VCF Okta provider (its id) and the Okta app id.
fn setup() -> (TestSim, String, String) {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let app = sim.okta().app_id();
    (sim, id, app)
}

fn vcf_rotate(sim: &TestSim, id: &str, app: &str) -> Command {
    let mut command = with_okta(sim, sim.vcf());
    command
        .args(["-vvv", "vcf", "sync-token", "rotate", id, "--deliver"])
        .arg(format!("okta:{app}"));
    command
}

pub(crate) fn okta_updates(sim: &TestSim) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.starts_with("/okta/"))
        .count()
}

#[test]
fn vcf_rotation_is_delivered_to_the_okta_app() {
    let (sim, id, app) = setup();
    assert_eq!(sim.okta().delivered(&app), None, "no connection yet");

    let assert = vcf_rotate(&sim, &id, &app).assert().success();
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    let delivered = sim.okta().delivered(&app).unwrap();
    assert_eq!(delivered.token, token, "the token VCF now accepts");
    assert!(delivered.active, "activated");
    let providers = sim.simulator().vcf().identity_providers_json().to_string();
    let scim_url = delivered.scim_url.clone().unwrap();
    assert!(scim_url.ends_with("/scim/v2"), "{scim_url}");
    assert!(providers.contains(&scim_url), "the SCIM URL VCF reports");
    assert_not_leaked(&sim, &assert, &[&token, &sim.okta().api_token()]);
    assert!(stdout(&assert).contains(&format!("okta:{app}")));
    assert_eq!(okta_updates(&sim), 1);

    // -o json reports the delivery, never the token; an access token
    // (Bearer) is accepted as well.
    let mut command = sim.vcf();
    command
        .env("OKTA_URL", sim.okta().url())
        .env(
            "OKTA_API_TOKEN",
            format!("Bearer {}", sim.okta().api_token()),
        )
        .args([
            "-o",
            "json",
            "vcf",
            "sync-token",
            "rotate",
            &id,
            "--deliver",
        ])
        .arg(format!("okta:{app}"));
    let assert = command.assert().success();
    let report = json_stdout(&assert);
    assert_eq!(report["rotated"], true);
    assert_eq!(report["deliveredTo"], format!("okta:{app}"));
    let second = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_ne!(second, token);
    assert_eq!(sim.okta().delivered(&app).unwrap().token, second);
    assert!(
        sim.requests()
            .iter()
            .filter(|r| r.path.starts_with("/okta/"))
            .all(|r| r.header("authorization") == Some(idp_sim::REDACTED))
    );
}

#[test]
fn unleash_rotation_is_delivered_to_the_okta_app() {
    let sim = TestSim::start();
    let app = sim.okta().app_id();
    let mut command = with_okta(&sim, sim.unleash());
    let assert = command
        .args([
            "-vvv",
            "unleash",
            "scim-token",
            "rotate",
            "--yes",
            "--deliver",
        ])
        .arg(format!("okta:{app}"))
        .assert()
        .success();
    let token = sim.simulator().unleash().scim_token().unwrap();
    let delivered = sim.okta().delivered(&app).unwrap();
    assert_eq!(delivered.token, token, "the token Unleash now accepts");
    assert_eq!(
        delivered.scim_url.as_deref(),
        Some(format!("{}/scim", sim.simulator().unleash().url()).as_str())
    );
    assert_not_leaked(&sim, &assert, &[&token, &sim.okta().api_token()]);

    // --scim-url overrides the URL delivered.
    let mut command = with_okta(&sim, sim.unleash());
    command
        .args(["unleash", "scim-token", "rotate", "--yes", "--scim-url"])
        .arg("https://unleash.example.com/scim")
        .arg("--deliver")
        .arg(format!("okta:{app}"))
        .assert()
        .success();
    let delivered = sim.okta().delivered(&app).unwrap();
    assert_eq!(
        delivered.scim_url.as_deref(),
        Some("https://unleash.example.com/scim")
    );
    assert_eq!(
        delivered.token,
        sim.simulator().unleash().scim_token().unwrap()
    );
}

/// OKTA_URL, OKTA_API_TOKEN, app id, exit code, what stderr says.
type Case = (Option<String>, Option<String>, String, i32, &'static str);

#[test]
fn preflight_failures_rotate_nothing() {
    let (sim, id, app) = setup();
    let before = sim.simulator().vcf().sync_client_token(&id);
    let cases: Vec<Case> = vec![
        (
            Some(sim.okta().url()),
            Some("00wrong-token".into()),
            app.clone(),
            4,
            "Invalid token provided",
        ),
        (
            Some(sim.okta().url()),
            Some(sim.okta().api_token()),
            "0oaunknown0000000000".into(),
            3,
            "Resource not found: 0oaunknown",
        ),
        (
            Some(format!("http://127.0.0.1:{}/okta", closed_port())),
            Some(sim.okta().api_token()),
            app.clone(),
            6,
            "nothing was rotated",
        ),
        (
            None,
            Some(sim.okta().api_token()),
            app.clone(),
            2,
            "no Okta URL",
        ),
        (
            Some(sim.okta().url()),
            None,
            app.clone(),
            2,
            "no Okta credentials",
        ),
    ];
    for (url, token, target, code, message) in cases {
        for vcf in [true, false] {
            let mut command = if vcf {
                let mut command = sim.vcf();
                command.args(["vcf", "sync-token", "rotate", &id]);
                command
            } else {
                let mut command = sim.unleash();
                command.args(["unleash", "scim-token", "rotate", "--yes"]);
                command
            };
            if let Some(url) = &url {
                command.env("OKTA_URL", url);
            }
            if let Some(token) = &token {
                command.env("OKTA_API_TOKEN", token);
            }
            sim.clear_requests();
            let assert = command
                .arg("--deliver")
                .arg(format!("okta:{target}"))
                .assert()
                .code(code);
            let err = stderr(&assert);
            assert!(err.contains(message), "{target} {code}: {err}");
            assert_eq!(rotations(&sim), 0, "{message}: nothing rotated");
            assert_eq!(okta_updates(&sim), 0);
        }
    }
    assert_eq!(sim.simulator().vcf().sync_client_token(&id), before);
    assert_eq!(sim.simulator().unleash().scim_token(), None);
    assert_eq!(sim.okta().delivered(&app), None);
}

#[test]
fn transient_okta_failures_are_retried_until_delivered() {
    let (sim, id, app) = setup();
    sim.faults()
        .add(FaultRule::new("POST", OKTA_ROUTE).respond(503).times(1));
    sim.faults().add(
        FaultRule::new("POST", OKTA_ROUTE)
            .drop_connection()
            .times(1),
    );
    let assert = vcf_rotate(&sim, &id, &app).assert().success();
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(sim.okta().delivered(&app).unwrap().token, token);
    assert_eq!(okta_updates(&sim), 3, "two failures, then success");
    assert_eq!(rotations(&sim), 1, "rotated once");
    assert_not_leaked(&sim, &assert, &[&token, &sim.okta().api_token()]);
}

#[test]
fn delivery_failing_after_the_retries_saves_the_token_and_exits_7() {
    let (sim, id, app) = setup();
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("saved");
    sim.faults()
        .add(FaultRule::new("POST", OKTA_ROUTE).respond(503));
    let assert = vcf_rotate(&sim, &id, &app)
        .arg("--recovery")
        .arg(&recovery)
        .assert()
        .code(ROTATED_NOT_DELIVERED);
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(okta_updates(&sim), 3, "bounded: three attempts");
    assert_eq!(
        recovery_path(&assert),
        std::path::absolute(&recovery).unwrap()
    );
    assert_eq!(read_token(&recovery), token, "the token VCF now accepts");
    let err = stderr(&assert);
    assert!(err.contains("was rotated"), "{err}");
    assert!(
        err.contains("remediation: in the Okta Admin Console")
            && err.contains(&format!(
                "/api/v1/apps/{app}/connections/default?activate=true"
            )),
        "{err}"
    );
    assert_not_leaked(&sim, &assert, &[&token, &sim.okta().api_token()]);
    assert_eq!(sim.okta().delivered(&app), None);

    // A refusal (400) is not transient: one attempt, then recovery.
    sim.faults().clear();
    sim.faults()
        .add(FaultRule::new("POST", OKTA_ROUTE).respond(400));
    sim.clear_requests();
    let assert = vcf_rotate(&sim, &id, &app)
        .args(["--recovery", "stdout"])
        .assert()
        .code(ROTATED_NOT_DELIVERED);
    assert_eq!(okta_updates(&sim), 1);
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(stdout(&assert), format!("{token}\n"), "printed once");
    assert!(!stderr(&assert).contains(&token));
}

#[test]
fn cron_reruns_deliver_only_when_due() {
    let (sim, id, app) = setup();
    let cron = || {
        vcf_rotate(&sim, &id, &app)
            .args(["--if-expiring-within", "14d"])
            .assert()
            .success()
    };
    cron();
    let first = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(sim.okta().delivered(&app).unwrap().token, first);

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
        assert!(
            sim.requests().iter().all(|r| !r.path.starts_with("/okta/")),
            "not due: Okta is not contacted"
        );
    }

    sim.simulator()
        .vcf()
        .set_sync_client_token_expiry(&id, Utc::now() + Days::days(5));
    sim.clear_requests();
    cron();
    let second = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_ne!(first, second);
    assert_eq!(sim.okta().delivered(&app).unwrap().token, second);
}
