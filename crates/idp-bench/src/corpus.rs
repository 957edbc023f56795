//! A large `GET /v1/identity-providers` body built from the seed shapes.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// The seed fixtures of the VCF API (`tests/fixtures/vcf`).
#[must_use]
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/vcf")
}

/// Every provider in the seed list responses
/// (`getIdentityProviders.*.response-200.json`), in file order: embedded,
/// Microsoft ADFS and federated (Okta) shapes.
///
/// # Errors
///
/// A fixture that cannot be read or is not a `{"elements": [...]}` list.
pub fn seed_providers(dir: &Path) -> Result<Vec<Value>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("getIdentityProviders.") && n.ends_with(".response-200.json")
            })
        })
        .collect();
    files.sort();
    let mut providers = Vec::new();
    for file in &files {
        let text = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let page: Value =
            serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let elements = page
            .get("elements")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{}: no elements list", file.display()))?;
        providers.extend(elements.iter().cloned());
    }
    if providers.is_empty() {
        return Err(format!("{}: no provider list fixtures", dir.display()));
    }
    Ok(providers)
}

/// A compact JSON list of `count` providers cycling through the seed
/// shapes, each with its own id and name.
///
/// # Errors
///
/// As [`seed_providers`].
pub fn provider_list(count: usize) -> Result<Vec<u8>, String> {
    let seeds = seed_providers(&fixtures_dir())?;
    let elements: Vec<Value> = (0..count)
        .map(|i| {
            let mut provider = seeds[i % seeds.len()].clone();
            if let Some(object) = provider.as_object_mut() {
                object.insert(
                    "id".to_owned(),
                    Value::String(format!("{i:08x}-90b4-49f2-bcfc-{i:012x}")),
                );
                let name = object
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("provider")
                    .to_owned();
                object.insert("name".to_owned(), Value::String(format!("{name} {i}")));
            }
            provider
        })
        .collect();
    let mut page = Map::new();
    page.insert("elements".to_owned(), Value::Array(elements));
    serde_json::to_vec(&Value::Object(page)).map_err(|e| e.to_string())
}

/// How many of `body`'s providers are federated brokers and how many
/// embedded (for the benchmark's description).
#[must_use]
pub fn mix(body: &[u8]) -> (usize, usize, usize) {
    let Ok(page) = serde_json::from_slice::<Value>(body) else {
        return (0, 0, 0);
    };
    let mut federated = 0;
    let mut embedded = 0;
    let mut other = 0;
    for provider in page
        .get("elements")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match provider.get("type").and_then(Value::as_str) {
            Some("FEDERATED_IDP_BROKER") => federated += 1,
            Some("Embedded") => embedded += 1,
            _ => other += 1,
        }
    }
    (federated, embedded, other)
}
