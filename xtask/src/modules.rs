//! The module graph of each crate runs one way: no cycle between a crate's
//! top-level modules.
//!
//! An edge `a -> b` means a file of module `a` (or of its submodules)
//! names `crate::b…` (or reaches `b` through `super::`), or names an item
//! the crate root re-exports from `b` (`crate::Error` when the root says
//! `pub use error::Error`). A module's submodules may use their parent (the
//! granularity is the crate's top-level modules), comments and test-only
//! modules (`#[cfg(test)]`) are left out, and the crate root itself, which
//! only declares and re-exports, is not a node.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::Problem;

/// The crates whose module graphs are checked, relative to the workspace
/// root: every library and binary of the workspace with modules.
pub const CRATE_ROOTS: &[&str] = &[
    "crates/idp-codegen/src/lib.rs",
    "crates/idp-api/src/lib.rs",
    "crates/idp-client/src/lib.rs",
    "crates/idp-sim/src/lib.rs",
    "crates/idpctl/src/main.rs",
    "crates/idp-bench/src/lib.rs",
    "crates/idp-bench/src/main.rs",
    "crates/idp-config/src/lib.rs",
    "xtask/src/lib.rs",
    "tests/src/lib.rs",
];

/// Checks every crate of [`CRATE_ROOTS`] that exists under `root`.
#[must_use]
pub fn check_workspace(root: &Path) -> Vec<Problem> {
    CRATE_ROOTS
        .iter()
        .map(|relative| root.join(relative))
        .filter(|path| path.is_file())
        .flat_map(|path| check_crate(&path))
        .collect()
}

/// Checks the crate whose root file (`lib.rs` or `main.rs`) is `crate_root`:
/// one problem per cycle between its top-level modules.
#[must_use]
pub fn check_crate(crate_root: &Path) -> Vec<Problem> {
    let root_text = match std::fs::read_to_string(crate_root) {
        Ok(text) => strip(&text),
        Err(e) => return vec![Problem::new(crate_root, format!("cannot read: {e}"))],
    };
    let Some(dir) = crate_root.parent() else {
        return Vec::new();
    };
    let top: BTreeSet<String> = declared_modules(&root_text).into_iter().collect();
    let reexports = reexports(&root_text, &top);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in &top {
        let mut files = Vec::new();
        collect_files(dir, module, std::slice::from_ref(module), &mut files);
        for (path, module_path) in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for target in references(&strip(&text), &module_path, &top, &reexports) {
                if &target != module {
                    edges.entry(module.clone()).or_default().insert(target);
                }
            }
        }
    }
    cycles(&top, &edges)
        .into_iter()
        .map(|cycle| {
            Problem::new(
                crate_root,
                format!(
                    "module cycle: {} (a module graph must run one way)",
                    cycle.join(" -> ")
                ),
            )
        })
        .collect()
}

/// The files of module `name` declared in directory `dir` (the file of its
/// parent), with their module paths, submodules included.
fn collect_files(dir: &Path, name: &str, path: &[String], out: &mut Vec<(PathBuf, Vec<String>)>) {
    let flat = dir.join(format!("{name}.rs"));
    let nested = dir.join(name).join("mod.rs");
    let file = if flat.is_file() { flat } else { nested };
    let Ok(text) = std::fs::read_to_string(&file) else {
        return;
    };
    // Submodules of `a.rs` and of `a/mod.rs` live in `a/`.
    let child_dir = dir.join(name);
    for child in declared_modules(&strip(&text)) {
        let mut child_path = path.to_vec();
        child_path.push(child.clone());
        collect_files(&child_dir, &child, &child_path, out);
    }
    out.push((file, path.to_vec()));
}

/// The `mod name;` declarations of a file (test-only ones already removed
/// by [`strip`]).
fn declared_modules(text: &str) -> Vec<String> {
    let mut modules = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let rest = line
            .strip_prefix("pub(crate) mod ")
            .or_else(|| line.strip_prefix("pub(super) mod "))
            .or_else(|| line.strip_prefix("pub mod "))
            .or_else(|| line.strip_prefix("mod "));
        if let Some(name) = rest.and_then(|r| r.strip_suffix(';')) {
            modules.push(name.trim().to_owned());
        }
    }
    modules
}

/// The crate root's re-exports: item name -> the top-level module it
/// comes from (`pub use error::{Error, TransportKind};`).
fn reexports(root_text: &str, top: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for statement in root_text.split(';') {
        let statement = statement.trim();
        let Some(rest) = statement
            .strip_prefix("pub use ")
            .or_else(|| statement.strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        let rest = rest
            .trim_start_matches("crate::")
            .trim_start_matches("self::");
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        if !top.contains(module) {
            continue;
        }
        for item in brace_items(items) {
            let name = item
                .rsplit(" as ")
                .next()
                .unwrap_or(&item)
                .rsplit("::")
                .next()
                .unwrap_or(&item)
                .trim()
                .to_owned();
            map.insert(name, module.to_owned());
        }
    }
    map
}

/// The items of `{a, b::c, d}` (or the one item of `a::b`), top level only.
fn brace_items(text: &str) -> Vec<String> {
    let text = text.trim();
    let Some(inner) = text.strip_prefix('{') else {
        return vec![text.to_owned()];
    };
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in inner.chars() {
        match c {
            '{' => {
                depth += 1;
                current.push(c);
            }
            '}' if depth == 0 => break,
            '}' => {
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|i| i.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|i| !i.is_empty())
        .collect()
}

/// The top-level modules a file of module `module_path` refers to.
fn references(
    text: &str,
    module_path: &[String],
    top: &BTreeSet<String>,
    reexports: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let at_word_start =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let rest = &text[i..];
        let start = ["crate::", "super::", "self::"]
            .iter()
            .find(|p| rest.starts_with(**p));
        if let (true, Some(_)) = (at_word_start, start) {
            let end = path_end(rest);
            for absolute in resolve(&rest[..end], module_path) {
                let first = absolute.first().cloned().unwrap_or_default();
                if top.contains(&first) {
                    targets.insert(first);
                } else if let Some(module) = reexports.get(&first) {
                    targets.insert(module.clone());
                }
            }
            i += end.max(1);
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    targets
}

/// Where a path starting at the beginning of `text` ends (a brace group
/// included).
fn path_end(text: &str) -> usize {
    let mut depth = 0usize;
    for (index, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return index + 1;
                }
            }
            c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') => return index,
            _ => {}
        }
    }
    text.len()
}

/// The absolute paths (segments below the crate root) a `crate::`,
/// `super::` or `self::` path names; a brace group gives one per item.
fn resolve(path: &str, module_path: &[String]) -> Vec<Vec<String>> {
    let (prefix, group) = match path.find('{') {
        Some(index) => (&path[..index], Some(&path[index..])),
        None => (path, None),
    };
    let mut segments = prefix.split("::").filter(|s| !s.is_empty());
    let mut base = match segments.next() {
        Some("crate") => Vec::new(),
        Some("self") => module_path.to_vec(),
        Some("super") => {
            let mut parent = module_path.to_vec();
            parent.pop();
            parent
        }
        _ => return Vec::new(),
    };
    let mut tail = Vec::new();
    for segment in segments {
        if segment == "super" && tail.is_empty() {
            base.pop();
        } else {
            tail.push(segment.trim().to_owned());
        }
    }
    base.extend(tail);
    match group {
        None => vec![base],
        Some(group) => brace_items(group)
            .into_iter()
            .map(|item| {
                let mut path = base.clone();
                path.extend(
                    item.split("::")
                        .map(|s| s.split_whitespace().next().unwrap_or("").to_owned())
                        .filter(|s| !s.is_empty() && s != "self"),
                );
                path
            })
            .collect(),
    }
}

/// The text without comments, string literals and `#[cfg(test)]` items.
fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
            }
            '"' => {
                out.push_str("\"\"");
                let mut escaped = false;
                for c in chars.by_ref() {
                    match (c, escaped) {
                        ('\\', false) => escaped = true,
                        ('"', false) => break,
                        _ => escaped = false,
                    }
                }
            }
            _ => out.push(c),
        }
    }
    remove_test_items(&out)
}

/// Removes every item that follows `#[cfg(test)]`: a `mod x;` line or a
/// braced item.
fn remove_test_items(text: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find(MARK) {
        out.push_str(&rest[..index]);
        let after = &rest[index + MARK.len()..];
        let semicolon = after.find(';');
        let brace = after.find('{');
        let end = match (semicolon, brace) {
            (Some(s), Some(b)) if s < b => s + 1,
            (_, Some(b)) => match_brace(after, b),
            (Some(s), None) => s + 1,
            (None, None) => after.len(),
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The index just past the brace that closes the one at `open`.
fn match_brace(text: &str, open: usize) -> usize {
    let mut depth = 0usize;
    for (index, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return open + index + 1;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// Every elementary cycle's representative: one cycle per strongly
/// connected component with more than one module, as a path that returns
/// to its start.
fn cycles(
    nodes: &BTreeSet<String>,
    edges: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for start in nodes {
        if reported.contains(start) {
            continue;
        }
        if let Some(path) = path_back(start, edges) {
            reported.extend(path.iter().cloned());
            found.push(path);
        }
    }
    found
}

/// A shortest path from `start` back to itself, if any (breadth first).
fn path_back(start: &str, edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    let mut previous: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::new();
    queue.push_back(start.to_owned());
    while let Some(node) = queue.pop_front() {
        for next in edges.get(&node).into_iter().flatten() {
            if next == start {
                let mut path = vec![start.to_owned()];
                let mut current = node.clone();
                let mut back = vec![current.clone()];
                while let Some(p) = previous.get(&current) {
                    back.push(p.clone());
                    current = p.clone();
                }
                back.pop();
                back.reverse();
                path.extend(back);
                path.push(start.to_owned());
                return Some(path);
            }
            if !previous.contains_key(next) && next != start {
                previous.insert(next.clone(), node.clone());
                queue.push_back(next.clone());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate of `files` in a fresh directory named after the test.
    fn fake_crate(test: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-modules-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_cycle_through_paths_and_reexports_is_reported() {
        let dir = fake_crate(
            "cycle",
            &[
                ("lib.rs", "mod a;\nmod b;\nmod c;\npub use c::Thing;\n"),
                ("a.rs", "use crate::b::X;\n"),
                ("b/mod.rs", "mod inner;\n"),
                ("b/inner.rs", "fn f() -> crate::Thing { todo!() }\n"),
                ("c.rs", "use super::{a::Y, b};\n"),
            ],
        );
        let problems = check_crate(&dir.join("lib.rs"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        let text = problems[0].to_string();
        assert!(text.contains("module cycle: a -> b -> c -> a"), "{text}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn comments_strings_tests_and_parents_make_no_edge() {
        let dir = fake_crate(
            "no-edges",
            &[
                ("lib.rs", "mod a;\nmod b;\n#[cfg(test)]\nmod checks;\n"),
                (
                    "a/mod.rs",
                    "//! See [`crate::b::run`].\nmod leaf;\nconst S: &str = \"crate::b\";\nuse crate::b::run;\n",
                ),
                ("a/leaf.rs", "use super::S;\n"),
                (
                    "b.rs",
                    // Every mention of `a` here would close a cycle with `a -> b`.
                    "/// Unlike [`crate::a::S`].\npub fn run() { let _ = \"crate::a::S\"; /* crate::a */ }\n#[cfg(test)]\nmod tests {\n    use crate::a::S;\n}\n",
                ),
                ("checks.rs", "use crate::a::S;\nuse crate::b::run;\n"),
            ],
        );
        assert!(check_crate(&dir.join("lib.rs")).is_empty());
        let _ = std::fs::remove_dir_all(dir);
    }
}
