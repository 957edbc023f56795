//! `idpctl ops` against the simulated VCF Operations (profile `vcf-9.1`):
//! realms, an identity provider created from a file, its directory's sync
//! client, the roles of a group, API tokens, and the provider's deletion
//! (a task awaited); no secret on stderr at `-vvv`.

use assert_cmd::Command;
use idp_sim::Profile;
use serde_json::{Value, json};

use crate::common::{TestSim, config, idpctl, json_stdout, stderr, stdout, write_json};

pub(crate) const OIDC_SECRET: &str = "ops-oidc-client-secret-Pq83Lm2Z";

/// A simulator that serves VCF Operations.
pub(crate) fn ops_sim() -> TestSim {
    TestSim::with(config().profile(Profile::Vcf91))
}

/// `idpctl` pointed at the simulated VCF Operations with its local user.
pub(crate) fn ops(sim: &TestSim) -> Command {
    let mut cmd = idpctl();
    cmd.env("OPS_URL", sim.vcf_ops().url())
        .env("OPS_USERNAME", sim.vcf_ops().username())
        .env("OPS_PASSWORD", sim.vcf_ops().password())
        .env("OPS_OIDC_SECRET", OIDC_SECRET);
    cmd
}

/// Runs `idpctl -o json ARGS` (with `-vvv`) and returns its JSON.
pub(crate) fn json(sim: &TestSim, args: &[&str]) -> Value {
    let assert = ops(sim)
        .args(["-vvv", "-o", "json"])
        .args(args)
        .assert()
        .success();
    let err = stderr(&assert);
    for secret in sim.vcf_ops().secrets() {
        assert!(!err.contains(&secret), "{args:?}: a secret on stderr");
    }
    json_stdout(&assert)
}

/// The identity provider file `ops idp create --file` reads.
pub(crate) fn provider_file(dir: &std::path::Path) -> std::path::PathBuf {
    write_json(
        dir,
        "okta.json",
        &json!({
            "name": "okta",
            "type": "OKTA",
            "provisioning": "SCIM",
            "oidc": {
                "discoveryEndpoint": "https://example.okta.com/.well-known/openid-configuration",
                "clientId": "0oa1ops",
                "clientSecret": "env:OPS_OIDC_SECRET"
            },
            "directories": [{ "name": "okta-directory", "domains": ["example.com"] }]
        }),
    )
}

/// Creates the realm's provider through the CLI: its id and its
/// directory's id.
pub(crate) fn create_provider(sim: &TestSim, realm: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = provider_file(dir.path());
    let created = json(
        sim,
        &[
            "ops",
            "idp",
            "create",
            "--realm",
            realm,
            "--file",
            file.to_str().unwrap(),
        ],
    );
    let id = created["id"].as_str().unwrap().to_owned();
    let got = json(sim, &["ops", "idp", "get", &id]);
    let directory = got["directories"][0]["id"].as_str().unwrap().to_owned();
    (id, directory)
}

#[test]
fn realms_providers_sync_clients_roles_and_api_tokens() {
    let sim = ops_sim();
    let realm = sim.vcf_ops().realm_id();

    let realms = json(&sim, &["ops", "realm", "list"]);
    assert!(
        realms
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == realm.as_str()),
        "{realms}"
    );
    let table = ops(&sim).args(["ops", "realm", "list"]).assert().success();
    assert!(stdout(&table).contains(&realm), "{}", stdout(&table));
    assert_eq!(
        sim.vcf_ops().ops_token_count(),
        0,
        "each command releases its OpsToken"
    );

    // The provider, created from a file whose secret is a reference.
    let (idp, directory) = create_provider(&sim, &realm);
    assert_eq!(sim.vcf_ops().identity_provider_ids(), vec![idp.clone()]);
    let listed = json(&sim, &["ops", "idp", "list"]);
    assert_eq!(
        listed[0]["identityProvider"]["id"],
        idp.as_str(),
        "{listed}"
    );
    let shown = ops(&sim)
        .args(["ops", "idp", "get", &idp])
        .assert()
        .success();
    assert!(
        stdout(&shown).contains("okta-directory"),
        "{}",
        stdout(&shown)
    );
    assert!(!stdout(&shown).contains(OIDC_SECRET));

    // The sync client token, printed once by rotate, never by get.
    let rotated = json(
        &sim,
        &[
            "ops",
            "sync-client",
            "rotate",
            &directory,
            "--idp",
            &idp,
            "--ttl",
            "30d",
            "--yes",
        ],
    );
    let token = sim.vcf_ops().sync_token(&idp, &directory).unwrap();
    assert_eq!(rotated["token"], token.as_str());
    assert!(rotated["expiresAt"].is_string(), "{rotated}");
    let sync = ops(&sim)
        .args([
            "-o",
            "json",
            "ops",
            "sync-client",
            "get",
            &directory,
            "--idp",
            &idp,
        ])
        .assert()
        .success();
    assert!(!stdout(&sync).contains(&token));
    assert!(json_stdout(&sync)["tokenExpiresAt"].is_string());

    // Not due: nothing rotated.
    let not_due = json(
        &sim,
        &[
            "ops",
            "sync-client",
            "rotate",
            &directory,
            "--idp",
            &idp,
            "--if-expiring-within",
            "1d",
            "--yes",
        ],
    );
    assert_eq!(not_due["rotated"], false, "{not_due}");
    assert_eq!(sim.vcf_ops().sync_token(&idp, &directory).unwrap(), token);

    // A group's roles: assigned, listed, kept, revoked.
    let group = sim.vcf_ops().group_id(&realm, "vcf-admins").unwrap();
    let assigned = json(
        &sim,
        &[
            "ops",
            "role",
            "assign",
            "--realm",
            &realm,
            "--group",
            "vcf-admins",
            "--role",
            "vcf_administrator",
        ],
    );
    assert_eq!(assigned["result"], "assigned");
    assert_eq!(
        sim.vcf_ops().role_names(&realm, &group),
        ["vcf_administrator"]
    );
    let again = json(
        &sim,
        &[
            "ops",
            "role",
            "assign",
            "--realm",
            &realm,
            "--group",
            "vcf-admins",
            "--role",
            "vcf_administrator",
        ],
    );
    assert_eq!(again["result"], "unchanged");
    let listed = json(
        &sim,
        &[
            "ops",
            "role",
            "list",
            "--realm",
            &realm,
            "--principal",
            &group,
        ],
    );
    assert_eq!(
        listed["roles"][0]["roleName"], "vcf_administrator",
        "{listed}"
    );
    let groups = ops(&sim)
        .args(["ops", "role", "list", "--realm", &realm])
        .assert()
        .success();
    assert!(
        stdout(&groups).contains("vcf_administrator"),
        "{}",
        stdout(&groups)
    );
    let revoke_without_yes = ops(&sim)
        .args([
            "ops",
            "role",
            "revoke",
            "--realm",
            &realm,
            "--group",
            "vcf-admins",
        ])
        .assert()
        .code(2);
    assert!(stderr(&revoke_without_yes).contains("--yes"));
    json(
        &sim,
        &[
            "ops",
            "role",
            "revoke",
            "--realm",
            &realm,
            "--group",
            "vcf-admins",
            "--role",
            "vcf_administrator",
            "--yes",
        ],
    );
    assert!(sim.vcf_ops().role_names(&realm, &group).is_empty());
    let missing = ops(&sim)
        .args([
            "ops",
            "role",
            "assign",
            "--realm",
            &realm,
            "--group",
            "no-such-group",
            "--role",
            "r",
        ])
        .assert()
        .code(3);
    assert!(stderr(&missing).contains("no-such-group"));

    // API tokens: created (printed once), listed, regenerated, deleted.
    let created = json(
        &sim,
        &[
            "ops",
            "api-token",
            "create",
            "--realm",
            &realm,
            "--name",
            "ci",
            "--ttl",
            "90d",
        ],
    );
    let id = created["apiTokenId"].as_str().unwrap().to_owned();
    assert_eq!(created["name"], "ci");
    let first = sim.vcf_ops().api_token(&realm, &id).unwrap();
    assert_eq!(created["token"], first.as_str());
    let list = ops(&sim)
        .args(["ops", "api-token", "list", "--realm", &realm])
        .assert()
        .success();
    assert!(stdout(&list).contains("ci") && !stdout(&list).contains(&first));
    let regenerated = json(
        &sim,
        &[
            "ops",
            "api-token",
            "rotate",
            &id,
            "--realm",
            &realm,
            "--yes",
        ],
    );
    let second = sim.vcf_ops().api_token(&realm, &id).unwrap();
    assert_ne!(first, second);
    assert_eq!(regenerated["token"], second.as_str());
    json(
        &sim,
        &[
            "ops",
            "api-token",
            "delete",
            &id,
            "--realm",
            &realm,
            "--yes",
        ],
    );
    assert_eq!(sim.vcf_ops().api_token(&realm, &id), None);

    // The provider's deletion is a task, awaited.
    let deleted = json(&sim, &["ops", "idp", "delete", &idp, "--yes"]);
    assert_eq!(deleted["result"], "deleted");
    assert!(sim.vcf_ops().identity_provider_ids().is_empty());
    ops(&sim).args(["ops", "idp", "get", &idp]).assert().code(3);
}

#[test]
fn a_failed_task_and_an_unknown_realm_are_errors() {
    let sim = ops_sim();
    let realm = sim.vcf_ops().realm_id();
    let (idp, _) = create_provider(&sim, &realm);
    sim.vcf_ops()
        .fail_next_task("IDP_IN_USE", "the provider is in use");
    let failed = ops(&sim)
        .args(["ops", "idp", "delete", &idp, "--yes"])
        .assert()
        .failure();
    assert!(stderr(&failed).contains("in use"), "{}", stderr(&failed));
    assert_eq!(sim.vcf_ops().identity_provider_ids(), vec![idp]);
    let unknown = ops(&sim)
        .args(["ops", "api-token", "list", "--realm", "no-such-realm"])
        .assert()
        .code(3);
    assert!(stderr(&unknown).contains("no-such-realm"));
}

#[test]
fn the_context_ops_table_reaches_the_simulator() {
    let sim = ops_sim();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    idpctl()
        .env("IDPCTL_CONFIG", &path)
        .args(["config", "set", "fleet", "--ops-url", &sim.vcf_ops().url()])
        .args(["--ops-username", sim.vcf_ops().username()])
        .args(["--ops-password", "env:FLEET_OPS_PW", "--ops-auth-source"])
        .arg(sim.vcf_ops().auth_source())
        .assert()
        .success();
    let assert = idpctl()
        .env("IDPCTL_CONFIG", &path)
        .env("FLEET_OPS_PW", sim.vcf_ops().password())
        .args(["--context", "fleet", "-o", "json", "ops", "realm", "list"])
        .assert()
        .success();
    assert!(
        json_stdout(&assert)
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
}

#[test]
fn an_operations_document_plans_applies_and_plans_no_changes() {
    let sim = ops_sim();
    let realm = sim.vcf_ops().realm_id();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fleet.yaml");
    std::fs::write(
        &path,
        format!(
            "operations:\n  - name: fleet\n    url: {url}\n    username: {user}\n    password: env:FLEET_OPS_PW\n    taskTimeout: 1m\n    realms:\n      - realm: {realm}\n        identityProvider:\n          name: okta\n          type: OKTA\n          oidc: {{ discoveryEndpoint: 'https://example.okta.com/.well-known/openid-configuration', clientId: 0oa1doc, clientSecret: env:OPS_OIDC_SECRET }}\n          directories: [{{ name: okta-directory, domains: [example.com], defaultDomain: example.com }}]\n        roleAssignments:\n          - {{ group: vcf-admins, role: vcf_administrator }}\n",
            url = sim.vcf_ops().url(),
            user = sim.vcf_ops().username(),
        ),
    )
    .unwrap();
    let run = |args: &[&str], code: i32| {
        let assert = ops(&sim)
            .env("FLEET_OPS_PW", sim.vcf_ops().password())
            .arg("-vvv")
            .args(args)
            .arg("-f")
            .arg(&path)
            .assert()
            .code(code);
        let (out, err) = (stdout(&assert), stderr(&assert));
        for secret in sim
            .vcf_ops()
            .secrets()
            .iter()
            .chain([&OIDC_SECRET.to_owned()])
        {
            assert!(
                !out.contains(secret.as_str()) && !err.contains(secret.as_str()),
                "{args:?}: a secret leaked"
            );
        }
        out
    };
    let planned = run(&["plan", "--detailed-exitcode"], 2);
    assert!(
        planned.contains("create realmIdentityProvider"),
        "{planned}"
    );
    assert!(planned.contains("realmGroupRoles"), "{planned}");
    run(&["apply", "--yes"], 0);
    let group = sim.vcf_ops().group_id(&realm, "vcf-admins").unwrap();
    assert_eq!(
        sim.vcf_ops().role_names(&realm, &group),
        ["vcf_administrator"]
    );
    run(&["plan", "--detailed-exitcode"], 0);
    // A context the file does not have: refused before anything is sent.
    std::fs::write(&path, "operations:\n  - context: nowhere\n").unwrap();
    let refused = ops(&sim).args(["plan", "-f"]).arg(&path).assert().code(2);
    assert!(stderr(&refused).contains("nowhere"), "{}", stderr(&refused));
}

#[test]
fn sim_vcf_91_prints_the_vcf_operations_variables() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("sim.pid");
    let assert = idpctl()
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--profile",
            "vcf-9.1",
            "--print-env",
            "--pid-file",
        ])
        .arg(&pid_file)
        .assert()
        .success();
    let out = stdout(&assert);
    let pid = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_owned();
    let var = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(&format!("export {name}='")))
            .map(|v| v.trim_end_matches('\'').to_owned())
    };
    let (url, user, password) = (var("OPS_URL"), var("OPS_USERNAME"), var("OPS_PASSWORD"));
    let listed = url.as_ref().map(|url| {
        idpctl()
            .env("OPS_URL", url)
            .env("OPS_USERNAME", user.clone().unwrap_or_default())
            .env("OPS_PASSWORD", password.clone().unwrap_or_default())
            .args(["-o", "json", "ops", "realm", "list"])
            .output()
            .unwrap()
    });
    std::process::Command::new("kill")
        .arg(&pid)
        .status()
        .unwrap();
    assert!(
        url.is_some_and(|u| u.starts_with("http://127.0.0.1:")),
        "{out}"
    );
    assert!(
        user.is_some() && password.is_some_and(|p| !p.is_empty()),
        "{out}"
    );
    let listed = listed.unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );

    // Another profile serves no VCF Operations and prints none of it.
    let assert = idpctl()
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--profile",
            "vcf-9",
            "--print-env",
            "--pid-file",
        ])
        .arg(&pid_file)
        .assert()
        .success();
    let pid = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_owned();
    std::process::Command::new("kill")
        .arg(&pid)
        .status()
        .unwrap();
    assert!(!stdout(&assert).contains("OPS_URL"), "{}", stdout(&assert));
}

#[test]
fn demo_runs_the_vcf_91_steps() {
    let assert = idpctl().arg("demo").assert().success();
    let out = stdout(&assert);
    for (step, says) in [
        ("[19] VCF 9.1: acquire an OpsToken", "OpsToken acquired as"),
        (
            "[20] create the realm's OIDC identity provider",
            "with directory okta-fleet",
        ),
        (
            "[21] generate the directory's SCIM token and deliver it to Okta",
            "the token Okta holds is the one VCF Operations accepts",
        ),
        (
            "[22] give the group vcf-admins the role vcf_administrator",
            "has vcf_administrator on realm",
        ),
    ] {
        assert!(out.contains(step) && out.contains(says), "{step}:\n{out}");
    }
    assert!(!out.contains("demo-okta-client-secret"));
}

#[test]
fn no_secret_reaches_stderr_at_vvv_even_on_failure() {
    let sim = ops_sim();
    let realm = sim.vcf_ops().realm_id();
    let wrong = "wrong-ops-password-Tk28Vn51";
    let refused = ops(&sim)
        .env("OPS_PASSWORD", wrong)
        .args(["-vvv", "ops", "realm", "list"])
        .assert()
        .code(4);
    assert!(!stderr(&refused).contains(wrong), "{}", stderr(&refused));
    let (idp, directory) = create_provider(&sim, &realm);
    let rotated = ops(&sim)
        .args([
            "-vvv",
            "ops",
            "sync-client",
            "rotate",
            &directory,
            "--idp",
            &idp,
            "--yes",
        ])
        .assert()
        .success();
    let created = ops(&sim)
        .args([
            "-vvv",
            "ops",
            "api-token",
            "create",
            "--realm",
            &realm,
            "--name",
            "hygiene",
        ])
        .assert()
        .success();
    let token = sim.vcf_ops().sync_token(&idp, &directory).unwrap();
    let mut secrets = sim.vcf_ops().secrets();
    secrets.push(OIDC_SECRET.to_owned());
    for assert in [&rotated, &created] {
        for secret in &secrets {
            assert!(
                !stderr(assert).contains(secret.as_str()),
                "a secret on stderr"
            );
        }
    }
    // Each command prints only the token it exists to produce.
    assert!(stdout(&rotated).contains(&token));
    assert!(!stdout(&created).contains(&token));
    assert!(!stdout(&rotated).contains(&sim.vcf_ops().password()));
}

#[test]
fn the_password_can_come_from_stdin() {
    let sim = ops_sim();
    let assert = idpctl()
        .env("OPS_URL", sim.vcf_ops().url())
        .env("OPS_USERNAME", sim.vcf_ops().username())
        .env("OPS_AUTH_SOURCE", sim.vcf_ops().auth_source())
        .args(["--secret-stdin", "-o", "json", "ops", "realm", "list"])
        .write_stdin(format!("{}\n", sim.vcf_ops().password()))
        .assert()
        .success();
    assert!(
        json_stdout(&assert)
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
    idpctl()
        .env("OPS_URL", sim.vcf_ops().url())
        .env("OPS_USERNAME", sim.vcf_ops().username())
        .args(["--secret-stdin", "ops", "realm", "list"])
        .write_stdin("not-the-password\n")
        .assert()
        .code(4);
}

#[test]
fn a_context_operations_target_uses_the_contexts_ops_table() {
    let sim = ops_sim();
    let realm = sim.vcf_ops().realm_id();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    idpctl()
        .env("IDPCTL_CONFIG", &config)
        .args(["config", "set", "fleet", "--ops-url", &sim.vcf_ops().url()])
        .args(["--ops-username", sim.vcf_ops().username()])
        .args(["--ops-password", "env:FLEET_OPS_PW"])
        .assert()
        .success();
    let doc = dir.path().join("fleet.yaml");
    std::fs::write(
        &doc,
        format!(
            "operations:\n  - context: fleet\n    realms:\n      - realm: {realm}\n        roleAssignments:\n          - {{ group: vcf-viewers, role: vcf_viewer }}\n"
        ),
    )
    .unwrap();
    let run = |args: &[&str], code: i32| {
        let assert = idpctl()
            .env("IDPCTL_CONFIG", &config)
            .env("FLEET_OPS_PW", sim.vcf_ops().password())
            .args(args)
            .arg("-f")
            .arg(&doc)
            .assert()
            .code(code);
        stdout(&assert)
    };
    let planned = run(&["plan", "--detailed-exitcode"], 2);
    assert!(planned.contains("fleet: 1 change(s)"), "{planned}");
    run(&["apply", "--yes"], 0);
    let group = sim.vcf_ops().group_id(&realm, "vcf-viewers").unwrap();
    assert_eq!(sim.vcf_ops().role_names(&realm, &group), ["vcf_viewer"]);
    run(&["plan", "--detailed-exitcode"], 0);
    // The context alone counts: OPS_URL in the environment changes nothing.
    let again = idpctl()
        .env("IDPCTL_CONFIG", &config)
        .env("FLEET_OPS_PW", sim.vcf_ops().password())
        .env("OPS_URL", "http://127.0.0.1:9")
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(&doc)
        .assert()
        .code(0);
    assert!(stdout(&again).contains("no changes"), "{}", stdout(&again));
}
