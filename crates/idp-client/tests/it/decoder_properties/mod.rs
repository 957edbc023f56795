//! Property tests of every response decoder and of error normalization
//! (through `idp_client::fuzzing`, the thin wrappers the fuzz targets use):
//! arbitrary bytes, arbitrary JSON and mutated seed payloads give a value or
//! an error, never a panic; decode errors never echo the body's values;
//! tokens never show in `Debug`; error snippets stay bounded and printable.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use idp_client::{Error, VendorError, fuzzing};
use proptest::prelude::*;

/// Cases per property: enough to find shallow bugs, quick enough for CI.
const CASES: u32 = 256;

mod inputs;

use inputs::{MARK, body, fixtures, json, marked_json, text};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        ..ProptestConfig::default()
    }
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).unwrap()
}

/// Formats an error both ways (which must not panic) and checks what holds
/// for every error.
fn check_error(error: &Error) -> (String, String) {
    let display = error.to_string();
    let debug = format!("{error:?}");
    assert!(!display.is_empty());
    // One line of printable text, whatever the server sent.
    assert!(!display.chars().any(char::is_control), "{display:?}");
    let _ = (
        error.status(),
        error.is_retryable(),
        error.request_may_have_been_sent(),
        error.operation(),
    );
    if let Some(snippet) = error.body_snippet() {
        assert!(snippet.len() <= 512 + '…'.len_utf8(), "{snippet:?}");
        assert!(!snippet.chars().any(char::is_control), "{snippet:?}");
        assert!(!snippet.is_empty());
    }
    (display, debug)
}

/// Every success-body decoder on `body`. Returns the texts of the errors.
fn decode_all(body: &[u8]) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    let mut err = |e: &Error| {
        assert!(
            matches!(e, Error::Decode { .. }),
            "a success body gives a decode error: {e:?}"
        );
        errors.push(check_error(e));
    };
    match fuzzing::provider_page(body) {
        Ok(providers) => {
            for p in &providers {
                let _ = (format!("{p:?}"), serde_json::to_value(p).unwrap());
            }
        }
        Err(e) => err(&e),
    }
    match fuzzing::provider(body) {
        Ok(p) => {
            let _ = (format!("{p:?}"), serde_json::to_value(&p).unwrap());
        }
        Err(e) => err(&e),
    }
    match fuzzing::sync_client_token(body, now()) {
        Ok(t) => {
            let token = t.token.expose();
            assert!(!token.trim().is_empty());
            let shown = format!("{t:?}");
            if token.len() >= 12 && !t.scim_url.as_deref().unwrap_or("").contains(token) {
                assert!(!shown.contains(token), "{shown}");
            }
        }
        Err(e) => err(&e),
    }
    match fuzzing::broker_precheck(body) {
        Ok(p) => {
            let _ = p.is_success();
        }
        Err(e) => err(&e),
    }
    match fuzzing::token_pair(body) {
        Ok((access, refresh)) => {
            assert!(!access.expose().trim().is_empty());
            for secret in std::iter::once(&access).chain(refresh.as_ref()) {
                assert!(
                    !format!("{secret:?}{secret}").contains(secret.expose())
                        || secret.expose().len() < 12
                );
            }
        }
        Err(e) => err(&e),
    }
    match fuzzing::scim_settings(body) {
        Ok(s) => {
            let _ = serde_json::to_value(s).unwrap();
        }
        Err(e) => err(&e),
    }
    match fuzzing::scim_token(body) {
        Ok(t) => {
            let token = t.token.expose();
            assert!(!token.trim().is_empty());
            if token.len() >= 12 {
                assert!(!format!("{t:?}").contains(token));
            }
        }
        Err(e) => err(&e),
    }
    match fuzzing::ops_identity_provider(body) {
        Ok(idp) => {
            let _ = (format!("{idp:?}"), serde_json::to_value(&idp).unwrap());
            for secret in idp.oidc.iter().filter_map(|o| o.client_secret.as_ref()) {
                if secret.expose().len() >= 12 {
                    assert!(
                        !serde_json::to_string(&idp)
                            .unwrap()
                            .contains(secret.expose())
                    );
                }
            }
        }
        Err(e) => err(&e),
    }
    match fuzzing::ops_sync_client(body) {
        Ok(sync) => {
            for secret in sync.access_token.iter().chain(&sync.client_secret) {
                assert!(!secret.expose().trim().is_empty());
                if secret.expose().len() >= 12 && sync.client_id.as_deref() != Some(secret.expose())
                {
                    assert!(!format!("{sync:?}").contains(secret.expose()));
                }
            }
        }
        Err(e) => err(&e),
    }
    match fuzzing::ops_api_tokens(body) {
        Ok(tokens) => {
            for t in &tokens {
                let _ = serde_json::to_value(t).unwrap();
            }
        }
        Err(e) => err(&e),
    }
    match fuzzing::ops_task(body) {
        Ok(task) => {
            let _ = task.status.as_ref().map(|s| s.is_finished());
        }
        Err(e) => err(&e),
    }
    match fuzzing::ops_acquired_token(body) {
        Ok((token, _)) => assert!(!token.expose().trim().is_empty()),
        Err(e) => err(&e),
    }
    if let Some(token) = fuzzing::refreshed_access_token(body) {
        let token = token.expose();
        assert!(!token.is_empty() && !token.contains(char::is_whitespace));
        let _ = fuzzing::jwt_expiry(token);
    }
    if let Some(id) = fuzzing::added_provider_id(body) {
        assert!(!id.is_empty() && id.len() <= 256 && !id.contains(char::is_whitespace));
    }
    errors
}

/// Every error-body path on `body` under `status`.
fn errors_for(status: u16, body: &[u8]) {
    for declared in [true, false] {
        for error in [
            fuzzing::vcf_error(status, declared, body),
            fuzzing::unleash_error(status, declared, body),
        ] {
            assert!(matches!(error, Error::Api { .. }), "{error:?}");
            if (100..=999).contains(&status) {
                assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
            }
            check_error(&error);
            if let Some(vendor) = error.vendor() {
                check_vendor(vendor, 0);
                let _ = serde_json::to_value(vendor).unwrap();
            }
        }
    }
}

/// A normalized vendor error is bounded in depth and breadth.
fn check_vendor(vendor: &VendorError, depth: usize) {
    assert!(depth <= 33, "nestedErrors deeper than the bound");
    assert!(vendor.causes.len() <= 128);
    assert!(vendor.nested.len() <= 64);
    assert!(vendor.arguments.len() <= 64);
    assert!(vendor.notifications.len() <= 64);
    let _ = (vendor.to_string(), vendor.summary());
    for nested in &vendor.nested {
        check_vendor(nested, depth + 1);
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn success_decoders_never_panic(body in body()) {
        decode_all(&body);
    }

    #[test]
    fn error_normalization_never_panics(
        status in prop_oneof![
            4 => prop::sample::select(&[400u16, 401, 403, 404, 409, 429, 500, 502, 503][..]),
            1 => any::<u16>(),
        ],
        body in body(),
    ) {
        errors_for(status, &body);
    }

    #[test]
    fn vendor_errors_from_any_json(value in json()) {
        let body = serde_json::to_vec(&value).unwrap();
        if let Some(vendor) = idp_client::fuzzing::vendor_error(&body) {
            check_vendor(&vendor, 0);
        }
    }

    #[test]
    fn decode_errors_never_echo_body_values(value in marked_json()) {
        let body = serde_json::to_vec(&value).unwrap();
        for (display, debug) in decode_all(&body) {
            prop_assert!(!display.contains(MARK), "{}", display);
            prop_assert!(!debug.contains(MARK), "{}", debug);
        }
    }

    #[test]
    fn header_and_token_parsers_never_panic(
        value in prop_oneof![text(), "[0-9]{1,30}", "\\PC{0,64}"],
        claims in json(),
    ) {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        if let Ok(seconds) = value.trim().parse::<u64>() {
            prop_assert_eq!(fuzzing::retry_after(&value, now), Some(Duration::from_secs(seconds)));
        } else {
            let _ = fuzzing::retry_after(&value, now);
        }
        let _ = fuzzing::jwt_expiry(&value);
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(&claims).unwrap());
        let _ = fuzzing::jwt_expiry(&format!("e30.{payload}.sig"));
        let with_exp = serde_json::json!({"exp": claims});
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(&with_exp).unwrap());
        let _ = fuzzing::jwt_expiry(&format!("e30.{payload}.sig"));
    }
}

/// The seed payloads themselves decode as documented.
#[test]
fn the_seed_responses_decode() {
    let get = |name: &str| {
        &fixtures()
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name}"))
            .1
    };
    assert_eq!(
        fuzzing::provider_page(get("getIdentityProviders.okta.response-200.json"))
            .unwrap()
            .len(),
        2
    );
    fuzzing::provider(get("getIdentityProviderById.reference.response-200.json")).unwrap();
    let token = fuzzing::sync_client_token(
        get("generateSyncClientToken.served.response-200.json"),
        now(),
    )
    .unwrap();
    assert!(token.expires_at.is_some());
    fuzzing::scim_token(get("generateScimToken.reference.response-200.json")).unwrap();
    assert!(
        fuzzing::broker_precheck(get("getIdentityPrecheckResult.success.response-200.json"))
            .unwrap()
            .is_success()
    );
    assert!(
        fuzzing::added_provider_id(get("addExternalIdentityProvider.okta.response-201.txt"))
            .is_some()
    );
    for (name, status) in [
        ("generateSyncClientToken.reference.response-500.json", 500),
        ("getIdentityProviderById.reference.response-401.json", 401),
        (
            "addExternalIdentityProvider.reference.response-400.json",
            400,
        ),
    ] {
        let error = fuzzing::vcf_error(status, true, get(name));
        assert!(error.vendor().is_some(), "{name}: {error:?}");
    }
    let error = fuzzing::unleash_error(
        404,
        true,
        get("generateScimToken.reference.response-404.json"),
    );
    assert!(error.vendor().is_some(), "{error:?}");
}

/// A server's text cannot put line breaks or terminal escapes into an
/// error (found by `error_normalization_never_panics` once control
/// characters were generated).
#[test]
fn server_text_cannot_inject_control_characters() {
    let body = br#"{"message": "denied\u001b[2J\u001b[31m\nINFO forged log line", "errorCode": "X\r1",
        "causes": [{"type": "T\u0007", "message": "c\u009b1m"}], "nestedErrors": [{"message": "n\n"}]}"#;
    for error in [
        fuzzing::vcf_error(400, true, body),
        fuzzing::vcf_error(502, false, body),
    ] {
        let text = error.to_string();
        assert!(!text.chars().any(char::is_control), "{text:?}");
        assert!(
            text.contains("denied [2J [31m INFO forged log line"),
            "{text}"
        );
    }
    let error = fuzzing::unleash_error(
        401,
        true,
        br#"{"name": "N\u001b]0;title\u0007", "message": "m\n"}"#,
    );
    let text = error.to_string();
    assert!(!text.chars().any(char::is_control), "{text:?}");
    // A key with control characters, in the path of a decode error.
    let error = fuzzing::scim_settings(br#"{"enabled": "\u001b[31m", "x\u001b": {"hasToken": 5}}"#)
        .unwrap_err();
    let text = error.to_string();
    assert!(!text.chars().any(char::is_control), "{text:?}");
}

/// A value serde quotes in its message, with an escaped quote inside, does
/// not leak into a decode error (found by `decode_errors_never_echo_body_values`).
#[test]
fn escaped_quotes_do_not_leak_values_into_decode_errors() {
    let body = br#"{"enabled": "x\"tail-of-a-secret\\", "hasToken": "\\\"more-secret"}"#;
    let error = fuzzing::scim_settings(body).unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(!text.contains("secret"), "{text}");
    assert!(text.contains("enabled"), "{text}");
}
