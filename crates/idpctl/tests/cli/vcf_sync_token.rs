//! `idpctl vcf sync-token` against the simulator: both output modes, every
//! documented TTL form, a server that sends no expiry.

use idp_sim::FaultRule;
use serde_json::json;

use crate::common::{TestSim, json_stdout, keys, stdout};

/// `2026-11-23T19:55:07Z`: RFC 3339, UTC, whole seconds.
pub(crate) fn assert_rfc3339_utc(text: &str) {
    let bytes = text.as_bytes();
    assert_eq!(bytes.len(), 20, "{text}");
    for (i, b) in bytes.iter().enumerate() {
        let expected = match i {
            4 | 7 => Some(b'-'),
            10 => Some(b'T'),
            13 | 16 => Some(b':'),
            19 => Some(b'Z'),
            _ => None,
        };
        match expected {
            Some(e) => assert_eq!(*b, e, "{text}"),
            None => assert!(b.is_ascii_digit(), "{text}"),
        }
    }
}

#[test]
fn sync_token_in_both_modes() {
    let sim = TestSim::start();
    let id = sim.add_okta();

    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "sync-token", &id])
        .assert()
        .success();
    let token = json_stdout(&assert);
    assert_eq!(keys(&token), ["expiresAt", "scimUrl", "token"]);
    assert_eq!(
        token["token"].as_str(),
        sim.simulator().vcf().sync_client_token(&id).as_deref()
    );
    let scim_url = token["scimUrl"].as_str().unwrap();
    assert!(
        scim_url.starts_with("http") && scim_url.ends_with("/usergroup/t/CUSTOMER/scim/v2"),
        "{scim_url}"
    );
    assert_rfc3339_utc(token["expiresAt"].as_str().unwrap());

    let assert = sim
        .vcf()
        .args(["vcf", "sync-token", &id])
        .assert()
        .success();
    let out = stdout(&assert);
    let current = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_ne!(token["token"].as_str(), Some(&*current), "a new token");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("token:") && lines[0].ends_with(&current),
        "{out}"
    );
    assert!(
        lines[1].starts_with("scim url:") && lines[1].ends_with(scim_url),
        "{out}"
    );
    assert!(lines[2].starts_with("expires at:"), "{out}");
    assert_rfc3339_utc(lines[2].rsplit(' ').next().unwrap());
    let column = |l: &str| l.len() - l.split_whitespace().last().unwrap().len();
    assert!(
        lines.iter().all(|l| column(l) == column(lines[0])),
        "values are aligned:\n{out}"
    );
}

#[test]
fn sync_token_ttl_accepts_every_documented_form() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    for (ttl, seconds) in [
        ("3600", "3600"),
        ("90m", "5400"),
        ("12h", "43200"),
        ("30d", "2592000"),
    ] {
        sim.clear_requests();
        sim.vcf()
            .args(["-o", "json", "vcf", "sync-token", &id, "--ttl", ttl])
            .assert()
            .success();
        let sent = sim
            .requests()
            .into_iter()
            .find(|r| r.path.ends_with("/sync-client"))
            .unwrap();
        assert_eq!(
            sent.query.as_deref(),
            Some(&*format!("syncClientTokenTTL={seconds}")),
            "--ttl {ttl}"
        );
    }
    for bad in ["0", "1.5h", "12x", "-3", "soon"] {
        sim.clear_requests();
        sim.vcf()
            .args(["vcf", "sync-token", &id, "--ttl", bad])
            .assert()
            .code(2);
        sim.assert_nothing_sent(&format!("--ttl {bad}"));
    }
}

#[test]
fn sync_token_without_an_expiry_prints_null() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers/{id}/sync-client").respond_json(
            200,
            json!({"token": "header.payload.signature", "scimUrl": "https://sddc.example.com/usergroup/t/CUSTOMER/scim/v2"}),
        ),
    );
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "sync-token", &id])
        .assert()
        .success();
    assert_eq!(
        json_stdout(&assert),
        json!({
            "token": "header.payload.signature",
            "scimUrl": "https://sddc.example.com/usergroup/t/CUSTOMER/scim/v2",
            "expiresAt": null
        })
    );
}
