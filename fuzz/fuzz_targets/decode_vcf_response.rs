//! Every SDDC Manager success-body decoder on the same bytes: a provider
//! page, one provider, a sync client token, the broker precheck, a login
//! token pair, a refreshed access token, the id of an added provider, and
//! the JWT expiry of a token. Any result is fine; a panic is a bug.

#![no_main]

use idp_client::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
    if let Ok(providers) = fuzzing::provider_page(body) {
        for provider in &providers {
            let _ = format!("{provider:?}");
            let _ = serde_json::to_vec(provider);
        }
    }
    if let Ok(provider) = fuzzing::provider(body) {
        let _ = serde_json::to_vec(&provider);
    }
    match fuzzing::sync_client_token(body, now) {
        Ok(token) => {
            let _ = format!("{token:?}");
        }
        Err(error) => {
            let _ = format!("{error} {error:?}");
        }
    }
    let _ = fuzzing::broker_precheck(body).map(|p| p.is_success());
    if let Ok((access, _refresh)) = fuzzing::token_pair(body) {
        let _ = fuzzing::jwt_expiry(access.expose());
    }
    if let Some(access) = fuzzing::refreshed_access_token(body) {
        let _ = fuzzing::jwt_expiry(access.expose());
    }
    let _ = fuzzing::added_provider_id(body);
    let _ = fuzzing::jwt_expiry(&String::from_utf8_lossy(body));
});
