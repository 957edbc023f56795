//! Checks `tests/fixtures/<module>/<operationId>.<case>.<request|response-NNN>.<json|txt>`
//! against the schema of its operation.

use std::path::Path;

use serde_json::Value;

use crate::lint::{self, operations};
use crate::problem::Problem;
use crate::schema;

/// What a fixture file is, from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureName {
    /// The operation it belongs to.
    pub operation_id: String,
    /// Which example of the operation.
    pub case: String,
    /// `None` for a request body, the status for a response body.
    pub status: Option<u16>,
    /// Whether the body is JSON (`.json`) or text (`.txt`).
    pub json: bool,
}

impl FixtureName {
    /// Parses `getIdentityProviders.okta.response-200.json`.
    pub fn parse(file_name: &str) -> Option<Self> {
        let (stem, json) = if let Some(stem) = file_name.strip_suffix(".json") {
            (stem, true)
        } else {
            (file_name.strip_suffix(".txt")?, false)
        };
        let mut parts = stem.splitn(3, '.');
        let operation_id = parts.next()?.to_owned();
        let case = parts.next()?.to_owned();
        let kind = parts.next()?;
        let status = match kind {
            "request" => None,
            _ => Some(kind.strip_prefix("response-")?.parse().ok()?),
        };
        Some(Self {
            operation_id,
            case,
            status,
            json,
        })
    }
}

/// Checks every fixture under `fixtures_dir/<module>/` against `spec`.
pub fn check_fixture_dir(fixtures_dir: &Path, spec_path: &Path, spec: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let entries = match std::fs::read_dir(fixtures_dir) {
        Ok(entries) => entries,
        Err(e) => {
            return vec![Problem::new(
                fixtures_dir,
                format!("cannot list fixtures: {e}"),
            )];
        }
    };
    let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    if files.is_empty() {
        problems.push(Problem::new(fixtures_dir, "holds no fixtures"));
    }
    for file in files {
        problems.extend(check_fixture(&file, spec_path, spec));
    }
    problems
}

/// Checks one fixture file.
pub fn check_fixture(file: &Path, spec_path: &Path, spec: &Value) -> Vec<Problem> {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let Some(fixture) = FixtureName::parse(name) else {
        return vec![Problem::new(
            file,
            "name is not <operationId>.<case>.<request|response-NNN>.<json|txt>",
        )];
    };
    let Some(operation) = operations(spec)
        .into_iter()
        .find(|(_, _, op)| {
            op.get("operationId").and_then(Value::as_str) == Some(&fixture.operation_id)
        })
        .map(|(_, _, op)| op)
    else {
        return vec![Problem::new(
            file,
            format!(
                "no operation `{}` in {}",
                fixture.operation_id,
                spec_path.display()
            ),
        )];
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => return vec![Problem::new(file, format!("cannot read: {e}"))],
    };
    let body = if fixture.json {
        match lint::parse_json(file, &text) {
            Ok(body) => body,
            Err(problem) => return vec![problem],
        }
    } else {
        Value::String(text.trim_end_matches('\n').to_owned())
    };
    let Some(content) = body_content(spec, operation, fixture.status) else {
        return vec![Problem::new(
            file,
            format!(
                "operation `{}` documents no body for this fixture",
                fixture.operation_id
            ),
        )];
    };
    let media = content.as_object().and_then(|media| {
        media.iter().find_map(|(kind, m)| {
            let is_json = kind == "application/json" || kind.starts_with("application/json;");
            (is_json == fixture.json).then_some(m)
        })
    });
    let Some(schema) = media.and_then(|m| m.get("schema")) else {
        let kind = if fixture.json { "a JSON" } else { "a text" };
        return vec![Problem::new(
            file,
            format!(
                "operation `{}` has no {kind} body here",
                fixture.operation_id
            ),
        )];
    };
    schema::validate(spec, schema, &body)
        .into_iter()
        .map(|error| {
            Problem::new(
                file,
                format!(
                    "does not match the schema of `{}`: {error}",
                    fixture.operation_id
                ),
            )
        })
        .collect()
}

/// The `content` map of the request body, or of the response that covers `status`.
fn body_content<'a>(
    spec: &'a Value,
    operation: &'a Value,
    status: Option<u16>,
) -> Option<&'a Value> {
    let holder = match status {
        None => operation.get("requestBody")?,
        Some(status) => {
            let responses = operation.get("responses")?;
            let exact = status.to_string();
            let range = format!("{}XX", status / 100);
            responses
                .get(&exact)
                .or_else(|| responses.get(&range))
                .or_else(|| responses.get("default"))?
        }
    };
    let holder = match holder.get("$ref").and_then(Value::as_str) {
        Some(reference) => schema::resolve(spec, reference)?,
        None => holder,
    };
    holder.get("content")
}

#[cfg(test)]
mod tests {
    use super::FixtureName;

    #[test]
    fn parses_fixture_names() {
        let name = FixtureName::parse("getIdentityProviders.okta.response-200.json").unwrap();
        assert_eq!(name.operation_id, "getIdentityProviders");
        assert_eq!(name.case, "okta");
        assert_eq!(name.status, Some(200));
        assert!(name.json);
        let name = FixtureName::parse("addEmbeddedIdentitySource.ad.request.json").unwrap();
        assert_eq!(name.status, None);
        assert!(
            !FixtureName::parse("addExternalIdentityProvider.adfs.response-201.txt")
                .unwrap()
                .json
        );
        assert!(FixtureName::parse("nonsense.json").is_none());
        assert!(FixtureName::parse("a.b.response-abc.json").is_none());
    }
}
