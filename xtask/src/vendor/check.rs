//! `cargo xtask vendor-check`: our spec against the committed vendor
//! subsets, operation by operation, offline.
//!
//! What is compared is in [`super::operations`]; here: which files, the
//! waivers applied to the differences, stale waivers, and the subsets
//! themselves (canonical, self-contained, matching the SHA-256 in their
//! provenance sidecar).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::compare::Finding;
use super::operations::{Matching, compare_documents_with};
use super::provenance::Provenance;
use super::waivers::{self, Waiver, WaiverFile};
use super::{APIS, REPOSITORY, VENDOR_DIR, VendorApi, WAIVERS_FILE, canonical_json, sha256_hex};
use crate::problem::Problem;

/// The command's usage.
pub const USAGE: &str = "usage: cargo xtask vendor-check [--all | --stubs]

Compares openapi/vcf-identity.json with every openapi/vendor/sddc-manager-*.json
and openapi/vcf-operations-identity.json with openapi/vendor/vcf-operations-*.json
(offline; docs/dev/vendor-specs.md). Fails on a difference not waived in
openapi/vendor/waivers.toml, on a waiver that matches nothing, and on a
subset that is not what vendor-extract wrote.
  --all    list every difference, waived or not
  --stubs  print the unwaived differences as waiver entries to fill in";

/// One difference, tied to its subset and operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The subset file, relative to the workspace root.
    pub file: PathBuf,
    /// The subset's file stem (what waivers name).
    pub vendor: String,
    /// Our `operationId`s it is reached from (the vendor's, for an
    /// operation only the vendor has).
    pub operations: BTreeSet<String>,
    /// What differs, where.
    pub finding: Finding,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.finding.vendor_pointer.as_ref().map_or_else(
            || " (in none of the vendor's error schemas)".to_owned(),
            |p| format!(" (vendor at {p})"),
        );
        write!(
            f,
            "{}: {}: {}: {}: ours {}; vendor {}{at}",
            self.file.display(),
            self.operations
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            self.finding.pointer,
            self.finding.differs,
            self.finding.ours,
            self.finding.theirs,
        )
    }
}

/// A waiver pointer that matches no difference in one of its subsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// 1-based position in the waiver file.
    pub index: usize,
    /// The waiver.
    pub waiver: Waiver,
    /// The pointer that matches nothing.
    pub pointer: String,
    /// The subset it matches nothing in.
    pub vendor: String,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{VENDOR_DIR}/{WAIVERS_FILE}: waiver {}{}: {}: {}: ours {}; vendor {}: matches no \
             difference in {}: stale; remove the pointer (or that vendor) from the waiver",
            self.index,
            self.waiver
                .operation
                .as_ref()
                .map_or_else(String::new, |o| format!(" ({o})")),
            self.pointer,
            self.waiver.differs,
            self.waiver.ours,
            self.waiver.theirs,
            self.vendor
        )
    }
}

/// What `vendor-check` found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Broken files: subsets, sidecars, the waiver file, our spec.
    pub problems: Vec<Problem>,
    /// Differences no waiver covers.
    pub unwaived: Vec<Difference>,
    /// Differences a waiver covers, with its 1-based position.
    pub waived: Vec<(Difference, usize)>,
    /// Waivers that match nothing.
    pub stale: Vec<Stale>,
    /// Subsets compared, with our spec.
    pub compared: Vec<(String, String)>,
    /// Subsets without a spec of ours to compare with.
    pub not_compared: Vec<String>,
    /// Waivers by evidence kind.
    pub evidence: BTreeMap<String, usize>,
}

impl Report {
    /// Whether the check passes.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.problems.is_empty() && self.unwaived.is_empty() && self.stale.is_empty()
    }

    /// The unwaived differences as waiver entries to fill in: one per
    /// kind of difference and set of subsets, with all its pointers.
    #[must_use]
    pub fn stubs(&self) -> String {
        let mut vendors: BTreeMap<(String, String, String, String), Vec<String>> = BTreeMap::new();
        for d in &self.unwaived {
            vendors
                .entry((
                    d.finding.differs.clone(),
                    d.finding.ours.clone(),
                    d.finding.theirs.clone(),
                    d.finding.pointer.clone(),
                ))
                .or_default()
                .push(d.vendor.clone());
        }
        let mut grouped: BTreeMap<(Vec<String>, String, String, String), Vec<String>> =
            BTreeMap::new();
        for ((differs, ours, theirs, pointer), mut vendor) in vendors {
            vendor.dedup();
            grouped
                .entry((vendor, differs, ours, theirs))
                .or_default()
                .push(pointer);
        }
        let file = WaiverFile {
            waiver: grouped
                .into_iter()
                .map(|((vendor, differs, ours, theirs), pointers)| Waiver {
                    vendor,
                    operation: None,
                    pointers,
                    differs,
                    ours,
                    theirs,
                    reason: "FILL IN".to_owned(),
                    evidence: "FILL IN".to_owned(),
                })
                .collect(),
        };
        toml::to_string_pretty(&file).unwrap_or_default()
    }
}

/// Runs the check for the workspace at `root`.
#[must_use]
pub fn vendor_check(root: &Path) -> Report {
    let mut report = Report::default();
    let dir = root.join(VENDOR_DIR);
    let mut subsets = Vec::new();
    let mut sidecars = Vec::new();
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".provenance.toml") {
                    sidecars.push(name);
                } else if name.ends_with(".json") {
                    subsets.push(name);
                }
            }
        }
        Err(e) => {
            report
                .problems
                .push(Problem::new(&dir, format!("cannot read: {e}")));
            return report;
        }
    }
    subsets.sort();
    sidecars.sort();
    let stems: Vec<String> = subsets
        .iter()
        .map(|name| name.trim_end_matches(".json").to_owned())
        .collect();
    for sidecar in &sidecars {
        let stem = sidecar.trim_end_matches(".provenance.toml");
        if !stems.iter().any(|s| s == stem) {
            report.problems.push(Problem::new(
                &dir.join(sidecar),
                format!("no subset {stem}.json beside it"),
            ));
        }
    }

    let mut differences = Vec::new();
    let mut specs: BTreeMap<&str, Option<Value>> = BTreeMap::new();
    for (name, stem) in subsets.iter().zip(&stems) {
        let path = dir.join(name);
        let Some(api) = VendorApi::for_stem(stem) else {
            report.problems.push(Problem::new(
                &path,
                format!(
                    "not a vendor subset name (<api>-<version>[-identity].json; APIs: {})",
                    APIS.iter().map(|a| a.name).collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        };
        let Some(subset) = read_subset(&path, &mut report.problems) else {
            continue;
        };
        let Some(spec_file) = api.compared_with else {
            report.not_compared.push(stem.clone());
            continue;
        };
        let spec = specs
            .entry(spec_file)
            .or_insert_with(|| read_spec(root, spec_file, &mut report.problems));
        let Some(spec) = spec.as_ref() else {
            continue;
        };
        report
            .compared
            .push((stem.clone(), format!("openapi/{spec_file}")));
        let matching = Matching {
            our_path_prefix: api.our_path_prefix,
            all_vendor_operations: api.all_vendor_operations,
        };
        for (finding, operations) in compare_documents_with(spec, &subset, matching) {
            differences.push(Difference {
                file: Path::new(VENDOR_DIR).join(name),
                vendor: stem.clone(),
                operations,
                finding,
            });
        }
    }
    for api in APIS.iter().filter(|a| a.compared_with.is_some()) {
        if !stems
            .iter()
            .any(|s| VendorApi::for_stem(s).is_some_and(|a| a.name == api.name))
        {
            report.problems.push(Problem::new(
                &dir,
                format!(
                    "no {}-*.json subset to compare with: run `cargo xtask vendor-extract` \
                     (docs/dev/vendor-specs.md)",
                    api.name
                ),
            ));
        }
    }

    let waivers_path = dir.join(WAIVERS_FILE);
    let waivers = match waivers::load(&waivers_path, &stems) {
        Ok(waivers) => waivers,
        Err(problems) => {
            report.problems.extend(problems);
            // Without waivers every difference shows, which says more than
            // hiding them behind the broken file.
            Vec::new()
        }
    };
    for waiver in &waivers {
        let kind = waivers::EVIDENCE_KINDS
            .iter()
            .find(|k| waiver.evidence.starts_with(**k))
            .map_or("other", |k| k.trim_end_matches([':', ' ']));
        *report.evidence.entry(kind.to_owned()).or_insert(0) += 1;
    }
    let mut used: BTreeSet<(usize, String, String)> = BTreeSet::new();
    for difference in differences {
        let matched = waivers.iter().position(|w| covers(w, &difference));
        match matched {
            Some(i) => {
                used.insert((
                    i,
                    difference.finding.pointer.clone(),
                    difference.vendor.clone(),
                ));
                report.waived.push((difference, i + 1));
            }
            None => report.unwaived.push(difference),
        }
    }
    for (i, waiver) in waivers.iter().enumerate() {
        for pointer in &waiver.pointers {
            for vendor in &waiver.vendor {
                if !used.contains(&(i, pointer.clone(), vendor.clone())) {
                    report.stale.push(Stale {
                        index: i + 1,
                        waiver: waiver.clone(),
                        pointer: pointer.clone(),
                        vendor: vendor.clone(),
                    });
                }
            }
        }
    }
    report
}

/// Whether `waiver` covers `difference`.
#[must_use]
pub fn covers(waiver: &Waiver, difference: &Difference) -> bool {
    waiver.vendor.contains(&difference.vendor)
        && waiver
            .operation
            .as_ref()
            .is_none_or(|o| difference.operations.contains(o))
        && waiver.pointers.contains(&difference.finding.pointer)
        && waiver.differs == difference.finding.differs
        && waiver.ours == difference.finding.ours
        && waiver.theirs == difference.finding.theirs
}

/// Reads a subset and checks it is what `vendor-extract` writes.
fn read_subset(path: &Path, problems: &mut Vec<Problem>) -> Option<Value> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            problems.push(Problem::new(path, format!("cannot read: {e}")));
            return None;
        }
    };
    let subset: Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            problems.push(Problem::new(path, format!("not valid JSON: {e}")));
            return None;
        }
    };
    if canonical_json(&subset) != text {
        problems.push(Problem::new(
            path,
            "not in canonical formatting (sorted keys): it is written by \
             `cargo xtask vendor-extract`, not by hand",
        ));
    }
    for reference in refs(&subset) {
        if crate::schema::resolve(&subset, &reference).is_none() {
            problems.push(Problem::new(
                path,
                format!("$ref {reference} points at nothing in the subset"),
            ));
        }
    }
    let sidecar = Provenance::path_for(path);
    match Provenance::read(&sidecar) {
        Ok(provenance) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let sha = sha256_hex(text.as_bytes());
            if provenance.subset != name {
                problems.push(Problem::new(
                    &sidecar,
                    format!("names subset {}, not {name}", provenance.subset),
                ));
            }
            if provenance.subset_sha256 != sha {
                problems.push(Problem::new(
                    path,
                    format!(
                        "SHA-256 {sha} is not the {} its provenance records: edited by hand? \
                         Re-run `cargo xtask vendor-extract`",
                        provenance.subset_sha256
                    ),
                ));
            }
            if provenance.repository != REPOSITORY
                || provenance.commit.len() != 40
                || provenance.source_sha256.len() != 64
                || provenance.selection.is_empty()
            {
                problems.push(Problem::new(
                    &sidecar,
                    format!(
                        "incomplete: needs repository {REPOSITORY}, a 40-hex commit, the \
                         source's SHA-256 and the selection rules"
                    ),
                ));
            }
        }
        Err(e) => problems.push(Problem::new(
            path,
            format!("no usable provenance sidecar: {e}"),
        )),
    }
    Some(subset)
}

fn read_spec(root: &Path, file: &str, problems: &mut Vec<Problem>) -> Option<Value> {
    let path = root.join(idp_codegen::SPECS_DIR).join(file);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            problems.push(Problem::new(&path, format!("cannot read: {e}")));
            return None;
        }
    };
    match crate::lint::parse_json(&path, &text) {
        Ok(value) => Some(value),
        Err(problem) => {
            problems.push(problem);
            None
        }
    }
}

/// Every `$ref` string in `value`.
fn refs(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    match (key.as_str(), child) {
                        ("$ref", Value::String(r)) => out.push(r.clone()),
                        ("enum" | "default" | "const", _) => {}
                        _ => stack.push(child),
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}
