//! VCF Operations 9.1: the OpsToken session, sync clients, API tokens,
//! OAuth apps and a failed task, success and failure.

use super::*;

#[tokio::test]
async fn vcf_ops_operations_show_no_secret() {
    use idp_client::vcf_ops::{
        ApiTokenQuery, ApiTokenSpec, Directory, IdentityProviderSpec, OAuthAppSpec, OidcSettings,
    };
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder().profile(Profile::Vcf91)).await;
    let (url, realm) = (sim.vcf_ops().url(), sim.vcf_ops().realm_id());
    h.secret("the VCF Operations password", sim.vcf_ops().password());
    let client = idp_testkit::ops_client_builder(&sim).build().unwrap();
    h.value("the client", &client);
    let oidc = OidcSettings::new(
        "okta-client",
        Secret::new(CLIENT_SECRET),
        "https://o.example/x",
    );
    let spec = IdentityProviderSpec::oidc(
        &realm,
        "Okta",
        "OKTA",
        oidc,
        Directory::new("d", ["example.com".to_owned()]),
    );
    h.value("the provider spec", &spec);
    let idp = h.ok("create", client.create_identity_provider(&spec).await);
    let directory = idp.directories[0].id.clone().unwrap();
    for _ in 0..2 {
        let sync = h.ok(
            "sync client",
            client.generate_sync_client(&idp.id, &directory, None).await,
        );
        h.secret("a SCIM token", sync.access_token.unwrap().expose());
        h.secret("a sync client secret", sync.client_secret.unwrap().expose());
    }
    h.ok(
        "read sync client",
        client.sync_client(&idp.id, &directory).await,
    );
    let token = h.ok(
        "api token",
        client
            .generate_api_token(&realm, &ApiTokenSpec::new("t"))
            .await,
    );
    h.secret("an API token", token.token.unwrap().expose());
    let token = h.ok(
        "regenerate",
        client.regenerate_api_token(&realm, &token.id).await,
    );
    h.secret("a regenerated API token", token.token.unwrap().expose());
    h.ok(
        "list tokens",
        client
            .list_api_tokens(&realm, &ApiTokenQuery::default())
            .await,
    );
    let app = h.ok(
        "app",
        client
            .create_oauth_app(&realm, &OAuthAppSpec::new("a", Vec::new()))
            .await,
    );
    h.secret("an OAuth app secret", app.client_secret.unwrap().expose());
    let app = h.ok(
        "rotate",
        client.rotate_oauth_app_secret(&realm, &app.id).await,
    );
    h.secret(
        "a rotated OAuth app secret",
        app.client_secret.unwrap().expose(),
    );
    sim.vcf_ops().expire_ops_tokens();
    h.ok("after a 401", client.list_realms().await);
    sim.faults().add(
        FaultRule::new(
            "POST",
            "/suite-api/api/fleet-management/iam/ssorealms/{id}/api-tokens",
        )
        .respond(500)
        .times(1),
    );
    h.err(
        "api token, 500",
        client
            .generate_api_token(&realm, &ApiTokenSpec::new("u"))
            .await,
    );
    sim.vcf_ops().fail_next_task("1500", "failed on purpose");
    h.err(
        "delete, FAILED",
        client.delete_identity_provider(&idp.id, false).await,
    );
    let wrong = idp_testkit::ops_client_builder(&sim)
        .credentials("admin", WRONG_VCF_PASSWORD)
        .build()
        .unwrap();
    assert!(
        h.err("a wrong password", wrong.list_realms().await)
            .is_unauthorized()
    );
    h.ok("close", client.close().await);
    let fixed = idp_client::VcfOpsClient::builder(&url)
        .bearer_token(sim.issue_access_token())
        .config(&fast_config())
        .build()
        .unwrap();
    h.value("a bearer client", &fixed);
    h.ok("bearer", fixed.list_realms().await);
    for secret in sim.vcf_ops().secrets() {
        if secret.len() >= 12 {
            h.secret("a VCF Operations secret", secret);
        }
    }
    h.sim_tokens(&sim);
    h.finish(&[
        "acquireToken",
        "configureIDP",
        "generateScimSyncClient",
        "generateApiToken",
        "rotateOAuthAppSecret",
        "getIamTaskDetails",
        "releaseToken",
        "status=401",
        "status=500",
    ]);
}
