//! The simulator is an independent oracle: `idp-sim` depends on none of
//! the crates built from our specs (`idp-api`, `idp-client`, ...), not even
//! in its tests, so that a wrong fact in a spec cannot reach the simulator
//! and pass every test against it. Its facts come from the vendors'
//! documents; the cross-checks of the two readings live in `tests/`.

use std::path::Path;

use crate::Problem;

/// The crates `idp-sim` must not depend on.
pub const FORBIDDEN: &[&str] = &[
    "idp-api",
    "idp-client",
    "idp-codegen",
    "idp-config",
    "idp-testkit",
    "idpctl",
];

/// Checks `crates/idp-sim/Cargo.toml` below `root` (nothing to check in
/// a tree without the simulator, such as a copy of the specs alone).
#[must_use]
pub fn check_workspace(root: &Path) -> Vec<Problem> {
    let path = root.join("crates/idp-sim/Cargo.toml");
    if !path.exists() {
        return Vec::new();
    }
    match std::fs::read_to_string(&path) {
        Ok(text) => check_manifest(&path, &text),
        Err(e) => vec![Problem::new(&path, format!("cannot read: {e}"))],
    }
}

/// The dependencies of every table of a manifest (`[dependencies]`,
/// `[dev-dependencies]`, `[build-dependencies]`, target tables) that name a
/// forbidden crate.
#[must_use]
pub fn check_manifest(path: &Path, text: &str) -> Vec<Problem> {
    let manifest: toml::Table = match toml::from_str(text) {
        Ok(manifest) => manifest,
        Err(e) => return vec![Problem::new(path, format!("not valid TOML: {e}"))],
    };
    let mut tables: Vec<(String, &toml::Table)> = Vec::new();
    collect(&manifest, "", &mut tables);
    if let Some(targets) = manifest.get("target").and_then(toml::Value::as_table) {
        for (cfg, target) in targets {
            if let Some(target) = target.as_table() {
                collect(target, &format!("target.{cfg}."), &mut tables);
            }
        }
    }
    let mut problems = Vec::new();
    for (table, deps) in tables {
        for name in deps.keys() {
            let package = deps
                .get(name)
                .and_then(|d| d.get("package"))
                .and_then(toml::Value::as_str)
                .unwrap_or(name);
            if FORBIDDEN.contains(&package) {
                problems.push(Problem::new(
                    path,
                    format!(
                        "[{table}] names {package}: the simulator must not depend on the crates \
                         built from our specs (an independent oracle); put cross-checks in tests/"
                    ),
                ));
            }
        }
    }
    problems
}

fn collect<'a>(table: &'a toml::Table, prefix: &str, out: &mut Vec<(String, &'a toml::Table)>) {
    for kind in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(deps) = table.get(kind).and_then(toml::Value::as_table) {
            out.push((format!("{prefix}{kind}"), deps));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_crates_are_refused_in_every_table() {
        let path = Path::new("Cargo.toml");
        let clean = "[dependencies]\naxum = \"0.8\"\n[dev-dependencies]\nreqwest = \"0.13\"\n";
        assert!(check_manifest(path, clean).is_empty());
        let dev = "[dev-dependencies]\nidp-api = { workspace = true }\n";
        let problems = check_manifest(path, dev);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .message
                .contains("[dev-dependencies] names idp-api")
        );
        let renamed = "[target.'cfg(unix)'.dependencies]\nspecs = { package = \"idp-client\", path = \"x\" }\n";
        let problems = check_manifest(path, renamed);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("idp-client"));
        assert_eq!(check_manifest(path, "not toml [").len(), 1);
    }
}
