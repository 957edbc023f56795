//! Unleash: every SCIM-settings operation, success and failure.

use super::*;

#[tokio::test]
async fn unleash_operations_show_no_secret() {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder()).await;
    let url = sim.unleash().url();
    let client = unleash(&url, UNLEASH_KEY);
    h.value("the client", &client);
    h.value(
        "the builder",
        &UnleashClient::builder(&url).api_token(Secret::new(UNLEASH_KEY)),
    );

    h.ok("settings", client.scim_settings().await);
    h.ok("enable", client.set_scim_settings(true).await);
    for _ in 0..2 {
        let token = h.ok("generate", client.generate_scim_token().await);
        h.secret("a SCIM token", token.token.expose());
    }
    sim.faults().add(
        FaultRule::new(
            "POST",
            "/unleash/api/admin/scim-settings/generate-new-token",
        )
        .respond(500)
        .times(1),
    );
    h.err("generate, 500", client.generate_scim_token().await);
    sim.faults().add(
        FaultRule::new("GET", "/unleash/api/admin/scim-settings")
            .respond_html(502, "<html><title>Bad Gateway</title></html>")
            .times(10),
    );
    h.err("settings, 502", client.scim_settings().await);
    sim.faults().clear();
    h.ok("disable", client.set_scim_settings(false).await);

    let wrong = unleash(&url, WRONG_UNLEASH_KEY);
    assert!(
        h.err("a wrong key", wrong.scim_settings().await)
            .is_unauthorized()
    );
    let read_only = unleash(&url, UNLEASH_READ_ONLY_KEY);
    assert!(
        h.err("a read-only key", read_only.generate_scim_token().await)
            .is_forbidden()
    );
    let bearer = unleash(&url, &format!("Bearer {UNLEASH_KEY}"));
    h.ok("a Bearer-prefixed key", bearer.scim_settings().await);
    sim.shutdown().await;

    let open_source =
        sim_with(SimConfig::builder().unleash_edition(UnleashEdition::OpenSource)).await;
    let client = unleash(&open_source.unleash().url(), UNLEASH_KEY);
    assert!(
        h.err("open source", client.generate_scim_token().await)
            .is_not_found()
    );
    open_source.shutdown().await;

    h.finish(&[
        "getScimSettings",
        "setScimSettings",
        "generateScimToken",
        "status=401",
        "status=403",
        "status=404",
        "status=500",
    ]);
}
