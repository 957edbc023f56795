//! Reading documents: YAML and JSON, errors with file, line and field,
//! literal secrets, the schema.

use std::path::PathBuf;

use idp_config::connection::VcfCredentials;
use idp_config::{Document, Error, External, ExternalType, LoadOptions, SecretRef};

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/fleet.yaml")
}

#[test]
fn the_example_document_parses() {
    let doc = Document::from_file(&example(), LoadOptions::default()).unwrap();
    assert_eq!(doc.targets.len(), 3);
    assert_eq!(doc.targets[2].display_name(), "dr-site");
    let sfo = doc.targets[0].connection.direct().unwrap();
    assert_eq!(
        sfo.credentials,
        Some(VcfCredentials::Password {
            username: Some("administrator@vsphere.local".into()),
            password: Some(SecretRef::Env("SFO_VCF_PASSWORD".into()))
        })
    );
    let identity = doc.identity.as_ref().unwrap();
    let Some(External::Provider(p)) = &identity.external else {
        panic!("no provider")
    };
    assert_eq!(p.kind, ExternalType::Okta);
    assert_eq!(p.sync_client_token_ttl.as_deref(), Some("30d"));
    assert_eq!(identity.embedded_sources.as_ref().unwrap().len(), 1);
}

#[test]
fn json_is_accepted_and_external_none_reads() {
    let text = r#"{"targets":[{"name":"a","url":"https://a.example.com","token":"env:T"}],
                  "identity":{"external":"none"}}"#;
    let doc = Document::from_text(text, "a.json", true, LoadOptions::default()).unwrap();
    assert_eq!(doc.identity.unwrap().external, Some(External::None));
}

#[test]
fn errors_name_file_line_and_field() {
    let text = "targets:\n  - name: a\n    url: https://a.example.com\n    token: env:T\nidentity:\n  external:\n    type: keycloak\n";
    let err = Document::from_text(text, "fleet.yaml", false, LoadOptions::default()).unwrap_err();
    let Error::Document { location, message } = &err else {
        panic!("{err}")
    };
    assert_eq!(location.file, "fleet.yaml");
    assert_eq!(location.line, Some(7));
    assert_eq!(location.field.as_deref(), Some("identity.external.type"));
    assert!(message.contains("keycloak"), "{message}");
    assert!(err.to_string().starts_with("fleet.yaml:7:"), "{err}");

    let text = "{\"targets\": [{\"name\": \"a\", \"url\": 5}]}";
    let err = Document::from_text(text, "f.json", true, LoadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("f.json:1:"), "{err}");
    assert!(err.to_string().contains("targets[0].url"), "{err}");

    let text = "targets:\n  - name: a\n    url: https://a.example.com\n    username: u\n";
    let err = Document::from_text(text, "f.yaml", false, LoadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("targets[0].password"), "{err}");
}

#[test]
fn literal_secrets_are_refused_unless_allowed_and_never_shown() {
    let text = "targets:\n  - name: a\n    url: https://a.example.com\n    username: u\n    password: hunter2-literal\n";
    let err = Document::from_text(text, "f.yaml", false, LoadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("targets[0].password"), "{err}");
    assert!(!err.to_string().contains("hunter2"), "{err}");
    let doc = Document::from_text(
        text,
        "f.yaml",
        false,
        LoadOptions::default().allow_literal_secrets(true),
    )
    .unwrap();
    assert!(!format!("{doc:?}").contains("hunter2"));
    assert!(!serde_json::to_string(&doc).unwrap().contains("hunter2"));
}

#[test]
fn builtin_sources_and_duplicate_names_are_refused() {
    let text = "targets:\n  - {name: a, url: 'https://a', token: 'env:T'}\n  - {name: A, url: 'https://b', token: 'env:T'}\n";
    let err = Document::from_text(text, "f.yaml", false, LoadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("targets[1].name"), "{err}");
    let text = "targets:\n  - {name: a, url: 'https://a', token: 'env:T'}\nidentity:\n  embeddedSources:\n    - {name: v, type: open-ldap, domainName: vsphere.local, username: u, password: 'env:P', usersBaseDn: x, groupsBaseDn: y, serverEndpoints: ['ldap://h']}\n";
    let err = Document::from_text(text, "f.yaml", false, LoadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("built-in"), "{err}");
}

/// Whether `location` names `field` (or, for a parse error, a field in it).
fn names(location: &idp_config::Location, field: &str) -> bool {
    location
        .field
        .as_deref()
        .unwrap_or_default()
        .starts_with(field)
}

/// Every rule checked after parsing names the file, the line and the
/// field, in YAML and in JSON: `FILE:LINE:COLUMN: FIELD: message`.
#[test]
fn every_rule_error_names_file_line_and_field() {
    const OK_TARGET: &str = "  - name: a\n    url: https://a.example.com\n    token: env:T\n";
    let identity = |external: &str| format!("identity:\n  external:\n{external}");
    let broker = "    type: okta\n    name: okta\n    directory: { name: d, defaultDomain: example.com }\n    oidc: { clientId: c, clientSecret: env:S, discoveryEndpoint: 'https://sso.example.com/x' }\n";
    let source = |domain: &str| {
        format!(
            "    - {{ name: s, type: open-ldap, domainName: '{domain}', username: u, password: env:P,\n        usersBaseDn: x, groupsBaseDn: y, serverEndpoints: ['ldap://h'] }}\n"
        )
    };
    // (document, line, field, part of the message)
    let cases: Vec<(String, usize, &str, &str)> = vec![
        ("targets: []\n".into(), 1, "targets", "at least one target"),
        (
            format!(
                "targets:\n{OK_TARGET}  - name: b\n    url: https://b.example.com\n    username: u\n    password: literal-value\n"
            ),
            8,
            "targets[1].password",
            "literal secret",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}  - name: A\n    url: https://b.example.com\n    token: env:T\n"
            ),
            5,
            "targets[1].name",
            "used by another target",
        ),
        (
            format!("targets:\n{OK_TARGET}  - name: b\n    url: not a url\n    token: env:T\n"),
            6,
            "targets[1].url",
            "not a URL",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}  - name: b\n    url: ftp://b.example.com\n    token: env:T\n"
            ),
            6,
            "targets[1].url",
            "scheme",
        ),
        (
            format!("targets:\n{OK_TARGET}  - name: b\n    token: env:T\n"),
            5,
            "targets[1].url",
            "`url` or `context` is required",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}  - name: b\n    url: https://b.example.com\n    context: dr\n    token: env:T\n"
            ),
            7,
            "targets[1].context",
            "either `url` or `context`",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}  - name: b\n    url: https://b.example.com\n    username: u\n"
            ),
            5,
            "targets[1].password",
            "is required with `username`",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}  - name: b\n    url: https://b.example.com\n    token: env:T\n    username: u\n    password: env:P\n"
            ),
            7,
            "targets[1].token",
            "`username` and `password`, `token`, or `apiKey`",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}  - name: b\n    url: https://b.example.com\n    apiKey: env:K\n    username: u\n"
            ),
            7,
            "targets[1].apiKey",
            "`username` and `password`, `token`, or `apiKey`",
        ),
        (
            format!("targets:\n{OK_TARGET}  - context: dr\n    apiKey: env:K\n"),
            6,
            "targets[1].apiKey",
            "not allowed with `context`",
        ),
        (
            format!("targets:\n{OK_TARGET}  - context: dr\n    caCert: file:/ca.pem\n"),
            6,
            "targets[1].caCert",
            "not allowed with `context`",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}{}    syncClientTokenTtl: 12x\n",
                identity(broker)
            ),
            11,
            "identity.external.syncClientTokenTtl",
            "unknown unit",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}{}",
                identity(
                    "    type: okta\n    name: okta\n    oidc: { clientId: c, clientSecret: env:S, discoveryEndpoint: 'https://x.example.com' }\n"
                )
            ),
            7,
            "identity.external.directory",
            "required for a federated broker",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}{}",
                identity(
                    "    type: adfs\n    name: adfs\n    oidc: { clientId: c, clientSecret: env:S, discoveryEndpoint: 'https://x.example.com' }\n"
                )
            ),
            7,
            "identity.external.ldap",
            "required for adfs",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}identity:\n  embeddedSources:\n{}{}",
                source("corp.example.com"),
                source("CORP.example.com")
            ),
            9,
            "identity.embeddedSources[1].domainName",
            "named twice",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}identity:\n  embeddedSources:\n{}",
                source("vsphere.local")
            ),
            7,
            "identity.embeddedSources[0].domainName",
            "built-in",
        ),
        (
            format!(
                "targets:\n{OK_TARGET}    identity:\n      embeddedSources:\n{}",
                source("localos").replace("\n    ", "\n        ").replacen(
                    "    - ",
                    "        - ",
                    1
                )
            ),
            7,
            "targets[0].identity.embeddedSources[0].domainName",
            "built-in",
        ),
        // Parse errors (unknown type, unknown field, wrong type) too.
        (
            format!(
                "targets:\n{OK_TARGET}{}",
                identity(&broker.replace("okta\n    name", "keycloak\n    name"))
            ),
            7,
            "identity.external.type",
            "keycloak",
        ),
        (
            format!("targets:\n{OK_TARGET}    bogus: 1\n"),
            5,
            "targets[0]",
            "bogus",
        ),
    ];
    for (text, line, field, message) in cases {
        assert_located(&text, "fleet", line, field, message);
    }
}

/// Reading `text` as `STEM.yaml` fails at `line` naming `field` with
/// `message` (never a literal secret's value); as `STEM.json`, at the same
/// field and, when the YAML line holds the field's key, on the JSON line
/// that holds it.
pub(crate) fn assert_located(text: &str, stem: &str, line: usize, field: &str, message: &str) {
    let yaml_file = format!("{stem}.yaml");
    let err = Document::from_text(text, &yaml_file, false, LoadOptions::default()).expect_err(text);
    let Error::Document {
        location,
        message: got,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(location.file, yaml_file, "{err}");
    assert_eq!(location.line, Some(line), "{err}\n{text}");
    assert!(location.column.is_some(), "{err}");
    assert!(names(location, field), "{err}");
    assert!(got.contains(message), "{err}");
    assert!(
        err.to_string().starts_with(&format!("{yaml_file}:{line}:")),
        "{err}"
    );
    assert!(!err.to_string().contains("literal-value"), "{err}");
    let yaml_line = line;

    // The same document as JSON: the same field, a line, the JSON file.
    let value: serde_json::Value = serde_norway::from_str(text).unwrap();
    let json = serde_json::to_string_pretty(&value).unwrap();
    let json_file = format!("{stem}.json");
    let err =
        Document::from_text(&json, &json_file, true, LoadOptions::default()).expect_err(&json);
    let Error::Document { location, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(location.file, json_file, "{err}");
    let line = location.line.unwrap_or_else(|| panic!("no line: {err}"));
    assert!(names(location, field), "{err}");
    // When the YAML line holds the field's key, so does the JSON line
    // (a missing field is placed inside its parent).
    let last = field.rsplit('.').next().unwrap_or(field);
    let key = last.split('[').next().unwrap_or(last);
    if text
        .lines()
        .nth(yaml_line - 1)
        .unwrap_or_default()
        .contains(&format!("{key}:"))
    {
        let shown = json.lines().nth(line - 1).unwrap_or_default();
        assert!(
            shown.contains(&format!("\"{key}\"")),
            "{err}: line {line} is {shown:?}\n{json}"
        );
    }
}

#[test]
fn the_schema_names_the_contract_fields() {
    let schema = serde_json::to_string(&idp_config::document_schema()).unwrap();
    for field in [
        "targets",
        "caCert",
        "context",
        "embeddedSources",
        "pruneEmbeddedSources",
        "defaultDomain",
        "discoveryEndpoint",
        "syncClientTokenTtl",
        "entra-id",
        "serverEndpoints",
        "apiKey",
    ] {
        assert!(schema.contains(field), "{field} missing");
    }
}

#[test]
fn documents_built_in_code_are_validated_alike() {
    let target = idp_config::Target::with_credentials(
        "a",
        "https://a.example.com",
        "u",
        SecretRef::Literal(idp_client::Secret::new("literal-in-code")),
    );
    let doc = Document::new(vec![target.clone(), target], None);
    let err = doc.validate(LoadOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "<document>: targets[1].name: `a` is used by another target"
    );
    let doc = Document::new(vec![doc.targets[0].clone()], None);
    let err = doc.validate(LoadOptions::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("targets[0].password: a literal secret is refused"),
        "{err}"
    );
    assert!(
        doc.validate(LoadOptions::default().allow_literal_secrets(true))
            .is_ok()
    );
}
