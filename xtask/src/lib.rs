//! `cargo xtask`: the workspace's own automation.
//!
//! - `check`: every spec parses as OpenAPI 3.0.x, every operation has a
//!   unique `operationId`, a tag and a summary, every `$ref` resolves, every
//!   example and fixture matches its schema, code generation is
//!   deterministic, and specs are in canonical formatting.
//!   The committed generated code (`crates/idp-api/generated/*.rs`, which
//!   `idp-api` compiles) must equal what generation gives now.
//!   Every crate's module graph runs one way (see [`modules`]). No
//!   hand-written Rust file is over 700 lines without a reason at its top
//!   (see [`file_size`]). `idp-sim` depends on no crate built from our
//!   specs (see [`oracle`]).
//! - `regen`: rewrites the specs in canonical formatting, writes the
//!   generated code, formatted, to `target/generated/` for reading, and
//!   rewrites the committed code `crates/idp-api/generated/*.rs` (client
//!   and operation table, with the spec's digest that `idp-api`'s build
//!   script checks) so a spec edit shows its effect in review.
//! - `bench`: the benchmarks of `BENCHMARKS.md` (see [`bench`]).
//! - `schemathesis`: schemathesis against the simulator with our specs
//!   (see [`schemathesis`]).
//! - `conformance`: the simulator's Unleash side against a real Unleash
//!   server (see [`conformance`]).
//! - `scim-conformance`: the third-party `scim2-tester` against every SCIM
//!   flavour of the simulator, failures only as listed vendor quirks (see
//!   [`scim_conformance`]).
//! - `public-api`: the public API of `idp-client` and `idp-sim` against
//!   committed snapshots; `--bless` rewrites them (see [`public_api`]).
//! - `man`: idpctl's manual pages into `target/man/` (see [`man`]).
//! - `deny`: cargo-deny's license, ban and source checks against
//!   `deny.toml`, with a pinned cargo-deny the command installs (see
//!   [`deny`]).
//! - `package-check`: the publishable crates package, a build from the
//!   packages alone works, and two checkouts sharing one target directory
//!   each build their own specs (see [`package`]).
//! - `noop-build`: a second build right after a first compiles nothing
//!   (see [`noop_build`]).
//! - `vendor-extract`: the structural subsets of VMware's own OpenAPI
//!   descriptions we use, from a copy of `vmware/vcf-api-specs`, into
//!   `openapi/vendor/` with provenance (see [`vendor::extract`]).
//! - `vendor-check`: our SDDC Manager spec against those subsets, every
//!   difference waived with evidence in `openapi/vendor/waivers.toml`
//!   (see [`vendor::check`]).
//! - `ci`: `.ci/run` here, or with `--fresh` in a fresh clone with an empty
//!   `CARGO_HOME` and target directory, as on a new machine (see [`ci`]).

#![warn(missing_docs)]

pub mod bench;
pub mod ci;
pub mod conformance;
pub mod deny;
pub mod file_size;
pub mod fixtures;
pub mod lint;
pub mod man;
pub mod modules;
pub mod noop_build;
pub mod oracle;
pub mod package;
pub mod problem;
pub mod public_api;
pub mod schema;
pub mod schemathesis;
pub mod scim_conformance;
pub mod vendor;

use std::path::{Path, PathBuf};

pub use problem::Problem;

/// The workspace root (the parent of `xtask/`).
///
/// Read at run time from `CARGO_MANIFEST_DIR`, which `cargo run` (so
/// `cargo xtask`) and `cargo test` set for the process: with a target
/// directory shared by two checkouts, the `xtask` binary may have been
/// compiled in the other checkout, and a path compiled in would be that
/// checkout's. Run directly, without cargo, it falls back to the path it
/// was compiled in.
#[must_use]
pub fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs every check over the workspace at `root`.
#[must_use]
pub fn check(root: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for api in idp_codegen::SPECS {
        let spec_path = root.join(idp_codegen::SPECS_DIR).join(api.file);
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
            let generation = check_generation(&spec_path);
            if generation.is_empty() {
                problems.extend(check_snapshot(root, api, &spec_path));
            }
            problems.extend(generation);
        }
    }
    problems.extend(modules::check_workspace(root));
    problems.extend(file_size::check_workspace(root));
    problems.extend(oracle::check_workspace(root));
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

/// The committed snapshot equals what generation gives now.
fn check_snapshot(root: &Path, api: &idp_codegen::ApiSpec, spec_path: &Path) -> Vec<Problem> {
    let snapshot_path = root.join(idp_codegen::snapshot_path(api));
    let expected = match idp_codegen::snapshot(api, spec_path) {
        Ok(code) => code,
        Err(e) => {
            return vec![Problem::new(
                spec_path,
                format!("code generation fails: {e}"),
            )];
        }
    };
    match std::fs::read_to_string(&snapshot_path) {
        Ok(committed) if committed == expected => Vec::new(),
        Ok(_) => vec![Problem::new(
            &snapshot_path,
            format!(
                "the generated-code snapshot differs from what openapi/{} generates now; \
                 run `cargo xtask regen` and commit the result",
                api.file
            ),
        )],
        Err(e) => vec![Problem::new(
            &snapshot_path,
            format!("cannot read the generated-code snapshot ({e}); run `cargo xtask regen`"),
        )],
    }
}

/// Rewrites the specs canonically and writes the generated code under
/// `target/generated/`, and the committed snapshot of each spec's generated
/// code (client and operation table) under `crates/idp-api/generated/`.
/// Returns the files written.
pub fn regen(root: &Path) -> Result<Vec<PathBuf>, Problem> {
    let out_dir = root.join("target/generated");
    let mut written = Vec::new();
    for api in idp_codegen::SPECS {
        let spec_path = root.join(idp_codegen::SPECS_DIR).join(api.file);
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
        written.push(write_file(
            &out_dir.join(format!("{}.rs", api.module)),
            &code,
        )?);
        let snapshot = idp_codegen::snapshot(api, &spec_path)
            .map_err(|e| Problem::new(&spec_path, e.to_string()))?;
        written.push(write_file(
            &root.join(idp_codegen::snapshot_path(api)),
            &snapshot,
        )?);
    }
    Ok(written)
}

/// Writes `text` to `path`, creating its folder; returns `path`.
fn write_file(path: &Path, text: &str) -> Result<PathBuf, Problem> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Problem::new(dir, format!("cannot create: {e}")))?;
    }
    std::fs::write(path, text).map_err(|e| Problem::new(path, format!("cannot write: {e}")))?;
    Ok(path.to_owned())
}
