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

mod filter;
mod patch;

pub(crate) use filter::parse_filter;
pub(crate) use patch::apply_patch;

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
pub(crate) fn split_body(
    kind: Kind,
    body: Map<String, Value>,
) -> (Map<String, Value>, Vec<String>) {
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
