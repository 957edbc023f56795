//! The vendor media types: the simulator refuses plain JSON, and every
//! broker and vCenter operation sends and receives the media types its
//! spec names.

use idp_client::{
    BrokerDirectorySpec, BrokerOAuthClientSpec, BrokerOidcProviderSpec, Secret,
    SyncClientCredentialKind,
};
use idp_sim::SimConfig;
use idp_testkit::start_sim;

use super::{DIRECTORY_LIST, builder, directory_spec, oauth, okta_oidc_spec, vcenter};

#[tokio::test]
async fn the_simulator_refuses_a_body_sent_as_plain_json() {
    let sim = start_sim(SimConfig::builder()).await;
    let broker = oauth(&sim);
    broker.list_directories().await.unwrap();
    let token = sim.issue_access_token();
    idp_client::ensure_crypto_provider();
    let response = reqwest::Client::new()
        .post(format!(
            "{}/usergroup/t/CUSTOMER/broker/directories",
            sim.broker().url()
        ))
        .bearer_auth(token)
        .json(&serde_json::json!({"name": "x", "domains": ["x.com"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    idp_client::ensure_crypto_provider();
    let response = reqwest::Client::new()
        .get(format!(
            "{}/usergroup/t/CUSTOMER/broker/directories",
            sim.broker().url()
        ))
        .bearer_auth(sim.issue_access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        DIRECTORY_LIST
    );
}

/// Whether `path` fits the spec's path `template` (`{name}` matches one
/// segment).
fn fits(template: &str, path: &str) -> bool {
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(t), Some(p)) if t.starts_with('{') || t == p => {}
            _ => return false,
        }
    }
}

/// Every broker and vCenter operation, run through the library: each
/// request the simulator saw carries its operation's media types (the
/// vendor ones from the spec, on `Accept` when an answer body is expected
/// and on `Content-Type` with a body), and each read answers with its
/// vendor media type.
#[tokio::test]
async fn every_operation_sends_and_receives_its_media_types() {
    use idp_api::Operation;

    let sim = start_sim(SimConfig::builder()).await;
    let broker = vcenter(&sim);
    let directory = broker
        .create_directory(&directory_spec("dir", "example.com"))
        .await
        .unwrap();
    broker.list_directories().await.unwrap();
    broker.get_directory(&directory.id).await.unwrap();
    let mut rename = BrokerDirectorySpec::default();
    rename.name = Some("renamed".into());
    broker
        .update_directory(&directory.id, &rename)
        .await
        .unwrap();
    broker.sync_client(&directory.id).await.unwrap();
    broker
        .generate_sync_client_credentials(&directory.id, SyncClientCredentialKind::Token, None)
        .await
        .unwrap();
    let spec = okta_oidc_spec(&directory.id);
    let idp = broker.create_oidc_identity_provider(&spec).await.unwrap();
    broker.list_identity_providers().await.unwrap();
    broker.get_identity_provider(&idp.id).await.unwrap();
    let mut idp_rename = BrokerOidcProviderSpec::default();
    idp_rename.name = Some("Okta prod".into());
    broker
        .update_identity_provider(&idp.id, &idp_rename)
        .await
        .unwrap();
    let mut client = BrokerOAuthClientSpec::default();
    client.client_id = Some("automation".into());
    client.scope = vec!["admin".into()];
    client.grant_types = vec!["client_credentials".into()];
    let created = broker.create_oauth_client(&client).await.unwrap();
    broker.list_oauth_clients().await.unwrap();
    broker.get_oauth_client("automation").await.unwrap();
    let mut ttl = BrokerOAuthClientSpec::default();
    ttl.access_token_ttl_minutes = Some(30);
    broker
        .update_oauth_client("automation", &ttl)
        .await
        .unwrap();
    broker
        .start_secret_rotation("automation", &Secret::new("second-secret-value"), None)
        .await
        .unwrap();
    // The token endpoint, through the new client.
    let own = builder(&sim)
        .oauth_client("automation", created.secret.unwrap())
        .build()
        .unwrap();
    own.list_directories().await.unwrap();
    broker.delete_oauth_client("automation").await.unwrap();
    broker.delete_identity_provider(&idp.id).await.unwrap();
    broker.delete_directory(&directory.id).await.unwrap();

    let all: Vec<&Operation> = idp_api::broker::operations::ALL
        .iter()
        .chain(idp_api::vcenter::operations::ALL)
        .copied()
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for request in sim.requests() {
        let op = all
            .iter()
            .find(|op| op.method.as_str() == request.method && fits(op.path, &request.path))
            .unwrap_or_else(|| panic!("no operation for {request:?}"));
        seen.insert(op.id);
        // An operation answered without a body asks for none in particular.
        if op.success != idp_api::SuccessBody::Empty {
            let accept = op.response_media.unwrap_or("application/json");
            assert_eq!(request.header("accept"), Some(accept), "{}", op.id);
        }
        if request.body_len > 0 {
            // The token endpoint takes a form (the spec keys it so: no
            // vendor type to record).
            let plain = if op.id == "getBrokerAccessToken" {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            };
            let sent = op.request_media.unwrap_or(plain);
            assert_eq!(request.header("content-type"), Some(sent), "{}", op.id);
        }
    }
    let missing: Vec<&str> = all
        .iter()
        .map(|op| op.id)
        .filter(|id| !seen.contains(id))
        .collect();
    assert!(missing.is_empty(), "not run: {missing:?}");

    // The reads answer with their vendor media types.
    let directory = broker
        .create_directory(&directory_spec("again", "example.org"))
        .await
        .unwrap();
    let idp = broker
        .create_oidc_identity_provider(&okta_oidc_spec(&directory.id))
        .await
        .unwrap();
    let token = sim.issue_access_token();
    idp_client::ensure_crypto_provider();
    let http = reqwest::Client::new();
    for op in idp_api::broker::operations::ALL
        .iter()
        .filter(|op| op.method.as_str() == "GET")
    {
        let id = if op.path.contains("oauth2-clients") {
            sim.broker().client_id()
        } else {
            directory.id.as_str()
        };
        let path = op
            .path
            .replace("{tenant}", sim.broker().tenant())
            .replace("{id}", id)
            .replace("{idpId}", &idp.id);
        let response = http
            .get(format!("{}{path}", sim.broker().url()))
            .bearer_auth(&token)
            .header("accept", op.response_media.unwrap_or("application/json"))
            .send()
            .await
            .unwrap();
        let path = op.path;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some(op.response_media.unwrap_or("application/json")),
            "{path}"
        );
    }
}
