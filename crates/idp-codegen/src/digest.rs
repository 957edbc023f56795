//! The digest that ties a committed snapshot to the spec it was generated
//! from, so `idp-api`'s build script can tell, without generating anything,
//! that `generated/<module>.rs` still matches `openapi/<file>`.
//!
//! FNV-1a (64 bit) over the spec's bytes: not a security measure (a spec
//! and its snapshot are edited by the same hands), only a cheap, dependency
//! free fingerprint that changes with any edit.

use std::fmt;

use crate::ApiSpec;

/// The line of a snapshot's header that carries its spec's digest starts
/// with this.
const DIGEST_PREFIX: &str = "// spec digest (FNV-1a 64): ";

/// The digest of a spec's bytes, as 16 lowercase hex digits.
#[must_use]
pub fn spec_digest(spec: &[u8]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let hash = spec.iter().fold(OFFSET, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(PRIME)
    });
    format!("{hash:016x}")
}

/// The header line that records the digest of `spec` (no newline).
#[must_use]
pub fn digest_line(spec: &[u8]) -> String {
    format!("{DIGEST_PREFIX}{}", spec_digest(spec))
}

/// A snapshot that was not generated from the spec beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SnapshotMismatch {
    /// The spec's module (`vcf`).
    pub module: &'static str,
    /// The spec's file name under `openapi/`.
    pub file: &'static str,
    /// The digest the snapshot records, if it records one.
    pub recorded: Option<String>,
    /// The digest of the spec as it is now.
    pub actual: String,
}

impl fmt::Display for SnapshotMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let recorded = self.recorded.as_deref().unwrap_or("none");
        write!(
            f,
            "generated/{}.rs was not generated from openapi/{} as it is now \
             (digest recorded: {recorded}, spec: {}): run `cargo xtask regen` \
             and commit the result, or build with the `codegen` feature to \
             generate from the spec at build time",
            self.module, self.file, self.actual
        )
    }
}

impl std::error::Error for SnapshotMismatch {}

/// Checks that `snapshot` (the text of `generated/<module>.rs`) records the
/// digest of `spec` (the bytes of `openapi/<file>`) in its header.
///
/// # Errors
///
/// The header has no digest, or another one.
pub fn check_snapshot_digest(
    api: &ApiSpec,
    spec: &[u8],
    snapshot: &str,
) -> Result<(), SnapshotMismatch> {
    let actual = spec_digest(spec);
    // The digest is in the header: the comment lines before the code.
    let recorded = snapshot
        .lines()
        .take_while(|line| line.starts_with("//") || line.is_empty())
        .find_map(|line| line.strip_prefix(DIGEST_PREFIX))
        .map(str::trim);
    if recorded == Some(actual.as_str()) {
        return Ok(());
    }
    Err(SnapshotMismatch {
        module: api.module,
        file: api.file,
        recorded: recorded.map(str::to_owned),
        actual,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: ApiSpec = ApiSpec {
        module: "vcf",
        file: "vcf-identity.json",
    };

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV reference test suite (Fowler, Noll, Vo).
        assert_eq!(spec_digest(b""), "cbf29ce484222325");
        assert_eq!(spec_digest(b"a"), "af63dc4c8601ec8c");
        assert_eq!(spec_digest(b"foobar"), "85944171f73967e8");
    }

    #[test]
    fn a_snapshot_with_the_spec_digest_passes() {
        let spec = br#"{"openapi":"3.0.3"}"#;
        let snapshot = format!("// @generated\n{}\n\npub mod x {{}}\n", digest_line(spec));
        assert_eq!(check_snapshot_digest(&API, spec, &snapshot), Ok(()));
    }

    #[test]
    fn an_edited_spec_fails_and_names_the_files_and_the_fix() {
        let snapshot = format!("// @generated\n{}\n\npub mod x {{}}\n", digest_line(b"old"));
        let error = check_snapshot_digest(&API, b"new", &snapshot).unwrap_err();
        assert_eq!(
            error.recorded.as_deref(),
            Some(spec_digest(b"old").as_str())
        );
        let text = error.to_string();
        assert!(text.contains("generated/vcf.rs"), "{text}");
        assert!(text.contains("openapi/vcf-identity.json"), "{text}");
        assert!(text.contains("cargo xtask regen"), "{text}");
    }

    #[test]
    fn a_digest_line_in_the_code_does_not_count() {
        let spec = b"spec";
        let snapshot = format!("// @generated\n\npub mod x {{}}\n{}\n", digest_line(spec));
        let error = check_snapshot_digest(&API, spec, &snapshot).unwrap_err();
        assert_eq!(error.recorded, None);
    }
}
