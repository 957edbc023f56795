//! The simulator's Okta routes against Okta's spec: what they answer
//! decodes strictly into the generated types (success and error bodies),
//! an injected fault takes Okta's error shape, and no token reaches the
//! request log.

use idp_api::okta;
use idp_sim::FaultRule;
use reqwest::StatusCode;
use serde_json::json;

use super::{http, json, start, strict};

#[tokio::test]
async fn okta_answers_as_its_spec_declares() {
    let sim = start().await;
    let http = http();
    let app = sim.okta().app_id();
    let url = format!("{}/api/v1/apps/{app}/connections/default", sim.okta().url());
    let auth = format!("SSWS {}", sim.okta().api_token());

    let (status, body) = json(
        http.get(&url)
            .header("authorization", &auth)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let _: okta::types::ProvisioningConnection = strict(&body);

    let request = json!({"baseUrl": "https://scim.example/v2", "profile": {"authScheme": "TOKEN", "token": "tok-123"}});
    let (status, body) = json(
        http.post(format!("{url}?activate=true"))
            .header("authorization", &auth)
            .json(&request)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let connection: okta::types::ProvisioningConnection = strict(&body);
    assert_eq!(connection.status, "ENABLED");
    assert!(
        !body.to_string().contains("tok-123"),
        "the token is never answered"
    );

    for (auth, url, status) in [
        (
            "SSWS wrong".to_owned(),
            url.clone(),
            StatusCode::UNAUTHORIZED,
        ),
        (
            auth.clone(),
            url.replace(&app, "0oanope"),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (got, body) = json(
            http.get(&url)
                .header("authorization", auth)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(got, status);
        let error: okta::types::OktaError = strict(&body);
        assert!(error.error_code.is_some() && error.error_summary.is_some());
    }
    let (status, body) = json(
        http.post(&url)
            .header("authorization", &auth)
            .json(&json!({"profile": {"authScheme": "TOKEN"}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error: okta::types::OktaError = strict(&body);
    assert_eq!(error.error_causes.len(), 1);

    sim.faults().add(
        FaultRule::new("GET", "/okta/api/v1/apps/{appId}/connections/default")
            .respond(429)
            .times(1),
    );
    let (status, body) = json(
        http.get(&url)
            .header("authorization", &auth)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let error: okta::types::OktaError = strict(&body);
    assert_eq!(error.error_code.as_deref(), Some("E0000047"));

    let log = format!("{:?}", sim.requests());
    assert!(!log.contains("tok-123") && !log.contains(&sim.okta().api_token()));
}
