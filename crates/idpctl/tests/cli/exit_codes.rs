//! Every exit code, and what a failure prints on stderr.

use std::time::Duration;

use idp_sim::{FaultRule, UnleashEdition};
use serde_json::json;

use crate::common::{
    TestSim, UNLEASH_READ_ONLY_KEY, assert_error_line, closed_port, config, fixture, idpctl,
    okta_spec, stderr, stdout, write_json,
};

/// Splits a command line on whitespace (the temporary paths have none).
fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn usage_and_configuration_errors_exit_2_and_send_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sim = TestSim::start();
    let url = sim.simulator().vcf().url();
    let unleash_url = sim.simulator().unleash().url();
    let embedded = sim.simulator().vcf().embedded_provider_id();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };

    let invalid = file("invalid.json", "{\"type\": \"FEDERATED_IDP_BROKER\",");
    let array = file("array.json", &json!([okta_spec("s")]).to_string());
    let string = file("string.json", "\"FEDERATED_IDP_BROKER\"");
    let empty = file("empty.json", "");
    let missing = dir.path().join("missing.json");
    let missing = missing.to_str().unwrap();
    let folder = dir.path().to_str().unwrap();
    // Valid JSON, a valid spec, but over 1 MiB.
    let mut big_spec = okta_spec("s");
    big_spec["fedIdpSpec"]["directory"]["name"] = json!("x".repeat(1024 * 1024));
    let big = file("big.json", &big_spec.to_string());
    // A source spec without ldap.domainName.
    let no_domain = file(
        "no-domain.json",
        &json!({"name": "x", "ldap": {"type": "ActiveDirectory"}}).to_string(),
    );

    // Without a server, or refused before any connection: (what, command
    // line, environment).
    let cases = [
        ("unknown command", "frobnicate".to_owned(), vec![]),
        ("unknown flag", "vcf idp list --bogus".into(), vec![]),
        ("bad output format", "-o yaml vcf idp list".into(), vec![]),
        ("timeout 0", "--timeout 0 vcf idp list".into(), vec![]),
        ("missing id", "vcf idp get".into(), vec![]),
        ("missing --file", "vcf idp add".into(), vec![]),
        (
            "no VCF URL",
            "vcf idp list".into(),
            vec![("VCF_TOKEN", "t")],
        ),
        (
            "empty VCF URL",
            "vcf idp list".into(),
            vec![("VCF_URL", ""), ("VCF_TOKEN", "t")],
        ),
        (
            "no VCF credentials",
            "vcf idp list".into(),
            vec![("VCF_URL", &*url)],
        ),
        (
            "username without password",
            "vcf idp list".into(),
            vec![("VCF_URL", &*url), ("VCF_USERNAME", "admin")],
        ),
        (
            "no Unleash URL",
            "unleash scim-settings get".into(),
            vec![("UNLEASH_API_TOKEN", "k")],
        ),
        (
            "no Unleash token",
            "unleash scim-settings get".into(),
            vec![("UNLEASH_URL", &*unleash_url)],
        ),
        (
            "http:// to a non-loopback VCF host",
            "vcf idp list".into(),
            vec![("VCF_URL", "http://sddc.example.com"), ("VCF_TOKEN", "t")],
        ),
        (
            "http:// to a non-loopback Unleash host",
            "--unleash-url http://unleash.example.com/unleash unleash scim-settings get".into(),
            vec![("UNLEASH_API_TOKEN", "k")],
        ),
        (
            "unreadable CA file",
            format!("--ca-cert {missing} vcf idp list"),
            vec![("VCF_URL", &*url), ("VCF_TOKEN", "t")],
        ),
    ];
    for (name, line, env) in cases {
        let mut cmd = idpctl();
        cmd.args(words(&line)).envs(env);
        let assert = cmd.assert().code(2);
        assert_error_line(&assert, name);
        assert_eq!(stdout(&assert), "", "{name}");
    }

    // Without any argument, clap prints the help (on stderr).
    let assert = idpctl().assert().code(2);
    assert!(stderr(&assert).contains("Usage:"));

    // Bad --file documents, with valid credentials: (what, command line).
    let cases = [
        ("unreadable file", format!("vcf idp add --file {missing}")),
        (
            "a directory as file",
            format!("vcf idp add --file {folder}"),
        ),
        ("invalid JSON", format!("vcf idp add --file {invalid}")),
        ("empty file", format!("vcf idp add --file {empty}")),
        (
            "a JSON array",
            format!("vcf idp update some-id --file {array}"),
        ),
        (
            "a JSON string",
            format!("vcf source add {embedded} --file {string}"),
        ),
        ("a file over 1 MiB", format!("vcf idp add --file {big}")),
        (
            "a source spec without its domain name",
            format!("vcf source add {embedded} --file {no_domain}"),
        ),
        (
            "--secret-stdin with --file -",
            "--secret-stdin vcf idp add --file -".to_owned(),
        ),
    ];
    for (name, line) in cases {
        let assert = sim.vcf().args(words(&line)).assert().code(2);
        assert_error_line(&assert, name);
        assert_eq!(stdout(&assert), "", "{name}");
    }

    // Stdin, too: invalid JSON, not an object, over 1 MiB.
    for (name, input) in [
        ("invalid JSON on stdin", "{".to_owned()),
        ("an array on stdin", "[1, 2]".to_owned()),
        ("over 1 MiB on stdin", big_spec.to_string()),
    ] {
        let assert = sim
            .vcf()
            .args(["vcf", "idp", "add", "--file", "-"])
            .write_stdin(input)
            .assert()
            .code(2);
        assert_error_line(&assert, name);
    }
    sim.assert_nothing_sent("usage errors");
}

#[test]
fn usage_errors_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let array = write_json(dir.path(), "array.json", &json!([1]));
    let sim = TestSim::start();

    let err = stderr(&idpctl().args(["vcf", "idp", "list"]).assert().code(2));
    assert!(
        err.contains("--vcf-url") && err.contains("VCF_URL"),
        "{err}"
    );

    let err = stderr(
        &idpctl()
            .env("VCF_URL", sim.simulator().vcf().url())
            .args(["vcf", "idp", "list"])
            .assert()
            .code(2),
    );
    assert!(err.contains("VCF_TOKEN"), "{err}");

    let err = stderr(
        &sim.vcf()
            .args(["vcf", "idp", "add", "--file"])
            .arg(&array)
            .assert()
            .code(2),
    );
    assert!(err.contains("array"), "{err}");

    let err = stderr(
        &idpctl()
            .env("VCF_TOKEN", "t")
            .args(["--vcf-url", "http://sddc.example.com", "vcf", "idp", "list"])
            .assert()
            .code(2),
    );
    assert!(err.contains("http://"), "{err}");
    sim.assert_nothing_sent("usage errors");
}

#[test]
fn allow_http_accepts_a_non_loopback_host_with_a_warning() {
    let sim = TestSim::start();
    // 0.0.0.0 is not a loopback address, but on this machine a connection
    // to it reaches the simulator listening on 127.0.0.1.
    let url = sim.simulator().vcf().url().replace("127.0.0.1", "0.0.0.0");
    let assert = sim
        .vcf()
        .env("VCF_URL", &url)
        .args(["vcf", "idp", "list"])
        .assert()
        .code(2);
    assert_error_line(&assert, "http:// to 0.0.0.0 without --allow-http");
    sim.assert_nothing_sent("http:// to 0.0.0.0 without --allow-http");

    let assert = sim
        .vcf()
        .env("VCF_URL", &url)
        .args(["--allow-http", "vcf", "idp", "list"])
        .assert()
        .success();
    let err = stderr(&assert);
    assert!(err.starts_with("warning: "), "{err}");
    assert!(err.contains("--allow-http"), "{err}");
    assert!(stdout(&assert).contains("Embedded IDP"));

    // No warning for loopback.
    let assert = sim
        .vcf()
        .args(["--allow-http", "vcf", "idp", "list"])
        .assert()
        .success();
    assert_eq!(stderr(&assert), "");
}

#[test]
fn not_found_exits_3() {
    let sim = TestSim::start();
    let embedded = sim.simulator().vcf().embedded_provider_id();
    let update_source = fixture("updateEmbeddedIdentitySource.activeDirectory.request.json");
    let cases: Vec<Vec<String>> = vec![
        vec![
            "vcf".into(),
            "idp".into(),
            "get".into(),
            "no-such-id".into(),
        ],
        vec![
            "vcf".into(),
            "idp".into(),
            "delete".into(),
            "no-such-id".into(),
            "--yes".into(),
        ],
        vec!["vcf".into(), "sync-token".into(), "no-such-id".into()],
        vec![
            "vcf".into(),
            "source".into(),
            "delete".into(),
            embedded.clone(),
            "nowhere.example.com".into(),
            "--yes".into(),
        ],
        vec![
            "vcf".into(),
            "source".into(),
            "update".into(),
            embedded.clone(),
            "nowhere.example.com".into(),
            "--file".into(),
            update_source.to_str().unwrap().into(),
        ],
    ];
    for args in cases {
        let assert = sim.vcf().args(&args).assert().code(3);
        assert_error_line(&assert, &args.join(" "));
        assert_eq!(stdout(&assert), "");
    }

    // Unleash open source has no SCIM API: 404.
    let oss = TestSim::with(config().unleash_edition(UnleashEdition::OpenSource));
    let assert = oss
        .unleash()
        .args(["unleash", "scim-settings", "get"])
        .assert()
        .code(3);
    assert_error_line(&assert, "open-source Unleash");
}

#[test]
fn unauthorized_and_forbidden_exit_4() {
    let sim = TestSim::start();

    let assert = sim
        .vcf()
        .env("VCF_PASSWORD", "not-the-password")
        .args(["vcf", "idp", "list"])
        .assert()
        .code(4);
    assert_error_line(&assert, "wrong VCF password");

    let assert = sim
        .vcf()
        .env("VCF_USERNAME", "nobody@vsphere.local")
        .args(["vcf", "idp", "list"])
        .assert()
        .code(4);
    assert_error_line(&assert, "unknown VCF user");

    let assert = idpctl()
        .env("VCF_URL", sim.simulator().vcf().url())
        .env("VCF_TOKEN", "not-a-valid-token")
        .args(["vcf", "idp", "list"])
        .assert()
        .code(4);
    assert_error_line(&assert, "invalid VCF_TOKEN");

    let assert = sim
        .unleash()
        .env("UNLEASH_API_TOKEN", "*:*.wrong-key")
        .args(["unleash", "scim-settings", "get"])
        .assert()
        .code(4);
    assert_error_line(&assert, "wrong Unleash key");

    for args in [
        &["unleash", "scim-settings", "get"][..],
        &["unleash", "scim-settings", "set", "--enabled", "true"],
        &["unleash", "scim-token", "rotate", "--yes"],
    ] {
        let assert = sim
            .unleash()
            .env("UNLEASH_API_TOKEN", UNLEASH_READ_ONLY_KEY)
            .args(args)
            .assert()
            .code(4);
        assert_error_line(&assert, "read-only Unleash key");
        assert!(
            sim.requests().iter().any(|r| r.status == Some(403)),
            "the simulator answered 403"
        );
    }
    assert!(!sim.simulator().unleash().scim_enabled());
    assert_eq!(sim.simulator().unleash().scim_token(), None);
}

#[test]
fn a_vendor_error_prints_its_remediation_and_reference() {
    let sim = TestSim::start();
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers").respond_json(
            500,
            json!({
                "errorCode": "IDENTITY_BROKER_UNAVAILABLE",
                "errorType": "ERROR",
                "message": "The identity broker is not reachable",
                "remediationMessage": "Check the vIDB appliance and retry",
                "referenceToken": "QX7T2K",
                "arguments": [],
                "causes": [{"type": "ConnectException", "message": "connection refused"}]
            }),
        ),
    );
    let assert = sim
        .vcf()
        .args(["-o", "json", "vcf", "idp", "list"])
        .assert()
        .code(5);
    assert_eq!(stdout(&assert), "");
    let err = stderr(&assert);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(lines[0].contains("500"), "{err}");
    assert!(
        lines[0].contains("The identity broker is not reachable"),
        "{err}"
    );
    assert_eq!(lines[1], "remediation: Check the vIDB appliance and retry");
    assert_eq!(lines[2], "reference: QX7T2K");
}

#[test]
fn server_errors_exit_5() {
    let sim = TestSim::start();
    let embedded = sim.simulator().vcf().embedded_provider_id();

    // A 400 validation error.
    let assert = sim
        .vcf()
        .args(["vcf", "idp", "add", "--file"])
        .arg(fixture("addExternalIdentityProvider.minimal.request.json"))
        .assert()
        .code(5);
    assert_error_line(&assert, "400 on add");
    assert!(stderr(&assert).contains("400"), "{}", stderr(&assert));

    // A duplicate identity source: 400.
    let assert = sim
        .vcf()
        .args(["vcf", "source", "add", &embedded, "--file"])
        .arg(fixture(
            "addEmbeddedIdentitySource.activeDirectory.request.json",
        ))
        .assert()
        .code(5);
    assert_error_line(&assert, "duplicate source");

    // The vendor-shaped default 500, on Unleash too.
    sim.faults()
        .add(FaultRule::new("*", "/unleash").respond(500));
    let assert = sim
        .unleash()
        .args(["unleash", "scim-settings", "set", "--enabled", "true"])
        .assert()
        .code(5);
    assert_error_line(&assert, "Unleash 500");
    sim.faults().clear();

    // A body cut in the middle: not understood.
    sim.faults()
        .add(FaultRule::new("GET", "/v1/identity-providers").truncate_body());
    let assert = sim.vcf().args(["vcf", "idp", "list"]).assert().code(5);
    assert_error_line(&assert, "truncated body");
}

#[test]
fn an_html_error_page_is_summarized_not_dumped() {
    let sim = TestSim::start();
    let page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title>\
                <style>body { font-family: sans-serif; }</style></head>\
                <body><h1>Bad Gateway</h1><p>The upstream server sent an invalid response.</p>\
                <hr><address>nginx/1.25.3</address></body></html>";
    sim.faults()
        .add(FaultRule::new("*", "/v1/identity-providers").respond_html(502, page));
    let assert = sim.vcf().args(["vcf", "idp", "list"]).assert().code(5);
    let err = stderr(&assert);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("502"), "{err}");
    assert!(err.contains("Bad Gateway"), "{err}");
    for markup in [
        "<html",
        "<title",
        "<body",
        "<h1",
        "<style",
        "font-family",
        "</",
    ] {
        assert!(!err.contains(markup), "{markup} on stderr:\n{err}");
    }
    assert!(err.lines().count() <= 3, "{err}");
}

#[test]
fn network_failures_exit_6() {
    // Nothing listens on the port.
    let port = closed_port();
    let assert = idpctl()
        .env("VCF_URL", format!("http://127.0.0.1:{port}"))
        .env("VCF_TOKEN", "t")
        .args(["vcf", "idp", "list"])
        .assert()
        .code(6);
    assert_error_line(&assert, "closed port");
    let assert = idpctl()
        .env("UNLEASH_URL", format!("http://127.0.0.1:{port}/unleash"))
        .env("UNLEASH_API_TOKEN", "k")
        .args(["unleash", "scim-token", "rotate", "--yes"])
        .assert()
        .code(6);
    assert_error_line(&assert, "closed port, Unleash");

    let sim = TestSim::start();
    let id = sim.add_okta();

    // Slower than --timeout.
    sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers/{id}/sync-client")
            .delay(Duration::from_secs(20)),
    );
    let assert = sim
        .vcf()
        .args(["--timeout", "1", "vcf", "sync-token", &id])
        .assert()
        .code(6);
    assert_error_line(&assert, "timeout");
    assert_eq!(stdout(&assert), "");

    sim.faults().clear();
    sim.faults().add(
        FaultRule::new("POST", "/unleash/api/admin/scim-settings").delay(Duration::from_secs(20)),
    );
    let assert = sim
        .unleash()
        .args([
            "--timeout",
            "1",
            "unleash",
            "scim-settings",
            "set",
            "--enabled",
            "true",
        ])
        .assert()
        .code(6);
    assert_error_line(&assert, "Unleash timeout");

    // The connection is closed without an answer.
    sim.faults().clear();
    sim.faults()
        .add(FaultRule::new("POST", "/v1/identity-providers/{id}/sync-client").drop_connection());
    let assert = sim.vcf().args(["vcf", "sync-token", &id]).assert().code(6);
    assert_error_line(&assert, "dropped connection");
}

#[test]
fn anything_else_exits_1() {
    // The simulator cannot listen on a port already taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let assert = idpctl().args(["sim", "--listen", &addr]).assert().code(1);
    assert_error_line(&assert, "sim on a taken port");
    drop(taken);
}
