//! Each command offers its own options: its noun's connection and no other
//! API's; typed values (`--deliver`, `--recovery`, `--profile`,
//! `--system`) are refused while the command line is parsed, with the forms
//! they take; the URL rules are the client library's.

use std::collections::BTreeSet;

use crate::common::{TestSim, closed_port, idpctl, json_stdout, stderr, stdout};

/// `idpctl WORDS --help`.
fn help(words: &[&str]) -> String {
    let assert = idpctl().args(words).arg("--help").assert().success();
    stdout(&assert)
}

#[test]
fn unleash_rotation_offers_no_broker_or_vcf_option() {
    let help = help(&["unleash", "scim-token", "rotate"]);
    assert!(
        !help.contains("--vcf-") && !help.contains("--broker-"),
        "{help}"
    );
    for own in [
        "--unleash-url",
        "--deliver",
        "--okta-url",
        "--entra-graph-url",
        "--yes",
    ] {
        assert!(help.contains(own), "{own}: {help}");
    }
    let refused = idpctl()
        .args([
            "unleash",
            "scim-token",
            "rotate",
            "--vcf-url",
            "https://sddc.example.com",
        ])
        .assert()
        .code(2);
    assert!(
        stderr(&refused).contains("--vcf-url"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn vcf_commands_offer_no_broker_option() {
    for words in [
        &["vcf", "idp", "list"][..],
        &["vcf", "idp", "get"],
        &["vcf", "idp", "add"],
        &["vcf", "idp", "update"],
        &["vcf", "idp", "delete"],
        &["vcf", "source", "add"],
        &["vcf", "source", "update"],
        &["vcf", "source", "delete"],
        &["vcf", "sync-token"],
        &["vcf", "sync-token", "status"],
        &["vcf", "sync-token", "rotate"],
    ] {
        let help = help(words);
        assert!(!help.contains("--broker-"), "{words:?}: {help}");
        assert!(!help.contains("--unleash-url"), "{words:?}: {help}");
        assert!(help.contains("--vcf-url"), "{words:?}: {help}");
    }
    idpctl()
        .args([
            "vcf",
            "idp",
            "list",
            "--broker-url",
            "https://vc.example.com",
        ])
        .assert()
        .code(2);
    // The top level lists the global options only.
    let top = help(&[]);
    assert!(
        !top.contains("--vcf-url") && !top.contains("--broker-url"),
        "{top}"
    );
}

/// A usage error of clap's (exit 2, nothing connected: no URL is set)
/// whose message contains each of `parts`.
fn refused_at_parse_time(words: &[&str], parts: &[&str]) {
    let assert = idpctl().args(words).assert().code(2);
    let err = stderr(&assert);
    assert!(err.contains("invalid value"), "{words:?}: {err}");
    for part in parts {
        assert!(err.contains(part), "{words:?} {part}: {err}");
    }
    assert_eq!(stdout(&assert), "", "{words:?}");
}

#[test]
fn typed_values_are_refused_while_parsing_with_the_forms_they_take() {
    for deliver in ["s3:x", "okta:../x", "entra:not-a-guid", "file:"] {
        refused_at_parse_time(
            &["vcf", "sync-token", "rotate", "id-1", "--deliver", deliver],
            &["--deliver"],
        );
    }
    refused_at_parse_time(
        &["unleash", "scim-token", "rotate", "--deliver", "s3:x"],
        &["stdout, file:PATH, okta:APP_ID or entra:SERVICE_PRINCIPAL_ID"],
    );
    refused_at_parse_time(
        &["broker", "sync-client", "rotate", "d-1", "--recovery", ""],
        &["--recovery", "a path for a new file, or stdout"],
    );
    refused_at_parse_time(
        &["sim", "--profile", "vcf-8"],
        &["vcf-5.1", "vcf-5.2", "vcf-9"],
    );
    refused_at_parse_time(
        &["check", "--system", "vcf,nope"],
        &["vcf", "unleash", "broker"],
    );
}

#[test]
fn check_takes_systems_as_a_list_or_repeated_and_the_flags_as_aliases() {
    let sim = TestSim::start();
    let systems = |args: &[&str]| {
        let mut cmd = sim.vcf();
        cmd.env("UNLEASH_URL", sim.simulator().unleash().url())
            .env("UNLEASH_API_TOKEN", sim.simulator().unleash().api_key())
            .env("BROKER_URL", sim.simulator().broker().url())
            .env("BROKER_TENANT", sim.simulator().broker().tenant())
            .env("BROKER_CLIENT_ID", sim.simulator().broker().client_id())
            .env(
                "BROKER_CLIENT_SECRET",
                sim.simulator().broker().client_secret(),
            )
            .args(["-o", "json", "check"])
            .args(args);
        let json = json_stdout(&cmd.assert());
        json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["system"].as_str().unwrap().to_owned())
            .collect::<BTreeSet<_>>()
    };
    let set = |names: &[&str]| {
        names
            .iter()
            .map(|n| (*n).to_owned())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(systems(&["--system", "unleash"]), set(&["unleash"]));
    assert_eq!(
        systems(&["--system", "vcf,broker"]),
        set(&["vcf", "broker"])
    );
    assert_eq!(
        systems(&["--system", "vcf", "--system", "unleash"]),
        set(&["vcf", "unleash"])
    );
    assert_eq!(
        systems(&["--unleash", "--system", "broker"]),
        set(&["unleash", "broker"])
    );
    // Without any: every system whose URL is set.
    assert_eq!(systems(&[]), set(&["vcf", "unleash", "broker"]));
}

#[test]
fn one_yes_everywhere_apply_included() {
    for words in [
        &["apply"][..],
        &["vcf", "idp", "delete"],
        &["unleash", "scim-token", "rotate"],
        &["broker", "sync-client", "rotate"],
        &["broker", "oauth-client", "rotate-secret"],
    ] {
        let help = help(words);
        assert!(
            help.contains("-y, --yes")
                && help.contains("Do not ask for confirmation (required without a terminal)"),
            "{words:?}: {help}"
        );
    }
}

/// Plain http:// is refused for a host that is not loopback by the client
/// library's rule, which knows the IPv4-mapped loopback too.
#[test]
fn an_ipv4_mapped_loopback_host_is_loopback() {
    let port = closed_port();
    let run = |host: &str| {
        idpctl()
            .env("VCF_URL", format!("http://{host}:{port}"))
            .env("VCF_TOKEN", "t")
            .args(["vcf", "idp", "list"])
            .assert()
    };
    let mapped = run("[::ffff:127.0.0.1]");
    let err = stderr(&mapped);
    assert!(!err.contains("refusing plain http"), "{err}");
    assert_ne!(mapped.get_output().status.code(), Some(2), "{err}");
    let remote = run("[::ffff:10.0.0.1]").code(2);
    assert!(
        stderr(&remote).contains("refusing plain http://"),
        "{}",
        stderr(&remote)
    );
}
