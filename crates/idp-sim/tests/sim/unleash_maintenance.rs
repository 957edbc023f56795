//! Unleash's maintenance mode and what lies outside its base path, as the
//! real server answers (the conformance scenarios of `cargo xtask
//! conformance` compare the two).

use idp_sim::Profile;
use reqwest::{StatusCode, header};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn maintenance_mode_refuses_writes_and_lets_reads_through() {
    let env = start(Profile::Vcf52).await;
    let base = env.sim.unleash().url();
    let key = env.sim.unleash().api_key().to_owned();
    let maintenance = format!("{base}/api/admin/maintenance");
    let generate = format!("{base}/api/admin/scim-settings/generate-new-token");

    let (status, body) = json_of(
        env.http
            .get(&maintenance)
            .header(header::AUTHORIZATION, &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"enabled": false})));

    let switched = env
        .http
        .post(&maintenance)
        .header(header::AUTHORIZATION, &key)
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), StatusCode::NO_CONTENT);

    let (status, body) = json_of(
        env.http
            .post(&generate)
            .header(header::AUTHORIZATION, &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        body,
        json!({"message": "Unleash is currently in maintenance mode."})
    );
    assert!(
        env.sim.unleash().scim_token().is_none(),
        "nothing generated"
    );

    // Authentication still comes first.
    let (status, _) = json_of(
        env.http
            .post(&generate)
            .header(header::AUTHORIZATION, "wrong")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Reads pass.
    let (status, _) = json_of(
        env.http
            .get(format!("{base}/api/admin/scim-settings"))
            .header(header::AUTHORIZATION, &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // The maintenance route itself stays writable.
    let off = env
        .http
        .post(&maintenance)
        .header(header::AUTHORIZATION, &key)
        .json(&json!({"enabled": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), StatusCode::NO_CONTENT);
    let generated = env
        .http
        .post(&generate)
        .header(header::AUTHORIZATION, &key)
        .send()
        .await
        .unwrap();
    assert_eq!(generated.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_api_outside_the_base_path_is_an_express_404_page() {
    let env = start(Profile::Vcf52).await;
    let response = env
        .http
        .post(env.url("/api/admin/scim-settings/generate-new-token"))
        .header(header::AUTHORIZATION, env.sim.unleash().api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{:?}",
        response.headers()
    );
    let page = response.text().await.unwrap();
    assert!(
        page.contains("<pre>Cannot POST /api/admin/scim-settings/generate-new-token</pre>"),
        "{page}"
    );
}
