//! Checks one OpenAPI spec file: parse, version, operations, `$ref`s,
//! examples and canonical formatting.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use crate::problem::Problem;
use crate::schema;

/// The HTTP methods an OpenAPI path item may hold.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The canonical text of a spec: two-space indented JSON, keys in the order
/// written, and a final newline.
pub fn canonical_text(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

/// Parses `text` as JSON, reporting a problem against `path` on failure.
pub fn parse_json(path: &Path, text: &str) -> Result<Value, Problem> {
    serde_json::from_str(text).map_err(|e| Problem::new(path, format!("not valid JSON: {e}")))
}

/// Every check that looks at one spec on its own.
pub fn check_spec_text(path: &Path, text: &str) -> Vec<Problem> {
    let document = match parse_json(path, text) {
        Ok(document) => document,
        Err(problem) => return vec![problem],
    };
    let mut problems = Vec::new();
    if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(document.clone()) {
        problems.push(Problem::new(
            path,
            format!("does not parse as OpenAPI 3.0 with openapiv3: {e}"),
        ));
    }
    match document.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => problems.push(Problem::new(
            path,
            format!("openapi version {version} is not 3.0.x"),
        )),
        None => problems.push(Problem::new(path, "missing the `openapi` version field")),
    }
    problems.extend(check_operations(path, &document));
    problems.extend(check_refs(path, &document));
    problems.extend(check_examples(path, &document));
    if text != canonical_text(&document) {
        problems.push(Problem::new(
            path,
            "not in canonical formatting (run `cargo xtask regen`)",
        ));
    }
    problems
}

/// Every operation has a unique `operationId`, at least one tag and a summary.
fn check_operations(path: &Path, document: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for (route, method, operation) in operations(document) {
        let at = format!("{} {route}", method.to_uppercase());
        match operation.get("operationId").and_then(Value::as_str) {
            Some(id) if !id.trim().is_empty() => {
                if !seen.insert(id.to_owned()) {
                    problems.push(Problem::new(
                        path,
                        format!("{at}: operationId `{id}` is not unique"),
                    ));
                }
            }
            _ => problems.push(Problem::new(path, format!("{at}: missing operationId"))),
        }
        let has_tag = operation
            .get("tags")
            .and_then(Value::as_array)
            .is_some_and(|tags| {
                tags.iter()
                    .any(|t| t.as_str().is_some_and(|t| !t.trim().is_empty()))
            });
        if !has_tag {
            problems.push(Problem::new(path, format!("{at}: missing a tag")));
        }
        let has_summary = operation
            .get("summary")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty());
        if !has_summary {
            problems.push(Problem::new(path, format!("{at}: missing a summary")));
        }
    }
    problems
}

/// `(path, method, operation)` for every operation of the spec.
pub fn operations(document: &Value) -> Vec<(&str, &'static str, &Value)> {
    let mut found = Vec::new();
    for (route, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            if let Some(operation) = item.get(*method) {
                found.push((route.as_str(), *method, operation));
            }
        }
    }
    found
}

/// Every `$ref` points at something in the same document.
fn check_refs(path: &Path, document: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    walk(document, "#", &mut |pointer, node| {
        if let Some(reference) = node.get("$ref") {
            match reference.as_str() {
                Some(r) if schema::resolve(document, r).is_some() => {}
                Some(r) => problems.push(Problem::new(
                    path,
                    format!("{pointer}: unresolved $ref {r}"),
                )),
                None => problems.push(Problem::new(
                    path,
                    format!("{pointer}: $ref is not a string"),
                )),
            }
        }
    });
    problems
}

/// Every `example` and `examples.*.value` validates against its schema.
fn check_examples(path: &Path, document: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    walk(document, "#", &mut |pointer, node| {
        let mut samples: Vec<(String, &Value)> = Vec::new();
        if let Some(example) = node.get("example") {
            samples.push((format!("{pointer}/example"), example));
        }
        for (name, example) in node
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(value) = example.get("value") {
                samples.push((format!("{pointer}/examples/{name}"), value));
            }
        }
        if samples.is_empty() {
            return;
        }
        // A media type or parameter carries its schema beside the example;
        // a schema object carries the example inside itself.
        let schema = node.get("schema").unwrap_or(node);
        for (at, value) in samples {
            for error in schema::validate(document, schema, value) {
                problems.push(Problem::new(
                    path,
                    format!("{at}: example does not match its schema: {error}"),
                ));
            }
        }
    });
    problems
}

/// Calls `visit` on every object node with its JSON pointer.
fn walk<'a>(node: &'a Value, pointer: &str, visit: &mut dyn FnMut(&str, &'a Value)) {
    match node {
        Value::Object(map) => {
            visit(pointer, node);
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                walk(child, &format!("{pointer}/{escaped}"), visit);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(child, &format!("{pointer}/{i}"), visit);
            }
        }
        _ => {}
    }
}
