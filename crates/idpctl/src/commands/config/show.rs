//! `idpctl config show [NAME]`: one context's keys as the file names them
//! (`vcf.url`, `broker.client-secret`), secrets as their references.

use std::path::Path;

use serde_json::{Value, json};

use super::existing;
use crate::contexts::ContextsFile;
use crate::failure::Failure;
use crate::output::{self, Output};
use crate::settings::Settings;

/// The tables of a context, in the order they are shown.
const TABLES: [&str; 6] = ["vcf", "unleash", "broker", "okta", "entra", "ops"];

pub fn run(
    name: Option<String>,
    file: &ContextsFile,
    path: &Path,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let name = match name {
        Some(name) => name,
        None => settings.context_in_force()?.ok_or_else(|| {
            Failure::usage(format!(
                "no context is in force (none named, no current-context in {}); give a name",
                path.display()
            ))
        })?,
    };
    let context = existing(file, &name, path)?;
    let mut json = serde_json::to_value(context)
        .map_err(|e| Failure::other(format!("cannot render JSON: {e}")))?;
    if let Some(object) = json.as_object_mut() {
        object.insert("name".to_owned(), json!(name));
    }
    out.emit(&json, || {
        let pairs = pairs(&name, &json);
        let pairs: Vec<(&str, String)> =
            pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        output::fields(&pairs)
    })
}

/// `name`, `ca-cert`, then each table's keys (`vcf.url`), or the table
/// `(not set)`.
fn pairs(name: &str, json: &Value) -> Vec<(String, String)> {
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    let not_set = || "(not set)".to_owned();
    let mut pairs = vec![
        ("name".to_owned(), name.to_owned()),
        (
            "ca-cert".to_owned(),
            json.get("ca-cert").map_or_else(not_set, text),
        ),
    ];
    for table in TABLES {
        match json.get(table).and_then(Value::as_object) {
            Some(keys) if !keys.is_empty() => {
                pairs.extend(
                    keys.iter()
                        .map(|(key, value)| (format!("{table}.{key}"), text(value))),
                );
            }
            _ => pairs.push((table.to_owned(), not_set())),
        }
    }
    pairs
}
