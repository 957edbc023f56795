//! `cargo xtask vendor-check` fails, naming file, operation and pointer, on
//! a doctored vendor subset, and reports stale waivers.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use xtask::vendor::check::{Report, vendor_check};
use xtask::vendor::provenance::Provenance;
use xtask::vendor::{canonical_json, sha256_hex};

const V90: &str = "sddc-manager-9.0.0.0";
const V91: &str = "sddc-manager-9.1.0.0";
const OPS: &str = "vcf-operations-9.1.0.0-identity";

/// Our VCF and VCF Operations specs and the committed vendor directory, in
/// a temporary root.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = xtask::workspace_root();
        std::fs::create_dir_all(dir.path().join("openapi/vendor")).unwrap();
        for spec in ["vcf-identity.json", "vcf-operations-identity.json"] {
            std::fs::copy(
                root.join("openapi").join(spec),
                dir.path().join("openapi").join(spec),
            )
            .unwrap();
        }
        for entry in std::fs::read_dir(root.join("openapi/vendor")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(
                entry.path(),
                dir.path().join("openapi/vendor").join(entry.file_name()),
            )
            .unwrap();
        }
        Self { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn subset_path(&self, stem: &str) -> PathBuf {
        self.root().join(format!("openapi/vendor/{stem}.json"))
    }

    /// Edits a subset, writes it canonically and, if `restamp`, records
    /// its new SHA-256 in the provenance as `vendor-extract` would.
    fn edit_subset(&self, stem: &str, restamp: bool, edit: impl FnOnce(&mut Value)) {
        let path = self.subset_path(stem);
        let mut subset: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        edit(&mut subset);
        let text = canonical_json(&subset);
        std::fs::write(&path, &text).unwrap();
        if restamp {
            let sidecar = Provenance::path_for(&path);
            let mut provenance = Provenance::read(&sidecar).unwrap();
            provenance.subset_sha256 = sha256_hex(text.as_bytes());
            std::fs::write(&sidecar, provenance.to_text().unwrap()).unwrap();
        }
    }

    fn append_waivers(&self, text: &str) {
        let path = self.root().join("openapi/vendor/waivers.toml");
        let mut all = std::fs::read_to_string(&path).unwrap();
        all.push_str(text);
        std::fs::write(path, all).unwrap();
    }

    fn check(&self) -> Report {
        vendor_check(self.root())
    }
}

fn schema<'a>(subset: &'a mut Value, name: &str) -> &'a mut Value {
    subset
        .pointer_mut(&format!("/components/schemas/{name}"))
        .unwrap()
}

/// The unwaived differences of one subset, as report lines.
fn unwaived(report: &Report, stem: &str) -> Vec<String> {
    report
        .unwaived
        .iter()
        .filter(|d| d.vendor == stem)
        .map(ToString::to_string)
        .collect()
}

fn has(lines: &[String], needle: &str) -> bool {
    lines.iter().any(|l| l.contains(needle))
}

#[test]
fn the_committed_files_pass() {
    let report = Sandbox::new().check();
    assert!(
        report.passed(),
        "problems: {:?}\nunwaived: {:#?}\nstale: {:#?}",
        report.problems,
        report.unwaived,
        report.stale
    );
    assert_eq!(report.compared.len(), 3, "{:?}", report.compared);
    assert!(
        report.compared.contains(&(
            OPS.to_owned(),
            "openapi/vcf-operations-identity.json".to_owned()
        )),
        "{:?}",
        report.compared
    );
    assert!(report.not_compared.is_empty(), "{:?}", report.not_compared);
}

#[test]
fn vcf_operations_is_matched_without_suite_api_and_only_on_our_operations() {
    let sandbox = Sandbox::new();
    // A vendor operation our spec does not use is no difference (the
    // subset holds the whole identity part); a changed one of ours is.
    sandbox.edit_subset(OPS, true, |s| {
        schema(s, "IamTaskDetails")["properties"]["taskStatus"] = json!({"type": "integer"});
        s["paths"]
            .as_object_mut()
            .unwrap()
            .remove("/api/fleet-management/iam/settings");
    });
    let report = sandbox.check();
    let lines = unwaived(&report, OPS);
    assert!(
        has(
            &lines,
            "deleteIDPConfiguration, getIamTaskDetails: \
             #/components/schemas/IamTaskDetails/properties/taskStatus: type: ours string; vendor integer"
        ),
        "{lines:#?}"
    );
    assert_eq!(lines.len(), 1, "{lines:#?}");

    // Removing one of ours from the vendor's subset reports it, under our
    // path (with /suite-api).
    let sandbox = Sandbox::new();
    sandbox.edit_subset(OPS, true, |s| {
        s["paths"]
            .as_object_mut()
            .unwrap()
            .remove("/api/fleet-management/iam/tasks/{taskId}");
    });
    let lines = unwaived(&sandbox.check(), OPS);
    assert!(
        has(
            &lines,
            "getIamTaskDetails: #/paths/~1suite-api~1api~1fleet-management~1iam~1tasks~1{taskId}/get: \
             operation: ours GET /suite-api/api/fleet-management/iam/tasks/{taskId}; vendor absent"
        ),
        "{lines:#?}"
    );
}

#[test]
fn a_removed_property_is_named_with_file_operation_and_pointer() {
    let sandbox = Sandbox::new();
    sandbox.edit_subset(V91, true, |s| {
        schema(s, "TokenPair")["properties"]
            .as_object_mut()
            .unwrap()
            .remove("accessToken");
    });
    let report = sandbox.check();
    assert!(!report.passed());
    let lines = unwaived(&report, V91);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert_eq!(
        lines[0],
        "openapi/vendor/sddc-manager-9.1.0.0.json: createToken: \
         #/components/schemas/TokenPair/properties/accessToken: property: \
         ours string, optional; vendor absent \
         (vendor at #/components/schemas/TokenPair/properties/accessToken)"
    );
    assert!(unwaived(&report, V90).is_empty());
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn a_changed_type_an_extra_required_field_and_a_changed_status_are_named() {
    let sandbox = Sandbox::new();
    sandbox.edit_subset(V90, true, |s| {
        schema(s, "IdentityProvider")["properties"]["idpMessage"] = json!({"type": "integer"});
        schema(s, "VcIdentitySources")["required"] = json!(["name"]);
        let responses = s
            .pointer_mut("/paths/~1v1~1tokens/post/responses")
            .unwrap()
            .as_object_mut()
            .unwrap();
        let error = responses.remove("500").unwrap();
        responses.insert("503".to_owned(), error);
    });
    let lines = unwaived(&sandbox.check(), V90);
    for needle in [
        "getIdentityProviderById, getIdentityProviders: \
         #/components/schemas/IdentityProvider/properties/idpMessage: type: ours string; vendor integer",
        "#/components/schemas/IdentitySource/properties/name: required: ours optional; vendor required \
         (vendor at #/components/schemas/VcIdentitySources/properties/name)",
        "createToken: #/paths/~1v1~1tokens/post/responses/500: status: ours 500; vendor absent",
        "createToken: #/paths/~1v1~1tokens/post/responses/503: status: ours absent; vendor 503",
    ] {
        assert!(has(&lines, needle), "no `{needle}` in {lines:#?}");
    }
    assert_eq!(lines.len(), 4, "{lines:#?}");
}

#[test]
fn our_operation_missing_from_the_vendor_is_reported() {
    let sandbox = Sandbox::new();
    sandbox.edit_subset(V91, true, |s| {
        s["paths"].as_object_mut().unwrap().remove("/v1/tokens");
    });
    let report = sandbox.check();
    let lines = unwaived(&report, V91);
    assert!(
        has(
            &lines,
            "createToken: #/paths/~1v1~1tokens/post: operation: ours POST /v1/tokens; vendor absent"
        ),
        "{lines:#?}"
    );
    // The waivers about createToken now match nothing in 9.1: stale.
    let stale: Vec<String> = report.stale.iter().map(ToString::to_string).collect();
    assert!(
        has(
            &stale,
            "#/paths/~1v1~1tokens/post/responses/401: status: ours 401; \
             vendor absent: matches no difference in sddc-manager-9.1.0.0"
        ),
        "{stale:#?}"
    );
    assert!(report.stale.iter().all(|s| s.vendor == V91), "{stale:#?}");
}

#[test]
fn a_waiver_that_matches_nothing_is_stale() {
    let sandbox = Sandbox::new();
    sandbox.append_waivers(
        r##"
[[waiver]]
vendor = ["sddc-manager-9.0.0.0"]
pointers = ["#/components/schemas/TokenPair/properties/accessToken"]
differs = "type"
ours = "string"
theirs = "integer"
reason = "Nothing differs here."
evidence = "assumption: a test"
"##,
    );
    let report = sandbox.check();
    assert!(!report.passed());
    assert!(report.unwaived.is_empty(), "{:#?}", report.unwaived);
    assert_eq!(report.stale.len(), 1, "{:#?}", report.stale);
    let line = report.stale[0].to_string();
    assert!(
        line.starts_with("openapi/vendor/waivers.toml: waiver ")
            && line.contains(
                "#/components/schemas/TokenPair/properties/accessToken: type: ours string; \
                 vendor integer: matches no difference in sddc-manager-9.0.0.0: stale"
            ),
        "{line}"
    );
}

#[test]
fn a_vendor_change_unwaives_its_difference_and_stales_the_waiver() {
    let sandbox = Sandbox::new();
    // The vendor starts to declare 403 on the listing: our 403 is no longer
    // a difference there, and the waiver's pointer for it matches nothing.
    sandbox.edit_subset(V90, true, |s| {
        let responses = s
            .pointer_mut("/paths/~1v1~1identity-providers/get/responses")
            .unwrap();
        responses["403"] = responses["401"].clone();
    });
    let report = sandbox.check();
    assert!(report.unwaived.is_empty(), "{:#?}", report.unwaived);
    let stale: Vec<String> = report.stale.iter().map(ToString::to_string).collect();
    assert_eq!(stale.len(), 1, "{stale:#?}");
    assert!(
        stale[0].contains("#/paths/~1v1~1identity-providers/get/responses/403: status: ours 403"),
        "{stale:#?}"
    );
}

#[test]
fn a_hand_edited_subset_is_refused() {
    let sandbox = Sandbox::new();
    sandbox.edit_subset(V90, false, |s| {
        s["info"]["version"] = json!("9.0.0.1");
    });
    let problems: Vec<String> = sandbox
        .check()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        has(&problems, "sddc-manager-9.0.0.0.json: SHA-256")
            && has(&problems, "is not the")
            && has(&problems, "its provenance records"),
        "{problems:#?}"
    );
    // Not canonical either, when written by hand without sorting.
    let path = sandbox.subset_path(V90);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("{\n  \"components\"", "{\n\"components\"", 1),
    )
    .unwrap();
    let problems: Vec<String> = sandbox
        .check()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        has(&problems, "not in canonical formatting"),
        "{problems:#?}"
    );
}

#[test]
fn a_malformed_waiver_file_is_named() {
    let sandbox = Sandbox::new();
    sandbox.append_waivers(
        r##"
[[waiver]]
vendor = ["sddc-manager-8.0"]
pointers = ["components/schemas/X"]
differs = "type"
ours = "a"
theirs = "b"
reason = ""
evidence = "I think so"
"##,
    );
    let problems: Vec<String> = sandbox
        .check()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    for needle in [
        "`reason` is empty",
        "is not a JSON pointer",
        "`evidence` must start with one of",
        "vendor `sddc-manager-8.0` has no subset",
    ] {
        assert!(has(&problems, needle), "no `{needle}` in {problems:#?}");
    }
}
