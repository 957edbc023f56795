//! The SCIM probe and Entra's credential validation.

use super::*;
#[tokio::test]
async fn scim_probe_and_entra_validation_show_no_secret() {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder()).await;
    let client = unleash(&sim.unleash().url(), UNLEASH_KEY);
    let token = h.ok("generate", client.generate_scim_token().await).token;
    h.secret("a SCIM token", token.expose());
    let url = format!("{}/scim", sim.unleash().url());
    let probe = |url: &str, token: &Secret| {
        idp_client::ScimClient::builder(url)
            .bearer_token(token.clone())
            .config(&fast_config())
            .build()
            .unwrap()
    };
    let accepted = probe(&url, &token);
    h.value("the probe", &accepted);
    h.value(
        "the builder",
        &idp_client::ScimClient::builder(&url).bearer_token(token.clone()),
    );
    h.ok("probe", accepted.probe().await);
    let wrong = Secret::new("wrong-scim-token-Kd82Lq5Ws");
    h.secret("a wrong SCIM token", wrong.expose());
    h.ok("probe, refused", probe(&url, &wrong).probe().await);
    sim.faults().add(
        FaultRule::new("GET", "/unleash/scim/Users")
            .respond(500)
            .times(1),
    );
    h.err("probe, 500", accepted.probe().await);
    sim.faults().add(
        FaultRule::new("GET", "/unleash/scim/Users")
            .drop_connection()
            .times(1),
    );
    h.err("probe, dropped", accepted.probe().await);
    sim.faults().clear();

    let secret = sim.entra().client_secret();
    h.secret("the Entra client secret", secret.clone());
    let entra = idp_testkit::entra_client_builder(&sim).build().unwrap();
    let sp = sim.entra().service_principal_id();
    h.ok(
        "validate",
        entra
            .validate_synchronization_credentials(&sp, &url, &token)
            .await,
    );
    h.err(
        "validate, refused",
        entra
            .validate_synchronization_credentials(&sp, &url, &wrong)
            .await,
    );
    h.sim_tokens(&sim);
    sim.shutdown().await;
    h.finish(&[
        "SCIM probe answer",
        "validateSynchronizationCredentials",
        "status=400",
    ]);
}
