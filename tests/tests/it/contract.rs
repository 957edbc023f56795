//! Every seed payload decodes with the generated types, and every request
//! payload survives document JSON -> generated type -> JSON unchanged.

use idp_api::{unleash, vcf};
use idp_testkit::{Fixture, all_fixtures, fixture};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn decode<T: DeserializeOwned>(f: &Fixture) -> T {
    match serde_json::from_str(&f.text) {
        Ok(value) => value,
        Err(e) => panic!(
            "{} does not decode as {}: {e}",
            f.label(),
            std::any::type_name::<T>()
        ),
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(f: &Fixture) {
    let typed: T = decode(f);
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(back, f.value(), "{} changes in a round trip", f.label());
}

/// Decodes (responses) or round-trips (requests) one fixture with the type
/// its operation uses. Returns false for a fixture this table does not know.
fn check(f: &Fixture) -> bool {
    let success = f.status.is_some_and(|s| (200..300).contains(&s));
    let error = f.status.is_some_and(|s| s >= 400);
    match (f.module.as_str(), f.operation_id.as_str()) {
        ("vcf", "getIdentityProviders") if success => {
            drop(decode::<vcf::types::PageOfIdentityProvider>(f))
        }
        ("vcf", "getIdentityProviderById") if success => {
            drop(decode::<vcf::types::IdentityProvider>(f))
        }
        ("vcf", "generateSyncClientToken") if success => {
            drop(decode::<vcf::types::SyncClientTokenInfo>(f))
        }
        ("vcf", "getIdentityPrecheckResult") if success => {
            drop(decode::<vcf::types::IdentityBrokerPrecheck>(f))
        }
        ("vcf", "addExternalIdentityProvider" | "updateExternalIdentityProvider")
            if f.status.is_none() =>
        {
            round_trip::<vcf::types::IdentityProviderSpec>(f);
        }
        ("vcf", "addEmbeddedIdentitySource" | "updateEmbeddedIdentitySource")
            if f.status.is_none() =>
        {
            round_trip::<vcf::types::IdentitySourceSpec>(f);
        }
        // Raw success bodies: text that the facade interprets.
        ("vcf", "addExternalIdentityProvider" | "addEmbeddedIdentitySource") if success => {
            assert!(!f.json, "{} should be a text body", f.label());
            assert!(!f.text.trim().is_empty());
        }
        ("vcf", "getUsers" | "getUiUsers" | "addUsers") if success => {
            drop(decode::<vcf::types::PageOfUser>(f))
        }
        ("vcf", "addUsers") if f.status.is_none() => round_trip::<Vec<vcf::types::User>>(f),
        ("vcf", "getRoles") if success => drop(decode::<vcf::types::PageOfRole>(f)),
        ("vcf", "getSSODomains") if success => drop(decode::<vcf::types::PageOfString>(f)),
        ("vcf", "getSSODomainEntities") if success => {
            drop(decode::<vcf::types::PageOfSsoDomainEntity>(f))
        }
        ("vcf", _) if error => drop(decode::<vcf::types::VcfError>(f)),
        ("unleash", "generateScimToken") if success => drop(decode::<unleash::types::ScimToken>(f)),
        ("unleash", _) if error => drop(decode::<unleash::types::UnleashError>(f)),
        _ => return false,
    }
    true
}

#[test]
fn every_fixture_decodes_or_round_trips() {
    let fixtures = all_fixtures();
    assert!(
        fixtures.len() >= 29,
        "expected every seed payload, found {}",
        fixtures.len()
    );
    let unknown: Vec<String> = fixtures
        .iter()
        .filter(|f| !check(f))
        .map(Fixture::label)
        .collect();
    assert!(
        unknown.is_empty(),
        "fixtures with no decoding rule: {unknown:?}"
    );
}

#[test]
fn documented_status_values_decode_in_either_case() {
    let page: vcf::types::PageOfIdentityProvider = decode(&fixture(
        "vcf",
        "getIdentityProviders.okta.response-200.json",
    ));
    let statuses: Vec<_> = page
        .elements
        .iter()
        .map(|p| p.status.clone().unwrap())
        .collect();
    assert_eq!(statuses, ["inactive", "active"]);
    let reference: vcf::types::IdentityProvider = decode(&fixture(
        "vcf",
        "getIdentityProviderById.reference.response-200.json",
    ));
    assert_eq!(
        reference.status.as_deref(),
        Some("One among: ACTIVE, INACTIVE")
    );
}

#[test]
fn sync_client_token_ttl_is_accepted_as_number_and_as_string() {
    let page: vcf::types::PageOfIdentityProvider = decode(&fixture(
        "vcf",
        "getIdentityProviders.okta.response-200.json",
    ));
    let fed = page.elements[1].fed_idp.as_ref().unwrap();
    assert_eq!(
        fed.sync_client_token_ttl,
        Some(vcf::types::TokenLifetime::Int64(500_000))
    );
    let info = fed.sync_client_token_info.as_ref().unwrap();
    assert_eq!(
        info.expire_at,
        Some(vcf::types::TokenExpiry::String(
            "2023-10-02T16:18:42.681Z".into()
        ))
    );
    assert!(info.token.is_none(), "listings do not carry the token");

    let reference: vcf::types::IdentityProvider = decode(&fixture(
        "vcf",
        "getIdentityProviderById.reference.response-200.json",
    ));
    let ttl = reference.fed_idp.unwrap().sync_client_token_ttl;
    assert_eq!(
        ttl,
        Some(vcf::types::TokenLifetime::String(
            "One among: ACTIVE, INACTIVE".into()
        ))
    );
}

#[test]
fn sync_client_token_expiry_comes_as_expire_in_or_expire_at() {
    let served: vcf::types::SyncClientTokenInfo = decode(&fixture(
        "vcf",
        "generateSyncClientToken.served.response-200.json",
    ));
    assert_eq!(
        served.expire_in,
        Some(vcf::types::TokenExpiry::Number(1_696_263_522.0))
    );
    assert!(served.expire_at.is_none());
    assert!(
        served
            .token
            .as_ref()
            .unwrap()
            .expose()
            .starts_with("eyJ0eXAi")
    );
    let reference: vcf::types::SyncClientTokenInfo = decode(&fixture(
        "vcf",
        "generateSyncClientToken.reference.response-200.json",
    ));
    assert!(matches!(
        reference.expire_at,
        Some(vcf::types::TokenExpiry::String(_))
    ));
}

#[test]
fn both_vcf_error_shapes_decode_into_one_type() {
    let response: vcf::types::VcfError = decode(&fixture(
        "vcf",
        "generateSyncClientToken.reference.response-401.json",
    ));
    assert_eq!(response.cause.len(), 1);
    assert!(response.causes.is_empty());
    let error: vcf::types::VcfError = decode(&fixture(
        "vcf",
        "addExternalIdentityProvider.reference.response-400.json",
    ));
    assert_eq!(error.causes.len(), 1);
    assert_eq!(error.error_type.as_deref(), Some("string"));
    assert_eq!(error.nested_errors, [Value::String("Error Object".into())]);
}

#[test]
fn secrets_in_seed_payloads_never_print_in_debug() {
    let mut checked = 0;
    for f in all_fixtures().iter().filter(|f| f.json) {
        let rendered = match (f.module.as_str(), f.operation_id.as_str(), f.status) {
            ("vcf", "addExternalIdentityProvider" | "updateExternalIdentityProvider", None) => {
                format!("{:?}", decode::<vcf::types::IdentityProviderSpec>(f))
            }
            ("vcf", "addEmbeddedIdentitySource" | "updateEmbeddedIdentitySource", None) => {
                format!("{:?}", decode::<vcf::types::IdentitySourceSpec>(f))
            }
            ("vcf", "generateSyncClientToken", Some(200)) => {
                format!("{:?}", decode::<vcf::types::SyncClientTokenInfo>(f))
            }
            ("vcf", "addUsers", Some(201)) => format!("{:?}", decode::<vcf::types::PageOfUser>(f)),
            ("unleash", "generateScimToken", Some(200)) => {
                format!("{:?}", decode::<unleash::types::ScimToken>(f))
            }
            _ => continue,
        };
        let value = f.value();
        // The reference templates say "string" for every field; that is no secret.
        for secret in secret_values(&value).into_iter().filter(|s| s != "string") {
            assert!(
                !rendered.contains(&secret),
                "{} prints a secret in Debug: {rendered}",
                f.label()
            );
            checked += 1;
        }
    }
    // Passwords and client secrets of five requests, two tokens, one SCIM token, one API key.
    assert!(checked >= 11, "only {checked} secrets were checked");
}

/// The values of every `password`, `clientSecret`, `token` and `apiKey` field.
fn secret_values(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    match value {
        Value::Object(map) => {
            for (key, field) in map {
                match (key.as_str(), field) {
                    ("password" | "clientSecret" | "token" | "apiKey", Value::String(s)) => {
                        found.push(s.clone())
                    }
                    _ => found.extend(secret_values(field)),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| found.extend(secret_values(i))),
        _ => {}
    }
    found
}

/// Decodes a VCF Operations vendor example (responses) or round-trips it
/// (requests) with the generated type of its operation; the `Debug` of
/// what it decodes to is returned.
fn check_vcf_ops(f: &Fixture) -> Option<String> {
    use idp_api::vcf_ops::types as ops;
    fn debug<T: DeserializeOwned + std::fmt::Debug>(f: &Fixture) -> String {
        format!("{:?}", decode::<T>(f))
    }
    /// The generated types leave out empty lists: those count as absent.
    fn without_empty_lists(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(_, v)| !v.as_array().is_some_and(Vec::is_empty))
                    .map(|(k, v)| (k.clone(), without_empty_lists(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(without_empty_lists).collect()),
            other => other.clone(),
        }
    }
    fn both<T: DeserializeOwned + Serialize + std::fmt::Debug>(f: &Fixture) -> String {
        let typed: T = decode(f);
        let back = serde_json::to_value(&typed).unwrap();
        assert_eq!(
            without_empty_lists(&back),
            without_empty_lists(&f.value()),
            "{} changes in a round trip",
            f.label()
        );
        debug::<T>(f)
    }
    let request = f.status.is_none();
    Some(match f.operation_id.as_str() {
        "acquireToken" if request => both::<ops::UsernamePassword>(f),
        "configureIDP" | "updateIDPConfiguration" if request => {
            both::<ops::FederatedIdentityProvider>(f)
        }
        "configureIDP" | "updateIDPConfiguration" | "getIDPConfiguration" => {
            debug::<ops::FederatedIdentityProvider>(f)
        }
        "createOAuthApp" if request => both::<ops::OAuthApp>(f),
        "createOAuthApp" | "getOAuthApp" | "rotateOAuthAppSecret" => debug::<ops::OAuthApp>(f),
        "listOAuthApps" => debug::<ops::OAuthApps>(f),
        "generateApiToken" if request => both::<ops::ApiToken>(f),
        "generateApiToken" | "getApiToken" | "reGenerateApiToken" => debug::<ops::ApiToken>(f),
        "queryApiTokens" if request => both::<ops::ClientTokenQuery>(f),
        "queryApiTokens" => debug::<ops::ApiTokens>(f),
        "generateScimSyncClient" if request => both::<ops::ScimTokenConfiguration>(f),
        "generateScimSyncClient" | "getScimSyncClientInfo" => {
            debug::<ops::ScimSyncClientDetails>(f)
        }
        "getGroupsList" | "getUsersList" if request => both::<ops::VidbPrincipalQuery>(f),
        "getGroupsList" => debug::<ops::VidbGroups>(f),
        "getUsersList" => debug::<ops::VidbUsers>(f),
        "updateRoleAssignment" if request => both::<ops::VcfRoleAssignments>(f),
        "getRoleAssignment" => debug::<ops::VcfRoleAssignments>(f),
        "deleteIDPConfiguration" | "getIamTaskDetails" => debug::<ops::IamTaskDetails>(f),
        "executeLdapSync" => debug::<ops::LdapSyncResult>(f),
        "getLdapDirectories" => debug::<ops::LdapDirectories>(f),
        "getLdapSyncLogs" => debug::<ops::LdapSyncLogs>(f),
        "getSsoRealm" => debug::<ops::SsoRealm>(f),
        "getSsoRealmList" => debug::<ops::SsoRealms>(f),
        "getVCFRolesPaginated" => debug::<ops::VcfRoles>(f),
        _ => return None,
    })
}

#[test]
fn every_vcf_operations_vendor_example_decodes_or_round_trips_without_printing_a_secret() {
    let dir = idp_testkit::fixtures_dir().join("vcf_ops");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 60, "{} fixtures", names.len());
    let mut secrets = 0;
    for name in names {
        let f = fixture("vcf_ops", &name);
        let rendered =
            check_vcf_ops(&f).unwrap_or_else(|| panic!("{}: no decoding rule", f.label()));
        for secret in secret_values(&f.value()) {
            assert!(
                !rendered.contains(&secret),
                "{} prints a secret in Debug: {rendered}",
                f.label()
            );
            secrets += 1;
        }
    }
    // Passwords, client secrets and tokens of the requests and answers.
    assert!(secrets >= 8, "only {secrets} secrets were checked");
}
