//! No secret on stderr (at any verbosity), and tokens on stdout only from
//! the commands that exist to print them.

use assert_cmd::Command;
use idp_sim::FaultRule;
use serde_json::json;

use crate::common::{
    TestSim, UNLEASH_KEY, UNLEASH_READ_ONLY_KEY, VCF_PASSWORD, ad_source_spec, idpctl, json_stdout,
    okta_spec, write_json,
};

const CLIENT_SECRET: &str = "oidc-client-secret-Jf83KsLq0Z";
const CLIENT_SECRET_2: &str = "oidc-client-secret-2-Wm4Np7Rt";
const LDAP_PASSWORD: &str = "ldap-bind-password-Vb62XcQe9";
const LDAP_PASSWORD_2: &str = "ldap-bind-password-2-Ty5Ua3Hs";
const WRONG_PASSWORD: &str = "wrong-vcf-password-Gk29Pd";
const WRONG_UNLEASH_KEY: &str = "*:*.wrong-unleash-key-Ln47Bz";

/// One run of the CLI, and the token it exists to print (if any).
struct Run {
    label: String,
    stdout: String,
    stderr: String,
    prints: Option<String>,
}

#[derive(Default)]
struct Runs(Vec<Run>);

impl Runs {
    /// Runs `cmd`, expecting `code`; returns its stdout.
    fn run(&mut self, label: &str, cmd: &mut Command, code: i32) -> String {
        let assert = cmd.assert().code(code);
        let output = assert.get_output();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        self.0.push(Run {
            label: label.to_owned(),
            stdout: stdout.clone(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            prints: None,
        });
        stdout
    }

    /// Records that the last run printed `token` on stdout (legitimately).
    fn printed(&mut self, token: &str) {
        self.0.last_mut().unwrap().prints = Some(token.to_owned());
    }

    fn check(&self, secrets: &[(&str, String)]) {
        assert!(secrets.iter().all(|(_, s)| s.len() >= 16));
        for run in &self.0 {
            for (name, secret) in secrets {
                // The whole secret, or its distinctive tail (a JWT's
                // signature; the end of a password).
                let tail = &secret[secret.len() - 16..];
                for fragment in [secret.as_str(), tail] {
                    assert!(
                        !run.stderr.contains(fragment),
                        "{}: the {name} is on stderr:\n{}",
                        run.label,
                        run.stderr
                    );
                    if run.prints.as_deref() != Some(secret.as_str()) {
                        assert!(
                            !run.stdout.contains(fragment),
                            "{}: the {name} is on stdout:\n{}",
                            run.label,
                            run.stdout
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn no_secret_reaches_stderr_or_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let sim = TestSim::start();
    let embedded = sim.simulator().vcf().embedded_provider_id();
    let okta = write_json(dir.path(), "okta.json", &okta_spec(CLIENT_SECRET));
    let okta_2 = write_json(dir.path(), "okta-2.json", &okta_spec(CLIENT_SECRET_2));
    let source = write_json(
        dir.path(),
        "source.json",
        &ad_source_spec("corp.example.com", LDAP_PASSWORD),
    );
    let source_2 =
        serde_json::to_string(&ad_source_spec("corp.example.com", LDAP_PASSWORD_2)).unwrap();
    let mut runs = Runs::default();

    // VCF, logging in with username and password, every command at -vvv.
    for verbosity in ["-v", "-vv", "-vvv"] {
        runs.run(
            &format!("idp list {verbosity}"),
            sim.vcf().args([verbosity, "vcf", "idp", "list"]),
            0,
        );
    }
    runs.run(
        "idp list json",
        sim.vcf().args(["-vvv", "-o", "json", "vcf", "idp", "list"]),
        0,
    );
    runs.run(
        "idp add",
        sim.vcf()
            .args(["-vvv", "vcf", "idp", "add", "--file"])
            .arg(&okta),
        0,
    );
    let id = sim.simulator().vcf().external_provider_id().unwrap();
    runs.run(
        "idp update",
        sim.vcf()
            .args(["-vvv", "-o", "json", "vcf", "idp", "update", &id, "--file"])
            .arg(&okta_2),
        0,
    );
    runs.run(
        "idp update stdin",
        sim.vcf()
            .args(["-vvv", "vcf", "idp", "update", &id, "--file", "-"])
            .write_stdin(serde_json::to_string(&okta_spec(CLIENT_SECRET)).unwrap()),
        0,
    );
    runs.run(
        "source add",
        sim.vcf()
            .args(["-vvv", "vcf", "source", "add", &embedded, "--file"])
            .arg(&source),
        0,
    );
    runs.run(
        "source update",
        sim.vcf()
            .args([
                "-vvv",
                "-o",
                "json",
                "vcf",
                "source",
                "update",
                &embedded,
                "corp.example.com",
                "--file",
                "-",
            ])
            .write_stdin(source_2),
        0,
    );
    let out = runs.run(
        "sync-token json",
        sim.vcf().args([
            "-vvv",
            "-o",
            "json",
            "vcf",
            "sync-token",
            &id,
            "--ttl",
            "2h",
        ]),
        0,
    );
    let sync_token_1: String = serde_json::from_str::<serde_json::Value>(&out).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    runs.printed(&sync_token_1);
    runs.run(
        "sync-token table",
        sim.vcf().args(["-vvv", "vcf", "sync-token", &id]),
        0,
    );
    let sync_token_2 = sim.simulator().vcf().sync_client_token(&id).unwrap();
    runs.printed(&sync_token_2);
    assert_ne!(sync_token_1, sync_token_2);
    runs.run(
        "idp get table",
        sim.vcf().args(["-vvv", "vcf", "idp", "get", &id]),
        0,
    );
    runs.run(
        "idp get json",
        sim.vcf()
            .args(["-vvv", "-o", "json", "vcf", "idp", "get", &id]),
        0,
    );
    runs.run(
        "idp get embedded json",
        sim.vcf()
            .args(["-vvv", "-o", "json", "vcf", "idp", "get", &embedded]),
        0,
    );
    runs.run(
        "idp list json after all",
        sim.vcf().args(["-vvv", "-o", "json", "vcf", "idp", "list"]),
        0,
    );

    // A bearer token from VCF_TOKEN, and the password on stdin.
    let bearer = sim.issue_access_token();
    runs.run(
        "idp list with VCF_TOKEN",
        idpctl()
            .env("VCF_URL", sim.simulator().vcf().url())
            .env("VCF_TOKEN", &bearer)
            .args(["-vvv", "vcf", "idp", "list"]),
        0,
    );
    runs.run(
        "idp list with --secret-stdin",
        idpctl()
            .env("VCF_URL", sim.simulator().vcf().url())
            .env("VCF_USERNAME", sim.simulator().vcf().username())
            .args(["-vvv", "--secret-stdin", "vcf", "idp", "list"])
            .write_stdin(format!("{VCF_PASSWORD}\n")),
        0,
    );

    // Failures.
    runs.run(
        "wrong password",
        sim.vcf()
            .env("VCF_PASSWORD", WRONG_PASSWORD)
            .args(["-vvv", "vcf", "idp", "list"]),
        4,
    );
    runs.run(
        "wrong bearer token",
        idpctl()
            .env("VCF_URL", sim.simulator().vcf().url())
            .env("VCF_TOKEN", format!("{bearer}x"))
            .args(["-vvv", "vcf", "idp", "list"]),
        4,
    );
    runs.run(
        "duplicate source",
        sim.vcf()
            .args(["-vvv", "vcf", "source", "add", &embedded, "--file"])
            .arg(&source),
        5,
    );
    runs.run(
        "second external provider",
        sim.vcf()
            .args(["-vvv", "vcf", "idp", "add", "--file"])
            .arg(&okta_2),
        5,
    );
    sim.faults().add(
        FaultRule::new("PATCH", "/v1/identity-providers/{id}")
            .respond(500)
            .times(1),
    );
    runs.run(
        "update answered 500",
        sim.vcf()
            .args(["-vvv", "vcf", "idp", "update", &id, "--file"])
            .arg(&okta_2),
        5,
    );
    runs.run(
        "idp add at a closed port",
        idpctl()
            .env(
                "VCF_URL",
                format!("http://127.0.0.1:{}", crate::common::closed_port()),
            )
            .env("VCF_USERNAME", sim.simulator().vcf().username())
            .env("VCF_PASSWORD", VCF_PASSWORD)
            .args(["-vvv", "vcf", "idp", "add", "--file"])
            .arg(&okta),
        6,
    );
    runs.run(
        "source delete",
        sim.vcf().args([
            "-vvv",
            "vcf",
            "source",
            "delete",
            &embedded,
            "corp.example.com",
            "--yes",
        ]),
        0,
    );
    runs.run(
        "idp delete",
        sim.vcf()
            .args(["-vvv", "-o", "json", "vcf", "idp", "delete", &id, "--yes"]),
        0,
    );

    // Unleash.
    runs.run(
        "scim-settings get",
        sim.unleash()
            .args(["-vvv", "unleash", "scim-settings", "get"]),
        0,
    );
    runs.run(
        "scim-settings set",
        sim.unleash().args([
            "-vvv",
            "-o",
            "json",
            "unleash",
            "scim-settings",
            "set",
            "--enabled",
            "true",
        ]),
        0,
    );
    let out = runs.run(
        "scim-token rotate json",
        sim.unleash().args([
            "-vvv",
            "-o",
            "json",
            "unleash",
            "scim-token",
            "rotate",
            "--yes",
        ]),
        0,
    );
    let scim_token_1: String = serde_json::from_str::<serde_json::Value>(&out).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    runs.printed(&scim_token_1);
    runs.run(
        "scim-token rotate table",
        sim.unleash()
            .args(["-vvv", "unleash", "scim-token", "rotate", "--yes"]),
        0,
    );
    let scim_token_2 = sim.simulator().unleash().scim_token().unwrap();
    runs.printed(&scim_token_2);
    runs.run(
        "scim-settings get json after rotation",
        sim.unleash()
            .args(["-vvv", "-o", "json", "unleash", "scim-settings", "get"]),
        0,
    );
    runs.run(
        "scim-settings get with --secret-stdin",
        idpctl()
            .env("UNLEASH_URL", sim.simulator().unleash().url())
            .args(["-vvv", "--secret-stdin", "unleash", "scim-settings", "get"])
            .write_stdin(format!("{UNLEASH_KEY}\n")),
        0,
    );
    runs.run(
        "wrong Unleash key",
        sim.unleash()
            .env("UNLEASH_API_TOKEN", WRONG_UNLEASH_KEY)
            .args(["-vvv", "unleash", "scim-token", "rotate", "--yes"]),
        4,
    );
    runs.run(
        "read-only Unleash key",
        sim.unleash()
            .env("UNLEASH_API_TOKEN", UNLEASH_READ_ONLY_KEY)
            .args([
                "-vvv",
                "unleash",
                "scim-settings",
                "set",
                "--enabled",
                "false",
            ]),
        4,
    );
    sim.faults()
        .add(FaultRule::new("*", "/unleash").respond_json(
            503,
            json!({"id": "e1", "name": "ServiceUnavailable", "message": "down for maintenance"}),
        ));
    runs.run(
        "Unleash 503",
        sim.unleash()
            .args(["-vvv", "unleash", "scim-token", "rotate", "--yes"]),
        5,
    );
    sim.faults().clear();

    // -vvv did log something (else this test would prove nothing).
    let logged = runs
        .0
        .iter()
        .filter(|r| r.stderr.contains("TRACE") || r.stderr.contains("DEBUG"))
        .count();
    assert!(logged >= runs.0.len() / 2, "-vvv logs too little");

    runs.check(&[
        ("VCF password", VCF_PASSWORD.to_owned()),
        ("wrong VCF password", WRONG_PASSWORD.to_owned()),
        ("VCF bearer token", bearer),
        ("Unleash API key", UNLEASH_KEY.to_owned()),
        ("Unleash read-only key", UNLEASH_READ_ONLY_KEY.to_owned()),
        ("wrong Unleash key", WRONG_UNLEASH_KEY.to_owned()),
        ("client secret", CLIENT_SECRET.to_owned()),
        ("second client secret", CLIENT_SECRET_2.to_owned()),
        ("LDAP password", LDAP_PASSWORD.to_owned()),
        ("second LDAP password", LDAP_PASSWORD_2.to_owned()),
        ("first sync token", sync_token_1),
        ("second sync token", sync_token_2),
        ("first SCIM token", scim_token_1),
        ("second SCIM token", scim_token_2),
    ]);
}

#[test]
fn a_malformed_spec_does_not_echo_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let sim = TestSim::start();
    // A spec with a mistake next to the secret: the error names the field,
    // never the secret.
    let mut spec = okta_spec(CLIENT_SECRET);
    spec["fedIdpSpec"]["syncClientTokenTTL"] = json!("forever");
    let bad_ttl = write_json(dir.path(), "bad-ttl.json", &spec);
    let assert = sim
        .vcf()
        .args(["-vvv", "vcf", "idp", "add", "--file"])
        .arg(&bad_ttl)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("syncClientTokenTTL"), "{err}");
    assert!(!err.contains(CLIENT_SECRET), "{err}");

    // A secret written as a JSON number (as YAML-to-JSON converters do with
    // an all-digit password): the type error does not quote it.
    let mut spec = ad_source_spec("corp.example.com", "unused");
    spec["ldap"]["password"] = json!(4_815_162_342_108_u64);
    let numeric_password = write_json(dir.path(), "numeric-password.json", &spec);
    let mut spec = okta_spec("unused");
    spec["fedIdpSpec"]["oidcSpec"]["clientSecret"] = json!(8_675_309_123_456_789_u64);
    let numeric_secret = write_json(dir.path(), "numeric-secret.json", &spec);
    for (args, field, digits) in [
        (
            vec!["source", "add", "some-id"],
            "ldap.password",
            "4815162342108",
        ),
        (
            vec!["idp", "add"],
            "fedIdpSpec.oidcSpec.clientSecret",
            "8675309123456789",
        ),
    ] {
        let file = if field == "ldap.password" {
            &numeric_password
        } else {
            &numeric_secret
        };
        let assert = sim
            .vcf()
            .args(["-vvv", "vcf"])
            .args(&args)
            .arg("--file")
            .arg(file)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(err.contains(field), "{err}");
        assert!(err.contains("expected"), "{err}");
        assert!(!err.contains(digits), "{err}");
    }

    // Invalid JSON right after a password.
    let text = serde_json::to_string(&ad_source_spec("corp.example.com", LDAP_PASSWORD))
        .unwrap()
        .replace(
            &format!("\"{LDAP_PASSWORD}\""),
            &format!("\"{LDAP_PASSWORD}\" oops"),
        );
    let assert = sim
        .vcf()
        .args([
            "-vvv",
            "vcf",
            "source",
            "add",
            &sim.simulator().vcf().embedded_provider_id(),
            "--file",
            "-",
        ])
        .write_stdin(text)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(!err.contains(LDAP_PASSWORD), "{err}");
    sim.assert_nothing_sent("malformed specs");

    // The JSON result of an add never carries a secret.
    let okta = write_json(dir.path(), "okta.json", &okta_spec(CLIENT_SECRET));
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "add", "--file"])
        .arg(&okta)
        .assert()
        .success();
    assert!(!json_stdout(&assert).to_string().contains(CLIENT_SECRET));
}
