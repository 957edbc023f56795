//! `idpctl vcf ...` against the simulator: both output modes, files and
//! stdin, `--yes`, credentials and profiles.

use idp_sim::{FaultRule, Profile};
use serde_json::{Value, json};

use crate::common::{
    TestSim, ad_source_spec, config, fixture, fixture_text, json_stdout, keys, stderr, stdout,
    write_json,
};
use crate::vcf_sync_token::assert_rfc3339_utc;

/// Asserts recursively that every object key is camelCase (no `_`, no `-`,
/// lowercase first letter).
fn assert_camel_case_keys(value: &Value, at: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                assert!(
                    !key.contains(['_', '-']) && key.starts_with(|c: char| c.is_ascii_lowercase()),
                    "key {at}.{key} is not camelCase"
                );
                assert_camel_case_keys(child, &format!("{at}.{key}"));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                assert_camel_case_keys(item, &format!("{at}[{i}]"));
            }
        }
        _ => {}
    }
}

#[test]
fn idp_list_prints_a_table() {
    let sim = TestSim::start();
    let assert = sim.vcf().args(["vcf", "idp", "list"]).assert().success();
    let out = stdout(&assert);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["ID", "NAME", "TYPE", "STATUS", "DOMAINS"]);
    let row = lines.next().unwrap();
    assert!(
        row.starts_with(&sim.simulator().vcf().embedded_provider_id()),
        "{out}"
    );
    assert!(row.contains("Embedded IDP"), "{out}");
    assert!(row.contains("active"), "{out}");
    assert!(row.contains("vsphere.local"), "{out}");
    assert_eq!(lines.next(), None, "{out}");
    assert_eq!(stderr(&assert), "");
}

#[test]
fn idp_list_json_is_an_array_with_the_api_field_names() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "list"])
        .assert()
        .success();
    let list = json_stdout(&assert);
    let providers = list.as_array().unwrap();
    assert_eq!(providers.len(), 2, "{list:#}");
    assert_camel_case_keys(&list, "");

    let embedded = providers
        .iter()
        .find(|p| p["id"] == json!(sim.simulator().vcf().embedded_provider_id()))
        .unwrap();
    assert_eq!(embedded["name"], "Embedded IDP");
    assert_eq!(embedded["type"], "Embedded");
    assert_eq!(embedded["status"], "inactive");
    let sources = embedded["identitySources"].as_array().unwrap();
    assert!(
        sources
            .iter()
            .any(|s| s["domainNames"] == json!(["vsphere.local"]))
    );

    let okta = providers.iter().find(|p| p["id"] == json!(id)).unwrap();
    assert_eq!(okta["status"], "active");
    assert_eq!(okta["type"], "FEDERATED_IDP_BROKER");
    assert_eq!(
        okta["fedIdp"]["directoryList"]["domains"],
        json!(["domain1.com", "domain2.com"])
    );
    // The client secret is never shown.
    assert!(!stdout(&assert).contains("4e139ec1-46e0-4f21-a806-9af7fe359896"));

    // The table shows the same two providers.
    let assert = sim.vcf().args(["vcf", "idp", "list"]).assert().success();
    let out = stdout(&assert);
    assert_eq!(out.lines().count(), 3, "{out}");
    let okta_row = out.lines().find(|l| l.starts_with(&id)).unwrap();
    assert!(okta_row.contains("active") && !okta_row.contains("inactive"));
    assert!(okta_row.contains("domain1.com,domain2.com"), "{out}");
    let embedded_row = out
        .lines()
        .find(|l| l.starts_with(&sim.simulator().vcf().embedded_provider_id()))
        .unwrap();
    assert!(embedded_row.contains("inactive"), "{out}");
}

#[test]
fn idp_list_normalizes_the_status_to_lowercase() {
    let sim = TestSim::start();
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers").respond_json(
            200,
            json!({"elements": [
                {"id": "e1", "name": "Embedded IDP", "type": "Embedded", "status": "INACTIVE",
                 "identitySources": []},
                {"id": "f1", "name": "okta", "type": "FEDERATED_IDP_BROKER", "status": "Active"}
            ]}),
        ),
    );
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "list"])
        .assert()
        .success();
    let list = json_stdout(&assert);
    assert_eq!(list[0]["status"], "inactive", "{list:#}");
    assert_eq!(list[1]["status"], "active", "{list:#}");
}

#[test]
fn idp_get_in_both_modes() {
    let sim = TestSim::start();
    let embedded = sim.simulator().vcf().embedded_provider_id();

    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "get", &embedded])
        .assert()
        .success();
    let provider = json_stdout(&assert);
    assert!(provider.is_object(), "{provider:#}");
    assert_eq!(provider["id"], json!(embedded));
    assert_eq!(provider["name"], "Embedded IDP");
    assert_eq!(provider["status"], "active");
    assert_camel_case_keys(&provider, "");

    let assert = sim
        .vcf()
        .args(["vcf", "idp", "get", &embedded])
        .assert()
        .success();
    let out = stdout(&assert);
    assert!(out.starts_with("id:"), "{out}");
    assert!(out.lines().next().unwrap().ends_with(&embedded), "{out}");
    assert!(out.contains("Embedded IDP"), "{out}");
    assert!(out.contains("SOURCE"), "{out}");
    assert!(out.contains("embedded-ids.com"), "{out}");
    // `key: value` lines: every value starts in the same column.
    let columns: Vec<usize> = out
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let colon = l.find(':').unwrap();
            colon + 1 + l[colon + 1..].len() - l[colon + 1..].trim_start().len()
        })
        .collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{out}");

    // A federated provider: its details, never its secret.
    let okta = sim.add_okta();
    let assert = sim
        .vcf()
        .args(["vcf", "idp", "get", &okta])
        .assert()
        .success();
    let out = stdout(&assert);
    assert!(out.contains("okta"), "{out}");
    assert!(out.contains("domain1.com, domain2.com"), "{out}");
    // The OIDC settings the server reports under fedIdp.oidcInfo.
    assert!(
        out.lines().any(|l| l.starts_with("oidc discovery")
            && l.ends_with("https://domain.com/.well-known/openid-configuration")),
        "{out}"
    );
    assert!(
        !out.contains("4e139ec1-46e0-4f21-a806-9af7fe359896"),
        "{out}"
    );
}

#[test]
fn idp_add_update_delete_from_files_in_both_modes() {
    let sim = TestSim::start();
    let embedded = sim.simulator().vcf().embedded_provider_id();

    // add, JSON: exactly {"id"}.
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "add", "--file"])
        .arg(fixture("addExternalIdentityProvider.okta.request.json"))
        .assert()
        .success();
    let added = json_stdout(&assert);
    assert_eq!(keys(&added), ["id"]);
    let id = added["id"].as_str().unwrap().to_owned();
    assert_eq!(
        sim.simulator().vcf().external_provider_id(),
        Some(id.clone())
    );

    // update, JSON.
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "update", &id, "--file"])
        .arg(fixture("updateExternalIdentityProvider.okta.request.json"))
        .assert()
        .success();
    assert_eq!(json_stdout(&assert), json!({"id": id, "result": "updated"}));
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "get", &id])
        .assert()
        .success();
    assert_eq!(
        json_stdout(&assert)["fedIdp"]["oidcInfo"]["clientId"],
        "35001985-962b-4418-9c77-06724926feb6"
    );

    // update, table, with -f.
    let assert = sim
        .vcf()
        .args(["vcf", "idp", "update", &id, "-f"])
        .arg(fixture("addExternalIdentityProvider.okta.request.json"))
        .assert()
        .success();
    assert_eq!(stdout(&assert), format!("updated identity provider {id}\n"));

    // delete, JSON.
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "delete", &id, "--yes"])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert), json!({"id": id, "result": "deleted"}));
    assert_eq!(sim.simulator().vcf().external_provider_id(), None);
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "get", &embedded])
        .assert()
        .success();
    assert_eq!(json_stdout(&assert)["status"], "active");

    // add, table.
    let assert = sim
        .vcf()
        .args(["vcf", "idp", "add", "--file"])
        .arg(fixture("addExternalIdentityProvider.okta.request.json"))
        .assert()
        .success();
    let id = sim.simulator().vcf().external_provider_id().unwrap();
    assert_eq!(stdout(&assert), format!("added identity provider {id}\n"));

    // delete, table, with -y.
    let assert = sim
        .vcf()
        .args(["vcf", "idp", "delete", &id, "-y"])
        .assert()
        .success();
    assert_eq!(stdout(&assert), format!("deleted identity provider {id}\n"));
    assert_eq!(sim.simulator().vcf().identity_provider_count(), 1);
}

#[test]
fn idp_add_and_update_read_the_spec_from_stdin() {
    let sim = TestSim::start();
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "add", "--file", "-"])
        .write_stdin(fixture_text(
            "addExternalIdentityProvider.okta.request.json",
        ))
        .assert()
        .success();
    let id = json_stdout(&assert)["id"].as_str().unwrap().to_owned();
    assert_eq!(
        sim.simulator().vcf().external_provider_id(),
        Some(id.clone())
    );

    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "update", &id, "--file", "-"])
        .write_stdin(fixture_text(
            "updateExternalIdentityProvider.okta.request.json",
        ))
        .assert()
        .success();
    assert_eq!(json_stdout(&assert), json!({"id": id, "result": "updated"}));
}

#[test]
fn idp_delete_without_yes_sends_nothing() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    sim.clear_requests();
    for (stdin, output) in [("", "table"), ("y\n", "json"), ("yes\n", "table")] {
        let assert = sim
            .vcf()
            .args(["-o", output, "vcf", "idp", "delete", &id])
            .write_stdin(stdin)
            .assert()
            .code(2);
        let err = stderr(&assert);
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains("--yes"), "{err}");
        assert_eq!(stdout(&assert), "");
    }
    sim.assert_nothing_sent("idp delete without --yes");
    assert_eq!(sim.simulator().vcf().external_provider_id(), Some(id));
}

#[test]
fn source_add_update_delete_in_both_modes() {
    let dir = tempfile::tempdir().unwrap();
    let sim = TestSim::start();
    let embedded = sim.simulator().vcf().embedded_provider_id();

    // add from a file, JSON.
    let spec = write_json(
        dir.path(),
        "corp.json",
        &ad_source_spec("corp.example.com", "bind-password-1"),
    );
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "source", "add", &embedded, "--file"])
        .arg(&spec)
        .assert()
        .success();
    assert_eq!(
        json_stdout(&assert),
        json!({"idpId": embedded, "domainName": "corp.example.com", "result": "added"})
    );
    assert!(
        sim.simulator()
            .vcf()
            .identity_source_domains()
            .contains(&"corp.example.com".to_owned())
    );

    // add from stdin, table.
    let assert = sim
        .vcf()
        .args(["vcf", "source", "add", &embedded, "--file", "-"])
        .write_stdin(serde_json::to_string(&ad_source_spec("lab.example.org", "pw-2")).unwrap())
        .assert()
        .success();
    assert_eq!(
        stdout(&assert),
        format!("added identity source lab.example.org of identity provider {embedded}\n")
    );
    assert_eq!(sim.simulator().vcf().identity_source_count(), 5);

    // update the seeded source from the seed fixture, JSON.
    let assert = sim
        .vcf()
        .args([
            "-o",
            "json",
            "vcf",
            "source",
            "update",
            &embedded,
            "embedded-ids.com",
            "--file",
        ])
        .arg(fixture(
            "updateEmbeddedIdentitySource.activeDirectory.request.json",
        ))
        .assert()
        .success();
    assert_eq!(
        json_stdout(&assert),
        json!({"idpId": embedded, "domainName": "embedded-ids.com", "result": "updated"})
    );

    // update from stdin, table.
    let assert = sim
        .vcf()
        .args([
            "vcf",
            "source",
            "update",
            &embedded,
            "corp.example.com",
            "--file",
            "-",
        ])
        .write_stdin(
            serde_json::to_string(&ad_source_spec("corp.example.com", "bind-password-2")).unwrap(),
        )
        .assert()
        .success();
    assert_eq!(
        stdout(&assert),
        format!("updated identity source corp.example.com of identity provider {embedded}\n")
    );

    // delete, JSON and table.
    let assert = sim
        .vcf()
        .args([
            "-o",
            "json",
            "vcf",
            "source",
            "delete",
            &embedded,
            "corp.example.com",
            "--yes",
        ])
        .assert()
        .success();
    assert_eq!(
        json_stdout(&assert),
        json!({"idpId": embedded, "domainName": "corp.example.com", "result": "deleted"})
    );
    let assert = sim
        .vcf()
        .args([
            "vcf",
            "source",
            "delete",
            &embedded,
            "lab.example.org",
            "--yes",
        ])
        .assert()
        .success();
    assert_eq!(
        stdout(&assert),
        format!("deleted identity source lab.example.org of identity provider {embedded}\n")
    );
    assert_eq!(
        sim.simulator().vcf().identity_source_domains(),
        ["vsphere.local", "localos", "embedded-ids.com"]
    );
}

#[test]
fn source_delete_without_yes_sends_nothing() {
    let sim = TestSim::start();
    let embedded = sim.simulator().vcf().embedded_provider_id();
    for output in ["table", "json"] {
        let assert = sim
            .vcf()
            .args([
                "-o",
                output,
                "vcf",
                "source",
                "delete",
                &embedded,
                "embedded-ids.com",
            ])
            .write_stdin("y\n")
            .assert()
            .code(2);
        assert!(stderr(&assert).contains("--yes"), "{}", stderr(&assert));
        assert_eq!(stdout(&assert), "");
    }
    sim.assert_nothing_sent("source delete without --yes");
    assert_eq!(sim.simulator().vcf().identity_source_count(), 3);
}

#[test]
fn every_profile_adds_providers_and_sources() {
    for profile in Profile::ALL {
        let sim = TestSim::with(config().profile(profile));
        let embedded = sim.simulator().vcf().embedded_provider_id();
        let id = sim.add_okta();
        let assert = sim
            .vcf()
            .args([
                "-o", "json", "vcf", "source", "add", &embedded, "--file", "-",
            ])
            .write_stdin(serde_json::to_string(&ad_source_spec("corp.example.com", "pw")).unwrap())
            .assert()
            .success();
        assert_eq!(json_stdout(&assert)["result"], "added", "{profile}");
        let assert = sim
            .vcf()
            .args(["-o", "json", "vcf", "sync-token", &id, "--ttl", "1h"])
            .assert()
            .success();
        let token = json_stdout(&assert);
        assert_eq!(
            token["token"].as_str(),
            sim.simulator().vcf().sync_client_token(&id).as_deref(),
            "{profile}"
        );
        assert_rfc3339_utc(token["expiresAt"].as_str().unwrap());
        let assert = sim
            .vcf()
            .args(["-o", "json", "vcf", "idp", "list"])
            .assert()
            .success();
        let statuses: Vec<Value> = json_stdout(&assert)
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["status"].clone())
            .collect();
        assert_eq!(statuses.len(), 2, "{profile}");
        assert!(statuses.contains(&json!("active")), "{profile}");
        assert!(statuses.contains(&json!("inactive")), "{profile}");
    }
}
