//! The Okta and Entra facades against the simulator: reading and setting an
//! app's provisioning connection, the app-only token (obtained once, cached,
//! renewed after Graph rejects it and the call replayed once),
//! synchronization secrets, the vendors'
//! errors, and no secret in errors or the request log.

use idp_client::{EntraClient, OktaClient, Secret};
use idp_sim::{SimConfig, Simulator};
use idp_testkit::{entra_client_builder, okta_client_builder, start_sim};

fn okta(sim: &Simulator, token: &str) -> OktaClient {
    okta_client_builder(sim).api_token(token).build().unwrap()
}

fn entra(sim: &Simulator, secret: &str) -> EntraClient {
    entra_client_builder(sim)
        .client_secret(secret)
        .build()
        .unwrap()
}

fn token_requests(sim: &Simulator) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.path.starts_with("/login/"))
        .count()
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

#[tokio::test]
async fn entra_token_is_cached_renewed_and_secrets_are_put() {
    let sim = start_sim(SimConfig::builder()).await;
    let sp = sim.entra().service_principal_id();
    let client = entra(&sim, &sim.entra().client_secret());

    assert_eq!(client.synchronization_job_count(&sp).await.unwrap(), 1);
    let token = Secret::new("scim-token-2".to_owned());
    client
        .put_synchronization_secrets(&sp, "https://unleash.example/scim", &token)
        .await
        .unwrap();
    assert_eq!(token_requests(&sim), 1, "one app-only token for both calls");
    let delivered = sim.entra().delivered(&sp).unwrap();
    assert_eq!(delivered.token, "scim-token-2");
    assert_eq!(
        delivered.scim_url.as_deref(),
        Some("https://unleash.example/scim")
    );

    // Graph rejects the cached token: the client gets a new token and
    // replays the call once, which then succeeds.
    sim.entra().expire_tokens();
    sim.clear_requests();
    assert_eq!(client.synchronization_job_count(&sp).await.unwrap(), 1);
    assert_eq!(token_requests(&sim), 1, "one new token");
    let graph = sim
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.starts_with("/graph/"))
        .count();
    assert_eq!(graph, 2, "the rejected call and one replay");
    assert_eq!(client.synchronization_job_count(&sp).await.unwrap(), 1);
    assert_eq!(token_requests(&sim), 1, "the new token is cached");

    let log = format!("{:?}", sim.requests());
    assert!(!log.contains("scim-token-2") && !log.contains(&sim.entra().client_secret()));
}

#[tokio::test]
async fn entra_errors_name_the_cause_and_carry_no_secret() {
    let sim = start_sim(SimConfig::builder()).await;
    let sp = sim.entra().service_principal_id();

    let wrong = entra(&sim, "wrong-client-secret");
    let e = wrong.synchronization_job_count(&sp).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401), "{e}");
    assert!(e.to_string().contains("AADSTS7000215"), "{e}");
    assert!(!format!("{e} {e:?}").contains("wrong-client-secret"));

    let client = entra(&sim, &sim.entra().client_secret());
    let e = client
        .synchronization_job_count("00000000-0000-0000-0000-000000000000")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert_eq!(
        e.vendor().unwrap().error_code.as_deref(),
        Some("Request_ResourceNotFound")
    );
    assert!(client.synchronization_job_count("../x").await.is_err());
}
