//! The seed payloads under `tests/fixtures/`: the vendor documents' request
//! and response bodies, one file per operation and case:
//! `<module>/<operationId>.<case>.<request|response-NNN>.<json|txt>`.

use std::path::{Path, PathBuf};

/// One fixture file.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// `vcf` or `unleash`.
    pub module: String,
    /// The operation it belongs to.
    pub operation_id: String,
    /// Which example of the operation.
    pub case: String,
    /// `None` for a request body, the status for a response body.
    pub status: Option<u16>,
    /// Whether the body is JSON.
    pub json: bool,
    /// Where it is.
    pub path: PathBuf,
    /// Its contents.
    pub text: String,
}

impl Fixture {
    /// The body as JSON (panics for text fixtures: tests only).
    #[must_use]
    pub fn value(&self) -> serde_json::Value {
        match serde_json::from_str(&self.text) {
            Ok(value) => value,
            Err(e) => panic!("{}: {e}", self.path.display()),
        }
    }

    /// `module/file name`, for messages.
    #[must_use]
    pub fn label(&self) -> String {
        format!(
            "{}/{}",
            self.module,
            self.path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        )
    }
}

/// The fixtures folder.
#[must_use]
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// Every fixture, sorted by path. Panics on a badly named file (tests only).
#[must_use]
pub fn all_fixtures() -> Vec<Fixture> {
    let mut fixtures = Vec::new();
    for module in ["vcf", "unleash"] {
        let dir = fixtures_dir().join(module);
        let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => panic!("{}: {e}", dir.display()),
        };
        paths.sort();
        for path in paths {
            fixtures.push(read_fixture(module, path));
        }
    }
    fixtures
}

/// The fixture `module/file_name`.
#[must_use]
pub fn fixture(module: &str, file_name: &str) -> Fixture {
    read_fixture(module, fixtures_dir().join(module).join(file_name))
}

fn read_fixture(module: &str, path: PathBuf) -> Fixture {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let (stem, json) = match name.strip_suffix(".json") {
        Some(stem) => (stem.to_owned(), true),
        None => match name.strip_suffix(".txt") {
            Some(stem) => (stem.to_owned(), false),
            None => panic!("{name}: fixtures end in .json or .txt"),
        },
    };
    let parts: Vec<&str> = stem.splitn(3, '.').collect();
    let [operation_id, case, kind] = parts.as_slice() else {
        panic!("{name}: not <operationId>.<case>.<request|response-NNN>");
    };
    let status = match *kind {
        "request" => None,
        other => match other.strip_prefix("response-").and_then(|s| s.parse().ok()) {
            Some(status) => Some(status),
            None => panic!("{name}: bad kind {other}"),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("{}: {e}", path.display()),
    };
    Fixture {
        module: module.to_owned(),
        operation_id: (*operation_id).to_owned(),
        case: (*case).to_owned(),
        status,
        json,
        path,
        text,
    }
}

/// The path of the seed payload `file_name`, in whichever module holds it
/// (`vcf` or `unleash`). Panics when there is none (tests only).
#[must_use]
pub fn seed_path(file_name: &str) -> PathBuf {
    ["vcf", "unleash"]
        .iter()
        .map(|module| fixtures_dir().join(module).join(file_name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("no fixture named {file_name}"))
}

/// The text of the seed payload `file_name` (see [`seed_path`]).
#[must_use]
pub fn seed(file_name: &str) -> String {
    let path = seed_path(file_name);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// The seed JSON payload `file_name`, parsed.
#[must_use]
pub fn seed_json(file_name: &str) -> serde_json::Value {
    match serde_json::from_str(&seed(file_name)) {
        Ok(value) => value,
        Err(e) => panic!("{file_name}: {e}"),
    }
}
