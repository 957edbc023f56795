//! `idpctl plan` / `idpctl apply` / `idpctl schema config` against the
//! simulator: exit codes, confirmation, secrets, several targets.

use std::path::{Path, PathBuf};

use idp_sim::{FaultRule, Profile};
use serde_json::Value;

use crate::common::{TestSim, VCF_PASSWORD, VCF_USER, config, idpctl, json_stdout, stderr, stdout};

const OKTA_SECRET: &str = "okta-secret-from-env-Zq81";
const LDAP_SECRET: &str = "ldap-secret-from-env-Kp27";

fn target(name: &str, sim: &TestSim) -> String {
    format!(
        "  - name: {name}\n    url: {}\n    username: {VCF_USER}\n    password: env:TEST_VCF_PASSWORD\n",
        sim.simulator().vcf().url()
    )
}

fn document(dir: &Path, targets: &str, external_type: &str) -> PathBuf {
    let text = format!(
        "targets:\n{targets}identity:\n  external:\n    type: {external_type}\n    name: corp-sso\n    directory: {{ name: corp_dir, defaultDomain: example.com, domains: [example.com] }}\n    oidc: {{ clientId: client-1, clientSecret: env:TEST_OKTA_SECRET,\n            discoveryEndpoint: https://sso.example.com/.well-known/openid-configuration }}\n  embeddedSources:\n    - {{ name: corp, type: active-directory, domainName: corp.example.com, domainAlias: CORP,\n        username: svc@corp.example.com, password: env:TEST_LDAP_SECRET,\n        usersBaseDn: 'ou=users,dc=corp', groupsBaseDn: 'ou=groups,dc=corp',\n        serverEndpoints: ['ldap://dc1.corp.example.com:389'] }}\n"
    );
    let path = dir.join("fleet.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

fn cmd(args: &[&str], file: &Path) -> assert_cmd::Command {
    let mut cmd = idpctl();
    cmd.args(args)
        .arg("-f")
        .arg(file)
        .env("TEST_VCF_PASSWORD", VCF_PASSWORD)
        .env("TEST_OKTA_SECRET", OKTA_SECRET)
        .env("TEST_LDAP_SECRET", LDAP_SECRET);
    cmd
}

fn writes(sim: &TestSim) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method != "GET" && !r.path.starts_with("/v1/tokens"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

fn assert_no_secret(text: &str) {
    assert!(
        !text.contains(OKTA_SECRET) && !text.contains(LDAP_SECRET) && !text.contains(VCF_PASSWORD),
        "{text}"
    );
}

#[test]
fn plan_apply_and_a_no_op_under_every_profile() {
    for profile in Profile::ALL {
        let sim = TestSim::with(config().profile(profile));
        let dir = tempfile::tempdir().unwrap();
        let file = document(dir.path(), &target("site-a", &sim), "okta");

        let plan = cmd(&["plan", "--detailed-exitcode"], &file)
            .assert()
            .code(2);
        let out = stdout(&plan);
        assert!(out.contains("site-a: 2 change(s)"), "{out}");
        assert!(out.contains("+ create externalProvider corp-sso"), "{out}");
        assert!(
            out.contains("external.oidc.clientSecret: (secret) will be sent"),
            "{out}"
        );
        assert!(
            out.contains("Plan: 2 to create, 0 to update, 0 to replace, 0 to delete."),
            "{out}"
        );
        assert_no_secret(&(out + &stderr(&plan)));

        sim.clear_requests();
        let refused = cmd(&["apply"], &file).assert().code(2);
        assert!(stderr(&refused).contains("--yes"), "{}", stderr(&refused));
        assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));

        let applied = cmd(&["apply", "--yes"], &file).assert().success();
        let out = stdout(&applied);
        assert!(out.contains("TARGET") && out.contains("applied"), "{out}");
        assert_no_secret(&out);

        let again = cmd(&["plan", "--detailed-exitcode"], &file)
            .assert()
            .code(0);
        assert!(
            stdout(&again).contains("site-a: no changes"),
            "{}",
            stdout(&again)
        );
        sim.clear_requests();
        let noop = cmd(&["-o", "json", "apply", "--yes"], &file)
            .assert()
            .success();
        let report = json_stdout(&noop);
        assert_eq!(report["report"]["targets"][0]["outcome"], "unchanged");
        assert!(
            writes(&sim).is_empty(),
            "a no-op apply wrote {:?}",
            writes(&sim)
        );
    }
}

#[test]
fn plan_json_and_a_replace_needs_permission() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let file = document(dir.path(), &target("site-a", &sim), "okta");
    cmd(&["apply", "--yes"], &file).assert().success();
    let file = document(dir.path(), &target("site-a", &sim), "entra-id");
    let plan = cmd(&["-o", "json", "plan"], &file).assert().success();
    let plan: Value = json_stdout(&plan);
    let change = &plan["targets"][0]["changes"][0];
    assert_eq!(change["action"], "replace");
    assert_eq!(change["fields"][0]["field"], "type");
    assert_eq!(change["fields"][0]["from"], "okta");
    assert_eq!(change["fields"][0]["to"], "entra-id");

    sim.clear_requests();
    let refused = cmd(&["apply", "--yes"], &file).assert().code(2);
    assert!(
        stderr(&refused).contains("--allow-replace"),
        "{}",
        stderr(&refused)
    );
    assert!(writes(&sim).is_empty());
    cmd(&["apply", "--yes", "--allow-replace"], &file)
        .assert()
        .success();
    cmd(&["plan", "--detailed-exitcode"], &file)
        .assert()
        .code(0);
}

#[test]
fn an_update_resends_secrets_only_with_update_secrets() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let file = document(dir.path(), &target("site-a", &sim), "okta");
    cmd(&["apply", "--yes"], &file).assert().success();
    // Another domain: an update, which must resend the client secret.
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "domains: [example.com]",
        "domains: [example.com, example.org]",
    );
    std::fs::write(&file, text).unwrap();
    let plan = cmd(&["plan"], &file).assert().success();
    let out = stdout(&plan);
    assert!(
        out.contains(
            "external.oidc.clientSecret: (secret) would be resent: needs --update-secrets"
        ),
        "{out}"
    );
    assert!(
        out.contains("note: the update replaces the whole object"),
        "{out}"
    );
    let plan = cmd(&["-o", "json", "plan"], &file).assert().success();
    let plan: Value = json_stdout(&plan);
    let change = &plan["targets"][0]["changes"][0];
    assert_eq!(change["action"], "update");
    assert_eq!(change["needs"], "updateSecrets");
    assert_eq!(
        change["secrets"],
        serde_json::json!(["external.oidc.clientSecret"])
    );

    sim.clear_requests();
    let refused = cmd(&["apply", "--yes"], &file).assert().code(2);
    let err = stderr(&refused);
    assert!(
        err.contains("--update-secrets")
            && err.contains("site-a: update externalProvider corp-sso"),
        "{err}"
    );
    assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));

    let plan = cmd(&["plan", "--update-secrets"], &file).assert().success();
    let out = stdout(&plan);
    assert!(
        out.contains("external.oidc.clientSecret: (secret) will be sent"),
        "{out}"
    );
    // update-secrets also updates the source, which differs in nothing readable.
    assert!(
        out.contains("~ update embeddedSource corp.example.com"),
        "{out}"
    );
    let applied = cmd(&["apply", "--yes", "--update-secrets"], &file)
        .assert()
        .success();
    assert_no_secret(&(stdout(&applied) + &stderr(&applied)));
    assert_eq!(
        writes(&sim)
            .iter()
            .filter(|w| w.starts_with("PATCH "))
            .count(),
        2,
        "{:?}",
        writes(&sim)
    );
    cmd(&["plan", "--detailed-exitcode"], &file)
        .assert()
        .code(0);
}

#[test]
fn one_failing_target_does_not_stop_the_other() {
    let good = TestSim::start();
    let bad = TestSim::start();
    bad.faults()
        .add(FaultRule::new("POST", "/v1/identity-providers").respond(500));
    let dir = tempfile::tempdir().unwrap();
    let targets = target("good", &good) + &target("bad", &bad);
    let file = document(dir.path(), &targets, "okta");
    let failed = cmd(&["apply", "--yes", "--parallel", "2"], &file)
        .assert()
        .code(1);
    let out = stdout(&failed);
    assert!(
        out.contains("bad: not done: create externalProvider corp-sso"),
        "{out}"
    );
    assert!(
        out.contains("bad: not done: create embeddedSource corp.example.com"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("good") && l.contains("applied")),
        "{out}"
    );
    bad.faults().clear();
    cmd(&["apply", "--yes"], &file).assert().success();
    cmd(&["plan", "--detailed-exitcode"], &file)
        .assert()
        .code(0);
}

#[test]
fn bad_documents_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, "targets:\n  - name: a\n    url: https://a.example.com\n    username: u\n    password: literal-pass-Q1\n").unwrap();
    let err = cmd(&["plan"], &path).assert().code(2);
    let text = stderr(&err);
    assert!(
        text.contains("bad.yaml") && text.contains("targets[0].password"),
        "{text}"
    );
    assert!(!text.contains("literal-pass-Q1"), "{text}");

    std::fs::write(&path, "targets:\n  - context: dr-site\n").unwrap();
    let err = cmd(&["plan"], &path).assert().code(2);
    // No configuration file has that context (see contexts.rs for one that does).
    assert!(stderr(&err).contains("dr-site"), "{}", stderr(&err));
    // --detailed-exitcode: every error is 1.
    cmd(&["plan", "--detailed-exitcode"], &path)
        .assert()
        .code(1);

    std::fs::write(
        &path,
        "targets:\n  - name: a\n    url: https://a.example.com\n    token: env:T\n    bogus: 1\n",
    )
    .unwrap();
    let err = cmd(&["plan"], &path).assert().code(2);
    assert!(stderr(&err).contains("bad.yaml:5"), "{}", stderr(&err));
}

#[test]
fn schema_config_prints_the_document_schema() {
    let out = idpctl().args(["schema", "config"]).assert().success();
    let schema: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(schema["properties"]["targets"].is_object(), "{schema}");
    assert!(stdout(&out).contains("embeddedSources"));
}

#[test]
fn targets_are_selected_by_name() {
    let a = TestSim::start();
    let b = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let file = document(dir.path(), &(target("a", &a) + &target("b", &b)), "okta");
    b.clear_requests();
    let out = cmd(&["plan", "--target", "a"], &file).assert().success();
    assert!(stdout(&out).contains("a: 2 change(s)"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("b: "), "{}", stdout(&out));
    assert!(b.requests().is_empty(), "an unselected target was read");
    let err = cmd(&["plan", "--target", "nope"], &file).assert().code(2);
    assert!(
        stderr(&err).contains("no target named `nope`"),
        "{}",
        stderr(&err)
    );
    cmd(&["apply", "--yes", "--target", "b"], &file)
        .assert()
        .success();
    let out = cmd(&["plan", "--detailed-exitcode"], &file)
        .assert()
        .code(2);
    assert!(stdout(&out).contains("b: no changes"), "{}", stdout(&out));
}

#[test]
fn a_secret_that_is_not_utf8_is_named_not_shown() {
    use std::os::unix::ffi::OsStringExt as _;

    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let file = document(dir.path(), &target("lab", &sim), "okta");
    let value = std::ffi::OsString::from_vec(b"not-utf8-Vb73\xff".to_vec());
    let planned = cmd(&["plan"], &file)
        .env("TEST_VCF_PASSWORD", value)
        .assert()
        .code(1);
    let out = format!("{}{}", stdout(&planned), stderr(&planned));
    assert!(
        out.contains("environment variable TEST_VCF_PASSWORD is not valid UTF-8"),
        "{out}"
    );
    assert!(!out.contains("not-utf8-Vb73"), "{out}");
}

#[test]
fn a_target_with_an_api_key_plans_and_applies() {
    let sim = TestSim::start();
    let key = sim.simulator().vcf().api_key();
    let dir = tempfile::tempdir().unwrap();
    let targets = format!(
        "  - name: svc\n    url: {}\n    apiKey: env:TEST_VCF_API_KEY\n",
        sim.simulator().vcf().url()
    );
    let file = document(dir.path(), &targets, "okta");
    for args in [&["plan"][..], &["-vvv", "apply", "--yes"][..]] {
        let out = cmd(args, &file)
            .env("TEST_VCF_API_KEY", &key)
            .assert()
            .success();
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!text.contains(&key), "{text}");
        assert_no_secret(&text);
    }
    assert!(
        writes(&sim).iter().any(|w| w.starts_with("POST")),
        "{:?}",
        writes(&sim)
    );
    // Without the variable the field is named, the key never guessed.
    let out = cmd(&["plan"], &file).assert().failure();
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("targets[0].apiKey"), "{text}");
}
