//! The id of a new provider, whatever the server answers: after a 201
//! without a readable id, the provider that is external now and was not
//! before the POST is the new one; names only when that difference is
//! empty; an ambiguous match is refused with an error that says the
//! provider WAS created. Never a second POST.

#![allow(clippy::unwrap_used)]

use crate::common::{requests_to, server, vcf_bearer};
use idp_client::Error;
use idp_client::IdentityProviderSpec;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROVIDERS: &str = "/v1/identity-providers";

/// The Okta spec of the seed documents: `fedIdpSpec.name` "okta",
/// directory "okta_dir".
fn okta_spec() -> IdentityProviderSpec {
    serde_json::from_str(&idp_testkit::seed(
        "addExternalIdentityProvider.okta.request.json",
    ))
    .unwrap()
}

fn embedded() -> Value {
    json!({"id": "embedded-1", "name": "Embedded IDP", "type": "Embedded", "status": "ACTIVE"})
}

fn federated(id: &str, name: &str, directory: &str) -> Value {
    json!({"id": id, "name": name, "type": "FEDERATED_IDP_BROKER",
           "fedIdp": {"name": name, "directoryList": {"name": directory}}})
}

/// Serves `before` to the first listing and `after` to every later one,
/// and `post` to the add.
async fn mount(server: &MockServer, before: Vec<Value>, after: Vec<Value>, post: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(PROVIDERS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"elements": before})))
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(PROVIDERS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"elements": after})))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(PROVIDERS))
        .respond_with(post)
        .mount(server)
        .await;
}

async fn posts(server: &MockServer) -> usize {
    requests_to(server, "POST", PROVIDERS).await.len()
}

#[tokio::test]
async fn the_provider_that_is_new_wins_over_an_older_one_with_the_same_name() {
    let server = server().await;
    // A stale provider named "okta" existed before; the new one is listed
    // after it.
    let stale = federated("stale-okta", "okta", "okta_dir");
    mount(
        &server,
        vec![embedded(), stale.clone()],
        vec![embedded(), stale, federated("new-okta", "okta", "okta_dir")],
        ResponseTemplate::new(201),
    )
    .await;
    let id = vcf_bearer(&server, "t")
        .add_external_identity_provider(&okta_spec())
        .await
        .unwrap();
    assert_eq!(id, "new-okta");
    assert_eq!(posts(&server).await, 1);
    // The "before" listing went out before the POST.
    let order: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(order, ["GET", "POST", "GET"]);
}

#[tokio::test]
async fn the_new_provider_is_found_under_a_name_the_server_chose() {
    let server = server().await;
    mount(
        &server,
        vec![embedded()],
        vec![
            embedded(),
            federated("renamed-1", "Okta (corp)", "directory-7"),
        ],
        ResponseTemplate::new(201),
    )
    .await;
    let id = vcf_bearer(&server, "t")
        .add_external_identity_provider(&okta_spec())
        .await
        .unwrap();
    assert_eq!(id, "renamed-1");
    assert_eq!(posts(&server).await, 1);
}

#[tokio::test]
async fn names_are_the_fallback_including_the_directory_name() {
    let server = server().await;
    // The listing does not change (a server that replaced a provider in
    // place): only the directory's name matches the spec.
    let listed = vec![
        embedded(),
        federated("dir-match", "something else", "okta_dir"),
    ];
    mount(&server, listed.clone(), listed, ResponseTemplate::new(204)).await;
    let id = vcf_bearer(&server, "t")
        .add_external_identity_provider(&okta_spec())
        .await
        .unwrap();
    assert_eq!(id, "dir-match");
    assert_eq!(posts(&server).await, 1);
}

#[tokio::test]
async fn an_ambiguous_match_is_refused_and_says_the_provider_was_created() {
    let server = server().await;
    mount(
        &server,
        vec![embedded()],
        vec![
            embedded(),
            federated("a-1", "okta", "okta_dir"),
            federated("b-2", "okta", "okta_dir"),
        ],
        ResponseTemplate::new(201),
    )
    .await;
    let err = vcf_bearer(&server, "t")
        .add_external_identity_provider(&okta_spec())
        .await
        .unwrap_err();
    match &err {
        Error::IdUnknown {
            candidates, name, ..
        } => {
            assert_eq!(candidates, &["a-1", "b-2"]);
            assert_eq!(name, "okta");
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("WAS created"), "{text}");
    assert!(text.contains("a-1, b-2"), "{text}");
    assert!(text.contains("idpctl vcf idp list"), "{text}");
    assert_eq!(posts(&server).await, 1, "never a second POST");
}

#[tokio::test]
async fn nothing_new_and_no_name_match_is_refused_too() {
    let server = server().await;
    mount(
        &server,
        vec![embedded()],
        vec![embedded()],
        ResponseTemplate::new(201),
    )
    .await;
    let err = vcf_bearer(&server, "t")
        .add_external_identity_provider(&okta_spec())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::IdUnknown { candidates, .. } if candidates.is_empty()),
        "{err:?}"
    );
    assert!(err.to_string().contains("WAS created"), "{err}");
    assert_eq!(posts(&server).await, 1);
}

#[tokio::test]
async fn without_lookup_is_exactly_one_post() {
    let server = server().await;
    mount(
        &server,
        vec![embedded()],
        vec![embedded()],
        ResponseTemplate::new(201),
    )
    .await;
    let client = vcf_bearer(&server, "t");
    let id = client
        .add_external_identity_provider_without_lookup(&okta_spec())
        .await
        .unwrap();
    assert_eq!(id, None);
    let all = server.received_requests().await.unwrap();
    assert_eq!(all.len(), 1, "one POST and nothing else");

    let server = crate::common::server().await;
    Mock::given(method("POST"))
        .and(path(PROVIDERS))
        .respond_with(ResponseTemplate::new(201).set_body_string("id-from-body"))
        .mount(&server)
        .await;
    let id = vcf_bearer(&server, "t")
        .add_external_identity_provider_without_lookup(&okta_spec())
        .await
        .unwrap();
    assert_eq!(id.as_deref(), Some("id-from-body"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
