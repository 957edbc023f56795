//! Tolerant decoding of success bodies that the generated types rejected.
//!
//! Real servers send `null` for lists and fields, numbers as strings and the
//! reverse, a single object where a list is documented, or nothing at all.
//! The generated (strict) decode runs first; when it fails, the body is
//! parsed as JSON, `null` object members and list items are dropped, and
//! scalar types are coerced where the error points, a bounded number of
//! times.
//!
//! One odd field never fails a whole answer: a field that still cannot be
//! read is left out (it becomes absent, logged at debug level with its JSON
//! path, never its value) and the rest of the object and of the list is
//! kept. Only what an operation cannot do without is a [`Error::Decode`],
//! reported with the JSON path: an element's `id`, the page's shape
//! (`elements` and the body itself), and a required field that is missing.

use http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::{Path, Segment};

use crate::Error;

/// How many coercions one body may need.
const MAX_REPAIRS: usize = 64;

/// Decodes `body` as `T`, tolerating what real servers send.
pub(crate) fn tolerant<T: DeserializeOwned>(
    operation: &'static str,
    status: Option<StatusCode>,
    body: &[u8],
) -> Result<T, Error> {
    let trimmed = body.trim_ascii();
    let mut value = if trimmed.is_empty() {
        // 204 (or an empty 200) where a body was documented: decode as an
        // empty object, so that types whose fields are all optional succeed.
        Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice::<Value>(trimmed).map_err(|e| Error::Decode {
            operation,
            status,
            path: String::new(),
            message: format!("the body is not JSON ({})", elide_values(&e.to_string())),
        })?
    };
    strip_nulls(&mut value);
    let mut repairs = 0;
    loop {
        let error = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(decoded) => return Ok(decoded),
            Err(error) => error,
        };
        let path = error.path().clone();
        let message = error.into_inner().to_string();
        if repairs < MAX_REPAIRS && repair(&mut value, &path, &message) {
            repairs += 1;
            continue;
        }
        if repairs < MAX_REPAIRS
            && !message.starts_with("missing field")
            && let Some(dropped) = drop_field(&mut value, &path)
        {
            repairs += 1;
            tracing::debug!(
                operation,
                path = %dropped,
                "an optional field could not be read; it is left out"
            );
            continue;
        }
        return Err(Error::Decode {
            operation,
            status,
            path: path_text(&path, &message),
            message: elide_values(&message),
        });
    }
}

/// Drops `null` members of objects and `null` items of lists, recursively.
pub(crate) fn strip_nulls(value: &mut Value) {
    // An explicit stack: bodies nest at most 128 deep (serde_json's limit),
    // but recursion is avoided anyway.
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                map.retain(|_, item| !item.is_null());
                stack.extend(map.values_mut());
            }
            Value::Array(items) => {
                items.retain(|item| !item.is_null());
                stack.extend(items.iter_mut());
            }
            _ => {}
        }
    }
}

/// Coerces the value at `path` to what the error message says was expected.
/// Returns whether anything changed.
fn repair(root: &mut Value, path: &Path, message: &str) -> bool {
    let Some(node) = locate(root, path) else {
        return false;
    };
    let replacement = if message.contains("expected a string")
        || message.contains("expected a borrowed string")
    {
        match node {
            Value::Number(n) => Some(Value::String(n.to_string())),
            Value::Bool(b) => Some(Value::String(b.to_string())),
            _ => None,
        }
    } else if message.contains("expected a boolean") {
        match node {
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => Some(Value::Bool(true)),
                "false" | "no" | "off" | "0" => Some(Value::Bool(false)),
                _ => None,
            },
            Value::Number(n) => n.as_i64().map(|i| Value::Bool(i != 0)),
            _ => None,
        }
    } else if [
        "expected i64",
        "expected u64",
        "expected i32",
        "expected u32",
        "expected f64",
        "expected a number",
    ]
    .iter()
    .any(|e| message.contains(e))
    {
        match node {
            Value::String(s) => {
                let s = s.trim();
                s.parse::<i64>()
                    .ok()
                    .map(Value::from)
                    .or_else(|| s.parse::<u64>().ok().map(Value::from))
                    .or_else(|| {
                        s.parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                            .map(Value::Number)
                    })
            }
            Value::Number(n) if !message.contains("expected f64") => {
                // A fraction where an integer was expected: round down.
                n.as_f64()
                    .filter(|f| f.is_finite())
                    .map(|f| Value::from(f.trunc() as i64))
            }
            _ => None,
        }
    } else if message.contains("expected a sequence") {
        if node.is_array() {
            None
        } else {
            Some(Value::Array(vec![node.take()]))
        }
    } else if message.contains("expected struct") || message.contains("expected a map") {
        match &mut *node {
            Value::Array(items) if items.len() == 1 && items[0].is_object() => {
                Some(items[0].take())
            }
            Value::String(s) => serde_json::from_str::<Value>(s)
                .ok()
                .filter(Value::is_object),
            _ => None,
        }
    } else if message.contains("untagged enum") {
        match node {
            Value::Bool(b) => Some(Value::String(b.to_string())),
            // 500000.0 where an integer-or-string is expected.
            Value::Number(n) if n.as_i64().is_none() && n.as_u64().is_none() => n
                .as_f64()
                .filter(|f| f.is_finite() && f.fract() == 0.0)
                .map(|f| Value::from(f as i64)),
            _ => None,
        }
    } else {
        None
    };
    match replacement {
        Some(new) if new != *node => {
            *node = new;
            true
        }
        _ => false,
    }
}

/// Removes the innermost object member on `path` (an optional field the
/// decoder could not read), unless it is one the operation needs: the body's
/// or an element's `id`, or the page's `elements`. Returns the removed
/// member's path.
fn drop_field(root: &mut Value, path: &Path) -> Option<String> {
    let segments: Vec<&Segment> = path.iter().collect();
    let last_key = segments
        .iter()
        .rposition(|s| matches!(s, Segment::Map { .. }))?;
    let Segment::Map { key } = segments[last_key] else {
        return None;
    };
    let parent = &segments[..last_key];
    let parent_is_element = match parent {
        [] => true,
        [Segment::Map { key }, Segment::Seq { .. }] => key == "elements",
        _ => false,
    };
    if parent_is_element && key == "id" || parent.is_empty() && key == "elements" {
        return None;
    }
    let mut node = &mut *root;
    for segment in parent {
        node = match segment {
            Segment::Seq { index } => node.as_array_mut()?.get_mut(*index)?,
            Segment::Map { key } => node.as_object_mut()?.get_mut(key.as_str())?,
            Segment::Enum { .. } | Segment::Unknown => return None,
        };
    }
    node.as_object_mut()?.remove(key.as_str())?;
    let shown: String = parent
        .iter()
        .map(|s| match s {
            Segment::Seq { index } => format!("[{index}]"),
            Segment::Map { key } => format!(".{key}"),
            _ => String::new(),
        })
        .chain(std::iter::once(format!(".{key}")))
        .collect::<String>()
        .trim_start_matches('.')
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    Some(shown)
}

fn locate<'v>(root: &'v mut Value, path: &Path) -> Option<&'v mut Value> {
    let mut node = root;
    for segment in path.iter() {
        node = match segment {
            Segment::Seq { index } => node.as_array_mut()?.get_mut(*index)?,
            Segment::Map { key } => node.as_object_mut()?.get_mut(key.as_str())?,
            Segment::Enum { .. } | Segment::Unknown => return None,
        };
    }
    Some(node)
}

/// The path as text; for a missing field, the field's own path.
fn path_text(path: &Path, message: &str) -> String {
    // The path holds the body's keys: printed without control characters.
    let base: String = path
        .to_string()
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    let base = if base == "." { String::new() } else { base };
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(field) = rest.split('`').next()
    {
        return if base.is_empty() {
            field.to_owned()
        } else {
            format!("{base}.{field}")
        };
    }
    base
}

/// Removes the quoted values serde puts in messages (`invalid type: string
/// "..."`), so a body's contents never reach an error. Serde quotes with
/// `Debug`, so a quote inside a value comes escaped (`\"`) and does not end
/// it.
pub(crate) fn elide_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_quote = false;
    let mut escaped = false;
    for c in message.chars() {
        if in_quote && escaped {
            escaped = false;
        } else if in_quote && c == '\\' {
            escaped = true;
        } else if c == '"' {
            if in_quote {
                out.push_str("…\"");
            } else {
                out.push('"');
            }
            in_quote = !in_quote;
        } else if !in_quote {
            out.push(if c.is_control() { ' ' } else { c });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        #[serde(default)]
        names: Vec<String>,
        count: Option<i64>,
        flag: Option<bool>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        id: String,
        #[serde(default)]
        items: Vec<Inner>,
    }

    #[test]
    fn nulls_numbers_and_strings_are_tolerated() {
        let body = br#"{"id": 42, "items": [null, {"names": null, "count": "7", "flag": "TRUE", "extra": 1}], "more": null}"#;
        let outer: Outer = tolerant("op", None, body).unwrap();
        assert_eq!(outer.id, "42");
        assert_eq!(outer.items.len(), 1);
        assert_eq!(outer.items[0].count, Some(7));
        assert_eq!(outer.items[0].flag, Some(true));
        assert!(outer.items[0].names.is_empty());
    }

    #[test]
    fn a_single_object_becomes_a_list() {
        let outer: Outer = tolerant("op", None, br#"{"id": "a", "items": {"count": 1}}"#).unwrap();
        assert_eq!(outer.items[0].count, Some(1));
    }

    #[test]
    fn an_unreadable_optional_field_is_left_out() {
        let outer: Outer = tolerant(
            "op",
            None,
            br#"{"id": "a", "items": [{"count": "secret-value", "flag": true}, {"names": [{}]}]}"#,
        )
        .unwrap();
        assert_eq!(outer.items.len(), 2);
        assert_eq!(outer.items[0].count, None);
        assert_eq!(outer.items[0].flag, Some(true));
        assert!(outer.items[1].names.is_empty());
    }

    #[test]
    fn errors_name_the_path_and_hide_values() {
        let err =
            tolerant::<Outer>("op", None, br#"{"id": ["secret-value"], "items": []}"#).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(" at id:"), "{text}");
        assert!(!text.contains("secret-value"), "{text}");
        let err = tolerant::<Outer>("op", None, br#"{"items": []}"#).unwrap_err();
        assert!(err.to_string().contains(" at id:"), "{err}");
        let err = tolerant::<Outer>("op", None, b"<html>").unwrap_err();
        assert!(err.to_string().contains("not JSON"), "{err}");
    }
}
