//! `cargo xtask vendor-extract` keeps only structure, writes the same bytes
//! twice, keeps the recorded date while nothing changed, and reads a git
//! repository or a plain directory.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};
use xtask::vendor::extract::{Extracted, Options, Outcome, vendor_extract};
use xtask::vendor::provenance::Provenance;
use xtask::vendor::{canonical_json, sha256_hex};

/// A temporary workspace root holding only our VCF spec (which chooses the
/// SDDC Manager operations).
fn root_with_our_spec() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("openapi")).unwrap();
    std::fs::copy(
        xtask::workspace_root().join("openapi/vcf-identity.json"),
        dir.path().join("openapi/vcf-identity.json"),
    )
    .unwrap();
    dir
}

/// A tiny vendor repository: one SDDC Manager description holding some of
/// our operations plus one we do not use, and a VCF Operations one.
fn fake_vendor_repo(dir: &Path, sddc_version: &str) {
    let sddc = json!({
        "openapi": "3.0.1",
        "info": {"title": "SDDC", "version": sddc_version, "description": "gone"},
        "servers": [{"url": "http://localhost", "description": "gone"}],
        "tags": [{"name": "Tokens", "description": "gone"}],
        "paths": {
            "/v1/tokens": {"post": {
                "tags": ["Tokens"], "summary": "gone", "operationId": "createToken",
                "x-vmw-vapi": {"gone": true},
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/TokenCreationSpec"},
                    "examples": {"a": {"value": {"username": "x"}}}
                }}},
                "responses": {"201": {"description": "Created", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/TokenPair"}
                }}}}
            }},
            "/v1/identity-providers/{idpId}": {"get": {
                "operationId": "getIdentityProviderById",
                "parameters": [{"name": "idpId", "in": "path", "required": true, "description": "gone", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "OK"}}
            }},
            "/v1/unused": {"get": {"operationId": "unused", "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unused"}}}}}}}
        },
        "components": {"schemas": {
            "TokenCreationSpec": {"type": "object", "title": "gone", "properties": {
                "username": {"type": "string", "description": "gone", "example": "admin"},
                "description": {"type": "string"}
            }},
            "TokenPair": {"type": "object", "properties": {"refreshToken": {"$ref": "#/components/schemas/RefreshToken"}}},
            "RefreshToken": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Unused": {"type": "string"}
        }}
    });
    let ops = json!({
        "openapi": "3.0.1",
        "info": {"title": "Ops", "version": "9.1.0.0"},
        "servers": [{"url": "/suite-api"}],
        "security": [{"Token": []}],
        "paths": {
            "/api/auth/token/acquire": {"post": {"operationId": "acquireToken", "tags": ["Auth"], "security": [], "responses": {"200": {"description": "OK"}}}},
            "/api/fleet-management/iam/roles": {"get": {"operationId": "getRoles", "tags": ["IAM APIs"], "responses": {"200": {"description": "OK"}}}},
            "/api/resources": {"get": {"operationId": "other", "responses": {"200": {"description": "OK"}}}}
        },
        "components": {"securitySchemes": {"Token": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "gone"}}}
    });
    for (path, value) in [
        (
            "specifications/sddc-manager/sddc-manager-openapi.json",
            &sddc,
        ),
        (
            "specifications/vcf-operations/vcf-operations-openapi.json",
            &ops,
        ),
    ] {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, serde_json::to_string(value).unwrap()).unwrap();
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn written(outcomes: &[Outcome]) -> Vec<&Extracted> {
    outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Written(w) => Some(w),
            Outcome::Skipped(_) => None,
        })
        .collect()
}

#[test]
fn extraction_from_git_keeps_structure_and_is_repeatable() {
    let root = root_with_our_spec();
    let vendor_dir = root.path().join("openapi/vendor");
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    fake_vendor_repo(repo.path(), "9.9.0.0");
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "specs"]);
    let head = git(repo.path(), &["rev-parse", "HEAD"]);

    let options = Options {
        source: repo.path().to_owned(),
        commit: Some(head[..7].to_owned()),
        help: false,
    };
    let outcomes = vendor_extract(root.path(), &options).unwrap();
    let done = written(&outcomes);
    assert_eq!(done.len(), 2, "{outcomes:#?}");
    assert_eq!(done[0].operations, 2);
    assert!(
        done[0]
            .missing
            .iter()
            .any(|m| m == "GET /v1/identity-providers")
    );
    assert_eq!(done[1].operations, 2);
    assert_eq!(done[1].by_tag.get("Auth"), Some(&1));

    let sddc = vendor_dir.join("sddc-manager-9.9.0.0.json");
    let text = std::fs::read_to_string(&sddc).unwrap();
    let subset: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(text, canonical_json(&subset));
    assert!(subset.pointer("/paths/~1v1~1unused").is_none());
    assert!(subset.pointer("/components/schemas/Unused").is_none());
    assert!(subset.pointer("/components/schemas/RefreshToken").is_some());
    assert!(!text.contains("gone") && !text.contains("x-vmw") && !text.contains("example"));
    // A property named like a keyword is data, and stays.
    assert!(
        subset
            .pointer("/components/schemas/TokenCreationSpec/properties/description")
            .is_some()
    );
    let provenance = Provenance::read(&Provenance::path_for(&sddc)).unwrap();
    assert_eq!(provenance.commit, head);
    assert_eq!(provenance.subset_sha256, sha256_hex(text.as_bytes()));
    assert_eq!(provenance.source_version, "9.9.0.0");
    let ops = vendor_dir.join("vcf-operations-9.1.0.0-identity.json");
    let ops_subset: Value = serde_json::from_str(&std::fs::read_to_string(&ops).unwrap()).unwrap();
    assert!(ops_subset.pointer("/paths/~1api~1resources").is_none());
    assert_eq!(
        ops_subset.pointer("/components/securitySchemes/Token/type"),
        Some(&json!("apiKey"))
    );

    // Again: the same bytes, and a recorded date is kept while nothing changed.
    let sidecar = Provenance::path_for(&sddc);
    let mut old = Provenance::read(&sidecar).unwrap();
    old.extracted = "2000-01-01".to_owned();
    std::fs::write(&sidecar, old.to_text().unwrap()).unwrap();
    let again = vendor_extract(root.path(), &options).unwrap();
    assert!(written(&again).iter().all(|w| !w.changed), "{again:#?}");
    assert_eq!(std::fs::read_to_string(&sddc).unwrap(), text);
    assert_eq!(Provenance::read(&sidecar).unwrap().extracted, "2000-01-01");

    // A plain directory needs --commit, which it records as given.
    let plain = tempfile::tempdir().unwrap();
    fake_vendor_repo(plain.path(), "9.9.0.0");
    let no_commit = Options {
        source: plain.path().to_owned(),
        commit: None,
        help: false,
    };
    let err = vendor_extract(root.path(), &no_commit).unwrap_err();
    assert!(err.contains("not a git repository: pass --commit"), "{err}");
    let with_commit = Options {
        commit: Some(head.clone()),
        ..no_commit
    };
    vendor_extract(root.path(), &with_commit).unwrap();
    assert_eq!(std::fs::read_to_string(&sddc).unwrap(), text);
    assert_eq!(Provenance::read(&sidecar).unwrap().extracted, "2000-01-01");
}

#[test]
fn extraction_of_a_missing_commit_names_it() {
    let root = root_with_our_spec();
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    fake_vendor_repo(repo.path(), "9.9.0.0");
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "specs"]);
    // No --commit: the pinned commits, which this repository lacks.
    let options = Options {
        source: repo.path().to_owned(),
        commit: None,
        help: false,
    };
    let err = vendor_extract(root.path(), &options).unwrap_err();
    assert!(
        err.contains("d81412d7bdd9642a488f897b35c2b09acae60db3") && err.contains("fetch the fork"),
        "{err}"
    );
}
