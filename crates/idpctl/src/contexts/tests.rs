#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;

use idp_config::SecretRef;
use idp_config::connection::{
    Broker, BrokerCredentials, Endpoint, Unleash, UnleashCredentials, Vcf, VcfCredentials,
};

use super::{Context, ContextsFile, load, save};

fn sample() -> ContextsFile {
    let mut file = ContextsFile {
        current_context: Some("prod".to_owned()),
        ..ContextsFile::default()
    };
    let mut unleash = Unleash::default();
    unleash.endpoint = Endpoint::new("https://unleash.example.com");
    unleash.credentials = Some(UnleashCredentials::ApiToken(SecretRef::parse(
        "file:/run/secrets/u",
    )));
    file.contexts.insert(
        "prod".to_owned(),
        Context {
            ca_cert: Some("/etc/ssl/ca.pem".into()),
            vcf: Some(Vcf::new(
                Endpoint::new("https://sddc.example.com"),
                Some(VcfCredentials::Password {
                    username: Some("admin@local".to_owned()),
                    password: Some(SecretRef::parse("env:PROD_PASSWORD")),
                }),
            )),
            unleash: Some(unleash),
            ..Context::default()
        },
    );
    file
}

/// Writes `text` as a private configuration file.
fn private_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    (dir, path)
}

#[test]
fn a_saved_file_reads_back_the_same_with_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("config.toml");
    save(&path, &sample()).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(load(&path).unwrap(), sample());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("[contexts.prod.vcf]\nurl = \"https://sddc.example.com\"\nusername = \"admin@local\"\npassword = \"env:PROD_PASSWORD\"\n"),
        "{text}"
    );
    assert!(
        text.contains("api-token = \"file:/run/secrets/u\""),
        "{text}"
    );
}

/// The flat keys earlier versions wrote read into the tables; a rewrite
/// uses the tables only and reads back the same.
#[test]
fn an_old_flat_file_reads_into_tables_and_rewrites_in_the_new_shape() {
    let (_dir, path) = private_file(
        "current-context = \"prod\"\n\n[contexts.prod]\nvcf-url = \"https://sddc.example.com\"\nvcf-username = \"admin@local\"\nvcf-password = \"env:PROD_PASSWORD\"\nca-cert = \"/etc/ssl/ca.pem\"\nunleash-url = \"https://unleash.example.com\"\nunleash-api-token = \"file:/run/secrets/u\"\n",
    );
    let file = load(&path).unwrap();
    assert_eq!(file, sample());
    save(&path, &file).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains("vcf-url") && text.contains("[contexts.prod.unleash]"),
        "{text}"
    );
    assert_eq!(load(&path).unwrap(), sample());
}

/// One kind of credentials per table: the one earlier versions used.
#[test]
fn old_keys_of_several_kinds_keep_the_one_that_was_used() {
    let (_dir, path) = private_file(
        "[contexts.lab]\nvcf-username = \"u\"\nvcf-token = \"env:T\"\nbroker-url = \"https://vc.example.com\"\nbroker-ca-cert = \"/ca.pem\"\nbroker-vcenter-username = \"vc\"\nbroker-vcenter-password = \"env:VP\"\nbroker-client-id = \"c\"\nbroker-client-secret = \"env:CS\"\nbroker-token = \"env:BT\"\n",
    );
    let file = load(&path).unwrap();
    let lab = &file.contexts["lab"];
    assert_eq!(
        lab.vcf.as_ref().unwrap().credentials,
        Some(VcfCredentials::Password {
            username: Some("u".into()),
            password: None
        })
    );
    let broker: &Broker = lab.broker.as_ref().unwrap();
    assert_eq!(
        broker.credentials,
        Some(BrokerCredentials::OAuthClient {
            client_id: Some("c".into()),
            client_secret: Some(SecretRef::parse("env:CS"))
        })
    );
    assert_eq!(
        broker.endpoint.ca_cert,
        Some(idp_config::PemRef::file("/ca.pem"))
    );
}

#[test]
fn a_table_and_the_old_keys_of_one_api_are_refused() {
    let (_dir, path) = private_file(
        "[contexts.lab]\nvcf-url = \"https://a\"\n[contexts.lab.vcf]\nurl = \"https://b\"\n",
    );
    let message = load(&path).unwrap_err().message;
    assert!(message.contains("both set"), "{message}");
}

#[test]
fn a_missing_file_has_no_contexts() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        load(&dir.path().join("none.toml")).unwrap(),
        ContextsFile::default()
    );
}

#[test]
fn group_or_world_writable_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    save(&path, &sample()).unwrap();
    for mode in [0o620, 0o602, 0o666] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let failure = load(&path).unwrap_err();
        assert_eq!(failure.code, 2);
        assert!(failure.message.contains("writable"), "{}", failure.message);
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(load(&path).is_ok());
}

#[test]
fn literal_secrets_are_refused_without_showing_them() {
    for text in [
        "[contexts.lab]\nvcf-token = \"hunter2\"\n",
        "[contexts.lab.okta]\napi-token = \"hunter2\"\n",
        "[contexts.lab.entra]\nclient-secret = \"hunter2\"\n",
    ] {
        let (_dir, path) = private_file(text);
        let failure = load(&path).unwrap_err();
        assert_eq!(failure.code, 2);
        assert!(
            failure.message.contains("env:NAME or file:PATH"),
            "{}",
            failure.message
        );
        assert!(!failure.message.contains("hunter2"));
    }
}

#[test]
fn unknown_fields_are_refused() {
    for (text, field) in [
        ("[contexts.lab]\nvcf-uri = \"https://x\"\n", "vcf-uri"),
        ("[contexts.lab.vcf]\nuri = \"https://x\"\n", "uri"),
    ] {
        let (_dir, path) = private_file(text);
        assert!(load(&path).unwrap_err().message.contains(field), "{text}");
    }
}

#[test]
fn syntax_errors_name_the_line_but_never_quote_it() {
    let (_dir, path) = private_file("[contexts.lab]\nvcf-token = hunter2\n");
    let message = load(&path).unwrap_err().message;
    assert!(message.contains("line 2"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}
