//! SCIM PATCH (RFC 7644 §3.5.2): add, replace and remove, with and
//! without a path, on simple, complex, multi-valued and extension
//! attributes.

use serde_json::{Map, Value};

use super::filter::{Filter, parse_filter};
use super::{Kind, Resource, strip_core_urn};

/// Why a PATCH operation was refused: the SCIM `scimType` and a detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatchError {
    pub(crate) scim_type: &'static str,
    pub(crate) detail: String,
}

fn patch_error(scim_type: &'static str, detail: impl Into<String>) -> PatchError {
    PatchError {
        scim_type,
        detail: detail.into(),
    }
}

/// A PATCH path: `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`.
struct PatchPath {
    attribute: String,
    filter: Option<Filter>,
    sub: Option<String>,
}

fn parse_path(kind: Kind, raw: &str) -> Result<PatchPath, PatchError> {
    let raw = strip_core_urn(kind, raw.trim());
    // An extension attribute: `urn:...:User:department` is one attribute of
    // the extension object `urn:...:User`.
    if raw.starts_with("urn:")
        && let Some((urn, attr)) = raw.rsplit_once(':')
    {
        return Ok(PatchPath {
            attribute: urn.to_owned(),
            filter: None,
            sub: Some(attr.to_owned()),
        });
    }
    let (attribute, filter, rest) = match raw.split_once('[') {
        Some((attribute, rest)) => {
            let (filter, after) = rest
                .split_once(']')
                .ok_or_else(|| patch_error("invalidPath", format!("no ] in {raw}")))?;
            let filter = parse_filter(filter).map_err(|e| patch_error("invalidFilter", e))?;
            (attribute.to_owned(), Some(filter), after.to_owned())
        }
        None => match raw.split_once('.') {
            Some((attribute, sub)) => (attribute.to_owned(), None, format!(".{sub}")),
            None => (raw.to_owned(), None, String::new()),
        },
    };
    if attribute.is_empty()
        || !attribute
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '$' || c == '_' || c == '-')
    {
        return Err(patch_error("invalidPath", format!("invalid path {raw}")));
    }
    let sub = match rest.strip_prefix('.') {
        Some(sub) if !sub.is_empty() => Some(sub.to_owned()),
        Some(_) => return Err(patch_error("invalidPath", format!("invalid path {raw}"))),
        None if rest.is_empty() => None,
        None => return Err(patch_error("invalidPath", format!("invalid path {raw}"))),
    };
    Ok(PatchPath {
        attribute,
        filter,
        sub,
    })
}

/// The key of `attributes` naming `name`, whatever its case.
fn key_of(attributes: &Map<String, Value>, name: &str) -> String {
    attributes
        .keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

/// Entra sends booleans as `"True"`/`"False"` strings in PATCH values.
fn normalize(name: &str, value: Value) -> Value {
    match (name, &value) {
        ("active", Value::String(s)) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        ("active", Value::String(s)) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        _ => value,
    }
}

/// Adds `value` to `slot`: arrays are extended (an equal element is not
/// added twice), objects merged, anything else replaced.
fn add_into(slot: &mut Value, value: Value) {
    match (slot, value) {
        (Value::Array(items), Value::Array(new)) => {
            for item in new {
                let same = items.iter().any(|existing| {
                    existing == &item
                        || (existing.get("value").is_some()
                            && existing.get("value") == item.get("value"))
                });
                if !same {
                    items.push(item);
                }
            }
        }
        (Value::Object(existing), Value::Object(new)) => {
            for (key, value) in new {
                let key = key_of(existing, &key);
                existing.insert(key, value);
            }
        }
        (slot, value) => *slot = value,
    }
}

/// Applies one PATCH operation to a resource's attributes.
pub(crate) fn apply_patch(
    kind: Kind,
    resource: &mut Resource,
    op: &str,
    path: Option<&str>,
    value: Option<Value>,
) -> Result<(), PatchError> {
    let op = op.to_ascii_lowercase();
    let attributes = &mut resource.attributes;
    let Some(path) = path.filter(|p| !p.trim().is_empty()) else {
        // No path: the value is an object of attributes to add or replace.
        if op == "remove" {
            return Err(patch_error("noTarget", "remove needs a path"));
        }
        let Some(Value::Object(object)) = value else {
            return Err(patch_error(
                "invalidValue",
                "without a path the value must be an object",
            ));
        };
        for (key, value) in object {
            if matches!(key.as_str(), "id" | "meta" | "schemas") {
                continue;
            }
            let name = strip_core_urn(kind, &key).to_owned();
            let key = key_of(attributes, &name);
            let value = normalize(&name, value);
            if key.starts_with("urn:") && !resource.extensions.contains(&key) {
                resource.extensions.push(key.clone());
            }
            match (op.as_str(), attributes.get_mut(&key)) {
                ("add", Some(slot)) => add_into(slot, value),
                ("add" | "replace", _) => {
                    attributes.insert(key, value);
                }
                _ => return Err(patch_error("invalidSyntax", format!("unknown op {op}"))),
            }
        }
        return Ok(());
    };
    let path = parse_path(kind, path)?;
    if matches!(path.attribute.as_str(), "id" | "meta" | "schemas") {
        return Err(patch_error(
            "mutability",
            format!("{} is read-only", path.attribute),
        ));
    }
    let key = key_of(attributes, &path.attribute);
    if key.starts_with("urn:") && op != "remove" && !resource.extensions.contains(&key) {
        resource.extensions.push(key.clone());
    }
    match op.as_str() {
        "add" | "replace" => {
            let value =
                value.ok_or_else(|| patch_error("invalidValue", format!("{op} needs a value")))?;
            let value = normalize(&path.attribute, value);
            match (&path.filter, &path.sub) {
                (None, None) => match (op.as_str(), attributes.get_mut(&key)) {
                    ("add", Some(slot)) => add_into(slot, value),
                    _ => {
                        attributes.insert(key, value);
                    }
                },
                (None, Some(sub)) => {
                    let slot = attributes
                        .entry(key)
                        .or_insert_with(|| Value::Object(Map::new()));
                    let Value::Object(object) = slot else {
                        return Err(patch_error(
                            "invalidPath",
                            format!("{} is not complex", path.attribute),
                        ));
                    };
                    let sub_key = key_of(object, sub);
                    match (op.as_str(), object.get_mut(&sub_key)) {
                        ("add", Some(slot)) => add_into(slot, value),
                        _ => {
                            object.insert(sub_key, value);
                        }
                    }
                }
                (Some(filter), sub) => {
                    let Some(Value::Array(items)) = attributes.get_mut(&key) else {
                        return Err(patch_error(
                            "noTarget",
                            format!("no {} to filter", path.attribute),
                        ));
                    };
                    let mut matched = false;
                    for item in items.iter_mut().filter(|item| filter.matches(item)) {
                        matched = true;
                        match (sub, item) {
                            (Some(sub), Value::Object(object)) => {
                                let sub_key = key_of(object, sub);
                                object.insert(sub_key, value.clone());
                            }
                            (None, item) => add_into(item, value.clone()),
                            (Some(_), _) => {}
                        }
                    }
                    if !matched {
                        return Err(patch_error(
                            "noTarget",
                            format!("no value of {} matches", path.attribute),
                        ));
                    }
                }
            }
            Ok(())
        }
        "remove" => {
            match (&path.filter, &path.sub) {
                (None, None) => {
                    // `members` with a value removes those members (as Entra sends it).
                    match (attributes.get_mut(&key), value) {
                        (Some(Value::Array(items)), Some(Value::Array(gone))) => {
                            items.retain(|item| {
                                !gone.iter().any(|g| {
                                    g == item
                                        || (g.get("value").is_some()
                                            && g.get("value") == item.get("value"))
                                })
                            });
                        }
                        _ => {
                            attributes.remove(&key);
                            resource.extensions.retain(|e| *e != key);
                        }
                    }
                }
                (None, Some(sub)) => {
                    if let Some(Value::Object(object)) = attributes.get_mut(&key) {
                        let sub_key = key_of(object, sub);
                        object.remove(&sub_key);
                        if object.is_empty() {
                            attributes.remove(&key);
                            resource.extensions.retain(|e| *e != key);
                        }
                    }
                }
                (Some(filter), sub) => {
                    if let Some(Value::Array(items)) = attributes.get_mut(&key) {
                        match sub {
                            None => items.retain(|item| !filter.matches(item)),
                            Some(sub) => {
                                for item in items.iter_mut().filter(|item| filter.matches(item)) {
                                    if let Value::Object(object) = item {
                                        let sub_key = key_of(object, sub);
                                        object.remove(&sub_key);
                                    }
                                }
                            }
                        }
                        if items.is_empty() {
                            attributes.remove(&key);
                        }
                    }
                }
            }
            Ok(())
        }
        other => Err(patch_error("invalidSyntax", format!("unknown op {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patch_adds_replaces_and_removes() {
        let mut r = Resource::new(
            json!({"displayName": "g", "members": [{"value": "1"}]})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            Vec::new(),
        );
        apply_patch(
            Kind::Group,
            &mut r,
            "add",
            Some("members"),
            Some(json!([{"value": "2"}, {"value": "1"}])),
        )
        .unwrap();
        assert_eq!(
            r.attributes["members"],
            json!([{"value": "1"}, {"value": "2"}])
        );
        apply_patch(
            Kind::Group,
            &mut r,
            "remove",
            Some(r#"members[value eq "1"]"#),
            None,
        )
        .unwrap();
        assert_eq!(r.attributes["members"], json!([{"value": "2"}]));
        apply_patch(
            Kind::Group,
            &mut r,
            "Replace",
            None,
            Some(json!({"displayName": "h"})),
        )
        .unwrap();
        assert_eq!(r.attributes["displayName"], "h");
        let err = apply_patch(Kind::Group, &mut r, "remove", None, None).unwrap_err();
        assert_eq!(err.scim_type, "noTarget");
        apply_patch(
            Kind::User,
            &mut r,
            "replace",
            Some("active"),
            Some(json!("False")),
        )
        .unwrap();
        assert_eq!(r.attributes["active"], json!(false));
        apply_patch(
            Kind::User,
            &mut r,
            "add",
            Some("name.givenName"),
            Some(json!("A")),
        )
        .unwrap();
        assert_eq!(r.attributes["name"], json!({"givenName": "A"}));
        apply_patch(Kind::User, &mut r, "remove", Some("name.givenName"), None).unwrap();
        assert!(!r.attributes.contains_key("name"));
    }
}
