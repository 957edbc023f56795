//! Every Unleash success-body decoder on the same bytes (SCIM settings, a
//! new SCIM token), and the Unleash error normalization for a declared and
//! an undeclared status. Any result is fine; a panic is a bug.

#![no_main]

use idp_client::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(settings) = fuzzing::scim_settings(body) {
        let _ = serde_json::to_vec(&settings);
    }
    match fuzzing::scim_token(body) {
        Ok(token) => {
            let _ = format!("{token:?}");
        }
        Err(error) => {
            let _ = format!("{error} {error:?}");
        }
    }
    for declared in [true, false] {
        let error = fuzzing::unleash_error(404, declared, body);
        let _ = format!("{error} {error:?}");
    }
});
