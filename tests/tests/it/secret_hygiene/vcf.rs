//! SDDC Manager: every operation under every profile, API-key logins, service users' keys.

use super::*;

/// Every VCF operation, on its success and failure paths, under `profile`.
async fn vcf_scenario(profile: Profile) {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder().profile(profile)).await;
    let url = sim.vcf().url();
    let vcf = session(&url, VCF_PASSWORD);
    h.value("the client", &vcf);

    // Reads (the first one logs in with the password).
    let providers = h.ok("list", vcf.list_identity_providers().await);
    assert_eq!(providers.len(), 1);
    let embedded = h.ok("embedded", vcf.embedded_identity_provider().await);
    let embedded_id = embedded.unwrap().id;
    h.ok("get", vcf.get_identity_provider(&embedded_id).await);
    h.ok("prechecks", vcf.identity_broker_prechecks().await);
    h.ok("active", vcf.active_identity_provider().await);
    h.ok("by name", vcf.find_identity_provider_by_name("x").await);
    h.err("get unknown", vcf.get_identity_provider("no-such-id").await);
    h.value("the logged-in client", &vcf);

    // Identity sources with a bind password.
    let spec = source_spec(LDAP_PASSWORD, "ldap://dc01.hygiene.example.com");
    h.value("a source spec", &spec);
    h.ok(
        "add source",
        vcf.add_embedded_identity_source(&embedded_id, &spec).await,
    );
    h.err(
        "add a duplicate source",
        vcf.add_embedded_identity_source(&embedded_id, &spec).await,
    );
    h.err(
        "add a source to an unknown provider",
        vcf.add_embedded_identity_source("no-such-id", &spec).await,
    );
    let spec_2 = source_spec(LDAP_PASSWORD_2, "ldap://dc02.hygiene.example.com");
    h.ok(
        "update source",
        vcf.update_embedded_identity_source(&embedded_id, "hygiene.example.com", &spec_2)
            .await,
    );
    h.ok(
        "get with the source",
        vcf.get_identity_provider(&embedded_id).await,
    );
    sim.faults().add(
        FaultRule::new(
            "PATCH",
            "/v1/identity-providers/{id}/identity-sources/{domainName}",
        )
        .respond(500)
        .times(1),
    );
    h.err(
        "update source, 500",
        vcf.update_embedded_identity_source(&embedded_id, "hygiene.example.com", &spec_2)
            .await,
    );
    h.ok(
        "delete source",
        vcf.delete_identity_source(&embedded_id, "hygiene.example.com")
            .await,
    );
    h.err(
        "delete a gone source",
        vcf.delete_identity_source(&embedded_id, "hygiene.example.com")
            .await,
    );

    // A federated provider with a client secret, and its sync client tokens.
    let okta = okta_spec(CLIENT_SECRET);
    h.value("an Okta spec", &okta);
    sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers")
            .respond(500)
            .times(1),
    );
    h.err(
        "add provider, 500 (never retried)",
        vcf.add_external_identity_provider(&okta).await,
    );
    let okta_id = h.ok(
        "add provider",
        vcf.add_external_identity_provider(&okta).await,
    );
    h.ok("get provider", vcf.get_identity_provider(&okta_id).await);
    for ttl in [Some(Duration::from_secs(600)), None] {
        let token = h.ok(
            "sync token",
            vcf.generate_sync_client_token(&okta_id, ttl).await,
        );
        h.secret("a sync client token", token.token.expose());
    }
    sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers/{id}/sync-client")
            .respond(500)
            .times(1),
    );
    h.err(
        "sync token, 500",
        vcf.generate_sync_client_token(&okta_id, None).await,
    );
    sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers/{id}/sync-client")
            .respond_json(
                200,
                serde_json::json!({"token": {"value": "x"}, "expireAt": [1]}),
            )
            .times(1),
    );
    h.err(
        "sync token, undecodable",
        vcf.generate_sync_client_token(&okta_id, None).await,
    );
    h.err(
        "sync token of the embedded provider",
        vcf.generate_sync_client_token(&embedded_id, None).await,
    );
    h.ok(
        "list with a sync token",
        vcf.list_identity_providers().await,
    );
    h.ok(
        "update provider",
        vcf.update_external_identity_provider(&okta_id, &okta_spec(CLIENT_SECRET_2))
            .await,
    );
    h.err(
        "a second external provider",
        vcf.add_external_identity_provider(&adfs_spec()).await,
    );

    // Transient faults: retried GETs, a truncated body, a dropped connection.
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers")
            .respond(503)
            .retry_after(1)
            .times(1),
    );
    h.ok("list after a 503", vcf.list_identity_providers().await);
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers")
            .truncate_body()
            .times(1),
    );
    h.err("list, truncated", vcf.list_identity_providers().await);
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers")
            .drop_connection()
            .times(10),
    );
    h.err("list, dropped", vcf.list_identity_providers().await);
    sim.faults().clear();

    // A 401: the access token expired, so the session refreshes it with
    // the refresh token id and replays.
    sim.clear_requests();
    sim.expire_access_tokens();
    h.ok("list after a 401", vcf.list_identity_providers().await);
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.path == "/v1/tokens/access-token/refresh"),
        "no refresh happened"
    );

    h.ok(
        "delete provider",
        vcf.delete_external_identity_provider(&okta_id).await,
    );
    h.err("get deleted", vcf.get_identity_provider(&okta_id).await);
    let adfs_id = h.ok(
        "add ADFS",
        vcf.add_external_identity_provider(&adfs_spec()).await,
    );
    h.ok("get ADFS", vcf.get_identity_provider(&adfs_id).await);
    h.ok(
        "delete ADFS",
        vcf.delete_external_identity_provider(&adfs_id).await,
    );

    // Invalid input: rejected before sending, with the secret in the spec.
    let incomplete = FederatedSpecBuilder::okta("okta")
        .client_secret(Secret::new(CLIENT_SECRET))
        .build();
    h.err("an incomplete spec", incomplete);
    h.err(
        "a bad id",
        vcf.update_external_identity_provider("..", &okta_spec(CLIENT_SECRET))
            .await,
    );

    h.ok("logout", vcf.logout().await);

    // Wrong credentials.
    let wrong = session(&url, WRONG_VCF_PASSWORD);
    h.value("a client with a wrong password", &wrong);
    h.err("wrong password", wrong.list_identity_providers().await);

    // A bearer token, then the same token expired.
    let bearer_token = sim.issue_access_token();
    let bearer = VcfClient::builder(&url)
        .bearer_token(Secret::new(bearer_token.clone()))
        .config(&fast_config())
        .build()
        .unwrap();
    h.value("a bearer client", &bearer);
    h.ok(
        "list with a bearer token",
        bearer.list_identity_providers().await,
    );
    sim.expire_access_tokens();
    let expired = h.err(
        "an expired bearer token",
        bearer.list_identity_providers().await,
    );
    assert!(expired.is_unauthorized());
    let bad_header = VcfClient::builder(&url)
        .bearer_token(Secret::new(format!("{bearer_token}\u{1}{bearer_token}")))
        .build();
    h.err("a bearer token that is not a header value", bad_header);
    h.secret("the bearer token", bearer_token);

    h.sim_tokens(&sim);
    sim.shutdown().await;
    h.finish(&[
        "idp_client.operation",
        "createToken",
        "refreshAccessToken",
        "invalidateRefreshToken",
        "generateSyncClientToken",
        "addEmbeddedIdentitySource",
        "status=401",
        "status=500",
        "status=503",
        // reqwest's and hyper-util's `log` records, and the simulator's events.
        "hyper_util::client",
        "idp_sim::server",
    ]);
}

#[tokio::test]
async fn vcf_5_1_operations_show_no_secret() {
    vcf_scenario(Profile::Vcf51).await;
}

#[tokio::test]
async fn vcf_5_2_operations_show_no_secret() {
    vcf_scenario(Profile::Vcf52).await;
}

#[tokio::test]
async fn vcf_9_operations_show_no_secret() {
    vcf_scenario(Profile::Vcf9).await;
}

#[tokio::test]
async fn vcf_api_key_logins_show_no_secret() {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder().profile(Profile::Vcf9)).await;
    let key = sim.vcf().api_key();
    h.secret("the service user's API key", key.clone());
    h.secret("a wrong API key", format!("{key}-wrong"));
    // A refresh skew longer than any token's life: every call refreshes.
    let builder = VcfClient::builder(sim.vcf().url())
        .api_key(Secret::new(key.clone()))
        .token_refresh_skew(Duration::from_secs(24 * 3600))
        .config(&fast_config());
    h.value("the builder", &builder);
    let vcf = builder.build().unwrap();
    h.value("the client", &vcf);
    h.ok("list", vcf.list_identity_providers().await);
    h.ok("list again", vcf.list_identity_providers().await);
    h.value("the logged-in client", &vcf);
    h.ok("logout", vcf.logout().await);
    let wrong = VcfClient::builder(sim.vcf().url())
        .api_key(Secret::new(format!("{key}-wrong")))
        .config(&fast_config())
        .build()
        .unwrap();
    let error = h.err("a wrong key", wrong.list_identity_providers().await);
    assert!(error.is_unauthorized(), "{error}");
    h.sim_tokens(&sim);
    sim.shutdown().await;
    h.finish(&["createToken", "refreshAccessToken", "status=401"]);
}

#[tokio::test]
async fn vcf_service_user_keys_show_no_secret() {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder().profile(Profile::Vcf9)).await;
    let vcf = session(&sim.vcf().url(), VCF_PASSWORD);
    let added = h.ok(
        "add a service user",
        vcf.add_service_user("ci-pipeline", "OPERATOR").await,
    );
    let key = added.api_key.expose().to_owned();
    h.secret("a new service user's API key", key.clone());
    h.secret("the seeded service user's API key", sim.vcf().api_key());
    h.ok("list users", vcf.list_users().await);
    h.ok("list ui users", vcf.list_ui_users().await);
    h.ok("list roles", vcf.list_roles().await);
    h.ok("list SSO domains", vcf.list_sso_domains().await);
    h.ok(
        "search principals",
        vcf.search_principals("embedded-ids.com", None).await,
    );
    h.err(
        "a duplicate service user",
        vcf.add_service_user("ci-pipeline", "OPERATOR").await,
    );
    h.err(
        "an unknown role",
        vcf.add_service_user("other", "ROOT").await,
    );
    let as_service = VcfClient::builder(sim.vcf().url())
        .api_key(Secret::new(key.clone()))
        .config(&fast_config())
        .build()
        .unwrap();
    h.ok("list users with the new key", as_service.list_users().await);
    h.ok(
        "remove the service user",
        vcf.remove_user(&added.user.id).await,
    );
    let removed = VcfClient::builder(sim.vcf().url())
        .api_key(Secret::new(key.clone()))
        .config(&fast_config())
        .build()
        .unwrap();
    let error = h.err("the removed user's key", removed.list_users().await);
    assert!(error.is_unauthorized(), "{error}");
    h.value("the removed user's client", &removed);
    h.sim_tokens(&sim);
    sim.shutdown().await;
    h.finish(&["addUsers", "getUsers", "removeUser", "getRoles"]);
}
