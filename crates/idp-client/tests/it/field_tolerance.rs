//! One odd field never fails a whole answer: an optional field in another
//! plausible form is read (floats and strings for integers, `directoryList`
//! as an array, dates in every accepted form); one that cannot be read is
//! left out (logged at debug with its JSON path, never its value) and the
//! provider and the list are kept. Only an element's `id` and the page's
//! shape are decode errors.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use idp_client::fuzzing;
use proptest::prelude::*;
use serde_json::{Value, json};

/// A federated provider with every optional field the facade reads.
fn full_provider(id: &str) -> Value {
    json!({
        "id": id,
        "name": "okta",
        "type": "FEDERATED_IDP_BROKER",
        "status": "ACTIVE",
        "domainNames": ["example.com"],
        "idpMessage": "managed by VCF",
        "identitySources": [{"name": "corp", "type": "ActiveDirectory", "domainNames": ["corp.example.com"],
            "ldap": {"type": "ActiveDirectory", "domainName": "corp.example.com", "username": "cn=bind",
                     "sourceDetails": {"usersBaseDn": "dc=corp", "groupsBaseDn": "dc=corp", "certChain": [], "serverEndpoints": ["ldaps://dc1"]}}}],
        "ldap": {"type": "ActiveDirectory", "domainName": "corp.example.com", "domainAlias": "CORP", "username": "cn=bind",
                 "sourceDetails": {"usersBaseDn": "dc=corp", "serverEndpoints": ["ldaps://dc1"]}},
        "oidc": {"clientId": "c", "discoveryEndpoint": "https://x/.well-known", "authMethod": "CLIENT_SECRET_BASIC"},
        "fedIdp": {
            "name": "okta",
            "source": "Okta",
            "directoryList": {"name": "okta_dir", "directoryId": "d1", "defaultDomain": "example.com",
                              "domains": ["example.com"], "federatedIdpSourceType": "OKTA"},
            "oidcInfo": {"clientId": "c", "issuer": "https://issuer", "tokenEndpoint": "https://t"},
            "syncClientTokenTTL": 500000,
            "syncClientTokenInfo": {"expireAt": "2030-01-01T00:00:00Z", "scimUrl": "https://scim"}
        }
    })
}

/// JSON pointers of the optional fields of [`full_provider`].
const OPTIONAL_FIELDS: &[&str] = &[
    "/name",
    "/type",
    "/status",
    "/domainNames",
    "/domainNames/0",
    "/idpMessage",
    "/identitySources",
    "/identitySources/0",
    "/identitySources/0/name",
    "/identitySources/0/domainNames",
    "/identitySources/0/ldap",
    "/identitySources/0/ldap/sourceDetails",
    "/identitySources/0/ldap/sourceDetails/certChain",
    "/identitySources/0/ldap/sourceDetails/serverEndpoints",
    "/ldap",
    "/ldap/type",
    "/ldap/domainName",
    "/ldap/sourceDetails",
    "/ldap/sourceDetails/usersBaseDn",
    "/oidc",
    "/oidc/clientId",
    "/oidc/authMethod",
    "/fedIdp",
    "/fedIdp/name",
    "/fedIdp/source",
    "/fedIdp/directoryList",
    "/fedIdp/directoryList/name",
    "/fedIdp/directoryList/domains",
    "/fedIdp/directoryList/federatedIdpSourceType",
    "/fedIdp/oidcInfo",
    "/fedIdp/oidcInfo/issuer",
    "/fedIdp/syncClientTokenTTL",
    "/fedIdp/syncClientTokenInfo",
    "/fedIdp/syncClientTokenInfo/expireAt",
    "/fedIdp/syncClientTokenInfo/scimUrl",
];

fn set(value: &mut Value, pointer: &str, new: Value) {
    *value.pointer_mut(pointer).unwrap() = new;
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_json_in_any_optional_field_keeps_the_provider(
        field in 0..OPTIONAL_FIELDS.len(),
        odd in arbitrary_json(),
    ) {
        let mut provider = full_provider("p-1");
        set(&mut provider, OPTIONAL_FIELDS[field], odd);
        let page = json!({"elements": [provider.clone(), full_provider("p-2")], "pageMetadata": {"totalElements": 2}});
        let listed = fuzzing::provider_page(page.to_string().as_bytes());
        prop_assert!(listed.is_ok(), "{}: {:?}", OPTIONAL_FIELDS[field], listed);
        let listed = listed.unwrap();
        prop_assert_eq!(listed.len(), 2);
        prop_assert_eq!(&listed[0].id, "p-1");
        // The other provider is untouched by its neighbour's odd field.
        let alone = fuzzing::provider(full_provider("p-2").to_string().as_bytes()).unwrap();
        prop_assert_eq!(&listed[1], &alone);
        let one = fuzzing::provider(provider.to_string().as_bytes());
        prop_assert!(one.is_ok(), "{}: {:?}", OPTIONAL_FIELDS[field], one);
    }
}

#[test]
fn integers_served_as_floats_or_strings_are_read() {
    for ttl in [
        json!(500000.0),
        json!("500000"),
        json!("500000.0"),
        json!(500000),
    ] {
        let mut provider = full_provider("p");
        set(&mut provider, "/fedIdp/syncClientTokenTTL", ttl.clone());
        let read = fuzzing::provider(provider.to_string().as_bytes()).unwrap();
        assert_eq!(
            read.fed_idp.unwrap().sync_client_token_ttl,
            Some(Duration::from_secs(500_000)),
            "{ttl}"
        );
    }
}

#[test]
fn a_directory_list_served_as_an_array_is_read_whole() {
    let mut provider = full_provider("p");
    set(
        &mut provider,
        "/fedIdp/directoryList",
        json!([{"name": "first", "domains": ["a.example"]}, {"name": "second", "domains": ["b.example"]}]),
    );
    let fed = fuzzing::provider(provider.to_string().as_bytes())
        .unwrap()
        .fed_idp
        .unwrap();
    let names: Vec<_> = fed
        .directories
        .iter()
        .map(|d| d.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["first", "second"]);
    assert_eq!(fed.directory_list.unwrap().name.as_deref(), Some("first"));
    // One directory in an array reads like the documented object.
    set(
        &mut provider,
        "/fedIdp/directoryList",
        json!([{"name": "only"}]),
    );
    let fed = fuzzing::provider(provider.to_string().as_bytes())
        .unwrap()
        .fed_idp
        .unwrap();
    assert_eq!(fed.directory_list.unwrap().name.as_deref(), Some("only"));
    assert!(fed.directories.is_empty());
}

#[test]
fn dates_in_the_accepted_forms_are_read() {
    for expire_at in [
        json!("2030-01-01T00:00:00Z"),
        json!(1_893_456_000),
        json!("1893456000"),
    ] {
        let mut provider = full_provider("p");
        set(
            &mut provider,
            "/fedIdp/syncClientTokenInfo/expireAt",
            expire_at.clone(),
        );
        let read = fuzzing::provider(provider.to_string().as_bytes()).unwrap();
        let expires = read
            .fed_idp
            .unwrap()
            .sync_client_token_info
            .unwrap()
            .expires_at;
        assert_eq!(
            expires.map(|t| t.timestamp()),
            Some(1_893_456_000),
            "{expire_at}"
        );
    }
}

#[test]
fn ids_and_the_page_shape_stay_hard_errors() {
    let mut provider = full_provider("p");
    set(&mut provider, "/id", json!({"nested": "value"}));
    let err =
        fuzzing::provider_page(json!({"elements": [provider]}).to_string().as_bytes()).unwrap_err();
    assert!(err.to_string().contains("elements[0].id"), "{err}");
    let err = fuzzing::provider_page(br#"{"elements": "not a page"}"#).unwrap_err();
    assert!(err.to_string().contains("elements"), "{err}");
    assert!(fuzzing::provider_page(b"[1, 2]").is_err());
}

#[test]
fn a_left_out_field_is_logged_with_its_path_not_its_value() {
    let capture = idp_testkit::TraceCapture::start();
    let mut provider = full_provider("p");
    set(
        &mut provider,
        "/fedIdp/oidcInfo/issuer",
        json!({"value": "private-VALUE-42"}),
    );
    let listed =
        fuzzing::provider_page(json!({"elements": [provider]}).to_string().as_bytes()).unwrap();
    assert_eq!(
        listed[0]
            .fed_idp
            .as_ref()
            .unwrap()
            .oidc_info
            .as_ref()
            .unwrap()
            .issuer,
        None
    );
    let logs = capture.text();
    assert!(
        logs.contains("elements[0].fedIdp.oidcInfo.issuer"),
        "{logs}"
    );
    assert!(!logs.contains("private-VALUE-42"), "{logs}");
}
