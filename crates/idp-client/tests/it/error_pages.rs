//! Errors that explain themselves: a non-JSON error page is summarized by
//! its visible text (bounded, terminal-safe), a 3xx says where it pointed
//! (without the query string) and what that usually means, and no error's
//! text can drive a terminal.

#![allow(clippy::unwrap_used)]

use crate::common::{server, unleash, vcf_bearer};
use idp_client::{ClientConfig, RetryPolicy, UnleashClient};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

/// What can drive a terminal: controls, DEL, C1, bidirectional controls.
fn assert_terminal_safe(text: &str) {
    for c in text.chars() {
        let bad = c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}');
        assert!(!bad, "U+{:04X} in {text:?}", u32::from(c));
    }
}

#[tokio::test]
async fn an_express_404_page_is_summarized_by_its_pre_text() {
    let server = server().await;
    // What Unleash (Express) answers for a path outside its base path.
    let page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /api/admin/scim-settings</pre>\n</body>\n</html>\n";
    Mock::given(method("GET"))
        .and(path("/api/admin/scim-settings"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(page, "text/html; charset=utf-8"))
        .mount(&server)
        .await;
    let client = UnleashClient::builder(server.uri())
        .api_token("k")
        .build()
        .unwrap();
    let err = client.scim_settings().await.unwrap_err();
    assert_eq!(
        err.body_snippet(),
        Some("Cannot GET /api/admin/scim-settings")
    );
    assert!(
        err.to_string()
            .contains("Cannot GET /api/admin/scim-settings"),
        "{err}"
    );
}

#[tokio::test]
async fn scripts_styles_and_markup_stay_out_and_the_summary_is_bounded() {
    let server = server().await;
    let page = format!(
        "<html><head><title>Oops</title><style>body {{ color: red }}</style>\
         <script>document.write('<p>tracking</p>')</script></head>\
         <body><h1>Service &amp; gateway</h1>\n\n<p>down \u{1b}[2J for \u{202e}maintenance</p>{}</body></html>",
        "<p>filler words</p>".repeat(200)
    );
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let vcf = idp_client::VcfClient::builder(server.uri())
        .bearer_token("t")
        .config(&ClientConfig::default().with_retry_policy(RetryPolicy::none()))
        .build()
        .unwrap();
    let err = vcf.list_identity_providers().await.unwrap_err();
    let snippet = err.body_snippet().unwrap();
    assert!(
        snippet.starts_with("Service & gateway down for "),
        "{snippet}"
    );
    assert!(
        !snippet.contains("color") && !snippet.contains("tracking") && !snippet.contains('<'),
        "{snippet}"
    );
    assert!(!snippet.contains("Oops"), "{snippet}");
    assert!(
        snippet.len() <= 512 + '…'.len_utf8() && snippet.ends_with('…'),
        "{}",
        snippet.len()
    );
    assert_terminal_safe(snippet);
    assert_terminal_safe(&err.to_string());
}

#[tokio::test]
async fn a_redirect_to_a_login_page_says_where_without_the_query() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "Location",
            "https://sso.example.com/login?session=SECRET-SESSION&next=%2Fv1#frag",
        ))
        .mount(&server)
        .await;
    let err = vcf_bearer(&server, "t")
        .list_identity_providers()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    let text = err.to_string();
    assert!(text.contains("https://sso.example.com/login"), "{text}");
    assert!(
        !text.contains("SECRET-SESSION") && !text.contains("frag"),
        "{text}"
    );
    assert!(text.contains("single sign-on"), "{text}");
    assert_eq!(
        requests_count(&server).await,
        1,
        "redirects are not followed"
    );
}

#[tokio::test]
async fn a_redirect_from_http_to_https_says_so() {
    let server = server().await;
    // The same host, over https.
    let https = server.uri().replacen("http://", "https://", 1);
    Mock::given(method("POST"))
        .and(path("/unleash/api/admin/scim-settings/generate-new-token"))
        .respond_with(ResponseTemplate::new(301).insert_header(
            "Location",
            format!("{https}/unleash/api/admin/scim-settings/generate-new-token").as_str(),
        ))
        .mount(&server)
        .await;
    let client = unleash(&server, "/unleash", "k");
    let err = client.generate_scim_token().await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("redirected to https://"), "{text}");
    assert!(text.contains("use an https:// base URL"), "{text}");
    assert_eq!(requests_count(&server).await, 1);
}

#[tokio::test]
async fn a_relative_location_is_resolved_and_a_missing_one_is_reported() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(303).insert_header("Location", "/auth/login?x=1"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-broker/prechecks"))
        .respond_with(ResponseTemplate::new(307))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, "t");
    let err = vcf.list_identity_providers().await.unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("{}/auth/login", server.uri())),
        "{err}"
    );
    assert!(!err.to_string().contains("x=1"), "{err}");
    let err = vcf.identity_broker_prechecks().await.unwrap_err();
    assert!(
        err.to_string().contains("without a readable Location"),
        "{err}"
    );
}

#[tokio::test]
async fn vendor_text_in_an_error_cannot_drive_the_terminal() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/unleash/api/admin/scim-settings"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            "{\"name\": \"Unauth\\u001b]0;title\\u0007orized\", \"message\": \"log in \\u202eelsewhere\\u009b2J\"}",
            "application/json",
        ))
        .mount(&server)
        .await;
    let err = unleash(&server, "/unleash", "k")
        .scim_settings()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert_terminal_safe(&text);
    assert!(text.contains("Unauthorized"), "{text}");
}

async fn requests_count(server: &wiremock::MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}
