//! The SCIM 2.0 directories (RFC 7643/7644) behind every SCIM URL the
//! simulator hands out: users and groups per directory, stored as the JSON
//! the identity provider pushed, with the filter and PATCH semantics the
//! routes in `routes/scim/` apply.
//!
//! A directory is named by whose token opens it: `vcf:<provider id>` (an
//! SDDC Manager sync client token), `broker:<directory id>` (a broker sync
//! client token), `unleash` (Unleash's SCIM token).

use std::collections::BTreeMap;

use chrono::{SecondsFormat, Utc};
use serde_json::{Map, Value};

use crate::ids::new_uuid;

/// The core schema URNs.
pub(crate) const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub(crate) const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

/// Users or groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    User,
    Group,
}

impl Kind {
    pub(crate) fn schema(self) -> &'static str {
        match self {
            Kind::User => USER_SCHEMA,
            Kind::Group => GROUP_SCHEMA,
        }
    }

    pub(crate) fn resource_type(self) -> &'static str {
        match self {
            Kind::User => "User",
            Kind::Group => "Group",
        }
    }

    pub(crate) fn endpoint(self) -> &'static str {
        match self {
            Kind::User => "Users",
            Kind::Group => "Groups",
        }
    }

    /// The attribute that must be present and unique.
    pub(crate) fn key_attribute(self) -> &'static str {
        match self {
            Kind::User => "userName",
            Kind::Group => "displayName",
        }
    }
}

/// One stored user or group.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    pub(crate) id: String,
    /// Every attribute but `id`, `schemas` and `meta`.
    pub(crate) attributes: Map<String, Value>,
    /// Extension schemas the resource carries.
    pub(crate) extensions: Vec<String>,
    pub(crate) created: String,
    pub(crate) modified: String,
    pub(crate) version: u64,
    /// Soft-deleted (Unleash): kept, but no longer served.
    pub(crate) deleted: bool,
}

impl Resource {
    pub(crate) fn new(attributes: Map<String, Value>, extensions: Vec<String>) -> Self {
        let now = now();
        Resource {
            id: new_uuid(),
            attributes,
            extensions,
            created: now.clone(),
            modified: now,
            version: 1,
            deleted: false,
        }
    }

    pub(crate) fn touch(&mut self) {
        self.modified = now();
        self.version += 1;
    }

    pub(crate) fn key(&self, kind: Kind) -> Option<&str> {
        self.attributes
            .get(kind.key_attribute())
            .and_then(Value::as_str)
    }

    /// The resource as served, its `meta.location` under `base`.
    pub(crate) fn render(&self, kind: Kind, base: &str) -> Value {
        let mut out = Map::new();
        let mut schemas = vec![Value::from(kind.schema())];
        schemas.extend(self.extensions.iter().cloned().map(Value::from));
        out.insert("schemas".into(), Value::Array(schemas));
        out.insert("id".into(), Value::from(self.id.clone()));
        // `password` is `returned: never` (RFC 7643 §4.1.1).
        for (key, value) in &self.attributes {
            if !key.eq_ignore_ascii_case("password") {
                out.insert(key.clone(), value.clone());
            }
        }
        out.insert(
            "meta".into(),
            serde_json::json!({
                "resourceType": kind.resource_type(),
                "created": self.created,
                "lastModified": self.modified,
                "location": format!("{base}/{}/{}", kind.endpoint(), self.id),
                "version": format!("W/\"{}\"", self.version),
            }),
        );
        Value::Object(out)
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// One directory's users and groups.
#[derive(Debug, Clone, Default)]
pub(crate) struct Directory {
    pub(crate) users: BTreeMap<String, Resource>,
    pub(crate) groups: BTreeMap<String, Resource>,
}

impl Directory {
    pub(crate) fn of(&self, kind: Kind) -> &BTreeMap<String, Resource> {
        match kind {
            Kind::User => &self.users,
            Kind::Group => &self.groups,
        }
    }

    pub(crate) fn of_mut(&mut self, kind: Kind) -> &mut BTreeMap<String, Resource> {
        match kind {
            Kind::User => &mut self.users,
            Kind::Group => &mut self.groups,
        }
    }

    /// A live resource whose key attribute equals `key` (case-insensitive,
    /// as `userName` is `caseExact: false` in RFC 7643), other than `except`.
    pub(crate) fn taken(&self, kind: Kind, key: &str, except: Option<&str>) -> bool {
        self.of(kind).values().any(|r| {
            !r.deleted
                && Some(r.id.as_str()) != except
                && r.key(kind).is_some_and(|k| k.eq_ignore_ascii_case(key))
        })
    }
}

/// Every SCIM directory, by name.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScimState {
    pub(crate) directories: BTreeMap<String, Directory>,
}

/// Splits a request body into attributes and extension schemas: `id`,
/// `meta` and `schemas` are the server's.
pub(crate) fn split_body(kind: Kind, body: Map<String, Value>) -> (Map<String, Value>, Vec<String>) {
    let extensions = body
        .get("schemas")
        .and_then(Value::as_array)
        .map(|schemas| {
            schemas
                .iter()
                .filter_map(Value::as_str)
                .filter(|s| *s != kind.schema())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let attributes = body
        .into_iter()
        .filter(|(key, _)| !matches!(key.as_str(), "id" | "meta" | "schemas"))
        .map(|(key, value)| (strip_core_urn(kind, &key).to_owned(), value))
        .collect();
    (attributes, extensions)
}

/// `urn:...:core:2.0:User:userName` -> `userName`.
pub(crate) fn strip_core_urn(kind: Kind, path: &str) -> &str {
    path.strip_prefix(kind.schema())
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or(path)
}

// ---- filters (RFC 7644 §3.4.2.2) ----

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    Compare {
        path: String,
        op: CompareOp,
        value: Value,
    },
    Present(String),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Value(Value),
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '"' => {
                let mut raw = String::from('"');
                chars.next();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    raw.push(c);
                    if c == '\\' {
                        if let Some(escaped) = chars.next() {
                            raw.push(escaped);
                        }
                    } else if c == '"' {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return Err("unterminated string".into());
                }
                let value: Value =
                    serde_json::from_str(&raw).map_err(|_| "invalid string".to_owned())?;
                tokens.push(Token::Value(value));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if matches!(c, ' ' | '\t' | '(' | ')' | '"') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

/// Parses `userName eq "x"`, `displayName eq "x"`, `pr`, `and`, `or`,
/// `not (...)` and the comparison operators of RFC 7644.
pub(crate) fn parse_filter(text: &str) -> Result<Filter, String> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let filter = parser.or()?;
    if parser.at != parser.tokens.len() {
        return Err("unexpected text after the filter".into());
    }
    Ok(filter)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.peek_word("or") {
            self.at += 1;
            let right = self.and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.factor()?;
        while self.peek_word("and") {
            self.at += 1;
            let right = self.factor()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Filter, String> {
        if self.peek_word("not") {
            self.at += 1;
            return Ok(Filter::Not(Box::new(self.factor()?)));
        }
        match self.tokens.get(self.at).cloned() {
            Some(Token::Open) => {
                self.at += 1;
                let inner = self.or()?;
                if self.tokens.get(self.at) != Some(&Token::Close) {
                    return Err("missing )".into());
                }
                self.at += 1;
                Ok(inner)
            }
            Some(Token::Word(path)) => {
                self.at += 1;
                let Some(Token::Word(op)) = self.tokens.get(self.at).cloned() else {
                    return Err(format!("expected an operator after {path}"));
                };
                self.at += 1;
                if op.eq_ignore_ascii_case("pr") {
                    return Ok(Filter::Present(path));
                }
                let op = match op.to_ascii_lowercase().as_str() {
                    "eq" => CompareOp::Eq,
                    "ne" => CompareOp::Ne,
                    "co" => CompareOp::Co,
                    "sw" => CompareOp::Sw,
                    "ew" => CompareOp::Ew,
                    "gt" => CompareOp::Gt,
                    "ge" => CompareOp::Ge,
                    "lt" => CompareOp::Lt,
                    "le" => CompareOp::Le,
                    other => return Err(format!("unknown operator {other}")),
                };
                let value = match self.tokens.get(self.at).cloned() {
                    Some(Token::Value(v)) => v,
                    Some(Token::Word(w)) => match w.as_str() {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        "null" => Value::Null,
                        number => serde_json::from_str::<serde_json::Number>(number)
                            .map(Value::Number)
                            .map_err(|_| format!("invalid value {number}"))?,
                    },
                    _ => return Err("expected a value".into()),
                };
                self.at += 1;
                Ok(Filter::Compare { path, op, value })
            }
            _ => Err("expected an attribute".into()),
        }
    }
}

/// The values at `path` (`userName`, `name.familyName`, `emails.value`,
/// `meta.lastModified`) of a rendered resource; multi-valued attributes
/// give each element's value.
fn values_at<'a>(resource: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut current = vec![resource];
    for part in path.split('.') {
        let mut next = Vec::new();
        for value in current {
            let field = value.as_object().and_then(|o| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(part))
                    .map(|(_, v)| v)
            });
            match field {
                Some(Value::Array(items)) => next.extend(items.iter()),
                Some(v) => next.push(v),
                None => {}
            }
        }
        current = next;
    }
    // A multi-valued complex attribute compared directly compares its values.
    current
        .into_iter()
        .map(|v| match v {
            Value::Object(o) if o.contains_key("value") => &o["value"],
            other => other,
        })
        .collect()
}

fn compare(found: &Value, op: CompareOp, wanted: &Value, case_exact: bool) -> bool {
    let fold = |s: &str| {
        if case_exact {
            s.to_owned()
        } else {
            s.to_lowercase()
        }
    };
    match (found, wanted) {
        (Value::String(a), Value::String(b)) => {
            let (a, b) = (fold(a), fold(b));
            match op {
                CompareOp::Eq => a == b,
                CompareOp::Ne => a != b,
                CompareOp::Co => a.contains(&b),
                CompareOp::Sw => a.starts_with(&b),
                CompareOp::Ew => a.ends_with(&b),
                CompareOp::Gt => a > b,
                CompareOp::Ge => a >= b,
                CompareOp::Lt => a < b,
                CompareOp::Le => a <= b,
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            match op {
                CompareOp::Eq => a == b,
                CompareOp::Ne => a != b,
                CompareOp::Gt => a > b,
                CompareOp::Ge => a >= b,
                CompareOp::Lt => a < b,
                CompareOp::Le => a <= b,
                _ => false,
            }
        }
        (a, b) => match op {
            CompareOp::Eq => a == b,
            CompareOp::Ne => a != b,
            _ => false,
        },
    }
}

impl Filter {
    /// Whether a rendered resource matches.
    pub(crate) fn matches(&self, resource: &Value) -> bool {
        match self {
            Filter::Present(path) => values_at(resource, path)
                .iter()
                .any(|v| !v.is_null() && *v != &Value::String(String::new())),
            Filter::Compare { path, op, value } => {
                let case_exact = matches!(path.as_str(), "id" | "externalId");
                let found = values_at(resource, path);
                if found.is_empty() {
                    return *op == CompareOp::Ne;
                }
                found.iter().any(|f| compare(f, *op, value, case_exact))
            }
            Filter::And(a, b) => a.matches(resource) && b.matches(resource),
            Filter::Or(a, b) => a.matches(resource) || b.matches(resource),
            Filter::Not(inner) => !inner.matches(resource),
        }
    }
}

// ---- PATCH (RFC 7644 §3.5.2) ----

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
    if raw.starts_with("urn:") {
        if let Some((urn, attr)) = raw.rsplit_once(':') {
            return Ok(PatchPath {
                attribute: urn.to_owned(),
                filter: None,
                sub: Some(attr.to_owned()),
            });
        }
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
    if attribute.is_empty() || !attribute.chars().all(|c| c.is_ascii_alphanumeric() || c == '$' || c == '_' || c == '-') {
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
                        || (existing.get("value").is_some() && existing.get("value") == item.get("value"))
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
            return Err(patch_error("invalidValue", "without a path the value must be an object"));
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
        return Err(patch_error("mutability", format!("{} is read-only", path.attribute)));
    }
    let key = key_of(attributes, &path.attribute);
    if key.starts_with("urn:") && op != "remove" && !resource.extensions.contains(&key) {
        resource.extensions.push(key.clone());
    }
    match op.as_str() {
        "add" | "replace" => {
            let value = value.ok_or_else(|| patch_error("invalidValue", format!("{op} needs a value")))?;
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
                        return Err(patch_error("invalidPath", format!("{} is not complex", path.attribute)));
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
                        return Err(patch_error("noTarget", format!("no {} to filter", path.attribute)));
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
                        return Err(patch_error("noTarget", format!("no value of {} matches", path.attribute)));
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
                                !gone.iter().any(|g| g == item || (g.get("value").is_some() && g.get("value") == item.get("value")))
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
    fn filters_match_as_rfc_7644_says() {
        let user = json!({"userName": "Alice@Example.com", "name": {"familyName": "Smith"},
            "emails": [{"value": "a@example.com", "type": "work"}], "active": true});
        for (text, expected) in [
            (r#"userName eq "alice@example.com""#, true),
            (r#"userName eq "bob""#, false),
            (r#"name.familyName sw "Sm""#, true),
            (r#"emails.value co "example""#, true),
            (r#"emails[type eq "work"]"#, false),
            (r#"active eq true and userName pr"#, true),
            (r#"not (userName eq "bob") or active eq false"#, true),
        ] {
            match parse_filter(text) {
                Ok(filter) => assert_eq!(filter.matches(&user), expected, "{text}"),
                Err(_) => assert!(!expected, "{text}"),
            }
        }
        assert!(parse_filter(r#"userName zz "x""#).is_err());
        assert!(parse_filter(r#"userName eq "x"#).is_err());
    }

    #[test]
    fn patch_adds_replaces_and_removes() {
        let mut r = Resource::new(
            json!({"displayName": "g", "members": [{"value": "1"}]})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            Vec::new(),
        );
        apply_patch(Kind::Group, &mut r, "add", Some("members"), Some(json!([{"value": "2"}, {"value": "1"}]))).unwrap();
        assert_eq!(r.attributes["members"], json!([{"value": "1"}, {"value": "2"}]));
        apply_patch(Kind::Group, &mut r, "remove", Some(r#"members[value eq "1"]"#), None).unwrap();
        assert_eq!(r.attributes["members"], json!([{"value": "2"}]));
        apply_patch(Kind::Group, &mut r, "Replace", None, Some(json!({"displayName": "h"}))).unwrap();
        assert_eq!(r.attributes["displayName"], "h");
        let err = apply_patch(Kind::Group, &mut r, "remove", None, None).unwrap_err();
        assert_eq!(err.scim_type, "noTarget");
        apply_patch(Kind::User, &mut r, "replace", Some("active"), Some(json!("False"))).unwrap();
        assert_eq!(r.attributes["active"], json!(false));
        apply_patch(Kind::User, &mut r, "add", Some("name.givenName"), Some(json!("A"))).unwrap();
        assert_eq!(r.attributes["name"], json!({"givenName": "A"}));
        apply_patch(Kind::User, &mut r, "remove", Some("name.givenName"), None).unwrap();
        assert!(!r.attributes.contains_key("name"));
    }
}
