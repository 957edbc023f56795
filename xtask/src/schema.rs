//! Validates JSON values against OpenAPI 3.0 schema objects.
//!
//! It covers the keywords our specs use (`$ref`, `type`, `nullable`,
//! `properties`, `required`, `additionalProperties`, `items`, `oneOf`,
//! `anyOf`, `allOf`, `enum`, `minimum`, `maximum`) and reports any other
//! validation keyword as unsupported rather than silently passing it.

use serde_json::Value;

/// Annotation keywords that never affect validity.
const ANNOTATIONS: &[&str] = &[
    "description",
    "example",
    "format",
    "title",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "default",
];

/// Validates `value` against `schema`, resolving `$ref`s in `document`.
/// Returns every violation as `json/path: message`.
pub fn validate(document: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    Validator { document }.check(schema, value, "$", &mut errors, 0);
    errors
}

/// Resolves a local `$ref` (`#/components/schemas/X`) in `document`.
pub fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    document.pointer(pointer)
}

struct Validator<'a> {
    document: &'a Value,
}

impl Validator<'_> {
    fn check(
        &self,
        schema: &Value,
        value: &Value,
        path: &str,
        errors: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > 64 {
            errors.push(format!(
                "{path}: schema nesting deeper than 64 ($ref cycle?)"
            ));
            return;
        }
        let Some(schema) = schema.as_object() else {
            if schema != &Value::Bool(true) {
                errors.push(format!("{path}: schema is not an object"));
            }
            return;
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            match resolve(self.document, reference) {
                Some(target) => self.check(target, value, path, errors, depth + 1),
                None => errors.push(format!("{path}: unresolved $ref {reference}")),
            }
            return;
        }
        if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        for (keyword, argument) in schema {
            match keyword.as_str() {
                "type" => self.check_type(argument, value, path, errors),
                "properties" | "required" | "additionalProperties" => {}
                "items" => {
                    if let Some(items) = value.as_array() {
                        for (i, item) in items.iter().enumerate() {
                            self.check(argument, item, &format!("{path}[{i}]"), errors, depth + 1);
                        }
                    }
                }
                "oneOf" | "anyOf" => {
                    self.check_alternatives(keyword, argument, value, path, errors, depth)
                }
                "allOf" => {
                    for sub in argument.as_array().into_iter().flatten() {
                        self.check(sub, value, path, errors, depth + 1);
                    }
                }
                "enum" => {
                    let allowed = argument.as_array().map(Vec::as_slice).unwrap_or_default();
                    if !allowed.contains(value) {
                        errors.push(format!("{path}: {value} is not one of {argument}"));
                    }
                }
                "minimum" | "maximum" => check_bound(keyword, argument, value, path, errors),
                "nullable" => {}
                other if ANNOTATIONS.contains(&other) => {}
                other => errors.push(format!("{path}: unsupported schema keyword `{other}`")),
            }
        }
        if let Some(object) = value.as_object() {
            self.check_object(schema, object, path, errors, depth);
        }
    }

    fn check_type(&self, expected: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
        let Some(expected) = expected.as_str() else {
            errors.push(format!("{path}: `type` is not a string"));
            return;
        };
        let ok = match Some(expected) {
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            Some("string") => value.is_string(),
            Some("boolean") => value.is_boolean(),
            Some("number") => value.is_number(),
            Some("integer") => value.is_i64() || value.is_u64(),
            _ => {
                errors.push(format!("{path}: unknown type {expected}"));
                return;
            }
        };
        if !ok {
            errors.push(format!(
                "{path}: expected {expected}, found {}",
                kind(value)
            ));
        }
    }

    fn check_alternatives(
        &self,
        keyword: &str,
        alternatives: &Value,
        value: &Value,
        path: &str,
        errors: &mut Vec<String>,
        depth: usize,
    ) {
        let alternatives = alternatives
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let matching = alternatives
            .iter()
            .filter(|sub| {
                let mut sub_errors = Vec::new();
                self.check(sub, value, path, &mut sub_errors, depth + 1);
                sub_errors.is_empty()
            })
            .count();
        let ok = if keyword == "oneOf" {
            matching == 1
        } else {
            matching >= 1
        };
        if !ok {
            errors.push(format!(
                "{path}: {} matches {matching} of the {keyword} alternatives",
                kind(value)
            ));
        }
    }

    fn check_object(
        &self,
        schema: &serde_json::Map<String, Value>,
        object: &serde_json::Map<String, Value>,
        path: &str,
        errors: &mut Vec<String>,
        depth: usize,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = name.as_str()
                && !object.contains_key(name)
            {
                errors.push(format!("{path}: missing required property `{name}`"));
            }
        }
        for (name, field) in object {
            let field_path = format!("{path}.{name}");
            if let Some(property) = properties.and_then(|p| p.get(name)) {
                self.check(property, field, &field_path, errors, depth + 1);
                continue;
            }
            match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => {
                    errors.push(format!("{field_path}: property not allowed by the schema"));
                }
                Some(extra @ Value::Object(_)) => {
                    self.check(extra, field, &field_path, errors, depth + 1)
                }
                _ => {}
            }
        }
    }
}

fn check_bound(keyword: &str, bound: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let (Some(bound), Some(number)) = (bound.as_f64(), value.as_f64()) else {
        return;
    };
    let violated = if keyword == "minimum" {
        number < bound
    } else {
        number > bound
    };
    if violated {
        errors.push(format!("{path}: {number} is outside the {keyword} {bound}"));
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::validate;

    fn doc() -> serde_json::Value {
        json!({"components": {"schemas": {
            "Thing": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "ttl": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                "tags": {"type": "array", "nullable": true, "items": {"type": "string"}}
            }}
        }}})
    }

    #[test]
    fn accepts_a_conforming_value() {
        let d = doc();
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        assert!(
            validate(
                &d,
                &schema,
                &json!({"id": "a", "ttl": 5, "tags": null, "extra": 1})
            )
            .is_empty()
        );
        assert!(
            validate(
                &d,
                &schema,
                &json!({"id": "a", "ttl": "ACTIVE", "tags": ["x"]})
            )
            .is_empty()
        );
    }

    #[test]
    fn reports_each_violation_with_its_path() {
        let d = doc();
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        let errors = validate(&d, &schema, &json!({"ttl": 1.5, "tags": [3]}));
        assert!(
            errors
                .iter()
                .any(|e| e.contains("missing required property `id`")),
            "{errors:?}"
        );
        assert!(errors.iter().any(|e| e.starts_with("$.ttl:")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.starts_with("$.tags[0]: expected")),
            "{errors:?}"
        );
    }

    #[test]
    fn reports_unresolved_refs_and_unsupported_keywords() {
        let d = doc();
        assert!(
            validate(&d, &json!({"$ref": "#/components/schemas/Nope"}), &json!(1))[0]
                .contains("unresolved")
        );
        assert!(validate(&d, &json!({"pattern": "^a"}), &json!("a"))[0].contains("unsupported"));
    }
}
