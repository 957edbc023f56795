//! idp-client's `OktaClient` against the simulator: reading and setting an
//! app's provisioning connection, Okta's errors, and no secret in errors or
//! the request log.

use idp_client::{OktaClient, Secret};
use idp_sim::{SimConfig, Simulator};
use idp_testkit::{okta_client_builder, start_sim};

fn okta(sim: &Simulator, token: &str) -> OktaClient {
    okta_client_builder(sim).api_token(token).build().unwrap()
}

#[tokio::test]
async fn okta_connection_is_read_and_set() {
    let sim = start_sim(SimConfig::builder()).await;
    let app = sim.okta().app_id();
    let client = okta(&sim, &sim.okta().api_token());

    let before = client.default_provisioning_connection(&app).await.unwrap();
    assert!(!before.is_enabled());
    assert_eq!(before.auth_scheme, "UNKNOWN");

    let token = Secret::new("scim-token-1".to_owned());
    let after = client
        .set_default_provisioning_connection(&app, "https://vcf.example/scim/v2", &token)
        .await
        .unwrap();
    assert!(after.is_enabled());
    assert_eq!(after.auth_scheme, "TOKEN");
    assert_eq!(
        after.base_url.as_deref(),
        Some("https://vcf.example/scim/v2")
    );
    let delivered = sim.okta().delivered(&app).unwrap();
    assert_eq!(delivered.token, "scim-token-1");
    assert!(!format!("{delivered:?}").contains("scim-token-1"));

    // An OAuth access token is sent as Bearer and accepted as well.
    let bearer = OktaClient::builder(sim.okta().url())
        .access_token(format!("Bearer {}", sim.okta().api_token()))
        .build()
        .unwrap();
    assert!(
        bearer
            .default_provisioning_connection(&app)
            .await
            .unwrap()
            .is_enabled()
    );

    let log = format!("{:?}", sim.requests());
    assert!(!log.contains("scim-token-1") && !log.contains(&sim.okta().api_token()));
}

#[tokio::test]
async fn okta_errors_are_okta_shaped_and_carry_no_secret() {
    let sim = start_sim(SimConfig::builder()).await;
    let app = sim.okta().app_id();

    let wrong = okta(&sim, "00wrong-api-token");
    let e = wrong
        .default_provisioning_connection(&app)
        .await
        .unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    assert_eq!(e.vendor().unwrap().error_code.as_deref(), Some("E0000011"));
    assert!(!format!("{e} {e:?}").contains("00wrong-api-token"));

    let client = okta(&sim, &sim.okta().api_token());
    let e = client
        .default_provisioning_connection("0oaunknown")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert!(e.to_string().contains("no app with this id"), "{e}");

    let e = client
        .set_default_provisioning_connection(&app, "https://x/scim", &Secret::new(String::new()))
        .await
        .unwrap_err();
    assert!(!e.request_may_have_been_sent(), "{e}");
    assert!(sim.okta().delivered(&app).is_none());
}
