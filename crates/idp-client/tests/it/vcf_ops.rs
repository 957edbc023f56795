//! `vcf_ops::Client` against a mock server: the `OpsToken` header, tolerant
//! reading of odd answers (strings for numbers, seconds for milliseconds,
//! unknown enumeration values, `null` lists), what an answer cannot lack,
//! ids as one path segment, and futures that can move between threads.

use idp_client::vcf_ops::{ApiTokenQuery, ApiTokenStatus, TaskStatus};
use idp_client::{Error, VcfOpsClient};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{fast_config, server};

const IAM: &str = "/suite-api/api/fleet-management/iam";

fn client(server: &MockServer) -> VcfOpsClient {
    VcfOpsClient::builder(server.uri())
        .credentials("admin", "password-1")
        .config(&fast_config())
        .build()
        .unwrap()
}

async fn login(server: &MockServer, token: &str, validity_ms: i64) {
    Mock::given(method("POST"))
        .and(path("/suite-api/api/auth/token/acquire"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"token": token, "validity": validity_ms, "roles": []})),
        )
        .mount(server)
        .await;
}

fn in_hours(hours: i64) -> i64 {
    chrono::Utc::now().timestamp_millis() + hours * 3_600_000
}

#[tokio::test]
async fn the_token_goes_as_opstoken_and_odd_answers_are_read() {
    let server = server().await;
    login(&server, "ops-token-1", in_hours(6)).await;
    Mock::given(method("POST"))
        .and(path(format!("{IAM}/ssorealms/r1/api-tokens/query")))
        .and(header("authorization", "OpsToken ops-token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "apiTokens": [
                {"id": "t1", "tokenName": "a", "tokenStatus": "REVOKED",
                 "expirationDate": "1750526688158", "creationDate": 1748026688},
                {"id": "t2", "tokenName": "b", "tokenStatus": "expired", "apiTokenTtl": "60"}
            ],
            "pageInfo": {"totalCount": 2}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = client(&server)
        .list_api_tokens("r1", &ApiTokenQuery::default())
        .await
        .unwrap();
    assert_eq!(tokens.len(), 2);
    assert_eq!(
        tokens[0].status,
        Some(ApiTokenStatus::Other("REVOKED".into()))
    );
    assert_eq!(
        tokens[0].expires_at.unwrap().timestamp_millis(),
        1_750_526_688_158
    );
    // Epoch seconds are read as such.
    assert_eq!(tokens[0].created_at.unwrap().timestamp(), 1_748_026_688);
    assert_eq!(tokens[1].status, Some(ApiTokenStatus::Expired));
    assert_eq!(tokens[1].ttl, Some(60));
}

#[tokio::test]
async fn a_ttl_where_an_expiry_belongs_is_no_expiry_and_null_lists_are_empty() {
    let server = server().await;
    login(&server, "t", in_hours(6)).await;
    Mock::given(method("GET"))
        .and(path(format!(
            "{IAM}/identity-providers/i/directories/d/sync-client"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "scimClientDetails": {"clientId": "c", "tokenTtl": 180},
            "accessTokenDetails": {"accessToken": "tok", "tokenExpiresAt": 180}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{IAM}/ssorealms")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ssoRealms": null})))
        .mount(&server)
        .await;
    let client = client(&server);
    let sync = client.sync_client("i", "d").await.unwrap();
    assert_eq!(sync.token_ttl, Some(180));
    assert!(sync.token_expires_at.is_none());
    assert!(client.list_realms().await.unwrap().is_empty());
}

#[tokio::test]
async fn answers_without_what_the_operation_needs_are_decode_errors() {
    let server = server().await;
    login(&server, "t", in_hours(6)).await;
    Mock::given(method("DELETE"))
        .and(path(format!("{IAM}/identity-providers/i")))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"taskStatus": "QUEUED"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{IAM}/ssorealms/r/api-tokens/t/regenerate")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "t", "tokenName": "n"})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client
        .delete_identity_provider("i", false)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "taskId"),
        "{error:?}"
    );
    let error = client.regenerate_api_token("r", "t").await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "token"),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_acquire_answer_without_a_token_is_refused_and_a_stale_validity_renews() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/suite-api/api/auth/token/acquire"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"token": " ", "validity": 1})),
        )
        .mount(&server)
        .await;
    let error = client(&server).list_realms().await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Decode {
                operation: "acquireToken",
                ..
            }
        ),
        "{error:?}"
    );

    // A token whose validity has passed is replaced before every call.
    let server = crate::common::server().await;
    login(&server, "t", in_hours(-1)).await;
    Mock::given(method("GET"))
        .and(path(format!("{IAM}/ssorealms")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ssoRealms": []})))
        .mount(&server)
        .await;
    let client = client(&server);
    client.list_realms().await.unwrap();
    client.list_realms().await.unwrap();
    let acquired = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path().ends_with("/acquire"))
        .count();
    assert_eq!(acquired, 2);
}

#[tokio::test]
async fn ids_are_one_path_segment_and_bad_ones_are_refused_unsent() {
    let server = server().await;
    login(&server, "t", in_hours(6)).await;
    Mock::given(method("GET"))
        .and(path(format!("{IAM}/tasks/a%2Fb%3Fc")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"taskId": "a/b?c", "taskStatus": "IN_PROGRESS"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let task = client.get_task("a/b?c").await.unwrap();
    assert_eq!(task.status, Some(TaskStatus::InProgress));
    for bad in ["", "..", "a\\b", "a\nb"] {
        assert!(matches!(
            client.get_task(bad).await,
            Err(Error::InvalidInput { .. })
        ));
    }
}

#[test]
fn the_client_and_its_futures_can_move_between_threads() {
    fn send<T: Send>(_: &T) {}
    fn send_sync<T: Send + Sync + Clone + 'static>() {}
    send_sync::<VcfOpsClient>();
    let client = VcfOpsClient::builder("https://ops.example.com")
        .credentials("admin", "p")
        .build()
        .unwrap();
    let query = idp_client::vcf_ops::PrincipalQuery::default();
    let tokens = ApiTokenQuery::default();
    send(&client.list_realms());
    send(&client.list_users("r", &query));
    send(&client.list_groups("r", &query));
    send(&client.list_roles());
    send(&client.list_api_tokens("r", &tokens));
    send(&client.ldap_sync_logs("i", "l", false));
    send(&client.delete_identity_provider("i", false));
    send(&client.wait_task("t", std::time::Duration::from_secs(1)));
    send(&client.close());
    // As `tokio::spawn` needs them: for any lifetime.
    let spawned = client.clone();
    drop(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .spawn(async move { spawned.list_users("r", &Default::default()).await }),
    );
}
