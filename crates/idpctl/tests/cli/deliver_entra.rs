//! `--deliver entra:SERVICE_PRINCIPAL_ID` against the simulated Microsoft
//! identity platform and Graph: the token VCF or Unleash now accepts becomes
//! the service principal's `SecretToken` (with `BaseAddress`); pre-flight
//! failures rotate nothing; transient Graph failures are retried; after the
//! retries the token is recovered (exit 7); the secrets never leak.

use assert_cmd::Command;
use chrono::{Duration as Days, Utc};
use idp_sim::FaultRule;

use crate::common::{
    TestSim, assert_not_leaked, closed_port, json_stdout, rotations, stderr, stdout,
};

const ROTATED_NOT_DELIVERED: i32 = 7;
const SECRETS_ROUTE: &str = "/graph/v1.0/servicePrincipals/{id}/synchronization/secrets";

pub(crate) fn with_entra(sim: &TestSim, mut command: Command) -> Command {
    command
        .env("ENTRA_LOGIN_URL", sim.entra().login_url())
        .env("ENTRA_GRAPH_URL", sim.entra().graph_url())
        .env("ENTRA_TENANT_ID", sim.entra().tenant_id())
        .env("ENTRA_CLIENT_ID", sim.entra().client_id())
        .env("ENTRA_CLIENT_SECRET", sim.entra().client_secret());
    command
}

fn vcf_rotate(sim: &TestSim, id: &str, sp: &str) -> Command {
    let mut command = with_entra(sim, sim.vcf());
    command
        .args(["-vvv", "vcf", "sync-token", "rotate", id, "--deliver"])
        .arg(format!("entra:{sp}"));
    command
}

fn secret_puts(sim: &TestSim) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.starts_with("/graph/"))
        .count()
}

#[test]
fn vcf_and_unleash_rotations_are_delivered_to_the_service_principal() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let sp = sim.entra().service_principal_id();
    assert_eq!(sim.entra().delivered(&sp), None);

    let assert = vcf_rotate(&sim, &id, &sp).assert().success();
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    let delivered = sim.entra().delivered(&sp).unwrap();
    assert_eq!(delivered.token, token, "the token VCF now accepts");
    let scim = delivered.scim_url.unwrap();
    assert!(scim.ends_with("/scim/v2"), "{scim}");
    assert!(
        sim.simulator()
            .vcf()
            .identity_providers_json()
            .to_string()
            .contains(&scim)
    );
    assert_not_leaked(&sim, &assert, &[&token, &sim.entra().client_secret()]);
    assert!(stdout(&assert).contains(&format!("entra:{sp}")));

    let mut command = with_entra(&sim, sim.unleash());
    let assert = command
        .args([
            "-o",
            "json",
            "unleash",
            "scim-token",
            "rotate",
            "--yes",
            "--deliver",
        ])
        .arg(format!("entra:{sp}"))
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)["deliveredTo"], format!("entra:{sp}"));
    let token = sim.simulator().unleash().scim_token().unwrap();
    let delivered = sim.entra().delivered(&sp).unwrap();
    assert_eq!(delivered.token, token, "the token Unleash now accepts");
    // To Entra, Unleash's SCIM URL carries the flag Unleash needs for
    // Entra's deprovisioning.
    assert_eq!(
        delivered.scim_url.as_deref(),
        Some(format!("{}/scim?aadOptscim062020", sim.simulator().unleash().url()).as_str())
    );
    assert_not_leaked(&sim, &assert, &[&token, &sim.entra().client_secret()]);
}

#[test]
fn preflight_failures_rotate_nothing() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let sp = sim.entra().service_principal_id();
    let before = sim.simulator().vcf().sync_client_token(&id);
    // (variable to override, value, service principal, exit code, message)
    let unknown_sp = "00000000-0000-0000-0000-000000000000".to_owned();
    let unreachable = format!("http://127.0.0.1:{}/login", closed_port());
    let cases = [
        (
            "ENTRA_CLIENT_SECRET",
            "wrong",
            sp.clone(),
            4,
            "Invalid client secret",
        ),
        (
            "ENTRA_TENANT_ID",
            "other-tenant",
            sp.clone(),
            5,
            "Tenant 'other-tenant' not found",
        ),
        (
            "ENTRA_CLIENT_ID",
            "",
            sp.clone(),
            2,
            "no Microsoft Entra credentials",
        ),
        (
            "ENTRA_LOGIN_URL",
            unreachable.as_str(),
            sp.clone(),
            6,
            "nothing was rotated",
        ),
        (
            "ENTRA_CLIENT_ID",
            sim.entra().client_id().leak(),
            unknown_sp,
            3,
            "does not exist",
        ),
    ];
    for (name, value, target, code, message) in cases {
        let mut command = with_entra(&sim, sim.vcf());
        command.env(name, value);
        sim.clear_requests();
        let assert = command
            .args(["vcf", "sync-token", "rotate", &id, "--deliver"])
            .arg(format!("entra:{target}"))
            .assert()
            .code(code);
        let err = stderr(&assert);
        assert!(err.contains(message), "{name}: {err}");
        assert!(!err.contains(&sim.entra().client_secret()));
        assert_eq!(rotations(&sim), 0, "{name}: nothing rotated");
        assert_eq!(secret_puts(&sim), 0);
    }
    assert_eq!(sim.simulator().vcf().sync_client_token(&id), before);
    assert_eq!(sim.entra().delivered(&sp), None);
}

#[test]
fn transient_graph_failures_are_retried_and_persistent_ones_recovered() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let sp = sim.entra().service_principal_id();

    sim.faults()
        .add(FaultRule::new("PUT", SECRETS_ROUTE).respond(503).times(2));
    let assert = vcf_rotate(&sim, &id, &sp).assert().success();
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(sim.entra().delivered(&sp).unwrap().token, token);
    assert_eq!(secret_puts(&sim), 3, "two failures, then success");
    assert_not_leaked(&sim, &assert, &[&token, &sim.entra().client_secret()]);

    // Failing every time: bounded, then the token is recovered (exit 7).
    sim.faults()
        .add(FaultRule::new("PUT", SECRETS_ROUTE).respond(503));
    sim.clear_requests();
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("saved");
    let assert = vcf_rotate(&sim, &id, &sp)
        .arg("--recovery")
        .arg(&recovery)
        .assert()
        .code(ROTATED_NOT_DELIVERED);
    assert_eq!(secret_puts(&sim), 3, "bounded: three attempts");
    let new = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(
        std::fs::read_to_string(&recovery).unwrap().trim_end(),
        new,
        "the token VCF now accepts"
    );
    assert_eq!(
        sim.entra().delivered(&sp).unwrap().token,
        token,
        "unchanged"
    );
    let err = stderr(&assert);
    assert!(
        err.contains("was rotated")
            && err.contains(&format!(
                "/v1.0/servicePrincipals/{sp}/synchronization/secrets"
            )),
        "{err}"
    );
    assert_not_leaked(&sim, &assert, &[&new, &sim.entra().client_secret()]);
}

#[test]
fn cron_reruns_deliver_only_when_due() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let sp = sim.entra().service_principal_id();
    let cron = || {
        vcf_rotate(&sim, &id, &sp)
            .args(["--if-expiring-within", "14d"])
            .assert()
            .success()
    };
    cron();
    let first = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(sim.entra().delivered(&sp).unwrap().token, first);

    sim.simulator()
        .vcf()
        .set_sync_client_token_expiry(&id, Utc::now() + Days::days(30));
    sim.clear_requests();
    let assert = cron();
    assert!(
        stdout(&assert).starts_with("not due"),
        "{}",
        stdout(&assert)
    );
    assert!(
        sim.requests()
            .iter()
            .all(|r| !r.path.starts_with("/graph/") && !r.path.starts_with("/login/")),
        "not due: Microsoft is not contacted"
    );

    sim.simulator()
        .vcf()
        .set_sync_client_token_expiry(&id, Utc::now() + Days::days(5));
    cron();
    let second = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_ne!(first, second);
    assert_eq!(sim.entra().delivered(&sp).unwrap().token, second);
}
