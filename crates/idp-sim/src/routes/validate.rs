//! Request validation shared by the simulated servers: reading a JSON body
//! ([`parse_json`]) and checking its fields ([`Obj`]), with failures that
//! name the field ([`Invalid`]); each server renders them in its own error
//! shape.

use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};

/// The largest integer accepted: the servers read numbers as a Java `long`
/// (the spec's `int64`).
pub(crate) const MAX_INT64: u64 = i64::MAX.unsigned_abs();

/// Why a request body is not acceptable JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyProblem {
    ContentType(String),
    Empty,
    Malformed(String),
}

/// Checks `Content-Type: application/json` (or `+json`) and parses the body.
pub(crate) fn parse_json(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<serde_json::Value, BodyProblem> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let is_json = content_type.as_deref().is_some_and(|ct| {
        let essence = ct
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"))
    });
    if !is_json {
        return Err(BodyProblem::ContentType(
            content_type.unwrap_or_else(|| "none".to_owned()),
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(BodyProblem::Empty);
    }
    serde_json::from_slice(body).map_err(|e| BodyProblem::Malformed(e.to_string()))
}

/// A validation failure naming the field.
#[derive(Debug)]
pub(crate) struct Invalid {
    /// The vendor error code (`FIELD_REQUIRED`, `INVALID_FIELD_VALUE`).
    pub(crate) code: &'static str,
    /// The dotted name of the field.
    pub(crate) field: String,
    /// What is wrong, naming the field.
    pub(crate) message: String,
}

impl Invalid {
    pub(crate) fn required(field: String) -> Self {
        Invalid {
            code: "FIELD_REQUIRED",
            message: format!("{field} is required"),
            field,
        }
    }

    pub(crate) fn value(field: String, why: impl std::fmt::Display) -> Self {
        Invalid {
            code: "INVALID_FIELD_VALUE",
            message: format!("{field} {why}"),
            field,
        }
    }
}

/// A JSON object being validated, with its dotted path for messages.
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    pub(crate) fn root(value: &'a Value) -> Result<Self, Invalid> {
        match value {
            Value::Object(map) => Ok(Obj {
                map,
                path: String::new(),
            }),
            _ => Err(Invalid::value("body".into(), "must be a JSON object")),
        }
    }

    pub(crate) fn name(&self, field: &str) -> String {
        if self.path.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.path)
        }
    }

    pub(crate) fn get(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    pub(crate) fn opt_str(&self, field: &str) -> Result<Option<String>, Invalid> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Invalid::value(self.name(field), "must be a string")),
        }
    }

    pub(crate) fn str(&self, field: &str) -> Result<String, Invalid> {
        match self.opt_str(field)? {
            None => Err(Invalid::required(self.name(field))),
            Some(s) if s.trim().is_empty() => {
                Err(Invalid::value(self.name(field), "must not be empty"))
            }
            Some(s) => Ok(s),
        }
    }

    pub(crate) fn opt_obj(&self, field: &str) -> Result<Option<Obj<'a>>, Invalid> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Obj {
                map,
                path: self.name(field),
            })),
            Some(_) => Err(Invalid::value(self.name(field), "must be a JSON object")),
        }
    }

    pub(crate) fn obj(&self, field: &str) -> Result<Obj<'a>, Invalid> {
        self.opt_obj(field)?
            .ok_or_else(|| Invalid::required(self.name(field)))
    }

    pub(crate) fn opt_str_list(&self, field: &str) -> Result<Option<Vec<String>>, Invalid> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(Invalid::value(
                        self.name(field),
                        "must be an array of strings",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(Invalid::value(
                self.name(field),
                "must be an array of strings",
            )),
        }
    }

    pub(crate) fn non_empty_str_list(&self, field: &str) -> Result<Vec<String>, Invalid> {
        let list = self
            .opt_str_list(field)?
            .ok_or_else(|| Invalid::required(self.name(field)))?;
        if list.is_empty() || list.iter().any(|s| s.trim().is_empty()) {
            return Err(Invalid::value(
                self.name(field),
                "must contain at least one non-empty value",
            ));
        }
        Ok(list)
    }

    /// A positive integer; a string of digits is accepted too.
    pub(crate) fn opt_positive(&self, field: &str) -> Result<Option<u64>, Invalid> {
        let value = match self.get(field) {
            None => return Ok(None),
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
            Some(_) => None,
        };
        match value {
            Some(v) if v > 0 && v <= MAX_INT64 => Ok(Some(v)),
            _ => Err(Invalid::value(
                self.name(field),
                "must be a positive integer (seconds)",
            )),
        }
    }
}
