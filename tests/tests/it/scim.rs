//! The SCIM endpoints the rotated tokens open: idp-client's `ScimClient`
//! probe and `EntraClient::validate_synchronization_credentials` against
//! the simulator, and the simulator's SCIM answers compared with a real
//! third-party SCIM server's (`scim2-server` from PyPI) for the same
//! requests.

use idp_client::{Error, ScimClient, ScimVerdict, Secret};
use idp_sim::scim::ScimFlavour;
use idp_sim::{SimConfig, Simulator};
use idp_testkit::{
    ScimServer, entra_client_builder, fast_config, okta_spec, scim_tools_or_skip, start_sim,
    unleash_client, vcf_client,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A federated provider's SCIM URL and current sync client token.
async fn vcf_scim(sim: &Simulator) -> (String, Secret) {
    let vcf = vcf_client(sim);
    let id = vcf
        .add_external_identity_provider(&okta_spec())
        .await
        .unwrap();
    let token = vcf.generate_sync_client_token(&id, None).await.unwrap();
    (token.scim_url.unwrap(), token.token)
}

fn probe_client(url: &str, token: &Secret) -> ScimClient {
    ScimClient::builder(url)
        .bearer_token(token.clone())
        .config(&fast_config())
        .build()
        .unwrap()
}

#[tokio::test]
async fn probe_verdicts_against_the_simulator() {
    let sim = start_sim(SimConfig::builder()).await;
    let (url, token) = vcf_scim(&sim).await;
    let probe = probe_client(&url, &token).probe().await.unwrap();
    assert_eq!(probe.verdict, ScimVerdict::Ok);
    assert_eq!(probe.users_status, Some(200));
    assert_eq!(probe.total_results, Some(0));
    assert_eq!(probe.discovery.len(), 3);
    assert!(
        probe
            .discovery
            .iter()
            .all(|d| !d.present && d.status == 404)
    );

    let wrong = probe_client(&url, &Secret::new("wrong"))
        .probe()
        .await
        .unwrap();
    assert_eq!(wrong.verdict, ScimVerdict::TokenRefused { status: 401 });
    let off = probe_client(&url.replace("/scim/v2", "/scim"), &token)
        .probe()
        .await
        .unwrap();
    assert!(
        matches!(off.verdict, ScimVerdict::NotScim { .. }),
        "{off:?}"
    );

    // Unleash's endpoint has discovery; a query on the URL is not sent.
    let unleash = unleash_client(&sim).generate_scim_token().await.unwrap();
    let url = format!("{}?aadOptscim062020", sim.scim().url(ScimFlavour::Unleash));
    let probe = probe_client(&url, &unleash.token).probe().await.unwrap();
    assert!(probe.verdict.is_ok());
    assert!(probe.discovery.iter().all(|d| d.present));
    assert!(!probe.url.contains('?'));

    // Unreachable is an error, not a verdict; the token is in no Debug.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = probe_client(&format!("http://127.0.0.1:{closed}/scim/v2"), &token);
    let error = client.probe().await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    for text in [
        format!("{client:?}"),
        format!("{error:?}"),
        error.to_string(),
    ] {
        assert!(!text.contains(token.expose()), "{text}");
    }
    assert!(
        ScimClient::builder(&url).build().is_err(),
        "a probe needs a token"
    );
}

#[tokio::test]
async fn entra_validates_credentials_against_the_simulated_scim_endpoint() {
    let sim = start_sim(SimConfig::builder()).await;
    let (url, token) = vcf_scim(&sim).await;
    let sp = sim.entra().service_principal_id();
    let entra = entra_client_builder(&sim).build().unwrap();
    entra
        .validate_synchronization_credentials(&sp, &url, &token)
        .await
        .unwrap();
    let refused = entra
        .validate_synchronization_credentials(&sp, &url, &Secret::new("rotated-out"))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(StatusCode::BAD_REQUEST));
    assert!(
        refused
            .to_string()
            .contains("validateSynchronizationCredentials"),
        "{refused}"
    );
    let elsewhere = entra
        .validate_synchronization_credentials(&sp, "https://scim.example.com/scim/v2", &token)
        .await
        .unwrap_err();
    assert_eq!(elsewhere.status(), Some(StatusCode::BAD_REQUEST));
    let unknown = entra
        .validate_synchronization_credentials("00000000-0000-0000-0000-000000000000", &url, &token)
        .await
        .unwrap_err();
    assert!(unknown.is_not_found());
    assert!(matches!(
        entra
            .validate_synchronization_credentials(&sp, &url, &Secret::new(" "))
            .await,
        Err(Error::InvalidInput { .. })
    ));
    let log = format!("{:?}", sim.requests());
    assert!(!log.contains(token.expose()));
}

/// What is compared of one answer: the status, and for JSON the
/// `schemas`, `status`, `scimType`, `totalResults`, `itemsPerPage`,
/// `startIndex` and `userName`/`displayName`.
fn shape(status: StatusCode, body: &Value) -> Value {
    let pick = |key: &str| body.get(key).cloned().unwrap_or(Value::Null);
    json!({
        "status": status.as_u16(),
        "schemas": pick("schemas"),
        "errorStatus": pick("status"),
        "scimType": pick("scimType"),
        "totalResults": pick("totalResults"),
        "itemsPerPage": pick("itemsPerPage"),
        "startIndex": pick("startIndex"),
        "userName": pick("userName"),
        "displayName": pick("displayName"),
        "title": pick("title"),
    })
}

/// RFC 7644 §3.5.2 lets a server answer a PATCH with 200 and the resource
/// or with 204; scim2-server answers 204, the simulator 200 with the
/// resource (what Entra and Okta read back; the vendors' answer is
/// assumed, docs/scim-endpoints.md).
const PATCH_ANSWER: &str = "RFC 7644 §3.5.2: 200 with the resource or 204 are both conforming";

/// Differences from scim2-server the simulator keeps on purpose: (flavour,
/// step, why). Everything else must be equal.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[
    ("broker", "patch add", PATCH_ANSWER),
    ("broker", "patch remove", PATCH_ANSWER),
    ("unleash", "patch add", PATCH_ANSWER),
    ("unleash", "patch remove", PATCH_ANSWER),
    (
        "broker",
        "create user",
        "the VMware Identity Broker answers 200 to a create (its API reference), not 201",
    ),
    (
        "broker",
        "create group",
        "the VMware Identity Broker answers 200 to a create (its API reference), not 201",
    ),
];

/// The same requests against a SCIM base URL; each step's shape.
async fn walk(base: &str, token: &str) -> Vec<(&'static str, Value)> {
    idp_client::ensure_crypto_provider();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let send = |method: Method, path: String, body: Option<Value>, token: &str| {
        let mut request = http
            .request(method, format!("{base}{path}"))
            .bearer_auth(token)
            .header("Accept", "application/scim+json");
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/scim+json")
                .body(body.to_string());
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            let text = response.text().await.unwrap();
            let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            (status, body)
        }
    };
    let user = "urn:ietf:params:scim:schemas:core:2.0:User";
    let group = "urn:ietf:params:scim:schemas:core:2.0:Group";
    let patch = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    let mut steps = Vec::new();
    let (status, body) = send(Method::GET, "/Users".into(), None, "not-the-token").await;
    steps.push(("wrong token", shape(status, &body)));
    let (status, created) = send(
        Method::POST,
        "/Users".into(),
        Some(json!({"schemas": [user], "userName": "alice"})),
        token,
    )
    .await;
    steps.push(("create user", shape(status, &created)));
    let id = created["id"].as_str().unwrap_or_default().to_owned();
    let (status, body) = send(
        Method::POST,
        "/Users".into(),
        Some(json!({"schemas": [user], "userName": "alice"})),
        token,
    )
    .await;
    steps.push(("create the same user", shape(status, &body)));
    send(
        Method::POST,
        "/Users".into(),
        Some(json!({"schemas": [user], "userName": "bob"})),
        token,
    )
    .await;
    let (status, body) = send(Method::GET, format!("/Users/{id}"), None, token).await;
    steps.push(("get user", shape(status, &body)));
    let (status, body) = send(
        Method::GET,
        "/Users?filter=userName%20eq%20%22alice%22".into(),
        None,
        token,
    )
    .await;
    steps.push(("filter userName eq", shape(status, &body)));
    let (status, body) = send(
        Method::GET,
        "/Users?startIndex=2&count=1".into(),
        None,
        token,
    )
    .await;
    steps.push(("page 2 of 1", shape(status, &body)));
    let (status, body) = send(
        Method::PATCH,
        format!("/Users/{id}"),
        Some(json!({"schemas": [patch], "Operations": [{"op": "add", "path": "title", "value": "Engineer"}]})),
        token,
    )
    .await;
    steps.push(("patch add", shape(status, &body)));
    let (status, body) = send(
        Method::PATCH,
        format!("/Users/{id}"),
        Some(json!({"schemas": [patch], "Operations": [{"op": "remove", "path": "title"}]})),
        token,
    )
    .await;
    steps.push(("patch remove", shape(status, &body)));
    let (status, body) = send(
        Method::POST,
        "/Groups".into(),
        Some(json!({"schemas": [group], "displayName": "admins", "members": [{"value": id}]})),
        token,
    )
    .await;
    steps.push(("create group", shape(status, &body)));
    let (status, body) = send(
        Method::GET,
        "/Groups?filter=displayName%20eq%20%22admins%22".into(),
        None,
        token,
    )
    .await;
    steps.push(("filter displayName eq", shape(status, &body)));
    let (status, body) = send(Method::DELETE, format!("/Users/{id}"), None, token).await;
    steps.push(("delete user", shape(status, &body)));
    let (status, body) = send(Method::GET, format!("/Users/{id}"), None, token).await;
    steps.push(("get deleted user", shape(status, &body)));
    let (status, body) = send(Method::GET, "/Users/no-such-id".into(), None, token).await;
    steps.push(("get unknown user", shape(status, &body)));
    steps
}

#[tokio::test]
async fn the_simulator_answers_as_scim2_server_does() {
    let Some(tools) = scim_tools_or_skip("the_simulator_answers_as_scim2_server_does") else {
        return;
    };
    let reference_token = "reference-token";
    let server = ScimServer::start(&tools, reference_token).unwrap_or_else(|e| panic!("{e}"));
    let reference = walk(&server.url, reference_token).await;

    let sim = start_sim(SimConfig::builder()).await;
    let (broker_url, broker_token) = vcf_scim(&sim).await;
    let unleash = unleash_client(&sim).generate_scim_token().await.unwrap();
    let flavours = [
        ("broker", walk(&broker_url, broker_token.expose()).await),
        (
            "unleash",
            walk(
                &sim.scim().url(ScimFlavour::Unleash),
                unleash.token.expose(),
            )
            .await,
        ),
    ];
    let mut differences = Vec::new();
    for (flavour, steps) in &flavours {
        assert_eq!(steps.len(), reference.len());
        for ((step, ours), (_, theirs)) in steps.iter().zip(&reference) {
            let quirk = KNOWN_DIFFERENCES
                .iter()
                .any(|(f, s, _)| f == flavour && s == step);
            if quirk {
                assert_ne!(
                    ours, theirs,
                    "{flavour} {step}: a listed difference that is gone"
                );
            } else if ours != theirs {
                differences.push(format!(
                    "{flavour} {step}:\n  simulator:    {ours}\n  scim2-server: {theirs}"
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
