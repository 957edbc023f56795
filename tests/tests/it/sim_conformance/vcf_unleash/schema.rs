//! The specs as the check reads them: which schema an operation's answer
//! has, and a strict decode into the generated type of that schema.

use std::path::PathBuf;

use idp_api::{unleash, vcf};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// One of the two specs, loaded from `openapi/`.
pub struct Spec {
    pub doc: Value,
}

impl Spec {
    pub fn load(file: &str) -> Spec {
        // `cargo test` sets CARGO_MANIFEST_DIR when it runs the test: the
        // checkout being tested, even when the binary was compiled in
        // another checkout sharing the target directory.
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
        let path = manifest_dir.join("../openapi").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        Spec {
            doc: serde_json::from_str(&text).unwrap(),
        }
    }

    /// The operation object of `operation_id`.
    fn operation(&self, operation_id: &str) -> &Value {
        self.doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .find(|op| op["operationId"] == operation_id)
            .unwrap_or_else(|| panic!("no operation {operation_id} in the spec"))
    }

    /// The response the spec declares for `status` (exact, then `4XX`-style,
    /// then `default`), with `$ref`s to shared responses resolved.
    pub fn response(&self, operation_id: &str, status: u16) -> Option<&Value> {
        let responses = &self.operation(operation_id)["responses"];
        let declared = [
            status.to_string(),
            format!("{}XX", status / 100),
            "default".to_owned(),
        ]
        .into_iter()
        .find_map(|key| responses.get(&key))?;
        Some(self.resolve(declared))
    }

    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.trim_start_matches('#');
                self.doc.pointer(pointer).unwrap()
            }
            None => value,
        }
    }
}

/// What the spec says a body is: a named schema, a string, or nothing.
#[derive(Debug, PartialEq)]
pub enum Declared {
    Schema(String),
    Text,
    NoBody,
}

pub fn declared_body(spec: &Spec, response: &Value) -> Declared {
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        return Declared::NoBody;
    };
    let (_, media) = content.iter().next().unwrap();
    let schema = &media["schema"];
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap().to_owned();
            assert!(spec.doc["components"]["schemas"].get(&name).is_some());
            Declared::Schema(name)
        }
        None if schema["type"] == "string" => Declared::Text,
        None => panic!("unexpected inline schema {schema}"),
    }
}

/// Decodes `body` as `T` (the generated type of `schema`) and reports every
/// field the spec does not declare and every value that does not survive
/// `T`'s round trip.
pub fn strict<T: DeserializeOwned + Serialize>(
    spec: &Spec,
    schema: &str,
    body: &Value,
) -> Result<(), String> {
    let typed: T = serde_json::from_value(body.clone())
        .map_err(|e| format!("does not decode as {schema}: {e}"))?;
    let mut lost = Vec::new();
    let declared = json!({ "$ref": format!("#/components/schemas/{schema}") });
    undeclared(spec, &declared, body, "$", &mut lost);
    let back = serde_json::to_value(&typed).unwrap();
    covered(body, &back, "$", &mut lost);
    if lost.is_empty() {
        Ok(())
    } else {
        Err(format!("{schema}: {}", lost.join(", ")))
    }
}

/// Every object key in `value` that `schema` does not declare (objects
/// without `additionalProperties`), recursively.
fn undeclared(spec: &Spec, schema: &Value, value: &Value, path: &str, lost: &mut Vec<String>) {
    let schema = spec.resolve(schema);
    if schema.as_object().is_some_and(serde_json::Map::is_empty) {
        // `{}` declares any JSON (e.g. Unleash's `details` items).
        return;
    }
    if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
        // Declared if any alternative declares it.
        let fits = alternatives.iter().any(|alternative| {
            let mut problems = Vec::new();
            undeclared(spec, alternative, value, path, &mut problems);
            problems.is_empty()
        });
        if !fits {
            lost.push(format!("{path} fits no oneOf alternative"));
        }
        return;
    }
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let open = schema
                .get("additionalProperties")
                .is_some_and(|a| a != &Value::Bool(false));
            for (key, field) in map {
                let here = format!("{path}.{key}");
                match properties.and_then(|p| p.get(key)) {
                    Some(field_schema) => undeclared(spec, field_schema, field, &here, lost),
                    None if open => {}
                    None => lost.push(format!("{here} is not in the spec")),
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    undeclared(spec, item_schema, item, &format!("{path}[{i}]"), lost);
                }
            }
        }
        _ => {}
    }
}

/// Whether every value in `sent` comes back from the typed round trip
/// (which may add `null`s and defaults, and leaves out empty lists and
/// maps); numbers compare by value.
fn covered(sent: &Value, back: &Value, path: &str, lost: &mut Vec<String>) {
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    match (sent, back) {
        (Value::Object(sent), Value::Object(back)) => {
            for (key, value) in sent {
                let here = format!("{path}.{key}");
                match back.get(key) {
                    Some(b) => covered(value, b, &here, lost),
                    None if empty(value) => {}
                    None => lost.push(format!("{here} is lost in decoding")),
                }
            }
        }
        (Value::Array(sent), Value::Array(back)) if sent.len() == back.len() => {
            for (i, (s, b)) in sent.iter().zip(back).enumerate() {
                covered(s, b, &format!("{path}[{i}]"), lost);
            }
        }
        (Value::Number(s), Value::Number(b)) if s.as_f64() == b.as_f64() => {}
        (s, b) if s == b => {}
        (s, b) => lost.push(format!("{path} ({s} comes back as {b})")),
    }
}

/// Decodes a body as the generated type of the spec schema `name`.
pub fn decode_as(spec: &Spec, name: &str, body: &Value) -> Result<(), String> {
    match name {
        "PageOfIdentityProvider" => strict::<vcf::types::PageOfIdentityProvider>(spec, name, body),
        "IdentityProvider" => strict::<vcf::types::IdentityProvider>(spec, name, body),
        "SyncClientTokenInfo" => strict::<vcf::types::SyncClientTokenInfo>(spec, name, body),
        "IdentityBrokerPrecheck" => strict::<vcf::types::IdentityBrokerPrecheck>(spec, name, body),
        "TokenPair" => strict::<vcf::types::TokenPair>(spec, name, body),
        "PageOfUser" => strict::<vcf::types::PageOfUser>(spec, name, body),
        "PageOfRole" => strict::<vcf::types::PageOfRole>(spec, name, body),
        "PageOfString" => strict::<vcf::types::PageOfString>(spec, name, body),
        "PageOfSsoDomainEntity" => strict::<vcf::types::PageOfSsoDomainEntity>(spec, name, body),
        "VcfError" => strict::<vcf::types::VcfError>(spec, name, body),
        "ScimSettings" => strict::<unleash::types::ScimSettings>(spec, name, body),
        "ScimToken" => strict::<unleash::types::ScimToken>(spec, name, body),
        "UnleashError" => strict::<unleash::types::UnleashError>(spec, name, body),
        other => Err(format!("no generated type is mapped for schema {other}")),
    }
}
