//! idp-client's `EntraClient` against the simulator: the app-only token
//! (obtained once, cached, renewed after Graph rejects it and the call
//! replayed once), synchronization secrets, the Microsoft errors, and no
//! secret in errors or the request log.

use idp_client::{EntraClient, Secret};
use idp_sim::{SimConfig, Simulator};
use idp_testkit::{entra_client_builder, start_sim};

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
