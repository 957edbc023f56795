//! OAuth clients: create, list, read, patch and delete; a generated secret
//! shown once; a rotated secret works and the retired one does not.

use std::time::Duration;

use idp_client::{BrokerOAuthClientSpec, Secret};
use idp_sim::SimConfig;
use idp_testkit::start_sim;

use super::{builder, oauth};

#[tokio::test]
async fn oauth_clients_round_trip_and_a_rotated_secret_works() {
    let sim = start_sim(SimConfig::builder()).await;
    let broker = oauth(&sim);
    let mut spec = BrokerOAuthClientSpec::default();
    spec.client_id = Some("automation".into());
    spec.scope = vec!["admin".into()];
    spec.grant_types = vec!["client_credentials".into()];
    let created = broker.create_oauth_client(&spec).await.unwrap();
    let secret = created
        .secret
        .clone()
        .expect("a generated secret is returned once");
    assert!(
        broker
            .get_oauth_client("automation")
            .await
            .unwrap()
            .secret
            .is_none()
    );
    let ids: Vec<String> = broker
        .list_oauth_clients()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.client_id)
        .collect();
    assert_eq!(ids, ["automation", sim.broker().client_id()]);

    let mut patch = BrokerOAuthClientSpec::default();
    patch.access_token_ttl_minutes = Some(30);
    let patched = broker
        .update_oauth_client("automation", &patch)
        .await
        .unwrap();
    assert_eq!(patched.access_token_ttl_minutes, Some(30));

    // The new client works, then its rotated secret does.
    let own = builder(&sim)
        .oauth_client("automation", secret.clone())
        .build()
        .unwrap();
    own.list_directories().await.unwrap();
    let new_secret = Secret::new("second-secret-value");
    broker
        .start_secret_rotation("automation", &new_secret, Some(Duration::from_secs(3600)))
        .await
        .unwrap();
    let again = broker
        .start_secret_rotation("automation", &new_secret, None)
        .await
        .unwrap_err();
    assert_eq!(again.status().map(|s| s.as_u16()), Some(400));
    broker.retire_primary_secret("automation").await.unwrap();
    let rotated = builder(&sim)
        .oauth_client("automation", new_secret)
        .build()
        .unwrap();
    rotated.list_directories().await.unwrap();
    let old = builder(&sim)
        .oauth_client("automation", secret)
        .build()
        .unwrap();
    let rejected = old.list_directories().await.unwrap_err();
    assert!(rejected.is_unauthorized(), "{rejected}");

    broker.delete_oauth_client("automation").await.unwrap();
    assert!(
        broker
            .get_oauth_client("automation")
            .await
            .unwrap_err()
            .is_not_found()
    );
}
