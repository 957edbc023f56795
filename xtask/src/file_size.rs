//! No hand-written Rust file is longer than [`MAX_LINES`] without saying
//! why at its top: a long file usually holds more than one job, and the
//! folder layout should show the architecture.
//!
//! A file may be longer when one of its first [`MARKER_WINDOW`] lines is a
//! comment starting with [`MARKER`] followed by the reason. Generated code
//! (`crates/idp-api/generated/`), build output and dependencies are not
//! read.

use std::path::{Path, PathBuf};

use crate::Problem;

/// The longest a file may be without a reason.
pub const MAX_LINES: usize = 700;

/// The comment that gives the reason, e.g. `//! Long file: ...`.
pub const MARKER: &str = "Long file:";

/// How many lines from the top the marker may stand in.
pub const MARKER_WINDOW: usize = 20;

/// Folders never read.
const SKIPPED_DIRS: &[&str] = &["target", ".git", "node_modules", ".venv"];

/// Checks every `.rs` file below `root`.
#[must_use]
pub fn check_workspace(root: &Path) -> Vec<Problem> {
    let generated = root.join("crates/idp-api/generated");
    let mut files = Vec::new();
    let mut problems = Vec::new();
    collect(root, &generated, &mut files, &mut problems);
    files.sort();
    for file in files {
        match std::fs::read_to_string(&file) {
            Ok(text) => problems.extend(check_text(&file, &text)),
            Err(e) => problems.push(Problem::new(&file, format!("cannot read: {e}"))),
        }
    }
    problems
}

/// The problem of one file's text, if any.
#[must_use]
pub fn check_text(file: &Path, text: &str) -> Option<Problem> {
    let lines = text.lines().count();
    if lines <= MAX_LINES {
        return None;
    }
    let explained = text.lines().take(MARKER_WINDOW).any(|line| {
        let comment = line
            .trim_start()
            .trim_start_matches('/')
            .trim_start_matches('!');
        comment
            .trim_start()
            .strip_prefix(MARKER)
            .is_some_and(|reason| !reason.trim().is_empty())
    });
    (!explained).then(|| {
        Problem::new(
            file,
            format!(
                "{lines} lines (over {MAX_LINES}): split it along its seams, or say why at its top \
                 with a `//! {MARKER} <reason>` line"
            ),
        )
    })
}

fn collect(dir: &Path, generated: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(Problem::new(dir, format!("cannot list: {e}")));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            let skipped = entry
                .file_name()
                .to_str()
                .is_some_and(|name| SKIPPED_DIRS.contains(&name));
            if !skipped && path != generated {
                collect(&path, generated, files, problems);
            }
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(n: usize, top: &str) -> String {
        let mut text = String::from(top);
        for i in 0..n {
            text.push_str(&format!("let x{i} = {i};\n"));
        }
        text
    }

    #[test]
    fn long_files_need_a_reason_at_the_top() {
        let file = Path::new("a.rs");
        assert!(check_text(file, &lines(MAX_LINES, "")).is_none());
        let problem = check_text(file, &lines(MAX_LINES + 1, "")).map(|p| p.message);
        assert!(problem.is_some_and(|m| m.contains("701 lines")));
        assert!(check_text(file, &lines(MAX_LINES, "//! Long file: one table.\n")).is_none());
        assert!(check_text(file, &lines(MAX_LINES, "// Long file: one table.\n")).is_none());
        // A marker without a reason, or too far down, does not count.
        assert!(check_text(file, &lines(MAX_LINES, "//! Long file:\n")).is_some());
        let late = format!("{}//! Long file: late.\n", "\n".repeat(MARKER_WINDOW));
        assert!(check_text(file, &lines(MAX_LINES, &late)).is_some());
    }
}
