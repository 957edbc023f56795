//! The simulator's Microsoft identity platform and Graph routes against
//! their specs: what they answer decodes strictly into the generated types
//! (success and error bodies), and no token or secret reaches the request
//! log.

use idp_api::{msgraph, msidentity};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::StatusCode;
use serde_json::json;

use super::{http, json, start, strict};

#[tokio::test]
async fn microsoft_answers_as_its_specs_declare() {
    let sim = start().await;
    let http = http();
    let token_url = format!(
        "{}/{}/oauth2/v2.0/token",
        sim.entra().login_url(),
        sim.entra().tenant_id()
    );
    let form = |secret: &str| {
        let fields = [
            ("client_id", sim.entra().client_id()),
            ("client_secret", secret.to_owned()),
            ("scope", format!("{}/.default", sim.entra().graph_url())),
            ("grant_type", "client_credentials".to_owned()),
        ];
        fields
            .iter()
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
            .collect::<Vec<_>>()
            .join("&")
    };

    let (status, body) = json(
        http.post(&token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form("wrong"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let error: msidentity::types::TokenError = strict(&body);
    assert_eq!(error.error.as_deref(), Some("invalid_client"));
    assert_eq!(error.error_codes, vec![7_000_215]);

    let (status, body) = json(
        http.post(&token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&sim.entra().client_secret()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let token: msidentity::types::TokenResponse = strict(&body);
    let bearer = format!("Bearer {}", token.access_token.expose());

    let sp = sim.entra().service_principal_id();
    let graph = sim.entra().graph_url();
    let jobs = format!("{graph}/v1.0/servicePrincipals/{sp}/synchronization/jobs");
    let (status, body) = json(
        http.get(&jobs)
            .header("authorization", &bearer)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let _: msgraph::types::SynchronizationJobCollection = strict(&body);

    let secrets = format!("{graph}/v1.0/servicePrincipals/{sp}/synchronization/secrets");
    let put = json!({"value": [{"key": "BaseAddress", "value": "https://scim.example"}, {"key": "SecretToken", "value": "tok-456"}]});
    let response = http
        .put(&secrets)
        .header("authorization", &bearer)
        .json(&put)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(sim.entra().delivered(&sp).unwrap().token, "tok-456");

    // validateCredentials: 204 for the simulator's own SCIM URL and its
    // current token; the refusal is a Graph error.
    let job = sim.entra().synchronization_job_id(&sp);
    let validate = format!(
        "{graph}/v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}/validateCredentials"
    );
    let scim_token = sim.unleash().api_key().to_owned();
    let generate = format!(
        "{}/api/admin/scim-settings/generate-new-token",
        sim.unleash().url()
    );
    let (_, generated) = json(
        http.post(&generate)
            .header("authorization", &scim_token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let scim_url = format!("{}/scim", sim.unleash().url());
    let body = |token: &str| {
        let request = json!({"useSavedCredentials": false, "credentials": [
            {"key": "BaseAddress", "value": scim_url}, {"key": "SecretToken", "value": token}]});
        let _: msgraph::types::ValidateCredentialsRequest = strict(&request);
        request
    };
    let response = http
        .post(&validate)
        .header("authorization", &bearer)
        .json(&body(generated["token"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, refused) = json(
        http.post(&validate)
            .header("authorization", &bearer)
            .json(&body("rotated-out"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error: msgraph::types::GraphError = strict(&refused);
    assert!(error.error.and_then(|e| e.message).is_some());

    for (auth, url, status) in [
        (
            "Bearer forged".to_owned(),
            jobs.clone(),
            StatusCode::UNAUTHORIZED,
        ),
        (
            bearer.clone(),
            jobs.replace(&sp, "00000000-0000-0000-0000-000000000000"),
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
        let error: msgraph::types::GraphError = strict(&body);
        assert!(error.error.and_then(|e| e.code).is_some());
    }

    let log = format!("{:?}", sim.requests());
    assert!(!log.contains("tok-456"));
    assert!(!log.contains(&sim.entra().client_secret()));
    assert!(!log.contains(token.access_token.expose()));
}
