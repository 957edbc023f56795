//! The generated operation tables say exactly what the specs say: read
//! independently of `idp-codegen` here, so a hand edit of generated code or
//! a generator bug cannot pass silently.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use idp_api::{Operation, SuccessBody};
use serde_json::Value;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The specs this crate carries: `openapi/` beside its manifest (a symlink
/// to the workspace's `openapi/` in a checkout, the files in a package).
/// The manifest folder is read when the test runs (`cargo test` sets it),
/// so a test binary compiled in another checkout sharing the target
/// directory still reads this checkout's specs.
fn idp_api_specs_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(
            || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            std::path::PathBuf::from,
        )
        .join("openapi")
}

fn spec(file: &str) -> Value {
    let path = idp_api_specs_dir().join(file);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Follows a `#/components/...` reference inside `document`.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => document.pointer(reference.trim_start_matches('#')).unwrap(),
        None => value,
    }
}

fn expected_success(document: &Value, responses: &serde_json::Map<String, Value>) -> SuccessBody {
    let mut kinds = BTreeSet::new();
    for (status, response) in responses {
        if !status.starts_with('2') {
            continue;
        }
        let content = resolve(document, response)
            .get("content")
            .and_then(Value::as_object);
        match content {
            None => {
                kinds.insert("empty");
            }
            Some(content) if content.is_empty() => {
                kinds.insert("empty");
            }
            Some(content) => {
                for media in content.keys() {
                    kinds.insert(if media == "application/json" {
                        "json"
                    } else if media.starts_with("text/") {
                        "text"
                    } else {
                        "raw"
                    });
                }
            }
        }
    }
    assert!(kinds.len() <= 1, "mixed success kinds: {kinds:?}");
    match kinds.into_iter().next() {
        Some("json") => SuccessBody::Json,
        Some("text") => SuccessBody::Text,
        Some("raw") => SuccessBody::Raw,
        _ => SuccessBody::Empty,
    }
}

fn assert_table_matches(
    file: &str,
    all: &[&'static Operation],
    find: fn(&str) -> Option<&'static Operation>,
) {
    let document = spec(file);
    let mut seen = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let id = op["operationId"].as_str().unwrap();
            assert!(seen.insert(id.to_owned()), "{file}: {id} twice in the spec");
            let found = find(id).unwrap_or_else(|| panic!("{file}: {id} missing from the table"));
            assert_eq!(
                all.iter().filter(|row| row.id == id).count(),
                1,
                "{file}: {id} not exactly once in ALL"
            );
            assert_eq!(found.method.as_str(), method.to_ascii_uppercase(), "{id}");
            assert_eq!(found.path, path, "{id}");
            assert_eq!(found.tag, op["tags"][0].as_str().unwrap(), "{id}");
            let responses = op["responses"].as_object().unwrap();
            let statuses: Vec<&str> = responses.keys().map(String::as_str).collect();
            let mut table: Vec<&str> = found.statuses.to_vec();
            let mut spec_statuses = statuses.clone();
            table.sort_unstable();
            spec_statuses.sort_unstable();
            assert_eq!(table, spec_statuses, "{id}: statuses");
            assert_eq!(
                found.success,
                expected_success(&document, responses),
                "{id}"
            );
            let media = &op["x-idp-media-types"];
            assert_eq!(found.request_media, media["request"].as_str(), "{id}");
            assert_eq!(found.response_media, media["response"].as_str(), "{id}");
        }
    }
    assert_eq!(all.len(), seen.len(), "{file}: the table has extra rows");
    assert!(find("noSuchOperation").is_none());
}

#[test]
fn vcf_table_matches_its_spec() {
    assert_table_matches(
        "vcf-identity.json",
        idp_api::vcf::operations::ALL,
        idp_api::vcf::operations::find,
    );
}

#[test]
fn unleash_table_matches_its_spec() {
    assert_table_matches(
        "unleash-scim.json",
        idp_api::unleash::operations::ALL,
        idp_api::unleash::operations::find,
    );
}

#[test]
fn broker_operations_carry_their_vendor_media_types() {
    let create = &idp_api::broker::operations::CREATE_BROKER_DIRECTORY;
    let media = "application/vnd.vmware.vidm.usergroup.broker.directory+json";
    assert_eq!(create.request_media, Some(media));
    assert_eq!(create.response_media, Some(media));
    let delete = &idp_api::broker::operations::DELETE_BROKER_DIRECTORY;
    assert_eq!((delete.request_media, delete.response_media), (None, None));
}

#[test]
fn broker_table_matches_its_spec() {
    assert_table_matches(
        "vcf-identity-broker.json",
        idp_api::broker::operations::ALL,
        idp_api::broker::operations::find,
    );
}

#[test]
fn vcenter_table_matches_its_spec() {
    assert_table_matches(
        "vcenter-session.json",
        idp_api::vcenter::operations::ALL,
        idp_api::vcenter::operations::find,
    );
}

#[test]
fn named_constants_are_the_rows_find_returns() {
    use idp_api::vcf::operations as vcf;
    assert!(std::ptr::eq(
        vcf::find("getIdentityProviders").unwrap(),
        &vcf::GET_IDENTITY_PROVIDERS
    ));
    assert_eq!(vcf::GET_IDENTITY_PROVIDERS.method, http::Method::GET);
    assert_eq!(
        vcf::GET_IDENTITY_PROVIDERS.success_schema,
        Some("PageOfIdentityProvider")
    );
    assert_eq!(
        vcf::ADD_EXTERNAL_IDENTITY_PROVIDER.success,
        SuccessBody::Text
    );
    assert_eq!(vcf::DELETE_IDENTITY_SOURCE.success, SuccessBody::Empty);
    let unleash = &idp_api::unleash::operations::GENERATE_SCIM_TOKEN;
    assert_eq!(unleash.path, "/api/admin/scim-settings/generate-new-token");
    assert_eq!(unleash.tag, "SCIM");
}

#[test]
fn declares_matches_exact_codes_ranges_and_default() {
    use idp_api::vcf::operations as vcf;
    let op = &vcf::GET_IDENTITY_PROVIDER_BY_ID;
    assert!(op.declares(204), "2XX covers 204");
    assert!(op.declares(404));
    assert!(!op.declares(400), "getIdentityProviderById declares no 400");
    assert!(!vcf::GET_IDENTITY_PROVIDERS.declares(404));
}
