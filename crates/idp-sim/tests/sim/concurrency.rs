//! Concurrent requests lose no update.

use std::collections::HashSet;

use futures::future::join_all;
use idp_sim::Profile;
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_source_changes_lose_nothing() {
    let env = start(Profile::Vcf9).await;
    let sources = format!(
        "/v1/identity-providers/{}/identity-sources",
        env.embedded_id()
    );

    // 1,000 concurrent adds with distinct domains.
    let adds = (0..1000).map(|i| {
        let env = &env;
        let sources = &sources;
        async move {
            env.call(
                Method::POST,
                sources,
                Some(&source_spec(&format!("d{i}.example.com"))),
            )
            .await
            .status()
        }
    });
    let statuses = join_all(adds).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::NO_CONTENT),
        "{statuses:?}"
    );
    assert_eq!(env.sim.vcf().identity_source_count(), 3 + 1000);

    // 1,000 concurrent mixed requests: 400 deletes, 400 adds, 200 reads.
    let mixed = (0..1000).map(|i| {
        let env = &env;
        let sources = &sources;
        async move {
            let response = match i % 5 {
                0 | 1 => {
                    env.call(Method::DELETE, &format!("{sources}/d{i}.example.com"), None)
                        .await
                }
                2 | 3 => {
                    env.call(
                        Method::POST,
                        sources,
                        Some(&source_spec(&format!("e{i}.example.com"))),
                    )
                    .await
                }
                _ => env.call(Method::GET, "/v1/identity-providers", None).await,
            };
            response.status()
        }
    });
    let statuses = join_all(mixed).await;
    for (i, status) in statuses.iter().enumerate() {
        let expected = match i % 5 {
            0 | 1 => StatusCode::NO_CONTENT,
            2 | 3 => StatusCode::NO_CONTENT,
            _ => StatusCode::OK,
        };
        assert_eq!(*status, expected, "request {i}");
    }
    assert_eq!(env.sim.vcf().identity_source_count(), 3 + 1000);
    let domains: HashSet<String> = env
        .sim
        .vcf()
        .identity_source_domains()
        .into_iter()
        .collect();
    for i in 0..1000 {
        let d = format!("d{i}.example.com");
        let e = format!("e{i}.example.com");
        match i % 5 {
            0 | 1 => assert!(!domains.contains(&d) && !domains.contains(&e)),
            2 | 3 => assert!(domains.contains(&d) && domains.contains(&e)),
            _ => assert!(domains.contains(&d) && !domains.contains(&e)),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_token_generations_leave_exactly_one_valid_token() {
    let env = start(Profile::Vcf52).await;
    let id = env.add_provider(&okta_spec()).await;
    let path = format!("/v1/identity-providers/{id}/sync-client");
    let results = join_all((0..100).map(|_| env.call_json(Method::POST, &path, None))).await;
    let tokens: HashSet<String> = results
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, StatusCode::OK);
            body["token"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), 100, "every generation returns a new token");
    let current = env.sim.vcf().sync_client_token(&id).unwrap();
    assert!(tokens.contains(&current));

    let url = format!(
        "{}/api/admin/scim-settings/generate-new-token",
        env.sim.unleash().url()
    );
    let results = join_all((0..100).map(|_| async {
        json_of(
            env.http
                .post(&url)
                .header(header::AUTHORIZATION, env.sim.unleash().api_key())
                .send()
                .await
                .unwrap(),
        )
        .await
    }))
    .await;
    let tokens: HashSet<String> = results
        .iter()
        .map(|(status, body): &(StatusCode, Value)| {
            assert_eq!(*status, StatusCode::OK);
            body["token"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), 100);
    assert!(tokens.contains(&env.sim.unleash().scim_token().unwrap()));
}
