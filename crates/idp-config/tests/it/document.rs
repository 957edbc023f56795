//! Reading documents: YAML and JSON, errors with file, line and field,
//! literal secrets, the schema.

use std::path::PathBuf;

use idp_config::{Document, Error, External, ExternalType, LoadOptions, SecretRef};

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/fleet.yaml")
}

#[test]
fn the_example_document_parses() {
    let doc = Document::from_file(&example(), LoadOptions::default()).unwrap();
    assert_eq!(doc.targets.len(), 3);
    assert_eq!(doc.targets[2].display_name(), "dr-site");
    assert_eq!(
        doc.targets[0].password,
        Some(SecretRef::Env("SFO_VCF_PASSWORD".into()))
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
