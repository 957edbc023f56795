//! The vendor's own OpenAPI descriptions, and our specs checked against them.
//!
//! - `cargo xtask vendor-extract SOURCE [--commit C]` ([`extract`]) reads
//!   VMware's descriptions from a copy of `vmware/vcf-api-specs` (a git
//!   repository, bare or not, or a plain directory) and writes, per API we
//!   implement, the structural subset we use to `openapi/vendor/`, each with
//!   a provenance sidecar ([`provenance`]). Only these subsets are
//!   committed, never the vendor's files.
//! - `cargo xtask vendor-check` ([`check`]) compares `openapi/vcf-identity.json`
//!   with every committed SDDC Manager subset and
//!   `openapi/vcf-operations-identity.json` with the VCF Operations one,
//!   operation by operation, after
//!   the normalizations of [`normalize`] ([`operations`], [`compare`]); each
//!   difference must be waived in `openapi/vendor/waivers.toml`
//!   ([`waivers`]), and a waiver that matches nothing is reported too.
//!   Offline: it reads committed files only.
//!
//! Why and how: `docs/dev/vendor-specs.md`.

pub mod check;
pub mod compare;
pub mod extract;
pub mod normalize;
pub mod operations;
pub mod provenance;
pub mod source;
pub mod waivers;

use serde_json::{Map, Value};

/// Where the subsets, their provenance and the waivers live.
pub const VENDOR_DIR: &str = "openapi/vendor";

/// The waiver file, under [`VENDOR_DIR`].
pub const WAIVERS_FILE: &str = "waivers.toml";

/// The upstream repository of the descriptions.
pub const REPOSITORY: &str = "vmware/vcf-api-specs";

/// The fork the maintainers' mirror holds; the pinned commits are its.
pub const FORK: &str = "bhagatp10/vcf-api-specs";

/// The descriptions' license (the repository's LICENSE).
pub const LICENSE: &str = "Apache-2.0";

/// One vendor API we extract a subset of.
#[derive(Debug, Clone, Copy)]
pub struct VendorApi {
    /// The subset's file name starts with this, then `-<info.version>`.
    pub name: &'static str,
    /// Appended after the version (`-identity`), or empty.
    pub suffix: &'static str,
    /// The description's path inside the repository.
    pub source_path: &'static str,
    /// Which operations the subset holds.
    pub select: Selection,
    /// Our spec compared with this API's subsets by `vendor-check`, if any.
    pub compared_with: Option<&'static str>,
    /// What our spec's paths start with that the vendor's server URL holds
    /// instead (VCF Operations: `/suite-api`); removed before matching.
    pub our_path_prefix: &'static str,
    /// Whether a vendor operation our spec lacks is a difference: yes when
    /// the subset holds only our operations; no when it holds a whole part
    /// of the API of which our spec uses some.
    pub all_vendor_operations: bool,
}

/// How the operations of a subset are chosen.
#[derive(Debug, Clone, Copy)]
pub enum Selection {
    /// Every operation of our spec `openapi/<file>`, matched by method and
    /// path (path-parameter names ignored).
    OurSpec(&'static str),
    /// Every operation whose path starts with one of these prefixes.
    PathPrefixes(&'static [&'static str]),
}

/// SDDC Manager: the operations `openapi/vcf-identity.json` implements.
pub const SDDC_MANAGER: VendorApi = VendorApi {
    name: "sddc-manager",
    suffix: "",
    source_path: "specifications/sddc-manager/sddc-manager-openapi.json",
    select: Selection::OurSpec("vcf-identity.json"),
    compared_with: Some("vcf-identity.json"),
    our_path_prefix: "",
    all_vendor_operations: true,
};

/// VCF Operations: the whole identity part (token and fleet IAM), compared
/// with `openapi/vcf-operations-identity.json`, which uses part of it (its
/// paths carry the `/suite-api` the vendor puts in its server URL).
pub const VCF_OPERATIONS_IDENTITY: VendorApi = VendorApi {
    name: "vcf-operations",
    suffix: "-identity",
    source_path: "specifications/vcf-operations/vcf-operations-openapi.json",
    select: Selection::PathPrefixes(&["/api/auth/token/", "/api/fleet-management/iam/"]),
    compared_with: Some("vcf-operations-identity.json"),
    our_path_prefix: "/suite-api",
    all_vendor_operations: false,
};

/// Every API, in extraction order.
pub const APIS: &[VendorApi] = &[SDDC_MANAGER, VCF_OPERATIONS_IDENTITY];

/// A release we extract when no `--commit` is given.
#[derive(Debug, Clone, Copy)]
pub struct Pin {
    /// The API.
    pub api: VendorApi,
    /// The full commit id in the fork ([`FORK`]).
    pub commit: &'static str,
    /// The release it is (`info.version` of the description there).
    pub release: &'static str,
}

/// 9.0.0.0 is `d81412d`, 9.1 is `c3f3b52` (VCF Operations' description at
/// `d81412d` carries no version and only two of the identity operations).
pub const PINNED: &[Pin] = &[
    Pin {
        api: SDDC_MANAGER,
        commit: "d81412d7bdd9642a488f897b35c2b09acae60db3",
        release: "9.0.0.0",
    },
    Pin {
        api: SDDC_MANAGER,
        commit: "c3f3b52c845dd967cabbc21680e893292077d5ba",
        release: "9.1.0.0",
    },
    Pin {
        api: VCF_OPERATIONS_IDENTITY,
        commit: "c3f3b52c845dd967cabbc21680e893292077d5ba",
        release: "9.1.0.0",
    },
];

impl VendorApi {
    /// The subset's file stem for a release (`sddc-manager-9.1.0.0`).
    #[must_use]
    pub fn stem(&self, release: &str) -> String {
        format!("{}-{release}{}", self.name, self.suffix)
    }

    /// The API whose subsets have file stems like `stem`.
    #[must_use]
    pub fn for_stem(stem: &str) -> Option<&'static VendorApi> {
        APIS.iter().find(|api| {
            stem.strip_prefix(api.name)
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|rest| rest.strip_suffix(api.suffix))
                .is_some_and(|release| {
                    !release.is_empty() && release.chars().all(|c| c.is_ascii_digit() || c == '.')
                })
        })
    }
}

/// The HTTP methods of an OpenAPI path item.
pub use crate::lint::METHODS;

/// A JSON pointer token: `~` and `/` escaped.
#[must_use]
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `#/paths/<path>/<method>`.
#[must_use]
pub fn operation_pointer(path: &str, method: &str) -> String {
    format!("#/paths/{}/{method}", escape(path))
}

/// A path with every `{parameter}` name blanked (`/v1/x/{}`), so that two
/// descriptions naming a parameter differently still match.
#[must_use]
pub fn normalized_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// JSON with every object's keys sorted, two-space indented, final newline:
/// the same value always gives the same bytes.
#[must_use]
pub fn canonical_json(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(value)).unwrap_or_default();
    text.push('\n');
    text
}

fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), sorted(&map[key]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Lower-case hex SHA-256 of `bytes`.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest
        .as_ref()
        .iter()
        .fold(String::with_capacity(64), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_names_do_not_matter_for_matching() {
        assert_eq!(
            normalized_path("/v1/identity-providers/{id}/identity-sources/{domainName}"),
            "/v1/identity-providers/{}/identity-sources/{}"
        );
        assert_eq!(normalized_path("/v1/tokens"), "/v1/tokens");
    }

    #[test]
    fn canonical_json_sorts_keys() {
        let value = serde_json::json!({"b": 1, "a": {"d": [2, {"z": 0, "y": 1}], "c": 3}});
        assert_eq!(
            canonical_json(&value),
            "{\n  \"a\": {\n    \"c\": 3,\n    \"d\": [\n      2,\n      {\n        \"y\": 1,\n        \"z\": 0\n      }\n    ]\n  },\n  \"b\": 1\n}\n"
        );
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn stems_name_their_api() {
        assert_eq!(SDDC_MANAGER.stem("9.1.0.0"), "sddc-manager-9.1.0.0");
        assert_eq!(
            VCF_OPERATIONS_IDENTITY.stem("9.1.0.0"),
            "vcf-operations-9.1.0.0-identity"
        );
        assert_eq!(
            VendorApi::for_stem("sddc-manager-9.0.0.0").map(|a| a.name),
            Some("sddc-manager")
        );
        assert_eq!(
            VendorApi::for_stem("vcf-operations-9.1.0.0-identity").map(|a| a.name),
            Some("vcf-operations")
        );
        assert!(VendorApi::for_stem("sddc-manager-").is_none());
        assert!(VendorApi::for_stem("unleash-1.0").is_none());
    }
}
