//! HTTPS: a CA file (flag or environment), `--insecure` and its warning,
//! and what happens without either.

use crate::common::{TestSim, assert_error_line, config, fixture, idpctl, stderr, stdout};

fn tls_sim() -> TestSim {
    TestSim::with(config().tls(true))
}

#[test]
fn the_ca_cert_flag_trusts_the_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let sim = tls_sim();
    assert!(sim.simulator().vcf().url().starts_with("https://"));
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();

    let assert = sim
        .vcf()
        .arg("--ca-cert")
        .arg(&ca)
        .args(["vcf", "idp", "list"])
        .assert()
        .success();
    assert!(stdout(&assert).contains("Embedded IDP"));
    assert_eq!(stderr(&assert), "");

    let assert = sim
        .unleash()
        .arg("--ca-cert")
        .arg(&ca)
        .args(["-o", "json", "unleash", "scim-token", "rotate", "--yes"])
        .assert()
        .success();
    assert_eq!(stderr(&assert), "");
    assert!(sim.simulator().unleash().scim_token().is_some());
}

#[test]
fn the_ca_cert_environment_variables_trust_the_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let sim = tls_sim();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();

    sim.vcf()
        .env("VCF_CA_CERT", &ca)
        .args(["vcf", "idp", "list"])
        .assert()
        .success();
    sim.unleash()
        .env("UNLEASH_CA_CERT", &ca)
        .args(["unleash", "scim-settings", "get"])
        .assert()
        .success();

    // Each server has its own variable.
    let assert = sim
        .unleash()
        .env("VCF_CA_CERT", &ca)
        .args(["unleash", "scim-settings", "get"])
        .assert()
        .code(6);
    assert_error_line(&assert, "UNLEASH_CA_CERT unset");
}

#[test]
fn an_untrusted_certificate_exits_6_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sim = tls_sim();

    let assert = sim.vcf().args(["vcf", "idp", "list"]).assert().code(6);
    assert_error_line(&assert, "VCF without a CA");
    let assert = sim
        .unleash()
        .args(["unleash", "scim-token", "rotate", "--yes"])
        .assert()
        .code(6);
    assert_error_line(&assert, "Unleash without a CA");

    // Another simulator's CA does not help.
    let other = tls_sim();
    let ca = dir.path().join("other-ca.pem");
    std::fs::write(&ca, other.ca_pem().unwrap()).unwrap();
    let assert = sim
        .vcf()
        .arg("--ca-cert")
        .arg(&ca)
        .args(["vcf", "idp", "list"])
        .assert()
        .code(6);
    assert_error_line(&assert, "VCF with the wrong CA");

    // The handshake failed, so no request was ever handled.
    sim.assert_nothing_sent("untrusted certificate");
    assert_eq!(sim.simulator().unleash().scim_token(), None);
}

#[test]
fn a_ca_file_that_is_not_a_certificate_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let sim = tls_sim();
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "this is not a certificate\n").unwrap();
    let assert = sim
        .vcf()
        .arg("--ca-cert")
        .arg(&garbage)
        .args(["vcf", "idp", "list"])
        .assert()
        .code(2);
    assert_error_line(&assert, "garbage CA");
    let assert = sim
        .vcf()
        .arg("--ca-cert")
        .arg(dir.path().join("missing.pem"))
        .args(["vcf", "idp", "list"])
        .assert()
        .code(2);
    assert_error_line(&assert, "missing CA");
    sim.assert_nothing_sent("bad CA files");
}

#[test]
fn insecure_skips_verification_with_a_warning() {
    let sim = tls_sim();

    let assert = sim
        .vcf()
        .args(["--insecure", "vcf", "idp", "list"])
        .assert()
        .success();
    assert!(stdout(&assert).contains("Embedded IDP"));
    let err = stderr(&assert);
    assert!(err.starts_with("warning: "), "{err}");
    assert!(
        err.contains("TLS certificate verification is disabled"),
        "{err}"
    );
    assert!(err.contains("VCF"), "{err}");

    let assert = sim
        .unleash()
        .args(["--insecure", "unleash", "scim-settings", "get"])
        .assert()
        .success();
    let err = stderr(&assert);
    assert!(
        err.starts_with("warning: ") && err.contains("Unleash"),
        "{err}"
    );

    for value in ["1", "true"] {
        let assert = sim
            .vcf()
            .env("VCF_INSECURE", value)
            .args(["vcf", "idp", "list"])
            .assert()
            .success();
        assert!(
            stderr(&assert).starts_with("warning: "),
            "VCF_INSECURE={value}"
        );
        let assert = sim
            .unleash()
            .env("UNLEASH_INSECURE", value)
            .args(["unleash", "scim-settings", "get"])
            .assert()
            .success();
        assert!(
            stderr(&assert).starts_with("warning: "),
            "UNLEASH_INSECURE={value}"
        );
    }

    // VCF_INSECURE=0 is not insecure.
    let assert = sim
        .vcf()
        .env("VCF_INSECURE", "0")
        .args(["vcf", "idp", "list"])
        .assert()
        .code(6);
    assert!(!stderr(&assert).contains("warning:"));
}

#[test]
fn a_vcf_token_over_https_with_the_ca() {
    let dir = tempfile::tempdir().unwrap();
    let sim = tls_sim();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();
    sim.vcf()
        .env("VCF_CA_CERT", &ca)
        .args(["vcf", "idp", "add", "--file"])
        .arg(fixture("addExternalIdentityProvider.okta.request.json"))
        .assert()
        .success();
    let id = sim.simulator().vcf().external_provider_id().unwrap();
    let assert = idpctl()
        .env("VCF_URL", sim.simulator().vcf().url())
        .env("VCF_TOKEN", sim.issue_access_token())
        .env("VCF_CA_CERT", &ca)
        .args(["-o", "json", "vcf", "sync-token", &id])
        .assert()
        .success();
    assert!(stdout(&assert).contains("\"token\""));
}

#[test]
fn a_host_name_the_certificate_does_not_cover_exits_6_even_with_the_ca() {
    // The simulator's certificate covers localhost, 127.0.0.1 and ::1;
    // 127.0.0.2 is loopback too, but not a name on the certificate.
    let sim = TestSim::with(config().tls(true).listen("127.0.0.2:0".parse().unwrap()));
    let url = format!("https://127.0.0.2:{}", sim.local_addr().port());
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();

    let assert = sim
        .vcf()
        .env("VCF_URL", &url)
        .arg("--ca-cert")
        .arg(&ca)
        .args(["vcf", "idp", "list"])
        .assert()
        .code(6);
    assert!(!stderr(&assert).contains("warning:"), "{}", stderr(&assert));
    sim.assert_nothing_sent("a certificate for another name");

    // --insecure connects anyway, and says verification is off.
    let assert = sim
        .vcf()
        .env("VCF_URL", &url)
        .args(["--insecure", "vcf", "idp", "list"])
        .assert()
        .success();
    assert!(stdout(&assert).contains("Embedded IDP"));
    assert!(
        stderr(&assert).starts_with("warning: "),
        "{}",
        stderr(&assert)
    );
}
