//! `cargo xtask`: the workspace's own automation.
//!
//! - `check`: every spec parses as OpenAPI 3.0.x, every operation has a
//!   unique `operationId`, a tag and a summary, every `$ref` resolves, every
//!   example and fixture matches its schema, code generation is
//!   deterministic, and specs are in canonical formatting.
//! - `regen`: rewrites the specs in canonical formatting and writes the
//!   generated code, formatted, to `target/generated/` for reading.
//! - `bench`: the benchmarks of `BENCHMARKS.md` (see [`bench`]).
//! - `schemathesis`: schemathesis against the simulator with our specs
//!   (see [`schemathesis`]).
//! - `conformance`: the simulator's Unleash side against a real Unleash
//!   server (see [`conformance`]).
//! - `public-api`: the public API of `idp-client` and `idp-sim` against
//!   committed snapshots; `--bless` rewrites them (see [`public_api`]).

pub mod bench;
pub mod conformance;
pub mod fixtures;
pub mod lint;
pub mod problem;
pub mod public_api;
pub mod schema;
pub mod schemathesis;

use std::path::{Path, PathBuf};

pub use problem::Problem;

/// The workspace root (the parent of `xtask/`).
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs every check over the workspace at `root`.
#[must_use]
pub fn check(root: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for api in idp_codegen::SPECS {
        let spec_path = root.join("openapi").join(api.file);
        let text = match std::fs::read_to_string(&spec_path) {
            Ok(text) => text,
            Err(e) => {
                problems.push(Problem::new(&spec_path, format!("cannot read: {e}")));
                continue;
            }
        };
        let spec_problems = lint::check_spec_text(&spec_path, &text);
        let parsed = spec_problems.is_empty();
        problems.extend(spec_problems);
        let Ok(document) = lint::parse_json(&spec_path, &text) else {
            continue;
        };
        let fixtures = root.join("tests/fixtures").join(api.module);
        problems.extend(fixtures::check_fixture_dir(
            &fixtures, &spec_path, &document,
        ));
        if parsed {
            problems.extend(check_generation(&spec_path));
        }
    }
    problems
}

/// Generating twice gives identical code.
fn check_generation(spec_path: &Path) -> Vec<Problem> {
    let first = idp_codegen::generate_file(spec_path);
    let second = idp_codegen::generate_file(spec_path);
    match (first, second) {
        (Ok(a), Ok(b)) if a == b => Vec::new(),
        (Ok(_), Ok(_)) => vec![Problem::new(
            spec_path,
            "generating twice gives different code",
        )],
        (Err(e), _) | (_, Err(e)) => vec![Problem::new(
            spec_path,
            format!("code generation fails: {e}"),
        )],
    }
}

/// Rewrites the specs canonically and writes the generated code under
/// `target/generated/`. Returns the files written.
pub fn regen(root: &Path) -> Result<Vec<PathBuf>, Problem> {
    let out_dir = root.join("target/generated");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| Problem::new(&out_dir, format!("cannot create: {e}")))?;
    let mut written = Vec::new();
    for api in idp_codegen::SPECS {
        let spec_path = root.join("openapi").join(api.file);
        let text = std::fs::read_to_string(&spec_path)
            .map_err(|e| Problem::new(&spec_path, format!("cannot read: {e}")))?;
        let document = lint::parse_json(&spec_path, &text)?;
        let canonical = lint::canonical_text(&document);
        if canonical != text {
            std::fs::write(&spec_path, canonical)
                .map_err(|e| Problem::new(&spec_path, format!("cannot write: {e}")))?;
            written.push(spec_path.clone());
        }
        let code = idp_codegen::generate_file(&spec_path)
            .map_err(|e| Problem::new(&spec_path, e.to_string()))?;
        let target = out_dir.join(format!("{}.rs", api.module));
        std::fs::write(&target, code)
            .map_err(|e| Problem::new(&target, format!("cannot write: {e}")))?;
        written.push(target);
    }
    Ok(written)
}
