//! idp-client's `UnleashClient` against the simulator: the SCIM settings
//! and token lifecycle, tolerant base URLs, and the open-source edition
//! without SCIM (HTTPS: `tls.rs`).

use idp_client::{Secret, UnleashClient};
use idp_sim::{Profile, SimConfig, Simulator, UnleashEdition};
use idp_testkit::{start_sim, unleash_client};

async fn start(profile: Profile) -> Simulator {
    start_sim(SimConfig::builder().profile(profile)).await
}

fn unleash(sim: &Simulator) -> UnleashClient {
    unleash_client(sim)
}

#[tokio::test]
async fn unleash_scim_lifecycle() {
    let sim = start(Profile::Vcf52).await;
    let client = unleash(&sim);
    client.set_scim_settings(true).await.unwrap();
    let first = client.generate_scim_token().await.unwrap();
    let second = client.generate_scim_token().await.unwrap();
    assert_ne!(first.token, second.token);
    assert_eq!(
        sim.unleash().scim_token().as_deref(),
        Some(second.token.expose()),
        "the first token is revoked"
    );
    let settings = client.scim_settings().await.unwrap();
    assert!(settings.enabled && settings.has_token);
    client.set_scim_settings(false).await.unwrap();
    assert!(!client.scim_settings().await.unwrap().enabled);

    // A base URL with a trailing slash or /api means the same server.
    for base in [
        format!("{}/", sim.unleash().url()),
        format!("{}/api", sim.unleash().url()),
    ] {
        let tolerant = UnleashClient::builder(base)
            .api_token(Secret::new(sim.unleash().api_key()))
            .build()
            .unwrap();
        assert!(!tolerant.scim_settings().await.unwrap().enabled);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn open_source_unleash_says_scim_needs_enterprise() {
    let config = SimConfig::builder()
        .unleash_edition(UnleashEdition::OpenSource)
        .build()
        .unwrap();
    let sim = Simulator::start(config).await.unwrap();
    let error = unleash(&sim).generate_scim_token().await.unwrap_err();
    assert!(error.is_not_found());
    assert!(error.to_string().contains("Enterprise"), "{error}");
    sim.shutdown().await;
}
