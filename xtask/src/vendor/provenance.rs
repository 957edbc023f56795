//! The provenance sidecar of a subset: `<subset stem>.provenance.toml`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where a subset came from and how it was cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The subset's file name (beside this file).
    pub subset: String,
    /// SHA-256 of the subset file as written (`vendor-check` compares).
    pub subset_sha256: String,
    /// The upstream repository.
    pub repository: String,
    /// The fork the commit was read from.
    pub fork: String,
    /// The full commit id.
    pub commit: String,
    /// The description's path in the repository.
    pub path: String,
    /// SHA-256 of the whole description file at that commit.
    pub source_sha256: String,
    /// The description's `info.version`.
    pub source_version: String,
    /// The description's license.
    pub license: String,
    /// The day (UTC) the subset last changed; kept when re-extraction gives
    /// the same subset from the same source.
    pub extracted: String,
    /// The rules that chose what the subset holds.
    pub selection: Vec<String>,
}

const HEADER: &str =
    "# Written by `cargo xtask vendor-extract` (docs/dev/vendor-specs.md); do not edit.\n";

impl Provenance {
    /// The sidecar path of the subset file `subset`.
    #[must_use]
    pub fn path_for(subset: &Path) -> PathBuf {
        let stem = subset
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        subset.with_file_name(format!("{stem}.provenance.toml"))
    }

    /// Reads a sidecar.
    ///
    /// # Errors
    ///
    /// Unreadable or not this shape; the message names the file.
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The sidecar's text.
    ///
    /// # Errors
    ///
    /// TOML serialization failed (it does not for this shape).
    pub fn to_text(&self) -> Result<String, String> {
        let body = toml::to_string_pretty(self).map_err(|e| format!("provenance: {e}"))?;
        Ok(format!("{HEADER}{body}"))
    }

    /// Whether `self` and `other` differ only in the extraction date.
    #[must_use]
    pub fn same_content(&self, other: &Self) -> bool {
        Self {
            extracted: String::new(),
            ..self.clone()
        } == Self {
            extracted: String::new(),
            ..other.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn round_trips_through_toml() {
        let p = Provenance {
            subset: "sddc-manager-9.1.0.0.json".into(),
            subset_sha256: "00".into(),
            repository: "vmware/vcf-api-specs".into(),
            fork: "bhagatp10/vcf-api-specs".into(),
            commit: "c3f3b52c845dd967cabbc21680e893292077d5ba".into(),
            path: "specifications/sddc-manager/sddc-manager-openapi.json".into(),
            source_sha256: "11".into(),
            source_version: "9.1.0.0".into(),
            license: "Apache-2.0".into(),
            extracted: "2025-01-02".into(),
            selection: vec!["a \"quoted\" rule".into()],
        };
        let text = p.to_text().unwrap();
        assert!(text.starts_with("# Written by"));
        let back: Provenance = toml::from_str(&text).unwrap();
        assert_eq!(back, p);
        assert!(p.same_content(&Provenance {
            extracted: "2030-01-01".into(),
            ..p.clone()
        }));
        assert_eq!(
            Provenance::path_for(Path::new("/x/openapi/vendor/sddc-manager-9.1.0.0.json")),
            Path::new("/x/openapi/vendor/sddc-manager-9.1.0.0.provenance.toml")
        );
    }
}
