//! The simulator's VCF Operations answers (profile `vcf-9.1`) against both
//! readings of VMware's description: decoded strictly into the generated
//! `idp_api::vcf_ops` types (every field declared, every value surviving
//! the round trip), and validated against the vendor's own schemas in
//! `openapi/vendor/vcf-operations-9.1.0.0-identity.json`. Every operation
//! of our spec is exercised with a success and an error.

use std::collections::BTreeSet;

use idp_api::vcf_ops::types;
use idp_sim::{Profile, SimConfig, Simulator};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use super::vcf_unleash::schema::{Declared, Spec, declared_body, strict};
use super::vcf_unleash::vendor::{Vendor, Waived};

const IAM: &str = "/suite-api/api/fleet-management/iam";

struct Run {
    sim: Simulator,
    http: reqwest::Client,
    token: Option<String>,
    /// (operationId, status, body).
    seen: Vec<(String, u16, Value)>,
}

impl Run {
    async fn call(&mut self, op: &str, method: Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.sim.vcf_ops().url());
        let mut request = self.http.request(method, url);
        if let Some(token) = &self.token {
            request = request.header(header::AUTHORIZATION, format!("OpsToken {token}"));
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{op} {status}: {e}: {text}"))
        };
        self.seen.push((op.to_owned(), status, value.clone()));
        value
    }
}

fn oidc(realm: &str, name: &str) -> Value {
    json!({
        "name": name, "ssoRealmId": realm, "idpType": "OKTA", "idpProtocol": "OIDC",
        "provisionType": "SCIM",
        "idpConfig": {"oidcConfiguration": {"clientId": "c", "clientSecret": "s",
            "discoveryEndpoint": "https://okta.example.com/.well-known/openid-configuration"}},
        "directories": [{"name": "d", "domains": ["example.com"], "defaultDomain": "example.com"}],
    })
}

fn ldap(realm: &str) -> Value {
    json!({
        "name": "AD", "ssoRealmId": realm, "idpType": "ADLDAP", "idpProtocol": "LDAP_BIND",
        "provisionType": "LDAP",
        "provisioningConfig": {"ldapConfigurations": [{"name": "corp", "domains": ["corp.example.com"],
            "ldapBindConfiguration": {"type": "ACTIVE_DIRECTORY_LDAP", "baseDn": "DC=corp",
                "bindDn": "CN=bind,DC=corp", "bindDnPassword": "p",
                "primaryDomainController": {"host": "dc1", "port": 636, "protocol": "LDAPS"}}}]},
    })
}

/// Every operation of the spec, with a success and an error each.
async fn exercise() -> Run {
    let config = SimConfig::builder()
        .profile(Profile::Vcf91)
        .build()
        .unwrap();
    let sim = Simulator::start(config).await.unwrap();
    idp_client::ensure_crypto_provider();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut run = Run {
        sim,
        http,
        token: None,
        seen: Vec::new(),
    };
    let ops = run.sim.vcf_ops();
    let (user, password) = (ops.username(), ops.password());
    let realm = ops.realm_id();
    let group = ops.group_id(&realm, "vcf-admins").unwrap();

    let acquire = "/suite-api/api/auth/token/acquire";
    run.call(
        "acquireToken",
        Method::POST,
        acquire,
        Some(json!({"username": user, "password": "wrong"})),
    )
    .await;
    let token = run
        .call(
            "acquireToken",
            Method::POST,
            acquire,
            Some(json!({"username": user, "password": password})),
        )
        .await;
    // Without a token: 401.
    run.call(
        "getSsoRealmList",
        Method::GET,
        &format!("{IAM}/ssorealms"),
        None,
    )
    .await;
    run.token = token["token"].as_str().map(str::to_owned);

    run.call(
        "getSsoRealmList",
        Method::GET,
        &format!("{IAM}/ssorealms"),
        None,
    )
    .await;
    run.call(
        "getSsoRealm",
        Method::GET,
        &format!("{IAM}/ssorealms/{realm}"),
        None,
    )
    .await;
    run.call(
        "getSsoRealm",
        Method::GET,
        &format!("{IAM}/ssorealms/missing"),
        None,
    )
    .await;

    let idp = run
        .call(
            "configureIDP",
            Method::POST,
            &format!("{IAM}/identity-providers"),
            Some(oidc(&realm, "Okta")),
        )
        .await;
    run.call(
        "configureIDP",
        Method::POST,
        &format!("{IAM}/identity-providers"),
        Some(oidc(&realm, "Again")),
    )
    .await;
    let idp_id = idp["id"].as_str().unwrap().to_owned();
    let directory = idp["directories"][0]["id"].as_str().unwrap().to_owned();
    run.call(
        "getIDPConfiguration",
        Method::GET,
        &format!("{IAM}/identity-providers/{idp_id}"),
        None,
    )
    .await;
    run.call(
        "getIDPConfiguration",
        Method::GET,
        &format!("{IAM}/identity-providers/missing"),
        None,
    )
    .await;
    let mut update = oidc(&realm, "Okta 2");
    update["id"] = json!(idp_id);
    run.call(
        "updateIDPConfiguration",
        Method::PUT,
        &format!("{IAM}/identity-providers"),
        Some(update),
    )
    .await;
    let mut missing = oidc(&realm, "x");
    missing["id"] = json!("missing");
    run.call(
        "updateIDPConfiguration",
        Method::PUT,
        &format!("{IAM}/identity-providers"),
        Some(missing),
    )
    .await;

    let sync = format!("{IAM}/identity-providers/{idp_id}/directories/{directory}/sync-client");
    run.call("getScimSyncClientInfo", Method::GET, &sync, None)
        .await;
    run.call(
        "generateScimSyncClient",
        Method::POST,
        &sync,
        Some(json!({"generateToken": true, "tokenTtl": 30})),
    )
    .await;
    run.call(
        "generateScimSyncClient",
        Method::POST,
        &sync,
        Some(json!({"generateToken": true, "tokenTtl": 0})),
    )
    .await;
    run.call("getScimSyncClientInfo", Method::GET, &sync, None)
        .await;

    let group_roles = format!("{IAM}/ssorealms/{realm}/principals/{group}/roles");
    let assignment = json!({"vcfRoleAssignments": [{"roleName": "vcf_administrator", "roleScope": {"scopeType": "SSO_REALM", "resources": []}}]});
    run.call(
        "updateRoleAssignment",
        Method::PUT,
        &group_roles,
        Some(assignment),
    )
    .await;
    run.call("updateRoleAssignment", Method::PUT, &group_roles, Some(json!({"vcfRoleAssignments": [{"roleName": "nope", "roleScope": {"scopeType": "SSO_REALM"}}]}))).await;
    run.call("getRoleAssignment", Method::GET, &group_roles, None)
        .await;
    run.call(
        "getRoleAssignment",
        Method::GET,
        &format!("{IAM}/ssorealms/{realm}/principals/missing/roles"),
        None,
    )
    .await;
    run.call(
        "getUsersList",
        Method::POST,
        &format!("{IAM}/ssorealms/{realm}/users/query?page=0&pageSize=10"),
        Some(json!({})),
    )
    .await;
    run.call(
        "getUsersList",
        Method::POST,
        &format!("{IAM}/ssorealms/missing/users/query?page=0&pageSize=10"),
        Some(json!({})),
    )
    .await;
    run.call(
        "getGroupsList",
        Method::POST,
        &format!("{IAM}/ssorealms/{realm}/groups/query?page=0&pageSize=10"),
        Some(json!({"filters": "HAS_ROLE"})),
    )
    .await;
    run.call(
        "getGroupsList",
        Method::POST,
        &format!("{IAM}/ssorealms/{realm}/groups/query"),
        Some(json!({})),
    )
    .await;
    run.call("deleteRoleAssignments", Method::DELETE, &group_roles, None)
        .await;
    run.call(
        "deleteRoleAssignments",
        Method::DELETE,
        &format!("{IAM}/ssorealms/missing/principals/{group}/roles"),
        None,
    )
    .await;
    run.call(
        "getVCFRolesPaginated",
        Method::GET,
        &format!("{IAM}/roles?page=0&pageSize=10"),
        None,
    )
    .await;
    run.call(
        "getVCFRolesPaginated",
        Method::GET,
        &format!("{IAM}/roles"),
        None,
    )
    .await;

    let tokens = format!("{IAM}/ssorealms/{realm}/api-tokens");
    let api_token = run
        .call(
            "generateApiToken",
            Method::POST,
            &tokens,
            Some(json!({"tokenName": "t", "apiTokenTtl": 60})),
        )
        .await;
    run.call(
        "generateApiToken",
        Method::POST,
        &tokens,
        Some(json!({"tokenName": ""})),
    )
    .await;
    let token_id = api_token["id"].as_str().unwrap().to_owned();
    run.call(
        "queryApiTokens",
        Method::POST,
        &format!("{tokens}/query"),
        Some(json!({"filters": {"tokenStatus": ["ACTIVE"]}})),
    )
    .await;
    run.call(
        "queryApiTokens",
        Method::POST,
        &format!("{IAM}/ssorealms/missing/api-tokens/query"),
        Some(json!({})),
    )
    .await;
    run.call(
        "getApiToken",
        Method::GET,
        &format!("{tokens}/{token_id}"),
        None,
    )
    .await;
    run.call(
        "getApiToken",
        Method::GET,
        &format!("{tokens}/missing"),
        None,
    )
    .await;
    run.call(
        "reGenerateApiToken",
        Method::POST,
        &format!("{tokens}/{token_id}/regenerate"),
        None,
    )
    .await;
    run.call(
        "reGenerateApiToken",
        Method::POST,
        &format!("{tokens}/missing/regenerate"),
        None,
    )
    .await;
    run.call(
        "deleteApiToken",
        Method::DELETE,
        &format!("{tokens}/{token_id}"),
        None,
    )
    .await;
    run.call(
        "deleteApiToken",
        Method::DELETE,
        &format!("{tokens}/{token_id}"),
        None,
    )
    .await;

    let apps = format!("{IAM}/ssorealms/{realm}/oauth-apps");
    let app = run
        .call(
            "createOAuthApp",
            Method::POST,
            &apps,
            Some(json!({"clientName": "a", "redirectUrls": ["https://a.example.com/cb"]})),
        )
        .await;
    run.call(
        "createOAuthApp",
        Method::POST,
        &apps,
        Some(json!({"clientName": "a"})),
    )
    .await;
    let app_id = app["id"].as_str().unwrap().to_owned();
    run.call("listOAuthApps", Method::GET, &apps, None).await;
    run.call(
        "listOAuthApps",
        Method::GET,
        &format!("{IAM}/ssorealms/missing/oauth-apps"),
        None,
    )
    .await;
    run.call(
        "getOAuthApp",
        Method::GET,
        &format!("{apps}/{app_id}"),
        None,
    )
    .await;
    run.call("getOAuthApp", Method::GET, &format!("{apps}/missing"), None)
        .await;
    run.call(
        "rotateOAuthAppSecret",
        Method::POST,
        &format!("{apps}/{app_id}/rotate"),
        None,
    )
    .await;
    run.call(
        "rotateOAuthAppSecret",
        Method::POST,
        &format!("{apps}/missing/rotate"),
        None,
    )
    .await;
    run.call(
        "deleteOAuthApp",
        Method::DELETE,
        &format!("{apps}/{app_id}"),
        None,
    )
    .await;
    run.call(
        "deleteOAuthApp",
        Method::DELETE,
        &format!("{apps}/{app_id}"),
        None,
    )
    .await;

    let task = run
        .call(
            "deleteIDPConfiguration",
            Method::DELETE,
            &format!("{IAM}/identity-providers/{idp_id}"),
            None,
        )
        .await;
    run.call(
        "deleteIDPConfiguration",
        Method::DELETE,
        &format!("{IAM}/identity-providers/missing"),
        None,
    )
    .await;
    let task_id = task["taskId"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        run.call(
            "getIamTaskDetails",
            Method::GET,
            &format!("{IAM}/tasks/{task_id}"),
            None,
        )
        .await;
    }
    run.call(
        "getIamTaskDetails",
        Method::GET,
        &format!("{IAM}/tasks/missing"),
        None,
    )
    .await;
    run.sim
        .vcf_ops()
        .fail_next_task("1500", "failed on purpose");

    let ldap_idp = run
        .call(
            "configureIDP",
            Method::POST,
            &format!("{IAM}/identity-providers"),
            Some(ldap(&realm)),
        )
        .await;
    let ldap_idp = ldap_idp["id"].as_str().unwrap().to_owned();
    let dirs = format!("{IAM}/identity-providers/{ldap_idp}/ldap-directories");
    let listed = run
        .call("getLdapDirectories", Method::GET, &dirs, None)
        .await;
    run.call(
        "getLdapDirectories",
        Method::GET,
        &format!("{IAM}/identity-providers/missing/ldap-directories"),
        None,
    )
    .await;
    let ldap_id = listed["ldapDirectories"][0]["ldapConfigurationId"]
        .as_str()
        .unwrap()
        .to_owned();
    run.call(
        "executeLdapSync",
        Method::POST,
        &format!("{dirs}/{ldap_id}/sync"),
        None,
    )
    .await;
    run.call(
        "executeLdapSync",
        Method::POST,
        &format!("{dirs}/missing/sync"),
        None,
    )
    .await;
    run.call("getLdapDirectories", Method::GET, &dirs, None)
        .await;
    run.call(
        "getLdapSyncLogs",
        Method::GET,
        &format!("{dirs}/{ldap_id}/sync-logs?last=true"),
        None,
    )
    .await;
    run.call(
        "getLdapSyncLogs",
        Method::GET,
        &format!("{dirs}/missing/sync-logs"),
        None,
    )
    .await;
    let failing = run
        .call(
            "deleteIDPConfiguration",
            Method::DELETE,
            &format!("{IAM}/identity-providers/{ldap_idp}"),
            None,
        )
        .await;
    let failing = failing["taskId"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        run.call(
            "getIamTaskDetails",
            Method::GET,
            &format!("{IAM}/tasks/{failing}"),
            None,
        )
        .await;
    }

    let release = "/suite-api/api/auth/token/release";
    run.call("releaseToken", Method::POST, release, None).await;
    run.call("releaseToken", Method::POST, release, None).await;
    run
}

/// The generated type of the spec schema `name`, strictly.
fn decode_as(spec: &Spec, name: &str, body: &Value) -> Result<(), String> {
    match name {
        "AuthToken" => strict::<types::AuthToken>(spec, name, body),
        "SsoRealms" => strict::<types::SsoRealms>(spec, name, body),
        "SsoRealm" => strict::<types::SsoRealm>(spec, name, body),
        "FederatedIdentityProvider" => strict::<types::FederatedIdentityProvider>(spec, name, body),
        "IamTaskDetails" => strict::<types::IamTaskDetails>(spec, name, body),
        "ScimSyncClientDetails" => strict::<types::ScimSyncClientDetails>(spec, name, body),
        "LdapDirectories" => strict::<types::LdapDirectories>(spec, name, body),
        "LdapSyncResult" => strict::<types::LdapSyncResult>(spec, name, body),
        "LdapSyncLogs" => strict::<types::LdapSyncLogs>(spec, name, body),
        "VcfRoleAssignments" => strict::<types::VcfRoleAssignments>(spec, name, body),
        "VidbUsers" => strict::<types::VidbUsers>(spec, name, body),
        "VidbGroups" => strict::<types::VidbGroups>(spec, name, body),
        "VcfRoles" => strict::<types::VcfRoles>(spec, name, body),
        "ApiToken" => strict::<types::ApiToken>(spec, name, body),
        "ApiTokens" => strict::<types::ApiTokens>(spec, name, body),
        "OAuthApps" => strict::<types::OAuthApps>(spec, name, body),
        "OAuthApp" => strict::<types::OAuthApp>(spec, name, body),
        other => Err(format!("no generated type is mapped for schema {other}")),
    }
}

#[tokio::test]
async fn every_vcf_ops_body_decodes_strictly_and_every_operation_is_exercised() {
    let run = exercise().await;
    let spec = Spec::load("vcf-operations-identity.json");
    let mut failures = Vec::new();
    for (op, status, body) in &run.seen {
        let Some(response) = spec.response(op, *status) else {
            failures.push(format!("{op}: status {status} is not in the spec"));
            continue;
        };
        match declared_body(&spec, response) {
            Declared::Schema(name) => {
                if let Err(e) = decode_as(&spec, &name, body) {
                    failures.push(format!("{op} {status}: {e}"));
                }
            }
            Declared::NoBody | Declared::Text => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let exercised: BTreeSet<(&str, bool)> = run
        .seen
        .iter()
        .map(|(op, status, _)| (op.as_str(), *status < 300))
        .collect();
    for id in spec.doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op.get("operationId").and_then(Value::as_str))
    {
        assert!(exercised.contains(&(id, true)), "{id}: no success seen");
        assert!(exercised.contains(&(id, false)), "{id}: no error seen");
    }
    // The task went QUEUED, IN_PROGRESS, COMPLETED, then one FAILED.
    let statuses: Vec<&str> = run
        .seen
        .iter()
        .filter(|(op, s, _)| op == "getIamTaskDetails" && *s == 200)
        .filter_map(|(_, _, b)| b["taskStatus"].as_str())
        .collect();
    assert_eq!(
        statuses,
        ["IN_PROGRESS", "COMPLETED", "IN_PROGRESS", "FAILED"]
    );
}

#[tokio::test]
async fn vcf_ops_bodies_validate_against_the_vendor_description() {
    let run = exercise().await;
    let vendor = Vendor::named("vcf-operations-9.1.0.0-identity");
    let waived = Waived::load_for("vcf-operations");
    let mut problems = Vec::new();
    let mut validated = BTreeSet::new();
    for (op, status, body) in &run.seen {
        if *status >= 300 {
            continue;
        }
        let Some(found) = vendor.check(&waived, op, *status, body) else {
            continue;
        };
        validated.insert(op.clone());
        problems.extend(
            found
                .into_iter()
                .map(|p| format!("{op} {status}: {p}; body: {body}")),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every operation the vendor gives a JSON body was validated.
    for op in [
        "acquireToken",
        "getSsoRealmList",
        "getSsoRealm",
        "configureIDP",
        "getIDPConfiguration",
        "updateIDPConfiguration",
        "deleteIDPConfiguration",
        "getScimSyncClientInfo",
        "generateScimSyncClient",
        "getLdapDirectories",
        "executeLdapSync",
        "getLdapSyncLogs",
        "getRoleAssignment",
        "getUsersList",
        "getGroupsList",
        "getVCFRolesPaginated",
        "generateApiToken",
        "queryApiTokens",
        "getApiToken",
        "reGenerateApiToken",
        "listOAuthApps",
        "createOAuthApp",
        "getOAuthApp",
        "rotateOAuthAppSecret",
        "getIamTaskDetails",
    ] {
        assert!(validated.contains(op), "{op}: not validated");
    }
    assert_eq!(StatusCode::OK.as_u16(), 200);
}
