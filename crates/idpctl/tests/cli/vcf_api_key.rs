//! A VCF service account's API key: `VCF_API_KEY`, a context's
//! `vcf.api-key`, which login wins when several are given, and the key never
//! printed, even with `-vvv`.

use std::path::Path;

use assert_cmd::Command;

use crate::common::{TestSim, assert_not_leaked, idpctl};

/// `idpctl -vvv` pointed at the simulator's VCF with `VCF_API_KEY`.
fn with_key(sim: &TestSim, key: &str) -> Command {
    let mut cmd = idpctl();
    cmd.env("VCF_URL", sim.simulator().vcf().url())
        .env("VCF_API_KEY", key)
        .arg("-vvv");
    cmd
}

/// How many logins the simulator answered with 200 or 201. The log keeps
/// no bodies: which kind logged in shows in which secret was available.
fn logins(sim: &TestSim) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/tokens")
        .filter(|r| matches!(r.status, Some(200 | 201)))
        .count()
}

#[test]
fn vcf_api_key_logs_in_and_is_never_printed() {
    let sim = TestSim::start();
    let key = sim.simulator().vcf().api_key();
    let assert = with_key(&sim, &key)
        .args(["vcf", "idp", "list"])
        .assert()
        .success();
    // No user name or password anywhere: the key logged in.
    assert_eq!(logins(&sim), 1);
    let output = assert.get_output();
    for stream in [&output.stdout, &output.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(&key));
    }
    // -vvv did log something: the check is not vacuous.
    assert!(!output.stderr.is_empty());
}

#[test]
fn an_unknown_vcf_api_key_is_refused_and_not_echoed() {
    let sim = TestSim::start();
    let key = format!("{}-not-it", sim.simulator().vcf().api_key());
    let assert = with_key(&sim, &key)
        .args(["vcf", "idp", "list"])
        .assert()
        .failure();
    let output = assert.get_output();
    for stream in [&output.stdout, &output.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(&key));
    }
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("401"),
        "{output:?}"
    );
}

#[test]
fn an_environment_user_wins_over_an_environment_key() {
    let sim = TestSim::start();
    // The key is wrong: success means the user and password were used.
    sim.vcf()
        .env("VCF_API_KEY", "not-a-key")
        .args(["vcf", "idp", "list"])
        .assert()
        .success();
    assert_eq!(logins(&sim), 1);
}

fn config_at(path: &Path) -> Command {
    let mut cmd = idpctl();
    cmd.env("IDPCTL_CONFIG", path);
    cmd
}

#[test]
fn a_contexts_api_key_logs_in_and_the_environment_overrides_it() {
    let sim = TestSim::start();
    let key = sim.simulator().vcf().api_key();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let set = config_at(&path)
        .args(["config", "set", "svc", "--vcf-url"])
        .arg(sim.simulator().vcf().url())
        .args(["--vcf-api-key", "env:SVC_VCF_KEY"])
        .assert()
        .success();
    assert_not_leaked(&sim, &set, &[&key]);
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.contains("api-key = \"env:SVC_VCF_KEY\""),
        "{written}"
    );

    let assert = config_at(&path)
        .env("SVC_VCF_KEY", &key)
        .args(["-vvv", "--context", "svc", "vcf", "idp", "list"])
        .assert()
        .success();
    let output = assert.get_output();
    for stream in [&output.stdout, &output.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(&key));
    }
    assert_eq!(logins(&sim), 1);

    // The environment's user and password (another kind) win over the
    // context's key (whose variable is not even set here).
    sim.clear_requests();
    config_at(&path)
        .env("VCF_USERNAME", sim.simulator().vcf().username())
        .env("VCF_PASSWORD", sim.simulator().vcf().password())
        .args(["--context", "svc", "vcf", "idp", "list"])
        .assert()
        .success();
    assert_eq!(logins(&sim), 1);

    // A user and a key for one context are refused.
    config_at(&path)
        .args(["config", "set", "svc", "--vcf-username", "u"])
        .args(["--vcf-api-key", "env:K"])
        .assert()
        .code(2);
    // Unset removes it.
    config_at(&path)
        .args(["config", "set", "svc", "--unset", "vcf.api-key"])
        .assert()
        .success();
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(!written.contains("api-key"), "{written}");
}
