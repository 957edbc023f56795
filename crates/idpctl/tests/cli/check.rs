//! `idpctl check` against the simulator: every exit code of the
//! monitoring-plugin convention, JSON, and the Prometheus text format read
//! by a parser of that format.

use chrono::{Duration as Days, Utc};
use prometheus_parse::{Scrape, Value};

use crate::common::{TestSim, closed_port, idpctl, json_stdout, stderr, stdout};

/// A simulator with the Okta provider and a sync client token that expires
/// in `days` days (negative: expired); the provider's id.
fn sim_with_token(days: i64) -> (TestSim, String) {
    let sim = TestSim::start();
    let id = sim.add_okta();
    sim.vcf()
        .args(["-o", "json", "vcf", "sync-token", &id])
        .assert()
        .success();
    assert!(
        sim.simulator()
            .vcf()
            .set_sync_client_token_expiry(&id, Utc::now() + Days::days(days))
    );
    (sim, id)
}

/// `check --vcf` with the default thresholds (14d, 3d); exit code and stdout.
fn check_vcf(sim: &TestSim, extra: &[&str]) -> (i32, String) {
    let assert = sim.vcf().arg("check").arg("--vcf").args(extra).assert();
    let code = assert.get_output().status.code().unwrap();
    assert!(stderr(&assert).is_empty(), "{}", stderr(&assert));
    (code, stdout(&assert))
}

#[test]
fn ok_warning_and_critical_follow_the_thresholds() {
    for (days, code, label) in [
        (30, 0, "OK"),
        (10, 1, "WARNING"),
        (2, 2, "CRITICAL"),
        (-1, 2, "CRITICAL"),
    ] {
        let (sim, id) = sim_with_token(days);
        let (actual, out) = check_vcf(&sim, &[]);
        assert_eq!(actual, code, "{days} days:\n{out}");
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with(&format!("IDP TOKENS {label}: ")),
            "summary line first:\n{out}"
        );
        assert_eq!(lines.len(), 2, "{out}");
        assert!(
            lines[1].starts_with(label) && lines[1].contains(&id),
            "{out}"
        );
        if days < 0 {
            assert!(lines[1].contains("expired at"), "{out}");
        }
        let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
        assert!(!out.contains(&token), "the token is never printed");
    }
    // Thresholds are flags.
    let (sim, _) = sim_with_token(10);
    assert_eq!(check_vcf(&sim, &["--warn", "7d", "--critical", "1d"]).0, 0);
    assert_eq!(
        check_vcf(&sim, &["--warn", "30d", "--critical", "12d"]).0,
        2
    );
}

#[test]
fn unknown_expiry_and_unreachable_servers_are_unknown() {
    // A federated provider without a token: its expiry is unknown.
    let sim = TestSim::start();
    sim.add_okta();
    let (code, out) = check_vcf(&sim, &[]);
    assert_eq!(code, 3, "{out}");
    assert!(out.starts_with("IDP TOKENS UNKNOWN: "), "{out}");
    assert!(out.contains("expiry unknown"), "{out}");

    let assert = idpctl()
        .env("VCF_URL", format!("http://127.0.0.1:{}", closed_port()))
        .env("VCF_TOKEN", "unused")
        .args(["check", "--vcf"])
        .assert()
        .code(3);
    assert!(stdout(&assert).starts_with("IDP TOKENS UNKNOWN: "));

    // Nothing configured, and thresholds the wrong way round.
    let assert = idpctl().arg("check").assert().code(3);
    assert!(stdout(&assert).contains("nothing to check"));
    let (code, out) = check_vcf(&sim, &["--warn", "1d", "--critical", "3d"]);
    assert_eq!(code, 3);
    assert!(out.starts_with("IDP TOKENS UNKNOWN: "), "{out}");
    assert!(out.contains("--critical must not be longer"), "{out}");
}

#[test]
fn unleash_enabled_without_a_token_is_critical() {
    let sim = TestSim::start();
    let unleash = |code: i32| {
        let assert = sim
            .unleash()
            .args(["check", "--unleash"])
            .assert()
            .code(code);
        stdout(&assert)
    };
    assert!(unleash(0).contains("SCIM is disabled"));
    sim.unleash()
        .args(["unleash", "scim-settings", "set", "--enabled", "true"])
        .assert()
        .success();
    assert!(unleash(2).contains("no token"));
    sim.unleash()
        .args(["unleash", "scim-token", "rotate", "--yes"])
        .assert()
        .success();
    assert!(unleash(0).starts_with("IDP TOKENS OK: "));
}

#[test]
fn without_flags_every_configured_system_is_checked_and_json_has_the_state() {
    let (sim, id) = sim_with_token(10);
    let assert = sim
        .vcf()
        .env("UNLEASH_URL", sim.simulator().unleash().url())
        .env("UNLEASH_API_TOKEN", sim.simulator().unleash().api_key())
        .args(["-o", "json", "check"])
        .assert()
        .code(1);
    let report = json_stdout(&assert);
    assert_eq!(report["status"], "WARNING");
    let checks = report["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2, "{report}");
    assert_eq!(checks[0]["system"], "vcf");
    assert!(checks[0]["message"].as_str().unwrap().contains(&id));
    assert_eq!(checks[1]["system"], "unleash");
    assert_eq!(checks[1]["state"], "OK");
}

/// Parses the exposition format; every sample's name, labels and value.
fn parse(text: &str) -> Scrape {
    Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).unwrap()
}

fn gauge(scrape: &Scrape, name: &str) -> Vec<(f64, Vec<(String, String)>)> {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == name)
        .map(|s| {
            let Value::Gauge(v) = s.value else {
                panic!("{name} is not a gauge: {:?}", s.value)
            };
            let mut labels: Vec<(String, String)> = s
                .labels
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            labels.sort();
            (v, labels)
        })
        .collect()
}

#[test]
fn prometheus_output_is_read_by_a_parser() {
    let (sim, id) = sim_with_token(2);
    let expiry = sim.simulator().vcf().identity_providers_json();
    let assert = sim
        .vcf()
        .env("UNLEASH_URL", sim.simulator().unleash().url())
        .env("UNLEASH_API_TOKEN", sim.simulator().unleash().api_key())
        .args(["-o", "prometheus", "check", "--vcf", "--unleash"])
        .assert()
        .code(2);
    let text = stdout(&assert);
    let scrape = parse(&text);

    let expiries = gauge(&scrape, "idp_sync_client_token_expiry_timestamp_seconds");
    assert_eq!(expiries.len(), 1, "{text}");
    let (value, labels) = &expiries[0];
    let provider = expiry["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id.as_str())
        .unwrap();
    let info = &provider["fedIdp"]["syncClientTokenInfo"];
    let expected = chrono::DateTime::parse_from_rfc3339(info["expireAt"].as_str().unwrap())
        .unwrap()
        .timestamp();
    assert_eq!(*value, expected as f64, "{text}");
    let label = |name: &str| {
        labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(label("provider"), Some(&*id));
    assert_eq!(label("scim_url"), info["scimUrl"].as_str());

    assert_eq!(gauge(&scrape, "idp_check_status")[0].0, 2.0);
    assert_eq!(gauge(&scrape, "idp_unleash_scim_enabled")[0].0, 0.0);
    assert_eq!(gauge(&scrape, "idp_unleash_scim_has_token")[0].0, 0.0);
    let up = gauge(&scrape, "idp_up");
    assert_eq!(up.len(), 2, "{text}");
    assert!(up.iter().all(|(v, _)| *v == 1.0), "{text}");
    for name in [
        "idp_check_status",
        "idp_up",
        "idp_sync_client_token_expiry_timestamp_seconds",
        "idp_unleash_scim_enabled",
        "idp_unleash_scim_has_token",
    ] {
        assert!(scrape.docs.contains_key(name), "HELP for {name}:\n{text}");
        assert!(text.contains(&format!("# TYPE {name} gauge\n")), "{text}");
    }
    assert!(!text.contains(&sim.simulator().vcf().sync_client_token(&id).unwrap()));

    // An unreachable Unleash: still valid output, up 0, UNKNOWN beaten by CRITICAL.
    let assert = sim
        .vcf()
        .env("UNLEASH_URL", format!("http://127.0.0.1:{}", closed_port()))
        .env("UNLEASH_API_TOKEN", "unused")
        .args(["-o", "prometheus", "check", "--vcf", "--unleash"])
        .assert()
        .code(2);
    let scrape = parse(&stdout(&assert));
    let up = gauge(&scrape, "idp_up");
    let unleash = up
        .iter()
        .find(|(_, l)| l.contains(&("system".into(), "unleash".into())))
        .unwrap();
    assert_eq!(unleash.0, 0.0);
    assert!(gauge(&scrape, "idp_unleash_scim_enabled").is_empty());
}

#[test]
fn prometheus_is_refused_for_other_commands() {
    let sim = TestSim::start();
    sim.vcf()
        .args(["-o", "prometheus", "vcf", "idp", "list"])
        .assert()
        .code(2);
    sim.assert_nothing_sent("-o prometheus vcf idp list");
}

#[test]
fn service_keys_older_than_the_max_age_are_warnings_in_every_output() {
    let sim = TestSim::start();
    let created = Utc::now() - Days::days(120);
    assert!(
        sim.simulator()
            .vcf()
            .set_user_created("svc-automation", created)
    );

    // Not asked: not checked.
    let (code, text) = check_vcf(&sim, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("svc-automation"), "{text}");

    let (code, text) = check_vcf(&sim, &["--service-key-max-age", "90d"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("WARNING vcf: API key of service user svc-automation")),
        "{text}"
    );
    let (code, text) = check_vcf(&sim, &["--service-key-max-age", "200d"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("OK vcf: API key of service user svc-automation"),
        "{text}"
    );

    let json = json_stdout(
        &sim.vcf()
            .args([
                "-o",
                "json",
                "check",
                "--vcf",
                "--service-key-max-age",
                "90d",
            ])
            .assert()
            .code(1),
    );
    assert_eq!(json["status"], "WARNING");
    assert!(json["checks"].as_array().unwrap().iter().any(|c| {
        c["state"] == "WARNING" && c["message"].as_str().unwrap().contains("svc-automation")
    }));

    let assert = sim
        .vcf()
        .args([
            "-o",
            "prometheus",
            "check",
            "--vcf",
            "--service-key-max-age",
            "90d",
        ])
        .assert()
        .code(1);
    let scrape = parse(&stdout(&assert));
    assert_eq!(
        gauge(
            &scrape,
            "idp_vcf_service_user_key_created_timestamp_seconds"
        ),
        [(
            created.timestamp() as f64,
            vec![("name".to_owned(), "svc-automation".to_owned())]
        )]
    );
    assert_eq!(gauge(&scrape, "idp_check_status")[0].0, 1.0);
}
