//! `cargo xtask check` must fail, naming the file and the problem, on each
//! kind of fault it guards against.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// A copy of the workspace's specs and fixtures in a temporary directory.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = xtask::workspace_root();
        copy_dir(&root.join("openapi"), &dir.path().join("openapi"));
        copy_dir(
            &root.join("tests/fixtures"),
            &dir.path().join("tests/fixtures"),
        );
        copy_dir(
            &root.join("crates/idp-api/generated"),
            &dir.path().join("crates/idp-api/generated"),
        );
        // The check reads idp-sim's dependency tables too.
        let sim = dir.path().join("crates/idp-sim");
        std::fs::create_dir_all(&sim).unwrap();
        std::fs::copy(
            root.join("crates/idp-sim/Cargo.toml"),
            sim.join("Cargo.toml"),
        )
        .unwrap();
        Self { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn vcf_spec(&self) -> PathBuf {
        self.root().join("openapi/vcf-identity.json")
    }

    /// Edits the VCF spec as JSON and writes it back canonically.
    fn edit_vcf(&self, edit: impl FnOnce(&mut Value)) {
        let path = self.vcf_spec();
        let mut document: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        edit(&mut document);
        std::fs::write(&path, xtask::lint::canonical_text(&document)).unwrap();
    }

    fn problems(&self) -> Vec<String> {
        xtask::check(self.root())
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn assert_reported(problems: &[String], file: &str, needle: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.contains(file) && p.contains(needle)),
        "expected a problem in {file} mentioning {needle:?}, got {problems:#?}"
    );
}

fn list_operation(document: &mut Value) -> &mut Value {
    &mut document["paths"]["/v1/identity-providers"]["get"]
}

#[test]
fn the_workspace_itself_passes() {
    let problems: Vec<String> = xtask::check(&xtask::workspace_root())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn an_untouched_copy_passes() {
    assert!(Sandbox::new().problems().is_empty());
}

#[test]
fn missing_operation_id_fails() {
    let sandbox = Sandbox::new();
    sandbox.edit_vcf(|d| {
        list_operation(d)
            .as_object_mut()
            .unwrap()
            .remove("operationId");
    });
    assert_reported(
        &sandbox.problems(),
        "vcf-identity.json",
        "GET /v1/identity-providers: missing operationId",
    );
}

#[test]
fn duplicate_operation_id_fails() {
    let sandbox = Sandbox::new();
    sandbox.edit_vcf(|d| {
        d["paths"]["/v1/identity-providers/{id}"]["get"]["operationId"] =
            json!("getIdentityProviders");
    });
    assert_reported(
        &sandbox.problems(),
        "vcf-identity.json",
        "operationId `getIdentityProviders` is not unique",
    );
}

#[test]
fn missing_tag_and_summary_fail() {
    let sandbox = Sandbox::new();
    sandbox.edit_vcf(|d| {
        let op = list_operation(d).as_object_mut().unwrap();
        op.insert("tags".into(), json!([]));
        op.remove("summary");
    });
    let problems = sandbox.problems();
    assert_reported(&problems, "vcf-identity.json", "missing a tag");
    assert_reported(&problems, "vcf-identity.json", "missing a summary");
}

#[test]
fn unresolved_ref_fails() {
    let sandbox = Sandbox::new();
    sandbox.edit_vcf(|d| {
        d["components"]["schemas"]["IdentityProvider"]["properties"]["ldap"] =
            json!({"$ref": "#/components/schemas/NoSuchSchema"});
    });
    assert_reported(
        &sandbox.problems(),
        "vcf-identity.json",
        "unresolved $ref #/components/schemas/NoSuchSchema",
    );
}

#[test]
fn example_violating_its_schema_fails() {
    let sandbox = Sandbox::new();
    sandbox.edit_vcf(|d| {
        let example = &mut list_operation(d)["responses"]["2XX"]["content"]["application/json"]["examples"]["okta"];
        example["value"]["elements"][0]["identitySources"] = json!("not a list");
    });
    assert_reported(
        &sandbox.problems(),
        "vcf-identity.json",
        "examples/okta: example does not match its schema: $.elements[0].identitySources: expected array",
    );
}

#[test]
fn fixture_violating_its_schema_fails() {
    let sandbox = Sandbox::new();
    let fixture = sandbox
        .root()
        .join("tests/fixtures/vcf/addEmbeddedIdentitySource.activeDirectory.request.json");
    std::fs::write(&fixture, r#"{"ldap": {"domainName": 42}}"#).unwrap();
    let problems = sandbox.problems();
    assert_reported(
        &problems,
        "addEmbeddedIdentitySource.activeDirectory.request.json",
        "missing required property `name`",
    );
    assert_reported(
        &problems,
        "addEmbeddedIdentitySource.activeDirectory.request.json",
        "$.ldap.domainName: expected string",
    );
}

#[test]
fn fixture_for_an_unknown_operation_or_status_fails() {
    let sandbox = Sandbox::new();
    let dir = sandbox.root().join("tests/fixtures/vcf");
    std::fs::write(dir.join("noSuchOperation.case.request.json"), "{}").unwrap();
    std::fs::write(
        dir.join("deleteIdentitySource.case.response-204.json"),
        "{}",
    )
    .unwrap();
    std::fs::write(dir.join("badly-named.json"), "{}").unwrap();
    let problems = sandbox.problems();
    assert_reported(
        &problems,
        "noSuchOperation.case.request.json",
        "no operation `noSuchOperation`",
    );
    assert_reported(
        &problems,
        "deleteIdentitySource.case.response-204.json",
        "documents no body",
    );
    assert_reported(&problems, "badly-named.json", "name is not");
}

#[test]
fn wrong_openapi_version_fails() {
    let sandbox = Sandbox::new();
    sandbox.edit_vcf(|d| d["openapi"] = json!("3.1.0"));
    assert_reported(
        &sandbox.problems(),
        "vcf-identity.json",
        "openapi version 3.1.0 is not 3.0.x",
    );
}

#[test]
fn a_document_openapiv3_cannot_parse_fails() {
    let sandbox = Sandbox::new();
    sandbox.edit_vcf(|d| d["paths"] = json!(["not", "a", "map"]));
    assert_reported(
        &sandbox.problems(),
        "vcf-identity.json",
        "does not parse as OpenAPI 3.0",
    );
}

#[test]
fn invalid_json_fails() {
    let sandbox = Sandbox::new();
    std::fs::write(sandbox.vcf_spec(), "{ \"openapi\": ").unwrap();
    assert_reported(&sandbox.problems(), "vcf-identity.json", "not valid JSON");
}

#[test]
fn non_canonical_formatting_fails_and_regen_fixes_it() {
    let sandbox = Sandbox::new();
    let text = std::fs::read_to_string(sandbox.vcf_spec()).unwrap();
    std::fs::write(sandbox.vcf_spec(), text.replace("\n  ", "\n    ")).unwrap();
    assert_reported(
        &sandbox.problems(),
        "vcf-identity.json",
        "not in canonical formatting",
    );
    xtask::regen(sandbox.root()).unwrap();
    assert!(sandbox.problems().is_empty());
    assert!(sandbox.root().join("target/generated/vcf.rs").exists());
}

#[test]
fn code_generation_failure_is_reported() {
    // progenitor rejects an operation whose success responses mix kinds.
    let sandbox = Sandbox::new();
    sandbox.edit_vcf(|d| {
        let responses = &mut list_operation(d)["responses"];
        responses["201"] = json!({"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}});
    });
    assert_reported(
        &sandbox.problems(),
        "vcf-identity.json",
        "code generation fails",
    );
}

#[test]
fn spec_edit_without_regen_fails_and_regen_fixes_it() {
    let sandbox = Sandbox::new();
    sandbox.edit_vcf(|d| {
        list_operation(d)["summary"] = json!("List every identity provider");
    });
    let problems = sandbox.problems();
    assert_reported(
        &problems,
        "crates/idp-api/generated/vcf.rs",
        "run `cargo xtask regen`",
    );
    assert!(
        !problems.iter().any(|p| p.contains("generated/unleash.rs")),
        "only the edited spec's snapshot is stale: {problems:#?}"
    );
    let generated = sandbox.root().join("crates/idp-api/generated/vcf.rs");
    let vcf = &idp_codegen::SPECS[0];
    assert_eq!(vcf.file, "vcf-identity.json");
    // What idp-api's build script checks: the stale code's digest is not
    // the edited spec's, and after regen it is.
    let spec = || std::fs::read(sandbox.root().join("openapi/vcf-identity.json")).unwrap();
    let stale = std::fs::read_to_string(&generated).unwrap();
    assert!(idp_codegen::check_snapshot_digest(vcf, &spec(), &stale).is_err());
    xtask::regen(sandbox.root()).unwrap();
    assert!(sandbox.problems().is_empty());
    let snapshot = std::fs::read_to_string(&generated).unwrap();
    assert!(snapshot.starts_with(
        "// @generated by idp-codegen from openapi/vcf-identity.json (`cargo xtask regen`); do not edit"
    ));
    assert_eq!(
        idp_codegen::check_snapshot_digest(vcf, &spec(), &snapshot),
        Ok(())
    );
    assert!(
        snapshot.contains(
            "/// List every identity provider\n    ///\n    /// `GET /v1/identity-providers`"
        ),
        "the operation table in the snapshot shows the edit"
    );
}

#[test]
fn hand_edited_or_missing_snapshot_fails() {
    let sandbox = Sandbox::new();
    let snapshots = sandbox.root().join("crates/idp-api/generated");
    let vcf = snapshots.join("vcf.rs");
    let text = std::fs::read_to_string(&vcf).unwrap();
    std::fs::write(
        &vcf,
        text.replace("\"getIdentityProviders\"", "\"listProviders\""),
    )
    .unwrap();
    std::fs::remove_file(snapshots.join("unleash.rs")).unwrap();
    let problems = sandbox.problems();
    assert_reported(
        &problems,
        "crates/idp-api/generated/vcf.rs",
        "differs from what openapi/vcf-identity.json generates now",
    );
    assert_reported(
        &problems,
        "crates/idp-api/generated/unleash.rs",
        "cannot read the generated-code snapshot",
    );
}
