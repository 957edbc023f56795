//! The simulator's SDDC Manager bodies against VMware's own description
//! (`openapi/vendor/sddc-manager-*.json`): types, formats of integers,
//! properties, enums, items and `$ref`s, and the vendor's `required` lists
//! except where `openapi/vendor/waivers.toml` records a deliberate
//! difference (read from that file, not repeated here).

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

fn repo_file(relative: &str) -> String {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let path = manifest_dir.join("..").join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the waivers excuse in the bodies: the property names whose
/// `required` or `type` differs on purpose, and the response statuses the
/// vendor does not declare.
#[derive(Debug, Default)]
pub struct Waived {
    required: BTreeSet<String>,
    types: BTreeSet<String>,
}

impl Waived {
    /// The SDDC Manager subsets' waivers.
    pub fn load() -> Self {
        Self::load_for("sddc-manager")
    }

    /// The waivers of the subsets whose stem starts with `vendor`.
    pub fn load_for(vendor: &str) -> Self {
        let text = repo_file("openapi/vendor/waivers.toml");
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let mut waived = Waived::default();
        for waiver in doc["waiver"].as_array().unwrap() {
            let applies = waiver["vendor"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|v| v.as_str())
                .any(|v| v.starts_with(vendor));
            if !applies {
                continue;
            }
            let differs = waiver["differs"].as_str().unwrap_or_default();
            let set = match differs {
                "required" => &mut waived.required,
                "type" | "format" | "enum" | "items" | "additionalProperties" => &mut waived.types,
                _ => continue,
            };
            for pointer in waiver["pointers"].as_array().unwrap() {
                let pointer = pointer.as_str().unwrap();
                // `.../properties/NAME` (or `.../properties/NAME/items`).
                let name = pointer
                    .trim_end_matches("/items")
                    .trim_end_matches("/additionalProperties")
                    .rsplit('/')
                    .next()
                    .unwrap();
                set.insert(name.to_owned());
            }
        }
        waived
    }
}

/// One vendor description.
pub struct Vendor {
    pub name: String,
    doc: Value,
}

impl Vendor {
    /// The subset `openapi/vendor/<name>.json`.
    pub fn named(name: &str) -> Vendor {
        Vendor {
            name: name.to_owned(),
            doc: serde_json::from_str(&repo_file(&format!("openapi/vendor/{name}.json"))).unwrap(),
        }
    }

    pub fn all() -> Vec<Vendor> {
        ["sddc-manager-9.0.0.0", "sddc-manager-9.1.0.0"]
            .into_iter()
            .map(|name| Vendor {
                name: name.to_owned(),
                doc: serde_json::from_str(&repo_file(&format!("openapi/vendor/{name}.json")))
                    .unwrap(),
            })
            .collect()
    }

    /// The schema of the vendor's JSON answer to `operation_id` with
    /// `status`, or `None` when it declares none (a difference the waivers
    /// settle: `vendor-check` fails on any other).
    fn response_schema(&self, operation_id: &str, status: u16) -> Option<&Value> {
        let operation = self.doc["paths"]
            .as_object()?
            .values()
            .flat_map(|item| item.as_object().into_iter().flat_map(|m| m.values()))
            .find(|op| op["operationId"] == operation_id)?;
        let responses = &operation["responses"];
        let response = [status.to_string(), format!("{}XX", status / 100)]
            .into_iter()
            .find_map(|key| responses.get(&key))
            .or_else(|| responses.get("default"))?;
        response["content"]
            .as_object()?
            .iter()
            .find(|(media, _)| media.contains("json"))
            .map(|(_, content)| &content["schema"])
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => self
                .doc
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{}: unresolved {reference}", self.name)),
            None => schema,
        }
    }

    /// Checks `body`, the answer to `operation_id` with `status`: `None`
    /// when the vendor declares no JSON body there.
    pub fn check(
        &self,
        waived: &Waived,
        operation_id: &str,
        status: u16,
        body: &Value,
    ) -> Option<Vec<String>> {
        let schema = self.response_schema(operation_id, status)?;
        let mut problems = Vec::new();
        self.validate(waived, schema, body, "", None, &mut problems);
        Some(problems)
    }

    fn validate(
        &self,
        waived: &Waived,
        schema: &Value,
        value: &Value,
        at: &str,
        property: Option<&str>,
        problems: &mut Vec<String>,
    ) {
        let schema = self.resolve(schema);
        let type_waived = property.is_some_and(|p| waived.types.contains(p));
        if let Some(expected) = schema.get("type").and_then(Value::as_str) {
            let fits = match expected {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "boolean" => value.is_boolean(),
                "number" => value.is_number(),
                "integer" => value.is_i64() || value.is_u64(),
                _ => true,
            };
            if !fits {
                if !type_waived {
                    problems.push(format!("{at}: {value} is not {expected}"));
                }
                return;
            }
            if expected == "integer"
                && schema.get("format").and_then(Value::as_str) == Some("int32")
                && value.as_i64().is_none_or(|n| i32::try_from(n).is_err())
                && !type_waived
            {
                problems.push(format!("{at}: {value} is not an int32"));
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
            && !type_waived
        {
            problems.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
        if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
            if type_waived {
                return;
            }
            for (i, item) in values.iter().enumerate() {
                self.validate(waived, items, item, &format!("{at}/{i}"), None, problems);
            }
        }
        let Some(object) = value.as_object() else {
            return;
        };
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(name) && !waived.required.contains(name) {
                    problems.push(format!("{at}: `{name}` is required"));
                }
            }
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, value) in object {
                if let Some(property_schema) = properties.get(name) {
                    let at = format!("{at}/{name}");
                    self.validate(waived, property_schema, value, &at, Some(name), problems);
                }
            }
        }
        if let Some(additional) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            let known = schema.get("properties").and_then(Value::as_object);
            for (name, value) in object {
                if known.is_none_or(|k| !k.contains_key(name)) {
                    let at = format!("{at}/{name}");
                    self.validate(waived, additional, value, &at, property, problems);
                }
            }
        }
    }
}

#[test]
fn the_validator_sees_a_wrong_type_and_a_missing_required_field() {
    let waived = Waived::load();
    for vendor in Vendor::all() {
        let wrong = serde_json::json!({"elements": [{"id": 5, "name": "x"}]});
        let found = vendor
            .check(&waived, "getIdentityProviders", 200, &wrong)
            .unwrap();
        assert!(
            found.iter().any(|p| p.contains("/elements/0/id")),
            "{found:?}"
        );
        // `status` is required by the vendor, optional in ours on purpose
        // (a waiver): reported only without the waivers.
        let no_status = serde_json::json!({"details": []});
        let found = vendor
            .check(
                &Waived::default(),
                "getIdentityPrecheckResult",
                200,
                &no_status,
            )
            .unwrap();
        assert!(found.iter().any(|p| p.contains("`status`")), "{found:?}");
        let found = vendor
            .check(&waived, "getIdentityPrecheckResult", 200, &no_status)
            .unwrap();
        assert!(found.is_empty(), "{found:?}");
        // A status the vendor does not declare is the waivers' business.
        assert!(
            vendor
                .check(&waived, "getIdentityProviders", 418, &no_status)
                .is_none()
        );
    }
}
