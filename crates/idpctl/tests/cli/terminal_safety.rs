//! Nothing a server sends can drive the terminal: hostile values (escape
//! sequences, C0 and C1 controls, DEL, bidirectional overrides) in every
//! field any command prints reach the terminal neutralized, in tables, in
//! key/value lines and in error, remediation and reference lines; JSON
//! output keeps them byte-exact (escaped by serde).

use idp_sim::FaultRule;
use serde_json::{Value, json};

use crate::common::{TestSim, json_stdout};

/// Clears the screen, sets the window title, colours by C1 CSI, and flips
/// the reading direction, with every kind of control in between.
const HOSTILE: &str = "A\u{1b}[2J\u{1b}]0;pwned\u{7}B\u{9b}31mC\u{7f}D\u{85}E\u{202e}F\u{2066}G\u{200f}H\u{61c}I\rJ\u{8}K\u{1b}P+q\u{1b}\\L";

/// Panics when `bytes` (a command's stdout or stderr) hold anything that
/// can drive a terminal: a control character other than the line feed,
/// DEL, a C1 control or a bidirectional formatting character.
fn assert_terminal_safe(bytes: &[u8], context: &str) {
    let text = String::from_utf8(bytes.to_vec()).expect("output is UTF-8");
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}');
        assert!(
            !bad,
            "{context}: U+{:04X} reaches the terminal in {text:?}",
            u32::from(c)
        );
    }
    // The visible parts of the value are still there.
    assert!(
        text.contains('A') && text.contains('L'),
        "{context}: {text:?}"
    );
}

fn hostile_provider(id: &str) -> Value {
    json!({
        "id": id,
        "name": HOSTILE,
        "type": HOSTILE,
        "status": HOSTILE,
        "domainNames": [HOSTILE],
        "idpMessage": HOSTILE,
        "identitySources": [{"name": HOSTILE, "type": HOSTILE, "domainNames": [HOSTILE]}],
        "fedIdp": {
            "name": HOSTILE,
            "source": HOSTILE,
            "directoryList": {"name": HOSTILE, "defaultDomain": HOSTILE, "domains": [HOSTILE], "federatedIdpSourceType": HOSTILE},
            "oidcInfo": {"clientId": HOSTILE, "discoveryEndpoint": HOSTILE, "issuer": HOSTILE},
            "syncClientTokenInfo": {"scimUrl": HOSTILE, "expireAt": HOSTILE}
        },
        "ldap": {"type": HOSTILE, "domainName": HOSTILE, "username": HOSTILE,
                 "sourceDetails": {"serverEndpoints": [HOSTILE], "usersBaseDn": HOSTILE}},
        "oidc": {"clientId": HOSTILE, "discoveryEndpoint": HOSTILE}
    })
}

fn hostile_error() -> Value {
    json!({
        "errorCode": HOSTILE,
        "message": HOSTILE,
        "remediationMessage": HOSTILE,
        "referenceToken": HOSTILE,
        "causes": [{"type": HOSTILE, "message": HOSTILE}],
        "nestedErrors": [{"message": HOSTILE}]
    })
}

#[test]
fn provider_tables_and_details_are_terminal_safe() {
    let sim = TestSim::start();
    let id = format!("id-{HOSTILE}");
    // The template first: a plain route also matches the paths below it.
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers/{id}")
            .respond_json(200, hostile_provider(&id)),
    );
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers").respond_json(
            200,
            json!({"elements": [hostile_provider(&id), hostile_provider("plain-id")]}),
        ),
    );
    let list = sim.vcf().args(["vcf", "idp", "list"]).assert().success();
    assert_terminal_safe(&list.get_output().stdout, "idp list");
    // Columns line up by what is visible: the NAME column starts at the
    // same column on every line.
    let text = String::from_utf8(list.get_output().stdout.clone()).unwrap();
    let name_column: Vec<usize> = text
        .lines()
        .map(|line| {
            let gap = line.find("  ").unwrap();
            let start = gap + line[gap..].find(|c: char| c != ' ').unwrap();
            line[..start].chars().count()
        })
        .collect();
    assert!(name_column.windows(2).all(|w| w[0] == w[1]), "{text}");

    let get = sim
        .vcf()
        .args(["vcf", "idp", "get", "x"])
        .assert()
        .success();
    assert_terminal_safe(&get.get_output().stdout, "idp get");

    // JSON keeps the values exactly.
    let json = json_stdout(
        &sim.vcf()
            .args(["-o", "json", "vcf", "idp", "list"])
            .assert()
            .success(),
    );
    assert_eq!(json[0]["name"], HOSTILE);
    assert_eq!(json[0]["id"], id.as_str());
}

#[test]
fn lines_of_add_and_sync_token_are_terminal_safe() {
    let sim = TestSim::start();
    sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers/{id}/sync-client").respond_json(
            200,
            json!({"token": HOSTILE, "scimUrl": HOSTILE, "expireAt": HOSTILE}),
        ),
    );
    // Ids with control characters are refused as ids; a bidirectional
    // override is not a control character and comes through.
    sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers").respond_text(201, "A-new-\u{202e}exe.L"),
    );
    let dir = tempfile::tempdir().unwrap();
    let spec =
        crate::common::write_json(dir.path(), "okta.json", &crate::common::okta_spec("s3cret"));
    let add = sim
        .vcf()
        .args(["vcf", "idp", "add", "--file"])
        .arg(&spec)
        .assert()
        .success();
    assert_terminal_safe(&add.get_output().stdout, "idp add");
    let token = sim
        .vcf()
        .args(["vcf", "sync-token", "p1"])
        .assert()
        .success();
    assert_terminal_safe(&token.get_output().stdout, "sync-token");
}

#[test]
fn error_remediation_and_reference_lines_are_terminal_safe() {
    let sim = TestSim::start();
    sim.faults()
        .add(FaultRule::new("GET", "/v1/identity-providers").respond_json(400, hostile_error()));
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers/{id}").respond_html(
            502,
            format!("<html><body><pre>{HOSTILE}</pre></body></html>"),
        ),
    );
    let list = sim.vcf().args(["vcf", "idp", "list"]).assert().code(5);
    let stderr = &list.get_output().stderr;
    assert_terminal_safe(stderr, "error lines");
    let text = String::from_utf8_lossy(stderr);
    assert!(
        text.contains("remediation: ") && text.contains("reference: "),
        "{text}"
    );

    let get = sim.vcf().args(["vcf", "idp", "get", "x"]).assert().code(5);
    assert_terminal_safe(&get.get_output().stderr, "HTML page summary");
}

#[test]
fn unleash_token_and_errors_are_terminal_safe() {
    let sim = TestSim::start();
    sim.faults().add(
        FaultRule::new(
            "POST",
            "/unleash/api/admin/scim-settings/generate-new-token",
        )
        .respond_json(200, json!({"token": HOSTILE})),
    );
    sim.faults().add(
        FaultRule::new("GET", "/unleash/api/admin/scim-settings").respond_json(
            403,
            json!({"id": HOSTILE, "name": HOSTILE, "message": HOSTILE}),
        ),
    );
    let rotate = sim
        .unleash()
        .args(["unleash", "scim-token", "rotate", "--yes"])
        .assert()
        .success();
    assert_terminal_safe(&rotate.get_output().stdout, "scim-token rotate");
    let get = sim
        .unleash()
        .args(["unleash", "scim-settings", "get"])
        .assert()
        .code(4);
    assert_terminal_safe(&get.get_output().stderr, "unleash error");
}
