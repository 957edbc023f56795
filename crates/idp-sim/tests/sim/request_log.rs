//! The request log, in-process and at `/__sim/requests`.

use idp_sim::{Profile, REDACTED, RecordedRequest};
use reqwest::{Method, StatusCode, header};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn requests_are_logged_raw_and_redacted() {
    let env = start(Profile::Vcf52).await;
    let eid = env.embedded_id();
    let path = format!("/v1/identity-providers/{eid}/identity-sources/a%2Fb.com");
    env.call(Method::DELETE, &format!("{path}?x=1&y=%20"), None)
        .await;
    let login = json!({"username": env.sim.vcf().username(), "password": env.sim.vcf().password()});
    let response = env
        .http
        .post(env.url("/v1/tokens"))
        .json(&login)
        .send()
        .await
        .unwrap();
    let (_, tokens) = json_of(response).await;
    let unleash_key = env.sim.unleash().api_key().to_owned();
    env.http
        .post(format!(
            "{}/api/admin/scim-settings/generate-new-token",
            env.sim.unleash().url()
        ))
        .header(header::AUTHORIZATION, &unleash_key)
        .send()
        .await
        .unwrap();

    let log = env.sim.requests();
    assert_eq!(log.len(), 3);
    let delete = &log[0];
    assert_eq!(delete.method, "DELETE");
    assert_eq!(delete.path, path, "raw path with its percent-encoding");
    assert_eq!(delete.query.as_deref(), Some("x=1&y=%20"));
    assert_eq!(delete.header("authorization"), Some(REDACTED));
    assert_eq!(delete.status, Some(404));
    assert_eq!(delete.body_len, 0);
    let login_record = &log[1];
    assert_eq!(login_record.body_len, login.to_string().len());
    assert_eq!(login_record.status, Some(201));
    assert_eq!(log[2].header("Authorization"), Some(REDACTED));
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));

    // Over HTTP, the same, and no secret anywhere.
    let response = env
        .http
        .get(format!("{}/__sim/requests", env.sim.admin_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let over_http: Vec<RecordedRequest> = serde_json::from_str(&text).unwrap();
    assert_eq!(over_http, log, "control routes are not logged");
    for secret in [
        env.token.as_str(),
        env.sim.vcf().password(),
        &unleash_key,
        tokens["accessToken"].as_str().unwrap(),
    ] {
        assert!(!text.contains(secret), "secret in the log");
        assert!(
            !format!("{log:?}").contains(secret),
            "secret in the log's Debug"
        );
    }

    let response = env
        .http
        .delete(format!("{}/__sim/requests", env.sim.admin_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(env.sim.requests().is_empty());
    env.providers().await;
    assert_eq!(env.sim.requests().len(), 1);
    env.sim.clear_requests();
    assert!(env.sim.requests().is_empty());
}
