//! One operation of a description as the comparison sees it, with the
//! normalizations that let our progenitor-shaped spec meet the vendor's.
//!
//! Normalizations, each because of a constraint of ours, not of the API
//! (docs/dev/vendor-specs.md lists them too):
//!
//! 1. **Path parameters**: operations match by method and path with the
//!    parameter names blanked; parameters declared on the path item and
//!    `$ref`'d from `#/components/parameters` count as the operation's own.
//! 2. **`x-idp-media-types`**: progenitor types only `application/json`, so
//!    our spec keys content `application/json` and names the real media
//!    type in this extension; the extension's types replace the keys of
//!    our request body (`request`) and success bodies (`response`).
//! 3. **One success kind**: our `2XX` stands for every 2xx status the
//!    vendor declares (progenitor needs one success response).
//! 4. **Raw text bodies**: our `text/plain` (or `*/*`) string body is read
//!    raw by the facade, whatever the label; it equals any vendor body whose
//!    schema is a string, under any media type.
//! 5. **One error schema**: our one error schema per operation holds every
//!    vendor error shape, so a vendor error body must be contained in ours
//!    (every vendor property present, equal), and a property of ours must
//!    be in at least one vendor error schema of the same description,
//!    checked once per description instead of per status.
//! 6. **`Secret`**: our `$ref` to `#/components/schemas/Secret` (a redacting
//!    newtype in generated code) equals a plain `string`.
//! 7. **Free strings**: a vendor string `enum` equals our plain string
//!    (progenitor makes a closed enum, and one unknown value would fail a
//!    whole response).
//! 8. **Security**: compared only when the vendor's description declares
//!    any (SDDC Manager's declares none).
//!
//! Not compared: documentation, `readOnly`/`writeOnly`, `deprecated`,
//! `nullable`, numeric and length constraints, tags.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{METHODS, escape, operation_pointer};

/// Our `Secret` schema.
pub const SECRET_REF: &str = "#/components/schemas/Secret";

/// A schema in a document, with the pointer it is at.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// The node.
    pub node: &'a Value,
    /// Where it is (`#/...`), or where the `$ref` to it is.
    pub pointer: &'a str,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// The path as written.
    pub path: String,
    /// Lower-case method.
    pub method: &'static str,
    /// The `operationId`, if any.
    pub id: Option<String>,
    /// `#/paths/<path>/<method>`.
    pub pointer: String,
    /// Path, query, header and cookie parameters, path-level ones included.
    pub parameters: Vec<Parameter<'a>>,
    /// The request body, if any.
    pub request: Option<Body<'a>>,
    /// Responses by status key as written (`200`, `2XX`, `default`).
    pub responses: BTreeMap<String, Body<'a>>,
    /// Whether the operation requires credentials (`None`: the description
    /// declares no security at all).
    pub secured: Option<bool>,
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Parameter<'a> {
    /// Its name.
    pub name: String,
    /// `path`, `query`, `header`, `cookie`.
    pub location: String,
    /// `required` (path parameters always are).
    pub required: bool,
    /// Where the parameter object is (after `$ref`).
    pub pointer: String,
    /// Its schema, if any.
    pub schema: Option<(&'a Value, String)>,
}

/// A request body or a response.
#[derive(Debug, Clone)]
pub struct Body<'a> {
    /// Where the body or response object is (after `$ref`), or where it
    /// is declared in the operation.
    pub pointer: String,
    /// `requestBody.required`.
    pub required: bool,
    /// Media type and schema, by media type.
    pub content: BTreeMap<String, Option<(&'a Value, String)>>,
}

/// Every operation of `document`, with the normalizations for `ours`.
#[must_use]
pub fn operations(document: &Value, ours: bool) -> Vec<Operation<'_>> {
    let declares_security = document.get("security").is_some()
        || document.pointer("/components/securitySchemes").is_some()
        || crate::lint::operations(document)
            .iter()
            .any(|(_, _, op)| op.get("security").is_some());
    let mut found = Vec::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            let Some(node) = item.get(*method) else {
                continue;
            };
            let pointer = operation_pointer(path, method);
            let media = if ours {
                node.get("x-idp-media-types")
            } else {
                None
            };
            let mut parameters: Vec<Parameter<'_>> = Vec::new();
            let path_level = format!("#/paths/{}/parameters", escape(path));
            for (list, at) in [
                (item.get("parameters"), path_level),
                (node.get("parameters"), format!("{pointer}/parameters")),
            ] {
                for (i, raw) in list
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let (param, param_pointer) = follow(document, raw, format!("{at}/{i}"));
                    let name = text(param, "name");
                    let location = text(param, "in");
                    // An operation's parameter replaces the path item's of
                    // the same name and location.
                    parameters.retain(|p| !(p.name == name && p.location == location));
                    parameters.push(Parameter {
                        required: location == "path"
                            || param.get("required").and_then(Value::as_bool) == Some(true),
                        schema: param
                            .get("schema")
                            .map(|s| (s, format!("{param_pointer}/schema"))),
                        name,
                        location,
                        pointer: param_pointer,
                    });
                }
            }
            let request = node.get("requestBody").map(|raw| {
                let (body, at) = follow(document, raw, format!("{pointer}/requestBody"));
                let mut content = content_of(body, &at);
                if let Some(real) = media.and_then(|m| m.get("request")).and_then(Value::as_str) {
                    relabel(&mut content, real);
                }
                Body {
                    pointer: at,
                    required: body.get("required").and_then(Value::as_bool) == Some(true),
                    content,
                }
            });
            let mut responses = BTreeMap::new();
            for (status, raw) in node
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let (response, at) = follow(
                    document,
                    raw,
                    format!("{pointer}/responses/{}", escape(status)),
                );
                let mut content = content_of(response, &at);
                if is_success(status)
                    && let Some(real) = media
                        .and_then(|m| m.get("response"))
                        .and_then(Value::as_str)
                {
                    relabel(&mut content, real);
                }
                responses.insert(
                    status.clone(),
                    Body {
                        pointer: at,
                        required: false,
                        content,
                    },
                );
            }
            let secured = declares_security.then(|| {
                node.get("security")
                    .or_else(|| document.get("security"))
                    .is_some_and(requires_credentials)
            });
            found.push(Operation {
                path: path.clone(),
                method,
                id: node
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                pointer,
                parameters,
                request,
                responses,
                secured,
            });
        }
    }
    found
}

/// Follows a `$ref` chain from `node` (at `pointer`) to the object.
#[must_use]
pub fn follow<'a>(document: &'a Value, node: &'a Value, pointer: String) -> (&'a Value, String) {
    let mut node = node;
    let mut pointer = pointer;
    // Bounded: a `$ref` cycle without content would loop forever.
    for _ in 0..32 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match crate::schema::resolve(document, reference) {
            Some(target) => {
                node = target;
                pointer = reference.to_owned();
            }
            None => break,
        }
    }
    (node, pointer)
}

/// Whether a status key is a success: `2XX` or a 2xx code.
#[must_use]
pub fn is_success(status: &str) -> bool {
    status.len() == 3 && status.starts_with('2')
}

/// Whether our raw-text body (normalization 4) is what `content` holds.
#[must_use]
pub fn is_raw_text(content: &BTreeMap<String, Option<(&Value, String)>>) -> bool {
    content.len() == 1
        && content.iter().all(|(media, schema)| {
            (media == "text/plain" || media == "*/*")
                && schema
                    .as_ref()
                    .is_some_and(|(s, _)| s.get("type").and_then(Value::as_str) == Some("string"))
        })
}

fn content_of<'a>(body: &'a Value, at: &str) -> BTreeMap<String, Option<(&'a Value, String)>> {
    body.get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(media, entry)| {
            (
                media.clone(),
                entry
                    .get("schema")
                    .map(|s| (s, format!("{at}/content/{}/schema", escape(media)))),
            )
        })
        .collect()
}

/// Puts the one `application/json` entry under the real media type.
fn relabel(content: &mut BTreeMap<String, Option<(&Value, String)>>, real: &str) {
    if let Some(entry) = content.remove("application/json") {
        content.insert(real.to_owned(), entry);
    }
}

fn requires_credentials(security: &Value) -> bool {
    security.as_array().is_some_and(|requirements| {
        !requirements.is_empty()
            && requirements
                .iter()
                .all(|r| r.as_object().is_some_and(|m| !m.is_empty()))
    })
}

fn text(node: &Value, key: &str) -> String {
    node.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
