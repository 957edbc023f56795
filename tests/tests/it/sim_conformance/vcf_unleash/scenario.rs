//! The requests the check sends: every operation of both servers, with
//! its successes and the errors the simulator gives.

use idp_sim::{FaultRule, Simulator};
use reqwest::{Method, RequestBuilder, StatusCode, header};
use serde_json::{Value, json};

use super::{Conformance, Server};
use crate::sim_conformance::http;
use idp_testkit::okta_spec_json as okta_spec;

/// A started simulator and the checker, for one profile and edition.
pub struct Run<'c> {
    pub sim: Simulator,
    pub c: &'c mut Conformance,
    pub token: String,
}

impl Run<'_> {
    fn vcf(&self, method: Method, path: &str) -> RequestBuilder {
        http()
            .request(method, format!("{}{path}", self.sim.vcf().url()))
            .bearer_auth(&self.token)
    }

    fn unleash(&self, method: Method, path: &str, key: &str) -> RequestBuilder {
        http()
            .request(method, format!("{}{path}", self.sim.unleash().url()))
            .header(header::AUTHORIZATION, key)
    }

    async fn v(&mut self, op: &str, request: RequestBuilder) -> (StatusCode, Vec<u8>) {
        self.c.send(Server::Vcf, Some(op), request).await
    }

    async fn u(&mut self, op: &str, request: RequestBuilder) -> (StatusCode, Vec<u8>) {
        self.c.send(Server::Unleash, Some(op), request).await
    }
}

/// Every VCF operation, its successes and the errors the simulator gives.
pub async fn vcf_operations(run: &mut Run<'_>) {
    const PROVIDERS: &str = "/v1/identity-providers";
    let (user, password) = (
        run.sim.vcf().username().to_owned(),
        run.sim.vcf().password().to_owned(),
    );

    // Tokens.
    let login = json!({"username": user, "password": password});
    let (status, body) = run
        .v(
            "createToken",
            run.vcf(Method::POST, "/v1/tokens").json(&login),
        )
        .await;
    assert!(status.is_success());
    let pair: Value = serde_json::from_slice(&body).unwrap();
    let refresh_id = pair["refreshToken"]["id"].as_str().unwrap().to_owned();
    let wrong = json!({"username": user, "password": "wrong"});
    run.v(
        "createToken",
        run.vcf(Method::POST, "/v1/tokens").json(&wrong),
    )
    .await;
    run.v(
        "createToken",
        run.vcf(Method::POST, "/v1/tokens").json(&json!({})),
    )
    .await;
    run.v(
        "createToken",
        run.vcf(Method::POST, "/v1/tokens").body("{not json"),
    )
    .await;
    let refresh = "/v1/tokens/access-token/refresh";
    run.v(
        "refreshAccessToken",
        run.vcf(Method::PATCH, refresh).json(&refresh_id),
    )
    .await;
    run.v(
        "refreshAccessToken",
        run.vcf(Method::PATCH, refresh).json(&"unknown"),
    )
    .await;
    run.v("refreshAccessToken", run.vcf(Method::PATCH, refresh))
        .await;

    // Every operation that needs the access token, without it.
    let embedded = run.sim.vcf().embedded_provider_id();
    let unauthenticated = [
        ("getIdentityProviders", Method::GET, PROVIDERS.to_owned()),
        (
            "addExternalIdentityProvider",
            Method::POST,
            PROVIDERS.to_owned(),
        ),
        (
            "getIdentityProviderById",
            Method::GET,
            format!("{PROVIDERS}/{embedded}"),
        ),
        (
            "updateExternalIdentityProvider",
            Method::PATCH,
            format!("{PROVIDERS}/x"),
        ),
        (
            "deleteExternalIdentityProvider",
            Method::DELETE,
            format!("{PROVIDERS}/x"),
        ),
        (
            "addEmbeddedIdentitySource",
            Method::POST,
            format!("{PROVIDERS}/{embedded}/identity-sources"),
        ),
        (
            "updateEmbeddedIdentitySource",
            Method::PATCH,
            format!("{PROVIDERS}/{embedded}/identity-sources/x"),
        ),
        (
            "deleteIdentitySource",
            Method::DELETE,
            format!("{PROVIDERS}/{embedded}/identity-sources/x"),
        ),
        (
            "generateSyncClientToken",
            Method::POST,
            format!("{PROVIDERS}/x/sync-client"),
        ),
        (
            "getIdentityPrecheckResult",
            Method::GET,
            "/v1/identity-broker/prechecks".to_owned(),
        ),
        (
            "invalidateRefreshToken",
            Method::DELETE,
            "/v1/tokens/refresh-token".to_owned(),
        ),
        ("getUsers", Method::GET, "/v1/users".to_owned()),
        ("addUsers", Method::POST, "/v1/users".to_owned()),
        ("removeUser", Method::DELETE, "/v1/users/x".to_owned()),
        ("getUiUsers", Method::GET, "/v1/users/ui".to_owned()),
        ("getRoles", Method::GET, "/v1/roles".to_owned()),
        ("getSSODomains", Method::GET, "/v1/sso-domains".to_owned()),
        (
            "getSSODomainEntities",
            Method::GET,
            "/v1/sso-domains/vsphere.local/entities".to_owned(),
        ),
    ];
    for (op, method, path) in unauthenticated {
        let request = http().request(method, format!("{}{path}", run.sim.vcf().url()));
        let (status, _) = run.v(op, request).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{op}");
    }

    // Reading.
    run.v("getIdentityProviders", run.vcf(Method::GET, PROVIDERS))
        .await;
    run.v(
        "getIdentityPrecheckResult",
        run.vcf(Method::GET, "/v1/identity-broker/prechecks"),
    )
    .await;
    run.v(
        "getIdentityProviderById",
        run.vcf(Method::GET, &format!("{PROVIDERS}/{embedded}")),
    )
    .await;
    run.v(
        "getIdentityProviderById",
        run.vcf(Method::GET, &format!("{PROVIDERS}/no-such-id")),
    )
    .await;

    // A federated provider, its sync client token, then the provider as
    // it shows the token.
    run.v(
        "addExternalIdentityProvider",
        run.vcf(Method::POST, PROVIDERS).json(&okta_spec()),
    )
    .await;
    let okta = run.sim.vcf().external_provider_id().unwrap();
    let okta_path = format!("{PROVIDERS}/{okta}");
    run.v(
        "addExternalIdentityProvider",
        run.vcf(Method::POST, PROVIDERS).json(&okta_spec()),
    )
    .await;
    run.v(
        "addExternalIdentityProvider",
        run.vcf(Method::POST, PROVIDERS)
            .json(&json!({"type": "FEDERATED_IDP_BROKER"})),
    )
    .await;
    let sync = format!("{okta_path}/sync-client");
    run.v("generateSyncClientToken", run.vcf(Method::POST, &sync))
        .await;
    run.v(
        "generateSyncClientToken",
        run.vcf(Method::POST, &format!("{sync}?syncClientTokenTTL=3600")),
    )
    .await;
    run.v(
        "generateSyncClientToken",
        run.vcf(Method::POST, &format!("{sync}?syncClientTokenTTL=abc")),
    )
    .await;
    run.v(
        "generateSyncClientToken",
        run.vcf(Method::POST, &format!("{PROVIDERS}/{embedded}/sync-client")),
    )
    .await;
    run.v("getIdentityProviderById", run.vcf(Method::GET, &okta_path))
        .await;
    run.v("getIdentityProviders", run.vcf(Method::GET, PROVIDERS))
        .await;
    run.v(
        "updateExternalIdentityProvider",
        run.vcf(Method::PATCH, &okta_path).json(&okta_spec()),
    )
    .await;
    run.v(
        "updateExternalIdentityProvider",
        run.vcf(Method::PATCH, &okta_path).json(&adfs_spec()),
    )
    .await;
    run.v(
        "updateExternalIdentityProvider",
        run.vcf(Method::PATCH, &format!("{PROVIDERS}/{embedded}"))
            .json(&okta_spec()),
    )
    .await;
    run.v(
        "deleteExternalIdentityProvider",
        run.vcf(Method::DELETE, &okta_path),
    )
    .await;
    run.v(
        "deleteExternalIdentityProvider",
        run.vcf(Method::DELETE, &okta_path),
    )
    .await;
    run.v(
        "deleteExternalIdentityProvider",
        run.vcf(Method::DELETE, &format!("{PROVIDERS}/{embedded}")),
    )
    .await;

    // ADFS, as listed and read.
    run.v(
        "addExternalIdentityProvider",
        run.vcf(Method::POST, PROVIDERS).json(&adfs_spec()),
    )
    .await;
    let adfs = run.sim.vcf().external_provider_id().unwrap();
    run.v(
        "getIdentityProviderById",
        run.vcf(Method::GET, &format!("{PROVIDERS}/{adfs}")),
    )
    .await;

    // Identity sources of the embedded provider.
    let sources = format!("{PROVIDERS}/{embedded}/identity-sources");
    let domain = "conformance.example.com";
    run.v(
        "addEmbeddedIdentitySource",
        run.vcf(Method::POST, &sources).json(&source_spec(domain)),
    )
    .await;
    run.v(
        "addEmbeddedIdentitySource",
        run.vcf(Method::POST, &sources).json(&source_spec(domain)),
    )
    .await;
    run.v(
        "addEmbeddedIdentitySource",
        run.vcf(Method::POST, &sources)
            .header(header::CONTENT_TYPE, "text/plain")
            .body("x"),
    )
    .await;
    run.v(
        "addEmbeddedIdentitySource",
        run.vcf(
            Method::POST,
            &format!("{PROVIDERS}/{adfs}/identity-sources"),
        )
        .json(&source_spec(domain)),
    )
    .await;
    run.v("getIdentityProviders", run.vcf(Method::GET, PROVIDERS))
        .await;
    let source = format!("{sources}/{domain}");
    run.v(
        "updateEmbeddedIdentitySource",
        run.vcf(Method::PATCH, &source).json(&source_spec(domain)),
    )
    .await;
    run.v(
        "updateEmbeddedIdentitySource",
        run.vcf(Method::PATCH, &source)
            .json(&source_spec("other.example.com")),
    )
    .await;
    run.v("deleteIdentitySource", run.vcf(Method::DELETE, &source))
        .await;
    run.v("deleteIdentitySource", run.vcf(Method::DELETE, &source))
        .await;
    run.v(
        "deleteIdentitySource",
        run.vcf(Method::DELETE, &format!("{sources}/localos")),
    )
    .await;

    users_and_roles(run).await;

    // Logging out, twice.
    let revoke = "/v1/tokens/refresh-token";
    run.v(
        "invalidateRefreshToken",
        run.vcf(Method::DELETE, revoke).json(&refresh_id),
    )
    .await;
    run.v(
        "invalidateRefreshToken",
        run.vcf(Method::DELETE, revoke).json(&refresh_id),
    )
    .await;

    // Fallbacks and an injected fault with the vendor's body.
    run.c
        .send(Server::Vcf, None, run.vcf(Method::GET, "/v1/no-such-route"))
        .await;
    run.c
        .send(Server::Vcf, None, run.vcf(Method::PUT, PROVIDERS))
        .await;
    run.sim
        .faults()
        .add(FaultRule::new("GET", PROVIDERS).respond(503).times(1));
    run.c
        .send(Server::Vcf, None, run.vcf(Method::GET, PROVIDERS))
        .await;
}

/// The users, roles and SSO domains: successes, refusals, not found.
async fn users_and_roles(run: &mut Run<'_>) {
    let (_, body) = run.v("getRoles", run.vcf(Method::GET, "/v1/roles")).await;
    let roles: Value = serde_json::from_slice(&body).unwrap();
    let admin = roles["elements"][0]["id"].as_str().unwrap().to_owned();
    run.v("getUsers", run.vcf(Method::GET, "/v1/users")).await;
    run.v("getUiUsers", run.vcf(Method::GET, "/v1/users/ui"))
        .await;
    run.v("getSSODomains", run.vcf(Method::GET, "/v1/sso-domains"))
        .await;
    let entities = "/v1/sso-domains/embedded-ids.com/entities?entityName=admins";
    run.v("getSSODomainEntities", run.vcf(Method::GET, entities))
        .await;
    run.v(
        "getSSODomainEntities",
        run.vcf(Method::GET, "/v1/sso-domains/nowhere.test/entities"),
    )
    .await;
    let grants = json!([
        {"name": "vcf-admins", "domain": "embedded-ids.com", "type": "GROUP", "role": {"id": admin}},
        {"name": "ci-pipeline", "type": "SERVICE", "role": {"id": admin}}
    ]);
    let (status, body) = run
        .v("addUsers", run.vcf(Method::POST, "/v1/users").json(&grants))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let added: Value = serde_json::from_slice(&body).unwrap();
    run.v("addUsers", run.vcf(Method::POST, "/v1/users").json(&grants))
        .await;
    let unknown = json!([{"name": "nobody", "domain": "embedded-ids.com", "type": "USER", "role": {"id": admin}}]);
    run.v(
        "addUsers",
        run.vcf(Method::POST, "/v1/users").json(&unknown),
    )
    .await;
    for user in added["elements"].as_array().unwrap() {
        let path = format!("/v1/users/{}", user["id"].as_str().unwrap());
        run.v("removeUser", run.vcf(Method::DELETE, &path)).await;
        run.v("removeUser", run.vcf(Method::DELETE, &path)).await;
    }
}

/// Every Unleash operation, its successes and errors.
pub async fn unleash_operations(run: &mut Run<'_>, read_only: &str) {
    const SETTINGS: &str = "/api/admin/scim-settings";
    let key = run.sim.unleash().api_key().to_owned();
    let generate = format!("{SETTINGS}/generate-new-token");
    run.u("getScimSettings", run.unleash(Method::GET, SETTINGS, &key))
        .await;
    run.u(
        "setScimSettings",
        run.unleash(Method::POST, SETTINGS, &key)
            .json(&json!({"enabled": true})),
    )
    .await;
    run.u(
        "setScimSettings",
        run.unleash(Method::POST, SETTINGS, &key)
            .json(&json!({"enabled": "yes"})),
    )
    .await;
    run.u(
        "setScimSettings",
        run.unleash(Method::POST, SETTINGS, &key)
            .header(header::CONTENT_TYPE, "text/plain")
            .body("enabled"),
    )
    .await;
    run.u(
        "generateScimToken",
        run.unleash(Method::POST, &generate, &key),
    )
    .await;
    run.u("getScimSettings", run.unleash(Method::GET, SETTINGS, &key))
        .await;
    run.u(
        "getScimSettings",
        run.unleash(Method::GET, SETTINGS, "not-a-key"),
    )
    .await;
    run.u(
        "generateScimToken",
        run.unleash(Method::POST, &generate, read_only),
    )
    .await;
    run.c
        .send(
            Server::Unleash,
            None,
            run.unleash(Method::GET, "/api/no-such-route", &key),
        )
        .await;
    run.c
        .send(
            Server::Unleash,
            None,
            run.unleash(Method::DELETE, SETTINGS, &key),
        )
        .await;
}

/// The ADFS spec of the documented example.
fn adfs_spec() -> Value {
    json!({
      "name" : "My ADFS",
      "type" : "ActiveDirectory",
      "certChain" : [ ],
      "ldap" : {
        "domainName" : "external-idp.com",
        "domainAlias" : "external-idp",
        "username" : "admin@external-idp.com",
        "password" : "xxxxxxxxx",
        "sourceDetails" : {
          "usersBaseDn" : "users-base-dn",
          "groupsBaseDn" : "groups-base-dn",
          "certChain" : [ ],
          "serverEndpoints" : [ "ldap://dns01.domain.com", "ldap://dns02.domain.com" ]
        }
      },
      "oidc" : {
        "clientId" : "dfd8b7d7-63e1-41e6-b0c0-bec38d7c3c5d",
        "clientSecret" : "c35b6043-13f6-4ec6-b1b2-02f9492ff603",
        "discoveryEndpoint" : "https://domain.com/.well-known/openid-configuration"
      }
    })
}

/// The identity source spec of the documented example, for `domain`.
fn source_spec(domain: &str) -> Value {
    json!({
      "name" : format!("Source {domain}"),
      "ldap" : {
        "type" : "ActiveDirectory",
        "domainName" : domain,
        "domainAlias" : "embedded-ids",
        "username" : "admin@embedded-ids.com",
        "password" : "xxxxxxxxx",
        "sourceDetails" : {
          "usersBaseDn" : "users-base-dn",
          "groupsBaseDn" : "groups-base-dn",
          "certChain" : [ ],
          "serverEndpoints" : [ "ldap://dns01.domain.com", "ldap://dns02.domain.com" ]
        }
      }
    })
}
