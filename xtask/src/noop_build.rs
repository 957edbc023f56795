//! `cargo xtask noop-build [CARGO ARGS...]`: a build right after a build
//! compiles nothing.
//!
//! Runs `cargo build -p idpctl` (or `cargo ARGS`) twice and reads the
//! second run's JSON messages: every artifact must be `fresh`. A build
//! script that watches a file that does not exist makes cargo rerun it on
//! every build, and the crate is compiled and linked again each time.

use std::path::Path;
use std::process::Stdio;

use crate::bench::cargo;

/// What runs without arguments.
pub const DEFAULT_ARGS: &[&str] = &["build", "-p", "idpctl"];

/// Builds twice; fails naming every artifact the second build compiled.
///
/// # Errors
///
/// A build failed, or the second one was not a no-op.
pub fn noop_build(root: &Path, args: &[String]) -> Result<(), String> {
    let args: Vec<String> = if args.is_empty() {
        DEFAULT_ARGS.iter().map(|a| (*a).to_owned()).collect()
    } else {
        args.to_vec()
    };
    let shown = format!("cargo {}", args.join(" "));
    build(root, &args, &shown)?;
    let rebuilt = not_fresh(&build(root, &args, &shown)?);
    if rebuilt.is_empty() {
        println!("xtask noop-build: the second `{shown}` compiled nothing");
        Ok(())
    } else {
        Err(format!(
            "the second `{shown}` compiled again: {} (a build script watching a missing file?)",
            rebuilt.join(", ")
        ))
    }
}

/// Runs the build with JSON messages and returns them.
fn build(root: &Path, args: &[String], shown: &str) -> Result<String, String> {
    let output = cargo()
        .current_dir(root)
        .args(args)
        .arg("--message-format=json")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{shown}: cannot start: {e}"))?;
    if !output.status.success() {
        return Err(format!("{shown}: {}", output.status));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("{shown}: output is not UTF-8: {e}"))
}

/// The targets of the `compiler-artifact` messages that are not fresh.
#[must_use]
pub fn not_fresh(messages: &str) -> Vec<String> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m.get("reason").and_then(|r| r.as_str()) == Some("compiler-artifact"))
        .filter(|m| m.get("fresh").and_then(serde_json::Value::as_bool) != Some(true))
        .map(|m| {
            let package = m.get("package_id").and_then(|p| p.as_str()).unwrap_or("?");
            let target = m
                .pointer("/target/name")
                .and_then(|t| t.as_str())
                .unwrap_or("?");
            format!("{target} ({package})")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::not_fresh;

    #[test]
    fn only_compiled_artifacts_are_named() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","package_id":"a 0.1.0","target":{"name":"a"},"fresh":true}"#,
            "\n",
            r#"{"reason":"build-script-executed","package_id":"b 0.1.0"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","package_id":"idpctl 0.1.0","target":{"name":"idpctl"},"fresh":false}"#,
            "\n",
            "not json\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(not_fresh(messages), vec!["idpctl (idpctl 0.1.0)"]);
        assert!(not_fresh("").is_empty());
    }
}
