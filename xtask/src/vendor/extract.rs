//! `cargo xtask vendor-extract SOURCE [--commit C]`: the structural subset
//! of each vendor description we use, written under `openapi/vendor/`.
//!
//! A subset holds the chosen operations (see [`Selection`]) with every
//! component they reach through `$ref`, and only structure: documentation
//! (`description`, `summary`, `example(s)`, `externalDocs`, `title`) and
//! `x-` extensions are removed, so a re-extraction shows in review only
//! what changed in the API itself. Keys are sorted, so re-running gives the
//! same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::provenance::Provenance;
use super::source::Source;
use super::{
    APIS, FORK, LICENSE, METHODS, PINNED, REPOSITORY, Selection, VENDOR_DIR, VendorApi,
    canonical_json, normalized_path, sha256_hex,
};

/// The command's usage.
pub const USAGE: &str = "usage: cargo xtask vendor-extract SOURCE [--commit C]

SOURCE is a copy of vmware/vcf-api-specs: a git repository (bare, like the
mirror of the fork bhagatp10/vcf-api-specs, or a clone) or a plain directory
of its files. Without --commit, a git SOURCE gives the pinned releases
(SDDC Manager 9.0.0.0 at d81412d and 9.1.0.0 at c3f3b52, VCF Operations
9.1.0.0 at c3f3b52); with --commit, every API at that commit, named by the
description's info.version. A plain directory needs --commit: the commit
its files are from, recorded in the provenance as given.
Writes openapi/vendor/<api>-<version>[-identity].json and its
.provenance.toml (docs/dev/vendor-specs.md).";

/// Parsed arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The copy of the vendor repository.
    pub source: PathBuf,
    /// The commit to read, if not the pinned ones.
    pub commit: Option<String>,
    /// `--help`.
    pub help: bool,
}

impl Options {
    /// Parses `SOURCE [--commit C]`.
    ///
    /// # Errors
    ///
    /// Missing or unknown arguments.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Self::default();
        let mut source = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--help" | "-h" => options.help = true,
                "--commit" => match args.next() {
                    Some(c) if !c.trim().is_empty() => options.commit = Some(c.trim().to_owned()),
                    _ => return Err("--commit needs a value".to_owned()),
                },
                other if other.starts_with('-') => return Err(format!("unknown option {other}")),
                other if source.is_none() => source = Some(PathBuf::from(other)),
                other => return Err(format!("unexpected argument {other}")),
            }
        }
        match source {
            Some(source) => options.source = source,
            None if options.help => {}
            None => return Err("missing SOURCE".to_owned()),
        }
        Ok(options)
    }
}

/// What one extraction wrote.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The subset file.
    pub file: PathBuf,
    /// Whether its bytes changed.
    pub changed: bool,
    /// How many operations it holds.
    pub operations: usize,
    /// How many components (schemas and others).
    pub components: usize,
    /// Operations per tag.
    pub by_tag: BTreeMap<String, usize>,
    /// Operations per path group (the selection prefix and one segment).
    pub by_prefix: BTreeMap<String, usize>,
    /// Our operations the vendor's description does not have.
    pub missing: Vec<String>,
}

/// One job's outcome.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A subset was written (or was already up to date).
    Written(Extracted),
    /// Not extracted, and why.
    Skipped(String),
}

/// Runs the extraction for the workspace at `root`.
///
/// # Errors
///
/// The source cannot be read, a pinned release is not what it should be,
/// or a file cannot be written; the message names the file.
pub fn vendor_extract(root: &Path, options: &Options) -> Result<Vec<Outcome>, String> {
    let source = Source::open(&options.source)?;
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let mut outcomes = Vec::new();
    match (&source, &options.commit) {
        (Source::Git(_), None) => {
            for pin in PINNED {
                let commit = source.resolve_commit(pin.commit).map_err(|e| {
                    format!(
                        "{e}\nthe pinned commit {} ({} {}) is not in this repository: \
                         fetch the fork {FORK}, or pass --commit",
                        pin.commit, pin.api.name, pin.release
                    )
                })?;
                outcomes.push(extract_one(
                    root,
                    &source,
                    &pin.api,
                    &commit,
                    Some(pin.release),
                    &today,
                )?);
            }
        }
        (Source::Git(_), Some(commit)) => {
            let commit = source.resolve_commit(commit)?;
            for api in APIS {
                outcomes.push(extract_one(root, &source, api, &commit, None, &today)?);
            }
        }
        (Source::Directory(dir), None) => {
            return Err(format!(
                "{} is not a git repository: pass --commit with the commit its files are from \
                 (recorded in the provenance as given)",
                dir.display()
            ));
        }
        (Source::Directory(_), Some(commit)) => {
            for api in APIS {
                outcomes.push(extract_one(root, &source, api, commit, None, &today)?);
            }
        }
    }
    if !outcomes.iter().any(|o| matches!(o, Outcome::Written(_))) {
        let why: Vec<String> = outcomes
            .into_iter()
            .filter_map(|o| match o {
                Outcome::Skipped(why) => Some(why),
                Outcome::Written(_) => None,
            })
            .collect();
        return Err(format!("nothing extracted:\n  {}", why.join("\n  ")));
    }
    Ok(outcomes)
}

/// Extracts `api` at `commit`; `release`, when given, is the `info.version`
/// the description must have.
fn extract_one(
    root: &Path,
    source: &Source,
    api: &VendorApi,
    commit: &str,
    release: Option<&str>,
    today: &str,
) -> Result<Outcome, String> {
    let origin = source.describe(commit, api.source_path);
    let bytes = match source.read(commit, api.source_path) {
        Ok(bytes) => bytes,
        // A release without this API is no error; a pinned one must have it.
        Err(e) if release.is_none() => {
            return Ok(Outcome::Skipped(format!(
                "{origin}: not readable ({e}); not extracted"
            )));
        }
        Err(e) => return Err(e),
    };
    let document: Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{origin}: not valid JSON: {e}"))?;
    let version = document
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned();
    match release {
        Some(release) if release != version => {
            return Err(format!(
                "{origin}: info.version is `{version}`, the pin says {release}"
            ));
        }
        _ => {}
    }
    if version.is_empty() {
        return Ok(Outcome::Skipped(format!(
            "{origin}: no info.version, so no release to name the subset after; not extracted"
        )));
    }
    let (chosen, missing) = choose(root, api, &document)?;
    let subset = subset(&document, &chosen).map_err(|e| format!("{origin}: {e}"))?;
    let text = canonical_json(&subset);

    let dir = root.join(VENDOR_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let file = dir.join(format!("{}.json", api.stem(&version)));
    let changed = std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str());
    if changed {
        std::fs::write(&file, &text)
            .map_err(|e| format!("{}: cannot write: {e}", file.display()))?;
    }

    let mut provenance = Provenance {
        subset: format!("{}.json", api.stem(&version)),
        subset_sha256: sha256_hex(text.as_bytes()),
        repository: REPOSITORY.to_owned(),
        fork: FORK.to_owned(),
        commit: commit.to_owned(),
        path: api.source_path.to_owned(),
        source_sha256: sha256_hex(&bytes),
        source_version: version,
        license: LICENSE.to_owned(),
        extracted: today.to_owned(),
        selection: selection_rules(api),
    };
    let sidecar = Provenance::path_for(&file);
    // The date moves only when the content does, so a re-run is a no-op.
    if let Ok(old) = Provenance::read(&sidecar)
        && old.same_content(&provenance)
    {
        provenance.extracted = old.extracted;
    }
    let sidecar_text = provenance.to_text()?;
    if std::fs::read_to_string(&sidecar).ok().as_deref() != Some(sidecar_text.as_str()) {
        std::fs::write(&sidecar, sidecar_text)
            .map_err(|e| format!("{}: cannot write: {e}", sidecar.display()))?;
    }

    let mut by_tag = BTreeMap::new();
    let mut by_prefix = BTreeMap::new();
    for (path, method) in &chosen {
        let operation = &document["paths"][path][method];
        let tags: Vec<&str> = operation
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| tags.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let tag = if tags.is_empty() {
            "(no tag)".to_owned()
        } else {
            tags.join(", ")
        };
        *by_tag.entry(tag).or_insert(0) += 1;
        *by_prefix.entry(path_group(api, path)).or_insert(0) += 1;
    }
    let components = subset
        .get("components")
        .and_then(Value::as_object)
        .map_or(0, |kinds| {
            kinds
                .values()
                .filter_map(Value::as_object)
                .map(Map::len)
                .sum()
        });
    Ok(Outcome::Written(Extracted {
        file,
        changed,
        operations: chosen.len(),
        components,
        by_tag,
        by_prefix,
        missing,
    }))
}

/// The chosen `(path, method)` pairs, sorted, and our operations
/// (`METHOD path`) the vendor's description lacks.
type Chosen = (Vec<(String, String)>, Vec<String>);

/// The `(path, method)` pairs of `document` that `api`'s selection chooses,
/// sorted, and our operations (`METHOD path`) not found.
fn choose(root: &Path, api: &VendorApi, document: &Value) -> Result<Chosen, String> {
    let vendor_operations = operations(document);
    match api.select {
        Selection::OurSpec(file) => {
            let path = root.join(idp_codegen::SPECS_DIR).join(file);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            let ours: Value = serde_json::from_str(&text)
                .map_err(|e| format!("{}: not valid JSON: {e}", path.display()))?;
            let mut chosen = BTreeSet::new();
            let mut missing = Vec::new();
            for (our_path, method) in operations(&ours) {
                let key = normalized_path(&our_path);
                match vendor_operations
                    .iter()
                    .find(|(p, m)| *m == method && normalized_path(p) == key)
                {
                    Some(found) => {
                        chosen.insert(found.clone());
                    }
                    None => missing.push(format!("{} {our_path}", method.to_uppercase())),
                }
            }
            Ok((chosen.into_iter().collect(), missing))
        }
        Selection::PathPrefixes(prefixes) => Ok((
            vendor_operations
                .into_iter()
                .filter(|(path, _)| prefixes.iter().any(|prefix| path.starts_with(prefix)))
                .collect(),
            Vec::new(),
        )),
    }
}

/// Every `(path, method)` of a document, sorted.
fn operations(document: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(|method| item.get(**method).is_some())
                .map(move |method| (path.clone(), (*method).to_owned()))
        })
        .collect();
    found.sort();
    found
}

/// The group an operation's path is counted in: the matched selection
/// prefix and the next segment (`/api/fleet-management/iam/ssorealms`), or
/// the first two segments (`/v1/identity-providers`).
fn path_group(api: &VendorApi, path: &str) -> String {
    let (base, rest) = match api.select {
        Selection::PathPrefixes(prefixes) => prefixes
            .iter()
            .find_map(|prefix| path.strip_prefix(prefix).map(|rest| (*prefix, rest)))
            .unwrap_or(("/", path.trim_start_matches('/'))),
        Selection::OurSpec(_) => ("/", path.trim_start_matches('/')),
    };
    let mut segments = rest.split('/');
    let first = segments.next().unwrap_or_default();
    if base == "/" {
        let second = segments.next().unwrap_or_default();
        format!("/{first}/{second}")
    } else {
        format!("{base}{first}")
    }
}

/// The rules in the provenance, in words.
#[must_use]
pub fn selection_rules(api: &VendorApi) -> Vec<String> {
    let mut rules = Vec::new();
    match api.select {
        Selection::OurSpec(file) => rules.push(format!(
            "operations: every operation of openapi/{file}, matched by method and path \
             with path-parameter names ignored"
        )),
        Selection::PathPrefixes(prefixes) => {
            for prefix in prefixes {
                rules.push(format!(
                    "operations: every operation whose path starts with {prefix}"
                ));
            }
        }
    }
    rules.extend(
        [
            "components: every component the chosen operations reach through $ref, \
             transitively, and the security schemes their security requirements name",
            "kept: openapi, info.title, info.version, servers, security, the chosen \
             operations with their path-level parameters, and those components: \
             parameters, request bodies, responses and their statuses, media types, \
             schemas (type, format, enum, required, properties, items, composition, \
             constraints), security, operationId, tags, deprecated",
            "removed everywhere: description, summary, example, examples, externalDocs, \
             title and x- extensions (names, such as property names, are kept)",
            "formatting: object keys sorted, two-space indentation, final newline",
        ]
        .map(str::to_owned),
    );
    rules
}

/// The subset of `document` holding the `chosen` operations and every
/// component they reach.
///
/// # Errors
///
/// A `$ref` points outside `#/components/` or at nothing.
pub fn subset(document: &Value, chosen: &[(String, String)]) -> Result<Value, String> {
    let mut paths = Map::new();
    let mut scheme_names = BTreeSet::new();
    collect_schemes(document.get("security"), &mut scheme_names);
    for (path, method) in chosen {
        let item = &document["paths"][path];
        let entry = paths
            .entry(path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let (Some(out), Some(parameters)) = (entry.as_object_mut(), item.get("parameters")) {
            out.insert("parameters".to_owned(), strip(parameters, false));
        }
        if let Some(out) = entry.as_object_mut() {
            out.insert(method.clone(), strip(&item[method], false));
        }
        collect_schemes(item[method].get("security"), &mut scheme_names);
    }

    let mut components: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut queue: Vec<String> = Vec::new();
    collect_refs(&Value::Object(paths.clone()), &mut queue);
    let mut seen = BTreeSet::new();
    while let Some(reference) = queue.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let Some((kind, name)) = reference
            .strip_prefix("#/components/")
            .and_then(|rest| rest.split_once('/'))
        else {
            return Err(format!("$ref {reference} is not a local component"));
        };
        let target = document
            .pointer(&format!("/components/{kind}/{name}"))
            .ok_or_else(|| format!("$ref {reference} points at nothing"))?;
        let stripped = strip(target, false);
        collect_refs(&stripped, &mut queue);
        components
            .entry(kind.to_owned())
            .or_default()
            .insert(unescape(name), stripped);
    }
    for name in scheme_names {
        if let Some(scheme) = document.pointer(&format!("/components/securitySchemes/{name}")) {
            components
                .entry("securitySchemes".to_owned())
                .or_default()
                .insert(name, strip(scheme, false));
        }
    }

    let mut out = Map::new();
    for key in ["openapi", "servers", "security"] {
        if let Some(value) = document.get(key) {
            out.insert(key.to_owned(), strip(value, false));
        }
    }
    let mut info = Map::new();
    for key in ["title", "version"] {
        if let Some(value) = document.pointer(&format!("/info/{key}")) {
            info.insert(key.to_owned(), value.clone());
        }
    }
    out.insert("info".to_owned(), Value::Object(info));
    out.insert("paths".to_owned(), Value::Object(paths));
    if !components.is_empty() {
        out.insert(
            "components".to_owned(),
            Value::Object(
                components
                    .into_iter()
                    .map(|(kind, items)| (kind, Value::Object(items)))
                    .collect(),
            ),
        );
    }
    Ok(Value::Object(out))
}

/// Keys whose values are documentation.
const DOC_KEYS: &[&str] = &[
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
    "title",
];

/// Keys whose object value maps names to things: its keys are data.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "paths",
    "responses",
    "content",
    "schemas",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "headers",
    "links",
    "callbacks",
    "encoding",
    "variables",
    "mapping",
];

/// Keys whose values are data, copied as they are.
const VALUE_KEYS: &[&str] = &["enum", "default", "const", "security", "required"];

/// `value` without documentation and `x-` extensions. `names`: the keys of
/// this object are names (property names, statuses, paths), not keywords.
#[must_use]
pub fn strip(value: &Value, names: bool) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, child) in map {
                if names {
                    out.insert(key.clone(), strip(child, false));
                } else if DOC_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
                } else if VALUE_KEYS.contains(&key.as_str()) {
                    out.insert(key.clone(), child.clone());
                } else {
                    out.insert(key.clone(), strip(child, NAME_MAPS.contains(&key.as_str())));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|item| strip(item, false)).collect()),
        other => other.clone(),
    }
}

/// Pushes every `$ref` string under `value`.
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => out.push(reference.clone()),
                    // Enum values and defaults are data, never references.
                    ("enum" | "default" | "const", _) => {}
                    _ => collect_refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

/// The scheme names of a security requirement list.
fn collect_schemes(security: Option<&Value>, out: &mut BTreeSet<String>) {
    for requirement in security.and_then(Value::as_array).into_iter().flatten() {
        if let Some(map) = requirement.as_object() {
            out.extend(map.keys().cloned());
        }
    }
}

/// A JSON pointer token back to its name.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    #[test]
    fn strip_keeps_names_and_drops_documentation() {
        let schema = json!({
            "type": "object",
            "description": "gone",
            "x-vmw-thing": 1,
            "title": "gone",
            "properties": {
                "description": {"type": "string", "description": "gone", "example": "x"},
                "x-name": {"type": "integer", "enum": [{"description": "kept"}]}
            },
            "required": ["description"]
        });
        assert_eq!(
            strip(&schema, false),
            json!({
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "x-name": {"type": "integer", "enum": [{"description": "kept"}]}
                },
                "required": ["description"]
            })
        );
    }

    #[test]
    fn subset_follows_references_transitively() {
        let document = json!({
            "openapi": "3.0.1",
            "info": {"title": "T", "version": "1.0", "description": "gone"},
            "paths": {
                "/a/{id}": {
                    "get": {
                        "operationId": "getA",
                        "summary": "gone",
                        "security": [{"basic": []}],
                        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}
                    },
                    "delete": {"operationId": "deleteA", "responses": {"204": {"description": "gone"}}}
                },
                "/b": {"get": {"operationId": "getB", "responses": {"200": {"description": "x", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unused"}}}}}}}
            },
            "components": {
                "schemas": {
                    "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                    "B": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
                    "Unused": {"type": "string"}
                },
                "securitySchemes": {"basic": {"type": "http", "scheme": "basic", "description": "gone"}, "other": {"type": "http", "scheme": "bearer"}}
            }
        });
        let chosen = vec![("/a/{id}".to_owned(), "get".to_owned())];
        let out = subset(&document, &chosen).unwrap();
        assert_eq!(
            out,
            json!({
                "openapi": "3.0.1",
                "info": {"title": "T", "version": "1.0"},
                "paths": {"/a/{id}": {"get": {
                    "operationId": "getA",
                    "security": [{"basic": []}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}
                }}},
                "components": {
                    "schemas": {
                        "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                        "B": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}
                    },
                    "securitySchemes": {"basic": {"type": "http", "scheme": "basic"}}
                }
            })
        );
    }

    #[test]
    fn a_dangling_reference_is_an_error() {
        let document = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}}
        });
        let err = subset(&document, &[("/a".to_owned(), "get".to_owned())]).unwrap_err();
        assert!(err.contains("#/components/responses/Nope"), "{err}");
    }

    #[test]
    fn arguments_parse() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let o = Options::parse(&args(&["/m", "--commit", "c3f3b52"])).unwrap();
        assert_eq!(o.source, PathBuf::from("/m"));
        assert_eq!(o.commit.as_deref(), Some("c3f3b52"));
        assert!(Options::parse(&args(&[])).is_err());
        assert!(Options::parse(&args(&["/m", "--commit"])).is_err());
        assert!(Options::parse(&args(&["/m", "--bogus"])).is_err());
        assert!(Options::parse(&args(&["--help"])).unwrap().help);
    }

    #[test]
    fn path_groups() {
        assert_eq!(
            path_group(&super::super::SDDC_MANAGER, "/v1/identity-providers/{id}"),
            "/v1/identity-providers"
        );
        assert_eq!(
            path_group(
                &super::super::VCF_OPERATIONS_IDENTITY,
                "/api/fleet-management/iam/ssorealms/{ssoRealmId}/api-tokens"
            ),
            "/api/fleet-management/iam/ssorealms"
        );
        assert_eq!(
            path_group(
                &super::super::VCF_OPERATIONS_IDENTITY,
                "/api/auth/token/acquire"
            ),
            "/api/auth/token/acquire"
        );
    }
}
