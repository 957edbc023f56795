//! OIDC identity providers: create, list, read, patch and delete; the
//! client secret never comes back.

use idp_client::{BrokerOidcProviderSpec, Error};
use idp_sim::SimConfig;
use idp_testkit::start_sim;

use super::{directory_spec, oauth, okta_oidc_spec, requests};

#[tokio::test]
async fn identity_providers_round_trip_and_keep_the_client_secret_out() {
    let sim = start_sim(SimConfig::builder()).await;
    let broker = oauth(&sim);
    let directory = broker
        .create_directory(&directory_spec("dir", "example.com"))
        .await
        .unwrap();
    let spec = okta_oidc_spec(&directory.id);
    let created = broker.create_oidc_identity_provider(&spec).await.unwrap();
    assert_eq!(created.name, "Okta");
    assert_eq!(created.idp_type.as_deref(), Some("OIDC"));
    assert_eq!(created.directories[0].0, directory.id);
    assert!(created.oidc.as_ref().unwrap().client_secret.is_none());

    let summaries = broker.list_identity_providers().await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].directory_ids, vec![directory.id.clone()]);

    let mut rename = BrokerOidcProviderSpec::default();
    rename.name = Some("Okta prod".into());
    let patched = broker
        .update_identity_provider(&created.id, &rename)
        .await
        .unwrap();
    assert_eq!(patched.name, "Okta prod");
    assert_eq!(
        patched.oidc.unwrap().client_id.as_deref(),
        Some("okta-client"),
        "a patch keeps the fields it does not send"
    );
    assert_eq!(
        broker
            .get_identity_provider(&created.id)
            .await
            .unwrap()
            .name,
        "Okta prod"
    );

    let mut incomplete = spec.clone();
    incomplete.oidc.as_mut().unwrap().client_secret = None;
    let invalid = broker
        .create_oidc_identity_provider(&incomplete)
        .await
        .unwrap_err();
    assert!(matches!(invalid, Error::InvalidInput { .. }), "{invalid}");

    broker.delete_identity_provider(&created.id).await.unwrap();
    assert!(broker.list_identity_providers().await.unwrap().is_empty());
    let create = requests(&sim, "POST", "/broker/identity-providers");
    assert_eq!(
        create[0].header("content-type"),
        Some("application/vnd.vmware.vidm.federation.broker.identityprovider+json")
    );
}
