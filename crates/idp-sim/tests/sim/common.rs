//! Helpers shared by the simulator's tests.

use idp_sim::{Profile, SimConfig, SimConfigBuilder, Simulator};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Makes ring rustls's process provider, as the simulator's own TLS does
/// (reqwest is built without one); a second install fails harmlessly.
pub fn ensure_crypto_provider() {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
}

/// A plain HTTP client for loopback (no proxy).
pub fn http() -> Client {
    ensure_crypto_provider();
    Client::builder().no_proxy().build().unwrap()
}

/// A running simulator, a client and a valid access token.
pub struct Env {
    pub sim: Simulator,
    pub http: Client,
    pub token: String,
}

pub async fn start(profile: Profile) -> Env {
    start_with(SimConfig::builder().profile(profile)).await
}

pub async fn start_with(builder: SimConfigBuilder) -> Env {
    let sim = Simulator::start(builder.build().unwrap()).await.unwrap();
    let token = sim.issue_access_token();
    Env {
        sim,
        http: http(),
        token,
    }
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.vcf().url())
    }

    /// An authorized request with an optional JSON body.
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Response {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.unwrap()
    }

    pub async fn call_json(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        json_of(self.call(method, path, body).await).await
    }

    pub async fn providers(&self) -> Vec<Value> {
        let (status, body) = self
            .call_json(Method::GET, "/v1/identity-providers", None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["elements"].as_array().unwrap().clone()
    }

    pub async fn provider_by_type(&self, kind: &str) -> Value {
        self.providers()
            .await
            .into_iter()
            .find(|p| p["type"] == kind)
            .unwrap_or_else(|| panic!("no provider of type {kind}"))
    }

    /// Adds an external provider and returns its id (from the body, or by
    /// name on vcf-9).
    pub async fn add_provider(&self, spec: &Value) -> String {
        let response = self
            .call(Method::POST, "/v1/identity-providers", Some(spec))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body = response.text().await.unwrap();
        if body.is_empty() {
            self.sim.vcf().external_provider_id().unwrap()
        } else {
            body
        }
    }

    pub fn embedded_id(&self) -> String {
        self.sim.vcf().embedded_provider_id()
    }
}

/// The status and the body parsed as JSON (panics with the text otherwise).
pub async fn json_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("status {status}: body is not JSON ({e}): {text:?}"));
    (status, value)
}

/// The ADFS spec of the documented example.
pub fn adfs_spec() -> Value {
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

/// The Okta spec of the documented example (the seed fixture the other
/// crates' tests use too).
pub fn okta_spec() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/vcf/addExternalIdentityProvider.okta.request.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// A federated spec for another IdP (`fedIdpSpec.name`).
pub fn federated_spec(name: &str) -> Value {
    let mut spec = okta_spec();
    spec["fedIdpSpec"]["name"] = json!(name);
    spec
}

/// The identity source spec of the documented example, for `domain`.
pub fn source_spec(domain: &str) -> Value {
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

/// A VCF `ErrorResponse` body (`cause`, no `errorType`).
pub fn assert_error_response(body: &Value) {
    for field in [
        "errorCode",
        "message",
        "remediationMessage",
        "referenceToken",
        "arguments",
        "context",
        "cause",
        "nestedErrors",
    ] {
        assert!(
            body.get(field).is_some(),
            "ErrorResponse without {field}: {body}"
        );
    }
    assert!(body.get("causes").is_none(), "{body}");
    assert!(body.get("errorType").is_none(), "{body}");
    assert!(!body["message"].as_str().unwrap().is_empty());
}

/// A VCF `Error` body (`causes` and `errorType`).
pub fn assert_error_shape(body: &Value) {
    for field in [
        "errorCode",
        "errorType",
        "message",
        "remediationMessage",
        "referenceToken",
        "arguments",
        "context",
        "causes",
        "nestedErrors",
    ] {
        assert!(body.get(field).is_some(), "Error without {field}: {body}");
    }
    assert!(body.get("cause").is_none(), "{body}");
    assert!(!body["message"].as_str().unwrap().is_empty());
}

/// An Unleash error body `{id, name, message}`.
pub fn assert_unleash_error(body: &Value, name: &str) {
    assert_eq!(body["name"], name, "{body}");
    assert_eq!(body["id"].as_str().unwrap().len(), 36, "{body}");
    assert!(!body["message"].as_str().unwrap().is_empty());
}

/// Sends raw bytes over a new connection and returns the status code of
/// the answer (or `None` if the connection closed without one) and the
/// whole answer.
pub async fn raw_request(sim: &Simulator, request: &str) -> (Option<u16>, String) {
    let mut stream = tokio::net::TcpStream::connect(sim.local_addr())
        .await
        .unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok());
    (status, answer)
}

/// A raw request of `path` (sent exactly as given) with a bearer token.
pub async fn raw_call(env: &Env, method: &str, path: &str) -> (Option<u16>, String) {
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        env.token
    );
    raw_request(&env.sim, &request).await
}
