//! Hostile input through the facade against the simulator: ids and domain
//! names built to escape their path segment, answers too large to hold or
//! too deep to parse, and answers that are empty where data was asked for.

use std::time::Duration;

use idp_client::{
    ClientConfig, DEFAULT_MAX_RESPONSE_BYTES, Error, RetryPolicy, RootCertificates, Secret,
    UnleashClient, VcfClient,
};
use idp_sim::{FaultBody, FaultRule, RecordedRequest, SimConfig, Simulator};
use idp_testkit::{
    ad_source_builder, fast_config_builder, okta_spec, start_sim, unleash_client_builder,
    vcf_client_builder,
};
use percent_encoding::percent_decode_str;

async fn start() -> Simulator {
    start_sim(SimConfig::builder()).await
}

fn vcf(sim: &Simulator) -> VcfClient {
    vcf_client_builder(sim)
        .config(
            &fast_config_builder()
                .root_certificates(RootCertificates::Bundled)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn unleash(sim: &Simulator) -> UnleashClient {
    unleash_client_builder(sim)
        .config(
            &fast_config_builder()
                .root_certificates(RootCertificates::Bundled)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn ad_source() -> idp_client::IdentitySourceSpec {
    ad_source_builder("hostile.example.com")
        .server_endpoint("ldap://dc01.example.com")
        .build()
        .unwrap()
}

/// Values made to leave their path segment, or to break what reads it.
fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = [
        "../x",
        "..%2F",
        "..%2f..%2fv1%2ftokens",
        "a/../../v1/tokens",
        "../../__sim/faults",
        "../../unleash/api/admin/scim-settings/generate-new-token",
        "..",
        ".",
        "./.",
        "x/..",
        "%2e%2e",
        "%2E%2E/%2e%2e",
        ".%2e",
        "..;/",
        "/",
        "//",
        "?",
        "#",
        "a?b=c#d",
        "id?syncClientTokenTTL=1",
        "a b",
        " ",
        "%",
        "%zz",
        "%00",
        "",
        "x\0y",
        "\n",
        "a\r\nHost: evil.example.com",
        "\u{7f}",
        "\u{85}",
        "\t",
        "a\\b",
        "\\..\\",
        "é",
        "ü-ñ.例え.jp",
        "\u{202e}gnp.exe",
        "\u{200b}",
        "\u{ff0e}\u{ff0e}",
        "\u{2215}etc\u{2215}passwd",
        "😀",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    values.push("x".repeat(4096));
    values
}

/// An operation that puts caller input into the path.
#[derive(Debug, Clone, Copy)]
enum Target {
    Get,
    UpdateProvider,
    DeleteProvider,
    AddSource,
    SyncToken,
    UpdateSourceDomain,
    DeleteSourceDomain,
    UpdateSourceProvider,
    DeleteSourceProvider,
}

impl Target {
    const ALL: [Target; 9] = [
        Target::Get,
        Target::UpdateProvider,
        Target::DeleteProvider,
        Target::AddSource,
        Target::SyncToken,
        Target::UpdateSourceDomain,
        Target::DeleteSourceDomain,
        Target::UpdateSourceProvider,
        Target::DeleteSourceProvider,
    ];

    fn method(self) -> &'static str {
        match self {
            Target::Get => "GET",
            Target::UpdateProvider | Target::UpdateSourceDomain | Target::UpdateSourceProvider => {
                "PATCH"
            }
            Target::DeleteProvider | Target::DeleteSourceDomain | Target::DeleteSourceProvider => {
                "DELETE"
            }
            Target::AddSource | Target::SyncToken => "POST",
        }
    }

    /// The route's segments; `None` where the hostile value goes, `Some`
    /// for a literal (or the embedded provider's id).
    fn segments(self, embedded: &str) -> Vec<Option<String>> {
        let lit = |s: &str| Some(s.to_owned());
        let mut segments = vec![lit(""), lit("v1"), lit("identity-providers")];
        match self {
            Target::Get | Target::UpdateProvider | Target::DeleteProvider => segments.push(None),
            Target::AddSource => segments.extend([None, lit("identity-sources")]),
            Target::SyncToken => segments.extend([None, lit("sync-client")]),
            Target::UpdateSourceDomain | Target::DeleteSourceDomain => {
                segments.extend([lit(embedded), lit("identity-sources"), None]);
            }
            Target::UpdateSourceProvider | Target::DeleteSourceProvider => {
                segments.extend([None, lit("identity-sources"), lit("hostile.example.com")]);
            }
        }
        segments
    }

    async fn run(self, vcf: &VcfClient, embedded: &str, value: &str) -> Result<(), Error> {
        match self {
            Target::Get => vcf.get_identity_provider(value).await.map(|_| ()),
            Target::UpdateProvider => {
                vcf.update_external_identity_provider(value, &okta_spec())
                    .await
            }
            Target::DeleteProvider => vcf.delete_external_identity_provider(value).await,
            Target::AddSource => vcf.add_embedded_identity_source(value, &ad_source()).await,
            Target::SyncToken => vcf
                .generate_sync_client_token(value, Some(Duration::from_secs(60)))
                .await
                .map(|_| ()),
            Target::UpdateSourceDomain => {
                vcf.update_embedded_identity_source(embedded, value, &ad_source())
                    .await
            }
            Target::DeleteSourceDomain => vcf.delete_identity_source(embedded, value).await,
            Target::UpdateSourceProvider => {
                vcf.update_embedded_identity_source(value, "hostile.example.com", &ad_source())
                    .await
            }
            Target::DeleteSourceProvider => {
                vcf.delete_identity_source(value, "hostile.example.com")
                    .await
            }
        }
    }
}

/// Whether `request` went to `segments`, the hostile value being exactly one
/// segment that percent-decodes to `value`.
fn stays_in_its_segment(
    request: &RecordedRequest,
    segments: &[Option<String>],
    value: &str,
) -> bool {
    let raw: Vec<&str> = request.path.split('/').collect();
    raw.len() == segments.len()
        && raw.iter().zip(segments).all(|(raw, want)| match want {
            Some(literal) => raw == literal,
            None => {
                !raw.is_empty()
                    && *raw != "."
                    && *raw != ".."
                    && percent_decode_str(raw).decode_utf8().ok().as_deref() == Some(value)
            }
        })
}

#[tokio::test]
async fn hostile_ids_and_domain_names_stay_in_their_path_segment() {
    let sim = start().await;
    let vcf = vcf(&sim);
    let embedded = vcf.embedded_identity_provider().await.unwrap().unwrap().id;
    // The one provider whose sources exist, and a source to aim at.
    vcf.add_embedded_identity_source(&embedded, &ad_source())
        .await
        .unwrap();
    let state = sim.vcf().identity_providers_json();
    let (mut refused, mut sent) = (0, 0);
    for value in hostile_values() {
        for target in Target::ALL {
            sim.clear_requests();
            let label = format!("{target:?}({value:?})");
            let result = target.run(&vcf, &embedded, &value).await;
            let requests = sim.requests();
            match result {
                Err(Error::InvalidInput { .. }) => {
                    assert!(
                        requests.is_empty(),
                        "{label}: refused, yet sent {requests:?}"
                    );
                    refused += 1;
                }
                Err(error) => {
                    // No such provider or source: the server looked the
                    // value up where it belongs and found nothing.
                    assert!(error.is_not_found(), "{label}: {error:?}");
                    assert_eq!(requests.len(), 1, "{label}: {requests:?}");
                    let request = &requests[0];
                    assert_eq!(request.method, target.method(), "{label}");
                    assert!(
                        stays_in_its_segment(request, &target.segments(&embedded), &value),
                        "{label}: went to {:?}",
                        request.path
                    );
                    // Nothing leaked into the query either.
                    let query = matches!(target, Target::SyncToken)
                        .then(|| "syncClientTokenTTL=60".to_owned());
                    assert_eq!(request.query, query, "{label}: {request:?}");
                    sent += 1;
                }
                Ok(()) => panic!("{label}: succeeded"),
            }
        }
    }
    // Exactly the values that cannot be a segment are refused: empty, dot
    // segments, backslashes and control characters.
    let cannot_be_segments = hostile_values()
        .iter()
        .filter(|v| {
            v.is_empty()
                || *v == "."
                || *v == ".."
                || v.contains('\\')
                || v.chars().any(char::is_control)
        })
        .count();
    assert_eq!(refused, cannot_be_segments * Target::ALL.len());
    assert_eq!(sent + refused, hostile_values().len() * Target::ALL.len());
    // Nothing changed, and no token or control route was ever reached.
    assert_eq!(sim.vcf().identity_providers_json(), state);
    assert_eq!(sim.unleash().scim_token(), None);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_100_mb_answer_is_an_error_not_an_allocation() {
    const HUNDRED_MB: u64 = 100_000_000;
    let sim = start().await;
    let vcf = vcf(&sim);
    let unleash = unleash(&sim);
    vcf.list_identity_providers().await.unwrap();

    for declare_length in [true, false] {
        sim.faults().clear();
        sim.faults().add(
            FaultRule::new("GET", "/v1/identity-providers")
                .respond_body(200, FaultBody::repeat("x", HUNDRED_MB, declare_length)),
        );
        sim.faults().add(
            FaultRule::new(
                "POST",
                "/unleash/api/admin/scim-settings/generate-new-token",
            )
            .respond_body(
                200,
                FaultBody::repeat("{\"token\":\"", HUNDRED_MB, declare_length),
            ),
        );
        sim.clear_requests();
        let err = vcf.list_identity_providers().await.unwrap_err();
        match &err {
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
                declared,
                ..
            } => {
                assert_eq!(*operation, "getIdentityProviders");
                assert_eq!(status.map(|s| s.as_u16()), Some(200));
                assert_eq!(*limit, DEFAULT_MAX_RESPONSE_BYTES);
                assert_eq!(*declared, declare_length.then_some(HUNDRED_MB));
            }
            other => panic!("declared {declare_length}: {other:?}"),
        }
        assert!(!err.is_retryable());
        assert!(err.request_may_have_been_sent());
        assert!(
            err.to_string()
                .contains("exceeds the limit of 16777216 bytes"),
            "{err}"
        );
        let err = unleash.generate_scim_token().await.unwrap_err();
        assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
        // Not retried: one request each.
        assert_eq!(sim.requests().len(), 2, "{:?}", sim.requests());
    }

    // A failure status keeps its meaning, whatever the size of its body:
    // undeclared (503, read raw) or declared with a typed error (500).
    for (status, sends) in [(503, 3), (500, 1)] {
        for declare_length in [true, false] {
            sim.faults().clear();
            sim.faults().add(
                FaultRule::new("GET", "/v1/identity-providers")
                    .respond_body(
                        status,
                        FaultBody::repeat("<p>busy</p>", HUNDRED_MB, declare_length),
                    )
                    .retry_after(1),
            );
            sim.clear_requests();
            let err = vcf.list_identity_providers().await.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
            assert!(matches!(err, Error::Api { .. }), "{err:?}");
            assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
            assert!(err.to_string().len() < 2048, "{err}");
            // A GET is retried on 503 as usual, not on 500.
            assert_eq!(sim.requests().len(), sends, "{status}");
        }
    }

    // A caller can raise (or lower) the bound.
    sim.faults().clear();
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers")
            .respond_body(200, FaultBody::repeat(" ", 1024, false)),
    );
    let tight = VcfClient::builder(sim.vcf().url())
        .config(
            &ClientConfig::builder()
                .root_certificates(RootCertificates::Bundled)
                .max_response_bytes(1000)
                .build()
                .unwrap(),
        )
        .bearer_token(Secret::new(sim.issue_access_token()))
        .build()
        .unwrap();
    let err = tight.list_identity_providers().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 1000,
                declared: None,
                ..
            }
        ),
        "{err:?}"
    );
    // 1,024 spaces are within the default bound: decoded as an empty body.
    assert!(vcf.list_identity_providers().await.unwrap().is_empty());

    // The simulator answers normally afterwards.
    sim.faults().clear();
    assert_eq!(vcf.list_identity_providers().await.unwrap().len(), 1);
    sim.shutdown().await;
}

/// `depth` levels of `{"message": ..., "nestedErrors": [...]}`.
fn nested_error(depth: usize) -> String {
    format!(
        "{}{{\"errorCode\":\"LEAF\",\"message\":\"leaf\"}}{}",
        r#"{"errorCode":"E","message":"nested","nestedErrors":["#.repeat(depth),
        "]}".repeat(depth)
    )
}

#[tokio::test]
async fn error_bodies_nested_10000_deep_neither_overflow_nor_hang() {
    let sim = start().await;
    let vcf = vcf(&sim);
    let unleash = unleash(&sim);
    let embedded = vcf.embedded_identity_provider().await.unwrap().unwrap().id;
    let deep = nested_error(10_000);
    sim.faults().add(
        FaultRule::new("*", "/v1/identity-providers")
            .respond_body(500, FaultBody::raw("application/json", deep.clone())),
    );
    sim.faults().add(
        FaultRule::new("*", "/unleash")
            .respond_body(400, FaultBody::raw("application/json", deep.clone())),
    );
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-broker/prechecks")
            .respond_body(200, FaultBody::raw("application/json", "[".repeat(10_000))),
    );
    let errors = [
        vcf.list_identity_providers().await.unwrap_err(),
        vcf.get_identity_provider(&embedded).await.unwrap_err(),
        vcf.add_embedded_identity_source(&embedded, &ad_source())
            .await
            .unwrap_err(),
        vcf.delete_identity_source(&embedded, "x.example.com")
            .await
            .unwrap_err(),
    ];
    for err in &errors {
        assert!(matches!(err, Error::Api { .. }), "{err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
        assert!(!err.is_retryable());
        assert!(err.to_string().len() < 2048, "{err}");
    }
    let err = unleash.scim_settings().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err:?}");
    // A success body too deep to parse is a decode error.
    let err = vcf.identity_broker_prechecks().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");

    // Within the parser's depth, the vendor error is read, its nesting
    // normalized to a bounded depth.
    sim.faults().clear();
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers")
            .respond_body(500, FaultBody::raw("application/json", nested_error(60))),
    );
    let err = vcf.list_identity_providers().await.unwrap_err();
    let vendor = err.vendor().unwrap();
    assert_eq!(vendor.error_code.as_deref(), Some("E"));
    let mut depth = 0;
    let mut level = vendor;
    while let Some(next) = level.nested.first() {
        depth += 1;
        level = next;
    }
    assert!((1..=32).contains(&depth), "{depth}");
    sim.faults().clear();
    assert!(vcf.list_identity_providers().await.is_ok());
    sim.shutdown().await;
}

#[tokio::test]
async fn empty_answers_are_not_read_as_data() {
    let sim = start().await;
    let vcf = vcf(&sim);
    let unleash = unleash(&sim);
    let embedded = vcf.embedded_identity_provider().await.unwrap().unwrap().id;
    for body in [
        FaultBody::Json(serde_json::json!({})),
        FaultBody::raw("application/json", ""),
    ] {
        sim.faults().clear();
        sim.faults().add(
            FaultRule::new("GET", "/v1/identity-providers/{id}").respond_body(200, body.clone()),
        );
        sim.faults().add(
            FaultRule::new("GET", "/unleash/api/admin/scim-settings")
                .respond_body(200, body.clone()),
        );
        // A provider without an id is no provider.
        let err = vcf.get_identity_provider(&embedded).await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { path, .. } if path == "id"),
            "{body:?}: {err:?}"
        );
        // Settings that do not say whether SCIM is on are not "off".
        let err = unleash.scim_settings().await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { path, .. } if path == "enabled"),
            "{body:?}: {err:?}"
        );
    }
    sim.faults().clear();
    assert_eq!(
        vcf.get_identity_provider(&embedded).await.unwrap().id,
        embedded
    );
    assert!(!unleash.scim_settings().await.unwrap().enabled);
    sim.shutdown().await;
}

#[tokio::test]
async fn add_answers_that_cannot_be_ids_are_not_taken_for_ids() {
    let sim = start().await;
    let vcf = vcf(&sim);
    let okta = vcf
        .add_external_identity_provider(&okta_spec())
        .await
        .unwrap();
    let bodies = [
        "null",
        "[]",
        "true",
        "[\"x\"]",
        "<html></html>",
        "<b>created</b>",
        r#"{"id":null}"#,
        r#"{"id":"<script>"}"#,
    ];
    for body in bodies {
        // The answer names no usable id: the provider is found by its name
        // (here the one added above, as the fault stood in for the server).
        sim.faults().add(
            FaultRule::new("POST", "/v1/identity-providers")
                .respond_body(201, FaultBody::raw("application/json", body))
                .times(1),
        );
        let id = vcf.add_external_identity_provider(&okta_spec()).await;
        assert_eq!(id.unwrap(), okta, "{body}");
    }
    vcf.delete_external_identity_provider(&okta).await.unwrap();
    for body in bodies {
        sim.faults().add(
            FaultRule::new("POST", "/v1/identity-providers")
                .respond_body(201, FaultBody::raw("application/json", body))
                .times(1),
        );
        let err = vcf
            .add_external_identity_provider(&okta_spec())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::IdUnknown { name, .. } if name == "okta"),
            "{body}: {err:?}"
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn a_body_that_stalls_times_out_under_the_size_bound() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    // A server that sends its headers and the start of the body, then
    // nothing: the request timeout must still cover reading the body.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let _ = socket
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                          content-length: 1000\r\n\r\n{\"elements\":[",
                    )
                    .await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    let vcf = VcfClient::builder(format!("http://{address}"))
        .config(
            &ClientConfig::builder()
                .root_certificates(RootCertificates::Bundled)
                .request_timeout(Duration::from_millis(300))
                .retry_policy(RetryPolicy::none())
                .build()
                .unwrap(),
        )
        .bearer_token(Secret::new("token"))
        .build()
        .unwrap();
    let err = vcf.list_identity_providers().await.unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(idp_client::TransportKind::Timeout),
        "{err:?}"
    );
    assert!(err.request_may_have_been_sent());
    server.abort();
}
