//! `operations:` targets (VCF 9.1 fleet identity): reading, checking and
//! placing errors at file, line and column.

use std::path::PathBuf;

use idp_config::connection::OpsCredentials;
use idp_config::{Document, Error, LoadOptions, SecretRef};

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/operations.yaml")
}

fn read(text: &str) -> Result<Document, Error> {
    Document::from_text(text, "fleet.yaml", false, LoadOptions::default())
}

/// The error's location as `line`, `field`, and its message.
fn located(text: &str) -> (Option<usize>, String, String) {
    let err = read(text).unwrap_err();
    let Error::Document { location, message } = &err else {
        panic!("{err}")
    };
    (
        location.line,
        location.field.clone().unwrap_or_default(),
        message.clone(),
    )
}

const HEAD: &str = "operations:\n  - name: ops\n    url: https://ops.example.com\n    username: admin\n    password: env:OPS_PW\n";

#[test]
fn the_example_document_parses() {
    let doc = Document::from_file(&example(), LoadOptions::default()).unwrap();
    assert_eq!(doc.operations.len(), 1);
    let ops = &doc.operations[0];
    assert_eq!(ops.display_name(), "fleet-ops");
    assert_eq!(
        ops.connection.direct().unwrap().credentials,
        Some(OpsCredentials::Password {
            username: Some("admin".into()),
            password: Some(SecretRef::Env("FLEET_OPS_PASSWORD".into())),
            auth_source: None,
        })
    );
    let realm = &ops.realms[0];
    let provider = realm.identity_provider.as_ref().unwrap();
    assert_eq!(provider.protocol(), "OIDC");
    assert_eq!(provider.provisioning_or_default(), "SCIM");
    let roles = realm.role_assignments.as_ref().unwrap();
    assert_eq!(roles[0].scope_or_default(), "SSO_REALM");
    assert_eq!(roles[1].scope_or_default(), "VCF_INSTANCE");
    // Written back, it reads the same.
    let yaml = serde_norway::to_string(&doc).unwrap();
    assert_eq!(read(&yaml).unwrap(), doc);
}

#[test]
fn a_context_target_or_a_token_reads_and_mixed_fields_are_refused() {
    let doc = read("operations:\n  - context: lab\n").unwrap();
    assert_eq!(doc.operations[0].display_name(), "lab");
    let doc = read("operations:\n  - url: https://ops.example.com\n    token: env:T\n").unwrap();
    assert_eq!(
        doc.operations[0].connection.direct().unwrap().credentials,
        Some(OpsCredentials::Token(SecretRef::Env("T".into())))
    );
    let (line, field, message) = located("operations:\n  - context: lab\n    authSource: LDAP\n");
    assert_eq!(field, "operations[0].authSource");
    assert_eq!(line, Some(3));
    assert!(message.contains("not allowed with `context`"), "{message}");
    let (_, field, _) = located(
        "operations:\n  - url: https://ops.example.com\n    username: a\n    token: env:T\n",
    );
    assert_eq!(field, "operations[0].token");
    let (line, field, message) =
        located("operations:\n  - url: https://ops.example.com\n    username: a\n");
    assert_eq!(field, "operations[0].password");
    assert!(message.contains("required"), "{message}");
    assert!(line.is_some());
}

#[test]
fn realm_errors_name_file_line_and_field() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "    taskTimeout: soon\n",
            "operations[0].taskTimeout",
            "not a duration",
        ),
        (
            "    realms:\n      - realm: EMEA\n      - realm: emea\n",
            "operations[0].realms[1].realm",
            "named twice",
        ),
        (
            "    realms:\n      - realm: EMEA\n        identityProvider:\n          name: okta\n          type: OKTA\n          oidc:\n            discoveryEndpoint: http://idp.example.com\n            clientId: c\n            clientSecret: env:S\n          directories: [{name: d, domains: [example.com]}]\n",
            "operations[0].realms[0].identityProvider.oidc.discoveryEndpoint",
            "https://",
        ),
        (
            "    realms:\n      - realm: EMEA\n        identityProvider:\n          name: okta\n          type: OKTA\n          directories: [{name: d, domains: [example.com]}]\n",
            "operations[0].realms[0].identityProvider.oidc",
            "`oidc` or `saml` is required",
        ),
        (
            "    realms:\n      - realm: EMEA\n        identityProvider:\n          name: okta\n          type: OKTA\n          provisioning: LDAP\n          oidc: {discoveryEndpoint: 'https://i.example.com', clientId: c, clientSecret: 'env:S'}\n          directories: [{name: d, domains: [example.com]}]\n",
            "operations[0].realms[0].identityProvider.provisioning",
            "use SCIM or JIT",
        ),
        (
            "    realms:\n      - realm: EMEA\n        identityProvider:\n          name: okta\n          type: OKTA\n          oidc: {discoveryEndpoint: 'https://i.example.com', clientId: c, clientSecret: 'env:S'}\n          directories: [{name: d, domains: [example.com], defaultDomain: other.com}]\n",
            "operations[0].realms[0].identityProvider.directories[0].defaultDomain",
            "not one of `domains`",
        ),
        (
            "    realms:\n      - realm: EMEA\n        roleAssignments:\n          - {group: g, role: vcf_operator, scope: VCF_INSTANCE}\n",
            "operations[0].realms[0].roleAssignments[0].resources",
            "at least one VCF instance",
        ),
        (
            "    realms:\n      - realm: EMEA\n        roleAssignments:\n          - {group: g, role: r}\n          - {group: G, role: r, scope: sso_realm}\n",
            "operations[0].realms[0].roleAssignments[1].role",
            "twice",
        ),
        (
            "    realms:\n      - realm: EMEA\n        roleAssignments:\n          - {group: g, role: r, scope: WORLD}\n",
            "operations[0].realms[0].roleAssignments[0].scope",
            "use SSO_REALM or VCF_INSTANCE",
        ),
    ];
    for (tail, expected_field, expected_message) in cases {
        let text = format!("{HEAD}{tail}");
        let (line, field, message) = located(&text);
        assert_eq!(field, *expected_field, "{text}");
        assert!(message.contains(expected_message), "{field}: {message}");
        let line = line.unwrap();
        assert!(line > 5, "{field} at line {line}");
    }
    // The whole text: FILE:LINE:COL.
    let err = read(&format!("{HEAD}    taskTimeout: soon\n")).unwrap_err();
    assert!(err.to_string().starts_with("fleet.yaml:6:"), "{err}");
}

#[test]
fn names_are_unique_across_targets_brokers_and_operations() {
    let text = "targets:\n  - name: site\n    url: https://a.example.com\n    token: env:T\noperations:\n  - name: SITE\n    url: https://ops.example.com\n    token: env:T\n";
    let (line, field, message) = located(text);
    assert_eq!(field, "operations[0].name");
    assert_eq!(line, Some(6));
    assert!(message.contains("is used by"), "{message}");
}

#[test]
fn literal_secrets_are_refused_unless_allowed_and_never_shown() {
    let text = "operations:\n  - url: https://ops.example.com\n    token: literal-ops-token\n";
    let (_, field, message) = located(text);
    assert_eq!(field, "operations[0].token");
    assert!(!message.contains("literal-ops-token"));
    let text = format!(
        "{HEAD}    realms:\n      - realm: EMEA\n        identityProvider:\n          name: okta\n          type: OKTA\n          oidc: {{discoveryEndpoint: 'https://i.example.com', clientId: c, clientSecret: literal-oidc-secret}}\n          directories: [{{name: d, domains: [example.com]}}]\n"
    );
    let err = read(&text).unwrap_err();
    assert!(
        err.to_string()
            .contains("operations[0].realms[0].identityProvider.oidc.clientSecret"),
        "{err}"
    );
    assert!(!err.to_string().contains("literal-oidc-secret"));
    let doc = Document::from_text(
        &text,
        "f.yaml",
        false,
        LoadOptions::default().allow_literal_secrets(true),
    )
    .unwrap();
    assert!(!format!("{doc:?}").contains("literal-oidc-secret"));
}

#[test]
fn the_schema_describes_operations_targets() {
    let schema = serde_json::to_string(&idp_config::document_schema()).unwrap();
    for name in [
        "OperationsTarget",
        "RealmState",
        "taskTimeout",
        "roleAssignments",
    ] {
        assert!(schema.contains(name), "{name}");
    }
}
