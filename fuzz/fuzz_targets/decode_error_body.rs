//! Error normalization: the bytes as the body of a failure status, decoded
//! as VCF's and Unleash's declared error types (or read raw when they are
//! not one), and normalized into `VendorError`; the first line as a
//! `Retry-After` value. Any result is fine; a panic is a bug.

#![no_main]

use std::time::{Duration, SystemTime};

use idp_client::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    for (status, declared) in [(400, true), (500, true), (502, false), (429, false)] {
        for error in [
            fuzzing::vcf_error(status, declared, body),
            fuzzing::unleash_error(status, declared, body),
        ] {
            let _ = format!("{error} {error:?}");
            if let Some(vendor) = error.vendor() {
                let _ = serde_json::to_vec(vendor);
                let _ = vendor.summary();
            }
            if let Some(snippet) = error.body_snippet() {
                assert!(snippet.len() <= 512 + '…'.len_utf8());
                assert!(!snippet.chars().any(char::is_control));
            }
        }
    }
    if let Some(vendor) = fuzzing::vendor_error(body) {
        let _ = vendor.to_string();
    }
    let text = String::from_utf8_lossy(body);
    let first_line = text.lines().next().unwrap_or_default();
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let _ = fuzzing::retry_after(first_line, now);
});
