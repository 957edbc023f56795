//! How `idpctl vcf` authenticates: a bearer token, a username and password,
//! the password from stdin, the URL from a flag; and stdout on errors.

use crate::common::{TestSim, idpctl, stderr, stdout};

#[test]
fn a_bearer_token_from_vcf_token_skips_the_login() {
    let sim = TestSim::start();
    let token = sim.issue_access_token();
    idpctl()
        .env("VCF_URL", sim.simulator().vcf().url())
        .env("VCF_TOKEN", &token)
        .args(["vcf", "idp", "list"])
        .assert()
        .success();
    let requests = sim.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/v1/identity-providers");
}

#[test]
fn username_and_password_log_in_via_v1_tokens() {
    let sim = TestSim::start();
    sim.vcf().args(["vcf", "idp", "list"]).assert().success();
    let requests = sim.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/v1/tokens");
    assert!(requests.iter().any(|r| r.path == "/v1/identity-providers"));
}

#[test]
fn secret_stdin_reads_the_vcf_password() {
    let sim = TestSim::start();
    idpctl()
        .env("VCF_URL", sim.simulator().vcf().url())
        .env("VCF_USERNAME", sim.simulator().vcf().username())
        .args(["--secret-stdin", "vcf", "idp", "list"])
        .write_stdin(format!("{}\n", sim.simulator().vcf().password()))
        .assert()
        .success();

    // An empty stdin is a usage error, and nothing is sent.
    sim.clear_requests();
    idpctl()
        .env("VCF_URL", sim.simulator().vcf().url())
        .env("VCF_USERNAME", sim.simulator().vcf().username())
        .args(["--secret-stdin", "vcf", "idp", "list"])
        .assert()
        .code(2);
    sim.assert_nothing_sent("--secret-stdin with an empty stdin");
}

#[test]
fn the_vcf_url_flag_works_without_the_environment() {
    let sim = TestSim::start();
    idpctl()
        .env("VCF_USERNAME", sim.simulator().vcf().username())
        .env("VCF_PASSWORD", sim.simulator().vcf().password())
        .args([
            "vcf",
            "idp",
            "list",
            "--vcf-url",
            &sim.simulator().vcf().url(),
        ])
        .assert()
        .success();
    // localhost counts as loopback for plain http://.
    let localhost = sim
        .simulator()
        .vcf()
        .url()
        .replace("127.0.0.1", "localhost");
    idpctl()
        .env("VCF_USERNAME", sim.simulator().vcf().username())
        .env("VCF_PASSWORD", sim.simulator().vcf().password())
        .args(["--vcf-url", &localhost, "vcf", "idp", "list"])
        .assert()
        .success();
}

#[test]
fn errors_leave_stdout_empty_in_json_mode() {
    let sim = TestSim::start();
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "get", "no-such-provider"])
        .assert()
        .code(3);
    assert_eq!(stdout(&assert), "");
    assert!(stderr(&assert).starts_with("error: "));
}
