//! `openapi/vendor/waivers.toml`: every accepted difference between our
//! spec and a vendor subset, with why and on what evidence.
//!
//! ```toml
//! [[waiver]]
//! vendor = ["sddc-manager-9.0.0.0", "sddc-manager-9.1.0.0"]
//! operation = "createToken"
//! pointers = ["#/components/schemas/TokenCreationSpec/properties/apiKey"]
//! differs = "property"
//! ours = "absent"
//! theirs = "string, optional"
//! reason = "service accounts log in with an API key; the client does not yet"
//! evidence = "not yet modelled: issue 22 §3"
//! ```
//!
//! A waiver matches a difference when the difference is in one of its
//! `vendor` subsets, at one of its `pointers`, of the kind `differs`, with
//! exactly `ours` and `theirs`, and (if `operation` is given) reached from
//! that operation. When either side changes, the waiver stops matching,
//! the difference shows again, and the waiver is reported as stale: every
//! pointer must match a difference in every vendor subset listed. Several
//! pointers share one waiver only when the same reason and evidence hold
//! for each.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::problem::Problem;

/// The waiver file's shape.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverFile {
    /// The waivers, in file order.
    #[serde(default)]
    pub waiver: Vec<Waiver>,
}

/// One accepted difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The subsets (file stems) it applies to.
    pub vendor: Vec<String>,
    /// Our `operationId` the differences are reached from (the vendor's,
    /// for an operation only the vendor has); optional, since a pointer
    /// into `#/paths` names its operation already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// JSON pointers in our spec (or where the thing would be).
    pub pointers: Vec<String>,
    /// What differs (`property`, `type`, `status`, ...).
    pub differs: String,
    /// Ours, as the report renders it.
    pub ours: String,
    /// The vendor's, as the report renders it.
    pub theirs: String,
    /// Why the difference stays.
    pub reason: String,
    /// What shows it: see [`EVIDENCE_KINDS`].
    pub evidence: String,
}

/// How evidence starts: a seed document (`../shared/seeds`, by file name),
/// a real server's answer, a documentation page, the vendor's own
/// description (another operation or release), a rule of `DESIGN.md` or
/// `docs/` (a decision, not a fact about the wire), an assumption written
/// down as one (DESIGN.md, "Sources of truth"), or work a later issue does.
/// The check counts waivers by kind, so decisions and assumptions show.
pub const EVIDENCE_KINDS: &[&str] = &[
    "seed: ",
    "server: ",
    "page: ",
    "vendor: ",
    "design: ",
    "assumption: ",
    "not yet modelled: ",
];

/// Reads and checks the waiver file; `known` are the subset stems present.
///
/// # Errors
///
/// The file is unreadable or malformed, or a waiver is incomplete, names
/// an unknown subset, or repeats another; one problem each.
pub fn load(path: &Path, known: &[String]) -> Result<Vec<Waiver>, Vec<Problem>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return Err(vec![Problem::new(path, format!("cannot read: {e}"))]),
    };
    let file: WaiverFile = toml::from_str(&text)
        .map_err(|e| vec![Problem::new(path, format!("not a waiver file: {e}"))])?;
    let mut problems = Vec::new();
    for (i, waiver) in file.waiver.iter().enumerate() {
        let at = format!(
            "waiver {} ({} {})",
            i + 1,
            waiver.differs,
            waiver.pointers.first().map_or("", String::as_str)
        );
        for (field, value) in [
            ("differs", &waiver.differs),
            ("ours", &waiver.ours),
            ("theirs", &waiver.theirs),
            ("reason", &waiver.reason),
            ("evidence", &waiver.evidence),
        ] {
            if value.trim().is_empty() {
                problems.push(Problem::new(path, format!("{at}: `{field}` is empty")));
            }
        }
        if waiver
            .operation
            .as_ref()
            .is_some_and(|o| o.trim().is_empty())
        {
            problems.push(Problem::new(path, format!("{at}: `operation` is empty")));
        }
        if waiver.pointers.is_empty() {
            problems.push(Problem::new(path, format!("{at}: `pointers` is empty")));
        }
        for (k, pointer) in waiver.pointers.iter().enumerate() {
            if !pointer.starts_with("#/") {
                problems.push(Problem::new(
                    path,
                    format!("{at}: `{pointer}` is not a JSON pointer starting with #/"),
                ));
            }
            if waiver.pointers[..k].contains(pointer) {
                problems.push(Problem::new(
                    path,
                    format!("{at}: `{pointer}` is listed twice"),
                ));
            }
        }
        if !EVIDENCE_KINDS
            .iter()
            .any(|k| waiver.evidence.starts_with(k))
        {
            problems.push(Problem::new(
                path,
                format!(
                    "{at}: `evidence` must start with one of: {}",
                    EVIDENCE_KINDS
                        .iter()
                        .map(|k| format!("`{}`", k.trim_end()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if waiver.vendor.is_empty() {
            problems.push(Problem::new(path, format!("{at}: `vendor` is empty")));
        }
        for vendor in &waiver.vendor {
            if !known.contains(vendor) {
                problems.push(Problem::new(
                    path,
                    format!(
                        "{at}: vendor `{vendor}` has no subset in openapi/vendor/ (known: {})",
                        known.join(", ")
                    ),
                ));
            }
        }
        if let Some(j) = file.waiver[..i].iter().position(|w| {
            (&w.operation, &w.differs, &w.ours, &w.theirs)
                == (
                    &waiver.operation,
                    &waiver.differs,
                    &waiver.ours,
                    &waiver.theirs,
                )
                && w.pointers.iter().any(|p| waiver.pointers.contains(p))
                && w.vendor.iter().any(|v| waiver.vendor.contains(v))
        }) {
            problems.push(Problem::new(
                path,
                format!("{at}: repeats waiver {} for the same vendor", j + 1),
            ));
        }
    }
    if problems.is_empty() {
        Ok(file.waiver)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("waivers.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    const GOOD: &str = r##"
[[waiver]]
vendor = ["v-1"]
pointers = ["#/a"]
differs = "type"
ours = "string"
theirs = "integer"
reason = "because"
evidence = "seed: 001_e10988291f80d144.txt"
"##;

    #[test]
    fn a_good_file_loads() {
        let (_dir, path) = write(GOOD);
        let waivers = load(&path, &["v-1".to_owned()]).unwrap();
        assert_eq!(waivers.len(), 1);
        assert_eq!(waivers[0].differs, "type");
    }

    #[test]
    fn bad_waivers_are_named() {
        let text = format!(
            "{GOOD}{}",
            GOOD.replace("seed: ", "hearsay: ").replace("v-1", "v-2")
        );
        let (_dir, path) = write(&format!("{text}{GOOD}"));
        let problems: Vec<String> = load(&path, &["v-1".to_owned()])
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        let all = problems.join("\n");
        assert!(
            all.contains("waiver 2 (type #/a): `evidence` must start with"),
            "{all}"
        );
        assert!(
            all.contains("waiver 2 (type #/a): vendor `v-2` has no subset"),
            "{all}"
        );
        assert!(
            all.contains("waiver 3 (type #/a): repeats waiver 1"),
            "{all}"
        );
        assert_eq!(problems.len(), 3, "{all}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let (_dir, path) = write(&GOOD.replace("reason", "reasons"));
        let problems = load(&path, &["v-1".to_owned()]).unwrap_err();
        assert!(
            problems[0].message.contains("not a waiver file"),
            "{problems:?}"
        );
    }
}
